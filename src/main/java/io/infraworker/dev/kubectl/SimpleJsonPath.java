package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSONPaths printer columns and the scale subresource use: field steps and array indexes, like
 * {@code .spec.replicas} or {@code .status.conditions[0].type}; CRDs allow no more than that.
 */
final class SimpleJsonPath {
  private static final Pattern STEP = Pattern.compile("\\.([^.\\[\\]]+)|\\[(\\d+)]|\\['([^']+)']");

  private final List<Object> steps;

  private SimpleJsonPath(List<Object> steps) {
    this.steps = steps;
  }

  static SimpleJsonPath parse(String path) {
    String p = path.trim();
    if (p.startsWith("{") && p.endsWith("}")) {
      p = p.substring(1, p.length() - 1);
    }
    if (p.startsWith("$")) {
      p = p.substring(1);
    }
    List<Object> steps = new ArrayList<>();
    Matcher m = STEP.matcher(p);
    int at = 0;
    while (at < p.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException("unsupported JSONPath " + path);
      }
      if (m.group(1) != null) {
        steps.add(m.group(1));
      } else if (m.group(2) != null) {
        steps.add(Integer.parseInt(m.group(2)));
      } else {
        steps.add(m.group(3));
      }
      at = m.end();
    }
    return new SimpleJsonPath(steps);
  }

  /** The value at the path, or a missing node. */
  JsonNode read(JsonNode root) {
    JsonNode node = root;
    for (Object step : steps) {
      node = step instanceof Integer i ? node.path(i) : node.path((String) step);
    }
    return node == null ? MissingNode.getInstance() : node;
  }

  /** A merge patch that sets the path to a value; only field steps can be written. */
  ObjectNode mergePatchSetting(ObjectNode empty, JsonNode value) {
    ObjectNode root = empty;
    ObjectNode node = root;
    for (int i = 0; i < steps.size(); i++) {
      if (!(steps.get(i) instanceof String field)) {
        throw new IllegalArgumentException("cannot write through an array index");
      }
      if (i == steps.size() - 1) {
        node.set(field, value);
      } else {
        node = node.putObject(field);
      }
    }
    return root;
  }
}
