package io.infraworker.execution.agent;

import io.infraworker.dev.DevTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The real agent binary (runtimes/agent/bin/agent) as a subprocess on a free local port. */
final class AgentProcess implements AutoCloseable {
  private static final Path REPO = Path.of(System.getProperty("user.dir"));
  private static final Path BINARY = REPO.resolve("runtimes/agent/bin/agent");
  private static volatile String pythonDir;

  private final Process process;
  private final AgentEndpoint endpoint;
  private final Path log;

  private AgentProcess(Process process, AgentEndpoint endpoint, Path log) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
  }

  static AgentProcess start(Path dir, String token) throws IOException, InterruptedException {
    ensureBinary();
    int port = DevTools.freePort("127.0.0.1", 0);
    Path workspace = Files.createDirectories(dir.resolve("workspace"));
    Path log = dir.resolve("agent.log");
    ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), "serve")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("AGENT_LISTEN", "127.0.0.1:" + port);
    pb.environment().put("AGENT_TOKEN", token);
    pb.environment().put("WORKSPACE_DIR", workspace.toString());
    pb.environment().put("SDK_DIR", REPO.resolve("runtimes/sdk").toString());
    // python3 on PATH is a pyenv shim that costs ~1 s per start; put the real interpreter first.
    pb.environment().put("PATH", python() + ":" + System.getenv("PATH"));
    AgentProcess agent = new AgentProcess(pb.start(), new AgentEndpoint("127.0.0.1", port, token), log);
    agent.awaitHealthy();
    return agent;
  }

  AgentEndpoint endpoint() {
    return endpoint;
  }

  AgentEndpoint endpointWithToken(String token) {
    return new AgentEndpoint(endpoint.host(), endpoint.port(), token);
  }

  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(5, TimeUnit.SECONDS);
  }

  /** Sends a signal by name, e.g. STOP to make the agent hang like a frozen pod. */
  void signal(String name) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }

  private void awaitHealthy() throws InterruptedException, IOException {
    try (HttpAgentClient client = new HttpAgentClient()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!client.healthy(endpoint)) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          kill();
          throw new IllegalStateException("agent did not become healthy: " + log());
        }
        Thread.sleep(20);
      }
    }
  }

  private static synchronized void ensureBinary() throws IOException, InterruptedException {
    if (Files.isExecutable(BINARY)) {
      return;
    }
    Process make = new ProcessBuilder("make", "-C", REPO.resolve("runtimes/agent").toString(), "build")
        .redirectErrorStream(true).start();
    String out = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (make.waitFor() != 0 || !Files.isExecutable(BINARY)) {
      throw new IllegalStateException("building the agent failed: " + out);
    }
  }

  private static String python() {
    String dir = pythonDir;
    if (dir == null) {
      dir = "";
      try {
        Process p = new ProcessBuilder("pyenv", "which", "python3").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() == 0 && Files.isExecutable(Path.of(out))) {
          dir = Path.of(out).getParent().toString();
        }
      } catch (IOException e) {
        // No pyenv: the plain PATH will do.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      pythonDir = dir;
    }
    return dir;
  }
}
