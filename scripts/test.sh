#!/usr/bin/env bash
# Runs every test of every module (README command 2) with the Maven wrapper. Picks a JDK 21+ when the default is older.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
exec ./mvnw -B -ntp verify "$@"
