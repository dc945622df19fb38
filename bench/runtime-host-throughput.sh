#!/usr/bin/env bash
# runtime-host-throughput.sh: requests per second on GET /api/runtime-host, Heddle's whiteboard
# servlet (access rules, server facts from the request) against a bare embedded Jetty 12.0
# serving the same JSON from one servlet (bench/bare-jetty), both with bin/heddle's JVM flags,
# in the same run. wrk on loopback: 2 threads, 16 connections. Rounds alternate the two servers
# so a load that drifts on a shared machine skews both alike. Target: Heddle >= 0.9x bare Jetty.
. "$(dirname -- "$0")/common.sh"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
trap 'kill $HEDDLE_PID $JETTY_PID 2>/dev/null; wait 2>/dev/null; rm -rf "$SCRATCH"' EXIT
mvn -B -q -Dstyle.color=never -f "$BENCH/bare-jetty/pom.xml" package
JETTY_CP="$BENCH/bare-jetty/target/bare-jetty-1.jar:$BENCH/bare-jetty/target/lib/*"
LEAN=$(sed -n '/^JVM_OPTS="/,/"$/p' "$DIST/bin/heddle" | tr -d '\\\n"' | sed 's/^JVM_OPTS=//')
p1=$(free_port); p2=$(free_port)
mkdir -p "$SCRATCH/ws"
HEDDLE_HOME=$SCRATCH/home "$DIST/bin/heddle" daemon --port "$p1" --workspace "$SCRATCH/ws" > "$SCRATCH/heddle.out" 2>&1 &
HEDDLE_PID=$!
java $LEAN -cp "$JETTY_CP" BareJetty "$p2" > "$SCRATCH/jetty.out" 2>&1 &
JETTY_PID=$!
for p in "$p1" "$p2"; do
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$p/api/runtime-host" > /dev/null && break
    sleep 0.1
  done
done
out=$RESULTS/runtime-host-throughput.txt
: > "$out"
for target in heddle:$p1 bare-jetty:$p2; do   # warm-up: let C1 compile the request path
  wrk -t2 -c16 -d5s "http://127.0.0.1:${target#*:}/api/runtime-host" > /dev/null
done
for round in $(seq 1 "$ROUNDS"); do
  for target in heddle:$p1 bare-jetty:$p2; do
    rps=$(wrk -t2 -c16 -d"$DURATION" "http://127.0.0.1:${target#*:}/api/runtime-host" | awk '/Requests\/sec/ {print $2}')
    echo "${target%%:*} $round $rps" | tee -a "$out"
  done
done
python3 - "$out" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
by = {}
for name, _, rps in rows:
    by.setdefault(name, []).append(float(rps))
for name, v in by.items():
    print("  %-10s median %9.0f req/s   min %9.0f   max %9.0f   (%d rounds)" % (name, statistics.median(v), min(v), max(v), len(v)))
print("  ratio heddle / bare Jetty (medians): %.2f (target >= 0.9)" % (statistics.median(by["heddle"]) / statistics.median(by["bare-jetty"])))
PY
