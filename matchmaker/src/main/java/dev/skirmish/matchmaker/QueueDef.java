package dev.skirmish.matchmaker;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A matchmaker queue as configured in the database.
 *
 * @param id          {@code matchmaker_queue.id}
 * @param name        technical name, e.g. {@code ladder1v1}
 * @param teamSize    players per team
 * @param featuredMod the featured mod of its games
 * @param leaderboard the leaderboard its players are rated in
 * @param gameOptions {@code params.GameOptions}, empty if none
 * @param pools       its map pools with their rating brackets, in database order
 * @param readyCheck  whether a found match waits for every player's {@code match_ready} before it launches
 */
public record QueueDef(int id, String name, int teamSize, String featuredMod, String leaderboard,
                       JsonObject gameOptions, List<MapPool> pools, boolean readyCheck) {

  public QueueDef {
    gameOptions = gameOptions == null ? new JsonObject() : gameOptions;
    pools = List.copyOf(pools);
  }

  /** A queue without a ready check. */
  public QueueDef(int id, String name, int teamSize, String featuredMod, String leaderboard,
                  JsonObject gameOptions, List<MapPool> pools) {
    this(id, name, teamSize, featuredMod, leaderboard, gameOptions, pools, false);
  }

  /**
   * One map pool of a queue.
   *
   * @param id        {@code matchmaker_queue_map_pool.id}
   * @param minRating lowest mean displayed rating it serves (null = open)
   * @param maxRating highest mean displayed rating it serves (null = open)
   * @param maps      its entries
   * @param vetoTokensPerPlayer  veto tokens a player may spend in this bracket (0 = no vetoes)
   * @param maxTokensPerMap      most tokens one player may put on one map (0 = dynamic, see {@link Vetoes})
   * @param minimumMapsAfterVeto how many maps' worth of weight the dynamic limit keeps playable
   */
  public record MapPool(int id, Double minRating, Double maxRating, List<PoolMap> maps, int vetoTokensPerPlayer,
                        double maxTokensPerMap, double minimumMapsAfterVeto) {

    public MapPool {
      maps = List.copyOf(maps);
    }

    /** A pool without vetoes. */
    public MapPool(int id, Double minRating, Double maxRating, List<PoolMap> maps) {
      this(id, minRating, maxRating, maps, 0, 0, 1);
    }

    /** Its entry {@code entryId}, or null. */
    public PoolMap map(int entryId) {
      return maps.stream().filter(m -> m.id() == entryId).findFirst().orElse(null);
    }

    /** Whether the pool's inclusive bracket holds {@code rating}. */
    public boolean serves(double rating) {
      return (minRating == null || rating >= minRating) && (maxRating == null || rating <= maxRating);
    }
  }

  /**
   * One entry of a map pool.
   *
   * @param id       {@code map_pool_map_version.id}
   * @param folder   the map's folder name (filename without {@code maps/} and {@code .zip}); null for a generated map
   * @param weight   relative chance of being picked
   * @param params   {@code map_params} (neroxis generator settings), null for a fixed map
   */
  public record PoolMap(int id, String folder, int weight, JsonObject params) {
  }

  /** The folder of a map file name: {@code maps/scmp_007.zip} → {@code scmp_007}. */
  public static String folderOf(String filename) {
    if (filename == null) {
      return null;
    }
    String f = filename;
    int slash = f.lastIndexOf('/');
    if (slash >= 0) {
      f = f.substring(slash + 1);
    }
    if (f.endsWith(".zip")) {
      f = f.substring(0, f.length() - 4);
    }
    return f;
  }
}
