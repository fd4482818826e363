package dev.stampede.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.client.connect.ConnectOptions;
import dev.stampede.client.connect.Connection;
import dev.stampede.client.retry.RetryOptions;
import dev.stampede.client.transport.ReconnectOptions;
import dev.stampede.client.transport.Targets;
import dev.stampede.client.transport.Tls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every entry point refuses bad input with a message that names the argument and says what was expected. */
class InputValidationTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "localhost", "host:", ":9000", "host:0", "host:65536", "host:http", "a:1,,b:2",
      "[::1", "[::1]9000", "a b:9000", "dns:/// spaced:1", "user@host:1", "::1:9000"})
  void malformedTargets_areRejectedNamingTheService(String target) {
    assertThatThrownBy(() -> StampedeClient.builder().auth(target))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("auth: ")
        .hasMessageContaining("expected: host:port");
  }

  @Test
  void wellFormedTargets_areAccepted_andListsNormalised() {
    assertThat(Targets.validate("auth", " 127.0.0.1:9001 , [::1]:9002,localhost:9003 "))
        .isEqualTo("127.0.0.1:9001,[::1]:9002,localhost:9003");
    assertThat(Targets.validate("auth", "dns:///auth.stampede.svc.cluster.local:9000"))
        .isEqualTo("dns:///auth.stampede.svc.cluster.local:9000");
    StampedeClient.builder().auth(List.of("127.0.0.1:1", "127.0.0.1:2"));
  }

  @Test
  void hostPortListEntries_mustBeSingleHostPorts() {
    assertThatThrownBy(() -> StampedeClient.builder().directory(List.of("a:1,b:2")))
        .hasMessageStartingWith("directory: ");
    assertThatThrownBy(() -> StampedeClient.builder().relay(List.of()))
        .hasMessageStartingWith("relay: []");
  }

  @Test
  void builderWithoutTargets_refusesToBuild() {
    assertThatThrownBy(() -> StampedeClient.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no target configured");
  }

  @Test
  void serviceWithoutTarget_saysWhichAndHowToConfigureIt() {
    try (StampedeClient client = StampedeClient.builder().plaintext().auth("127.0.0.1:1").build()) {
      assertThatThrownBy(client::directory)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("directory: no target configured (expected: StampedeClient.Builder.directory(...))");
      assertThatThrownBy(() -> Connection.create(client, ConnectOptions.builder("d").build()))
          .hasMessageStartingWith("directory: ");
    }
  }

  @Test
  void durations_mustBePositive() {
    assertThatThrownBy(() -> StampedeClient.builder().defaultDeadline(Duration.ZERO))
        .hasMessage("defaultDeadline: PT0S (expected: > 0)");
    assertThatThrownBy(() -> CallSettings.inherit().withDeadline(Duration.ofMillis(-1)))
        .hasMessageStartingWith("deadline: ");
    assertThatThrownBy(() -> CallSettings.inherit().withAttemptTimeout(Duration.ZERO))
        .hasMessageStartingWith("attemptTimeout: ");
    assertThatThrownBy(() -> ReconnectOptions.builder().cap(Duration.ZERO)).hasMessageStartingWith("cap: ");
    assertThatThrownBy(() -> ReconnectOptions.builder().connectTimeout(Duration.ZERO))
        .hasMessageStartingWith("connectTimeout: ");
    assertThatThrownBy(() -> RetryOptions.builder().maxAttempts(0)).hasMessageStartingWith("maxAttempts: ");
  }

  @Test
  void serviceCredential_isCheckedAndNeverEchoed() {
    assertThatThrownBy(() -> CallSettings.inherit().withServiceCredential("has space s3cret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("credential: (redacted")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
  }

  @Test
  void tlsMaterial_mustBeReadable_andIsNamed() {
    assertThatThrownBy(() -> Tls.trustCertificates(Path.of("/nonexistent/ca.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trustCertificates: /nonexistent/ca.pem (expected: a readable PEM file)");
    assertThatThrownBy(() -> Tls.plaintext().withClientCertificate(Path.of("a"), Path.of("b")))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Tls.systemTrust().withAuthority("bad authority"))
        .hasMessageStartingWith("authority: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "tab\there", "ünicode",
      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
  void deviceIds_outsideTheContract_areRejected(String deviceId) {
    assertThatThrownBy(() -> ConnectOptions.builder(deviceId))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("deviceId: ")
        .hasMessageContaining("expected: 1..64 printable ASCII");
  }

  @Test
  void userNamesAndPasswords_outsideTheContract_areRejected_withoutEchoingThePassword() {
    assertThatThrownBy(() -> ConnectOptions.builder("d").password("x".repeat(65), "password"))
        .hasMessageStartingWith("username: 65 bytes");
    assertThatThrownBy(() -> ConnectOptions.builder("d").password("bell\u0007", "password"))
        .hasMessageStartingWith("username: ");
    String longSecret = "s3cret-".repeat(200);
    assertThatThrownBy(() -> ConnectOptions.builder("d").password("alice", longSecret))
        .hasMessageStartingWith("password: 1400 bytes")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    assertThat(ConnectOptions.builder("d").password("alice", "s3cret-pw").build().toString())
        .doesNotContain("s3cret");
  }

  @Test
  void connectTimingSettings_areChecked() {
    assertThatThrownBy(() -> ConnectOptions.builder("d").heartbeat(1.0, 0.1))
        .hasMessageStartingWith("heartbeatFraction: ");
    assertThatThrownBy(() -> ConnectOptions.builder("d").heartbeat(0.3, 0.9))
        .hasMessageStartingWith("heartbeatJitter: ");
    assertThatThrownBy(() -> ConnectOptions.builder("d").sessionRefresh(0, 0.1))
        .hasMessageStartingWith("refreshFraction: ");
    assertThatThrownBy(() -> ConnectOptions.builder("d").startupDelay(Duration.ofSeconds(-1)))
        .hasMessageStartingWith("startupDelay: ");
    assertThatThrownBy(() -> ConnectOptions.builder("d").endpoints(java.util.Collections.nCopies(9,
        dev.stampede.api.directory.v1.Endpoint.getDefaultInstance()),
        dev.stampede.api.directory.v1.NatType.NAT_TYPE_OPEN)).hasMessageStartingWith("endpoints: 9");
  }

  @Test
  void retryAndThrottleSettings_areChecked() {
    assertThatThrownBy(() -> RetryOptions.builder().budget(0, 0.1)).hasMessageStartingWith("maxTokens: ");
    assertThatThrownBy(() -> RetryOptions.builder().throttle(0.9, Duration.ofMinutes(2), 12))
        .hasMessageStartingWith("k: ");
    assertThatThrownBy(() -> RetryOptions.builder().throttleMinSent(-1)).hasMessageStartingWith("throttleMinSent: ");
    assertThatThrownBy(() -> RetryOptions.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2))
        .hasMessageStartingWith("max: ");
    assertThatThrownBy(() -> ReconnectOptions.builder().backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 1.6, 1))
        .hasMessageStartingWith("jitter: ");
  }
}
