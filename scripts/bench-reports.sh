#!/usr/bin/env bash
# Benchmarks of the reports and the research export (issue #15), against one organisation of
# the national shape: 20 neighbourhoods of 500 households with ten years of weekly coffee
# hours, which is what an organisation-wide report reads (docs/benchmarks.md, "Reports").
#
#   scripts/bench-reports.sh load sqlite|postgres      # once: generate the organisation
#   scripts/bench-reports.sh measure sqlite|postgres   # the figures
#
# The load is scripts/bench-national.sh's (`--orgs 1 --as reports`); BENCH_BIN, BENCH_ROOT as
# there. Only 127.0.0.1 is contacted, and every run is bounded in requests and time.
set -euo pipefail
cd "$(dirname "$0")/.."

PHASE=${1:-}
KIND=${2:-}
case "$PHASE/$KIND" in
  load/sqlite | load/postgres) exec scripts/bench-national.sh load "$KIND" --orgs 1 --as reports ;;
  measure/sqlite | measure/postgres) ;;
  *) sed -n '2,10p' "$0" >&2; exit 2 ;;
esac

ROOT=${BENCH_ROOT:-/work/bench}
DIR=$ROOT/reports
if [ "$KIND" = sqlite ]; then
  URL="sqlite://$DIR/mtp.sqlite?mode=rwc"
  [ -e "$DIR/mtp.sqlite" ] || { echo "load first: $0 load sqlite" >&2; exit 1; }
else
  URL="postgres://postgres@localhost/scale_reports?host=/var/run/postgresql"
fi
ORG="Landelijk netwerk 01"
NB="Wijk 01-01"
ADMIN=bench-admin@voorbeeld.test
RESEARCHER=bench-researcher@voorbeeld.test
PASSWORD=bench-national-1
if [ -n "${BENCH_BIN:-}" ]; then
  BIN=$BENCH_BIN
else
  nice -n 10 cargo build --release -q -p mtp
  BIN="$(realpath "${CARGO_TARGET_DIR:-target}")/release/mtp"
fi
export MTP_DATABASE_URL=$URL MTP_DATA_DIR=$DIR/data MTP_LOG=warn
mkdir -p "$DIR/data"
# oha when installed; otherwise the same one-client measurement in Python (scripts/bench-http.py).
if command -v oha >/dev/null; then
  get() { timeout 600 oha --no-tui -c 1 -n "$2" "${@:3}" "$1"; }
