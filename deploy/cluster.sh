#!/usr/bin/env bash
# A local multi-JVM cluster on loopback: one JVM per node, each with one role, against one PostgreSQL.
#
#   deploy/cluster.sh up [ROLE=N ...]   start (default: gateway=2 games=2 matchmaker=2 party=2 signaling=2)
#   deploy/cluster.sh status            every node: role, pid, alive, ports
#   deploy/cluster.sh kill ROLE [N]     SIGKILL the N-th node of ROLE (default the first one alive)
#   deploy/cluster.sh down              stop every node (SIGTERM, then SIGKILL after 30 s) and the database
#   deploy/cluster.sh database stop     stop the embedded PostgreSQL alone (SIGTERM); the nodes keep running
#   deploy/cluster.sh database start    start it again, on the same port and data directory
#
# The database is the embedded PostgreSQL, started once (`java -jar skirmish-all.jar database`), unless
# DATABASE_URL names one. Gateways listen on HTTP 8080, 8081, ... and FAF TCP 8002, 8003, ...
# (BASE_HTTP_PORT, BASE_FAF_PORT change that); the embedded database listens on DB_PORT (15432). State and
# logs live in CLUSTER_DIR (default .cluster). Other variables of the environment (limits, time-outs) reach
# every node.
# Build first: mvn -B -DskipTests package
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="${JAR:-$ROOT/deploy/target/skirmish-all.jar}"
DIR="${CLUSTER_DIR:-$ROOT/.cluster}"
BASE_HTTP_PORT="${BASE_HTTP_PORT:-8080}"
BASE_FAF_PORT="${BASE_FAF_PORT:-8002}"
HZ_PORT="${CLUSTER_PORT:-5701}"
DB_PORT="${DB_PORT:-15432}"
BASE_MANAGEMENT_PORT="${BASE_MANAGEMENT_PORT:-9090}"
NAME="${CLUSTER_NAME:-skirmish-local}"
READY_SECONDS="${READY_SECONDS:-180}"
JAVA_OPTS="${JAVA_OPTS:--Xmx512m}"
ROLES_ALL="gateway games matchmaker party signaling"

die() { echo "cluster.sh: $*" >&2; exit 1; }

# Waits until FILE contains PATTERN, or the process PID dies, or READY_SECONDS pass.
wait_for() {
  local file="$1" pattern="$2" pid="$3" what="$4" waited=0
  until grep -q "$pattern" "$file" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { tail -20 "$file" >&2; die "$what exited before it was ready (log: $file)"; }
    [ "$waited" -lt "$READY_SECONDS" ] || die "$what not ready after ${READY_SECONDS} s (log: $file)"
    sleep 1
    waited=$((waited + 1))
  done
}

# Starts the embedded PostgreSQL alone (data kept in $DIR/postgres) and waits until it is ready.
start_db() {
  [ ! -f "$DIR/database.log" ] || mv "$DIR/database.log" "$DIR/database.previous.log"
  EMBEDDED_PG_DIR="$DIR/postgres" EMBEDDED_PG_PORT="$DB_PORT" java $JAVA_OPTS -jar "$JAR" database > "$DIR/database.log" 2>&1 &
  local dbpid=$!
  echo "$dbpid" > "$DIR/database.pid"
  wait_for "$DIR/database.log" '^DATABASE_URL=' "$dbpid" "the database"
}

stop_db() {
  [ -f "$DIR/database.pid" ] || return 0
  local dbpid
  dbpid="$(cat "$DIR/database.pid")"
  kill "$dbpid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$dbpid" 2>/dev/null || break; sleep 1; done
  kill -9 "$dbpid" 2>/dev/null || true
  rm -f "$DIR/database.pid"
}

