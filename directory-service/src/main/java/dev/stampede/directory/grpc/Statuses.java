package dev.stampede.directory.grpc;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.stampede.api.common.v1.ErrorReason;
import dev.stampede.directory.domain.CapacityExhaustedException;
import dev.stampede.directory.domain.DrainingException;
import dev.stampede.directory.domain.ForeignLeaseException;
import dev.stampede.directory.domain.InvalidInputException;
import dev.stampede.directory.domain.LeaseNotFoundException;
import dev.stampede.directory.domain.StoreUnavailableException;
import dev.stampede.tokens.InvalidSessionTokenException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * The one place where a failure becomes a gRPC status (errors.proto):
 *
 * <table>
 *   <tr><th>failure</th><th>status</th><th>details</th></tr>
 *   <tr><td>{@link InvalidInputException}</td><td>INVALID_ARGUMENT, message names the field</td><td></td></tr>
 *   <tr><td>{@link InvalidSessionTokenException}</td><td>UNAUTHENTICATED</td><td>ErrorInfo SESSION_INVALID</td></tr>
 *   <tr><td>{@link ForeignLeaseException}</td><td>PERMISSION_DENIED</td><td></td></tr>
 *   <tr><td>{@link LeaseNotFoundException}</td><td>NOT_FOUND</td><td></td></tr>
 *   <tr><td>{@link StoreUnavailableException}</td><td>UNAVAILABLE</td><td>RetryInfo + pushback, DEPENDENCY_UNAVAILABLE</td></tr>
 *   <tr><td>{@link DrainingException}</td><td>UNAVAILABLE</td><td>RetryInfo + pushback, DRAINING</td></tr>
 *   <tr><td>{@link CapacityExhaustedException}</td><td>RESOURCE_EXHAUSTED</td><td>RetryInfo + pushback, CAPACITY_EXHAUSTED</td></tr>
 *   <tr><td>a {@link StatusRuntimeException}</td><td>as is</td><td></td></tr>
 *   <tr><td>anything else (a bug)</td><td>INTERNAL with a reference logged</td><td></td></tr>
 * </table>
 *
 * <p>Messages never contain tokens, stack traces or internal names. The retry delay of an overload answer is the
 * configured base plus up to as much again of random jitter, so rejected clients do not return in lockstep; the
 * admission library's retry calendar replaces this when the service adopts it.
 *
 * <p>Immutable and thread-safe.
 */
public final class Statuses {
  /** The trailer grpc-java's retry policy reads (decimal milliseconds). */
  public static final Metadata.Key<String> PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);
  /** The {@code google.rpc.ErrorInfo.domain} of every Stampede error. */
  public static final String DOMAIN = "stampede.dev";

  private static final Logger LOG = Logger.getLogger(Statuses.class);

  private final Duration unavailableDelay;
  private final Duration drainingDelay;
  private final Duration capacityDelay;

  public Statuses(Duration unavailableDelay, Duration drainingDelay, Duration capacityDelay) {
    this.unavailableDelay = unavailableDelay;
    this.drainingDelay = drainingDelay;
    this.capacityDelay = capacityDelay;
  }

  /** The status to close a call with after {@code failure}. */
  public StatusRuntimeException toStatus(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof InvalidInputException) {
      return Status.INVALID_ARGUMENT.withDescription(t.getMessage()).asRuntimeException();
    }
    if (t instanceof InvalidSessionTokenException) {
      return withDetails(Code.UNAUTHENTICATED, "session_token: refused", ErrorReason.SESSION_INVALID, null);
    }
    if (t instanceof ForeignLeaseException) {
      return Status.PERMISSION_DENIED.withDescription(t.getMessage()).asRuntimeException();
    }
    if (t instanceof LeaseNotFoundException) {
      return Status.NOT_FOUND.withDescription(t.getMessage()).asRuntimeException();
    }
    if (t instanceof StoreUnavailableException) {
      return withDetails(Code.UNAVAILABLE, "presence store unavailable, retry later",
          ErrorReason.DEPENDENCY_UNAVAILABLE, unavailableDelay);
    }
    if (t instanceof DrainingException) {
      return withDetails(Code.UNAVAILABLE, "server draining, retry on another", ErrorReason.DRAINING, drainingDelay);
    }
    if (t instanceof CapacityExhaustedException) {
      return withDetails(Code.RESOURCE_EXHAUSTED, t.getMessage(), ErrorReason.CAPACITY_EXHAUSTED, capacityDelay);
    }
    if (t instanceof StatusRuntimeException) {
      return (StatusRuntimeException) t;
    }
    if (t instanceof StatusException) {
      StatusException s = (StatusException) t;
      return s.getStatus().asRuntimeException(s.getTrailers());
    }
    String reference = UUID.randomUUID().toString();
    LOG.errorf(t, "internal error %s", reference);
    return Status.INTERNAL.withDescription("internal error " + reference).asRuntimeException();
  }

  private static StatusRuntimeException withDetails(Code code, String message, ErrorReason reason, Duration delay) {
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
        .setCode(code.getNumber())
        .setMessage(message);
    Metadata trailers = new Metadata();
    if (delay != null) {
      long base = delay.toMillis();
      long millis = base + ThreadLocalRandom.current().nextLong(base + 1);
      status.addDetails(Any.pack(RetryInfo.newBuilder()
          .setRetryDelay(com.google.protobuf.Duration.newBuilder()
              .setSeconds(millis / 1000)
              .setNanos((int) (millis % 1000) * 1_000_000))
          .build()));
      trailers.put(PUSHBACK, Long.toString(millis));
    }
    status.addDetails(Any.pack(ErrorInfo.newBuilder().setDomain(DOMAIN).setReason(reason.name()).build()));
    return StatusProto.toStatusRuntimeException(status.build(), trailers);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
