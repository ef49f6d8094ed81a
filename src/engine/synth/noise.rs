//! Noise: value-noise grids and fractal sums keyed by seed.

use super::*;

/// Stream tags: each random quantity hashes the seed with its own tag, so adding one never
/// shifts the others.
pub(super) const TAG_MOTTLE: u64 = 11;
pub(super) const TAG_TONE: u64 = 12;
pub(super) const TAG_OIL: u64 = 13;
pub(super) const TAG_MICRO: u64 = 14;
pub(super) const TAG_FURROW: u64 = 15;
pub(super) const TAG_GRAIN: u64 = 16;
pub(super) const TAG_SITE: u64 = 21;
pub(super) const TAG_GROWTH: u64 = 22;
pub(super) const TAG_BOUNDARY: u64 = 31;
pub(super) const TAG_CROWN: u64 = 32;
pub(super) const TAG_PATCHES: u64 = 33;
pub(super) const TAG_FLOW: u64 = 41;
pub(super) const TAG_SUN_SPOT: u64 = 51;
pub(super) const TAG_SPOT_EDGE: u64 = 52;

/// Value noise on a precomputed lattice covering the frame (plus margin): lookups are a few
/// multiplies, so per-pixel texture stays cheap.
pub(super) struct NoiseGrid {
    pub(super) cell_mm: f32,
    pub(super) origin_mm: f32,
    pub(super) cols: usize,
    pub(super) rows: usize,
    pub(super) values: Vec<f32>,
}

impl NoiseGrid {
    pub(super) fn new(seed: u64, tag: u64, cell_mm: f32, frame: &Frame) -> Self {
        let margin_mm = SITE_MARGIN_MM + cell_mm;
        let cols = ((frame.width_mm + 2.0 * margin_mm) / cell_mm).ceil() as usize + 2;
        let rows = ((frame.height_mm + 2.0 * margin_mm) / cell_mm).ceil() as usize + 2;
        let mut values = Vec::with_capacity(cols * rows);
        for r in 0..rows {
            for c in 0..cols {
                values.push(unit(hash3(seed, tag, c as i64, r as i64)) as f32 * 2.0 - 1.0);
            }
        }
        Self { cell_mm, origin_mm: -margin_mm, cols, rows, values }
    }

    /// Smoothly interpolated value in about `[-1, 1]`.
    pub(super) fn at(&self, x_mm: f32, y_mm: f32) -> f32 {
        let gx = ((x_mm - self.origin_mm) / self.cell_mm).clamp(0.0, (self.cols - 2) as f32);
        let gy = ((y_mm - self.origin_mm) / self.cell_mm).clamp(0.0, (self.rows - 2) as f32);
        let (ix, iy) = (gx as usize, gy as usize);
        let (sx, sy) = (fade(gx - ix as f32), fade(gy - iy as f32));
        let i = iy * self.cols + ix;
        let top = lerp(self.values[i], self.values[i + 1], sx);
        let bottom = lerp(self.values[i + self.cols], self.values[i + self.cols + 1], sx);
        lerp(top, bottom, sy)
    }
}

/// Quintic fade: continuous second derivative, so no creases along lattice lines.
pub(super) fn fade(t: f32) -> f32 {
    t * t * t * (t * (t * 6.0 - 15.0) + 10.0)
}

/// Fractal sum of value-noise octaves, normalised to about `[-1, 1]`.
pub(super) struct Fbm {
    pub(super) octaves: Vec<NoiseGrid>,
}

impl Fbm {
    pub(super) fn new(seed: u64, tag: u64, coarse_cell_mm: f32, octaves: usize, frame: &Frame) -> Self {
        // Octaves are not exact halvings, so their lattices never line up.
        let mut cell_mm = coarse_cell_mm;
        let mut grids = Vec::with_capacity(octaves);
        for i in 0..octaves {
            grids.push(NoiseGrid::new(seed, tag * 16 + i as u64, cell_mm, frame));
            cell_mm *= 0.535;
        }
        Self { octaves: grids }
    }

    pub(super) fn at(&self, x_mm: f32, y_mm: f32) -> f32 {
        let mut sum = 0.0;
        let mut amplitude = 1.0;
        let mut norm = 0.0;
        for octave in &self.octaves {
            sum += amplitude * octave.at(x_mm, y_mm);
            norm += amplitude;
            amplitude *= 0.5;
        }
        // Summed value noise rarely leaves ±0.6 of the amplitude sum; stretch to use ±1.
        (sum / norm * 1.6).clamp(-1.0, 1.0)
    }
}
