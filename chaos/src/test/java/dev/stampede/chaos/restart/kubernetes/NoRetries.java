package dev.stampede.chaos.restart.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.function.Consumer;

/** Gives the mock's client the no-retry configuration that {@link KubernetesEngine#connect} gives real ones. */
public final class NoRetries implements Consumer<KubernetesClientBuilder> {
  @Override
  public void accept(KubernetesClientBuilder builder) {
    builder.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig();
  }
}
