package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/** One column of a {@code meta.k8s.io/v1} Table: its definition and how a cell is computed from an object. */
record Column(String name, String type, String format, String description, int priority,
    Function<JsonNode, JsonNode> cell) {

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static Column objectName() {
    return new Column("Name", "string", "name",
        "Name must be unique within a namespace. Is required when creating resources.", 0,
        o -> NODES.textNode(o.path("metadata").path("name").asText()));
  }

  static Column objectAge(Clock clock) {
    return new Column("Age", "string", "", "CreationTimestamp is a timestamp of when the object was created.", 0,
        o -> age(o.path("metadata").path("creationTimestamp"), clock));
  }

  static Column text(String name, int priority, String description, Function<JsonNode, String> value) {
    return new Column(name, "string", "", description, priority, o -> NODES.textNode(value.apply(o)));
  }

  /** An {@code additionalPrinterColumns} entry, typed as the apiextensions server types its cells. */
  static Column printer(ApiResource.PrinterColumn column, Clock clock) {
    SimpleJsonPath path = SimpleJsonPath.parse(column.jsonPath());
    return new Column(column.name(), column.type(), column.format(), column.description(), column.priority(), o -> {
      JsonNode value = path.read(o);
      if (value.isMissingNode() || value.isNull()) {
        return NODES.nullNode();
      }
      return switch (column.type()) {
        case "date" -> age(value, clock);
        case "integer" -> value.canConvertToLong() ? NODES.numberNode(value.asLong()) : NODES.nullNode();
        case "number" -> value.isNumber() ? NODES.numberNode(value.asDouble()) : NODES.nullNode();
        case "boolean" -> value.isBoolean() ? value : NODES.nullNode();
        default -> NODES.textNode(value.isValueNode() ? value.asText() : value.toString());
      };
    });
  }

  // The server renders ages, as apiextensions does for date columns, so that kubectl prints them as given.
  private static JsonNode age(JsonNode timestamp, Clock clock) {
    if (!timestamp.isTextual()) {
      return NODES.textNode("<unknown>");
    }
    try {
      Instant at = Instant.parse(timestamp.asText());
      return NODES.textNode(HumanDuration.format(Duration.between(at, clock.instant())));
    } catch (DateTimeParseException e) {
      return NODES.textNode("<invalid>");
    }
  }
}
