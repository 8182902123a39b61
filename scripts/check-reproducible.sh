#!/usr/bin/env bash
# Checks that a build is reproducible: builds the published jars (protocol and client SDK, with their sources and
# javadoc jars and SBOMs) and the server's runnable jar twice from clean, and compares them byte for byte.
# Run by .ci/run after the tests; about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh

artifacts=(
  protocol/target/kindred-protocol-*.jar protocol/target/kindred-protocol-*-cyclonedx.json
  client-sdk/target/kindred-client-sdk-*.jar client-sdk/target/kindred-client-sdk-*-cyclonedx.json
  server/target/kindred-server.jar server/target/kindred-server-*-cyclonedx.json
)
build() {
  ./mvnw -B -ntp -q clean package -pl protocol,client-sdk,web,server -DskipTests -Dspotless.check.skip=true
}
first=$(mktemp -d -t kindred-repro.XXXXXX)
trap 'rm -rf "$first"' EXIT
build
for pattern in "${artifacts[@]}"; do
  for file in $pattern; do mkdir -p "$first/$(dirname "$file")"; cp "$file" "$first/$file"; done
done
build
different=0
count=0
for pattern in "${artifacts[@]}"; do
  for file in $pattern; do
    count=$((count + 1))
    if ! cmp -s "$first/$file" "$file"; then
      echo "not reproducible: $file differs between two builds" >&2
      different=1
    fi
  done
done
[ "$count" -ge 9 ] || { echo "check-reproducible: only $count artifacts found" >&2; exit 1; }
[ "$different" = 0 ] && echo "reproducible: $count artifacts identical in two builds"
exit "$different"
