package io.infraworker.cli.submit;

import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/** Where results arrive: Redis, {@code PUBLISH result:{requestId}} and {@code SET job:{requestId}}. */
public final class RedisResults {
  public static final String RESULT_CHANNEL_PREFIX = "result:";
  public static final String JOB_KEY_PREFIX = "job:";
  static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final HostAndPort address;
  private final JedisClientConfig config;

  /** {@code password} may be null (no AUTH). */
  public RedisResults(String host, int port, String password) {
    this.address = new HostAndPort(host, port);
    DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis((int) TIMEOUT.toMillis())
        .socketTimeoutMillis((int) TIMEOUT.toMillis())
        .clientName("infra-worker-submit");
    if (password != null && !password.isEmpty()) {
      builder.password(password);
    }
    this.config = builder.build();
  }

  /**
   * Subscribes to {@code result:{requestId}} and returns once Redis has confirmed the subscription,
   * so that a result published from then on cannot be missed.
   */
  public ResultWatch watch(String requestId) throws SubmitException {
    return ResultWatch.open(address, config, requestId);
  }

  @Override
  public String toString() {
    return address.toString();
  }
}
