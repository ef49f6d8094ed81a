//! The studio: the open consultation as a [`Document`], and the work beside it — rendering,
//! autosave, opening and saving files, the preset library — with no window in sight. The
//! window is a thin shell that shows this state and hands [`Edit`]s and requests to it.
//!
//! Nothing here blocks: renders run on the render worker, files are read and written on
//! threads of their own, and their results are picked up by [`Studio::poll`].

mod background;
pub mod compare;
pub mod document;
pub mod edit;
pub mod error;
pub mod handout;
pub mod notices;
mod presets;
pub mod recovery;
pub mod settings;
pub mod thumbnails;
pub mod worker;

use background::{Done, JobKind};
pub use background::{Target, consultation_path};
pub use document::{Document, Origin};
pub use edit::{Change, Edit, Reading, RenderScope};
pub use error::StudioError;
pub use presets::PresetOp;
pub use thumbnails::Thumbnails;

use crate::engine::consultation::{CONSULTATION_EXTENSION, Consultation};
use crate::engine::mask::{Mask, PixelRect};
use crate::engine::photo::PhotoNotice;
use crate::engine::plan::PlanFigures;
use crate::engine::preset::Preset;
use crate::engine::sim::Stats;
use crate::engine::store::PresetStore;
use crate::engine::{photo, sample};
use image::RgbImage;
use recovery::{Recovery, RecoveryNote};
use settings::Settings;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};
use worker::{RenderJob, RenderWorker};

/// Quiet time after an edit before it is copied to the recovery folder: long enough not to
/// write during a burst of strokes, short enough that a crash costs seconds of work.
pub const AUTOSAVE_AFTER: Duration = Duration::from_secs(2);

/// Where the studio keeps things between sessions.
#[derive(Clone, Debug, Default)]
pub struct Folders {
    /// User presets; `None` keeps them for this session only.
    pub presets: Option<PathBuf>,
    /// Autosaved work; `None` keeps none.
    pub recovery: Option<PathBuf>,
    /// The settings file (recent files, the clinic's pace); `None` keeps them for this session.
    pub settings: Option<PathBuf>,
    /// The log of notices, for support; `None` keeps none.
    pub logs: Option<PathBuf>,
}

impl Folders {
    /// The person's own folders.
    pub fn user() -> Self {
        Self {
            presets: PresetStore::default_dir(),
            recovery: Recovery::default_dir(),
            settings: Settings::default_path(),
            logs: notices::default_dir(),
        }
    }
}

/// What happened in the background since the last [`Studio::poll`].
#[derive(Debug)]
pub enum Event {
    /// A photo, consultation, the sample or restored work replaced the document.
    Opened {
        origin: Origin,
        name: String,
        /// What the person should know about the photo (incomplete, reduced).
        notices: Vec<PhotoNotice>,
    },
    /// The document as of `revision` was written to `path`.
    Saved {
        path: PathBuf,
        revision: u64,
    },
    Exported(PathBuf),
    /// Match stubble's preset to apply, with the sentence saying what it sets, or nothing to
    /// read there.
    StubbleMatched(Option<(String, Box<Preset>)>),
    /// A suggested region is ready (or none was found).
    Suggested {
        found: bool,
    },
    /// The preset library changed; `apply` is the preset to apply now, if one.
    Presets {
        message: String,
        apply: Option<Preset>,
    },
    /// The photo opened unmeasured was measured: its sharpness and outline are known now.
    Measured,
    Failed(StudioError),
}

/// The simulated result the window shows.
struct Shown {
    image: Option<RgbImage>,
    generation: u64,
    stats: Stats,
    plan: PlanFigures,
    elapsed: Option<Duration>,
}

