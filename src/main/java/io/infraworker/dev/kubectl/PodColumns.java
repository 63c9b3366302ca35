package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The columns kubectl shows for pods (NAME, READY, STATUS, RESTARTS, AGE; IP, NODE... with {@code -o wide}). */
final class PodColumns {
  private PodColumns() {}

  static List<Column> all(Clock clock) {
    return List.of(
        Column.objectName(),
        Column.text("Ready", 0, "The aggregate readiness state of this pod for accepting traffic.", PodColumns::ready),
        Column.text("Status", 0, "The aggregate status of the containers in this pod.", PodColumns::status),
        Column.text("Restarts", 0, "The number of times the containers in this pod have been restarted.",
            PodColumns::restarts),
        Column.objectAge(clock),
        Column.text("IP", 1, "IP address allocated to the pod.", o -> orNone(o.path("status").path("podIP"))),
        Column.text("Node", 1, "Name of the node the pod is assigned to.",
            o -> orNone(o.path("spec").path("nodeName"))),
        Column.text("Nominated Node", 1, "Name of the node the pod is nominated to, if any.",
            o -> orNone(o.path("status").path("nominatedNodeName"))),
        Column.text("Readiness Gates", 1, "Readiness gates of the pod.", PodColumns::readinessGates));
  }

  static String ready(JsonNode pod) {
    int total = pod.path("spec").path("containers").size();
    int ready = 0;
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      if (status.path("ready").asBoolean() && status.path("state").has("running")) {
        ready++;
      }
    }
    return ready + "/" + total;
  }

  static String restarts(JsonNode pod) {
    long restarts = 0;
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      restarts += status.path("restartCount").asLong();
    }
    return Long.toString(restarts);
  }

  /** The STATUS column: the phase, refined by init and container states as kubectl's printer does. */
  static String status(JsonNode pod) {
    JsonNode status = pod.path("status");
    String reason = status.path("phase").asText("");
    if (!status.path("reason").asText("").isEmpty()) {
      reason = status.path("reason").asText();
    }
    boolean initializing = false;
    JsonNode inits = status.path("initContainerStatuses");
    int initCount = pod.path("spec").path("initContainers").size();
    for (int i = 0; i < inits.size(); i++) {
      JsonNode state = inits.get(i).path("state");
      JsonNode terminated = state.path("terminated");
      JsonNode waiting = state.path("waiting");
      if (terminated.isObject() && terminated.path("exitCode").asInt() == 0) {
        continue;
      }
      if (terminated.isObject()) {
        reason = "Init:" + (terminated.path("reason").asText("").isEmpty()
            ? exitDescription(terminated) : terminated.path("reason").asText());
      } else if (!waiting.path("reason").asText("").isEmpty()
          && !waiting.path("reason").asText().equals("PodInitializing")) {
        reason = "Init:" + waiting.path("reason").asText();
      } else {
        reason = "Init:" + i + "/" + initCount;
      }
      initializing = true;
      break;
    }
    if (!initializing) {
      boolean hasRunning = false;
      List<JsonNode> containers = new ArrayList<>();
      status.path("containerStatuses").forEach(containers::add);
      for (int i = containers.size() - 1; i >= 0; i--) {
        JsonNode c = containers.get(i);
        JsonNode state = c.path("state");
        if (!state.path("waiting").path("reason").asText("").isEmpty()) {
          reason = state.path("waiting").path("reason").asText();
        } else if (!state.path("terminated").path("reason").asText("").isEmpty()) {
          reason = state.path("terminated").path("reason").asText();
        } else if (state.path("terminated").isObject()) {
          reason = exitDescription(state.path("terminated"));
        } else if (c.path("ready").asBoolean() && state.has("running")) {
          hasRunning = true;
        }
      }
      if (reason.equals("Completed") && hasRunning) {
        reason = podReady(pod) ? "Running" : "NotReady";
      }
    }
    if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
      reason = "NodeLost".equals(status.path("reason").asText()) ? "Unknown" : "Terminating";
    }
    return reason.isEmpty() ? "Pending" : reason;
  }

  private static boolean podReady(JsonNode pod) {
    for (JsonNode condition : pod.path("status").path("conditions")) {
      if ("Ready".equals(condition.path("type").asText())) {
        return "True".equals(condition.path("status").asText());
      }
    }
    return false;
  }

  private static String exitDescription(JsonNode terminated) {
    int signal = terminated.path("signal").asInt();
    return signal != 0 ? "Signal:" + signal : "ExitCode:" + terminated.path("exitCode").asInt();
  }

  private static String readinessGates(JsonNode pod) {
    JsonNode gates = pod.path("spec").path("readinessGates");
    if (gates.isEmpty()) {
      return "<none>";
    }
    int ready = 0;
    for (JsonNode gate : gates) {
      String type = gate.path("conditionType").asText();
      for (JsonNode condition : pod.path("status").path("conditions")) {
        if (type.equals(condition.path("type").asText()) && "True".equals(condition.path("status").asText())) {
          ready++;
        }
      }
    }
    return ready + "/" + gates.size();
  }

  private static String orNone(JsonNode value) {
    return value.asText("").isEmpty() ? "<none>" : value.asText();
  }
}
