package dev.skirmish.common;

/**
 * Every configuration key the node understands, with its default. Values come from the environment,
 * then from the JSON config file named by {@code CONFIG_FILE}, then from the default here.
 */
public enum Setting {
  CONFIG_FILE("", "Path of a JSON file whose keys are these variable names; environment variables win over it."),
  HTTP_HOST("0.0.0.0", "Interface the HTTP/WebSocket server binds."),
  HTTP_PORT("8080", "HTTP + WebSocket port (FAF /lobby, CL Omega /api/v0/signaling, REST, health, metrics). 0 picks a free port."),
  MANAGEMENT_PORT("9090", "Management port of every node, whatever its roles: /health, /ready and /metrics. 0 picks a free port, -1 disables it."),
  MANAGEMENT_HOST("0.0.0.0", "Interface the management port binds."),
  FAF_TCP_PORT("8002", "FAF legacy newline-delimited JSON TCP port. 0 picks a free port, -1 disables it."),
  ROLES("gateway,games,matchmaker,party,signaling", "Comma list of services this node runs."),
  DATABASE_URL("", "postgresql://user:password@host:port/db of an external PostgreSQL; unset starts an embedded PostgreSQL."),
  DATABASE_POOL_SIZE("8", "Connections in the node's PostgreSQL pool."),
  DATABASE_CONNECT_TIMEOUT_MS("3000", "Longest wait to open a connection to PostgreSQL, and for a free connection of the pool; a command that waited longer is refused as unavailable."),
  DATABASE_IDLE_TIMEOUT_SECONDS("60", "A pooled PostgreSQL connection unused for this long is closed (0 = never)."),
  DATABASE_MAX_LIFETIME_SECONDS("1800", "A pooled PostgreSQL connection is closed after this long, used or not (0 = never), so none outlives a database restart or fail-over for long."),
  DATABASE_PROBE_MS("2000", "Interval of the SELECT 1 probe behind /ready (a query failing for want of the database also probes at once)."),
  DATABASE_PROBE_TIMEOUT_MS("2000", "A probe not answered within this counts as a failure: /ready answers 503 until one is answered."),
  EMBEDDED_PG_DIR("data/postgres", "Data directory of the embedded PostgreSQL; kept across restarts."),
  EMBEDDED_PG_PORT("0", "Port of the embedded PostgreSQL (0 = any free port)."),
  CLUSTER("false", "true joins the Hazelcast cluster; false runs standalone with a local event bus."),
  CLUSTER_NAME("skirmish", "Hazelcast cluster name; nodes only join a cluster of the same name."),
  CLUSTER_CONFIG("", "Path of a Hazelcast XML config; unset uses the bundled cluster.xml (TCP-IP join on loopback)."),
  CLUSTER_MEMBERS("127.0.0.1", "Comma list of Hazelcast members (host or host:port) for TCP-IP join."),
  CLUSTER_PORT("5701", "First Hazelcast port this member tries (it auto-increments when taken)."),
  CLUSTER_KUBERNETES_SERVICE("", "Kubernetes service name: when set, Hazelcast discovers members through the Kubernetes API instead of TCP-IP."),
  EVENTBUS_HOST("127.0.0.1", "Host the clustered event bus binds."),
  EVENTBUS_PUBLIC_HOST("", "Host other nodes use to reach this node's event bus (defaults to EVENTBUS_HOST)."),
  CLUSTER_INTERFACE("127.0.0.1", "Address of this host that Hazelcast binds and advertises; 0.0.0.0 binds every interface (and advertises the one Hazelcast picks)."),
  CLUSTER_INSECURE("false", "true lets a clustered node start although its Hazelcast or event-bus port is reachable on a public address (the cluster protocol has no member authentication)."),
  EVENTBUS_TLS_CERT("", "PEM certificate chain of this node for the clustered event bus; with EVENTBUS_TLS_KEY and EVENTBUS_TLS_CA it switches the event bus to mutual TLS."),
  EVENTBUS_TLS_KEY("", "PEM private key (PKCS#8) matching EVENTBUS_TLS_CERT."),
  EVENTBUS_TLS_CA("", "PEM certificate(s) of the authority that signed every node's event-bus certificate; peers without one are refused."),
  JWT_ISSUER("skirmish", "iss claim of the access tokens this node issues."),
  JWT_LIFETIME_SECONDS("3600", "Lifetime of FAF access tokens from /oauth2/token."),
  JWKS_URL("", "JWKS of an external token issuer whose RS256 tokens FAF auth also accepts."),
  JWKS_REFRESH_SECONDS("600", "How often the external JWKS is fetched again."),
  FAF_PING_INTERVAL_SECONDS("45", "Interval of the server ping to logged-in FAF clients."),
  FAF_LOGIN_TIMEOUT_SECONDS("30", "A FAF connection that has not logged in after this long is closed (the deadline for a successful hello or auth)."),
  FAF_ALLOW_PASSWORD_LOGIN("true", "Whether the legacy FAF hello (login + sha256 password) is accepted."),
  MAX_MESSAGE_BYTES("1048576", "Largest inbound protocol message (FAF line or CL Omega frame); larger ones are refused."),
  OMEGA_TOKEN_LIFETIME_SECONDS("86400", "Lifetime of CL Omega session tokens from /api/v0/login."),
  JWT_LEEWAY_SECONDS("30", "Clock skew allowed when FAF auth checks a token's exp, nbf and iat."),
  JWKS_ISSUER("", "iss that tokens signed by a key of JWKS_URL must carry; unset accepts any iss from those keys (tokens signed by this node's key must carry JWT_ISSUER)."),
  AUTH_REQUESTS_PER_IP("30", "Requests to /oauth2/token, /api/v0/login and /api/v0/register plus FAF hello logins one IP address may make per AUTH_REQUEST_WINDOW_SECONDS (per gateway node); beyond that 429 with Retry-After."),
  AUTH_REQUEST_WINDOW_SECONDS("60", "Window of AUTH_REQUESTS_PER_IP."),
  LOGIN_FAILURES_PER_ACCOUNT("10", "Wrong passwords one account may get per LOGIN_FAILURE_WINDOW_SECONDS (per gateway node); then its logins are refused until the window ends."),
  LOGIN_FAILURE_WINDOW_SECONDS("300", "Window of LOGIN_FAILURES_PER_ACCOUNT."),
  PASSWORD_HASH_THREADS("2", "Worker threads that hash and check passwords (Argon2id), apart from every other worker."),
  PASSWORD_HASH_QUEUE("32", "Password checks that may wait for a hashing thread; beyond that a login is refused at once (503 / FAF notice)."),
  OMEGA_INIT_TIMEOUT_SECONDS("30", "A CL Omega socket that has not completed INIT after this long gets VIOLATION and is closed."),
  IDLE_TIMEOUT_SECONDS("300", "A connection of either protocol that sends nothing for this long is closed (FAF: error notice; CL Omega: VIOLATION)."),
  MAX_CONNECTIONS_PER_IP("32", "Open connections (FAF WebSocket and TCP, CL Omega) one IP address may hold on one gateway node."),
  INBOUND_MESSAGES_PER_SECOND("20", "Average rate of inbound messages one connection may send (token bucket); beyond it messages are dropped with a warning."),
  INBOUND_MESSAGE_BURST("100", "Bucket size of INBOUND_MESSAGES_PER_SECOND; a connection that goes on sending until another burst has been dropped is closed."),
  SLOW_CLIENT_QUEUE_BYTES("4194304", "Bytes that may pile up for a connection whose socket's write queue is full (a client that does not read) before it is dropped."),
  SLOW_CLIENT_TIMEOUT_SECONDS("30", "Time a connection's write queue may stay full before the client is dropped."),
  PASSWORD_HASH_MEMORY_KIB("19456", "Argon2id memory cost in KiB."),
  PASSWORD_HASH_ITERATIONS("2", "Argon2id iterations."),
  GAME_SETUP_TIMEOUT_SECONDS("30", "A custom FAF game whose host has not opened its lobby after this long is closed."),
  COOP_SETUP_TIMEOUT_SECONDS("60", "The same set-up time-out for coop games."),
  MATCH_HOST_TIMEOUT_SECONDS("60", "A matchmade game's host must open the lobby within this long, or the match is cancelled."),
  MATCH_LAUNCH_TIMEOUT_SECONDS("60", "After the host's lobby opens, a matchmade game must launch within this long plus 10 s per guest."),
  GAME_DEADLINE_SWEEP_MS("1000", "Interval at which every games node applies the FAF set-up deadlines that have passed and takes over the end records of games whose writer was lost."),
  GAME_RECORD_RETRY_MS("1000", "First wait before the end records of a FAF game are written again after a database error; it doubles on each failure, up to half of GAME_RECORD_LEASE_MS."),
  GAME_RECORD_LEASE_MS("30000", "How long the games node writing a FAF game's end records holds the game before another games node may take the writing over (renewed at each retry); also how often a games node looks at a game without a pending deadline."),
  GAME_INFO_TICK_MS("1000", "Interval at which games nodes publish the FAF games they changed to the gateways."),
  GAME_TITLE_MAX_LENGTH("128", "Longest FAF game title (game_host title, GameOption Title); longer ones get an error notice."),
  GAME_PASSWORD_MAX_LENGTH("64", "Longest FAF game password at game_host."),
  GAME_MAP_MAX_LENGTH("128", "Longest FAF map name (game_host mapname, the map folder of GameOption ScenarioFile)."),
  GAME_OPTION_KEY_MAX_LENGTH("128", "Longest key of a GameOption, PlayerOption or AIOption, and longest AI name."),
  GAME_OPTION_VALUE_MAX_LENGTH("1024", "Longest value of a GameOption, PlayerOption or AIOption (strings; other JSON values as encoded)."),
  GAME_OPTIONS_MAX("256", "Most keys a FAF game stores in each option map: game options, each slot's options, and the players and AIs with slot options."),
  GAME_MODS_MAX("64", "Most sim mods in one GameMods message."),
  GAME_MOD_UID_MAX_LENGTH("64", "Longest sim mod uid in GameMods."),
  GPGNET_ARGS_MAX("16", "Most arguments of a GPGNet message from a game."),
  GPGNET_ARG_MAX_LENGTH("16384", "Longest argument of a GPGNet message from a game (JSON values as encoded); JsonStats is bounded by MAX_MESSAGE_BYTES only."),
  GAMES_HOSTED_MAX("1", "Most FAF games one account may host at the same time."),
  PRESENCE_TICK_MS("1000", "Interval of the FAF presence tick: each gateway sends its clients the changed players (one player_info), the changed games they may see (game_info) and the changed queues (one matchmaker_info)."),
  GEOIP_DB("", "Path of a MaxMind/DB-IP country database (.mmdb) for the country of FAF players; unset sends an empty country."),
  FAF_DISABLED_COMMANDS("", "Comma list of FAF lobby commands the operator has switched off; clients get {command: disabled, request: <command>}."),
  MATCHMAKER_POP_MIN_SECONDS("15", "Shortest wait between two pops of a matchmaker queue."),
  MATCHMAKER_READY_SECONDS("15", "Time the players of a match found in a queue with a ready check have to answer match_ready."),
  MATCHMAKER_POP_MAX_SECONDS("90", "Longest wait between two pops of a matchmaker queue (the first pop comes after half of it)."),
  OMEGA_LOBBY_NAME_MAX("64", "Longest CL Omega lobby name (lobby_id of CONFIG_HOST and CONFIG_PEER, the LOBBY_INFO payload), in characters."),
  OMEGA_PASSWORD_MAX("128", "Longest CL Omega lobby password (CONFIG_HOST, CONFIG_PEER), in characters."),
  OMEGA_PUBKEY_MAX("1024", "Longest CL Omega pubkey a lobby member offers (CONFIG_HOST, CONFIG_PEER), in characters."),
  OMEGA_MAX_PEERS("100", "Largest max_peers of a CL Omega lobby (CONFIG_HOST, SIZE); 0, unlimited, stays allowed."),
  OMEGA_SDP_MAX_BYTES("32768", "Largest MAKE_OFFER or MAKE_ANSWER payload relayed, in bytes of its JSON text."),
  OMEGA_ICE_MAX_BYTES("4096", "Largest ICE payload relayed, in bytes of its JSON text."),
  FAF_PARTY_MAX_MEMBERS("8", "Most members of a FAF party, its owner included: a full party can neither invite nor be joined."),
  FAF_PARTY_MAX_INVITES("8", "Most pending invites a FAF party owner may have out at once."),
  REQUEST_TIMEOUT_MS("5000", "Time-out of event-bus requests between services."),
  EVENT_RETRY_SECONDS("120", "How long an event a service must act on (a player offline, a socket closed, a failed match, a changed party) is retried until a node of that service acknowledges it."),
  EVENT_REPLY_TIMEOUT_MS("10000", "Time one attempt of such an event waits for the handling node's acknowledgement before it is sent again."),
  CORS_ORIGINS_REFRESH_SECONDS("60", "Longest time a gateway node answers CORS from its cached list of the origins registered for CL Omega games without reading it again (registry changes made through the REST API refresh every node at once; this bounds changes made in the database directly). At least 1."),
  CORS_MAX_AGE_SECONDS("600", "Access-Control-Max-Age of the CORS preflight answers of /api/v0/login and /api/v0/register: how long a browser may reuse one."),
  METRICS_ENABLED("true", "Expose Prometheus metrics on /metrics.");

  private final String defaultValue;
  private final String description;

  Setting(String defaultValue, String description) {
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }
}
