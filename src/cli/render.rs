//! `smp-studio render`: one simulated result, written to a file, without a window.

use super::RenderArgs;
use crate::engine::analysis::PhotoAnalysis;
use crate::engine::consultation::{Consultation, PhotoFile};
use crate::engine::mask::{Mask, MaskError, RegionKind};
use crate::engine::photo::{PhotoLimits, PhotoNotice};
use crate::engine::sim::{self, Scene, Stage};
use crate::engine::units::Scale;
use crate::engine::{export, files, head, os_error, photo, preset, sample, stubble};
use anyhow::{Context, bail};
use image::RgbImage;
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Builds the consultation the flags describe; what a person should know but that does not
/// stop the render is printed as a warning line.
fn consultation(args: &RenderArgs) -> anyhow::Result<Consultation> {
    check_ranges(args)?;
    let limits = PhotoLimits::from_env()?;
    // The photo's size before it was reduced to the working size, if it was.
    let mut reduced_from = None;
    // The photo, and its file when the pixels are exactly its decoding (not reduced): a saved
    // consultation keeps the file, and the render follows its compression.
    let mut open_photo = |path: &Path| -> anyhow::Result<(RgbImage, Option<PhotoFile>)> {
        let (bytes, loaded) = photo::open_with_bytes(path, &limits)?;
        for notice in &loaded.notices {
            match notice {
                PhotoNotice::Incomplete { .. } => super::warn(&format!("{notice}; rendering it anyway")),
                PhotoNotice::Reduced { from, .. } => {
                    reduced_from = Some(*from);
                    super::warn(&notice.to_string());
                }
            }
        }
        let file = PhotoFile::opened(path, bytes, &loaded);
        Ok((loaded.image, file))
    };
    let mut consultation = if let Some(file) = &args.handout.consultation {
        Consultation::load(file)?
    } else if args.demo {
        sample::load()?
    } else {
        let Some(path) = &args.photo else {
            bail!("give a photo with --photo FILE, or use --demo for the bundled sample");
        };
        let default_preset = preset::bundled()
            .into_iter()
            .next()
            .context("no bundled preset could be loaded; reinstall SMP Studio")?;
        let scale = args.px_per_mm.and_then(Scale::new).unwrap_or(Scale::DEFAULT);
        let (image, file) = open_photo(path)?;
        Consultation::at_scale(file_name(path), image, default_preset, scale).keeping(file)
    };
    if args.demo
        && let Some(path) = &args.photo
    {
        let masks = consultation.masks.clone();
        let sample_size = (masks.width(), masks.height());
        let (image, file) = open_photo(path)?;
        consultation = Consultation::new(file_name(path), image, consultation.preset).keeping(file);
        let size = (consultation.photo.width(), consultation.photo.height());
        if sample_size == size {
            consultation.masks = masks;
        } else {
            super::warn(&format!(
                "the sample's painted regions were dropped: they fit its {}×{} photo, not {} at {}×{}; paint regions with --mask KIND=FILE",
                sample_size.0,
                sample_size.1,
                file_name(path),
                size.0,
                size.1
            ));
        }
    }
    let size = (consultation.photo.width(), consultation.photo.height());
    let mut specs = Vec::with_capacity(args.masks.len());
    for spec in &args.masks {
        let (kind, file) = spec
            .split_once('=')
            .with_context(|| format!("--mask {spec}: write it as KIND=FILE, e.g. --mask bald=crown.png"))?;
        let kind = RegionKind::from_key(kind)
            .with_context(|| format!("--mask {spec}: region `{kind}` is not one of hairline, bald, scar"))?;
        specs.push((spec, kind, Path::new(file)));
    }
    // Each mask is a photo-sized PNG decoded on one core: read them side by side.
    let loaded: Vec<_> = specs
        .par_iter()
        .map(|&(_, _, path)| match Mask::load(path, size, &limits) {
            // A mask drawn on the photo before it was reduced is reduced with it.
            Err(MaskError::WrongSize { width, height, .. }) if reduced_from == Some((width, height)) => {
                Mask::load(path, (width, height), &limits).map(|mask| mask.resized(size.0, size.1))
            }
            other => other,
        })
        .collect();
    for ((spec, kind, _), mask) in specs.into_iter().zip(loaded) {
        let mask = mask.with_context(|| format!("--mask {spec}"))?;
        consultation.masks.set(kind, mask).map_err(|(w, h)| {
            anyhow::anyhow!("--mask {spec}: the mask is {w}×{h} but the photo is {}×{}", size.0, size.1)
        })?;
    }
    if let Some(name) = args.preset.first() {
        let (preset, warnings) = preset::resolve_with_warnings(name)?;
        for warning in &warnings {
            super::warn(warning);
        }
        consultation.preset = preset;
    }
    let settings = &mut consultation.settings;
    if let Some(px_per_mm) = args.px_per_mm {
        settings.scale = Scale::new(px_per_mm).with_context(|| scale_sentence(px_per_mm))?;
    }
    if let Some(seed) = args.seed {
        settings.seed = seed;
    }
    if let Some(mm) = args.photo_sharpness_mm {
        settings.photo_sharpness_mm = Some(mm);
    }
    if let Some(head) = args.head_outline {
        settings.head = head;
    }
    let settings = &mut consultation.settings;
    let sessions = consultation.preset.session_count();
    settings.session = match args.session {
        Some(k) if k == 0 || k > sessions => {
            bail!("--session {k}: the preset plans sessions 1 to {sessions}")
        }
        Some(k) => k,
        None => sessions,
    };
    if args.fresh {
        settings.stage = Stage::Fresh;
    } else if let Some(years) = args.years {
        settings.stage = Stage::Healed { years };
    }
    crate::engine::plan::check_painted_area(&consultation.masks, consultation.settings.scale)
        .map_err(anyhow::Error::msg)?;
    consultation.refresh_for_scale();
    if let Some(at) = args.match_stubble {
        let (w, h) = consultation.photo.dimensions();
        if at.x >= w as f32 || at.y >= h as f32 {
            bail!("--match-stubble {},{}: the photo is {w}×{h} pixels", at.x, at.y);
        }
        let found = stubble::match_stubble(&consultation.scene(), at.x, at.y, at.radius_mm)
            .with_context(|| format!("--match-stubble {},{}: no stubble to read there", at.x, at.y))?;
        eprintln!("{}", super::terminal_safe(&found.describe()));
        consultation.preset = found.preset;
    }
    Ok(consultation)
}

