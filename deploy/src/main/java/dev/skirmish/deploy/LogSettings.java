package dev.skirmish.deploy;

import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Setting;

import java.util.Locale;
import java.util.Set;

/**
 * {@code LOG_LEVEL} and {@code LOG_FORMAT} of a node, checked and handed to the logging configuration
 * ({@code logback.xml} reads them as system properties), which must happen before the first logger is created.
 */
final class LogSettings {

  private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
  private static final Set<String> FORMATS = Set.of("text", "json");

  private LogSettings() {
  }

  /**
   * Sets the system properties {@code LOG_LEVEL}, {@code LOG_TEXT_THRESHOLD} and {@code LOG_JSON_THRESHOLD} from
   * {@code config}.
   *
   * @throws IllegalArgumentException for a level or format the logging configuration does not know
   */
  static void apply(NodeConfig config) {
    String level = config.get(Setting.LOG_LEVEL).trim().toUpperCase(Locale.ROOT);
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException("LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, not '"
        + config.get(Setting.LOG_LEVEL) + "'");
    }
    String format = config.get(Setting.LOG_FORMAT).trim().toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      throw new IllegalArgumentException("LOG_FORMAT must be text or json, not '" + config.get(Setting.LOG_FORMAT) + "'");
    }
    System.setProperty("LOG_LEVEL", level);
    // Both appenders are attached; each lets everything or nothing through (an unattached appender would make
    // logback print its configuration warnings on every start).
    System.setProperty("LOG_TEXT_THRESHOLD", "text".equals(format) ? "TRACE" : "OFF");
    System.setProperty("LOG_JSON_THRESHOLD", "json".equals(format) ? "TRACE" : "OFF");
  }
}
