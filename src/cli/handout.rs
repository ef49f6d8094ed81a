//! `smp-studio render` for hand-outs: sheets (`--sheet`), the PDF report (`--report`), export
//! size and quality, and what the captions print.

use super::RenderArgs;
use crate::engine::consultation::Consultation;
use crate::engine::export::{self, ExportOptions, ExportSize};
use crate::engine::handout::{
    self, CaptionOptions, PageSize, Progress, ReportOptions, SheetLayout, SheetOptions,
};
use crate::engine::preset;
use crate::studio::settings::{DEFAULT_IMPRESSIONS_PER_HOUR, IMPRESSIONS_PER_HOUR, Settings};
use anyhow::bail;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Args)]
pub struct HandoutArgs {
    /// A saved consultation (.smpc) to render; other flags change it for this render only.
    #[arg(long, value_name = "FILE.smpc", conflicts_with_all = ["demo", "photo"])]
    pub consultation: Option<PathBuf>,
    /// Write a sheet to --out instead of the bare simulation: before-after, sessions, or
    /// compare (give --preset for each style to compare).
    #[arg(long, value_enum, value_name = "KIND", requires = "out", conflicts_with_all = ["dots_csv", "hair_map"])]
    pub sheet: Option<SheetKind>,
    /// Before/after sheet: the two side by side (default), or one photo split down the middle.
    #[arg(long, value_enum, value_name = "LAYOUT")]
    pub layout: Option<LayoutArg>,
    /// Session sheet: add the finished treatment after Y years.
    #[arg(long, value_name = "Y", allow_negative_numbers = true)]
    pub years_on: Option<f32>,
    /// Session and compare sheets: leave out the photo as it is.
    #[arg(long)]
    pub no_before: bool,
    /// Write the one-page PDF report.
    #[arg(long, value_name = "OUT.pdf", conflicts_with_all = ["dots_csv", "hair_map"])]
    pub report: Option<PathBuf>,
    /// Paper size of the report.
    #[arg(long, value_enum, value_name = "SIZE", default_value = "a4")]
    pub page: PageArg,
    /// Width in pixels of the image written to --out (default: the photo's full resolution).
    #[arg(long, value_name = "PX", value_parser = width_px, allow_negative_numbers = true)]
    pub width: Option<u32>,
    /// JPEG quality of a .jpg --out, 1–100.
    #[arg(long, value_name = "Q", default_value_t = ExportOptions::DEFAULT_JPEG_QUALITY, value_parser = jpeg_quality, allow_negative_numbers = true)]
    pub quality: u8,
    /// Print a patient label on sheets and the report: TEXT, or the consultation's own label
    /// when no TEXT follows. Without this flag no label is printed.
    #[arg(long, value_name = "TEXT", num_args = 0..=1, default_missing_value = "")]
    pub label: Option<String>,
    /// The date printed on sheets and the report: TEXT as written, or today's (YYYY-MM-DD) when
    /// no TEXT follows. Without this flag the consultation's own date is printed, if it has one.
    #[arg(long, value_name = "TEXT", num_args = 0..=1, default_missing_value = "")]
    pub date: Option<String>,
    /// Print the consultation's notes on the report.
    #[arg(long, requires = "report")]
    pub notes: bool,
    /// Leave out "Simulation — actual results vary", printed on sheets and the report by default.
    #[arg(long)]
    pub no_disclaimer: bool,
    /// Impressions per hour, for the time per session (default: the pace set in the window).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub pace: Option<f32>,
}

fn width_px(text: &str) -> Result<u32, String> {
    let expected = format!(
        "give a width in pixels from {} to {}",
        ExportOptions::MIN_WIDTH_PX,
        ExportOptions::MAX_SIDE_PX
    );
    let digits = text.trim();
    match digits.parse::<u64>() {
        Ok(w) if (ExportOptions::MIN_WIDTH_PX as u64..=ExportOptions::MAX_SIDE_PX as u64).contains(&w) => {
            Ok(w as u32)
        }
        _ => Err(expected),
    }
}

