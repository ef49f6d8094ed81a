//! Where the photo shows skin: pigment goes into skin, never onto the wall behind the head, a
//! shirt, an ear or a mass of long hair, however far a brush stroke spilled.
//!
//! The likelihood combines three things measured on the photo:
//! - the head's outline ([`outline`](super::outline)): beyond it lies the background;
//! - the colour of this patient's scalp skin: a Gaussian in log-chromaticity fitted to the
//!   skin-coloured pixels inside the outline, read after the surface's mirrored light is taken
//!   out (a highlight is still skin);
//! - lightness: hair is far darker than the skin it grows from.

use super::outline::{self, HeadOutline};
use super::surface::Surface;
use crate::engine::color::{luminance, srgb8_to_linear};
use image::{GrayImage, RgbImage};

/// Broad bounds of human skin in log-chromaticity (`ln R/G`, `ln B/G`, linear light): skin
/// remits more red than green and more green than blue, from very light to very dark.
const SKIN_LOCUS_U: (f32, f32) = (0.04, 1.8);
const SKIN_LOCUS_V: (f32, f32) = (-1.8, -0.01);

/// Least spread of the fitted skin colour per axis: one photo's skin is never that uniform.
const MIN_SPREAD: f32 = 0.07;

/// The fitted spread is widened this much before it judges a pixel.
const TOLERANCE: f32 = 3.5;

/// How far toward white skin's colour may be washed out: anywhere, and at most where it is lit
/// brightest.
const WASH: (f32, f32) = (0.45, 0.85);

/// How far from pure white the lamp's colour may lie, in log-chromaticity.
const LAMP_SPREAD: f32 = 0.25;

/// Lightness relative to the photo's typical skin below which a pixel is hair, not skin, and
/// above which it surely is skin.
const DARK: (f32, f32) = (0.12, 0.3);

/// A band just inside the outline that counts as not skin, mm: the outline is found to about a
/// pixel, and a dot on the wall is worse than one missing at the very rim.
const OUTLINE_MARGIN_MM: f32 = 0.5;

/// Width of the soft edge inside that band, mm.
const OUTLINE_SOFTNESS_MM: f32 = 1.5;

/// Side of the cells the map is kept on, mm.
const CELL_MM: f32 = 0.5;

/// Cells either side whose colour is averaged into a cell's colour term.
const SMOOTH_CELLS: usize = 2;

/// Only pixels this far inside the outline teach the skin's colour, mm.
const FIT_INSET_MM: f32 = 4.0;

/// The photo's skin colour: mean and inverse covariance in log-chromaticity, and its typical
/// lightness (linear luminance).
#[derive(Clone, Debug, PartialEq)]
struct SkinColour {
    mean: [f32; 2],
    /// Covariance `[uu, uv, vv]`.
    covariance: [f32; 3],
    inverse: [f32; 3],
    lightness: f32,
}

/// How likely each part of the photo is to be skin, 0–1, on cells of about half a millimetre
/// (dots are a millimetre apart).
#[derive(Clone, Debug, PartialEq)]
pub struct SkinMap {
    width: u32,
    height: u32,
    cell_px: u32,
    cols: usize,
    /// Likelihood per cell, 0–255.
    likelihood: Vec<u8>,
    /// The patient's typical skin colour on this photo, linear RGB, where it could be fitted.
    colour: Option<[f32; 3]>,
    outline: Option<HeadOutline>,
}

impl SkinMap {
    /// Skin everywhere (no analysis, or nothing to tell skin from anything else).
    pub fn all_skin(width: u32, height: u32) -> Self {
        Self { width, height, cell_px: u32::MAX, cols: 1, likelihood: vec![255], colour: None, outline: None }
    }

    /// Measures `photo` at `px_per_mm`, its surface already read.
    pub fn measure(photo: &RgbImage, px_per_mm: f32, surface: &Surface) -> Self {
        let (w, h) = photo.dimensions();
        if w < 3 || h < 3 {
            return Self::all_skin(w, h);
        }
        let outline = outline::find(photo, px_per_mm);
        let cell_px = ((CELL_MM * px_per_mm).round() as u32).max(1);
        let (cols, rows) = (w.div_ceil(cell_px) as usize, h.div_ceil(cell_px) as usize);
        let cells = CellColours::measure(photo, surface, cell_px, cols, rows);
        let centre = |c: usize, r: usize| {
            (
                ((c as u32 * cell_px) as f32 + 0.5 * cell_px as f32),
                ((r as u32 * cell_px) as f32 + 0.5 * cell_px as f32),
            )
        };
        let inset_px = FIT_INSET_MM * px_per_mm;
        let fit_here = |c: usize, r: usize| {
            let (x, y) = centre(c, r);
            outline.as_ref().is_none_or(|o| o.inside_px(x, y) > inset_px)
        };
        let Some(colour) = fit_colour(&cells, &fit_here) else {
            return Self { outline, ..Self::all_skin(w, h) };
        };
        let soft_px = OUTLINE_SOFTNESS_MM * px_per_mm;
        let margin_px = OUTLINE_MARGIN_MM * px_per_mm;
        let likelihood = (0..cols * rows)
            .map(|i| {
                let (c, r) = (i % cols, i / cols);
                let (x, y) = centre(c, r);
                let head =
                    outline.as_ref().map_or(1.0, |o| smooth01((o.inside_px(x, y) - margin_px) / soft_px));
                if head <= 0.0 {
                    return 0;
                }
                let skin =
                    if cells.clipped[i] { 1.0 } else { colour.likelihood(cells.smooth[i], cells.own[i]) };
                (head * skin * 255.0).round() as u8
            })
            .collect();
        Self { width: w, height: h, cell_px, cols, likelihood, colour: Some(colour.linear()), outline }
    }

