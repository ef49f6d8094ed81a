//! `smp-studio analyse PHOTO`: what the app finds on a photo, so that every analysis can be
//! checked headless on any photo — the photo's sharpness, the head's outline, where it shows
//! skin and hair, the suggested bald area and, where asked, a stubble reading.

use super::AnalyseArgs;
use crate::engine::analysis::PhotoAnalysis;
use crate::engine::head::HeadEllipse;
use crate::engine::mask::Mask;
use crate::engine::photo::{self, PhotoLimits};
use crate::engine::units::Scale;
use crate::engine::{files, hair, stubble, suggest};
use anyhow::Context;
use std::fmt::Write as _;
use std::io::Write as _;

/// Everything `analyse` reports, in the units it prints.
struct Findings {
    file: String,
    width_px: u32,
    height_px: u32,
    px_per_mm: f32,
    scale_given: bool,
    sharpness_mm: f32,
    sharpness_from: usize,
    head: Option<HeadEllipse>,
    /// Share of the photo that shows skin (likelihood over one half).
    skin_share: f32,
    /// Share of the photo where hair was found.
    hair_share: f32,
    /// The suggested bald area, cm² on the photo's plane.
    suggested_cm2: f32,
    stubble: Option<(f32, f32, Option<stubble::Look>)>,
}

