package io.infraworker.intake;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.infraworker.api.ExecutionJob;
import io.infraworker.api.ExecutionJobSpec;
import io.infraworker.api.JobNames;
import io.infraworker.pool.Labels;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Creates the ExecutionJob of a validated task, idempotently: the name comes from the requestId. */
public final class JobCreator {
  public static final String ANNOTATION_REQUEST_ID = Labels.PREFIX + "request-id";
  /** When SQS accepted the message (its SentTimestamp), RFC 3339. */
  public static final String ANNOTATION_SENT_AT = Labels.PREFIX + "sent-at";
  /** When this operator received the message, RFC 3339. */
  public static final String ANNOTATION_RECEIVED_AT = Labels.PREFIX + "received-at";

  /** What a create call came to. */
  public enum Outcome {
    /** The job is new. */
    CREATED,
    /** A job of that name exists already: the message is a redelivery. */
    ALREADY_EXISTS
  }

  private final KubernetesClient client;
  private final String namespace;
  private final Clock clock;

  public JobCreator(KubernetesClient client, String namespace, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Creates the job of {@code spec}.
   *
   * @param sentAt the message's SentTimestamp, when SQS gave one
   * @throws KubernetesClientException on any API error but AlreadyExists; the caller must then keep
   *     the message so that SQS delivers it again
   */
  public Outcome create(ExecutionJobSpec spec, Optional<Instant> sentAt) {
    ExecutionJob job = build(spec, sentAt);
    try {
      client.resources(ExecutionJob.class).inNamespace(namespace).resource(job).create();
      return Outcome.CREATED;
    } catch (KubernetesClientException e) {
      // On a create, 409 can only mean AlreadyExists. The existing job is trusted as is: the same
      // requestId is the same task, and its spec is immutable anyway.
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return Outcome.ALREADY_EXISTS;
      }
      throw e;
    }
  }

  /** The resource {@link #create} sends, visible to tests and to dry runs. */
  ExecutionJob build(ExecutionJobSpec spec, Optional<Instant> sentAt) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    labels.put(Labels.RUNTIME, spec.getRuntime().wireName());

    // The requestId can hold ':' and be 128 chars long, which no label value allows: hence an
    // annotation, with the full id next to the hashed name.
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(ANNOTATION_REQUEST_ID, spec.getRequestId());
    sentAt.ifPresent(t -> annotations.put(ANNOTATION_SENT_AT, rfc3339(t)));
    annotations.put(ANNOTATION_RECEIVED_AT, rfc3339(clock.instant()));

    ExecutionJob job = new ExecutionJob();
    job.setMetadata(new ObjectMetaBuilder()
        .withName(JobNames.forRequestId(spec.getRequestId()))
        .withNamespace(namespace)
        .withLabels(labels)
        .withAnnotations(annotations)
        .build());
    job.setSpec(spec);
    return job;
  }

  // Instant.toString is ISO 8601 in UTC with a 'Z', which is RFC 3339; millis are what SQS has.
  private static String rfc3339(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
