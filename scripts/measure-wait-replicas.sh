#!/usr/bin/env bash
# What redis.waitReplicas costs per message (docs/performance.md, "Waiting for replicas"). Starts a Redis master and one
# replica on loopback, then one node with redis.waitReplicas 0 and one with 1 (alternating, RUNS times each) under the
# same fanout, and prints, from each node's /metrics, the mean latency its Redis client saw for the append (EVALSHA)
# and for the WAIT after it, with the fanout's delivery percentiles.
# Needs a build (server/target/kindred-server.jar, loadtest/target/kindred-loadtest.jar), redis-server and curl.
# Usage: scripts/measure-wait-replicas.sh [RUNS]   (default 2; SERVER_JAR and LOADTEST_JAR name other jars)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
runs=${1:-2}
loadtest=${LOADTEST_JAR:-loadtest/target/kindred-loadtest.jar}
server=${SERVER_JAR:-server/target/kindred-server.jar}
dir=$(mktemp -d); echo "output in $dir" >&2
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -n "${KEEP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT
master=16431 replica=16432 port=18091 management=18092
secret=measure-wait-replicas-secret-at-least-32-bytes
redis-server --port $master --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" >"$dir/master.log" 2>&1 &
pids+=($!)
redis-server --port $replica --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" \
    --replicaof 127.0.0.1 $master >"$dir/replica.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
    redis-cli -p $replica info replication 2>/dev/null | grep -q master_link_status:up && break
    sleep 0.2
done

# mean <metrics> <command>: the mean of kindred_redis_command_seconds{command=...} in microseconds
mean() {
    awk -v c="command=\"$2\"" 'index($0, c) && /^kindred_redis_command_seconds_sum/ { s = $NF }
        index($0, c) && /^kindred_redis_command_seconds_count/ { n = $NF }
        END { if (n > 0) printf "%.0f µs (%d calls)", s / n * 1e6, n; else printf "-" }' <<<"$1"
}

printf '| redis.waitReplicas | EVALSHA (append) | WAIT | deliveries p50 / p99 |\n|---|---|---|---|\n'
for run in $(seq "$runs"); do
    for wait in 0 1; do
        redis-cli -p $master flushall >/dev/null
        KINDRED_HOST=127.0.0.1 KINDRED_PORT=$port KINDRED_MANAGEMENT_PORT=$management KINDRED_JWT_SECRET=$secret \
            KINDRED_JWT_ANY_ISSUER_AND_AUDIENCE=true KINDRED_REDIS_URL=redis://127.0.0.1:$master \
            KINDRED_REDIS_WAIT_REPLICAS=$wait KINDRED_NEW_MEMBER_PERIOD=0 KINDRED_RATE_PER_SECOND=100000 \
            KINDRED_RATE_BURST=100000 KINDRED_DATA_DIR="$dir/data-$run-$wait" KINDRED_USER_ID_SECRET=loadtest-only-user-id-key-0123456789abcdef KINDRED_MAX_UNSIGNED_PER_ADDRESS=0 \
            java -jar "$server" >"$dir/node.log" 2>&1 &
        node=$!
        pids+=($node)
        for _ in $(seq 300); do curl -fs http://127.0.0.1:$port/readyz >/dev/null 2>&1 && break; sleep 0.2; done
        java -jar "$loadtest" fanout --url ws://127.0.0.1:$port/ws --jwt-secret "$secret" \
            --rooms 1 --members 20 --publishers 5 --rate 100 --duration 20s --warmup 5s --no-progress \
            >"$dir/fanout.txt" 2>&1 || echo "fanout reported problems (waitReplicas $wait): $dir/fanout.txt" >&2
        metrics=$(curl -fs http://127.0.0.1:$management/metrics)
        kill $node
        wait $node 2>/dev/null || true
        latency=$(awk '/^Latency/ { print $3 " / " $7 " ms" }' "$dir/fanout.txt")
        printf '| %s | %s | %s | %s |\n' "$wait" "$(mean "$metrics" EVALSHA)" "$(mean "$metrics" WAIT)" "$latency"
    done
done
