package dev.stampede.relay.domain;

import java.time.Duration;

/**
 * A refusal or failure with a domain meaning. The gRPC edge maps each {@link Kind} to exactly one status (overload
 * answers with RetryInfo plus {@code grpc-retry-pushback-ms}, through the admission library's {@code ErrorMapper}).
 * Carries no stack trace: these are expected outcomes, not bugs. Messages never contain tokens.
 */
public final class RelayException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, in the terms of {@code relay.proto}. */
  public enum Kind {
    /** A field outside its limits; the message names the field. */
    INVALID_ARGUMENT,
    /** Bad session token. */
    SESSION_INVALID,
    /** A join token that is unknown, used, expired, for another user, or missing where one is required. */
    JOIN_TOKEN_INVALID,
    /** The caller is not a party to the allocation. */
    NOT_A_PARTY,
    /** No such allocation (released or expired). */
    NOT_FOUND,
    /** The allocation lives on another pod; {@link #relayAddress()} names it. */
    WRONG_POD,
    /** This side is already connected on another stream. */
    ALREADY_CONNECTED,
    /** The other side left, or the allocation was released: this stream ends. */
    ENDED,
    /** The pod is at its allocation or bandwidth capacity. */
    CAPACITY_EXHAUSTED,
    /** The caller's allocation quota is used up. */
    BUDGET_EXHAUSTED,
    /** The pod is shutting down and takes no new work (or could not move this allocation). */
    DRAINING,
    /** Redis cannot be reached. */
    DEPENDENCY_UNAVAILABLE,
    /** A bug. */
    INTERNAL
  }

  private final Kind kind;
  private final String relayAddress;
  private final Duration retryAfter;

  private RelayException(Kind kind, String message, String relayAddress, Duration retryAfter, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
    this.relayAddress = relayAddress;
    this.retryAfter = retryAfter;
  }

  public static RelayException of(Kind kind, String message) {
    return new RelayException(kind, message, null, null, null);
  }

  /**
   * An overload answer ({@code CAPACITY_EXHAUSTED}, {@code DRAINING}, ...) whose delay the retry calendar of the
   * admission library picks.
   */
  public static RelayException overloaded(Kind kind, String message) {
    return new RelayException(kind, message, null, null, null);
  }

  /** An overload answer with a delay the relay knows (e.g. when a quota frees up). */
  public static RelayException overloaded(Kind kind, String message, Duration retryAfter) {
    return new RelayException(kind, message, null, retryAfter, null);
  }

  public static RelayException invalidArgument(String message) {
    return of(Kind.INVALID_ARGUMENT, message);
  }

  public static RelayException wrongPod(String relayAddress) {
    return new RelayException(Kind.WRONG_POD, "allocation lives on relay " + relayAddress + ": connect there",
        relayAddress, null, null);
  }

  public static RelayException dependencyUnavailable(Throwable cause) {
    return new RelayException(Kind.DEPENDENCY_UNAVAILABLE, "relay store unavailable", null, null, cause);
  }

  public Kind kind() {
    return kind;
  }

  /** For {@link Kind#WRONG_POD}: {@code host:port} of the pod that holds the allocation; otherwise null. */
  public String relayAddress() {
    return relayAddress;
  }

  /** For overload answers with a known delay: the earliest time to retry; null: the retry calendar decides. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
