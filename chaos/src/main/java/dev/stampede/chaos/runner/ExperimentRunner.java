package dev.stampede.chaos.runner;

import dev.stampede.chaos.experiment.Arrival;
import dev.stampede.chaos.experiment.Calibration;
import dev.stampede.chaos.experiment.Experiment;
import dev.stampede.chaos.experiment.Fault;
import dev.stampede.chaos.experiment.Slo;
import dev.stampede.chaos.experiment.StormWave;
import dev.stampede.chaos.metrics.Recovery;
import dev.stampede.chaos.metrics.RecoveryCalculator;
import dev.stampede.chaos.report.FaultEvent;
import dev.stampede.chaos.report.PhaseMark;
import dev.stampede.chaos.report.ProgressLine;
import dev.stampede.chaos.report.ReportHtml;
import dev.stampede.chaos.report.ReportJson;
import dev.stampede.chaos.report.RunReport;
import dev.stampede.chaos.report.RunSetup;
import dev.stampede.chaos.report.RunSummary;
import dev.stampede.chaos.report.SummaryTable;
import dev.stampede.chaos.scrape.MetricsScraper;
import dev.stampede.chaos.storm.ClientIdentity;
import dev.stampede.chaos.storm.ClientProfile;
import dev.stampede.chaos.storm.StormTimer;
import dev.stampede.chaos.storm.VirtualClient;
import dev.stampede.chaos.timeline.Sampler;
import dev.stampede.chaos.timeline.StormRecorder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs one experiment on a {@link StackDriver}: calibration (C), seeding, the ramp of real log-ins, the steady hold,
 * then at t0 the faults and the storm, and the observation until recovery (plus a tail) or until
 * the window (a multiple of the bound) ends. Produces a {@link RunReport}, writes {@code report.json} and
 * {@code report.html} when given a directory, and prints progress and the summary. C is calibrated before or after
 * the ramp as the experiment says, or, for a run that chooses its N from C ({@link RampSizing}), measured on the ramp
 * itself.
 *
 * <p>One run per instance; {@link #run} blocks. The clients run on the storm's timer thread and the RPC
 * executors, not on threads of their own.
 */
public final class ExperimentRunner {
  private static final long POLL_MILLIS = 100;
  // A ramp that brings no new client online for this long has stalled: the stack is not healthy.
  private static final Duration RAMP_STALL = Duration.ofSeconds(60);

  /**
   * How to run.
   *
   * @param label the run's name in reports ({@code protected}, or the experiment's name)
   * @param outDir where to write {@code report.json} and {@code report.html}, or empty
   * @param out the terminal
   * @param interactive whether {@code out} is a terminal (progress rewritten in place)
   * @param seed the seed of the storm's random choices (which clients reboot in which wave)
   */
  public record Options(String label, Optional<Path> outDir, PrintWriter out, boolean interactive, long seed) {
  }

  private final StackDriver driver;
  private final Options options;
  private volatile String phase = "start-up";
  private volatile double phaseEnd = Double.NaN;
  private volatile double t0SinceStart = Double.NaN;
  private final List<PhaseMark> phases = new ArrayList<>();
  private long startNanos;

  /** A runner for one run on {@code driver}. */
  public ExperimentRunner(StackDriver driver, Options options) {
    this.driver = driver;
    this.options = options;
  }

  /**
   * Runs the experiment.
   *
   * @throws RunFailedException if the run could not reach its storm (calibration, seeding or ramp failed)
   * @throws InterruptedException if interrupted (Ctrl-C)
   */
  public RunReport run(Experiment e) throws Exception {
    return run(e, Optional.empty());
  }

  /**
   * Runs the experiment with its population chosen from C measured on its own ramp ({@link RampSizing}); the
   * experiment's population is the upper bound. No calibration phase, unless the ramp brought every client of the
   * upper bound in before it could measure a window: then C is calibrated after the ramp.
   *
   * @throws RunFailedException if the run could not reach its storm (calibration, seeding or ramp failed)
   * @throws InterruptedException if interrupted (Ctrl-C)
   */
  public RunReport run(Experiment e, RampSizing sizing) throws Exception {
    return run(e, Optional.of(sizing));
  }

  private RunReport run(Experiment e, Optional<RampSizing> sizing) throws Exception {
    PrintWriter out = options.out();
    Instant startedAt = Instant.now();
    startNanos = System.nanoTime();
    int population = e.population().clients();
    String prefix = e.population().usernamePrefix().orElseGet(() -> e.name() + "-" + randomHex(3) + "-");
    String password = randomHex(12);

    try (StormTimer.SystemTimer timer = new StormTimer.SystemTimer()) {
      StormRecorder recorder = new StormRecorder(population, startNanos);
      MetricsScraper scraper = MetricsScraper.http(driver::metricsEndpoints);
      try (Sampler sampler = new Sampler(recorder, scraper, () -> phase, System::nanoTime)) {
        ProgressLine progress = new ProgressLine(out, options.interactive(), sizing.isPresent() ? 0 : population,
            () -> t0SinceStart,
            () -> phaseEnd - sinceStart(), 5);
        sampler.subscribe(progress::accept);
        sampler.start();

        boolean afterRamp = sizing.isPresent() || e.calibration().when() == Calibration.When.AFTER_RAMP;
        // Unknown until calibrated; an after-ramp calibration never goes with a ramp rate in units of C (Experiment).
        double c = Double.NaN;
        if (!afterRamp) {
          c = calibrate(e, prefix, password, progress);
        }

        Roster roster = new Roster(prefix, password, ClientProfile.of(e.storm().profile()), timer, recorder,
            population);
        if (sizing.isEmpty()) {
          enter("seed", Duration.ZERO);
          roster.seedUpTo(population);
        }
        try {
          Optional<RampMeter> meter = sizing.map(z -> new RampMeter(z, System.nanoTime()));
          int n = ramp(e, roster, recorder, c, meter);
          Experiment run = e;
          if (meter.isPresent()) {
            if (meter.get().decided()) {
              c = meter.get().capacity().orElseThrow();
              reportCapacity(e, c, progress, ", on its ramp");
            } else {
              c = calibrate(e, prefix, password, progress);
            }
            progress.population(n);
            if (n < population) {
              recorder.online().limit(n);
              run = e.withClients(n);
            }
            sizing.get().chosen().chosen(c, n);
          } else if (afterRamp) {
            c = calibrate(e, prefix, password, progress);
          }
          enter("steady", run.steady().hold());
          Thread.sleep(run.steady().hold().toMillis());
          return storm(run, roster.clients.subList(0, n), recorder, sampler, progress, c, startedAt, timer);
        } finally {
          roster.clients.forEach(VirtualClient::stop);
          progress.finish();
        }
      }
    }
  }

  /**
   * The run's virtual clients, created (and their accounts seeded, in batches ahead of need) as the ramp reaches
   * them.
   */
  private final class Roster {
    // Accounts seeded ahead of the ramp when it seeds as it goes: one admin call per this many clients.
    private static final int SEED_BATCH = 1000;
    final List<VirtualClient> clients = new ArrayList<>();
    private final String prefix;
    private final String password;
    private final ClientProfile profile;
    private final StormTimer timer;
    private final StormRecorder recorder;
    private final int population;
    private int seeded;

    Roster(String prefix, String password, ClientProfile profile, StormTimer timer, StormRecorder recorder,
        int population) {
      this.prefix = prefix;
      this.password = password;
      this.profile = profile;
      this.timer = timer;
      this.recorder = recorder;
      this.population = population;
    }

    void seedUpTo(int count) throws Exception {
      if (count > seeded) {
        driver.seed(prefix, password, seeded, count - seeded);
        seeded = count;
      }
    }

    /** Client {@code index}, the next one to create. */
    VirtualClient next() throws Exception {
      int index = clients.size();
      if (index >= seeded) {
        seedUpTo(Math.min(population, index + SEED_BATCH));
      }
      VirtualClient client = driver.client(ClientIdentity.of(prefix, password, index), profile, timer, recorder);
      clients.add(client);
      return client;
    }
  }

  /** The calibration phase: measures C of the experiment's recovery mix now, reports it. */
  private double calibrate(Experiment e, String prefix, String password, ProgressLine progress) throws Exception {
    enter("calibration", e.calibration().warmup().plus(e.calibration().duration()));
    double c = driver.calibrate(e.recoveryMix(), e.calibration(), prefix + "cal-", password);
    reportCapacity(e, c, progress, e.calibration().when() == Calibration.When.AFTER_RAMP ? ", after the ramp" : "");
    return c;
  }

  private void reportCapacity(Experiment e, double c, ProgressLine progress, String when) {
    if (!(c > 0)) {
      throw new RunFailedException("calibration: measured no completed " + e.recoveryMix().id()
          + " in " + e.calibration().duration().toSeconds() + " s; the stack cannot serve the recovery mix");
    }
    progress.finish();
    options.out().printf("%s: C = %.1f recoveries/s (%s + register) measured on this run%s%n", options.label(), c,
        e.recoveryMix().id(), when);
  }

  /**
   * Brings clients online through real log-ins, {@code rampConcurrency} at a time: all of the population, or with
   * a meter, up to the N it chooses.
   *
   * @return how many clients came online
   */
  private int ramp(Experiment e, Roster roster, StormRecorder recorder, double c, Optional<RampMeter> meter)
      throws Exception {
    enter("ramp", Duration.ZERO);
    Semaphore inFlight = new Semaphore(e.steady().rampConcurrency());
    long gapNanos = e.steady().rampRate().map(r -> (long) (1e9 / r.resolve(c))).orElse(0L);
    long next = System.nanoTime();
    int population = e.population().clients();
    int launched = 0;
    while (launched < population) {
      while (!inFlight.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        checkRampProgress(recorder, roster.clients, launched);
        meter.ifPresent(m -> m.observe(System.nanoTime(), recorder.online().onlineCount()));
      }
      if (meter.isPresent()) {
        RampMeter m = meter.get();
        m.observe(System.nanoTime(), recorder.online().onlineCount());
        if (launched >= m.cap()) {
          m.decideAtCap();
          inFlight.release();
          break;
        }
      }
      if (gapNanos > 0) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        next = Math.max(next, System.nanoTime()) + gapNanos;
      }
      roster.next().comeOnline().whenComplete((v, err) -> inFlight.release());
      launched++;
    }
    while (recorder.online().onlineCount() < launched) {
      checkRampProgress(recorder, roster.clients, launched);
      Thread.sleep(POLL_MILLIS);
    }
    return launched;
  }

  private int lastOnline = -1;
  private long lastProgressNanos;

  private void checkRampProgress(StormRecorder recorder, List<VirtualClient> clients, int launched) {
    int online = recorder.online().onlineCount();
    long now = System.nanoTime();
    if (online != lastOnline) {
      lastOnline = online;
      lastProgressNanos = now;
    } else if (now - lastProgressNanos > RAMP_STALL.toNanos()) {
      throw new RunFailedException("ramp: stalled at " + online + " of " + launched + " clients online for "
          + RAMP_STALL.toSeconds() + " s; the stack is not healthy enough to start the storm (e.g. "
          + offlineExamples(recorder, clients) + ")");
    }
  }

  /** Up to three clients that are not online, each with its state and last failure. */
  private static String offlineExamples(StormRecorder recorder, List<VirtualClient> clients) {
    return clients.stream().filter(v -> !recorder.online().isOnline(v.identity().index())).limit(3)
        .map(VirtualClient::describe).collect(java.util.stream.Collectors.joining("; "));
  }

  private RunReport storm(Experiment e, List<VirtualClient> clients, StormRecorder recorder, Sampler sampler,
      ProgressLine progress, double c, Instant startedAt, StormTimer timer) throws Exception {
    int population = clients.size();
    int n = e.stormClients();
    // Which clients reboot in which wave: a seeded shuffle, so a run can be repeated.
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < population; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(options.seed()));
    List<long[]> reboots = new ArrayList<>();
    int taken = 0;
    long stormAt = e.storm().at().toNanos();
    for (StormWave w : e.storm().waves()) {
      int k = w.clients().of(population);
      long windowNanos = w.windowOn(population, c).toNanos();
      for (int j = 0; j < k; j++) {
        int client = order.get(taken++);
        long offset = w.arrival() == Arrival.ALL_AT_ONCE ? 0 : windowNanos * j / k;
        reboots.add(new long[] {client, stormAt + w.start().toNanos() + offset});
        recorder.online().scheduleReboot(client);
      }
    }
    double windowS = e.storm().window(population, c).toNanos() / 1e9;

    enter("storm", Duration.ZERO);
    Instant t0Instant = Instant.now();
    long t0 = System.nanoTime();
    t0SinceStart = (t0 - startNanos) / 1e9;
    recorder.online().trigger(t0);
    Duration bootTime = e.storm().bootTime();
    for (long[] r : reboots) {
      VirtualClient client = clients.get((int) r[0]);
      timer.schedule(t0 + r[1] - timer.nanoTime(), () -> client.reboot(bootTime));
    }
    ExecutorService faultThreads = Executors.newCachedThreadPool(runnable -> {
      Thread t = new Thread(runnable, "stampede-fault");
      t.setDaemon(true);
      return t;
    });
    List<Future<StackDriver.FaultRun>> faultRuns = new ArrayList<>();
    for (Fault f : e.faults()) {
      faultRuns.add(faultThreads.submit(() -> {
        long wait = t0 + f.at().toNanos() - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        try {
          return driver.fault(f);
        } catch (RuntimeException ex) {
          // A fault that could not act is part of the result, not the end of the run.
          Instant now = Instant.now();
          return new StackDriver.FaultRun(now, Optional.empty(), false, List.of(new StackDriver.JournalEntry(now,
              driver.engine(), "fault", f.name(), "failed", String.valueOf(ex.getMessage()))));
        }
      }));
    }
    faultThreads.shutdown();

    long end;
    double tReady;
    while (true) {
      Thread.sleep(POLL_MILLIS);
      long now = System.nanoTime();
      double elapsed = (now - t0) / 1e9;
      boolean faultsDone = faultRuns.stream().allMatch(Future::isDone);
      tReady = faultsDone ? readyTime(e.faults(), faultRuns, t0Instant) : elapsed;
      double bound = Recovery.bound(windowS, tReady, n, c);
      double window = e.observation().window(bound).toNanos() / 1e9;
      phaseEnd = t0SinceStart + window;
      var t99 = recorder.online().t99();
      if (faultsDone && t99.isPresent() && e.observation().tail().isPresent()
          && now >= t99.getAsLong() + e.observation().tail().get().toNanos()) {
        end = now;
        break;
      }
      if (faultsDone && elapsed >= window) {
        end = now;
        break;
      }
    }
    sampler.sample(System.nanoTime());
    progress.finish();

    Recovery recovery = new RecoveryCalculator().compute(new RecoveryCalculator.Facts(n, t0, windowS, tReady, c,
        recorder.online().t99(), end), recorder.authCounts());
    RunSummary summary = RunSummary.of(recovery, recorder, sampler, t0);
    List<Slo.Verdict> verdicts = e.slos().stream().map(s -> s.judge(summary.value(s.metric()))).toList();
    List<FaultEvent> journal = new ArrayList<>();
    for (Future<StackDriver.FaultRun> f : faultRuns) {
      for (StackDriver.JournalEntry j : f.get().events()) {
        journal.add(new FaultEvent(Duration.between(t0Instant, j.at()).toNanos() / 1e9, j.at(), j.engine(), j.type(),
            j.name(), j.outcome(), j.message()));
      }
    }
    journal.sort((a, b) -> Double.compare(a.tS(), b.tS()));
    List<PhaseMark> marks;
    synchronized (phases) {
      marks = phases.stream().map(p -> new PhaseMark(p.name(), p.startS() - t0SinceStart)).toList();
    }
    RunSetup setup = new RunSetup(options.label(), e.name(), e.description(), driver.engine(), driver.admission(),
        e.storm().profile(), e.recoveryMix(), population, n);
    RunReport report = new RunReport(setup, startedAt, t0SinceStart, summary, verdicts, marks, journal,
        sampler.samples());
    if (options.outDir().isPresent()) {
      Path dir = options.outDir().get();
      new ReportJson().write(report, dir.resolve("report.json"));
      new ReportHtml().write(e.name() + " — " + options.label(), List.of(report), dir.resolve("report.html"));
    }
    options.out().print(new SummaryTable().render(report));
    if (!recovery.recovered()) {
      // Say who is still missing and why, as the ramp does when it stalls: the first thing a reader asks.
      options.out().println("still offline at the end, e.g.: " + offlineExamples(recorder, clients));
    }
    options.out().flush();
    return report;
  }

  // t_ready: from t0 until every fault that waited for readiness saw its targets ready (a timed-out wait counts
  // until it gave up); 0 when no fault restarted anything.
  private static double readyTime(List<Fault> faults, List<Future<StackDriver.FaultRun>> runs, Instant t0)
      throws Exception {
    double ready = 0;
    for (int i = 0; i < faults.size(); i++) {
      StackDriver.FaultRun r = runs.get(i).get();
      Fault f = faults.get(i);
      if (!f.awaitsReady() || r.timeToReady().isEmpty() && !r.readyTimedOut()) {
        // Nothing was restarted (or waited for): no readiness to wait for.
        continue;
      }
      double acted = Duration.between(t0, r.actedAt()).toNanos() / 1e9;
      Duration toReady = r.timeToReady().orElseGet(() -> f.readyTimeout().orElseThrow());
      ready = Math.max(ready, acted + toReady.toNanos() / 1e9);
    }
    return ready;
  }

  private void enter(String name, Duration expected) {
    phase = name;
    double now = sinceStart();
    phaseEnd = expected.isZero() ? Double.NaN : now + expected.toNanos() / 1e9;
    synchronized (phases) {
      phases.add(new PhaseMark(name, now));
    }
  }

  private double sinceStart() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

}
