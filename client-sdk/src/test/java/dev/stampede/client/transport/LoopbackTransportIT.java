package dev.stampede.client.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stampede.api.auth.v1.LoginRequest;
import dev.stampede.api.auth.v1.LoginResponse;
import dev.stampede.client.CallFailedException;
import dev.stampede.client.CallSettings;
import dev.stampede.client.StampedeClient;
import dev.stampede.client.testing.FakeAuth;
import dev.stampede.client.testing.SelfSignedCertificate;
import dev.stampede.client.time.FakeClock;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default transport (grpc-netty-shaded) against real loopback servers: host lists, TLS, restarts. */
class LoopbackTransportIT {
  @TempDir
  Path dir;

  private final List<Server> servers = new ArrayList<>();

  @AfterEach
  void stopServers() throws InterruptedException {
    for (Server server : servers) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private FakeAuth auth() {
    return new FakeAuth(new FakeClock(Instant.now())).account("alice", "correct horse");
  }

  private Server serve(FakeAuth auth, int port, ServerCredentials credentials) throws Exception {
    Server server = Grpc.newServerBuilderForPort(port, credentials).addService(auth).build().start();
    servers.add(server);
    return server;
  }

  /** Waits for a future and rethrows its failure unwrapped. */
  static final class Blocking {
    static <T> T get(CompletableFuture<T> future) throws Exception {
      try {
        return future.get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        throw (Exception) e.getCause();
      }
    }
  }

  private static LoginRequest login() {
    return LoginRequest.newBuilder().setUsername("alice").setPassword("correct horse").setDeviceId("d").build();
  }

  @Test
  void hostList_isBalancedRoundRobin() throws Exception {
    FakeAuth one = auth();
    FakeAuth two = auth();
    int p1 = serve(one, 0, InsecureServerCredentials.create()).getPort();
    int p2 = serve(two, 0, InsecureServerCredentials.create()).getPort();

    try (StampedeClient client = StampedeClient.builder().plaintext()
        .auth(List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2)).build()) {
      // round_robin picks among connected subchannels: until the second connection is up, all calls go to one.
      for (int i = 0; i < 500 && (one.logins.count() == 0 || two.logins.count() == 0); i++) {
        client.auth().login(login());
      }
      assertThat(one.logins.count()).as("server one reached").isPositive();
      assertThat(two.logins.count()).as("server two reached").isPositive();
      int oneBefore = one.logins.count();
      int twoBefore = two.logins.count();
      for (int i = 0; i < 20; i++) {
        assertThat(client.auth().login(login()).getGrant().getUserId()).isEqualTo("u-alice");
      }
      int toOne = one.logins.count() - oneBefore;
      assertThat(toOne + two.logins.count() - twoBefore).isEqualTo(20);
      assertThat(toOne).isBetween(5, 15);
    }
  }

  @Test
  void tls_withTheServersCa_connects_withoutIt_fails() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create(dir);
    FakeAuth auth = auth();
    int port = serve(auth, 0, TlsServerCredentials.create(certificate.certificatePem.toFile(),
        certificate.privateKeyPem.toFile())).getPort();

    try (StampedeClient trusting = StampedeClient.builder().tls(Tls.trustCertificates(certificate.certificatePem))
        .auth("localhost:" + port).build()) {
      assertThat(trusting.auth().login(login()).hasGrant()).isTrue();
    }
    try (StampedeClient stranger = StampedeClient.builder().tls(Tls.systemTrust()).auth("127.0.0.1:" + port)
        .build()) {
      CallFailedException e = catchThrowableOfType(CallFailedException.class, () -> Blocking.get(
          stranger.auth().loginAsync(login(), CallSettings.inherit().withWaitForReady(false)
              .withDeadline(Duration.ofSeconds(20)))));
      assertThat(e.code()).as("the handshake fails: nothing reaches the server").isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.reachedServer()).isFalse();
    }
    assertThat(auth.logins.count()).isEqualTo(1);
  }

  @Test
  void callStartedWhileTheServerIsDown_goesThroughOnceItIsBack() throws Exception {
    FakeAuth auth = auth();
    Server first = serve(auth, 0, InsecureServerCredentials.create());
    int port = first.getPort();
    first.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);

    try (StampedeClient client = StampedeClient.builder().plaintext().auth("127.0.0.1:" + port).build()) {
      CompletableFuture<LoginResponse> call = client.auth().loginAsync(login(),
          CallSettings.inherit().withDeadline(Duration.ofSeconds(30)));
      Thread.sleep(1_500);
      assertThat(call).isNotDone();
      serve(auth, port, InsecureServerCredentials.create());

      assertThat(call.get(20, TimeUnit.SECONDS).getGrant().getUserId()).isEqualTo("u-alice");
    }
  }
}
