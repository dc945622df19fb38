#!/usr/bin/env bash
# runtime-host-throughput.sh: requests per second and p99 latency on GET /api/runtime-host,
# Heddle's whiteboard servlet (access rules, server facts from the request) against a bare
# embedded Jetty 12.0 serving the same JSON from one servlet (bench/bare-jetty), in the same run.
#
# Fair baseline: the bare Jetty runs with exactly the JVM flags of bin/heddle (read from the
# script, less the CDS archive of Heddle's own classes) and with the same Jetty settings Felix
# HTTP uses by default: a QueuedThreadPool of 8 to 200 threads, one acceptor, Jetty's default
# selector count (Felix's threadpool.max, acceptors and selectors keys are unset: -1, Jetty's
# defaults). The script prints both processes' thread counts under load as a check.
#
# wrk on loopback: 2 threads, 16 connections, DURATION per round (default 10s), after a 5 s
# warm-up of each server. Rounds alternate the servers so a load that drifts on a shared
# machine skews them alike. Target: Heddle >= 0.95x bare Jetty in every round, p99 no worse.
#
# EXTRA_TARGETS="name=URL ..." adds more servers to every round (bench/side-by-side.sh adds the
# reference daemon); RESULT_FILE overrides where the rows go (name round req/s p99-ms).
. "$(dirname -- "$0")/common.sh"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s} # per server before the first round: C1 compiles the request path in a few seconds, C2 needs longer
trap 'set +e; kill $HEDDLE_PID $JETTY_PID 2>/dev/null; wait $HEDDLE_PID $JETTY_PID 2>/dev/null; rm -rf "$SCRATCH"' EXIT
mvn -B -q -Dstyle.color=never -f "$BENCH/bare-jetty/pom.xml" package
JETTY_CP="$BENCH/bare-jetty/target/bare-jetty-1.jar:$BENCH/bare-jetty/target/lib/*"
LEAN=$(sed -n '/^JVM_OPTS="/,/"$/p' "$DIST/bin/heddle" | tr -d '\\\n"' | sed 's/^JVM_OPTS=//')
echo "  JVM flags of both servers: $LEAN"
p1=$(free_port); p2=$(free_port)
mkdir -p "$SCRATCH/ws"
HEDDLE_HOME=$SCRATCH/home "$DIST/bin/heddle" daemon --port "$p1" --workspace "$SCRATCH/ws" > "$SCRATCH/heddle.out" 2>&1 &
HEDDLE_PID=$!
java $LEAN -cp "$JETTY_CP" BareJetty "$p2" > "$SCRATCH/jetty.out" 2>&1 &
JETTY_PID=$!
targets="heddle=http://127.0.0.1:$p1/api/runtime-host bare-jetty=http://127.0.0.1:$p2/api/runtime-host ${EXTRA_TARGETS:-}"
for target in $targets; do
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "${target#*=}" && break
    sleep 0.1
  done
  curl -sf -o /dev/null "${target#*=}" || { echo "no answer from ${target%%=*} at ${target#*=}" >&2; exit 1; }
done
out=${RESULT_FILE:-$RESULTS/runtime-host-throughput.txt}
: > "$out"
for target in $targets; do   # warm-up: let C1 compile the request path
  wrk -t2 -c16 -d"$WARMUP" "${target#*=}" > /dev/null
done
threads() { awk '/^Threads/ {print $2}' "/proc/$1/status"; }
for round in $(seq 1 "$ROUNDS"); do
  for target in $targets; do
    name=${target%%=*}
    wrk -t2 -c16 -d"$DURATION" --latency "${target#*=}" > "$SCRATCH/wrk.out" &
    wrk_pid=$!
    if ((round == 1)) && [ "$name" = heddle ]; then sleep 2; heddle_threads=$(threads "$HEDDLE_PID"); fi
    if ((round == 1)) && [ "$name" = bare-jetty ]; then sleep 2; jetty_threads=$(threads "$JETTY_PID"); fi
    wait "$wrk_pid"
    rps=$(awk '/Requests\/sec/ {print $2}' "$SCRATCH/wrk.out")
    p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; print v}' "$SCRATCH/wrk.out")
    echo "$name $round $rps $p99" | tee -a "$out"
  done
done
echo "  threads under load: heddle $heddle_threads (whole JVM: Felix, SCR, scheduler, ...), bare Jetty $jetty_threads"
read -r h_rss h_pss h_priv h_dirty < <(memory_of "$HEDDLE_PID")
read -r j_rss j_pss j_priv j_dirty < <(memory_of "$JETTY_PID")
echo "  RSS after the load: heddle $(mib "$h_rss") MiB (Pss $(mib "$h_pss"), private $(mib "$h_priv"), dirty $(mib "$h_dirty")), bare Jetty $(mib "$j_rss") MiB (Pss $(mib "$j_pss"), private $(mib "$j_priv"), dirty $(mib "$j_dirty"))"
echo "heddle $h_rss $h_pss $h_priv $h_dirty" > "$out.rss"
echo "bare-jetty $j_rss $j_pss $j_priv $j_dirty" >> "$out.rss"
python3 - "$out" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
rps, p99 = {}, {}
for name, rnd, r, p in rows:
    rps.setdefault(name, {})[int(rnd)] = float(r)
    p99.setdefault(name, {})[int(rnd)] = float(p)
for name in rps:
    v, p = list(rps[name].values()), list(p99[name].values())
    print("  %-10s req/s median %9.0f  min %9.0f  max %9.0f   p99 median %6.2f ms  min %6.2f  max %6.2f   (%d rounds)" % (
        name, statistics.median(v), min(v), max(v), statistics.median(p), min(p), max(p), len(v)))
ratios = [rps["heddle"][r] / rps["bare-jetty"][r] for r in sorted(rps["heddle"])]
print("  ratio heddle / bare Jetty per round: %s; medians %.2f (target >= 0.95 in every round: %s)" % (
    " ".join("%.2f" % x for x in ratios), statistics.median(rps["heddle"].values()) / statistics.median(rps["bare-jetty"].values()),
    "met" if min(ratios) >= 0.95 else "missed"))
worse = [r for r in p99["heddle"] if p99["heddle"][r] > p99["bare-jetty"][r]]
print("  p99 heddle no worse than bare Jetty: %s" % ("in every round" if not worse else "missed in round(s) " + ", ".join(map(str, worse))))
PY
