package dev.stampede.chaos.runner;

import dev.stampede.chaos.experiment.Fault;
import dev.stampede.chaos.storm.FakeServices;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@link SdkStackDriver} on {@link FakeServices} over loopback Netty: the real SDK clients, channels, seeding and
 * calibration, against fake services; a fault stops the services for {@link #downFor} and starts them again on the
 * same port.
 */
class LoopbackDriver extends SdkStackDriver {
  final FakeServices services = FakeServices.loopback();
  String credential = FakeServices.CREDENTIAL;
  Duration downFor = Duration.ofMillis(500);

  @Override
  protected String authTarget() {
    return services.target();
  }

  @Override
  protected String directoryTarget() {
    return services.target();
  }

  @Override
  protected String adminCredential() {
    return credential;
  }

  @Override
  public String engine() {
    return "loopback";
  }

  @Override
  public boolean admission() {
    return true;
  }

  @Override
  public Map<String, List<URI>> metricsEndpoints() {
    return Map.of();
  }

  @Override
  public FaultRun fault(Fault fault) {
    Instant at = Instant.now();
    services.stop();
    try {
      Thread.sleep(downFor.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    services.start();
    Instant ready = Instant.now();
    return new FaultRun(at, Optional.of(Duration.between(at, ready)), false,
        List.of(new JournalEntry(at, "loopback", "kill", "fake", "ok", ""),
            new JournalEntry(ready, "loopback", "ready", "fake", "ok", "")));
  }

  @Override
  public void close() {
    closeChannels();
    services.close();
  }
}
