//! The studio's work with files, each on a thread of its own: opening photos, consultations
//! and the sample, saving, exporting, the preset library, restoring autosaved work, and
//! suggesting regions. Results come back through [`Studio::poll`].

use super::*;

/// Whether a file may be written at a path the person chose.
#[derive(Debug)]
pub enum Target {
    /// Nothing is there.
    Free,
    /// A file is there: ask before replacing it.
    Replaces(PathBuf),
    /// This consultation's own file, replaced on disk since it was read (another window or
    /// program saved it): ask before replacing that work.
    ChangedOnDisk(PathBuf),
    Refused(StudioError),
}

/// What a background job is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    /// Opening a photo, a consultation, the sample or restored work.
    Open,
    Save,
    Export,
    /// A change to the preset library.
    Presets,
    Settings,
    Suggest,
    Stubble,
}

impl JobKind {
    /// The job's name, for its thread and for a sentence about it.
    pub fn name(self) -> &'static str {
        match self {
            JobKind::Open => "open",
            JobKind::Save => "save",
            JobKind::Export => "export",
            JobKind::Presets => "presets",
            JobKind::Settings => "settings",
            JobKind::Suggest => "suggest",
            JobKind::Stubble => "stubble",
        }
    }

    /// Whether the job writes files: the window shows it and, closing, waits for it.
    pub fn writes_files(self) -> bool {
        match self {
            JobKind::Save | JobKind::Export | JobKind::Presets | JobKind::Settings => true,
            JobKind::Open | JobKind::Suggest | JobKind::Stubble => false,
        }
    }
}

/// What a finished background job hands back.
pub(super) enum Done {
    Opened(Result<Box<(Consultation, Origin, Vec<PhotoNotice>)>, StudioError>),
    Saved(Result<(PathBuf, u64), StudioError>),
    Exported(Result<PathBuf, StudioError>),
    Presets(Box<presets::Outcome>),
    Settings(Result<(), StudioError>),
    /// A suggested bald area, for the photo it was found on.
    Suggested(Arc<image::RgbImage>, Arc<Mask>),
    /// Match stubble's preset, for the photo it was measured on, or nothing to read there.
    StubbleMatched(Arc<image::RgbImage>, Option<Box<crate::engine::stubble::Match>>),
}

impl Studio {
    /// Runs `job` on a thread of its own; its result comes back through [`Studio::poll`].
    pub(super) fn spawn(
        &mut self,
        kind: JobKind,
        job: impl FnOnce() -> Done + Send + 'static,
    ) -> Result<(), StudioError> {
        let (tx, rx) = channel();
        let wake = self.wake.clone();
        let what = kind.name();
        std::thread::Builder::new()
            .name(format!("smp-{what}"))
            .spawn(move || {
                // The window may have closed meanwhile; then nobody needs the result.
                let _ = tx.send(job());
                wake();
            })
            .map_err(|e| StudioError::Thread { what, reason: e.to_string() })?;
        self.jobs.push((kind, rx));
        Ok(())
    }

    /// Opens a photo to start a new consultation, with the preset now applied.
    pub fn open_photo(&mut self, path: &Path) -> Result<(), StudioError> {
        let path = path.to_path_buf();
        let preset = self.consultation().preset.clone();
        self.spawn(JobKind::Open, move || {
            Done::Opened(open_photo(&path, preset).map(|(c, origin, notices)| Box::new((c, origin, notices))))
        })?;
        self.loading = true;
        Ok(())
    }

    /// Opens a saved consultation (a `.smpc` file, or a folder from an earlier version).
    pub fn open_consultation(&mut self, path: &Path) -> Result<(), StudioError> {
        let path = path.to_path_buf();
        self.spawn(JobKind::Open, move || {
            Done::Opened(
                Consultation::load(&path)
                    .map(|c| Box::new((c, Origin::File(path), Vec::new())))
                    .map_err(StudioError::from),
            )
        })?;
        self.loading = true;
        Ok(())
    }

    pub fn open_sample(&mut self) -> Result<(), StudioError> {
        self.spawn(JobKind::Open, || {
            Done::Opened(
                sample::load().map(|c| Box::new((c, Origin::Sample, Vec::new()))).map_err(StudioError::from),
            )
        })?;
        self.loading = true;
        Ok(())
    }

    /// Where a save to `path` would go (a `.smpc` file), and whether it may.
    pub fn save_target(&self, path: &Path) -> (PathBuf, Target) {
        let path = consultation_path(path);
        let target = if path.is_dir() {
            Target::Refused(StudioError::IsFolder(path.display().to_string()))
        } else if self.is_photo(&path) {
            Target::Refused(StudioError::WouldOverwritePhoto(path.display().to_string()))
        } else if self.is_own_file(&path) {
            if self.document.changed_on_disk() { Target::ChangedOnDisk(path.clone()) } else { Target::Free }
        } else if path.exists() {
            Target::Replaces(path.clone())
        } else {
            Target::Free
        };
        (path, target)
    }

    /// Whether an image may be exported to `path`.
    pub fn export_target(&self, path: &Path) -> Target {
        if path.is_dir() {
            Target::Refused(StudioError::IsFolder(path.display().to_string()))
        } else if self.is_photo(path) {
            Target::Refused(StudioError::WouldOverwritePhoto(path.display().to_string()))
        } else if self.is_own_file(path) {
            Target::Refused(StudioError::WouldOverwriteConsultation(path.display().to_string()))
        } else if path.exists() {
            Target::Replaces(path.to_path_buf())
        } else {
            Target::Free
        }
    }

