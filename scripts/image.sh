#!/usr/bin/env bash
# Builds Kindred's container images without a Docker daemon or a registry (Maven Central and Debian's packages only):
#   deploy/target/kindred-server-VERSION-amd64.tar   and   ...-arm64.tar   (docker-archive format)
# checks their configuration and files (ContainerImageCheck), then starts each image's file system as a container
# runtime would — uid 65532, read-only root, /tmp a tmpfs — and waits for /readyz (arm64 through qemu-user, if
# qemu-aarch64-static is installed).
#
#   scripts/image.sh              build, check and smoke-run
#   scripts/image.sh --no-run     build and check only (the smoke run needs root: unshare, mount, chroot)
#
# Load one with `docker load -i deploy/target/kindred-server-*-amd64.tar`, or push it with
# `skopeo copy docker-archive:deploy/target/kindred-server-VERSION-amd64.tar docker://REGISTRY/kindred-server:VERSION`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh

for arch in amd64 arm64; do
  deploy/image/build-root.sh deploy/target/image-root/$arch $arch
done
./mvnw -B -ntp -Pimage -pl deploy -am verify -DskipTests

[ "${1:-}" = "--no-run" ] && exit 0

# Smoke run: unpack an image's layers in order and run its entrypoint as a container runtime would — its user, its
# environment, a read-only root, /proc, a tmpfs on /tmp — then wait for /readyz and stop it with SIGTERM. The arm64
# image runs through qemu-user when qemu-aarch64-static is installed (slow: minutes, not seconds).
smoke_run() {
  local arch=$1 tar_file root image_env entrypoint user command port node ready emulator=""
  tar_file=$(ls deploy/target/kindred-server-*-"$arch".tar)
  root=$(mktemp -d -t kindred-image.XXXXXX)
  mkdir -p "$root/archive" "$root/fs"
  tar --warning=no-unknown-keyword -xf "$tar_file" -C "$root/archive"
  for layer in $(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))[0]["Layers"]))' "$root/archive/manifest.json"); do
    tar --warning=no-unknown-keyword -xzf "$root/archive/$layer" -C "$root/fs"
  done
  if [ "$arch" = arm64 ]; then
    cp "$(command -v qemu-aarch64-static)" "$root/fs/qemu-aarch64-static"
    emulator=/qemu-aarch64-static
  fi
  entrypoint=$(python3 -c '
import json, shlex, sys
manifest = json.load(open(sys.argv[1] + "/manifest.json"))[0]
config = json.load(open(sys.argv[1] + "/" + manifest["Config"]))["config"]
print(shlex.join(config.get("Env", [])))
print(config["User"], shlex.join(config["Entrypoint"]))' "$root/archive")
  image_env=$(echo "$entrypoint" | head -1)
  entrypoint=$(echo "$entrypoint" | tail -1)
  user=${entrypoint%% *}
  command=${entrypoint#* }
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  echo "smoke run $arch: $emulator $command (as $user, read-only root, port $port)"
  unshare --mount --fork sh -c "
    mount --bind '$root/fs' '$root/fs' && mount -o remount,bind,ro '$root/fs' &&
    mount -t proc proc '$root/fs/proc' && mount -t tmpfs -o size=64m tmpfs '$root/fs/tmp' &&
    exec env -i $image_env KINDRED_HOST=127.0.0.1 KINDRED_PORT=$port KINDRED_MANAGEMENT_PORT=0 KINDRED_DATA_DIR=/tmp/kindred-data $(command -v chroot) --userspec=$user '$root/fs' $emulator $command
  " > "$root/node.log" 2>&1 &
  node=$!
  ready=""
  for _ in $(seq 600); do
    if ready=$(curl -fs "http://127.0.0.1:$port/readyz" 2>/dev/null); then break; fi
    kill -0 $node 2>/dev/null || break
    sleep 0.5
  done
  # unshare --fork keeps waiting for its child: stop the node itself, as a supervisor would (SIGTERM, drain).
  kill -TERM $(pgrep -P $node) 2>/dev/null || true
  wait $node 2>/dev/null || true
  cat "$root/node.log"
  local epoll=yes
  grep -q "(epoll transport" "$root/node.log" || epoll=no
  rm -rf "$root"
  if [ -z "$ready" ]; then
    echo "smoke run $arch: the image's node did not become ready" >&2
    return 1
  fi
  if [ "$epoll" = no ]; then
    echo "smoke run $arch: the node fell back to NIO: the epoll transport for $arch did not load" >&2
    return 1
  fi
  echo "smoke run $arch: ready ($ready), epoll, as $user on a read-only root"
}

smoke_run amd64
if command -v qemu-aarch64-static >/dev/null; then
  smoke_run arm64
else
  echo "smoke run arm64: skipped (apt-get install qemu-user-static to run it; .ci/run does)"
fi
