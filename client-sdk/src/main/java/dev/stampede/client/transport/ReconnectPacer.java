package dev.stampede.client.transport;

import dev.stampede.client.observe.ClientEventListener;
import dev.stampede.client.observe.ReconnectEvent;
import dev.stampede.client.retry.Backoff;
import dev.stampede.client.time.TimeSource;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Keeps a channel's reconnect attempts short and capped while it has no connection.
 *
 * <p>gRPC backs off reconnects exponentially up to 120 s; after a restart of every pod, a client could sleep for
 * a minute while the server is long back. While the channel is in {@code TRANSIENT_FAILURE} or
 * {@code CONNECTING}, the pacer calls {@link ManagedChannel#resetConnectBackoff()} after waits that grow from
 * {@link ReconnectOptions#initial()} to {@link ReconnectOptions#cap()} with proportional jitter, so a failed
 * subchannel tries again at least once per cap. Calls that wait for READY (wait-for-ready) therefore leave within
 * about one cap of the server coming back. The pacer goes quiet when the channel is READY or IDLE and stops at
 * SHUTDOWN.
 *
 * <p>Thread-safe; it holds no thread, only one timer on the {@link TimeSource} while the channel is down.
 */
public final class ReconnectPacer {
  private final ManagedChannel channel;
  private final String target;
  private final TimeSource time;
  private final Backoff backoff;
  private final ClientEventListener events;
  private ScheduledFuture<?> timer;
  private long timerDelayNanos;
  private int kicks;
  private boolean stopped;

  private ReconnectPacer(ManagedChannel channel, String target, ReconnectOptions options, TimeSource time,
      RandomGenerator random, ClientEventListener events) {
    this.channel = channel;
    this.target = target;
    this.time = time;
    this.backoff = Backoff.proportionalJitter(options.initial(), options.cap(), options.multiplier(),
        options.jitter(), random);
    this.events = events;
  }

  /**
   * Starts pacing {@code channel}; returns null when {@code options} disable pacing.
   *
   * @param target the channel's target, for events
   */
  public static ReconnectPacer attach(ManagedChannel channel, String target, ReconnectOptions options,
      TimeSource time, RandomGenerator random, ClientEventListener events) {
    if (!options.enabled()) {
      return null;
    }
    ReconnectPacer pacer = new ReconnectPacer(channel, target, options, time, random, events);
    pacer.observe();
    return pacer;
  }

  private void observe() {
    ConnectivityState state = channel.getState(false);
    onState(state);
    if (state != ConnectivityState.SHUTDOWN) {
      channel.notifyWhenStateChanged(state, this::observe);
    }
  }

  private synchronized void onState(ConnectivityState state) {
    if (stopped) {
      return;
    }
    switch (state) {
      case TRANSIENT_FAILURE:
      case CONNECTING:
        if (timer == null) {
          timerDelayNanos = backoff.delayNanos(kicks + 1);
          try {
            timer = time.scheduler().schedule(this::kick, timerDelayNanos, TimeUnit.NANOSECONDS);
          } catch (RejectedExecutionException e) {
            stopped = true;
          }
        }
        break;
      case READY:
      case IDLE:
        cancelTimer();
        kicks = 0;
        break;
      case SHUTDOWN:
      default:
        stop();
        break;
    }
  }

  private void kick() {
    int kick;
    long waited;
    synchronized (this) {
      timer = null;
      if (stopped) {
        return;
      }
      kick = ++kicks;
      waited = timerDelayNanos;
    }
    try {
      events.onReconnectKick(new ReconnectEvent(target, kick, waited));
    } catch (RuntimeException ignored) {
      // An observer must not stop reconnecting.
    }
    channel.resetConnectBackoff();
    onState(channel.getState(false));
  }

  /** Kicks so far since the channel last was READY or IDLE. */
  public synchronized int kicks() {
    return kicks;
  }

  /** Stops pacing; idempotent. */
  public synchronized void stop() {
    stopped = true;
    cancelTimer();
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
