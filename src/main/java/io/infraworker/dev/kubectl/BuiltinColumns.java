package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** kubectl's own columns for the built-in types people list most here: pods, events and namespaces. */
final class BuiltinColumns {
  private BuiltinColumns() {}

  static Optional<List<Column>> of(ApiResource resource, Clock clock) {
    if (!resource.group().isEmpty()) {
      return Optional.empty();
    }
    return switch (resource.plural()) {
      case "pods" -> Optional.of(PodColumns.all(clock));
      case "events" -> Optional.of(events(clock));
      case "namespaces" -> Optional.of(List.of(Column.objectName(),
          Column.text("Status", 0, "The status of the namespace.", o -> o.path("status").path("phase").asText("")),
          Column.objectAge(clock)));
      default -> Optional.empty();
    };
  }

  private static List<Column> events(Clock clock) {
    Column lastSeen = Column.objectAge(clock);
    return List.of(
        new Column("Last Seen", "string", "", "Time of the last occurrence.", 0,
            e -> lastSeen.cell().apply(Column.NODES.objectNode().set("metadata",
                Column.NODES.objectNode().set("creationTimestamp", lastSeen(e))))),
        Column.text("Type", 0, "Type of this event (Normal, Warning).", e -> e.path("type").asText("")),
        Column.text("Reason", 0, "Why the event was generated.", e -> e.path("reason").asText("")),
        Column.text("Object", 0, "The object this event is about.", BuiltinColumns::involvedObject),
        Column.text("Message", 0, "A human-readable description of the event.", e -> e.path("message").asText("")),
        new Column("Name", "string", "name", "Name of the event.", 1,
            e -> Column.NODES.textNode(e.path("metadata").path("name").asText())));
  }

  private static JsonNode lastSeen(JsonNode event) {
    for (String field : new String[] {"lastTimestamp", "eventTime", "firstTimestamp"}) {
      if (event.path(field).isTextual()) {
        return event.path(field);
      }
    }
    return event.path("metadata").path("creationTimestamp");
  }

  private static String involvedObject(JsonNode event) {
    JsonNode about = event.path("involvedObject");
    return about.path("kind").asText("").toLowerCase() + "/" + about.path("name").asText("");
  }
}
