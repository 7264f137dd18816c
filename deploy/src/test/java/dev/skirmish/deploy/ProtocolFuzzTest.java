package dev.skirmish.deploy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.skirmish.common.testing.FafClient;
import dev.skirmish.common.testing.OmegaClient;
import dev.skirmish.common.testing.TestAccounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static dev.skirmish.deploy.OmegaSupport.DEMO_UGI;
import static dev.skirmish.deploy.OmegaSupport.path;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based fuzzing of both protocols against one real node: random and mutated frames (every command and
 * opcode, fields removed or given the wrong type, huge numbers, deep nesting, unicode, control characters,
 * truncated JSON, binary frames, oversize messages) are sent by a logged-in client. Each frame must have a
 * defined outcome: the connection keeps answering (the next {@code ping} gets its {@code pong}, the next {@code
 * KEEPALIVE} its {@code KEEPALIVE}) or the server closes it. No error is logged by the node, and a well-behaved
 * client on each protocol keeps getting answers throughout. The frames tried per protocol are printed.
 */
class ProtocolFuzzTest {

  private static final long WAIT_SECONDS = 20;
  private static final int TRIES = 400;

  private static Node node;
  private static Vertx vertx;
  private static TestAccounts accounts;
  private static String fafToken;
  private static FafClient fafFuzz;
  private static FafClient fafSentinel;
  private static OmegaClient omegaFuzz;
  private static OmegaClient omegaSentinel;
  /** CL Omega tokens of accounts not connected now; a closed connection's token goes to the back. */
  private static final Deque<String> OMEGA_TOKENS = new ArrayDeque<>();
  private static String omegaFuzzToken;

