package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Requests on resource paths: what kubectl needs beyond the mock's CRUD, the rest passed through. */
final class ResourceHandler {
  private final MockApi mock;
  private final ResourceCatalog catalog;
  private final TableBuilder tables;
  private final WatchBridge watches;
  private final ScaleSubresource scale;
  private final PatchTranslator patches;
  private final DryRun dryRun;
  private final Responses responses;
  private final ObjectMapper json;

  ResourceHandler(MockApi mock, ResourceCatalog catalog, TableBuilder tables, WatchBridge watches,
      ScaleSubresource scale, PatchTranslator patches, DryRun dryRun, Responses responses, ObjectMapper json) {
    this.mock = mock;
    this.catalog = catalog;
    this.tables = tables;
    this.watches = watches;
    this.scale = scale;
    this.patches = patches;
    this.dryRun = dryRun;
    this.responses = responses;
    this.json = json;
  }

  void handle(HttpExchange exchange, ApiRequest request, ResourcePath path) throws IOException {
    Optional<ApiResource> resource = catalog.find(path.group(), path.version(), path.resource());
    FieldSelector fields;
    try {
      fields = FieldSelector.parse(request.param("fieldSelector"));
    } catch (IllegalArgumentException e) {
      responses.status(exchange, 400, "BadRequest", e.getMessage());
      return;
    }
    if (request.isWatch() && path.subresource() == null) {
      watches.serve(exchange, request, fields, watchRenderer(request, resource));
      return;
    }
    if (dryRun.requested(request) && path.subresource() == null) {
      DryRun.Result result = dryRun.answer(request, path);
      responses.bytes(exchange, result.code(), Responses.JSON, result.body());
      return;
    }
    if ("scale".equals(path.subresource()) && resource.flatMap(ApiResource::scale).isPresent()) {
      ScaleSubresource.Result result = scale.handle(request, path, resource.get());
      responses.json(exchange, result.code(), result.body());
      return;
    }
    if (path.subresource() != null && !path.subresource().equals("status") && resource.isPresent()) {
      // The mock would answer pods/log, exec or eviction with the object itself; say plainly it has none.
      responses.status(exchange, 404, "NotFound", "the dev stack's API server does not serve "
          + path.resource() + "/" + path.subresource() + " (there is no kubelet behind it)");
      return;
    }
    if (request.method().equals("PATCH")) {
      Optional<HttpResponse<byte[]>> translated = patches.translate(request, path);
      if (translated.isPresent()) {
        send(exchange, request, path, resource, fields, translated.get());
        return;
      }
    }
    send(exchange, request, path, resource, fields, forward(request, path));
  }

  private HttpResponse<byte[]> forward(ApiRequest request, ResourcePath path) throws IOException {
    String target;
    if (path.subresource() != null) {
      // The mock matches subresource paths literally; "?fieldManager=..." after "/status" hides the
      // subresource from it and it writes the whole object instead.
      target = request.path();
    } else {
      target = request.pathAndQuery(Set.of("fieldSelector"));
    }
    return mock.send(request.method(), target, request.headers(), request.body());
  }

  private void send(HttpExchange exchange, ApiRequest request, ResourcePath path, Optional<ApiResource> resource,
      FieldSelector fields, HttpResponse<byte[]> response) throws IOException {
    int code = response.statusCode();
    byte[] body = response.body();
    if (code == 404 && isNamespace(path) && request.method().equals("GET")) {
      // The mock keeps objects in any namespace without a Namespace object; kubectl asks for the namespace
      // after a NotFound and would blame a missing namespace instead of the missing object.
      code = 200;
      body = json.writeValueAsBytes(impliedNamespace(path.name()));
    }
    if (code == 404 && body.length == 0 && path.name() != null) {
      responses.json(exchange, 404, responses.notFound(resource.orElse(null), path.resource(), path.name()));
      return;
    }
    if (!request.method().equals("GET") || code != 200 || resource.isEmpty()) {
      responses.bytes(exchange, code, Responses.JSON, body);
      return;
    }
    JsonNode answer = json.readTree(body);
    boolean list = path.isCollection() && answer.path("items").isArray();
    List<JsonNode> objects = new ArrayList<>();
    if (list) {
      answer.path("items").forEach(item -> {
        if (fields.matches(item)) {
          objects.add(item);
        }
      });
    } else {
      objects.add(answer);
    }
    if (new Accept(request.header("Accept")).wantsTable() && path.subresource() == null) {
      String version = list ? answer.path("metadata").path("resourceVersion").asText("") : "";
      responses.json(exchange, 200, tables.table(tables.columns(resource.get()), objects,
          TableBuilder.IncludeObject.of(request.param("includeObject")), version, true));
      return;
    }
    if (list) {
      // The mock calls every list "v1 List"; typed clients (kubectl describe's event search) want EventList.
      ObjectNode typed = ((ObjectNode) answer).put("apiVersion", resource.get().groupVersion())
          .put("kind", resource.get().kind() + "List");
      typed.putArray("items").addAll(objects);
      responses.json(exchange, 200, typed);
      return;
    }
    responses.json(exchange, 200, answer);
  }

  private static boolean isNamespace(ResourcePath path) {
    return path.group().isEmpty() && path.resource().equals("namespaces") && path.name() != null
        && path.subresource() == null;
  }

  private ObjectNode impliedNamespace(String name) {
    ObjectNode namespace = json.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
    namespace.putObject("metadata").put("name", name);
    namespace.putObject("status").put("phase", "Active");
    return namespace;
  }

  // Watch events carry Tables when kubectl asked for Tables; only the first needs column definitions.
  private Function<JsonNode, JsonNode> watchRenderer(ApiRequest request, Optional<ApiResource> resource) {
    if (resource.isEmpty() || !new Accept(request.header("Accept")).wantsTable()) {
      return Function.identity();
    }
    List<Column> columns = tables.columns(resource.get());
    TableBuilder.IncludeObject include = TableBuilder.IncludeObject.of(request.param("includeObject"));
    boolean[] first = {true};
    return object -> {
      ObjectNode table = tables.table(columns, List.of(object), include,
          object.path("metadata").path("resourceVersion").asText(""), first[0]);
      first[0] = false;
      return table;
    };
  }
}
