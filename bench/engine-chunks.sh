#!/usr/bin/env bash
# Measures the model engine's overhead per streamed chunk, as recorded in docs/performance.md
# ("Model engine: overhead per streamed chunk"): EngineChunkBench (itest, never run by
# 'mvn verify') streams replies from the loopback fake provider through an OpenAI-compatible
# engine and times each frame from the provider's flush to its REPLY_CHUNK on /api/events.
# Extra arguments go to Maven, e.g. bench/engine-chunks.sh -Dheddle.bench.replies=40
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
bench/machine.sh 2>/dev/null | grep -v hyperfine || true
mvn -B -q verify -pl itest -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=EngineChunkBench -Dheddle.bench.out="$PWD/bench/results/engine-chunks.txt" "$@"
cat bench/results/engine-chunks.txt
