package dev.stampede.client.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.client.CallFailedException;
import dev.stampede.client.StampedeClient;
import dev.stampede.client.credentials.CredentialStore;
import dev.stampede.client.credentials.ResumeCredentials;
import dev.stampede.client.testing.FakeAuth;
import dev.stampede.client.testing.FakeDirectory;
import dev.stampede.client.testing.Fault;
import dev.stampede.client.testing.Faults;
import dev.stampede.client.testing.InProcessStampede;
import dev.stampede.client.time.FakeClock;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConnectionTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final FakeClock clock = new FakeClock();
  private final FakeAuth auth = new FakeAuth(clock).account("alice", "correct horse");
  private final FakeDirectory directory = new FakeDirectory(clock, auth::tokenValid);
  private final InProcessStampede stampede = new InProcessStampede(clock)
      .serve("auth", auth)
      .serve("directory", directory);
  private final StampedeClient client = stampede.client(stampede.clientBuilder(3));
  private final CredentialStore store = CredentialStore.inMemory();
  private final StateLog states = new StateLog();

  @AfterEach
  void close() {
    stampede.close();
  }

  /** Records state changes as "FROM->TO" and ticket rejections. */
  static final class StateLog implements ConnectionListener {
    final List<String> changes = new CopyOnWriteArrayList<>();
    final List<Throwable> causes = new CopyOnWriteArrayList<>();
    int ticketRejections;

    @Override
    public void onStateChanged(ConnectionState from, ConnectionState to, Throwable cause) {
      changes.add(from + "->" + to);
      if (cause != null) {
        causes.add(cause);
      }
    }

    @Override
    public void onTicketRejected() {
      ticketRejections++;
    }
  }

  private ConnectOptions.Builder options() {
    return ConnectOptions.builder("dev-1").password("alice", "correct horse").store(store).listener(states);
  }

  private Connection connection(ConnectOptions options) {
    return Connection.create(client, options);
  }

  private void storeValidTicket() throws Exception {
    store.save(new ResumeCredentials("alice", "u-alice", "dev-1", "s-0", auth.issueTicket("alice", "dev-1"), null));
  }

  private static Throwable failureOf(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.get();
      throw new AssertionError("not failed");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void withoutATicket_logsIn_registers_andIsOnline() throws Exception {
    Connection c = connection(options().build());

    CompletableFuture<Session> online = c.connect();
    clock.runDueTasks();

    assertThat(online).isCompleted();
    Session session = online.get();
    assertThat(session.userId()).isEqualTo("u-alice");
    assertThat(session.leaseId()).isNotNull();
    assertThat(c.state()).isEqualTo(ConnectionState.ONLINE);
    assertThat(states.changes).containsExactly("OFFLINE->CONNECTING", "CONNECTING->ONLINE");
    assertThat(auth.logins.count()).isEqualTo(1);
    assertThat(auth.resumes.count()).isZero();
    assertThat(store.load()).get().extracting(ResumeCredentials::resumeTicket).asString().startsWith("ticket-");
    assertThat(session.toString()).doesNotContain(session.sessionToken());
  }

  @Test
  void withAStoredTicket_resumes_andNeverAsksForThePassword() throws Exception {
    storeValidTicket();
    String presented = store.load().orElseThrow().resumeTicket();
    int[] passwordAsked = {0};
    Connection c = connection(options().password("alice", () -> {
      passwordAsked[0]++;
      return "correct horse";
    }).build());

    c.connect();
    clock.runDueTasks();

    assertThat(c.state()).isEqualTo(ConnectionState.ONLINE);
    assertThat(auth.resumes.count()).isEqualTo(1);
    assertThat(auth.resumes.last().getResumeTicket()).isEqualTo(presented);
    assertThat(auth.logins.count()).isZero();
    assertThat(passwordAsked[0]).isZero();
    assertThat(store.load().orElseThrow().resumeTicket()).as("rotated ticket stored").isNotEqualTo(presented);
  }

  @Test
  void invalidTicket_fallsBackToOnePasswordLogin() throws Exception {
    store.save(new ResumeCredentials("alice", "u-alice", "dev-1", "s-0", "ticket-forged", null));
    Connection c = connection(options().build());

    c.connect();
    clock.runDueTasks();

    assertThat(c.state()).isEqualTo(ConnectionState.ONLINE);
    assertThat(auth.resumes.count()).isEqualTo(1);
    assertThat(auth.logins.count()).isEqualTo(1);
    assertThat(states.ticketRejections).isEqualTo(1);
    assertThat(store.load().orElseThrow().resumeTicket()).isNotEqualTo("ticket-forged");
  }

  static List<Arguments> answersThatAreNotAboutTheTicket() {
    List<Arguments> cases = new ArrayList<>();
    cases.add(Arguments.of("RESOURCE_EXHAUSTED with pushback",
        (Supplier<io.grpc.StatusRuntimeException>) () -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 3_000)));
    cases.add(Arguments.of("UNAVAILABLE with pushback",
        (Supplier<io.grpc.StatusRuntimeException>) () -> Faults.overloaded(Status.Code.UNAVAILABLE, 1_500)));
    cases.add(Arguments.of("plain UNAVAILABLE",
        (Supplier<io.grpc.StatusRuntimeException>) () -> Faults.plain(Status.Code.UNAVAILABLE)));
    cases.add(Arguments.of("DEADLINE_EXCEEDED",
        (Supplier<io.grpc.StatusRuntimeException>) () -> Faults.plain(Status.Code.DEADLINE_EXCEEDED)));
    cases.add(Arguments.of("INTERNAL",
        (Supplier<io.grpc.StatusRuntimeException>) () -> Faults.plain(Status.Code.INTERNAL)));
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answersThatAreNotAboutTheTicket")
  void resumeFailingForAnyOtherReason_neverFallsBackToThePassword(String label,
      Supplier<io.grpc.StatusRuntimeException> failure) throws Exception {
    storeValidTicket();
    auth.resumeFault = Fault.first(15, failure);
    Connection c = connection(options().build());

    c.connect();
    clock.forward(Duration.ofMinutes(30));

    assertThat(auth.logins.count()).as(label).isZero();
    assertThat(auth.resumes.count()).isGreaterThan(15);
    assertThat(c.state()).isEqualTo(ConnectionState.ONLINE);
    assertThat(states.ticketRejections).isZero();
  }

  @Test
  void resumeWhoseAnswersAreLost_isResentWithTheSameKey_andNeedsNoLogIn() throws Exception {
    storeValidTicket();
    String presented = store.load().orElseThrow().resumeTicket();
    auth.resumeAnswersToLose.set(2); // rotated in the store, then the server died before answering
    Connection c = connection(options().build());

    c.connect();
    clock.forward(Duration.ofMinutes(1));

    assertThat(c.state()).isEqualTo(ConnectionState.ONLINE);
    List<dev.stampede.api.auth.v1.ResumeRequest> resumes = auth.resumes.requests();
    assertThat(resumes).hasSize(3).allSatisfy(r -> assertThat(r.getResumeTicket()).isEqualTo(presented));
    String key = resumes.get(0).getIdempotencyKey();
    assertThat(key).hasSize(22);
    assertThat(resumes).allSatisfy(r -> assertThat(r.getIdempotencyKey()).isEqualTo(key));
    assertThat(auth.logins.count()).isZero();
    assertThat(states.ticketRejections).isZero();
  }

  @Test
  void theKeyIsNeverStored_soAProcessThatRestartsAfterALostAnswer_logsIn() throws Exception {
    storeValidTicket();
    auth.resumeAnswersToLose.set(1);
    Connection before = connection(options().build());
    before.connect();
    clock.runDueTasks();
    before.close(); // the process dies; the call it had in flight resends once more, 35 ms on
    assertThat(store.load().orElseThrow().toString()).doesNotContain(auth.resumes.last().getIdempotencyKey());

    Connection after = connection(options().build());
    after.connect();
    clock.forward(Duration.ofMinutes(1));

    assertThat(after.state()).isEqualTo(ConnectionState.ONLINE);
    assertThat(auth.resumes.requests().get(1).getIdempotencyKey())
        .isNotEqualTo(auth.resumes.requests().get(0).getIdempotencyKey());
    assertThat(auth.logins.count()).as("a new key is re-use: the family is revoked; one log-in, by the new process")
        .isEqualTo(1);
    assertThat(auth.resumes.requests().get(2).getIdempotencyKey()).as("the closed connection's last resend")
        .isEqualTo(auth.resumes.requests().get(0).getIdempotencyKey());
  }

  @Test
  void roundsAfterPushback_neverComeBackEarlierThanTheServerAsked() throws Exception {
    storeValidTicket();
    auth.resumeFault = Fault.first(12, () -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 7_000));
    Connection c = connection(options().build());

    c.connect();
    clock.forward(Duration.ofMinutes(10));

    // 12 refusals, then the resume that succeeds (later ones are session refreshes, ~7.5 min after it).
    List<Long> arrivals = auth.resumes.arrivals();
    assertThat(arrivals).hasSizeGreaterThanOrEqualTo(13);
    for (int i = 1; i < 13; i++) {
      assertThat(arrivals.get(i) - arrivals.get(i - 1)).as("gap %d", i).isGreaterThanOrEqualTo(7 * SECOND);
    }
    assertThat(c.state()).isEqualTo(ConnectionState.ONLINE);
  }

  @Test
  void roundAfterAPushbackBeyondTheCallsDeadline_bringsBackTheServersBooking() throws Exception {
    List<io.grpc.Metadata> seen = stampede.serveRecordingHeaders("auth", auth);
    storeValidTicket();
    // 20 s is past the resume call's own deadline: the call fails, and the connect round comes back for the slot.
    auth.resumeFault = Fault.first(1,
        () -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 20_000, "q1.0123456789abcdef"));
    Connection c = connection(options().build());

    c.connect();
    clock.forward(Duration.ofMinutes(1));

    assertThat(c.state()).isEqualTo(ConnectionState.ONLINE);
    assertThat(auth.resumes.arrivals()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(auth.resumes.arrivals().get(1) - auth.resumes.arrivals().get(0))
        .isGreaterThanOrEqualTo(20 * SECOND);
    assertThat(seen.get(0).get(Faults.BOOKING)).isNull();
    assertThat(seen.get(1).get(Faults.BOOKING)).isEqualTo("q1.0123456789abcdef");
  }

  @Test
  void manyRefusalsWithAShortPushback_neverMakeTheDeviceRefuseItself() throws Exception {
    // A storm: auth refuses this device's resume 40 times, each time asking it back after 100 ms. The device's own
    // round backoff grows past that delay, so its rounds come later than the server asked; they still follow the
    // server's schedule and must reach the server. (Counted as requests without accepts, a local veto would grow on
    // itself: the device would refuse itself round after round until its two-minute throttle window had aged.)
    storeValidTicket();
    auth.resumeFault = Fault.first(40, () -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 100));
    List<Throwable> roundFailures = new CopyOnWriteArrayList<>();
    Connection c = connection(options().listener(new ConnectionListener() {
      @Override
      public void onStateChanged(ConnectionState from, ConnectionState to, Throwable cause) {
      }

      @Override
      public void onConnectRoundFailed(Throwable cause, Duration retryIn) {
        roundFailures.add(cause);
      }
    }).build());

    c.connect();
    clock.forward(Duration.ofMinutes(10));

    assertThat(roundFailures).as("rounds that failed").isNotEmpty();
    assertThat(roundFailures).noneMatch(e -> e instanceof CallFailedException
        && ((CallFailedException) e).rejectedLocally());
    assertThat(auth.resumes.arrivals()).as("every refusal reached the server, then the success").hasSize(41);
    assertThat(c.state()).isEqualTo(ConnectionState.ONLINE);
  }

  @Test
  void wrongPassword_stopsOffline_withUnauthenticated_andDoesNotRetry() {
    Connection c = connection(options().password("alice", "wrong horse").build());

    CompletableFuture<Session> online = c.connect();
    clock.forward(Duration.ofMinutes(10));

    Throwable cause = failureOf(online);
    assertThat(cause).isInstanceOf(CallFailedException.class);
    assertThat(((CallFailedException) cause).code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(auth.logins.count()).isEqualTo(1);
    assertThat(c.state()).isEqualTo(ConnectionState.OFFLINE);
    assertThat(states.changes).containsExactly("OFFLINE->CONNECTING", "CONNECTING->OFFLINE");
  }

  @Test
  void invalidTicketAndNoPassword_stopsOffline() throws Exception {
    store.save(new ResumeCredentials("", "u-alice", "dev-1", "s-0", "ticket-forged", null));
    Connection c = connection(ConnectOptions.builder("dev-1").store(store).build());

    CompletableFuture<Session> online = c.connect();
    clock.forward(Duration.ofMinutes(1));

    assertThat(failureOf(online)).hasMessageContaining("no password");
    assertThat(c.state()).isEqualTo(ConnectionState.OFFLINE);
  }

  @Test
  void ticketOfAnotherDevice_isNotPresented() throws Exception {
    store.save(new ResumeCredentials("alice", "u-alice", "dev-OTHER", "s-0", auth.issueTicket("alice", "dev-OTHER"),
        null));
    Connection c = connection(options().build());

    c.connect();
    clock.runDueTasks();

    assertThat(auth.resumes.count()).isZero();
    assertThat(auth.logins.count()).isEqualTo(1);
  }

  @Test
  void heartbeats_comeAtAThirdOfTheTtl_withJitter() {
    Connection c = connection(options().build());
    c.connect();
    clock.forward(Duration.ofMinutes(5));

    List<Long> beats = directory.heartbeats.arrivals();
    assertThat(beats.size()).isBetween(26, 34);
    long previous = directory.registers.arrivals().get(0);
    for (long beat : beats) {
      assertThat(beat - previous).isBetween(9 * SECOND, 11 * SECOND);
      previous = beat;
    }
    assertThat(beats.stream().map(b -> b % SECOND).distinct().count()).as("jittered, not in lock step")
        .isGreaterThan(20);
    assertThat(directory.liveLeases()).isEqualTo(1);
  }

  @Test
  void lostLease_isRegisteredAgain_withoutAuthenticating() {
    Connection c = connection(options().build());
    c.connect();
    clock.forward(Duration.ofSeconds(5));

    directory.expireAllLeases();
    clock.forward(Duration.ofSeconds(20));

    assertThat(states.changes).containsExactly("OFFLINE->CONNECTING", "CONNECTING->ONLINE", "ONLINE->CONNECTING",
        "CONNECTING->ONLINE");
    assertThat(directory.registers.count()).isEqualTo(2);
    assertThat(auth.logins.count() + auth.resumes.count()).as("token still valid").isEqualTo(1);
    assertThat(c.session().orElseThrow().leaseId()).isEqualTo(directory.registers.count() == 2 ? "lease-2" : null);
  }

  @Test
  void refusedToken_isRenewedWithResume_notThePassword() {
    Connection c = connection(options().build());
    c.connect();
    clock.forward(Duration.ofSeconds(5));

    auth.revokeAllTokens();
    clock.forward(Duration.ofSeconds(20));

    assertThat(c.state()).isEqualTo(ConnectionState.ONLINE);
    assertThat(auth.logins.count()).isEqualTo(1);
    assertThat(auth.resumes.count()).isEqualTo(1);
    assertThat(directory.registers.count()).isEqualTo(2);
  }

  @Test
  void freshTokenRefusedByTheDirectory_backsOff_insteadOfLooping() {
    directory.registerFault = Fault.always(() -> io.grpc.Status.UNAUTHENTICATED.asRuntimeException());
    Connection c = connection(options().build());

    c.connect();
    clock.forward(Duration.ofMinutes(2));

    assertThat(c.state()).isEqualTo(ConnectionState.CONNECTING);
    assertThat(auth.logins.count() + auth.resumes.count()).as("rounds back off").isBetween(3, 20);
  }

  @Test
  void overloadedHeartbeats_honourPushback_andStayOnlineWhileTheLeaseLives() {
    Connection c = connection(options().build());
    c.connect();
    clock.runDueTasks();
    directory.heartbeatFault = Fault.first(2, () -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 4_000));

    clock.forward(Duration.ofSeconds(40));

    List<Long> beats = directory.heartbeats.arrivals();
    assertThat(beats.get(1) - beats.get(0)).isGreaterThanOrEqualTo(4 * SECOND);
    assertThat(beats.get(2) - beats.get(1)).isGreaterThanOrEqualTo(4 * SECOND);
    assertThat(states.changes).containsExactly("OFFLINE->CONNECTING", "CONNECTING->ONLINE");
    assertThat(directory.registers.count()).isEqualTo(1);
  }

  @Test
  void sessionToken_isRefreshedWithResume_beforeItExpires() {
    Connection c = connection(options().build());
    c.connect();
    clock.runDueTasks();
    long loggedInAt = auth.logins.arrivals().get(0);
    String firstToken = c.session().orElseThrow().sessionToken();

    clock.forward(Duration.ofMinutes(30));

    List<Long> refreshes = auth.resumes.arrivals();
    assertThat(refreshes.size()).as("every ~7.5 of 10 minutes").isBetween(3, 5);
    assertThat(refreshes.get(0) - loggedInAt).isBetween((long) (0.675 * 600 * SECOND), (long) (0.825 * 600 * SECOND));
    assertThat(c.session().orElseThrow().sessionToken()).isNotEqualTo(firstToken);
    assertThat(directory.heartbeats.last().getSessionToken()).isEqualTo(c.session().orElseThrow().sessionToken());
    assertThat(states.changes).containsExactly("OFFLINE->CONNECTING", "CONNECTING->ONLINE");
    assertThat(auth.logins.count()).isEqualTo(1);
  }

  @Test
  void disconnect_withdrawsPresence_keepsTheTicket_andTheNextConnectResumes() throws Exception {
    Connection c = connection(options().build());
    c.connect();
    clock.runDueTasks();

    CompletableFuture<Void> done = c.disconnect();
    clock.runDueTasks();

    assertThat(done).isCompleted();
    assertThat(c.state()).isEqualTo(ConnectionState.OFFLINE);
    assertThat(directory.unregisters.count()).isEqualTo(1);
    assertThat(store.load()).isPresent();
    int beats = directory.heartbeats.count();
    clock.forward(Duration.ofMinutes(5));
    assertThat(directory.heartbeats.count()).as("no heartbeats while offline").isEqualTo(beats);

    auth.revokeAllTokens();
    c.connect();
    clock.runDueTasks();
    assertThat(c.state()).isEqualTo(ConnectionState.ONLINE);
    assertThat(auth.resumes.count()).isEqualTo(1);
    assertThat(auth.logins.count()).isEqualTo(1);
  }

  @Test
  void reboot_aNewConnectionWithTheSameStore_resumes() {
    Connection before = connection(options().build());
    before.connect();
    clock.forward(Duration.ofSeconds(3));
    before.close();
    int rpcsBefore = directory.heartbeats.count() + directory.unregisters.count();
    clock.forward(Duration.ofMinutes(1));
    assertThat(directory.heartbeats.count() + directory.unregisters.count()).as("a crash sends nothing")
        .isEqualTo(rpcsBefore);

    Connection after = connection(options().build());
    after.connect();
    clock.runDueTasks();

    assertThat(after.state()).isEqualTo(ConnectionState.ONLINE);
    assertThat(auth.logins.count()).isEqualTo(1);
    assertThat(auth.resumes.count()).isEqualTo(1);
    assertThat(failureOf(before.connect())).hasMessageContaining("closed");
  }

  @Test
  void logout_endsTheSession_andForgetsTheTicket() throws Exception {
    Connection c = connection(options().build());
    c.connect();
    clock.runDueTasks();

    CompletableFuture<Void> done = c.logout();
    clock.runDueTasks();

    assertThat(done).isCompleted();
    assertThat(auth.logouts.count()).isEqualTo(1);
    assertThat(store.load()).isEmpty();
    c.connect();
    clock.runDueTasks();
    assertThat(auth.logins.count()).isEqualTo(2);
  }

  @Test
  void directoryDownAtConnect_goesOnlineWithinTheReconnectCapOfItsReturn() {
    stampede.stop("directory");
    Connection c = connection(options().build());

    c.connect();
    clock.forward(Duration.ofSeconds(47));
    assertThat(c.state()).isEqualTo(ConnectionState.CONNECTING);
    long upAt = clock.nanoTime();
    stampede.start("directory");
    clock.forward(Duration.ofSeconds(5));

    assertThat(c.state()).isEqualTo(ConnectionState.ONLINE);
    long lag = directory.registers.arrivals().get(0) - upAt;
    assertThat(lag).isBetween(0L, (long) (1.2 * SECOND));
    assertThat(auth.logins.count()).as("one log-in; rounds reuse the valid token").isEqualTo(1);
  }

  @Test
  void authDownAtConnect_resumeGetsItsWholeDeadlineOnceAuthIsBack() throws Exception {
    storeValidTicket();
    stampede.stop("auth");
    Connection c = connection(options().build());

    c.connect();
    // Down for two and a half auth deadlines (10 s each): a call sent at once would wait for auth with its deadline
    // running, and have about half of it left when auth is back.
    clock.forward(Duration.ofSeconds(25));
    assertThat(auth.resumes.count()).isZero();
    stampede.start("auth");
    clock.forward(Duration.ofSeconds(5));

    assertThat(c.state()).isEqualTo(ConnectionState.ONLINE);
    assertThat(auth.resumes.count()).isEqualTo(1);
    assertThat(auth.logins.count()).isZero();
    assertThat(auth.resumeDeadlinesMillis).singleElement().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LONG)
        .isGreaterThan(TimeUnit.SECONDS.toMillis(9));
  }

  @Test
  void startupDelay_spreadsAFleetThatBootsTogether() {
    List<Connection> fleet = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      auth.account("user-" + i, "pw-" + i + "-long-enough");
      fleet.add(connection(ConnectOptions.builder("dev-" + i).password("user-" + i, "pw-" + i + "-long-enough")
          .startupDelay(Duration.ofSeconds(10)).build()));
    }
    fleet.forEach(Connection::connect);
    clock.forward(Duration.ofSeconds(11));

    List<Long> arrivals = auth.logins.arrivals();
    assertThat(arrivals).hasSize(200).allSatisfy(a -> assertThat(a).isBetween(0L, 10 * SECOND));
    int[] perSecond = new int[10];
    arrivals.forEach(a -> perSecond[(int) Math.min(9, a / SECOND)]++);
    for (int count : perSecond) {
      assertThat(count).as("about 20 per second").isBetween(8, 35);
    }
    assertThat(fleet).allMatch(c -> c.state() == ConnectionState.ONLINE);
  }

  @Test
  void aThousandConnections_shareOneClient() {
    int n = 1_000;
    List<Connection> fleet = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      auth.account("user-" + i, "password-" + i);
      fleet.add(connection(ConnectOptions.builder("dev-" + i).password("user-" + i, "password-" + i).build()));
    }
    int threadsBefore = Thread.activeCount();

    fleet.forEach(Connection::connect);
    clock.forward(Duration.ofMinutes(2));

    assertThat(fleet).allMatch(c -> c.state() == ConnectionState.ONLINE);
    assertThat(directory.liveLeases()).isEqualTo(n);
    assertThat(Thread.activeCount() - threadsBefore).as("no thread per connection").isLessThan(5);
  }
}
