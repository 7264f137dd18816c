package dev.skirmish.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The development seed ({@code db/seed/development.sql}: the CL Omega demo developer and game), applied after the
 * migrations when {@code DEV_SEED} is on. It is no migration: a production database never gets it, and it may run
 * at every start (each insert does nothing when its row is there).
 */
public final class DevSeed {

  /** The seed's script on the class path. */
  public static final String SCRIPT = "db/seed/development.sql";

  private DevSeed() {
  }

  /**
   * Whether the seed is wanted: {@code DEV_SEED=true} or {@code false}; unset, true with the embedded database
   * (no {@code DATABASE_URL}) and false with an external one.
   *
   * @throws IllegalArgumentException for another value
   */
  public static boolean wanted(NodeConfig config) {
    String value = config.get(Setting.DEV_SEED).trim();
    if (value.isEmpty()) {
      return config.get(Setting.DATABASE_URL).isBlank();
    }
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new IllegalArgumentException("DEV_SEED must be true or false, not '" + value + "'");
  }

  /** Runs the seed in one transaction on {@code connection} (blocking). */
  public static void apply(Connection connection) throws SQLException {
    boolean auto = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement st = connection.createStatement()) {
      st.execute(script());
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(auto);
    }
  }

  private static String script() {
    try (InputStream in = DevSeed.class.getClassLoader().getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException(SCRIPT + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
