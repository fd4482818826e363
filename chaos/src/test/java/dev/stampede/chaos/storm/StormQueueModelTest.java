package dev.stampede.chaos.storm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.chaos.metrics.Recovery;
import dev.stampede.chaos.timeline.Outcome;
import dev.stampede.chaos.timeline.StormRecorder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The physics the demo's plan rests on, checked on a fake clock: skype2007 clients against a queueing model of the
 * auth server (one worker, 40 ms per password log-in, so C = 25 log-ins/s; down for the first 6 s after t0).
 *
 * <ul>
 *   <li>The naive server — unbounded FIFO queue, no deadline checks, so it hashes passwords for clients that gave
 *       up — stays down for 5 × the bound when the clients offer N ÷ 11 s = 2 × C.
 *   <li>The same server with a queue-time limit that rejects at once (admission) recovers within 2 × the bound.
 *   <li>The naive server recovers when the clients offer only 0.8 × C.
 * </ul>
 */
class StormQueueModelTest {
  private static final long S = 1_000_000_000L;
  private static final long SERVICE = 40_000_000L;
  private static final double C = 1e9 / SERVICE;
  private static final long DOWN = 6 * S;
  private static final Duration W = Duration.ofSeconds(10);

  /** One worker in front of a queue; with admission, a log-in that would wait over 100 ms is rejected at once. */
  static final class ModelServer implements RawCalls {
    private final FakeTimer timer;
    private final boolean admission;
    private final Deque<CompletableFuture<Reply<Grant>>> queue = new ArrayDeque<>();
    private boolean busy;
    long upAt;
    long hashes;

    ModelServer(FakeTimer timer, boolean admission) {
      this.timer = timer;
      this.admission = admission;
    }

    @Override
    public CompletableFuture<Reply<Grant>> login(int c, String u, String p, String d, Duration deadline) {
      CompletableFuture<Reply<Grant>> f = new CompletableFuture<>();
      if (timer.nanoTime() < upAt) {
        f.complete(Reply.failed(Outcome.UNREACHABLE, "UNAVAILABLE", -1));
        return f;
      }
      if (admission && (queue.size() + 1) * SERVICE > 100_000_000L) {
        f.complete(Reply.failed(Outcome.REJECTED, "RESOURCE_EXHAUSTED", 1000));
        return f;
      }
      // The client's deadline: it stops waiting, but the request stays in the naive server's queue.
      timer.schedule(deadline.toNanos(), () -> f.complete(Reply.failed(Outcome.TIMEOUT, "DEADLINE_EXCEEDED", -1)));
      queue.add(f);
      work();
      return f;
    }

    private void work() {
      if (busy || queue.isEmpty()) {
        return;
      }
      CompletableFuture<Reply<Grant>> next = queue.poll();
      busy = true;
      timer.schedule(SERVICE, () -> {
        hashes++;
        next.complete(Reply.ok(new Grant("u", "token", "ticket")));
        busy = false;
        work();
      });
    }

    @Override
    public CompletableFuture<Reply<Lease>> register(int c, String token, Duration deadline) {
      return CompletableFuture.completedFuture(Reply.ok(new Lease("lease", Duration.ofMinutes(10))));
    }

    @Override
    public CompletableFuture<Reply<Void>> heartbeat(int c, String token, String lease, Duration deadline) {
      return CompletableFuture.completedFuture(Reply.ok(null));
    }

    @Override
    public void reconnect(int c) {
    }
  }

  private record Outcome2(boolean recovered, double t99, double bound, double watched) {
  }

  /** N clients online, then at t0 the server restarts and every client reboots uniformly over W. */
  private static Outcome2 storm(int n, boolean admission) {
    FakeTimer timer = new FakeTimer();
    StormRecorder recorder = new StormRecorder(n, 0);
    ModelServer server = new ModelServer(timer, admission);
    Skype2007Client[] clients = new Skype2007Client[n];
    for (int i = 0; i < n; i++) {
      clients[i] = new Skype2007Client(ClientIdentity.of("u", "pw-pw-pw", i), ClientProfile.Skype2007.DEFAULT,
          server, timer, recorder);
      recorder.online().online(i, 0);
      recorder.online().scheduleReboot(i);
    }
    long t0 = S;
    timer.advance(t0);
    recorder.online().trigger(t0);
    server.upAt = t0 + DOWN;
    server.queue.clear();
    for (int i = 0; i < n; i++) {
      Skype2007Client c = clients[i];
      timer.schedule(W.toNanos() * i / n, () -> c.reboot(Duration.ZERO));
    }
    double bound = Recovery.bound(W.toSeconds(), DOWN / 1e9, n, C);
    double watch = 5 * bound;
    timer.advance(Math.round(watch * 1e9));
    var t99 = recorder.online().t99();
    return new Outcome2(t99.isPresent(), t99.isPresent() ? (t99.getAsLong() - t0) / 1e9 : Double.NaN, bound, watch);
  }

  @Test
  void naiveServer_offeredTwiceItsCapacity_staysDown() {
    int n = (int) Math.ceil(2 * 11 * C);

    Outcome2 o = storm(n, false);

    assertThat(o.recovered()).as("metastable: not back within %.0f s = 5 x bound", o.watched()).isFalse();
  }

  @Test
  void admissionControl_sameStorm_recoversWithinTwiceTheBound() {
    int n = (int) Math.ceil(2 * 11 * C);

    Outcome2 o = storm(n, true);

    assertThat(o.recovered()).isTrue();
    assertThat(o.t99() / o.bound()).isLessThanOrEqualTo(2.0);
  }

  @Test
  void naiveServer_offeredBelowItsCapacity_recovers() {
    int n = (int) Math.floor(0.8 * 11 * C);

    Outcome2 o = storm(n, false);

    assertThat(o.recovered()).isTrue();
  }
}
