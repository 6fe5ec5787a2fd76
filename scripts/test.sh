#!/usr/bin/env bash
# The one test command (README "Testing"). It prepares a fresh Debian machine, then runs
# formatting, lints and every test on SQLite and PostgreSQL, including the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

echo "== system packages"
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v psql >/dev/null 2>&1 || need+=(postgresql postgresql-client)
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing: ${need[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi

echo "== axe-core (accessibility checks in the browser tests)"
AXE_VERSION=4.11.0
if ! grep -q "\"version\": \"$AXE_VERSION\"" .cache/node_modules/axe-core/package.json 2>/dev/null; then
  mkdir -p .cache
  [ -f .cache/package.json ] || echo '{"private": true}' > .cache/package.json
  (cd .cache && npm install --no-audit --no-fund --silent "axe-core@$AXE_VERSION")
fi
export MTP_AXE_PATH="$PWD/.cache/node_modules/axe-core/axe.min.js"

echo "== PostgreSQL"
export MTP_TEST_POSTGRES_URL="${MTP_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  version=$(ls /etc/postgresql | sort -n | tail -n 1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432
# Each test makes its own database; remove the ones earlier runs left behind.
psql "$MTP_TEST_POSTGRES_URL" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'mtp_test_%'" |
  while read -r db; do psql "$MTP_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null; done

echo "== aiosmtpd (the real SMTP server of the e-mail tests)"
if ! python3 -c "import aiosmtpd" 2>/dev/null; then
  # Debian's own python3 refuses pip installs into the system without the last flag.
  python3 -m pip install --quiet --disable-pip-version-check aiosmtpd ||
    python3 -m pip install --quiet --disable-pip-version-check --break-system-packages aiosmtpd
fi

echo "== cargo-nextest"
command -v cargo-nextest >/dev/null 2>&1 || cargo install cargo-nextest --locked

echo "== format"
cargo fmt --all -- --check
echo "== lints"
cargo clippy --workspace --all-targets -- -D warnings
echo "== supply chain (cargo deny, deny.toml)"
command -v cargo-deny >/dev/null 2>&1 || cargo install cargo-deny --locked
# cargo deny reads the metadata of every crate in Cargo.lock, for every platform; a build
# only downloads the ones this machine compiles, so fetch the rest first.
cargo fetch --locked
cargo deny --offline check --hide-inclusion-graph licenses bans sources
# The RustSec database lives on GitHub, which build machines may not reach: checked when a
# copy is present (docs/security.md, "Supply chain"), said plainly when not.
if compgen -G "${CARGO_HOME:-$HOME/.cargo}/advisory-dbs/advisory-db-*/.git" >/dev/null; then
  cargo deny --offline check --hide-inclusion-graph advisories
else
  echo "advisories: no copy of the RustSec database on this machine; see docs/security.md"
fi
echo "== tests (SQLite and PostgreSQL, browser included)"
cargo nextest run --workspace --no-fail-fast
