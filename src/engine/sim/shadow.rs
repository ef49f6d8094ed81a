//! The even shadow of healed SMP: pigment scattered in the dermis between the dots.
//!
//! In photos of healed results the skin between the dots is darker too, so a treated zone reads
//! as a darker tone with grain rather than as specks on clean skin (after ÷ before about 0.45 to
//! 0.75 of the untreated skin's luminance). The scattered pigment follows what the dots hold on
//! average around a pixel (their density, darkness and size, as the regions ask for them):
//! light after session 1, ramping with the hairline's feather and the region's edge, thinner
//! where native hair remains. It does not follow each dot: summed from the dots, the chance
//! gaps and clusters of a few neighbours would mottle the shadow into blotches. It spreads over
//! about half a dot spacing.
//!
//! The spread is smooth, so it is sampled on a coarse grid aligned to the whole photo (the same
//! cells for every tile, so tiles meet without a seam), blurred there and read back per pixel.

use super::dots::pigment_share;
use super::fields::Fields;
use super::{Scene, Stage};
use crate::engine::color::luminance;
use crate::engine::mask::PixelRect;
use crate::engine::preset::Shade;

/// Spread (σ) of the scattered pigment in dot spacings at the preset's full density.
const SPREAD_SPACINGS: f32 = 0.6;
/// Reach of the spread in σ beyond which its pigment is negligible.
const REACH_SIGMAS: f32 = 3.5;
/// Cells per σ of the grid the shadow is summed on.
const CELLS_PER_SIGMA: f32 = 2.0;
/// Most the shadow may take of the skin's light at full density.
const MAX_SHADOW: f32 = 0.8;

/// The shadow of one render, in pixels.
pub(super) struct Shadow {
    /// Share of the light taken per channel where the dots stand at the preset's full density,
    /// as it reaches the camera.
    taken: [f32; 3],
    cell_px: f32,
    /// Share of the light the scattered pigment takes that reaches the camera: the veil of
    /// light remitted above it leaves the rest.
    transmit: [f32; 3],
    /// Discrete Gaussian over cells, summing to one, from `-radius` to `radius`.
    kernel: Vec<f32>,
}

impl Shadow {
    /// The render's shadow, or `None` where the preset asks for none.
    ///
    /// `shade_absorbance` is each shade's absorbance per channel (its direction sets the
    /// shadow's colour; the preset's `optics.shadow` its strength), `veil` the light remitted
    /// above the pigment, `blur_px` the photo's own blur.
    pub(super) fn new(
        scene: &Scene,
        shade_absorbance: &[[f32; 3]],
        veil: [f32; 3],
        blur_px: f32,
    ) -> Option<Shadow> {
        let preset = scene.preset;
        let share = preset.optics.shadow.clamp(0.0, MAX_SHADOW);
        let px_per_mm = scene.settings.scale.px_per_mm;
        let per_mm2 = preset.density.target_dots_per_cm2 / 100.0;
        if share <= 0.0 || per_mm2 <= 0.0 || shade_absorbance.is_empty() || px_per_mm <= 0.0 {
            return None;
        }
        // The absorbance that takes `share` of the light where the dots stand at full density;
        // the shades mixed as the dots mix them give the shadow its colour.
        let absorbance = -(1.0 - share).ln();
        let absorbance = mixed_absorbance(shade_absorbance, &preset.pigment.shades)?.map(|k| k * absorbance);
        let years = match scene.settings.stage {
            Stage::Fresh => 0.0,
            Stage::Healed { years } => years.max(0.0),
        };
        let spread_mm = preset.aging.spread_mm_per_year * years;
        let sigma_mm = (SPREAD_SPACINGS / per_mm2.sqrt()).hypot(spread_mm);
        let sigma_px = (sigma_mm * px_per_mm).hypot(blur_px).max(0.5);
        let cell_px = (sigma_px / CELLS_PER_SIGMA).max(1.0);
        let radius = (REACH_SIGMAS * sigma_px / cell_px).ceil() as i32;
        let mut kernel: Vec<f32> =
            (-radius..=radius).map(|k| (-0.5 * (k as f32 * cell_px / sigma_px).powi(2)).exp()).collect();
        let sum: f32 = kernel.iter().sum();
        kernel.iter_mut().for_each(|w| *w /= sum);
        let transmit = veil.map(|v| 1.0 - v);
        let taken = std::array::from_fn(|c| transmit[c] * -(-absorbance[c]).exp_m1());
        Some(Shadow { taken, cell_px, transmit, kernel })
    }

    fn radius_cells(&self) -> i64 {
        (self.kernel.len() / 2) as i64
    }

    /// How far the shadow reaches beyond the pixels whose pigment casts it, px.
    pub(super) fn reach_px(&self) -> f32 {
        (self.radius_cells() + 3) as f32 * self.cell_px
    }

    /// Share of the skin's light the shadow takes where the dots stand at the preset's full
    /// density (luminance, for the bulk's nominal dot).
    pub(super) fn full_density_share(&self, scene: &Scene) -> f32 {
        scene.preset.optics.shadow.clamp(0.0, MAX_SHADOW) * luminance(self.transmit)
    }

