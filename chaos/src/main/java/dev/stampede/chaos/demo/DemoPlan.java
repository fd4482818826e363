package dev.stampede.chaos.demo;

import dev.stampede.chaos.storm.ClientProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How big the demo's storm is, chosen from the log-in capacity C measured on this machine.
 *
 * <p>The physics: a {@code skype2007} client whose log-ins time out tries every 5 s + 6 s = 11 s, so N of them
 * offer N ÷ 11 s log-ins per second. The naive server (admission off: an unbounded queue in front of a fixed worker
 * pool, no deadline checks) serves C per second in FIFO order; once its queue holds more than 5 s of work, every
 * log-in it finishes is one its client has already given up on, goodput is zero, and nobody leaves the queue of
 * retriers: it stays down (metastable) as long as N ÷ 11 s exceeds C, and a queueing model stays down reliably
 * from about 2 × C (at 1.5 × it still drains, slowly). So N = offered × 11 s × C with offered ≥ 2.
 *
 * <p>The time: every run ramps N clients in through real password log-ins (≈ N ÷ C), and the unprotected run must
 * be watched for 5 × its bound, bound = max(W, t_ready) + N ÷ C = max(W, t_ready) + 11 s × offered. Both grow with
 * the offered multiple and not with C: a faster machine gets a bigger N, not a longer demo. The plan takes the
 * largest multiple in [{@code minOffered}, {@code maxOffered}] whose estimated total fits the budget even when the
 * restarted stacks ramp at the slowest rate measured.
 *
 * <p>C comes from the unprotected run's own ramp (its closed loop of log-ins at full concurrency is a calibration
 * of the log-in mix): N is chosen as soon as that rate stops growing, while the ramp goes on.
 *
 * @param clients N
 * @param window W, the clients' reboot window
 * @param loginCapacity C of the log-in mix used to choose N
 * @param offeredPerSecond N ÷ 11 s, what the skype2007 clients offer once they time out
 * @param offeredMultiple offeredPerSecond ÷ C
 * @param unprotectedBound the unprotected run's expected bound, with the assumed t_ready
 * @param unprotectedWindow 5 × that bound: how long the unprotected run is watched
 * @param estimatedTotal the estimated duration of the three runs (after the build), with the restarted stacks ramping
 *     at the typical rate measured
 * @param estimatedSlow the same when the restarted stacks ramp at the slowest rate measured
 * @param budget the time budget
 * @param warnings what may make the demo less convincing (e.g. an N below 2 × C ÷ 11 s given by --clients)
 */