    fn is_photo(&self, path: &Path) -> bool {
        self.document.photo_path().is_some_and(|photo| crate::engine::files::same_file(photo, path))
    }

    fn is_own_file(&self, path: &Path) -> bool {
        self.document.file_path().is_some_and(|own| own == path || crate::engine::files::same_file(own, path))
    }

    /// Saves the consultation to `path` (checked with [`Studio::save_target`] and, where it
    /// asked, confirmed) in the background.
    pub fn save(&mut self, path: &Path) -> Result<(), StudioError> {
        self.end_stroke();
        let snapshot = self.consultation().clone();
        let revision = self.document.revision();
        let path = consultation_path(path);
        self.spawn(JobKind::Save, move || {
            Done::Saved(snapshot.save(&path).map(|()| (path, revision)).map_err(StudioError::from))
        })
    }

    /// Changes the preset library in the background.
    pub fn presets(&mut self, op: PresetOp) -> Result<(), StudioError> {
        let store = self.store.clone();
        let current = self.consultation().preset.clone();
        self.spawn(JobKind::Presets, move || Done::Presets(Box::new(presets::run(store, op, current))))?;
        self.presets_busy = true;
        Ok(())
    }

    /// Brings back the work the recovery folder offered.
    pub fn restore(&mut self) -> Result<(), StudioError> {
        let Some(note) = self.restore_offer.take() else { return Ok(()) };
        let Some(file) = self.recovery.consultation_file() else { return Ok(()) };
        self.spawn(JobKind::Open, move || {
            let opened = Consultation::load(&file)
                .map(|mut c| {
                    c.photo_name = note.photo_name;
                    Box::new((c, Origin::Restored, Vec::new()))
                })
                .map_err(|e| {
                    let folder = file.parent().unwrap_or(&file).display().to_string();
                    StudioError::Restore { reason: e.to_string(), folder }
                });
            Done::Opened(opened)
        })?;
        self.loading = true;
        Ok(())
    }

    /// The person chose not to restore the offered work.
    pub fn discard_restore(&mut self) {
        self.restore_offer = None;
        self.recovery.clear();
    }

    /// The unsaved work is deliberately dropped (quit without saving): no copy is kept.
    pub fn discard_unsaved(&mut self) {
        self.recovery.clear();
        self.autosaved_revision = self.document.revision();
    }

    /// Finishes background writes and autosave before the window closes, waiting at most
    /// `limit`.
    pub fn finish(&mut self, limit: Duration) {
        let deadline = Instant::now() + limit;
        for (kind, rx) in std::mem::take(&mut self.jobs) {
            if kind.writes_files() {
                let _ = rx.recv_timeout(deadline.saturating_duration_since(Instant::now()));
            }
        }
        self.recovery.finish(deadline.saturating_duration_since(Instant::now()));
    }
}

/// A consultation file's path: the name with the `.smpc` extension.
pub fn consultation_path(path: &Path) -> PathBuf {
    if path.extension().is_some_and(|e| e == CONSULTATION_EXTENSION) {
        path.to_path_buf()
    } else {
        path.with_extension(CONSULTATION_EXTENSION)
    }
}

/// Loads a photo for a new consultation, keeping its bytes to save them unchanged (unless it
/// had to be reduced), with what a person should be told about it.
fn open_photo(path: &Path, preset: Preset) -> Result<(Consultation, Origin, Vec<PhotoNotice>), StudioError> {
    let limits = photo::PhotoLimits::from_env()?;
    let (bytes, loaded) = photo::open_with_bytes(path, &limits)?;
    let file = crate::engine::consultation::PhotoFile::opened(path, bytes, &loaded);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "photo".into());
    // Shown at once; the first render measures the photo (seconds on a 24 MP photo).
    let mut consultation = Consultation::unmeasured(name, loaded.image, preset).keeping(file);
    // A new consultation is dated today; the clinician can change it under Patient and notes.
    consultation.notes.date = crate::engine::consultation::PatientNotes::today();
    Ok((consultation, Origin::Photo(path.to_path_buf()), loaded.notices))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Suggest regions and Match stubble write nothing: while only they run, the window says
    /// no file is being written and closing does not wait for them; a save does both.
    #[test]
    fn only_jobs_that_write_files_count_as_writing() {
        let (mut studio, _) = Studio::new(Folders::default(), || {});
        let (release, held) = std::sync::mpsc::channel::<()>();
        let held = std::sync::Mutex::new(held);
        let wait = move || {
            let _ = held.lock().map(|rx| rx.recv_timeout(Duration::from_secs(5)));
        };
        let wait = Arc::new(wait);
        for kind in [JobKind::Suggest, JobKind::Stubble, JobKind::Open] {
            let wait = wait.clone();
            studio
                .spawn(kind, move || {
                    wait();
                    Done::Settings(Ok(()))
                })
                .unwrap();
        }
        assert!(!studio.writing(), "reading work counted as writing files");
        studio.spawn(JobKind::Save, || Done::Settings(Ok(()))).unwrap();
        assert!(studio.writing());
        drop(release);
    }
}
