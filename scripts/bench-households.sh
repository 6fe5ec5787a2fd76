#!/usr/bin/env bash
# Household register at scale (docs/benchmarks.md): 100,000 households in one organisation,
# then the list and search pages with wrk on 127.0.0.1 (bounded: one thread, WRK_C connections,
# default 1 = one worker at a time; 10 s per URL), and an import of 10,000 rows through the
# four wizard steps.
# Usage: scripts/bench-households.sh [sqlite|postgres]   (default: both)
# BENCH_SKIP_LIST=1 skips the wrk runs on the list and search pages (only the import is timed);
# BENCH_DB and BENCH_PORT change the PostgreSQL database (mtp_bench) and port (18080), e.g. to
# run beside scripts/bench-sessions.sh. The binary is ${CARGO_TARGET_DIR:-target}/release/mtp.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || apt-get install -y -q wrk
cargo build --release -q -p mtp
BIN="$(realpath "${CARGO_TARGET_DIR:-target}")/release/mtp"
PORT=${BENCH_PORT:-18080}
BASE="http://127.0.0.1:$PORT"

csrf() { grep -o 'name="_csrf" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//'; }

run() {
  local kind=$1 dir url
  dir=$(mktemp -d)
  if [ "$kind" = sqlite ]; then
    url="sqlite://$dir/bench.sqlite?mode=rwc"
  else
    local db=${BENCH_DB:-mtp_bench}
    psql -q postgres://postgres@127.0.0.1:5432/postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    url="postgres://postgres@127.0.0.1:5432/$db"
    MTP_DATABASE_URL=$url "$BIN" migrate >/dev/null
  fi
  export MTP_DATABASE_URL=$url MTP_DATA_DIR=$dir MTP_LOG=warn
  local login email pass
  login=$("$BIN" demo | grep '^worker ')
  email=$(echo "$login" | cut -d' ' -f2); pass=$(echo "$login" | cut -d' ' -f3)
  echo "## $kind"
  /usr/bin/time -f "generate 100000 households: %e s, max RSS %M KB" "$BIN" generate --households 100000
  if [ "$kind" != sqlite ]; then
    # What operations.md asks after a bulk load: vacuum and statistics now, and a checkpoint,
    # so the measurement sees the steady state rather than autovacuum catching up.
    psql -q "$url" -c "VACUUM ANALYZE" -c "CHECKPOINT"
  fi
  MTP_BIND=127.0.0.1:$PORT "$BIN" serve >/dev/null &
  local pid=$!
  for _ in $(seq 1 50); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
  local jar="$dir/cookies" token
  token=$(curl -s -c "$jar" -b "$jar" "$BASE/login" | csrf)
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$token" --data-urlencode "email=$email" --data-urlencode "password=$pass" "$BASE/login"
  local cookie
  cookie=$(awk '$6=="mtp_session"{print $7}' "$jar")
  if [ -z "${BENCH_SKIP_LIST:-}" ]; then
    for path in "/households" "/households?page=100" "/households?q=nguyen+4711" "/households?q=0610004711"; do
      echo "### GET $path"
      wrk -t1 -c"${WRK_C:-1}" -d10s --latency -H "Cookie: mtp_session=$cookie" "$BASE$path" | grep -E "Requests/sec|50%|90%|99%"
      # wrk prints no 95th percentile; oha (scripts/bench-sessions.sh installs it) does.
      if command -v oha >/dev/null; then
        oha --no-tui -c "${WRK_C:-1}" -z 10s -H "Cookie: mtp_session=$cookie" "$BASE$path" | grep -E "95.00%" | sed 's/^ */     oha p95: /'
      fi
    done
    echo "### RSS after load: $(ps -o rss= -p $pid) KB"
  fi
  # Import of 10,000 rows, timed from upload to commit.
  local csv="$dir/import.csv"
  { echo "Voornaam;Achternaam;Telefoon"; for i in $(seq 1 10000); do printf 'Ouder;Import %d;06-2%07d\n' "$i" "$i"; done; } > "$csv"
  local start end loc id code
  start=$(date +%s.%N)
  token=$(curl -s -c "$jar" -b "$jar" "$BASE/households/import" | csrf)
  loc=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' -F "file=@$csv" "$BASE/households/import?_csrf=$token")
  id=$(echo "$loc" | sed 's#.*/import/##; s#/columns##')
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$token" -d first_name=0 -d last_name=1 -d phone=2 "$BASE/households/import/$id/columns"
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$token" "$BASE/households/import/$id/check"
  code=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$token" -d consent_data=yes -d consent_method=paper "$BASE/households/import/$id/confirm")
  end=$(date +%s.%N)
  echo "### import 10,000 rows (upload, columns, check, commit): $(echo "$end - $start" | bc) s"
  [ "$code" = 303 ] || echo "!!! the commit answered $code instead of 303: nothing was imported"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}

for kind in ${1:-sqlite postgres}; do run "$kind"; done
