package dev.stn4j.serve;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A call whose client sends one message (unary, server streaming) must deliver it whole, and end
 * its half of the stream, within the deadline from its headers, or it is closed with {@code
 * DEADLINE_EXCEEDED}: the gRPC side of {@link RequestBodies}' body timeout. Without it a client
 * that sets no deadline and sends HEADERS, then part of its message or nothing, holds its stream (a
 * place under {@code --grpc-max-streams}) and the bytes so far forever. The time ends when the
 * request is whole, before the handler runs: queueing and inference are not in it. A client's own
 * shorter deadline still ends the call first. Calls whose client streams are left alone (there are
 * none here).
 *
 * <pre>{@code
 * ServerInterceptors.intercept(service, new GrpcMessageDeadline(timer, Duration.ofSeconds(20), onCut));
 * }</pre>
 */
final class GrpcMessageDeadline implements ServerInterceptor {
  private final ScheduledExecutorService timer;
  private final long millis;
  private final Runnable onCut;
  private final Status expired;

  /**
   * @param timer runs the expiries; it should drop cancelled tasks ({@code
   *     setRemoveOnCancelPolicy}) so that a flood of prompt calls holds none of them for the whole
   *     deadline
   * @param onCut told of each call closed here (no call is logged: a flood must not flood logs)
   */
  GrpcMessageDeadline(ScheduledExecutorService timer, Duration deadline, Runnable onCut) {
    this.timer = timer;
    this.millis = deadline.toMillis();
    this.onCut = onCut;
    this.expired =
        Status.DEADLINE_EXCEEDED.withDescription(
            "request message not received within " + millis + " ms (--body-timeout-ms)");
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (!call.getMethodDescriptor().getType().clientSendsOneMessage()) {
      return next.startCall(call, headers);
    }
    Watch<Q> watch = new Watch<>(next.startCall(call, headers), call);
    // Armed after startCall: the handler's request(n) there cannot race the expiry's close.
    watch.arm(timer.schedule(watch::expire, millis, TimeUnit.MILLISECONDS));
    return watch;
  }

  /**
   * One call's listener while its request arrives. ServerCall is not thread-safe: before the
   * request is whole only onMessage may touch the call (a second message closes it), so onMessage
   * and the expiry's close are serialized on this; from half-close on the expiry does nothing.
   */
  private final class Watch<Q>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
    private final ServerCall<Q, ?> call;
    private ScheduledFuture<?> expiry;
    private boolean waiting = true;
    private boolean cut;

    Watch(ServerCall.Listener<Q> delegate, ServerCall<Q, ?> call) {
      super(delegate);
      this.call = call;
    }

    synchronized void arm(ScheduledFuture<?> expiry) {
      if (waiting) {
        this.expiry = expiry;
      } else {
        expiry.cancel(false); // the call ended before it was armed
      }
    }

    void expire() {
      synchronized (this) {
        if (!waiting) {
          return;
        }
        waiting = false;
        cut = true;
        call.close(expired, new Metadata());
      }
      onCut.run();
    }

    /** Stops the clock; false when the call was cut already. */
    private synchronized boolean arrived() {
      if (waiting) {
        waiting = false;
        if (expiry != null) {
          expiry.cancel(false);
        }
      }
      return !cut;
    }

    @Override
    public void onMessage(Q message) {
      synchronized (this) {
        if (!cut) {
          super.onMessage(message);
        }
      }
    }

    @Override
    public void onHalfClose() {
      if (arrived()) {
        super.onHalfClose();
      }
    }

    @Override
    public void onCancel() {
      arrived();
      super.onCancel();
    }

    @Override
    public void onComplete() {
      arrived();
      super.onComplete();
    }
  }
}
