#!/usr/bin/env bash
# lifecycle-start.sh: how long ControlPlaneLifecycle.start() takes inside the running container
# (validate, token, bind a Felix HTTP instance and wait for it, servlet context, endpoints
# attached, catalog, registry claim, heartbeat), as the lifecycle logs it ("start took N ms"),
# over N daemon starts. Baseline in the same run: Server.start() of a bare embedded Jetty 12.0
# with one servlet context (bench/bare-jetty), N times, with bin/heddle's JVM flags.
. "$(dirname -- "$0")/common.sh"
N=${N:-10}
trap 'rm -rf "$SCRATCH"' EXIT
mvn -B -q -Dstyle.color=never -f "$BENCH/bare-jetty/pom.xml" package
JETTY_CP="$BENCH/bare-jetty/target/bare-jetty-1.jar:$BENCH/bare-jetty/target/lib/*"
LEAN=$(sed -n '/^JVM_OPTS="/,/"$/p' "$DIST/bin/heddle" | tr -d '\\\n"' | sed 's/^JVM_OPTS=//')
out=$RESULTS/lifecycle-start.txt
: > "$out"
for i in $(seq 1 "$N"); do
  rm -rf "$SCRATCH/home" "$SCRATCH/ws"; mkdir -p "$SCRATCH/ws"
  HEDDLE_HOME=$SCRATCH/home "$DIST/bin/heddle" daemon --port 0 --workspace "$SCRATCH/ws" > "$SCRATCH/d.out" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do grep -q '^registry=' "$SCRATCH/d.out" && break; sleep 0.05; done
  HEDDLE_HOME=$SCRATCH/home "$DIST/bin/heddle" stop > /dev/null
  wait "$pid" || true
  ms=$(grep -o 'start took [0-9]* ms' "$SCRATCH/ws/.heddle/logs/server.log" | tail -1 | awk '{print $3}')
  echo "heddle $ms" | tee -a "$out"
  p=$(free_port)
  java $LEAN -cp "$JETTY_CP" BareJetty "$p" > "$SCRATCH/j.out" 2>&1 &
  jpid=$!
  for _ in $(seq 1 600); do grep -q 'start took' "$SCRATCH/j.out" && break; sleep 0.05; done
  kill "$jpid"; wait "$jpid" 2>/dev/null || true
  echo "bare-jetty $(grep -o 'start took [0-9]* ms' "$SCRATCH/j.out" | awk '{print $3}')" | tee -a "$out"
done
python3 - "$out" <<'PY'
import statistics, sys
by = {}
for l in open(sys.argv[1]):
    name, ms = l.split()
    by.setdefault(name, []).append(float(ms))
for name, v in by.items():
    print("  %-10s median %6.0f ms   min %6.0f ms   max %6.0f ms   (%d starts)" % (name, statistics.median(v), min(v), max(v), len(v)))
print("  ratio heddle start() / bare Jetty Server.start() (medians): %.2f" % (statistics.median(by["heddle"]) / statistics.median(by["bare-jetty"])))
PY
