//! Replays every stored fuzz input (the seeds in `fuzz/corpus/*/seed-*` and each input that
//! once crashed, kept in `fuzz/regressions/`) through the fuzz targets' own code, so a fixed
//! crash stays fixed under plain `cargo test`. The README says how to fuzz for longer.

#[path = "../fuzz/bodies.rs"]
mod bodies;

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for dir in [fuzz.join("corpus").join(target), fuzz.join("regressions").join(target)] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            // Only what is kept in the repository: seeds and regressions, not a local corpus.
            let kept = name.starts_with("seed-") || dir.ends_with(Path::new("regressions").join(target));
            if path.is_file() && kept && !name.starts_with('.') {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn replay(target: &str, body: fn(&[u8]), at_least: usize) {
    let files = inputs(target);
    assert!(files.len() >= at_least, "only {} stored inputs for {target}", files.len());
    for file in files {
        let data = std::fs::read(&file).unwrap();
        let outcome = std::panic::catch_unwind(|| body(&data));
        assert!(outcome.is_ok(), "{} fails again", file.display());
    }
}

#[test]
fn stored_preset_inputs_still_pass() {
    replay("preset", bodies::preset, 4);
}

#[test]
fn stored_photo_inputs_still_pass() {
    replay("photo", bodies::photo, 5);
}