    /// Sets `left` (per pixel of `tile`, per channel; 1 where there is no shadow) to the share
    /// of the skin's light the pigment the regions ask for around it leaves.
    pub(super) fn apply(&self, scene: &Scene, fields: &Fields, tile: PixelRect, left: &mut [[f32; 3]]) {
        let c = self.cell_px;
        let margin = self.radius_cells() + 1;
        // Cell i has its centre at (i + 0.5) · c on the photo.
        let first = |v: u32| (v as f32 / c - 0.5).floor() as i64 - margin;
        let last = |v: u32| (v as f32 / c - 0.5).ceil() as i64 + 1 + margin;
        let (gx0, gy0) = (first(tile.x0), first(tile.y0));
        let (gw, gh) = ((last(tile.x1) - gx0) as usize, (last(tile.y1) - gy0) as usize);
        let (width, height) = scene.photo.dimensions();
        let mut grid = vec![0.0f32; gw * gh];
        let mut any = false;
        for (j, row) in grid.chunks_exact_mut(gw).enumerate() {
            let y = ((gy0 + j as i64) as f32 + 0.5) * c;
            if y < 0.0 || y >= height as f32 {
                continue;
            }
            for (i, cell) in row.iter_mut().enumerate() {
                let x = ((gx0 + i as i64) as f32 + 0.5) * c;
                if x < 0.0 || x >= width as f32 {
                    continue;
                }
                *cell = pigment_share(scene, fields, x as u32, y as u32);
                any |= *cell > 0.0;
            }
        }
        if !any {
            return;
        }
        // Spread, the pigment reaches no further than the dots ask for: where they ask for
        // less than around them (a region's edge, native hair doing part of the work), the
        // field there bounds it, so the shadow ends where the treatment does.
        let spread = self.blur(&grid, gw, gh);
        let w = (tile.x1 - tile.x0) as usize;
        for (row, y) in (tile.y0..tile.y1).enumerate() {
            let v = (y as f32 + 0.5) / c - 0.5 - gy0 as f32;
            let j = (v.floor().max(0.0) as usize).min(gh - 2);
            let fy = v - j as f32;
            for (col, x) in (tile.x0..tile.x1).enumerate() {
                let u = (x as f32 + 0.5) / c - 0.5 - gx0 as f32;
                let i = (u.floor().max(0.0) as usize).min(gw - 2);
                let fx = u - i as f32;
                let read = |g: &[f32]| {
                    let at = |di: usize, dj: usize| g[(j + dj) * gw + i + di];
                    (at(0, 0) * (1.0 - fx) + at(1, 0) * fx) * (1.0 - fy)
                        + (at(0, 1) * (1.0 - fx) + at(1, 1) * fx) * fy
                };
                let share = read(&spread).min(read(&grid));
                if share <= 0.0 {
                    continue;
                }
                let pixel = &mut left[row * w + col];
                // The light taken goes with the pigment's share, as the dots' does with their
                // number: the blend at a region's edge, worked out in shares of the full
                // treatment's darkening, holds for the shadow too.
                for ((l, &transmit), &taken) in pixel.iter_mut().zip(&self.transmit).zip(&self.taken) {
                    *l = 1.0 - (taken * share).min(transmit);
                }
            }
        }
    }

    /// The grid blurred by the kernel, along rows then along columns.
    fn blur(&self, grid: &[f32], gw: usize, gh: usize) -> Vec<f32> {
        let r = self.radius_cells();
        let pass = |src: &[f32], along_rows: bool| -> Vec<f32> {
            let mut out = vec![0.0f32; gw * gh];
            let len = if along_rows { gw } else { gh } as i64;
            for y in 0..gh {
                for x in 0..gw {
                    let v = src[y * gw + x];
                    if v == 0.0 {
                        continue;
                    }
                    let at = if along_rows { x } else { y } as i64;
                    for (k, &wk) in self.kernel.iter().enumerate() {
                        let t = at + k as i64 - r;
                        if !(0..len).contains(&t) {
                            continue;
                        }
                        let (tx, ty) = if along_rows { (t as usize, y) } else { (x, t as usize) };
                        out[ty * gw + tx] += v * wk;
                    }
                }
            }
            out
        };
        pass(&pass(grid, true), false)
    }
}

/// The shades' absorbance mixed by their weights, as the dots mix them, scaled to a
/// luminance-weighted mean of 1: the direction of the pigment's colour. `None` without shades
/// or without absorbance.
fn mixed_absorbance(shade_absorbance: &[[f32; 3]], shades: &[Shade]) -> Option<[f32; 3]> {
    let total_weight: f32 = shades.iter().map(|s| s.weight.max(0.0)).sum();
    if shade_absorbance.is_empty() || total_weight <= 0.0 {
        return None;
    }
    let mixed: [f32; 3] = std::array::from_fn(|c| {
        shade_absorbance.iter().zip(shades).map(|(k, s)| k[c] * s.weight.max(0.0)).sum::<f32>() / total_weight
    });
    let luma: f32 = luminance(mixed);
    (luma > 1e-6).then(|| mixed.map(|v| v / luma))
}
