package dev.skirmish.deploy.chaos;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static dev.skirmish.deploy.chaos.ChaosClient.command;
import static dev.skirmish.deploy.chaos.ChaosClient.gameInfo;
import static dev.skirmish.deploy.chaos.ChaosClient.gpg;
import static dev.skirmish.deploy.chaos.ChaosClient.opcode;
import static dev.skirmish.deploy.chaos.ChaosClient.playerState;

/**
 * {@code java -jar skirmish-all.jar chaos}: injects faults into a running local cluster ({@code deploy/cluster.sh up})
 * while FAF players play, search and party and CL Omega lobbies relay, and checks what the protocols promise.
 * One node of each service role is killed with SIGKILL in turn (games, matchmaker, party, signaling, then a
 * gateway), then the database is stopped and started again. Each fault is one row of the report: the load
 * held, what clients saw, data lost and the time to recover. Exits 1 when any check failed.
 *
 * <p>Options: {@code --cluster-dir DIR} (default {@code .cluster}), {@code --script PATH} (default
 * {@code deploy/cluster.sh}), {@code --db-outage-seconds N} (30), {@code --setup-timeout-seconds N} (the
 * cluster's GAME_SETUP_TIMEOUT_SECONDS, 30), {@code --report FILE} (a Markdown table, also printed).
 */
public final class ChaosRun {

  private static final String UGI = "01HNPHRWS0N0AYMM5K4HN31V4W";
  private static final long WAIT_MS = 30_000;

  /** One row of the report. */
  private record Row(String fault, String load, String seen, String lost, String recovery, boolean ok) {
  }

