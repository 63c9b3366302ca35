package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The façade's client of the mock API server: plain requests and WebSocket watches. */
final class MockApi {
  // The JDK client refuses to set these, and hop-by-hop headers must not travel through a proxy anyway.
  private static final Set<String> UNFORWARDED_HEADERS = Set.of("host", "connection", "content-length", "expect",
      "upgrade", "keep-alive", "transfer-encoding", "te", "trailer", "proxy-connection", "accept-encoding");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final HttpClient http;
  private final ObjectMapper json;

  MockApi(String baseUrl, ObjectMapper json) {
    this.base = URI.create(baseUrl.replaceAll("/+$", ""));
    this.json = json;
    // HTTP/1.1 only: the mock speaks nothing else, and the default would try an h2c upgrade first.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Sends a request as is; {@code pathAndQuery} starts with a slash. */
  HttpResponse<byte[]> send(String method, String pathAndQuery, Map<String, List<String>> headers,
      byte[] body) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(TIMEOUT)
        .method(method, body == null || body.length == 0
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach((name, values) -> {
      if (!UNFORWARDED_HEADERS.contains(name.toLowerCase())) {
        values.forEach(v -> request.header(name, v));
      }
    });
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while calling the mock API server", e);
    }
  }

  /** A JSON request with a JSON answer; the status code and body are left to the caller. */
  HttpResponse<byte[]> sendJson(String method, String pathAndQuery, String contentType, JsonNode body)
      throws IOException {
    return send(method, pathAndQuery,
        Map.of("Content-Type", List.of(contentType), "Accept", List.of("application/json")),
        body == null ? null : json.writeValueAsBytes(body));
  }

  /** GETs a path that must exist. */
  JsonNode get(String path) {
    try {
      HttpResponse<byte[]> response = sendJson("GET", path, "application/json", null);
      if (response.statusCode() != 200) {
        throw new IOException("GET " + path + " answered " + response.statusCode());
      }
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens the mock's WebSocket watch on a path with its query. */
  CompletableFuture<WebSocket> watch(String pathAndQuery, WebSocket.Listener listener) {
    URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + pathAndQuery);
    return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, listener);
  }
}
