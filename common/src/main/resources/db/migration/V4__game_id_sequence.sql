-- FAF game ids come from one sequence, so an id is handed out once for the life of the database: across
-- restarts, across games nodes, and for games that never launched (and so never wrote a game_stats row).
-- It starts above every game id already stored.
CREATE SEQUENCE game_id_seq AS BIGINT MINVALUE 1;

SELECT setval('game_id_seq', GREATEST(
  (SELECT COALESCE(MAX(id), 0) FROM game_stats),
  (SELECT COALESCE(MAX(game_id), 0) FROM game_player_stats),
  (SELECT COALESCE(MAX(game_stats_id), 0) FROM matchmaker_queue_game),
  (SELECT COALESCE(MAX(gameuid), 0) FROM coop_leaderboard),
  (SELECT COALESCE(MAX(game_id), 0) FROM teamkills),
  (SELECT COALESCE(MAX(game_id), 0) FROM game_army_stats)
) + 1, false);
