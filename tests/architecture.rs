//! The engine must stay headless: the CLI and tests drive it without a window.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_engine_never_imports_the_gui() {
    let engine = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/engine");
    let mut files = Vec::new();
    rust_files(&engine, &mut files);
    assert!(files.len() > 5, "engine sources not found");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for needle in ["egui", "eframe", "crate::app"] {
            assert!(!text.contains(needle), "{} mentions `{needle}`", file.display());
        }
    }
}
