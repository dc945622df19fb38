#!/usr/bin/env bash
# soak.sh [MINUTES]: does an idle-but-busy daemon keep its memory? Starts a daemon with the
# default flags of bin/heddle, keeps one SSE client on GET /api/events and a heartbeat task of
# the `command` runner (`true`) due every second, and samples the daemon's memory once a minute
# for MINUTES (default 30). At 1 minute and at the end it records RSS (VmRSS, and Rss, Pss and
# private memory from /proc/PID/smaps_rollup) and then the live heap after a full GC
# (jcmd GC.class_histogram forces one; its Total line). Verdict: RSS at the end within 10% of
# RSS after 1 minute. Samples go to bench/results/soak.csv, the summary to bench/results/soak.txt.
# Run it nice'd in the background for the full 30 minutes: nice -n 10 bench/soak.sh 30 &
. "$(dirname -- "$0")/common.sh"
MINUTES=${1:-30}
case $MINUTES in '' | *[!0-9]*) echo "soak.sh: MINUTES must be a whole number (got '$MINUTES')" >&2; exit 2 ;; esac
((MINUTES >= 2)) || { echo "soak.sh: MINUTES must be at least 2 (the first point is at 1 minute)" >&2; exit 2; }
export HEDDLE_HOME=$SCRATCH/home
WS=$SCRATCH/ws
mkdir -p "$WS"
daemon=; sse=
trap 'set +e; kill $sse 2>/dev/null; [ -n "$daemon" ] && { "$DIST/bin/heddle" stop >/dev/null 2>&1 || kill $daemon 2>/dev/null; wait $daemon 2>/dev/null; }; rm -rf "$SCRATCH"' EXIT

"$DIST/bin/heddle" daemon --port 0 --workspace "$WS" > "$SCRATCH/daemon.out" 2>&1 &
daemon=$!
for _ in $(seq 1 600); do grep -q '^registry=' "$SCRATCH/daemon.out" && break; sleep 0.1; done
grep -q '^registry=' "$SCRATCH/daemon.out" || { cat "$SCRATCH/daemon.out" >&2; exit 1; }
url=$(sed -n 's/^Heddle server listening at //p' "$SCRATCH/daemon.out")
pid=$(pgrep -P "$daemon" java || echo "$daemon") # bin/heddle execs java: usually the same process
curl -sN "$url/api/events" > "$SCRATCH/events.txt" 2>/dev/null &
sse=$!
(cd "$WS" && "$DIST/bin/heddle" task add --every 1s --name soak 'soak heartbeat' -- true) | sed 's/^/  /'

kib() { awk -v k="$1" '/^'"$1"':/ {print $2}' "$2"; }
sample() { # sample LABEL -> one CSV line: minute, VmRSS, Rss, Pss, private, private dirty (KiB), threads
  local rollup=/proc/$pid/smaps_rollup
  local priv=$(( $(kib Private_Clean "$rollup") + $(kib Private_Dirty "$rollup") ))
  echo "$1,$(kib VmRSS "/proc/$pid/status"),$(kib Rss "$rollup"),$(kib Pss "$rollup"),$priv,$(kib Private_Dirty "$rollup"),$(kib Threads "/proc/$pid/status")"
}
live_heap() { # bytes of live objects after the full GC that GC.class_histogram runs
  jcmd "$pid" GC.class_histogram 2>/dev/null | awk '/^Total/ {print $3}'
}
csv=$RESULTS/soak.csv # a run writes its samples here as it goes
echo "minute,vmrss_kib,rss_kib,pss_kib,private_kib,dirty_kib,threads" > "$csv"
start=$SECONDS
for minute in $(seq 1 "$MINUTES"); do
  sleep $((start + minute * 60 - SECONDS))
  kill -0 "$pid" 2>/dev/null || { echo "soak.sh: the daemon died at minute $minute" >&2; cat "$SCRATCH/daemon.out" >&2; exit 1; }
  sample "$minute" >> "$csv"
  if ((minute == 1)); then heap1=$(live_heap); fi
done
heapN=$(live_heap)
events=$(grep -c '^data:' "$SCRATCH/events.txt" || true)
kill -0 "$sse" 2>/dev/null && sse_state="connected" || sse_state="DISCONNECTED"
python3 - "$csv" "$MINUTES" "$heap1" "$heapN" "$events" "$sse_state" <<'PY' | tee "$RESULTS/soak.txt"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
minutes, heap1, heapN, events, sse = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
mib = lambda kib: int(kib) / 1024
first, last = rows[0], rows[-1]
for label, r in (("after 1 min", first), ("after %d min" % minutes, last)):
    print("  %-14s VmRSS %6.1f MiB   Rss %6.1f   Pss %6.1f   private %6.1f   private dirty %6.1f MiB   %s threads" % (
        label, mib(r["vmrss_kib"]), mib(r["rss_kib"]), mib(r["pss_kib"]), mib(r["private_kib"]), mib(r["dirty_kib"]), r["threads"]))
print("  live heap after a full GC: %.1f MiB after 1 min, %.1f MiB after %d min" % (heap1 / 2**20, heapN / 2**20, minutes))
vm = [mib(r["vmrss_kib"]) for r in rows]
print("  VmRSS per minute (MiB): " + " ".join("%.1f" % v for v in vm))
print("  min %.1f  max %.1f MiB; SSE client %s, %s event lines received" % (min(vm), max(vm), sse, events))
ratio = int(last["vmrss_kib"]) / int(first["vmrss_kib"])
print("  RSS end / 1 min: %.3f (target within 10%%: %s)" % (ratio, "met" if abs(ratio - 1) <= 0.10 else "MISSED"))
PY
