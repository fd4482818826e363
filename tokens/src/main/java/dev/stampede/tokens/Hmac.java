package dev.stampede.tokens;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/** One HMAC-SHA256 instance per thread: {@link Mac} is not thread-safe and costs more to look up than to re-key. */
final class Hmac {
  static final int TAG_BYTES = 32;

  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance(KeyRing.ALGORITHM);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + KeyRing.ALGORITHM, e);
    }
  });

  private Hmac() {
  }

  /** This thread's instance, initialised with {@code key}, ready for {@code update}/{@code doFinal}. */
  static Mac with(SecretKey key) {
    Mac mac = MAC.get();
    try {
      mac.init(key);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("HMAC key rejected", e);
    }
    return mac;
  }
}
