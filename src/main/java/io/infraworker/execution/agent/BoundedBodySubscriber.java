package io.infraworker.execution.agent;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body into a byte array but gives up (cancelling the stream) past a limit, so a
 * confused or hostile agent cannot make the operator buffer without bound. Non-blocking: it never holds
 * one of the HTTP client's few threads.
 */
final class BoundedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
  /** The body was longer than the limit. */
  static final class TooLargeException extends IOException {
    TooLargeException(long limit) {
      super("response body over the " + limit + " byte limit");
    }
  }

  private final long limit;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final List<ByteBuffer> buffers = new ArrayList<>();
  private long size;
  private Flow.Subscription subscription;

  private BoundedBodySubscriber(long limit) {
    this.limit = limit;
  }

  static HttpResponse.BodyHandler<byte[]> handler(long limit) {
    if (limit <= 0 || limit > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("body limit out of range: " + limit);
    }
    return info -> new BoundedBodySubscriber(limit);
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      size += b.remaining();
      if (size > limit) {
        buffers.clear();
        subscription.cancel();
        result.completeExceptionally(new TooLargeException(limit));
        return;
      }
      buffers.add(b);
    }
  }

  @Override
  public void onError(Throwable t) {
    buffers.clear();
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    byte[] body = new byte[(int) size];
    int at = 0;
    for (ByteBuffer b : buffers) {
      int n = b.remaining();
      b.get(body, at, n);
      at += n;
    }
    buffers.clear();
    result.complete(body);
  }
}
