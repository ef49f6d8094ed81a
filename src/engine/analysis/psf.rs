//! The photo's own blur: how far its optics and processing spread a point of light.
//!
//! Dots rendered sharper than the rest of a photo are the first thing that gives a simulation
//! away, so the renderer blurs the light through the pigment with the photo's own point-spread
//! function (PSF), modelled as a Gaussian of σ pixels on top of the sensor's pixel integration.
//!
//! The estimate comes from structures whose true profile is known: step edges (a silhouette,
//! the edge of a hair mass) and hair shafts, whose width is 0.06–0.10 mm. Blurred by a Gaussian
//! of variance `s²`, a straight step's gradient at its centre falls with scale `t` as
//! `(s² + t)^(-1/2)` and a thin line's second derivative as `(s² + t)^(-3/2)`. Measuring those
//! derivatives at ten scales around each structure and fitting the law gives `s²`, free of the
//! structure's contrast; the pixel's own aperture (variance 1/12 px²) and a hair's width are
//! then taken out. The sharpest structures in each part of the photo tell its focus there, so
//! the map follows focus that varies across the head.

use crate::engine::color::srgb8_to_linear;
use image::RgbImage;
use rayon::prelude::*;

/// Variance a pixel's own aperture adds to every structure, px² (a box one pixel wide).
pub const PIXEL_VARIANCE: f32 = 1.0 / 12.0;

/// Width of a terminal hair shaft (DOMAIN.md: 0.06–0.10 mm).
const HAIR_WIDTH_MM: f32 = 0.08;

/// Blur assumed where nothing in the photo tells: a photo about as sharp as its pixels.
pub const FALLBACK_SIGMA_PX: f32 = 0.5;

/// Largest blur the estimate reports, px: beyond it no scalp detail survives anyway.
const MAX_SIGMA_PX: f32 = 6.0;

/// Scales (σ of the Gaussian derivative filters, px) at which each structure is measured.
const SCALES_PX: [f32; 10] = [0.7, 0.85, 1.0, 1.2, 1.45, 1.75, 2.1, 2.5, 3.0, 3.6];

/// Coarsest scale (as variance, px²) of the first fit.
const FINE_SCALES_T: f32 = 3.1;

/// Half-size of the patch a structure is measured in: three of the widest filter's σ.
const PATCH_RADIUS: i64 = 12;

/// Structures must stand this many noise deviations above the photo's noise to be measured.
const MIN_SNR: f32 = 10.0;

/// Curvature along a ridge, relative to across it, above which it counts as a short spot.
const SPOT_CURVATURE: f32 = 0.2;

/// Signal-to-noise ratio a response must reach at one scale to count.
const MIN_SAMPLE_SNR: f32 = 4.0;

/// Weight (squared signal-to-noise ratio) beyond which a scale counts no more: coarse scales are
/// the least noisy but the most cluttered by neighbouring structures.
const MAX_WEIGHT: f32 = 400.0;

/// Largest rms misfit (natural log units) of the blur law accepted for one structure.
const MAX_MISFIT: f32 = 0.1;

/// Which quantile of the measured blurs in one part of the photo stands for its focus: scene
/// structures are at least as blurred as the optics, so the sharp end of the spread is the PSF.
const FOCUS_QUANTILE: f32 = 0.3;

/// Parts of the photo (along its longer side) the focus map distinguishes.
const MAP_CELLS: usize = 8;

/// Fewest measured structures that make one part of the map stand on its own.
const MIN_PER_CELL: usize = 6;

/// The photo's blur: σ of its Gaussian PSF in pixels, over the photo.
#[derive(Clone, Debug, PartialEq)]
pub struct PsfMap {
    cols: usize,
    rows: usize,
    cell_w_px: f32,
    cell_h_px: f32,
    /// σ per cell, px (the pixel's own aperture excluded).
    sigma_px: Vec<f32>,
    summary_px: f32,
    measured: usize,
}

impl PsfMap {
    /// The same blur everywhere (a photo whose blur is known, or set by hand).
    pub fn uniform(sigma_px: f32) -> Self {
        let sigma_px = sigma_px.clamp(0.0, MAX_SIGMA_PX);
        Self {
            cols: 1,
            rows: 1,
            cell_w_px: 1.0,
            cell_h_px: 1.0,
            sigma_px: vec![sigma_px],
            summary_px: sigma_px,
            measured: 0,
        }
    }

    /// σ of the PSF at a point of the photo, px, interpolated between the map's cells.
    pub fn sigma_px(&self, x: f32, y: f32) -> f32 {
        let gx = (x / self.cell_w_px - 0.5).clamp(0.0, (self.cols - 1) as f32);
        let gy = (y / self.cell_h_px - 0.5).clamp(0.0, (self.rows - 1) as f32);
        let (c0, r0) = (gx as usize, gy as usize);
        let (c1, r1) = ((c0 + 1).min(self.cols - 1), (r0 + 1).min(self.rows - 1));
        let (fx, fy) = (gx - c0 as f32, gy - r0 as f32);
        let at = |c: usize, r: usize| self.sigma_px[r * self.cols + c];
        let top = at(c0, r0) + (at(c1, r0) - at(c0, r0)) * fx;
        let bottom = at(c0, r1) + (at(c1, r1) - at(c0, r1)) * fx;
        top + (bottom - top) * fy
    }

