package dev.stampede.chaos.restart;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One restart: which targets, which of them ({@link Mode}), what to do ({@link Action}), and whether to wait
 * until the targets are ready again afterwards.
 *
 * <p>Build with {@link #builder(Target)}. Immutable and thread-safe.
 */
public final class RestartPlan {

  /** How long {@link Builder#awaitReady()} waits by default. */
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(5);

  private final Target target;
  private final Mode mode;
  private final Action action;
  private final boolean dryRun;
  private final Optional<Duration> readyTimeout;
  private final OptionalLong seed;

  private RestartPlan(Builder b) {
    this.target = b.target;
    this.mode = b.mode;
    this.action = b.action;
    this.dryRun = b.dryRun;
    this.readyTimeout = b.readyTimeout;
    this.seed = b.seed;
  }

  /** A builder for a plan on the given target, defaulting to mode {@code all}, action kill with grace 0. */
  public static Builder builder(Target target) {
    return new Builder(target);
  }

  /** The targets. */
  public Target target() {
    return target;
  }

  /** Which of the targets. */
  public Mode mode() {
    return mode;
  }

  /** What to do to each. */
  public Action action() {
    return action;
  }

  /** Whether to only describe what would happen, touching nothing. */
  public boolean dryRun() {
    return dryRun;
  }

  /**
   * How long to wait after acting until the targets are ready again (recorded as a {@code ready} event and as
   * {@link RestartResult#timeToReady()}); empty to return as soon as the last action is done.
   */
  public Optional<Duration> readyTimeout() {
    return readyTimeout;
  }

  /** The seed of the random pick, or empty for a fresh one (the journal records the seed used). */
  public OptionalLong seed() {
    return seed;
  }

  /** A copy of this plan with dry-run switched on or off. */
  public RestartPlan withDryRun(boolean dryRun) {
    return toBuilder().dryRun(dryRun).build();
  }

  /** A builder holding this plan's values. */
  public Builder toBuilder() {
    Builder b = new Builder(target).mode(mode).action(action).dryRun(dryRun);
    b.readyTimeout = readyTimeout;
    b.seed = seed;
    return b;
  }

  @Override
  public String toString() {
    return action + " " + mode + " of " + target + (dryRun ? " (dry-run)" : "");
  }

  /** Builder of {@link RestartPlan}; not thread-safe. */
  public static final class Builder {
    private final Target target;
    private Mode mode = new Mode.All();
    private Action action = Action.Kill.immediately();
    private boolean dryRun;
    private Optional<Duration> readyTimeout = Optional.empty();
    private OptionalLong seed = OptionalLong.empty();

    private Builder(Target target) {
      if (target == null) {
        throw new IllegalArgumentException("target: null (expected: a namespace and a label selector)");
      }
      this.target = target;
    }

    /** The mode; default {@code all}. */
    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** The action; default kill with grace period 0. */
    public Builder action(Action action) {
      this.action = Objects.requireNonNull(action, "action");
      return this;
    }

    /** Only describe what would happen; default false. */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /** Wait after acting until the targets are ready again, up to {@link #DEFAULT_READY_TIMEOUT}. */
    public Builder awaitReady() {
      return awaitReady(DEFAULT_READY_TIMEOUT);
    }

    /**
     * Wait after acting until the targets are ready again, up to {@code timeout}.
     *
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public Builder awaitReady(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("readyTimeout: " + timeout + " (expected: > 0)");
      }
      this.readyTimeout = Optional.of(timeout);
      return this;
    }

    /** Return as soon as the last action is done (the default). */
    public Builder noAwaitReady() {
      this.readyTimeout = Optional.empty();
      return this;
    }

    /** A fixed seed for the random pick, to repeat a run exactly. */
    public Builder seed(long seed) {
      this.seed = OptionalLong.of(seed);
      return this;
    }

    /** The plan. */
    public RestartPlan build() {
      return new RestartPlan(this);
    }
  }
}
