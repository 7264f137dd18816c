package dev.skirmish.deploy.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;

/**
 * The echo mode of the load drivers: the same client pattern (one socket per pair, a fixed number of
 * packets in flight, one-way latency from the time stamp in each packet) against a bare WebSocket echo
 * server, with the packets a relay run would send.
 */
final class EchoLoad {

  private EchoLoad() {
  }

  /** Runs the echo load with {@code connections} sockets; {@code packet} builds a load packet stamped with a send time. */
  static Future<LatencyRecorder.Summary> run(Vertx vertx, String name, OmegaLoadDriver.Target echo, int connections,
                                             int window, long warmupMs, long measureMs, LongFunction<String> packet) {
    WebSocketClient sockets = WsClient.newClient(vertx);
    List<Future<WsClient>> clients = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      clients.add(WsClient.connect(sockets, echo.host(), echo.port(), "/"));
    }
    return Future.all(clients).compose(all -> {
      LatencyRecorder recorder = new LatencyRecorder();
      AtomicBoolean running = new AtomicBoolean(true);
      List<WsClient> list = new ArrayList<>();
      for (Future<WsClient> f : clients) {
        WsClient c = f.result();
        list.add(c);
        c.onTraffic(text -> {
          long t = WsClient.stamp(text);
          if (t < 0) {
            return;
          }
          recorder.record(System.nanoTime() - t);
          if (running.get()) {
            c.send(packet.apply(System.nanoTime()));
          }
        });
        for (int w = 0; w < window; w++) {
          c.send(packet.apply(System.nanoTime()));
        }
      }
      return measure(vertx, recorder, name, warmupMs, measureMs, running).compose(summary -> {
        List<Future<Void>> closes = new ArrayList<>();
        list.forEach(c -> closes.add(c.close()));
        return Future.join(closes).map(summary);
      });
    }).eventually(sockets::close);
  }

  /**
   * Records after {@code warmupMs}, for {@code measureMs}; then clears {@code running} so that senders stop
   * refilling their window, and completes with the summary of the measured interval.
   */
  static Future<LatencyRecorder.Summary> measure(Vertx vertx, LatencyRecorder recorder, String name,
                                                 long warmupMs, long measureMs, AtomicBoolean running) {
    Promise<LatencyRecorder.Summary> done = Promise.promise();
    vertx.setTimer(warmupMs, t1 -> {
      recorder.start();
      long started = System.nanoTime();
      vertx.setTimer(measureMs, t2 -> {
        recorder.stop();
        running.set(false);
        done.complete(recorder.summary(name, (System.nanoTime() - started) / 1e9));
      });
    });
    return done.future();
  }
}
