#!/usr/bin/env bash
# Runs the registry refresh benchmark exactly as recorded in docs/performance.md.
# Extra arguments go to JMH, e.g. to measure on the file system of ~/.heddle:
#   bench/registry-refresh.sh -jvmArgsAppend -Djava.io.tmpdir="$HOME/.heddle-bench"
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl bench/jmh -am package -DskipTests
mkdir -p bench/results
exec java -jar bench/jmh/target/benchmarks.jar RegistryRefreshBenchmark \
  -bm sample -tu us -wi 3 -w 2s -i 5 -r 2s -f 1 \
  -rf json -rff bench/results/registry-refresh.json "$@"
