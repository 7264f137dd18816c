package dev.skirmish.deploy.load;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The project's load driver for the FAF game relay. It registers accounts through the REST API and gets
 * lobby tokens through the OAuth password grant; per pair, the host logs in over WebSocket on one node,
 * hosts a public game and opens its lobby (GameState Idle, Lobby → HostGame), the joiner logs in on the
 * same or another node, joins the game and opens its side (→ JoinGame, ConnectToPeer to the host). Then
 * each joiner streams {@code IceMsg} packets (an ICE candidate message as the FAF ICE adapter sends it) to
 * its host, relayed from the joiner's gateway to the host's, with a fixed number in flight; the host side records the one-way
 * latency from the send time stamp in the payload (same clock, same process).
 */
public final class FafLoadDriver {

  private static final String CANDIDATE = "{\"type\":\"candidate\",\"candidate\":{\"candidate\":"
    + "\"candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0"
    + " ufrag 7sDd network-cost 50\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"protocol\":\"udp\",\"priority\":1677729535},"
    + "\"t\":";
  private static final String RELAYED_PREFIX = "{\"command\":\"IceMsg\"";

  private FafLoadDriver() {
  }

  /** What the joiner's game sends: {@code IceMsg [receiverId, payload]}, newline-terminated. */
  private static String iceMessage(int receiver, long t) {
    return "{\"command\":\"IceMsg\",\"target\":\"game\",\"args\":[" + receiver + "," + CANDIDATE + t + "}]}\n";
  }

  /** A load packet for the echo ceiling: the same size and shape as the FAF IceMsg the joiners send. */
  static String echoPacket(long t) {
    return iceMessage(1_000_000, t);
  }

  private record Pair(WsClient host, WsClient joiner, int hostId) {
  }

  private record Login(WsClient client, int id, String login) {
  }

  /** Runs the relay load and returns its summary. */
  public static Future<LatencyRecorder.Summary> relay(Vertx vertx, String name, OmegaLoadDriver.Target hostSide,
                                                      OmegaLoadDriver.Target joinerSide, int pairs, int window,
                                                      long warmupMs, long measureMs) {
    WebClient web = WebClient.create(vertx, new WebClientOptions());
    WebSocketClient sockets = WsClient.newClient(vertx);
    String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    return RelayBenchmarks.setUpInGroups(pairs, n -> setUpPair(sockets, web, hostSide, joinerSide, run, n)).compose(list -> {
      LatencyRecorder recorder = new LatencyRecorder();
      AtomicBoolean running = new AtomicBoolean(true);
      for (Pair p : list) {
        p.host().onTraffic(text -> {
          // Hosts also see game_info announcements and the like; only relayed IceMsg packets count.
          if (!text.startsWith(RELAYED_PREFIX)) {
            return;
          }
          long t = WsClient.stamp(text);
          if (t < 0) {
            return;
          }
          recorder.record(System.nanoTime() - t);
          if (running.get()) {
            p.joiner().send(iceMessage(p.hostId(), System.nanoTime()));
          }
        });
        for (int w = 0; w < window; w++) {
          p.joiner().send(iceMessage(p.hostId(), System.nanoTime()));
        }
      }
      return EchoLoad.measure(vertx, recorder, name, warmupMs, measureMs, running)
        .compose(summary -> closeAll(list).map(summary));
    }).eventually(() -> {
      web.close();
      return sockets.close();
    });
  }

  private static Future<Pair> setUpPair(WebSocketClient sockets, WebClient web, OmegaLoadDriver.Target hostSide,
                                        OmegaLoadDriver.Target joinerSide, String run, int n) {
    Future<Login> hostLogin = account(web, hostSide, "fh" + run + "x" + n)
      .compose(token -> login(sockets, hostSide, token));
    Future<Login> joinerLogin = account(web, hostSide, "fj" + run + "x" + n)
      .compose(token -> login(sockets, joinerSide, token));
    return Future.all(hostLogin, joinerLogin).compose(logged -> {
      WsClient host = hostLogin.result().client();
      WsClient joiner = joinerLogin.result().client();
      int hostId = hostLogin.result().id();
      return host.request(new JsonObject().put("command", "game_host").put("visibility", "public")
          .put("title", "bench " + run + " " + n), "game_launch")
        .compose(launch -> openSide(host, "HostGame").map(hostGame -> launch.getLong("uid")))
        .compose(uid -> joiner.request(new JsonObject().put("command", "game_join").put("uid", uid), "game_launch"))
        .compose(launch -> {
          Future<JsonObject> connect = host.await("ConnectToPeer");
          Future<JsonObject> joinGame = openSide(joiner, "JoinGame");
          return Future.all(connect, joinGame);
        })
        .map(done -> new Pair(host, joiner, hostId));
    });
  }

  /** The player's game reports GameState Idle, then Lobby; completes with the order {@code expected} (HostGame, JoinGame). */
  private static Future<JsonObject> openSide(WsClient player, String expected) {
    player.send(gpg("GameState", "Idle").encode() + "\n");
    return player.request(gpg("GameState", "Lobby"), expected);
  }

  /** A GPGNet message from the player's game. */
  private static JsonObject gpg(String command, Object arg) {
    return new JsonObject().put("command", command).put("target", "game").put("args", new JsonArray().add(arg));
  }

  private static Future<Login> login(WebSocketClient sockets, OmegaLoadDriver.Target t, String token) {
    return WsClient.connect(sockets, t.host(), t.port(), "/lobby", WsClient.Protocol.FAF).compose(client -> {
      Future<JsonObject> welcome = client.await("welcome");
      Future<JsonObject> games = client.request(new JsonObject().put("command", "auth").put("token", token)
        .put("unique_id", "x"), "game_info");
      return Future.all(welcome, games)
        .map(done -> new Login(client, welcome.result().getInteger("id"), welcome.result().getString("login")));
    });
  }

  /** Registers an account and returns a lobby token from the password grant. */
  private static Future<String> account(WebClient web, OmegaLoadDriver.Target t, String name) {
    String user = name.length() > 20 ? name.substring(0, 20) : name;
    String password = "bench-" + user;
    JsonObject body = new JsonObject().put("username", user).put("email", user + "@bench.test").put("password", password);
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("grant_type", "password").add("username", user)
      .add("password", password).add("scope", "lobby");
    return web.post(t.port(), t.host(), "/api/v0/register").sendJsonObject(body)
      .compose(r -> r.statusCode() == 201 ? Future.succeededFuture()
        : Future.failedFuture("register " + user + ": " + r.statusCode() + " " + r.bodyAsString()))
      .compose(v -> web.post(t.port(), t.host(), "/oauth2/token").sendForm(form))
      .compose(r -> r.statusCode() == 200 ? Future.succeededFuture(r.bodyAsJsonObject().getString("access_token"))
        : Future.failedFuture("token " + user + ": " + r.statusCode() + " " + r.bodyAsString()));
  }

  private static Future<Void> closeAll(List<Pair> pairs) {
    List<Future<Void>> closes = new ArrayList<>();
    for (Pair p : pairs) {
      closes.add(p.joiner().close());
      closes.add(p.host().close());
    }
    return Future.join(closes).mapEmpty();
  }
}
