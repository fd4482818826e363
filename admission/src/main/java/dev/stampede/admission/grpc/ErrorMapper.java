package dev.stampede.admission.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
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
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

  /** Where gRPC carries the {@code google.rpc.Status} with details (what {@code StatusProto} reads). */
  static final Metadata.Key<byte[]> STATUS_DETAILS_KEY =
      Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

  /** The trailer grpc-java's retry policy reads: decimal milliseconds. */
  public static final Metadata.Key<String> PUSHBACK_KEY =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  private final String service;
  private final boolean pushback;
  private final RetryCalendar calendar;
  private final long dependencyDelayMillis;
  private final RetryBookings bookings;
  private final Map<RejectReason, Overload> overloads = new EnumMap<>(RejectReason.class);

  /**
   * @param service the service name sent in {@code ErrorInfo.metadata["service"]}
   * @param pushback whether overload answers carry a delay (false only for the naive baseline)
   * @param calendar where delays come from when the failure does not carry one
   * @param dependencyDelayMillis the shortest delay for {@link RejectReason#DEPENDENCY_UNAVAILABLE}
   */
  public ErrorMapper(String service, boolean pushback, RetryCalendar calendar, long dependencyDelayMillis) {
    this(service, pushback, calendar, dependencyDelayMillis, null);
  }

  /**
   * @param bookings signs the booking that overload answers with a delay carry; null = none
   */
  public ErrorMapper(String service, boolean pushback, RetryCalendar calendar, long dependencyDelayMillis,
      RetryBookings bookings) {
    this.service = Objects.requireNonNull(service, "service");
    this.pushback = pushback;
    this.calendar = Objects.requireNonNull(calendar, "calendar");
    this.dependencyDelayMillis = dependencyDelayMillis;
    this.bookings = pushback ? bookings : null;
    for (RejectReason r : RejectReason.values()) {
      overloads.put(r, new Overload(r, errorInfo(r.name())));
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

  /** What signs and checks retry bookings; null when answers carry none. */
  public RetryBookings bookings() {
    return bookings;
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
      return new Answer(Status.CANCELLED.withDescription("cancelled"), new Metadata());
    }
    LOG.error("internal error answered as INTERNAL", e);
    return new Answer(Status.INTERNAL.withDescription("internal error"), new Metadata());
  }

  /** The status of {@code t} (convenience for {@link #toStatusException}). */
  public Status toStatus(Throwable t) {
    return toStatusException(t).getStatus();
  }

  /**
   * The overload answer for {@code reason}: its code ({@code RESOURCE_EXHAUSTED} or {@code UNAVAILABLE}), an
   * {@code ErrorInfo}, and — with pushback on — {@code RetryInfo} and {@code grpc-retry-pushback-ms} of
   * {@code delayMillis}, and the {@code stampede-retry-booking} trailer when bookings are on.
   */
  public StatusRuntimeException overload(RejectReason reason, long delayMillis) {
    // The hot path of every refusal: the status, the google.rpc.Status prefix (code, message, ErrorInfo) and the
    // RetryInfo type URL are encoded once per reason; per call only the RetryInfo's delay is encoded and appended
    // (repeated fields concatenate on the wire).
    Overload o = overloads.get(reason);
    Metadata trailers = new Metadata();
    if (pushback) {
      trailers.put(STATUS_DETAILS_KEY, o.detailsWith(delayMillis));
      trailers.put(PUSHBACK_KEY, Long.toString(delayMillis));
      if (bookings != null) {
        trailers.put(RetryBookings.KEY, bookings.issue(delayMillis));
      }
    } else {
      trailers.put(STATUS_DETAILS_KEY, o.prefix);
    }
    return new Answer(o.status, trailers);
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
    trailers.put(STATUS_DETAILS_KEY, status.build().toByteArray());
    return new Answer(Status.fromCode(code).withDescription(message), trailers);
  }

  /**
   * A status exception without a stack trace: it is an answer to a client, not a bug, and filling in the stack
   * trace of the calling thread would cost more than the whole refusal.
   */
  private static final class Answer extends StatusRuntimeException {
    private static final long serialVersionUID = 1L;

    Answer(Status status, Metadata trailers) {
      super(status, trailers);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  /** The parts of one reason's overload answer that never change. */
  private static final class Overload {
    private static final byte[] RETRY_INFO_TYPE_URL =
        ("type.googleapis.com/" + RetryInfo.getDescriptor().getFullName()).getBytes(StandardCharsets.US_ASCII);

    final Status status;
    final byte[] prefix;

    Overload(RejectReason reason, Any errorInfo) {
      this.status = Status.fromCode(reason.code()).withDescription(reason.label());
      this.prefix = com.google.rpc.Status.newBuilder()
          .setCode(reason.code().value())
          .setMessage(reason.label())
          .addDetails(errorInfo)
          .build()
          .toByteArray();
    }

    /** The prefix plus {@code details: Any{RetryInfo{retry_delay: delayMillis}}}. */
    byte[] detailsWith(long delayMillis) {
      try {
        com.google.protobuf.Duration delay = com.google.protobuf.Duration.newBuilder()
            .setSeconds(delayMillis / 1000)
            .setNanos((int) (delayMillis % 1000) * 1_000_000)
            .build();
        int retryInfoSize = CodedOutputStream.computeMessageSize(1, delay);
        int anySize = CodedOutputStream.computeByteArraySize(1, RETRY_INFO_TYPE_URL)
            + CodedOutputStream.computeTagSize(2) + CodedOutputStream.computeUInt32SizeNoTag(retryInfoSize)
            + retryInfoSize;
        int total = prefix.length + CodedOutputStream.computeTagSize(3)
            + CodedOutputStream.computeUInt32SizeNoTag(anySize) + anySize;
        byte[] out = new byte[total];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        CodedOutputStream o = CodedOutputStream.newInstance(out, prefix.length, total - prefix.length);
        o.writeTag(3, WireFormat.WIRETYPE_LENGTH_DELIMITED); // google.rpc.Status.details
        o.writeUInt32NoTag(anySize);
        o.writeByteArray(1, RETRY_INFO_TYPE_URL); // Any.type_url
        o.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED); // Any.value = RetryInfo
        o.writeUInt32NoTag(retryInfoSize);
        o.writeMessage(1, delay); // RetryInfo.retry_delay
        o.checkNoSpaceLeft();
        return out;
      } catch (IOException e) {
        throw new IllegalStateException("encoding a RetryInfo into a sized array cannot fail", e);
      }
    }
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
