package io.infraworker.metrics;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes Kubernetes Events on jobs and pools so that {@code kubectl describe} tells their story. */
public class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "infra-worker";
  private static final int MAX_MESSAGE = 1024;

  /** Why an Event was written; the name is the Event's reason. */
  public enum Reason {
    ScaledUp,
    ScaledDown,
    PodReplaced,
    Claimed,
    NoCapacity,
    ColdStart,
    Started,
    Succeeded,
    Failed,
    TimedOut,
    Retrying
  }

  /** Normal or Warning, as Kubernetes defines them. */
  public enum Type {
    Normal,
    Warning
  }

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** Records an Event; a failure to write it is logged, never thrown, because Events are best effort. */
  public void record(HasMetadata about, Type type, Reason reason, String message) {
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    Event event = new EventBuilder()
        .withNewMetadata()
        .withName(about.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8)
            .toLowerCase(Locale.ROOT))
        .withNamespace(about.getMetadata().getNamespace())
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(about.getApiVersion())
            .withKind(about.getKind())
            .withName(about.getMetadata().getName())
            .withNamespace(about.getMetadata().getNamespace())
            .withUid(about.getMetadata().getUid())
            .build())
        .withType(type.name())
        .withReason(reason.name())
        .withMessage(text)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource()
        .withComponent(COMPONENT)
        .endSource()
        .withReportingComponent(COMPONENT)
        .build();
    try {
      client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn("could not record event {} on {}/{}: {}", reason, about.getKind(),
          about.getMetadata().getName(), e.getMessage());
    }
  }
}
