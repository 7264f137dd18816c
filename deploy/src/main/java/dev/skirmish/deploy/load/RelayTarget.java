package dev.skirmish.deploy.load;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocketClient;
import io.vertx.ext.web.client.WebClient;

/**
 * A relay server as the load driver drives it: how a pair of clients (a host and a peer that may send to each
 * other) is set up on it, what a client sends to relay a load packet, and how a relayed packet and an error look
 * on its wire. The load itself ({@link RelayLoad}) is the same for every server.
 */
interface RelayTarget {

  /** Two connected clients that may relay to each other, and the ids they are addressed by. */
  record Pair(WsClient host, WsClient peer, String hostId, String peerId) {
  }

  /** Sets up pair number {@code n} of run {@code run}. */
  Future<Pair> setUp(WebSocketClient sockets, WebClient web, String run, int n);

  /** The text a client sends to relay a load packet stamped {@code t} to {@code to}. */
  String packet(String to, long t);

  /** Whether {@code text}, received by a client, is a relayed load packet. */
  boolean isRelayed(String text);

  /** Whether {@code text}, received by a client, says a relay failed. */
  boolean isError(String text);

  /** An ICE candidate as a browser sends it, with the send time stamp {@code t} last (see {@link WsClient#stamp}). */
  String CANDIDATE =
    "{\"type\":0,\"contents\":{\"candidate\":\"candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx"
      + " raddr 0.0.0.0 rport 0 generation 0\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0},\"t\":";

  /** A CL Omega {@code ICE} packet to {@code to}. */
  static String omegaIce(String to, long t) {
    return "{\"opcode\":\"ICE\",\"recipient\":\"" + to + "\",\"payload\":" + CANDIDATE + t + "}}";
  }

  /** The product: CL Omega on a node (or two), host on {@code hostSide} and peer on {@code peerSide}. */
  static RelayTarget omega(OmegaLoadDriver.Target hostSide, OmegaLoadDriver.Target peerSide) {
    return new OmegaWire() {
      @Override
      public Future<Pair> setUp(WebSocketClient sockets, WebClient web, String run, int n) {
        return OmegaLoadDriver.setUpPair(sockets, web, hostSide, peerSide, run, n);
      }
    };
  }

  /** The bare relay ({@link BareRelayServer}): the same packets, clients named in the URL. */
  static RelayTarget bare(OmegaLoadDriver.Target server) {
    return new OmegaWire() {
      @Override
      public Future<Pair> setUp(WebSocketClient sockets, WebClient web, String run, int n) {
        String host = "h" + run + "x" + n;
        String peer = "p" + run + "x" + n;
        Future<WsClient> h = WsClient.connect(sockets, server.host(), server.port(), "/relay?id=" + host);
        Future<WsClient> p = WsClient.connect(sockets, server.host(), server.port(), "/relay?id=" + peer);
        return Future.all(h, p).map(v -> new Pair(h.result(), p.result(), host, peer));
      }
    };
  }

  /** A server that speaks CL Omega's relay packets: ICE out, ICE relayed, WARNING/PEER_INVALID/VIOLATION refused. */
  abstract class OmegaWire implements RelayTarget {
    @Override
    public String packet(String to, long t) {
      return omegaIce(to, t);
    }

    @Override
    public boolean isRelayed(String text) {
      return text.startsWith("{\"opcode\":\"ICE\"");
    }

    @Override
    public boolean isError(String text) {
      return text.startsWith("{\"opcode\":\"WARNING\"") || text.startsWith("{\"opcode\":\"PEER_INVALID\"")
        || text.startsWith("{\"opcode\":\"VIOLATION\"");
    }
  }

  /** The PeerJS server ({@link PeerJsServer}): {@code CANDIDATE} messages with {@code dst}, relayed with {@code src}. */
  static RelayTarget peerJs(OmegaLoadDriver.Target server) {
    return new RelayTarget() {
      @Override
      public Future<Pair> setUp(WebSocketClient sockets, WebClient web, String run, int n) {
        String host = "h" + run + "x" + n;
        String peer = "p" + run + "x" + n;
        Future<WsClient> h = open(sockets, host);
        Future<WsClient> p = open(sockets, peer);
        return Future.all(h, p).map(v -> new Pair(h.result(), p.result(), host, peer));
      }

      private Future<WsClient> open(WebSocketClient sockets, String id) {
        return WsClient.connect(sockets, server.host(), server.port(), "/peerjs?key=peerjs&id=" + id + "&token=t" + id,
          WsClient.Protocol.PEERJS).compose(c -> c.await("OPEN").map(c));
      }

      @Override
      public String packet(String to, long t) {
        return "{\"type\":\"CANDIDATE\",\"dst\":\"" + to + "\",\"payload\":" + CANDIDATE + t + "}}";
      }

      @Override
      public boolean isRelayed(String text) {
        return text.startsWith("{\"type\":\"CANDIDATE\"");
      }

      @Override
      public boolean isError(String text) {
        return !isRelayed(text);
      }
    };
  }
}
