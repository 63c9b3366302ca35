package io.infraworker.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns model ids from payloads into a bounded set of label values, so a flood of distinct ids cannot
 * blow up the number of time series: the first {@code capacity} distinct ids are kept, later ones become
 * {@code other}, and no model becomes {@code none}.
 */
public class ModelLabels {
  /** How many distinct model ids get their own label value by default. */
  public static final int DEFAULT_CAPACITY = 32;
  /** Ids longer than this are not plausible model names and would make long series keys. */
  static final int MAX_ID_LENGTH = 64;
  public static final String NONE = "none";

  private final int capacity;
  private final Set<String> kept = ConcurrentHashMap.newKeySet();

  public ModelLabels() {
    this(DEFAULT_CAPACITY);
  }

  public ModelLabels(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** The label value for this model id. */
  public String label(String modelId) {
    if (modelId == null || modelId.isBlank()) {
      return NONE;
    }
    String id = modelId.strip();
    if (id.length() > MAX_ID_LENGTH || id.equals(NONE) || id.equals(MetricNames.OTHER)) {
      return MetricNames.OTHER;
    }
    if (kept.contains(id)) {
      return id;
    }
    // Check-then-add under a lock so that two threads cannot both take the last free slot.
    synchronized (kept) {
      if (kept.contains(id)) {
        return id;
      }
      if (kept.size() < capacity) {
        kept.add(id);
        return id;
      }
    }
    return MetricNames.OTHER;
  }
}
