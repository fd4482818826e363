package dev.stampede.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaAppIT {
  private static final Duration READY = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private JavaApp.Builder healthApp(String name) throws IOException {
    return JavaApp.builder(name)
        .jar(TestJars.healthAppJar(dir))
        .port("http", "APP_HTTP_PORT")
        .jvmArgs("-Xmx32m", "-XX:TieredStopAtLevel=1")
        .readiness(Readiness.httpOk("http", "/q/health/ready"))
        .logFile(dir.resolve(name + ".log"));
  }

  @Test
  void jarApp_startsKilledAndRestartedOnItsPort() throws Exception {
    try (JavaApp app = healthApp("health").env("APP_GREETING", "hi").build()) {
      int port = app.port("http");
      app.start().awaitReady(READY);
      long firstPid = app.pid();
      assertThat(get(port, "/hello")).isEqualTo("hi from " + firstPid);

      app.kill();
      assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(app.isReady()).isFalse();

      app.restart().awaitReady(READY);
      assertThat(app.port("http")).isEqualTo(port);
      assertThat(app.pid()).isNotEqualTo(firstPid);
      assertThat(get(port, "/hello")).isEqualTo("hi from " + app.pid());
    }
  }

  @Test
  void quarkusApp_runsInItsDirectory_withTheArchiveWhenThereIsOne_andStartsEvenIfTheJvmCannotUseIt()
      throws Exception {
    Path appDir = dir.resolve("quarkus-app");
    java.nio.file.Files.createDirectories(appDir);
    Path jar = java.nio.file.Files.copy(TestJars.healthAppJar(dir), appDir.resolve("quarkus-run.jar"));
    JavaApp.Builder plain = JavaApp.builder("quarkus-plain").quarkusApp(jar).logFile(dir.resolve("plain.log"));
    assertThat(plain.build().command()).doesNotContain("-XX:SharedArchiveFile=app-cds.jsa").endsWith("-jar",
        "quarkus-run.jar");
    java.nio.file.Files.writeString(appDir.resolve("app-cds.jsa"), "not an archive");

    try (JavaApp app = JavaApp.builder("quarkus-cds").quarkusApp(jar).port("http", "APP_HTTP_PORT")
        .jvmArgs("-Xmx32m").readiness(Readiness.httpOk("http", "/q/health/ready"))
        .logFile(dir.resolve("quarkus-cds.log")).build()) {
      assertThat(app.command()).contains("-XX:SharedArchiveFile=app-cds.jsa").endsWith("-jar", "quarkus-run.jar");
      app.start().awaitReady(READY);
      assertThat(java.nio.file.Files.readSymbolicLink(Path.of("/proc", Long.toString(app.pid()), "cwd")))
          .isEqualTo(appDir.toRealPath());
    }
  }

  @Test
  void close_leavesNoChildBehind() throws Exception {
    JavaApp app = healthApp("health-close").build();
    app.start().awaitReady(READY);
    long pid = app.pid();

    app.close();

    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void onExit_firesWhenTheProcessDies() throws Exception {
    try (JavaApp app = healthApp("health-exit").build()) {
      java.util.concurrent.CountDownLatch exited = new java.util.concurrent.CountDownLatch(1);
      app.onExit(exited::countDown);
      app.start().awaitReady(READY);

      app.kill();

      assertThat(exited.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void appThatExitsAtStart_failsAwaitReadyWithItsLog() {
    JavaApp app = JavaApp.builder("broken")
        .mainClass(System.getProperty("java.class.path"), "no.such.MainClass")
        .logFile(dir.resolve("broken.log"))
        .readiness(Readiness.tcp("http"))
        .port("http", "UNUSED_PORT")
        .build();

    assertThatThrownBy(() -> app.start().awaitReady(READY))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited before it was ready")
        .hasMessageContaining("no.such.MainClass");
  }

  @Test
  void builder_rejectsBadInput() {
    assertThatThrownBy(() -> JavaApp.builder("bad name")).hasMessageContaining("name: 'bad name'");
    assertThatThrownBy(() -> JavaApp.builder("x").port("http", "P", 70000)).hasMessageContaining("port: 70000");
    assertThatThrownBy(() -> JavaApp.builder("x").build()).hasMessageContaining("exactly one of jar");
    assertThatThrownBy(() -> JavaApp.builder("x").jar(dir).build().port("grpc"))
        .hasMessageContaining("port: grpc");
  }

  private static String get(int port, String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.body();
  }
}
