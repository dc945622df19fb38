#!/usr/bin/env bash
# First load of the web UI's Overview in headless Chromium: bytes over the wire and
# Navigation Timing, 10 loads, each in a fresh browser profile. Figures in docs/performance.md.
# Needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install -y chromium chromium-driver).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q -pl itest -am package dependency:build-classpath -DskipTests \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/web-bench.classpath
java -cp "itest/target/test-classes:$(cat itest/target/web-bench.classpath)" \
    -Dheddle.dist=launcher/target/heddle \
    -Dheddle.webSource=bundles/web/src/main/resources/web \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    io.heddle.itest.browser.WebFirstLoadBench "${1:-10}"
