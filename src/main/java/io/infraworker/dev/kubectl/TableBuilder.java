package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns objects into the {@code meta.k8s.io/v1} Tables kubectl prints when it asks with {@code as=Table}. */
final class TableBuilder {
  /** What each row carries, from the {@code includeObject} query parameter. */
  enum IncludeObject {
    NONE, METADATA, OBJECT;

    static IncludeObject of(String value) {
      if (value == null || value.isEmpty()) {
        return METADATA;
      }
      return switch (value) {
        case "None" -> NONE;
        case "Object" -> OBJECT;
        default -> METADATA;
      };
    }
  }

  private final ObjectMapper json;
  private final Clock clock;

  TableBuilder(ObjectMapper json, Clock clock) {
    this.json = json;
    this.clock = clock;
  }

  /** The columns of a type: the CRD's printer columns, kubectl's for some built-ins, else NAME and AGE. */
  List<Column> columns(ApiResource resource) {
    Optional<List<Column>> builtin = BuiltinColumns.of(resource, clock);
    if (builtin.isPresent()) {
      return builtin.get();
    }
    List<Column> columns = new ArrayList<>();
    columns.add(Column.objectName());
    if (resource.printerColumns().isEmpty()) {
      columns.add(Column.objectAge(clock));
    } else {
      resource.printerColumns().forEach(c -> columns.add(Column.printer(c, clock)));
    }
    return columns;
  }

  /**
   * A Table of the objects. {@code withDefinitions} false leaves the column definitions out, as servers do
   * in watch events after the first: kubectl reuses the last ones it saw.
   */
  ObjectNode table(List<Column> columns, List<JsonNode> objects, IncludeObject include, String resourceVersion,
      boolean withDefinitions) {
    ObjectNode table = json.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    if (resourceVersion != null && !resourceVersion.isEmpty()) {
      metadata.put("resourceVersion", resourceVersion);
    }
    ArrayNode definitions = table.putArray("columnDefinitions");
    if (withDefinitions) {
      for (Column c : columns) {
        definitions.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
            .put("description", c.description()).put("priority", c.priority());
      }
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      columns.forEach(c -> cells.add(c.cell().apply(object)));
      switch (include) {
        case OBJECT -> row.set("object", object);
        case METADATA -> row.set("object", partialMetadata(object));
        case NONE -> { }
      }
    }
    return table;
  }

  private ObjectNode partialMetadata(JsonNode object) {
    ObjectNode partial = json.createObjectNode().put("kind", "PartialObjectMetadata")
        .put("apiVersion", "meta.k8s.io/v1");
    partial.set("metadata", object.path("metadata").deepCopy());
    return partial;
  }
}
