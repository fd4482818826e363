package dev.stampede.admission.limit;

import com.netflix.concurrency.limits.Limit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A fixed limit that records every sample it is fed. */
public final class RecordingLimit implements Limit {
  /** One {@link #onSample} call. */
  public static final class Sample {
    public final long rtt;
    public final int inflight;
    public final boolean didDrop;

    Sample(long rtt, int inflight, boolean didDrop) {
      this.rtt = rtt;
      this.inflight = inflight;
      this.didDrop = didDrop;
    }

    @Override
    public String toString() {
      return "Sample[rtt=" + rtt + " inflight=" + inflight + " drop=" + didDrop + "]";
    }
  }

  public final List<Sample> samples = new ArrayList<>();
  public volatile int limit;

  public RecordingLimit(int limit) {
    this.limit = limit;
  }

  @Override
  public int getLimit() {
    return limit;
  }

  @Override
  public void notifyOnChange(Consumer<Integer> consumer) {
  }

  @Override
  public synchronized void onSample(long startTime, long rtt, int inflight, boolean didDrop) {
    samples.add(new Sample(rtt, inflight, didDrop));
  }
}