    /// Likelihood that pixel `(x, y)` shows skin, 0–1 (1 outside the map).
    #[inline]
    pub fn likelihood(&self, x: u32, y: u32) -> f32 {
        if x >= self.width || y >= self.height {
            return 1.0;
        }
        let i = (y / self.cell_px) as usize * self.cols + (x / self.cell_px) as usize;
        self.likelihood.get(i).copied().unwrap_or(255) as f32 / 255.0
    }

    /// The patient's typical skin colour on this photo (linear RGB), where one could be fitted.
    pub fn colour(&self) -> Option<[f32; 3]> {
        self.colour
    }

    /// The head's outline, where the photo shows one.
    pub fn outline(&self) -> Option<&HeadOutline> {
        self.outline.as_ref()
    }

    /// The likelihood as a grey image the photo's size (white = skin), e.g. to show over it.
    pub fn to_gray(&self) -> GrayImage {
        GrayImage::from_fn(self.width, self.height, |x, y| {
            image::Luma([(self.likelihood(x, y) * 255.0).round() as u8])
        })
    }
}

impl SkinColour {
    /// The fitted colour at the skin's typical lightness, linear RGB.
    fn linear(&self) -> [f32; 3] {
        let (r, b) = (self.mean[0].exp(), self.mean[1].exp());
        let g = self.lightness / (0.2126 * r + 0.7152 + 0.0722 * b).max(1e-4);
        [r * g, g, b * g].map(|v| v.clamp(0.0, 1.0))
    }

    /// How skin-like a cell is: `smooth` its colour averaged over its neighbours (the colour
    /// term), `own` its own (the lightness term, which must see single hairs).
    fn likelihood(&self, smooth: [f32; 3], own: [f32; 3]) -> f32 {
        let Some((u, v)) = chromaticity(smooth) else { return 0.0 };
        // Skin lit by a second, whiter lamp, or shining, is washed toward white: allow some of
        // that anywhere and more where the skin is lit brighter than usual. A grey wall or a
        // white shirt is washed all the way.
        let bright = luminance(smooth) / self.lightness.max(1e-4);
        let wash = (WASH.0 + (bright - 0.9) / 0.8).clamp(WASH.0, WASH.1);
        let mut best = f32::INFINITY;
        for step in 0..=4 {
            let t = wash * step as f32 / 4.0;
            let (du, dv) = (u - self.mean[0] * (1.0 - t), v - self.mean[1] * (1.0 - t));
            // The lamp's colour is near white, not exactly: washed colours spread wider.
            let spread = (t * LAMP_SPREAD).powi(2) / (TOLERANCE * TOLERANCE);
            let [a, b, c] = self.covariance;
            let (a, c) = (a + spread, c + spread);
            let det = (a * c - b * b).max(1e-9);
            let m2 = (c * du * du - 2.0 * b * du * dv + a * dv * dv) / det;
            best = best.min(m2);
        }
        let colour = (-0.5 * best / (TOLERANCE * TOLERANCE)).exp();
        let y = luminance(own) / self.lightness.max(1e-4);
        colour * smooth01((y - DARK.0) / (DARK.1 - DARK.0))
    }
}

fn smooth01(t: f32) -> f32 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

fn chromaticity(rgb: [f32; 3]) -> Option<(f32, f32)> {
    let [r, g, b] = rgb.map(|v| v.max(1e-4));
    (luminance(rgb) > 2e-3).then(|| ((r / g).ln(), (b / g).ln()))
}

/// Mean diffuse light per cell (the surface's mirrored light taken out), linear RGB: the
/// cell's own, and averaged with its neighbours (JPEG keeps colour at half resolution and in
/// blocks; the average steadies it).
struct CellColours {
    own: Vec<[f32; 3]>,
    smooth: Vec<[f32; 3]>,
    clipped: Vec<bool>,
    cols: usize,
}

