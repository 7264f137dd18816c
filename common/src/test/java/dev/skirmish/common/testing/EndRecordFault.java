package dev.skirmish.common.testing;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

/**
 * A real database fault for one game: a trigger on {@code game_stats} makes the first {@code failures} updates of
 * that game's row (the end record) fail with an error, and counts every attempt in a sequence (which, unlike a
 * table, keeps counting when the transaction rolls back). Nothing else in the database is touched.
 */
public final class EndRecordFault {

  private final SqlClient db;
  private final long gameId;

  private EndRecordFault(SqlClient db, long gameId) {
    this.db = db;
    this.gameId = gameId;
  }

  /** Makes the first {@code failures} end records of game {@code gameId} fail. */
  public static Future<EndRecordFault> install(SqlClient db, long gameId, int failures) {
    EndRecordFault fault = new EndRecordFault(db, gameId);
    String name = fault.name();
    return fault.run("CREATE SEQUENCE " + name)
      .compose(v -> fault.run("CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + "IF nextval('" + name + "') <= " + failures + " THEN RAISE EXCEPTION 'injected fault in the end record of game "
        + gameId + "'; END IF; RETURN NEW; END $$"))
      .compose(v -> fault.run("CREATE TRIGGER " + name + " BEFORE UPDATE ON game_stats FOR EACH ROW WHEN (OLD.id = "
        + gameId + ") EXECUTE FUNCTION " + name + "()"))
      .map(v -> fault);
  }

  /** How many times the end record of the game was attempted. */
  public Future<Long> attempts() {
    return db.query("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM " + name()).execute()
      .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Removes the trigger, its function and the counter. */
  public Future<Void> remove() {
    return run("DROP TRIGGER IF EXISTS " + name() + " ON game_stats")
      .compose(v -> run("DROP FUNCTION IF EXISTS " + name() + "()"))
      .compose(v -> run("DROP SEQUENCE IF EXISTS " + name()));
  }

  /** The sequence counting the attempts ({@code last_value}, once {@code is_called}). */
  public String counter() {
    return name();
  }

  private String name() {
    return "end_record_fault_" + gameId;
  }

  private Future<Void> run(String sql) {
    return db.query(sql).execute().mapEmpty();
  }
}
