#!/usr/bin/env bash
# Builds the base of Kindred's container image for one architecture, from Debian's packages only (no registry, no
# Docker daemon): the C library and the few libraries the Java runtime links, a Java runtime cut down with jlink to the
# modules the server uses, and the files a non-root user needs. Jib adds the server on top (deploy/pom.xml, profile
# "image"; scripts/image.sh runs both).
#
#   deploy/image/build-root.sh OUT ARCH        ARCH: amd64 or arm64; OUT gets the root file system (replaced)
#
# The packages come from Debian 13 (trixie), whatever Debian the build machine runs: its OpenJDK 25 is built for both
# architectures, and the jmods of the target architecture let this machine's jlink (JDK 25, any architecture) link a
# runtime for it. apt runs with a private state directory under OUT/.., so the machine's own apt setup is untouched.
set -euo pipefail

out=${1:?usage: build-root.sh OUT ARCH}
arch=${2:?usage: build-root.sh OUT ARCH}
case "$arch" in
  amd64) triplet=x86_64-linux-gnu; loader=/lib64/ld-linux-x86-64.so.2 ;;
  arm64) triplet=aarch64-linux-gnu; loader=/lib/ld-linux-aarch64.so.1 ;;
  *) echo "build-root.sh: unknown architecture $arch (expected: amd64 or arm64)" >&2; exit 2 ;;
esac
suite=trixie
jdk=25
# What the server uses of the JDK (jdeps on the server's class path: java.naming and java.xml for Logback, java.sql for
# Jackson, HikariCP, H2 and PostgreSQL's driver, java.net.http for webhooks and JWKS, jdk.jfr for Netty's and Lettuce's
# events, jdk.management for the JVM metrics, jdk.unsupported for Netty and Caffeine), DNS for Redis host names, and jcmd
# for thread dumps and heap histograms (docs/operations.md).
modules=java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.jfr,jdk.management,jdk.unsupported,jdk.naming.dns,jdk.jcmd
# The shared libraries of Debian's OpenJDK and of Netty's epoll transport.
packages=(libc6 libgcc-s1 libstdc++6 zlib1g "openjdk-$jdk-jdk-headless")

command -v apt-get >/dev/null || { echo "build-root.sh: needs apt-get and dpkg-deb (a Debian machine)" >&2; exit 1; }
jlink=${JAVA_HOME:-}/bin/jlink
[ -x "$jlink" ] || jlink=$(command -v jlink || true)
[ -n "$jlink" ] || { echo "build-root.sh: no jlink (set JAVA_HOME to a JDK $jdk)" >&2; exit 1; }
jlink_major=$("$jlink" --version | cut -d. -f1)
[ "$jlink_major" = "$jdk" ] || { echo "build-root.sh: jlink is JDK $jlink_major; linking Debian's OpenJDK $jdk jmods needs a JDK $jdk (JAVA_HOME)" >&2; exit 1; }

mkdir -p "$(dirname "$out")"
work=$(cd "$(dirname "$out")" && pwd)/image-apt
mkdir -p "$work/state/lists/partial" "$work/cache/archives/partial" "$work/debs/$arch"
: > "$work/state/status"
cat > "$work/sources.list" <<EOF
deb [arch=amd64,arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main
deb [arch=amd64,arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite-updates main
deb [arch=amd64,arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security $suite-security main
EOF
apt_opts=(-o "Dir::State=$work/state" -o "Dir::State::status=$work/state/status" -o "Dir::Cache=$work/cache"
  -o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
  -o "APT::Architectures::=amd64" -o "APT::Architectures::=arm64" -o "APT::Sandbox::User=root" -o "Debug::NoLocking=1")
# One index download per build directory (both architectures share it).
if [ ! -s "$work/state/lists/updated" ]; then
  apt-get "${apt_opts[@]}" -qq update
  date -u +%FT%TZ > "$work/state/lists/updated"
fi
(cd "$work/debs/$arch" && apt-get "${apt_opts[@]}" -qq download "${packages[@]/%/:$arch}")

rm -rf "$out" "$work/x-$arch"
mkdir -p "$out" "$work/x-$arch"
versions=()
for deb in "$work/debs/$arch"/*.deb; do
  dpkg-deb -x "$deb" "$work/x-$arch"
  versions+=("$(dpkg-deb -f "$deb" Package)=$(dpkg-deb -f "$deb" Version)")
done
x="$work/x-$arch"

# The libraries, as real files (the image has no symlinks), where the dynamic loader looks for them.
mkdir -p "$out/usr/lib/$triplet" "$out$(dirname "$loader")"
for lib in "$x/usr/lib/$triplet"/*.so*; do
  [ -f "$lib" ] && cp -L "$lib" "$out/usr/lib/$triplet/"
done
cp -L "$x/usr/lib/$triplet/$(basename "$loader")" "$out$loader"

# The Java runtime: jlink with the target architecture's jmods.
"$jlink" --module-path "$x/usr/lib/jvm/java-$jdk-openjdk-$arch/jmods" --add-modules "$modules" \
  --strip-java-debug-attributes --no-header-files --no-man-pages --compress zip-6 --output "$out/opt/java"
# Debian's jmods point the CA store at /etc/ssl/certs/java/cacerts: the runtime gets its own copy of the build JDK's.
rm -f "$out/opt/java/lib/security/cacerts"
cp -L "$(dirname "$(dirname "$jlink")")/lib/security/cacerts" "$out/opt/java/lib/security/cacerts"

# A user to run as (uid 65532, no shell, no home to write to), name lookups from files then DNS, mount points (/tmp
# for an emptyDir or a tmpfs; /proc, where the loader finds the launcher's $ORIGIN).
mkdir -p "$out/etc" "$out/tmp" "$out/proc" "$out/sys" "$out/dev"
printf 'root:x:0:0:root:/root:/sbin/nologin\nkindred:x:65532:65532:Kindred:/tmp:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\nkindred:x:65532:\n' > "$out/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$out/etc/nsswitch.conf"
# What went in, for the image's label and for whoever audits it.
printf '%s\n' "debian-suite=$suite" "${versions[@]}" > "$out/etc/kindred-base-packages"
echo "image root for $arch in $out: $(du -sh "$out" | cut -f1), $(printf '%s ' "${versions[@]}")"
