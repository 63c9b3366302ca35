package io.infraworker.execution.agent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.zip.ZipOutputStream;

/**
 * An in-memory {@link AgentClient} for reconciler tests, with the agent's per-pod rules (code once, run
 * once, 404/409 as the real one) and failure switches: {@link #setUnreachable}, {@link #failNext}, a
 * programmable result, and {@link #holdRuns()} to keep runs going until {@link #releaseRuns()}.
 */
public final class TestingAgentClient implements AgentClient {
  /** What one pod's fake agent has seen. */
  public static final class Pod {
    private volatile byte[] code;
    private volatile RunRequest request;
    private volatile CompletableFuture<AgentResult> run;

    public Optional<byte[]> code() {
      return Optional.ofNullable(code);
    }

    public Optional<RunRequest> request() {
      return Optional.ofNullable(request);
    }

    public boolean running() {
      CompletableFuture<AgentResult> r = run;
      return r != null && !r.isDone();
    }
  }

  private final Map<String, Pod> pods = new ConcurrentHashMap<>();
  private final Map<CompletableFuture<AgentResult>, RunRequest> requests = new ConcurrentHashMap<>();
  private final List<CompletableFuture<AgentResult>> held = new ArrayList<>();
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean unreachable;
  private volatile boolean holding;
  private final AtomicReference<AgentException> nextFailure = new AtomicReference<>();
  private volatile Function<RunRequest, AgentResult> results = r -> result(AgentStatus.OK, 0, "");
  private volatile byte[] outputsZip = emptyZip();

  /** Every call fails with {@link AgentUnreachableException} (running runs too), and healthz is false. */
  public synchronized void setUnreachable(boolean unreachable) {
    this.unreachable = unreachable;
    if (unreachable) {
      for (CompletableFuture<AgentResult> f : held) {
        f.completeExceptionally(new AgentUnreachableException("fake agent unreachable", null));
      }
      held.clear();
    }
  }

  /** The next call (of any kind) fails with this exception. */
  public void failNext(AgentException e) {
    nextFailure.set(e);
  }

  /** The result of every run from now on. */
  public void setResult(AgentResult result) {
    results = r -> result;
  }

  /** The result of every run, computed from its request. */
  public void setResults(Function<RunRequest, AgentResult> results) {
    this.results = results;
  }

  /** The zip bytes every {@code outputs} call streams. */
  public void setOutputs(byte[] zip) {
    outputsZip = zip.clone();
  }

  /** Runs started from now on stay running until {@link #releaseRuns()}. */
  public synchronized void holdRuns() {
    holding = true;
  }

  /** Ends every held run with the programmed result and stops holding. */
  public synchronized void releaseRuns() {
    holding = false;
    for (CompletableFuture<AgentResult> f : held) {
      f.complete(resultFor(f));
    }
    held.clear();
  }

  /** Waits until {@code n} runs are held, for tests that act while a job runs. */
  public boolean awaitHeldRuns(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      synchronized (this) {
        if (held.size() >= n) {
          return true;
        }
      }
      TimeUnit.MILLISECONDS.sleep(5);
    }
    return false;
  }

  /** The fake agent of this endpoint (host:port), created on first use. */
  public Pod pod(AgentEndpoint ep) {
    return pods.computeIfAbsent(ep.address(), a -> new Pod());
  }

  /** Calls in order, e.g. {@code "PUT /v1/code 10.0.0.1:8080"}. */
  public List<String> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** A typical result with a status, exit code and stdout; the rest empty. */
  public static AgentResult result(AgentStatus status, Integer exitCode, String stdout) {
    return new AgentResult(status, exitCode, null, 10L, null, stdout, "", stdout.length(), 0, false,
        64L * 1024 * 1024, "cgroup-v2-memory.peak", status == AgentStatus.OOM, 5L, List.of(), List.of(),
        status == AgentStatus.OK ? "" : "failed", "2026-01-02T03:04:05.000Z", "2026-01-02T03:04:05.010Z");
  }

  @Override
  public void putCode(AgentEndpoint ep, byte[] zip) {
    enter("PUT /v1/code", ep);
    Pod pod = pod(ep);
    synchronized (pod) {
      if (pod.code != null) {
        throw new AgentRejectedException("fake agent answered PUT /v1/code with 409", 409,
            "code already uploaded (only once per pod)");
      }
      pod.code = zip.clone();
    }
  }

  @Override
  public CompletableFuture<AgentResult> run(AgentEndpoint ep, RunRequest request) {
    try {
      enter("POST /v1/run", ep);
    } catch (AgentException e) {
      return CompletableFuture.failedFuture(e);
    }
    Pod pod = pod(ep);
    CompletableFuture<AgentResult> run = new CompletableFuture<>();
    synchronized (pod) {
      if (pod.code == null) {
        return CompletableFuture.failedFuture(new AgentRejectedException("fake agent answered POST /v1/run with 409",
            409, "no code uploaded yet (PUT /v1/code first)"));
      }
      if (pod.run != null) {
        return CompletableFuture.failedFuture(new AgentRejectedException("fake agent answered POST /v1/run with 409",
            409, "the function has already been run (only once per pod); GET /v1/run returns its result"));
      }
      pod.request = request;
      pod.run = run;
    }
    requests.put(run, request);
    synchronized (this) {
      if (holding) {
        held.add(run);
        return run.copy();
      }
    }
    run.complete(resultFor(run));
    return run.copy();
  }

  private AgentResult resultFor(CompletableFuture<AgentResult> run) {
    return results.apply(requests.remove(run));
  }

  @Override
  public Optional<AgentResult> awaitResult(AgentEndpoint ep, Duration wait) {
    enter("GET /v1/run", ep);
    CompletableFuture<AgentResult> run = pod(ep).run;
    if (run == null) {
      throw new AgentRunNotStartedException("fake agent answered GET /v1/run with 404", "no run has been started");
    }
    try {
      return Optional.of(run.get(Math.max(0, Math.min(wait.toMillis(), 60_000)), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof AgentException a ? a : new AgentException("run failed", e.getCause());
    }
  }

  @Override
  public InputStream outputs(AgentEndpoint ep) {
    enter("GET /v1/outputs", ep);
    if (pod(ep).running()) {
      throw new AgentRejectedException("fake agent answered GET /v1/outputs with 409", 409, "the function is running");
    }
    return new ByteArrayInputStream(outputsZip);
  }

  @Override
  public boolean healthy(AgentEndpoint ep) {
    calls.add("GET /healthz " + ep.address());
    return !unreachable;
  }

  private void enter(String call, AgentEndpoint ep) {
    calls.add(call + " " + ep.address());
    if (unreachable) {
      throw new AgentUnreachableException("fake agent " + ep.address() + " unreachable for " + call, null);
    }
    AgentException failure = nextFailure.getAndSet(null);
    if (failure != null) {
      throw failure;
    }
  }

  private static byte[] emptyZip() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      new ZipOutputStream(bytes).close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