    /// One figure for the whole photo, px: what a person is told ("photo sharpness 0.12 mm").
    pub fn summary_px(&self) -> f32 {
        self.summary_px
    }

    /// The sharpest and blurriest parts of the photo, px.
    pub fn range_px(&self) -> (f32, f32) {
        let min = self.sigma_px.iter().copied().fold(f32::INFINITY, f32::min);
        let max = self.sigma_px.iter().copied().fold(0.0, f32::max);
        (min, max)
    }

    /// How many structures the estimate rests on (0: nothing measurable, a fallback is used).
    pub fn measured(&self) -> usize {
        self.measured
    }
}

/// One structure measured: where, its blur, and how much to trust it.
#[derive(Clone, Copy, Debug)]
struct Measurement {
    x: f32,
    y: f32,
    /// σ² of the optical blur, px².
    variance: f32,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// A step between two levels: a silhouette, the edge of a mass of hair.
    Edge,
    /// A thin line or an elongated spot: a hair shaft, long or cut short.
    Ridge,
}

/// A point worth measuring: its position and the direction across the structure.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    x: f32,
    y: f32,
    nx: f32,
    ny: f32,
    kind: Kind,
}

/// Estimates the PSF of `photo` (σ in pixels) from its edges and hair shafts.
pub fn estimate(photo: &RgbImage, px_per_mm: f32) -> PsfMap {
    let (w, h) = (photo.width() as usize, photo.height() as usize);
    if w < 2 * PATCH_RADIUS as usize + 3 || h < 2 * PATCH_RADIUS as usize + 3 {
        return PsfMap::uniform(FALLBACK_SIGMA_PX);
    }
    let luma = |x: usize, y: usize| -> f32 {
        let p = photo.get_pixel(x as u32, y as u32).0;
        0.2126 * srgb8_to_linear(p[0]) + 0.7152 * srgb8_to_linear(p[1]) + 0.0722 * srgb8_to_linear(p[2])
    };
    let noise = noise_sigma(&luma, w, h);
    let hair_px = HAIR_WIDTH_MM * px_per_mm;
    // Candidate cells small enough to find many structures, few enough to stay quick on 12 MP.
    let cell = ((w * h) as f64 / 4_000.0).sqrt().ceil().max(16.0) as usize;
    let cells: Vec<(usize, usize)> =
        (0..h.div_ceil(cell)).flat_map(|cy| (0..w.div_ceil(cell)).map(move |cx| (cx, cy))).collect();
    let measurements: Vec<Measurement> = cells
        .par_iter()
        .flat_map_iter(|&(cx, cy)| {
            let rect = (cx * cell, cy * cell, ((cx + 1) * cell).min(w), ((cy + 1) * cell).min(h));
            candidates(&luma, w, h, rect, noise)
                .into_iter()
                .filter_map(|c| measure(&luma, w, h, c, noise, hair_px))
                .collect::<Vec<_>>()
        })
        .collect();
    aggregate(&measurements, w, h)
}

/// Noise σ of the linear luminance: the median response of a filter that cancels smooth
/// shading and straight edges (Immerkær), over a subsample of rows.
fn noise_sigma(luma: &impl Fn(usize, usize) -> f32, w: usize, h: usize) -> f32 {
    let mut values = Vec::new();
    let step = (h / 200).max(1);
    for y in (1..h - 1).step_by(step) {
        for x in (1..w - 1).step_by(2) {
            let v = luma(x - 1, y - 1) + luma(x + 1, y - 1) + luma(x - 1, y + 1) + luma(x + 1, y + 1)
                - 2.0 * (luma(x, y - 1) + luma(x - 1, y) + luma(x + 1, y) + luma(x, y + 1))
                + 4.0 * luma(x, y);
            values.push(v.abs());
        }
    }
    if values.is_empty() {
        return 1e-3;
    }
    let mid = values.len() / 2;
    let (_, median, _) = values.select_nth_unstable_by(mid, f32::total_cmp);
    // |N(0, σ·6)| has median 0.6745 · 6σ.
    (*median / (0.6745 * 6.0)).max(1e-4)
}

