package dev.stampede.admission.queue;

import io.grpc.Status;

/** How an admitted call ended, as far as the adaptive limit is concerned. */
public enum Outcome {
  /** The work was done (whatever the answer): its latency is a sample. */
  SUCCESS,
  /** The work was abandoned: the client left, the deadline passed, or a downstream stage shed it. */
  DROPPED,
  /** Says nothing about this server's congestion (a dependency is down, a bug): no sample. */
  IGNORED;

  /**
   * Classifies a gRPC status the server closed a call with. Answers that the application decided (OK and the
   * client-error codes) are work done; {@code DEADLINE_EXCEEDED}, {@code CANCELLED} and {@code RESOURCE_EXHAUSTED}
   * are drops; {@code UNAVAILABLE}, {@code INTERNAL} and the rest are ignored.
   */
  public static Outcome of(Status.Code code) {
    switch (code) {
      case OK:
      case INVALID_ARGUMENT:
      case NOT_FOUND:
      case ALREADY_EXISTS:
      case PERMISSION_DENIED:
      case UNAUTHENTICATED:
      case FAILED_PRECONDITION:
      case OUT_OF_RANGE:
      case ABORTED:
        return SUCCESS;
      case DEADLINE_EXCEEDED:
      case CANCELLED:
      case RESOURCE_EXHAUSTED:
        return DROPPED;
      default:
        return IGNORED;
    }
  }
}
