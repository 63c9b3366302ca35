package io.infraworker.execution.agent;

import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The operator's side of the in-pod agent's HTTP protocol (runtimes/agent/README.md). Failures are
 * {@link AgentException}s: {@link AgentUnreachableException} when the agent is gone,
 * {@link AgentRejectedException} when it refused the call.
 */
public interface AgentClient {
  /** {@code PUT /v1/code}: uploads the (already checked) code zip; once per pod, a second PUT is a 409. */
  void putCode(AgentEndpoint ep, byte[] zip);

  /**
   * {@code POST /v1/run}: starts the function and returns at once; the future completes with the result
   * when the run ends, or exceptionally with an {@link AgentException}. The agent goes on running if
   * this future is cancelled or the connection drops: {@link #awaitResult} re-attaches. The call
   * returns before the request has necessarily reached the agent, so an immediate {@link #awaitResult}
   * may still see {@link AgentRunNotStartedException}; a second {@code run} on the pod is a 409.
   */
  CompletableFuture<AgentResult> run(AgentEndpoint ep, RunRequest request);

  /**
   * {@code GET /v1/run?waitMs=}: the result if the run ends within {@code wait} (capped at 60 s by the
   * agent), empty while it is still running.
   *
   * @throws AgentRunNotStartedException the pod never started a run
   */
  Optional<AgentResult> awaitResult(AgentEndpoint ep, Duration wait);

  /** {@code GET /v1/outputs}: the output files as a zip stream, which the caller must close. */
  InputStream outputs(AgentEndpoint ep);

  /** {@code GET /healthz} answered 200 within a short timeout; never throws. */
  boolean healthy(AgentEndpoint ep);
}
