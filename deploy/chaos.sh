#!/usr/bin/env bash
# The chaos test: a local multi-JVM cluster (deploy/cluster.sh: 2 nodes of each role, one embedded PostgreSQL)
# under a bounded load from the project's load driver; one node of each role is killed with SIGKILL in turn,
# then the database is stopped for DB_OUTAGE_SECONDS (30) and started again. Prints (and writes to
# CLUSTER_DIR/chaos-report.md) one row per fault: load held, what clients saw, data lost, recovery time.
# Exits non-zero when any check failed. Build first: mvn -B -DskipTests package
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export CLUSTER_DIR="${CLUSTER_DIR:-$ROOT/.cluster-chaos}"
export CLUSTER_NAME="${CLUSTER_NAME:-skirmish-chaos}"
export CLUSTER_PORT="${CLUSTER_PORT:-5801}"
export BASE_HTTP_PORT="${BASE_HTTP_PORT:-18080}"
export BASE_FAF_PORT="${BASE_FAF_PORT:-18002}"
export BASE_MANAGEMENT_PORT="${BASE_MANAGEMENT_PORT:-19090}"
export DB_PORT="${DB_PORT:-15433}"
# Eleven JVMs share the machine: small heaps, the quick compiler only.
export JAVA_OPTS="${JAVA_OPTS:--Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k}"
# The whole load comes from one loopback address: the per-address limits are raised for it.
export AUTH_REQUESTS_PER_IP="${AUTH_REQUESTS_PER_IP:-1000000}"
export MAX_CONNECTIONS_PER_IP="${MAX_CONNECTIONS_PER_IP:-1000000}"
# Short protocol timers, so that the run sees them fire.
export GAME_SETUP_TIMEOUT_SECONDS="${GAME_SETUP_TIMEOUT_SECONDS:-8}"
export MATCHMAKER_POP_MIN_SECONDS="${MATCHMAKER_POP_MIN_SECONDS:-1}"
export MATCHMAKER_POP_MAX_SECONDS="${MATCHMAKER_POP_MAX_SECONDS:-6}"
export GAME_INFO_TICK_MS="${GAME_INFO_TICK_MS:-200}"
export PRESENCE_TICK_MS="${PRESENCE_TICK_MS:-200}"
OUTAGE="${DB_OUTAGE_SECONDS:-30}"

[ -f deploy/target/skirmish-all.jar ] || { echo "chaos.sh: build first (mvn -B -DskipTests package)" >&2; exit 2; }
if [ -s "$CLUSTER_DIR/nodes" ]; then bash deploy/cluster.sh down > /dev/null 2>&1 || true; fi
rm -rf "$CLUSTER_DIR"
mkdir -p "$CLUSTER_DIR"

report_logs() {
  echo "---- last lines of every node's log ----"
  for f in "$CLUSTER_DIR"/*.log; do echo "== $f"; tail -15 "$f"; done
}
trap 'bash deploy/cluster.sh down > /dev/null 2>&1 || true' EXIT

started=$(date +%s)
bash deploy/cluster.sh up
echo "cluster up in $(( $(date +%s) - started )) s"
rc=0
java -Xmx512m -jar deploy/target/skirmish-all.jar chaos --cluster-dir "$CLUSTER_DIR" --script deploy/cluster.sh \
  --db-outage-seconds "$OUTAGE" --setup-timeout-seconds "$GAME_SETUP_TIMEOUT_SECONDS" \
  --report "$CLUSTER_DIR/chaos-report.md" || rc=$?
if [ "$rc" -ne 0 ]; then report_logs; fi
echo "chaos run finished in $(( $(date +%s) - started )) s (exit $rc)"
exit "$rc"
