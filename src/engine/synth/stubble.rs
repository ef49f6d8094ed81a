//! Buzzed stubble of known size, density and darkness, for testing Match stubble.

use crate::engine::color::{linear_to_srgb8, srgb8_to_linear};
use crate::engine::rng::Rng;
use crate::engine::units::Scale;
use image::{Rgb, RgbImage};

/// Round dark blobs, as short hair seen end-on at a few px/mm.
#[derive(Clone, Copy, Debug)]
pub struct Stubble {
    pub diameter_mm: f32,
    pub per_cm2: f32,
    /// How much darker than the skin each blob is, 0–1 in linear light.
    pub contrast: f32,
    pub seed: u64,
}

impl Stubble {
    /// Paints the blobs over the pixels `x0..x1`, `y0..y1` of `photo`, darkening whatever skin is
    /// under them. Blobs keep apart from each other as separate hairs do.
    pub fn paint(&self, photo: &mut RgbImage, scale: Scale, (x0, y0, x1, y1): (u32, u32, u32, u32)) {
        let (x1, y1) = (x1.min(photo.width()), y1.min(photo.height()));
        if x0 >= x1 || y0 >= y1 {
            return;
        }
        let area_mm2 = scale.mm((x1 - x0) as f32) * scale.mm((y1 - y0) as f32);
        let count = (area_mm2 / 100.0 * self.per_cm2).round() as usize;
        let r = scale.px(self.diameter_mm) / 2.0;
        let mut rng = Rng::new(self.seed);
        let mut placed: Vec<(f32, f32)> = Vec::with_capacity(count);
        let mut tries = 0;
        while placed.len() < count && tries < count * 200 {
            tries += 1;
            let x = rng.range(f64::from(x0), f64::from(x1)) as f32;
            let y = rng.range(f64::from(y0), f64::from(y1)) as f32;
            if placed.iter().any(|&(px, py)| (px - x).hypot(py - y) < 2.2 * r) {
                continue;
            }
            placed.push((x, y));
        }
        for (x, y) in placed {
            for py in (y - r).floor().max(y0 as f32) as u32..((y + r).ceil() as u32 + 1).min(y1) {
                for px in (x - r).floor().max(x0 as f32) as u32..((x + r).ceil() as u32 + 1).min(x1) {
                    if (px as f32 + 0.5 - x).hypot(py as f32 + 0.5 - y) <= r {
                        let skin = photo.get_pixel(px, py).0.map(srgb8_to_linear);
                        let dark = skin.map(|c| linear_to_srgb8(c * (1.0 - self.contrast)));
                        photo.put_pixel(px, py, Rgb(dark));
                    }
                }
            }
        }
    }
}
