package dev.skirmish.common;

/** A failure a service reports to its caller with a {@link Failures} code and a client-facing text. */
public final class ServiceException extends RuntimeException {

  private final int code;

  public ServiceException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
