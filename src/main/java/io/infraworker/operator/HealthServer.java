package io.infraworker.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Serves {@code /health} (the original worker's JSON), {@code /healthz} (liveness) and {@code /readyz}. */
public class HealthServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * Starts the server.
   *
   * @param port the port, 0 for any free one
   * @param report the body of {@code /health}
   * @param ready whether {@code /readyz} answers 200
   */
  public HealthServer(int port, Supplier<Map<String, Object>> report, BooleanSupplier ready)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    // Two threads are enough for probes; a bounded pool keeps a probe storm from growing threads.
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "health-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/healthz", ex -> send(ex, 200, "text/plain", "ok"));
    server.createContext("/readyz", ex -> {
      boolean isReady = ready.getAsBoolean();
      send(ex, isReady ? 200 : 503, "text/plain", isReady ? "ready" : "not ready");
    });
    server.createContext("/health", ex -> {
      Map<String, Object> body = report.get();
      int code = "healthy".equals(body.get("status")) ? 200 : 503;
      send(ex, code, "application/json", json.writeValueAsString(body));
    });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void send(HttpExchange exchange, int code, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
