#!/usr/bin/env bash
# Hot-deploy latency against the real distribution (docs/performance.md, "Hot deploy"): starts
# 'heddle daemon --extensions-dir' in a throw-away HEDDLE_HOME, runs bench/HotDeployProbe.java
# against it, stops it. Usage: bench/hot-deploy-daemon.sh [RUNS] [POLL_MS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-31}"
poll="${2:-100}"
dist=launcher/target/heddle
jar=examples/extension-hello/target/extension-hello-*.jar
if [ ! -x "$dist/bin/heddle" ] || ! ls $jar > /dev/null 2>&1; then
  mvn -B -q -pl launcher,examples/extension-hello -am package -DskipTests
fi
work="$(mktemp -d)"
export HEDDLE_HOME="$work/home"
mkdir -p "$HEDDLE_HOME/etc" "$work/workspace"
printf 'pollMs=%s\n' "$poll" > "$HEDDLE_HOME/etc/io.heddle.extensions.cfg"
"$dist/bin/heddle" daemon --workspace "$work/workspace" --port 0 --extensions-dir "$work/extensions" \
  > "$work/daemon.out" 2>&1 &
daemon=$!
trap '"$dist/bin/heddle" stop > /dev/null 2>&1 || kill "$daemon" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do grep -qs '^registry=' "$work/daemon.out" && break; sleep 0.1; done
grep -qs '^registry=' "$work/daemon.out" || { cat "$work/daemon.out"; exit 1; }
port="$(sed -n 's|^Heddle server listening at http://.*:\([0-9]*\)$|\1|p' "$work/daemon.out")"
mkdir -p bench/results
java bench/HotDeployProbe.java "$port" "$work/extensions" $(ls $jar | head -1) "$runs" "$poll" \
  | tee -a bench/results/hot-deploy-daemon.txt
