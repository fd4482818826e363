package dev.stampede.chaos.restart.kubernetes;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each action as a Kubernetes Event on the object acted on, as Chaos Mesh does, so that
 * {@code kubectl get events} and {@code kubectl describe pod} show who restarted what and when. Best effort: an
 * Event that cannot be written (no {@code events create} permission) is logged at debug level and the run goes on.
 * Thread-safe.
 */
final class ChaosEvents {

  /** The {@code source.component} and {@code reportingComponent} of the Events. */
  static final String COMPONENT = "stampede-chaos";

  private static final Logger LOG = LoggerFactory.getLogger(ChaosEvents.class);
  private static final AtomicLong SEQ = new AtomicLong();

  private final KubernetesClient client;

  ChaosEvents(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Writes one Event.
   *
   * @param kind the kind of the object ({@code Pod}, {@code Deployment}, {@code StatefulSet})
   * @param apiVersion its API version ({@code v1}, {@code apps/v1})
   * @param warning whether the action did not go through (type {@code Warning}) rather than {@code Normal}
   * @param reason a CamelCase reason, e.g. {@code ChaosKill}
   */
  void record(String namespace, String kind, String apiVersion, String name, String uid, boolean warning,
      String reason, String message, Instant at) {
    String time = DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    Event event = new EventBuilder().withNewMetadata().withNamespace(namespace)
        .withName(name + "." + Long.toHexString(at.toEpochMilli()) + Long.toHexString(SEQ.incrementAndGet()))
        .endMetadata()
        .withNewInvolvedObject().withKind(kind).withApiVersion(apiVersion).withNamespace(namespace).withName(name)
        .withUid(uid).endInvolvedObject()
        .withType(warning ? "Warning" : "Normal").withReason(reason).withMessage(message)
        .withNewSource().withComponent(COMPONENT).endSource().withReportingComponent(COMPONENT)
        .withFirstTimestamp(time).withLastTimestamp(time).withCount(1).build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.debug("could not record the Event for {}/{} (HTTP {}); the journal has it", namespace, name, e.getCode());
    }
  }
}
