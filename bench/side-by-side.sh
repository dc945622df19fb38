#!/usr/bin/env bash
# side-by-side.sh [REFERENCE_CHECKOUT]: Heddle for the JVM next to the reference design (the
# heddle TypeScript project at the PR #153 merge) and the floors, in one run, as a markdown table.
#
#   bench/side-by-side.sh ~/src/heddle          # or REFERENCE_CHECKOUT=~/src/heddle bench/side-by-side.sh
#
# The reference is built in a scratch copy (the checkout is never modified; nothing of it is kept):
# its package.json without the devDependency `cyberloop` (not served by the registry), then
# `yarn install --ignore-scripts` and `yarn build`. Its daemon is
# `node dist/src/cli/main.js --cwd WS daemon --no-assets --port P` with HOME set to a scratch
# folder; its health probe is GET /trpc/health. Without a checkout, or without node or yarn, the
# reference is skipped with one line saying why and the rest still runs (its column then reads
# "not measured (reason)").
#
# Figures, each in one run with the others:
#   cold start: start to the first 200 (bench/first-200.sh), Heddle and the reference from empty
#     state, against bare Jetty 12 with bin/heddle's JVM flags (bench/bare-jetty);
#   attach: `heddle daemon` with a live server, and the reference's `daemon` with its live daemon,
#     against `java -cp . Hello`;
#   idle RSS: after 100 requests and 10 s idle (VmRSS, Pss, private), bare Jetty as the floor;
#   throughput and p99: wrk -t2 -c16 through bench/runtime-host-throughput.sh, Heddle's
#     GET /api/runtime-host, the bare Jetty's equal servlet, and the reference's REFERENCE_PATH
#     (default /trpc/health: the reference has no runtime-host query; its health query is the
#     smallest JSON answer it has, so the comparison flatters it if anything).
# Environment: ROUNDS (cold start and attach, default 5), RUNS (per round, default 3),
# TP_ROUNDS and DURATION (throughput, default 3 and 10s).
. "$(dirname -- "$0")/common.sh"
ROUNDS=${ROUNDS:-5}
RUNS=${RUNS:-3}
REFERENCE_PATH=${REFERENCE_PATH:-/trpc/health}
ref=${1:-${REFERENCE_CHECKOUT:-}}
pids=()
cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

reason=
if [ -z "$ref" ]; then reason="no checkout given"
elif [ ! -f "$ref/package.json" ]; then reason="no package.json in $ref"
elif ! command -v node > /dev/null; then reason="node is missing"
elif ! command -v yarn > /dev/null; then reason="yarn is missing"
fi
[ -z "$reason" ] || echo "side-by-side: the reference is not measured: $reason (give a checkout's path as the argument or in REFERENCE_CHECKOUT; node and yarn must be on the PATH)." >&2

echo "== machine"
"$BENCH/machine.sh" | tee "$SCRATCH/machine.txt"
echo "node: $(command -v node > /dev/null && node --version || echo none)   wrk: $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"

REF_DIR=$SCRATCH/reference
if [ -z "$reason" ]; then
  echo "== building the reference in a scratch copy (log: $RESULTS/side-by-side-reference-build.log)"
  mkdir -p "$REF_DIR"
  tar -C "$ref" --exclude=./node_modules --exclude=./.git --exclude=./dist -cf - . | tar -C "$REF_DIR" -xf -
  node -e '
    const fs = require("fs"), f = process.argv[1], p = JSON.parse(fs.readFileSync(f, "utf8"));
    if (p.devDependencies) delete p.devDependencies.cyberloop;
    fs.writeFileSync(f, JSON.stringify(p, null, 2) + "\n");' "$REF_DIR/package.json"
  if ! (cd "$REF_DIR" && yarn install --ignore-scripts && yarn build) > "$RESULTS/side-by-side-reference-build.log" 2>&1; then
    reason="its build failed, see bench/results/side-by-side-reference-build.log"
    echo "side-by-side: the reference is not measured: $reason." >&2
  elif [ ! -f "$REF_DIR/dist/src/cli/main.js" ]; then
    reason="its build made no dist/src/cli/main.js"
    echo "side-by-side: the reference is not measured: $reason." >&2
  fi
fi
have_ref() { [ -z "$reason" ]; }
ref_daemon() { # ref_daemon PORT: the reference daemon's command line
  echo "env HOME=$SCRATCH/ref-home node $REF_DIR/dist/src/cli/main.js --cwd $SCRATCH/ref-ws daemon --no-assets --port $1"
}
mkdir -p "$SCRATCH/ws" "$SCRATCH/ref-ws" "$SCRATCH/ref-home" "$SCRATCH/hello"
if have_ref; then # one trial start, so that a daemon that does not come up is told apart at once
  pt=$(free_port)
  $(ref_daemon "$pt") > "$RESULTS/side-by-side-reference-daemon.log" 2>&1 &
  trial=$!
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "http://127.0.0.1:$pt/trpc/health" && break
    kill -0 "$trial" 2> /dev/null || break # it exited
    sleep 0.1
  done
  curl -sf -o /dev/null "http://127.0.0.1:$pt/trpc/health" ||
    { reason="its daemon did not answer GET /trpc/health, see bench/results/side-by-side-reference-daemon.log"
      echo "side-by-side: the reference is not measured: $reason." >&2; }
  kill "$trial" 2> /dev/null || true
  wait "$trial" 2> /dev/null || true
  rm -rf "$SCRATCH/ref-home" "$SCRATCH/ref-ws"
  mkdir -p "$SCRATCH/ref-ws" "$SCRATCH/ref-home"
