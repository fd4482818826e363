package dev.stampede.client.testing;

import dev.stampede.client.observe.AttemptEvent;
import dev.stampede.client.observe.CallEvent;
import dev.stampede.client.observe.ClientEventListener;
import dev.stampede.client.observe.LocalRejectionEvent;
import dev.stampede.client.observe.ReconnectEvent;
import dev.stampede.client.observe.RetryEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects every client event. */
public final class EventLog implements ClientEventListener {
  public final List<AttemptEvent> attempts = new CopyOnWriteArrayList<>();
  public final List<RetryEvent> retries = new CopyOnWriteArrayList<>();
  public final List<LocalRejectionEvent> rejections = new CopyOnWriteArrayList<>();
  public final List<CallEvent> calls = new CopyOnWriteArrayList<>();
  public final List<ReconnectEvent> kicks = new CopyOnWriteArrayList<>();

  @Override
  public void onAttempt(AttemptEvent event) {
    attempts.add(event);
  }

  @Override
  public void onRetryScheduled(RetryEvent event) {
    retries.add(event);
  }

  @Override
  public void onLocalRejection(LocalRejectionEvent event) {
    rejections.add(event);
  }

  @Override
  public void onCallFinished(CallEvent event) {
    calls.add(event);
  }

  @Override
  public void onReconnectKick(ReconnectEvent event) {
    kicks.add(event);
  }
}