else
  get() { local url=$1 n=$2; shift 2; local hs=(); while [ $# -gt 0 ]; do hs+=("$2"); shift 2; done; timeout 600 scripts/bench-http.py "$url" "$n" "${hs[@]}"; }
fi

MTP_PASSWORD=$PASSWORD "$BIN" user create --email "$ADMIN" --name "Bench Beheerder" --role admin --org "$ORG" >/dev/null 2>&1 || true
MTP_PASSWORD=$PASSWORD "$BIN" user create --email "$RESEARCHER" --name "Bench Onderzoeker" --role researcher --org "$ORG" >/dev/null 2>&1 || true

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
tmp=$(mktemp -d)
MTP_BIND=127.0.0.1:$PORT MTP_RETENTION_FIRST_SECS=86400 "$BIN" serve >"$tmp/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 1 150); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "$BASE/healthz" >/dev/null || { cat "$tmp/serve.log" >&2; exit 1; }
rss() { awk -v k="$1:" '$1==k{print $2}' "/proc/$pid/status"; }
load() { echo "load average: $(uptime | sed 's/.*load average: //')"; }
summary() { grep -E "Requests/sec|50.00%|95.00%|99.00%|Success rate|mean|\[[0-9]{3}\] [0-9]+ responses"; }

csrf() { grep -o 'name="_csrf" value="[^"]*"' | sed -n 1p | sed 's/.*value="//; s/"$//'; }
login() { # email → prints "cookie csrf"
  local jar="$tmp/$1.jar" token
  token=$(curl -s -c "$jar" -b "$jar" "$BASE/login" | csrf)
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$token" --data-urlencode "email=$1" --data-urlencode "password=$PASSWORD" "$BASE/login"
  echo "$(awk '$6=="mtp_session"{print $7}' "$jar") $(curl -s -b "$jar" "$BASE/" | csrf)"
}
read -r admin_cookie admin_csrf <<<"$(login $ADMIN)"
read -r researcher_cookie _ <<<"$(login $RESEARCHER)"
[ -n "$admin_cookie" ] && [ -n "$researcher_cookie" ] || { echo "sign-in failed" >&2; exit 1; }
A=(-H "Cookie: mtp_session=$admin_cookie")
R=(-H "Cookie: mtp_session=$researcher_cookie")

nb=$(curl -s "${A[@]}" "$BASE/reports" | grep -o "value=\"[0-9a-f-]*\"[^>]*><label for=\"[^\"]*\">$NB<" | sed -n 1p | sed 's/value="//; s/".*//')
[ -n "$nb" ] || { echo "neighbourhood $NB not found on /reports" >&2; exit 1; }
year=$(( $(date +%Y) - 1 ))
echo "## measure $KIND, binary $(git rev-parse --short HEAD), port $PORT, year $year, RSS idle $(rss VmRSS) KB"

N=${BENCH_REQUESTS:-200}
# BENCH_ONLY=research skips the report pages and the workbook.
[ "${BENCH_ONLY:-}" = research ] && N=0
[ "$N" -gt 0 ] && for what in "one neighbourhood, a year|/reports?period=year&year=$year&nb=$nb|$N" \
            "one neighbourhood, a quarter|/reports?period=quarter&year=$year&quarter=4&nb=$nb|$N" \
            "the organisation (20 neighbourhoods), a year|/reports?period=year&year=$year|$(( N / 4 ))" \
            "the organisation (20 neighbourhoods), a quarter|/reports?period=quarter&year=$year&quarter=4|$(( N / 4 ))"; do
  IFS='|' read -r label path n <<<"$what"
  code=$(curl -s -o /dev/null -w '%{http_code}' "${A[@]}" "$BASE$path")
  echo "### GET $label ($code), 1 client, $n requests — $(load)"
  get "$BASE$path" "$n" "${A[@]}" | summary
done

[ "$N" -gt 0 ] && echo "### the organisation's workbook, a year, 5 times — $(load)"
[ "$N" -gt 0 ] && for _ in 1 2 3 4 5; do
  curl -s -o "$tmp/r.xlsx" -w '%{http_code} %{time_total} s %{size_download} bytes\n' "${A[@]}" "$BASE/reports/export.xlsx?period=year&year=$year"
done

# A study to export under: made by the administrator, as on the page.
token=$(curl -s "${A[@]}" "$BASE/research" | csrf)
curl -s -o /dev/null "${A[@]}" --data-urlencode "_csrf=$token" --data-urlencode "study_name=Bench $(date +%s)" "$BASE/research/studies"
study=$(curl -s "${R[@]}" "$BASE/research" | grep -o '<option value="[0-9a-f-]\{36\}"' | tail -n 1 | sed 's/<option value="//; s/"//')
[ -n "$study" ] || { echo "no study found" >&2; exit 1; }
RUNS=${BENCH_RESEARCH_RUNS:-3}
echo "### research export of the organisation (CSV, streamed), $RUNS times — $(load)"
for _ in $(seq 1 "$RUNS"); do
  before=$(rss VmHWM)
  out=$(curl -s -o "$tmp/r.csv" -w '%{http_code} %{time_total}' "${R[@]}" "$BASE/research/export.csv?study=$study&research_from=$year-01-01&research_to=$year-12-31")
  rows=$(( $(wc -l <"$tmp/r.csv") - 1 ))
  secs=${out#* }
  echo "$out s, $rows households, $(python3 -c "print(round($rows / max($secs, 1e-9)))") households/s; peak RSS $before → $(rss VmHWM) KB"
done
echo "### RSS now $(rss VmRSS) KB, peak (VmHWM) $(rss VmHWM) KB — $(load)"
