//! Colour helpers: sRGB ↔ linear light and a hex notation people can read in preset files.

use image::RgbImage;
use rayon::prelude::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::OnceLock;

/// An sRGB colour written as `"#rrggbb"` in files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Srgb(pub [u8; 3]);

impl Srgb {
    pub fn to_hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    pub fn parse(text: &str) -> Option<Srgb> {
        let hex = text.trim().strip_prefix('#')?;
        // Hex digits only: Rust's number parser would take "+f" as a digit pair.
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Srgb([byte(0)?, byte(2)?, byte(4)?]))
    }

    /// The colour in linear light, 0–1 per channel.
    pub fn to_linear(self) -> [f32; 3] {
        self.0.map(srgb8_to_linear)
    }

    /// Individual Typology Angle in degrees: > 55 very light … < −30 dark.
    pub fn ita_degrees(self) -> f32 {
        let (l, _a, b) = srgb_to_lab(self);
        ((l - 50.0).atan2(b)).to_degrees()
    }
}

impl Serialize for Srgb {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Srgb {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Srgb::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("`{text}` is not a colour; write it as \"#rrggbb\""))
        })
    }
}

fn linear_lut() -> &'static [f32; 256] {
    static LUT: OnceLock<[f32; 256]> = OnceLock::new();
    LUT.get_or_init(|| std::array::from_fn(|i| srgb_to_linear(i as f32 / 255.0)))
}

/// Relative luminance (Rec. 709 weights) of a linear RGB colour.
#[inline]
pub fn luminance(rgb: [f32; 3]) -> f32 {
    0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
}

/// Exact sRGB transfer function (IEC 61966-2-1), 0–1 → 0–1.
pub fn srgb_to_linear(v: f32) -> f32 {
    if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
}

pub fn linear_to_srgb(v: f32) -> f32 {
    let v = v.clamp(0.0, 1.0);
    if v <= 0.003_130_8 { v * 12.92 } else { 1.055 * v.powf(1.0 / 2.4) - 0.055 }
}

#[inline]
pub fn srgb8_to_linear(v: u8) -> f32 {
    linear_lut()[v as usize]
}

const ENCODE_STEPS: usize = 1 << 16;

/// Linear light 0–1 to an sRGB byte, through a table fine enough that every byte round-trips.
#[inline]
pub fn linear_to_srgb8(v: f32) -> u8 {
    static LUT: OnceLock<Vec<u8>> = OnceLock::new();
    let lut = LUT.get_or_init(|| {
        (0..ENCODE_STEPS)
            .map(|i| {
                let lin = i as f32 / (ENCODE_STEPS - 1) as f32;
                (linear_to_srgb(lin) * 255.0).round() as u8
            })
            .collect()
    });
    // Adding a half and truncating rounds these non-negative values as `round` does, without
    // the library call `round` costs on CPUs without SSE4.1 (every pixel channel comes here).
    let i = (v.clamp(0.0, 1.0) * (ENCODE_STEPS - 1) as f32 + 0.5) as usize;
    lut[i.min(ENCODE_STEPS - 1)]
}

/// Reads every pixel of `src`, takes it to linear light and back through the renderer's lookup
/// tables and writes it to `dst`, rows on every core: the least any render of the photo can
/// cost, so `smp-studio bench` states each stage as a multiple of it. Sizes must match; a
/// smaller `dst` gets the part that fits.
pub fn round_trip_into(src: &RgbImage, dst: &mut RgbImage) {
    let row = src.width() as usize * 3;
    if row == 0 {
        return;
    }
    dst.par_chunks_mut(row).zip(src.par_chunks(row)).for_each(|(out, input)| {
        for (o, &v) in out.iter_mut().zip(input) {
            *o = linear_to_srgb8(srgb8_to_linear(v));
        }
    });
}

/// CIE L*a*b* (D65) of an sRGB colour.
pub fn srgb_to_lab(c: Srgb) -> (f32, f32, f32) {
    linear_to_lab(c.to_linear())
}

/// CIE L*a*b* (D65) of a colour in linear light, 0–1 per channel.
pub fn linear_to_lab([r, g, b]: [f32; 3]) -> (f32, f32, f32) {
    let x = 0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b;
    let y = 0.212_672_9 * r + 0.715_152_2 * g + 0.072_175 * b;
    let z = 0.019_333_9 * r + 0.119_192 * g + 0.950_304_1 * b;
    let f = |t: f32| {
        if t > 216.0 / 24389.0 { t.cbrt() } else { (24389.0 / 27.0 * t + 16.0) / 116.0 }
    };
    let (fx, fy, fz) = (f(x / 0.950_47), f(y), f(z / 1.088_83));
    (116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_srgb_byte_round_trips_through_linear_light() {
        for v in 0..=255u8 {
            assert_eq!(linear_to_srgb8(srgb8_to_linear(v)), v);
        }
    }

    #[test]
    fn the_baseline_pass_gives_back_the_photo() {
        let src =
            RgbImage::from_fn(37, 11, |x, y| image::Rgb([(x * 7) as u8, (y * 23) as u8, (x * y) as u8]));
        let mut dst = RgbImage::new(37, 11);
        round_trip_into(&src, &mut dst);
        assert!(src == dst, "a pixel changed on its way through linear light");
    }

    #[test]
    fn hex_round_trips_and_rejects_junk() {
        let c = Srgb([0x2b, 0x2a, 0x30]);
        assert_eq!(Srgb::parse(&c.to_hex()), Some(c));
        assert_eq!(Srgb::parse("2b2a30"), None);
        assert_eq!(Srgb::parse("#2b2a3"), None);
        assert_eq!(Srgb::parse("#zzzzzz"), None);
    }

    #[test]
    fn ita_orders_monk_swatches_from_light_to_dark() {
        let light = Srgb::parse("#f6ede4").unwrap().ita_degrees();
        let medium = Srgb::parse("#a07e56").unwrap().ita_degrees();
        let dark = Srgb::parse("#292420").unwrap().ita_degrees();
        assert!(light > 55.0, "light {light}");
        assert!(light > medium && medium > dark, "{light} {medium} {dark}");
        assert!(dark < -30.0, "dark {dark}");
    }
}
