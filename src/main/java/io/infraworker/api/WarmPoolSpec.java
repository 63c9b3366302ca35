package io.infraworker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;
import java.util.Map;

/** Desired standby capacity for one runtime and memory size. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WarmPoolSpec {
  @Required
  @JsonPropertyDescription("Language runtime of the pool's pods: python, nodejs, cpp or go.")
  private Runtime runtime;

  @Required
  @JsonPropertyDescription("Container image of the pool's pods (a runtime image; the agent is injected by an init container).")
  private String image;

  @SpecReplicas
  @Min(0)
  @JsonPropertyDescription("How many standby pods to keep ready (claimed pods are not counted).")
  private Integer replicas = 0;

  @Required
  @Min(ExecutionJobSpec.MIN_MEMORY_MB)
  @Max(ExecutionJobSpec.MAX_MEMORY_MB)
  @JsonPropertyDescription("Memory request and limit of each pod in MiB; jobs asking for at most this much may use the pool.")
  private Integer memoryMb;

  @Pattern("^[0-9]+(\\.[0-9]+)?m?$")
  @JsonPropertyDescription("CPU request and limit of each pod as a Kubernetes quantity, e.g. 500m or 1.")
  private String cpu = "500m";

  @Min(0)
  @JsonPropertyDescription("Lower bound for adaptive sizing of replicas (optional).")
  private Integer minReplicas;

  @Min(0)
  @JsonPropertyDescription("Upper bound for adaptive sizing of replicas (optional).")
  private Integer maxReplicas;

  @JsonPropertyDescription("Node selector added to the pool's pods.")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Tolerations added to the pool's pods.")
  private List<PodToleration> tolerations;

  @JsonPropertyDescription("Extra labels added to the pool's pods (the infraworker.io/ labels cannot be overridden).")
  private Map<String, String> labels;

  public Runtime getRuntime() {
    return runtime;
  }

  public void setRuntime(Runtime runtime) {
    this.runtime = runtime;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getMemoryMb() {
    return memoryMb;
  }

  public void setMemoryMb(Integer memoryMb) {
    this.memoryMb = memoryMb;
  }

  public String getCpu() {
    return cpu;
  }

  public void setCpu(String cpu) {
    this.cpu = cpu;
  }

  public Integer getMinReplicas() {
    return minReplicas;
  }

  public void setMinReplicas(Integer minReplicas) {
    this.minReplicas = minReplicas;
  }

  public Integer getMaxReplicas() {
    return maxReplicas;
  }

  public void setMaxReplicas(Integer maxReplicas) {
    this.maxReplicas = maxReplicas;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<PodToleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<PodToleration> tolerations) {
    this.tolerations = tolerations;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }
}
