package dev.skirmish.gateway;

import dev.skirmish.common.Bans;
import dev.skirmish.common.Players;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Accounts, bans, social lists, CL Omega sessions: everything the front doors read at login. */
public final class AccountRepository {

  /** The columns of an account the front doors need. */
  public record Account(int id, String ulid, String login, String email, String passwordHash, int state) {
    static Account from(Row r) {
      return new Account(r.getInteger("id"), r.getString("ulid").trim(), r.getString("login"), r.getString("email"),
        r.getString("password_hash"), r.getInteger("state"));
    }
  }

  /** A CL Omega session token with its account. */
  public record OmegaSession(String token, OffsetDateTime expires, String origin, Account account) {
  }

  /** Outcome of a registration attempt. */
  public enum Conflict { NONE, USERNAME_TAKEN, EMAIL_IN_USE }

  private static final String ACCOUNT_COLUMNS = "id, ulid, login, email, password_hash, state";
  private static final String INSERT_ACCOUNT =
    "INSERT INTO account (ulid, login, email, password_hash) VALUES ($1, $2, $3, $4) RETURNING id";
  private static final String BY_ID = "SELECT " + ACCOUNT_COLUMNS + " FROM account WHERE id = $1";
  private static final String BY_EMAIL = "SELECT " + ACCOUNT_COLUMNS + " FROM account WHERE lower(email) = lower($1)";
  private static final String BY_LOGIN = "SELECT " + ACCOUNT_COLUMNS + " FROM account WHERE lower(login) = lower($1)";
  private static final String BY_LOGIN_OR_EMAIL =
    "SELECT " + ACCOUNT_COLUMNS + " FROM account WHERE lower(login) = lower($1) OR lower(email) = lower($1) ORDER BY id LIMIT 1";
  private static final String UPDATE_LOGIN = "UPDATE account SET ip = $2, user_agent = $3, last_login = now() WHERE id = $1";
  private static final String GROUPS =
    "SELECT g.technical_name FROM user_group_assignment uga JOIN user_group g ON g.id = uga.group_id WHERE uga.user_id = $1";
  private static final String INSERT_SESSION =
    "INSERT INTO sessions (id, account_id, expires, origin) VALUES ($1, $2, now() + make_interval(secs => $3), $4)";
  private static final String SESSION =
    "SELECT s.id AS token, s.expires, s.origin, a.id, a.ulid, a.login, a.email, a.password_hash, a.state"
      + " FROM sessions s JOIN account a ON a.id = s.account_id WHERE s.id = $1";

  private final Pool pool;

  public AccountRepository(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  /** Creates an account; a taken login or e-mail is a {@link Conflict}, not a failure. */
  public Future<Conflict> create(String ulid, String login, String email, String passwordHash) {
    return pool.preparedQuery(INSERT_ACCOUNT).execute(Tuple.of(ulid, login, email, passwordHash))
      .map(rows -> Conflict.NONE)
      .recover(err -> {
        if (err instanceof PgException pg && "23505".equals(pg.getSqlState())) {
          String constraint = String.valueOf(pg.getConstraint()) + pg.getMessage();
          return Future.succeededFuture(constraint.contains("email") ? Conflict.EMAIL_IN_USE : Conflict.USERNAME_TAKEN);
        }
        return Future.failedFuture(err);
      });
  }

  public Future<Account> byId(int id) {
    return one(BY_ID, Tuple.of(id));
  }

  public Future<Account> byEmail(String email) {
    return one(BY_EMAIL, Tuple.of(email));
  }

  public Future<Account> byLogin(String login) {
    return one(BY_LOGIN, Tuple.of(login));
  }

  public Future<Account> byLoginOrEmail(String name) {
    return one(BY_LOGIN_OR_EMAIL, Tuple.of(name));
  }

  private Future<Account> one(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args)
      .map(rows -> rows.size() == 0 ? null : Account.from(rows.iterator().next()));
  }

  public Future<Bans.Ban> activeBan(int playerId) {
    return Bans.active(pool, playerId);
  }

  public Future<Void> recordLogin(int playerId, String ip, String userAgent) {
    return pool.preparedQuery(UPDATE_LOGIN).execute(Tuple.of(playerId, ip, userAgent)).mapEmpty();
  }

  /** The FAF player document of {@code player_info} (see {@link Players#info}). */
  public Future<JsonObject> playerInfo(int playerId) {
    return Players.info(pool, playerId);
  }

  /** Friends, foes and group names of a player. */
  public record Social(List<Integer> friends, List<Integer> foes, List<String> groups) {
  }

  public Future<Social> social(int playerId) {
    Future<Players.Relations> relations = Players.relations(pool, playerId);
    Future<RowSet<Row>> groups = pool.preparedQuery(GROUPS).execute(Tuple.of(playerId));
    return Future.all(relations, groups).map(all -> {
      List<String> groupNames = new ArrayList<>();
      for (Row r : groups.result()) {
        groupNames.add(r.getString("technical_name"));
      }
      return new Social(relations.result().friends(), relations.result().foes(), groupNames);
    });
  }


  /** Stores a new CL Omega session token; {@code origin} null means the token is not bound to an origin. */
  public Future<Void> createOmegaSession(String token, int accountId, long lifetimeSeconds, String origin) {
    return pool.preparedQuery(INSERT_SESSION).execute(Tuple.of(token, accountId, (double) lifetimeSeconds, origin))
      .mapEmpty();
  }

  public Future<OmegaSession> omegaSession(String token) {
    return pool.preparedQuery(SESSION).execute(Tuple.of(token)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      return new OmegaSession(r.getString("token").trim(), r.getOffsetDateTime("expires"), r.getString("origin"),
        Account.from(r));
    });
  }

  static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }
}
