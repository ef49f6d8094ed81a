//! Autosave. The consultation being edited is copied to a recovery folder a moment after each
//! change, so a crash, a power cut or a closed laptop never costs the painted regions. The
//! folder is emptied once the work is saved or deliberately discarded; whatever is left in it
//! is offered back on the next start.
//!
//! Each window keeps its work in a folder of its own under the recovery folder and holds a
//! lock on it while it runs, so two windows never overwrite each other's copy. A folder whose
//! lock is free belongs to a window that is gone: the next window to start adopts the newest
//! such folder that holds work, offers it back, and carries on in it.
//!
//! All file work runs, in order, on one thread of its own: the window never waits for a disk,
//! and a clear sent after a write always wins.

use crate::engine::consultation::Consultation;
use image::RgbImage;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Written last: a folder without it holds nothing worth offering.
const NOTE_FILE: &str = "recovery.ron";
const CONSULTATION_DIR: &str = "consultation.smp";
/// Locked by the window using the folder, for as long as it runs.
const LOCK_FILE: &str = "lock";
/// A folder holding no work is left alone this long after its lock was made: its window may
/// have created it a moment ago and not locked it yet.
const YOUNG: Duration = Duration::from_secs(60);

/// What the recovery folder holds, for the offer to restore it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecoveryNote {
    pub photo_name: String,
    /// When it was written, in seconds since 1970.
    pub written_unix_s: u64,
    /// Whether the scale had been measured rather than assumed.
    pub calibrated: bool,
}

impl RecoveryNote {
    /// "3 minutes ago", "yesterday"…: how long ago the work was kept.
    pub fn age(&self) -> String {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let minutes = now.saturating_sub(self.written_unix_s) / 60;
        match minutes {
            0 => "moments ago".into(),
            1 => "a minute ago".into(),
            2..=59 => format!("{minutes} minutes ago"),
            60..=119 => "an hour ago".into(),
            120..=1439 => format!("{} hours ago", minutes / 60),
            1440..=2879 => "yesterday".into(),
            _ => format!("{} days ago", minutes / 1440),
        }
    }
}

enum Job {
    Write { consultation: Box<Consultation>, with_photo: bool, note: RecoveryNote },
    Clear,
}

pub struct Recovery {
    /// This window's folder and the lock that keeps it this window's.
    dir: Option<PathBuf>,
    lock: Option<File>,
    /// Work an earlier window left unsaved, adopted with its folder.
    found: Option<RecoveryNote>,
    jobs: Option<Sender<Job>>,
    results: Receiver<Result<(), String>>,
    worker: Option<JoinHandle<()>>,
    /// Jobs sent whose result has not come back.
    in_flight: usize,
    /// The photo already in the folder: later writes of the same consultation skip it.
    photo_written: Weak<RgbImage>,
}

