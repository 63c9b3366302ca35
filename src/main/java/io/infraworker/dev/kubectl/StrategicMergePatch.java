package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a strategic merge patch into a JSON merge patch against the current object, because the mock
 * accepts only JSON and merge patches. Maps merge alike in both; the difference is lists: a list the
 * strategic patch merges (it carries {@code $setElementOrder/...}, {@code $deleteFromPrimitiveList/...} or
 * {@code $patch} entries) is merged here by its merge key and sent whole, any other list replaces.
 * Without the Go structs' patch metadata the merge key is read off the {@code $setElementOrder} entries,
 * else {@code name}.
 */
final class StrategicMergePatch {
  private static final String ORDER = "$setElementOrder/";
  private static final String DELETE_PRIMITIVE = "$deleteFromPrimitiveList/";

  private StrategicMergePatch() {}

  static ObjectNode toMergePatch(JsonNode patch, JsonNode current) {
    return convertObject((ObjectNode) patch, current == null ? MissingNode.getInstance() : current);
  }

  private static ObjectNode convertObject(ObjectNode patch, JsonNode current) {
    ObjectNode out = Column.NODES.objectNode();
    if ("replace".equals(patch.path("$patch").asText())) {
      // Replace the whole map: every current key the patch leaves out goes away.
      current.fieldNames().forEachRemaining(k -> out.putNull(k));
    }
    JsonNode retain = patch.path("$retainKeys");
    if (retain.isArray()) {
      Set<String> keep = new LinkedHashSet<>();
      retain.forEach(k -> keep.add(k.asText()));
      current.fieldNames().forEachRemaining(k -> {
        if (!keep.contains(k)) {
          out.putNull(k);
        }
      });
    }
    Set<String> mergedLists = new LinkedHashSet<>();
    for (Iterator<String> it = patch.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (key.startsWith(ORDER)) {
        mergedLists.add(key.substring(ORDER.length()));
      } else if (key.startsWith(DELETE_PRIMITIVE)) {
        mergedLists.add(key.substring(DELETE_PRIMITIVE.length()));
      }
    }
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.startsWith("$")) {
        continue;
      }
      if (value.isObject()) {
        out.set(key, "delete".equals(value.path("$patch").asText()) ? Column.NODES.nullNode()
            : convertObject((ObjectNode) value, current.path(key)));
      } else if (value.isArray() && (mergedLists.contains(key) || hasDirective(value))) {
        out.set(key, mergeList(key, (ArrayNode) value, current.path(key), patch));
        mergedLists.remove(key);
      } else {
        out.set(key, value);
      }
    }
    // Lists named only by directives, e.g. an element order or deletions without additions.
    for (String key : mergedLists) {
      out.set(key, mergeList(key, Column.NODES.arrayNode(), current.path(key), patch));
    }
    return out;
  }

  private static boolean hasDirective(JsonNode list) {
    for (JsonNode item : list) {
      if (item.isObject() && item.has("$patch")) {
        return true;
      }
    }
    return false;
  }

  private static ArrayNode mergeList(String key, ArrayNode patchList, JsonNode currentList, ObjectNode parent) {
    for (JsonNode item : patchList) {
      if (item.isObject() && "replace".equals(item.path("$patch").asText())) {
        ArrayNode replaced = Column.NODES.arrayNode();
        patchList.forEach(i -> {
          if (!i.has("$patch")) {
            replaced.add(i);
          }
        });
        return replaced;
      }
    }
    JsonNode order = parent.path(ORDER + key);
    List<JsonNode> merged = new ArrayList<>();
    currentList.forEach(merged::add);
    boolean objects = isObjectList(patchList) || isObjectList(currentList) || isObjectList(order);
    if (objects) {
      String mergeKey = mergeKey(order, patchList);
      for (JsonNode item : patchList) {
        int at = indexOf(merged, mergeKey, item.path(mergeKey));
        if ("delete".equals(item.path("$patch").asText())) {
          if (at >= 0) {
            merged.remove(at);
          }
        } else if (at >= 0) {
          ObjectNode asMerge = convertObject((ObjectNode) item, merged.get(at));
          merged.set(at, MergePatch.apply(merged.get(at), asMerge));
        } else {
          merged.add(MergePatch.apply(Column.NODES.objectNode(), convertObject((ObjectNode) item,
              MissingNode.getInstance())));
        }
      }
      if (order.isArray()) {
        merged = ordered(merged, order, n -> n.path(mergeKey));
      }
    } else {
      Set<JsonNode> deleted = new LinkedHashSet<>();
      parent.path(DELETE_PRIMITIVE + key).forEach(deleted::add);
      merged.removeIf(deleted::contains);
      for (JsonNode item : patchList) {
        if (!merged.contains(item)) {
          merged.add(item);
        }
      }
      if (order.isArray()) {
        merged = ordered(merged, order, n -> n);
      }
    }
    ArrayNode out = Column.NODES.arrayNode();
    merged.forEach(out::add);
    return out;
  }

  private static boolean isObjectList(JsonNode list) {
    return list.isArray() && !list.isEmpty() && list.get(0).isObject();
  }

  private static String mergeKey(JsonNode order, ArrayNode patchList) {
    if (order.isArray() && !order.isEmpty() && order.get(0).isObject() && order.get(0).size() == 1) {
      return order.get(0).fieldNames().next();
    }
    for (JsonNode item : patchList) {
      if (item.isObject() && item.has("name")) {
        return "name";
      }
    }
    return "name";
  }

  private static int indexOf(List<JsonNode> list, String key, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      if (!value.isMissingNode() && list.get(i).path(key).equals(value)) {
        return i;
      }
    }
    return -1;
  }

  // Elements named in the order come first, in that order; the rest keep their place after them.
  private static List<JsonNode> ordered(List<JsonNode> items, JsonNode order,
      Function<JsonNode, JsonNode> keyOf) {
    List<JsonNode> result = new ArrayList<>();
    List<JsonNode> rest = new ArrayList<>(items);
    for (JsonNode wanted : order) {
      JsonNode wantedKey = wanted.isObject() && wanted.size() == 1 ? wanted.elements().next() : wanted;
      for (Iterator<JsonNode> it = rest.iterator(); it.hasNext(); ) {
        JsonNode item = it.next();
        if (keyOf.apply(item).equals(wantedKey)) {
          result.add(item);
          it.remove();
          break;
        }
      }
    }
    result.addAll(rest);
    return result;
  }
}
