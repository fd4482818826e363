package dev.stampede.chaos.storm;

import dev.stampede.chaos.timeline.Outcome;
import dev.stampede.chaos.timeline.Rpc;
import dev.stampede.chaos.timeline.StormRecorder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A virtual client with the {@link ClientProfile.Skype2007} profile, on {@link RawCalls}: on every return a full
 * password log-in and a presence registration, each RPC with a 5 s deadline; any failure waits a fixed 6 s
 * ({@link Skype2007Schedule}); a heartbeat failure is a lost connection and starts a new return.
 *
 * <p>Thread-safe: every event runs under the client's lock; a generation counter drops the late completions of an
 * earlier life (before a reboot) or an earlier try.
 */
public final class Skype2007Client implements VirtualClient {
  private final ClientIdentity id;
  private final ClientProfile.Skype2007 profile;
  private final Skype2007Schedule schedule;
  private final RawCalls calls;
  private final StormTimer timer;
  private final StormRecorder recorder;

  private long generation;
  private boolean stopped;
  private String sessionToken;
  private StormTimer.Cancellable pending;
  private CompletableFuture<Void> firstOnline;
  private String lastCode;

  /**
   * @param id who the client is
   * @param profile the 2007 parameters
   * @param calls single RPC attempts
   * @param timer the storm's timers
   * @param recorder where RPCs and transitions are recorded
   */
  public Skype2007Client(ClientIdentity id, ClientProfile.Skype2007 profile, RawCalls calls, StormTimer timer,
      StormRecorder recorder) {
    this.id = id;
    this.profile = profile;
    this.schedule = new Skype2007Schedule(profile);
    this.calls = calls;
    this.timer = timer;
    this.recorder = recorder;
  }

  @Override
  public ClientIdentity identity() {
    return id;
  }

  @Override
  public synchronized CompletableFuture<Void> comeOnline() {
    if (firstOnline == null) {
      firstOnline = new CompletableFuture<>();
      comeBack();
    }
    return firstOnline;
  }

  @Override
  public synchronized void reboot(Duration bootTime) {
    if (stopped) {
      return;
    }
    generation++;
    cancelPending();
    sessionToken = null;
    recorder.online().reboot(id.index(), timer.nanoTime());
    long g = generation;
    pending = timer.schedule(bootTime.toNanos(), () -> {
      synchronized (this) {
        if (g == generation && !stopped) {
          comeBack();
        }
      }
    });
  }

  @Override
  public synchronized void stop() {
    stopped = true;
    generation++;
    cancelPending();
  }

  @Override
  public synchronized String describe() {
    String state = stopped ? "stopped" : sessionToken == null ? "logging in, try " + schedule.triesSoFar()
        : "logged in";
    return id + ": " + state + (lastCode == null ? "" : ", last failure " + lastCode);
  }

  /** Tries so far in the current return (for tests and diagnostics). */
  public synchronized int triesSoFar() {
    return schedule.triesSoFar();
  }

  // --- the state machine; every method below runs under the lock ---

  private void comeBack() {
    generation++;
    plan(schedule.comeBack(timer.nanoTime()));
  }

  private void plan(Skype2007Schedule.Try t) {
    long g = generation;
    cancelPending();
    pending = timer.schedule(t.atNanos() - timer.nanoTime(), () -> {
      synchronized (this) {
        if (g == generation && !stopped) {
          login(t);
        }
      }
    });
  }

  private void login(Skype2007Schedule.Try t) {
    if (t.newConnection()) {
      calls.reconnect(id.index());
    }
    long g = generation;
    long start = timer.nanoTime();
    recorder.attempt(Rpc.LOGIN, start);
    calls.login(id.index(), id.username(), id.password(), id.deviceId(), profile.attemptTimeout())
        .whenComplete((reply, error) -> {
          Reply<RawCalls.Grant> r = reply != null ? reply : Reply.failed(Outcome.ERROR, "INTERNAL", -1);
          recorder.result(Rpc.LOGIN, r.outcome(), start, timer.nanoTime());
          synchronized (this) {
            if (g != generation || stopped) {
              return;
            }
            if (r.ok()) {
              sessionToken = r.value().sessionToken();
              register();
            } else {
              failed(r.code(), r.pushbackMillis());
            }
          }
        });
  }

  private void register() {
    long g = generation;
    long start = timer.nanoTime();
    recorder.attempt(Rpc.REGISTER, start);
    calls.register(id.index(), sessionToken, profile.attemptTimeout()).whenComplete((reply, error) -> {
      Reply<RawCalls.Lease> r = reply != null ? reply : Reply.failed(Outcome.ERROR, "INTERNAL", -1);
      long now = timer.nanoTime();
      recorder.result(Rpc.REGISTER, r.outcome(), start, now);
      CompletableFuture<Void> first = null;
      synchronized (this) {
        if (g != generation || stopped) {
          return;
        }
        if (!r.ok()) {
          failed(r.code(), r.pushbackMillis());
          return;
        }
        schedule.succeeded();
        recorder.online().online(id.index(), now);
        scheduleHeartbeat(r.value());
        first = firstOnline;
      }
      if (first != null) {
        first.complete(null);
      }
    });
  }

  private void failed(String code, long pushbackMillis) {
    lastCode = code;
    plan(schedule.failed(timer.nanoTime(), pushbackMillis));
  }

  private void scheduleHeartbeat(RawCalls.Lease lease) {
    long g = generation;
    // A third of the TTL, as the directory contract recommends.
    long interval = Math.max(1, lease.ttl().toNanos() / 3);
    cancelPending();
    pending = timer.schedule(interval, () -> {
      synchronized (this) {
        if (g == generation && !stopped) {
          heartbeat(lease);
        }
      }
    });
  }

  private void heartbeat(RawCalls.Lease lease) {
    long g = generation;
    long start = timer.nanoTime();
    recorder.attempt(Rpc.HEARTBEAT, start);
    calls.heartbeat(id.index(), sessionToken, lease.leaseId(), profile.attemptTimeout()).whenComplete((reply, e) -> {
      Reply<Void> r = reply != null ? reply : Reply.failed(Outcome.ERROR, "INTERNAL", -1);
      long now = timer.nanoTime();
      recorder.result(Rpc.HEARTBEAT, r.outcome(), start, now);
      synchronized (this) {
        if (g != generation || stopped) {
          return;
        }
        if (r.ok()) {
          scheduleHeartbeat(lease);
        } else {
          // The 2007 client took any trouble with its connection as being logged out: a full log-in again.
          recorder.online().offline(id.index(), now);
          sessionToken = null;
          comeBack();
        }
      }
    });
  }

  private void cancelPending() {
    if (pending != null) {
      pending.cancel();
      pending = null;
    }
  }
}
