package dev.skirmish.deploy.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The client side of the FAF login benchmark: a loop of logins over WebSocket ({@code /lobby}) with a fixed
 * number in flight, where every client that has logged in stays connected, reading (and counting) what it is
 * sent, so the number of players online ramps up from 0 to {@code max}.
 *
 * <p>A login: connect, send {@code auth {token, unique_id}}; it is done when {@code welcome} has arrived and,
 * after it, a {@code game_info} carrying a {@code games} array (the message that ends the login sequence).
 * Nothing else about the order of messages is assumed. Latency is auth sent → welcome received. Against the
 * bare server ({@code bare}), the first message received completes the login.
 *
 * <p>The client stays cheap so that it measures the server: frames are counted as they arrive without being
 * aggregated or decoded, except the few messages a login needs, recognised from the first bytes of their first
 * frame ({@code {"command":"welcome"...}}; a message that does not start that way is decoded in full). Every
 * socket and all the book-keeping live on one event loop, so no counter needs synchronisation.
 *
 * <p>Bands: a band {@code (from, to]} measures the logins that take the number online from {@code from} to
 * {@code to}: their rate, latency, the bytes and messages the clients already online receive meanwhile, and the
 * bytes of the logins' own sequences. The load pauses at each pause mark (logins already started finish, no new
 * one starts) and resumes when the pause's future completes; pause marks never fall inside a band.
 */
final class LoginLoad {

  /** The logins that take the number online from {@code from} (exclusive) to {@code to} (inclusive). */
  record BandSpec(int from, int to) {
  }

  /**
   * @param inflight        logins in flight at once
   * @param warmup          logins before the measured ramp; they disconnect before it starts
   * @param bands           the bands to measure, in order, not overlapping
   * @param pauses          numbers online (besides 0, after the warm-up) at which the load pauses
   * @param max             players online at the end
   * @param loginTimeoutMs  a login not done within this fails the run
   * @param maxMessageBytes the largest frame and message the client accepts (the login's player list is big)
   * @param bare            the server is the bare baseline: its first message completes a login
   */
  record Settings(int inflight, int warmup, List<BandSpec> bands, List<Integer> pauses, int max, long loginTimeoutMs,
                  int maxMessageBytes, boolean bare) {
  }

  /** The figures of one band. Bytes are WebSocket payload bytes. */
  record Band(int from, int to, int logins, double seconds, double p50Ms, double p99Ms, long othersBytes,
              long othersMessages, double clientSeconds, long ownBytes, long serverCpuNanos, long driverCpuNanos) {

    /** CPU time (user + system) the server process spent per login of the band, in ms; negative when unknown. */
    double serverCpuMsPerLogin() {
      return serverCpuNanos < 0 ? -1 : serverCpuNanos / 1e6 / logins;
    }

    /** CPU time the driver (this process: every client) spent per login of the band, in ms; negative when unknown. */
    double driverCpuMsPerLogin() {
      return driverCpuNanos < 0 ? -1 : driverCpuNanos / 1e6 / logins;
    }

    double loginsPerSecond() {
      return logins / seconds;
    }

    /** Bytes received by the clients already online, per login of the band. */
    double othersBytesPerLogin() {
      return (double) othersBytes / logins;
    }

    /** Messages received per idle (already online) client per second during the band. */
    double messagesPerClientSecond() {
      return clientSeconds == 0 ? 0 : othersMessages / clientSeconds;
    }

    /** Bytes of a login's own sequence (everything its client received until the login was done). */
    double ownBytesPerLogin() {
      return (double) ownBytes / logins;
    }
  }

  /** Called with the number online when the load reaches a pause mark; the load resumes when it completes. */
  @FunctionalInterface
  interface Pause {
    Future<Void> at(int online);
  }

  /** The messages a login in progress decodes; any other message is only counted. */
  private static final Set<String> LOGIN_COMMANDS = Set.of("welcome", "game_info", "authentication_failed", "notice");
  private static final String COMMAND_PREFIX = "{\"command\":\"";