  private static final Map<String, AtomicInteger> OUTCOMES = new java.util.concurrent.ConcurrentHashMap<>();
  private static final List<String> ERRORS = new CopyOnWriteArrayList<>();
  private static final AppenderBase<ILoggingEvent> ERROR_LOG = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent e) {
      // The node's own errors, and exceptions no handler caught on any Vert.x context.
      if (e.getLevel().isGreaterOrEqual(Level.ERROR)
        && (e.getLoggerName().startsWith("dev.skirmish") || e.getFormattedMessage().contains("Unhandled exception"))) {
        ERRORS.add(e.getLoggerName() + ": " + e.getFormattedMessage()
          + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getClassName() + ": "
          + e.getThrowableProxy().getMessage()));
      }
    }
  };

  @BeforeContainer
  static void start() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ERROR_LOG.setContext(context);
    ERROR_LOG.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(ERROR_LOG);
    node = TestNodes.start().await(2, TimeUnit.MINUTES);
    vertx = Vertx.vertx();
    accounts = new TestAccounts(vertx, node.httpPort());
    fafToken = await(accounts.register("fuzzFaf").compose(accounts::fafToken));
    String sentinelToken = await(accounts.register("fuzzSentinel").compose(accounts::fafToken));
    fafSentinel = await(FafClient.webSocket(vertx, node.httpPort()));
    await(FafTestSupport.loginFully(fafSentinel, sentinelToken));
    fafFuzz = fafConnection();
    for (int i = 0; i < 8; i++) {
      OMEGA_TOKENS.add(await(accounts.register("fuzzOmega").compose(a -> accounts.omegaToken(a, null))));
    }
    omegaSentinel = await(OmegaClient.connect(vertx, node.httpPort(), path(DEMO_UGI), null));
    await(omegaSentinel.init(OMEGA_TOKENS.poll()));
    omegaFuzz = omegaConnection();
  }

  @AfterContainer
  static void stop() throws Exception {
    System.out.println("Protocol fuzzing: frames tried and their outcomes " + new java.util.TreeMap<>(OUTCOMES));
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(ERROR_LOG);
    if (node != null) {
      node.close().await(1, TimeUnit.MINUTES);
    }
    if (vertx != null) {
      vertx.close().await(1, TimeUnit.MINUTES);
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static FafClient fafConnection() throws Exception {
    FafClient c = await(FafClient.webSocket(vertx, node.httpPort()));
    await(FafTestSupport.loginFully(c, fafToken));
    return c;
  }

  private static OmegaClient omegaConnection() throws Exception {
    omegaFuzzToken = OMEGA_TOKENS.poll();
    OmegaClient c = await(OmegaClient.connect(vertx, node.httpPort(), path(DEMO_UGI), null));
    await(c.init(omegaFuzzToken));
    return c;
  }

  private static void count(String what) {
    OUTCOMES.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
  }

  // ------------------------------------------------------------------------------------------------ FAF

  @Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
  void fafFramesHaveADefinedOutcome(@ForAll("fafFrames") Frame frame) throws Exception {
    int errorsBefore = ERRORS.size();
    if (frame.binary()) {
      fafFuzz.sendBinary(frame.text());
    } else {
      fafFuzz.sendRaw(frame.text());
    }
    // The next ping is answered (the connection still works) or the server has closed the connection.
    Future<String> outcome = Future.any(
      fafFuzz.send(new JsonObject().put("command", "ping")).expect("pong").map("answered"),
      fafFuzz.expectClosed().map("closed")).map(any -> fafFuzz.isClosed() ? "closed" : "answered");
    String result = await(outcome);
    count("FAF " + result);
    if (fafFuzz.isClosed()) {
      fafFuzz = fafConnection();
    }
    await(FafTestSupport.roundTrip(fafSentinel));
    assertThat(ERRORS.subList(errorsBefore, ERRORS.size())).as("errors the node logged for " + frame).isEmpty();
  }

  /** A frame to send: its text, as a text or a binary WebSocket frame. */
  record Frame(String text, boolean binary) {
    @Override
    public String toString() {
      return (binary ? "binary " : "text ") + (text.length() > 300 ? text.substring(0, 300) + "… (" + text.length()
        + " chars)" : text);
    }
  }

  private static final Map<String, JsonObject> FAF_TEMPLATES = Map.ofEntries(
    Map.entry("ping", new JsonObject()),
    Map.entry("auth", new JsonObject().put("token", "x.y.z").put("unique_id", "u")),
    Map.entry("hello", new JsonObject().put("login", "someone").put("password", "00").put("unique_id", "u")),
    Map.entry("ask_session", new JsonObject().put("version", "1").put("user_agent", "fuzz")),
    Map.entry("game_host", new JsonObject().put("title", "t").put("mod", "faf").put("mapname", "scmp_009")
      .put("visibility", "public").put("password", "p").put("rating_min", 0).put("rating_max", 3000)
      .put("enforce_rating_range", false)),
    Map.entry("game_join", new JsonObject().put("uid", 1).put("password", "p")),
    Map.entry("restore_game_session", new JsonObject().put("game_id", 1)),
    Map.entry("social_add", new JsonObject().put("friend", 1)),
    Map.entry("social_remove", new JsonObject().put("foe", 1)),
    Map.entry("avatar", new JsonObject().put("action", "select").put("avatar", "http://a/b.png")),
    Map.entry("admin", new JsonObject().put("action", "closeFA").put("user_id", 1)),
    Map.entry("coop_list", new JsonObject()),
    Map.entry("modvault", new JsonObject().put("type", "start")),
    Map.entry("game_matchmaking", new JsonObject().put("state", "start").put("queue_name", "ladder1v1")
      .put("faction", "uef")),
    Map.entry("matchmaker_info", new JsonObject()),
    Map.entry("set_player_vetoes", new JsonObject().put("vetoes", new JsonArray().add(new JsonObject()
      .put("map_pool_map_version_id", 1).put("veto_tokens_applied", 1).put("matchmaker_queue_id", 1)))),
    Map.entry("match_ready", new JsonObject()),
    Map.entry("is_ready_response", new JsonObject().put("is_ready", true)),
    Map.entry("invite_to_party", new JsonObject().put("recipient_id", 1)),
    Map.entry("accept_party_invite", new JsonObject().put("sender_id", 1)),
    Map.entry("kick_player_from_party", new JsonObject().put("kicked_player_id", 1)),
    Map.entry("leave_party", new JsonObject()),
    Map.entry("set_party_factions", new JsonObject().put("factions", new JsonArray().add("uef"))),
    Map.entry("GameState", new JsonObject().put("target", "game").put("args", new JsonArray().add("Idle"))),
    Map.entry("GameOption", new JsonObject().put("target", "game").put("args", new JsonArray().add("Slots").add(8))),
    Map.entry("PlayerOption", new JsonObject().put("target", "game").put("args", new JsonArray().add(1).add("Team")
      .add(2))),
    Map.entry("GameResult", new JsonObject().put("target", "game").put("args", new JsonArray().add(1)
      .add("victory 10"))),
    Map.entry("GameMods", new JsonObject().put("target", "game").put("args", new JsonArray().add("uids").add("a b"))),
    Map.entry("JsonStats", new JsonObject().put("target", "game").put("args", new JsonArray().add("{\"stats\":[]}"))),
    Map.entry("IceMsg", new JsonObject().put("target", "game").put("args", new JsonArray().add(1).add("{}"))),
    Map.entry("Chat", new JsonObject().put("target", "game").put("args", new JsonArray().add("hi"))),
    Map.entry("no_such_command", new JsonObject().put("x", 1)));

  @Provide
  Arbitrary<Frame> fafFrames() {
    Arbitrary<String> commands = Arbitraries.of(new ArrayList<>(FAF_TEMPLATES.keySet()));
    Arbitrary<String> mutated = Combinators.combine(commands, mutations(), Arbitraries.integers().between(0, 3))
      .as((command, mutation, times) -> {
        JsonObject m = FAF_TEMPLATES.get(command).copy().put("command", command);
        for (int i = 0; i <= times; i++) {
          m = mutation.apply(m);
        }
        return m.encode() + "\n";
      });
    return frames(mutated);
  }

  // -------------------------------------------------------------------------------------------- CL Omega

  @Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
  void omegaFramesHaveADefinedOutcome(@ForAll("omegaFrames") Frame frame) throws Exception {
    int errorsBefore = ERRORS.size();
    if (frame.binary()) {
      omegaFuzz.sendBinary(frame.text());
    } else {
      omegaFuzz.sendRaw(frame.text());
    }
    Future<String> outcome = Future.any(
      omegaFuzz.send("KEEPALIVE", null, null).expect("KEEPALIVE").map("answered"),
      omegaFuzz.expectClosed().map("closed")).map(any -> omegaFuzz.inbox().closed().isComplete() ? "closed" : "answered");
    String result = await(outcome);
    count("CL Omega " + result);
    if (omegaFuzz.inbox().closed().isComplete()) {
      OMEGA_TOKENS.add(omegaFuzzToken);
      omegaFuzz = omegaConnection();
    }
    omegaSentinel.send("KEEPALIVE", null, null);
    await(omegaSentinel.expect("KEEPALIVE"));
    assertThat(ERRORS.subList(errorsBefore, ERRORS.size())).as("errors the node logged for " + frame).isEmpty();
  }

  private static final Map<String, Object> OMEGA_TEMPLATES = Map.ofEntries(
    Map.entry("INIT", "token"),
    Map.entry("KEEPALIVE", ""),
    Map.entry("CONFIG_HOST", new JsonObject().put("lobby_id", "fuzz").put("allow_host_reclaim", true)
      .put("allow_peers_to_claim_host", false).put("max_peers", 4).put("password", "").put("pubkey", "k")),
    Map.entry("CONFIG_PEER", new JsonObject().put("lobby_id", "fuzz").put("password", "").put("pubkey", "k")),
    Map.entry("MAKE_OFFER", new JsonObject().put("type", 0).put("contents", "v=0")),
    Map.entry("MAKE_ANSWER", new JsonObject().put("type", 0).put("contents", "v=0")),
    Map.entry("ICE", new JsonObject().put("type", 0).put("contents", "candidate")),
    Map.entry("LOBBY_LIST", ""),
    Map.entry("LOBBY_INFO", "fuzz"),
    Map.entry("CLAIM_HOST", ""),
    Map.entry("TRANSFER_HOST", "01HNPHRWS0N0AYMM5K4HN31V4W"),
    Map.entry("KICK", "01HNPHRWS0N0AYMM5K4HN31V4W"),
    Map.entry("LOCK", ""),
    Map.entry("UNLOCK", ""),
    Map.entry("SIZE", 4),
    Map.entry("LEAVE_LOBBY", ""),
    Map.entry("NO_SUCH_OPCODE", 1));

  @Provide
  Arbitrary<Frame> omegaFrames() {
    Arbitrary<String> opcodes = Arbitraries.of(new ArrayList<>(OMEGA_TEMPLATES.keySet()));
    Arbitrary<String> mutated = Combinators.combine(opcodes, mutations(), Arbitraries.integers().between(0, 3),
        Arbitraries.of("recipient", "listener", "payload", "opcode"), jsonValues(3))
      .as((opcode, mutation, times, field, value) -> {
        Object payload = OMEGA_TEMPLATES.get(opcode);
        JsonObject packet = new JsonObject().put("opcode", opcode).put("listener", "l");
        if (payload instanceof JsonObject p) {
          JsonObject m = p.copy();
          for (int i = 0; i <= times; i++) {
            m = mutation.apply(m);
          }
          packet.put("payload", m);
        } else {
          packet.put("payload", payload);
        }
        if (times == 3) {
          // Sometimes the envelope itself gets a wrong or odd field.
          packet.put(field, value);
        }
        return packet.encode();
      });
    return frames(mutated);
  }

  // -------------------------------------------------------------------------------------------- generators

  /** Mutated commands most of the time; otherwise raw junk, odd JSON, deep nesting, binary and oversize frames. */
  private static Arbitrary<Frame> frames(Arbitrary<String> mutated) {
    Arbitrary<String> junk = Arbitraries.strings().all().ofMaxLength(200);
    Arbitrary<String> json = jsonValues(4).map(v -> v instanceof String s ? "\"" + s + "\"" : String.valueOf(v));
    Arbitrary<String> truncated = mutated.flatMap(m -> Arbitraries.integers().between(0, Math.max(0, m.length() - 1))
      .map(n -> m.substring(0, n)));
    Arbitrary<String> deep = Arbitraries.integers().between(50, 5000)
      .map(n -> "{\"command\":" + "[".repeat(n) + "]".repeat(n) + "}");
    Arbitrary<String> oversize = Arbitraries.integers().between(1_048_577, 1_200_000)
      .map(n -> "{\"command\":\"" + "x".repeat(n) + "\"}");
    Arbitrary<String> numbers = Arbitraries.of("1e999999", "-1e999999", "123456789012345678901234567890", "-0",
        "NaN", "Infinity", "0x10", "1.7976931348623157E309")
      .map(n -> "{\"command\":\"game_join\",\"uid\":" + n + ",\"opcode\":\"SIZE\",\"payload\":" + n + "}");
    Arbitrary<String> text = Arbitraries.frequencyOf(
      net.jqwik.api.Tuple.of(12, mutated),
      net.jqwik.api.Tuple.of(2, junk),
      net.jqwik.api.Tuple.of(2, json),
      net.jqwik.api.Tuple.of(2, truncated),
      net.jqwik.api.Tuple.of(1, deep),
      net.jqwik.api.Tuple.of(1, numbers),
      net.jqwik.api.Tuple.of(1, oversize));
    return Combinators.combine(text, Arbitraries.integers().between(0, 19)).as((t, b) -> new Frame(t, b == 0));
  }

  /** One change to a JSON object: a field removed, a field given a random value, or a random field added. */
  private static Arbitrary<Function<JsonObject, JsonObject>> mutations() {
    Arbitrary<String> names = Arbitraries.of("command", "target", "args", "uid", "game_id", "title", "mapname",
      "password", "state", "queue_name", "vetoes", "token", "login", "lobby_id", "max_peers", "pubkey", "type",
      "contents", "friend", "foe", "recipient_id", "factions", "action", "is_ready", "unknown\u0000field", "");
    Arbitrary<Function<JsonObject, JsonObject>> remove = names.map(n -> m -> {
      m.remove(n);
      return m;
    });
    Arbitrary<Function<JsonObject, JsonObject>> replace = Combinators.combine(names, jsonValues(3)).as((n, v) -> m -> {
      if (!"command".equals(n) || Math.abs(n.hashCode()) % 2 == 0) {
        m.put(n, v);
      }
      return m;
    });
    Arbitrary<Function<JsonObject, JsonObject>> identity = Arbitraries.just(m -> m);
    return Arbitraries.oneOf(remove, replace, replace, identity);
  }

  /** Random JSON values of any type, nested up to {@code depth}. */
  private static Arbitrary<Object> jsonValues(int depth) {
    Arbitrary<Object> scalars = Arbitraries.oneOf(
      Arbitraries.strings().all().ofMaxLength(40).map(s -> (Object) s),
      Arbitraries.strings().withCharRange('\u0080', '\uffff').ofMaxLength(20).map(s -> (Object) s),
      Arbitraries.integers().map(i -> (Object) i),
      Arbitraries.longs().map(l -> (Object) l),
      Arbitraries.doubles().map(d -> (Object) (Double.isFinite(d) ? d : 0.0)),
      Arbitraries.of(true, false).map(b -> (Object) b),
      Arbitraries.just((Object) null),
      Arbitraries.strings().ofLength(2000).map(s -> (Object) s));
    if (depth == 0) {
      return scalars;
    }
    Arbitrary<Object> arrays = jsonValues(depth - 1).list().ofMaxSize(4).map(l -> (Object) new JsonArray(l));
    Arbitrary<Object> objects = Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(8), jsonValues(depth - 1))
      .ofMaxSize(4).map(m -> (Object) new JsonObject(new java.util.LinkedHashMap<>(m)));
    return Arbitraries.frequencyOf(
      net.jqwik.api.Tuple.of(6, scalars),
      net.jqwik.api.Tuple.of(1, arrays),
      net.jqwik.api.Tuple.of(1, objects));
  }
}
