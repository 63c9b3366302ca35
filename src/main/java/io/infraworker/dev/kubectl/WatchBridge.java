package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Serves kubectl's plain HTTP watch (a chunked stream of {@code {"type":..,"object":..}} lines) from the
 * mock's WebSocket watch, which is the only kind the mock speaks. The mock replays every stored object as
 * ADDED when a watch opens; those at or below the requested resourceVersion are dropped, since the client
 * has them from its list already.
 */
final class WatchBridge {
  // Compared by identity: a marker no frame from the mock can be.
  @SuppressWarnings("StringOperationCanBeSimplified")
  private static final String END = new String("end of watch");
  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
  // A lone newline between JSON values is whitespace to kubectl's stream decoder; writing it finds out
  // whether the client is still there, so a forgotten `kubectl get -w` does not hold a thread for long.
  private static final long HEARTBEAT_MILLIS = 10_000;

  private final MockApi mock;
  private final Responses responses;
  private final ObjectMapper json;
  private final Semaphore slots;

  WatchBridge(MockApi mock, Responses responses, ObjectMapper json, int maxWatches) {
    this.mock = mock;
    this.responses = responses;
    this.json = json;
    this.slots = new Semaphore(maxWatches);
  }

  /**
   * Streams the watch until the mock closes it, the client goes away or the timeout passes.
   *
   * @param render turns an event's object into what the client asked for (the object or a Table)
   */
  void serve(HttpExchange exchange, ApiRequest request, FieldSelector fields, Function<JsonNode, JsonNode> render)
      throws IOException {
    if (!slots.tryAcquire()) {
      responses.status(exchange, 429, "TooManyRequests", "too many watches open on the kubectl façade");
      return;
    }
    try {
      stream(exchange, request, fields, render);
    } finally {
      slots.release();
    }
  }

  private void stream(HttpExchange exchange, ApiRequest request, FieldSelector fields,
      Function<JsonNode, JsonNode> render) throws IOException {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    WebSocket socket;
    try {
      // The façade filters fields itself; the mock would read a metadata.name selector as a name filter only.
      socket = mock.watch(request.pathAndQuery(Set.of("fieldSelector", "timeoutSeconds")), new Collector(events))
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      responses.status(exchange, 503, "ServiceUnavailable", "cannot open a watch on the mock API server: " + e);
      return;
    }
    long sinceVersion = parseVersion(request.param("resourceVersion"));
    long deadline = System.nanoTime() + timeout(request).toNanos();
    exchange.getResponseHeaders().set("Content-Type", Responses.JSON);
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      out.flush();
      long remaining;
      while ((remaining = deadline - System.nanoTime()) > 0) {
        String frame = events.poll(Math.min(TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MILLIS), remaining),
            TimeUnit.NANOSECONDS);
        if (frame == null) {
          out.write('\n');
          out.flush();
          continue;
        }
        if (frame == END) {
          break;
        }
        Optional<byte[]> line = translate(frame, sinceVersion, fields, render);
        if (line.isPresent()) {
          out.write(line.get());
          out.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException clientGone) {
      // The client hung up; nothing to tell it.
    } finally {
      socket.abort();
      exchange.close();
    }
  }

  private Optional<byte[]> translate(String frame, long sinceVersion, FieldSelector fields,
      Function<JsonNode, JsonNode> render) throws IOException {
    JsonNode event = json.readTree(frame);
    JsonNode object = event.path("object");
    String type = event.path("type").asText();
    long version = parseVersion(object.path("metadata").path("resourceVersion").asText());
    if (type.equals("ADDED") && version <= sinceVersion) {
      return Optional.empty();
    }
    if (object.isObject() && !fields.matches(object)) {
      return Optional.empty();
    }
    ObjectNode out = json.createObjectNode().put("type", type);
    out.set("object", object.isObject() && !type.equals("ERROR") ? render.apply(object) : object);
    byte[] bytes = json.writeValueAsBytes(out);
    byte[] line = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, line, 0, bytes.length);
    line[bytes.length] = '\n';
    return Optional.of(line);
  }

  private static Duration timeout(ApiRequest request) {
    try {
      String seconds = request.param("timeoutSeconds");
      return seconds == null ? DEFAULT_TIMEOUT : Duration.ofSeconds(Math.max(1, Long.parseLong(seconds)));
    } catch (NumberFormatException e) {
      return DEFAULT_TIMEOUT;
    }
  }

  private static long parseVersion(String version) {
    try {
      return version == null || version.isEmpty() ? 0 : Long.parseLong(version);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Gathers the mock's text frames (which may arrive in parts) into whole events. */
  private static final class Collector implements WebSocket.Listener {
    private final BlockingQueue<String> events;
    private final StringBuilder partial = new StringBuilder();

    Collector(BlockingQueue<String> events) {
      this.events = events;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        events.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      events.add(END);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      events.add(END);
    }
  }
}
