package io.infraworker.dev;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * The Kubernetes API of the dev stack and of the tests: Fabric8's mock server in CRUD mode with the
 * project's CRDs installed. It is the one stand-in of the project, because no API server runs here.
 */
public final class MockKubernetesApi implements AutoCloseable {
  /** The CRD files, as committed under {@code crds/} and packaged into the jar. */
  public static final List<String> CRD_RESOURCES =
      List.of("/crds/executionjobs.infraworker.io-v1.yml", "/crds/warmpools.infraworker.io-v1.yml");

  private static final String SELF_SUBJECT_RULES_REVIEWS =
      "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

  private static final java.util.logging.Logger QUIET =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;

  private MockKubernetesApi(KubernetesMockServer server) {
    this.server = server;
  }

  /** Starts the server on the address and port (0 for any free port), plain HTTP. */
  public static MockKubernetesApi start(InetAddress address, int port) {
    // The mock logs every request at INFO through java.util.logging; that drowns the operator's logs.
    QUIET.setLevel(Level.WARNING);
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    KubernetesMockServer server = new KubernetesMockServer(
        new Context(), new MockWebServer(), expectations, new KubernetesMixedDispatcher(expectations), false);
    server.init(address, port);
    // JOSDK asks whether it may use Leases before it elects a leader. The mock has no RBAC and its
    // CRUD store refuses review objects, so it answers as an API server would for an account that
    // may do everything.
    server.expect().post().withPath(SELF_SUBJECT_RULES_REVIEWS)
        .andReturn(201, new SelfSubjectRulesReviewBuilder()
            .withNewMetadata().endMetadata()
            .withNewStatus()
            .addNewResourceRule().withApiGroups("*").withResources("*").withVerbs("*").endResourceRule()
            .withIncomplete(false)
            .endStatus()
            .build())
        .always();
    return new MockKubernetesApi(server);
  }

  /** A new client of this server; the caller closes it. */
  public KubernetesClient createClient() {
    return server.createClient();
  }

  public int port() {
    return server.getPort();
  }

  public String url() {
    return server.url("/").replaceAll("/$", "");
  }

  /** Installs the CRDs packaged with the application. */
  public void installPackagedCrds() {
    List<InputStream> streams = new ArrayList<>();
    for (String resource : CRD_RESOURCES) {
      InputStream in = MockKubernetesApi.class.getResourceAsStream(resource);
      if (in == null) {
        throw new IllegalStateException("CRD " + resource + " is not on the classpath");
      }
      streams.add(in);
    }
    install(streams);
  }

  /** Installs every {@code *.yml} / {@code *.yaml} CRD of a directory, e.g. the committed {@code crds/}. */
  public void installCrds(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      List<InputStream> streams = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml$")).sorted().toList()) {
        streams.add(Files.newInputStream(file));
      }
      install(streams);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void install(List<InputStream> streams) {
    try (KubernetesClient client = createClient()) {
      for (InputStream in : streams) {
        try (in) {
          for (HasMetadata crd : client.load(in).items()) {
            client.resource(crd).create();
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  @Override
  public void close() {
    server.destroy();
  }
}
