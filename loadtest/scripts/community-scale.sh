#!/usr/bin/env bash
# One measurement of issue 19's table ("Issue 19 — community scale" in docs/performance.md): starts a server pinned to
# core 0, runs the load tool pinned to core 1 against it, stops the server and prints the tool's JSON report.
#
#   community-scale.sh <kindred-server.jar|bare> <kindred-loadtest.jar> <workload> [extra tool options]
#   (DURATION and WARMUP change --duration and --warmup of fanout, 40s and 15s by default; DURATION and RSS_AT those
#   of joinstorm, 61s and 5s,60s; RAMP_START and RAMP_STEP the ramp's --start and --step, 500 and 100 messages/s;
#   WARM the members of the join storm's warm-up, 5000 by default, 0 for a storm on a cold server)
#
# workload: fanout20k (1 room × 200, 20,000 deliveries/s) | fanout40k (100 rooms × 20, 40,000/s)
#           | joinstorm (10,000 idle members joining 100 rooms at once, 60 s hold, RSS at 5 s and 60 s)
#           | ramp (1 room × 200, a higher rate every 8 s until p99 > 100 ms)
# Both servers run with the default launch settings of scripts/run.sh (KINDRED_JAVA_OPTS replaces them).
# Kindred gets the 1,000 rooms of loadtest/rooms-1000.yaml, no rate limit, no new-member rules and a throwaway data
# directory; the bare Netty server (org.kindred.loadtest.baseline.BareBroadcastServer) knows the same room names.
# The tool mints the members' tokens itself (--jwt-secret) for both servers: the development sign-in (an HTTP request
# and a stored user per member) would otherwise be most of a join storm's wall time, and it is not what a member
# connecting with a token from the community's sign-in pays.
set -euo pipefail
server=$1 tool=$2 workload=$3
shift 3
cd "$(dirname "$0")/../.."
. scripts/java-env.sh
flags=${KINDRED_JAVA_OPTS:--Xms64m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=10 -XX:G1PeriodicGCInterval=120000 -XX:TrimNativeHeapInterval=5000}
port=18080
secret=community-scale-measurement-secret-0123456789
data=$(mktemp -d)
log=${SERVER_LOG:-$(mktemp)}
if [[ $server == bare ]]; then
  # shellcheck disable=SC2086
  taskset -c 0 java $flags -cp "$tool" org.kindred.loadtest.baseline.BareBroadcastServer $port >"$log" 2>&1 &
else
  # shellcheck disable=SC2086
  KINDRED_HOST=127.0.0.1 KINDRED_PORT=$port KINDRED_MANAGEMENT_PORT=18089 KINDRED_DATA_DIR=$data \
    KINDRED_JWT_SECRET=$secret KINDRED_JWT_ANY_ISSUER_AND_AUDIENCE=true KINDRED_RATE_PER_SECOND=100000 KINDRED_RATE_BURST=100000 KINDRED_NEW_MEMBER_PERIOD=0 \
    env -u KINDRED_JAVA_OPTS taskset -c 0 java $flags -jar "$server" --config loadtest/rooms-1000.yaml >"$log" 2>&1 &
fi
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data" "$log"' EXIT
for _ in $(seq 1 120); do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then break; fi
  sleep 0.5
done
url=ws://127.0.0.1:$port/ws
common=(--url "$url" --room-prefix lt- --jwt-secret "$secret" --pid "$pid" --json --no-progress)
case $workload in
  fanout20k) args=(fanout --rooms 1 --members 200 --publishers 1 --rate 100 --duration "${DURATION:-40s}" --warmup "${WARMUP:-15s}") ;;
  fanout40k) args=(fanout --rooms 100 --members 20 --publishers 1 --rate 20 --duration "${DURATION:-40s}" --warmup "${WARMUP:-15s}") ;;
  joinstorm) args=(idle --connections 10000 --rooms 100 --connect-rate 100000 --source-ips 2
                   --duration "${DURATION:-61s}" --warmup 0s --rss-at "${RSS_AT:-5s,60s}") ;;
  ramp) args=(ramp --rooms 1 --members 200 --publishers 1 --start "${RAMP_START:-500}" --step "${RAMP_STEP:-100}"
              --step-duration 8s --max-p99 100ms
              --warmup 20s --duration 400s) ;;
  *) echo "unknown workload $workload" >&2; exit 2 ;;
esac
if [[ $workload == joinstorm && ${WARM:-5000} -gt 0 ]]; then
  # Servers are measured warm, as in issue 19's table: on one core a cold JVM spends ~40 % of a first storm compiling
  # (C2), which measures the JIT rather than the server. The warm-up's members leave, then the presence grace (5 s)
  # passes, so the measured storm's rooms start empty; its RSS baseline is taken after the warm-up.
  taskset -c 1 java -jar "$tool" idle --connections "${WARM:-5000}" --rooms 100 --connect-rate 100000 --source-ips 2 \
    --duration 10s --warmup 0s --url "$url" --room-prefix lt- --jwt-secret "$secret" --json --no-progress >/dev/null \
    || echo "# the warm-up reported problems (exit code $?)" >&2
  sleep 8
fi
echo "# $(date -u +%H:%M:%S) $server $workload load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
taskset -c 1 java -jar "$tool" "${args[@]}" "${common[@]}" "$@" | tail -1
