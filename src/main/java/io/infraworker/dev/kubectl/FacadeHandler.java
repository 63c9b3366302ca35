package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Routes every request: discovery, OpenAPI and version answered here, resources refined, the rest proxied. */
final class FacadeHandler implements HttpHandler {
  private static final Logger LOG = Logger.getLogger(FacadeHandler.class.getName());
  /** The largest body accepted, as a real API server's default (3 MiB). */
  static final int MAX_BODY = 3 * 1024 * 1024;

  private final MockApi mock;
  private final ResourceCatalog catalog;
  private final Discovery discovery;
  private final OpenApi openApi;
  private final ResourceHandler resources;
  private final Responses responses;
  private final ObjectMapper json;

  FacadeHandler(MockApi mock, ResourceCatalog catalog, Discovery discovery, OpenApi openApi,
      ResourceHandler resources, Responses responses, ObjectMapper json) {
    this.mock = mock;
    this.catalog = catalog;
    this.discovery = discovery;
    this.openApi = openApi;
    this.resources = resources;
    this.responses = responses;
    this.json = json;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      ApiRequest request = ApiRequest.read(exchange, MAX_BODY);
      route(exchange, request);
    } catch (ApiRequest.TooLarge e) {
      responses.status(exchange, 413, "RequestEntityTooLarge", e.getMessage());
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "kubectl façade failed on " + exchange.getRequestURI(), e);
      try {
        responses.status(exchange, 500, "InternalError", "kubectl façade: " + e);
      } catch (IOException | RuntimeException ignored) {
        // The response had started already; the client sees a cut-off answer.
      }
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange, ApiRequest request) throws IOException {
    List<String> parts = Arrays.stream(request.path().split("/")).filter(s -> !s.isEmpty()).toList();
    boolean get = request.method().equals("GET");
    if (get && parts.equals(List.of("api"))) {
      discoveryRoot(exchange, request, true);
    } else if (get && parts.equals(List.of("apis"))) {
      discoveryRoot(exchange, request, false);
    } else if (get && parts.size() == 2 && parts.get(0).equals("apis")) {
      answer(exchange, discovery.group(catalog.all(), parts.get(1)));
    } else if (get && parts.size() == 2 && parts.get(0).equals("api")) {
      answer(exchange, discovery.resourceList(catalog.all(), "", parts.get(1)));
    } else if (get && parts.size() == 3 && parts.get(0).equals("apis")) {
      answer(exchange, discovery.resourceList(catalog.all(), parts.get(1), parts.get(2)));
    } else if (get && parts.equals(List.of("version"))) {
      responses.json(exchange, 200, version());
    } else if (get && parts.equals(List.of("openapi", "v2"))) {
      openApiV2(exchange, request);
    } else if (get && parts.equals(List.of("openapi", "v3"))) {
      responses.json(exchange, 200, openApi.v3Root(catalog.all()));
    } else if (get && parts.size() > 2 && parts.get(0).equals("openapi") && parts.get(1).equals("v3")) {
      answer(exchange, openApi.v3(catalog.all(), String.join("/", parts.subList(2, parts.size()))));
    } else {
      Optional<ResourcePath> path = ResourcePath.parse(request.path());
      if (path.isPresent()) {
        resources.handle(exchange, request, path.get());
      } else {
        proxy(exchange, request);
      }
    }
  }

  private void discoveryRoot(HttpExchange exchange, ApiRequest request, boolean core) throws IOException {
    Optional<String> aggregated = new Accept(request.header("Accept")).aggregatedDiscoveryVersion();
    if (aggregated.isPresent()) {
      // The parameters in the Content-Type are how client-go tells an aggregated answer from a legacy one.
      String type = "application/json;g=apidiscovery.k8s.io;v=" + aggregated.get() + ";as=APIGroupDiscoveryList";
      responses.bytes(exchange, 200, type,
          json.writeValueAsBytes(discovery.aggregated(catalog.all(), core, aggregated.get())));
    } else {
      responses.json(exchange, 200, core ? discovery.coreVersions() : discovery.groupList(catalog.all()));
    }
  }

  private void openApiV2(HttpExchange exchange, ApiRequest request) throws IOException {
    String accept = String.valueOf(request.header("Accept"));
    if (accept.contains("protobuf")) {
      responses.bytes(exchange, 200, OpenApi.V2_PROTOBUF_TYPE, OpenApi.V2_PROTOBUF);
    } else {
      responses.json(exchange, 200, openApi.v2Json());
    }
  }

  private void answer(HttpExchange exchange, Optional<ObjectNode> document) throws IOException {
    if (document.isPresent()) {
      responses.json(exchange, 200, document.get());
    } else {
      responses.status(exchange, 404, "NotFound", "the server could not find the requested resource");
    }
  }

  private ObjectNode version() {
    return json.createObjectNode().put("major", "1").put("minor", "32").put("gitVersion", "v1.32.0-infraworker-dev")
        .put("gitCommit", "").put("gitTreeState", "clean").put("buildDate", "1970-01-01T00:00:00Z")
        .put("goVersion", "").put("compiler", "").put("platform", "linux/amd64");
  }

  private void proxy(HttpExchange exchange, ApiRequest request) throws IOException {
    HttpResponse<byte[]> response = mock.send(request.method(), request.pathAndQuery(), request.headers(),
        request.body());
    responses.bytes(exchange, response.statusCode(), Responses.JSON, response.body());
  }
}
