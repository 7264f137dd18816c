package dev.skirmish.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The gateway's meters, every one tagged {@code protocol=faf|omega}: open sockets ({@code skirmish.connections})
 * and authenticated players ({@code skirmish.players.online}), counted over the node's connections when scraped;
 * relayed messages and their bytes ({@code skirmish.relay.messages}, {@code skirmish.relay.bytes}: GPGNet IceMsg
 * and CL Omega relay packets); refused frames by reason ({@code skirmish.frames.rejected}); and the time from a
 * login's first message to the session being ready ({@code skirmish.login}, with a histogram); and inbound
 * messages ({@code skirmish.messages.in}). Counters are resolved once, so counting a relayed packet is one
 * increment, with no tag look-up. The message and relay counts are kept here whether or not metrics are exported:
 * the operator console turns their {@link #totals} into rates.
 */
final class GatewayMeters {

  /** The two client protocols, as their tag reads. */
  enum Protocol {
    FAF("faf"), OMEGA("omega");

    final String tag;

    Protocol(String tag) {
      this.tag = tag;
    }
  }

  /** Why a frame was refused, as the {@code reason} tag reads. */
  enum Rejection {
    /** Over MAX_MESSAGE_BYTES. */
    OVERSIZE("oversize"),
    /** Not JSON, or an envelope of the wrong shape. */
    MALFORMED("malformed"),
    /** Dropped over the inbound message rate. */
    RATE("rate"),
    /** A command or opcode the server does not know. */
    UNKNOWN_COMMAND("unknown_command"),
    /** A command that needs a login (FAF) or INIT (CL Omega) first. */
    NOT_LOGGED_IN("not_logged_in");

    final String tag;

    Rejection(String tag) {
      this.tag = tag;
    }
  }

  private final LongAdder[] relayMessages = adders();
  private final LongAdder[] relayBytes = adders();
  private final LongAdder[] messagesIn = adders();
  private final Timer[] logins = new Timer[Protocol.values().length];
  private final Counter[][] rejected = new Counter[Protocol.values().length][Rejection.values().length];

  /** @param registry the node's registry (a registry without backends when metrics are off) */
  GatewayMeters(MeterRegistry registry, ConnectionRegistry connections) {
    for (Protocol p : Protocol.values()) {
      Class<? extends ClientConnection> type = p == Protocol.FAF ? FafSession.class : OmegaSession.class;
      Gauge.builder("skirmish.connections", connections, c -> count(c, type::isInstance))
        .description("Open client sockets on this gateway node").tag("protocol", p.tag).register(registry);
      Gauge.builder("skirmish.players.online", connections, c -> count(c, conn -> type.isInstance(conn) && authenticated(conn)))
        .description("Authenticated players on this gateway node (FAF logged in, CL Omega initialised)")
        .tag("protocol", p.tag).register(registry);
      FunctionCounter.builder("skirmish.relay.messages", relayMessages[p.ordinal()], LongAdder::sum)
        .description("Messages relayed between players (GPGNet IceMsg, CL Omega MAKE_OFFER/MAKE_ANSWER/ICE)")
        .tag("protocol", p.tag).register(registry);
      FunctionCounter.builder("skirmish.relay.bytes", relayBytes[p.ordinal()], LongAdder::sum).baseUnit("bytes")
        .description("Characters of the relayed messages as sent on").tag("protocol", p.tag).register(registry);
      FunctionCounter.builder("skirmish.messages.in", messagesIn[p.ordinal()], LongAdder::sum)
        .description("Messages received from clients and admitted by the message rate").tag("protocol", p.tag)
        .register(registry);
      logins[p.ordinal()] = Timer.builder("skirmish.login")
        .description("From a login's first message (FAF hello/auth, CL Omega INIT) to the session being ready")
        .tag("protocol", p.tag).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
      for (Rejection r : Rejection.values()) {
        rejected[p.ordinal()][r.ordinal()] = Counter.builder("skirmish.frames.rejected")
          .description("Inbound frames refused by the gateway, by reason")
          .tag("protocol", p.tag).tag("reason", r.tag).register(registry);
      }
    }
  }

  private static double count(ConnectionRegistry connections, Predicate<ClientConnection> which) {
    long n = 0;
    for (ClientConnection c : connections.all()) {
      if (which.test(c)) {
        n++;
      }
    }
    return n;
  }

  private static boolean authenticated(ClientConnection c) {
    return c instanceof FafSession faf ? faf.isLoggedIn() : c instanceof OmegaSession omega && omega.isInitialised();
  }

  private static LongAdder[] adders() {
    LongAdder[] all = new LongAdder[Protocol.values().length];
    for (int i = 0; i < all.length; i++) {
      all[i] = new LongAdder();
    }
    return all;
  }

  /** One relayed message of {@code chars} characters. */
  void relayed(Protocol protocol, int chars) {
    relayMessages[protocol.ordinal()].increment();
    relayBytes[protocol.ordinal()].add(chars);
  }

  /** One message from a client, admitted by the message rate. */
  void received(Protocol protocol) {
    messagesIn[protocol.ordinal()].increment();
  }

  /** The running totals the console turns into rates: {@code faf_in, omega_in, faf_relays, omega_relays}. */
  JsonObject totals() {
    return new JsonObject()
      .put("faf_in", messagesIn[Protocol.FAF.ordinal()].sum())
      .put("omega_in", messagesIn[Protocol.OMEGA.ordinal()].sum())
      .put("faf_relays", relayMessages[Protocol.FAF.ordinal()].sum())
      .put("omega_relays", relayMessages[Protocol.OMEGA.ordinal()].sum());
  }

  /** One refused frame. */
  void rejected(Protocol protocol, Rejection why) {
    rejected[protocol.ordinal()][why.ordinal()].increment();
  }

  /** A login that began at {@code startNanos} ({@link System#nanoTime()}) has just succeeded. */
  void loggedIn(Protocol protocol, long startNanos) {
    logins[protocol.ordinal()].record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }
}
