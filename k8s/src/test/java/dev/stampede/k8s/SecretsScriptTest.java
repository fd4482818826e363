package dev.stampede.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * k8s/secrets.sh, the documented way to create and rotate the Secrets, against a stand-in kubectl that records
 * every command line: keys have the format the services read, nothing is overwritten by accident, rotation goes
 * verifiers-first, and no key ever appears on a command line.
 */
class SecretsScriptTest {
  static final String KEY = "k\\d{8}-[0-9a-f]{4}:[A-Za-z0-9_-]{43}";

  @TempDir
  Path dir;
  Path bin;
  Path state;

  record Run(int exit, String out, String err) {
  }

  @BeforeEach
  void fakeKubectl() throws IOException {
    bin = Files.createDirectories(dir.resolve("bin"));
    state = Files.createDirectories(dir.resolve("state"));
    try (InputStream in = getClass().getResourceAsStream("/fake-kubectl/kubectl")) {
      Files.write(bin.resolve("kubectl"), in.readAllBytes());
    }
    Files.setPosixFilePermissions(bin.resolve("kubectl"), PosixFilePermissions.fromString("rwx------"));
  }

  Run secrets(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("bash", Repo.k8s().resolve("secrets.sh").toString()));
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("FAKE_KUBE_DIR", state.toString());
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("secrets.sh finishes").isTrue();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  String value(String secret, String key) throws IOException {
    Path file = state.resolve("ns/stampede/secrets").resolve(secret).resolve(key);
    return new String(Base64.getDecoder().decode(Files.readString(file).strip()), StandardCharsets.UTF_8);
  }

  @Test
  void create_makesTheNamespaceAndFourSecrets_inTheFormatTheServicesRead() throws Exception {
    Run r = secrets("create");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("namespace/stampede created", "secret/stampede-keys-auth created",
        "secret/stampede-keys-directory created", "secret/stampede-keys-relay created",
        "secret/stampede-admin created");
    for (String audience : List.of("auth", "directory", "relay")) {
      String ring = value("stampede-keys-" + audience, "keys");
      assertThat(ring).matches(KEY);
      assertThat(Base64.getUrlDecoder().decode(ring.substring(ring.indexOf(':') + 1))).hasSize(32);
    }
    assertThat(value("stampede-keys-auth", "keys")).isNotEqualTo(value("stampede-keys-directory", "keys"));
    assertThat(Base64.getUrlDecoder().decode(value("stampede-admin", "credential"))).hasSize(32);
    assertNoKeyOnACommandLine();
  }

  @Test
  void create_neverReplacesASecretThatExists() throws Exception {
    secrets("create");
    String before = value("stampede-keys-relay", "keys");

    Run again = secrets("create");

    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).contains("secret/stampede-keys-relay exists: left as it is")
        .doesNotContain("created");
    assertThat(value("stampede-keys-relay", "keys")).isEqualTo(before);
  }

  @Test
  void rotation_addsTheKeyEverywhereFirst_thenSigns_thenRetiresTheOld() throws Exception {
    secrets("create");
    String old = value("stampede-keys-directory", "keys");
    String oldKid = old.substring(0, old.indexOf(':'));

    Run rotate = secrets("rotate", "directory");
    assertThat(rotate.exit()).as(rotate.err()).isZero();
    String[] ring = value("stampede-keys-directory", "keys").split(",");
    assertThat(ring).hasSize(2);
    assertThat(ring[0]).as("the old key still signs").isEqualTo(old);
    assertThat(ring[1]).matches(KEY).isNotEqualTo(old);
    // Env from a Secret is read at start: both holders of the directory ring restart and are waited for.
    assertThat(Files.readString(state.resolve("argv.log"))).contains("rollout restart deployment/auth",
        "rollout restart deployment/directory", "rollout status deployment/directory")
        .doesNotContain("deployment/relay");

    Run promote = secrets("promote", "directory");
    assertThat(promote.exit()).as(promote.err()).isZero();
    assertThat(value("stampede-keys-directory", "keys").split(",")).containsExactly(ring[1], old);

    Run retire = secrets("retire", "directory", "--no-restart");
    assertThat(retire.exit()).as(retire.err()).isZero();
    assertThat(value("stampede-keys-directory", "keys")).isEqualTo(ring[1]);

    Run show = secrets("show");
    assertThat(show.out()).contains("stampede-keys-directory: " + ring[1].substring(0, ring[1].indexOf(':')))
        .doesNotContain(oldKid + ",").doesNotContain(ring[1].substring(ring[1].indexOf(':') + 1));
    assertNoKeyOnACommandLine();
  }

  @Test
  void badInput_exitsTwo_andAMissingSecretExitsOne_touchingNothing() throws Exception {
    assertThat(secrets("rotate", "billing").exit()).isEqualTo(2);
    assertThat(secrets("frobnicate").exit()).isEqualTo(2);
    assertThat(secrets().exit()).isEqualTo(2);
    Run missing = secrets("rotate", "relay");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("stampede-keys-relay does not exist");
    assertThat(state.resolve("ns")).doesNotExist();
  }

  /** Key material only ever travels on stdin: every recorded command line is free of it. */
  void assertNoKeyOnACommandLine() throws IOException {
    String argv = Files.readString(state.resolve("argv.log"));
    assertThat(argv).doesNotContainPattern("[A-Za-z0-9_-]{43}");
    assertThat(argv).doesNotContain("--from-literal");
  }
}
