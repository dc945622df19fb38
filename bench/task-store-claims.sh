#!/usr/bin/env bash
# Runs the task store claim benchmark exactly as recorded in docs/performance.md ("Shared task
# store: claims"): starts its own PostgreSQL 15 (Debian's, as the test harness does: initdb into a
# temporary folder owned by the postgres user, run through runuser when this script runs as root,
# on a free port of 127.0.0.1, default durability settings), runs
# io.heddle.heartbeat.internal.TaskStoreClaimsProbe against it and against the file store in the
# same run, and stops and deletes the database on exit.
# Arguments go to the probe: [warmupSeconds] [measureSeconds] [tasks] [serverCounts] (default 10 20 20 1,2,4).
# HEDDLE_BENCH_DIR: where the workspace folders and the database go (default: /tmp).
# HEDDLE_BENCH_SKIP_BUILD=1: use the jar built before. HEDDLE_POSTGRES_BIN: another PostgreSQL 15.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${HEDDLE_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"
if [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL 15 is missing (no $bin/initdb): install Debian's postgresql-15 package (apt-get install postgresql-15)" >&2
  exit 1
fi
jar=bench/task-store-claims/target/task-store-claims.jar
if [ "${HEDDLE_BENCH_SKIP_BUILD:-}" != 1 ] || [ ! -f "$jar" ]; then
  mvn -B -q -pl bench/task-store-claims -am package -DskipTests
fi
base="${HEDDLE_BENCH_DIR:-/tmp}"
mkdir -p "$base" bench/results
dir="$(mktemp -d "$base/heddle-pg-XXXXXX")"
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
port=""
for candidate in $(shuf -i 20000-60999 -n 50); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || { echo "no free port found on 127.0.0.1" >&2; exit 1; }
as_postgres "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C \
  --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log"
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
password="$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
psql_as_postgres() {
  as_postgres "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres "$@"
}
psql_as_postgres -d postgres -c "CREATE ROLE heddle LOGIN PASSWORD '$password'" -c "CREATE DATABASE heddle OWNER heddle"
psql_as_postgres -d heddle -c "ALTER SCHEMA public OWNER TO heddle"
echo "PostgreSQL $(as_postgres "$bin/postgres" --version | sed -n 's/^postgres (PostgreSQL) \([^ ]*\).*/\1/p') on 127.0.0.1:$port, data in $dir/data" \
  "(fsync $(psql_as_postgres -d heddle -A -t -c 'SHOW fsync'), synchronous_commit $(psql_as_postgres -d heddle -A -t -c 'SHOW synchronous_commit'))"
bench/machine.sh 2>/dev/null | grep -v hyperfine || true
export HEDDLE_BENCH_PG_PASSWORD="$password"
java -Dheddle.bench.pg.url="jdbc:postgresql://127.0.0.1:$port/heddle" -Dheddle.bench.pg.user=heddle \
  -Dheddle.bench.pg.passwordEnv=HEDDLE_BENCH_PG_PASSWORD -Dheddle.bench.dir="$base" \
  -jar "$jar" "$@" | tee "bench/results/task-store-claims-$(date -u +%Y%m%dT%H%M%SZ).txt"
