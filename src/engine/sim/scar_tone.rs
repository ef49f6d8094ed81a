//! Tone blending for scars. Scar tissue is often paler than the skin around it, and dots alone
//! then read as dots on a pale patch. Scar pixels are brought down to the unscarred skin near
//! them, scaled by the preset's `tone_blend` and the scar layer's coverage:
//!
//! - the reference is the skin outside the scar layer within a few millimetres (a pale FUE dot
//!   among normal skin), or, where the scar layer is wider than that, the ring of skin around
//!   the whole layer (a strip painted a few millimetres wider than the scar);
//! - each pixel is compared through the mean of its own surroundings (under a millimetre), so
//!   the skin's grain stays and only what is paler than the reference is darkened: the normal
//!   skin a scar region is painted over keeps its tone, with no dark rim along a strip.
//!
//! Scar tissue holds less pigment (the preset's `retention`), so the same dots leave a scar
//! lighter than the treated skin beside it. Where the skin around the scar layer is itself
//! treated (painted as another region), the reference is lowered by the difference, so a strip
//! under a scar region reads as dark as the treated donor area around it. Pigment never
//! lightens skin: a scar darker than its surroundings is left as it is.
//!
//! Everything reads the photo, the hair map and the layers only, never the dots.

use super::Scene;
use super::distance::chamfer;
use crate::engine::color::srgb8_to_linear;
use crate::engine::mask::{PixelRect, RegionKind};

/// Width of the ring of skin around a scar whose colour the scar is matched to.
pub const RING_MM: f32 = 3.0;

/// Side of the cells skin colour is averaged in.
const CELL_MM: f32 = 0.25;

/// How far around a pixel unscarred skin is looked for: wider than an FUE scar, narrow enough
/// to follow the photo's lighting.
const LOCAL_RADIUS_MM: f32 = 2.5;

/// How far around a pixel its own tone is read: finer than an FUE scar (≈ 1 mm), coarser than
/// the skin's grain.
const HERE_RADIUS_MM: f32 = 0.35;

/// How far a pixel's own light may stray from its surroundings' as grain (the skin's texture,
/// kept); beyond it, it is an edge.
const GRAIN: f32 = 0.04;

/// Paleness the correction leaves alone: the skin's own unevenness.
const TOLERANCE: f32 = 0.02;

/// Unscarred skin pixels (as a share of the local window) from which the local reference counts
/// fully; below, it is mixed with the ring's.
const LOCAL_SHARE: f64 = 0.15;

pub struct ScarTone {
    /// Mean colour (linear light) of the ring of skin around the scar layer, hair excluded.
    ring: Option<[f32; 3]>,
    /// What the reference is scaled by, ≤ 1: the treated skin's darkening the scar's lighter
    /// dots fall short of.
    retention_gap: f32,
    local: Option<LocalSkin>,
}

impl ScarTone {
    /// `None` where nothing is to be blended: no scar painted, or blending turned off.
    /// `dots_darkening`: the share of light the preset's dots (without the pigment scattered
    /// between them, which scar tissue shows as the skin beside it does) take at full density.
    pub fn compute(scene: &Scene, dots_darkening: f32) -> Option<ScarTone> {
        if scene.preset.scar.tone_blend <= 0.0 {
            return None;
        }
        let painted = scene.masks.get(RegionKind::Scar).painted_bounds();
        if painted.is_empty() {
            return None;
        }
        // Without a ring (the scar layer covers nearly the whole photo) the skin within reach
        // of each pixel is the only reference.
        let ring = ring_skin(scene, painted);
        // Treated skin beside the scar keeps 1 − D of its light, the scar's own dots 1 − r·D.
        let d = dots_darkening.clamp(0.0, 0.95);
        let treated = ring.as_ref().map_or(0.0, |r| r.treated);
        let retention = scene.preset.scar.retention.clamp(0.0, 1.0);
        let retention_gap = ((1.0 - treated * d) / (1.0 - retention * d)).min(1.0);
        Some(ScarTone {
            ring: ring.map(|r| r.colour),
            retention_gap,
            local: LocalSkin::compute(scene, painted),
        })
    }

