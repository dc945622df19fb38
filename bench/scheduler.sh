#!/usr/bin/env bash
# Runs the heartbeat scheduler benchmarks exactly as recorded in docs/performance.md
# ("Heartbeat scheduler"): the JMH tick benchmark, then the load probe (idle CPU, due latency).
# Arguments go to the probe: [idleSeconds] [dueSeconds] (default 30 30).
# Set HEDDLE_BENCH_DIR to put the task files on another file system (default: java.io.tmpdir).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl bench/scheduler-jmh -am package -DskipTests
mkdir -p bench/results
jar=bench/scheduler-jmh/target/benchmarks.jar
dir="${HEDDLE_BENCH_DIR:-$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.io.tmpdir = //p')}"
java -jar "$jar" SchedulerTickBenchmark -bm avgt -tu us -wi 3 -w 2s -i 5 -r 2s -f 1 \
  -jvmArgsAppend "-Dheddle.bench.dir=$dir" -rf json -rff bench/results/scheduler-tick.json
java "-Dheddle.bench.dir=$dir" -cp "$jar" io.heddle.heartbeat.internal.SchedulerLoadProbe "$@" \
  | tee bench/results/scheduler-load.txt
