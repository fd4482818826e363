package dev.stampede.client.observe;

import java.util.List;
import java.util.function.Consumer;

/** Fans events out to several listeners; one failing listener does not starve the others. */
final class CompositeListener implements ClientEventListener {
  private static final System.Logger LOG = System.getLogger(CompositeListener.class.getName());

  private final List<ClientEventListener> listeners;

  CompositeListener(List<ClientEventListener> listeners) {
    this.listeners = listeners;
  }

  private void each(Consumer<ClientEventListener> delivery) {
    for (ClientEventListener listener : listeners) {
      try {
        delivery.accept(listener);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "event listener " + listener.getClass().getName() + " failed", e);
      }
    }
  }

  @Override
  public void onAttempt(AttemptEvent event) {
    each(l -> l.onAttempt(event));
  }

  @Override
  public void onRetryScheduled(RetryEvent event) {
    each(l -> l.onRetryScheduled(event));
  }

  @Override
  public void onLocalRejection(LocalRejectionEvent event) {
    each(l -> l.onLocalRejection(event));
  }

  @Override
  public void onCallFinished(CallEvent event) {
    each(l -> l.onCallFinished(event));
  }

  @Override
  public void onReconnectKick(ReconnectEvent event) {
    each(l -> l.onReconnectKick(event));
  }
}
