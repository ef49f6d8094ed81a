//! Skin: texture, the canvas painted on, lens blur, vignette and grain.

use super::*;

/// Cell size of tabulated smooth fields: fine enough that bilinear steps stay invisible.
pub(super) const TABLE_CELL_MM: f32 = 0.5;

/// Smooth per-position skin quantities, tabulated.
pub(super) const SLOW_REDNESS: usize = 0;
pub(super) const SLOW_TONE: usize = 1;
pub(super) const SLOW_DIFFUSE: usize = 2;
pub(super) const SLOW_SHEEN: usize = 3;

/// Fields for the skin at the scales skin varies on: smooth ones (mottling, tone, lighting,
/// oiliness) tabulated, fine ones (relief, furrows) evaluated per pixel.
pub(super) struct SkinTexture {
    pub(super) slow: FieldTable<4>,
    /// Micro relief and grain, tenths of a millimetre.
    pub(super) micro: Fbm,
    /// Network of fine skin furrows.
    pub(super) furrow: Fbm,
}

impl SkinTexture {
    pub(super) fn new(seed: u64, frame: &Frame, lighting: &Lighting, fullness: &Fullness) -> Self {
        // Broad blotches of redness (vascular mottling) over centimetres.
        let mottle = Fbm::new(seed, TAG_MOTTLE, 28.0, 3, frame);
        let tone = Fbm::new(seed, TAG_TONE, 6.0, 2, frame);
        // How oily the surface is: patches of stronger sheen.
        let oil = Fbm::new(seed, TAG_OIL, 14.0, 2, frame);
        let slow = FieldTable::tabulate(frame, TABLE_CELL_MM, |x_mm, y_mm| {
            // Sun-exposed bare skin is a little redder than skin that kept its hair.
            let bare = 1.0 - fullness.at(x_mm, y_mm);
            let normal = lighting.normal(x_mm, y_mm);
            let oiliness = 0.65 + 0.35 * oil.at(x_mm, y_mm);
            [
                REDNESS_MOTTLE * mottle.at(x_mm, y_mm) + REDNESS_BARE * bare,
                TONE_VARIATION * tone.at(x_mm, y_mm),
                lighting.diffuse(normal),
                lighting.sheen(normal) * oiliness,
            ]
        });
        Self {
            slow,
            micro: Fbm::new(seed, TAG_MICRO, 0.42, 2, frame),
            furrow: Fbm::new(seed, TAG_FURROW, 0.9, 2, frame),
        }
    }
}

pub(super) const REDNESS_MOTTLE: f32 = 0.07;
pub(super) const REDNESS_BARE: f32 = 0.025;
pub(super) const TONE_VARIATION: f32 = 0.04;
pub(super) const MICRO_RELIEF: f32 = 0.045;
pub(super) const FURROW_DEPTH: f32 = 0.06;

/// Coverage from which a pixel counts as hair in the mask. Just under one half: a strict 0.5
/// loses the partly covered pixels at both ends of every short stroke, and the mask's area then
/// falls short of the shafts' true area.
pub(super) const MASK_MIN_COVER: f32 = 0.45;

/// Linear-light photo plus hair coverage, painted in a fixed order.
pub(super) struct Canvas {
    pub(super) frame: Frame,
    pub(super) rgb: Vec<[f32; 3]>,
    pub(super) hair_cover: Vec<f32>,
}

impl Canvas {
    pub(super) fn new(frame: Frame) -> Self {
        let n = frame.width_px * frame.height_px;
        Self { frame, rgb: vec![[0.0; 3]; n], hair_cover: vec![0.0; n] }
    }

    /// Photographs the painted scene: lens blur and vignetting, then sensor grain, then sRGB
    /// encoding.
    pub(super) fn finish(self, seed: u64) -> (RgbImage, GrayImage) {
        let encoder = SrgbEncoder::new();
        let (width_px, height_px) = (self.frame.width_px, self.frame.height_px);
        let rgb = lens_blur(&self.rgb, width_px, height_px);
        let mut photo = RgbImage::new(width_px as u32, height_px as u32);
        for (i, (out, rgb)) in photo.chunks_exact_mut(3).zip(&rgb).enumerate() {
            let (x, y) = (i % width_px, i / width_px);
            let exposure = vignette(x, y, width_px, height_px);
            let grain = grain(seed, x, y);
            for c in 0..3 {
                out[c] = encoder.encode(rgb[c] * exposure * (1.0 + grain[c]));
            }
        }
        let mut mask = GrayImage::new(width_px as u32, height_px as u32);
        for (out, &cover) in mask.iter_mut().zip(&self.hair_cover) {
            *out = if cover >= MASK_MIN_COVER { 255 } else { 0 };
        }
        (photo, mask)
    }
}

