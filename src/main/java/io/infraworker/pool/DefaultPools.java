package io.infraworker.pool;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.infraworker.api.Runtime;
import io.infraworker.api.WarmPool;
import io.infraworker.api.WarmPoolSpec;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates one WarmPool per runtime at start, sized by the original worker's WARM_POOL_*_SIZE, where
 * the namespace has no pool for that runtime yet; pools that exist are never changed.
 */
public class DefaultPools {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultPools.class);

  /**
   * What a default pool looks like.
   *
   * @param sizes standby pods per runtime
   * @param images pool image per runtime
   * @param memoryMb memory per pod
   * @param cpu CPU per pod
   */
  public record Settings(
      Map<Runtime, Integer> sizes, Function<Runtime, String> images, int memoryMb, String cpu) {}

  private final KubernetesClient client;

  public DefaultPools(KubernetesClient client) {
    this.client = client;
  }

  /** The name of a default pool, e.g. {@code python-256}. */
  public static String poolName(Runtime runtime, int memoryMb) {
    return runtime.wireName() + "-" + memoryMb;
  }

  /** Creates the missing default pools in the namespace and returns the names of those it created. */
  public List<String> ensure(String namespace, Settings settings) {
    List<WarmPool> existing = client.resources(WarmPool.class).inNamespace(namespace).list().getItems();
    return settings.sizes().entrySet().stream()
        .filter(e -> existing.stream().noneMatch(p -> p.getSpec() != null && p.getSpec().getRuntime() == e.getKey()))
        .map(e -> create(namespace, e.getKey(), e.getValue(), settings))
        .filter(name -> name != null)
        .collect(Collectors.toList());
  }

  private String create(String namespace, Runtime runtime, int size, Settings settings) {
    WarmPool pool = new WarmPool();
    pool.getMetadata().setName(poolName(runtime, settings.memoryMb()));
    pool.getMetadata().setNamespace(namespace);
    pool.getMetadata().setLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE));
    WarmPoolSpec spec = new WarmPoolSpec();
    spec.setRuntime(runtime);
    spec.setImage(settings.images().apply(runtime));
    spec.setReplicas(size);
    spec.setMemoryMb(settings.memoryMb());
    spec.setCpu(settings.cpu());
    pool.setSpec(spec);
    try {
      client.resource(pool).create();
      LOG.info("created default WarmPool {}/{} ({} standby pods)", namespace, pool.getMetadata().getName(), size);
      return pool.getMetadata().getName();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return null; // another operator replica created it first
      }
      throw e;
    }
  }
}
