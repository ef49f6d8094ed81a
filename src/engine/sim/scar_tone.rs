//! Tone blending for scars. Scar tissue is often paler than the skin around it, and dots alone
//! then read as dots on a pale patch. Two corrections bring it toward its surroundings, both
//! scaled by the preset's `tone_blend` and the scar layer's coverage:
//!
//! - the scar's mean colour is matched to a ring of skin around it (a pale strip or patch);
//! - each scar pixel still clearly paler than the skin within a few millimetres is darkened
//!   toward it (the small round scars FUE extraction leaves, ≈ 1 mm, among normal skin).
//!
//! Both read the photo, the hair map and the scar layer only, never the other regions.

use super::Scene;
use super::distance::chamfer;
use crate::engine::color::srgb8_to_linear;
use crate::engine::mask::{PixelRect, RegionKind};

/// Width of the ring of skin around a scar whose colour the scar is matched to.
const RING_MM: f32 = 3.0;

/// Side of the cells the local skin colour is averaged in.
const CELL_MM: f32 = 0.5;

/// How far around a pixel its own skin is judged: wider than an FUE scar, narrow enough to
/// follow the photo's lighting.
const LOCAL_RADIUS_MM: f32 = 2.5;

/// Paleness the local correction leaves alone: normal skin texture and sheen.
const TOLERANCE: f32 = 0.08;

pub struct ScarTone {
    /// Per-channel gain (linear light) matching the scar's mean to the ring around it.
    gain: [f32; 3],
    local: Option<LocalSkin>,
}

impl ScarTone {
    /// `None` where nothing is to be blended: no scar painted, or blending turned off.
    pub fn compute(scene: &Scene) -> Option<ScarTone> {
        if scene.preset.scar.tone_blend <= 0.0 {
            return None;
        }
        let painted = scene.masks.get(RegionKind::Scar).painted_bounds();
        if painted.is_empty() {
            return None;
        }
        let gain = ring_gain(scene, painted).unwrap_or([1.0; 3]);
        Some(ScarTone { gain, local: LocalSkin::compute(scene, painted, gain) })
    }

    /// The factor (linear light, per channel) for the photo's pixel `skin` at `(x, y)`, before
    /// blending: the ring's gain, and where the pixel is then still clearly paler than the skin
    /// around it (itself after the ring's gain), the step down to that skin.
    #[inline]
    pub fn factor(&self, x: u32, y: u32, skin: [f32; 3]) -> [f32; 3] {
        let reference = self.local.as_ref().and_then(|l| l.at(x, y));
        std::array::from_fn(|c| {
            let toned = skin[c] * self.gain[c];
            let local = match reference {
                Some(r) if toned > 1e-4 => (r[c] * (1.0 + TOLERANCE) / toned).min(1.0),
                _ => 1.0,
            };
            self.gain[c] * local
        })
    }
}

/// The scar's mean colour (hair excluded) against a ring of skin around it.
fn ring_gain(scene: &Scene, painted: PixelRect) -> Option<[f32; 3]> {
    let mask = scene.masks.get(RegionKind::Scar);
    let ring_px = scene.settings.scale.px(RING_MM).ceil().max(1.0);
    let rect = painted.expand(ring_px as u32 + 1, mask.bounds());
    let w = (rect.x1 - rect.x0) as usize;
    let h = (rect.y1 - rect.y0) as usize;
    let mut dist = vec![1.0e9f32; w * h];
    for (row, y) in (rect.y0..rect.y1).enumerate() {
        for (col, x) in (rect.x0..rect.x1).enumerate() {
            if mask.get(x, y) > 0 {
                dist[row * w + col] = 0.0;
            }
        }
    }
    chamfer(&mut dist, w, h);
    let (mut inside, mut ring) = (([0.0f64; 3], 0usize), ([0.0f64; 3], 0usize));
    for (row, y) in (rect.y0..rect.y1).enumerate() {
        for (col, x) in (rect.x0..rect.x1).enumerate() {
            if scene.hair.is_some_and(|hair| hair.is_hair(x, y)) {
                continue;
            }
            let d = dist[row * w + col];
            let target = if mask.get(x, y) >= 192 {
                &mut inside
            } else if d > 0.0 && d <= ring_px {
                &mut ring
            } else {
                continue;
            };
            let p = scene.photo.get_pixel(x, y).0;
            for (sum, &v) in target.0.iter_mut().zip(&p) {
                *sum += srgb8_to_linear(v) as f64;
            }
            target.1 += 1;
        }
    }
    if inside.1 < 16 || ring.1 < 16 {
        return None;
    }
    Some(std::array::from_fn(|c| {
        let scar = inside.0[c] / inside.1 as f64;
        let skin = ring.0[c] / ring.1 as f64;
        (skin / scar.max(1e-4)).clamp(0.25, 4.0) as f32
    }))
}

