package io.infraworker.results;

import io.infraworker.api.JobResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Publishes a job's result to Redis exactly once: {@code SET job:{id} NX EX ttl} and, only when that key
 * was new, {@code PUBLISH result:{id}}, both in one Lua script so that no crash can split them.
 */
public class ResultPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResultPublisher.class);

  static final String JOB_KEY_PREFIX = "job:";
  static final String RESULT_CHANNEL_PREFIX = "result:";
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  static final int POOL_SIZE = 4;

  /** KEYS[1] = job:{id}; ARGV = json, ttl seconds, channel. Returns 1 when published, 0 when the key existed. */
  static final String PUBLISH_ONCE = """
      if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then
        redis.call('PUBLISH', ARGV[3], ARGV[1])
        return 1
      end
      return 0
      """;
  private static final String PUBLISH_ONCE_SHA = sha1Hex(PUBLISH_ONCE);

  private final UnifiedJedis redis;
  private final long resultTtlSeconds;
  private final ResultJson json = new ResultJson();

  /** Connects to Redis at host:port ({@code password} may be null) with a small pool and 2 s timeouts. */
  public ResultPublisher(String host, int port, String password, long resultTtlSeconds) {
    this(pooledClient(host, port, password), resultTtlSeconds);
  }

  /** Uses a given client (closed by {@link #close}); for callers that share one pool. */
  public ResultPublisher(UnifiedJedis redis, long resultTtlSeconds) {
    if (resultTtlSeconds <= 0) {
      throw new IllegalArgumentException("result TTL must be > 0 seconds, got " + resultTtlSeconds);
    }
    this.redis = redis;
    this.resultTtlSeconds = resultTtlSeconds;
  }

  private static UnifiedJedis pooledClient(String host, int port, String password) {
    DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis((int) TIMEOUT.toMillis())
        .socketTimeoutMillis((int) TIMEOUT.toMillis())
        .clientName("infra-worker");
    if (password != null && !password.isEmpty()) {
      client.password(password);
    }
    GenericObjectPoolConfig<Connection> pool = new ConnectionPoolConfig();
    pool.setMaxTotal(POOL_SIZE);
    pool.setMaxIdle(POOL_SIZE);
    pool.setMinIdle(0);
    pool.setBlockWhenExhausted(true);
    pool.setMaxWait(TIMEOUT);
    // After a Redis restart every idle connection is dead; a PING on borrow swaps it for a fresh one
    // instead of failing the next publish.
    pool.setTestOnBorrow(true);
    pool.setTestWhileIdle(true);
    return new JedisPooled(new HostAndPort(host, port), client.build(), pool);
  }

  /**
   * Stores and publishes the result unless a result for its requestId is already stored.
   *
   * @throws ResultStoreUnavailableException when Redis cannot be reached or refuses the write
   */
  public PublishOutcome publish(JobResult result) throws ResultStoreUnavailableException {
    String requestId = requireId(result.requestId());
    String body = json.write(result);
    List<String> keys = List.of(JOB_KEY_PREFIX + requestId);
    List<String> args = List.of(body, Long.toString(resultTtlSeconds), RESULT_CHANNEL_PREFIX + requestId);
    Object reply;
    try {
      reply = runScript(keys, args);
    } catch (JedisException e) {
      throw new ResultStoreUnavailableException(
          "could not publish the result of " + requestId + " to Redis: " + e.getMessage(), e);
    }
    PublishOutcome outcome = Long.valueOf(1L).equals(reply) ? PublishOutcome.PUBLISHED
        : PublishOutcome.ALREADY_PUBLISHED;
    if (outcome == PublishOutcome.ALREADY_PUBLISHED) {
      LOG.info("result of {} was already published; not publishing again", requestId);
    }
    return outcome;
  }

  private Object runScript(List<String> keys, List<String> args) {
    try {
      return redis.evalsha(PUBLISH_ONCE_SHA, keys, args);
    } catch (JedisNoScriptException e) {
      // First use on this server, or its script cache was flushed (restart): EVAL runs and caches it.
      return redis.eval(PUBLISH_ONCE, keys, args);
    }
  }

  /**
   * The result stored under {@code job:{requestId}}, if it is still there.
   *
   * @throws ResultStoreUnavailableException when Redis cannot be reached
   */
  public Optional<JobResult> stored(String requestId) throws ResultStoreUnavailableException {
    String id = requireId(requestId);
    String body;
    try {
      body = redis.get(JOB_KEY_PREFIX + id);
    } catch (JedisException e) {
      throw new ResultStoreUnavailableException("could not read the result of " + id + " from Redis: "
          + e.getMessage(), e);
    }
    return Optional.ofNullable(body).map(json::read);
  }

  private static String requireId(String requestId) {
    if (requestId == null || requestId.isBlank()) {
      throw new IllegalArgumentException("a result needs a requestId");
    }
    return requestId;
  }

  private static String sha1Hex(String script) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }

  @Override
  public void close() {
    redis.close();
  }
}
