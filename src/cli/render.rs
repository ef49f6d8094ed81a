//! `smp-studio render`: one simulated result, written to a file, without a window.

use super::RenderArgs;
use crate::engine::analysis::PhotoAnalysis;
use crate::engine::consultation::Consultation;
use crate::engine::mask::{Mask, RegionKind};
use crate::engine::sim::{self, Scene, Stage};
use crate::engine::units::Scale;
use crate::engine::{export, photo, preset, sample};
use anyhow::{Context, bail};
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// Builds the consultation the flags describe.
fn consultation(args: &RenderArgs) -> anyhow::Result<Consultation> {
    let mut consultation = if args.demo {
        sample::load()?
    } else {
        let Some(path) = &args.photo else {
            bail!("give a photo with --photo FILE, or use --demo for the bundled sample");
        };
        let default_preset = preset::bundled()
            .into_iter()
            .next()
            .context("no bundled preset could be loaded; reinstall SMP Studio")?;
        Consultation::new(file_name(path), photo::load(path)?, default_preset)
    };
    if args.demo
        && let Some(path) = &args.photo
    {
        let masks = consultation.masks.clone();
        consultation = Consultation::new(file_name(path), photo::load(path)?, consultation.preset);
        if (masks.width(), masks.height()) == (consultation.photo.width(), consultation.photo.height()) {
            consultation.masks = masks;
        }
    }
    for spec in &args.masks {
        let (kind, file) = spec
            .split_once('=')
            .with_context(|| format!("--mask {spec}: write it as KIND=FILE, e.g. --mask bald=crown.png"))?;
        let kind = RegionKind::from_key(kind)
            .with_context(|| format!("--mask {spec}: region `{kind}` is not one of hairline, bald, scar"))?;
        let gray = image::open(file)
            .with_context(|| format!("--mask {spec}: could not read {file} as an image"))?
            .into_luma8();
        consultation.masks.set(kind, Mask::from_gray(gray)).map_err(|(w, h)| {
            anyhow::anyhow!(
                "--mask {spec}: the mask is {w}×{h} but the photo is {}×{}",
                consultation.photo.width(),
                consultation.photo.height()
            )
        })?;
    }
    if let Some(name) = &args.preset {
        consultation.preset = preset::resolve(name)?;
    }
    let settings = &mut consultation.settings;
    if let Some(px_per_mm) = args.px_per_mm {
        settings.scale = Scale::new(px_per_mm).with_context(|| {
            format!(
                "--px-per-mm {px_per_mm}: the scale must be between {} and {} pixels per mm",
                Scale::RANGE.start(),
                Scale::RANGE.end()
            )
        })?;
    }
    if let Some(seed) = args.seed {
        settings.seed = seed;
    }
    if let Some(mm) = args.photo_sharpness_mm {
        if !(0.0..=sim::MAX_PHOTO_SHARPNESS_MM).contains(&mm) {
            bail!(
                "--photo-sharpness-mm {mm}: give the photo's blur in mm, from 0 to {}",
                sim::MAX_PHOTO_SHARPNESS_MM
            );
        }
        settings.photo_sharpness_mm = Some(mm);
    }
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
        if !(0.0..=50.0).contains(&years) {
            bail!("--years {years}: give a number of years from 0 to 50");
        }
        settings.stage = Stage::Healed { years };
    }
    consultation.refresh_hair();
    Ok(consultation)
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// `smp-studio render …`
pub fn render(args: &RenderArgs) -> anyhow::Result<()> {
    let consultation = consultation(args)?;
    let threads = args.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("could not start the render threads")?;
    let start = Instant::now();
    let analysis = pool.install(|| PhotoAnalysis::new(&consultation.photo, consultation.settings.scale));
    let analysed = start.elapsed();
    let scene = Scene { analysis: Some(&analysis), ..consultation.scene() };
    let start = Instant::now();
    let result = pool.install(|| sim::render(&scene));
    let elapsed = start.elapsed();
    export::save(&result.image, &args.out)?;
    if let Some(path) = &args.hair_map {
        consultation
            .hair
            .to_gray()
            .save(path)
            .with_context(|| format!("could not write the hair map to {}", path.display()))?;
    }
    if let Some(path) = &args.skin_map {
        analysis
            .skin
            .to_gray()
            .save(path)
            .with_context(|| format!("could not write the skin map to {}", path.display()))?;
    }
    if let Some(csv) = &args.dots_csv {
        write_dots_csv(csv, &result.dots).with_context(|| format!("could not write {}", csv.display()))?;
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
    writeln!(err, "{}", sharpness_line(&scene, &analysis))?;
    writeln!(
        err,
        "analysed in {:.0} ms, rendered in {:.0} ms → {}",
        analysed.as_secs_f64() * 1000.0,
        elapsed.as_secs_f64() * 1000.0,
        args.out.display()
    )?;
    Ok(())
}

/// "photo sharpness 0.12 mm (estimated, 0.10–0.15 across the photo)".
fn sharpness_line(scene: &Scene, analysis: &PhotoAnalysis) -> String {
    let scale = scene.settings.scale;
    let (mm, by_hand) = sim::photo_sharpness_mm(scene);
    let estimate = analysis.sharpness_mm();
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
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "x_px,y_px,diameter_px,darkness,region,session")?;
    for d in dots {
        writeln!(
            out,
            "{:.2},{:.2},{:.3},{:.3},{},{}",
            d.x_px,
            d.y_px,
            d.diameter_px,
            d.darkness,
            d.region.key(),
            d.session
        )?;
    }
    out.flush()
}
