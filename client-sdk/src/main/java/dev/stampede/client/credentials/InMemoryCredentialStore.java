package dev.stampede.client.credentials;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link CredentialStore} in memory: survives a simulated reboot that keeps the object. Thread-safe. */
public final class InMemoryCredentialStore implements CredentialStore {
  private final AtomicReference<ResumeCredentials> stored = new AtomicReference<>();

  @Override
  public Optional<ResumeCredentials> load() {
    return Optional.ofNullable(stored.get());
  }

  @Override
  public void save(ResumeCredentials credentials) {
    stored.set(Objects.requireNonNull(credentials, "credentials"));
  }

  @Override
  public void clear() {
    stored.set(null);
  }

  @Override
  public String toString() {
    return "InMemoryCredentialStore{" + (stored.get() == null ? "empty" : "holds a ticket") + "}";
  }
}