/// The strongest clean edge and the strongest clean line in one cell of the photo.
fn candidates(
    luma: &impl Fn(usize, usize) -> f32,
    w: usize,
    h: usize,
    (x0, y0, x1, y1): (usize, usize, usize, usize),
    noise: f32,
) -> Vec<Candidate> {
    const BORDER: usize = 6;
    let margin = PATCH_RADIUS as usize + 2;
    let (ax0, ay0) = (x0.max(margin), y0.max(margin));
    let (ax1, ay1) = (x1.min(w - margin), y1.min(h - margin));
    if ax0 >= ax1 || ay0 >= ay1 {
        return Vec::new();
    }
    // The cell, lightly smoothed ([1 2 1]/4 both ways), with a border for the tests below.
    let (pw, ph) = (ax1 - ax0 + 2 * BORDER, ay1 - ay0 + 2 * BORDER);
    let mut raw = vec![0.0f32; (pw + 2) * (ph + 2)];
    for row in 0..ph + 2 {
        for col in 0..pw + 2 {
            raw[row * (pw + 2) + col] = luma(ax0 + col - BORDER - 1, ay0 + row - BORDER - 1);
        }
    }
    let mut across = vec![0.0f32; pw * (ph + 2)];
    for row in 0..ph + 2 {
        for col in 0..pw {
            let i = row * (pw + 2) + col;
            across[row * pw + col] = 0.25 * raw[i] + 0.5 * raw[i + 1] + 0.25 * raw[i + 2];
        }
    }
    let mut s = vec![0.0f32; pw * ph];
    for row in 0..ph {
        for col in 0..pw {
            s[row * pw + col] = 0.25 * across[row * pw + col]
                + 0.5 * across[(row + 1) * pw + col]
                + 0.25 * across[(row + 2) * pw + col];
        }
    }
    let at = |col: usize, row: usize| s[row * pw + col];
    // Noise after smoothing: the [1 2 1]/4 kernel keeps (6/16) of the variance per axis.
    let smooth_noise = noise * 0.375;
    let grad_floor = MIN_SNR * smooth_noise * std::f32::consts::FRAC_1_SQRT_2;
    let line_floor = MIN_SNR * smooth_noise * 2.45;
    let mut best_edge: Option<(f32, Candidate)> = None;
    let mut best_line: Option<(f32, Candidate)> = None;
    let grad = |col: usize, row: usize| {
        let gx = 0.5 * (at(col + 1, row) - at(col - 1, row));
        let gy = 0.5 * (at(col, row + 1) - at(col, row - 1));
        (gx, gy)
    };
    for row in BORDER..ph - BORDER {
        for col in BORDER..pw - BORDER {
            let (gx, gy) = grad(col, row);
            let g = (gx * gx + gy * gy).sqrt();
            let hxx = at(col + 1, row) - 2.0 * at(col, row) + at(col - 1, row);
            let hyy = at(col, row + 1) - 2.0 * at(col, row) + at(col, row - 1);
            let hxy = 0.25
                * (at(col + 1, row + 1) - at(col - 1, row + 1) - at(col + 1, row - 1) + at(col - 1, row - 1));
            let (x, y) = ((ax0 + col - BORDER) as f32, (ay0 + row - BORDER) as f32);
            if g > grad_floor {
                let (nx, ny) = (gx / g, gy / g);
                let (sx, sy) = (nx.round() as i64, ny.round() as i64);
                let neighbour = |k: i64| {
                    let (c, r) = ((col as i64 + k * sx) as usize, (row as i64 + k * sy) as usize);
                    let (a, b) = grad(c, r);
                    (a * a + b * b).sqrt()
                };
                let (before, after) = (neighbour(-1), neighbour(1));
                // A step, not the flank of a thin line: the light settles at another level.
                let level = |k: f32| {
                    let c = (col as f32 + k * nx).round() as usize;
                    let r = (row as f32 + k * ny).round() as usize;
                    at(c, r)
                };
                let (low, mid, high) = (level(-STEP_REACH_PX), at(col, row), level(STEP_REACH_PX));
                let step = high - low;
                let is_step = step > g && high - mid > 0.25 * step && mid - low > 0.25 * step;
                // A straight edge, not the flank of a short stroke: it runs on either side
                // with about the same slope.
                let runs_on = |k: f32| {
                    let c = (col as f32 - k * ny).round() as usize;
                    let r = (row as f32 + k * nx).round() as usize;
                    let (a, b) = grad(c, r);
                    a * nx + b * ny > EDGE_CONTINUITY * g
                };
                let is_step = is_step && [-4.0, -2.0, 2.0, 4.0].into_iter().all(runs_on);
                // JPEG's 8 × 8 blocks leave perfectly sharp straight steps on their borders in a
                // noisy, compressed photo: they tell nothing of the optics.
                let block_edge = |pos: f32, along_axis: f32| {
                    along_axis.abs() > 0.95
                        && ((pos + 0.5).rem_euclid(8.0) - 0.0).min(8.0 - (pos + 0.5).rem_euclid(8.0)) < 1.0
                };
                let is_step = is_step && !block_edge(x + 0.5, nx) && !block_edge(y + 0.5, ny);
                if is_step && g >= before && g > after {
                    // Sub-pixel centre: the peak of a parabola through the three magnitudes.
                    let curvature = before - 2.0 * g + after;
                    let shift = if curvature < 0.0 { 0.5 * (before - after) / curvature } else { 0.0 };
                    let score = g / grad_floor;
                    let candidate = Candidate {
                        x: x + 0.5 + shift * sx as f32,
                        y: y + 0.5 + shift * sy as f32,
                        nx,
                        ny,
                        kind: Kind::Edge,
                    };
                    if best_edge.is_none_or(|(s, _)| score > s) {
                        best_edge = Some((score, candidate));
                    }
                }
            }
            // Hessian eigen-decomposition: λ1 the larger in magnitude, across the structure.
            let (l1, l2, nx, ny) = eigen(hxx, hxy, hyy);
            if l1.abs() > line_floor && (l2 == 0.0 || l2.signum() == l1.signum() || l2.abs() < 0.5 * l1.abs())
            {
                let along_n = |k: i64| {
                    let (c, r) = (
                        (col as i64 + k * nx.round() as i64) as usize,
                        (row as i64 + k * ny.round() as i64) as usize,
                    );
                    let hxx = at(c + 1, r) - 2.0 * at(c, r) + at(c - 1, r);
                    let hyy = at(c, r + 1) - 2.0 * at(c, r) + at(c, r - 1);
                    let hxy =
                        0.25 * (at(c + 1, r + 1) - at(c - 1, r + 1) - at(c + 1, r - 1) + at(c - 1, r - 1));
                    eigen(hxx, hxy, hyy).0.abs()
                };
                if l1.abs() >= along_n(-1) && l1.abs() > along_n(1) {
                    // At the centre of a line or spot the slope vanishes: one Newton step.
                    let (mx, my) = (-ny, nx);
                    let shift_n = -(gx * nx + gy * ny) / l1;
                    let shift_m = if l2.signum() == l1.signum() && l2.abs() > 0.25 * l1.abs() {
                        -(gx * mx + gy * my) / l2
                    } else {
                        0.0
                    };
                    if shift_n.abs() <= 0.7 && shift_m.abs() <= 0.7 {
                        let score = l1.abs() / line_floor;
                        let candidate = Candidate {
                            x: x + 0.5 + shift_n * nx + shift_m * mx,
                            y: y + 0.5 + shift_n * ny + shift_m * my,
                            nx,
                            ny,
                            kind: Kind::Ridge,
                        };
                        if best_line.is_none_or(|(s, _)| score > s) {
                            best_line = Some((score, candidate));
                        }
                    }
                }
            }
        }
    }
    best_edge.into_iter().chain(best_line).map(|(_, c)| c).collect()
}

