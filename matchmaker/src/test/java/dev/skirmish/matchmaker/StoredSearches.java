package dev.skirmish.matchmaker;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Minimal stored searches for the rule tests: ids only. */
final class StoredSearches {

  private StoredSearches() {
  }

  /** The search of {@code owner}'s party ({@code owner} and {@code members}), with id {@code s<owner>}. */
  static JsonObject search(int owner, int... members) {
    JsonArray players = new JsonArray().add(new JsonObject().put("id", owner));
    for (int m : members) {
      players.add(new JsonObject().put("id", m));
    }
    return new JsonObject().put("id", "s" + owner).put("owner", owner).put("players", players);
  }
}
