package io.infraworker.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev stack's Redis: {@code redis-server} from PATH, or the binary that embedded-redis ships when
 * there is none; either runs as a child process that dies with the stack.
 */
public final class LocalRedis implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalRedis.class);

  private final Process process;
  private final redis.embedded.RedisServer embedded;
  private final String host;
  private final int port;
  private final String source;

  private LocalRedis(Process process, redis.embedded.RedisServer embedded, String host, int port, String source) {
    this.process = process;
    this.embedded = embedded;
    this.host = host;
    this.port = port;
    this.source = source;
  }

  /** Starts Redis on host:port with no persistence, its files under {@code dir}. */
  public static LocalRedis start(String host, int port, Path dir) {
    try {
      Files.createDirectories(dir);
      Optional<Path> binary = DevTools.onPath("redis-server");
      if (binary.isPresent()) {
        Process process = new ProcessBuilder(binary.get().toString(),
            "--bind", host, "--port", String.valueOf(port), "--save", "", "--appendonly", "no",
            "--dir", dir.toAbsolutePath().toString(), "--daemonize", "no", "--protected-mode", "no")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
        LocalRedis redis = new LocalRedis(process, null, host, port, binary.get().toString());
        redis.awaitListening();
        return redis;
      }
      LOG.info("redis-server is not on PATH; using the embedded-redis binary");
      redis.embedded.RedisServer server = redis.embedded.RedisServer.newRedisServer()
          .bind(host).port(port).setting("save \"\"").setting("appendonly no").build();
      server.start();
      LocalRedis redis = new LocalRedis(null, server, host, port, "embedded-redis");
      redis.awaitListening();
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitListening() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new IOException("redis-server exited with " + process.exitValue() + " (port " + port + ")");
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for Redis", e);
        }
      }
    }
    close();
    throw new IOException("Redis did not listen on " + host + ":" + port + " within 10 s");
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** What runs: the path of redis-server, or {@code embedded-redis}. */
  public String source() {
    return source;
  }

  /** The PIDs of the Redis processes, for tests that check nothing is left behind. */
  public List<Long> pids() {
    return process == null ? List.of() : List.of(process.pid());
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    if (embedded != null) {
      try {
        embedded.stop();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