/// Eigen-decomposition of a 2×2 Hessian: the eigenvalue larger in magnitude, the other, and
/// the unit eigenvector of the first.
fn eigen(hxx: f32, hxy: f32, hyy: f32) -> (f32, f32, f32, f32) {
    let half_trace = 0.5 * (hxx + hyy);
    let root = (0.25 * (hxx - hyy) * (hxx - hyy) + hxy * hxy).sqrt();
    let (la, lb) = (half_trace + root, half_trace - root);
    let (l1, l2) = if la.abs() >= lb.abs() { (la, lb) } else { (lb, la) };
    let (nx, ny) = (hxy, l1 - hxx);
    let norm = (nx * nx + ny * ny).sqrt();
    let (nx, ny) = if norm < 1e-12 {
        if hxx.abs() >= hyy.abs() { (1.0, 0.0) } else { (0.0, 1.0) }
    } else {
        (nx / norm, ny / norm)
    };
    (l1, l2, nx, ny)
}

/// Measures one structure: its derivatives at every scale, and the blur that explains how
/// they fall.
fn measure(
    luma: &impl Fn(usize, usize) -> f32,
    w: usize,
    h: usize,
    c: Candidate,
    noise: f32,
    hair_px: f32,
) -> Option<Measurement> {
    let (px, py) = (c.x.floor() as i64, c.y.floor() as i64);
    if px < PATCH_RADIUS
        || py < PATCH_RADIUS
        || px + PATCH_RADIUS >= w as i64
        || py + PATCH_RADIUS >= h as i64
    {
        return None;
    }
    let side = (2 * PATCH_RADIUS + 1) as usize;
    let mut patch = Vec::with_capacity(side * side);
    for dy in -PATCH_RADIUS..=PATCH_RADIUS {
        for dx in -PATCH_RADIUS..=PATCH_RADIUS {
            patch.push(luma((px + dx) as usize, (py + dy) as usize));
        }
    }
    let mut across = [0.0f32; SCALES_PX.len()];
    let mut along = [0.0f32; SCALES_PX.len()];
    let mut noise_across = [0.0f32; SCALES_PX.len()];
    let mut noise_along = [0.0f32; SCALES_PX.len()];
    let centre = (c.x - px as f32, c.y - py as f32);
    let (order, m) = match c.kind {
        Kind::Edge => (1, (c.nx, c.ny)),
        Kind::Ridge => (2, (-c.ny, c.nx)),
    };
    for (k, &sigma) in SCALES_PX.iter().enumerate() {
        let (value, norm) = directional_derivative(&patch, side, centre, (c.nx, c.ny), sigma, order);
        across[k] = value;
        noise_across[k] = noise * norm;
        if c.kind == Kind::Ridge {
            let (value, norm) = directional_derivative(&patch, side, centre, m, sigma, 2);
            along[k] = value;
            noise_along[k] = noise * norm;
        }
    }
    // Oriented so the finest response is positive; a sign change means another structure
    // intrudes at coarser scales.
    let sign = across[0].signum();
    if across[0] * sign < MIN_SNR * noise_across[0] {
        return None;
    }
    let samples = |values: &[f32], noise: &[f32]| -> Vec<Sample> {
        values
            .iter()
            .zip(noise)
            .enumerate()
            .map(|(k, (&r, &n))| (r * sign, n, k))
            .filter(|&(r, n, _)| r > MIN_SAMPLE_SNR * n)
            // Noise adds to the response's energy: take it out.
            .map(|(r, n, k)| ((r * r - n * n).sqrt().ln(), (r / n).powi(2).min(MAX_WEIGHT), k))
            .collect()
    };
    if c.kind == Kind::Edge && !is_step(&patch, side, centre, (c.nx * sign, c.ny * sign)) {
        return None;
    }
    // A short spot curves along itself too, a long line does not: the spot's law applies only
    // where the finest scale sees clear curvature both ways.
    let spot = along[0] * sign > SPOT_CURVATURE * across[0] * sign;
    let across = samples(&across, &noise_across);
    if across.len() < SCALES_PX.len() - 2 {
        return None;
    }
    let along = samples(&along, &noise_along);
    let along = if spot && along.len() >= SCALES_PX.len() - 2 { along } else { Vec::new() };
    let fit = |t_max: f32| {
        let near = |v: &[Sample]| v.iter().copied().filter(|s| t(s.2) <= t_max).collect::<Vec<_>>();
        match c.kind {
            Kind::Edge => fit_edge(&near(&across)),
            Kind::Ridge => fit_ridge(&near(&across), &near(&along)),
        }
    };
    // Scales much coarser than the blur only add clutter from neighbouring structures: fit the
    // fine scales first and widen only for a blurred photo.
    let (mut s2, mut misfit) = fit(FINE_SCALES_T)?;
    if s2 * 4.0 > FINE_SCALES_T {
        (s2, misfit) = fit((s2 * 4.0).max(FINE_SCALES_T))?;
    }
    if c.kind == Kind::Ridge {
        s2 -= hair_px * hair_px / 12.0;
    }
    if misfit > MAX_MISFIT {
        return None;
    }
    let variance = (s2 - PIXEL_VARIANCE).clamp(0.0, MAX_SIGMA_PX * MAX_SIGMA_PX);
    Some(Measurement { x: c.x, y: c.y, variance })
}

