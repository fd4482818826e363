package dev.stampede.client.credentials;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Keeps one device's {@link ResumeCredentials}. The connect flow loads them once when it starts, saves them after
 * every Login and Resume (each Resume rotates the ticket) and clears them when the server says the ticket is
 * invalid or the user logs out.
 *
 * <p>Implementations must be thread-safe. The connect flow calls them on the client's executor, never on a gRPC
 * event loop, so a file implementation may block briefly.
 */
public interface CredentialStore {

  /**
   * The stored credentials, or empty when there are none (or they are unreadable: a corrupt store must cost a
   * log-in, never a crash).
   *
   * @throws IOException if the store exists but cannot be read at all
   */
  Optional<ResumeCredentials> load() throws IOException;

  /**
   * Replaces the stored credentials. When this returns, the new ticket survives a crash.
   *
   * @throws IOException if they could not be stored; the previous credentials are then still intact
   */
  void save(ResumeCredentials credentials) throws IOException;

  /**
   * Removes the stored credentials. Idempotent.
   *
   * @throws IOException if they could not be removed
   */
  void clear() throws IOException;

  /** A store that lives as long as the object (simulated devices, tests). */
  static CredentialStore inMemory() {
    return new InMemoryCredentialStore();
  }

  /**
   * A file readable and writable by its owner only, replaced atomically on every save.
   *
   * @throws IllegalArgumentException if {@code file} is an existing directory
   */
  static CredentialStore file(Path file) {
    return new FileCredentialStore(file);
  }
}
