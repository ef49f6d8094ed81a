//! Renders off the UI thread. Jobs carry a generation number; a job superseded before it
//! starts is skipped, and the window only ever shows results newer than what it shows.

use crate::engine::hair::HairMap;
use crate::engine::mask::{PixelRect, RegionMasks};
use crate::engine::preset::Preset;
use crate::engine::sim::{self, Scene, SimSettings, Stats};
use image::RgbImage;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

/// What changed since the previous job: only some pixels' regions, or anything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Region masks changed inside this rectangle only.
    Region(PixelRect),
    /// Photo, preset or settings changed: render everything.
    Everything,
}

impl Change {
    pub fn merge(self, other: Change) -> Change {
        match (self, other) {
            (Change::Region(a), Change::Region(b)) => Change::Region(a.union(b)),
            _ => Change::Everything,
        }
    }
}

pub struct RenderJob {
    pub generation: u64,
    pub photo: Arc<RgbImage>,
    pub hair: Arc<HairMap>,
    pub masks: Arc<RegionMasks>,
    pub preset: Arc<Preset>,
    pub settings: SimSettings,
    pub change: Change,
}

pub struct RenderOutput {
    pub generation: u64,
    pub image: RgbImage,
    /// The pixels that may differ from the previous output (`None`: any of them).
    pub changed: Option<PixelRect>,
    pub stats: Stats,
    pub elapsed: Duration,
}

pub struct RenderWorker {
    jobs: Sender<RenderJob>,
    results: Receiver<RenderOutput>,
    sent: u64,
    received: u64,
}

impl RenderWorker {
    /// Starts the worker thread; `wake` is called after each result so the window repaints.
    pub fn spawn(wake: impl Fn() + Send + 'static) -> Self {
        let (jobs, job_rx) = channel::<RenderJob>();
        let (result_tx, results) = channel();
        let spawned = std::thread::Builder::new().name("smp-render".into()).spawn(move || {
            // The last result, kept so a brush stroke re-renders only the tiles it touched.
            let mut previous: Option<(RgbImage, Arc<RgbImage>, Arc<Preset>, SimSettings)> = None;
            while let Ok(mut job) = job_rx.recv() {
                while let Ok(newer) = job_rx.try_recv() {
                    // A skipped job's changes still have to be drawn.
                    let change = job.change.merge(newer.change);
                    job = RenderJob { change, ..newer };
                }
                let start = Instant::now();
                let scene = Scene {
                    photo: &job.photo,
                    hair: Some(&job.hair),
                    masks: &job.masks,
                    preset: &job.preset,
                    settings: job.settings,
                    analysis: None,
                };
                let reusable = previous.take().filter(|(_, photo, preset, settings)| {
                    Arc::ptr_eq(photo, &job.photo) && **preset == *job.preset && *settings == job.settings
                });
                let (image, stats, changed) = match (job.change, reusable) {
                    (Change::Region(dirty), Some((mut image, ..))) => {
                        let dirty = dirty.expand(
                            sim::influence_px(&scene),
                            PixelRect::full(image.width(), image.height()),
                        );
                        let dots = sim::render_into(&scene, &mut image, dirty);
                        let stats = sim::stats(&scene, &dots);
                        (image, stats, Some(dirty))
                    }
                    _ => {
                        let render = sim::render(&scene);
                        (render.image, render.stats, None)
                    }
                };
                previous = Some((image.clone(), job.photo.clone(), job.preset.clone(), job.settings));
                let output = RenderOutput {
                    generation: job.generation,
                    image,
                    changed,
                    stats,
                    elapsed: start.elapsed(),
                };
                if result_tx.send(output).is_err() {
                    break;
                }
                wake();
            }
        });
        if let Err(err) = spawned {
            // Without a thread the window still works; renders simply never arrive.
            eprintln!("could not start the render thread: {err}");
        }
        Self { jobs, results, sent: 0, received: 0 }
    }

    /// Queues a render; the job's generation is assigned here.
    pub fn submit(&mut self, job: RenderJob) {
        self.sent += 1;
        let job = RenderJob { generation: self.sent, ..job };
        // A closed channel means the worker is gone; the UI keeps the last result.
        let _ = self.jobs.send(job);
    }

    /// The newest finished result, if one arrived since the last call; its `changed` area
    /// covers every result it replaces.
    pub fn poll(&mut self) -> Option<RenderOutput> {
        let mut newest: Option<RenderOutput> = None;
        while let Ok(mut output) = self.results.try_recv() {
            if output.generation > self.received {
                self.received = output.generation;
                if let Some(skipped) = newest.take() {
                    output.changed = match (skipped.changed, output.changed) {
                        (Some(a), Some(b)) => Some(a.union(b)),
                        _ => None,
                    };
                }
                newest = Some(output);
            }
        }
        newest
    }

    /// Ignores every result of jobs already sent (the document they were for is gone).
    pub fn discard_in_flight(&mut self) {
        self.received = self.sent;
    }

    /// Whether a submitted job has not come back yet.
    pub fn busy(&self) -> bool {
        self.received < self.sent
    }
}