/// Whether the light really steps from one level to another across `centre` along `n` (the
/// flank of a thin line also has a steep gradient, but the light returns to its level).
fn is_step(patch: &[f32], side: usize, centre: (f32, f32), (nx, ny): (f32, f32)) -> bool {
    let sample = |d: f32| {
        // Bilinear, in patch coordinates (pixel centres at integer + 0.5).
        let x = centre.0 + PATCH_RADIUS as f32 - 0.5 + d * nx;
        let y = centre.1 + PATCH_RADIUS as f32 - 0.5 + d * ny;
        let (x0, y0) = (x.floor().clamp(0.0, (side - 2) as f32), y.floor().clamp(0.0, (side - 2) as f32));
        let (fx, fy) = ((x - x0).clamp(0.0, 1.0), (y - y0).clamp(0.0, 1.0));
        let (i, j) = (x0 as usize, y0 as usize);
        let at = |c: usize, r: usize| patch[r * side + c];
        let top = at(i, j) + (at(i + 1, j) - at(i, j)) * fx;
        let bottom = at(i, j + 1) + (at(i + 1, j + 1) - at(i, j + 1)) * fx;
        top + (bottom - top) * fy
    };
    let mean = |d: f32| (sample(d) + sample(d + 0.7) + sample(d - 0.7)) / 3.0;
    let (low, mid, high) = (mean(-STEP_REACH_PX), sample(0.0), mean(STEP_REACH_PX));
    let step = high - low;
    step > 0.0 && high - mid > 0.25 * step && mid - low > 0.25 * step
}

/// Share of an edge's slope it must keep 2 and 4 px along itself, either way.
const EDGE_CONTINUITY: f32 = 0.6;

/// How far either side of an edge its two levels are read, px.
const STEP_REACH_PX: f32 = 4.0;
const _: () = assert!(STEP_REACH_PX < 6.0);

/// Candidate variances searched: logarithmic from 0.01 px² in steps of 11 %.
const GRID_START: f32 = 0.01;
const GRID_STEP: f32 = 1.11;
/// Grid points searched for the blur (up to about 40 px²), and beyond for a spot's length.
const GRID_POINTS: usize = 81;
/// Elongations of a spot tried (variance along over across), as steps of the grid; the last
/// stands for a line.
const ELONGATION_STEPS: [usize; 12] = [0, 3, 5, 7, 9, 11, 13, 15, 18, 21, 24, 29];

fn grid(i: usize) -> f32 {
    GRID_START * GRID_STEP.powi(i as i32)
}

