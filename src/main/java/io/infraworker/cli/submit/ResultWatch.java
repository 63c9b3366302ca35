package io.infraworker.cli.submit;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One request's result as it arrives: the message on {@code result:{id}}, or, since pub/sub drops what
 * nobody heard, the value of {@code job:{id}}.
 */
public final class ResultWatch implements AutoCloseable {
  private final HostAndPort address;
  private final JedisClientConfig config;
  private final String requestId;
  private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
  private final CountDownLatch subscribed = new CountDownLatch(1);
  private final AtomicReference<Throwable> subscriberError = new AtomicReference<>();
  private final JedisPubSub pubSub = new JedisPubSub() {
    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      subscribed.countDown();
    }

    @Override
    public void onMessage(String channel, String message) {
      messages.add(message);
    }
  };
  private Jedis subscriber;
  private Thread subscriberThread;
  private Jedis reader;

  private ResultWatch(HostAndPort address, JedisClientConfig config, String requestId) {
    this.address = address;
    this.config = config;
    this.requestId = requestId;
  }

  static ResultWatch open(HostAndPort address, JedisClientConfig config, String requestId) throws SubmitException {
    ResultWatch watch = new ResultWatch(address, config, requestId);
    try {
      watch.subscribe();
      return watch;
    } catch (SubmitException | RuntimeException e) {
      watch.close();
      throw e;
    }
  }

  private void subscribe() throws SubmitException {
    try {
      subscriber = new Jedis(address, config);
      subscriber.ping(); // connect now, so an unreachable Redis is reported before anything is sent
    } catch (JedisException e) {
      throw unreachable(e);
    }
    subscriberThread = new Thread(() -> {
      try {
        subscriber.subscribe(pubSub, RedisResults.RESULT_CHANNEL_PREFIX + requestId);
      } catch (RuntimeException e) {
        subscriberError.set(e);
        subscribed.countDown();
      }
    }, "result-watch-" + requestId);
    subscriberThread.setDaemon(true);
    subscriberThread.start();
    try {
      if (!subscribed.await(RedisResults.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw SubmitException.failure("Redis at " + address + " did not confirm the subscription to "
            + RedisResults.RESULT_CHANNEL_PREFIX + requestId, null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SubmitException.failure("interrupted while subscribing to Redis", e);
    }
    if (subscriberError.get() != null) {
      throw unreachable(subscriberError.get());
    }
  }

  private SubmitException unreachable(Throwable e) {
    return SubmitException.failure("cannot reach Redis at " + address + ": " + e.getMessage(), e);
  }

  /** The next message published for this request, waiting at most {@code wait}. */
  public Optional<String> published(Duration wait) throws InterruptedException {
    return Optional.ofNullable(messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** The result stored in {@code job:{id}}, if any; a Redis hiccup reads as "not yet". */
  public Optional<String> stored() {
    try {
      if (reader == null) {
        reader = new Jedis(address, config);
      }
      return Optional.ofNullable(reader.get(RedisResults.JOB_KEY_PREFIX + requestId));
    } catch (JedisException e) {
      closeQuietly(reader);
      reader = null;
      return Optional.empty();
    }
  }

  /** True while the subscription is up; when it dropped only {@link #stored()} can still see the result. */
  public boolean subscribed() {
    return subscriberError.get() == null && subscriberThread != null && subscriberThread.isAlive();
  }

  @Override
  public void close() {
    try {
      if (pubSub.isSubscribed()) {
        pubSub.unsubscribe();
      }
    } catch (RuntimeException ignored) {
      // the connection is closed below in any case
    }
    closeQuietly(subscriber);
    closeQuietly(reader);
    if (subscriberThread != null) {
      try {
        subscriberThread.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void closeQuietly(Jedis jedis) {
    if (jedis != null) {
      try {
        jedis.close();
      } catch (RuntimeException ignored) {
        // closing a broken connection may fail; nothing is left to clean up
      }
    }
  }
}
