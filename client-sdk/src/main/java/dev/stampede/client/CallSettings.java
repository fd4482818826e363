package dev.stampede.client;

import dev.stampede.client.retry.Pushback;
import dev.stampede.client.retry.RetryPolicy;
import io.grpc.Metadata;
import java.time.Duration;
import java.util.Objects;

/**
 * Per-call settings: deadline, per-attempt timeout, wait-for-ready, retry policy, priority and an admin
 * credential. Immutable; each {@code with*} returns a copy. Settings left unset take the client's defaults.
 *
 * <p>The deadline covers the whole call, retries included: a retry whose wait would end after the deadline is not
 * made, and the call fails with the last answer (whose {@link CallFailedException#retryAfter()} tells the caller
 * when the server would take it). The attempt timeout bounds each attempt alone — a client that gives every
 * attempt 5 s sets it, with a deadline long enough for the attempts it wants.
 */
public final class CallSettings {
  /** Header that lowers a call's priority (errors.proto). */
  public static final Metadata.Key<String> PRIORITY_HEADER =
      Metadata.Key.of("stampede-priority", Metadata.ASCII_STRING_MARSHALLER);
  /** Header of admin calls. */
  public static final Metadata.Key<String> AUTHORIZATION_HEADER =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final CallSettings INHERIT = new CallSettings(null, null, null, null, null, null, false, null);

  private final Duration deadline;
  private final Duration attemptTimeout;
  private final Boolean waitForReady;
  private final RetryPolicy retryPolicy;
  private final Priority priority;
  private final String serviceCredential;
  private final boolean scheduledByServer;
  private final String retryBooking;

  private CallSettings(Duration deadline, Duration attemptTimeout, Boolean waitForReady, RetryPolicy retryPolicy,
      Priority priority, String serviceCredential, boolean scheduledByServer, String retryBooking) {
    this.deadline = deadline;
    this.attemptTimeout = attemptTimeout;
    this.waitForReady = waitForReady;
    this.retryPolicy = retryPolicy;
    this.priority = priority;
    this.serviceCredential = serviceCredential;
    this.scheduledByServer = scheduledByServer;
    this.retryBooking = retryBooking;
  }

  /** Everything from the client's defaults. */
  public static CallSettings inherit() {
    return INHERIT;
  }

  /**
   * The whole call's deadline, retries included.
   *
   * @throws IllegalArgumentException if not positive
   */
  public CallSettings withDeadline(Duration deadline) {
    checkPositive("deadline", deadline);
    return new CallSettings(deadline, attemptTimeout, waitForReady, retryPolicy, priority, serviceCredential,
        scheduledByServer, retryBooking);
  }

  /**
   * A timeout for each attempt (the deadline still bounds the call).
   *
   * @throws IllegalArgumentException if not positive
   */
  public CallSettings withAttemptTimeout(Duration attemptTimeout) {
    checkPositive("attemptTimeout", attemptTimeout);
    return new CallSettings(deadline, attemptTimeout, waitForReady, retryPolicy, priority, serviceCredential,
        scheduledByServer, retryBooking);
  }

  /**
   * Whether an attempt waits for a connection (READY) instead of failing at once while there is none. On by
   * default: reconnecting is paced by the client, so waiting costs nothing and the call leaves as soon as the
   * server is back.
   */
  public CallSettings withWaitForReady(boolean waitForReady) {
    return new CallSettings(deadline, attemptTimeout, waitForReady, retryPolicy, priority, serviceCredential,
        scheduledByServer, retryBooking);
  }

  /** The policy for this call instead of the client's ({@link RetryPolicy#noRetry()} for a single attempt). */
  public CallSettings withRetryPolicy(RetryPolicy retryPolicy) {
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    return new CallSettings(deadline, attemptTimeout, waitForReady, retryPolicy, priority, serviceCredential,
        scheduledByServer, retryBooking);
  }

