#!/usr/bin/env bash
# Page-level figures at national scale (issue #7, docs/benchmarks.md), in two phases so the
# slow load runs once and the measurement can be repeated later on a quieter machine.
#
#   scripts/bench-national.sh load    sqlite|postgres [--orgs N] [--per-org N] [--as NAME]
#   scripts/bench-national.sh measure sqlite|postgres [--as NAME]
#   scripts/bench-national.sh finish  sqlite|postgres [--as NAME]   (after a load stopped by hand)
#
# load:    `mtp migrate` and `mtp generate --scale national` (wrapped in `nice`, bounded by
#          `timeout`) into a fixed place: SQLite /work/bench/NAME/mtp.sqlite, PostgreSQL database
#          scale_NAME over the Unix socket /var/run/postgresql. NAME is `national` unless --as
#          says otherwise (the one-neighbourhood baseline: `--orgs 1 --per-org 1 --as alone`).
#          The generator makes no accounts, so the load adds two with `mtp user create`
#          (MTP_PASSWORD set, so no password change is asked): a worker and a host of ONE
#          generated neighbourhood, "Wijk 01-01" of "Landelijk netwerk 01". On PostgreSQL it
#          then runs VACUUM ANALYZE and CHECKPOINT, what an operator does after a bulk load.
#          A second load into the same place refuses: drop the database or file first.
# measure: starts the release `mtp serve` on a free loopback port against that data, signs in
#          as the worker and the host, takes the neighbourhood's next coffee-hour session, and
#          measures with oha against 127.0.0.1 only, every run bounded by a request count and
#          by `timeout`: check-in (POST, JSON, 8 clients), the household list, a name search and
#          a phone search, the session page, the encouragement worklist and the encouragement
#          overview (1 client: one worker clicking as fast as the server answers), RSS from
#          /proc/PID/status (VmRSS after start, VmHWM = peak at the end), and each page's size
#          raw, gzip- and brotli-compressed (curl). `uptime` is printed before every run: the machine is
#          shared, and a figure is only as good as the load average beside it.
#
# Environment: BENCH_BIN (a binary built elsewhere; default: `cargo build --release -p mtp` in
# this worktree), BENCH_ROOT (default /work/bench), BENCH_REQUESTS (check-in requests, default
# 20000), BENCH_PAGES (requests per page, default 1000), LOAD_TIMEOUT (seconds, default 3600),
# LOAD_NICE (the generator's niceness, default 10: polite on a shared machine, but under a load
# average above the core count a niceness of 10 leaves it a few per cent of a core; 0 to finish).
set -euo pipefail
cd "$(dirname "$0")/.."

PHASE=${1:-}
KIND=${2:-}
shift 2 || true
ORGS="" PER_ORG="" NAME=national
while [ $# -gt 0 ]; do
  case $1 in
    --orgs) ORGS=$2; shift 2 ;;
    --per-org) PER_ORG=$2; shift 2 ;;
    --as) NAME=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$PHASE/$KIND" in
  load/sqlite | load/postgres | finish/sqlite | finish/postgres | measure/sqlite | measure/postgres) ;;
  *) sed -n '2,10p' "$0" >&2; exit 2 ;;
esac

ROOT=${BENCH_ROOT:-/work/bench}
DIR=$ROOT/$NAME
SOCKET_URL="postgres://postgres@localhost/postgres?host=/var/run/postgresql"
if [ "$KIND" = sqlite ]; then
  URL="sqlite://$DIR/mtp.sqlite?mode=rwc"
else
  URL="postgres://postgres@localhost/scale_$NAME?host=/var/run/postgresql"
fi
ORG="Landelijk netwerk 01"
NB="Wijk 01-01"
WORKER=bench-worker@voorbeeld.test
HOST=bench-host@voorbeeld.test
PASSWORD=bench-national-1

if [ -n "${BENCH_BIN:-}" ]; then
  BIN=$BENCH_BIN
else
  nice -n 10 cargo build --release -q -p mtp
  BIN="$(realpath "${CARGO_TARGET_DIR:-target}")/release/mtp"
fi
mkdir -p "$DIR/data"
export MTP_DATABASE_URL=$URL MTP_DATA_DIR=$DIR/data MTP_LOG=warn

