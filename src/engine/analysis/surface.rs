//! Light mirrored by the skin surface versus light remitted from below it.
//!
//! Pigment sits in the dermis, under the surface that mirrors the lamp, so a dot attenuates only
//! the skin's diffuse remission; the specular highlight on a shiny dome lies on top, and dots
//! inside it lose most of their contrast. The photo is read with the dichromatic reflection
//! model: a pixel is `α · d + β · L`, the skin's diffuse colour `d` (its chromaticity) plus the
//! lamp's colour `L` (taken as the photo's white: phones balance to their light). Highlights
//! wash the skin's colour out toward `L`, so where `d` is known, `β` follows from the pixel.
//!
//! `d` is the colour of the least washed-out skin nearby (the most saturated cells within
//! [`DIFFUSE_REACH_MM`]), and only what rises above the local level of `β` (natural pale skin
//! washes out a little too) counts as specular. Clipped pixels hold no trace of the skin below
//! them at all and are left as they are.

use crate::engine::color::{luminance, srgb8_to_linear};
use image::RgbImage;

/// Side of the cells the surface is summarised in, mm (at least [`MIN_CELL_PX`]).
const CELL_MM: f32 = 1.5;
const MIN_CELL_PX: u32 = 4;

/// How far around a point its diffuse colour is looked for, mm: farther than a highlight
/// reaches on a dome.
const DIFFUSE_REACH_MM: f32 = 12.0;

/// Share of the cells within reach, the most saturated, whose colour stands for the diffuse
/// skin.
const DIFFUSE_SHARE: f32 = 0.25;

/// Which quantile of `β` within reach stands for the skin's own paleness.
const BASELINE_QUANTILE: f32 = 0.1;

/// How far around a point the skin's own paleness is judged, mm.
const BASELINE_REACH_MM: f32 = 20.0;

/// Byte values from which a channel counts as clipped: no pigment shows there.
const CLIP_FROM: f32 = 252.5;
const CLIP_FULL: f32 = 255.0;

/// Largest share above its ceiling a clipped channel's light is taken to have reached.
const MAX_OVERSHOOT: f32 = 1.1;

/// How far above its ceiling a channel of a blown-out pixel is taken to be.
const BLOWN_OVERSHOOT: f32 = 1.5;

/// Share of a cell's light the lamp's reflection must hold for the cell to tell its colour.
const LAMP_SHARE: f32 = 0.15;

/// Rounds of reading the lamp's colour.
const LAMP_ROUNDS: usize = 3;

/// Passes of a 3 × 3 mean the cells' readings are smoothed with.
const SMOOTH_PASSES: usize = 2;

/// Cells with a channel brighter than this (linear) do not tell the lamp's colour.
const LAMP_BRIGHTEST: f32 = 0.8;

/// Fewest such cells that tell the lamp's colour.
const LAMP_CELLS: usize = 8;

/// The photo's surface reflection, summarised on a grid of cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Surface {
    cell_px: u32,
    cols: usize,
    rows: usize,
    /// Diffuse chromaticity per cell (linear RGB summing to 1).
    diffuse: Vec<[f32; 3]>,
    /// Level of `β` natural skin shows per cell.
    baseline: Vec<f32>,
    /// Diffuse light per cell (`α`, the amount of `d`), from its unclipped pixels; where a
    /// pixel is clipped in all but one channel it tells the diffuse light there.
    diffuse_level: Vec<f32>,
    /// Share of the light the surface mirrors per cell, 0–1.
    specular_share: Vec<f32>,
    /// The lamp's colour, linear RGB averaging 1.
    lamp: [f32; 3],
}

/// One pixel read through the dichromatic model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reflection {
    /// Light mirrored by the surface, linear RGB: pigment does not touch it.
    pub specular: [f32; 3],
    /// How far each channel is clipped, 0–1 (the sensor recorded its ceiling, not the light;
    /// red clips first on skin).
    pub clipped: [f32; 3],
    /// The light that reached the pixel, linear RGB: the pixel itself, or in a clipped channel
    /// what the model says arrived (it may exceed 1). Darken this and clip again: a channel
    /// that overshot its ceiling by more than the pigment takes stays clipped.
    pub light: [f32; 3],
}