impl Recovery {
    /// The user's recovery folder, beside their other data.
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "smp-studio").map(|d| d.data_local_dir().join("recovery"))
    }

    /// Keeps work in a folder under `root`; with `None` (or a root that cannot be written)
    /// nothing is kept.
    pub fn open(root: Option<PathBuf>, wake: impl Fn() + Send + 'static) -> Self {
        let claimed = root.as_deref().and_then(claim);
        let (dir, lock, found) = match claimed {
            Some(Claimed { dir, lock, found }) => (Some(dir), Some(lock), found),
            None => (None, None, None),
        };
        let (jobs_tx, jobs_rx) = channel::<Job>();
        let (results_tx, results) = channel();
        let worker = dir.clone().and_then(|dir| {
            std::thread::Builder::new()
                .name("recovery".into())
                .spawn(move || {
                    for job in jobs_rx {
                        // The window may be gone; then nobody needs the answer.
                        let _ = results_tx.send(run(&dir, job));
                        wake();
                    }
                })
                .ok()
        });
        let jobs = worker.is_some().then_some(jobs_tx);
        Self { dir, lock, found, jobs, results, worker, in_flight: 0, photo_written: Weak::new() }
    }

    /// Work left by a window that closed before it was saved, if any.
    pub fn found(&self) -> Option<RecoveryNote> {
        self.found.clone()
    }

    /// The folder to open the kept consultation from.
    pub fn consultation_dir(&self) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.join(CONSULTATION_DIR))
    }

    /// Keeps a copy of `consultation` in the background.
    pub fn write(&mut self, consultation: &Consultation, calibrated: bool) {
        let Some(jobs) = &self.jobs else { return };
        let same_photo = self.photo_written.upgrade().is_some_and(|p| Arc::ptr_eq(&p, &consultation.photo));
        let note = RecoveryNote {
            photo_name: consultation.photo_name.clone(),
            written_unix_s: SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs(),
            calibrated,
        };
        let job = Job::Write { consultation: Box::new(consultation.clone()), with_photo: !same_photo, note };
        if jobs.send(job).is_ok() {
            self.in_flight += 1;
            self.photo_written = Arc::downgrade(&consultation.photo);
        }
    }

    /// Empties the folder: the work was saved, or the person chose to discard it.
    pub fn clear(&mut self) {
        let Some(jobs) = &self.jobs else { return };
        if jobs.send(Job::Clear).is_ok() {
            self.in_flight += 1;
            self.photo_written = Weak::new();
        }
    }

    /// Failures of finished jobs, as sentences. A failed write forgets which photo is kept.
    pub fn failures(&mut self) -> Vec<String> {
        let mut failures = Vec::new();
        while let Ok(result) = self.results.try_recv() {
            self.in_flight = self.in_flight.saturating_sub(1);
            if let Err(e) = result {
                self.photo_written = Weak::new();
                failures.push(e);
            }
        }
        failures
    }

    /// Every job sent so far has finished.
    pub fn settled(&self) -> bool {
        self.in_flight == 0
    }

    /// Waits for the jobs already sent, at most `limit`, then removes this window's folder if
    /// it holds no work: called as the window closes.
    pub fn finish(&mut self, limit: Duration) {
        self.jobs = None;
        let Some(worker) = self.worker.take() else { return };
        let deadline = std::time::Instant::now() + limit;
        while !worker.is_finished() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        if !worker.is_finished() {
            return;
        }
        let _ = worker.join();
        if let Some(dir) = &self.dir
            && read_note(dir).is_none()
        {
            self.lock = None;
            // Nothing to lose: a folder left behind is tidied by the next start.
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A folder taken for this window.
struct Claimed {
    dir: PathBuf,
    lock: File,
    found: Option<RecoveryNote>,
}

/// Adopts the newest folder a closed window left work in, or makes a new one; tidies folders
/// that closed windows left empty.
fn claim(root: &Path) -> Option<Claimed> {
    std::fs::create_dir_all(root).ok()?;
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(root).ok()?.flatten() {
        let dir = entry.path();
        if !dir.is_dir() {
            continue;
        }
        let Some(lock) = lock(&dir) else { continue };
        match read_note(&dir) {
            Some(note) => orphans.push((note, dir, lock)),
            None => {
                let young = std::fs::metadata(dir.join(LOCK_FILE))
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t.elapsed().is_ok_and(|age| age < YOUNG));
                drop(lock);
                if !young {
                    let _ = std::fs::remove_dir_all(&dir);
                }
            }
        }
    }
    // Newest first; the others wait for later starts, their locks released.
    orphans.sort_by(|a, b| (a.0.written_unix_s, &a.1).cmp(&(b.0.written_unix_s, &b.1)));
    if let Some((note, dir, lock)) = orphans.pop() {
        return Some(Claimed { dir, lock, found: Some(note) });
    }
    static WINDOWS: AtomicU32 = AtomicU32::new(0);
    let millis = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis();
    let name = format!("{millis}-{}-{}", std::process::id(), WINDOWS.fetch_add(1, Ordering::Relaxed));
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).ok()?;
    let lock = lock(&dir)?;
    Some(Claimed { dir, lock, found: None })
}

/// The folder's lock, if no running window holds it.
fn lock(dir: &Path) -> Option<File> {
    let file = File::options().create(true).truncate(false).write(true).open(dir.join(LOCK_FILE)).ok()?;
    file.try_lock().ok()?;
    Some(file)
}

fn read_note(dir: &Path) -> Option<RecoveryNote> {
    let text = std::fs::read_to_string(dir.join(NOTE_FILE)).ok()?;
    ron::from_str(&text).ok()
}

fn run(dir: &Path, job: Job) -> Result<(), String> {
    match job {
        Job::Write { consultation, with_photo, note } => {
            let fail = |e: String| format!("Could not keep a recovery copy in {}: {e}", dir.display());
            let folder = dir.join(CONSULTATION_DIR);
            if with_photo {
                // A new photo: until it is whole, the folder offers nothing.
                remove_file_if_present(&dir.join(NOTE_FILE)).map_err(fail)?;
                consultation.save(&folder).map_err(|e| fail(e.to_string()))?;
            } else {
                consultation.save_edits(&folder).map_err(|e| fail(e.to_string()))?;
            }
            let text = ron::to_string(&note).map_err(|e| fail(e.to_string()))?;
            let partial = dir.join(format!("{NOTE_FILE}.partial"));
            std::fs::write(&partial, text).map_err(|e| fail(e.to_string()))?;
            std::fs::rename(&partial, dir.join(NOTE_FILE)).map_err(|e| fail(e.to_string()))
        }
        Job::Clear => remove_file_if_present(&dir.join(NOTE_FILE))
            .and_then(|()| match std::fs::remove_dir_all(dir.join(CONSULTATION_DIR)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.to_string()),
                _ => Ok(()),
            })
            .map_err(|e| format!("Could not empty the recovery folder {}: {e}", dir.display())),
    }
}

fn remove_file_if_present(path: &Path) -> Result<(), String> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.to_string()),
        _ => Ok(()),
    }
}
