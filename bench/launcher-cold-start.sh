#!/usr/bin/env bash
# launcher-cold-start.sh: from `heddle daemon` to the first 200 on /api/health, against a bare
# embedded Jetty 12.0 serving one servlet (bench/bare-jetty), in one hyperfine run.
# Target (issue 15): median at most 1.5x the bare Jetty. Each run starts from an empty HEDDLE_HOME and
# workspace state; each server is killed (SIGKILL) right after its first 200.
. "$(dirname -- "$0")/common.sh"
ROUNDS=${ROUNDS:-5}
RUNS=${RUNS:-3}
trap 'rm -rf "$SCRATCH"' EXIT
mvn -B -q -Dstyle.color=never -f "$BENCH/bare-jetty/pom.xml" package
JETTY_CP="$BENCH/bare-jetty/target/bare-jetty-1.jar:$BENCH/bare-jetty/target/lib/*"
# the JVM flags bin/heddle uses, without its class-data-sharing archive
LEAN=$(sed -n '/^JVM_OPTS="/,/"$/p' "$DIST/bin/heddle" | tr -d '\\\n"' | sed 's/^JVM_OPTS=//')
p1=$(free_port); p2=$(free_port); p3=$(free_port); p4=$(free_port)
mkdir -p "$SCRATCH/ws"
prep="rm -rf $SCRATCH/home $SCRATCH/ws/.heddle"
out=$RESULTS/launcher-cold-start.json
rounds "$out" "$ROUNDS" --warmup 1 --runs "$RUNS" --prepare "$prep" \
  -n "heddle daemon" "$BENCH/first-200.sh $p1 env HEDDLE_HOME=$SCRATCH/home $DIST/bin/heddle daemon --port $p1 --workspace $SCRATCH/ws" \
  -n "heddle daemon, no CDS" "$BENCH/first-200.sh $p2 env HEDDLE_HOME=$SCRATCH/home HEDDLE_JAVA_OPTS=-Xshare:off $DIST/bin/heddle daemon --port $p2 --workspace $SCRATCH/ws" \
  -n "bare Jetty, same JVM flags" "$BENCH/first-200.sh $p3 java $LEAN -cp $JETTY_CP BareJetty $p3" \
  -n "bare Jetty, default JVM" "$BENCH/first-200.sh $p4 java -cp $JETTY_CP BareJetty $p4"
summary "$out"
heddle=$(median_of "$out" "heddle daemon")
jetty=$(median_of "$out" "bare Jetty, same JVM flags")
python3 -c "import sys; print('  ratio heddle daemon / bare Jetty (same flags): %.2fx (target <= 1.5x)' % (float(sys.argv[1]) / float(sys.argv[2])))" "$heddle" "$jetty"
