//! Writing files so that a crash, a full disk or a link planted beside the target never
//! costs the file that was there, nor any other file.
//!
//! Every output of the app and the command line goes through [`replace`]: the new content is
//! written into a file created afresh (exclusively, under a random name, in the target's
//! folder), flushed to the disk, given the replaced file's permissions and renamed over the
//! target in one step. Before anything is written, [`check_output`] refuses targets that are
//! not plain files or that the user has made read-only.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file cannot be written where asked, as a clause that follows the file's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutputProblem {
    #[error("it is {0}, not a file; choose a file name")]
    NotAFile(&'static str),
    #[error("the file is read-only; make it writable or choose another name")]
    ReadOnly,
    #[error("the folder {0} does not exist; create it or choose another place")]
    NoFolder(PathBuf),
    #[error("it names no file; give a file name")]
    NoName,
}

/// The folder a file name lies in ("." for a bare name).
fn folder_of(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Whether `path` may be written by [`replace`]: its folder exists, and what is there now (if
/// anything) is a plain file the user could write. Checked by every command before its work, so a
/// refusal never comes after a finished render.
pub fn check_output(path: &Path) -> Result<(), OutputProblem> {
    if path.file_name().is_none() {
        return Err(OutputProblem::NoName);
    }
    let folder = folder_of(path);
    if !folder.is_dir() {
        return Err(OutputProblem::NoFolder(folder.to_path_buf()));
    }
    match std::fs::metadata(path) {
        Ok(meta) => {
            if let Some(kind) = super::os_error::not_a_file(&meta) {
                return Err(OutputProblem::NotAFile(kind));
            }
            if meta.permissions().readonly() {
                return Err(OutputProblem::ReadOnly);
            }
            Ok(())
        }
        Err(_) => Ok(()),
    }
}

/// Writes `path` through `write`, which fills a new file in the same folder; that file then
/// replaces `path` in one rename. On failure `path` is left as it was and the new file is
/// removed. The replaced file's permissions are kept (a 0600 hand-out stays private).
pub fn replace<E: From<std::io::Error>>(
    path: &Path,
    write: impl FnOnce(&mut File) -> Result<(), E>,
) -> Result<(), E> {
    check_output(path).map_err(|problem| E::from(problem_error(problem)))?;
    let previous = std::fs::metadata(path).ok().map(|meta| meta.permissions());
    let folder = folder_of(path);
    let (partial, mut file) = create_fresh(folder)?;
    let written = (|| -> Result<(), E> {
        if let Some(permissions) = previous {
            file.set_permissions(permissions)?;
        }
        write(&mut file)?;
        file.flush()?;
        if !disk_has_room(file.metadata()?.len()) {
            return Err(E::from(std::io::Error::from(std::io::ErrorKind::StorageFull)));
        }
        file.sync_all()?;
        drop(file);
        std::fs::rename(&partial, path)?;
        Ok(())
    })();
    match written {
        Ok(()) => {
            // The rename itself reaches the disk with the folder's entry.
            if let Ok(dir) = File::open(folder) {
                let _ = dir.sync_all();
            }
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

/// `replace` for bytes already in memory.
pub fn replace_with_bytes(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace(path, |file| file.write_all(bytes))
}

/// Whether the disk takes `bytes` more. Always, except where a test gives the process a disk
/// that holds only so much (`SMP_STUDIO_DISK_LIMIT_BYTES`, for tests of a full disk where no small
/// disk can be mounted): each file written takes its share until one no longer fits.
fn disk_has_room(bytes: u64) -> bool {
    use std::sync::atomic::{AtomicU64, Ordering};
    #[cfg(test)]
    if let Some(left) = tests::LIMIT.with(std::cell::Cell::get) {
        tests::LIMIT.with(|l| l.set(Some(left.saturating_sub(bytes))));
        return bytes <= left;
    }
    static LEFT: std::sync::OnceLock<Option<AtomicU64>> = std::sync::OnceLock::new();
    let left = LEFT.get_or_init(|| {
        let limit = std::env::var("SMP_STUDIO_DISK_LIMIT_BYTES").ok()?.trim().parse().ok()?;
        Some(AtomicU64::new(limit))
    });
    match left {
        None => true,
        Some(left) => left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |l| l.checked_sub(bytes)).is_ok(),
    }
}

/// Gives every [`replace`] on this thread a disk that holds only `bytes` more (`None`: no limit).
#[cfg(test)]
pub fn fill_disk_for_tests(bytes: Option<u64>) {
    tests::LIMIT.with(|limit| limit.set(bytes));
}

fn problem_error(problem: OutputProblem) -> std::io::Error {
    // Said in the problem's own words: `os_error::describe` prints an `Other` error's text.
    std::io::Error::other(problem)
}

/// A new, empty file in `folder` under a name nobody chose: created exclusively, so a link or
/// file already standing at that name is never followed or reused. The name is short and fixed in
/// length, so a target whose own name is at the system's limit can still be written.
fn create_fresh(folder: &Path) -> std::io::Result<(PathBuf, File)> {
    use std::hash::{BuildHasher, Hasher};
    let mut last = None;
    for attempt in 0u32..64 {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u32(attempt);
        hasher.write_u32(std::process::id());
        let partial = folder.join(format!(".smp-{:016x}.partial", hasher.finish()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // Readable by the user alone until it has its final permissions. `create_new` never
            // follows a link standing at the name.
            options.mode(0o600);
        }
        match options.open(&partial) {
            Ok(file) => {
                #[cfg(unix)]
                {
                    // A new file gets what the user's umask gives any new file, not 0600.
                    use std::os::unix::fs::PermissionsExt;
                    let mode = 0o666 & !current_umask();
                    file.set_permissions(std::fs::Permissions::from_mode(mode))?;
                }
                return Ok((partial, file));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("could not create a temporary file")))
}

/// The process's umask, read from `/proc` where it is published (Linux), else the usual 022.
#[cfg(unix)]
fn current_umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                line.strip_prefix("Umask:").and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
            })
        })
        .unwrap_or(0o022)
}

/// The identity of a file on its disk (device and inode), through links of either kind.
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Whether `a` and `b` name the same existing file: through symbolic links, relative paths and
/// hard links (two names of one file).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        matches!((identity(a), identity(b)), (Some(x), Some(y)) if x == y)
    }
    #[cfg(not(unix))]
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Whether two outputs would land in the same file: the same existing file, or the same name in
/// the same folder however it is spelled.
pub fn same_target(a: &Path, b: &Path) -> bool {
    if same_file(a, b) {
        return true;
    }
    let resolved = |p: &Path| -> Option<PathBuf> {
        Some(std::fs::canonicalize(folder_of(p)).ok()?.join(p.file_name()?))
    };
    a == b || matches!((resolved(a), resolved(b)), (Some(x), Some(y)) if x == y)
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
pub(crate) mod tests {
    use super::*;

    thread_local! {
        pub(crate) static LIMIT: std::cell::Cell<Option<u64>> = const { std::cell::Cell::new(None) };
    }

    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("smp-files-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_partial() {
        let dir = folder("failed");
        let path = dir.join("note.ron");
        replace_with_bytes(&path, b"first").unwrap();
        let failed: std::io::Result<()> = replace(&path, |file| {
            file.write_all(b"half")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "first");
        assert_eq!(names(&dir), vec!["note.ron".to_owned()]);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn the_same_file_is_recognised_through_other_spellings_and_hard_links() {
        let dir = folder("same");
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        let path = dir.join("photo.jpg");
        std::fs::write(&path, "x").unwrap();
        assert!(same_file(&path, &dir.join("sub/../photo.jpg")));
        assert!(!same_file(&path, &dir.join("other.jpg")));
        std::fs::hard_link(&path, dir.join("h.png")).unwrap();
        assert!(same_file(&path, &dir.join("h.png")), "a hard link is the same file");
        assert!(same_target(&dir.join("new.png"), &dir.join("sub/../new.png")));
        assert!(!same_target(&dir.join("new.png"), &dir.join("new2.png")));
        let before = Stamp::of(&path).unwrap();
        std::fs::write(&path, "longer").unwrap();
        assert_ne!(Stamp::of(&path), Some(before));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_at_the_old_temporary_name_is_not_followed() {
        let dir = folder("planted");
        let photo = dir.join("q.jpg");
        std::fs::write(&photo, "photo").unwrap();
        std::os::unix::fs::symlink(&photo, dir.join("o.png.partial")).unwrap();
        replace_with_bytes(&dir.join("o.png"), b"render").unwrap();
        assert_eq!(std::fs::read_to_string(&photo).unwrap(), "photo");
        assert_eq!(std::fs::read_to_string(dir.join("o.png")).unwrap(), "render");
        assert!(!std::fs::symlink_metadata(dir.join("o.png")).unwrap().file_type().is_symlink());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept_and_read_only_files_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = folder("modes");
        let private = dir.join("private.png");
        std::fs::write(&private, "old").unwrap();
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
        replace_with_bytes(&private, b"new").unwrap();
        let mode = std::fs::metadata(&private).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a private hand-out stays private");
        let locked = dir.join("locked.png");
        std::fs::write(&locked, "keep").unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o444)).unwrap();
        assert_eq!(check_output(&locked), Err(OutputProblem::ReadOnly));
        assert!(replace_with_bytes(&locked, b"new").is_err());
        assert_eq!(std::fs::read_to_string(&locked).unwrap(), "keep");
        assert_eq!(check_output(&dir), Err(OutputProblem::NotAFile("a folder")));
        assert!(matches!(check_output(&dir.join("missing/x.png")), Err(OutputProblem::NoFolder(_))));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_name_at_the_systems_limit_can_be_written() {
        let dir = folder("long");
        let name = format!("{}.png", "a".repeat(251));
        assert_eq!(name.len(), 255);
        replace_with_bytes(&dir.join(&name), b"ok").unwrap();
        assert_eq!(names(&dir), vec![name]);
        std::fs::remove_dir_all(&dir).ok();
    }
}
