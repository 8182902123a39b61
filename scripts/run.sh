#!/usr/bin/env bash
# Builds the server and starts one node with the embedded default (README command 1):
# demo rooms, dev sign-in, no Redis, no configuration file. Extra arguments go to the server.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
mvn -B -ntp -q -pl server -am package -DskipTests
exec java -jar server/target/kindred-server.jar "$@"