/// `ln(grid(i) + t_k)` for every grid point and scale, computed once.
fn log_table() -> &'static Vec<[f32; SCALES_PX.len()]> {
    static TABLE: std::sync::OnceLock<Vec<[f32; SCALES_PX.len()]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..GRID_POINTS + 30)
            .map(|i| std::array::from_fn(|k| (grid(i) + SCALES_PX[k] * SCALES_PX[k]).ln()))
            .collect()
    })
}

/// One measured response: its log, its weight and the index of its scale.
type Sample = (f32, f32, usize);

/// Weighted least squares of `ln r = a + model(set, scale)` for the best constant `a`: the
/// weighted rms misfit.
fn misfit(sets: &[&[Sample]], model: &dyn Fn(usize, usize) -> f32) -> f32 {
    let (mut sum, mut total) = (0.0f32, 0.0f32);
    for (set, samples) in sets.iter().enumerate() {
        for &(l, wt, k) in samples.iter() {
            sum += wt * (l - model(set, k));
            total += wt;
        }
    }
    if total <= 0.0 {
        return f32::INFINITY;
    }
    let offset = sum / total;
    let mut sse = 0.0f32;
    for (set, samples) in sets.iter().enumerate() {
        for &(l, wt, k) in samples.iter() {
            sse += wt * (l - model(set, k) - offset).powi(2);
        }
    }
    (sse / total).sqrt()
}

/// Refines the minimum of `f` over `ln v` around grid point `i`.
fn refine(f: &dyn Fn(f32) -> f32, i: usize) -> f32 {
    let (mut lo, mut hi) = (grid(i.saturating_sub(1)).ln(), grid(i + 1).ln());
    let phi = 0.618_034f32;
    for _ in 0..20 {
        let a = hi - phi * (hi - lo);
        let b = lo + phi * (hi - lo);
        if f(a.exp()) < f(b.exp()) {
            hi = b;
        } else {
            lo = a;
        }
    }
    (0.5 * (lo + hi)).exp()
}

fn t(k: usize) -> f32 {
    SCALES_PX[k] * SCALES_PX[k]
}

/// A blurred step: the gradient at its centre falls as `(s² + t)^(-1/2)`. Returns `s²` and the
/// misfit.
fn fit_edge(samples: &[Sample]) -> Option<(f32, f32)> {
    let table = log_table();
    let best = (0..GRID_POINTS).min_by(|&a, &b| {
        let fa = misfit(&[samples], &|_, k| -0.5 * table[a][k]);
        let fb = misfit(&[samples], &|_, k| -0.5 * table[b][k]);
        fa.total_cmp(&fb)
    })?;
    let f = |s2: f32| misfit(&[samples], &|_, k| -0.5 * (s2 + t(k)).ln());
    let s2 = refine(&f, best);
    Some((s2, f(s2)))
}

/// A blurred anisotropic spot of variances `A` (along) and `B` (across): at its centre the
/// second derivative across falls as `(B + t)^(-3/2) (A + t)^(-1/2)` and along it as
/// `(B + t)^(-1/2) (A + t)^(-3/2)`; a line is the limit of large `A`, seen across only. Returns
/// `B` and the misfit.
fn fit_ridge(across: &[Sample], along: &[Sample]) -> Option<(f32, f32)> {
    let table = log_table();
    if along.is_empty() {
        let line = |i: usize| misfit(&[across], &|_, k| -1.5 * table[i][k]);
        let best = (0..GRID_POINTS).min_by(|&a, &b| line(a).total_cmp(&line(b)))?;
        let f = |b: f32| misfit(&[across], &|_, k| -1.5 * (b + t(k)).ln());
        let b = refine(&f, best);
        return Some((b, f(b)));
    }
    let spot = |i: usize, m: usize| {
        misfit(&[across, along], &|set, k| {
            let (pa, pb) = if set == 0 { (0.5, 1.5) } else { (1.5, 0.5) };
            -pa * table[i + m][k] - pb * table[i][k]
        })
    };
    let mut best: Option<(usize, usize, f32)> = None;
    for i in 0..GRID_POINTS {
        for m in ELONGATION_STEPS {
            let value = spot(i, m);
            if best.is_none_or(|(_, _, v)| value < v) {
                best = Some((i, m, value));
            }
        }
    }
    let (i, m, _) = best?;
    let ratio = GRID_STEP.powi(m as i32);
    let f = |b: f32| {
        misfit(&[across, along], &|set, k| {
            let (pa, pb) = if set == 0 { (0.5, 1.5) } else { (1.5, 0.5) };
            -pa * (ratio * b + t(k)).ln() - pb * (b + t(k)).ln()
        })
    };
    let b = refine(&f, i);
    Some((b, f(b)))
}

