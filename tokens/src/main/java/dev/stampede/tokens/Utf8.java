package dev.stampede.tokens;

/**
 * UTF-8 length of a Java string without encoding it. Every input limit of the v1 contracts is in bytes of UTF-8
 * (user ids and device ids in session claims included), so each service checks lengths with this one function.
 * Stateless and thread-safe.
 */
public final class Utf8 {
  private Utf8() {
  }

  /** Bytes {@code s} takes in UTF-8 (0 for null); an unpaired surrogate counts as the 3 bytes of U+FFFD. */
  public static int length(String s) {
    if (s == null) {
      return 0;
    }
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
