package io.infraworker.dev.kubectl;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

/** The parts of an {@code Accept} header kubectl uses to ask for Tables and aggregated discovery. */
final class Accept {
  private final String header;

  Accept(String header) {
    this.header = header == null ? "" : header;
  }

  /** True when the client asks for a {@code meta.k8s.io} Table ({@code as=Table}). */
  boolean wantsTable() {
    return ranges().anyMatch(r -> r.contains("as=Table") && r.contains("g=meta.k8s.io"));
  }

  /** The aggregated discovery version asked for first ({@code v2} or {@code v2beta1}), if any. */
  Optional<String> aggregatedDiscoveryVersion() {
    return ranges()
        .filter(r -> r.contains("as=APIGroupDiscoveryList") && r.contains("g=apidiscovery.k8s.io"))
        .map(r -> r.contains("v=v2beta1") ? "v2beta1" : "v2")
        .findFirst();
  }

  private Stream<String> ranges() {
    return Arrays.stream(header.split(",")).map(r -> r.replace(" ", ""));
  }
}
