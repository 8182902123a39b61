#!/usr/bin/env bash
# Builds the server and the web app and starts one node with the embedded default (README command 1):
# demo rooms, dev sign-in, the web app at /, no Redis, no configuration file. Extra arguments go to the server.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
# The wrapper brings the Maven the project is built with; javadoc, sources and SBOM are for releases, not for a start.
./mvnw -B -ntp -q -pl server -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -Dcyclonedx.skip=true
# Default launch settings (see docs/performance.md, "idle"): G1 keeps at most 10 % of the heap free when it shrinks
# (its default, 70 %, is ~10 KB of resident empty heap per connection on a node holding ~20,000 idle connections,
# whose live heap is mostly long-lived connection state), and a quiet node runs a concurrent GC every 2 minutes so
# that it actually shrinks (JEP 346; no effect on a busy node, which collects more often anyway, and G1 grows the heap
# again as soon as load needs it). The heap starts at 64 MB (the JVM's default, 1/64 of the machine's memory, is a young
# generation of 130 MB on a 24 GB machine, all of it touched by the first burst of work: 13 KB per member of a node of
# 10,000) and grows as needed; and every 5 s the C heap's freed memory (JIT arenas, buffers) is handed back to the
# system (JDK 21.0.1+). Together ≈ 4–6 KB of resident memory per idle member instead of ≈ 12 (docs/performance.md,
# "Memory per idle member"). KINDRED_JAVA_OPTS replaces them.
echo "Kindred: open http://127.0.0.1:${KINDRED_PORT:-8080}/ in a browser once the node is listening (Ctrl-C stops it)."
exec java ${KINDRED_JAVA_OPTS:--Xms64m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=10 -XX:G1PeriodicGCInterval=120000 -XX:TrimNativeHeapInterval=5000} \
  -jar server/target/kindred-server.jar "$@"
