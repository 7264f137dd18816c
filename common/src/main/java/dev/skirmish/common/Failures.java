package dev.skirmish.common;

/** Failure codes of event-bus replies ({@code message.fail(code, text)}), modelled on HTTP statuses. */
public final class Failures {

  private Failures() {
  }

  /** The command is malformed or has wrong field types; the text is shown to the client. */
  public static final int BAD_REQUEST = 400;
  /** The caller may not do this. */
  public static final int FORBIDDEN = 403;
  /** The entity the command names does not exist. */
  public static final int NOT_FOUND = 404;
  /** The command conflicts with the current state. */
  public static final int CONFLICT = 409;
  /** The service does not handle this command. */
  public static final int UNSUPPORTED = 501;
  /** The service failed unexpectedly. */
  public static final int INTERNAL = 500;
}
