//! The shape the code keeps: a headless engine and studio under a thin window, and one place
//! where the open consultation changes.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources(folder: &str) -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    assert!(!files.is_empty(), "no sources in {folder}");
    files.into_iter().map(|f| (f.clone(), std::fs::read_to_string(&f).unwrap())).collect()
}

#[test]
fn the_engine_and_the_studio_never_import_the_gui() {
    for folder in ["src/engine", "src/studio"] {
        for (file, text) in sources(folder) {
            for needle in ["egui", "eframe", "crate::app"] {
                assert!(!text.contains(needle), "{} mentions `{needle}`", file.display());
            }
        }
    }
}

#[test]
fn the_engine_never_reaches_up_into_the_studio() {
    for (file, text) in sources("src/engine") {
        assert!(!text.contains("crate::studio"), "{} uses the studio", file.display());
    }
}

/// The body of `impl Document { … }` blocks and the `struct Document { … }` in the studio.
fn document_source() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/studio/document.rs")).unwrap()
}

#[test]
fn apply_is_the_only_public_way_to_change_the_document() {
    let text = document_source();
    let mut mutators = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        if line.starts_with("pub fn ") && line.contains("&mut self") {
            let name = line["pub fn ".len()..].split(['(', '<']).next().unwrap_or_default().to_owned();
            mutators.push(name);
        }
    }
    assert_eq!(mutators, vec!["apply".to_owned()], "Document methods that change it from outside the studio");
    // Its fields are private: nothing outside can assign to them.
    let start = text.find("pub struct Document {").expect("struct Document");
    let body = &text[start..start + text[start..].find("\n}").unwrap()];
    assert!(!body.lines().skip(1).any(|l| l.trim_start().starts_with("pub")), "Document has a public field");
}

#[test]
fn the_studio_never_lends_out_the_document_to_change() {
    // With no `&mut` to the document or its consultation handed out, the window can change
    // them only by `Studio::apply`, which the compiler then enforces.
    for (file, text) in sources("src/studio") {
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_start();
            if line.starts_with("pub fn ") || line.starts_with("pub(crate) fn ") {
                assert!(
                    !line.contains("-> &mut"),
                    "{}:{}: lends out a mutable borrow: {line}",
                    file.display(),
                    n + 1
                );
            }
        }
    }
}
