#!/usr/bin/env bash
# Query plans of the hot per-neighbourhood queries on PostgreSQL (docs/operations.md, "Query
# plans"). Loads the national data set's shape with `mtp generate --scale national --orgs N`
# into a scratch database (or uses an already loaded one), runs VACUUM ANALYZE, and prints
# EXPLAIN (ANALYZE, BUFFERS) for: the household list and its count, a name search, the session
# page, the check-in write (in a transaction that is rolled back), the encouragement
# worklist, the open follow-up tasks and the audit list. The statements are written out here
# to mirror what the store builds (crates/store/src: households.rs `households`, sessions.rs
# `session_detail` and `write_attendance`, encourage.rs `worklist` and `open_follow_ups`,
# audit.rs `audit_entries`), with the values filled in: a change to one of those queries needs
# the same change here.
#
# Usage: scripts/explain.sh [orgs [generate options…]]  # default 5 organisations = 1/10 of national
#        EXPLAIN_URL=postgres://…/db scripts/explain.sh   # an already loaded database
# The binary is $MTP_BIN (default target/release/mtp, else target/debug/mtp).
set -euo pipefail
cd "$(dirname "$0")/.."
ORGS=${1:-5}
shift || true
BIN=${MTP_BIN:-}
if [ -z "$BIN" ]; then
  if [ -x target/release/mtp ]; then BIN=$PWD/target/release/mtp; else BIN=$PWD/target/debug/mtp; fi
fi
ADMIN=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}

if [ -n "${EXPLAIN_URL:-}" ]; then
  url=$EXPLAIN_URL