impl Surface {
    /// A photo without measurable shine: everything is diffuse.
    pub fn matte() -> Self {
        Self {
            cell_px: u32::MAX,
            cols: 0,
            rows: 0,
            diffuse: Vec::new(),
            baseline: Vec::new(),
            diffuse_level: Vec::new(),
            specular_share: Vec::new(),
            lamp: [1.0; 3],
        }
    }

    /// Reads the surface of `photo` at `px_per_mm`.
    pub fn measure(photo: &RgbImage, px_per_mm: f32) -> Self {
        let (w, h) = photo.dimensions();
        let cell_px = ((CELL_MM * px_per_mm).round() as u32).max(MIN_CELL_PX);
        let cols = w.div_ceil(cell_px) as usize;
        let rows = h.div_ceil(cell_px) as usize;
        if cols == 0 || rows == 0 {
            return Self::matte();
        }
        // Mean linear colour per cell, leaving out clipped pixels.
        let mut sums = vec![[0.0f64; 4]; cols * rows];
        for (x, y, p) in photo.enumerate_pixels() {
            if p.0.iter().any(|&v| v as f32 >= CLIP_FROM) {
                continue;
            }
            let cell = &mut sums[(y / cell_px) as usize * cols + (x / cell_px) as usize];
            for (sum, &v) in cell.iter_mut().zip(&p.0) {
                *sum += srgb8_to_linear(v) as f64;
            }
            cell[3] += 1.0;
        }
        let means: Vec<Option<[f32; 3]>> = sums
            .iter()
            .map(|s| (s[3] >= 1.0).then(|| std::array::from_fn(|c| (s[c] / s[3]) as f32)))
            .collect();
        let chroma: Vec<Option<([f32; 3], f32)>> = means
            .iter()
            .map(|m| {
                let m = (*m)?;
                let total = m[0] + m[1] + m[2];
                (total > 1e-4).then(|| {
                    let c = m.map(|v| v / total);
                    (c, 1.0 - 3.0 * c.iter().copied().fold(f32::INFINITY, f32::min))
                })
            })
            .collect();
        let reach = ((DIFFUSE_REACH_MM * px_per_mm / cell_px as f32).round() as i64).max(1);
        // The diffuse colour: the most saturated cells within reach.
        let diffuse: Vec<[f32; 3]> = (0..rows * cols)
            .map(|i| {
                let (r, c) = ((i / cols) as i64, (i % cols) as i64);
                let mut near: Vec<([f32; 3], f32)> = Vec::new();
                for rr in (r - reach).max(0)..(r + reach + 1).min(rows as i64) {
                    for cc in (c - reach).max(0)..(c + reach + 1).min(cols as i64) {
                        if (rr - r).pow(2) + (cc - c).pow(2) > reach * reach {
                            continue;
                        }
                        if let Some(v) = chroma[rr as usize * cols + cc as usize] {
                            near.push(v);
                        }
                    }
                }
                if near.is_empty() {
                    return [1.0 / 3.0; 3];
                }
                let take = ((near.len() as f32 * DIFFUSE_SHARE).ceil() as usize).clamp(1, near.len());
                near.select_nth_unstable_by(take - 1, |a, b| b.1.total_cmp(&a.1));
                let mut sum = [0.0f32; 3];
                for (c, _) in &near[..take] {
                    for k in 0..3 {
                        sum[k] += c[k];
                    }
                }
                sum.map(|v| v / take as f32)
            })
            .collect();
        // The lamp's colour: what the shiniest cells hold beyond their diffuse colour. Phones
        // balance to their light, so it starts white and only clear highlights move it.
        let lamp = lamp_colour(&means, &diffuse).unwrap_or([1.0; 3]);
        // How washed out each cell is against its diffuse colour, and the local baseline.
        let beta: Vec<Option<f32>> =
            means.iter().zip(&diffuse).map(|(m, d)| m.map(|m| decompose(m, *d, lamp).1)).collect();
        // Wider than a highlight, whose tails would otherwise lift the skin's own level.
        let reach = ((BASELINE_REACH_MM * px_per_mm / cell_px as f32).round() as i64).max(1);
        let baseline: Vec<f32> = (0..rows * cols)
            .map(|i| {
                let (r, c) = ((i / cols) as i64, (i % cols) as i64);
                let mut near: Vec<f32> = Vec::new();
                for rr in (r - reach).max(0)..(r + reach + 1).min(rows as i64) {
                    for cc in (c - reach).max(0)..(c + reach + 1).min(cols as i64) {
                        if (rr - r).pow(2) + (cc - c).pow(2) > reach * reach {
                            continue;
                        }
                        if let Some(b) = beta[rr as usize * cols + cc as usize] {
                            near.push(b);
                        }
                    }
                }
                if near.is_empty() {
                    return 0.0;
                }
                let k = ((near.len() - 1) as f32 * BASELINE_QUANTILE).round() as usize;
                let (_, v, _) = near.select_nth_unstable_by(k, f32::total_cmp);
                *v
            })
            .collect();
        // The diffuse level per cell; cells with no unclipped pixel borrow from the nearest
        // cells that have one, ring by ring.
        let mut level: Vec<Option<f32>> =
            means.iter().zip(&diffuse).map(|(m, d)| m.map(|m| decompose(m, *d, lamp).0)).collect();
        for _ in 0..cols.max(rows) {
            if level.iter().all(Option::is_some) {
                break;
            }
            let previous = level.clone();
            for i in 0..cols * rows {
                if previous[i].is_some() {
                    continue;
                }
                let (r, c) = ((i / cols) as i64, (i % cols) as i64);
                let near: Vec<f32> = [(-1i64, 0i64), (1, 0), (0, -1), (0, 1)]
                    .iter()
                    .filter_map(|&(dr, dc)| {
                        let (rr, cc) = (r + dr, c + dc);
                        ((0..rows as i64).contains(&rr) && (0..cols as i64).contains(&cc))
                            .then(|| previous[rr as usize * cols + cc as usize])
                            .flatten()
                    })
                    .collect();
                if !near.is_empty() {
                    level[i] = Some(near.iter().sum::<f32>() / near.len() as f32);
                }
            }
        }
        let diffuse_level: Vec<f32> = level.into_iter().map(|l| l.unwrap_or(0.0)).collect();
        // The share of each cell's light its surface mirrors, read from the cell's mean colour:
        // read per pixel, the photo's own compression (8 × 8 blocks of coarser colour) would
        // print its grid on a highlight's edge. A cell with nothing unclipped is all highlight.
        let specular_share: Vec<f32> = means
            .iter()
            .zip(&beta)
            .zip(&baseline)
            .map(|((m, b), base)| match (m, b) {
                (Some(m), Some(b)) => {
                    ((b - base).max(0.0) * luminance(lamp) / luminance(*m).max(1e-4)).clamp(0.0, 1.0)
                }
                _ => 1.0,
            })
            .collect();
        // Each cell's reading is chosen from its neighbourhood (a share of its cells, a
        // quantile), which steps from one cell to the next: smoothed over a few cells, a
        // highlight's edge follows the photo, not the grid.
        let diffuse = smooth_cells(&diffuse, cols, rows);
        let baseline = smooth_cells(&baseline, cols, rows);
        let diffuse_level = smooth_cells(&diffuse_level, cols, rows);
        let specular_share = smooth_cells(&specular_share, cols, rows);
        Self { cell_px, cols, rows, diffuse, baseline, diffuse_level, specular_share, lamp }
    }

