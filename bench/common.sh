# Sourced by the launcher benchmarks: paths, a built distribution, a scratch folder.
set -euo pipefail
BENCH=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname -- "$BENCH")
DIST=${HEDDLE_BENCH_DIST:-$ROOT/launcher/target/heddle} # HEDDLE_BENCH_DIST: measure another copy
RESULTS=$BENCH/results
mkdir -p "$RESULTS"
if [ ! -x "$DIST/bin/heddle" ]; then
  echo "no distribution at $DIST: run 'mvn -B -q package -DskipTests' (or ./heddle --version) first" >&2
  exit 1
fi
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/heddle-bench.XXXXXX")
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
# rounds OUT.json ROUNDS HYPERFINE-ARGS... : runs hyperfine ROUNDS times with the same arguments
# (each run giving every command its --runs) and merges all timings per command into OUT.json.
# Commands alternate round by round, so a machine whose load drifts (a shared 2-core box)
# skews every command alike instead of whichever happened to run during a busy minute.
rounds() {
  local out=$1 n=$2 i
  shift 2
  for i in $(seq 1 "$n"); do
    hyperfine "$@" --export-json "$out.round$i" > /dev/null
  done
  python3 - "$out" "$n" <<'PY'
import json, statistics, sys
out, n = sys.argv[1], int(sys.argv[2])
merged = {}
order = []
for i in range(1, n + 1):
    for r in json.load(open("%s.round%d" % (out, i)))["results"]:
        m = merged.setdefault(r["command"], {"command": r["command"], "times": [], "user": [], "system": []})
        if r["command"] not in order:
            order.append(r["command"])
        m["times"] += r["times"]
        m["user"].append(r["user"])
        m["system"].append(r["system"])
results = []
for name in order:
    m = merged[name]
    t = m["times"]
    results.append({"command": name, "times": t, "median": statistics.median(t), "min": min(t), "max": max(t),
                    "mean": statistics.mean(t), "user": statistics.mean(m["user"]), "system": statistics.mean(m["system"])})
json.dump({"results": results}, open(out, "w"), indent=1)
PY
  rm -f "$out".round*
}
median_of() { # median_of FILE.json NAME -> seconds
  python3 -c 'import json,sys; r=[x for x in json.load(open(sys.argv[1]))["results"] if x["command"]==sys.argv[2]][0]; print(r["median"])' "$1" "$2"
}
summary() { # summary FILE.json: name median min max (ms)
  python3 - "$1" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("  %-28s median %8.1f ms   min %8.1f ms   max %8.1f ms   user+sys %7.1f ms   (%d runs)" % (
        r["command"], r["median"] * 1000, r["min"] * 1000, r["max"] * 1000,
        (r["user"] + r["system"]) * 1000, len(r["times"])))
PY
}
# memory_of PID: "VmRSS Pss private dirty" in KiB. VmRSS counts every resident page, shared file
# pages too (the JDK's libraries, the CDS archives); Pss divides shared pages among the processes
# that map them; private (Private_Clean + Private_Dirty) is what only this process maps, clean file
# pages included; dirty (Private_Dirty) is what only this process holds and the kernel cannot
# drop and read back: heap, stacks, malloc, written pages.
memory_of() {
  awk '/^VmRSS:/ {print $2}' "/proc/$1/status" | tr '\n' ' '
  awk '/^Pss:/ {pss = $2} /^Private_Dirty:/ {dirty = $2} /^Private_(Clean|Dirty):/ {priv += $2} END {print pss, priv, dirty}' "/proc/$1/smaps_rollup"
}
# mib KIB: KiB as MiB with one decimal
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
