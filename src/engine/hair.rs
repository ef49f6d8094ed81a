//! Existing hair on the photo: dots go between hairs, and fewer are needed where hair remains.
//!
//! Hairs are thin dark structures, so a morphological black-hat (grey closing minus the image)
//! with a structuring element a few hair widths across lights them up while the slowly varying
//! skin, its shading and its shine stay dark.

use super::color::srgb8_to_linear;
use super::mask::PixelRect;
use super::morphology::{self, Extremum};
use super::units::Scale;
use image::{GrayImage, RgbImage};
use rayon::prelude::*;

/// Hair width used to size the structuring element (terminal hair, DOMAIN.md: 0.06–0.10 mm).
const HAIR_WIDTH_MM: f32 = 0.08;

/// A pixel counts as hair where it is darker than the closing (the skin around it) by this
/// share of the skin's brightness, in per cent, so light and dark skin are judged alike.
const RELATIVE_THRESHOLD_PERCENT: u32 = 10;

/// Smallest extent of a dark speck that can be a hair shaft: the visible part of a cut hair is
/// at least this long.
const MIN_HAIR_EXTENT_MM: f32 = 0.4;

/// Radius over which local hair coverage is measured for density compensation.
const COVERAGE_RADIUS_MM: f32 = 1.2;

/// How much more light cut hair takes from the scalp's look than its visible shafts block: the
/// shafts below the skin, their shadows and follicles. On generated scalps, whose buried shafts
/// are modelled, the whole look takes 4.2–4.5 times the shafts' own share at 0.2–0.8
/// follicular units per mm².
pub const HAIR_LOOK_FACTOR: f32 = 4.4;

/// Radius over which the hair's darkening of the scalp is measured: about a dot's spacing, so a
/// bald patch's edge does not borrow the look of the stubble a millimetre away.
const DARKENING_RADIUS_MM: f32 = 1.0;

/// Coverage of skin by hair (share of pixels) that counts as "full hair" for compensation.
pub const FULL_COVERAGE: f32 = 0.22;

/// Where the photo shows hair.
#[derive(Clone, Debug, PartialEq)]
pub struct HairMap {
    /// The photo scale the map was made for (kernel sizes are in mm); `None` for a photo not
    /// looked at yet, which every scale finds anew.
    pub scale: Option<Scale>,
    width: u32,
    height: u32,
    /// 255 on hair pixels, 0 elsewhere.
    mask: Vec<u8>,
    /// Share of hair pixels within [`COVERAGE_RADIUS_MM`], in 1/65535.
    coverage: Vec<u16>,
    /// Share of the skin's light the hair takes away within [`DARKENING_RADIUS_MM`], in units
    /// of 1/65535.
    darkening: Vec<u16>,
}

impl HairMap {
    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    #[inline]
    pub fn is_hair(&self, x: u32, y: u32) -> bool {
        self.mask[y as usize * self.width as usize + x as usize] > 0
    }

    /// Whether any hair pixel lies within `radius_px` of `(x, y)`.
    pub fn hair_near(&self, x: f32, y: f32, radius_px: f32) -> bool {
        let r = radius_px.max(0.0);
        let rect = PixelRect::around(x, y, r, PixelRect::full(self.width, self.height));
        for py in rect.y0..rect.y1 {
            for px in rect.x0..rect.x1 {
                let dx = px as f32 + 0.5 - x;
                let dy = py as f32 + 0.5 - y;
                if dx * dx + dy * dy <= (r + 0.5) * (r + 0.5) && self.is_hair(px, py) {
                    return true;
                }
            }
        }
        false
    }

    /// Local share of skin covered by hair, 0–1.
    #[inline]
    pub fn coverage(&self, x: u32, y: u32) -> f32 {
        f32::from(self.coverage[y as usize * self.width as usize + x as usize]) / 65535.0
    }

    /// How much darker the hair makes the scalp look around a pixel: the share of the skin's
    /// light the hair within [`DARKENING_RADIUS_MM`] takes away, 0–1. What native hair does to
    /// the look, comparable with what pigment does: besides the light its visible shafts block,
    /// a cut hair darkens the skin around it with its shaft showing through the skin, its
    /// follicle and the grey cast of the shafts below ([`HAIR_LOOK_FACTOR`]).
    #[inline]
    pub fn darkening(&self, x: u32, y: u32) -> f32 {
        let shafts = self.darkening[y as usize * self.width as usize + x as usize] as f32 / u16::MAX as f32;
        (shafts * HAIR_LOOK_FACTOR).min(1.0)
    }

