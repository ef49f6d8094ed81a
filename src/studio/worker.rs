//! Renders off the window's thread. Jobs carry a generation number; a job superseded before it
//! starts is skipped, and only results newer than the one shown are handed on.

use super::edit::RenderScope;
use crate::engine::analysis::PhotoAnalysis;
use crate::engine::compression::Compression;
use crate::engine::hair::{self, HairMap};
use crate::engine::mask::{PixelRect, RegionMasks};
use crate::engine::plan::{self, PlanFigures};
use crate::engine::preset::Preset;
use crate::engine::sim::{self, Scene, SimSettings, Stats};
use image::RgbImage;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

pub struct RenderJob {
    pub generation: u64,
    pub photo: Arc<RgbImage>,
    /// Hair found on the photo; found again here when it was found at another scale.
    pub hair: Arc<HairMap>,
    /// The photo's blur, shine and skin; measured again here when made at another scale.
    pub analysis: Arc<PhotoAnalysis>,
    pub masks: Arc<RegionMasks>,
    pub preset: Arc<Preset>,
    pub settings: SimSettings,
    /// How the camera compressed the photo, when it is a JPEG decoded as it is.
    pub compression: Option<Arc<Compression>>,
    pub scope: RenderScope,
}

pub struct RenderOutput {
    pub generation: u64,
    /// What the whole treatment takes (every session, whatever session is shown).
    pub plan: PlanFigures,
    /// The new pixels of `rect`.
    pub pixels: RgbImage,
    /// Where `pixels` go in the result; the whole photo after a full render.
    pub rect: PixelRect,
    pub stats: Stats,
    pub elapsed: Duration,
    /// The hair and the photo's analysis, when this render measured them anew (the scale
    /// changed): the document keeps them, so what the window reads off the photo (its
    /// sharpness, the head's outline) is measured at the scale in use.
    pub measured: Option<(Arc<HairMap>, Arc<PhotoAnalysis>)>,
}

/// Why the window shows no new results.
#[derive(Debug, thiserror::Error)]
#[error("the simulation could not start ({0}); the photo is shown as it is. Restart SMP Studio to try again")]
pub struct WorkerFailed(String);

pub struct RenderWorker {
    jobs: Sender<RenderJob>,
    results: Receiver<RenderOutput>,
    sent: u64,
    received: u64,
    failed: Option<String>,
}

/// The last full result and what it was rendered from, so a brush stroke re-renders only the
/// tiles it touched.
struct Previous {
    image: RgbImage,
    photo: Arc<RgbImage>,
    preset: Arc<Preset>,
    settings: SimSettings,
}

impl RenderWorker {
    /// Starts the worker thread; `wake` is called after each result so the window repaints.
    pub fn spawn(wake: impl Fn() + Send + 'static) -> Self {
        let (jobs, job_rx) = channel::<RenderJob>();
        let (result_tx, results) = channel();
        let spawned =
            std::thread::Builder::new().name("smp-render".into()).spawn(move || run(job_rx, result_tx, wake));
        Self { jobs, results, sent: 0, received: 0, failed: spawned.err().map(|e| e.to_string()) }
    }

    /// Queues a render; the job's generation is assigned here.
    pub fn submit(&mut self, job: RenderJob) {
        if self.failed.is_some() {
            return;
        }
        self.sent += 1;
        let job = RenderJob { generation: self.sent, ..job };
        if self.jobs.send(job).is_err() {
            self.failed = Some("the render thread stopped".into());
        }
    }

    /// The results that arrived since the last call, oldest first, each newer than the last
    /// one handed on.
    pub fn poll(&mut self) -> Vec<RenderOutput> {
        let mut outputs = Vec::new();
        while let Ok(output) = self.results.try_recv() {
            if output.generation > self.received {
                self.received = output.generation;
                outputs.push(output);
            }
        }
        outputs
    }