fn jpeg_quality(text: &str) -> Result<u8, String> {
    match text.trim().parse::<u32>() {
        Ok(q) if (1..=100).contains(&q) => Ok(q as u8),
        _ => Err("give a JPEG quality from 1 to 100 (85–95 keeps the dots)".into()),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SheetKind {
    BeforeAfter,
    Sessions,
    Compare,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    SideBySide,
    Split,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PageArg {
    A4,
    Letter,
}

impl HandoutArgs {
    /// Whether this render makes a hand-out rather than only the bare simulation.
    pub fn wanted(&self) -> bool {
        self.sheet.is_some() || self.report.is_some()
    }
}

/// Refuses flag combinations that cannot work, before any rendering.
pub fn check(args: &RenderArgs) -> anyhow::Result<()> {
    let h = &args.handout;
    let compare = h.sheet == Some(SheetKind::Compare);
    if compare && args.preset.len() < 2 {
        bail!("--sheet compare needs the presets to compare: give --preset NAME for each, two or more");
    }
    let most = crate::studio::compare::MAX_VARIANTS;
    if compare && args.preset.len() > most {
        bail!(
            "--sheet compare is given {} presets; a comparison shows 2 to {most}, as in the window",
            args.preset.len()
        );
    }
    if !compare && args.preset.len() > 1 {
        bail!("--preset is given {} times; only --sheet compare takes several presets", args.preset.len());
    }
    if h.layout.is_some() && h.sheet != Some(SheetKind::BeforeAfter) {
        bail!("--layout applies to --sheet before-after");
    }
    if h.years_on.is_some() && h.sheet != Some(SheetKind::Sessions) {
        bail!("--years-on applies to --sheet sessions");
    }
    if let Some(years) = h.years_on
        && !(years.is_finite() && years > 0.0 && years <= 50.0)
    {
        bail!("--years-on {years}: give a number of years above 0 and up to 50");
    }
    if h.no_before && !matches!(h.sheet, Some(SheetKind::Sessions | SheetKind::Compare)) {
        bail!("--no-before applies to --sheet sessions and --sheet compare");
    }
    if let Some(pace) = h.pace
        && !IMPRESSIONS_PER_HOUR.contains(&pace)
    {
        bail!(
            "--pace {pace}: give impressions per hour from {} to {}",
            IMPRESSIONS_PER_HOUR.start(),
            IMPRESSIONS_PER_HOUR.end()
        );
    }
    use crate::engine::consultation::PatientNotes;
    for (flag, text, max) in [
        ("--label", &h.label, PatientNotes::MAX_LABEL_CHARS),
        ("--date", &h.date, PatientNotes::MAX_DATE_CHARS),
    ] {
        let chars = text.as_deref().map_or(0, |t| t.chars().count());
        if chars > max {
            bail!("{flag}: the text is {chars} characters long; give at most {max}");
        }
    }
    if let Some(report) = &h.report
        && !report.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
    {
        bail!("--report {}: the report is a PDF; end the name in .pdf", report.display());
    }
    if let Some(out) = &args.out {
        export_options(h, out)?;
    }
    Ok(())
}

/// The export dialog's choices, from the flags and the output's name.
pub fn export_options(h: &HandoutArgs, out: &Path) -> anyhow::Result<ExportOptions> {
    let mut options = ExportOptions::for_path(out)?;
    options.jpeg_quality = h.quality;
    if let Some(width) = h.width {
        options.size = ExportSize::Width(width);
    }
    options.validate()?;
    Ok(options)
}

fn caption(args: &RenderArgs, consultation: &Consultation) -> CaptionOptions {
    let h = &args.handout;
    let pace = h.pace.unwrap_or_else(saved_pace);
    let mut caption = CaptionOptions::for_consultation(consultation, pace);
    match h.label.as_deref().map(str::trim) {
        Some("") => caption = caption.with_patient_label(consultation),
        Some(text) => caption.patient_label = Some(text.to_owned()),
        None => {}
    }
    match h.date.as_deref().map(str::trim) {
        Some("") => caption.date = Some(crate::engine::consultation::PatientNotes::today()),
        Some(text) => caption.date = Some(super::terminal_safe(text)),
        None => {}
    }
    if h.notes {
        caption = caption.with_notes(consultation);
    }
    caption.disclaimer = !h.no_disclaimer;
    caption
}

/// The clinic's pace as set in the window, or the default.
fn saved_pace() -> f32 {
    Settings::default_path()
        .map_or(DEFAULT_IMPRESSIONS_PER_HOUR, |path| Settings::load(&path).0.impressions_per_hour)
}

/// Writes the sheet, the bare simulation and the report the flags ask for.
pub fn run(args: &RenderArgs, consultation: &Consultation) -> anyhow::Result<()> {
    let h = &args.handout;
    let caption = caption(args, consultation);
    let progress = Progress::none();
    let mut log = std::io::stderr().lock();
    if let Some(out) = &args.out {
        let options = export_options(h, out)?;
        let start = Instant::now();
        let mut sheet_options = SheetOptions::new(caption.clone());
        sheet_options.size = options.size;
        sheet_options.with_before = !h.no_before;
        sheet_options.years_on = h.years_on;
        if h.layout == Some(LayoutArg::Split) {
            sheet_options.layout = SheetLayout::Split;
        }
        let (what, image) = match h.sheet {
            Some(SheetKind::BeforeAfter) => {
                ("before/after sheet", handout::before_after(consultation, &sheet_options, progress)?)
            }
            Some(SheetKind::Sessions) => {
                ("session sheet", handout::sessions(consultation, &sheet_options, progress)?)
            }
            Some(SheetKind::Compare) => {
                let presets =
                    args.preset.iter().map(|name| preset::resolve(name)).collect::<Result<Vec<_>, _>>()?;
                ("compare sheet", handout::compare(consultation, &presets, &sheet_options, progress)?)
            }
            None => ("simulation", crate::engine::sim::render(&consultation.scene()).image),
        };
        let drawn = start.elapsed();
        let start = Instant::now();
        export::save_like(&image, out, &options, consultation.compression())?;
        let (w, h) = export::resized(&image, options.size).dimensions();
        writeln!(
            log,
            "{what} {w}×{h} drawn in {:.0} ms, written in {:.0} ms → {}",
            drawn.as_secs_f64() * 1000.0,
            start.elapsed().as_secs_f64() * 1000.0,
            out.display()
        )?;
    }
    if let Some(report) = &h.report {
        let mut options = ReportOptions::new(caption);
        options.page = match h.page {
            PageArg::A4 => PageSize::A4,
            PageArg::Letter => PageSize::Letter,
        };
        let start = Instant::now();
        handout::write_report(consultation, &options, report, progress)?;
        writeln!(
            log,
            "report written in {:.0} ms → {}",
            start.elapsed().as_secs_f64() * 1000.0,
            report.display()
        )?;
    }
    Ok(())
}