    pub fn to_gray(&self) -> GrayImage {
        GrayImage::from_raw(self.width, self.height, self.mask.clone())
            .unwrap_or_else(|| GrayImage::new(self.width, self.height))
    }

    /// A map with no hair, for photos where detection is not wanted.
    pub fn empty(width: u32, height: u32, scale: Option<Scale>) -> Self {
        let n = width as usize * height as usize;
        Self { scale, width, height, mask: vec![0; n], coverage: vec![0; n], darkening: vec![0; n] }
    }
}

/// Finds the hairs on a photo.
///
/// Works on fixed-point luma (256 steps per grey level) with running min/max filters whose
/// cost does not grow with the kernel, and on integer box counts, in bands on every core.
pub fn detect(photo: &RgbImage, scale: Scale) -> HairMap {
    let (width, height) = photo.dimensions();
    let w = width as usize;
    let h = height as usize;
    if w == 0 || h == 0 {
        return HairMap::empty(width, height, Some(scale));
    }
    let rows = || photo.as_raw().par_chunks(w * 3);
    let mut closed = vec![0u16; w * h];
    closed.par_chunks_mut(w).zip(rows()).for_each(|(out, src)| {
        for (o, p) in out.iter_mut().zip(src.chunks_exact(3)) {
            *o = luma_fixed(p);
        }
    });
    let radius = morphology_radius(scale);
    morphology::square_filter(&mut closed, w, h, radius, Extremum::Max);
    morphology::square_filter(&mut closed, w, h, radius, Extremum::Min);
    // Luma is computed again rather than kept: a second photo-sized buffer costs more than it.
    let mut hair = vec![0u8; w * h];
    hair.par_chunks_mut(w).zip(closed.par_chunks(w)).zip(rows()).for_each(|((out, closed), src)| {
        for ((o, &c), p) in out.iter_mut().zip(closed).zip(src.chunks_exact(3)) {
            *o = if darker_than_skin(c, luma_fixed(p)) { 255 } else { 0 };
        }
    });
    drop_specks(&mut hair, w, h, scale.px(MIN_HAIR_EXTENT_MM));
    // Light taken away on hair pixels, against the skin around them (the closing); in linear
    // light, as pigment's effect is measured; in 1/255.
    let mut lost = vec![0u8; w * h];
    lost.par_chunks_mut(w).zip(closed.par_chunks(w)).zip(hair.par_chunks(w)).zip(rows()).for_each(
        |(((out, closed), hair), src)| {
            for (((o, &c), &m), p) in out.iter_mut().zip(closed).zip(hair).zip(src.chunks_exact(3)) {
                if m == 0 || c == 0 {
                    continue;
                }
                let skin = srgb8_to_linear(((u32::from(c) + 128) >> 8).min(255) as u8);
                let here = srgb8_to_linear(((u32::from(luma_fixed(p)) + 128) >> 8).min(255) as u8);
                *o = (((skin - here) / skin.max(1e-4)).clamp(0.0, 1.0) * 255.0).round() as u8;
            }
        },
    );
    drop(closed);
    let coverage = morphology::box_share(&hair, w, h, coverage_radius(scale));
    let darkening_radius = scale.px(DARKENING_RADIUS_MM).round().max(1.0) as usize;
    let darkening = morphology::box_mean(&lost, w, h, darkening_radius);
    HairMap { scale: Some(scale), width, height, mask: hair, coverage, darkening }
}

