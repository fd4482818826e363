package dev.stampede.auth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code stampede.token.*}: the key rings auth signs with (DESIGN §5). No key has a default: tests and local runs
 * generate random keys, Kubernetes mounts a Secret.
 */
@ConfigMapping(prefix = "stampede.token")
public interface TokenSettings {
  /**
   * {@code stampede.token.keys.<audience>} (env {@code STAMPEDE_TOKEN_KEYS_<AUDIENCE>}) =
   * {@code <kid>:<base64url 32-byte key>[,...]}, first = current. auth needs {@code auth}, {@code directory} and
   * {@code relay}.
   */
  Keys keys();

  /** Clock skew the verifiers tolerate; revocation records outlive tokens by this much. Default 10 s. */
  @WithDefault("10s")
  Duration clockSkew();

  /** {@code stampede.token.keys.*}: one ring per audience auth signs for. */
  interface Keys {
    /** auth's own ring: its token segment (Logout, GetSession) and the MAC of resume tickets. */
    Optional<String> auth();

    /** The directory's ring. */
    Optional<String> directory();

    /** The relay's ring. */
    Optional<String> relay();
  }
}
