-- Reference data of every install: FAF permissions and groups, leaderboards, featured mods, the stock maps with
-- the matchmaker's map pools and queues (ladder1v1, tmm2v2), and the coop missions. Operators change them with
-- SQL. Demo data (the CL Omega demo developer and game) is not here: see db/seed/development.sql (DEV_SEED).

INSERT INTO group_permission (technical_name, name_key) VALUES
  ('ADMIN_KICK_SERVER', 'permission.kickServer'),
  ('ADMIN_BROADCAST_MESSAGE', 'permission.broadcastMessage'),
  ('ADMIN_JOIN_CHANNEL', 'permission.joinChannel');

INSERT INTO user_group (technical_name, name_key) VALUES
  ('faf_server_administrators', 'userGroup.serverAdministrators'),
  ('faf_moderators_global', 'userGroup.globalModerators');

INSERT INTO group_permission_assignment (group_id, permission_id)
SELECT g.id, p.id FROM user_group g, group_permission p
WHERE g.technical_name = 'faf_server_administrators'
   OR (g.technical_name = 'faf_moderators_global' AND p.technical_name IN ('ADMIN_KICK_SERVER', 'ADMIN_JOIN_CHANNEL'));

INSERT INTO leaderboard (technical_name, name_key, description_key) VALUES
  ('global', 'leaderboard.global.name', 'leaderboard.global.desc'),
  ('ladder_1v1', 'leaderboard.ladder_1v1.name', 'leaderboard.ladder_1v1.desc');
INSERT INTO leaderboard (technical_name, name_key, description_key, initializer_id)
SELECT 'tmm_2v2', 'leaderboard.tmm_2v2.name', 'leaderboard.tmm_2v2.desc', id FROM leaderboard WHERE technical_name = 'global';

INSERT INTO game_featured_mods (gamemod, name, description, ordering) VALUES
  ('faf', 'FAF', 'Forged Alliance Forever', 0),
  ('ladder1v1', 'Ladder 1v1', 'Rated 1v1 matchmaker games', 1),
  ('coop', 'Coop', 'Campaign missions played together', 2),
  ('fafbeta', 'FAF Beta', 'The next balance patch, for testing', 3),
  ('fafdevelop', 'FAF Develop', 'The development branch of the game code', 4),
  ('nomads', 'Nomads', 'The Nomads faction', 5);

INSERT INTO map (display_name, map_type, battle_type) VALUES
  ('Burial Mounds', 'skirmish', 'FFA'),
  ('Concord Lake', 'skirmish', 'FFA'),
  ('Drake''s Ravine', 'skirmish', 'FFA'),
  ('Emerald Crater', 'skirmish', 'FFA'),
  ('Gentleman''s Reef', 'skirmish', 'FFA'),
  ('Ian''s Cross', 'skirmish', 'FFA'),
  ('Open Palms', 'skirmish', 'FFA'),
  ('Seraphim Glaciers', 'skirmish', 'FFA'),
  ('Seton''s Clutch', 'skirmish', 'FFA'),
  ('Sung Island', 'skirmish', 'FFA'),
  ('The Great Void', 'skirmish', 'FFA'),
  ('Theta Passage', 'skirmish', 'FFA'),
  ('Winter Duel', 'skirmish', 'FFA'),
  ('The Bermuda Locket', 'skirmish', 'FFA'),
  ('Fields of Isis', 'skirmish', 'FFA'),
  ('Canis River', 'skirmish', 'FFA'),
  ('Syrtis Major', 'skirmish', 'FFA'),
  ('Haven Reef', 'skirmish', 'FFA'),
  ('The Dark Heart', 'skirmish', 'FFA'),
  ('Daroza''s Sanctuary', 'skirmish', 'FFA'),
  ('Strip Mine', 'skirmish', 'FFA'),
  ('Thawing Glacier', 'skirmish', 'FFA'),
  ('Liberiam Battles', 'skirmish', 'FFA'),
  ('Shards', 'skirmish', 'FFA'),
  ('Shuriken Island', 'skirmish', 'FFA'),
  ('Debris', 'skirmish', 'FFA'),
  ('Flooded Strip Mine', 'skirmish', 'FFA'),
  ('Eye of the Storm', 'skirmish', 'FFA'),
  ('Crossfire Canal', 'skirmish', 'FFA'),
  ('Saltrock Colony', 'skirmish', 'FFA'),
  ('Vya-3 Protectorate', 'skirmish', 'FFA'),
  ('Arctic Refuge', 'skirmish', 'FFA'),
  ('Varga Pass', 'skirmish', 'FFA'),
  ('Crater', 'skirmish', 'FFA'),
  ('Williamson''s Bridge', 'skirmish', 'FFA'),
  ('Snoey Triangle', 'skirmish', 'FFA'),
  ('Four-Leaf Clover', 'skirmish', 'FFA'),
  ('The Wilderness', 'skirmish', 'FFA'),
  ('White Fire', 'skirmish', 'FFA'),
  ('High Noon', 'skirmish', 'FFA'),
  ('Paradise', 'skirmish', 'FFA'),
  ('Blasted Rock', 'skirmish', 'FFA'),
  ('Sludge', 'skirmish', 'FFA'),
  ('Ambush Pass', 'skirmish', 'FFA'),
  ('Four-Corners', 'skirmish', 'FFA'),
  ('The Ditch', 'skirmish', 'FFA'),
  ('Crag Dunes', 'skirmish', 'FFA'),
  ('Williamson''s Bridge 2', 'skirmish', 'FFA'),
  ('Frost Mill Ruins', 'skirmish', 'FFA'),
  ('Loki', 'skirmish', 'FFA'),
  ('Fractal Cavern', 'skirmish', 'FFA'),
  ('Finn''s Revenge', 'skirmish', 'FFA'),
  ('Roanoke Abyss', 'skirmish', 'FFA'),
  ('Alpha 7 Quarantine', 'skirmish', 'FFA'),
  ('Arctic Refuge 2', 'skirmish', 'FFA'),
  ('Setons Clutch 2', 'skirmish', 'FFA'),
  ('Twin Rivers', 'skirmish', 'FFA'),
  ('Wonder', 'skirmish', 'FFA'),
  ('Dawn', 'skirmish', 'FFA'),
  ('Mirage', 'skirmish', 'FFA');

