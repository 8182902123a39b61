#!/usr/bin/env bash
# Starts a local Kindred cluster on loopback: one Redis (append-only, in a temporary directory) and three nodes
# sharing it, with the development sign-in working on every node. Prints their addresses; Ctrl-C stops everything.
#
#   scripts/cluster.sh [NODES]       NODES defaults to 3; nodes listen on 8081, 8082, ...; Redis on 6390
#
# Environment: KINDRED_CLUSTER_BASE_PORT (8081), KINDRED_CLUSTER_REDIS_PORT (6390).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh

nodes=${1:-3}
base_port=${KINDRED_CLUSTER_BASE_PORT:-8081}
redis_port=${KINDRED_CLUSTER_REDIS_PORT:-6390}
command -v redis-server >/dev/null || { echo "redis-server is not installed (apt-get install redis-server)" >&2; exit 1; }

# The wrapper brings the Maven the project is built with; javadoc, sources and SBOM are for releases, not for a start.
./mvnw -B -ntp -q -pl server -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -Dcyclonedx.skip=true
work=$(mktemp -d -t kindred-cluster.XXXXXX)
pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap stop INT TERM EXIT

redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --appendonly yes --appendfsync everysec \
  --save "" --logfile "$work/redis.log" --daemonize no &
pids+=($!)
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

# One dev sign-in key for all nodes, so a token from any node works on every node.
secret=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 43)
for i in $(seq 0 $((nodes - 1))); do
  port=$((base_port + i))
  KINDRED_PORT=$port KINDRED_HOST=127.0.0.1 KINDRED_MANAGEMENT_PORT=$((port + 1000)) \
    KINDRED_REDIS_URL="redis://127.0.0.1:$redis_port" \
    KINDRED_NODE_ID="local-$i" KINDRED_DEV_SECRET="$secret" KINDRED_USER_ID_SECRET="$secret" \
    java -jar server/target/kindred-server.jar > "$work/node-$i.log" 2>&1 &
  pids+=($!)
done
for i in $(seq 0 $((nodes - 1))); do
  port=$((base_port + i))
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
done

echo "Redis     redis://127.0.0.1:$redis_port   (data and logs in $work)"
for i in $(seq 0 $((nodes - 1))); do
  port=$((base_port + i))
  state=$(curl -fs "http://127.0.0.1:$port/readyz" || echo "not ready, see $work/node-$i.log")
  echo "node $i    ws://127.0.0.1:$port/ws   http://127.0.0.1:$((port + 1000))/metrics   $state"
done
echo
echo "Get a token (works on every node):"
echo "  curl -s -X POST http://127.0.0.1:$base_port/dev/token -d '{\"pseudonym\":\"Robin\",\"role\":\"member\"}'"
echo "Ctrl-C stops the cluster."
wait