up() {
  [ -f "$JAR" ] || die "no $JAR: build first (mvn -B -DskipTests package)"
  [ ! -s "$DIR/nodes" ] || die "a cluster is already up in $DIR (deploy/cluster.sh down first)"
  mkdir -p "$DIR"
  : > "$DIR/nodes"
  declare -A count=([gateway]=2 [games]=2 [matchmaker]=2 [party]=2 [signaling]=2)
  for arg in "$@"; do
    local role="${arg%%=*}" n="${arg#*=}"
    [[ " $ROLES_ALL " == *" $role "* ]] || die "unknown role $role (roles: $ROLES_ALL)"
    [[ "$n" =~ ^[0-9]+$ ]] || die "$arg: the count must be a number"
    count[$role]=$n
  done

  local url="${DATABASE_URL:-}"
  if [ -z "$url" ]; then
    start_db
    url="$(grep -m1 '^DATABASE_URL=' "$DIR/database.log" | cut -d= -f2-)"
    echo "database: embedded PostgreSQL, pid $(cat "$DIR/database.pid") ($url)"
  else
    echo "database: $url"
  fi

  local total=0 members="" gw=0
  for role in $ROLES_ALL; do total=$((total + count[$role])); done
  for i in $(seq 0 $((total - 1))); do members="${members:+$members,}127.0.0.1:$((HZ_PORT + i))"; done

  local i=0
  for role in $ROLES_ALL; do
    for k in $(seq 1 "${count[$role]}"); do
      local http=0 faf=-1 log="$DIR/$role-$k.log"
      if [ "$role" = gateway ]; then http=$((BASE_HTTP_PORT + gw)); faf=$((BASE_FAF_PORT + gw)); gw=$((gw + 1)); fi
      CLUSTER=true CLUSTER_NAME="$NAME" CLUSTER_PORT=$((HZ_PORT + i)) CLUSTER_MEMBERS="$members" \
        ROLES="$role" HTTP_PORT="$http" FAF_TCP_PORT="$faf" MANAGEMENT_PORT=$((BASE_MANAGEMENT_PORT + i)) DATABASE_URL="$url" \
        java $JAVA_OPTS -jar "$JAR" > "$log" 2>&1 &
      echo "$role $k $! $http $faf $((BASE_MANAGEMENT_PORT + i)) $log" >> "$DIR/nodes"
      i=$((i + 1))
    done
  done
  while read -r role k pid http faf mgmt log; do
    wait_for "$log" "Node .* ready" "$pid" "$role #$k"
  done < "$DIR/nodes"
  echo "cluster $NAME up: $total nodes"
  status
}

status() {
  [ -s "$DIR/nodes" ] || { echo "no cluster in $DIR"; return 0; }
  printf '%-11s %-3s %-8s %-6s %-10s %-9s %-11s %s\n' ROLE N PID ALIVE HTTP FAF_TCP MANAGEMENT LOG
  while read -r role k pid http faf mgmt log; do
    local alive=no
    kill -0 "$pid" 2>/dev/null && alive=yes
    [ "$role" = gateway ] || http=- ; [ "$faf" = -1 ] && faf=-
    printf '%-11s %-3s %-8s %-6s %-10s %-9s %-11s %s\n' "$role" "$k" "$pid" "$alive" "$http" "$faf" "$mgmt" "$log"
  done < "$DIR/nodes"
}

kill_role() {
  local want="${1:-}" nth="${2:-}"
  [ -n "$want" ] || die "kill needs a role"
  [ -s "$DIR/nodes" ] || die "no cluster in $DIR"
  while read -r role k pid http faf mgmt log; do
    [ "$role" = "$want" ] || continue
    if [ -n "$nth" ] && [ "$k" != "$nth" ]; then continue; fi
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid"
      echo "killed $role #$k (pid $pid) with SIGKILL"
      return 0
    fi
  done < "$DIR/nodes"
  die "no live node of role $want${nth:+ number $nth}"
}

down() {
  local pids=()
  if [ -s "$DIR/nodes" ]; then
    while read -r role k pid rest; do pids+=("$pid"); done < "$DIR/nodes"
  fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  stop_db
  : > "$DIR/nodes" 2>/dev/null || true
  echo "cluster down"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  status) status ;;
  kill) shift; kill_role "$@" ;;
  down) down ;;
  database)
    case "${2:-}" in
      stop) stop_db; echo "database stopped" ;;
      start) [ ! -f "$DIR/database.pid" ] || die "the database is already running (pid $(cat "$DIR/database.pid"))"
        start_db; echo "database started, pid $(cat "$DIR/database.pid"), port $DB_PORT" ;;
      *) die "database start|stop" ;;
    esac ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