/// Mean skin colour (linear light, hair excluded, scar pixels after the ring's gain) within
/// [`LOCAL_RADIUS_MM`] of each cell centre, on a grid aligned to the photo's origin, so a value
/// never depends on where the scar was painted.
struct LocalSkin {
    cell_px: u32,
    /// First cell column and row, and the grid's size in cells.
    cx0: u32,
    cy0: u32,
    cols: usize,
    rows: usize,
    mean: Vec<Option<[f32; 3]>>,
}

impl LocalSkin {
    fn compute(scene: &Scene, painted: PixelRect, gain: [f32; 3]) -> Option<LocalSkin> {
        if painted.is_empty() {
            return None;
        }
        let scar = scene.masks.get(RegionKind::Scar);
        let scale = scene.settings.scale;
        let cell_px = scale.px(CELL_MM).round().max(1.0) as u32;
        let reach = (LOCAL_RADIUS_MM / CELL_MM).ceil() as usize;
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
        // Sums and counts of skin pixels per cell.
        let mut sums = vec![[0.0f64; 4]; cols * rows];
        for y in cy0 * cell_px..(cy1 * cell_px).min(height) {
            let row = (y / cell_px - cy0) as usize;
            for x in cx0 * cell_px..(cx1 * cell_px).min(width) {
                if scene.hair.is_some_and(|hair| hair.is_hair(x, y)) {
                    continue;
                }
                let p = scene.photo.get_pixel(x, y).0;
                let toned = scar.get(x, y) >= 128;
                let cell = &mut sums[row * cols + (x / cell_px - cx0) as usize];
                for c in 0..3 {
                    let g = if toned { gain[c] } else { 1.0 };
                    cell[c] += (srgb8_to_linear(p[c]) * g) as f64;
                }
                cell[3] += 1.0;
            }
        }
        let sums = box_sum(&box_sum(&sums, cols, rows, reach, true), cols, rows, reach, false);
        let mean = sums
            .iter()
            .map(|s| (s[3] >= 1.0).then(|| std::array::from_fn(|c| (s[c] / s[3]) as f32)))
            .collect();
        Some(LocalSkin { cell_px, cx0, cy0, cols, rows, mean })
    }

    /// The skin colour around `(x, y)`, interpolated between cell centres.
    fn at(&self, x: u32, y: u32) -> Option<[f32; 3]> {
        let cell = self.cell_px as f32;
        let gx = (x as f32 + 0.5) / cell - 0.5 - self.cx0 as f32;
        let gy = (y as f32 + 0.5) / cell - 0.5 - self.cy0 as f32;
        let (c0, r0) = (gx.floor().max(0.0) as usize, gy.floor().max(0.0) as usize);
        let (c1, r1) = ((c0 + 1).min(self.cols - 1), (r0 + 1).min(self.rows - 1));
        let (fx, fy) = ((gx - c0 as f32).clamp(0.0, 1.0), (gy - r0 as f32).clamp(0.0, 1.0));
        let get = |c: usize, r: usize| self.mean.get(r * self.cols + c).copied().flatten();
        let (a, b, d, e) = (get(c0, r0)?, get(c1, r0)?, get(c0, r1)?, get(c1, r1)?);
        Some(std::array::from_fn(|i| {
            let top = a[i] + (b[i] - a[i]) * fx;
            let bottom = d[i] + (e[i] - d[i]) * fx;
            top + (bottom - top) * fy
        }))
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