-- scmp_001 .. scmp_060, all ranked: (players, size) vary to give the matchmaker realistic pools.
INSERT INTO map_version (map_id, description, max_players, width, height, version, filename, ranked)
SELECT m.id, m.display_name,
       (ARRAY[8, 4, 4, 4, 8, 4, 6, 8, 8, 5, 8, 2, 2, 8, 4, 2])[1 + (m.id - 1) % 16],
       (ARRAY[1024, 256, 512, 512, 1024, 512, 256, 1024, 1024, 512, 1024, 256, 256, 1024, 512, 256])[1 + (m.id - 1) % 16],
       (ARRAY[1024, 256, 512, 512, 1024, 512, 256, 1024, 1024, 512, 1024, 256, 256, 1024, 512, 256])[1 + (m.id - 1) % 16],
       1,
       'maps/scmp_' || lpad(m.id::text, 3, '0') || '.zip',
       true
FROM map m;

INSERT INTO map_pool (name) VALUES ('Ladder 1v1 (below 1000)'), ('Ladder 1v1 (1000 and above)'), ('TMM 2v2');

INSERT INTO map_pool_map_version (map_pool_id, map_version_id, weight)
SELECT p.id, v.id, 1 FROM map_pool p, map_version v
WHERE (p.name = 'Ladder 1v1 (below 1000)' AND v.filename IN
        ('maps/scmp_002.zip', 'maps/scmp_007.zip', 'maps/scmp_012.zip', 'maps/scmp_013.zip', 'maps/scmp_016.zip'))
   OR (p.name = 'Ladder 1v1 (1000 and above)' AND v.filename IN
        ('maps/scmp_013.zip', 'maps/scmp_016.zip', 'maps/scmp_018.zip', 'maps/scmp_028.zip', 'maps/scmp_029.zip', 'maps/scmp_032.zip'))
   OR (p.name = 'TMM 2v2' AND v.filename IN
        ('maps/scmp_003.zip', 'maps/scmp_004.zip', 'maps/scmp_006.zip', 'maps/scmp_015.zip', 'maps/scmp_019.zip', 'maps/scmp_031.zip'));

INSERT INTO matchmaker_queue (technical_name, featured_mod_id, leaderboard_id, name_key, team_size, params)
SELECT 'ladder1v1', f.id, l.id, 'matchmaker.ladder1v1', 1, NULL
FROM game_featured_mods f, leaderboard l WHERE f.gamemod = 'ladder1v1' AND l.technical_name = 'ladder_1v1';
INSERT INTO matchmaker_queue (technical_name, featured_mod_id, leaderboard_id, name_key, team_size, params)
SELECT 'tmm2v2', f.id, l.id, 'matchmaker.tmm2v2', 2, NULL
FROM game_featured_mods f, leaderboard l WHERE f.gamemod = 'faf' AND l.technical_name = 'tmm_2v2';

INSERT INTO matchmaker_queue_map_pool (matchmaker_queue_id, map_pool_id, min_rating, max_rating,
                                       veto_tokens_per_player, max_tokens_per_map, minimum_maps_after_veto)
SELECT q.id, p.id,
       CASE p.name WHEN 'Ladder 1v1 (1000 and above)' THEN 1000 END,
       CASE p.name WHEN 'Ladder 1v1 (below 1000)' THEN 1000 END,
       1, 1, 1
FROM matchmaker_queue q, map_pool p
WHERE (q.technical_name = 'ladder1v1' AND p.name LIKE 'Ladder 1v1%')
   OR (q.technical_name = 'tmm2v2' AND p.name = 'TMM 2v2');

INSERT INTO coop_map (type, name, description, version, filename) VALUES
  (0, 'Black Day', 'Forged Alliance campaign, operation 1', 1, 'maps/x1ca_001.v0001.zip'),
  (0, 'Night Flight', 'Forged Alliance campaign, operation 2', 1, 'maps/x1ca_002.v0001.zip'),
  (0, 'Hidden Moon', 'Forged Alliance campaign, operation 3', 1, 'maps/x1ca_003.v0001.zip'),
  (1, 'Aeon operation 1', 'Aeon vanilla campaign, operation 1', 1, 'maps/scca_a01.v0001.zip'),
  (1, 'Aeon operation 2', 'Aeon vanilla campaign, operation 2', 1, 'maps/scca_a02.v0001.zip'),
  (2, 'Cybran operation 1', 'Cybran vanilla campaign, operation 1', 1, 'maps/scca_r01.v0001.zip'),
  (2, 'Cybran operation 2', 'Cybran vanilla campaign, operation 2', 1, 'maps/scca_r02.v0001.zip'),
  (3, 'UEF operation 1', 'UEF vanilla campaign, operation 1', 1, 'maps/scca_e01.v0001.zip'),
  (3, 'UEF operation 2', 'UEF vanilla campaign, operation 2', 1, 'maps/scca_e02.v0001.zip'),
  (4, 'Tha Atha Zeta', 'A custom mission', 1, 'maps/tha_atha_zeta.v0001.zip');