/// The `order`-th derivative (1 or 2) along `n` of the patch smoothed by a Gaussian of σ
/// `sigma`, at `centre` (offset from the patch's middle pixel's corner, px), and the filter's
/// norm (how much of the pixel noise reaches the result). The Gaussian is separable, so the
/// filter is built from 1-D kernels along x and y.
fn directional_derivative(
    patch: &[f32],
    side: usize,
    centre: (f32, f32),
    (nx, ny): (f32, f32),
    sigma: f32,
    order: u8,
) -> (f32, f32) {
    // The patch's middle pixel sits at index PATCH_RADIUS, its centre half a pixel in.
    let kernels = |c: f32| -> [Vec<f32>; 3] {
        let offset = c + PATCH_RADIUS as f32 - 0.5;
        let inv2 = 1.0 / (sigma * sigma);
        let norm = 1.0 / ((2.0 * std::f32::consts::PI).sqrt() * sigma);
        let mut g = Vec::with_capacity(side);
        let mut d1 = Vec::with_capacity(side);
        let mut d2 = Vec::with_capacity(side);
        for i in 0..side {
            let u = i as f32 - offset;
            let v = norm * (-0.5 * u * u * inv2).exp();
            g.push(v);
            // d/dc of g(i − c) is −g′(i − c) = (i − c)/σ² · g.
            d1.push(u * inv2 * v);
            d2.push((u * u * inv2 - 1.0) * inv2 * v);
        }
        [g, d1, d2]
    };
    let kx = kernels(centre.0);
    let ky = kernels(centre.1);
    // Sums of the patch weighted by the x kernels along each row.
    let mut rows = [vec![0.0f32; side], vec![0.0f32; side], vec![0.0f32; side]];
    for r in 0..side {
        let line = &patch[r * side..(r + 1) * side];
        for (k, kernel) in kx.iter().enumerate() {
            rows[k][r] = line.iter().zip(kernel).map(|(a, b)| a * b).sum();
        }
    }
    let apply = |xk: usize, yk: usize| -> f32 { rows[xk].iter().zip(&ky[yk]).map(|(a, b)| a * b).sum() };
    let dot = |a: &[f32], b: &[f32]| -> f32 { a.iter().zip(b).map(|(x, y)| x * y).sum() };
    // Σ k² of a sum of separable terms Σ c_i · x_i ⊗ y_i is Σ_ij c_i c_j (x_i·x_j)(y_i·y_j).
    let energy = |terms: &[(f32, usize, usize)]| -> f32 {
        let mut e = 0.0;
        for &(ci, xi, yi) in terms {
            for &(cj, xj, yj) in terms {
                e += ci * cj * dot(&kx[xi], &kx[xj]) * dot(&ky[yi], &ky[yj]);
            }
        }
        e.max(0.0).sqrt()
    };
    let terms: Vec<(f32, usize, usize)> = match order {
        1 => vec![(nx, 1, 0), (ny, 0, 1)],
        _ => vec![(nx * nx, 2, 0), (2.0 * nx * ny, 1, 1), (ny * ny, 0, 2)],
    };
    let value = terms.iter().map(|&(c, xk, yk)| c * apply(xk, yk)).sum();
    (value, energy(&terms))
}

/// Turns measurements into a smooth map of focus over the photo.
fn aggregate(measurements: &[Measurement], w: usize, h: usize) -> PsfMap {
    if measurements.is_empty() {
        return PsfMap::uniform(FALLBACK_SIGMA_PX);
    }
    let long = w.max(h) as f32;
    let cell = long / MAP_CELLS as f32;
    let cols = ((w as f32 / cell).round() as usize).max(1);
    let rows = ((h as f32 / cell).round() as usize).max(1);
    let (cell_w, cell_h) = (w as f32 / cols as f32, h as f32 / rows as f32);
    let mut per_cell: Vec<Vec<f32>> = vec![Vec::new(); cols * rows];
    for m in measurements {
        let c = ((m.x / cell_w) as usize).min(cols - 1);
        let r = ((m.y / cell_h) as usize).min(rows - 1);
        per_cell[r * cols + c].push(m.variance);
    }
    let mut all: Vec<f32> = measurements.iter().map(|m| m.variance).collect();
    let global = quantile(&mut all, FOCUS_QUANTILE);
    // Each cell's own quantile where it has enough structures; the rest borrow from
    // neighbours, weighted by distance and by how many structures they rest on.
    let own: Vec<Option<(f32, f32)>> = per_cell
        .iter_mut()
        .map(|v| (v.len() >= MIN_PER_CELL).then(|| (quantile(v, FOCUS_QUANTILE), v.len() as f32)))
        .collect();
    let mut variance = vec![global; cols * rows];
    for r in 0..rows {
        for c in 0..cols {
            let (mut sum, mut weight) = (0.0f32, 0.0f32);
            for rr in 0..rows {
                for cc in 0..cols {
                    if let Some((v, n)) = own[rr * cols + cc] {
                        let d2 = ((rr as f32 - r as f32).powi(2) + (cc as f32 - c as f32).powi(2))
                            / 1.5f32.powi(2);
                        let wt = n.sqrt() * (-0.5 * d2).exp();
                        sum += wt * v;
                        weight += wt;
                    }
                }
            }
            // A little of the whole photo's figure keeps lone cells from wandering off.
            let prior = 0.5;
            variance[r * cols + c] = (sum + prior * global) / (weight + prior);
        }
    }
    let sigma_px: Vec<f32> = variance.iter().map(|v| v.sqrt().min(MAX_SIGMA_PX)).collect();
    // The figure a person is told is the map's middle, what the render mostly uses.
    let mut sorted = sigma_px.clone();
    sorted.sort_by(f32::total_cmp);
    let summary_px = sorted[sorted.len() / 2];
    PsfMap {
        cols,
        rows,
        cell_w_px: cell_w,
        cell_h_px: cell_h,
        sigma_px,
        summary_px,
        measured: measurements.len(),
    }
}

