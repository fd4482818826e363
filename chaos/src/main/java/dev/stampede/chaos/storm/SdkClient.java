package dev.stampede.chaos.storm;

import dev.stampede.chaos.timeline.StormRecorder;
import dev.stampede.client.StampedeClient;
import dev.stampede.client.connect.ConnectOptions;
import dev.stampede.client.connect.Connection;
import dev.stampede.client.connect.ConnectionListener;
import dev.stampede.client.connect.ConnectionState;
import dev.stampede.client.credentials.CredentialStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A virtual client of the {@link ClientProfile.Sdk} profile: one SDK {@link Connection} per life of the client
 * with the SDK's defaults — resume first with the ticket kept across reboots, presence, heartbeats, the SDK's own
 * waiting and retry discipline. A reboot abandons the connection without a call (what a machine losing power
 * does) and, after the boot time, opens a new one on the same {@link CredentialStore}, which then resumes.
 *
 * <p>The client's RPC attempts are recorded by the channel it runs on ({@link RecordingInterceptor}); its online
 * and offline transitions go to the recorder's online tracker from the connection's state changes.
 *
 * <p>Thread-safe: lifecycle changes and state callbacks run under the client's lock, and a generation counter
 * drops the callbacks of an abandoned connection.
 */
public final class SdkClient implements VirtualClient {
  private final ClientIdentity id;
  private final Function<ClientIdentity, StampedeClient> client;
  private final StormTimer timer;
  private final StormRecorder recorder;
  // The disk of the client's machine: survives reboots, so a rebooted client has its resume ticket.
  private final CredentialStore store = CredentialStore.inMemory();

  private long generation;
  private boolean stopped;
  private Connection connection;
  private StormTimer.Cancellable pending;
  private CompletableFuture<Void> firstOnline;
  private volatile Throwable stoppedBy;
  private volatile String lastFailure;

  /**
   * @param id who the client is
   * @param client the shared SDK client this virtual client uses (asked at every start of a life)
   * @param timer the storm's timers (reboots)
   * @param recorder where online transitions go
   */
  public SdkClient(ClientIdentity id, Function<ClientIdentity, StampedeClient> client, StormTimer timer,
      StormRecorder recorder) {
    this.id = id;
    this.client = client;
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
      if (!stopped) {
        startLife();
      }
    }
    return firstOnline;
  }

  @Override
  public synchronized void reboot(Duration bootTime) {
    if (stopped) {
      return;
    }
    generation++;
    abandon();
    recorder.online().reboot(id.index(), timer.nanoTime());
    long g = generation;
    pending = timer.schedule(bootTime.toNanos(), () -> {
      synchronized (this) {
        if (g == generation && !stopped) {
          startLife();
        }
      }
    });
  }

  @Override
  public synchronized void stop() {
    stopped = true;
    generation++;
    abandon();
  }

  /**
   * Why the client's last connection stopped for good (a wrong password, no ticket and no password), or
   * {@code null}: such a client stays offline until its next reboot.
   */
  public Throwable stoppedBy() {
    return stoppedBy;
  }

  @Override
  public synchronized String describe() {
    String state = connection == null ? (stopped ? "stopped" : "rebooting") : connection.state().toString();
    StringBuilder s = new StringBuilder(id.toString()).append(": ").append(state);
    if (stoppedBy != null) {
      s.append(", stopped by ").append(oneLine(stoppedBy));
    } else if (lastFailure != null) {
      s.append(", last failure ").append(lastFailure);
    }
    return s.toString();
  }

  private static String oneLine(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  // --- under the lock ---

  private void startLife() {
    long g = ++generation;
    ConnectOptions options = ConnectOptions.builder(id.deviceId())
        .password(id.username(), id.password())
        .store(store)
        .listener(new Listener(g))
        .build();
    connection = Connection.create(client.apply(id), options);
    connection.connect();
  }

  private void abandon() {
    if (pending != null) {
      pending.cancel();
      pending = null;
    }
    if (connection != null) {
      Connection c = connection;
      connection = null;
      c.close();
    }
  }

  private final class Listener implements ConnectionListener {
    private final long g;

    Listener(long g) {
      this.g = g;
    }

    @Override
    public void onConnectRoundFailed(Throwable cause, Duration retryIn) {
      synchronized (SdkClient.this) {
        if (g == generation) {
          lastFailure = oneLine(cause) + " (next round in " + retryIn.toMillis() + " ms)";
        }
      }
    }

    @Override
    public void onStateChanged(ConnectionState from, ConnectionState to, Throwable cause) {
      CompletableFuture<Void> first = null;
      Throwable failed = null;
      synchronized (SdkClient.this) {
        if (g != generation) {
          return;
        }
        long now = timer.nanoTime();
        if (to == ConnectionState.ONLINE) {
          recorder.online().online(id.index(), now);
          first = firstOnline;
        } else if (from == ConnectionState.ONLINE) {
          recorder.online().offline(id.index(), now);
        }
        if (to == ConnectionState.OFFLINE && cause != null) {
          stoppedBy = cause;
          first = firstOnline;
          failed = cause;
        }
      }
      if (first != null && failed == null) {
        first.complete(null);
      } else if (first != null) {
        first.completeExceptionally(failed);
      }
    }
  }
}
