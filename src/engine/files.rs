//! Writing files so that a crash or a full disk never leaves half of one in place.

use std::path::Path;

/// Writes `path` through `write`, which fills a file beside it; that file then replaces `path`
/// in one rename. On failure `path` is left as it was and the partial file is removed.
pub fn replace<E: From<std::io::Error>>(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), E> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    let partial = path.with_file_name(name);
    let written = write(&partial).and_then(|()| std::fs::rename(&partial, path).map_err(E::from));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// Whether `a` and `b` name the same existing file (through links and relative paths).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// What a file's state on disk was when it was read or written, to notice that someone else
/// replaced it since.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    /// The file's stamp now; `None` if it does not exist or cannot be read.
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp { len: meta.len(), modified: meta.modified().ok() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_partial() {
        let dir = std::env::temp_dir().join(format!("smp-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("note.ron");
        replace(&path, |p| std::fs::write(p, "first")).unwrap();
        let failed: std::io::Result<()> = replace(&path, |p| {
            std::fs::write(p, "half")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "first");
        let names: Vec<_> =
            std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("note.ron")]);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn the_same_file_is_recognised_through_other_spellings() {
        let dir = std::env::temp_dir().join(format!("smp-files-same-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        let path = dir.join("photo.jpg");
        std::fs::write(&path, "x").unwrap();
        assert!(same_file(&path, &dir.join("sub/../photo.jpg")));
        assert!(!same_file(&path, &dir.join("other.jpg")));
        let before = Stamp::of(&path).unwrap();
        std::fs::write(&path, "longer").unwrap();
        assert_ne!(Stamp::of(&path), Some(before));
        std::fs::remove_dir_all(&dir).ok();
    }
}
