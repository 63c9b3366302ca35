package io.infraworker.dev.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The readiness probe: one plain HTTP/1.0 {@code GET /healthz} per socket. A pooling HTTP client
 * would keep idle connections to every agent it ever probed; this leaves nothing open.
 */
final class HealthProbe {
  private static final int TIMEOUT_MS = 500;

  private HealthProbe() {}

  static boolean ok(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /healthz HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      return statusLine.matches("HTTP/1\\.[01] 200");
    } catch (IOException e) {
      return false;
    }
  }
}
