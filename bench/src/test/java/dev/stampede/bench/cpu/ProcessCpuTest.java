package dev.stampede.bench.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {
  @Test
  void parseStat_readsUtimePlusStime_evenWithParensAndSpacesInTheName() {
    String stat = "1234 (C2 Compiler) (x)) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 37 0 0 20 0 30 0 100 1 1";
    assertThat(ProcessCpu.parseStat(stat)).isEqualTo(287);
  }

  @Test
  void parseSchedstat_readsNanosecondsOnCpu() {
    assertThat(ProcessCpu.parseSchedstat("123456789 2000 15\n")).isEqualTo(123_456_789L);
  }

  @Test
  void snapshot_attributesCpuToTheThreadThatUsedIt() throws Exception {
    assumeTrue(ProcessCpu.supported(), "needs /proc");
    ProcessCpu cpu = ProcessCpu.self();
    ProcessCpu.Snapshot before = cpu.snapshot();
    Thread burner = new Thread(() -> {
      var mx = ManagementFactory.getThreadMXBean();
      long start = mx.getCurrentThreadCpuTime();
      long x = 0;
      while (mx.getCurrentThreadCpuTime() - start < 60_000_000L) {
        x += System.nanoTime() % 7;
      }
      if (x == 42) {
        System.out.print("");
      }
    }, "burner-test");
    burner.start();
    burner.join();
    // The thread is gone: its time still counts in the process total.
    ProcessCpu.Snapshot after = cpu.snapshot();
    assertThat(after.totalNanosSince(before)).isGreaterThanOrEqualTo(40_000_000L);
    assertThat(after.wallNanosSince(before)).isPositive();

    Thread live = new Thread(() -> {
      var mx = ManagementFactory.getThreadMXBean();
      long start = mx.getCurrentThreadCpuTime();
      while (mx.getCurrentThreadCpuTime() - start < 60_000_000L) {
        Thread.onSpinWait();
      }
      try {
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "burner-live");
    ProcessCpu.Snapshot b2 = cpu.snapshot();
    live.start();
    Thread.sleep(50);
    while (live.getState() == Thread.State.RUNNABLE) {
      Thread.sleep(10);
    }
    ProcessCpu.Snapshot a2 = cpu.snapshot();
    live.interrupt();
    assertThat(a2.threadNanosSince(b2, name -> name.startsWith("burner-live"))).isGreaterThanOrEqualTo(50_000_000L);
    assertThat(a2.threadNanosSince(b2, name -> name.startsWith("no-such-thread"))).isZero();
  }
}
