//! Hand-outs from the window: what the clinician chose in the export dialog, made in the
//! background with progress a person can watch and a Cancel that stops it.

use super::background::{Done, JobKind};
use super::{Studio, StudioError};
use crate::engine::consultation::Consultation;
use crate::engine::export::{self, ExportOptions, ExportSize, ImageFormat};
use crate::engine::handout::{
    self, CaptionOptions, HandoutError, PageSize, Progress, ReportOptions, SheetLayout, SheetOptions,
};
use crate::engine::preset::Preset;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// What is exported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandoutKind {
    /// The simulated result alone.
    Preview,
    BeforeAfter,
    /// Every session of the plan, and optionally years later.
    Sessions,
    /// The presets being compared, each labelled.
    Compare,
    /// One page with the before/after, the plan, the preset and the notes.
    Report,
}

impl HandoutKind {
    pub const ALL: [HandoutKind; 5] = [
        HandoutKind::Preview,
        HandoutKind::BeforeAfter,
        HandoutKind::Sessions,
        HandoutKind::Compare,
        HandoutKind::Report,
    ];

    pub fn label(self) -> &'static str {
        match self {
            HandoutKind::Preview => "Preview image",
            HandoutKind::BeforeAfter => "Before and after",
            HandoutKind::Sessions => "Sessions",
            HandoutKind::Compare => "Compared styles",
            HandoutKind::Report => "PDF report",
        }
    }

    /// The end of a suggested file name: `-before-after.jpg`.
    pub fn file_suffix(self, format: ImageFormat) -> String {
        let ext = format.extension();
        match self {
            HandoutKind::Preview => format!("-smp-preview.{ext}"),
            HandoutKind::BeforeAfter => format!("-before-after.{ext}"),
            HandoutKind::Sessions => format!("-sessions.{ext}"),
            HandoutKind::Compare => format!("-styles.{ext}"),
            HandoutKind::Report => "-smp-report.pdf".into(),
        }
    }
}

/// The export dialog's choices.
#[derive(Clone, Debug, PartialEq)]
pub struct HandoutSetup {
    pub kind: HandoutKind,
    pub format: ImageFormat,
    pub jpeg_quality: u8,
    /// `None`: full resolution.
    pub width_px: Option<u32>,
    pub layout: SheetLayout,
    /// Sessions sheet: add the finished treatment this many years on.
    pub years_on: Option<f32>,
    /// Print the patient's label (off unless chosen: hand-outs travel).
    pub label: bool,
    /// Print the notes on the report.
    pub notes: bool,
    /// "Simulation — actual results vary", on unless turned off.
    pub disclaimer: bool,
    pub page: PageSize,
}

impl Default for HandoutSetup {
    fn default() -> Self {
        HandoutSetup {
            kind: HandoutKind::BeforeAfter,
            format: ImageFormat::Jpeg,
            jpeg_quality: ExportOptions::DEFAULT_JPEG_QUALITY,
            // The photo's own pixels: a width is resampling the clinician asks for, never a
            // default that blows a small phone photo up.
            width_px: None,
            layout: SheetLayout::SideBySide,
            years_on: None,
            label: false,
            notes: false,
            disclaimer: true,
            page: PageSize::A4,
        }
    }
}

/// An export under way: how far it is, and the flag that stops it.
pub struct Running {
    pub kind: HandoutKind,
    progress: Arc<AtomicU32>,
    cancel: Arc<AtomicBool>,
}

impl Running {
    /// How far the export is, 0–1.
    pub fn progress(&self) -> f32 {
        f32::from_bits(self.progress.load(Ordering::Relaxed))
    }

