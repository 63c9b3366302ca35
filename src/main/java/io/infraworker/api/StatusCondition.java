package io.infraworker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A standard Kubernetes condition, declared here so that every field is described in the CRDs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StatusCondition {
  @JsonPropertyDescription("Kind of condition, e.g. Ready or Succeeded.")
  private String type;

  @JsonPropertyDescription("True, False or Unknown.")
  private String status;

  @JsonPropertyDescription("Machine-readable reason of the last transition.")
  private String reason;

  @JsonPropertyDescription("Human-readable detail of the last transition.")
  private String message;

  @JsonPropertyDescription("When the status last changed (RFC 3339).")
  private String lastTransitionTime;

  @JsonPropertyDescription("The generation of the spec the condition was set for.")
  private Long observedGeneration;

  public StatusCondition() {}

  public StatusCondition(String type, String status, String reason, String message,
      String lastTransitionTime, Long observedGeneration) {
    this.type = type;
    this.status = status;
    this.reason = reason;
    this.message = message;
    this.lastTransitionTime = lastTransitionTime;
    this.observedGeneration = observedGeneration;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof StatusCondition c)) {
      return false;
    }
    return Objects.equals(type, c.type) && Objects.equals(status, c.status)
        && Objects.equals(reason, c.reason) && Objects.equals(message, c.message)
        && Objects.equals(lastTransitionTime, c.lastTransitionTime)
        && Objects.equals(observedGeneration, c.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, status, reason, message, lastTransitionTime, observedGeneration);
  }
}
