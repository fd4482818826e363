package dev.stampede.tokens;

import java.util.regex.Pattern;

/**
 * The audiences of Stampede's session tokens (DESIGN §5). Auth holds the keys of all three; directory holds only
 * {@link #DIRECTORY}'s and relay only {@link #RELAY}'s, so neither can mint a token the other accepts.
 */
public final class Audiences {
  /** Auth's own audience: its segment lets auth check tokens (Logout, GetSession) and its key signs resume tickets. */
  public static final String AUTH = "auth";
  /** The directory service. */
  public static final String DIRECTORY = "directory";
  /** The relay service. */
  public static final String RELAY = "relay";

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,15}");

  private Audiences() {
  }

  /**
   * Checks an audience name: 1..16 characters of {@code [a-z0-9-]}, starting with a letter.
   *
   * @return the name
   * @throws IllegalArgumentException if it is not
   */
  public static String check(String audience) {
    if (audience == null || !NAME.matcher(audience).matches()) {
      throw new IllegalArgumentException("audience: " + audience
          + " (expected: 1..16 characters of [a-z0-9-], starting with a letter)");
    }
    return audience;
  }
}