  /** Lowers the call's priority (a value above the method's priority is ignored by the server). */
  public CallSettings withPriority(Priority priority) {
    Objects.requireNonNull(priority, "priority");
    return new CallSettings(deadline, attemptTimeout, waitForReady, retryPolicy, priority, serviceCredential,
        scheduledByServer, retryBooking);
  }

  /**
   * Sends {@code authorization: Bearer <credential>} (admin calls: GetSession, SeedAccounts). Never logged.
   *
   * @throws IllegalArgumentException if empty or not printable ASCII
   */
  public CallSettings withServiceCredential(String credential) {
    Objects.requireNonNull(credential, "credential");
    if (credential.isEmpty() || !credential.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("credential: (redacted, " + credential.length()
          + " chars) (expected: 1 or more printable ASCII characters, no spaces)");
    }
    return new CallSettings(deadline, attemptTimeout, waitForReady, retryPolicy, priority, credential,
        scheduledByServer, retryBooking);
  }

  /**
   * Marks a call made no earlier than the time a server named in its last answer (its pushback): the retry policy
   * counts it but does not reject it locally ({@link RetryPolicy#admit}'s {@code serverScheduled}), as it would not
   * reject a retry the server scheduled. For a caller that waited out a {@link CallFailedException#retryAfter()}
   * itself.
   */
  public CallSettings withScheduledByServer(boolean scheduledByServer) {
    return new CallSettings(deadline, attemptTimeout, waitForReady, retryPolicy, priority, serviceCredential,
        scheduledByServer, retryBooking);
  }

  /**
   * Sends the server's booking of the slot it named ({@link CallFailedException#retryBooking()}) with the call's
   * first attempt, so that a caller that waited out a {@link CallFailedException#retryAfter()} itself is served as
   * the server promised. Null sends none. Retries inside one call carry the latest booking on their own.
   *
   * @throws IllegalArgumentException if not a short token of printable ASCII
   */
  public CallSettings withRetryBooking(String booking) {
    if (booking != null && !Pushback.isBooking(booking)) {
      throw new IllegalArgumentException("booking: not a retry booking of a Stampede server");
    }
    return new CallSettings(deadline, attemptTimeout, waitForReady, retryPolicy, priority, serviceCredential,
        scheduledByServer, booking);
  }

  /** The booking sent with the first attempt, or null. */
  public String retryBooking() {
    return retryBooking;
  }

  /** Whether the call's first attempt is one the server scheduled. */
  public boolean scheduledByServer() {
    return scheduledByServer;
  }

  /** The deadline, or null to inherit. */
  public Duration deadline() {
    return deadline;
  }

  /** The attempt timeout, or null for none. */
  public Duration attemptTimeout() {
    return attemptTimeout;
  }

  /** Wait-for-ready, or null to inherit (default true). */
  public Boolean waitForReady() {
    return waitForReady;
  }

  /** The retry policy, or null to inherit the client's policy for the service. */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** The priority, or null to leave it to the server. */
  public Priority priority() {
    return priority;
  }

  /** The request headers these settings add. */
  Metadata headers() {
    Metadata headers = new Metadata();
    if (priority != null) {
      headers.put(PRIORITY_HEADER, priority.headerValue());
    }
    if (serviceCredential != null) {
      headers.put(AUTHORIZATION_HEADER, "Bearer " + serviceCredential);
    }
    if (retryBooking != null) {
      headers.put(Pushback.RETRY_BOOKING, retryBooking);
    }
    return headers;
  }

  private static void checkPositive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
    }
  }

  @Override
  public String toString() {
    return "CallSettings{deadline=" + deadline + ", attemptTimeout=" + attemptTimeout + ", waitForReady="
        + waitForReady + ", retryPolicy=" + retryPolicy + ", priority=" + priority
        + (serviceCredential != null ? ", serviceCredential=(redacted)" : "") + "}";
  }
}
