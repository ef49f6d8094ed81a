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
//! and a clear sent after a write always wins. That thread also knows which photo the folder
//! holds, so a photo is written once per consultation and never assumed written.

use crate::engine::consultation::Consultation;
use crate::engine::files;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::Instant;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Written last: the folder's work is offered back only with it.
const NOTE_FILE: &str = "recovery.ron";
const CONSULTATION_FILE: &str = "consultation.smpc";
/// Locked by the window using the folder, for as long as it runs.
const LOCK_FILE: &str = "lock";
/// A folder holding no consultation is left alone this long after its lock was made: its
/// window may have created it a moment ago and not locked it yet.
const YOUNG: Duration = Duration::from_secs(60);

/// What the recovery folder holds, for the offer to restore it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecoveryNote {
    pub photo_name: String,
    /// When it was written, in milliseconds since 1970.
    pub written_unix_ms: u64,
}

impl RecoveryNote {
    /// "3 minutes ago", "yesterday"…: how long ago the work was kept.
    pub fn age(&self) -> String {
        let minutes = now_ms().saturating_sub(self.written_unix_ms) / 60_000;
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
    Write { consultation: Box<Consultation>, note: RecoveryNote },
    Clear,
}

/// A window's recovery folder, with the lock that keeps it the window's.
struct Folder {
    dir: PathBuf,
    lock: File,
}

pub struct Recovery {
    root: Option<PathBuf>,
    folder: Option<Folder>,
    /// Work an earlier window left unsaved, adopted with its folder.
    found: Option<RecoveryNote>,
    /// Why nothing is kept, when the folder could not be made.
    pub problem: Option<String>,
    jobs: Option<Sender<Job>>,
    results: Receiver<Result<(), String>>,
    worker: Option<JoinHandle<()>>,
    wake: Arc<dyn Fn() + Send + Sync>,
    /// Jobs sent whose result has not come back.
    in_flight: usize,
}

impl Recovery {
    /// The user's recovery folder, beside their other data.
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "smp-studio").map(|d| d.data_local_dir().join("recovery"))
    }

    /// Keeps work in a folder under `root`; with `None` nothing is kept.
    pub fn open(root: Option<PathBuf>, wake: impl Fn() + Send + Sync + 'static) -> Self {
        let (_, results) = channel();
        let mut recovery = Self {
            root,
            folder: None,
            found: None,
            problem: None,
            jobs: None,
            results,
            worker: None,
            wake: Arc::new(wake),
            in_flight: 0,
        };
        if let Some(root) = recovery.root.clone() {
            match claim(&root) {
                Ok((folder, found)) => {
                    recovery.found = found;
                    recovery.start(folder);
                }
                Err(e) => recovery.problem = Some(e),
            }
        }
        recovery
    }

    /// Runs this window's file work for `folder` on a thread of its own.
    fn start(&mut self, folder: Folder) {
        let (jobs_tx, jobs_rx) = channel::<Job>();
        let (results_tx, results) = channel();
        let dir = folder.dir.clone();
        let wake = self.wake.clone();
        let spawned = std::thread::Builder::new().name("recovery".into()).spawn(move || {
            for job in jobs_rx {
                // The window may be gone; then nobody needs the answer.
                let _ = results_tx.send(run(&dir, job));
                wake();
            }
        });
        match spawned {
            Ok(worker) => {
                self.jobs = Some(jobs_tx);
                self.worker = Some(worker);
                self.results = results;
                self.folder = Some(folder);
            }
            Err(e) => self.problem = Some(format!("Autosave is off: could not start it ({e}).")),
        }
    }

    /// Work left by a window that closed before it was saved, if any.
    pub fn found(&self) -> Option<RecoveryNote> {
        self.found.clone()
    }

    /// The file to open the kept consultation from (a folder, if an earlier version kept it).
    pub fn consultation_file(&self) -> Option<PathBuf> {
        let dir = &self.folder.as_ref()?.dir;
        let earlier = dir.join("consultation.smp");
        Some(if earlier.is_dir() && !dir.join(CONSULTATION_FILE).exists() {
            earlier
        } else {
            dir.join(CONSULTATION_FILE)
        })
    }

    fn send(&mut self, job: Job) {
        if let Some(jobs) = &self.jobs
            && jobs.send(job).is_ok()
        {
            self.in_flight += 1;
        }
    }

    /// Keeps a copy of `consultation` in the background.
    pub fn write(&mut self, consultation: &Consultation) {
        let note = RecoveryNote { photo_name: consultation.photo_name.clone(), written_unix_ms: now_ms() };
        self.send(Job::Write { consultation: Box::new(consultation.clone()), note });
    }

    /// Empties the folder: the work was saved, or the person chose to discard it.
    pub fn clear(&mut self) {
        self.send(Job::Clear);
    }

    /// The adopted work could not be restored: it is left where it is, for a later start or
    /// for a person to rescue, and this window keeps its own work in a new folder.
    pub fn leave_found(&mut self) {
        self.found = None;
        self.stop(Duration::from_secs(10));
        self.folder = None;
        let Some(root) = self.root.clone() else { return };
        match new_folder(&root) {
            Ok(folder) => self.start(folder),
            Err(e) => self.problem = Some(e),
        }
    }

    /// Failures of finished jobs, as sentences.
    pub fn failures(&mut self) -> Vec<String> {
        let mut failures = Vec::new();
        while let Ok(result) = self.results.try_recv() {
            self.in_flight = self.in_flight.saturating_sub(1);
            if let Err(e) = result {
                failures.push(e);
            }
        }
        failures
    }

    /// Every job sent so far has finished.
    pub fn settled(&self) -> bool {
        self.in_flight == 0
    }

    /// Waits at most `limit` for the jobs already sent; true once they are done.
    fn stop(&mut self, limit: Duration) -> bool {
        self.jobs = None;
        let Some(worker) = self.worker.take() else { return true };
        let deadline = Instant::now() + limit;
        while !worker.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        let finished = worker.is_finished();
        if finished {
            let _ = worker.join();
        }
        finished
    }

    /// Waits for the jobs already sent, at most `limit`, then removes this window's folder if
    /// it holds no work: called as the window closes.
    pub fn finish(&mut self, limit: Duration) {
        if !self.stop(limit) {
            return;
        }
        if let Some(folder) = self.folder.take()
            && read_note(&folder.dir).is_none()
            && !folder.dir.join(CONSULTATION_FILE).exists()
        {
            let Folder { dir, lock } = folder;
            drop(lock);
            // Nothing to lose: a folder left behind is tidied by the next start.
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as u64
}

/// Adopts the newest folder a closed window left work in, or makes a new one; tidies folders
/// that closed windows left empty.
fn claim(root: &Path) -> Result<(Folder, Option<RecoveryNote>), String> {
    std::fs::create_dir_all(root)
        .map_err(|e| format!("Autosave is off: could not create {} ({e}).", root.display()))?;
    let mut orphans = Vec::new();
    let entries = std::fs::read_dir(root)
        .map_err(|e| format!("Autosave is off: could not read {} ({e}).", root.display()))?;
    for entry in entries.flatten() {
        let dir = entry.path();
        if !dir.is_dir() {
            continue;
        }
        let Some(lock) = lock(&dir) else { continue };
        if let Some(note) = read_note(&dir) {
            orphans.push((note, dir, lock));
        } else if !dir.join(CONSULTATION_FILE).exists() {
            // Nothing kept here; a folder whose note cannot be read is left for a person.
            let young = std::fs::metadata(dir.join(LOCK_FILE))
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age < YOUNG));
            drop(lock);
            if !young {
                let _ = std::fs::remove_dir_all(&dir);
            }
        }
    }
    // Newest first; the others wait for later starts, their locks released.
    orphans.sort_by(|a, b| (a.0.written_unix_ms, &a.1).cmp(&(b.0.written_unix_ms, &b.1)));
    if let Some((note, dir, lock)) = orphans.pop() {
        return Ok((Folder { dir, lock }, Some(note)));
    }
    Ok((new_folder(root)?, None))
}