sql() {
  if [ "$KIND" = sqlite ]; then sqlite3 "$DIR/mtp.sqlite" "$1"; else psql -X -Atq "$URL" -c "$1"; fi
}

if [ "$PHASE" = load ]; then
  if [ "$KIND" = sqlite ]; then
    [ -e "$DIR/mtp.sqlite" ] && { echo "$DIR/mtp.sqlite exists; remove it (and its -wal, -shm) to load again" >&2; exit 1; }
  else
    if psql -X -Atq "$SOCKET_URL" -c "SELECT 1 FROM pg_database WHERE datname = 'scale_$NAME'" | grep -q 1; then
      echo "database scale_$NAME exists; DROP DATABASE scale_$NAME to load again" >&2; exit 1
    fi
    psql -X -q "$SOCKET_URL" -c "CREATE DATABASE scale_$NAME"
  fi
  echo "## load $KIND into $NAME ($(git rev-parse --short HEAD)); $(uptime)"
  "$BIN" migrate
  PARTIAL=0
  args=(--scale national)
  [ -n "$ORGS" ] && args+=(--orgs "$ORGS")
  [ -n "$PER_ORG" ] && args+=(--per-org "$PER_ORG")
  # Stopped by the timeout, the load keeps the organisations it finished (each one complete,
  # every neighbourhood of the same shape) and still adds the accounts and vacuums, so a
  # partial data set can be measured too; `finish` does the same after a load stopped by hand.
  timeout "${LOAD_TIMEOUT:-3600}" nice -n "${LOAD_NICE:-10}" /usr/bin/time -f "generate: %e s, max RSS %M KB" \
    "$BIN" generate "${args[@]}" || { echo "!!! generate stopped (exit $?): the data set is partial"; PARTIAL=1; }
  PHASE=finish
fi

if [ "$PHASE" = finish ]; then
  MTP_PASSWORD=$PASSWORD "$BIN" user create --email "$WORKER" --name "Bench Werker" --role worker --org "$ORG" --neighbourhood "$NB" || true
  MTP_PASSWORD=$PASSWORD "$BIN" user create --email "$HOST" --name "Bench Gastvrouw" --role host --org "$ORG" --neighbourhood "$NB" || true
  # A stopped generate never reached its closing ANALYZE.
  [ "$KIND" = sqlite ] && [ "${PARTIAL:-1}" = 1 ] && sql "ANALYZE"
  if [ "$KIND" = postgres ]; then
    start=$(date +%s)
    psql -X -q "$URL" -c "VACUUM ANALYZE" -c "CHECKPOINT"
    echo "VACUUM ANALYZE + CHECKPOINT: $(( $(date +%s) - start )) s"
    psql -X -Atq "$URL" -c "SELECT 'database size: ' || pg_size_pretty(pg_database_size(current_database()))"
  else
    echo "file size: $(du -h "$DIR/mtp.sqlite" | cut -f1)"
  fi
  echo "organisations: $(sql "SELECT count(*) FROM organisation"), neighbourhoods: $(sql "SELECT count(*) FROM neighbourhood"), households: $(sql "SELECT count(*) FROM household"), attendance rows: $(sql "SELECT count(*) FROM attendance")"
  echo "## loaded; $(uptime)"
  exit 0
fi

# ---- measure ----
command -v oha >/dev/null || cargo install oha --locked
[ "$KIND" = sqlite ] && [ ! -e "$DIR/mtp.sqlite" ] && { echo "load first: $0 load sqlite" >&2; exit 1; }
# A binary newer than the load may bring an index (SQLite migrates on start-up by itself).
"$BIN" migrate >/dev/null
# A free loopback port: ask the kernel for one.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
N=${BENCH_REQUESTS:-20000}
P=${BENCH_PAGES:-1000}
tmp=$(mktemp -d)
# The retention job would otherwise start 10 minutes after start-up, in the middle of a run.
MTP_BIND=127.0.0.1:$PORT MTP_RETENTION_FIRST_SECS=86400 "$BIN" serve >"$tmp/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 1 150); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "$BASE/healthz" >/dev/null || { cat "$tmp/serve.log" >&2; exit 1; }
rss() { awk -v k="$1:" '$1==k{print $2}' "/proc/$pid/status"; }
sleep 2
rss_idle=$(rss VmRSS)
echo "## measure $KIND / $NAME, binary $(git rev-parse --short HEAD), port $PORT"
echo "RSS idle after start: $rss_idle KB"

