//! The preview: the simulated photo alone, with the disclaimer on a strip under it.

use super::canvas::{Canvas, INK, MUTED, RULE};
use super::text::Weight;
use super::{HandoutError, Progress, words};
use crate::engine::consultation::Consultation;
use crate::engine::export::{ExportOptions, ExportSize, resized};
use crate::engine::sim;
use image::RgbImage;

/// The simulation at `size`, with "Simulation — actual results vary." on a strip under it
/// unless `disclaimer` is off (then the pixels are the render's alone).
pub fn preview(
    consultation: &Consultation,
    size: ExportSize,
    disclaimer: bool,
    progress: Progress,
) -> Result<RgbImage, HandoutError> {
    progress.step(0.0)?;
    ExportOptions { size, ..ExportOptions::default() }.validate()?;
    let render = sim::render(&consultation.scene());
    progress.step(0.85)?;
    let image = resized(&render.image, size).into_owned();
    let image = if disclaimer { with_disclaimer(image)? } else { image };
    progress.step(1.0)?;
    Ok(image)
}

/// `image` with a strip under it carrying the disclaimer, sized to the image's width.
fn with_disclaimer(image: RgbImage) -> Result<RgbImage, HandoutError> {
    let (w, h) = image.dimensions();
    let size = (w as f32 * 0.016).max(13.0);
    let strip = (size * 2.6).round() as u32;
    let mut canvas = Canvas::new(w, h + strip)?;
    canvas.blit(&image, 0, 0);
    canvas.fill(0.0, h as f32, w as f32, (size / 14.0).max(1.0), RULE);
    let pad = size * 1.2;
    let baseline = h as f32 + strip as f32 / 2.0 + canvas.cap_height(Weight::SemiBold, size) / 2.0;
    let end = canvas.text(Weight::SemiBold, words::DISCLAIMER, pad, baseline, size, INK);
    let detail_x = end + size * 0.8;
    if detail_x + canvas.width(Weight::Regular, words::DISCLAIMER_DETAIL, size) <= w as f32 - pad {
        canvas.text(Weight::Regular, words::DISCLAIMER_DETAIL, detail_x, baseline, size, MUTED);
    }
    Ok(canvas.image)
}
