package dev.skirmish.matchmaker;

import dev.skirmish.common.CommandHandlers;
import dev.skirmish.common.DocumentStore;
import dev.skirmish.common.Faf;
import dev.skirmish.common.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.List;

/**
 * The players' map vetoes ({@code set_player_vetoes}), kept cluster-wide in memory (one document per
 * player) until the player goes offline. Rules in {@link Vetoes}.
 */
final class VetoService {

  private final DocumentStore vetoes;
  private final QueueDefinitions queues;

  VetoService(DocumentStore vetoes, QueueDefinitions queues) {
    this.vetoes = vetoes;
    this.queues = queues;
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
}
