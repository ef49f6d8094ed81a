//! Synthetic photos of a whole head seen from above, against a background: a shaded, shiny
//! dome with a fringe of stubble, ears, a wall and a shirt, with ground truth for each, so the
//! renderer's idea of where skin is can be checked pixel for pixel.

use super::numbers::{SrgbEncoder, srgb8_to_linear};
use super::{HairLayout, ScalpParams, generate};
use crate::engine::rng::{hash3, unit};
use image::{GrayImage, RgbImage};

/// Everything that determines a generated head photo.
#[derive(Clone, Debug)]
pub struct HeadParams {
    pub width_px: u32,
    pub height_px: u32,
    pub px_per_mm: f32,
    pub skin_srgb: [u8; 3],
    pub hair_srgb: [u8; 3],
    /// The wall behind the head.
    pub wall_srgb: [u8; 3],
    /// A shirt across the bottom of the frame, if any.
    pub shirt_srgb: Option<[u8; 3]>,
    /// Half-width and half-length of the head's outline, mm.
    pub head_radii_mm: [f32; 2],
    /// Width of the band of stubble just inside the outline, mm.
    pub fringe_mm: f32,
    pub ears: bool,
    pub seed: u64,
}

impl HeadParams {
    /// A 150 × 180 mm head, bald on top with a 15 mm fringe and ears, in front of a grey-green
    /// wall, a dark blue shirt below, at 3.5 px/mm.
    pub fn sample() -> Self {
        Self {
            width_px: 640,
            height_px: 700,
            px_per_mm: 3.5,
            skin_srgb: [0xd7, 0xb5, 0x9a],
            hair_srgb: [0x2a, 0x20, 0x1b],
            wall_srgb: [0xb8, 0xc0, 0xa8],
            shirt_srgb: Some([0x28, 0x34, 0x5a]),
            head_radii_mm: [75.0, 90.0],
            fringe_mm: 15.0,
            ears: true,
            seed: 0x4EAD_0001,
        }
    }
}

/// A generated head photo and what each pixel shows.
pub struct SyntheticHead {
    pub photo: RgbImage,
    /// 255 on the scalp (inside the head's outline), else 0.
    pub scalp: GrayImage,
    /// 255 on the bald top of the scalp, inside the fringe of stubble.
    pub bald: GrayImage,
    /// 255 on the ears.
    pub ears: GrayImage,
    /// 255 on the wall and the shirt.
    pub background: GrayImage,
}

const TAG_WALL: u64 = 0x3A11;

/// Renders a head photo from `params`.
pub fn generate_head(params: &HeadParams) -> SyntheticHead {
    let (w, h) = (params.width_px, params.height_px);
    let ppm = params.px_per_mm;
    let centre_mm = [w as f32 / ppm * 0.5, h as f32 / ppm * 0.48];
    let [ra, rb] = params.head_radii_mm;
    // The scalp: bald inside the fringe, stubble in it.
    let inner = (ra.min(rb) - params.fringe_mm).max(1.0);
    let scalp_params = ScalpParams {
        width_px: w,
        height_px: h,
        px_per_mm: ppm,
        skin_srgb: params.skin_srgb,
        hair_srgb: params.hair_srgb,
        layout: HairLayout::Patch { centre_mm, radius_mm: inner, fu_per_mm2: 1.0 },
        seed: params.seed,
    };
    let scalp = generate(&scalp_params).photo;
    let encoder = SrgbEncoder::new();
    let skin = srgb8_to_linear(params.skin_srgb);
    let wall = srgb8_to_linear(params.wall_srgb);
    let shirt = params.shirt_srgb.map(srgb8_to_linear);
    let ear_centres =
        [[centre_mm[0] - ra - 4.0, centre_mm[1] + 8.0], [centre_mm[0] + ra + 4.0, centre_mm[1] + 8.0]];
    let mut photo = RgbImage::new(w, h);
    let mut truth = [GrayImage::new(w, h), GrayImage::new(w, h), GrayImage::new(w, h)];
    let mut bald = GrayImage::new(w, h);
    let shirt_top_mm = centre_mm[1] + rb * 0.8;
    for y in 0..h {
        for x in 0..w {
            let (x_mm, y_mm) = ((x as f32 + 0.5) / ppm, (y as f32 + 0.5) / ppm);
            let (u, v) = ((x_mm - centre_mm[0]) / ra, (y_mm - centre_mm[1]) / rb);
            let r = (u * u + v * v).sqrt();
            // Anti-aliased outline: how much of the pixel the head covers.
            let edge_px = (1.0 - r) * ra.min(rb) * ppm;
            let head = (edge_px + 0.5).clamp(0.0, 1.0);
            let ear = params.ears
                && ear_centres
                    .iter()
                    .any(|c| ((x_mm - c[0]) / 9.0).powi(2) + ((y_mm - c[1]) / 22.0).powi(2) < 1.0);
            let on_shirt =
                shirt.is_some() && y_mm > shirt_top_mm + 10.0 * ((x_mm - centre_mm[0]) / 60.0).powi(2);
            // The wall: an even colour with a soft light gradient and fine texture.
            let grain = unit(hash3(params.seed, TAG_WALL, x as i64, y as i64)) as f32 - 0.5;
            let light = 0.85 + 0.25 * (1.0 - y_mm / (h as f32 / ppm)) + 0.02 * grain;
            let back: [f32; 3] = match (on_shirt, shirt) {
                (true, Some(s)) => s.map(|c| c * (0.9 + 0.04 * grain)),
                _ => wall.map(|c| c * light),
            };
            let back = if ear {
                // Ears: skin, shaded and a little redder.
                let e = ear_centres
                    .iter()
                    .map(|c| ((x_mm - c[0]) / 9.0).hypot((y_mm - c[1]) / 22.0))
                    .fold(2.0, f32::min);
                let shade = 0.55 + 0.35 * (1.0 - e * e).max(0.0).sqrt();
                [skin[0] * shade * 1.05, skin[1] * shade * 0.95, skin[2] * shade * 0.92]
            } else {
                back
            };
            // The dome turns away toward its outline: Lambert falloff, a little light around it.
            let dome = 0.45 + 0.55 * (1.0 - r.min(1.0) * r.min(1.0)).sqrt().powf(0.6);
            let s = srgb8_to_linear(scalp.get_pixel(x, y).0).map(|c| c * dome);
            let out: [f32; 3] = std::array::from_fn(|c| s[c] * head + back[c] * (1.0 - head));
            photo.put_pixel(x, y, image::Rgb(out.map(|c| encoder.encode(c))));
            if head >= 0.5 {
                truth[0].put_pixel(x, y, image::Luma([255]));
                if (x_mm - centre_mm[0]).hypot(y_mm - centre_mm[1]) < inner {
                    bald.put_pixel(x, y, image::Luma([255]));
                }
            } else if ear {
                truth[1].put_pixel(x, y, image::Luma([255]));
            } else {
                truth[2].put_pixel(x, y, image::Luma([255]));
            }
        }
    }
    let [scalp_truth, ears, background] = truth;
    SyntheticHead { photo, scalp: scalp_truth, bald, ears, background }
}
