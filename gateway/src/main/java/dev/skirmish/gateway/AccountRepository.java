package dev.skirmish.gateway;

import dev.skirmish.common.Bans;
import dev.skirmish.common.Players;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Accounts, bans, social lists, CL Omega sessions: everything the front doors read at login. */
public final class AccountRepository {

  /** The columns of an account the front doors need. */
  public record Account(int id, String ulid, String login, String email, String passwordHash, int state) {

    /** State bits 4 (blocked) and 8 (banned): no login of any kind. */
    public boolean disabled() {
      return (state & (4 | 8)) != 0;
    }

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
  private static final String BY_EMAIL = "SELECT " + ACCOUNT_COLUMNS + " FROM account WHERE lower(email) = lower($1)";
  private static final String BY_LOGIN_OR_EMAIL =
    "SELECT " + ACCOUNT_COLUMNS + " FROM account WHERE lower(login) = lower($1) OR lower(email) = lower($1) ORDER BY id LIMIT 1";
  private static final String UPDATE_LOGIN = "UPDATE account SET ip = $2, user_agent = $3, last_login = $4 WHERE id = $1";
  /** Everything a FAF login needs of an account, in one round trip; the WHERE clause is appended. */
  private static final String PROFILE = "SELECT a.ulid, a.email, a.password_hash, a.state, " + Players.DOCUMENT_COLUMNS + ","
    + " b.reason AS ban_reason, b.expires_at AS ban_expires,"
    + " (SELECT array_agg(subject_id ORDER BY subject_id) FROM friends_and_foes WHERE user_id = a.id AND status = 'FRIEND') AS friends,"
    + " (SELECT array_agg(subject_id ORDER BY subject_id) FROM friends_and_foes WHERE user_id = a.id AND status = 'FOE') AS foes,"
    + " (SELECT array_agg(g.technical_name) FROM user_group_assignment uga JOIN user_group g ON g.id = uga.group_id"
    + " WHERE uga.user_id = a.id) AS groups"
    + " FROM account a" + Players.DOCUMENT_JOINS + " LEFT JOIN LATERAL (" + Bans.activeBanOf("a.id") + ") b ON true";
  private static final String PROFILE_BY_ID = PROFILE + " WHERE a.id = $1 LIMIT 1";
  private static final String PROFILE_BY_LOGIN = PROFILE + " WHERE lower(a.login) = lower($1) LIMIT 1";
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

  public Future<Account> byEmail(String email) {
    return one(BY_EMAIL, Tuple.of(email));
  }

  public Future<Account> byLoginOrEmail(String name) {
    return one(BY_LOGIN_OR_EMAIL, Tuple.of(name));
  }

  private Future<Account> one(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args)
      .map(rows -> rows.size() == 0 ? null : Account.from(rows.iterator().next()));
  }

  /** Stores the address, user agent and time of many logins in one round trip ({@code [id, ip, agent, time]} each). */
  public Future<Void> recordLogins(List<Tuple> logins) {
    return pool.preparedQuery(UPDATE_LOGIN).executeBatch(logins).mapEmpty();
  }

  /** What a FAF login reads of an account: the account, its active ban, its player document and its social lists. */
  public record Profile(Account account, Bans.Ban ban, JsonObject player, Social social) {
  }

  /** The login profile of the account with this id, or null. */
  public Future<Profile> profileById(int id) {
    return profile(PROFILE_BY_ID, Tuple.of(id));
  }

  /** The login profile of the account with this login name (ignoring case), or null. */
  public Future<Profile> profileByLogin(String login) {
    return profile(PROFILE_BY_LOGIN, Tuple.of(login));
  }

  private Future<Profile> profile(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      Social social = new Social(ints(r.getArrayOfIntegers("friends")), ints(r.getArrayOfIntegers("foes")),
        r.getArrayOfStrings("groups") == null ? List.of() : List.of(r.getArrayOfStrings("groups")));
      return new Profile(Account.from(r), Bans.of(r), Players.document(r), social);
    });
  }

  private static List<Integer> ints(Integer[] values) {
    return values == null ? List.of() : List.of(values);
  }

  /** Friends, foes and group names of a player. */
  public record Social(List<Integer> friends, List<Integer> foes, List<String> groups) {
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
