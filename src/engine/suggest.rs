//! Suggested regions: where the photo shows scalp with little or no hair, proposed as a bald
//! area the doctor accepts and then refines with the brushes.
//!
//! Hair density is read from the hair map over a few millimetres; skin is told from background
//! by its own colour, learnt from the clearest bare scalp in the photo, so light and dark skin
//! are judged alike.

use super::analysis::SkinMap;
use super::hair::{FULL_COVERAGE, HairMap, box_mean};
use super::mask::Mask;
use super::morphology;
use super::units::Scale;
use image::RgbImage;

/// Radius over which hair density is judged: thinning shows over several follicular units.
const DENSITY_RADIUS_MM: f32 = 3.0;
/// Hair density, as a share of the photo's own full density, below which scalp counts as
/// thinning. Full density is what the densest tenth of the photo shows: a buzz cut and long
/// hair cover the skin very differently.
const THINNING_SHARE: f32 = 0.35;
/// Which part of the photo counts as its full density (the densest tenth).
const FULL_PERCENTILE: f32 = 0.9;
/// Suggested areas smaller than this are left out: a bare patch between two hair tufts is no
/// region to treat.
const MIN_AREA_MM2: f32 = 100.0;
/// How far the suggested region's edge fades.
const EDGE_MM: f32 = 1.5;
/// Largest colour distance (in chroma units, 0–255) from the scalp's own colour that still
/// counts as scalp.
const SKIN_CHROMA_DISTANCE: f32 = 14.0;

/// The suggested bald and thinning area as a soft layer (0–255), the photo's size. With the
/// photo's skin map, only what it shows as skin is suggested: bare wall, shoulders and arms are
/// as free of hair as a bald dome, and a suggestion there would put dots on them.
pub fn suggest_bald(photo: &RgbImage, hair: &HairMap, scale: Scale, skin_map: Option<&SkinMap>) -> Mask {
    let (width, height) = photo.dimensions();
    let (w, h) = (width as usize, height as usize);
    let mut mask = Mask::new(width, height);
    if (hair.width(), hair.height()) != (width, height) || w == 0 || h == 0 {
        return mask;
    }
    let coverage: Vec<f32> = (0..h as u32)
        .flat_map(|y| (0..width).map(move |x| (x, y)))
        .map(|(x, y)| hair.coverage(x, y))
        .collect();
    let radius = scale.px(DENSITY_RADIUS_MM).round().max(1.0) as usize;
    let density = box_mean(&coverage, w, h, radius);
    let threshold = THINNING_SHARE * full_density(&density);
    let chroma = |x: u32, y: u32| {
        let [r, g, b] = photo.get_pixel(x, y).0.map(f32::from);
        // YCbCr chroma: brightness (shine, shade) drops out.
        (-0.169 * r - 0.331 * g + 0.5 * b, 0.5 * r - 0.419 * g - 0.081 * b)
    };
    // The scalp's colour: the median chroma where the hair is thinnest.
    let mut bare: Vec<(f32, f32)> = Vec::new();
    let step = (w.max(h) / 400).max(1);
    for y in (0..h).step_by(step) {
        for x in (0..w).step_by(step) {
            if density[y * w + x] < 0.2 * threshold && !hair.is_hair(x as u32, y as u32) {
                bare.push(chroma(x as u32, y as u32));
            }
        }
    }
    if bare.is_empty() {
        return mask;
    }
    let median = |mut v: Vec<f32>| {
        v.sort_by(f32::total_cmp);
        v[v.len() / 2]
    };
    let skin = (median(bare.iter().map(|c| c.0).collect()), median(bare.iter().map(|c| c.1).collect()));
    let mut candidate: Vec<f32> = vec![0.0; w * h];
    for y in 0..h {
        for x in 0..w {
            let (cb, cr) = chroma(x as u32, y as u32);
            let distance = ((cb - skin.0).powi(2) + (cr - skin.1).powi(2)).sqrt();
            let scalp = distance < SKIN_CHROMA_DISTANCE || hair.is_hair(x as u32, y as u32);
            if density[y * w + x] < threshold && scalp {
                candidate[y * w + x] = 1.0;
            }
        }
    }
    // Smooth out hair strands and glints: a majority over the edge's width, then keep only
    // areas large enough to treat.
    let edge = scale.px(EDGE_MM).round().max(1.0) as usize;
    let smooth = box_mean(&candidate, w, h, edge);
    let inside: Vec<bool> = smooth.iter().map(|&v| v >= 0.5).collect();
    let keep = large_components(&inside, w, h, (MIN_AREA_MM2 * scale.px_per_mm * scale.px_per_mm) as usize);
    let solid: Vec<f32> = keep.iter().map(|&k| if k { 1.0 } else { 0.0 }).collect();
    let soft = box_mean(&solid, w, h, edge);
    for (i, v) in soft.iter().enumerate() {
        let (x, y) = ((i % w) as u32, (i / w) as u32);
        let on_skin = skin_map.map_or(1.0, |s| s.likelihood(x, y));
        let value = (((v - 0.25) / 0.5).clamp(0.0, 1.0) * on_skin * 255.0).round() as u8;
        mask.set(x, y, value);
    }
    mask
}

