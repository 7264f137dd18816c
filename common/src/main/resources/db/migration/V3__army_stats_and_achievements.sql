-- Army statistics a game reports at its end (GPGNet JsonStats), one row per army and game: the raw stats
-- object as the game sent it, plus the few fields the achievement rules read.
CREATE TABLE game_army_stats (
  game_id         BIGINT      NOT NULL REFERENCES game_stats (id) ON DELETE CASCADE,
  army_name       VARCHAR(128) NOT NULL,
  -- the player of this army (null for AI and civilian armies, or a name not among the game's players)
  player_id       INT         REFERENCES account (id),
  ai              BOOLEAN     NOT NULL,
  faction         SMALLINT    NOT NULL,
  score           INT         NOT NULL,
  units_built     INT         NOT NULL,
  commander_kills INT         NOT NULL,
  stats           JSONB       NOT NULL,
  -- PENDING: counts for achievements once the player's result is known; DONE: evaluated; SKIPPED: does not count
  achievements    VARCHAR(10) NOT NULL CHECK (achievements IN ('PENDING', 'DONE', 'SKIPPED')),
  reported_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (game_id, army_name)
);
CREATE INDEX game_army_stats_player ON game_army_stats (player_id);

-- Achievements: STANDARD ones are unlocked at once, INCREMENTAL ones when their steps reach total_steps.
CREATE TABLE achievement_definition (
  id          VARCHAR(64)  PRIMARY KEY,
  name        VARCHAR(100) NOT NULL,
  description TEXT         NOT NULL,
  type        VARCHAR(20)  NOT NULL CHECK (type IN ('STANDARD', 'INCREMENTAL')),
  total_steps INT          CHECK ((type = 'STANDARD') = (total_steps IS NULL))
);
INSERT INTO achievement_definition (id, name, description, type, total_steps) VALUES
  ('first_victory', 'First victory', 'Win a game against another player.', 'STANDARD', NULL),
  ('industrialist', 'Industrialist', 'Build 100 units in one game.', 'STANDARD', NULL),
  ('commander_hunter', 'Commander hunter', 'Destroy 10 enemy commanders.', 'INCREMENTAL', 10),
  ('faction_tour', 'Faction tour', 'Play a game with each of UEF, Aeon, Cybran and Seraphim.', 'INCREMENTAL', 4);

CREATE TABLE player_achievements (
  player_id      INT         NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  achievement_id VARCHAR(64) NOT NULL REFERENCES achievement_definition (id),
  -- null for STANDARD achievements
  current_steps  INT,
  state          VARCHAR(20) NOT NULL CHECK (state IN ('REVEALED', 'UNLOCKED')),
  create_time    TIMESTAMPTZ NOT NULL DEFAULT now(),
  update_time    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (player_id, achievement_id)
);
