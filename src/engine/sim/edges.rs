//! Where a treated region meets the patient's own hair, the treatment blends into it the way an
//! artist works: over the last few millimetres inside the region, the look (native hair plus
//! dots) ramps from what the neighbouring native hair already gives to the full treatment, so
//! the region's edge shows neither a brush outline nor a bare ring against the fringe.
//!
//! Looks are compared on the photo itself: how much darker the scalp just beyond the edge is
//! than just inside it (native hair, its shadows and the haze of the shafts below the skin all
//! count), as a share of what the preset's dots take away at full density. Near the edge the
//! dots fill only that difference, ramping to the full treatment a few millimetres in; they are
//! never more than the region's interior would have. Where a region ends on bare skin its edge
//! is feathered a little, and the hairline's front keeps its own designed edge.

use super::Scene;
use super::distance::chamfer;
use crate::engine::color::srgb8_to_linear;
use crate::engine::mask::{PixelRect, RegionKind};

fn luminance(p: [u8; 3]) -> f32 {
    let [r, g, b] = p.map(srgb8_to_linear);
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

/// Depth over which a region's edge blends into what lies beyond it, mm.
pub const BLEND_MM: f32 = 4.0;

/// How far either side of the edge the scalp is compared, mm.
const NEIGHBOUR_MM: f32 = 2.5;

/// Side of the cells the blend is worked out on, mm.
const CELL_MM: f32 = 0.25;

/// How far around a pixel the scalp counts as "here", mm: about a dot's spacing.
const HERE_MM: f32 = 0.6;

/// Share of the full treatment at the very edge of a bald or scar region that ends on bare
/// skin: a soft edge, not a fade to nothing, and not a step either (a fifth of a treatment as
/// strong as healed SMP already reads as a margin).
const BARE_EDGE: f32 = 0.1;

/// Share of hair pixels beyond an edge from which it counts as native hair, not bare skin.
const HAIR_PIXELS: f32 = 0.01;

/// How far a change of the regions at one pixel can change the blend, mm.
pub fn reach_mm() -> f32 {
    BLEND_MM + NEIGHBOUR_MM + 2.0 * CELL_MM + 0.5
}

/// The blend near the edges of the painted regions.
pub struct EdgeBlend {
    /// The cells the blend covers, in cell units.
    grid: PixelRect,
    /// Side of a cell, px.
    cell: u32,
    /// Distance inside the painted union from its edge, cells.
    depth: Vec<f32>,
    /// How much darker the photo is just beyond the edge than just inside it, in shares of the
    /// full treatment, seen from each pixel near the edge.
    contrast: Vec<f32>,
    /// Whether native hair grows just beyond the edge (0 bare skin … 1 hair), seen from each
    /// pixel near the edge.
    hair_beyond: Vec<f32>,
    /// Depth of the blend, cells.
    blend: f32,
}

impl EdgeBlend {
    /// `full_darkening`: the share of light the preset's dots take away at full density.
    pub fn compute(scene: &Scene, full_darkening: f32) -> Option<EdgeBlend> {
        let masks = scene.masks;
        let painted = RegionKind::ALL
            .iter()
            .map(|&k| masks.get(k).painted_bounds())
            .fold(PixelRect { x0: 0, y0: 0, x1: 0, y1: 0 }, PixelRect::union);
        if painted.is_empty() {
            return None;
        }
        let scale = scene.settings.scale;
        // The blend changes over millimetres: a grid of quarter-millimetre cells, aligned to
        // the photo's corner so that a cell reads the same wherever the regions reach.
        let cell = (scale.px(CELL_MM).round() as u32).max(1);
        let cells = |px: f32| (px / cell as f32).ceil().max(1.0) as usize;
        let blend = scale.px(BLEND_MM) / cell as f32;
        let (reach, here) = (cells(scale.px(NEIGHBOUR_MM)), cells(scale.px(HERE_MM)));
        let margin = (scale.px(BLEND_MM + NEIGHBOUR_MM)).ceil() as u32 + 2 * cell;
        let (width, height) = (masks.width(), masks.height());
        let rect = painted.expand(margin, PixelRect::full(width, height));
        let grid = PixelRect {
            x0: rect.x0 / cell,
            y0: rect.y0 / cell,
            x1: rect.x1.div_ceil(cell),
            y1: rect.y1.div_ceil(cell),
        };
        let (w, h) = ((grid.x1 - grid.x0) as usize, (grid.y1 - grid.y0) as usize);
        // Each cell is read at its middle pixel.
        let sample = |i: usize| {
            let x = ((grid.x0 + (i % w) as u32) * cell + cell / 2).min(width - 1);
            let y = ((grid.y0 + (i / w) as u32) * cell + cell / 2).min(height - 1);
            (x, y)
        };
        let outside: Vec<bool> = (0..w * h)
            .map(|i| {
                let (x, y) = sample(i);
                RegionKind::ALL.iter().all(|&k| masks.get(k).get(x, y) < 128)
            })
            .collect();
        let mut depth: Vec<f32> = outside.iter().map(|&o| if o { 0.0 } else { 1.0e9 }).collect();
        chamfer(&mut depth, w, h);
        // Sums of the photo's light inside and outside, and of the hair outside, as
        // summed-area tables.
        let stride = w + 1;
        let mut light_in = vec![0.0f64; stride * (h + 1)];
        let mut light_out = vec![0.0f64; stride * (h + 1)];
        let mut count_in = vec![0u32; stride * (h + 1)];
        let mut hair_out = vec![0.0f64; stride * (h + 1)];
        for row in 0..h {
            for col in 0..w {
                let i = row * w + col;
                let (x, y) = sample(i);
                let light = luminance(scene.photo.get_pixel(x, y).0) as f64;
                let hair = scene.hair.map_or(0.0, |m| if m.is_hair(x, y) { 1.0 } else { 0.0 });
                let (a, b, n, hh) = if outside[i] { (0.0, light, 0, hair) } else { (light, 0.0, 1, 0.0) };
                let j = (row + 1) * stride + col + 1;
                light_in[j] = a + light_in[j - 1] + light_in[j - stride] - light_in[j - stride - 1];
                light_out[j] = b + light_out[j - 1] + light_out[j - stride] - light_out[j - stride - 1];
                count_in[j] = n + count_in[j - 1] + count_in[j - stride] - count_in[j - stride - 1];
                hair_out[j] = hh + hair_out[j - 1] + hair_out[j - stride] - hair_out[j - stride - 1];
            }
        }
        let window = |col: usize, row: usize, r: usize| {
            ((col.saturating_sub(r), (col + r + 1).min(w)), (row.saturating_sub(r), (row + r + 1).min(h)))
        };
        let sum = |t: &[f64], ((c0, c1), (r0, r1)): ((usize, usize), (usize, usize))| {
            t[r1 * stride + c1] + t[r0 * stride + c0] - t[r0 * stride + c1] - t[r1 * stride + c0]
        };
        let count = |((c0, c1), (r0, r1)): ((usize, usize), (usize, usize))| {
            count_in[r1 * stride + c1] + count_in[r0 * stride + c0]
                - count_in[r0 * stride + c1]
                - count_in[r1 * stride + c0]
        };
        let mut contrast = vec![0.0f32; w * h];
        let mut hair_beyond = vec![0.0f32; w * h];
        for i in 0..w * h {
            if outside[i] || depth[i] >= blend || full_darkening <= 0.0 {
                continue;
            }
            let (col, row) = (i % w, i / w);
            let around = window(col, row, reach);
            let ((c0, c1), (r0, r1)) = around;
            let n_in = count(around);
            let n_out = ((r1 - r0) * (c1 - c0)) as u32 - n_in;
            if n_in == 0 || n_out == 0 {
                continue;
            }
            // The scalp right here against the scalp beyond: what the dots must add to match.
            let near = window(col, row, here);
            let mean_here = sum(&light_in, near) / count(near).max(1) as f64;
            let mean_out = sum(&light_out, around) / n_out as f64;
            if mean_here > 0.0 {
                contrast[i] = ((1.0 - mean_out / mean_here) as f32 / full_darkening).max(0.0);
            }
            hair_beyond[i] = ((sum(&hair_out, around) / n_out as f64) as f32 / HAIR_PIXELS).min(1.0);
        }
        Some(EdgeBlend { grid, cell, depth, contrast, hair_beyond, blend })
    }

    fn index(&self, x: u32, y: u32) -> Option<usize> {
        let (cx, cy) = (x / self.cell, y / self.cell);
        self.grid.contains(cx, cy).then(|| {
            let w = (self.grid.x1 - self.grid.x0) as usize;
            (cy - self.grid.y0) as usize * w + (cx - self.grid.x0) as usize
        })
    }

    /// Position across the blend: 0 at a region's edge, 1 from [`BLEND_MM`] inside on.
    pub fn ramp(&self, x: u32, y: u32) -> f32 {
        let Some(i) = self.index(x, y) else { return 1.0 };
        let t = (self.depth[i] / self.blend).clamp(0.0, 1.0);
        t * t * (3.0 - 2.0 * t)
    }

    /// The share of full density for dots at a pixel of a `region` whose interior would have
    /// `interior` (the target, less what native hair already gives): near the edge, only what
    /// the scalp beyond is darker than the scalp here, ramping to the interior's. `diffuse` is
    /// the share of the light there that pigment can dim.
    pub fn dots_share(&self, region: RegionKind, x: u32, y: u32, interior: f32, diffuse: f32) -> f32 {
        let Some(i) = self.index(x, y) else { return interior };
        let t = self.ramp(x, y);
        if t >= 1.0 {
            return interior;
        }
        let contrast = (self.contrast[i] / diffuse.max(0.05)).min(1.0);
        let edge = match region {
            // The hairline's front is its own design (its feather): only where the scalp
            // beyond is darker (hair behind it) does it blend.
            RegionKind::Hairline if contrast <= 0.0 => return interior,
            RegionKind::Hairline => contrast,
            // Against bare skin a soft edge; against native hair, whatever matches it.
            RegionKind::Bald | RegionKind::Scar => contrast.max(BARE_EDGE * (1.0 - self.hair_beyond[i])),
        };
        (edge + (interior - edge) * t).min(interior)
    }
}

/// Native hair's darkening as a share of the full treatment's.
pub fn hair_share(darkening: f32, full_darkening: f32) -> f32 {
    if full_darkening <= 0.0 { 0.0 } else { (darkening / full_darkening).clamp(0.0, 1.0) }
}
