package dev.stampede.admission.grpc;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.stampede.admission.ApiException;
import dev.stampede.admission.OverloadException;
import dev.stampede.admission.RejectReason;
import dev.stampede.admission.calendar.RetryCalendar;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that maps failures to gRPC status (STYLE: "one place that maps exceptions to gRPC status"), and
 * the builder of the overload answer of {@code errors.proto}:
 *
 * <ul>
 *   <li>{@link StatusRuntimeException} / {@link StatusException}: passed through unchanged;</li>
 *   <li>{@link ApiException}: its code and message, with a {@code google.rpc.ErrorInfo} if it names a reason;</li>
 *   <li>{@link OverloadException}: {@code RESOURCE_EXHAUSTED} or {@code UNAVAILABLE} with {@code ErrorInfo},
 *       {@code google.rpc.RetryInfo} and the {@code grpc-retry-pushback-ms} trailer; the delay is the exception's,
 *       or a retry-calendar slot (at least {@code dependencyRetryDelay} for a dependency that is down);</li>
 *   <li>Redis connection failures, command timeouts and "not connected" rejections (Lettuce), and
 *       {@link TimeoutException}: {@code UNAVAILABLE} / {@code DEPENDENCY_UNAVAILABLE}, as above;</li>
 *   <li>{@link CancellationException}: {@code CANCELLED};</li>
 *   <li>anything else is a bug: {@code INTERNAL} with the message "internal error"; the exception is logged here
 *       and never sent to the client.</li>
 * </ul>
 *
 * <p>With pushback off (admission disabled: the naive baseline) overload answers carry no {@code RetryInfo} and no
 * trailer. Wrappers ({@link CompletionException}, {@link ExecutionException}) are unwrapped. Thread-safe.
 */
public final class ErrorMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

  /** The trailer grpc-java's retry policy reads: decimal milliseconds. */
  public static final Metadata.Key<String> PUSHBACK_KEY =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  private final String service;
  private final boolean pushback;
  private final RetryCalendar calendar;
  private final long dependencyDelayMillis;
  private final Map<RejectReason, Any> errorInfos = new EnumMap<>(RejectReason.class);

  /**
   * @param service the service name sent in {@code ErrorInfo.metadata["service"]}
   * @param pushback whether overload answers carry a delay (false only for the naive baseline)
   * @param calendar where delays come from when the failure does not carry one
   * @param dependencyDelayMillis the shortest delay for {@link RejectReason#DEPENDENCY_UNAVAILABLE}
   */
  public ErrorMapper(String service, boolean pushback, RetryCalendar calendar, long dependencyDelayMillis) {
    this.service = Objects.requireNonNull(service, "service");
    this.pushback = pushback;
    this.calendar = Objects.requireNonNull(calendar, "calendar");
    this.dependencyDelayMillis = dependencyDelayMillis;
    for (RejectReason r : RejectReason.values()) {
      errorInfos.put(r, errorInfo(r.name()));
    }
  }

  /** Whether overload answers carry {@code RetryInfo} and the pushback trailer. */
  public boolean pushback() {
    return pushback;
  }

  /** The retry calendar delays come from. */
  public RetryCalendar calendar() {
    return calendar;
  }

  /** Maps {@code t} to the status the client gets. Never throws. */
  public StatusRuntimeException toStatusException(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof StatusRuntimeException) {
      return (StatusRuntimeException) e;
    }
    if (e instanceof StatusException) {
      StatusException se = (StatusException) e;
      return new StatusRuntimeException(se.getStatus(), se.getTrailers());
    }
    if (e instanceof ApiException) {
      ApiException api = (ApiException) e;
      return answer(api.code(), api.getMessage(), api.reason() == null ? null : errorInfo(api.reason()), -1);
    }
    if (e instanceof OverloadException) {
      OverloadException o = (OverloadException) e;
      long delay = o.retryAfterMillis() >= 0 ? o.retryAfterMillis() : delayFor(o.reason());
      return overload(o.reason(), delay);
    }
    if (isDependencyFailure(e)) {
      return overload(RejectReason.DEPENDENCY_UNAVAILABLE, delayFor(RejectReason.DEPENDENCY_UNAVAILABLE));
    }
    if (e instanceof CancellationException) {
      return Status.CANCELLED.withDescription("cancelled").asRuntimeException();
    }
    LOG.error("internal error answered as INTERNAL", e);
    return Status.INTERNAL.withDescription("internal error").asRuntimeException();
  }

  /** The status of {@code t} (convenience for {@link #toStatusException}). */
  public Status toStatus(Throwable t) {
    return toStatusException(t).getStatus();
  }

  /**
   * The overload answer for {@code reason}: its code ({@code RESOURCE_EXHAUSTED} or {@code UNAVAILABLE}), an
   * {@code ErrorInfo}, and — with pushback on — {@code RetryInfo} and {@code grpc-retry-pushback-ms} of
   * {@code delayMillis}.
   */
  public StatusRuntimeException overload(RejectReason reason, long delayMillis) {
    String description = pushback
        ? reason.label() + ": retry after " + delayMillis + " ms"
        : reason.label();
    return answer(reason.code(), description, errorInfos.get(reason), pushback ? delayMillis : -1);
  }

  /** A retry-calendar delay for {@code reason} (at least the dependency delay for a dependency failure). */
  public long delayFor(RejectReason reason) {
    long delay = calendar.bookMillis();
    if (reason == RejectReason.DEPENDENCY_UNAVAILABLE && delay < dependencyDelayMillis) {
      // Nobody knows when the dependency is back: spread the returns over half a delay rather than in one burst.
      return dependencyDelayMillis + ThreadLocalRandom.current().nextLong(dependencyDelayMillis / 2 + 1);
    }
    return delay;
  }

  private StatusRuntimeException answer(Status.Code code, String message, Any errorInfo, long delayMillis) {
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
        .setCode(code.value())
        .setMessage(message == null ? "" : message);
    if (errorInfo != null) {
      status.addDetails(errorInfo);
    }
    Metadata trailers = new Metadata();
    if (delayMillis >= 0) {
      status.addDetails(Any.pack(RetryInfo.newBuilder()
          .setRetryDelay(com.google.protobuf.Duration.newBuilder()
              .setSeconds(delayMillis / 1000)
              .setNanos((int) (delayMillis % 1000) * 1_000_000))
          .build()));
      trailers.put(PUSHBACK_KEY, Long.toString(delayMillis));
    }
    return StatusProto.toStatusRuntimeException(status.build(), trailers);
  }

  private Any errorInfo(String reason) {
    return Any.pack(ErrorInfo.newBuilder()
        .setDomain(RejectReason.DOMAIN)
        .setReason(reason)
        .putMetadata("service", service)
        .build());
  }

  /** Whether {@code t} means "a dependency cannot be reached right now". */
  public static boolean isDependencyFailure(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof RedisConnectionException || e instanceof RedisCommandTimeoutException
        || e instanceof TimeoutException) {
      return true;
    }
    // Lettuce with DisconnectedBehavior.REJECT_COMMANDS, or a full request queue.
    return e instanceof RedisException && e.getMessage() != null
        && (e.getMessage().contains("not connected") || e.getMessage().contains("Request queue size exceeded")
            || e.getMessage().contains("Connection closed"));
  }

  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
