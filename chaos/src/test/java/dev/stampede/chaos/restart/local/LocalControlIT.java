package dev.stampede.chaos.restart.local;

import static dev.stampede.chaos.restart.local.FakeStacks.fake;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.chaos.restart.JournalEvent;
import dev.stampede.chaos.restart.JournalEvent.Type;
import dev.stampede.chaos.restart.JournalJson;
import dev.stampede.chaos.restart.Mode;
import dev.stampede.chaos.restart.PlanSpec;
import dev.stampede.chaos.restart.RestartException;
import dev.stampede.chaos.restart.RestartPlan;
import dev.stampede.chaos.restart.Target;
import dev.stampede.testing.RedisFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

class LocalControlIT {

  @RegisterExtension
  static final RedisFixture REDIS = RedisFixture.create();

  @TempDir
  static Path stateDir;

  static LocalStack stack;
  static LocalControl.Server server;
  static final Set<Long> PIDS = new HashSet<>();

  @BeforeAll
  static void startStack() {
    stack = LocalStack.builder().service(fake("auth"), 2).service(fake("directory"), 1).redis(REDIS.server())
        .restartDelay(Duration.ofMillis(200)).start();
    stack.replicas().forEach(r -> PIDS.add(r.pid()));
    server = LocalControl.serve(stateDir, stack);
  }

  @AfterAll
  static void stopStack() {
    server.close();
    stack.close();
    for (long pid : PIDS) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d", pid).isFalse();
    }
  }

  @Test
  void request_runsThePlanInTheStack_andStreamsItsEvents() {
    List<JournalEvent> events = new CopyOnWriteArrayList<>();
    long directoryPid = stack.replicas("directory").get(0).pid();

    LocalControl.Answer answer = LocalControl.request(server.socket(), RestartPlan.builder(
        Target.of("app.kubernetes.io/name=auth")).awaitReady(Duration.ofSeconds(60)).build(), 1.0, events::add);
    stack.replicas().forEach(r -> PIDS.add(r.pid()));

    assertThat(answer.errorMessage()).isNull();
    assertThat(answer.result().path("acted").asInt()).isEqualTo(2);
    assertThat(answer.result().path("t_ready_s").asDouble()).isPositive();
    assertThat(events).extracting(JournalEvent::type)
        .contains(Type.RUN_START, Type.KILL, Type.REPLICA_EXIT, Type.REPLICA_START, Type.REPLICA_READY, Type.READY,
            Type.RUN_END);
    assertThat(stack.replicas("directory").get(0).pid()).isEqualTo(directoryPid);
  }

  @Test
  void refusedPlan_isAnsweredWithTheReason() {
    LocalControl.Answer answer = LocalControl.request(server.socket(), RestartPlan.builder(
        Target.of("app.kubernetes.io/name=auth")).build(), 0.5, e -> { });

    assertThat(answer.errorKind()).isEqualTo("refused");
    assertThat(answer.errorMessage()).contains("max-fraction 0.50");
  }

  @Test
  void secondServerOnTheSameDirectory_isRefused() {
    assertThatThrownBy(() -> LocalControl.serve(stateDir, stack)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("another stampede up is running");
  }

  @Test
  void noServer_isAOneLineError(@TempDir Path empty) {
    assertThatThrownBy(() -> LocalControl.request(empty.resolve(LocalControl.SOCKET),
        RestartPlan.builder(Target.of("a=b")).build(), 1.0, e -> { }))
        .isInstanceOf(RestartException.class).hasMessageStartingWith("no local stack is running")
        .hasMessageContaining("./stampede up");
  }

  @Test
  void clientThatDisconnects_abortsItsRun_butNotTheStack() throws Exception {
    RestartPlan waves = RestartPlan.builder(Target.of("app.kubernetes.io/name=auth"))
        .mode(new Mode.Waves(0.5, Duration.ofSeconds(30), false)).seed(3).build();
    Map<String, Long> before = new java.util.HashMap<>();
    stack.replicas("auth").forEach(r -> before.put(r.name(), r.pid()));
    List<String> killed = new ArrayList<>();
    try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      c.connect(UnixDomainSocketAddress.of(server.socket()));
      String request = "{\"plan\":" + JournalJson.writeLine(JournalJson.tree(PlanSpec.toMap(waves))) + "}\n";
      Channels.newOutputStream(c).write(request.getBytes(StandardCharsets.UTF_8));
      BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
          StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        var event = JournalJson.read(line).path("event");
        if (event.path("type").asText().equals("kill")) {
          killed.add(event.path("name").asText());
          break;
        }
      }
    } // Ctrl-C: the connection closes during the 30 s wait for wave 2
    Thread.sleep(1500);
    stack.replicas().forEach(r -> PIDS.add(r.pid()));

    assertThat(killed).hasSize(1);
    LocalReplica spared = stack.replicas("auth").stream().filter(r -> !r.name().equals(killed.get(0))).findFirst()
        .orElseThrow();
    assertThat(spared.pid()).as("wave 2 never ran").isEqualTo(before.get(spared.name()));
    // The stack still serves requests.
    LocalControl.Answer dry = LocalControl.request(server.socket(), RestartPlan.builder(
        Target.of("app.kubernetes.io/name=directory")).dryRun(true).build(), 1.0, e -> { });
    assertThat(dry.result().path("dry_run").asBoolean()).isTrue();
  }
}
