package io.infraworker.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One task from the queue: its spec is the payload, its status the run's outcome. */
@Group(ExecutionJob.GROUP)
@Version(ExecutionJob.VERSION)
@ShortNames("ej")
@Categories("infraworker")
@AdditionalPrinterColumn(name = "Runtime", jsonPath = ".spec.runtime", type = Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Exit", jsonPath = ".status.exitCode", type = Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Duration",
    jsonPath = ".status.durationMs",
    type = Type.INTEGER,
    getDescription = "Run time in milliseconds")
@AdditionalPrinterColumn(
    name = "Peak memory",
    jsonPath = ".status.peakMemoryBytes",
    type = Type.INTEGER,
    getDescription = "Peak memory of the run in bytes")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class ExecutionJob extends CustomResource<ExecutionJobSpec, ExecutionJobStatus>
    implements Namespaced {
  public static final String GROUP = "infraworker.io";
  public static final String VERSION = "v1alpha1";

  @Override
  @ValidationRule(value = "self == oldSelf", message = "spec is immutable")
  @JsonPropertyDescription("The task, as the SQS payload gave it; immutable once the job exists.")
  public ExecutionJobSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("What happened to the task: phase, pod, timings, exit code, peak memory, outputs.")
  public ExecutionJobStatus getStatus() {
    return super.getStatus();
  }
}