    /// The factor (linear light, per channel) for the photo's pixel at `(x, y)`, before
    /// blending: the step down from its surroundings' tone to the unscarred skin's (≤ 1).
    #[inline]
    pub fn factor(&self, x: u32, y: u32, skin: [f32; 3]) -> [f32; 3] {
        let (reference, here) = match (self.local.as_ref().and_then(|l| l.at(x, y)), self.ring) {
            (Some((unscarred, share, here)), Some(ring)) => {
                let w = (share / LOCAL_SHARE).min(1.0) as f32;
                (std::array::from_fn(|c| ring[c] + (unscarred[c] - ring[c]) * w), here)
            }
            (Some((unscarred, share, here)), None) if share > 0.0 => (unscarred, here),
            (None, Some(ring)) => (ring, skin),
            _ => return [1.0; 3],
        };
        std::array::from_fn(|c| {
            let target = reference[c] * self.retention_gap * (1.0 + TOLERANCE);
            // The surroundings' tone, but never further from the pixel than the skin's grain:
            // across a scar's sharp edge the pixel's own side counts, so the edge leaves no
            // lighter or darker line.
            let here = here[c].clamp(skin[c] / (1.0 + GRAIN), skin[c] / (1.0 - GRAIN));
            if here > 1e-4 { (target / here).min(1.0) } else { 1.0 }
        })
    }
}

struct Ring {
    colour: [f32; 3],
    /// Share of the ring painted as another region, 0–1.
    treated: f32,
}

/// The skin in a ring around the scar layer (hair excluded): its mean colour, and how much of
/// it is treated as another region.
fn ring_skin(scene: &Scene, painted: PixelRect) -> Option<Ring> {
    let mask = scene.masks.get(RegionKind::Scar);
    let ring_px = scene.settings.scale.px(RING_MM).ceil().max(1.0);
    let rect = painted.expand(ring_px as u32 + 1, mask.bounds());
    let w = (rect.x1 - rect.x0) as usize;
    let h = (rect.y1 - rect.y0) as usize;
    let mut dist = vec![1.0e9f32; w * h];
    for (row, y) in (rect.y0..rect.y1).enumerate() {
        for (col, x) in (rect.x0..rect.x1).enumerate() {
            if mask.get(x, y) >= 128 {
                dist[row * w + col] = 0.0;
            }
        }
    }
    chamfer(&mut dist, w, h);
    let (mut sum, mut count, mut treated) = ([0.0f64; 3], 0usize, 0usize);
    for (row, y) in (rect.y0..rect.y1).enumerate() {
        for (col, x) in (rect.x0..rect.x1).enumerate() {
            let d = dist[row * w + col];
            if d <= 0.0 || d > ring_px || scene.hair.is_some_and(|hair| hair.is_hair(x, y)) {
                continue;
            }
            let p = scene.photo.get_pixel(x, y).0;
            for (s, &v) in sum.iter_mut().zip(&p) {
                *s += srgb8_to_linear(v) as f64;
            }
            count += 1;
            let other =
                [RegionKind::Hairline, RegionKind::Bald].iter().any(|&k| scene.masks.get(k).get(x, y) >= 128);
            treated += other as usize;
        }
    }
    (count >= 16).then(|| Ring {
        colour: std::array::from_fn(|c| (sum[c] / count as f64) as f32),
        treated: treated as f32 / count as f32,
    })
}

/// Skin colour (linear light, hair excluded) around each cell centre, on a grid aligned to the
/// photo's origin, so a value never depends on where the scar was painted: of the unscarred
/// skin within [`LOCAL_RADIUS_MM`], and of all skin within [`HERE_RADIUS_MM`].
struct LocalSkin {
    cell_px: u32,
    /// First cell column and row, and the grid's size in cells.
    cx0: u32,
    cy0: u32,
    cols: usize,
    rows: usize,
    /// Unscarred skin's mean colour and its share of the window.
    unscarred: Vec<Option<([f32; 3], f64)>>,
    here: Vec<Option<[f32; 3]>>,
}

