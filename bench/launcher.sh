#!/usr/bin/env bash
# launcher.sh: every launcher figure of docs/performance.md ("Launcher"), with the machine facts.
set -euo pipefail
here=$(dirname -- "$0")
echo "== machine"; "$here/machine.sh"
echo "== attach path"; "$here/launcher-attach.sh"
echo "== cold start to first 200"; "$here/launcher-cold-start.sh"
echo "== idle RSS"; "$here/launcher-rss.sh"
