package io.infraworker.dev;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import scala.concurrent.Await;
import scala.concurrent.duration.Duration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The dev stack's SQS: ElasticMQ, embedded, speaking the real SQS protocol, with the task queue and
 * a dead-letter queue behind a redrive policy.
 */
public final class LocalSqs implements AutoCloseable {
  public static final String TASK_QUEUE = "infra-worker-tasks";
  public static final String DEAD_LETTER_QUEUE = "infra-worker-tasks-dlq";
  public static final int MAX_RECEIVE_COUNT = 5;
  static final String ACCOUNT_ID = "000000000000";

  private final ActorSystem actorSystem;
  private final SQSRestServer server;
  private final URI endpoint;
  private final String queueUrl;
  private final String deadLetterQueueUrl;

  private LocalSqs(ActorSystem actorSystem, SQSRestServer server, URI endpoint, String queueUrl, String dlqUrl) {
    this.actorSystem = actorSystem;
    this.server = server;
    this.endpoint = endpoint;
    this.queueUrl = queueUrl;
    this.deadLetterQueueUrl = dlqUrl;
  }

  /** Starts ElasticMQ on host:port and creates the queues through the SQS API, as a user would. */
  public static LocalSqs start(String host, int port, String region, DevCredentials credentials) {
    ActorSystem actorSystem = ActorSystem.create("elasticmq-" + port);
    SQSRestServer server;
    try {
      server = SQSRestServerBuilder.withActorSystem(actorSystem)
          .withInterface(host)
          .withPort(port)
          .withServerAddress(new NodeAddress("http", host, port, ""))
          .withAWSRegion(region)
          .withAWSAccountId(ACCOUNT_ID)
          .start();
      server.waitUntilStarted();
    } catch (RuntimeException e) {
      actorSystem.terminate();
      throw e;
    }
    URI endpoint = URI.create("http://" + host + ":" + port);
    try (SqsClient sqs = client(endpoint, region, credentials)) {
      String dlqUrl = sqs.createQueue(b -> b.queueName(DEAD_LETTER_QUEUE)).queueUrl();
      String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
          .attributes().get(QueueAttributeName.QUEUE_ARN);
      String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + MAX_RECEIVE_COUNT + "\"}";
      String queueUrl = sqs.createQueue(b -> b.queueName(TASK_QUEUE)
          .attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive))).queueUrl();
      return new LocalSqs(actorSystem, server, endpoint, queueUrl, dlqUrl);
    } catch (RuntimeException e) {
      stop(server, actorSystem);
      throw e;
    }
  }

  /** An SQS client of a dev stack at this endpoint. */
  public static SqsClient client(URI endpoint, String region, DevCredentials credentials) {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.of(region))
        .credentialsProvider(credentials.provider())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  public URI endpoint() {
    return endpoint;
  }

  public String queueUrl() {
    return queueUrl;
  }

  public String deadLetterQueueUrl() {
    return deadLetterQueueUrl;
  }

  @Override
  public void close() {
    stop(server, actorSystem);
  }

  private static void stop(SQSRestServer server, ActorSystem actorSystem) {
    try {
      Await.result(server.stopAndGetFuture().apply(), Duration.create(15, TimeUnit.SECONDS));
    } catch (Exception e) {
      // fall through: terminating the actor system below frees the port in any case
    } finally {
      try {
        Await.result(actorSystem.terminate(), Duration.create(15, TimeUnit.SECONDS));
      } catch (Exception ignored) {
        // best effort on shutdown
      }
    }
  }
}