    /// The specular part of pixel `rgb` (linear) at `(x, y)`.
    pub fn reflection(&self, x: u32, y: u32, rgb: [f32; 3], srgb: [u8; 3]) -> Reflection {
        let clipped = srgb.map(|v| ((v as f32 - CLIP_FROM) / (CLIP_FULL - CLIP_FROM)).clamp(0.0, 1.0));
        if self.cols == 0 {
            return Reflection { specular: [0.0; 3], clipped, light: rgb };
        }
        let (d, baseline, level, share) = self.at(x, y);
        // Read the light from the channels the sensor did not clip; with one channel left, the
        // diffuse light around tells how much of it is the skin's.
        let weights = clipped.map(|k| 1.0 - k);
        let readable = weights.iter().sum::<f32>() >= 1.5;
        let lamp = self.lamp;
        let (alpha, beta) = if readable {
            decompose_weighted(rgb, d, lamp, weights)
        } else {
            let c = (0..3).max_by(|&a, &b| weights[a].total_cmp(&weights[b])).unwrap_or(2);
            (level, ((rgb[c] - level * d[c]) / lamp[c].max(0.1)).max(0.0))
        };
        let excess = if readable {
            share * luminance(rgb) / luminance(lamp).max(1e-4)
        } else {
            (beta - baseline).max(0.0)
        };
        // Never more than the pixel holds in an unclipped channel.
        let cap = (0..3).filter(|&c| clipped[c] < 1.0).map(|c| rgb[c]).fold(f32::INFINITY, f32::min);
        let specular = (0..3)
            .filter(|&c| clipped[c] < 1.0)
            .map(|c| cap.min(1.0) / lamp[c].max(1e-3))
            .fold(excess, f32::min);
        // What a clipped channel would have recorded: the model's light, never less than the
        // ceiling it hit, nor far above it (how far a blown-out core overshot is anyone's guess,
        // and guessing high would put dots into it).
        // A pixel blown out in two channels is the lamp's own mirror image: far above the
        // ceiling, and the pigment below it does not show.
        let light = std::array::from_fn(|c| {
            let modelled = if readable {
                (alpha * d[c] + beta * lamp[c]).clamp(rgb[c], rgb[c] * MAX_OVERSHOOT)
            } else {
                rgb[c] * BLOWN_OVERSHOOT
            };
            rgb[c] + (modelled - rgb[c]) * clipped[c]
        });
        Reflection { specular: lamp.map(|l| specular * l), clipped, light }
    }

