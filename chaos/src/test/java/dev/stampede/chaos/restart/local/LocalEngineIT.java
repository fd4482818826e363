package dev.stampede.chaos.restart.local;

import static dev.stampede.chaos.restart.local.FakeStacks.fake;
import static dev.stampede.chaos.restart.local.FakeStacks.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.stampede.chaos.restart.Action;
import dev.stampede.chaos.restart.Journal;
import dev.stampede.chaos.restart.JournalEvent;
import dev.stampede.chaos.restart.JournalEvent.Outcome;
import dev.stampede.chaos.restart.JournalEvent.Type;
import dev.stampede.chaos.restart.Mode;
import dev.stampede.chaos.restart.RestartPlan;
import dev.stampede.chaos.restart.RestartResult;
import dev.stampede.chaos.restart.Target;
import dev.stampede.testing.RedisFixture;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LocalEngineIT {

  @RegisterExtension
  static final RedisFixture REDIS = RedisFixture.create();

  private final Set<Long> pids = new HashSet<>();
  private final Journal journal = new Journal();
  private LocalStack stack;

  @AfterEach
  void closeAndCheckNoChildSurvives() {
    if (stack != null) {
      stack.close();
    }
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("process %d outlived the stack", pid).isFalse();
    }
  }

  private LocalStack start(LocalStack.Builder b) {
    stack = b.redis(REDIS.server()).journal(journal).restartDelay(Duration.ofMillis(300)).start();
    remember();
    return stack;
  }

  private void remember() {
    stack.replicas().forEach(r -> pids.add(r.pid()));
  }

  private LocalEngine engine() {
    return LocalEngine.builder(stack).build();
  }

  @Test
  void killAll_bothReplicasComeBackOnTheirPorts_andServeAgain() {
    start(LocalStack.builder().service(fake("auth"), 2));
    List<LocalReplica> replicas = stack.replicas();
    Map<String, Integer> ports = replicas.stream().collect(Collectors.toMap(LocalReplica::name,
        LocalReplica::httpPort));
    Map<String, String> grpc = replicas.stream().collect(Collectors.toMap(LocalReplica::name,
        LocalReplica::grpcEndpoint));
    Map<String, Long> before = replicas.stream().collect(Collectors.toMap(LocalReplica::name, LocalReplica::pid));
    for (LocalReplica r : replicas) {
      assertThat(get(r.httpPort(), "/hello")).isEqualTo(Long.toString(r.pid()));
    }

    RestartResult result = engine().run(RestartPlan.builder(Target.of("app.kubernetes.io/name=auth"))
        .mode(new Mode.All()).action(Action.Kill.immediately()).awaitReady(Duration.ofSeconds(60)).build(), journal);
    remember();

    assertThat(result.acted()).isEqualTo(2);
    assertThat(result.timeToReady()).hasValueSatisfying(d -> assertThat(d).isPositive());
    for (LocalReplica r : stack.replicas()) {
      assertThat(r.httpPort()).isEqualTo(ports.get(r.name()));
      assertThat(r.grpcEndpoint()).isEqualTo(grpc.get(r.name()));
      assertThat(r.pid()).isNotEqualTo(before.get(r.name()));
      assertThat(ProcessHandle.of(before.get(r.name())).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(get(r.httpPort(), "/hello")).isEqualTo(Long.toString(r.pid()));
    }
    assertThat(journal.events(Type.KILL)).hasSize(2)
        .allSatisfy(e -> assertThat(e.message()).contains("SIGKILL"));
    assertThat(journal.events(Type.REPLICA_EXIT)).hasSize(2)
        .allSatisfy(e -> assertThat(e.message()).contains("exit code 137").contains("restarting in 0.3s"));
    assertThat(journal.events(Type.READY)).singleElement()
        .satisfies(e -> assertThat(e.message()).isEqualTo("2/2 replicas ready"));
    JournalEvent lastReplicaReady = journal.events(Type.REPLICA_READY).get(journal.events(Type.REPLICA_READY).size() - 1);
    assertThat(journal.events(Type.READY).get(0).at()).isAfterOrEqualTo(lastReplicaReady.at());
  }

  @Test
  void killOne_withGracePeriod_stopsGracefully_andOnlyThatOneRestarts() {
    start(LocalStack.builder().service(fake("auth"), 2).service(fake("directory"), 1));
    long directoryPid = stack.replicas("directory").get(0).pid();

    RestartResult r = engine().run(RestartPlan.builder(Target.of("app.kubernetes.io/name=auth"))
        .mode(new Mode.One()).action(Action.Kill.withGrace(Duration.ofSeconds(5))).awaitReady(Duration.ofSeconds(60))
        .build(), journal);
    remember();

    assertThat(r.picked()).hasSize(1);
    assertThat(journal.events(Type.REPLICA_EXIT)).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("exit code 143")); // SIGTERM, not SIGKILL
    assertThat(stack.replicas("directory").get(0).pid()).isEqualTo(directoryPid);
    assertThat(journal.events(Type.REPLICA_START).stream().filter(e -> e.message().contains("replacement")))
        .singleElement().satisfies(e -> assertThat(e.name()).isEqualTo(r.picked().get(0)));
  }

  @Test
  void fail_keepsTheReplicaDownForTheDuration() {
    start(LocalStack.builder().service(fake("directory"), 1));
    LocalReplica replica = stack.replicas().get(0);

    RestartResult r = engine().run(RestartPlan.builder(Target.of("app.kubernetes.io/name=directory"))
        .action(new Action.Fail(Duration.ofSeconds(2))).awaitReady(Duration.ofSeconds(60)).build(), journal);
    remember();

    assertThat(r.timeToReady()).hasValueSatisfying(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(2)));
    assertThat(journal.events(Type.REPLICA_EXIT)).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("restarting in 2.0s"));
    assertThat(get(replica.httpPort(), "/hello")).isEqualTo(Long.toString(replica.pid()));
  }

  @Test
  void rollout_restartsOneReplicaAtATime() {
    start(LocalStack.builder().service(fake("auth"), 2));
    Map<String, Long> before = stack.replicas().stream().collect(Collectors.toMap(LocalReplica::name,
        LocalReplica::pid));

    RestartResult r = engine().run(RestartPlan.builder(Target.of("app.kubernetes.io/name=auth"))
        .action(new Action.Rollout()).awaitReady(Duration.ofSeconds(60)).build(), journal);
    remember();

    assertThat(r.picked()).containsExactly("service/auth");
    stack.replicas().forEach(x -> assertThat(x.pid()).isNotEqualTo(before.get(x.name())));
    List<JournalEvent> events = journal.events().stream()
        .filter(e -> e.type() == Type.REPLICA_EXIT || e.type() == Type.REPLICA_READY)
        .filter(e -> e.at().isAfter(journal.events(Type.RUN_START).get(0).at().minusMillis(1)))
        .toList();
    // auth-0 goes down and is ready again before auth-1 goes down.
    assertThat(events).extracting(e -> e.type() + " " + e.name())
        .containsSubsequence("REPLICA_EXIT auth-0", "REPLICA_READY auth-0", "REPLICA_EXIT auth-1",
            "REPLICA_READY auth-1");
  }

  @Test
  void dryRun_killsNothing() {
    start(LocalStack.builder().service(fake("auth"), 2));
    Set<Long> before = stack.replicas().stream().map(LocalReplica::pid).collect(Collectors.toSet());

    RestartResult r = engine().run(RestartPlan.builder(Target.of("app.kubernetes.io/part-of=stampede"))
        .dryRun(true).build(), journal);

    assertThat(r.acted()).isEqualTo(2);
    assertThat(journal.events(Type.KILL)).allSatisfy(e -> {
      assertThat(e.outcome()).isEqualTo(Outcome.DRY_RUN);
      assertThat(e.message()).startsWith("would kill replica auth-");
    });
    assertThat(stack.replicas().stream().map(LocalReplica::pid).collect(Collectors.toSet())).isEqualTo(before);
    assertThat(stack.replicas()).allSatisfy(x -> assertThat(x.isRunning()).isTrue());
    assertThat(journal.events(Type.REPLICA_EXIT)).isEmpty();
  }

  @Test
  void replicaThatCrashesByItself_isRestarted() {
    start(LocalStack.builder().service(fake("relay"), 1));
    LocalReplica replica = stack.replicas().get(0);
    long pid = replica.pid();

    get(replica.httpPort(), "/crash");

    await().atMost(Duration.ofSeconds(30)).until(() -> replica.pid() != pid && replica.isReady());
    remember();
    assertThat(journal.events(Type.REPLICA_EXIT)).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("exit code 3").contains("exited by itself"));
  }

  @Test
  void services_getFreshKeysPerStack_andAuthGetsTheAdminCredential() throws Exception {
    start(LocalStack.builder().service(fake("auth"), 1).service(fake("directory"), 1).service(fake("relay"), 1)
        .env("STAMPEDE_ADMISSION_ENABLED", "false"));

    String auth = get(stack.replicas("auth").get(0).httpPort(), "/env");
    String directory = get(stack.replicas("directory").get(0).httpPort(), "/env");
    String relay = get(stack.replicas("relay").get(0).httpPort(), "/env");

    assertThat(auth).contains("STAMPEDE_TOKEN_KEYS_AUTH=<1 key(s)>", "STAMPEDE_TOKEN_KEYS_DIRECTORY=<1 key(s)>",
        "STAMPEDE_TOKEN_KEYS_RELAY=<1 key(s)>", "STAMPEDE_AUTH_ADMIN_SEED_ENABLED=true",
        "STAMPEDE_AUTH_ADMIN_CREDENTIAL=" + sha256(stack.adminCredential()),
        "STAMPEDE_REDIS_URI=" + REDIS.server().uri(), "STAMPEDE_ADMISSION_ENABLED=false",
        "QUARKUS_HTTP_HOST=127.0.0.1");
    assertThat(directory).contains("STAMPEDE_TOKEN_KEYS_DIRECTORY=").doesNotContain("KEYS_AUTH", "KEYS_RELAY",
        "ADMIN_CREDENTIAL");
    assertThat(relay).contains("STAMPEDE_TOKEN_KEYS_RELAY=").doesNotContain("KEYS_AUTH", "KEYS_DIRECTORY",
        "ADMIN_CREDENTIAL");
    assertThat(stack.adminCredential()).hasSizeGreaterThanOrEqualTo(43);
    assertThat(stack.toString()).doesNotContain(stack.adminCredential());
  }

  @Test
  void reconfigure_restartsEveryReplicaWithTheNewEnvironment_onTheSamePorts() {
    start(LocalStack.builder().service(fake("auth"), 2).env("STAMPEDE_ADMISSION_ENABLED", "true"));
    Map<String, Integer> ports = stack.replicas().stream().collect(Collectors.toMap(LocalReplica::name,
        LocalReplica::httpPort));

    stack.reconfigure(Map.of("STAMPEDE_ADMISSION_ENABLED", "false"));
    remember();

    for (LocalReplica r : stack.replicas()) {
      assertThat(r.httpPort()).isEqualTo(ports.get(r.name()));
      assertThat(get(r.httpPort(), "/env")).contains("STAMPEDE_ADMISSION_ENABLED=false");
    }
    // Supervision continues after a reconfigure.
    LocalReplica first = stack.replicas().get(0);
    long pid = first.pid();
    get(first.httpPort(), "/crash");
    await().atMost(Duration.ofSeconds(30)).until(() -> first.pid() != pid && first.isReady());
    remember();
  }

  @Test
  void endpoints_listEveryReplicaOnItsGrpcPort_andEmptyListsForMissingServices() {
    start(LocalStack.builder().service(fake("auth"), 2).service(fake("directory"), 1));

    StackEndpoints endpoints = stack.endpoints();

    assertThat(endpoints.redis()).isEqualTo(REDIS.server().uri());
    assertThat(endpoints.grpc()).containsOnlyKeys("auth", "directory", "relay");
    assertThat(endpoints.grpc().get("auth")).hasSize(2).allSatisfy(e -> assertThat(e).startsWith("127.0.0.1:"));
    assertThat(endpoints.grpc().get("relay")).isEmpty();
    for (String e : endpoints.grpc().get("auth")) {
      assertThat(dev.stampede.localstack.FreePorts.isListening(Integer.parseInt(e.substring(10)))).isTrue();
    }
    assertThat(StackEndpoints.parse(endpoints.toJson())).isEqualTo(endpoints);
    assertThat(endpoints.toJson()).startsWith("{\"redis\":\"redis://127.0.0.1:").contains("\"relay\":[]");
  }

  @Test
  void replicaThatNeverGetsReady_failsTheStart_andLeavesNothingRunning() {
    assertThatThrownBy(() -> LocalStack.builder().service(fake("auth").withEnv(Map.of("FAKE_READY_DELAY_MS",
        "600000")), 1).redis(REDIS.server()).readyTimeout(Duration.ofSeconds(3)).start())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("auth-0 not ready");
    assertThat(ProcessHandle.current().children().filter(p -> p.info().commandLine().orElse("")
        .contains("FakeService"))).isEmpty();
  }

  private static String sha256(String v) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(v.getBytes(StandardCharsets.UTF_8)));
  }
}
