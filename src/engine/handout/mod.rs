//! Hand-outs a clinic gives the patient: the preview with its disclaimer, before/after, session
//! and compare sheets, and a one-page PDF report.
//!
//! Every function here renders through the simulation and may take seconds on a large photo, so
//! each takes a [`Progress`]: a callback told how far the work is (0–1) and a flag that, once
//! set, stops the work at the next step with [`HandoutError::Cancelled`]. A caller runs them on
//! a thread of its own. Nothing from the photo's file (EXIF, location, camera) reaches an export:
//! sheets are drawn from pixels and written by [`crate::engine::export`].
//!
//! The consultation's hair map and photo analysis must match its scale
//! ([`Consultation::refresh_for_scale`]).

mod canvas;
mod preview;
mod report;
mod sheet;
mod text;
mod words;

pub use preview::preview;
pub use report::{PageSize, ReportOptions, report, write_report};
pub use sheet::{SheetLayout, SheetOptions, before_after, compare, sessions};
pub use words::{CaptionOptions, DISCLAIMER, DISCLAIMER_DETAIL, area, duration, thousands};

use crate::engine::consultation::Consultation;
use crate::engine::export::ExportError;
use crate::engine::plan::{self, PlanFigures};
use crate::engine::sim::{self, Render, Scene};
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug, thiserror::Error)]
pub enum HandoutError {
    #[error("the export was cancelled; nothing was written")]
    Cancelled,
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error("the compare sheet needs at least one preset; choose the presets to compare")]
    NoPresets,
    #[error(
        "the sheet would be {width_px}×{height_px} pixels, more than an image can hold; choose a smaller width for the export"
    )]
    TooLarge { width_px: u32, height_px: u32 },
    #[error(
        "a sheet needs a width of at least {min_px} pixels for its captions to be read; choose a wider one"
    )]
    TooNarrow { min_px: u32 },
    #[error("the bundled font could not be read; reinstall SMP Studio")]
    Font,
    #[error("could not make the PDF report: {0}")]
    Pdf(String),
    #[error("could not write {file}: {reason}")]
    Write { file: String, reason: String },
}

/// How a long export reports its progress and learns that it should stop.
#[derive(Clone, Copy)]
pub struct Progress<'a> {
    report: &'a dyn Fn(f32),
    cancel: &'a AtomicBool,
}

fn ignore(_: f32) {}
static NEVER_CANCELLED: AtomicBool = AtomicBool::new(false);

impl<'a> Progress<'a> {
    /// `report` is called with the share of the work done (0–1, increasing) from the thread
    /// doing the work; setting `cancel` stops the work at its next step.
    pub fn new(report: &'a dyn Fn(f32), cancel: &'a AtomicBool) -> Progress<'a> {
        Progress { report, cancel }
    }

    /// For callers that neither show progress nor cancel: the command line and tests.
    pub fn none() -> Progress<'static> {
        Progress { report: &ignore, cancel: &NEVER_CANCELLED }
    }

    /// Stops with [`HandoutError::Cancelled`] if asked to; otherwise reports `done`.
    pub(crate) fn step(&self, done: f32) -> Result<(), HandoutError> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(HandoutError::Cancelled);
        }
        (self.report)(done.clamp(0.0, 1.0));
        Ok(())
    }
}

/// The plan for the whole treatment of `scene`, reusing `render`'s dots when they are all of
/// them (the scene shows the last session).
pub fn plan_figures(scene: &Scene, render: &Render) -> PlanFigures {
    plan::for_scene(scene, &render.dots, &render.stats)
}

/// The consultation's preset, session and stage with its plan, as one render shows them.
pub(crate) struct Simulated {
    pub render: Render,
    pub plan: PlanFigures,
}

/// Renders the consultation as it is set up.
pub(crate) fn simulate(consultation: &Consultation) -> Simulated {
    let scene = consultation.scene();
    let render = sim::render(&scene);
    let plan = plan_figures(&scene, &render);
    Simulated { render, plan }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[test]
    fn progress_reports_until_cancelled() {
        let seen = RefCell::new(Vec::new());
        let report = |f: f32| seen.borrow_mut().push(f);
        let cancel = AtomicBool::new(false);
        let progress = Progress::new(&report, &cancel);
        progress.step(0.25).unwrap();
        progress.step(2.0).unwrap();
        cancel.store(true, Ordering::Relaxed);
        assert!(matches!(progress.step(0.5), Err(HandoutError::Cancelled)));
        assert_eq!(*seen.borrow(), vec![0.25, 1.0]);
        assert!(Progress::none().step(0.5).is_ok());
    }
}
