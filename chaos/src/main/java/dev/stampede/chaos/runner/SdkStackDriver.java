package dev.stampede.chaos.runner;

import dev.stampede.chaos.experiment.Calibration;
import dev.stampede.chaos.experiment.RecoveryMix;
import dev.stampede.chaos.storm.ClientIdentity;
import dev.stampede.chaos.storm.ClientProfile;
import dev.stampede.chaos.storm.RecordingInterceptor;
import dev.stampede.chaos.storm.SdkClient;
import dev.stampede.chaos.storm.SdkRawCalls;
import dev.stampede.chaos.storm.Skype2007Client;
import dev.stampede.chaos.storm.StormChannels;
import dev.stampede.chaos.storm.StormTimer;
import dev.stampede.chaos.storm.VirtualClient;
import dev.stampede.chaos.timeline.StormRecorder;
import dev.stampede.client.StampedeClient;

/**
 * What every real {@link StackDriver} does the same way, through the client SDK: seeding with the admin
 * credential, calibration, and the virtual clients on shared {@link StormChannels} — {@code sdk} clients as SDK
 * connections on recorded channels, {@code skype2007} clients as their state machine on single SDK attempts.
 * Subclasses say where the services are and how faults act on them.
 *
 * <p>Thread-safe.
 */
abstract class SdkStackDriver implements StackDriver {
  private StormChannels channels;
  private StormRecorder channelsRecorder;
  private boolean channelsRecorded;
  private SdkRawCalls rawCalls;

  /** Auth's gRPC target for the SDK ({@code host:port,...} or {@code dns:///...}). */
  protected abstract String authTarget();

  /** Directory's gRPC target. */
  protected abstract String directoryTarget();

  /** The admin credential auth accepts for {@code SeedAccounts}. */
  protected abstract String adminCredential();

  /** Virtual clients per shared SDK client. */
  protected int clientsPerShard() {
    return StormChannels.DEFAULT_CLIENTS_PER_SHARD;
  }

  /** A fresh SDK client for set-up work (seeding, calibration); the caller closes it. */
  protected StampedeClient setupClient() {
    return StampedeClient.builder().auth(authTarget()).directory(directoryTarget()).plaintext().build();
  }

  @Override
  public void seed(String prefix, String password, int first, int count) {
    try (StampedeClient client = setupClient()) {
      Seeder.seed(client, adminCredential(), prefix, password, first, count);
    }
  }

  @Override
  public double calibrate(RecoveryMix mix, Calibration calibration, String prefix, String password)
      throws InterruptedException {
    try (StampedeClient client = setupClient()) {
      Seeder.seed(client, adminCredential(), prefix, password, 0, calibration.concurrency());
      return new Calibrator(client, mix, prefix, password).measure(calibration);
    }
  }

  @Override
  public synchronized VirtualClient client(ClientIdentity id, ClientProfile profile, StormTimer timer,
      StormRecorder recorder) {
    // The SDK makes its own attempts, so its channels record them; the 2007 client records its own.
    boolean recorded = profile instanceof ClientProfile.Sdk;
    if (channels == null || channelsRecorder != recorder || channelsRecorded != recorded) {
      closeChannels();
      channels = new StormChannels(authTarget(), directoryTarget(), recorder.online().population(),
          clientsPerShard(), recorded ? new RecordingInterceptor(recorder, timer::nanoTime) : null);
      channelsRecorder = recorder;
      channelsRecorded = recorded;
      rawCalls = new SdkRawCalls(channels);
    }
    StormChannels shared = channels;
    if (profile instanceof ClientProfile.Skype2007 legacy) {
      return new Skype2007Client(id, legacy, rawCalls, timer, recorder);
    }
    return new SdkClient(id, c -> shared.client(c.index()), timer, recorder);
  }

  /** Closes the virtual clients' channels; subclasses call this first in {@link #close()}. */
  protected synchronized void closeChannels() {
    if (channels != null) {
      channels.close();
      channels = null;
      rawCalls = null;
    }
  }
}
