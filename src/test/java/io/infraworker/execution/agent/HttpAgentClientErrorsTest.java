package io.infraworker.execution.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Answers the real agent never gives (5xx, junk, huge bodies), from a stub server. */
class HttpAgentClientErrorsTest {
  private final AtomicReference<Reply> reply = new AtomicReference<>();
  private HttpServer server;
  private HttpAgentClient client;
  private AgentEndpoint ep;

  private record Reply(int status, byte[] body) {}

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      Reply r = reply.get();
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(r.body());
      }
    });
    server.start();
    client = new HttpAgentClient();
    ep = new AgentEndpoint("127.0.0.1", server.getAddress().getPort(), "t");
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
  }

  private void answer(int status, String body) {
    reply.set(new Reply(status, body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void serverErrorsKeepTheAgentsMessage() {
    answer(500, "{\"error\": \"disk full\"}");

    assertThatThrownBy(() -> client.putCode(ep, new byte[] {1}))
        .isExactlyInstanceOf(AgentException.class)
        .hasMessage("agent " + ep.address() + " answered PUT /v1/code with 500: disk full")
        .satisfies(e -> assertThat(((AgentException) e).statusCode()).isEqualTo(500));
  }

  @Test
  void nonJsonErrorBodiesAreQuotedAsText() {
    answer(413, "too big\n");

    assertThatThrownBy(() -> client.putCode(ep, new byte[] {1}))
        .isInstanceOf(AgentRejectedException.class)
        .satisfies(e -> assertThat(((AgentException) e).agentError()).isEqualTo("too big"));
  }

  @Test
  void unreadableResultIsAnAgentErrorNotUnreachable() {
    answer(200, "{\"status\": \"exploded\"}");
    assertThatThrownBy(() -> client.awaitResult(ep, Duration.ZERO))
        .isExactlyInstanceOf(AgentException.class).hasMessageContaining("unreadable result");

    answer(200, "{\"stdout\": \"no status\"}");
    assertThatThrownBy(() -> client.awaitResult(ep, Duration.ZERO))
        .isExactlyInstanceOf(AgentException.class).hasMessageContaining("without a status");
  }

  @Test
  void oversizedBodyIsCutOff() {
    // Error bodies are capped at 64 KiB.
    reply.set(new Reply(400, new byte[200 * 1024]));

    assertThatThrownBy(() -> client.putCode(ep, new byte[] {1}))
        .isExactlyInstanceOf(AgentException.class).hasMessageContaining("over the 65536 byte limit");
  }

  @Test
  void ignoresUnknownResultFields() {
    answer(200, "{\"status\": \"oom\", \"exitCode\": null, \"oomKilled\": true, \"peakMemoryBytes\": 134217728,"
        + " \"future\": {\"x\": 1}, \"outputs\": [{\"path\": \"a\", \"size\": 1}]}");

    AgentResult r = client.awaitResult(ep, Duration.ZERO).orElseThrow();

    assertThat(r.status()).isEqualTo(AgentStatus.OOM);
    assertThat(r.oomKilled()).isTrue();
    assertThat(r.peakMemoryBytes()).isEqualTo(134217728L);
    assertThat(r.cpuMs()).isNull();
    assertThat(r.outputs()).containsExactly(new OutputFile("a", 1));
    assertThat(r.skippedOutputs()).isEmpty();
    assertThat(r.stdout()).isEmpty();
  }
}
