package io.infraworker.dev.kubectl;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A request to the façade: method, path, decoded query, headers and a size-bounded body. */
record ApiRequest(String method, String path, Map<String, String> query, Map<String, List<String>> headers,
    byte[] body) {

  /** Thrown when a body is larger than the façade accepts. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;
    TooLarge(int limit) {
      super("request body larger than " + limit + " bytes");
    }
  }

  static ApiRequest read(HttpExchange exchange, int maxBody) throws IOException {
    String rawQuery = exchange.getRequestURI().getRawQuery();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, new ArrayList<>(v)));
    return new ApiRequest(exchange.getRequestMethod().toUpperCase(), exchange.getRequestURI().getPath(),
        parseQuery(rawQuery), headers, readBounded(exchange.getRequestBody(), maxBody));
  }

  private static byte[] readBounded(InputStream in, int limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) > 0) {
      if (out.size() + n > limit) {
        throw new TooLarge(limit);
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        query.put(key, value);
      }
    }
    return query;
  }

  String header(String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  String param(String name) {
    return query.get(name);
  }

  boolean isWatch() {
    String watch = query.get("watch");
    return method.equals("GET") && ("true".equals(watch) || "1".equals(watch));
  }

  /** The path with the query, leaving out some parameters. */
  String pathAndQuery(Set<String> without) {
    StringBuilder sb = new StringBuilder(path);
    char sep = '?';
    for (Map.Entry<String, String> e : query.entrySet()) {
      if (!without.contains(e.getKey())) {
        sb.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
            .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        sep = '&';
      }
    }
    return sb.toString();
  }

  String pathAndQuery() {
    return pathAndQuery(Set.of());
  }
}
