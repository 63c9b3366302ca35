package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP front of the dev stack's mock API server that kubectl can use: discovery, Tables, plain HTTP
 * watches, strategic-merge and apply patches, the scale subresource and field selectors are handled
 * here; every other request goes to the mock unchanged. The operator keeps talking to the mock directly.
 */
public final class KubectlFacade implements AutoCloseable {
  private static final int THREADS = 32;
  private static final int QUEUE = 256;
  // Fewer watches than threads, so that watches never starve ordinary requests.
  private static final int MAX_WATCHES = THREADS / 2;

  private final HttpServer server;
  private final ThreadPoolExecutor executor;

  private KubectlFacade(HttpServer server, ThreadPoolExecutor executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts the façade.
   *
   * @param mockApiBaseUrl the mock API server, e.g. {@code http://127.0.0.1:6443}
   * @param bindAddress the address to listen on
   * @param port the port, 0 for any free one
   */
  public static KubectlFacade start(String mockApiBaseUrl, InetAddress bindAddress, int port) {
    ObjectMapper json = new ObjectMapper();
    MockApi mock = new MockApi(mockApiBaseUrl, json);
    ResourceCatalog catalog = new ResourceCatalog(mock);
    Responses responses = new Responses(json);
    PatchTranslator patches = new PatchTranslator(mock, json);
    ResourceHandler resources = new ResourceHandler(mock, catalog, new TableBuilder(json, Clock.systemUTC()),
        new WatchBridge(mock, responses, json, MAX_WATCHES), new ScaleSubresource(mock, responses, json),
        patches, new DryRun(mock, patches, responses, json), responses, json);
    FacadeHandler handler = new FacadeHandler(mock, catalog, new Discovery(json), new OpenApi(json), resources,
        responses, json);
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE), r -> {
          Thread t = new Thread(r, "kubectl-facade-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    executor.allowCoreThreadTimeOut(true);
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
      server.setExecutor(executor);
      server.createContext("/", handler);
      server.start();
      return new KubectlFacade(server, executor);
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException("cannot listen on " + bindAddress + ":" + port, e);
    }
  }

  /** The URL kubectl's kubeconfig should name, e.g. {@code http://127.0.0.1:8443}. */
  public String url() {
    InetSocketAddress address = server.getAddress();
    // Bound to every address, the server is reached on the loopback one; "0.0.0.0" is no place to connect to.
    String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