csrf() { grep -o 'name="_csrf" value="[^"]*"' | sed -n 1p | sed 's/.*value="//; s/"$//'; }
login() { # email → prints "cookie csrf"
  local jar="$tmp/$1.jar" token
  token=$(curl -s -c "$jar" -b "$jar" "$BASE/login" | csrf)
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$token" --data-urlencode "email=$1" --data-urlencode "password=$PASSWORD" "$BASE/login"
  echo "$(awk '$6=="mtp_session"{print $7}' "$jar") $(curl -s -b "$jar" "$BASE/" | csrf)"
}
read -r worker_cookie _ <<<"$(login $WORKER)"
read -r host_cookie host_csrf <<<"$(login $HOST)"
[ -n "$worker_cookie" ] && [ -n "$host_cookie" ] || { echo "sign-in failed (did the load create the accounts?)" >&2; exit 1; }
W=(-H "Cookie: mtp_session=$worker_cookie")
H=(-H "Cookie: mtp_session=$host_cookie")

# The neighbourhood's coffee hour and its next session (the first one not yet held).
coffee=$(curl -s "${W[@]}" "$BASE/activities" | grep -o "href=\"/activities/[0-9a-f-]*\">Koffie-uurtje $NB" | sed -n 1p | sed 's#href="/activities/##; s#">.*##')
session=$(curl -s "${W[@]}" "$BASE/activities/$coffee" | grep -o 'href="/sessions/[0-9a-f-]*"' | sed -n 1p | sed 's#href="/sessions/##; s#"##')
# The check-in page is one form whose card buttons are named after their household (h-{id}).
household=$(curl -s "${H[@]}" "$BASE/sessions/$session/checkin" | grep -o 'name="h-[0-9a-f-]*" value="present"' | sed -n 1p | sed 's/name="h-//; s/".*//')
[ -n "$session" ] && [ -n "$household" ] || { echo "no session or household found (coffee=$coffee session=$session)" >&2; exit 1; }
listed=$(curl -s "${H[@]}" "$BASE/sessions/$session/checkin" | grep -o 'name="h-[0-9a-f-]*" value="present"' | wc -l)
echo "coffee hour $coffee, next session $session: $listed check-in buttons"

summary() { grep -E "Requests/sec|50.00%|95.00%|99.00%|Success rate|\[[0-9]{3}\] [0-9]+ responses"; }
load() { echo "load average: $(uptime | sed 's/.*load average: //')"; }
# A name search of two words and a phone search, both matching households of Wijk 01-01
# (the generator numbers the first neighbourhood's phones 06-30000000 …).
pages=("/households" "/households?q=fatima+jansen" "/households?q=0630000042" "/sessions/$session" "/sessions/$session/encourage" "/encourage")

echo "### POST check-in, 8 clients, $N requests (each a write) — $(load)"
timeout 600 oha --no-tui -c 8 -n "$N" -m POST "${H[@]}" -H "Accept: application/json" \
  -T application/x-www-form-urlencoded -d "_csrf=$host_csrf&household=$household&status=present&children=1" \
  "$BASE/sessions/$session/checkin" | summary
for path in "${pages[@]}"; do
  echo "### GET $path, 1 client, $P requests — $(load)"
  timeout 300 oha --no-tui -c 1 -n "$P" "${W[@]}" "$BASE$path" | summary
done
echo "### RSS: idle $rss_idle KB, now $(rss VmRSS) KB, peak (VmHWM) $(rss VmHWM) KB — $(load)"
echo "### Sizes (bytes): raw / gzip / brotli"
for path in "${pages[@]}" "/sessions/$session/checkin"; do
  jar=("${W[@]}")
  [ "$path" = "/sessions/$session/checkin" ] && jar=("${H[@]}")
  raw=$(curl -s -o /dev/null -w '%{size_download}' "${jar[@]}" "$BASE$path")
  gz=$(curl -s -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: gzip' "${jar[@]}" "$BASE$path")
  br=$(curl -s -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: br' "${jar[@]}" "$BASE$path")
  code=$(curl -s -o /dev/null -w '%{http_code}' "${jar[@]}" "$BASE$path")
  echo "$path: $raw / $gz / $br ($code)"
done
