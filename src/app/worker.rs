//! Renders off the UI thread. Jobs carry a generation number; a job superseded before it
//! starts is skipped, and the window only ever shows results newer than what it shows.

use crate::engine::hair::HairMap;
use crate::engine::mask::RegionMasks;
use crate::engine::preset::Preset;
use crate::engine::sim::{self, Scene, SimSettings, Stats};
use image::RgbImage;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

pub struct RenderJob {
    pub generation: u64,
    pub photo: Arc<RgbImage>,
    pub hair: Arc<HairMap>,
    pub masks: Arc<RegionMasks>,
    pub preset: Arc<Preset>,
    pub settings: SimSettings,
}

pub struct RenderOutput {
    pub generation: u64,
    pub image: RgbImage,
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
            while let Ok(mut job) = job_rx.recv() {
                while let Ok(newer) = job_rx.try_recv() {
                    job = newer;
                }
                let start = Instant::now();
                let scene = Scene {
                    photo: &job.photo,
                    hair: Some(&job.hair),
                    masks: &job.masks,
                    preset: &job.preset,
                    settings: job.settings,
                };
                let render = sim::render(&scene);
                let output = RenderOutput {
                    generation: job.generation,
                    image: render.image,
                    stats: render.stats,
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

    /// The newest finished result, if one arrived since the last call.
    pub fn poll(&mut self) -> Option<RenderOutput> {
        let mut newest: Option<RenderOutput> = None;
        while let Ok(output) = self.results.try_recv() {
            if output.generation > self.received {
                self.received = output.generation;
                newest = Some(output);
            }
        }
        newest
    }

    /// Whether a submitted job has not come back yet.
    pub fn busy(&self) -> bool {
        self.received < self.sent
    }
}
