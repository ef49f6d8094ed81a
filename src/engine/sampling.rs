//! Eyedroppers: the patient's own skin read from the photo, as a colour and where it falls
//! among skin types.

use super::color::{Srgb, linear_to_srgb8, srgb8_to_linear};
use super::hair::HairMap;
use image::RgbImage;

/// What the skin eyedropper found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SkinSample {
    pub srgb: Srgb,
    /// Individual Typology Angle, degrees.
    pub ita_degrees: f32,
    /// The nearest Fitzpatrick type (which correlates only loosely with ITA).
    pub fitzpatrick: u8,
}

impl SkinSample {
    /// The ITA skin category in words.
    pub fn category(&self) -> &'static str {
        ita_category(self.ita_degrees)
    }
}

/// ITA categories: > 55 very light, 41–55 light, 28–41 intermediate, 10–28 tan, −30–10
/// brown, < −30 dark.
pub fn ita_category(ita: f32) -> &'static str {
    match ita {
        a if a > 55.0 => "very light",
        a if a > 41.0 => "light",
        a if a > 28.0 => "intermediate",
        a if a > 10.0 => "tan",
        a if a > -30.0 => "brown",
        _ => "dark",
    }
}

/// The Fitzpatrick type usually met at an ITA (a loose correspondence, I … VI).
pub fn fitzpatrick_for_ita(ita: f32) -> u8 {
    match ita {
        a if a > 55.0 => 1,
        a if a > 41.0 => 2,
        a if a > 28.0 => 3,
        a if a > 10.0 => 4,
        a if a > -30.0 => 5,
        _ => 6,
    }
}

/// The skin colour within `radius_px` of `(x, y)`: hair pixels are left out, and of the rest
/// the middle half by brightness is averaged in linear light, so neither a specular glint nor
/// a shadow or a freckle sways it. `None` when no skin is there to read.
pub fn sample_skin(
    photo: &RgbImage,
    hair: Option<&HairMap>,
    x: f32,
    y: f32,
    radius_px: f32,
) -> Option<SkinSample> {
    let r = radius_px.max(1.0);
    let (w, h) = photo.dimensions();
    let x0 = (x - r).floor().max(0.0) as u32;
    let y0 = (y - r).floor().max(0.0) as u32;
    let x1 = ((x + r).ceil() as u32 + 1).min(w);
    let y1 = ((y + r).ceil() as u32 + 1).min(h);
    let mut pixels: Vec<[f32; 3]> = Vec::new();
    for py in y0..y1 {
        for px in x0..x1 {
            let (dx, dy) = (px as f32 + 0.5 - x, py as f32 + 0.5 - y);
            if dx * dx + dy * dy > r * r {
                continue;
            }
            if hair.is_some_and(|hair| hair.width() == w && hair.height() == h && hair.is_hair(px, py)) {
                continue;
            }
            pixels.push(photo.get_pixel(px, py).0.map(srgb8_to_linear));
        }
    }
    if pixels.is_empty() {
        return None;
    }
    let luma = |p: &[f32; 3]| 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
    pixels.sort_by(|a, b| luma(a).total_cmp(&luma(b)));
    let (lo, hi) = (pixels.len() / 4, (pixels.len() * 3).div_ceil(4).max(pixels.len() / 4 + 1));
    let middle = &pixels[lo..hi.min(pixels.len())];
    let mean: [f32; 3] =
        std::array::from_fn(|c| middle.iter().map(|p| p[c]).sum::<f32>() / middle.len() as f32);
    let srgb = Srgb(mean.map(linear_to_srgb8));
    let ita = srgb.ita_degrees();
    Some(SkinSample { srgb, ita_degrees: ita, fitzpatrick: fitzpatrick_for_ita(ita) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skin_is_read_past_glints_shadows_and_hair() {
        // Skin #c8a088 with a few white glints and dark hairs.
        let mut photo = RgbImage::from_pixel(60, 60, image::Rgb([0xc8, 0xa0, 0x88]));
        for i in 0..12 {
            photo.put_pixel(20 + i, 30, image::Rgb([255, 255, 255]));
            photo.put_pixel(30, 20 + i, image::Rgb([20, 15, 12]));
        }
        let sample = sample_skin(&photo, None, 30.0, 30.0, 15.0).unwrap();
        for (got, want) in sample.srgb.0.iter().zip([0xc8u8, 0xa0, 0x88]) {
            assert!((*got as i32 - want as i32).abs() <= 2, "{:?}", sample.srgb);
        }
        assert_eq!(sample.category(), ita_category(Srgb([0xc8, 0xa0, 0x88]).ita_degrees()));
        assert!(sample_skin(&photo, None, -100.0, -100.0, 5.0).is_none(), "nothing to read off the photo");
    }

    #[test]
    fn the_monk_scale_runs_from_very_light_to_dark() {
        // The first and last Monk Skin Tone swatches.
        let light = Srgb::parse("#f6ede4").unwrap().ita_degrees();
        let dark = Srgb::parse("#292420").unwrap().ita_degrees();
        assert_eq!((ita_category(light), fitzpatrick_for_ita(light)), ("very light", 1));
        assert_eq!((ita_category(dark), fitzpatrick_for_ita(dark)), ("dark", 6));
    }
}
