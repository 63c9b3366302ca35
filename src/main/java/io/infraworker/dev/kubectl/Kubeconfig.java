package io.infraworker.dev.kubectl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a kubeconfig that points kubectl at the dev stack. */
public final class Kubeconfig {
  public static final String NAME = "infra-worker-dev";

  private Kubeconfig() {}

  /**
   * Writes the file (parents created, an existing file replaced): cluster {@value #NAME} over plain HTTP,
   * a user with a dummy token (the mock checks none) and a current context with the namespace.
   */
  public static void write(Path file, String serverUrl, String namespace) {
    String text = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: "%2$s"
        users:
        - name: %1$s
          user:
            token: dev-token-not-checked
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
            namespace: "%3$s"
        current-context: %1$s
        preferences: {}
        """.formatted(NAME, serverUrl, namespace);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write kubeconfig " + file, e);
    }
  }
}