/// The density of the photo's full hair: its densest tenth (never below the coverage that
/// counts as full anywhere, so a bald head is not read as all hair).
pub(crate) fn full_density(density: &[f32]) -> f32 {
    let step = (density.len() / 100_000).max(1);
    let mut sample: Vec<f32> = density.iter().step_by(step).copied().collect();
    sample.sort_by(f32::total_cmp);
    let at = ((sample.len() as f32 * FULL_PERCENTILE) as usize).min(sample.len().saturating_sub(1));
    sample.get(at).copied().unwrap_or(FULL_COVERAGE).max(0.25 * FULL_COVERAGE)
}

/// The pixels of connected areas (4-neighbours) of at least `min_pixels`.
fn large_components(inside: &[bool], w: usize, h: usize, min_pixels: usize) -> Vec<bool> {
    let mut keep = vec![false; inside.len()];
    morphology::for_each_component(
        w,
        h,
        morphology::Neighbours::Four,
        |i| inside[i],
        |component| {
            if component.len() >= min_pixels {
                for &i in component {
                    keep[i] = true;
                }
            }
        },
    );
    keep
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::hair;
    use crate::engine::synth::{self, ScalpParams};

    /// The true thin area: where the generator's own hairs are sparse, judged like the suggestion.
    fn truth(hair_mask: &image::GrayImage, scale: Scale) -> Vec<bool> {
        let (w, h) = (hair_mask.width() as usize, hair_mask.height() as usize);
        let hair: Vec<f32> = hair_mask.pixels().map(|p| if p.0[0] > 0 { 1.0 } else { 0.0 }).collect();
        let coverage = box_mean(&hair, w, h, scale.px(1.2).round() as usize);
        let density = box_mean(&coverage, w, h, scale.px(DENSITY_RADIUS_MM).round() as usize);
        let threshold = THINNING_SHARE * full_density(&density);
        density.iter().map(|&d| d < threshold).collect()
    }

    fn iou(suggested: &Mask, truth: &[bool]) -> f64 {
        let (mut both, mut either) = (0usize, 0usize);
        for (i, &t) in truth.iter().enumerate() {
            let s = suggested
                .get((i % suggested.width() as usize) as u32, (i / suggested.width() as usize) as u32)
                >= 128;
            both += usize::from(s && t);
            either += usize::from(s || t);
        }
        both as f64 / either.max(1) as f64
    }

    #[test]
    fn the_suggestion_covers_the_thin_scalp_on_light_and_dark_skin() {
        for skin in [[0xe6, 0xc8, 0xa8], [0x6b, 0x45, 0x30]] {
            let params = ScalpParams::sample().with_size(800, 600).with_skin(skin);
            let scale = Scale::new(params.px_per_mm).unwrap();
            let scalp = synth::generate(&params);
            let hair = hair::detect(&scalp.photo, scale);
            let suggested = suggest_bald(&scalp.photo, &hair, scale, None);
            let score = iou(&suggested, &truth(&scalp.hair_mask, scale));
            assert!(score >= 0.8, "skin {skin:?}: intersection over union {score:.3}");
        }
    }
}