fn quantile(values: &mut [f32], q: f32) -> f32 {
    if values.is_empty() {
        return FALLBACK_SIGMA_PX * FALLBACK_SIGMA_PX;
    }
    let i = ((values.len() - 1) as f32 * q).round() as usize;
    let (_, v, _) = values.select_nth_unstable_by(i, f32::total_cmp);
    *v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::color::linear_to_srgb8;
    use crate::engine::rng::Rng;
    use crate::engine::synth::camera::{area_resample, gaussian_blur_rgb};

    /// A photo of random straight steps or thin dark lines, drawn six times finer, blurred by
    /// `sigma_px` (photo pixels), sampled and given a little noise.
    fn structures(sigma_px: f32, lines: bool, seed: u64) -> RgbImage {
        let (fine, side) = (6usize, 200usize);
        let big = side * fine;
        let mut rng = Rng::new(seed);
        let mut light = vec![[0.45f32; 3]; big * big];
        for _ in 0..10 {
            let (cx, cy) = (rng.range(0.0, big as f64) as f32, rng.range(0.0, big as f64) as f32);
            let angle = rng.range(0.0, std::f64::consts::TAU) as f32;
            let (nx, ny) = (angle.cos(), angle.sin());
            let half_length = rng.range(40.0, 120.0) as f32 * fine as f32;
            for (i, px) in light.iter_mut().enumerate() {
                let (dx, dy) = ((i % big) as f32 + 0.5 - cx, (i / big) as f32 + 0.5 - cy);
                let (across, along) = (dx * nx + dy * ny, dy * nx - dx * ny);
                if along.abs() > half_length {
                    continue;
                }
                if lines && across.abs() < 0.15 * fine as f32 {
                    *px = [0.05; 3];
                } else if !lines && across > 0.0 && across < 20.0 * fine as f32 {
                    *px = px.map(|v| v * 1.6);
                }
            }
        }
        let blurred = gaussian_blur_rgb(&light, big, big, sigma_px * fine as f32);
        let sampled = area_resample(&blurred, big, big, side, side);
        let mut noise = Rng::new(seed ^ 0x5EED);
        RgbImage::from_fn(side as u32, side as u32, |x, y| {
            let v = sampled[y as usize * side + x as usize];
            image::Rgb(v.map(|c| linear_to_srgb8(c + 0.003 * noise.normal() as f32)))
        })
    }

    #[test]
    fn measures_the_blur_of_straight_edges() {
        for sigma in [0.3f32, 0.5, 0.8, 1.2, 2.0] {
            let map = estimate(&structures(sigma, false, 5), 3.5);
            let found = map.summary_px();
            assert!(map.measured() > 30, "σ {sigma}: only {} edges measured", map.measured());
            // Within 20 %, or 0.06 px where the blur is far below the pixel's own aperture
            // (σ 0.29 px) and a few hundredths of a pixel change nothing a person could see.
            // The sharp-end quantile reads a strongly blurred photo low: 2 px comes out 1.65.
            let tolerance = (0.2 * sigma).max(0.06);
            assert!((found - sigma).abs() < tolerance, "σ {sigma} px estimated as {found:.3} px");
        }
    }

    /// Lines as thin as a hair at 3.5 px/mm: measurable while they stand clear of the noise.
    #[test]
    fn measures_the_blur_of_thin_lines() {
        for sigma in [0.5f32, 0.8] {
            let found = estimate(&structures(sigma, true, 7), 3.5).summary_px();
            assert!((found / sigma - 1.0).abs() < 0.2, "σ {sigma} px estimated as {found:.3} px");
        }
    }

    #[test]
    fn a_photo_without_structures_gets_the_fallback() {
        let flat = RgbImage::from_pixel(120, 90, image::Rgb([180, 140, 120]));
        let map = estimate(&flat, 10.0);
        assert_eq!(map.measured(), 0);
        assert_eq!(map.summary_px(), FALLBACK_SIGMA_PX);
    }

    /// Focus that varies across the photo: the left half sharp, the right half soft.
    #[test]
    fn the_map_follows_focus_across_the_photo() {
        let (sharp, soft) = (structures(0.4, false, 11), structures(1.6, false, 11));
        let photo = RgbImage::from_fn(400, 200, |x, y| {
            if x < 200 { *sharp.get_pixel(x, y) } else { *soft.get_pixel(x - 200, y) }
        });
        let map = estimate(&photo, 3.5);
        let (left, right) = (map.sigma_px(40.0, 100.0), map.sigma_px(360.0, 100.0));
        assert!(left < 0.7 && right > 1.1, "left {left:.2} px, right {right:.2} px");
    }
}
