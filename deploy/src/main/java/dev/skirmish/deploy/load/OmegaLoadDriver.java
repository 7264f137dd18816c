package dev.skirmish.deploy.load;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

/**
 * Sets up the CL Omega clients of the relay load: accounts created through the REST API, one lobby per pair
 * (host on one gateway, peer on another or the same), both sides INITed on the demo game and the peer in the
 * host's lobby. {@link RelayLoad} then streams packets between them.
 */
public final class OmegaLoadDriver {

  /** A gateway to connect to. */
  public record Target(String host, int port) {
  }

  private static final String UGI = "01HNPHRWS0N0AYMM5K4HN31V4W";

  private OmegaLoadDriver() {
  }

  static Future<RelayTarget.Pair> setUpPair(WebSocketClient sockets, WebClient web, Target hostSide, Target peerSide,
                                            String run, int n) {
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
            .compose(peerOk -> {
              String peerId = peerOk.getJsonObject("payload").getString("id");
              Future<JsonObject> newPeer = host.result().await("NEW_PEER");
              Future<JsonObject> joined = peer.result().request(new JsonObject().put("opcode", "CONFIG_PEER")
                .put("payload", new JsonObject().put("lobby_id", lobby).put("password", "")), "ACK_PEER");
              return Future.all(newPeer, joined)
                .map(done -> new RelayTarget.Pair(host.result(), peer.result(), hostId, peerId));
            });
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
}