  private final ChaosCluster cluster;
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final WebSocketClient sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(10_000));
  private final WebClient web = WebClient.create(vertx);
  private final Pool db;
  private final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
  private final List<Row> rows = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private final RelayLoad load = new RelayLoad();
  private final int dbOutageSeconds;
  private final int setupTimeoutSeconds;
  private int accounts;
  private int g1;
  private int g2;

  private ChaosRun(ChaosCluster cluster, int dbOutageSeconds, int setupTimeoutSeconds) {
    this.cluster = cluster;
    this.dbOutageSeconds = dbOutageSeconds;
    this.setupTimeoutSeconds = setupTimeoutSeconds;
    this.db = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(cluster.databaseUrl))
      .with(new PoolOptions().setMaxSize(2)).using(vertx).build();
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(".cluster");
    Path script = Path.of("deploy/cluster.sh");
    Path report = null;
    int outage = 30;
    int setup = 30;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--cluster-dir" -> dir = Path.of(args[i + 1]);
        case "--script" -> script = Path.of(args[i + 1]);
        case "--db-outage-seconds" -> outage = Integer.parseInt(args[i + 1]);
        case "--setup-timeout-seconds" -> setup = Integer.parseInt(args[i + 1]);
        case "--report" -> report = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    ChaosRun chaos = new ChaosRun(new ChaosCluster(dir, script), outage, setup);
    boolean ok;
    String table;
    try {
      ok = chaos.runAll();
      table = chaos.table();
    } finally {
      chaos.vertx.close().await(10, TimeUnit.SECONDS);
    }
    System.out.println(table);
    if (report != null) {
      Files.writeString(report, table, StandardCharsets.UTF_8);
    }
    System.exit(ok ? 0 : 1);
  }

  private boolean runAll() {
    List<ChaosCluster.NodeProcess> gateways = cluster.gateways();
    if (gateways.size() < 2 || cluster.databaseUrl.isEmpty()) {
      throw new IllegalStateException("the chaos run needs a cluster with two gateways and a known database");
    }
    g1 = gateways.get(0).httpPort();
    g2 = gateways.get(1).httpPort();
    step("every node's management port", this::managementPorts);
    step("background relay load", () -> load.start(8));
    step("games node killed", this::gamesRound);
    step("matchmaker node killed", this::matchmakerRound);
    step("party node killed", this::partyRound);
    step("signaling node killed", this::signalingRound);
    step("gateway node killed", this::gatewayRound);
    if (cluster.ownsDatabase()) {
      step("database stopped for " + dbOutageSeconds + " s", this::databaseRound);
    }
    step("background relay load", load::stop);
    return failures.isEmpty();
  }

  private interface Step {
    void run() throws Exception;
  }

  private void step(String what, Step step) {
    log("== " + what);
    try {
      step.run();
    } catch (Exception | AssertionError e) {
      String text = what + ": " + e.getMessage();
      failures.add(text);
      rows.add(new Row(what, "–", "**failed**: " + e.getMessage(), "?", "–", false));
      log("FAILED " + text);
    }
  }

  // ---------------------------------------------------------------------------------------------- the rounds

  /** Every node, whatever its role, answers /health, /ready (200, naming its role) and /metrics. */
  private void managementPorts() {
    for (ChaosCluster.NodeProcess n : cluster.nodes) {
      int port = n.managementPort();
      String what = n.role() + " #" + n.number() + " (management port " + port + ")";
      expectStatus(call(() -> web.get(port, "127.0.0.1", "/health").send()), 200, what + " /health");
      HttpResponse<Buffer> ready = expectStatus(call(() -> web.get(port, "127.0.0.1", "/ready").send()), 200,
        what + " /ready");
      check(ready.bodyAsJsonObject().getJsonArray("roles").contains(n.role()), what + " /ready names " + ready.bodyAsString());
      HttpResponse<Buffer> metrics = expectStatus(call(() -> web.get(port, "127.0.0.1", "/metrics").send()), 200,
        what + " /metrics");
      check(metrics.bodyAsString().contains("vertx_"), what + " /metrics has no Vert.x meters");
    }
    log("all " + cluster.nodes.size() + " nodes answer /health, /ready and /metrics on their management port");
  }

  /** Live games must still end with their results stored; games in set-up must still time out. */
  private void gamesRound() throws Exception {
    List<ChaosClient[]> live = new ArrayList<>();
    List<Long> liveIds = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ChaosClient host = faf(g1, "gh" + i);
      ChaosClient joiner = faf(i % 2 == 0 ? g1 : g2, "gj" + i);
      liveIds.add(liveDuel(host, joiner));
      live.add(new ChaosClient[] {host, joiner});
    }
    List<ChaosClient> setupHosts = new ArrayList<>();
    List<Long> setupIds = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ChaosClient host = faf(g1, "gs" + i);
      String title = "chaos set-up " + i;
      JsonObject launch = call(() -> host.request(new JsonObject().put("command", "game_host").put("visibility", "public")
        .put("title", title), command("game_launch"), WAIT_MS, "game_launch"));
      setupHosts.add(host);
      setupIds.add(launch.getLong("uid"));
    }
    long deadline = System.currentTimeMillis() + setupTimeoutSeconds * 1000L;
    long killed = kill("games", 1);
    // The live games end now: their results must be written although a games node is gone.
    for (ChaosClient[] pair : live) {
      for (ChaosClient p : pair) {
        p.send(gpg("GameResult", 1, "victory 5")).send(gpg("GameResult", 2, "defeat 0")).send(gpg("GameEnded"));
      }
    }
    long lastClosed = killed;
    for (int i = 0; i < setupHosts.size(); i++) {
      ChaosClient host = setupHosts.get(i);
      long id = setupIds.get(i);
      call(() -> host.next(0, gameInfo(id, "closed"), setupTimeoutSeconds * 1000L + WAIT_MS, "game " + id + " closed"));
      lastClosed = Math.max(lastClosed, System.currentTimeMillis());
    }
    int stored = 0;
    for (long id : liveIds) {
      stored += resultsStored(id, 2, 60_000) ? 1 : 0;
    }
    long recovered = System.currentTimeMillis();
    ChaosClient fresh = faf(g1, "gn");
    openLobby(fresh, "chaos after games kill");
    check(stored == liveIds.size(), "results of " + (liveIds.size() - stored) + " ended game(s) missing");
    rows.add(new Row("SIGKILL games #1", load.describe() + "; 4 live games (2 across gateways), 4 games in set-up",
      "live games ended and rated; games in set-up closed (`game_info` closed) "
        + seconds(Math.max(0, lastClosed - deadline)) + " after their set-up deadline; a new game hosted at once",
      (liveIds.size() - stored) + " of " + liveIds.size() + " results", seconds(recovered - killed), true));
    closeAll(setupHosts);
    closeAll(List.of(fresh));
    live.forEach(p -> closeAll(List.of(p[0], p[1])));
  }

  /** Searches must survive: the two players still get their match. */
  private void matchmakerRound() throws Exception {
    ChaosClient a = faf(g1, "ma");
    ChaosClient b = faf(g2, "mb");
    for (ChaosClient p : List.of(a, b)) {
      call(() -> p.request(new JsonObject().put("command", "game_matchmaking").put("state", "start")
          .put("queue_name", "ladder1v1").put("faction", "uef"),
        m -> "search_info".equals(m.getString("command")) && "start".equals(m.getString("state")), WAIT_MS, "search_info start"));
    }
    long killed = kill("matchmaker", 1);
    for (ChaosClient p : List.of(a, b)) {
      call(() -> p.next(0, command("match_found"), 120_000, "match_found"));
    }
    long matched = System.currentTimeMillis();
    rows.add(new Row("SIGKILL matchmaker #1", load.describe() + "; 2 players searching in ladder1v1 (one per gateway)",
      "both searches kept; `match_found` to both by the surviving node", "0 searches",
      seconds(matched - killed) + " to the match (includes the pop timer)", true));
    closeAll(List.of(a, b));
  }

  /** A party must survive: it can still invite, accept and be left. */
  private void partyRound() throws Exception {
    ChaosClient owner = faf(g1, "po");
    ChaosClient member = faf(g2, "pm");
    ChaosClient late = faf(g1, "pl");
    invite(owner, member, 2);
    long killed = kill("party", 1);
    invite(owner, late, 3);
    int mark = mark(owner);
    member.send(new JsonObject().put("command", "leave_party"));
    call(() -> owner.next(mark, m -> "update_party".equals(m.getString("command"))
      && m.getJsonArray("members", new JsonArray()).size() == 2, WAIT_MS, "update_party after a member left"));
    long recovered = System.currentTimeMillis();
    rows.add(new Row("SIGKILL party #1", load.describe() + "; a party across both gateways",
      "the party kept: an invite accepted and a member left after the kill, `update_party` each time",
      "0 parties", seconds(recovered - killed), true));
    closeAll(List.of(owner, member, late));
  }

  /** CL Omega lobbies must survive: a new peer joins and relays to the host. */
  private void signalingRound() throws Exception {
    List<ChaosClient[]> lobbies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ChaosClient host = omega(g1, "oh" + i);
      ChaosClient peer = omega(g2, "op" + i);
      String lobby = "chaos-" + run + "-" + i;
      hostLobby(host, lobby, 0);
      joinLobby(host, peer, lobby);
      lobbies.add(new ChaosClient[] {host, peer});
    }
    long killed = kill("signaling", 1);
    for (int i = 0; i < lobbies.size(); i++) {
      ChaosClient host = lobbies.get(i)[0];
      ChaosClient late = omega(g1, "on" + i);
      joinLobby(host, late, "chaos-" + run + "-" + i);
      int mark = mark(host);
      late.send(ice(host.peerId, "c"));
      call(() -> host.next(mark, opcode("ICE"), WAIT_MS, "relayed ICE from the late peer"));
    }
    long recovered = System.currentTimeMillis();
    rows.add(new Row("SIGKILL signaling #1", load.describe() + "; 3 lobbies, hosts on gateway 1 and peers on gateway 2",
      "every lobby kept: a new peer joined each (`NEW_PEER`, `ACK_PEER`) and relayed to its host", "0 lobbies",
      seconds(recovered - killed), true));
    this.lobbiesAcross = lobbies;
  }

  private List<ChaosClient[]> lobbiesAcross = List.of();

  /** Players of a dead gateway are offline everywhere within 5 s and log in again on the other one at once. */
  private void gatewayRound() throws Exception {
    ChaosClient watcher = faf(g1, "gw");
    ChaosClient host = faf(g1, "gwh");
    ChaosClient player = faf(g2, "gwp");
    ChaosClient idle = faf(g2, "gwi");
    long game = liveDuel(host, player);
    int mark = mark(watcher);
    List<Integer> omegaMarks = new ArrayList<>();
    for (ChaosClient[] lobby : lobbiesAcross) {
      omegaMarks.add(mark(lobby[0]));
    }
    long killed = kill("gateway", 2);
    long offline = 0;
    for (ChaosClient gone : List.of(player, idle)) {
      call(() -> watcher.next(mark, playerState(gone.id, "offline"), WAIT_MS, "player " + gone.id + " offline"));
      offline = Math.max(offline, System.currentTimeMillis() - killed);
    }
    long peerGone = 0;
    for (int i = 0; i < lobbiesAcross.size(); i++) {
      ChaosClient[] lobby = lobbiesAcross.get(i);
      int m = omegaMarks.get(i);
      call(() -> lobby[0].next(m, opcode("PEER_GONE"), WAIT_MS, "PEER_GONE"));
      peerGone = Math.max(peerGone, System.currentTimeMillis() - killed);
    }
    long t = System.currentTimeMillis();
    ChaosClient back = fafWithToken(g1, player.name + "-again", player.token);
    ChaosClient idleBack = fafWithToken(g1, idle.name + "-again", idle.token);
    long relogin = System.currentTimeMillis() - t;
    back.send(new JsonObject().put("command", "restore_game_session").put("game_id", game));
    JsonObject busy = call(() -> back.request(new JsonObject().put("command", "game_host").put("visibility", "public")
      .put("title", "should be refused"), command("notice"), WAIT_MS, "notice"));
    check(busy.getString("text", "").startsWith("Can't host a game while in state"),
      "restore_game_session on the other gateway did not put the player back in game " + game + ": " + busy);
    check(offline <= 5_000, "players of the dead gateway went offline after " + seconds(offline) + " (bound: 5 s)");
    check(peerGone <= 5_000, "PEER_GONE came " + seconds(peerGone) + " after the kill (bound: 5 s)");
    rows.add(new Row("SIGKILL gateway #2", load.describe() + "; 2 FAF players (one in a live game) and 3 CL Omega peers on it",
      "`player_info` offline for both on gateway 1 after " + seconds(offline) + "; `PEER_GONE` to every host after "
        + seconds(peerGone) + "; both logged in again on gateway 1 in " + seconds(relogin)
        + " (no stale session); the player in a game restored it there",
      "0 sessions stuck", seconds(Math.max(offline, peerGone)), true));
    closeAll(List.of(watcher, host, back, idleBack));
  }

  /** The database stops: nodes stay up, /ready says so, commands get a clear error, all recovers. */
  private void databaseRound() throws Exception {
    ChaosClient host = faf(g1, "dh");
    ChaosClient joiner = faf(g1, "dj");
    long game = liveDuel(host, joiner);
    // Timed from the moment the script is asked: it sends SIGTERM at once, then waits for the process to end.
    long stopped = System.currentTimeMillis();
    cluster.stopDatabase();
    long notReady = pollReady(503, 30_000) - stopped;
    HttpResponse<Buffer> refused = call(() -> web.post(g1, "127.0.0.1", "/api/v0/register")
      .sendJsonObject(credentials("dx")));
    for (ChaosClient p : List.of(host, joiner)) {
      p.send(gpg("GameResult", 1, "victory 5")).send(gpg("GameResult", 2, "defeat 0")).send(gpg("GameEnded"));
    }
    JsonObject pong = call(() -> host.request(new JsonObject().put("command", "ping"), command("pong"), WAIT_MS, "pong"));
    check(pong != null, "a logged-in FAF client lost its connection");
    long rest = stopped + dbOutageSeconds * 1000L - System.currentTimeMillis();
    if (rest > 0) {
      Thread.sleep(rest);
    }
    long restarted = System.currentTimeMillis();
    cluster.startDatabase();
    long up = System.currentTimeMillis() - restarted;
    long ready = pollReady(200, 120_000) - restarted;
    ChaosClient fresh = faf(g1, "dn");
    boolean stored = resultsStored(game, 2, 120_000);
    long recovered = System.currentTimeMillis() - restarted;
    check(refused.statusCode() >= 500, "a registration during the outage answered " + refused.statusCode());
    check(stored, "the results of game " + game + ", ended during the outage, were not stored");
    rows.add(new Row("database stopped " + dbOutageSeconds + " s, then started", load.describe()
        + "; logged-in FAF players, a game ending during the outage",
      "`/ready` 503 " + seconds(notReady) + " after the stop began, 200 again " + seconds(ready) + " after the restart began"
        + " (the database itself took " + seconds(up) + " to start); registration "
        + refused.statusCode() + " `" + abbreviate(refused.bodyAsString()) + "`; connections kept (ping answered); "
        + "logins work again without restarting a node",
      stored ? "0 results (the game's results were stored after the restart)" : "1 game's results",
      seconds(recovered) + " after the restart", true));
    closeAll(List.of(host, joiner, fresh));
  }

  // -------------------------------------------------------------------------------------------- FAF helpers

  private long liveDuel(ChaosClient host, ChaosClient joiner) {
    long uid = openLobby(host, "chaos " + host.name);
    call(() -> joiner.request(new JsonObject().put("command", "game_join").put("uid", uid), command("game_launch"),
      WAIT_MS, "game_launch on join"));
    int hostMark = mark(host);
    joiner.send(gpg("GameState", "Idle"));
    call(() -> joiner.request(gpg("GameState", "Lobby"), command("JoinGame"), WAIT_MS, "JoinGame"));
    call(() -> host.next(hostMark, command("ConnectToPeer"), WAIT_MS, "ConnectToPeer"));
    slot(host, host.id, 2, 1);
    slot(host, joiner.id, 3, 2);
    host.send(gpg("GameState", "Launching"));
    call(() -> host.next(hostMark, gameInfo(uid, "playing"), WAIT_MS, "game " + uid + " playing"));
    return uid;
  }

  private long openLobby(ChaosClient host, String title) {
    JsonObject launch = call(() -> host.request(new JsonObject().put("command", "game_host").put("visibility", "public")
      .put("title", title), command("game_launch"), WAIT_MS, "game_launch"));
    host.send(gpg("GameState", "Idle"));
    call(() -> host.request(gpg("GameState", "Lobby"), command("HostGame"), WAIT_MS, "HostGame"));
    return launch.getLong("uid");
  }

  private static void slot(ChaosClient host, int player, int team, int army) {
    host.send(gpg("PlayerOption", player, "Team", team)).send(gpg("PlayerOption", player, "Army", army))
      .send(gpg("PlayerOption", player, "StartSpot", army)).send(gpg("PlayerOption", player, "Faction", 1))
      .send(gpg("PlayerOption", player, "Color", army));
  }

  private void invite(ChaosClient owner, ChaosClient member, int size) {
    int mark = mark(owner);
    owner.send(new JsonObject().put("command", "invite_to_party").put("recipient_id", member.id));
    call(() -> member.next(0, command("party_invite"), WAIT_MS, "party_invite"));
    member.send(new JsonObject().put("command", "accept_party_invite").put("sender_id", owner.id));
    call(() -> owner.next(mark, m -> "update_party".equals(m.getString("command"))
      && m.getJsonArray("members", new JsonArray()).size() == size, WAIT_MS, "update_party with " + size + " members"));
  }

  /** Whether {@code players} results of game {@code id} are stored within {@code withinMs}. */
  private boolean resultsStored(long id, int players, long withinMs) throws InterruptedException {
    long until = System.currentTimeMillis() + withinMs;
    while (System.currentTimeMillis() < until) {
      try {
        int n = db.preparedQuery("SELECT count(*) FROM game_player_stats WHERE game_id = $1 AND result IS NOT NULL")
          .execute(Tuple.of(id)).await(5, TimeUnit.SECONDS).iterator().next().getInteger(0);
        if (n >= players) {
          return true;
        }
      } catch (Exception e) {
        // the database may be restarting
      }
      Thread.sleep(250);
    }
    return false;
  }

  // ------------------------------------------------------------------------------------------- connections

  private JsonObject credentials(String prefix) {
    String user = (prefix + run + "x" + (accounts++));
    return new JsonObject().put("username", user).put("email", user + "@chaos.test").put("password", "chaos-" + user);
  }

  /** Registers a new account through the REST API and returns its credentials. */
  private JsonObject register(int port, String prefix) {
    JsonObject body = credentials(prefix);
    expectStatus(call(() -> web.post(port, "127.0.0.1", "/api/v0/register").sendJsonObject(body)), 201, "register");
    return body;
  }

  private ChaosClient faf(int port, String prefix) {
    JsonObject body = register(port, prefix);
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("grant_type", "password").add("username", body.getString("username"))
      .add("password", body.getString("password")).add("scope", "lobby");
    HttpResponse<Buffer> token = expectStatus(call(() -> web.post(port, "127.0.0.1", "/oauth2/token").sendForm(form)), 200, "token");
    return fafWithToken(port, body.getString("username"), token.bodyAsJsonObject().getString("access_token"));
  }

  private ChaosClient fafWithToken(int port, String name, String token) {
    ChaosClient c = call(() -> ChaosClient.connect(vertx, sockets, name, port, "/lobby", true));
    JsonObject welcome = call(() -> c.request(new JsonObject().put("command", "auth").put("token", token)
      .put("unique_id", "chaos"), m -> "welcome".equals(m.getString("command")) || "authentication_failed".equals(m.getString("command"))
      || "notice".equals(m.getString("command")), WAIT_MS, "welcome"));
    check("welcome".equals(welcome.getString("command")), name + " could not log in: " + welcome);
    c.id = welcome.getInteger("id");
    c.token = token;
    return c;
  }

  private ChaosClient omega(int port, String prefix) {
    JsonObject body = register(port, prefix);
    HttpResponse<Buffer> login = expectStatus(call(() -> web.post(port, "127.0.0.1", "/api/v0/login")
      .sendJsonObject(new JsonObject().put("email", body.getString("email")).put("password", body.getString("password")))), 200, "login");
    ChaosClient c = call(() -> ChaosClient.connect(vertx, sockets, body.getString("username"), port,
      "/api/v0/signaling?ugi=" + UGI, false));
    JsonObject ok = call(() -> c.request(new JsonObject().put("opcode", "INIT").put("payload", login.bodyAsString()),
      opcode("INIT_OK"), WAIT_MS, "INIT_OK"));
    c.peerId = ok.getJsonObject("payload").getString("id");
    return c;
  }

  private void hostLobby(ChaosClient host, String lobby, int maxPeers) {
    call(() -> host.request(new JsonObject().put("opcode", "CONFIG_HOST").put("payload", new JsonObject()
      .put("lobby_id", lobby).put("allow_host_reclaim", false).put("allow_peers_to_claim_host", false)
      .put("max_peers", maxPeers).put("password", "")), opcode("ACK_HOST"), WAIT_MS, "ACK_HOST"));
  }

  /** A CL Omega ICE packet for {@code recipient}. */
  private static JsonObject ice(String recipient, String candidate) {
    return new JsonObject().put("opcode", "ICE").put("recipient", recipient)
      .put("payload", new JsonObject().put("type", 0).put("contents", new JsonObject().put("candidate", candidate)));
  }

  private void joinLobby(ChaosClient host, ChaosClient peer, String lobby) {
    int mark = mark(host);
    call(() -> peer.request(new JsonObject().put("opcode", "CONFIG_PEER").put("payload", new JsonObject()
      .put("lobby_id", lobby).put("password", "")), opcode("ACK_PEER"), WAIT_MS, "ACK_PEER"));
    call(() -> host.next(mark, opcode("NEW_PEER"), WAIT_MS, "NEW_PEER"));
  }

  private void closeAll(List<ChaosClient> clients) {
    for (ChaosClient c : clients) {
      call(() -> c.close().recover(x -> Future.succeededFuture()));
    }
  }

  // ---------------------------------------------------------------------------------------- faults, timing

  private long kill(String role, int number) throws IOException, InterruptedException {
    log("SIGKILL " + role + " #" + number);
    return cluster.kill(role, number);
  }

  /** Polls gateway 1's /ready until it answers {@code status}; returns the time it did. */
  private long pollReady(int status, long withinMs) throws InterruptedException {
    long until = System.currentTimeMillis() + withinMs;
    while (System.currentTimeMillis() < until) {
      try {
        if (web.get(g1, "127.0.0.1", "/ready").send().await(5, TimeUnit.SECONDS).statusCode() == status) {
          return System.currentTimeMillis();
        }
      } catch (Exception e) {
        // not answering counts as not yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("/ready did not answer " + status + " within " + withinMs / 1000 + " s");
  }

  /** The client's mark, read on the driver's context. */
  private int mark(ChaosClient client) {
    return call(() -> Future.succeededFuture(client.mark()));
  }

  /**
   * Runs {@code action} on the driver's one context (where every client lives) and waits for its result. The
   * rounds run on the main thread, which blocks here and in its pauses; no event loop ever waits.
   */
  private <T> T call(Supplier<Future<T>> action) {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> {
      try {
        action.get().onComplete(p);
      } catch (RuntimeException e) {
        p.fail(e);
      }
    });
    try {
      return p.future().await(180, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  private static HttpResponse<Buffer> expectStatus(HttpResponse<Buffer> r, int status, String what) {
    check(r.statusCode() == status, what + " answered " + r.statusCode() + " " + abbreviate(r.bodyAsString()));
    return r;
  }

  private static void check(boolean ok, String failure) {
    if (!ok) {
      throw new AssertionError(failure);
    }
  }

  private static String seconds(long ms) {
    return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  private static String abbreviate(String s) {
    String t = s == null ? "" : s.replace('\n', ' ').replace("|", "\\|");
    return t.length() > 80 ? t.substring(0, 80) + "…" : t;
  }

  private static void log(String line) {
    System.out.println("[chaos] " + line);
    System.out.flush();
  }

  private String table() {
    StringBuilder sb = new StringBuilder();
    sb.append("| fault injected | load held | what clients saw | data lost | recovery |\n|---|---|---|---|---|\n");
    for (Row r : rows) {
      sb.append("| ").append(r.fault()).append(" | ").append(r.load()).append(" | ").append(r.seen()).append(" | ")
        .append(r.lost()).append(" | ").append(r.recovery()).append(" |\n");
    }
    sb.append("\nbackground relay: ").append(load.describe()).append("\n");
    sb.append(failures.isEmpty() ? "\nchaos run passed\n" : "\nchaos run FAILED:\n- " + String.join("\n- ", failures) + "\n");
    return sb.toString();
  }

  // --------------------------------------------------------------------------------------- background load

  /**
   * CL Omega pairs on gateway 1 relaying one ICE packet every 50 ms per pair for the whole run. Gateway 1 is never
   * killed, so every packet must arrive: the ones lost are counted.
   */
  private final class RelayLoad {
    private final List<ChaosClient[]> pairs = new ArrayList<>();
    private long timer = -1;
    private long sent;
    private long received;

    void start(int n) {
      for (int i = 0; i < n; i++) {
        ChaosClient host = omega(g1, "lh" + i);
        ChaosClient peer = omega(g1, "lp" + i);
        String lobby = "load-" + run + "-" + i;
        hostLobby(host, lobby, 1);
        joinLobby(host, peer, lobby);
        pairs.add(new ChaosClient[] {host, peer});
      }
      call(() -> {
        for (ChaosClient[] p : pairs) {
          p[0].onRelayed(() -> received++);
        }
        timer = vertx.setPeriodic(50, t -> {
          for (ChaosClient[] p : pairs) {
            p[1].send(ice(p[0].peerId, "load"));
            sent++;
          }
        });
        return Future.succeededFuture();
      });
    }

    void stop() throws InterruptedException {
      call(() -> {
        vertx.cancelTimer(timer);
        return Future.succeededFuture();
      });
      Thread.sleep(2_000);
      long lost = call(() -> Future.succeededFuture(sent - received));
      check(lost == 0, lost + " of " + sent + " relayed packets of the background load were lost");
      for (ChaosClient[] p : pairs) {
        closeAll(List.of(p[0], p[1]));
      }
    }

    String describe() {
      long[] counts = call(() -> Future.succeededFuture(new long[] {received, sent}));
      return pairs.size() + " CL Omega pairs relaying 20 packets/s each (" + counts[0] + " of " + counts[1]
        + " sent so far arrived; the last ones are in flight)";
    }
  }
}
