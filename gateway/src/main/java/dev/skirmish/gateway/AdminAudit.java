package dev.skirmish.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of the admin REST API: every action, allowed or refused for bad input, is one log line
 * ({@code admin=id(login) action=... target=... status=...}) and one row of {@code admin_audit}.
 */
final class AdminAudit {

  private static final Logger LOG = LoggerFactory.getLogger(AdminAudit.class);
  private static final String INSERT =
    "INSERT INTO admin_audit (admin_id, admin_login, action, target, details, status) VALUES ($1, $2, $3, $4, $5, $6)";
  private static final String RECENT =
    "SELECT id, create_time, admin_id, admin_login, action, target, details, status FROM admin_audit"
      + " ORDER BY id DESC LIMIT $1";

  /** The administrator behind a request. */
  record Admin(int id, String login) {
  }

  private final Pool pool;

  AdminAudit(Pool pool) {
    this.pool = pool;
  }

  /** Logs the action and stores its row; a row that cannot be written is logged, never fails the action. */
  Future<Void> record(Admin admin, String action, String target, JsonObject details, int status) {
    LOG.info("Admin action: admin={}({}) action={} target={} status={} details={}", admin.id(), admin.login(), action,
      target, status, details.encode());
    return pool.preparedQuery(INSERT)
      .execute(Tuple.of(admin.id(), admin.login(), action, target, details, status))
      .<Void>mapEmpty()
      .onFailure(err -> LOG.warn("Audit row of admin {} action {} on {} not written: {}", admin.id(), action, target,
        err.getMessage()));
  }

  /** The latest {@code limit} rows, newest first. */
  Future<JsonArray> recent(int limit) {
    return pool.preparedQuery(RECENT).execute(Tuple.of(limit)).map(rows -> {
      JsonArray list = new JsonArray();
      for (Row r : rows) {
        list.add(new JsonObject().put("id", r.getLong("id")).put("time", r.getOffsetDateTime("create_time").toString())
          .put("admin_id", r.getInteger("admin_id")).put("admin", r.getString("admin_login"))
          .put("action", r.getString("action")).put("target", r.getString("target"))
          .put("details", r.getJsonObject("details")).put("status", r.getInteger("status")));
      }
      return list;
    });
  }
}
