package io.infraworker.execution.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real {@link AgentClient}: one shared {@link HttpClient} (HTTP/1.1, a few threads, no thread per
 * run: a run's answer is awaited without blocking anyone) and bounded response bodies. Close it at
 * shutdown to stop its threads. Dependent stages of {@link #run}'s future that are not {@code *Async}
 * run on this client's threads, so keep them short.
 */
public final class HttpAgentClient implements AgentClient, AutoCloseable {
  public static final int DEFAULT_THREADS = 4;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** For PUT /v1/code (extraction of up to 256 MiB) and the start of GET /v1/outputs. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
  /**
   * Added to timeoutMs for POST /v1/run: the agent kills at timeoutMs, then waits up to 2 s for the
   * pipes, lists the outputs and writes up to 2 x 64 MiB of output.
   */
  public static final Duration DEFAULT_RUN_GRACE = Duration.ofSeconds(10);
  /** Added to waitMs for GET /v1/run: the agent answers as soon as the wait is over. */
  private static final Duration RESPONSE_SLACK = Duration.ofSeconds(5);
  private static final long MAX_WAIT_MS = 60_000;
  private static final long MAX_TIMEOUT_MS = Duration.ofDays(1).toMillis();
  private static final long ERROR_BODY_LIMIT = 64 * 1024;
  private static final int MAX_MESSAGE_CHARS = 2000;
  private static final String RUN = "POST /v1/run";

  private final HttpClient http;
  private final ExecutorService executor;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final Duration runGrace;
  private final ObjectMapper json = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public HttpAgentClient() {
    this(DEFAULT_THREADS, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_RUN_GRACE);
  }

  public HttpAgentClient(int threads, Duration connectTimeout, Duration requestTimeout, Duration runGrace) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.runGrace = runGrace;
    this.executor = Executors.newFixedThreadPool(threads, daemonThreads());
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor)
        .build();
  }

  @Override
  public void putCode(AgentEndpoint ep, byte[] zip) {
    String call = "PUT /v1/code";
    HttpRequest request = authorized(ep, "/v1/code")
        .timeout(requestTimeout)
        .header("Content-Type", "application/zip")
        .PUT(BodyPublishers.ofByteArray(zip))
        .build();
    HttpResponse<byte[]> response = send(ep, call, request, ERROR_BODY_LIMIT);
    if (response.statusCode() != 200) {
      throw failure(ep, call, response.statusCode(), response.body());
    }
  }

  @Override
  public CompletableFuture<AgentResult> run(AgentEndpoint ep, RunRequest runRequest) {
    HttpRequest request = authorized(ep, "/v1/run")
        .timeout(Duration.ofMillis(Math.min(runRequest.timeoutMs(), MAX_TIMEOUT_MS)).plus(runGrace))
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofByteArray(toJson(runRequest)))
        .build();
    CompletableFuture<HttpResponse<byte[]>> sent =
        http.sendAsync(request, BoundedBodySubscriber.handler(resultLimit(runRequest.effectiveMaxOutputBytes())));
    CompletableFuture<AgentResult> result = sent.handle((response, error) -> {
      if (error != null) {
        throw transportFailure(ep, RUN, error);
      }
      if (response.statusCode() != 200) {
        throw failure(ep, RUN, response.statusCode(), response.body());
      }
      return parseResult(ep, RUN, response.body());
    });
    // A caller that gives up frees the connection; the agent's run goes on regardless.
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) {
        sent.cancel(true);
      }
    });
    return result;
  }

  @Override
  public Optional<AgentResult> awaitResult(AgentEndpoint ep, Duration wait) {
    long waitMs = Math.max(0, Math.min(wait.toMillis(), MAX_WAIT_MS));
    String call = "GET /v1/run";
    HttpRequest request = authorized(ep, "/v1/run?waitMs=" + waitMs)
        .timeout(Duration.ofMillis(waitMs).plus(RESPONSE_SLACK))
        .GET()
        .build();
    HttpResponse<byte[]> response = send(ep, call, request, resultLimit(RunRequest.MAX_OUTPUT_BYTES));
    return switch (response.statusCode()) {
      case 200 -> Optional.of(parseResult(ep, call, response.body()));
      case 202 -> Optional.empty();
      default -> throw failure(ep, call, response.statusCode(), response.body());
    };
  }

  @Override
  public InputStream outputs(AgentEndpoint ep) {
    String call = "GET /v1/outputs";
    HttpRequest request = authorized(ep, "/v1/outputs").timeout(requestTimeout).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(call + " to agent " + ep.address() + " interrupted", e);
    } catch (IOException e) {
      throw transportFailure(ep, call, e);
    }
    if (response.statusCode() == 200) {
      return response.body();
    }
    byte[] body;
    try (InputStream in = response.body()) {
      body = in.readNBytes((int) ERROR_BODY_LIMIT);
    } catch (IOException e) {
      body = new byte[0];
    }
    throw failure(ep, call, response.statusCode(), body);
  }

  @Override
  public boolean healthy(AgentEndpoint ep) {
    HttpRequest request = HttpRequest.newBuilder(ep.uri("/healthz")).timeout(connectTimeout).GET().build();
    try {
      return http.send(request, BoundedBodySubscriber.handler(ERROR_BODY_LIMIT)).statusCode() == 200;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the client's threads; calls still in flight fail. */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  /**
   * The largest result JSON the agent can send for this output cap: Go's encoder may escape a byte as
   * six ({@code \u003c}) and there are two streams, plus room for the outputs list.
   */
  static long resultLimit(long maxOutputBytesPerStream) {
    return 2 * 6 * maxOutputBytesPerStream + 16L * 1024 * 1024;
  }

  private HttpRequest.Builder authorized(AgentEndpoint ep, String pathAndQuery) {
    return HttpRequest.newBuilder(ep.uri(pathAndQuery)).header("Authorization", "Bearer " + ep.token());
  }

  private HttpResponse<byte[]> send(AgentEndpoint ep, String call, HttpRequest request, long bodyLimit) {
    try {
      return http.send(request, BoundedBodySubscriber.handler(bodyLimit));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(call + " to agent " + ep.address() + " interrupted", e);
    } catch (IOException e) {
      throw transportFailure(ep, call, e);
    }
  }

  private byte[] toJson(RunRequest request) {
    try {
      return json.writeValueAsBytes(request);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("run request cannot be serialised: " + e.getOriginalMessage(), e);
    }
  }

  private AgentResult parseResult(AgentEndpoint ep, String call, byte[] body) {
    AgentResult result;
    try {
      result = json.readValue(body, AgentResult.class);
    } catch (IOException e) {
      throw new AgentException("agent " + ep.address() + " answered " + call + " with an unreadable result: "
          + e.getMessage(), 200, null, e);
    }
    if (result == null || result.status() == null) {
      throw new AgentException("agent " + ep.address() + " answered " + call + " with a result without a status",
          200, null, null);
    }
    return result;
  }

  private static AgentException transportFailure(AgentEndpoint ep, String call, Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof AgentException agent) {
      return agent;
    }
    // The synchronous send() rethrows a copy carrying the caller's stack, with the original as its cause.
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof BoundedBodySubscriber.TooLargeException) {
        return new AgentException("agent " + ep.address() + " answered " + call + " with a " + t.getMessage(), t);
      }
    }
    if (cause instanceof IOException) {
      // Refused, reset, EOF mid-answer, or timed out: in every case the pod cannot be trusted to answer.
      return new AgentUnreachableException("agent " + ep.address() + " unreachable for " + call + ": "
          + describe(cause), cause);
    }
    return new AgentException(call + " to agent " + ep.address() + " failed: " + describe(cause), cause);
  }

  private AgentException failure(AgentEndpoint ep, String call, int status, byte[] body) {
    String agentError = errorMessage(body);
    String message = "agent " + ep.address() + " answered " + call + " with " + status + ": " + agentError;
    if (status == 404 && call.equals("GET /v1/run")) {
      return new AgentRunNotStartedException(message, agentError);
    }
    if (status >= 400 && status < 500) {
      return new AgentRejectedException(message, status, agentError);
    }
    return new AgentException(message, status, agentError, null);
  }

  /** The {@code error} field of the agent's error JSON, else the body as text; cut short for messages. */
  private String errorMessage(byte[] body) {
    String text = null;
    try {
      JsonNode node = json.readTree(body);
      if (node != null && node.path("error").isTextual()) {
        text = node.get("error").asText();
      }
    } catch (IOException e) {
      // Not JSON (a proxy's page, say): the raw text below will do.
    }
    if (text == null) {
      text = new String(body, StandardCharsets.UTF_8).strip();
    }
    return text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) + "..." : text;
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "agent-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