/// `smp-studio analyse …`
pub fn analyse(args: &AnalyseArgs) -> anyhow::Result<()> {
    if let Some(px_per_mm) = args.px_per_mm
        && Scale::new(px_per_mm).is_none()
    {
        anyhow::bail!(super::render::scale_sentence(px_per_mm));
    }
    if let Some(out) = &args.suggest_out {
        if files::same_file(out, &args.photo) {
            anyhow::bail!(
                "--suggest-out {} is the photo being analysed; choose another file name (SMP Studio never overwrites its inputs)",
                out.display()
            );
        }
        files::check_output(out)
            .map_err(|problem| anyhow::anyhow!("--suggest-out {}: {problem}", out.display()))?;
    }
    let limits = PhotoLimits::from_env()?;
    let loaded = photo::open(&args.photo, &limits)?;
    for notice in &loaded.notices {
        super::warn(&notice.to_string());
    }
    let image = loaded.image;
    let scale = args.px_per_mm.and_then(Scale::new).unwrap_or(Scale::DEFAULT);
    let (analysis, hairs) = rayon::join(|| PhotoAnalysis::new(&image, scale), || hair::detect(&image, scale));
    let suggestion = suggest::suggest_bald(&image, &hairs, scale, Some(&analysis.skin));
    let stubble = args.stubble.map(|at| {
        let (w, h) = image.dimensions();
        let look = (at.x < w as f32 && at.y < h as f32)
            .then(|| stubble::measure(&image, scale, at.x, at.y, scale.px(at.radius_mm)))
            .flatten();
        (at.x, at.y, look)
    });
    let (w, h) = image.dimensions();
    let pixels = (w as f64 * h as f64).max(1.0);
    let skin_px = (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .filter(|&(x, y)| analysis.skin.likelihood(x, y) > 0.5)
        .count();
    let hair_px =
        (0..h).flat_map(|y| (0..w).map(move |x| (x, y))).filter(|&(x, y)| hairs.is_hair(x, y)).count();
    let findings = Findings {
        file: args.photo.display().to_string(),
        width_px: w,
        height_px: h,
        px_per_mm: scale.px_per_mm,
        scale_given: args.px_per_mm.is_some(),
        // Measured just above, at `scale`.
        sharpness_mm: analysis.sharpness_mm().unwrap_or_default(),
        sharpness_from: analysis.psf.measured(),
        head: analysis.head,
        skin_share: (skin_px as f64 / pixels) as f32,
        hair_share: (hair_px as f64 / pixels) as f32,
        suggested_cm2: (suggestion.coverage_sum() * scale.mm2_per_px() / 100.0) as f32,
        stubble,
    };
    if let Some(out) = &args.suggest_out {
        save_mask(&suggestion, out)?;
    }
    let text = if args.json { json(&findings) } else { lines(&findings) };
    std::io::stdout().lock().write_all(text.as_bytes()).context("could not print the findings")?;
    Ok(())
}

fn save_mask(mask: &Mask, path: &std::path::Path) -> anyhow::Result<()> {
    crate::engine::export::save_gray_png(&mask.to_gray(), path).map_err(|e| {
        anyhow::anyhow!(
            "could not write the suggested region to {}: {}",
            path.display(),
            crate::engine::os_error::describe(&e)
        )
    })
}

/// Why there is no outline, in words.
const NO_OUTLINE: &str = "none found (a close-up, or the head cannot be told from what surrounds it): the scalp is treated as flat";

fn lines(f: &Findings) -> String {
    let mut s = String::new();
    let scale_note = if f.scale_given { "as given" } else { "assumed; give --px-per-mm for the photo's own" };
    let _ = writeln!(s, "photo        {} ({}×{} px)", super::terminal_safe(&f.file), f.width_px, f.height_px);
    let _ = writeln!(s, "scale        {} px/mm ({scale_note})", f.px_per_mm);
    let _ = writeln!(
        s,
        "sharpness    {:.3} mm (estimated from {} edges and hairs)",
        f.sharpness_mm, f.sharpness_from
    );
    match f.head {
        Some(e) => {
            let _ = writeln!(
                s,
                "head outline centre {:.0},{:.0} px, half-axes {:.0} × {:.0} px, turned {:.0}° (--head-outline {:.0},{:.0},{:.0},{:.0},{:.0})",
                e.centre_x,
                e.centre_y,
                e.radius_x,
                e.radius_y,
                e.angle_deg,
                e.centre_x,
                e.centre_y,
                e.radius_x,
                e.radius_y,
                e.angle_deg
            );
        }
        None => {
            let _ = writeln!(s, "head outline {NO_OUTLINE}");
        }
    }
    let _ = writeln!(s, "skin         {:.0} % of the photo", f.skin_share * 100.0);
    let _ = writeln!(s, "hair         {:.0} % of the photo", f.hair_share * 100.0);
    let _ = writeln!(s, "suggested    {:.1} cm² of bald or thinning scalp", f.suggested_cm2);
    if let Some((x, y, look)) = &f.stubble {
        match look {
            Some(look) => {
                let _ = writeln!(s, "stubble      at {x},{y}: {}", look.describe());
            }
            None => {
                let _ = writeln!(s, "stubble      at {x},{y}: nothing to read there");
            }
        }
    }
    s
}

fn json(f: &Findings) -> String {
    let head = match f.head {
        Some(e) => serde_json::json!({
            "centre_x_px": e.centre_x, "centre_y_px": e.centre_y,
            "radius_x_px": e.radius_x, "radius_y_px": e.radius_y, "angle_deg": e.angle_deg,
        }),
        None => serde_json::json!(null),
    };
    let stubble = f.stubble.as_ref().map(|(x, y, look)| {
        serde_json::json!({
            "x_px": x, "y_px": y,
            "found": look.is_some(),
            "description": look.as_ref().map(|l| l.describe()),
            "colour": look.as_ref().map(|l| l.colour_srgb().to_hex()),
            "skin": look.as_ref().map(|l| l.skin_srgb().to_hex()),
            "darkening": look.as_ref().map(|l| l.darkening),
            "blob_diameter_mm": look.as_ref().and_then(|l| l.blobs.map(|b| b.diameter_mm)),
            "blobs_per_cm2": look.as_ref().and_then(|l| l.blobs.map(|b| b.per_cm2)),
        })
    });
    let value = serde_json::json!({
        "photo": f.file,
        "width_px": f.width_px,
        "height_px": f.height_px,
        "px_per_mm": f.px_per_mm,
        "scale_given": f.scale_given,
        "sharpness_mm": f.sharpness_mm,
        "sharpness_measurements": f.sharpness_from,
        "head_outline": head,
        "head_outline_none_why": if f.head.is_none() { Some(NO_OUTLINE) } else { None },
        "skin_share": f.skin_share,
        "hair_share": f.hair_share,
        "suggested_cm2": f.suggested_cm2,
        "stubble": stubble,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