    pub fn cancelling(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

impl Studio {
    /// Makes the hand-out `setup` asks for and writes it to `path`, in the background.
    /// `compare` are the presets a compare sheet shows.
    pub fn export(
        &mut self,
        setup: &HandoutSetup,
        path: &Path,
        compare: Vec<Preset>,
    ) -> Result<(), StudioError> {
        let mut setup = setup.clone();
        // A typed `.png` or `.jpg` name says which format the clinic wants.
        setup.format = ImageFormat::from_path(path).unwrap_or(setup.format);
        let kind = setup.kind;
        let mut snapshot = self.consultation().clone();
        let pace = self.settings.impressions_per_hour;
        let path = path.to_path_buf();
        let progress = Arc::new(AtomicU32::new(0f32.to_bits()));
        let cancel = Arc::new(AtomicBool::new(false));
        let (report, stop) = (progress.clone(), cancel.clone());
        let wake = self.wake.clone();
        self.spawn(JobKind::Export, move || {
            snapshot.refresh_for_scale();
            let step = |done: f32| {
                report.store(done.to_bits(), Ordering::Relaxed);
                wake();
            };
            let result = make(&snapshot, &setup, &path, &compare, pace, &step, &stop);
            Done::Exported(result.map(|()| path).map_err(StudioError::from))
        })?;
        self.export_running = Some(Running { kind, progress, cancel });
        Ok(())
    }

    /// The export under way, if one is.
    pub fn export_running(&self) -> Option<&Running> {
        self.export_running.as_ref()
    }

    /// Stops the export under way at its next step; nothing is written.
    pub fn cancel_export(&mut self) {
        if let Some(running) = &self.export_running {
            running.cancel.store(true, Ordering::Relaxed);
        }
    }
}

/// The share of the progress bar for making the pictures of an image hand-out.
const ENCODING_STARTS: f32 = 0.8;

fn make(
    c: &Consultation,
    setup: &HandoutSetup,
    path: &Path,
    compare: &[Preset],
    pace: f32,
    report: &dyn Fn(f32),
    stop: &AtomicBool,
) -> Result<(), HandoutError> {
    // Encoding a full-size sheet is a good part of the work: the pictures take the bar to
    // ENCODING_STARTS, the file the rest.
    let pictures = |done: f32| report(done * ENCODING_STARTS);
    let progress = Progress::new(&pictures, stop);
    let mut caption = CaptionOptions::for_consultation(c, pace);
    if setup.label {
        caption = caption.with_patient_label(c);
    }
    if setup.notes {
        caption = caption.with_notes(c);
    }
    caption.disclaimer = setup.disclaimer;
    let size = setup.width_px.map_or(ExportSize::Full, ExportSize::Width);
    let options = ExportOptions { format: setup.format, jpeg_quality: setup.jpeg_quality, size };
    let sheet = SheetOptions {
        size,
        layout: setup.layout,
        years_on: setup.years_on,
        ..SheetOptions::new(caption.clone())
    };
    let image = match setup.kind {
        HandoutKind::Report => {
            let options = ReportOptions { page: setup.page, ..ReportOptions::new(caption) };
            return handout::write_report(c, &options, path, Progress::new(report, stop));
        }
        HandoutKind::Preview => handout::preview(c, size, setup.disclaimer, progress)?,
        HandoutKind::BeforeAfter => handout::before_after(c, &sheet, progress)?,
        HandoutKind::Sessions => handout::sessions(c, &sheet, progress)?,
        HandoutKind::Compare => handout::compare(c, compare, &sheet, progress)?,
    };
    let bytes = export::encode_sized(&image, &options, c.compression())?;
    // Cancel pressed while the file was being encoded still writes nothing.
    progress.step(1.0)?;
    export::write(path, &bytes)?;
    report(1.0);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::preset;
    use crate::engine::units::Scale;

    /// A 200 px photo's before/after sheet, exported as the dialog opens, holds each panel at
    /// the photo's own width: nothing is upscaled unless a width is asked for.
    #[test]
    fn the_default_sheet_keeps_the_photos_own_pixels() {
        let photo = image::RgbImage::from_pixel(200, 150, image::Rgb([200, 160, 140]));
        let c = Consultation::at_scale(
            "p.png".into(),
            photo,
            preset::bundled().remove(0),
            Scale { px_per_mm: 5.0 },
        );
        let dir = std::env::temp_dir().join(format!("smp-handout-default-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("sheet.png");
        let setup = HandoutSetup { format: ImageFormat::Png, ..HandoutSetup::default() };
        make(&c, &setup, &path, &[], 1.0, &|_| {}, &AtomicBool::new(false)).unwrap();
        let sheet = image::open(&path).unwrap();
        assert!(
            (400..=480).contains(&sheet.width()),
            "two 200 px panels side by side made a sheet {} px wide",
            sheet.width()
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
