package dev.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@EnableKubernetesMockClient(crud = true)
class RestartCommandTest {

  KubernetesClient client;
  KubernetesMockServer server;

  @TempDir
  Path dir;

  StringWriter out;
  StringWriter err;
  Path kubeconfig;

  @BeforeEach
  void setUp() throws Exception {
    out = new StringWriter();
    err = new StringWriter();
    kubeconfig = kubeconfig(client.getConfiguration().getMasterUrl());
    for (int i = 0; i < 3; i++) {
      pod("auth-" + i, "auth");
    }
    pod("directory-0", "directory");
  }

  int run(String... args) {
    CommandLine cli = StampedeCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  String[] k8s(String... args) {
    List<String> all = new ArrayList<>(List.of("restart", "--engine", "kubernetes", "--kubeconfig",
        kubeconfig.toString(), "--request-timeout", "5s"));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  List<String> pods() {
    return client.pods().inNamespace("test").list().getItems().stream().map(p -> p.getMetadata().getName()).sorted()
        .toList();
  }

  @Test
  void kubernetesFail_isAUsageError() {
    assertThat(run(k8s("-l", "app.kubernetes.io/name=auth", "--mode", "all", "--action", "fail", "--duration",
        "5s"))).isEqualTo(2);
    assertThat(err.toString()).contains("not supported by --engine kubernetes");
  }

  @Test
  void dryRun_printsEveryPodItWouldDelete_andDeletesNone() throws Exception {
    Path journal = dir.resolve("journal.json");
    int code = run(k8s("-l", "app.kubernetes.io/name=auth", "--mode", "all", "--dry-run", "--json",
        journal.toString()));

    assertThat(code).as(err.toString()).isZero();
    assertThat(pods()).hasSize(4);
    assertThat(out.toString()).contains("would delete pod test/auth-0 with grace period 0s",
        "would delete pod test/auth-1", "would delete pod test/auth-2", "dry-run: would act on 3 of 3 picked");
    JsonNode doc = new ObjectMapper().readTree(Files.readString(journal));
    assertThat(doc.path("engine").asText()).isEqualTo("kubernetes");
    assertThat(doc.path("result").path("dry_run").asBoolean()).isTrue();
    assertThat(doc.path("plan").path("selector").asText()).isEqualTo("app.kubernetes.io/name=auth");
    assertThat(doc.path("events")).extracting(e -> e.path("type").asText()).contains("run-start", "kill", "run-end");
  }

  @Test
  void kill_deletesThePickedPods_andWritesTheJournal() throws Exception {
    Path journal = dir.resolve("journal.json");
    int code = run(k8s("-l", "app.kubernetes.io/name=auth", "--mode", "fixed", "--value", "2", "--no-wait",
        "--seed", "7", "--json", journal.toString()));

    assertThat(code).as(err.toString()).isZero();
    assertThat(pods()).hasSize(2).contains("directory-0");
    JsonNode doc = new ObjectMapper().readTree(Files.readString(journal));
    assertThat(doc.path("result").path("acted").asInt()).isEqualTo(2);
    assertThat(doc.path("result").path("seed").asLong()).isEqualTo(7);
    JsonNode kills = doc.path("events");
    int n = 0;
    for (JsonNode e : kills) {
      if (e.path("type").asText().equals("kill")) {
        n++;
        assertThat(e.path("outcome").asText()).isEqualTo("ok");
        assertThat(e.path("at").asText()).endsWith("Z");
      }
    }
    assertThat(n).isEqualTo(2);
  }

  @Test
  void namespaceOutsideTheAllowList_exits1_withOneLine() {
    int code = run(k8s("-n", "prod", "-l", "app.kubernetes.io/name=auth", "--mode", "all"));
    assertThat(code).isEqualTo(1);
    assertThat(err.toString().strip()).doesNotContain("\n").startsWith("stampede restart: refusing to act in"
        + " namespace prod");
  }

  @Test
  void forbidden_exits1_withTheApiServersReason_evenForDryRun() {
    server.expect().get().withPath("/api/v1/namespaces/test/pods?labelSelector=app.kubernetes.io%2Fname%3Dauth")
        .andReturn(403, new StatusBuilder().withCode(403).withMessage("pods is forbidden: User \"system:anonymous\""
            + " cannot list resource \"pods\" in API group \"\" in the namespace \"test\"").build()).always();

    int code = run(k8s("-l", "app.kubernetes.io/name=auth", "--mode", "all", "--dry-run"));

    assertThat(code).isEqualTo(1);
    assertThat(err.toString().strip()).doesNotContain("\n").doesNotContain("Exception")
        .contains("forbidden (HTTP 403)").contains("cannot list resource \"pods\"");
  }

  @Test
  void unreachableCluster_exits1_withOneLine_evenForDryRun() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    kubeconfig = kubeconfig("https://127.0.0.1:" + port + "/");
    Path journal = dir.resolve("j.json");

    int code = run(k8s("-l", "app.kubernetes.io/name=auth", "--mode", "all", "--dry-run", "--json",
        journal.toString()));

    assertThat(code).isEqualTo(1);
    assertThat(err.toString().strip()).doesNotContain("\n").doesNotContain("at io.fabric8")
        .startsWith("stampede restart: cannot reach the Kubernetes API server at https://127.0.0.1:" + port);
    JsonNode doc = new ObjectMapper().readTree(Files.readString(journal));
    assertThat(doc.path("error").asText()).startsWith("cannot reach");
    assertThat(doc.path("result").isNull()).isTrue();
  }

  @Test
  void fromChaosMesh_runsThePodChaos() throws Exception {
    Path chaos = dir.resolve("kill.yaml");
    Files.writeString(chaos, """
        apiVersion: chaos-mesh.org/v1alpha1
        kind: PodChaos
        metadata: {name: kill-auth, namespace: test}
        spec:
          action: pod-kill
          mode: one
          selector:
            labelSelectors: {app.kubernetes.io/name: auth}
        """);
    int code = run(k8s("--from-chaos-mesh", chaos.toString(), "--no-wait"));
    assertThat(code).as(err.toString()).isZero();
    assertThat(pods()).hasSize(3).contains("directory-0");
  }

  @Test
  void fromChaosMesh_withAnUnsupportedAction_exits2() throws Exception {
    Path chaos = dir.resolve("ck.yaml");
    Files.writeString(chaos, """
        apiVersion: chaos-mesh.org/v1alpha1
        kind: PodChaos
        spec:
          action: container-kill
          mode: one
          containerNames: [app]
          selector:
            labelSelectors: {app.kubernetes.io/name: auth}
        """);
    assertThat(run(k8s("--from-chaos-mesh", chaos.toString()))).isEqualTo(2);
    assertThat(err.toString()).contains("spec.containerNames: not supported");
    assertThat(pods()).hasSize(4);
  }

  @Test
  void local_withoutARunningUp_exits1_withOneLine() {
    int code = run("restart", "--state-dir", dir.toString(), "-l", "app.kubernetes.io/name=auth", "--mode", "all",
        "--dry-run");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString().strip()).doesNotContain("\n").contains("no local stack is running")
        .contains("./stampede up");
  }

  private void pod(String name, String app) {
    client.pods().inNamespace("test").resource(new PodBuilder().withNewMetadata().withName(name)
        .withLabels(Map.of("app.kubernetes.io/name", app, "app.kubernetes.io/part-of", "stampede")).endMetadata()
        .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
        .endStatus().build()).create();
  }

  private Path kubeconfig(String server) throws Exception {
    Path file = dir.resolve("kubeconfig-" + System.nanoTime());
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: tester
          user: {token: not-a-secret}
        contexts:
        - name: mock
          context: {cluster: mock, user: tester, namespace: test}
        current-context: mock
        """.formatted(server));
    return file;
  }
}
