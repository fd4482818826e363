package dev.stampede.client.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The settings of {@link StandardRetryPolicy}: backoff, retry budget and adaptive throttling. Immutable; build
 * with {@link #builder()}. The defaults are the constants below.
 */
public final class RetryOptions {
  /** Attempts per call, the first included (gRPC caps retry policies at 5). */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  /** Backoff ceiling of the first retry (grpc-java's retry example: 0.5 s). */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
  /** Largest backoff ceiling (grpc-java's retry example: 30 s). */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  /** Growth of the ceiling per retry. */
  public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
  /** Retry budget capacity and starting balance (gRPC A6's example: 10 tokens). */
  public static final double DEFAULT_BUDGET_MAX_TOKENS = 10;
  /** Tokens a success deposits: retries stay below a tenth of successes. */
  public static final double DEFAULT_BUDGET_DEPOSIT = 0.1;
  /** SRE adaptive throttling multiplier K. */
  public static final double DEFAULT_THROTTLE_K = 2.0;
  /** SRE adaptive throttling window. */
  public static final Duration DEFAULT_THROTTLE_WINDOW = Duration.ofMinutes(2);
  /** Slots of the throttling window (10 s each with the default window). */
  public static final int DEFAULT_THROTTLE_BUCKETS = 12;
  /**
   * Requests sent in the throttle's window before it may reject any locally: one device's connect flow stays below
   * it (a few calls a minute), a client that calls a service in bulk is above it within seconds.
   */
  public static final int DEFAULT_THROTTLE_MIN_SENT = 20;

  private static final RetryOptions DEFAULTS = builder().build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double backoffMultiplier;
  private final boolean budgetEnabled;
  private final double budgetMaxTokens;
  private final double budgetDeposit;
  private final boolean throttleEnabled;
  private final double throttleK;
  private final Duration throttleWindow;
  private final int throttleBuckets;
  private final int throttleMinSent;
  private final boolean throttleServerScheduledRetries;

  private RetryOptions(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.backoffMultiplier = b.backoffMultiplier;
    this.budgetEnabled = b.budgetEnabled;
    this.budgetMaxTokens = b.budgetMaxTokens;
    this.budgetDeposit = b.budgetDeposit;
    this.throttleEnabled = b.throttleEnabled;
    this.throttleK = b.throttleK;
    this.throttleWindow = b.throttleWindow;
    this.throttleBuckets = b.throttleBuckets;
    this.throttleMinSent = b.throttleMinSent;
    this.throttleServerScheduledRetries = b.throttleServerScheduledRetries;
  }

  /** The defaults. */
  public static RetryOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.backoffMultiplier = backoffMultiplier;
    b.budgetEnabled = budgetEnabled;
    b.budgetMaxTokens = budgetMaxTokens;
    b.budgetDeposit = budgetDeposit;
    b.throttleEnabled = throttleEnabled;
    b.throttleK = throttleK;
    b.throttleWindow = throttleWindow;
    b.throttleBuckets = throttleBuckets;
    b.throttleMinSent = throttleMinSent;
    b.throttleServerScheduledRetries = throttleServerScheduledRetries;
    return b;
  }

  /** A new policy with its own budget and throttle, drawing jitter from a thread-local generator. */
  public StandardRetryPolicy newPolicy() {
    return new StandardRetryPolicy(this, ThreadLocalRandomGenerator.INSTANCE);
  }

  /** A new policy with its own budget and throttle, drawing jitter from {@code random}. */
  public StandardRetryPolicy newPolicy(RandomGenerator random) {
    return new StandardRetryPolicy(this, random);
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public double backoffMultiplier() {
    return backoffMultiplier;
  }

  public boolean budgetEnabled() {
    return budgetEnabled;
  }

  public double budgetMaxTokens() {
    return budgetMaxTokens;
  }

  public double budgetDeposit() {
    return budgetDeposit;
  }

  public boolean throttleEnabled() {
    return throttleEnabled;
  }

  public double throttleK() {
    return throttleK;
  }

  public Duration throttleWindow() {
    return throttleWindow;
  }

  public int throttleBuckets() {
    return throttleBuckets;
  }

  public int throttleMinSent() {
    return throttleMinSent;
  }

  public boolean throttleServerScheduledRetries() {
    return throttleServerScheduledRetries;
  }

  @Override
  public String toString() {
    return "RetryOptions{maxAttempts=" + maxAttempts + ", backoff=" + initialBackoff + ".." + maxBackoff + " x"
        + backoffMultiplier + ", budget=" + (budgetEnabled ? budgetMaxTokens + "/+" + budgetDeposit : "off")
        + ", throttle=" + (throttleEnabled ? "K=" + throttleK + " over " + throttleWindow + " from " + throttleMinSent
        + " sent" : "off") + "}";
  }

  /** Builds {@link RetryOptions}; every setter validates its argument. Not thread-safe. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private double backoffMultiplier = DEFAULT_BACKOFF_MULTIPLIER;
    private boolean budgetEnabled = true;
    private double budgetMaxTokens = DEFAULT_BUDGET_MAX_TOKENS;
    private double budgetDeposit = DEFAULT_BUDGET_DEPOSIT;
    private boolean throttleEnabled = true;
    private double throttleK = DEFAULT_THROTTLE_K;
    private Duration throttleWindow = DEFAULT_THROTTLE_WINDOW;
    private int throttleBuckets = DEFAULT_THROTTLE_BUCKETS;
    private int throttleMinSent = DEFAULT_THROTTLE_MIN_SENT;
    private boolean throttleServerScheduledRetries;

    private Builder() {
    }

    /** Attempts per call including the first (1 = no retries). */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 1)");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Backoff ceilings: {@code min(initial · multiplier^(n-1), max)}; the delay is uniform below it. */
    public Builder backoff(Duration initial, Duration max, double multiplier) {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      new BackoffCeiling(initial, max, multiplier);
      this.initialBackoff = initial;
      this.maxBackoff = max;
      this.backoffMultiplier = multiplier;
      return this;
    }

    /** The retry budget: capacity (and starting balance) and the deposit per success. */
    public Builder budget(double maxTokens, double depositPerSuccess) {
      new RetryBudget(maxTokens, depositPerSuccess);
      this.budgetEnabled = true;
      this.budgetMaxTokens = maxTokens;
      this.budgetDeposit = depositPerSuccess;
      return this;
    }

    /** Turns the retry budget off (for experiments; retries are then bounded only by attempts and throttling). */
    public Builder withoutBudget() {
      this.budgetEnabled = false;
      return this;
    }

    /** Adaptive throttling: multiplier K, window and the window's slots. */
    public Builder throttle(double k, Duration window, int buckets) {
      Objects.requireNonNull(window, "window");
      new AdaptiveThrottle(k, window, buckets, ThreadLocalRandomGenerator.INSTANCE);
      this.throttleEnabled = true;
      this.throttleK = k;
      this.throttleWindow = window;
      this.throttleBuckets = buckets;
      return this;
    }

    /**
     * Requests that must have been sent in the throttle's window before it rejects any locally (default {@value
     * #DEFAULT_THROTTLE_MIN_SENT}; 0 = the book's throttle, which may reject from the first refused request).
     */
    public Builder throttleMinSent(int minSent) {
      if (minSent < 0) {
        throw new IllegalArgumentException("throttleMinSent: " + minSent + " (expected: >= 0)");
      }
      this.throttleMinSent = minSent;
      return this;
    }

    /** Turns adaptive throttling off. */
    public Builder withoutThrottle() {
      this.throttleEnabled = false;
      return this;
    }

    /**
     * Whether a retry at the time the server's pushback named may also be rejected by the local throttle
     * (default false: the server's retry calendar has reserved that slot, and rejecting it locally would waste
     * it; the retry still counts as a request and still spends a budget token).
     */
    public Builder throttleServerScheduledRetries(boolean throttle) {
      this.throttleServerScheduledRetries = throttle;
      return this;
    }

    public RetryOptions build() {
      return new RetryOptions(this);
    }
  }

  /** Draws from the calling thread's {@link ThreadLocalRandom}: contention-free across many clients. */
  enum ThreadLocalRandomGenerator implements RandomGenerator {
    INSTANCE;

    @Override
    public long nextLong() {
      return ThreadLocalRandom.current().nextLong();
    }

    @Override
    public double nextDouble() {
      return ThreadLocalRandom.current().nextDouble();
    }
  }
}