public record DemoPlan(int clients, Duration window, double loginCapacity, double offeredPerSecond,
    double offeredMultiple, double unprotectedBound, double unprotectedWindow, Duration estimatedTotal,
    Duration estimatedSlow, Duration budget, List<String> warnings) {

  /** The multiple of the bound the unprotected run is watched for, so that "not recovered" means R &gt; 5. */
  public static final double WINDOW_MULTIPLE = 5;
  /**
   * Load before each run's own calibration, discarded. The runs calibrate after their ramp, on services that have
   * served every client's log-in: this only lets the calibration clients connect and settle.
   */
  public static final Duration CALIBRATION_WARMUP = Duration.ofSeconds(3);
  /** The queueing-model threshold above which the naive server stays down. */
  public static final double METASTABLE_MULTIPLE = 2;
  /**
   * The most clients the unprotected run's ramp may bring in while it measures C (accounts are seeded as the ramp
   * reaches them): the storm generator's scale on one machine.
   */
  public static final int MAX_CLIENTS = 50_000;

  /** Copies the list. */
  public DemoPlan {
    warnings = List.copyOf(warnings);
  }

  /**
   * The settings of one demo mode.
   *
   * @param window W
   * @param budget the time budget of the three runs
   * @param minOffered the smallest offered multiple to plan with
   * @param maxOffered the largest offered multiple worth its time
   * @param calibration the measurement of each run's calibration (after its warm-up)
   * @param sizingWarmup how long the unprotected run ramps before it measures C, long enough for the JIT: a fresh
   *     auth pod on 2 cores logs in at ~70 % of its warm rate after 5 s and ~85 % after 15 s (a C measured too early
   *     chooses an N that offers the naive server less than 2 x what it really serves, and it recovers)
   * @param sizingWindow each window of that measurement; windows follow while the rate still grows
   * @param sizingMaxWarmup no window starts later than this: how long a fresh auth takes to reach its warm rate varies
   *     from start to start (2 cores, quick demo: a C of 39/s in one run and 20/s in the next, whose ramp then rose
   *     to 36/s; the N chosen from 20/s offered the naive server 1.2 x what it served and it recovered)
   * @param startup starting the services (Redis, auth, directory) for a run
   * @param readyGuess t_ready assumed for planning (measured in each run)
   * @param tail how long a run is watched after recovery
   * @param steadyHold how long each run holds its clients online before the storm
   */
  public record Mode(Duration window, Duration budget, double minOffered, double maxOffered, Duration calibration,
      Duration sizingWarmup, Duration sizingWindow, Duration sizingMaxWarmup, Duration startup, Duration readyGuess,
      Duration tail, Duration steadyHold) {
  }

  /** {@code ./stampede demo}: W = 10 s, ≤ 10 min. */
  public static final Mode DEFAULT = new Mode(Duration.ofSeconds(10), Duration.ofMinutes(10), 2.5, 2.75,
      Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(30),
      Duration.ofSeconds(6), Duration.ofMillis(8500), Duration.ofSeconds(10), Duration.ofSeconds(5));
  /**
   * {@code ./stampede demo --quick}: W = 5 s, ≤ 6 min. Shorter everywhere the physics allows: the hold before the
   * storm (2 s) and the watch after recovery (3 s).
   */
  public static final Mode QUICK = new Mode(Duration.ofSeconds(5), Duration.ofMinutes(6), 2.0, 2.5,
      Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(30),
      Duration.ofSeconds(6), Duration.ofMillis(8500), Duration.ofSeconds(3), Duration.ofSeconds(2));

  // Every run ramps its clients in on a just-started stack, whose first half minute of hashing is slower and varies
  // from start to start: 0.55-1.10 of the warm C over ten ramps on 2 cores (median 0.85). The plan is chosen so that
  // even the slowest fits the budget, and says what the typical one takes. Start-up (6 s) and t_ready (7-10 s) are
  // the values measured with the AppCDS archives.
  private static final double COLD_RAMP_TYPICAL = 0.85;
  private static final double COLD_RAMP_SLOWEST = 0.55;
  // Seeding, the runner's phase changes and the report, per run.
  private static final double RUN_OVERHEAD_S = 3;
  /** Log-ins in flight during the demo's ramps: two per hashing thread of a 2-core pod keep both threads busy. */
  public static final int RAMP_CONCURRENCY = 8;
  // admission_only is expected at R <= 2; plan for 1.5.
  private static final double ADMISSION_ONLY_RATIO = 1.5;
  // Each phase above is modelled on measured runs (2-core box): no extra margin.
  private static final double SAFETY = 1.0;

  /**
   * Plans the demo.
   *
   * @param mode default or quick
   * @param loginCapacity C of the log-in mix, measured on this machine (recoveries per second)
   * @param clientsOverride N from {@code --clients}, or 0 to choose
   * @throws IllegalArgumentException if the capacity is not positive
   */
  public static DemoPlan choose(Mode mode, double loginCapacity, int clientsOverride) {
    if (!(loginCapacity > 0) || Double.isInfinite(loginCapacity)) {
      throw new IllegalArgumentException("loginCapacity: " + loginCapacity + " (expected: > 0)");
    }
    double period = ClientProfile.Skype2007.DEFAULT.periodWhenTimingOut().toNanos() / 1e9;
    List<String> warnings = new ArrayList<>();
    double multiple;
    if (clientsOverride > 0) {
      multiple = clientsOverride / period / loginCapacity;
      if (multiple < METASTABLE_MULTIPLE) {
        warnings.add(String.format(Locale.ROOT, "%d clients offer only %.2f x the log-in capacity "
            + "(%.1f/s): the unprotected server may drain its backlog and recover; use at least %d clients",
            clientsOverride, multiple, loginCapacity, (int) Math.ceil(METASTABLE_MULTIPLE * period * loginCapacity)));
      }
    } else {
      multiple = mode.minOffered();
      for (double m = mode.maxOffered(); m >= mode.minOffered(); m -= 0.1) {
        if (estimate(mode, m, period, COLD_RAMP_SLOWEST).compareTo(mode.budget()) <= 0) {
          multiple = m;
          break;
        }
      }
    }
    int n = clientsOverride > 0 ? clientsOverride : (int) Math.ceil(multiple * period * loginCapacity);
    multiple = n / period / loginCapacity;
    Duration total = estimate(mode, multiple, period, COLD_RAMP_TYPICAL);
    Duration slow = estimate(mode, multiple, period, COLD_RAMP_SLOWEST);
    if (total.compareTo(mode.budget()) > 0) {
      warnings.add(String.format(Locale.ROOT, "estimated %s, over the %s budget", minutes(total),
          minutes(mode.budget())));
    } else if (slow.compareTo(mode.budget()) > 0) {
      warnings.add(String.format(Locale.ROOT, "estimated %s, but up to %s if the restarted services hash slowly for "
          + "their first half minute (as measured on 2 cores): that would be over the %s budget", minutes(total),
          minutes(slow), minutes(mode.budget())));
    }
    double bound = Math.max(seconds(mode.window()), seconds(mode.readyGuess())) + n / loginCapacity;
    return new DemoPlan(n, mode.window(), loginCapacity, n / period, multiple, bound, WINDOW_MULTIPLE * bound, total,
        slow, mode.budget(), warnings);
  }

  /**
   * The estimated duration of the three runs for an offered multiple, the two restarted stacks ramping at
   * {@code coldRamp} of the planning C.
   */
  static Duration estimate(Mode mode, double multiple, double period, double coldRamp) {
    double nOverC = multiple * period;
    double ramps = 3 * nOverC / coldRamp;
    // Start-up, seeding and the steady phase of each run.
    double perRun = seconds(mode.startup()) + RUN_OVERHEAD_S + seconds(mode.steadyHold());
    // The unprotected run measures C on its ramp; the other two calibrate after theirs.
    double calibrations = 2 * (seconds(CALIBRATION_WARMUP) + seconds(mode.calibration()));
    double base = Math.max(seconds(mode.window()), seconds(mode.readyGuess()));
    double bound = base + nOverC;
    double unprotected = WINDOW_MULTIPLE * bound;
    double admissionOnly = ADMISSION_ONLY_RATIO * bound + seconds(mode.tail());
    // Resumes cost microseconds: the protected run is back soon after the services are.
    double protectedRun = base + 2 + seconds(mode.tail());
    return Duration.ofMillis(Math.round((3 * perRun + ramps + calibrations + unprotected + admissionOnly
        + protectedRun) * SAFETY * 1000));
  }

  /** A one-paragraph explanation for the terminal. */
  public String describe() {
    return String.format(Locale.ROOT, "demo plan: N = %d clients, W = %.0f s; log-in capacity C = %.1f/s, so the "
        + "skype2007 clients offer N / 11 s = %.1f log-ins/s = %.2f x C once their attempts time out; "
        + "unprotected bound ~%.0f s, watched for %.0f s; estimated %s (up to %s) of a %s budget", clients,
        seconds(window), loginCapacity, offeredPerSecond, offeredMultiple, unprotectedBound, unprotectedWindow,
        minutes(estimatedTotal), minutes(estimatedSlow), minutes(budget));
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static String minutes(Duration d) {
    long s = d.toSeconds();
    return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
  }
}