/// A new folder for this window, locked.
fn new_folder(root: &Path) -> Result<Folder, String> {
    static WINDOWS: AtomicU32 = AtomicU32::new(0);
    let name = format!("{}-{}-{}", now_ms(), std::process::id(), WINDOWS.fetch_add(1, Ordering::Relaxed));
    let dir = root.join(name);
    let fail = |e: String| format!("Autosave is off: could not make {} ({e}).", dir.display());
    std::fs::create_dir_all(&dir).map_err(|e| fail(e.to_string()))?;
    let lock = lock(&dir).ok_or_else(|| fail("it could not be locked".into()))?;
    Ok(Folder { dir, lock })
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

/// Does one job in `dir`.
fn run(dir: &Path, job: Job) -> Result<(), String> {
    match job {
        Job::Write { consultation, note } => {
            let fail = |e: String| format!("Could not keep a recovery copy in {}: {e}", dir.display());
            consultation.save(&dir.join(CONSULTATION_FILE)).map_err(|e| fail(e.to_string()))?;
            let text = ron::to_string(&note).map_err(|e| fail(e.to_string()))?;
            files::replace_with_bytes(&dir.join(NOTE_FILE), text.as_bytes()).map_err(|e| fail(e.to_string()))
        }
        Job::Clear => remove_file_if_present(&dir.join(NOTE_FILE))
            .and_then(|()| remove_file_if_present(&dir.join(CONSULTATION_FILE)))
            .map_err(|e| format!("Could not empty the recovery folder {}: {e}", dir.display())),
    }
}

fn remove_file_if_present(path: &Path) -> Result<(), String> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.to_string()),
        _ => Ok(()),
    }
}
