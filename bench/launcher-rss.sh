#!/usr/bin/env bash
# launcher-rss.sh: resident memory of a running daemon after 200 requests and 10 s idle.
# RSS counts the shared file pages too (libjvm, the CDS archives); Pss and private memory are
# printed next to it. Target (issue 15): at most 64 MiB with the default flags.
. "$(dirname -- "$0")/common.sh"
ROUNDS=${ROUNDS:-3}
trap 'rm -rf "$SCRATCH"' EXIT
for round in $(seq 1 "$ROUNDS"); do
  export HEDDLE_HOME=$SCRATCH/home-$round
  mkdir -p "$SCRATCH/ws"
  "$DIST/bin/heddle" daemon --port 0 --workspace "$SCRATCH/ws" > "$SCRATCH/daemon.out" 2>&1 &
  daemon=$!
  for _ in $(seq 1 600); do grep -q '^registry=' "$SCRATCH/daemon.out" && break; sleep 0.1; done
  if ! grep -q '^registry=' "$SCRATCH/daemon.out"; then
    echo "round $round: the daemon did not start:" >&2; cat "$SCRATCH/daemon.out" >&2
    kill "$daemon" 2>/dev/null; exit 1
  fi
  url=$(sed -n 's/^Heddle server listening at //p' "$SCRATCH/daemon.out")
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "$url/api/health" || true
    curl -s -o /dev/null "$url/api/runtime-host" || true
  done
  sleep 10
  read -r rss pss private dirty < <(memory_of "$daemon")
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$daemon/status")
  threads=$(awk '/Threads/ {print $2}' "/proc/$daemon/status")
  printf '  round %d: idle RSS %s MiB (Pss %s, private %s, private dirty %s), peak RSS %s MiB, %d threads\n' "$round" "$(mib "$rss")" "$(mib "$pss")" "$(mib "$private")" "$(mib "$dirty")" "$(mib "$hwm")" "$threads"
  "$DIST/bin/heddle" stop > /dev/null
  wait "$daemon" 2>/dev/null || true
done
