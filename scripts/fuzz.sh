#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets) for a bounded time with libFuzzer, then shrinks
# the corpus the fuzzers grew (fuzz/corpus/<target>) so it stays small enough to commit.
#
#   scripts/fuzz.sh            # 60 seconds per target
#   scripts/fuzz.sh 600 ical   # 10 minutes, one target
#
# Needs a nightly toolchain (libFuzzer's instrumentation uses unstable flags) and cargo-fuzz,
# installed here when missing. Without nightly it says so and stops: the test suite still
# replays the committed corpus on stable (tests/fuzz_corpus.rs). A crash leaves its input in
# fuzz/artifacts/<target>/: fix the cause, then copy the input into fuzz/corpus/<target>/ so
# the replay test keeps it fixed.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "fuzz: no nightly toolchain (rustup toolchain install nightly); the corpus replays in scripts/test.sh" >&2
  exit 2
fi
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  mapfile -t targets < <(cd fuzz && cargo +nightly fuzz list)
fi

cd fuzz
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  echo "== fuzz $t for ${seconds}s"
  # 2 GB: more than any bounded parser needs; an allocation past it is a finding.
  cargo +nightly fuzz run "$t" "corpus/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 -print_final_stats=1
  cargo +nightly fuzz cmin "$t" "corpus/$t"
done