/// Clears the dark specks too small to be a hair shaft (a pore, a fleck of skin): connected
/// groups of pixels (8-neighbourhood) whose extent along x and y is under `min_extent_px`.
/// Without this a sharp photo finds "hair" where a softer one of the same scalp finds none.
fn drop_specks(mask: &mut [u8], w: usize, h: usize, min_extent_px: f32) {
    if min_extent_px <= 1.0 {
        return;
    }
    let mut specks = Vec::new();
    morphology::for_each_component(
        w,
        h,
        morphology::Neighbours::Eight,
        |i| mask[i] > 0,
        |group| {
            let (mut x0, mut x1, mut y0, mut y1) = (usize::MAX, 0, usize::MAX, 0);
            for &i in group {
                let (x, y) = (i % w, i / w);
                (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
            }
            if ((x1 - x0 + 1) as f32).hypot((y1 - y0 + 1) as f32) < min_extent_px {
                specks.extend_from_slice(group);
            }
        },
    );
    for i in specks {
        mask[i] = 0;
    }
}

/// Radius of the closing's square: 1.5 hair widths, so a hair fits inside it.
fn morphology_radius(scale: Scale) -> usize {
    (scale.px(HAIR_WIDTH_MM) * 1.5).round().clamp(1.0, 12.0) as usize
}

fn coverage_radius(scale: Scale) -> usize {
    scale.px(COVERAGE_RADIUS_MM).round().max(1.0) as usize
}

/// Rec. 601 luma of an sRGB pixel in 1/256 grey levels (0–65280).
#[inline]
fn luma_fixed(p: &[u8]) -> u16 {
    // Weights 0.299, 0.587, 0.114 in 1/65536; they sum to 65536, so white stays 255 · 256.
    ((19_595 * u32::from(p[0]) + 38_470 * u32::from(p[1]) + 7_471 * u32::from(p[2]) + 128) >> 8) as u16
}

/// Whether a pixel of luma `l` is darker than the closing `c` (the skin around it) by more than
/// [`RELATIVE_THRESHOLD_PERCENT`] of the skin's brightness plus two grey levels; both in 1/256
/// grey levels.
#[inline]
fn darker_than_skin(c: u16, l: u16) -> bool {
    let (c, l) = (u32::from(c), u32::from(l));
    c > l && 100 * (c - l) > RELATIVE_THRESHOLD_PERCENT * c + 100 * 2 * 256
}

/// Mean over a (2r+1)² box, via running sums (edges use the part of the box inside the image).
pub(crate) fn box_mean(src: &[f32], w: usize, h: usize, r: usize) -> Vec<f32> {
    let mut tmp = vec![0.0f32; src.len()];
    for y in 0..h {
        let row = &src[y * w..(y + 1) * w];
        let mut prefix = vec![0.0f64; w + 1];
        for x in 0..w {
            prefix[x + 1] = prefix[x] + row[x] as f64;
        }
        for x in 0..w {
            let lo = x.saturating_sub(r);
            let hi = (x + r + 1).min(w);
            tmp[y * w + x] = ((prefix[hi] - prefix[lo]) / (hi - lo) as f64) as f32;
        }
    }
    let mut out = vec![0.0f32; src.len()];
    let mut prefix = vec![0.0f64; h + 1];
    for x in 0..w {
        for y in 0..h {
            prefix[y + 1] = prefix[y] + tmp[y * w + x] as f64;
        }
        for y in 0..h {
            let lo = y.saturating_sub(r);
            let hi = (y + r + 1).min(h);
            out[y * w + x] = ((prefix[hi] - prefix[lo]) / (hi - lo) as f64) as f32;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::synth::{self, HairLayout, ScalpParams};

    fn scores(map: &HairMap, truth: &GrayImage) -> (f64, f64) {
        let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
        for (x, y, t) in truth.enumerate_pixels() {
            match (map.is_hair(x, y), t.0[0] > 0) {
                (true, true) => tp += 1.0,
                (true, false) => fp += 1.0,
                (false, true) => fn_ += 1.0,
                _ => {}
            }
        }
        (tp / (tp + fp), tp / (tp + fn_))
    }

    #[test]
    fn finds_the_generated_hairs_on_light_and_dark_skin() {
        for skin in [[0xe6, 0xc8, 0xa8], [0x82, 0x5c, 0x43]] {
            let params = ScalpParams::sample()
                .with_size(480, 360)
                .with_layout(HairLayout::Uniform { fu_per_mm2: 0.8 })
                .with_skin(skin);
            let scalp = synth::generate(&params);
            let map = detect(&scalp.photo, Scale::DEFAULT);
            let (precision, recall) = scores(&map, &scalp.hair_mask);
            assert!(
                precision > 0.6 && recall > 0.6,
                "skin {skin:?}: precision {precision:.2}, recall {recall:.2}"
            );
        }
    }

    /// Detection as first written: floating-point luma, a closing by looking at every pixel of
    /// each window, and a floating-point box mean.
    fn straightforward(photo: &RgbImage, scale: Scale) -> (Vec<u8>, Vec<f32>) {
        let (w, h) = (photo.width() as usize, photo.height() as usize);
        let luma: Vec<f32> = photo
            .pixels()
            .map(|p| 0.299 * p.0[0] as f32 + 0.587 * p.0[1] as f32 + 0.114 * p.0[2] as f32)
            .collect();
        let r = morphology_radius(scale);
        let window = |src: &[f32], x: usize, y: usize, op: fn(f32, f32) -> f32, init: f32| {
            let mut v = init;
            for yy in y.saturating_sub(r)..(y + r + 1).min(h) {
                for xx in x.saturating_sub(r)..(x + r + 1).min(w) {
                    v = op(v, src[yy * w + xx]);
                }
            }
            v
        };
        let dilated: Vec<f32> =
            (0..w * h).map(|i| window(&luma, i % w, i / w, f32::max, f32::NEG_INFINITY)).collect();
        let closed: Vec<f32> =
            (0..w * h).map(|i| window(&dilated, i % w, i / w, f32::min, f32::INFINITY)).collect();
        let mut mask: Vec<u8> =
            closed.iter().zip(&luma).map(|(&c, &l)| if c - l > 0.1 * c + 2.0 { 255 } else { 0 }).collect();
        drop_specks(&mut mask, w, h, scale.px(MIN_HAIR_EXTENT_MM));
        let ones: Vec<f32> = mask.iter().map(|&m| if m > 0 { 1.0 } else { 0.0 }).collect();
        (mask, box_mean(&ones, w, h, coverage_radius(scale)))
    }

    #[test]
    fn the_fast_detection_matches_the_straightforward_one() {
        // Tolerance: the fixed-point luma may judge a pixel within 1/256 grey level of the
        // threshold the other way, so at most 0.2 % of pixels may differ, and the local coverage
        // (a share of the same pixels) by at most 0.01.
        for (px_per_mm, skin) in
            [(10.0, [0xe6, 0xc8, 0xa8]), (15.0, [0x82, 0x5c, 0x43]), (40.0, [0xd7, 0xbd, 0x96])]
        {
            let params = ScalpParams { px_per_mm, ..ScalpParams::sample() }
                .with_size(300, 260)
                .with_layout(HairLayout::Uniform { fu_per_mm2: 0.8 })
                .with_skin(skin);
            let photo = synth::generate(&params).photo;
            let Some(scale) = Scale::new(px_per_mm) else { panic!("{px_per_mm} px/mm is a valid scale") };
            let fast = detect(&photo, scale);
            let (mask, coverage) = straightforward(&photo, scale);
            let hairs = mask.iter().filter(|&&m| m > 0).count();
            assert!(hairs > 500, "{px_per_mm} px/mm: the reference found only {hairs} hair pixels");
            let differ = fast.mask.iter().zip(&mask).filter(|(a, b)| a != b).count();
            assert!(
                differ * 500 <= mask.len(),
                "{px_per_mm} px/mm: {differ} of {} pixels judged otherwise",
                mask.len()
            );
            let worst = (0..coverage.len())
                .map(|i| (fast.coverage((i % 300) as u32, (i / 300) as u32) - coverage[i]).abs())
                .fold(0.0f32, f32::max);
            assert!(worst <= 0.01, "{px_per_mm} px/mm: coverage differs by up to {worst:.4}");
        }
    }

    #[test]
    fn a_bald_head_has_no_hair() {
        let params = ScalpParams::sample().with_size(320, 240).with_layout(HairLayout::Bald);
        let map = detect(&synth::generate(&params).photo, Scale::DEFAULT);
        let found = map.mask.iter().filter(|&&m| m > 0).count();
        assert!(found < 320 * 240 / 200, "{found} hair pixels on a bald head");
    }
}