    /// The share of a pixel's light (luminance) remitted from below the surface, which pigment
    /// can dim: 1 on matte skin, less where it shines.
    pub fn diffuse_share(&self, photo: &RgbImage, x: u32, y: u32) -> f32 {
        if x >= photo.width() || y >= photo.height() {
            return 1.0;
        }
        let srgb = photo.get_pixel(x, y).0;
        let rgb = srgb.map(srgb8_to_linear);
        let r = self.reflection(x, y, rgb, srgb);
        let total = luminance(r.light);
        if total <= 1e-4 { 1.0 } else { (1.0 - luminance(r.specular) / total).clamp(0.0, 1.0) }
    }

    /// Diffuse chromaticity, baseline, diffuse level and mirrored share at a pixel, interpolated
    /// between cell centres.
    fn at(&self, x: u32, y: u32) -> ([f32; 3], f32, f32, f32) {
        let cell = self.cell_px as f32;
        let gx = ((x as f32 + 0.5) / cell - 0.5).clamp(0.0, (self.cols - 1) as f32);
        let gy = ((y as f32 + 0.5) / cell - 0.5).clamp(0.0, (self.rows - 1) as f32);
        let (c0, r0) = (gx as usize, gy as usize);
        let (c1, r1) = ((c0 + 1).min(self.cols - 1), (r0 + 1).min(self.rows - 1));
        let (fx, fy) = (gx - c0 as f32, gy - r0 as f32);
        let weights = [
            (c0, r0, (1.0 - fx) * (1.0 - fy)),
            (c1, r0, fx * (1.0 - fy)),
            (c0, r1, (1.0 - fx) * fy),
            (c1, r1, fx * fy),
        ];
        let mut d = [0.0f32; 3];
        let (mut b, mut l, mut s) = (0.0f32, 0.0f32, 0.0f32);
        for (c, r, wt) in weights {
            let i = r * self.cols + c;
            for (acc, v) in d.iter_mut().zip(&self.diffuse[i]) {
                *acc += wt * v;
            }
            b += wt * self.baseline[i];
            l += wt * self.diffuse_level[i];
            s += wt * self.specular_share[i];
        }
        (d, b, l, s)
    }
}

/// Cells of a value smoothed by [`SMOOTH_PASSES`] passes of a 3 × 3 mean (near a Gaussian of
/// about a cell and a half).
fn smooth_cells<T: Copy + Cells>(values: &[T], cols: usize, rows: usize) -> Vec<T> {
    let mut current = values.to_vec();
    for _ in 0..SMOOTH_PASSES {
        let previous = current.clone();
        for r in 0..rows {
            for c in 0..cols {
                let mut sum = T::zero();
                let mut n = 0.0f32;
                for rr in r.saturating_sub(1)..(r + 2).min(rows) {
                    for cc in c.saturating_sub(1)..(c + 2).min(cols) {
                        sum = sum.add(previous[rr * cols + cc]);
                        n += 1.0;
                    }
                }
                current[r * cols + c] = sum.scale(1.0 / n);
            }
        }
    }
    current
}

/// What [`smooth_cells`] averages: a number or a colour.
trait Cells {
    fn zero() -> Self;
    fn add(self, other: Self) -> Self;
    fn scale(self, k: f32) -> Self;
}

