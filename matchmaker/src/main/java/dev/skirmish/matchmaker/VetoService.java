package dev.skirmish.matchmaker;

import dev.skirmish.common.CommandHandlers;
import dev.skirmish.common.DocumentStore;
import dev.skirmish.common.Faf;
import dev.skirmish.common.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The players' map vetoes ({@code set_player_vetoes}), kept cluster-wide in memory (one document per
 * player, keyed by player id) until the player goes offline. Rules in {@link Vetoes}.
 */
final class VetoService {

  private static final Logger LOG = LoggerFactory.getLogger(VetoService.class);

  private final DocumentStore vetoes;
  private final QueueDefinitions queues;
  private final SearchService searches;
  private final Outbox outbox;

  VetoService(DocumentStore vetoes, QueueDefinitions queues, SearchService searches, Outbox outbox) {
    this.vetoes = vetoes;
    this.queues = queues;
    this.searches = searches;
    this.outbox = outbox;
  }

  /** The document of a player without vetoes. */
  static JsonObject none() {
    return new JsonObject().put("vetoes", new JsonArray());
  }

  static boolean isEmpty(JsonObject doc) {
    return doc.getJsonArray("vetoes", new JsonArray()).isEmpty();
  }

  /**
   * {@code set_player_vetoes}: stores the request trimmed to the brackets' limits; {@code vetoes_info
   * {forced: false}} only when that differs from the request.
   */
  Future<JsonObject> set(JsonObject request) {
    int player = request.getInteger("player");
    List<Vetoes.Veto> requested;
    try {
      requested = Vetoes.parse(request.getJsonObject("message", new JsonObject()));
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
    List<Vetoes.Veto> kept = Vetoes.trim(requested, queues.pools());
    JsonObject doc = new JsonObject().put("vetoes", Vetoes.toJson(kept));
    return vetoes.update(String.valueOf(player), current -> new DocumentStore.Change<>(doc, null)).map(v -> {
      if (Vetoes.same(kept, requested)) {
        return new JsonObject();
      }
      return CommandHandlers.messages(Faf.command("vetoes_info").put("vetoes", Vetoes.toJson(kept)).put("forced", false));
    });
  }

  /** The stored vetoes of each player (a player without any has an empty list). */
  Future<List<List<Vetoes.Veto>>> of(Collection<Integer> ids) {
    List<Future<JsonObject>> docs = ids.stream().map(id -> vetoes.read(String.valueOf(id))).toList();
    return Future.all(docs).map(done -> docs.stream().map(f -> Vetoes.fromJson(f.result().getJsonArray("vetoes"))).toList());
  }

  /** Forgets the player's vetoes. */
  Future<Void> clear(int player) {
    return vetoes.update(String.valueOf(player), current -> new DocumentStore.Change<Void>(none(), null));
  }

  /**
   * After the queues were reloaded: every player whose stored vetoes no longer fit the brackets (fewer
   * tokens per player or per map, a vetoed map or bracket gone) has them trimmed, gets {@code vetoes_info
   * {forced: true}} with the trimmed set, and leaves every queue ({@code search_info stop}). Several nodes
   * may run this at once: only the one whose trim is stored tells the player. Completes when all are done.
   */
  Future<Void> refit() {
    return vetoes.entries().compose(all -> {
      List<Future<Void>> done = new ArrayList<>();
      all.keySet().forEach(key -> done.add(refit(key)));
      return Future.join(done).recover(err -> {
        done.stream().filter(Future::failed)
          .forEach(f -> LOG.warn("Re-fitting vetoes to the reloaded queues failed: {}", f.cause().getMessage()));
        return Future.succeededFuture();
      }).mapEmpty();
    });
  }

  private Future<Void> refit(String key) {
    int player;
    try {
      player = Integer.parseInt(key);
    } catch (NumberFormatException e) {
      return Future.succeededFuture();
    }
    return vetoes.update(key, current -> {
      List<Vetoes.Veto> kept = Vetoes.refit(Vetoes.fromJson(current.getJsonArray("vetoes")), queues.pools());
      return new DocumentStore.Change<>(kept == null ? null : new JsonObject().put("vetoes", Vetoes.toJson(kept)), kept);
    }).compose(kept -> {
      if (kept == null) {
        return Future.succeededFuture();
      }
      LOG.info("Vetoes of player {} cut to the reloaded queues", player);
      outbox.push(player, Faf.command("vetoes_info").put("vetoes", Vetoes.toJson(kept)).put("forced", true));
      return searches.cancel(Set.of(player), null, -1);
    });
  }
}
