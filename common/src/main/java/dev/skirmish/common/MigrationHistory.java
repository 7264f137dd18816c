package dev.skirmish.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Keeps databases migrated by earlier releases migrating. Migration 2 used to be {@code V2__development_seed.sql}
 * (reference data plus the CL Omega demo game); it is now {@code V2__reference_data.sql}, the same reference data
 * without the demo rows, which moved to the development seed ({@link DevSeed}). Flyway would refuse such a database
 * (the recorded checksum and description of version 2 differ from the file's), so before migrating, the history row
 * of exactly that old file (matched by its checksum) is brought in line with the new one. Its rows stay where they
 * are: see the README for removing the demo game from a production database.
 */
public final class MigrationHistory {

  /** Flyway's checksum of the former {@code V2__development_seed.sql}. */
  static final int OLD_V2_CHECKSUM = 1655267023;
  /** Flyway's checksum of {@code V2__reference_data.sql}; a test checks it against the file. */
  static final int V2_CHECKSUM = 515594639;
  static final String V2_DESCRIPTION = "reference data";
  static final String V2_SCRIPT = "V2__reference_data.sql";

  private MigrationHistory() {
  }

  /**
   * Rewrites the history row of the former migration 2, if the database has one (blocking).
   *
   * @return whether a row was rewritten
   */
  public static boolean realign(Connection connection) throws SQLException {
    try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass('flyway_schema_history')")) {
      try (ResultSet rs = exists.executeQuery()) {
        if (!rs.next() || rs.getString(1) == null) {
          return false;
        }
      }
    }
    try (PreparedStatement update = connection.prepareStatement(
      "UPDATE flyway_schema_history SET checksum = ?, description = ?, script = ? WHERE version = '2' AND checksum = ?")) {
      update.setInt(1, V2_CHECKSUM);
      update.setString(2, V2_DESCRIPTION);
      update.setString(3, V2_SCRIPT);
      update.setInt(4, OLD_V2_CHECKSUM);
      return update.executeUpdate() > 0;
    }
  }
}
