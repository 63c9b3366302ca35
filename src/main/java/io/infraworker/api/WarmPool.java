package io.infraworker.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A pool of pre-warmed standby pods for one runtime and memory size. */
@Group(ExecutionJob.GROUP)
@Version(ExecutionJob.VERSION)
@ShortNames("wp")
@Categories("infraworker")
@AdditionalPrinterColumn(name = "Runtime", jsonPath = ".spec.runtime", type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Memory",
    jsonPath = ".spec.memoryMb",
    type = Type.INTEGER,
    getDescription = "Memory per pod in MiB")
@AdditionalPrinterColumn(name = "Desired", jsonPath = ".spec.replicas", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyReplicas", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Claimed", jsonPath = ".status.claimed", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class WarmPool extends CustomResource<WarmPoolSpec, WarmPoolStatus> implements Namespaced {
  @Override
  @JsonPropertyDescription("Desired standby capacity: runtime, image, pod size and how many pods to keep warm.")
  public WarmPoolSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed standby capacity: standby, ready and claimed pods.")
  public WarmPoolStatus getStatus() {
    return super.getStatus();
  }
}