  private final Vertx vertx;
  private final String host;
  private final int port;
  private final List<String> tokens;
  private final Settings settings;
  private final Pause pause;
  /** The server process's CPU time so far (negative when unknown). */
  private final LongSupplier serverCpuNanos;
  private final Context context;
  private final WebSocketClient client;
  private final List<Conn> warmupConns = new ArrayList<>();
  private final Promise<List<Band>> result = Promise.promise();
  private final List<BandState> bandStates = new ArrayList<>();

  private boolean closing;
  private Thread loop;
  private int errors;
  /** Players online in the measured ramp (logins done). */
  private int online;
  private long othersBytes;
  private long othersMessages;
  private double clientSeconds;
  private long lastChange;

  /**
   * @param tokens one lobby token per login: the warm-up logins use the first {@code warmup}, the ramp the next
   *               {@code max}
   */
  LoginLoad(Vertx vertx, String host, int port, List<String> tokens, Settings settings, Pause pause,
            LongSupplier serverCpuNanos) {
    if (tokens.size() < settings.warmup() + settings.max()) {
      throw new IllegalArgumentException("need " + (settings.warmup() + settings.max()) + " tokens, got " + tokens.size());
    }
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.tokens = tokens;
    this.settings = settings;
    this.pause = pause;
    this.serverCpuNanos = serverCpuNanos;
    this.context = vertx.getOrCreateContext();
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
      .setMaxConnections(Math.max(1000, 2 * (settings.max() + settings.warmup())))
      .setMaxFrameSize(settings.maxMessageBytes())
      .setMaxMessageSize(settings.maxMessageBytes()));
    for (BandSpec b : settings.bands()) {
      bandStates.add(new BandState(b));
    }
  }

  /** Runs the warm-up, then the ramp with its pauses; completes with the bands, or fails at the first error. */
  Future<List<Band>> run() {
    context.runOnContext(v -> {
      loop = Thread.currentThread();
      new Segment(0, settings.warmup(), true).run()
        .compose(w -> closeWarmup())
        .compose(w -> pause.at(0))
        .compose(w -> ramp(0))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            List<Band> bands = new ArrayList<>();
            for (BandState b : bandStates) {
              bands.add(b.band);
            }
            result.tryComplete(bands);
          } else {
            result.tryFail(ar.cause());
          }
        });
    });
    return result.future();
  }

  /** Errors seen (the run fails at the first one). */
  int errors() {
    return errors;
  }

  /** From now on closed connections are expected (the server is about to be stopped). */
  Future<Void> expectCloses() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      closing = true;
      done.complete();
    });
    return done.future();
  }

  /** Closes every socket of the run. */
  Future<Void> close() {
    return expectCloses().compose(v -> client.close());
  }

  private Future<Void> ramp(int from) {
    int to = settings.max();
    for (int p : settings.pauses()) {
      if (p > from && p < to) {
        to = p;
      }
    }
    int end = to;
    return new Segment(from, end, false).run().compose(v -> {
      if (end >= settings.max()) {
        return settings.pauses().contains(end) ? pause.at(end) : Future.succeededFuture();
      }
      return pause.at(end).compose(w -> ramp(end));
    });
  }

  private Future<Void> closeWarmup() {
    List<Future<Void>> closes = new ArrayList<>();
    for (Conn c : warmupConns) {
      c.closedByUs = true;
      closes.add(c.ws.close());
    }
    warmupConns.clear();
    return Future.all(closes).mapEmpty();
  }

  /** Logins {@code from} (exclusive) to {@code to} (inclusive) of the warm-up or of the ramp, {@code inflight} at once. */
  private final class Segment {
    private final int from;
    private final int to;
    private final boolean warmup;
    private final Promise<Void> done = Promise.promise();
    private int next;
    private int inFlight;
    private int finished;

    Segment(int from, int to, boolean warmup) {
      this.from = from;
      this.to = to;
      this.warmup = warmup;
      this.next = from;
    }

    Future<Void> run() {
      if (from >= to) {
        return Future.succeededFuture();
      }
      if (!warmup) {
        lastChange = System.nanoTime();
        for (BandState b : bandStates) {
          if (b.spec.from() == from) {
            b.start();
          }
        }
      }
      launch();
      return done.future();
    }

    private void launch() {
      while (inFlight < settings.inflight() && next < to && !result.future().isComplete() && !done.future().isComplete()) {
        int ordinal = ++next;
        inFlight++;
        String token = tokens.get(warmup ? ordinal - 1 : settings.warmup() + ordinal - 1);
        login(token, warmup ? "warm-up login " + ordinal : "login " + ordinal).onComplete(ar -> {
          inFlight--;
          if (ar.failed()) {
            errors++;
            done.tryFail(ar.cause());
            return;
          }
          Conn c = ar.result();
          if (warmup) {
            warmupConns.add(c);
          } else {
            loggedIn(c, to);
          }
          if (++finished == to - from) {
            done.tryComplete();
          } else {
            launch();
          }
        });
      }
    }
  }

  /** Book-keeping of a login of the ramp that is done; {@code segmentEnd} is where the load pauses next. */
  private void loggedIn(Conn c, int segmentEnd) {
    if (Thread.currentThread() != loop) {
      // The counters are unsynchronised: every socket must be served by the run's event loop.
      errors++;
      result.tryFail(new IllegalStateException(c.name + " was served on " + Thread.currentThread().getName()
        + ", not on the run's event loop " + loop.getName()));
      return;
    }
    long now = System.nanoTime();
    clientSeconds += online * ((now - lastChange) / 1e9);
    lastChange = now;
    int n = ++online;
    c.online = true;
    for (BandState b : bandStates) {
      if (n > b.spec.from() && n <= b.spec.to() && b.started) {
        b.latencies.record(c.welcomeNanos - c.authSentNanos);
        b.ownBytes += c.ownBytes;
        if (n == b.spec.to()) {
          b.finish();
        }
      }
    }
    if (n < segmentEnd) {
      for (BandState b : bandStates) {
        if (b.spec.from() == n) {
          b.start();
        }
      }
    }
  }

  private final class BandState {
    private final BandSpec spec;
    private final LatencyRecorder latencies = new LatencyRecorder();
    private boolean started;
    private long startNanos;
    private long bytes0;
    private long messages0;
    private double clientSeconds0;
    private long ownBytes;
    private long serverCpu0;
    private long driverCpu0;
    private Band band;

    BandState(BandSpec spec) {
      this.spec = spec;
    }

    void start() {
      started = true;
      startNanos = System.nanoTime();
      bytes0 = othersBytes;
      messages0 = othersMessages;
      clientSeconds0 = clientSeconds;
      serverCpu0 = serverCpuNanos.getAsLong();
      driverCpu0 = ownCpuNanos();
      latencies.start();
    }

    void finish() {
      latencies.stop();
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      LatencyRecorder.Summary s = latencies.summary("", seconds);
      long serverCpu = serverCpuNanos.getAsLong();
      long driverCpu = ownCpuNanos();
      band = new Band(spec.from(), spec.to(), (int) s.messages(), seconds, s.p50Ms(), s.p99Ms(), othersBytes - bytes0,
        othersMessages - messages0, clientSeconds - clientSeconds0, ownBytes,
        serverCpu < 0 || serverCpu0 < 0 ? -1 : serverCpu - serverCpu0,
        driverCpu < 0 || driverCpu0 < 0 ? -1 : driverCpu - driverCpu0);
    }
  }

  /** This process's CPU time (user + system) so far, or -1 where the JVM does not report it. */
  private static long ownCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
      ? os.getProcessCpuTime() : -1;
  }

  /** One client: logging in, then online and idle. */
  private static final class Conn {
    WebSocket ws;
    final String name;
    final Promise<Conn> loggedIn = Promise.promise();
    long authSentNanos;
    long welcomeNanos = -1;
    boolean gameList;
    boolean online;
    boolean closedByUs;
    long ownBytes;
    /** The message being received, while logging in, if it is one the login decodes. */
    Buffer pending;
    boolean pendingRelevant;

    Conn(String name) {
      this.name = name;
    }
  }

  private Future<Conn> login(String token, String name) {
    Conn c = new Conn(name);
    long timer = vertx.setTimer(settings.loginTimeoutMs(), t -> c.loggedIn.tryFail(name + ": no "
      + (c.welcomeNanos < 0 ? "welcome" : "game list (game_info with games)") + " within "
      + settings.loginTimeoutMs() / 1000.0 + " s"));
    client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/lobby"))
      .onFailure(err -> c.loggedIn.tryFail(name + ": could not connect: " + err))
      .onSuccess(ws -> {
        c.ws = ws;
        ws.frameHandler(f -> onFrame(c, f));
        ws.exceptionHandler(err -> problem(c, "socket error: " + err));
        ws.closeHandler(v -> {
          if (!c.closedByUs && !closing) {
            problem(c, "closed by the server" + (ws.closeStatusCode() == null ? "" : " (status " + ws.closeStatusCode()
              + (ws.closeReason() == null ? "" : " " + ws.closeReason()) + ")"));
          }
        });
        c.authSentNanos = System.nanoTime();
        ws.writeTextMessage(new JsonObject().put("command", "auth").put("token", token).put("unique_id", "bench")
          .encode() + "\n");
      });
    return c.loggedIn.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  /** A problem of a client: before its login is done it fails the login; after, it fails the run. */
  private void problem(Conn c, String what) {
    if (!c.loggedIn.future().isComplete()) {
      c.loggedIn.tryFail(c.name + ": " + what);
    } else if (!closing) {
      errors++;
      result.tryFail(new IllegalStateException(c.name + " (online): " + what));
    }
  }

  private void onFrame(Conn c, WebSocketFrame f) {
    if (!(f.isText() || f.isBinary() || f.isContinuation())) {
      return;
    }
    Buffer data = f.binaryData();
    if (c.online) {
      othersBytes += data.length();
      if (f.isFinal()) {
        othersMessages++;
      }
      return;
    }
    c.ownBytes += data.length();
    if (c.loggedIn.future().isComplete()) {
      return;
    }
    if (!f.isContinuation()) {
      c.pendingRelevant = settings.bare() || relevant(data);
      c.pending = c.pendingRelevant ? Buffer.buffer() : null;
    }
    if (c.pendingRelevant && c.pending != null) {
      c.pending.appendBuffer(data);
    }
    if (f.isFinal() && c.pendingRelevant && c.pending != null) {
      Buffer message = c.pending;
      c.pending = null;
      if (settings.bare()) {
        c.welcomeNanos = System.nanoTime();
        c.loggedIn.tryComplete(c);
        return;
      }
      received(c, message.toString());
    }
  }

  /** Whether a message (its first frame) is one the login reads: by its command when it starts with it, else yes. */
  private static boolean relevant(Buffer first) {
    int n = Math.min(first.length(), 48);
    String head = first.getString(0, n);
    if (!head.startsWith(COMMAND_PREFIX)) {
      return true;
    }
    int end = head.indexOf('"', COMMAND_PREFIX.length());
    return end < 0 || LOGIN_COMMANDS.contains(head.substring(COMMAND_PREFIX.length(), end));
  }

  private void received(Conn c, String text) {
    for (String piece : text.split("\n")) {
      if (piece.isBlank()) {
        continue;
      }
      JsonObject msg;
      try {
        msg = new JsonObject(piece);
      } catch (RuntimeException e) {
        problem(c, "malformed message " + abbreviate(piece) + ": " + e.getMessage());
        return;
      }
      String command = msg.getString("command", "");
      switch (command) {
        case "welcome" -> {
          if (c.welcomeNanos < 0) {
            c.welcomeNanos = System.nanoTime();
          }
        }
        case "game_info" -> {
          if (c.welcomeNanos >= 0 && msg.getValue("games") instanceof JsonArray) {
            c.gameList = true;
          }
        }
        case "authentication_failed" -> problem(c, "authentication failed: " + msg.getString("text"));
        case "notice" -> {
          if ("error".equals(msg.getString("style"))) {
            problem(c, "error notice: " + msg.getString("text"));
          }
        }
        default -> {
          // not part of what the login waits for
        }
      }
    }
    if (c.welcomeNanos >= 0 && c.gameList) {
      c.loggedIn.tryComplete(c);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 120) + "…";
  }
}