fi

mvn -B -q -Dstyle.color=never -f "$BENCH/bare-jetty/pom.xml" package
JETTY_CP="$BENCH/bare-jetty/target/bare-jetty-1.jar:$BENCH/bare-jetty/target/lib/*"
LEAN=$(sed -n '/^JVM_OPTS="/,/"$/p' "$DIST/bin/heddle" | tr -d '\\\n"' | sed 's/^JVM_OPTS=//')
cat > "$SCRATCH/hello/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("Hello"); } }
JAVA
javac -d "$SCRATCH/hello" "$SCRATCH/hello/Hello.java"

echo "== cold start to the first 200 ($ROUNDS rounds x $RUNS runs)"
p1=$(free_port); p2=$(free_port); p3=$(free_port)
cmds=(-n "heddle daemon" "$BENCH/first-200.sh $p1 env HEDDLE_HOME=$SCRATCH/home $DIST/bin/heddle daemon --port $p1 --workspace $SCRATCH/ws"
      -n "bare Jetty, same JVM flags" "$BENCH/first-200.sh $p2 java $LEAN -cp $JETTY_CP BareJetty $p2")
have_ref && cmds+=(-n "reference daemon" "env HEALTH_PATH=/trpc/health $BENCH/first-200.sh $p3 $(ref_daemon "$p3")")
rounds "$RESULTS/side-by-side-cold.json" "$ROUNDS" --warmup 1 --runs "$RUNS" \
  --prepare "rm -rf $SCRATCH/home $SCRATCH/ws/.heddle $SCRATCH/ref-home/.heddle $SCRATCH/ref-ws/.heddle" "${cmds[@]}"
summary "$RESULTS/side-by-side-cold.json"

echo "== live servers: idle memory, then attach"
rm -rf "$SCRATCH/home" "$SCRATCH/ws/.heddle" "$SCRATCH/ref-home/.heddle" "$SCRATCH/ref-ws/.heddle"
export HEDDLE_HOME=$SCRATCH/home
"$DIST/bin/heddle" daemon --port 0 --workspace "$SCRATCH/ws" > "$SCRATCH/daemon.out" 2>&1 &
pids+=($!); heddle_pid=$!
pj=$(free_port)
java $LEAN -cp "$JETTY_CP" BareJetty "$pj" > "$SCRATCH/jetty.out" 2>&1 &
pids+=($!); jetty_pid=$!
if have_ref; then
  pr=$(free_port)
  $(ref_daemon "$pr") > "$SCRATCH/ref.out" 2>&1 &
  pids+=($!); ref_pid=$!
fi
for _ in $(seq 1 600); do grep -q '^registry=' "$SCRATCH/daemon.out" && break; sleep 0.1; done
grep -q '^registry=' "$SCRATCH/daemon.out" || { cat "$SCRATCH/daemon.out" >&2; exit 1; }
heddle_url=$(sed -n 's/^Heddle server listening at //p' "$SCRATCH/daemon.out")
urls="$heddle_url/api/health $heddle_url/api/runtime-host http://127.0.0.1:$pj/api/health http://127.0.0.1:$pj/api/runtime-host"
have_ref && urls="$urls http://127.0.0.1:$pr/trpc/health http://127.0.0.1:$pr$REFERENCE_PATH"
for u in $urls; do
  for _ in $(seq 1 300); do curl -sf -o /dev/null "$u" && break; sleep 0.1; done
done
for _ in $(seq 1 50); do for u in $urls; do curl -s -o /dev/null "$u" || true; done; done
sleep 10
{
  echo "heddle $(memory_of "$heddle_pid")"
  echo "bare-jetty $(memory_of "$jetty_pid")"
  if have_ref; then echo "reference $(memory_of "$ref_pid")"; fi
} > "$RESULTS/side-by-side-idle.txt"
while read -r name rss pss priv dirty; do
  echo "  $name: idle RSS $(mib "$rss") MiB (Pss $(mib "$pss"), private $(mib "$priv"), private dirty $(mib "$dirty"))"
done < "$RESULTS/side-by-side-idle.txt"
kill "$jetty_pid"; wait "$jetty_pid" 2>/dev/null || true

cmds=(-n "java -cp . Hello" "java -cp $SCRATCH/hello Hello"
      -n "heddle daemon (attach)" "$DIST/bin/heddle daemon")
