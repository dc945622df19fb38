#!/usr/bin/env bash
# heap-50-extensions.sh [EXTENSIONS] [SESSIONS]: is the default heap (-Xmx128m, and
# -XX:MaxMetaspaceSize=96m) of bin/heddle enough for a server with 50 extensions and 20 chat
# sessions? Starts a daemon with the default flags, drops EXTENSIONS (default 50) copies of the
# example extension (examples/extension-hello) into its extensions folder, each with its own
# symbolic name, servlet pattern (/api/ext/hello-N), runner kind and OpenAPI fragment, waits until
# every copy answers, then creates SESSIONS (default 20) chat sessions with 5 messages each,
# answered by a `command` engine that echoes (`cat`, last message only), then runs 10 s of
# wrk -t2 -c16 on /api/runtime-host. Afterwards: the live heap after a full GC (jcmd
# GC.class_histogram), the heap and metaspace sizes (GC.heap_info), RSS, and whether the log or
# the JVM reported an OutOfMemoryError. Results go to bench/results/heap-50-extensions.txt.
. "$(dirname -- "$0")/common.sh"
N=${1:-50}
S=${2:-20}
JAR=$(ls "$ROOT"/examples/extension-hello/target/extension-hello-*.jar 2> /dev/null | head -1 || true)
if [ -z "$JAR" ]; then
  (cd "$ROOT" && mvn -B -q -Dstyle.color=never -pl examples/extension-hello -am package -DskipTests)
  JAR=$(ls "$ROOT"/examples/extension-hello/target/extension-hello-*.jar | head -1)
fi
export HEDDLE_HOME=$SCRATCH/home
WS=$SCRATCH/ws
EXT=$SCRATCH/extensions
mkdir -p "$WS" "$EXT" "$HEDDLE_HOME/etc" "$SCRATCH/copies"
daemon=
trap 'set +e; [ -n "$daemon" ] && { "$DIST/bin/heddle" stop > /dev/null 2>&1 || kill $daemon 2>/dev/null; wait $daemon 2>/dev/null; }; rm -rf "$SCRATCH"' EXIT
printf 'argv=["cat"]\ninput=last-message\n' > "$HEDDLE_HOME/etc/io.heddle.chat.engine.command.cfg"

echo "== $N copies of $(basename "$JAR")"
unzip -q "$JAR" -d "$SCRATCH/template"
for i in $(seq 1 "$N"); do
  d=$SCRATCH/copies/x$i
  cp -r "$SCRATCH/template" "$d"
  sed -i "s|^Bundle-SymbolicName: .*|Bundle-SymbolicName: io.heddle.bench.extension-hello-$i|" "$d/META-INF/MANIFEST.MF"
  sed -i "s|/api/ext/hello<|/api/ext/hello-$i<|; s|value=\"hello\"|value=\"hello-$i\"|" "$d"/OSGI-INF/*.xml
  sed -i "s|\"/api/ext/hello\"|\"/api/ext/hello-$i\"|; s|extHello|extHello$i|g; s|HelloGreeting|HelloGreeting$i|g" "$d/openapi.json"
  rm "$d/META-INF/MANIFEST.MF.bak" 2> /dev/null || true
  (cd "$d" && jar --create --file "$SCRATCH/copies/hello-$i.jar" --manifest META-INF/MANIFEST.MF $(ls -A | grep -v '^META-INF$') META-INF/maven)
done

"$DIST/bin/heddle" daemon --port 0 --workspace "$WS" --extensions-dir "$EXT" > "$SCRATCH/daemon.out" 2>&1 &
daemon=$!
for _ in $(seq 1 600); do grep -q '^registry=' "$SCRATCH/daemon.out" && break; sleep 0.1; done
grep -q '^registry=' "$SCRATCH/daemon.out" || { cat "$SCRATCH/daemon.out" >&2; exit 1; }
url=$(sed -n 's/^Heddle server listening at //p' "$SCRATCH/daemon.out")
token=$(cat "$HEDDLE_HOME"/run/*.token)
read -r rss0 pss0 priv0 dirty0 < <(memory_of "$daemon")

for i in $(seq 1 "$N"); do
  cp "$SCRATCH/copies/hello-$i.jar" "$EXT/.hello-$i.jar" && mv "$EXT/.hello-$i.jar" "$EXT/hello-$i.jar"
done
start=$SECONDS
for i in $(seq 1 "$N"); do
  until curl -sf -o /dev/null "$url/api/ext/hello-$i"; do
    ((SECONDS - start < 300)) || { echo "extension $i did not answer within 300 s" >&2; curl -s "$url/api/extensions" >&2; exit 1; }
    sleep 0.5
  done
done
echo "  all $N extensions answer (after $((SECONDS - start)) s)"

echo "== $S chat sessions, 5 messages each (command engine: cat)"
text=$(python3 -c 'print(("The quick brown fox jumps over the lazy dog. " * 20).strip())')
for s in $(seq 1 "$S"); do
  id=bench-$s
  curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"id\":\"$id\",\"name\":\"bench session $s\"}" "$url/api/chat/sessions"
  for m in 1 2 3 4 5; do
    curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"text\":\"message $m: $text\"}" "$url/api/chat/sessions/$id/messages"
  done
done
sessions=$(curl -sf "$url/api/chat/sessions" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["sessions"]) if isinstance(d, dict) else len(d))')
echo "  sessions listed: $sessions"

echo "== 10 s of wrk -t2 -c16 on /api/runtime-host"
wrk -t2 -c16 -d10s "$url/api/runtime-host" | awk '/Requests\/sec/ {print "  " $0}'
read -r rss pss priv dirty < <(memory_of "$daemon")
live=$(jcmd "$daemon" GC.class_histogram | awk '/^Total/ {print $3}')
heap=$(jcmd "$daemon" GC.heap_info)
meta_used=$(echo "$heap" | awk '/Metaspace/ {print $3}')
meta_committed=$(echo "$heap" | awk '/Metaspace/ {print $5}')
ext_active=$(curl -sf "$url/api/extensions" | grep -o '"state":"[A-Z_]*"' | sort | uniq -c | tr -s ' \n' ' ' || true)
oom=$(cat "$HEDDLE_HOME"/logs/*.log "$SCRATCH/daemon.out" 2> /dev/null | grep -c 'OutOfMemoryError' || true)
{
  echo "extensions $N, chat sessions $S (listed: $sessions), extension states: $ext_active"
  echo "live heap after a full GC: $(awk -v b="$live" 'BEGIN {printf "%.1f", b / 1048576}') MiB of -Xmx128m"
  echo "metaspace used ${meta_used%,} (committed ${meta_committed%,}) of -XX:MaxMetaspaceSize=96m"
  echo "RSS before the extensions $(mib "$rss0") MiB; after everything $(mib "$rss") MiB (Pss $(mib "$pss"), private $(mib "$priv"), private dirty $(mib "$dirty"))"
  echo "OutOfMemoryError lines in the logs: $oom"
  echo "$heap" | sed 's/^/  /'
} | tee "$RESULTS/heap-50-extensions.txt"
