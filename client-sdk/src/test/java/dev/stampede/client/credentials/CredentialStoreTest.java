package dev.stampede.client.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {
  @TempDir
  Path dir;

  private static ResumeCredentials credentials(String ticket) {
    return new ResumeCredentials("alice", "u-1", "dev-1", "s-1", ticket, Instant.parse("2026-02-01T00:00:00Z"));
  }

  @Test
  void file_roundTripsEveryField() throws Exception {
    CredentialStore store = CredentialStore.file(dir.resolve("creds"));
    ResumeCredentials saved = new ResumeCredentials("ålice = ü", "u-1", "dev-1", "s-1", "tick=et:#!\\n",
        Instant.parse("2026-02-01T10:11:12.345Z"));

    store.save(saved);

    assertThat(CredentialStore.file(dir.resolve("creds")).load()).contains(saved);
  }

  @Test
  void file_isOwnerOnly_andMissingDirectoriesAreCreatedOwnerOnly() throws Exception {
    Path file = dir.resolve("a/b/creds");
    CredentialStore store = CredentialStore.file(file);

    store.save(credentials("t-1"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b")))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a")))).isEqualTo("rwx------");
  }

  @Test
  void file_replacedAtomically_aReaderNeverSeesATornFile() throws Exception {
    Path file = dir.resolve("creds");
    CredentialStore writer = CredentialStore.file(file);
    writer.save(credentials("t-0"));
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> readerFailure = new AtomicReference<>();
    int[] reads = {0};
    Thread reader = new Thread(() -> {
      CredentialStore other = CredentialStore.file(file);
      try {
        while (!stop.get()) {
          Optional<ResumeCredentials> seen = other.load();
          if (seen.isEmpty() || !seen.get().resumeTicket().startsWith("t-")) {
            throw new AssertionError("torn or missing: " + seen);
          }
          reads[0]++;
        }
      } catch (Throwable t) {
        readerFailure.set(t);
      }
    });
    reader.start();
    for (int i = 1; i <= 100; i++) {
      writer.save(credentials("t-" + i + "-" + "x".repeat(i % 200)));
    }
    stop.set(true);
    reader.join();

    assertThat(readerFailure.get()).isNull();
    assertThat(reads[0]).isPositive();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).as("no temporary files left").containsExactly(file);
    }
  }

  @Test
  void file_failedSave_throws_andLeavesNoTemporaryFile() throws Exception {
    Path file = dir.resolve("creds");
    CredentialStore store = CredentialStore.file(file);
    store.save(credentials("t-good"));
    // The rename cannot replace a non-empty directory: the save fails after the temporary file was written and
    // forced, which is the last moment a crash could leave debris.
    Path blocked = dir.resolve("blocked");
    CredentialStore blockedStore = CredentialStore.file(blocked);
    Files.createDirectories(blocked.resolve("inside"));

    assertThatThrownBy(() -> blockedStore.save(credentials("t-new"))).isInstanceOf(java.io.IOException.class);

    assertThat(store.load().orElseThrow().resumeTicket()).isEqualTo("t-good");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("creds", "blocked");
    }
  }

  @Test
  void file_withLoosePermissions_isNarrowedOnLoad() throws Exception {
    Path file = dir.resolve("creds");
    CredentialStore.file(file).save(credentials("t-1"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(CredentialStore.file(file).load()).isPresent();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void file_corrupt_countsAsEmpty_isLeftAlone_andTheNextSaveReplacesIt() throws Exception {
    Path file = dir.resolve("creds");
    Files.writeString(file, "format=1\nuser_id=u\n\u0000garbage", StandardCharsets.UTF_8);
    byte[] before = Files.readAllBytes(file);
    CredentialStore store = CredentialStore.file(file);

    assertThat(store.load()).isEmpty();
    assertThat(Files.readAllBytes(file)).isEqualTo(before);

    store.save(credentials("t-1"));
    assertThat(store.load().orElseThrow().resumeTicket()).isEqualTo("t-1");
  }

  @Test
  void file_missing_isEmpty_andClearIsIdempotent() throws Exception {
    CredentialStore store = CredentialStore.file(dir.resolve("none"));
    assertThat(store.load()).isEmpty();
    store.clear();
    store.save(credentials("t-1"));
    store.clear();
    store.clear();
    assertThat(store.load()).isEmpty();
    assertThat(Files.exists(dir.resolve("none"))).isFalse();
  }

  @Test
  void file_pointingAtADirectory_isRejected() {
    assertThatThrownBy(() -> CredentialStore.file(dir)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("file: ");
  }

  @Test
  void inMemory_roundTrips_andClears() throws Exception {
    CredentialStore store = CredentialStore.inMemory();
    store.save(credentials("t-1"));
    assertThat(store.load()).contains(credentials("t-1"));
    store.clear();
    assertThat(store.load()).isEmpty();
  }

  @Test
  void credentials_neverShowTheTicket_andCheckItsLength() {
    assertThat(credentials("very-secret-ticket").toString()).doesNotContain("very-secret-ticket");
    assertThatThrownBy(() -> credentials("x".repeat(257))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("resumeTicket: 257 bytes");
    assertThatThrownBy(() -> credentials("")).hasMessageStartingWith("resumeTicket: 0 bytes");
  }

  @Test
  void credentials_matchTheirDeviceAndUser() {
    ResumeCredentials c = credentials("t");
    assertThat(c.matches("alice", "dev-1")).isTrue();
    assertThat(c.matches("bob", "dev-1")).isFalse();
    assertThat(c.matches("alice", "dev-2")).isFalse();
    assertThat(c.matches(null, "dev-1")).isTrue();
  }
}
