//! Synthetic close-up photographs of a shaved scalp, with exact hair ground truth.
//!
//! Hair detection and dot placement need test photos whose hairs are known pixel for pixel, and
//! the consultation screens need a sample head that reads as a real photo. Both come from here:
//! a shaded, shiny skin dome with mottling and micro-texture, follicle shadows seen through the
//! skin, and buzz-cut hair strokes placed follicular unit by follicular unit.
//!
//! Everything is a pure function of [`ScalpParams`]: random choices are keyed by seed and grid
//! position, painting runs on one thread in a fixed order, and the few transcendental functions
//! needed are evaluated with local polynomial approximations rather than the platform's maths
//! library, so the same parameters give the same bytes on every machine.

pub mod camera;
mod features;
mod growth;
pub mod head;
mod light;
mod noise;
mod numbers;
mod regions;
mod skin;
mod stubble;

pub use stubble::Stubble;

use features::*;
use growth::*;
use light::*;
use noise::*;
use numbers::*;
pub use regions::three_regions;
use skin::*;

use super::rng::{Rng, hash3, unit};
pub use head::{HeadParams, SyntheticHead, generate_head};
use image::{GrayImage, RgbImage};

/// Where hair remains on the generated head.
#[derive(Clone, Debug, PartialEq)]
pub enum HairLayout {
    /// The bundled sample: a receding front (top of the image is the forehead side, bare, with an
    /// M-shaped hairline and receded temples), a thinning crown (lower-middle of the image,
    /// density falling to near zero at its centre), full density on the sides and back.
    Sample,
    /// The same follicular-unit density everywhere (for tests): follicular units per mm².
    Uniform { fu_per_mm2: f32 },
    /// No hair at all (a fully bald head).
    Bald,
    /// A round bald patch (centre and radius in mm from the frame's top-left corner) in stubble
    /// of the given follicular units per mm²; the stubble thins out over about 2 mm at its edge.
    Patch { centre_mm: [f32; 2], radius_mm: f32, fu_per_mm2: f32 },
}

/// Everything that determines a generated photo.
#[derive(Clone, Debug)]
pub struct ScalpParams {
    pub width_px: u32,
    pub height_px: u32,
    pub px_per_mm: f32,
    /// Skin base colour, sRGB.
    pub skin_srgb: [u8; 3],
    /// Hair colour, sRGB.
    pub hair_srgb: [u8; 3],
    pub layout: HairLayout,
    pub seed: u64,
}

impl ScalpParams {
    /// The bundled sample: 1600×1200 px at 10 px/mm, light-medium skin, dark brown-black hair.
    pub fn sample() -> Self {
        Self {
            width_px: 1600,
            height_px: 1200,
            px_per_mm: 10.0,
            skin_srgb: [0xd7, 0xb5, 0x9a],
            hair_srgb: [0x2a, 0x20, 0x1b],
            layout: HairLayout::Sample,
            seed: 0x5A1F_C0DE_0000_0001,
        }
    }

    /// The same photo with another skin tone (light and dark variants of one head).
    pub fn with_skin(mut self, skin_srgb: [u8; 3]) -> Self {
        self.skin_srgb = skin_srgb;
        self
    }

    /// The same photo with another hair colour.
    pub fn with_hair(mut self, hair_srgb: [u8; 3]) -> Self {
        self.hair_srgb = hair_srgb;
        self
    }

    /// The same skin and lighting with another hair layout.
    pub fn with_layout(mut self, layout: HairLayout) -> Self {
        self.layout = layout;
        self
    }

    /// Another random head with the same parameters.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// A different frame size at the same scale; the layout scales with the frame.
    pub fn with_size(mut self, width_px: u32, height_px: u32) -> Self {
        self.width_px = width_px;
        self.height_px = height_px;
        self
    }
}

/// A generated photo and what is known about it.
pub struct SyntheticScalp {
    pub photo: RgbImage,
    /// Ground truth: 255 where a hair shaft covers the pixel by at least ~50 %, else 0. Same size
    /// as photo.
    pub hair_mask: GrayImage,
    /// Hairs drawn whose root lies inside the frame (hairs rooted just outside it may still
    /// reach in, and are drawn but not counted).
    pub hair_count: usize,
    /// Follicular units placed whose exit point lies inside the frame.
    pub follicular_units: usize,
}

/// Renders a scalp photo and its hair mask from `params`.
pub fn generate(params: &ScalpParams) -> SyntheticScalp {
    let frame = Frame::new(params);
    if frame.width_px == 0 || frame.height_px == 0 {
        return SyntheticScalp {
            photo: RgbImage::new(params.width_px, params.height_px),
            hair_mask: GrayImage::new(params.width_px, params.height_px),
            hair_count: 0,
            follicular_units: 0,
        };
    }
    let palette = Palette::new(params);
    let lighting = Lighting::new(&frame);
    let fullness = Fullness::new(params, &frame);
    let mut canvas = Canvas::new(frame);

    let skin_texture = SkinTexture::new(params.seed, &frame, &lighting, &fullness);
    paint_skin(&mut canvas, &palette, &skin_texture);
    paint_sun_spots(&mut canvas, params.seed, &fullness);

    let spacing_mm = site_spacing_mm(&params.layout);
    let sites = place_sites(params.seed, &frame, spacing_mm);
    for site in &sites {
        paint_pore(&mut canvas, site);
    }

    let directions = DirectionField::new(params.seed, &frame);
    let growth = Growth {
        fullness: &fullness,
        directions: &directions,
        palette: &palette,
        acceptance: site_acceptance(&params.layout),
    };
    let units: Vec<FollicularUnit> = sites.iter().filter_map(|site| growth.grow(site)).collect();
    paint_buried_haze(&mut canvas, &units);
    for unit in &units {
        paint_follicle_shadow(&mut canvas, unit);
    }
    for hair in units.iter().flat_map(|unit| unit.hairs.iter()) {
        paint_hair(&mut canvas, hair, &lighting);
    }

    let follicular_units = units.iter().filter(|u| frame.contains_mm(u.exit_mm)).count();
    let hair_count =
        units.iter().flat_map(|u| u.hairs.iter()).filter(|h| frame.contains_mm(h.root_mm)).count();
    let (photo, hair_mask) = canvas.finish(params.seed);
    SyntheticScalp { photo, hair_mask, hair_count, follicular_units }
}

#[cfg(test)]
mod tests;