else
  db=scale_explain_$$
  psql -q "$ADMIN" -c "CREATE DATABASE $db"
  trap 'psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $db" >/dev/null' EXIT
  url=${ADMIN%/*}/$db
  MTP_DATABASE_URL=$url "$BIN" migrate >/dev/null
  MTP_DATABASE_URL=$url MTP_LOG=warn nice -n 10 "$BIN" generate --scale national --orgs "$ORGS" "$@"
fi
q() { psql -X -q -At "$url" -c "$1"; }
q "VACUUM ANALYZE" >/dev/null

# One neighbourhood of the first generated organisation, its coffee hour, the last session
# that took place and the next one, and a household that comes now.
org=$(q "SELECT id FROM organisation WHERE name = 'Landelijk netwerk 01'")
nb=$(q "SELECT id FROM neighbourhood WHERE org_id = '$org' AND name = 'Wijk 01-01'")
act=$(q "SELECT id FROM activity WHERE org_id = '$org' AND neighbourhood_id = '$nb'")
held=$(q "SELECT id FROM session WHERE org_id = '$org' AND activity_id = '$act' AND starts_at < now() ORDER BY starts_at DESC LIMIT 1")
next=$(q "SELECT id FROM session WHERE org_id = '$org' AND activity_id = '$act' AND starts_at > now() ORDER BY starts_at LIMIT 1")
next_start=$(q "SELECT starts_at FROM session WHERE id = '$next'")
hh=$(q "SELECT household_id FROM registration WHERE org_id = '$org' AND activity_id = '$act' LIMIT 1")
page_ids=$(q "SELECT string_agg(quote_literal(id), ',') FROM (SELECT id FROM household WHERE org_id = '$org' AND neighbourhood_id = '$nb' ORDER BY created_at DESC, id DESC LIMIT 50) x")
list_ids=$(q "SELECT string_agg(quote_literal(household_id), ',') FROM (SELECT household_id FROM registration WHERE org_id = '$org' AND activity_id = '$act' UNION SELECT household_id FROM attendance WHERE org_id = '$org' AND session_id = '$held') x")
past8=$(q "SELECT string_agg(quote_literal(id), ',') FROM (SELECT id FROM session WHERE org_id = '$org' AND activity_id = '$act' AND starts_at < '$next_start' AND state NOT IN ('cancelled', 'not_held') ORDER BY starts_at DESC LIMIT 8) x")

echo "## Sizes"
q "SELECT relname || ': ' || n_live_tup FROM pg_stat_user_tables WHERE relname IN ('organisation','neighbourhood','household','parent','household_search','session','attendance','registration','contact_moment','consent_record','audit_event') ORDER BY n_live_tup DESC"

explain() { # title, statement
  echo
  echo "## $1"
  psql -X -q "$url" -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $2" | short
}
# Long id lists in filters are cut to their start, so a plan stays readable.
short() { sed -E 's/(\{[^}]{0,80})[^}]*\}/\1…}/g; s/^ +QUERY PLAN *$/ QUERY PLAN/; /^-+$/d'; }

explain "Household list: newest 50 of a worker's neighbourhood" \
  "SELECT * FROM household WHERE org_id = '$org' AND anonymised_at IS NULL AND neighbourhood_id IN ('$nb') ORDER BY created_at DESC, id DESC LIMIT 50"
explain "Household list: the capped count" \
  "SELECT id FROM household WHERE org_id = '$org' AND anonymised_at IS NULL AND neighbourhood_id IN ('$nb') LIMIT 1001"
explain "Household list: parents of the page" \
  "SELECT * FROM parent WHERE org_id = '$org' AND household_id IN ($page_ids) ORDER BY position"
explain "Household search: one word ('jansen')" \
  "SELECT household_id FROM household_search WHERE org_id = '$org' AND token >= 'jansen' AND token < 'jansen'||chr(1114111) LIMIT 5001"
explain "Household list: organisation-wide (an administrator, no neighbourhood filter)" \
  "SELECT * FROM household WHERE org_id = '$org' AND anonymised_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 50"
explain "Session page: registrations of the activity" \
  "SELECT * FROM registration WHERE org_id = '$org' AND activity_id = '$act'"
explain "Session page: attendance of the session" \
  "SELECT * FROM attendance WHERE org_id = '$org' AND session_id = '$held'"
explain "Session page: the households on the list" \
  "SELECT * FROM household WHERE org_id = '$org' AND id IN ($list_ids)"
explain "Session page: their children" \
  "SELECT * FROM child WHERE org_id = '$org' AND household_id IN ($list_ids)"
echo
echo "## Check-in write (one tap; rolled back)"
(psql -X -q "$url" <<SQL
BEGIN;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) INSERT INTO checkin_key (org_id, key, session_id, household_id, action, at) VALUES ('$org', 'explain-tap', '$next', '$hh', 'present', now()) ON CONFLICT DO NOTHING;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) INSERT INTO attendance (org_id, session_id, household_id, status, reason, adults, children, walk_in, recorded_by, recorded_at) VALUES ('$org', '$next', '$hh', 'present', NULL, 1, 1, false, NULL, now()) ON CONFLICT (org_id, session_id, household_id) DO UPDATE SET status = excluded.status, children = excluded.children;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) UPDATE household SET last_attended_at = now() WHERE org_id = '$org' AND id = '$hh' AND (last_attended_at IS NULL OR last_attended_at < now());
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) UPDATE audit_head SET seq = seq + 1 WHERE org_id = '$org';
ROLLBACK;
SQL
) | short
explain "Worklist: the last eight sessions held" \
  "SELECT * FROM session WHERE org_id = '$org' AND activity_id = '$act' AND starts_at < '$next_start' AND state NOT IN ('cancelled', 'not_held') ORDER BY starts_at DESC LIMIT 8"
explain "Worklist: their attendance" \
  "SELECT * FROM attendance WHERE org_id = '$org' AND session_id IN ($past8)"
explain "Worklist: contact moments of the households" \
  "SELECT * FROM contact_moment WHERE org_id = '$org' AND household_id IN ($list_ids) ORDER BY at"
explain "Encouragement overview: the organisation's open follow-up tasks" \
  "SELECT * FROM contact_moment WHERE org_id = '$org' AND follow_up_done_at IS NULL AND follow_up_on IS NOT NULL ORDER BY follow_up_on, at"
explain "Audit list: newest 50 of the organisation" \
  "SELECT * FROM audit_event WHERE org_id = '$org' ORDER BY seq DESC LIMIT 50"
explain "Audit list: filtered by action (a rare one)" \
  "SELECT * FROM audit_event WHERE org_id = '$org' AND action = 'household.anonymised' ORDER BY seq DESC LIMIT 50"
