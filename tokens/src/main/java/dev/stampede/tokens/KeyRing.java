package dev.stampede.tokens;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 keys of one audience, each with a key id. The first key is <em>current</em>: it signs. The others
 * are still accepted by verifiers, which is how keys rotate without invalidating tokens in flight (DESIGN §5).
 *
 * <p>Rings come from configuration: {@code stampede.token.keys.<audience>} (env
 * {@code STAMPEDE_TOKEN_KEYS_<AUDIENCE>}) holds {@code <kid>:<base64url 32-byte key>[,<kid>:<key>...]}, parsed by
 * {@link #parse(String, String)}. Key ids are 1..16 characters of {@code [A-Za-z0-9_-]}.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never prints key material, and neither do the messages of the
 * {@link IllegalArgumentException}s that {@link #parse} throws.
 */
public final class KeyRing {
  /** Prefix of the configuration key holding one audience's ring: {@code stampede.token.keys.<audience>}. */
  public static final String CONFIG_PREFIX = "stampede.token.keys.";
  /** Length of every key, in bytes (HMAC-SHA256 with a key as long as its output). */
  public static final int KEY_BYTES = 32;

  static final String ALGORITHM = "HmacSHA256";
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,16}");

  private final String audience;
  private final List<String> keyIds;
  private final Map<String, SecretKey> keys;

  private KeyRing(String audience, LinkedHashMap<String, SecretKey> keys) {
    this.audience = audience;
    this.keys = Collections.unmodifiableMap(keys);
    this.keyIds = List.copyOf(keys.keySet());
  }

  /**
   * Parses a ring from its configuration value.
   *
   * @param audience the audience the ring belongs to ({@link Audiences#check checked})
   * @param spec {@code <kid>:<base64url key>[,...]}; white space around entries is ignored; padded and unpadded
   *     base64url are accepted
   * @throws IllegalArgumentException naming the configuration key and the entry (by position, never by value)
   *     when the spec is empty, an entry is malformed, a key id repeats or a key is not exactly 32 bytes
   */
  public static KeyRing parse(String audience, String spec) {
    Audiences.check(audience);
    String configKey = CONFIG_PREFIX + audience;
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException(configKey + ": empty (expected: <kid>:<base64url 32-byte key>[,...])");
    }
    LinkedHashMap<String, SecretKey> keys = new LinkedHashMap<>();
    String[] entries = spec.split(",", -1);
    for (int i = 0; i < entries.length; i++) {
      String where = configKey + ": entry " + (i + 1);
      String entry = entries[i].strip();
      int colon = entry.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(where + ": no ':' (expected: <kid>:<base64url 32-byte key>)");
      }
      String kid = entry.substring(0, colon);
      if (!KEY_ID.matcher(kid).matches()) {
        throw new IllegalArgumentException(where + ": key id of " + kid.length()
            + " characters (expected: 1..16 characters of [A-Za-z0-9_-])");
      }
      byte[] raw;
      try {
        raw = Base64.getUrlDecoder().decode(entry.substring(colon + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + " (kid " + kid + "): key is not base64url", null);
      }
      if (raw.length != KEY_BYTES) {
        throw new IllegalArgumentException(where + " (kid " + kid + "): key of " + raw.length
            + " bytes (expected: " + KEY_BYTES + " bytes, base64url)");
      }
      if (keys.containsKey(kid)) {
        throw new IllegalArgumentException(where + ": key id " + kid + " repeats (expected: distinct key ids)");
      }
      keys.put(kid, new SecretKeySpec(raw, ALGORITHM));
      Arrays.fill(raw, (byte) 0);
    }
    return new KeyRing(audience, keys);
  }

  /**
   * Returns a fresh configuration value with one random key, for tests and local runs (DESIGN §7: nothing is
   * committed or defaulted in code).
   *
   * @throws IllegalArgumentException if {@code keyId} is not 1..16 characters of {@code [A-Za-z0-9_-]}
   */
  public static String randomSpec(String keyId, SecureRandom random) {
    if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException("keyId: " + keyId + " (expected: 1..16 characters of [A-Za-z0-9_-])");
    }
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    return keyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
  }

  /** The audience this ring belongs to. */
  public String audience() {
    return audience;
  }

  /** The id of the key that signs. */
  public String currentKeyId() {
    return keyIds.get(0);
  }

  /** Every key id, current first. */
  public List<String> keyIds() {
    return keyIds;
  }

  SecretKey currentKey() {
    return keys.get(keyIds.get(0));
  }

  /** The key with this id, or {@code null} when the ring does not hold it. */
  SecretKey key(String keyId) {
    return keys.get(keyId);
  }

  /**
   * Computes HMAC-SHA256 of {@code data} under the key with this id, for artefacts the ring's owner signs for
   * itself (auth signs its resume tickets with the {@code auth} ring). Callers put a distinct prefix into
   * {@code data} for each kind of artefact so that one artefact's MAC never verifies another.
   *
   * @return the 32-byte tag, or {@code null} when the ring does not hold {@code keyId}
   */
  public byte[] mac(String keyId, byte[] data) {
    SecretKey key = keys.get(keyId);
    return key == null ? null : Hmac.with(key).doFinal(data);
  }

  /** True when some key of this ring has the same bytes as some key of {@code other}. */
  boolean sharesKeyMaterialWith(KeyRing other) {
    List<SecretKey> mine = new ArrayList<>(keys.values());
    for (SecretKey theirs : other.keys.values()) {
      for (SecretKey k : mine) {
        if (Arrays.equals(k.getEncoded(), theirs.getEncoded())) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "KeyRing{audience=" + audience + ", keyIds=" + keyIds + "}";
  }
}
