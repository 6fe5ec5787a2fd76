#!/usr/bin/env bash
# Sessions and check-in at scale (docs/benchmarks.md). Loads the demo, grows the organisation to
# NEIGHBOURHOODS neighbourhoods with YEARS years of weekly coffee hours and their attendance,
# then measures with oha on 127.0.0.1 only, bounded in requests:
#   - check-in over HTTP (session cookie, CSRF token, JSON answer) at 8 concurrent clients,
#     every request a real write (attendance, last attendance, audit entry in one transaction);
#   - replayed check-ins (the same idempotency key again: counted once, nothing written);
#   - the worker's session page of a coffee hour with 60 households on its list.
# Usage: scripts/bench-sessions.sh [sqlite|postgres] [years] [neighbourhoods]
# Every oha run is bounded by a request count and, as a safety net, by `timeout`.
set -euo pipefail
cd "$(dirname "$0")/.."
KIND=${1:-sqlite}
YEARS=${2:-1}
NEIGHBOURHOODS=${3:-1000}
N=${BENCH_REQUESTS:-20000}
command -v oha >/dev/null || cargo install oha --locked
# BENCH_BIN runs a binary built elsewhere (an A/B comparison of two commits, back to back).
if [ -n "${BENCH_BIN:-}" ]; then
  BIN=$BENCH_BIN
else
  cargo build --release -q -p mtp
  BIN="$PWD/target/release/mtp"
fi
PORT=18081
BASE="http://127.0.0.1:$PORT"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

csrf() { grep -o 'name="_csrf" value="[^"]*"' | sed -n 1p | sed 's/.*value="//; s/"$//'; }

if [ "$KIND" = sqlite ]; then
  url="sqlite://$dir/bench.sqlite?mode=rwc"
else
  psql -q postgres://postgres@127.0.0.1:5432/postgres -c "DROP DATABASE IF EXISTS mtp_bench" -c "CREATE DATABASE mtp_bench"
  url="postgres://postgres@127.0.0.1:5432/mtp_bench"
  MTP_DATABASE_URL=$url "$BIN" migrate >/dev/null
fi
export MTP_DATABASE_URL=$url MTP_DATA_DIR=$dir MTP_LOG=warn
logins=$("$BIN" demo)
echo "## $KIND, $NEIGHBOURHOODS neighbourhoods, $YEARS year(s) of weekly sessions"
/usr/bin/time -f "generate: %e s, max RSS %M KB" "$BIN" generate --households 0 --neighbourhoods "$NEIGHBOURHOODS" --years "$YEARS"

MTP_BIND=127.0.0.1:$PORT "$BIN" serve >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
echo "### RSS idle: $(ps -o rss= -p $pid) KB"

login() { # role → prints "cookie csrf"
  local line email pass jar token
  line=$(echo "$logins" | grep "^$1 ")
  email=$(echo "$line" | cut -d' ' -f2); pass=$(echo "$line" | cut -d' ' -f3)
  jar="$dir/$1.jar"
  token=$(curl -s -c "$jar" -b "$jar" "$BASE/login" | csrf)
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$token" --data-urlencode "email=$email" --data-urlencode "password=$pass" "$BASE/login"
  echo "$(awk '$6=="mtp_session"{print $7}' "$jar") $(curl -s -b "$jar" "$BASE/" | csrf)"
}
read -r worker_cookie _ <<<"$(login worker)"
read -r host_cookie host_csrf <<<"$(login host)"
coffee=$(curl -s -H "Cookie: mtp_session=$worker_cookie" "$BASE/activities" | grep -o 'href="/activities/[0-9a-f-]*">Koffie-uurtje Poort' | sed -n 1p | sed 's#href="/activities/##; s#">.*##')
session=$(curl -s -H "Cookie: mtp_session=$worker_cookie" "$BASE/activities/$coffee" | grep -o 'href="/sessions/[0-9a-f-]*"' | sed -n 1p | sed 's#href="/sessions/##; s#"##')
# The check-in page is one form whose card buttons are named after their household (h-{id}).
household=$(curl -s -H "Cookie: mtp_session=$host_cookie" "$BASE/sessions/$session/checkin" | grep -o 'name="h-[0-9a-f-]*" value="present"' | sed -n 1p | sed 's/name="h-//; s/".*//')
lines=$(curl -s -H "Cookie: mtp_session=$worker_cookie" "$BASE/sessions/$session" | grep -c 'name="household"' || true)
echo "session $session: $((lines / 2)) households on the list"

summary() { grep -E "Requests/sec|50.00%|95.00%|99.00%|Success rate|\[20[0-9]\]|\[4[0-9][0-9]\]|\[5[0-9][0-9]\]"; }
echo "### POST check-in, 8 clients, $N requests (each a write)"
timeout 300 oha --no-tui -c 8 -n "$N" -m POST -H "Cookie: mtp_session=$host_cookie" -H "Accept: application/json" \
  -T application/x-www-form-urlencoded -d "_csrf=$host_csrf&household=$household&status=present&children=1" \
  "$BASE/sessions/$session/checkin" | summary
echo "### POST check-in replayed (same key), 8 clients, $N requests"
timeout 300 oha --no-tui -c 8 -n "$N" -m POST -H "Cookie: mtp_session=$host_cookie" -H "Accept: application/json" \
  -T application/x-www-form-urlencoded -d "_csrf=$host_csrf&household=$household&status=present&children=1&key=bench-replay" \
  "$BASE/sessions/$session/checkin" | summary
echo "### GET session page (60 households), 1 client, 2000 requests"
timeout 300 oha --no-tui -c 1 -n 2000 -H "Cookie: mtp_session=$worker_cookie" "$BASE/sessions/$session" | summary
echo "### GET check-in page, 8 clients, 4000 requests"
timeout 300 oha --no-tui -c 8 -n 4000 -H "Cookie: mtp_session=$host_cookie" "$BASE/sessions/$session/checkin" | summary
echo "### RSS after load: $(ps -o rss= -p $pid) KB"
