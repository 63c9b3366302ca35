package io.infraworker.dev;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** Small lookups of the local machine: executables on PATH and free ports. */
public final class DevTools {
  private static final int PORT_SEARCH = 50;

  private DevTools() {}

  /** The first executable of that name on PATH. */
  public static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Arrays.stream(path.split(java.io.File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * The preferred port when it is free on the host, else the next free one above it (0 means any
   * free port). Checked by binding, so another process may still take it before we do.
   */
  public static int freePort(String host, int preferred) {
    if (preferred == 0) {
      return bindable(host, 0);
    }
    for (int port = preferred; port < preferred + PORT_SEARCH && port <= 65535; port++) {
      if (bindable(host, port) > 0) {
        return port;
      }
    }
    throw new IllegalStateException("no free port on " + host + " from " + preferred + " to "
        + (preferred + PORT_SEARCH - 1));
  }

  private static int bindable(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress(InetAddress.getByName(host), port));
      return socket.getLocalPort();
    } catch (IOException e) {
      return -1;
    }
  }
}
