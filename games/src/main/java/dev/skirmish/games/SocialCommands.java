package dev.skirmish.games;

import dev.skirmish.common.Addresses;
import dev.skirmish.common.CommandHandlers;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.Faf;
import dev.skirmish.common.Failures;
import dev.skirmish.common.Players;
import dev.skirmish.common.ServiceException;
import dev.skirmish.common.SessionDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The FAF social and miscellaneous commands: friend and foe lists ({@code social_add}, {@code social_remove}),
 * avatars ({@code avatar}), administrator actions ({@code admin}) and the deprecated mod vault
 * ({@code modvault}). Everything is read from and written to the database through the reactive pool; pushes
 * to other players go through the FAF session directory. A change of friends or foes also reaches the game
 * the player hosts ({@link HostAudience}).
 *
 * <p>Every failure is a {@link ServiceException} with {@link Failures#BAD_REQUEST}: the gateway shows its text
 * as an error notice and keeps the connection open.
 */
final class SocialCommands {

  private static final Logger LOG = LoggerFactory.getLogger(SocialCommands.class);

  /** Most mods listed by {@code modvault start}. */
  static final int MODVAULT_LIMIT = 100;

  private static final String ACCOUNT_EXISTS = "SELECT 1 FROM account WHERE id = $1";
  /** Inserts the row, or switches its status; an identical row is left alone (no row touched). */
  private static final String SOCIAL_UPSERT =
    "INSERT INTO friends_and_foes (user_id, subject_id, status) VALUES ($1, $2, $3)"
      + " ON CONFLICT (user_id, subject_id) DO UPDATE SET status = EXCLUDED.status"
      + " WHERE friends_and_foes.status <> EXCLUDED.status";
  private static final String SOCIAL_DELETE = "DELETE FROM friends_and_foes WHERE user_id = $1 AND subject_id = $2";

  private static final String OWNED_AVATARS =
    "SELECT al.url, al.tooltip FROM avatars av JOIN avatars_list al ON al.id = av.avatar_id"
      + " WHERE av.user_id = $1 AND (av.expires_at IS NULL OR av.expires_at > now()) ORDER BY al.id";
  /** Selects the avatar with this url and deselects the others, only if the player owns it (not expired). */
  private static final String SELECT_AVATAR =
    "UPDATE avatars SET selected = (avatar_id = (SELECT id FROM avatars_list WHERE url = $2))"
      + " WHERE user_id = $1 AND EXISTS (SELECT 1 FROM avatars o JOIN avatars_list l ON l.id = o.avatar_id"
      + " WHERE o.user_id = $1 AND l.url = $2 AND (o.expires_at IS NULL OR o.expires_at > now()))";
  private static final String CLEAR_AVATAR = "UPDATE avatars SET selected = false WHERE user_id = $1 AND selected";

  /** The permissions of the groups a player is directly assigned to. */
  private static final String PERMISSIONS =
    "SELECT DISTINCT p.technical_name FROM user_group_assignment uga"
      + " JOIN group_permission_assignment gpa ON gpa.group_id = uga.group_id"
      + " JOIN group_permission p ON p.id = gpa.permission_id WHERE uga.user_id = $1";

  /** One row per mod: its latest non-hidden version (highest version number) and its statistics. */
  private static final String MOD_COLUMNS =
    "m.display_name, m.author, v.uid, v.version, v.description, v.filename, v.icon, v.type, v.create_time,"
      + " COALESCE(s.likes, 0) AS likes, COALESCE(s.downloads, 0) AS downloads,"
      + " COALESCE(s.times_played, 0) AS played";
  private static final String MODVAULT_LIST =
    "SELECT " + MOD_COLUMNS + " FROM mod m"
      + " JOIN LATERAL (SELECT * FROM mod_version mv WHERE mv.mod_id = m.id AND NOT mv.hidden"
      + " ORDER BY mv.version DESC, mv.id DESC LIMIT 1) v ON true"
      + " LEFT JOIN mod_stats s ON s.mod_id = m.id ORDER BY likes DESC, m.id LIMIT " + MODVAULT_LIMIT;
  /** The mod version with this uid, with the statistics of its mod. */
  private static final String MOD_BY_UID =
    "SELECT m.id AS mod_id, " + MOD_COLUMNS + " FROM mod_version v JOIN mod m ON m.id = v.mod_id"
      + " LEFT JOIN mod_stats s ON s.mod_id = m.id WHERE v.uid = $1";
  /** Counts a like unless the player already liked the mod; returns the new count only when it counted. */
  private static final String MOD_LIKE =
    "INSERT INTO mod_stats (mod_id, likes, likers) VALUES ($1, 1, ARRAY[$2::int])"
      + " ON CONFLICT (mod_id) DO UPDATE SET likes = mod_stats.likes + 1,"
      + " likers = array_append(mod_stats.likers, $2::int) WHERE NOT ($2::int = ANY (mod_stats.likers))"
      + " RETURNING likes";
  private static final String MOD_DOWNLOAD =
    "INSERT INTO mod_stats (mod_id, downloads) SELECT mod_id, 1 FROM mod_version WHERE uid = $1"
      + " ON CONFLICT (mod_id) DO UPDATE SET downloads = mod_stats.downloads + 1";

  private static final String KICK_SERVER = "ADMIN_KICK_SERVER";
  private static final String BROADCAST_MESSAGE = "ADMIN_BROADCAST_MESSAGE";
  private static final String JOIN_CHANNEL = "ADMIN_JOIN_CHANNEL";

  private final Vertx vertx;
  private final Pool pool;
  private final SessionDirectory sessions;
  private final HostAudience hostAudience;

  SocialCommands(Vertx vertx, Pool pool, HostAudience hostAudience) {
    this.vertx = vertx;
    this.pool = pool;
    this.sessions = new SessionDirectory(vertx, Delivery.FAF_SESSIONS);
    this.hostAudience = hostAudience;
  }

  /** Adds the handlers of social_add, social_remove, avatar, admin and modvault; returns {@code handlers}. */
  public CommandHandlers register(CommandHandlers handlers) {
    return handlers
      .on("social_add", this::socialAdd)
      .on("social_remove", this::socialRemove)
      .on("avatar", this::avatar)
      .on("admin", this::admin)
      .on("modvault", this::modvault);
  }

  // ---- social_add / social_remove ----------------------------------------------------------------------

  private Future<JsonObject> socialAdd(JsonObject request) {
    int player = request.getInteger("player");
    JsonObject msg = request.getJsonObject("message");
    String status;
    String key;
    if (msg.containsKey("friend")) {
      status = "FRIEND";
      key = "friend";
    } else if (msg.containsKey("foe")) {
      status = "FOE";
      key = "foe";
    } else {
      return done();
    }
    int subject = id(msg.getValue(key), key);
    if (subject == player) {
      throw bad("You can't add yourself to your own " + key + " list.");
    }
    return pool.preparedQuery(ACCOUNT_EXISTS).execute(Tuple.of(subject)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(bad("There is no player with id " + subject + "."));
      }
      return pool.preparedQuery(SOCIAL_UPSERT).execute(Tuple.of(player, subject, status))
        .compose(r -> hostedGame(player, subject, status));
    });
  }

  private Future<JsonObject> socialRemove(JsonObject request) {
    int player = request.getInteger("player");
    JsonObject msg = request.getJsonObject("message");
    String key = msg.containsKey("friend") ? "friend" : msg.containsKey("foe") ? "foe" : null;
    if (key == null) {
      // The reference server aborts the connection here; we answer with an error notice and keep it open.
      throw bad("social_remove needs a 'friend' or a 'foe' player id.");
    }
    int subject = id(msg.getValue(key), key);
    return pool.preparedQuery(SOCIAL_DELETE).execute(Tuple.of(player, subject))
      .compose(r -> hostedGame(player, subject, null));
  }

  /**
   * The game the player hosts (if any) takes the new relation into its audience. The relation is stored
   * already, so a failure here is logged and the command still succeeds.
   */
  private Future<JsonObject> hostedGame(int player, int subject, String status) {
    return hostAudience.related(player, subject, status)
      .otherwise(err -> {
        LOG.warn("Game audience of host {} not updated for player {}: {}", player, subject, err.getMessage());
        return null;
      })
      .map(v -> empty());
  }

  // ---- avatar ----------------------------------------------------------------------------------------------

  private Future<JsonObject> avatar(JsonObject request) {
    int player = request.getInteger("player");
    JsonObject msg = request.getJsonObject("message");
    Object action = msg.getValue("action");
    if ("list_avatar".equals(action)) {
      return pool.preparedQuery(OWNED_AVATARS).execute(Tuple.of(player)).map(rows -> {
        JsonArray list = new JsonArray();
        for (Row r : rows) {
          list.add(new JsonObject().put("url", r.getString("url")).put("tooltip", r.getString("tooltip")));
        }
        return CommandHandlers.messages(Faf.command("avatar").put("avatarlist", list));
      });
    }
    if ("select".equals(action)) {
      if (!msg.containsKey("avatar")) {
        throw bad("avatar select needs 'avatar': the url of one of your avatars, or null.");
      }
      Object url = msg.getValue("avatar");
      if (url != null && !(url instanceof String)) {
        throw bad("'avatar' must be the url of one of your avatars, or null.");
      }
      Future<Boolean> changed = url == null
        ? pool.preparedQuery(CLEAR_AVATAR).execute(Tuple.of(player)).map(r -> true)
        : pool.preparedQuery(SELECT_AVATAR).execute(Tuple.of(player, url)).map(r -> r.rowCount() > 0);
      return changed.compose(ok -> {
        if (!ok) {
          // Not owned (or expired): ignored, like the reference server.
          return done();
        }
        return Players.refresh(vertx, pool, player).otherwise((JsonObject) null).map(doc -> empty());
      });
    }
    throw bad("Unknown avatar action: " + action + ".");
  }

  // ---- admin -----------------------------------------------------------------------------------------------

  private Future<JsonObject> admin(JsonObject request) {
    int player = request.getInteger("player");
    JsonObject msg = request.getJsonObject("message");
    Object action = msg.getValue("action");
    String permission;
    if ("closeFA".equals(action) || "closelobby".equals(action)) {
      permission = KICK_SERVER;
    } else if ("broadcast".equals(action)) {
      permission = BROADCAST_MESSAGE;
    } else if ("join_channel".equals(action)) {
      permission = JOIN_CHANNEL;
    } else {
      throw bad("Unknown admin action: " + action + ".");
    }
    return permissions(player).compose(granted -> {
      if (!granted.contains(permission)) {
        // Like the reference server: an action the caller may not perform is silently ignored.
        LOG.info("Player {} tried admin action {} without {}", player, action, permission);
        return done();
      }
      return switch ((String) action) {
        case "closeFA" -> closeFa(player, id(msg.getValue("user_id"), "user_id"));
        case "closelobby" -> closeLobby(player, id(msg.getValue("user_id"), "user_id"));
        case "broadcast" -> broadcast(player, msg.getValue("message"));
        default -> joinChannel(msg.getValue("user_ids"), msg.getValue("channel"));
      };
    });
  }

  private Future<Set<String>> permissions(int player) {
    return pool.preparedQuery(PERMISSIONS).execute(Tuple.of(player)).map(rows -> {
      Set<String> granted = new HashSet<>();
      for (Row r : rows) {
        granted.add(r.getString("technical_name"));
      }
      return granted;
    });
  }

  /** Tells the target's client to close the game (Forged Alliance); an offline target is ignored. */
  private Future<JsonObject> closeFa(int admin, int target) {
    LOG.info("Admin {} closes the game of player {}", admin, target);
    return Delivery.toSession(vertx, sessions, String.valueOf(target), Faf.notice("kill", null)).map(sent -> empty());
  }

  /** Sends the target a kick notice and disconnects them, through the gateway node that holds them. */
  private Future<JsonObject> closeLobby(int admin, int target) {
    return sessions.get(String.valueOf(target)).map(entry -> {
      if (entry != null) {
        LOG.info("Admin {} kicks player {} from the lobby", admin, target);
        vertx.eventBus().send(Addresses.gatewayNode(entry.node()), new JsonObject()
          .put("type", "kick")
          .put("connection", entry.connection())
          .put("message", Faf.notice("kick", null)));
      }
      return empty();
    });
  }

  private Future<JsonObject> broadcast(int admin, Object text) {
    if (text != null && !(text instanceof String)) {
      throw bad("'message' must be a text.");
    }
    if (text == null || ((String) text).isBlank()) {
      return done();
    }
    LOG.info("Admin {} broadcasts: {}", admin, text);
    Delivery.fafBroadcast(vertx, Faf.infoNotice((String) text));
    return done();
  }

  private Future<JsonObject> joinChannel(Object ids, Object channel) {
    if (!(ids instanceof JsonArray array)) {
      throw bad("'user_ids' must be a list of player ids.");
    }
    if (!(channel instanceof String name) || name.isBlank()) {
      throw bad("'channel' must be a channel name.");
    }
    List<Integer> targets = new ArrayList<>();
    for (Object o : array) {
      targets.add(id(o, "user_ids"));
    }
    JsonObject social = Faf.command("social").put("autojoin", new JsonArray().add(name));
    List<Future<Boolean>> sends = new ArrayList<>();
    for (int target : targets) {
      sends.add(Delivery.toSession(vertx, sessions, String.valueOf(target), social.copy()));
    }
    return Future.all(sends).map(all -> empty());
  }

  // ---- modvault (deprecated) ---------------------------------------------------------------------------

  private Future<JsonObject> modvault(JsonObject request) {
    int player = request.getInteger("player");
    JsonObject msg = request.getJsonObject("message");
    Object type = msg.getValue("type");
    if ("start".equals(type)) {
      return pool.query(MODVAULT_LIST).execute().map(rows -> {
        JsonArray messages = new JsonArray();
        for (Row r : rows) {
          messages.add(modInfo(r, r.getInteger("likes")));
        }
        return new JsonObject().put("messages", messages);
      });
    }
    if ("like".equals(type)) {
      String uid = uid(msg);
      return modByUid(uid).compose(mod -> pool.preparedQuery(MOD_LIKE)
        .execute(Tuple.of(mod.getInteger("mod_id"), player))
        .map(rows -> rows.size() == 0
          ? empty() // liked before: counted once only, and no reply
          : CommandHandlers.messages(modInfo(mod, rows.iterator().next().getInteger("likes")))));
    }
    if ("download".equals(type)) {
      String uid = uid(msg);
      return pool.preparedQuery(MOD_DOWNLOAD).execute(Tuple.of(uid)).map(r -> empty());
    }
    throw bad("Unknown modvault type: " + type + ".");
  }

  private Future<Row> modByUid(String uid) {
    return pool.preparedQuery(MOD_BY_UID).execute(Tuple.of(uid)).compose(rows -> rows.size() == 0
      ? Future.failedFuture(bad("There is no mod with uid " + uid + "."))
      : Future.succeededFuture(rows.iterator().next()));
  }

  /**
   * A {@code modvault_info} of one mod version. The mod vault is deprecated and this server has no content
   * host, so {@code link} is the version's stored file name and {@code thumbnail} its stored icon (empty
   * when it has none), as they are: a client resolves them against its own content base.
   */
  private static JsonObject modInfo(Row r, int likes) {
    OffsetDateTime created = r.getOffsetDateTime("create_time");
    String icon = r.getString("icon");
    return Faf.command("modvault_info")
      .put("thumbnail", icon == null ? "" : icon)
      .put("link", r.getString("filename"))
      .put("bugreports", new JsonArray())
      .put("comments", new JsonArray())
      .put("description", r.getString("description") == null ? "" : r.getString("description"))
      .put("played", r.getInteger("played"))
      .put("likes", likes)
      .put("downloads", r.getInteger("downloads"))
      .put("date", created.toEpochSecond())
      .put("uid", r.getString("uid"))
      .put("name", r.getString("display_name"))
      .put("version", r.getInteger("version"))
      .put("author", r.getString("author"))
      .put("ui", "UI".equals(r.getString("type")));
  }

  private static String uid(JsonObject msg) {
    if (!(msg.getValue("uid") instanceof String uid) || uid.isBlank()) {
      throw bad("'uid' must be the uid of a mod version.");
    }
    return uid;
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  private static int id(Object value, String field) {
    if (value instanceof Number n && n.doubleValue() == n.longValue()
      && n.longValue() >= Integer.MIN_VALUE && n.longValue() <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    if (value instanceof String s) {
      try {
        return Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        // falls through to the error below
      }
    }
    throw bad("'" + field + "' must be a player id.");
  }

  private static ServiceException bad(String text) {
    return new ServiceException(Failures.BAD_REQUEST, text);
  }

  private static JsonObject empty() {
    return new JsonObject();
  }

  private static Future<JsonObject> done() {
    return Future.succeededFuture(empty());
  }
}
