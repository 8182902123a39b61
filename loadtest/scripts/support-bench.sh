#!/bin/bash
# usage: loadtest/scripts/support-bench.sh <tree> <sessions> <rate> <label>
# The support scenario on 3 nodes + Redis, at normal priority; IDLE=1 adds the minute after the run and an idle minute,
# JFR=1 a flight recording per node, REPEAT=n runs the load n times against the same nodes (loadtest.out, then
# loadtest-2.out ...: the later runs meet warm nodes).
# tree holds server/target/kindred-server.jar and loadtest/target/kindred-loadtest.jar
TREE=$1; S=$2; R=$3; LABEL=$4
OUT=${RUNS:-/tmp/kindred-support-bench}/$LABEL; mkdir -p $OUT
SECRET=desks-bench-secret-0123456789abcdef0123456789
RP=16711
. "$(dirname "$0")/../../scripts/java-env.sh"
redis-server --port $RP --bind 127.0.0.1 --save "" --appendonly no --maxclients 100000 >$OUT/redis.log 2>&1 &
RPID=$!
sleep 0.5
PIDS=()
for i in 0 1 2; do
  D=$OUT/data-$i; rm -rf $D; mkdir -p $D
  KINDRED_DATA_DIR=$D KINDRED_PORT=$((18711+i)) KINDRED_HOST=127.0.0.1 KINDRED_REDIS_URL=redis://127.0.0.1:$RP KINDRED_NODE_ID=bench-$i KINDRED_MANAGEMENT_PORT=$((18721+i)) KINDRED_USER_ID_SECRET=loadtest-only-user-id-key-0123456789abcdef KINDRED_MAX_UNSIGNED_PER_ADDRESS=0 \
  KINDRED_JWT_SECRET=$SECRET KINDRED_JWT_ANY_ISSUER_AND_AUDIENCE=true KINDRED_NEW_MEMBER_PERIOD=0 KINDRED_RATE_PER_SECOND=1000 KINDRED_RATE_BURST=1000 $EXTRA_ENV \
    java -Xmx512m ${JFR:+-XX:StartFlightRecording=filename=$OUT/node-$i.jfr,settings=profile,dumponexit=true} -jar $TREE/server/target/kindred-server.jar >$OUT/node-$i.log 2>&1 &
  PIDS+=($!)
done
for i in 0 1 2; do
  for t in $(seq 1 120); do curl -s -o /dev/null http://127.0.0.1:$((18711+i))/readyz && break; sleep 0.5; done
done
redis-cli -p $RP config resetstat >/dev/null
uptime > $OUT/uptime-before
for run in $(seq 1 ${REPEAT:-1}); do
  java -jar $TREE/loadtest/target/kindred-loadtest.jar support --url ws://127.0.0.1:18711/ws --url ws://127.0.0.1:18712/ws \
    --url ws://127.0.0.1:18713/ws --jwt-secret "$SECRET" --sessions $S --request-rate $R --interval 5s \
    --duration 15s --warmup 3s --pid ${PIDS[0]} --pid ${PIDS[1]} --pid ${PIDS[2]} > $OUT/loadtest$([ $run = 1 ] || echo -$run).out 2>&1
done
uptime > $OUT/uptime-after
redis-cli -p $RP info commandstats > $OUT/commandstats-run
if [ -n "$IDLE" ]; then
  # The minute after the run still carries its aftermath: room presence let go when its grace runs out, mentors and
  # members pruned once support.grace (60 s) is over. The minute after that is idle: heartbeats only.
  sleep 5; redis-cli -p $RP config resetstat >/dev/null; sleep 60; redis-cli -p $RP info commandstats > $OUT/commandstats-after
  redis-cli -p $RP config resetstat >/dev/null; sleep 60; redis-cli -p $RP info commandstats > $OUT/commandstats-idle
fi
# What each node's desk did: commits, commands in them, lost races (kindred_desk_*), and time to match as it saw it.
for i in 0 1 2; do curl -s http://127.0.0.1:$((18721+i))/metrics | grep -E '^kindred_(desk|support)' > $OUT/metrics-$i; done
for p in "${PIDS[@]}"; do kill $p; done
wait "${PIDS[@]}" 2>/dev/null
kill $RPID; wait $RPID 2>/dev/null
echo "== $LABEL"; cat $OUT/uptime-before $OUT/uptime-after; for f in $OUT/loadtest*.out; do echo "-- $f"; grep -E 'support:|FAIL|fail|connect' $f | head -20; done
