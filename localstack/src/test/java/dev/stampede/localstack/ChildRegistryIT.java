package dev.stampede.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChildRegistryIT {

  @Test
  void stalePidFile_ofADeadOwner_getsItsOrphanKilled() throws Exception {
    Process orphan = new ProcessBuilder("sleep", "120").start();
    Process deadOwner = new ProcessBuilder("true").start();
    deadOwner.waitFor(10, TimeUnit.SECONDS);
    Path pidFile = ChildRegistry.stateDir().resolve(orphan.pid() + ".pid");
    writePidFile(pidFile, deadOwner.pid(), orphan);

    int killed = ChildRegistry.reapStale();

    assertThat(killed).isGreaterThanOrEqualTo(1);
    assertThat(orphan.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(pidFile).doesNotExist();
  }

  @Test
  void pidFile_ofALiveOwner_isLeftAlone() throws Exception {
    Process child = new ProcessBuilder("sleep", "120").start();
    try {
      Path pidFile = ChildRegistry.stateDir().resolve(child.pid() + ".pid");
      writePidFile(pidFile, ProcessHandle.current().pid(), child);

      ChildRegistry.reapStale();

      assertThat(child.isAlive()).isTrue();
      assertThat(pidFile).exists();
      Files.delete(pidFile);
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void pidFile_whosePidWasRecycled_doesNotKillTheNewProcess() throws Exception {
    Process unrelated = new ProcessBuilder("sleep", "120").start();
    try {
      Path pidFile = ChildRegistry.stateDir().resolve(unrelated.pid() + ".pid");
      Properties props = new Properties();
      props.setProperty("owner.pid", "999999999");
      props.setProperty("child.pid", Long.toString(unrelated.pid()));
      props.setProperty("child.start", "2001-01-01T00:00:00Z");
      props.setProperty("description", "recycled");
      try (OutputStream out = Files.newOutputStream(pidFile)) {
        props.store(out, null);
      }

      ChildRegistry.reapStale();

      assertThat(unrelated.isAlive()).isTrue();
      assertThat(pidFile).doesNotExist();
    } finally {
      unrelated.destroyForcibly();
    }
  }

  private static void writePidFile(Path file, long ownerPid, Process child) throws Exception {
    Properties props = new Properties();
    props.setProperty("owner.pid", Long.toString(ownerPid));
    props.setProperty("child.pid", Long.toString(child.pid()));
    child.toHandle().info().startInstant().ifPresent(s -> props.setProperty("child.start", s.toString()));
    props.setProperty("description", "sleep");
    try (OutputStream out = Files.newOutputStream(file)) {
      props.store(out, null);
    }
  }
}
