package io.infraworker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.List;

/** Observed standby capacity of a WarmPool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WarmPoolStatus {
  @StatusReplicas
  @JsonPropertyDescription("Standby pods that exist (ready or starting), claimed pods not counted.")
  private Integer replicas;

  @JsonPropertyDescription("Standby pods that are Ready to take a job.")
  private Integer readyReplicas;

  @JsonPropertyDescription("Pods of this pool currently claimed by a job.")
  private Integer claimed;

  @LabelSelector
  @JsonPropertyDescription("Label selector of the pool's standby pods, for the scale subresource and autoscalers.")
  private String selector;

  @JsonPropertyDescription("The generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Standard conditions of the pool (Ready).")
  private List<StatusCondition> conditions;

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public Integer getClaimed() {
    return claimed;
  }

  public void setClaimed(Integer claimed) {
    this.claimed = claimed;
  }

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<StatusCondition> getConditions() {
    return conditions;
  }

  public void setConditions(List<StatusCondition> conditions) {
    this.conditions = conditions;
  }
}
