#!/usr/bin/env bash
# The cross-node hop of issue 19 (item 5) and issue 14: N Kindred nodes sharing one Redis (N=1: one node without
# Redis), pinned with Redis to core 0, the load tool on core 1; members spread round-robin over the nodes.
#
#   cross-node.sh <kindred-server.jar> <kindred-loadtest.jar> <nodes> <stats file> [tool options]
#
# Default load (LOAD replaces it): fanout, 1 room × 200 members, one publisher at 100 messages/s (20,000
# deliveries/s), 40 s, 15 s warmup. For presence changes alone: LOAD="idle --connections 200 --rooms 1 --duration 10s".
# Every second, Redis's INFO commandstats and INFO stats go to <stats file> with a timestamp ("@ <epoch seconds>"),
# to count commands and bytes per message over the measured window. NODE_ENV: extra environment for every node, e.g.
# "KINDRED_DATA_DIR= KINDRED_MANAGEMENT_PORT=" for builds that store data and have a management listener (each node
# then gets its own directory and port 1000 above its own).
set -euo pipefail
server=$1 tool=$2 nodes=$3 stats=$4
shift 4
cd "$(dirname "$0")/../.."
. scripts/java-env.sh
flags=${KINDRED_JAVA_OPTS:--Xms64m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=10 -XX:G1PeriodicGCInterval=120000 -XX:TrimNativeHeapInterval=5000}
work=$(mktemp -d)
pids=()
stop() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT
redis_port=16390
secret=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 43)
redis_env=()
if (( nodes > 1 )); then
  taskset -c 0 redis-server --port $redis_port --bind 127.0.0.1 --dir "$work" --appendonly yes --appendfsync everysec \
    --save "" --logfile "$work/redis.log" --daemonize no &
  pids+=($!)
  for _ in $(seq 50); do redis-cli -p $redis_port ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis_env=(KINDRED_REDIS_URL=redis://127.0.0.1:$redis_port)
fi
urls=() pidargs=()
for i in $(seq 0 $((nodes - 1))); do
  port=$((18081 + i))
  extra=()
  for kv in ${NODE_ENV:-}; do
    case $kv in
      KINDRED_DATA_DIR=) extra+=("KINDRED_DATA_DIR=$work/data-$i") ;;
      KINDRED_MANAGEMENT_PORT=) extra+=("KINDRED_MANAGEMENT_PORT=$((port + 1000))") ;;
      *) extra+=("$kv") ;;
    esac
  done
  # shellcheck disable=SC2086
  env -u KINDRED_JAVA_OPTS KINDRED_HOST=127.0.0.1 KINDRED_PORT=$port KINDRED_NODE_ID=n$i KINDRED_DEV_SECRET="$secret" \
    KINDRED_RATE_PER_SECOND=100000 KINDRED_RATE_BURST=100000 KINDRED_NEW_MEMBER_PERIOD=0 "${redis_env[@]}" "${extra[@]}" \
    taskset -c 0 java $flags -jar "$server" --config loadtest/rooms-1000.yaml >"$work/node-$i.log" 2>&1 &
  pids+=($!)
  pidargs+=(--pid $!)
  urls+=(--url ws://127.0.0.1:$port/ws)
done
for i in $(seq 0 $((nodes - 1))); do
  for _ in $(seq 200); do curl -fs "http://127.0.0.1:$((18081 + i))/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
done
: >"$stats"
if (( nodes > 1 )); then
  (while :; do echo "@ $(date +%s.%N)"; redis-cli -p $redis_port info commandstats; redis-cli -p $redis_port info stats
     sleep 1; done >>"$stats" 2>/dev/null) &
  pids+=($!)
fi
echo "# $(date -u +%H:%M:%S) $server $nodes node(s) load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
sleep 5 # Redis's background commands (heartbeats, probes) alone, before the tool starts
echo "@ tool-start $(date +%s.%N)" >>"$stats"
# shellcheck disable=SC2086
taskset -c 1 java -jar "$tool" ${LOAD:-fanout --rooms 1 --members 200 --publishers 1 --rate 100 --duration 40s --warmup 15s} \
  "${urls[@]}" "${pidargs[@]}" --room-prefix lt- --json --no-progress "$@" | tail -1
echo "@ tool-end $(date +%s.%N)" >>"$stats"
