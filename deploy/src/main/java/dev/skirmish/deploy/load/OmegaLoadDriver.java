package dev.skirmish.deploy.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The project's load driver for CL Omega relays. It creates accounts through the REST API, opens one
 * lobby per pair (host on one gateway, peer on another or the same), then each peer streams ICE packets
 * to its host with a fixed number in flight; the host side records the one-way latency (same clock, same
 * process). {@link EchoLoad} runs the same client pattern against a bare WebSocket echo server.
 */
public final class OmegaLoadDriver {

  /** A gateway to connect to. */
  public record Target(String host, int port) {
  }

  private static final String UGI = "01HNPHRWS0N0AYMM5K4HN31V4W";
  private static final String CANDIDATE =
    "{\"type\":0,\"contents\":{\"candidate\":\"candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx"
      + " raddr 0.0.0.0 rport 0 generation 0\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0},\"t\":";

  private OmegaLoadDriver() {
  }

  private static String icePacket(String recipient, long t) {
    return "{\"opcode\":\"ICE\",\"recipient\":\"" + recipient + "\",\"payload\":" + CANDIDATE + t + "}}";
  }

  private record Pair(WsClient host, WsClient peer, String hostId) {
  }

  /** Runs the relay load and returns its summary. */
  public static Future<LatencyRecorder.Summary> relay(Vertx vertx, String name, Target hostSide, Target peerSide,
                                                      int pairs, int window, long warmupMs, long measureMs) {
    WebClient web = WebClient.create(vertx, new WebClientOptions());
    WebSocketClient sockets = WsClient.newClient(vertx);
    String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    return RelayBenchmarks.setUpInGroups(pairs, n -> setUpPair(sockets, web, hostSide, peerSide, run, n)).compose(list -> {
      LatencyRecorder recorder = new LatencyRecorder();
      AtomicBoolean running = new AtomicBoolean(true);
      for (Pair p : list) {
        p.host().onTraffic(text -> {
          long t = WsClient.stamp(text);
          if (t < 0 || !text.startsWith("{\"opcode\":\"ICE\"")) {
            return;
          }
          recorder.record(System.nanoTime() - t);
          if (running.get()) {
            p.peer().send(icePacket(p.hostId(), System.nanoTime()));
          }
        });
        for (int w = 0; w < window; w++) {
          p.peer().send(icePacket(p.hostId(), System.nanoTime()));
        }
      }
      return EchoLoad.measure(vertx, recorder, name, warmupMs, measureMs, running)
        .compose(summary -> closeAll(list).map(summary));
    }).eventually(() -> {
      web.close();
      return sockets.close();
    });
  }

  private static Future<Pair> setUpPair(WebSocketClient sockets, WebClient web, Target hostSide, Target peerSide, String run, int n) {
    Future<String> hostToken = account(web, hostSide, "bh" + run + "x" + n);
    Future<String> peerToken = account(web, hostSide, "bp" + run + "x" + n);
    String lobby = "bench-" + run + "-" + n;
    return Future.all(hostToken, peerToken).compose(t -> {
      Future<WsClient> host = WsClient.connect(sockets, hostSide.host(), hostSide.port(), "/api/v0/signaling?ugi=" + UGI);
      Future<WsClient> peer = WsClient.connect(sockets, peerSide.host(), peerSide.port(), "/api/v0/signaling?ugi=" + UGI);
      return Future.all(host, peer).compose(c -> host.result()
        .request(new JsonObject().put("opcode", "INIT").put("payload", hostToken.result()), "INIT_OK")
        .compose(ok -> {
          String hostId = ok.getJsonObject("payload").getString("id");
          return host.result().request(new JsonObject().put("opcode", "CONFIG_HOST").put("payload", new JsonObject()
              .put("lobby_id", lobby).put("allow_host_reclaim", false).put("allow_peers_to_claim_host", false)
              .put("max_peers", 1).put("password", "")), "ACK_HOST")
            .compose(ack -> peer.result()
              .request(new JsonObject().put("opcode", "INIT").put("payload", peerToken.result()), "INIT_OK"))
            .compose(ack -> {
              Future<JsonObject> newPeer = host.result().await("NEW_PEER");
              Future<JsonObject> joined = peer.result().request(new JsonObject().put("opcode", "CONFIG_PEER")
                .put("payload", new JsonObject().put("lobby_id", lobby).put("password", "")), "ACK_PEER");
              return Future.all(newPeer, joined);
            })
            .map(done -> new Pair(host.result(), peer.result(), hostId));
        }));
    });
  }

  private static Future<String> account(WebClient web, Target t, String name) {
    String user = name.length() > 20 ? name.substring(0, 20) : name;
    JsonObject body = new JsonObject().put("username", user).put("email", user + "@bench.test")
      .put("password", "bench-" + user);
    return web.post(t.port(), t.host(), "/api/v0/register").sendJsonObject(body)
      .compose(r -> r.statusCode() == 201 ? Future.succeededFuture()
        : Future.failedFuture("register " + user + ": " + r.statusCode() + " " + r.bodyAsString()))
      .compose(v -> web.post(t.port(), t.host(), "/api/v0/login")
        .sendJsonObject(new JsonObject().put("email", body.getString("email")).put("password", body.getString("password"))))
      .compose(r -> r.statusCode() == 200 ? Future.succeededFuture(r.bodyAsString())
        : Future.failedFuture("login " + user + ": " + r.statusCode()));
  }

  /** A load packet for the echo ceiling: the same size and shape as a relayed ICE packet. */
  static String echoPacket(long t) {
    return icePacket(UGI, t);
  }

  private static Future<Void> closeAll(List<Pair> pairs) {
    List<Future<Void>> closes = new ArrayList<>();
    for (Pair p : pairs) {
      closes.add(p.peer().close());
      closes.add(p.host().close());
    }
    return Future.join(closes).mapEmpty();
  }
}