impl CellColours {
    fn measure(photo: &RgbImage, surface: &Surface, cell_px: u32, cols: usize, rows: usize) -> Self {
        let mut sums = vec![[0.0f32; 5]; cols * rows];
        for (x, y, p) in photo.enumerate_pixels() {
            let s = &mut sums[(y / cell_px) as usize * cols + (x / cell_px) as usize];
            for (sum, &v) in s.iter_mut().zip(&p.0) {
                *sum += srgb8_to_linear(v);
            }
            s[3] += 1.0;
            if p.0.iter().any(|&v| v >= 250) {
                s[4] += 1.0;
            }
        }
        let own: Vec<[f32; 3]> = sums
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let n = s[3].max(1.0);
                let rgb: [f32; 3] = std::array::from_fn(|c| s[c] / n);
                let (x, y) = ((i % cols) as u32 * cell_px, (i / cols) as u32 * cell_px);
                let _ = (x, y, surface);
                rgb
            })
            .collect();
        let clipped = sums.iter().map(|s| s[4] * 2.0 > s[3]).collect();
        let reach = SMOOTH_CELLS as i64;
        let smooth = (0..cols * rows)
            .map(|i| {
                let (c, r) = ((i % cols) as i64, (i / cols) as i64);
                let mut sum = [0.0f32; 3];
                let mut n = 0.0f32;
                for rr in (r - reach).max(0)..(r + reach + 1).min(rows as i64) {
                    for cc in (c - reach).max(0)..(c + reach + 1).min(cols as i64) {
                        let v = own[rr as usize * cols + cc as usize];
                        for k in 0..3 {
                            sum[k] += v[k];
                        }
                        n += 1.0;
                    }
                }
                sum.map(|v| v / n)
            })
            .collect();
        Self { own, smooth, clipped, cols }
    }
}

/// Fits the skin's colour to the skin-coloured cells where `fit_here` allows, robustly: cells
/// far from the current fit count less each round.
fn fit_colour(cells: &CellColours, fit_here: &dyn Fn(usize, usize) -> bool) -> Option<SkinColour> {
    let mut samples: Vec<(f32, f32, f32)> = Vec::new();
    for (i, (&rgb, &own)) in cells.smooth.iter().zip(&cells.own).enumerate() {
        if cells.clipped[i] || !fit_here(i % cells.cols, i / cells.cols) {
            continue;
        }
        let Some((u, v)) = chromaticity(rgb) else { continue };
        if (SKIN_LOCUS_U.0..SKIN_LOCUS_U.1).contains(&u) && (SKIN_LOCUS_V.0..SKIN_LOCUS_V.1).contains(&v) {
            samples.push((u, v, luminance(own)));
        }
    }
    if samples.len() < 50 {
        return None;
    }
    // Hair is darker than skin: the brighter half of the candidates teaches the skin.
    let mut lights: Vec<f32> = samples.iter().map(|s| s.2).collect();
    let mid = lights.len() / 2;
    let (_, median, _) = lights.select_nth_unstable_by(mid, f32::total_cmp);
    let median = *median;
    samples.retain(|s| s.2 >= median);
    let mut weights = vec![1.0f32; samples.len()];
    let mut model = SkinColour {
        mean: [0.0; 2],
        covariance: [1.0, 0.0, 1.0],
        inverse: [1.0, 0.0, 1.0],
        lightness: median,
    };
    for _ in 0..4 {
        let total: f32 = weights.iter().sum();
        if total < 10.0 {
            return None;
        }
        let mu = samples.iter().zip(&weights).fold([0.0f32; 2], |a, (s, w)| [a[0] + w * s.0, a[1] + w * s.1]);
        let mu = [mu[0] / total, mu[1] / total];
        let (mut suu, mut suv, mut svv) = (0.0f32, 0.0f32, 0.0f32);
        for (s, w) in samples.iter().zip(&weights) {
            let (du, dv) = (s.0 - mu[0], s.1 - mu[1]);
            suu += w * du * du;
            suv += w * du * dv;
            svv += w * dv * dv;
        }
        let floor = MIN_SPREAD * MIN_SPREAD;
        let (suu, suv, svv) = ((suu / total).max(floor), suv / total, (svv / total).max(floor));
        let det = (suu * svv - suv * suv).max(floor * floor * 0.1);
        model.mean = mu;
        model.covariance = [suu, suv, svv];
        model.inverse = [svv / det, -suv / det, suu / det];
        for (s, w) in samples.iter().zip(weights.iter_mut()) {
            let (du, dv) = (s.0 - mu[0], s.1 - mu[1]);
            let m2 =
                model.inverse[0] * du * du + 2.0 * model.inverse[1] * du * dv + model.inverse[2] * dv * dv;
            // Tukey's biweight at 3σ.
            let t = m2 / 9.0;
            *w = if t < 1.0 { (1.0 - t).powi(2) } else { 0.0 };
        }
    }
    let (mut light_sum, mut total) = (0.0f32, 0.0f32);
    for (s, w) in samples.iter().zip(&weights) {
        light_sum += w * s.2;
        total += w;
    }
    model.lightness = if total > 0.0 { light_sum / total } else { median };
    Some(model)
}
