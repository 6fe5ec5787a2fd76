//! The fuzz corpus as a regression test on stable: every input the fuzzers kept (and every
//! crash they once found, added to the corpus after the fix) goes through the same checks as
//! in `fuzz/` (`mtp_web::fuzz`). `scripts/fuzz.sh` grows the corpus with nightly.

use std::path::PathBuf;

fn corpus(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target)
}

#[test]
fn every_fuzz_target_has_a_target_file_and_a_corpus_that_replays_without_a_crash() {
    for (name, check) in mtp_web::fuzz::TARGETS {
        let target = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../../fuzz/fuzz_targets/{name}.rs"));
        assert!(target.exists(), "no fuzz target for {name}");
        let mut files: Vec<PathBuf> = std::fs::read_dir(corpus(name))
            .unwrap_or_else(|e| panic!("fuzz/corpus/{name}: {e}"))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "fuzz/corpus/{name} is empty");
        for f in files {
            let bytes = std::fs::read(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            let outcome = std::panic::catch_unwind(|| check(&bytes));
            assert!(outcome.is_ok(), "{name}: {} breaks a check", f.display());
        }
    }
}