/// Base skin: albedo with mottling and micro-texture, dome shading with a little subsurface
/// warmth in the shadows, and sheen broken up by the skin relief.
pub(super) fn paint_skin(canvas: &mut Canvas, palette: &Palette, texture: &SkinTexture) {
    let frame = canvas.frame;
    for y in 0..frame.height_px {
        let y_mm = frame.centre_mm(y);
        let row = &mut canvas.rgb[y * frame.width_px..(y + 1) * frame.width_px];
        for (x, out) in row.iter_mut().enumerate() {
            let x_mm = frame.centre_mm(x);
            let slow = texture.slow.at(x_mm, y_mm);
            let diffuse = slow[SLOW_DIFFUSE];
            let micro = texture.micro.at(x_mm, y_mm);
            let furrow = furrow_depth(texture.furrow.at(x_mm, y_mm));
            let redness = slow[SLOW_REDNESS];
            let relief = 1.0 + slow[SLOW_TONE] + MICRO_RELIEF * micro - FURROW_DEPTH * furrow;
            let tint = [1.0 + redness, 1.0 - 0.35 * redness, 1.0 - 0.6 * redness];
            // Light scattered under the skin keeps red alive where the dome turns away.
            let shade = [diffuse + 0.18 * diffuse * (1.0 - diffuse), diffuse, diffuse];
            // Pores and creases break up the sheen; raised skin catches more of it.
            let sheen = slow[SLOW_SHEEN] * (1.0 + 0.25 * micro - 0.6 * furrow).max(0.0);
            for c in 0..3 {
                let diffuse_part = palette.skin[c] * tint[c] * relief * shade[c];
                out[c] = diffuse_part + sheen * LIGHT_RGB[c];
            }
        }
    }
}

/// Weight of each neighbour in the lens blur kernel.
pub(super) const LENS_SIDE: f32 = 0.1;

/// A camera never resolves single pixels perfectly: a small separable blur with a fixed
/// `[LENS_SIDE, 1 − 2·LENS_SIDE, LENS_SIDE]` kernel softens strokes the way optics do.
pub(super) fn lens_blur(rgb: &[[f32; 3]], width_px: usize, height_px: usize) -> Vec<[f32; 3]> {
    let side = LENS_SIDE;
    let centre = 1.0 - 2.0 * side;
    let mix = |a: &[f32; 3], b: &[f32; 3], c: &[f32; 3]| -> [f32; 3] {
        std::array::from_fn(|k| side * a[k] + centre * b[k] + side * c[k])
    };
    let mut across = vec![[0.0; 3]; rgb.len()];
    for (src, dst) in rgb.chunks_exact(width_px).zip(across.chunks_exact_mut(width_px)) {
        for x in 0..width_px {
            let left = &src[x.saturating_sub(1)];
            let right = &src[(x + 1).min(width_px - 1)];
            dst[x] = mix(left, &src[x], right);
        }
    }
    let mut out = vec![[0.0; 3]; rgb.len()];
    for y in 0..height_px {
        let up = y.saturating_sub(1) * width_px;
        let down = (y + 1).min(height_px - 1) * width_px;
        for x in 0..width_px {
            let i = y * width_px + x;
            out[i] = mix(&across[up + x], &across[i], &across[down + x]);
        }
    }
    out
}

/// Light falloff of the lens towards the corners, where it loses this fraction of exposure.
pub(super) const VIGNETTE_CORNER_LOSS: f32 = 0.22;

/// Camera vignetting: exposure falls off smoothly with distance from the frame centre.
pub(super) fn vignette(x: usize, y: usize, width_px: usize, height_px: usize) -> f32 {
    let u = (x as f32 + 0.5) / width_px as f32 * 2.0 - 1.0;
    let v = (y as f32 + 0.5) / height_px as f32 * 2.0 - 1.0;
    let r2 = 0.5 * (u * u + v * v);
    1.0 - VIGNETTE_CORNER_LOSS * r2 * r2
}

/// Turns smooth noise into thin creases: near the noise's zero crossings the skin dips.
pub(super) fn furrow_depth(noise: f32) -> f32 {
    let ridge = (1.0 - noise.abs() * 6.0).max(0.0);
    ridge * ridge
}

/// Per-pixel sensor noise: mostly luminance, a little chroma.
pub(super) fn grain(seed: u64, x: usize, y: usize) -> [f32; 3] {
    let h = hash3(seed, TAG_GRAIN, x as i64, y as i64);
    let part = |shift: u32| ((h >> shift) & 0xFFFF) as f32 / 65535.0 - 0.5;
    let luma = (part(0) + part(16)) * 0.022;
    let chroma = part(32) * 0.008;
    [luma + chroma, luma, luma - chroma + part(48) * 0.006]
}
