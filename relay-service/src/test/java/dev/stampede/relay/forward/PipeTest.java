package dev.stampede.relay.forward;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.stampede.api.relay.v1.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PipeTest {
  private static final int MAX = 65_536;
  private static final long CHARGE = MAX + Pipe.FRAME_OVERHEAD;

  private final FakeClock clock = new FakeClock();
  private final BandwidthLimiter unlimited = new BandwidthLimiter(Long.MAX_VALUE / 4, clock, clock);
  private final ForwardingStats stats = new ForwardingStats();
  private final FakeStream source = new FakeStream();
  private final FakeStream sink = new FakeStream();
  private int ended;

  private Pipe pipe(long capacity, BandwidthLimiter limiter) {
    Pipe[] holder = new Pipe[1];
    holder[0] = new Pipe(capacity, MAX, limiter, stats, () -> holder[0].pump(), () -> ended++);
    return holder[0];
  }

  private static Frame frame(int size, int tag) {
    byte[] data = new byte[size];
    if (size > 0) {
      data[0] = (byte) tag;
    }
    return Frame.newBuilder().setData(ByteString.copyFrom(data)).build();
  }

  @Test
  void newSource_isAskedForAsManyFullFramesAsFit() {
    Pipe p = pipe(4 * CHARGE + 10, unlimited);
    p.attachSource(source);
    p.pump();
    assertThat(source.requested).isEqualTo(4);
    assertThat(p.outstanding()).isEqualTo(4);
  }

  @Test
  void stalledSink_fillsBufferThenStopsAsking_neverAboveCapacity() {
    long capacity = 8 * CHARGE;
    Pipe p = pipe(capacity, unlimited);
    sink.ready = false;
    p.attachSource(source);
    p.attachSink(sink);
    p.pump();
    Random random = new Random(7);
    int delivered = 0;
    // The sender sends exactly what the pipe asked for, in random sizes, until the pipe stops asking.
    while (delivered < source.requested) {
      p.onFrame(frame(random.nextInt(MAX + 1), delivered));
      delivered++;
      assertThat(p.queuedBytes()).isLessThanOrEqualTo(capacity);
      assertThat(p.queuedBytes() + p.outstanding() * CHARGE).isLessThanOrEqualTo(capacity);
    }
    int askedWhenStalled = source.requested;
    p.pump();
    assertThat(source.requested).isEqualTo(askedWhenStalled);
    assertThat(sink.sent).isEmpty();
    assertThat(p.peakQueuedBytes()).isLessThanOrEqualTo(capacity);
    assertThat(stats.bufferedBytes()).isEqualTo(p.queuedBytes());
  }

  @Test
  void readySink_forwardsInOrder_andKeepsAsking() {
    Pipe p = pipe(2 * CHARGE, unlimited);
    p.attachSource(source);
    p.attachSink(sink);
    p.pump();
    for (int i = 0; i < 100; i++) {
      assertThat(p.outstanding()).isPositive();
      p.onFrame(frame(1 + i, i));
    }
    assertThat(sink.frameSizes()).hasSize(100);
    List<Byte> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expected.add((byte) i);
    }
    assertThat(sink.frameTags()).containsExactlyElementsOf(expected);
    assertThat(p.queuedBytes()).isZero();
    assertThat(stats.framesForwarded()).isEqualTo(100);
    assertThat(stats.bytesForwarded()).isEqualTo(100 * 101 / 2);
  }

  @Test
  void sinkTurningReady_drainsQueue_thenAsksAgain() {
    Pipe p = pipe(2 * CHARGE, unlimited);
    sink.ready = false;
    p.attachSource(source);
    p.attachSink(sink);
    p.pump();
    p.onFrame(frame(MAX, 1));
    p.onFrame(frame(MAX, 2));
    assertThat(source.requested).isEqualTo(2);
    sink.ready = true;
    p.pump();
    assertThat(sink.frameTags()).containsExactly((byte) 1, (byte) 2);
    assertThat(source.requested).isEqualTo(4);
  }

  @Test
  void synchronousDeliveryInsideRequest_isSafeAndKeepsOrderAndBound() {
    long capacity = 3 * CHARGE;
    Pipe p = pipe(capacity, unlimited);
    int[] next = {0};
    // grpc-java may run onMessage inline from request(n) when the bytes are already buffered.
    source.onRequest = n -> {
      for (int i = 0; i < n && next[0] < 50; i++) {
        p.onFrame(frame(MAX, next[0]++));
        assertThat(p.queuedBytes()).isLessThanOrEqualTo(capacity);
      }
    };
    p.attachSource(source);
    p.attachSink(sink);
    p.pump();
    assertThat(next[0]).isEqualTo(50);
    assertThat(sink.frameTags()).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(sink.frameTags().get(i)).isEqualTo((byte) i);
    }
  }

  @Test
  void halfClose_deliversEverythingFirst_thenSignalsEndOnce() {
    Pipe p = pipe(4 * CHARGE, unlimited);
    sink.ready = false;
    p.attachSource(source);
    p.attachSink(sink);
    p.pump();
    p.onFrame(frame(10, 1));
    p.onFrame(frame(10, 2));
    p.onSourceHalfClosed();
    assertThat(ended).isZero();
    int asked = source.requested;
    sink.ready = true;
    p.pump();
    p.pump();
    assertThat(sink.frameTags()).containsExactly((byte) 1, (byte) 2);
    assertThat(ended).isEqualTo(1);
    assertThat(p.isEndDelivered()).isTrue();
    assertThat(source.requested).isEqualTo(asked);
  }

  @Test
  void tinyFrames_areBoundedByOverheadToo() {
    long capacity = 4 * CHARGE;
    Pipe p = pipe(capacity, unlimited);
    sink.ready = false;
    p.attachSource(source);
    p.attachSink(sink);
    p.pump();
    int frames = 0;
    for (int round = 0; round < 10_000 && frames < source.requested; round++) {
      p.onFrame(frame(0, 0));
      frames++;
    }
    assertThat(frames).isLessThan(10_000);
    assertThat(p.queuedBytes()).isEqualTo((long) frames * Pipe.FRAME_OVERHEAD).isLessThanOrEqualTo(capacity);
  }

  @Test
  void exhaustedBandwidth_stopsAsking_untilTheBucketRefills() {
    BandwidthLimiter limiter = new BandwidthLimiter(1_000_000, clock, clock);
    Pipe p = pipe(4 * CHARGE, limiter);
    p.attachSource(source);
    p.attachSink(sink);
    p.pump();
    // Burst is max(100 ms, 4 frames) = 4 frames: spend it and go into debt.
    for (int i = 0; i < 5; i++) {
      p.onFrame(frame(MAX, i));
    }
    int asked = source.requested;
    p.pump();
    assertThat(source.requested).isEqualTo(asked);
    assertThat(limiter.isSaturated()).isTrue();
    assertThat(clock.pendingTasks()).isEqualTo(1);
    clock.forwardNanos(1_000_000_000L);
    assertThat(source.requested).isGreaterThan(asked);
  }

  @Test
  void clear_dropsQueueAndAccounting() {
    Pipe p = pipe(4 * CHARGE, unlimited);
    sink.ready = false;
    p.attachSource(source);
    p.attachSink(sink);
    p.pump();
    p.onFrame(frame(1000, 1));
    assertThat(stats.bufferedBytes()).isEqualTo(1000 + Pipe.FRAME_OVERHEAD);
    p.clear();
    assertThat(stats.bufferedBytes()).isZero();
    assertThat(p.queuedBytes()).isZero();
  }
}
