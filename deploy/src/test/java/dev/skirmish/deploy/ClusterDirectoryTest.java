package dev.skirmish.deploy;

import dev.skirmish.common.AckedEvents;
import dev.skirmish.common.Addresses;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.Ids;
import dev.skirmish.common.SessionDirectory;
import dev.skirmish.common.SessionDirectory.Entry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Semantics of the session directory (and of sweeping a node's sessions) on a plain, non-clustered Vert.x:
 * the same code runs on Hazelcast maps when clustered.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ClusterDirectoryTest {

  private static SessionDirectory directory(Vertx vertx) {
    return new SessionDirectory(vertx, "test.directory." + Ids.ulid());
  }

  private static Entry entry(String node, String connection) {
    return new Entry(node, connection, new JsonObject().put("login", connection));
  }

  @Test
  @DisplayName("claim returns the entry it replaced (null for the first), and the directory holds the newest")
  void claimReturnsThePreviousEntry(Vertx vertx, VertxTestContext ctx) {
    SessionDirectory dir = directory(vertx);
    Entry first = entry("n1", "c1");
    Entry second = entry("n2", "c2");
    Future<Entry> firstClaim = dir.claim("k", first);
    Future<Entry> secondClaim = firstClaim.compose(previous -> dir.claim("k", second));
    Future<Entry> current = secondClaim.compose(previous -> dir.get("k"));
    current.onComplete(ctx.succeeding(now -> ctx.verify(() -> {
      assertEntries(List.of(firstClaim.result() == null ? NONE : firstClaim.result(), secondClaim.result(), now),
        List.of(NONE, first, second));
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("release and update with a stale entry leave a newer session alone; release of the current entry removes it")
  void staleReleaseKeepsTheNewerSession(Vertx vertx, VertxTestContext ctx) {
    SessionDirectory dir = directory(vertx);
    Entry old = entry("n1", "old");
    Entry newer = entry("n2", "newer");
    Future<Entry> claimed = dir.claim("k", old).compose(v -> dir.claim("k", newer));
    Future<Boolean> staleRelease = claimed.compose(v -> dir.release("k", old));
    Future<Boolean> staleUpdate = staleRelease.compose(v -> dir.update("k", old, entry("n1", "zombie")));
    Future<Entry> kept = staleUpdate.compose(v -> dir.get("k"));
    Future<Boolean> release = kept.compose(v -> dir.release("k", newer));
    Future<Entry> gone = release.compose(v -> dir.get("k"));
    gone.onComplete(ctx.succeeding(nothing -> ctx.verify(() -> {
      assertFlags(List.of(staleRelease.result(), staleUpdate.result(), release.result()), List.of(false, false, true));
      assertEntries(List.of(kept.result(), nothing == null ? NONE : nothing), List.of(newer, NONE));
      ctx.completeNow();
    })));
  }

  /** Stands for "no entry" in the lists compared below. */
  private static final Entry NONE = new Entry("-", "-", new JsonObject());

  private static void assertEntries(List<Entry> actual, List<Entry> expected) {
    assertThat(actual).containsExactlyElementsOf(expected);
  }

  private static void assertFlags(List<Boolean> actual, List<Boolean> expected) {
    assertThat(actual).as("stale release, stale update, current release").containsExactlyElementsOf(expected);
  }

  @Test
  @DisplayName("20 concurrent claims: one finds the key free, each other one replaces a distinct predecessor, the last stays")
  void concurrentClaimsFormOneChain(Vertx vertx, VertxTestContext ctx) {
    String name = "test.directory." + Ids.ulid();
    List<Entry> entries = new ArrayList<>();
    List<Future<Entry>> claims = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Entry e = entry("n" + (i % 3), "c" + i);
      entries.add(e);
      // Each claim from its own context (spread over the event-loop threads) through its own directory
      // object, as connections of different verticles do.
      Promise<Entry> claimed = Promise.promise();
      vertx.getOrCreateContext().runOnContext(v -> new SessionDirectory(vertx, name).claim("k", e).onComplete(claimed));
      claims.add(claimed.future());
    }
    Future<Entry> last = Future.all(claims).compose(all -> new SessionDirectory(vertx, name).get("k"));
    last.onComplete(ctx.succeeding(current -> ctx.verify(() -> {
      assertSingleChain(entries, claims.stream().map(Future::result).toList(), current);
      ctx.completeNow();
    })));
  }

  /** Exactly one claim found the key free; every other one replaced a distinct claim; the one never replaced stays. */
  static void assertSingleChain(List<Entry> claimed, List<Entry> predecessors, Entry last) {
    assertThat(predecessors).filteredOn(Objects::isNull).as("claims that found the key free").hasSize(1);
    List<Entry> replaced = predecessors.stream().filter(Objects::nonNull).toList();
    assertThat(replaced).hasSize(claimed.size() - 1).doesNotHaveDuplicates().allMatch(claimed::contains);
    assertThat(claimed).filteredOn(e -> !replaced.contains(e)).containsExactly(last);
  }

  @Test
  @DisplayName("sweeping a node removes exactly its sessions; a session its connection releases meanwhile is announced once")
  void sweepRemovesOnlyTheNodesSessions(Vertx vertx, VertxTestContext ctx) {
    SessionDirectory faf = new SessionDirectory(vertx, Delivery.FAF_SESSIONS);
    SessionDirectory omega = new SessionDirectory(vertx, Delivery.OMEGA_SESSIONS);
    String gone = Ids.ulid();
    Entry racing = new Entry(gone, "c1", new JsonObject().put("id", 901).put("login", "racing901"));
    Entry quiet = new Entry(gone, "c2", new JsonObject().put("id", 902).put("login", "quiet902"));
    Entry other = new Entry(Ids.ulid(), "c3", new JsonObject().put("id", 903).put("login", "other903"));
    Entry goneOmega = new Entry(gone, "c4", new JsonObject().put("user", "z").put("ugi", "u"));
    String sentinel = "sentinel-" + Ids.ulid();
    List<JsonObject> offline = new ArrayList<>();
    List<JsonObject> omegaClosed = new ArrayList<>();
    Promise<Void> sentinelSeen = Promise.promise();
    MessageConsumer<JsonObject> broadcasts = vertx.eventBus().consumer(Addresses.FAF_PRESENCE, m -> {
      if (sentinel.equals(m.body().getString("sentinel"))) {
        sentinelSeen.tryComplete();
      } else {
        m.body().getJsonArray("offline", new JsonArray()).forEach(o -> offline.add((JsonObject) o));
      }
    });
    MessageConsumer<JsonObject> closed = vertx.eventBus().consumer(Addresses.OMEGA_SESSION_CLOSED,
      m -> omegaClosed.add(m.body()));

    Future<Void> claimed = Future.all(broadcasts.completion(), closed.completion())
      .compose(v -> Future.all(faf.claim("901", racing), faf.claim("902", quiet), faf.claim("903", other),
        omega.claim("Z", goneOmega)))
      .mapEmpty();
    // The connection of 901 releases its own session at the same moment as the sweep.
    Future<Integer> swept = claimed.compose(v -> Delivery.sweepNode(vertx, new AckedEvents(vertx, 1_000, 1_000), gone));
    Future<Boolean> releasedByConnection = claimed.compose(v -> faf.release("901", racing));
    // Published after everything the sweep published, from the same thread: delivered after it.
    Future<Void> delivered = Future.all(swept, releasedByConnection).compose(v -> {
      vertx.eventBus().publish(Addresses.FAF_PRESENCE, new JsonObject().put("sentinel", sentinel));
      return sentinelSeen.future();
    });
    Future<List<Entry>> left = delivered.compose(v -> Future.all(faf.get("901"), faf.get("902"), faf.get("903"),
      omega.get("Z"))).map(all -> all.<Entry>list());

    left
      .onSuccess(entries -> ctx.verify(() -> checkSweep(swept.result(), releasedByConnection.result(), entries,
        other, offline, omegaClosed, gone)))
      .eventually(() -> faf.release("903", other))
      .eventually(() -> Future.all(broadcasts.unregister(), closed.unregister()))
      .onComplete(ctx.succeedingThenComplete());
  }

  private static void checkSweep(int swept, boolean releasedByConnection, List<Entry> left, Entry other,
                                 List<JsonObject> offline, List<JsonObject> omegaClosed, String gone) {
    assertThat(swept + (releasedByConnection ? 1 : 0)).as("removals of the node's 3 sessions").isEqualTo(3);
    assertThat(left).containsExactly(null, null, other, null);
    List<Integer> announced = new ArrayList<>();
    for (JsonObject change : offline) {
      // Each offline change names the connection it is about, so gateways never apply it to a newer session.
      assertThat(change.getString("connection")).isIn("c1", "c2");
      announced.add(change.getJsonObject("player").getInteger("id"));
    }
    // The sweep announces what it removed; 901, if its connection won, is the connection's to announce.
    assertThat(announced).containsExactlyInAnyOrderElementsOf(releasedByConnection ? List.of(902) : List.of(901, 902));
    assertThat(omegaClosed).hasSize(1);
    assertThat(omegaClosed.get(0).getString("id")).isEqualTo("Z");
    assertThat(omegaClosed.get(0).getString("node")).isEqualTo(gone);
    assertThat(omegaClosed.get(0).getString("connection")).isEqualTo("c4");
  }
}
