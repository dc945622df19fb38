#!/usr/bin/env bash
# launcher-attach.sh: `heddle daemon` while a daemon is live (the attach path) against the JVM
# floor `java -cp . Hello`, in one hyperfine run. Target (issue 15): median at most 1.6x the floor.
. "$(dirname -- "$0")/common.sh"
ROUNDS=${ROUNDS:-8}
RUNS=${RUNS:-5}
export HEDDLE_HOME=$SCRATCH/home
mkdir -p "$SCRATCH/ws" "$SCRATCH/hello"
cat > "$SCRATCH/hello/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("Hello"); } }
JAVA
javac -d "$SCRATCH/hello" "$SCRATCH/hello/Hello.java"

"$DIST/bin/heddle" daemon --port 0 --workspace "$SCRATCH/ws" > "$SCRATCH/daemon.out" 2>&1 &
daemon=$!
trap 'kill $daemon 2>/dev/null; wait $daemon 2>/dev/null; rm -rf "$SCRATCH"' EXIT
for _ in $(seq 1 600); do grep -q '^registry=' "$SCRATCH/daemon.out" && break; sleep 0.1; done
grep -q '^registry=' "$SCRATCH/daemon.out" || { cat "$SCRATCH/daemon.out" >&2; exit 1; }
"$DIST/bin/heddle" daemon | head -1

out=$RESULTS/launcher-attach.json
rounds "$out" "$ROUNDS" -N --warmup 2 --runs "$RUNS" \
  -n "java -cp . Hello" "java -cp $SCRATCH/hello Hello" \
  -n "heddle daemon (attach)" "$DIST/bin/heddle daemon" \
  -n "./heddle daemon (attach)" "$ROOT/heddle daemon"
summary "$out"
floor=$(median_of "$out" "java -cp . Hello")
attach=$(median_of "$out" "heddle daemon (attach)")
python3 -c "import sys; print('  ratio heddle daemon (attach) / java Hello: %.2fx (target <= 1.6x)' % (float(sys.argv[1]) / float(sys.argv[2])))" "$attach" "$floor"