pub struct Studio {
    document: Document,
    worker: RenderWorker,
    /// What changed since the last job was sent, if anything.
    pending: Option<RenderScope>,
    shown: Shown,
    /// Parts of the result that changed since the window last asked.
    fresh: Option<PixelRect>,
    recovery: Recovery,
    restore_offer: Option<RecoveryNote>,
    autosaved_revision: u64,
    last_edit: Instant,
    autosave_after: Duration,
    store: PresetStore,
    settings: Settings,
    settings_path: Option<PathBuf>,
    thumbnails: Thumbnails,
    compare: compare::Compare,
    jobs: Vec<(JobKind, Receiver<Done>)>,
    /// A document on its way in: edits wait until it is here.
    loading: bool,
    /// The hand-out being made, with its progress and Cancel.
    export_running: Option<handout::Running>,
    /// A suggested bald area waiting for the doctor to accept or dismiss it.
    suggestion: Option<Arc<Mask>>,
    suggesting: bool,
    /// Preset files are being written.
    presets_busy: bool,
    wake: Arc<dyn Fn() + Send + Sync>,
}

impl Studio {
    /// Opens on the sample consultation with presets and autosaves in `folders`; `wake` is
    /// called whenever background work finishes, so the window can repaint.
    pub fn new(folders: Folders, wake: impl Fn() + Send + Sync + 'static) -> (Studio, Vec<StudioError>) {
        let wake: Arc<dyn Fn() + Send + Sync> = Arc::new(wake);
        let store = PresetStore::open(folders.presets);
        let mut problems = Vec::new();
        let mut settings = Settings::default();
        if let Some(path) = &folders.settings {
            let (loaded, warning) = Settings::load(path);
            settings = loaded;
            // Files moved or deleted since are not offered.
            settings.prune();
            problems.extend(warning.map(StudioError::Settings));
        }
        let (consultation, origin) = match sample::load() {
            Ok(sample) => (sample, Origin::Sample),
            Err(e) => {
                problems.push(StudioError::from(e));
                (blank(&store), Origin::Blank)
            }
        };
        let recovery = {
            let wake = wake.clone();
            Recovery::open(folders.recovery, move || wake())
        };
        if let Some(problem) = &recovery.problem {
            problems.push(StudioError::Autosave(problem.clone()));
        }
        let worker = {
            let wake = wake.clone();
            RenderWorker::spawn(move || wake())
        };
        if let Some(failure) = worker.failure() {
            problems.push(failure.into());
        }
        let studio = Studio {
            document: Document::new(consultation, origin),
            worker,
            pending: Some(RenderScope::Everything),
            shown: Shown {
                image: None,
                generation: 0,
                stats: Stats::default(),
                plan: PlanFigures::default(),
                elapsed: None,
            },
            fresh: None,
            restore_offer: recovery.found(),
            recovery,
            autosaved_revision: 0,
            last_edit: Instant::now(),
            autosave_after: AUTOSAVE_AFTER,
            thumbnails: Thumbnails::new(wake.clone()),
            compare: compare::Compare::default(),
            store,
            settings,
            settings_path: folders.settings,
            jobs: Vec::new(),
            loading: false,
            export_running: None,
            suggestion: None,
            suggesting: false,
            presets_busy: false,
            wake,
        };
        (studio, problems)
    }

    // ---- reading ----

    pub fn document(&self) -> &Document {
        &self.document
    }

    pub fn consultation(&self) -> &Consultation {
        self.document.consultation()
    }

    pub fn store(&self) -> &PresetStore {
        &self.store
    }