/// Ranges that do not depend on the photo or preset, checked before anything is read.
fn check_ranges(args: &RenderArgs) -> anyhow::Result<()> {
    if let Some(px_per_mm) = args.px_per_mm
        && Scale::new(px_per_mm).is_none()
    {
        bail!(scale_sentence(px_per_mm));
    }
    if let Some(years) = args.years
        && !(YEARS.contains(&years))
    {
        bail!("--years {years}: give a number of years from {} to {}", YEARS.start(), YEARS.end());
    }
    if args.session == Some(0) {
        bail!("--session 0: sessions are counted from 1");
    }
    if let Some(mm) = args.photo_sharpness_mm
        && !(0.0..=sim::MAX_PHOTO_SHARPNESS_MM).contains(&mm)
    {
        bail!(
            "--photo-sharpness-mm {mm}: give the photo's blur in mm, from 0 to {}",
            sim::MAX_PHOTO_SHARPNESS_MM
        );
    }
    Ok(())
}

/// Years of fading `--years` accepts: past a few decades the model has nothing to say.
const YEARS: std::ops::RangeInclusive<f32> = 0.0..=50.0;

pub(super) fn scale_sentence(px_per_mm: f32) -> String {
    format!(
        "--px-per-mm {px_per_mm}: the scale must be between {} and {} pixels per mm",
        Scale::RANGE.start(),
        Scale::RANGE.end()
    )
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// `smp-studio render …`
pub fn render(args: &RenderArgs) -> anyhow::Result<()> {
    let threads = super::thread_count(args.threads)?;
    check_outputs(args)?;
    super::handout::check(args)?;
    let consultation = consultation(args)?;
    if let Some(out) = &args.out
        && !args.handout.wanted()
    {
        super::handout::export_options(&args.handout, out)?.check_size(consultation.photo.dimensions())?;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("could not start the render threads")?;
    if let Some(path) = &args.save_consultation {
        consultation.save(path)?;
        eprintln!("saved the consultation → {}", path.display());
    }
    if args.handout.wanted() {
        return pool.install(|| super::handout::run(args, &consultation));
    }
    let Some(out) = args.out.as_deref() else {
        if args.save_consultation.is_some() {
            return Ok(());
        }
        bail!("give --out OUT.png for the rendered image");
    };
    let scene = consultation.scene();
    let start = Instant::now();
    let result = pool.install(|| sim::render(&scene));
    let elapsed = start.elapsed();
    let options = super::handout::export_options(&args.handout, out)?;
    export::save_like(&result.image, out, &options, consultation.compression())?;
    if let Some(path) = &args.hair_map {
        save_map(&consultation.hair.to_gray(), path, "hair map")?;
    }
    if let Some(path) = &args.skin_map {
        save_map(&consultation.analysis.skin.to_gray(), path, "skin map")?;
    }
    if let Some(csv) = &args.dots_csv {
        write_dots_csv(csv, &result.dots)
            .map_err(|e| anyhow::anyhow!("could not write {}: {}", csv.display(), os_error::describe(&e)))?;
    }
    let mut err = std::io::stderr().lock();
    for kind in RegionKind::ALL {
        let s = result.stats.region(kind);
        writeln!(
            err,
            "{:<9} {:>7} dots  {:>7.2} cm²  {:>6.1} dots/cm²",
            kind.key(),
            s.dots,
            s.area_cm2,
            s.dots_per_cm2()
        )?;
    }
    writeln!(err, "{}", sharpness_line(&scene, &consultation.analysis))?;
    writeln!(err, "{}", head::describe(scene.settings.head, consultation.analysis.head))?;
    writeln!(err, "rendered in {:.0} ms → {}", elapsed.as_secs_f64() * 1000.0, out.display())?;
    Ok(())
}

/// The outputs must never replace an input: a typo in `--out` must not cost a patient's photo.
/// Each output's folder must exist.
fn check_outputs(args: &RenderArgs) -> anyhow::Result<()> {
    let mut inputs: Vec<(&str, PathBuf)> = Vec::new();
    if let Some(photo) = &args.photo {
        inputs.push(("the photo", photo.clone()));
    }
    for spec in &args.masks {
        if let Some((_, file)) = spec.split_once('=') {
            inputs.push(("a region mask", PathBuf::from(file)));
        }
    }
    if let Some(file) = &args.handout.consultation {
        inputs.push(("the consultation", file.clone()));
    }
    for preset in &args.preset {
        inputs.push(("a preset", PathBuf::from(preset)));
    }
    let outputs = [
        ("--out", args.out.as_ref()),
        ("--report", args.handout.report.as_ref()),
        ("--hair-map", args.hair_map.as_ref()),
        ("--skin-map", args.skin_map.as_ref()),
        ("--dots-csv", args.dots_csv.as_ref()),
        ("--save-consultation", args.save_consultation.as_ref()),
    ];
    use crate::engine::consultation::CONSULTATION_EXTENSION;
    if let Some(path) = &args.save_consultation
        && !path.extension().is_some_and(|e| e.eq_ignore_ascii_case(CONSULTATION_EXTENSION))
    {
        bail!(
            "--save-consultation {}: a consultation file ends in .{CONSULTATION_EXTENSION}",
            path.display()
        );
    }
    let given: Vec<(&str, &PathBuf)> = outputs.into_iter().filter_map(|(flag, o)| Some((flag, o?))).collect();
    // Every output is checked before anything is written: a refusal must not cost a finished
    // render, nor leave some outputs written and others not.
    for (i, &(flag, output)) in given.iter().enumerate() {
        if let Some((what, _)) = inputs.iter().find(|(_, input)| files::same_file(input, output)) {
            bail!(
                "{flag} {} is {what} being rendered; choose another file name (SMP Studio never overwrites its inputs)",
                output.display()
            );
        }
        if let Some((other, _)) = given[..i].iter().find(|(_, earlier)| files::same_target(earlier, output)) {
            bail!("{other} and {flag} both name {}; give each output its own file", output.display());
        }
        files::check_output(output)
            .map_err(|problem| anyhow::anyhow!("{flag} {}: {problem}", output.display()))?;
    }
    Ok(())
}

/// Writes a grey map as PNG, whatever the file's extension says.
fn save_map(map: &image::GrayImage, path: &Path, what: &str) -> anyhow::Result<()> {
    export::save_gray_png(map, path).map_err(|e| {
        anyhow::anyhow!("could not write the {what} to {}: {}", path.display(), os_error::describe(&e))
    })
}

/// "photo sharpness 0.12 mm (estimated, 0.10–0.15 across the photo)".
fn sharpness_line(scene: &Scene, analysis: &PhotoAnalysis) -> String {
    let scale = scene.settings.scale;
    let (mm, by_hand) = sim::photo_sharpness_mm(scene);
    let estimate = analysis.sharpness_mm().unwrap_or(mm);
    if by_hand {
        format!("photo sharpness {mm:.3} mm (set by hand; estimated {estimate:.3} mm)")
    } else if analysis.psf.measured() == 0 {
        format!("photo sharpness {mm:.3} mm (nothing measurable on the photo; assumed)")
    } else {
        let (lo, hi) = analysis.psf.range_px();
        format!(
            "photo sharpness {mm:.3} mm (estimated from {} edges and hairs, {:.3}–{:.3} mm across the photo)",
            analysis.psf.measured(),
            scale.mm(lo),
            scale.mm(hi)
        )
    }
}

fn write_dots_csv(path: &Path, dots: &[sim::Dot]) -> std::io::Result<()> {
    files::replace(path, |file| write_dots(file, dots))
}

fn write_dots(file: &mut std::fs::File, dots: &[sim::Dot]) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(file);
    writeln!(out, "x_px,y_px,diameter_px,darkness,region,session,major_px,minor_px,angle_deg")?;
    for d in dots {
        writeln!(
            out,
            "{:.2},{:.2},{:.3},{:.3},{},{},{:.3},{:.3},{:.1}",
            d.x_px,
            d.y_px,
            d.diameter_px,
            d.darkness,
            d.region.key(),
            d.session,
            d.major_px(),
            d.minor_px(),
            d.major_angle_deg()
        )?;
    }
    out.flush()
}
