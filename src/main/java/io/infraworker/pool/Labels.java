package io.infraworker.pool;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Optional;

/** The label keys and values that tie pods to pools and jobs; informers, selectors and tests use these. */
public final class Labels {
  public static final String PREFIX = "infraworker.io/";
  public static final String POOL = PREFIX + "pool";
  public static final String RUNTIME = PREFIX + "runtime";
  public static final String STATE = PREFIX + "state";
  public static final String JOB = PREFIX + "job";
  public static final String STATE_STANDBY = "standby";
  public static final String STATE_CLAIMED = "claimed";

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "infra-worker";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String COMPONENT_SANDBOX = "sandbox";

  private Labels() {}

  /** The selector of a pool's standby pods, as written to the WarmPool's status for the scale subresource. */
  public static String standbySelector(String poolName) {
    return POOL + "=" + poolName + "," + STATE + "=" + STATE_STANDBY;
  }

  public static Optional<String> get(HasMetadata resource, String key) {
    Map<String, String> labels = resource.getMetadata().getLabels();
    return labels == null ? Optional.empty() : Optional.ofNullable(labels.get(key));
  }

  public static boolean isStandby(HasMetadata pod) {
    return get(pod, STATE).filter(STATE_STANDBY::equals).isPresent();
  }

  public static boolean isClaimed(HasMetadata pod) {
    return get(pod, STATE).filter(STATE_CLAIMED::equals).isPresent();
  }
}
