package dev.stampede.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.client.connect.ConnectOptions;
import dev.stampede.client.connect.Connection;
import dev.stampede.client.credentials.CredentialStore;
import dev.stampede.client.testing.FakeAuth;
import dev.stampede.client.testing.FakeDirectory;
import dev.stampede.client.time.FakeClock;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the getting-started example of README.md compiling and working: the code between the markers below must be
 * the README's example line for line, and it runs twice against loopback servers — a first start logs in, a
 * "reboot" resumes with the ticket from the credential file.
 */
class ReadmeExampleIT {
  @TempDir
  Path home;

  static void gettingStarted(String authTarget, String directoryTarget, Supplier<String> password, Path home)
      throws Exception {
    // README-BEGIN
    try (StampedeClient client = StampedeClient.builder()
        .auth(authTarget).directory(directoryTarget)          // "host:port,host:port" or "dns:///name:port"
        .plaintext()                                          // or .tls(Tls.trustCertificates(caPem))
        .build()) {
      Connection alice = Connection.create(client, ConnectOptions.builder("alice-laptop")
          .password("alice", password)                        // asked for only when the ticket is invalid
          .store(CredentialStore.file(home.resolve(".stampede/alice")))  // a rebooted client resumes
          .listener((from, to, cause) -> System.out.println(from + " -> " + to)).build());
      System.out.println("online as " + alice.connect().get(30, TimeUnit.SECONDS).userId());
    }
    // README-END
  }

  @Test
  void readmeExample_isThisCode() throws Exception {
    List<String> readme = Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8);
    int marker = readme.indexOf("<!-- getting-started: kept compiling and running by ReadmeExampleIT -->");
    assertThat(marker).as("README marker").isNotNegative();
    assertThat(readme.get(marker + 1)).isEqualTo("```java");
    List<String> example = new ArrayList<>();
    for (int i = marker + 2; !readme.get(i).equals("```"); i++) {
      example.add(readme.get(i));
    }

    List<String> source = Files.readAllLines(Path.of("src/test/java/dev/stampede/client/ReadmeExampleIT.java"),
        StandardCharsets.UTF_8);
    int begin = source.indexOf("    // README-BEGIN");
    int end = source.indexOf("    // README-END");
    List<String> code = new ArrayList<>();
    for (String line : source.subList(begin + 1, end)) {
      code.add(line.startsWith("    ") ? line.substring(4) : line);
    }

    assertThat(example).isEqualTo(code);
    assertThat(example).as("a ten-line example").hasSize(10);
  }

  @Test
  void readmeExample_logsInOnce_thenResumesAfterARestart() throws Exception {
    FakeClock serverClock = new FakeClock(Instant.now());
    FakeAuth auth = new FakeAuth(serverClock).account("alice", "correct horse");
    FakeDirectory directory = new FakeDirectory(serverClock, auth::tokenValid);
    Server authServer = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(auth).build()
        .start();
    Server directoryServer = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(directory)
        .build().start();
    try {
      String authTarget = "127.0.0.1:" + authServer.getPort();
      String directoryTarget = "127.0.0.1:" + directoryServer.getPort();

      gettingStarted(authTarget, directoryTarget, () -> "correct horse", home);
      gettingStarted(authTarget, directoryTarget, () -> "correct horse", home);

      assertThat(auth.logins.count()).isEqualTo(1);
      assertThat(auth.resumes.count()).isEqualTo(1);
      assertThat(directory.registers.count()).isEqualTo(2);
      Path file = home.resolve(".stampede/alice");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(Files.readString(file)).doesNotContain("correct horse");
    } finally {
      authServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      directoryServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
