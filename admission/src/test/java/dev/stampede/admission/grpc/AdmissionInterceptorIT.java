package dev.stampede.admission.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.stampede.admission.Admission;
import dev.stampede.admission.AdmissionConfig;
import dev.stampede.admission.MethodPolicies;
import dev.stampede.admission.MethodPolicy;
import dev.stampede.admission.Priority;
import dev.stampede.admission.limit.LimitAlgorithm;
import dev.stampede.admission.limit.PriorityShares;
import dev.stampede.admission.queue.QueueTimePolicy;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The interceptor over real loopback gRPC (Netty): admitted, queued and refused calls, unary and streaming. */
class AdmissionInterceptorIT {
  private static final byte[] PAYLOAD = {1, 2, 3};

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Admission admission;
  private TestService service;
  private ManagedChannel channel;

  private void start(AdmissionConfig.Builder config) throws Exception {
    admission = Admission.builder("test")
        .config(config.build())
        .policies(MethodPolicies.builder()
            .method("test.Work/Unary", Priority.LOGIN)
            .method("test.Work/Critical", Priority.CRITICAL)
            .method("test.Work/Pooled", MethodPolicy.withoutLatencySignal(Priority.LOGIN))
            .method("test.Work/Stream", Priority.CRITICAL)
            .build())
        .meterRegistry(registry)
        .build();
    service = new TestService(admission);
    channel = service.channel();
  }

  /** One call at a time, no reservations. */
  private static AdmissionConfig.Builder oneAtATime(int queueCapacity) {
    return AdmissionConfig.builder()
        .algorithm(LimitAlgorithm.FIXED)
        .initialLimit(1)
        .shares(PriorityShares.none())
        .queueCapacity(queueCapacity);
  }

  /** Queue time long enough for a test to look at a queued call. */
  private static QueueTimePolicy longQueue() {
    return QueueTimePolicy.builder().maxQueueTime(Duration.ofSeconds(30)).interval(Duration.ofSeconds(30)).build();
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (service != null) {
      service.close();
    }
    if (admission != null) {
      admission.close();
    }
  }

  private byte[] call(String method, Duration deadline, Metadata headers) {
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    io.grpc.Channel ch = headers == null
        ? channel
        : io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    return ClientCalls.blockingUnaryCall(ch, service.clientView(service.unary).toBuilder()
        .setFullMethodName(method).build(), options, PAYLOAD);
  }