    pub fn thumbnails(&self) -> &Thumbnails {
        &self.thumbnails
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Changes the settings and writes them down in the background.
    pub fn change_settings(&mut self, change: impl FnOnce(&mut Settings)) {
        let before = self.settings.clone();
        change(&mut self.settings);
        if self.settings == before {
            return;
        }
        let Some(path) = self.settings_path.clone() else { return };
        let settings = self.settings.clone();
        let written = self.spawn(JobKind::Settings, move || {
            Done::Settings(settings.save(&path).map_err(|e| {
                StudioError::Settings(format!("Could not keep the settings in {} ({e}).", path.display()))
            }))
        });
        // Without the thread only the list of recent files is lost.
        drop(written);
    }

    /// The last finished result, if one arrived for this document.
    pub fn result(&self) -> Option<&RgbImage> {
        self.shown.image.as_ref()
    }

    /// Generation of the result shown (0: none yet).
    pub fn result_generation(&self) -> u64 {
        self.shown.generation
    }

    pub fn stats(&self) -> &Stats {
        &self.shown.stats
    }

    /// What the whole treatment takes, from the last render.
    pub fn plan(&self) -> &PlanFigures {
        &self.shown.plan
    }

    /// How long the last render took.
    pub fn render_time(&self) -> Option<Duration> {
        self.shown.elapsed
    }

    /// A render is under way or waiting to be sent.
    pub fn rendering(&self) -> bool {
        self.pending.is_some() || self.worker.busy()
    }

    /// A photo or consultation is being opened.
    pub fn loading(&self) -> bool {
        self.loading
    }

    /// Files are being written (a save, an export, the preset library, the settings).
    pub fn writing(&self) -> bool {
        self.jobs.iter().any(|(kind, _)| kind.writes_files())
    }

    pub fn presets_busy(&self) -> bool {
        self.presets_busy
    }

    /// Work a window left unsaved, offered back until answered.
    pub fn restore_offer(&self) -> Option<&RecoveryNote> {
        self.restore_offer.as_ref()
    }

    /// Autosave has nothing left to do: the recovery folder holds the latest edit.
    pub fn autosave_settled(&self) -> bool {
        self.autosaved_revision == self.document.revision() && self.recovery.settled()
    }

    /// The part of the result that changed since the last call, to upload to the screen.
    pub fn take_fresh(&mut self) -> Option<PixelRect> {
        self.fresh.take()
    }

    /// How long edits must settle before they are copied to the recovery folder.
    pub fn set_autosave_after(&mut self, quiet: Duration) {
        self.autosave_after = quiet;
    }

    // ---- changing the document ----

    /// Applies an edit to the document; while another document is opening, edits wait.
    pub fn apply(&mut self, edit: Edit) -> Change {
        if self.loading && edit != Edit::EndGesture {
            return Change::NONE;
        }
        let change = self.document.apply(edit);
        if let Some(scope) = change.render {
            self.pending = Some(self.pending.map_or(scope, |p| p.merge(scope)));
            self.compare.changed(scope);
        }
        if change.edited {
            self.last_edit = Instant::now();
        }
        change
    }

    /// Finds the bald and thinning scalp in the background, to propose as a region.
    pub fn suggest_regions(&mut self) -> Result<(), StudioError> {
        let c = self.consultation();
        let (photo, hair, scale) = (c.photo.clone(), c.hair.clone(), c.settings.scale);
        let analysis = c.analysis.clone();
        self.spawn(JobKind::Suggest, move || {
            let hair = if hair.scale == Some(scale) {
                hair
            } else {
                Arc::new(crate::engine::hair::detect(&photo, scale))
            };
            // Only the skin is suggested: the photo's own analysis, measured now if it was not.
            let analysis = if analysis.fits(&photo, scale) {
                analysis
            } else {
                Arc::new(crate::engine::analysis::PhotoAnalysis::new(&photo, scale))
            };
            let mask = crate::engine::suggest::suggest_bald(&photo, &hair, scale, Some(&analysis.skin));
            Done::Suggested(photo, Arc::new(mask))
        })?;
        self.suggesting = true;
        Ok(())
    }

    /// Match stubble around `(x, y)`: measured and tuned in the background (a second or more on
    /// a close photo); [`Event::StubbleMatched`] brings the preset to apply as one edit.
    pub fn match_stubble(&mut self, x: f32, y: f32) -> Result<(), StudioError> {
        use crate::engine::stubble;
        let c = self.consultation();
        let (sharpness_mm, _) = crate::engine::sim::photo_sharpness_mm(&c.scene());
        let place = stubble::Place {
            scale: c.settings.scale,
            sharpness_mm,
            x,
            y,
            radius_mm: stubble::DEFAULT_RADIUS_MM,
        };
        let (photo, preset) = (c.photo.clone(), c.preset.clone());
        self.spawn(JobKind::Stubble, move || {
            let found = stubble::match_in(&photo, &preset, place).map(Box::new);
            Done::StubbleMatched(photo, found)
        })
    }

    /// The proposed bald area, until it is accepted or dismissed.
    pub fn suggestion(&self) -> Option<&Arc<Mask>> {
        self.suggestion.as_ref()
    }

    pub fn suggesting(&self) -> bool {
        self.suggesting
    }

    /// Adds the proposal to the bald region (one undo step) and lets it go.
    pub fn accept_suggestion(&mut self) -> Change {
        match self.suggestion.take() {
            Some(layer) => self.apply(Edit::Merge { kind: crate::engine::mask::RegionKind::Bald, layer }),
            None => Change::NONE,
        }
    }

    pub fn dismiss_suggestion(&mut self) {
        self.suggestion = None;
    }

    /// Shows `variants` side by side, each kept up to date with the document.
    pub fn start_compare(&mut self, variants: Vec<compare::Variant>) {
        self.compare.start(variants, self.wake.clone());
    }

    pub fn stop_compare(&mut self) {
        self.compare.stop();
    }

    pub fn compare(&self) -> &compare::Compare {
        &self.compare
    }

    /// The part of compare pane `i` that changed since the window last asked.
    pub fn take_compare_fresh(&mut self, i: usize) -> Option<PixelRect> {
        self.compare.take_fresh(i)
    }

    /// Puts a new document on screen: its result starts over.
    fn replace(&mut self, document: Document) {
        self.compare.stop();
        self.suggestion = None;
        self.document = document;
        self.worker.discard_in_flight();
        self.pending = Some(RenderScope::Everything);
        self.shown = Shown {
            image: None,
            generation: 0,
            stats: Stats::default(),
            plan: PlanFigures::default(),
            elapsed: None,
        };
        self.fresh = None;
        self.autosaved_revision = self.document.revision();
        if self.document.unsaved() {
            // Restored work is kept where it came from until it is saved.
            self.autosaved_revision = u64::MAX;
        }
    }

    fn end_stroke(&mut self) {
        if self.document.stroke_open() {
            self.apply(Edit::EndGesture);
        }
    }

    /// Picks up finished background work.
    pub fn poll(&mut self) -> Vec<Event> {
        let mut events = Vec::new();
        self.compare.poll(self.document.consultation().photo.dimensions());
        for output in self.worker.poll() {
            let image = self.shown.image.get_or_insert_with(|| RgbImage::new(1, 1));
            let r = output.rect;
            if r == PixelRect::full(output.pixels.width(), output.pixels.height())
                || (r.x0, r.y0) == (0, 0)
                    && output.pixels.dimensions() == self.document.consultation().photo.dimensions()
            {
                *image = output.pixels;
            } else if image.dimensions() == self.document.consultation().photo.dimensions() {
                image::imageops::replace(image, &output.pixels, r.x0 as i64, r.y0 as i64);
            }
            self.fresh = Some(self.fresh.map_or(r, |f| f.union(r)));
            self.shown.generation = output.generation;
            self.shown.stats = output.stats;
            self.shown.plan = output.plan;
            self.shown.elapsed = Some(output.elapsed);
            if let Some((hair, analysis)) = output.measured
                && self.document.adopt_measurements(hair, analysis)
            {
                events.push(Event::Measured);
            }
        }
        let mut finished = Vec::new();
        self.jobs.retain(|(_, rx)| match rx.try_recv() {
            Ok(done) => {
                finished.push(done);
                false
            }
            Err(TryRecvError::Empty) => true,
            Err(TryRecvError::Disconnected) => false,
        });
        for done in finished {
            match done {
                Done::Opened(result) => {
                    self.loading = false;
                    match result {
                        Ok(opened) => {
                            let (consultation, origin, notices) = *opened;
                            let name = consultation.photo_name.clone();
                            // Whatever the recovery folder held was saved or discarded before
                            // this was opened, unless it is still offered back: a photo given
                            // at start opens while the offer waits for its answer.
                            if origin != Origin::Restored && self.restore_offer.is_none() {
                                self.recovery.clear();
                            }
                            if let Origin::File(path) = &origin {
                                let path = path.clone();
                                self.change_settings(|s| s.remember(&path));
                            }
                            self.replace(Document::new(consultation, origin.clone()));
                            events.push(Event::Opened { origin, name, notices });
                        }
                        Err(e) => {
                            if matches!(e, StudioError::Restore { .. }) {
                                // Left as it is; this window keeps its own work elsewhere.
                                self.recovery.leave_found();
                            }
                            events.push(Event::Failed(e));
                        }
                    }
                }
                Done::Saved(Ok((path, revision))) => {
                    self.document.saved(revision, &path);
                    self.change_settings(|s| s.remember(&path));
                    if revision == self.document.revision() {
                        self.recovery.clear();
                        self.autosaved_revision = revision;
                    }
                    events.push(Event::Saved { path, revision });
                }
                Done::Exported(Ok(path)) => {
                    self.export_running = None;
                    events.push(Event::Exported(path));
                }
                Done::Exported(Err(e)) => {
                    self.export_running = None;
                    events.push(Event::Failed(e));
                }
                Done::Saved(Err(e)) | Done::Settings(Err(e)) => events.push(Event::Failed(e)),
                Done::Settings(Ok(())) => {}
                // A match for a photo no longer open is dropped.
                Done::StubbleMatched(photo, found)
                    if Arc::ptr_eq(&photo, &self.document.consultation().photo) =>
                {
                    events.push(Event::StubbleMatched(
                        found.map(|found| (found.describe(), Box::new(found.preset))),
                    ));
                }
                Done::StubbleMatched(..) => {}
                Done::Suggested(photo, mask) => {
                    self.suggesting = false;
                    // A suggestion for a photo no longer open is dropped.
                    if Arc::ptr_eq(&photo, &self.document.consultation().photo) {
                        let found = !mask.painted_bounds().is_empty();
                        self.suggestion = found.then_some(mask);
                        events.push(Event::Suggested { found });
                    }
                }
                Done::Presets(outcome) => {
                    self.presets_busy = false;
                    let presets::Outcome { store, result } = *outcome;
                    self.store = store;
                    match result {
                        Ok((message, apply)) => events.push(Event::Presets { message, apply }),
                        Err(e) => events.push(Event::Failed(e)),
                    }
                }
            }
        }
        for failure in self.recovery.failures() {
            events.push(Event::Failed(StudioError::Autosave(failure)));
        }
        self.thumbnails.update(&self.store);
        events
    }

    /// Sends the render the document needs when the worker is free, and copies the document
    /// to the recovery folder once edits have settled. Returns when to look again, if a
    /// timed step is waiting.
    pub fn tick(&mut self, pointer_down: bool) -> Option<Duration> {
        self.compare.tick(self.document.consultation());
        if let Some(scope) = self.pending
            && !self.worker.busy()
        {
            let c = self.document.consultation();
            self.worker.submit(RenderJob {
                generation: 0,
                photo: c.photo.clone(),
                hair: c.hair.clone(),
                analysis: c.analysis.clone(),
                compression: c.photo_file.as_ref().and_then(|f| f.compression.clone()),
                masks: Arc::new(c.masks.clone()),
                preset: Arc::new(c.preset.clone()),
                settings: c.settings,
                scope,
            });
            self.pending = None;
        }
        let revision = self.document.revision();
        let waiting = self.restore_offer.is_some() || self.loading;
        if self.autosaved_revision == revision || waiting || pointer_down || self.document.stroke_open() {
            return None;
        }
        let quiet = self.last_edit.elapsed();
        if quiet < self.autosave_after {
            return Some(self.autosave_after - quiet);
        }
        if self.document.unsaved() {
            self.recovery.write(self.document.consultation());
        }
        self.autosaved_revision = revision;
        None
    }
}

/// A plain placeholder when not even the sample opens.
fn blank(store: &PresetStore) -> Consultation {
    let image = RgbImage::from_pixel(800, 600, image::Rgb([200, 170, 150]));
    let preset = store.list().first().map(|e| e.preset.clone()).unwrap_or_default();
    Consultation::new("untitled".into(), image, preset)
}
