#!/usr/bin/env bash
# first-200.sh PORT COMMAND...
# Starts COMMAND, returns as soon as GET /api/health (or HEALTH_PATH) on 127.0.0.1:PORT answers 200, then kills
# COMMAND with SIGKILL (so the time measured is start -> first 200, not a graceful stop).
# Polls every 5 ms with bash's /dev/tcp (no process per poll). Exit 1 after 60 s without a 200.
port=$1
path=${HEALTH_PATH:-/api/health}
shift
"$@" >/dev/null 2>&1 &
pid=$!
deadline=$((SECONDS + 60))
probe() {
  ( exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&3
    IFS= read -r -t 5 line <&3 && printf '%s\n' "$line" ) 2>/dev/null
}
while :; do
  case $(probe) in
    *" 200"*) break ;;
  esac
  if ((SECONDS > deadline)) || ! kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid" 2>/dev/null
    echo "first-200: no 200 from port $port: $*" >&2
    exit 1
  fi
  read -r -t 0.005 <> <(:) || true
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
exit 0