have_ref && cmds+=(-n "reference daemon (attach)" "$(ref_daemon "$pr")")
rounds "$RESULTS/side-by-side-attach.json" "$ROUNDS" -N --warmup 2 --runs "$RUNS" "${cmds[@]}"
summary "$RESULTS/side-by-side-attach.json"
"$DIST/bin/heddle" stop > /dev/null || true
unset HEDDLE_HOME

echo "== throughput and p99 (bench/runtime-host-throughput.sh)"
extra=
have_ref && extra="reference=http://127.0.0.1:$pr$REFERENCE_PATH"
EXTRA_TARGETS=$extra RESULT_FILE=$RESULTS/side-by-side-throughput.txt ROUNDS=${TP_ROUNDS:-3} \
  "$BENCH/runtime-host-throughput.sh"
if have_ref; then echo "reference $(memory_of "$ref_pid")" >> "$RESULTS/side-by-side-throughput.txt.rss"; fi

echo "== table"
python3 - "$RESULTS" "${reason:-}" "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" <<'PY' | tee "$RESULTS/side-by-side.md"
import json, statistics, sys
res, reason, when, commit = sys.argv[1:5]
def hf(name):
    return {r["command"]: r for r in json.load(open("%s/side-by-side-%s.json" % (res, name)))["results"]}
cold, attach = hf("cold"), hf("attach")
idle = {l.split()[0]: [int(x) for x in l.split()[1:]] for l in open(res + "/side-by-side-idle.txt") if l.strip()}
after = {l.split()[0]: [int(x) for x in l.split()[1:]] for l in open(res + "/side-by-side-throughput.txt.rss") if l.strip()}
tp, p99 = {}, {}
for l in open(res + "/side-by-side-throughput.txt"):
    if l.strip():
        n, rnd, r, p = l.split()
        tp.setdefault(n, {})[int(rnd)] = float(r)
        p99.setdefault(n, {})[int(rnd)] = float(p)
NM = "not measured (%s)" % reason if reason else None
def ms(r): return "%.0f ms (min %.0f, max %.0f)" % (r["median"] * 1e3, r["min"] * 1e3, r["max"] * 1e3)
def mem(v): return "%.1f MiB (Pss %.1f, private %.1f, dirty %.1f)" % tuple(x / 1024 for x in v)
def rps(n):
    v = list(tp[n].values()); return "%.0f req/s (min %.0f, max %.0f)" % (statistics.median(v), min(v), max(v))
def lat(n):
    v = list(p99[n].values()); return "%.2f ms (min %.2f, max %.2f)" % (statistics.median(v), min(v), max(v))
ref = lambda f: NM if NM else f()
rows = []
c_h, c_f = cold["heddle daemon"], cold["bare Jetty, same JVM flags"]
rows.append(("cold start → first 200", "≤ 1.5x floor", ms(c_h), ref(lambda: ms(cold["reference daemon"])),
             "bare Jetty 12, same JVM flags: " + ms(c_f), "%.2fx" % (c_h["median"] / c_f["median"])))
a_h, a_f = attach["heddle daemon (attach)"], attach["java -cp . Hello"]
rows.append(("attach (`heddle daemon`, server live)", "≤ 1.6x floor", ms(a_h), ref(lambda: ms(attach["reference daemon (attach)"])),
             "`java -cp . Hello`: " + ms(a_f), "%.2fx" % (a_h["median"] / a_f["median"])))
rows.append(("idle RSS (100 requests, 10 s idle)", "≤ 64 MiB", mem(idle["heddle"]), ref(lambda: mem(idle["reference"])),
             "bare Jetty, same flags: " + mem(idle["bare-jetty"]), "%.2fx" % (idle["heddle"][0] / idle["bare-jetty"][0])))
ratios = [tp["heddle"][r] / tp["bare-jetty"][r] for r in sorted(tp["heddle"])]
rows.append(("`wrk -t2 -c16` req/s", "≥ 0.95x floor, every round", rps("heddle"), ref(lambda: rps("reference")),
             "bare Jetty: " + rps("bare-jetty"), "%s per round" % " / ".join("%.2fx" % x for x in ratios)))
rows.append(("p99 latency under that load", "≤ floor", lat("heddle"), ref(lambda: lat("reference")),
             "bare Jetty: " + lat("bare-jetty"), "%.2fx (medians)" % (statistics.median(p99["heddle"].values()) / statistics.median(p99["bare-jetty"].values()))))
rows.append(("RSS after the load", "—", mem(after["heddle"]), ref(lambda: mem(after["reference"])),
             "bare Jetty: " + mem(after["bare-jetty"]), "%.2fx" % (after["heddle"][0] / after["bare-jetty"][0])))
print("Side by side, %s, Heddle at %s. Reference: %s." % (when, commit, "its /trpc/health for throughput" if not NM else NM))
print()
print("| figure | target | this project | reference (TypeScript, Node) | floor | ratio to floor |")
print("| --- | --- | --- | --- | --- | --- |")
for r in rows: print("| " + " | ".join(r) + " |")
PY