impl LocalSkin {
    fn compute(scene: &Scene, painted: PixelRect) -> Option<LocalSkin> {
        let scar = scene.masks.get(RegionKind::Scar);
        let scale = scene.settings.scale;
        let cell_px = scale.px(CELL_MM).round().max(1.0) as u32;
        let cells_for = |mm: f32| (scale.px(mm) / cell_px as f32).round().max(1.0) as usize;
        let (reach, near) = (cells_for(LOCAL_RADIUS_MM), cells_for(HERE_RADIUS_MM));
        let (width, height) = scene.photo.dimensions();
        // Cells under the scar, one more for interpolation, and the reach around them.
        let margin = (reach + 1) as u32;
        let cx0 = (painted.x0 / cell_px).saturating_sub(margin);
        let cy0 = (painted.y0 / cell_px).saturating_sub(margin);
        let cx1 = ((painted.x1 - 1) / cell_px + margin + 1).min(width.div_ceil(cell_px));
        let cy1 = ((painted.y1 - 1) / cell_px + margin + 1).min(height.div_ceil(cell_px));
        let (cols, rows) = ((cx1 - cx0) as usize, (cy1 - cy0) as usize);
        if cols == 0 || rows == 0 {
            return None;
        }
        // Per cell: sums and count of unscarred skin, of all skin, and the count of all pixels.
        let mut outside = vec![[0.0f64; 4]; cols * rows];
        let mut all = vec![[0.0f64; 4]; cols * rows];
        let mut pixels = vec![[0.0f64; 4]; cols * rows];
        for y in cy0 * cell_px..(cy1 * cell_px).min(height) {
            let row = (y / cell_px - cy0) as usize;
            for x in cx0 * cell_px..(cx1 * cell_px).min(width) {
                let i = row * cols + (x / cell_px - cx0) as usize;
                pixels[i][3] += 1.0;
                if scene.hair.is_some_and(|hair| hair.is_hair(x, y)) {
                    continue;
                }
                let p = scene.photo.get_pixel(x, y).0.map(|v| srgb8_to_linear(v) as f64);
                let add = |cell: &mut [f64; 4]| {
                    for c in 0..3 {
                        cell[c] += p[c];
                    }
                    cell[3] += 1.0;
                };
                add(&mut all[i]);
                if scar.get(x, y) < 128 {
                    add(&mut outside[i]);
                }
            }
        }
        let wide = |cells: &[[f64; 4]], r: usize| {
            box_sum(&box_sum(cells, cols, rows, r, true), cols, rows, r, false)
        };
        let (outside, window, all) = (wide(&outside, reach), wide(&pixels, reach), wide(&all, near));
        let mean = |s: &[f64; 4]| std::array::from_fn(|c| (s[c] / s[3]) as f32);
        let unscarred = outside
            .iter()
            .zip(&window)
            .map(|(s, n)| (s[3] >= 1.0).then(|| (mean(s), s[3] / n[3].max(1.0))))
            .collect();
        let here = all.iter().map(|s| (s[3] >= 1.0).then(|| mean(s))).collect();
        Some(LocalSkin { cell_px, cx0, cy0, cols, rows, unscarred, here })
    }

    /// Around `(x, y)`, interpolated between cell centres: the unscarred skin's colour and
    /// share of the window (zero where there is none), and the pixel's surroundings' colour.
    fn at(&self, x: u32, y: u32) -> Option<([f32; 3], f64, [f32; 3])> {
        let cell = self.cell_px as f32;
        let gx = (x as f32 + 0.5) / cell - 0.5 - self.cx0 as f32;
        let gy = (y as f32 + 0.5) / cell - 0.5 - self.cy0 as f32;
        let c0 = (gx.floor().max(0.0) as usize).min(self.cols - 1);
        let r0 = (gy.floor().max(0.0) as usize).min(self.rows - 1);
        let (c1, r1) = ((c0 + 1).min(self.cols - 1), (r0 + 1).min(self.rows - 1));
        let (fx, fy) = ((gx - c0 as f32).clamp(0.0, 1.0), (gy - r0 as f32).clamp(0.0, 1.0));
        let corners = [(c0, r0), (c1, r0), (c0, r1), (c1, r1)];
        let weights = [(1.0 - fx) * (1.0 - fy), fx * (1.0 - fy), (1.0 - fx) * fy, fx * fy];
        let (mut here, mut here_weight) = ([0.0f32; 3], 0.0f32);
        let (mut unscarred, mut share, mut unscarred_weight) = ([0.0f32; 3], 0.0f64, 0.0f32);
        for (&(c, r), &w) in corners.iter().zip(&weights) {
            let i = r * self.cols + c;
            // A corner of only hair has no skin tone; the others carry it.
            if let Some(h) = self.here.get(i).copied().flatten() {
                for k in 0..3 {
                    here[k] += w * h[k];
                }
                here_weight += w;
            }
            if let Some((u, s)) = self.unscarred.get(i).copied().flatten() {
                for k in 0..3 {
                    unscarred[k] += w * u[k];
                }
                share += w as f64 * s;
                unscarred_weight += w;
            }
        }
        if here_weight <= 0.0 {
            return None;
        }
        if unscarred_weight > 0.0 {
            unscarred = unscarred.map(|v| v / unscarred_weight);
        }
        Some((unscarred, share, here.map(|v| v / here_weight)))
    }
}

/// Sums over a window of `reach` cells either side, along rows (`across`) or columns.
fn box_sum(cells: &[[f64; 4]], cols: usize, rows: usize, reach: usize, across: bool) -> Vec<[f64; 4]> {
    let mut out = vec![[0.0f64; 4]; cells.len()];
    let (lines, len) = if across { (rows, cols) } else { (cols, rows) };
    let index = |line: usize, i: usize| if across { line * cols + i } else { i * cols + line };
    for line in 0..lines {
        for i in 0..len {
            let lo = i.saturating_sub(reach);
            let hi = (i + reach).min(len - 1);
            let mut total = [0.0f64; 4];
            for j in lo..=hi {
                let v = cells[index(line, j)];
                for k in 0..4 {
                    total[k] += v[k];
                }
            }
            out[index(line, i)] = total;
        }
    }
    out
}
