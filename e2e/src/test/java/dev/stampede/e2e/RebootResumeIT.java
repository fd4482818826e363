package dev.stampede.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.api.auth.v1.CreateAccountRequest;
import dev.stampede.client.StampedeClient;
import dev.stampede.client.connect.ConnectOptions;
import dev.stampede.client.connect.Connection;
import dev.stampede.client.connect.Session;
import dev.stampede.client.credentials.CredentialStore;
import dev.stampede.api.directory.v1.LookupRequest;
import dev.stampede.api.directory.v1.LookupResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK against the real, packaged auth and directory services: a client that reboots comes back through
 * {@code Resume} from its credential file, and the server computes no password hash for it — even when every pod
 * restarted in between. A copied, already rotated ticket is caught as theft.
 */
class RebootResumeIT {
  private static final String PASSWORD = "correct horse battery staple";
  private static Services services;

  @TempDir
  Path home;

  @BeforeAll
  static void startServices() {
    services = Services.start();
  }

  @AfterAll
  static void stopServices() {
    if (services != null) {
      services.close();
    }
  }

  private StampedeClient client() {
    return StampedeClient.builder()
        .auth(services.authTarget())
        .directory(services.directoryTarget())
        .plaintext()
        .defaultDeadline(Duration.ofSeconds(20))
        .build();
  }

  private static String createAccount(StampedeClient client, String username) {
    return client.auth().createAccount(
        CreateAccountRequest.newBuilder().setUsername(username).setPassword(PASSWORD).build()).getUserId();
  }

  private static Session connect(StampedeClient client, String username, Path credentials) throws Exception {
    Connection connection = Connection.create(client, ConnectOptions.builder(username + "-laptop")
        .password(username, PASSWORD)
        .store(CredentialStore.file(credentials))
        .build());
    return connection.connect().get(60, TimeUnit.SECONDS);
  }

  private static boolean online(StampedeClient client, Session asker, String userId) {
    LookupResponse answer = client.directory().lookup(
        LookupRequest.newBuilder().setSessionToken(asker.sessionToken()).setUserId(userId).build());
    return answer.getPresence().getOnline();
  }

  @Test
  void rebootedClient_resumesFromItsFile_withNoPasswordHashOnTheServer() throws Exception {
    Path credentials = home.resolve("alice.credentials");
    String userId;
    Session first;
    try (StampedeClient client = client()) {
      userId = createAccount(client, "alice-e2e");
      first = connect(client, "alice-e2e", credentials);
      assertThat(first.userId()).isEqualTo(userId);
      assertThat(first.leaseId()).isNotBlank();
    } // the machine reboots: no logout, no unregister
    byte[] ticketBefore = Files.readAllBytes(credentials);
    double hashesBefore = services.passwordHashes();

    try (StampedeClient rebooted = client()) {
      Session second = connect(rebooted, "alice-e2e", credentials);

      assertThat(second.userId()).isEqualTo(userId);
      assertThat(second.sessionId()).as("same ticket family: resumed, not logged in").isEqualTo(first.sessionId());
      assertThat(services.passwordHashes()).as("password hashes computed by auth").isEqualTo(hashesBefore);
      assertThat(Files.readAllBytes(credentials)).as("the rotated ticket was saved").isNotEqualTo(ticketBefore);
      assertThat(online(rebooted, second, userId)).isTrue();
    }
  }

  @Test
  void everyPodRestarted_clientStillResumes_andTheNewPodsHashNothing() throws Exception {
    Path credentials = home.resolve("bob.credentials");
    String userId;
    try (StampedeClient client = client()) {
      userId = createAccount(client, "bob-e2e");
      connect(client, "bob-e2e", credentials);
    }

    services.auth.kill();
    services.directory.kill();
    services.auth.restart().awaitReady(Duration.ofSeconds(90));
    services.directory.restart().awaitReady(Duration.ofSeconds(90));
    double hashesAtStart = services.passwordHashes();

    try (StampedeClient rebooted = client()) {
      Session back = connect(rebooted, "bob-e2e", credentials);

      assertThat(back.userId()).isEqualTo(userId);
      assertThat(services.passwordHashes()).as("hashes on the restarted auth pod").isEqualTo(hashesAtStart);
      assertThat(online(rebooted, back, userId)).isTrue();
    }
  }

  @Test
  void copiedRotatedTicket_revokesTheFamily_andBothHoldersNeedTheirPassword() throws Exception {
    Path credentials = home.resolve("carol.credentials");
    Path stolen = home.resolve("carol.stolen");
    Session original;
    try (StampedeClient client = client()) {
      createAccount(client, "carol-e2e");
      original = connect(client, "carol-e2e", credentials);
    }
    Files.copy(credentials, stolen, StandardCopyOption.COPY_ATTRIBUTES);
    try (StampedeClient client = client()) {
      assertThat(connect(client, "carol-e2e", credentials).sessionId()).isEqualTo(original.sessionId());
    }
    double hashesBefore = services.passwordHashes();

    try (StampedeClient thief = client()) {
      Session replayed = connect(thief, "carol-e2e", stolen);
      assertThat(replayed.sessionId()).as("the replayed ticket was refused: a new family")
          .isNotEqualTo(original.sessionId());
    }
    try (StampedeClient owner = client()) {
      Session again = connect(owner, "carol-e2e", credentials);
      assertThat(again.sessionId()).as("the family was revoked for its holder too")
          .isNotEqualTo(original.sessionId());
    }
    assertThat(services.passwordHashes() - hashesBefore).as("one password log-in per holder").isEqualTo(2.0);
  }
}
