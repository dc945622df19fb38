#!/usr/bin/env bash
# The extension author's path, timed (docs/performance.md, "Extension author path"): in an
# empty folder, mvn archetype:generate, mvn verify in the generated project, heddle daemon,
# the jar copied and renamed into the extensions folder, curl until the endpoint answers.
# Needs Heddle's SDK in the local repository ('mvn install -DskipTests' in this checkout) and
# the distribution (launcher/target/heddle). Extra Maven arguments (e.g. -o, -s FILE,
# -Dmaven.repo.local=DIR) go in MAVEN_ARGS. Usage: bench/author-path.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
dist="$root/launcher/target/heddle"
[ -x "$dist/bin/heddle" ] || { echo "author-path.sh: no distribution at $dist: run 'mvn -B -pl launcher -am package' first" >&2; exit 2; }
version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)"
work="$(mktemp -d)"
export HEDDLE_HOME="$work/home"
mkdir -p "$HEDDLE_HOME" "$work/workspace" "$work/empty"
daemon=
trap '[ -n "$daemon" ] && { "$dist/bin/heddle" stop > /dev/null 2>&1 || kill "$daemon" 2>/dev/null || true; }; rm -rf "$work"' EXIT
now() { date +%s.%N; }
t0="$(now)"
(cd "$work/empty" && mvn -B -q ${MAVEN_ARGS:-} archetype:generate -DarchetypeGroupId=io.heddle \
  -DarchetypeArtifactId=heddle-extension-archetype -DarchetypeVersion="$version" -DgroupId=com.example \
  -DartifactId=hello-extension -Dversion=1.0.0-SNAPSHOT -Dpackage=com.example.hello -DinteractiveMode=false)
t1="$(now)"
(cd "$work/empty/hello-extension" && mvn -B -q ${MAVEN_ARGS:-} verify)
t2="$(now)"
"$dist/bin/heddle" daemon --workspace "$work/workspace" --port 0 > "$work/daemon.out" 2>&1 &
daemon=$!
for _ in $(seq 1 600); do grep -qs '^registry=' "$work/daemon.out" && break; sleep 0.1; done
grep -qs '^registry=' "$work/daemon.out" || { cat "$work/daemon.out"; exit 1; }
port="$(sed -n 's|^Heddle server listening at http://.*:\([0-9]*\)$|\1|p' "$work/daemon.out")"
t3="$(now)"
mkdir -p "$HEDDLE_HOME/extensions"
cp "$work/empty/hello-extension/target/hello-extension-1.0.0-SNAPSHOT.jar" "$HEDDLE_HOME/extensions/.hello-extension.part"
mv "$HEDDLE_HOME/extensions/.hello-extension.part" "$HEDDLE_HOME/extensions/hello-extension.jar"
until curl -sf "http://127.0.0.1:$port/api/ext/hello-extension/hello" > "$work/answer.json"; do sleep 0.05; done
t4="$(now)"
cat "$work/answer.json"; echo
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v e="$t4" 'BEGIN {
  printf "generate %.1f s, verify %.1f s, daemon start %.1f s, deploy to first 200 %.1f s, total %.1f s\n",
    b-a, c-b, d-c, e-d, e-a }'
