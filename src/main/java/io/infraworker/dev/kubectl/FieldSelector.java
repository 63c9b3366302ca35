package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A field selector ({@code involvedObject.name=x,type!=Normal}) evaluated by the façade, because the mock
 * ignores most fields. Any dotted field path is accepted; a missing field reads as the empty string.
 */
final class FieldSelector {
  private record Term(String[] path, String value, boolean equal) {}

  private final List<Term> terms;

  private FieldSelector(List<Term> terms) {
    this.terms = terms;
  }

  static FieldSelector parse(String selector) {
    List<Term> terms = new ArrayList<>();
    if (selector != null) {
      for (String part : selector.split(",")) {
        if (part.isBlank()) {
          continue;
        }
        boolean notEqual = part.contains("!=");
        String[] kv = notEqual ? part.split("!=", 2) : part.split("==?", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("invalid field selector term " + part);
        }
        terms.add(new Term(kv[0].trim().split("\\."), kv[1].trim(), !notEqual));
      }
    }
    return new FieldSelector(terms);
  }

  boolean isEmpty() {
    return terms.isEmpty();
  }

  boolean matches(JsonNode object) {
    for (Term term : terms) {
      JsonNode node = object;
      for (String step : term.path()) {
        node = node.path(step);
      }
      String actual = node.isValueNode() ? node.asText() : "";
      if (actual.equals(term.value()) != term.equal()) {
        return false;
      }
    }
    return true;
  }
}