impl Cells for f32 {
    fn zero() -> Self {
        0.0
    }
    fn add(self, other: Self) -> Self {
        self + other
    }
    fn scale(self, k: f32) -> Self {
        self * k
    }
}

impl Cells for [f32; 3] {
    fn zero() -> Self {
        [0.0; 3]
    }
    fn add(self, other: Self) -> Self {
        std::array::from_fn(|c| self[c] + other[c])
    }
    fn scale(self, k: f32) -> Self {
        self.map(|v| v * k)
    }
}

/// Splits `rgb` into `α · d + β · lamp` by least squares, `β ≥ 0`: the amount of diffuse light
/// and of the lamp's mirrored light in it.
fn decompose(rgb: [f32; 3], d: [f32; 3], lamp: [f32; 3]) -> (f32, f32) {
    decompose_weighted(rgb, d, lamp, [1.0; 3])
}

/// [`decompose`] with a weight per channel: a clipped channel says nothing of the light.
fn decompose_weighted(rgb: [f32; 3], d: [f32; 3], lamp: [f32; 3], w: [f32; 3]) -> (f32, f32) {
    let dot = |a: [f32; 3], b: [f32; 3]| (0..3).map(|c| w[c] * a[c] * b[c]).sum::<f32>();
    let (sdd, sdl, sll) = (dot(d, d), dot(d, lamp), dot(lamp, lamp));
    let (spd, spl) = (dot(rgb, d), dot(rgb, lamp));
    let det = sdd * sll - sdl * sdl;
    if det.abs() < 1e-7 {
        return (spd / sdd.max(1e-9), 0.0);
    }
    let alpha = (sll * spd - sdl * spl) / det;
    let beta = (sdd * spl - sdl * spd) / det;
    if beta < 0.0 { (spd / sdd.max(1e-9), 0.0) } else { (alpha, beta) }
}

/// The lamp's colour from the shiniest cells: what each holds beyond its diffuse colour, where
/// that is a clear share of its light. `None` where nothing shines clearly.
fn lamp_colour(means: &[Option<[f32; 3]>], diffuse: &[[f32; 3]]) -> Option<[f32; 3]> {
    // Each round reads the excess against the lamp the last round found.
    let mut lamp = [1.0f32; 3];
    for _ in 0..LAMP_ROUNDS {
        let mut shiny: Vec<([f32; 3], f32)> = means
            .iter()
            .zip(diffuse)
            .filter_map(|(m, d)| {
                let m = (*m)?;
                // Near the ceiling a channel is already short of its light.
                if m.iter().any(|&v| v > LAMP_BRIGHTEST) {
                    return None;
                }
                let (alpha, beta) = decompose(m, *d, lamp);
                let share = beta / (alpha * d.iter().sum::<f32>() + 3.0 * beta).max(1e-6);
                (share > LAMP_SHARE).then(|| {
                    let excess: [f32; 3] = std::array::from_fn(|c| (m[c] - alpha * d[c]).max(0.0));
                    (excess, share)
                })
            })
            .collect();
        if shiny.len() < LAMP_CELLS {
            return None;
        }
        shiny.sort_by(|a, b| b.1.total_cmp(&a.1));
        shiny.truncate(LAMP_CELLS.max(shiny.len() / 4));
        let mut sum = [0.0f32; 3];
        for (e, _) in &shiny {
            let total = e.iter().sum::<f32>().max(1e-6);
            for c in 0..3 {
                sum[c] += e[c] / total;
            }
        }
        let total: f32 = sum.iter().sum();
        lamp = sum.map(|v| 3.0 * v / total.max(1e-6));
        // A lamp is near white; anything stranger is the skin, not the light.
        if !lamp.iter().all(|&v| (0.8..1.2).contains(&v)) {
            return None;
        }
    }
    Some(lamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_light_on_skin_is_split_from_it() {
        let skin = [0.5f32, 0.3, 0.2];
        let total: f32 = skin.iter().sum();
        let d = skin.map(|v| v / total);
        let (alpha, beta) = decompose([0.5 + 0.2, 0.3 + 0.2, 0.2 + 0.2], d, [1.0; 3]);
        assert!((beta - 0.2).abs() < 1e-4, "β {beta}");
        assert!((alpha - total).abs() < 1e-3, "α {alpha}");
        let (_, beta) = decompose(skin, d, [1.0; 3]);
        assert!(beta.abs() < 1e-5);
    }
}
