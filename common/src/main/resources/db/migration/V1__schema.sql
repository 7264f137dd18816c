-- Accounts shared by both protocols: an integer id (FAF player id) and a ULID (CL Omega id).
CREATE TABLE account (
  id            SERIAL PRIMARY KEY,
  ulid          CHAR(26)     NOT NULL UNIQUE,
  login         VARCHAR(20)  NOT NULL,
  email         VARCHAR(320) NOT NULL,
  -- argon2id hash of the lower-case sha256 hex of the password
  password_hash TEXT         NOT NULL,
  -- CL Omega user state bits: 1 welcome mail sent, 2 active/verified, 4 blocked, 8 banned, 128 admin
  state         SMALLINT     NOT NULL DEFAULT 2,
  ip            VARCHAR(64),
  user_agent    TEXT,
  last_login    TIMESTAMPTZ,
  create_time   TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX account_login_unique ON account (lower(login));
CREATE UNIQUE INDEX account_email_unique ON account (lower(email));

-- Groups and permissions
CREATE TABLE user_group (
  id              SERIAL PRIMARY KEY,
  technical_name  VARCHAR(100) NOT NULL UNIQUE,
  name_key        VARCHAR(100) NOT NULL,
  parent_group_id INT REFERENCES user_group (id),
  public          BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE user_group_assignment (
  user_id  INT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  group_id INT NOT NULL REFERENCES user_group (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, group_id)
);
CREATE TABLE group_permission (
  id             SERIAL PRIMARY KEY,
  technical_name VARCHAR(100) NOT NULL UNIQUE,
  name_key       VARCHAR(100) NOT NULL
);
CREATE TABLE group_permission_assignment (
  group_id      INT NOT NULL REFERENCES user_group (id) ON DELETE CASCADE,
  permission_id INT NOT NULL REFERENCES group_permission (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, permission_id)
);

-- Bans (the lobby only honours level GLOBAL that is neither revoked nor expired)
CREATE TABLE ban (
  id                SERIAL PRIMARY KEY,
  player_id         INT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  author_id         INT REFERENCES account (id),
  reason            TEXT NOT NULL,
  level             VARCHAR(10) NOT NULL DEFAULT 'GLOBAL' CHECK (level IN ('CHAT', 'GLOBAL')),
  expires_at        TIMESTAMPTZ,
  revoke_reason     TEXT,
  revoke_author_id  INT REFERENCES account (id),
  revoke_time       TIMESTAMPTZ,
  create_time       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ban_player ON ban (player_id);

-- Clans
CREATE TABLE clan (
  id          SERIAL PRIMARY KEY,
  name        VARCHAR(40) NOT NULL UNIQUE,
  tag         VARCHAR(3)  NOT NULL UNIQUE,
  founder_id  INT REFERENCES account (id),
  leader_id   INT REFERENCES account (id),
  description TEXT,
  create_time TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE clan_membership (
  clan_id     INT NOT NULL REFERENCES clan (id) ON DELETE CASCADE,
  player_id   INT NOT NULL UNIQUE REFERENCES account (id) ON DELETE CASCADE,
  create_time TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (clan_id, player_id)
);

-- Avatars
CREATE TABLE avatars_list (
  id      SERIAL PRIMARY KEY,
  url     VARCHAR(255) NOT NULL UNIQUE,
  tooltip VARCHAR(255)
);
CREATE TABLE avatars (
  id          SERIAL PRIMARY KEY,
  user_id     INT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  avatar_id   INT NOT NULL REFERENCES avatars_list (id) ON DELETE CASCADE,
  selected    BOOLEAN NOT NULL DEFAULT false,
  expires_at  TIMESTAMPTZ,
  create_time TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (user_id, avatar_id)
);

-- Friends and foes
CREATE TABLE friends_and_foes (
  user_id    INT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  subject_id INT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  status     VARCHAR(6) NOT NULL CHECK (status IN ('FRIEND', 'FOE')),
  PRIMARY KEY (user_id, subject_id)
);

-- Ratings
CREATE TABLE leaderboard (
  id              SERIAL PRIMARY KEY,
  technical_name  VARCHAR(64) NOT NULL UNIQUE,
  name_key        VARCHAR(100) NOT NULL,
  description_key VARCHAR(100) NOT NULL,
  initializer_id  INT REFERENCES leaderboard (id)
);
CREATE TABLE leaderboard_rating (
  id             SERIAL PRIMARY KEY,
  login_id       INT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  leaderboard_id INT NOT NULL REFERENCES leaderboard (id),
  mean           DOUBLE PRECISION NOT NULL,
  deviation      DOUBLE PRECISION NOT NULL,
  rating         DOUBLE PRECISION GENERATED ALWAYS AS (mean - 3 * deviation) STORED,
  total_games    INT NOT NULL DEFAULT 0,
  won_games      INT NOT NULL DEFAULT 0,
  update_time    TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (login_id, leaderboard_id)
);

-- Featured mods, maps and mods
CREATE TABLE game_featured_mods (
  id          SERIAL PRIMARY KEY,
  gamemod     VARCHAR(50) NOT NULL UNIQUE,
  name        VARCHAR(255) NOT NULL,
  description TEXT,
  publish     BOOLEAN NOT NULL DEFAULT true,
  ordering    INT NOT NULL DEFAULT 0
);
CREATE TABLE map (
  id           SERIAL PRIMARY KEY,
  display_name VARCHAR(100) NOT NULL UNIQUE,
  map_type     VARCHAR(15) NOT NULL DEFAULT 'skirmish',
  battle_type  VARCHAR(15) NOT NULL DEFAULT 'FFA',
  author       INT REFERENCES account (id),
  create_time  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE map_version (
  id          SERIAL PRIMARY KEY,
  map_id      INT NOT NULL REFERENCES map (id) ON DELETE CASCADE,
  description TEXT,
  max_players INT NOT NULL,
  width       INT NOT NULL,
  height      INT NOT NULL,
  version     INT NOT NULL,
  filename    VARCHAR(200) NOT NULL UNIQUE,
  ranked      BOOLEAN NOT NULL DEFAULT true,
  hidden      BOOLEAN NOT NULL DEFAULT false,
  create_time TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE mod (
  id           SERIAL PRIMARY KEY,
  display_name VARCHAR(100) NOT NULL,
  author       VARCHAR(100) NOT NULL,
  uploader     INT REFERENCES account (id),
  create_time  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE mod_version (
  id          SERIAL PRIMARY KEY,
  mod_id      INT NOT NULL REFERENCES mod (id) ON DELETE CASCADE,
  uid         VARCHAR(40) NOT NULL UNIQUE,
  type        VARCHAR(3) NOT NULL DEFAULT 'SIM' CHECK (type IN ('SIM', 'UI')),
  description TEXT,
  version     INT NOT NULL,
  filename    VARCHAR(255) NOT NULL,
  icon        VARCHAR(255),
  ranked      BOOLEAN NOT NULL DEFAULT false,
  hidden      BOOLEAN NOT NULL DEFAULT false,
  create_time TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE mod_stats (
  mod_id       INT PRIMARY KEY REFERENCES mod (id) ON DELETE CASCADE,
  likes        INT NOT NULL DEFAULT 0,
  likers       INT[] NOT NULL DEFAULT '{}',
  downloads    INT NOT NULL DEFAULT 0,
  times_played INT NOT NULL DEFAULT 0
);

-- Games and results (ids are assigned by the games service, not by a sequence)
CREATE TABLE game_stats (
  id          BIGINT PRIMARY KEY,
  start_time  TIMESTAMPTZ NOT NULL DEFAULT now(),
  end_time    TIMESTAMPTZ,
  game_type   VARCHAR(20) NOT NULL DEFAULT 'demoralization',
  game_mod    INT NOT NULL REFERENCES game_featured_mods (id),
  host        INT NOT NULL REFERENCES account (id),
  map_id      INT REFERENCES map_version (id),
  game_name   VARCHAR(128) NOT NULL,
  validity    SMALLINT NOT NULL DEFAULT 0,
  replay_ticks BIGINT
);
CREATE TABLE game_player_stats (
  id              BIGSERIAL PRIMARY KEY,
  game_id         BIGINT NOT NULL REFERENCES game_stats (id) ON DELETE CASCADE,
  player_id       INT NOT NULL REFERENCES account (id),
  ai              BOOLEAN NOT NULL DEFAULT false,
  faction         SMALLINT NOT NULL,
  color           SMALLINT NOT NULL,
  team            SMALLINT NOT NULL,
  place           SMALLINT NOT NULL,
  mean            DOUBLE PRECISION,
  deviation       DOUBLE PRECISION,
  after_mean      DOUBLE PRECISION,
  after_deviation DOUBLE PRECISION,
  score           SMALLINT,
  score_time      TIMESTAMPTZ,
  result          VARCHAR(20),
  UNIQUE (game_id, player_id)
);
CREATE INDEX game_player_stats_player ON game_player_stats (player_id);
CREATE TABLE leaderboard_rating_journal (
  id                      BIGSERIAL PRIMARY KEY,
  game_player_stats_id    BIGINT NOT NULL REFERENCES game_player_stats (id) ON DELETE CASCADE,
  leaderboard_id          INT NOT NULL REFERENCES leaderboard (id),
  rating_mean_before      DOUBLE PRECISION NOT NULL,
  rating_deviation_before DOUBLE PRECISION NOT NULL,
  rating_mean_after       DOUBLE PRECISION NOT NULL,
  rating_deviation_after  DOUBLE PRECISION NOT NULL,
  create_time             TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX leaderboard_rating_journal_leaderboard ON leaderboard_rating_journal (leaderboard_id, id);

-- Matchmaker
CREATE TABLE map_pool (
  id   SERIAL PRIMARY KEY,
  name VARCHAR(255) NOT NULL UNIQUE
);
CREATE TABLE map_pool_map_version (
  id             SERIAL PRIMARY KEY,
  map_pool_id    INT NOT NULL REFERENCES map_pool (id) ON DELETE CASCADE,
  map_version_id INT REFERENCES map_version (id),
  weight         INT NOT NULL DEFAULT 1,
  map_params     JSONB,
  CHECK (map_version_id IS NOT NULL OR map_params IS NOT NULL)
);
CREATE TABLE matchmaker_queue (
  id               SERIAL PRIMARY KEY,
  technical_name   VARCHAR(255) NOT NULL UNIQUE,
  featured_mod_id  INT NOT NULL REFERENCES game_featured_mods (id),
  leaderboard_id   INT NOT NULL REFERENCES leaderboard (id),
  name_key         VARCHAR(255) NOT NULL,
  team_size        INT NOT NULL,
  params           JSONB,
  enabled          BOOLEAN NOT NULL DEFAULT true,
  ready_check      BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE matchmaker_queue_map_pool (
  id                      SERIAL PRIMARY KEY,
  matchmaker_queue_id     INT NOT NULL REFERENCES matchmaker_queue (id) ON DELETE CASCADE,
  map_pool_id             INT NOT NULL REFERENCES map_pool (id) ON DELETE CASCADE,
  min_rating              DOUBLE PRECISION,
  max_rating              DOUBLE PRECISION,
  veto_tokens_per_player  INT NOT NULL DEFAULT 0,
  max_tokens_per_map      DOUBLE PRECISION NOT NULL DEFAULT 0,
  minimum_maps_after_veto DOUBLE PRECISION NOT NULL DEFAULT 1
);
CREATE TABLE matchmaker_queue_game (
  matchmaker_queue_id INT NOT NULL REFERENCES matchmaker_queue (id) ON DELETE CASCADE,
  game_stats_id       BIGINT NOT NULL REFERENCES game_stats (id) ON DELETE CASCADE,
  PRIMARY KEY (matchmaker_queue_id, game_stats_id)
);
-- Matchmaker violations persist so that time-outs survive re-login and node changes
CREATE TABLE matchmaker_violation (
  player_id   INT PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
  count       INT NOT NULL,
  last_time   TIMESTAMPTZ NOT NULL,
  banned_until TIMESTAMPTZ
);

-- Coop and teamkills
CREATE TABLE coop_map (
  id          SERIAL PRIMARY KEY,
  type        SMALLINT NOT NULL,
  name        VARCHAR(40) NOT NULL,
  description TEXT,
  version     INT NOT NULL DEFAULT 0,
  filename    VARCHAR(200) NOT NULL UNIQUE
);
CREATE TABLE coop_leaderboard (
  id           SERIAL PRIMARY KEY,
  mission      INT NOT NULL REFERENCES coop_map (id) ON DELETE CASCADE,
  gameuid      BIGINT NOT NULL UNIQUE REFERENCES game_stats (id) ON DELETE CASCADE,
  secondary    BOOLEAN NOT NULL,
  time         INTERVAL NOT NULL,
  player_count SMALLINT NOT NULL
);
CREATE TABLE teamkills (
  id          SERIAL PRIMARY KEY,
  teamkiller  INT NOT NULL REFERENCES account (id),
  victim      INT NOT NULL REFERENCES account (id),
  game_id     BIGINT NOT NULL REFERENCES game_stats (id) ON DELETE CASCADE,
  gametime    INT NOT NULL,
  reported_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- CL Omega: developers, games (UGI), their allowed origins, session tokens
CREATE TABLE developers (
  id          CHAR(26) PRIMARY KEY,
  name        VARCHAR(100) NOT NULL,
  state       SMALLINT NOT NULL DEFAULT 3,
  create_time TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE developer_members (
  developer_id CHAR(26) NOT NULL REFERENCES developers (id) ON DELETE CASCADE,
  account_id   INT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  state        SMALLINT NOT NULL DEFAULT 129,
  PRIMARY KEY (developer_id, account_id)
);
CREATE TABLE games (
  id           CHAR(26) PRIMARY KEY,
  developer_id CHAR(26) NOT NULL REFERENCES developers (id) ON DELETE CASCADE,
  name         VARCHAR(100) NOT NULL,
  description  TEXT,
  state        SMALLINT NOT NULL DEFAULT 3,
  create_time  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE games_authorized_origins (
  game_id CHAR(26) NOT NULL REFERENCES games (id) ON DELETE CASCADE,
  origin  VARCHAR(255) NOT NULL,
  PRIMARY KEY (game_id, origin)
);
CREATE TABLE sessions (
  id          CHAR(26) PRIMARY KEY,
  account_id  INT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  state       SMALLINT NOT NULL DEFAULT 1,
  created     TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires     TIMESTAMPTZ NOT NULL,
  -- Origin header of the login request; NULL = not bound to an origin
  origin      VARCHAR(255)
);
CREATE INDEX sessions_account ON sessions (account_id);

-- The RS256 key that signs FAF access tokens; one row, shared by every node of the cluster
CREATE TABLE signing_key (
  id          SMALLINT PRIMARY KEY CHECK (id = 1),
  kid         VARCHAR(64) NOT NULL,
  private_pem TEXT NOT NULL,
  public_pem  TEXT NOT NULL,
  create_time TIMESTAMPTZ NOT NULL DEFAULT now()
);