    /// Ignores every result of jobs already sent (the document they were for is gone).
    pub fn discard_in_flight(&mut self) {
        self.received = self.sent;
    }

    /// Whether a submitted job has not come back yet.
    pub fn busy(&self) -> bool {
        self.failed.is_none() && self.received < self.sent
    }

    /// Why no results will come, if none will.
    pub fn failure(&self) -> Option<WorkerFailed> {
        self.failed.clone().map(WorkerFailed)
    }
}

fn run(jobs: Receiver<RenderJob>, results: Sender<RenderOutput>, wake: impl Fn()) {
    let mut previous: Option<Previous> = None;
    let mut hair_cache: Option<Arc<HairMap>> = None;
    let mut analysis_cache: Option<Arc<PhotoAnalysis>> = None;
    while let Ok(mut job) = jobs.recv() {
        while let Ok(newer) = jobs.try_recv() {
            // A skipped job's changes still have to be drawn.
            let scope = job.scope.merge(newer.scope);
            job = RenderJob { scope, ..newer };
        }
        let start = Instant::now();
        let hair = if job.hair.scale == Some(job.settings.scale) {
            job.hair.clone()
        } else {
            let cached = hair_cache.take().filter(|h| {
                h.scale == Some(job.settings.scale) && (h.width(), h.height()) == job.photo.dimensions()
            });
            cached.unwrap_or_else(|| Arc::new(hair::detect(&job.photo, job.settings.scale)))
        };
        // One analysis per photo and scale: every job of a scale shares it.
        let analysis = if job.analysis.fits(&job.photo, job.settings.scale) {
            job.analysis.clone()
        } else {
            let cached = analysis_cache.take().filter(|a| a.fits(&job.photo, job.settings.scale));
            cached.unwrap_or_else(|| Arc::new(PhotoAnalysis::new(&job.photo, job.settings.scale)))
        };
        let scene = Scene {
            photo: &job.photo,
            hair: Some(&hair),
            masks: &job.masks,
            preset: &job.preset,
            settings: job.settings,
            analysis: Some(&analysis),
            compression: job.compression.as_deref(),
        };
        let reusable = previous.take().filter(|p| {
            Arc::ptr_eq(&p.photo, &job.photo) && *p.preset == *job.preset && p.settings == job.settings
        });
        let bounds = PixelRect::full(job.photo.width(), job.photo.height());
        let (image, rect, stats, dots) = match (job.scope, reusable) {
            (RenderScope::Region(dirty), Some(Previous { mut image, .. })) => {
                let dirty = dirty.expand(sim::influence_px(&scene), bounds);
                let dots = sim::render_into(&scene, &mut image, dirty);
                (image, dirty, sim::stats(&scene, &dots), dots)
            }
            _ => {
                let render = sim::render(&scene);
                (render.image, bounds, render.stats, render.dots)
            }
        };
        let plan = plan::for_scene(&scene, &dots, &stats);
        let pixels = if rect == bounds {
            image.clone()
        } else {
            image::imageops::crop_imm(&image, rect.x0, rect.y0, rect.x1 - rect.x0, rect.y1 - rect.y0)
                .to_image()
        };
        previous =
            Some(Previous { image, photo: job.photo.clone(), preset: job.preset, settings: job.settings });
        let measured = (!Arc::ptr_eq(&hair, &job.hair) || !Arc::ptr_eq(&analysis, &job.analysis))
            .then(|| (hair.clone(), analysis.clone()));
        if !Arc::ptr_eq(&hair, &job.hair) {
            hair_cache = Some(hair);
        }
        if !Arc::ptr_eq(&analysis, &job.analysis) {
            analysis_cache = Some(analysis);
        }
        let output = RenderOutput {
            generation: job.generation,
            plan,
            pixels,
            rect,
            stats,
            elapsed: start.elapsed(),
            measured,
        };
        if results.send(output).is_err() {
            break;
        }
        wake();
    }
}
