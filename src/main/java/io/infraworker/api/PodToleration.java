package io.infraworker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Toleration;

/** A pod toleration for a pool's pods, declared here so that every field is described in the CRD. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodToleration {
  @JsonPropertyDescription("Taint key the toleration applies to; empty with operator Exists matches all keys.")
  private String key;

  @JsonPropertyDescription("Exists or Equal (default Equal).")
  private String operator;

  @JsonPropertyDescription("Taint value to match when the operator is Equal.")
  private String value;

  @JsonPropertyDescription("Taint effect to match: NoSchedule, PreferNoSchedule or NoExecute; empty matches all.")
  private String effect;

  @JsonPropertyDescription("For NoExecute: how long the pod stays bound after the taint appears, in seconds.")
  private Long tolerationSeconds;

  /** The Kubernetes form of this toleration. */
  public Toleration toKubernetes() {
    return new Toleration(effect, key, operator, tolerationSeconds, value);
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getOperator() {
    return operator;
  }

  public void setOperator(String operator) {
    this.operator = operator;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }

  public String getEffect() {
    return effect;
  }

  public void setEffect(String effect) {
    this.effect = effect;
  }

  public Long getTolerationSeconds() {
    return tolerationSeconds;
  }

  public void setTolerationSeconds(Long tolerationSeconds) {
    this.tolerationSeconds = tolerationSeconds;
  }
}
