package dev.stampede.auth.domain;

/** CreateAccount with a normalised name that is taken: {@code ALREADY_EXISTS}. */
public final class AccountExistsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AccountExistsException() {
    super("username: taken", null, false, false);
  }
}
