#!/usr/bin/env bash
# Measures hot-deploy latency in a real container, as recorded in docs/performance.md
# ("Hot deploy"): HotDeployBench (itest, never run by 'mvn verify') deploys and removes the
# example extension, for pollMs 100 (the default) and 250. Extra arguments go to Maven, e.g.
#   bench/hot-deploy.sh -Dheddle.bench.runs=51
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
mvn -B -q verify -pl itest -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=HotDeployBench -Dheddle.bench.out="$PWD/bench/results/hot-deploy.txt" "$@"
cat bench/results/hot-deploy.txt