  private Future<byte[]> callAsync(Duration deadline) {
    return ClientCalls.futureUnaryCall(
        channel.newCall(service.clientView(service.unary),
            CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)),
        PAYLOAD);
  }

  /** Occupies the only permit with a call blocked in the handler. */
  private Future<byte[]> occupy() {
    service.gate = new CountDownLatch(1);
    Future<byte[]> f = callAsync(Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(5)).until(() -> service.unaryRuns.get() == 1);
    return f;
  }

  private static StatusRuntimeException failure(Future<?> f) throws InterruptedException {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (StatusRuntimeException) e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("call did not finish", e);
    }
    throw new AssertionError("call succeeded");
  }

  private static void assertOverloadAnswer(StatusRuntimeException e, String reason) throws Exception {
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    String pushback = e.getTrailers().get(ErrorMapper.PUSHBACK_KEY);
    assertThat(pushback).isNotNull();
    RetryInfo retry = ErrorMapperTest.retryInfo(e);
    assertThat(retry).isNotNull();
    long retryMs = retry.getRetryDelay().getSeconds() * 1000 + retry.getRetryDelay().getNanos() / 1_000_000;
    assertThat(retryMs).isEqualTo(Long.parseLong(pushback)).isGreaterThanOrEqualTo(100);
    ErrorInfo info = ErrorMapperTest.errorInfo(e);
    assertThat(info.getDomain()).isEqualTo("stampede.dev");
    assertThat(info.getReason()).isEqualTo(reason);
  }

  private double rejected(String reason) {
    var c = registry.find("stampede.admission.rejected").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void unary_admitted_runsAndAnswers() throws Exception {
    start(oneAtATime(0));

    assertThat(call("test.Work/Unary", Duration.ofSeconds(5), null)).containsExactly(PAYLOAD);
    assertThat(service.requests.parsed.get()).isEqualTo(1);
    assertThat(registry.find("stampede.admission.admitted").tag("priority", "login").counter().count())
        .isEqualTo(1);
  }

  @Test
  void unary_refused_getsTheOverloadAnswer_andItsMessageIsNeverParsed() throws Exception {
    start(oneAtATime(0));
    Future<byte[]> first = occupy();

    StatusRuntimeException e = failure(callAsync(Duration.ofSeconds(5)));

    assertOverloadAnswer(e, "OVERLOADED");
    assertThat(service.requests.parsed.get()).isEqualTo(1);
    assertThat(service.unaryRuns.get()).isEqualTo(1);
    assertThat(rejected("overloaded")).isEqualTo(1);
    service.gate.countDown();
    assertThat(first.get(5, TimeUnit.SECONDS)).containsExactly(PAYLOAD);
  }

  @Test
  void unary_queued_waitsUnparsedAndStartsWhenThePermitIsFreed() throws Exception {
    start(oneAtATime(10).queueTime(longQueue()));
    Future<byte[]> first = occupy();
    Future<byte[]> second = callAsync(Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(5)).until(() -> admission.calls().queued() == 1);

    assertThat(service.requests.parsed.get()).isEqualTo(1);
    service.gate.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS)).containsExactly(PAYLOAD);
    assertThat(second.get(5, TimeUnit.SECONDS)).containsExactly(PAYLOAD);
    assertThat(service.requests.parsed.get()).isEqualTo(2);
    assertThat(admission.calls().inflight()).isZero();
  }

  @Test
  void admittedCall_seesHowLongItWaitedForItsPermit() throws Exception {
    start(oneAtATime(10).queueTime(longQueue()));
    Future<byte[]> first = occupy();
    Future<byte[]> second = callAsync(Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(5)).until(() -> admission.calls().queued() == 1);
    Thread.sleep(300);
    service.gate.countDown();

    first.get(5, TimeUnit.SECONDS);
    second.get(5, TimeUnit.SECONDS);
    assertThat(service.queuedNanos).hasSize(2);
    assertThat(service.queuedNanos.get(1)).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
    assertThat(service.queuedNanos.get(0)).isLessThan(service.queuedNanos.get(1));
  }

  @Test
  void queued_callWhoseClientGivesUp_isWithdrawnNeverParsedNeverRun() throws Exception {
    start(oneAtATime(10).queueTime(longQueue()));
    Future<byte[]> first = occupy();

    // Long enough to reach the queue (not refused as too short) on a slow machine, short against the 30 s queue.
    StatusRuntimeException e = failure(callAsync(Duration.ofSeconds(1)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    await().atMost(Duration.ofSeconds(5)).until(() -> admission.calls().queued() == 0);
    service.gate.countDown();
    first.get(5, TimeUnit.SECONDS);
    assertThat(service.unaryRuns.get()).isEqualTo(1);
    assertThat(service.requests.parsed.get()).isEqualTo(1);
    assertThat(registry.find("stampede.admission.abandoned").counter().count()).isEqualTo(1);
  }

  @Test
  void queued_pastTheQueueTime_isRefusedByTheSweeper() throws Exception {
    start(oneAtATime(10).queueTime(QueueTimePolicy.builder().maxQueueTime(Duration.ofMillis(50)).build()));
    Future<byte[]> first = occupy();

    StatusRuntimeException e = failure(callAsync(Duration.ofSeconds(10)));

    assertOverloadAnswer(e, "QUEUE_TIMEOUT");
    assertThat(service.requests.parsed.get()).isEqualTo(1);
    service.gate.countDown();
    first.get(5, TimeUnit.SECONDS);
  }

  @Test
  void refusal_carriesABooking_andTheRetryThatBringsItBackWhenDueIsKeptWaitingInsteadOfRefused() throws Exception {
    start(oneAtATime(10).queueTime(QueueTimePolicy.builder().maxQueueTime(Duration.ofMillis(50)).build()));
    Future<byte[]> first = occupy();
    StatusRuntimeException refused = failure(callAsync(Duration.ofSeconds(10)));
    assertOverloadAnswer(refused, "QUEUE_TIMEOUT");
    String booking = refused.getTrailers().get(RetryBookings.KEY);
    assertThat(booking).isNotNull();
    Thread.sleep(Long.parseLong(refused.getTrailers().get(ErrorMapper.PUSHBACK_KEY)));

    Metadata forged = new Metadata();
    forged.put(RetryBookings.KEY, booking.substring(0, booking.length() - 1)
        + (booking.endsWith("0") ? "1" : "0"));
    assertThatThrownBy(() -> call("test.Work/Unary", Duration.ofSeconds(10), forged))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    Metadata headers = new Metadata();
    headers.put(RetryBookings.KEY, booking);
    Future<byte[]> kept = java.util.concurrent.ForkJoinPool.commonPool()
        .submit(() -> call("test.Work/Unary", Duration.ofSeconds(10), headers));
    await().atMost(Duration.ofSeconds(5)).until(() -> admission.calls().queued() == 1);
    Thread.sleep(300); // six times the 50 ms an unbooked call may wait
    assertThat(kept).isNotDone();
    service.gate.countDown();

    assertThat(kept.get(5, TimeUnit.SECONDS)).containsExactly(PAYLOAD);
    assertThat(first.get(5, TimeUnit.SECONDS)).containsExactly(PAYLOAD);
  }

  @Test
  void holdTime_keepsACallPastItsQueueTime_forItsRetrySlot_soOneRequestSucceeds() throws Exception {
    start(oneAtATime(10).queueTime(QueueTimePolicy.builder().maxQueueTime(Duration.ofMillis(50))
        .holdMaxTime(Priority.LOGIN, Duration.ofSeconds(2)).build()));
    Future<byte[]> first = occupy();

    Future<byte[]> held = callAsync(Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(5))
        .until(() -> registry.find("stampede.admission.held").counter() != null);
    Thread.sleep(300); // six times the 50 ms it may wait unheld
    assertThat(held).isNotDone();
    assertThat(service.requests.parsed.get()).isEqualTo(1);
    service.gate.countDown();

    assertThat(held.get(5, TimeUnit.SECONDS)).containsExactly(PAYLOAD);
    assertThat(first.get(5, TimeUnit.SECONDS)).containsExactly(PAYLOAD);
    assertThat(registry.find("stampede.admission.held").tag("priority", "login").counter().count()).isEqualTo(1);
    assertThat(rejected("queue_timeout")).isZero();
  }

  @Test
  void deadlineShorterThanTheServiceTime_isRefusedBeforeAnyWork() throws Exception {
    start(AdmissionConfig.builder().algorithm(LimitAlgorithm.FIXED).initialLimit(10));
    service.sleepMillis = 1000;
    call("test.Work/Unary", Duration.ofSeconds(5), null);
    call("test.Work/Unary", Duration.ofSeconds(5), null);
    int runs = service.unaryRuns.get();

    // Far shorter than the 1 s service time, long enough for the refusal to come back on a slow machine.
    assertThatThrownBy(() -> call("test.Work/Unary", Duration.ofMillis(400), null))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          try {
            assertOverloadAnswer(e, "DEADLINE_TOO_SHORT");
          } catch (Exception ex) {
            throw new AssertionError(ex);
          }
        });
    assertThat(service.unaryRuns.get()).isEqualTo(runs);
    assertThat(service.requests.parsed.get()).isEqualTo(runs);
  }

  @Test
  void methodWithoutLatencySignal_stillLearnsItsServiceTime_forTheDeadlineCheckAndItsQueueTime() throws Exception {
    start(AdmissionConfig.builder().algorithm(LimitAlgorithm.FIXED).initialLimit(10));
    service.sleepMillis = 1000;
    call("test.Work/Pooled", Duration.ofSeconds(5), null);
    int runs = service.unaryRuns.get();

    assertThat(((AdmissionInterceptor) admission.interceptor()).expectedServiceNanos("test.Work/Pooled"))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1000).toNanos());
    assertThatThrownBy(() -> call("test.Work/Pooled", Duration.ofMillis(400), null))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    assertThat(rejected("deadline_too_short")).isEqualTo(1.0);
    assertThat(service.unaryRuns.get()).isEqualTo(runs);
  }

  @Test
  void staleServiceTime_doesNotRefuseForever() throws Exception {
    start(AdmissionConfig.builder().algorithm(LimitAlgorithm.FIXED).initialLimit(10));
    service.sleepMillis = 300; // a slow start teaches a long service time ...
    call("test.Work/Unary", Duration.ofSeconds(5), null);
    service.sleepMillis = 0; // ... then the service is fast again

    // Calls with 100 ms deadlines are refused at first, but each refusal shrinks the stale estimate.
    int ok = 0;
    for (int i = 0; i < 100 && ok == 0; i++) {
      try {
        call("test.Work/Unary", Duration.ofMillis(100), null);
        ok++;
      } catch (StatusRuntimeException e) {
        // A round trip slower than the deadline on a loaded machine ends as DEADLINE_EXCEEDED instead.
        assertThat(e.getStatus().getCode()).isIn(Status.Code.RESOURCE_EXHAUSTED, Status.Code.DEADLINE_EXCEEDED);
      }
    }
    assertThat(ok).isEqualTo(1);
    assertThat(rejected("deadline_too_short")).isBetween(1.0, 60.0);
  }

  @Test
  void clientHeader_lowersPriority_soReservedSlotsStayFree() throws Exception {
    // Limit 2 with one slot reserved for CRITICAL: a CRITICAL method lowered to sheddable cannot use it.
    start(AdmissionConfig.builder().algorithm(LimitAlgorithm.FIXED).initialLimit(2).queueCapacity(0)
        .shares(PriorityShares.of(0.5, 0, 0, 0)));
    Future<byte[]> first = occupy();
    Metadata lower = new Metadata();
    lower.put(AdmissionInterceptor.PRIORITY_KEY, "sheddable");

    assertThatThrownBy(() -> call("test.Work/Critical", Duration.ofSeconds(5), lower))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    service.gate.countDown();
    first.get(5, TimeUnit.SECONDS);
    assertThat(call("test.Work/Critical", Duration.ofSeconds(5), null)).containsExactly(PAYLOAD);
  }

  @Test
  void stream_holdsItsPermitForItsLife_andExtraStreamsAreRefused() throws Exception {
    start(oneAtATime(0).maxStreams(1));
    RecordingObserver a = new RecordingObserver();
    StreamObserver<byte[]> aOut = ClientCalls.asyncBidiStreamingCall(
        channel.newCall(service.clientView(service.stream), CallOptions.DEFAULT), a);
    aOut.onNext(PAYLOAD);
    assertThat(a.messages.poll(5, TimeUnit.SECONDS)).containsExactly(PAYLOAD);

    RecordingObserver b = new RecordingObserver();
    StreamObserver<byte[]> bOut = ClientCalls.asyncBidiStreamingCall(
        channel.newCall(service.clientView(service.stream), CallOptions.DEFAULT), b);
    bOut.onNext(PAYLOAD);
    assertThat(b.done.await(5, TimeUnit.SECONDS)).isTrue();
    assertOverloadAnswer((StatusRuntimeException) b.error, "OVERLOADED");

    // Streams do not take unary permits.
    assertThat(call("test.Work/Unary", Duration.ofSeconds(5), null)).containsExactly(PAYLOAD);

    aOut.onCompleted();
    assertThat(a.done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(a.error).isNull();
    await().atMost(Duration.ofSeconds(5)).until(() -> admission.streams().inflight() == 0);

    RecordingObserver c = new RecordingObserver();
    StreamObserver<byte[]> cOut = ClientCalls.asyncBidiStreamingCall(
        channel.newCall(service.clientView(service.stream), CallOptions.DEFAULT), c);
    cOut.onNext(PAYLOAD);
    assertThat(c.messages.poll(5, TimeUnit.SECONDS)).containsExactly(PAYLOAD);
    cOut.onCompleted();
    assertThat(c.done.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void stream_cancelledByTheClient_releasesItsPermit() throws Exception {
    start(oneAtATime(0).maxStreams(1));
    ClientCall<byte[], byte[]> call = channel.newCall(service.clientView(service.stream), CallOptions.DEFAULT);
    RecordingObserver a = new RecordingObserver();
    StreamObserver<byte[]> out = ClientCalls.asyncBidiStreamingCall(call, a);
    out.onNext(PAYLOAD);
    assertThat(a.messages.poll(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(admission.streams().inflight()).isEqualTo(1);

    call.cancel("client leaves", null);

    await().atMost(Duration.ofSeconds(5)).until(() -> admission.streams().inflight() == 0);
  }

  @Test
  void admissionOff_isANaivePassThrough() throws Exception {
    start(oneAtATime(0).enabled(false));
    service.gate = new CountDownLatch(1);
    List<Future<byte[]>> calls = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(callAsync(Duration.ofSeconds(10)));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> service.unaryRuns.get() == 5);
    service.gate.countDown();
    for (Future<byte[]> f : calls) {
      assertThat(f.get(5, TimeUnit.SECONDS)).containsExactly(PAYLOAD);
    }
    assertThat(rejected("overloaded")).isZero();
  }

  /** Collects a stream's messages and end. */
  static final class RecordingObserver implements StreamObserver<byte[]> {
    final LinkedBlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
    final CountDownLatch done = new CountDownLatch(1);
    volatile Throwable error;

    @Override
    public void onNext(byte[] value) {
      messages.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
      done.countDown();
    }

    @Override
    public void onCompleted() {
      done.countDown();
    }
  }
}
