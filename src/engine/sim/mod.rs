//! The SMP simulation: where dots go, what each dot is, and how pigment under skin looks.
//!
//! Everything here is in real units (mm, dots/cm², years); pixels appear only when reading the
//! photo and the masks and when writing the result.

mod distance;
mod dots;
mod edges;
mod fields;
mod optics;
pub mod pattern;
mod scar_tone;
pub mod shadow;

/// How far around the scar layer other regions change the scar's tone, mm: an edit of another
/// region within it re-renders the whole scar.
pub const SCAR_TONE_REACH_MM: f32 = scar_tone::RING_MM;

pub use dots::{Dot, place_dots};

use crate::engine::analysis::PhotoAnalysis;
use crate::engine::compression::Compression;
use crate::engine::hair::HairMap;
use crate::engine::head::{Dome, HeadEllipse, OutlineChoice, Patch};
use crate::engine::mask::{PixelRect, RegionKind, RegionMasks};
use crate::engine::preset::Preset;
use crate::engine::units::Scale;
use image::RgbImage;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Side of the square tiles the renderer works in, in pixels.
pub const TILE_PX: u32 = 128;

/// Where the pigment is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Stage {
    /// The first days after a session: dots larger and darker, skin slightly red around them.
    Fresh,
    /// Healed (about a month on), then `years` of fading.
    Healed { years: f32 },
}

impl Default for Stage {
    fn default() -> Self {
        Stage::Healed { years: 0.0 }
    }
}

/// The choices that are not part of the preset: scale, seed, which session and when, and what
/// the person said about the photo where the estimate should not be used.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimSettings {
    pub scale: Scale,
    pub seed: u64,
    /// 1-based session to show; the result includes all earlier sessions' dots.
    pub session: u32,
    pub stage: Stage,
    /// The photo's blur (σ of its PSF on the scalp, mm) set by hand; `None` uses the photo's
    /// own estimate ([`PhotoAnalysis::sharpness_mm`]), which varies across the photo.
    #[serde(default)]
    pub photo_sharpness_mm: Option<f32>,
    /// The head's outline the scalp's curvature follows.
    #[serde(default)]
    pub head: OutlineChoice,
}

impl Default for SimSettings {
    fn default() -> Self {
        Self {
            scale: Scale::DEFAULT,
            seed: 1,
            session: 3,
            stage: Stage::default(),
            photo_sharpness_mm: None,
            head: OutlineChoice::Found,
        }
    }
}

/// Blur (PSF σ, px) assumed for a photo that was not analysed and has no override: a photo
/// about as sharp as its pixels.
pub const UNANALYSED_BLUR_PX: f32 = crate::engine::analysis::psf::FALLBACK_SIGMA_PX;

/// Largest blur a person may set by hand, mm on the scalp.
pub const MAX_PHOTO_SHARPNESS_MM: f32 = 2.0;

/// Everything one render reads.
#[derive(Clone, Copy)]
pub struct Scene<'a> {
    pub photo: &'a RgbImage,
    /// Hairs found on the photo; dots avoid them and fewer are needed where hair remains.
    pub hair: Option<&'a HairMap>,
    pub masks: &'a RegionMasks,
    pub preset: &'a Preset,
    pub settings: SimSettings,
    /// What was measured on the photo (its blur, surface shine, skin); build it once per photo
    /// and scale with [`PhotoAnalysis::new`]. Without it the photo is taken as sharp, matte
    /// and all skin.
    pub analysis: Option<&'a PhotoAnalysis>,
    /// How the camera compressed the photo, when it is a JPEG decoded as it is: the pixels a
    /// render changes go through the same rounding, so the treated area carries the photo's
    /// compression like the rest of it. Ignored when it does not fit the photo.
    pub compression: Option<&'a Compression>,
}

impl<'a> Scene<'a> {
    /// A scene read from the photo alone: no hair found, no analysis (sharp, matte, all skin)
    /// and no compression history.
    pub fn new(
        photo: &'a RgbImage,
        masks: &'a RegionMasks,
        preset: &'a Preset,
        settings: SimSettings,
    ) -> Self {
        Self { photo, hair: None, masks, preset, settings, analysis: None, compression: None }
    }

    /// The outline the render follows: the one set by hand, else the one found on the photo.
    pub fn head_ellipse(&self) -> Option<HeadEllipse> {
        match self.settings.head {
            OutlineChoice::Flat => None,
            OutlineChoice::Set(ellipse) => Some(ellipse),
            OutlineChoice::Found => self.analysis.and_then(|a| a.head),
        }
    }

    /// The curved scalp the render follows, or `None` where it is taken as flat.
    pub fn dome(&self) -> Option<Dome> {
        self.head_ellipse().and_then(Dome::new)
    }
}

/// How the scalp at a point is seen: facing the camera where there is no dome.
pub fn patch_at(dome: Option<&Dome>, x: f32, y: f32) -> Patch {
    dome.map_or(Patch::FLAT, |d| d.patch(x, y))
}

/// σ of the photo's PSF at a point, px: the consultation's override, else the photo's own
/// estimate there, else a photo as sharp as its pixels.
pub fn photo_blur_px(scene: &Scene, x: f32, y: f32) -> f32 {
    match (scene.settings.photo_sharpness_mm, scene.analysis) {
        (Some(mm), _) => scene.settings.scale.px(mm.clamp(0.0, MAX_PHOTO_SHARPNESS_MM)),
        (None, Some(analysis)) => analysis.psf.sigma_px(x, y),
        (None, None) => UNANALYSED_BLUR_PX,
    }
}

/// The largest blur anywhere on the photo, px.
pub fn max_photo_blur_px(scene: &Scene) -> f32 {
    match (scene.settings.photo_sharpness_mm, scene.analysis) {
        (Some(_), _) | (None, None) => photo_blur_px(scene, 0.0, 0.0),
        (None, Some(analysis)) => analysis.psf.range_px().1,
    }
}

/// The photo's blur as one figure (PSF σ on the scalp, mm) and whether it was set by hand: what
/// a person is shown ("photo sharpness 0.12 mm").
pub fn photo_sharpness_mm(scene: &Scene) -> (f32, bool) {
    match (scene.settings.photo_sharpness_mm, scene.analysis) {
        (Some(mm), _) => (mm.clamp(0.0, MAX_PHOTO_SHARPNESS_MM), true),
        (None, Some(analysis)) => (scene.settings.scale.mm(analysis.psf.summary_px()), false),
        (None, None) => (scene.settings.scale.mm(UNANALYSED_BLUR_PX), false),
    }
}

/// Dot count, area and density of one region.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RegionStats {
    pub dots: usize,
    pub area_cm2: f64,
}

impl RegionStats {
    pub fn dots_per_cm2(&self) -> f64 {
        if self.area_cm2 > 0.0 { self.dots as f64 / self.area_cm2 } else { 0.0 }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    pub regions: [RegionStats; 3],
}

impl Stats {
    pub fn region(&self, kind: RegionKind) -> RegionStats {
        self.regions[kind.index()]
    }
}

/// A finished simulation.
#[derive(Clone, Debug)]
pub struct Render {
    pub image: RgbImage,
    pub dots: Vec<Dot>,
    pub stats: Stats,
}

/// Renders the whole photo.
pub fn render(scene: &Scene) -> Render {
    let bounds = PixelRect::full(scene.photo.width(), scene.photo.height());
    let mut image = scene.photo.clone();
    let dots = render_into(scene, &mut image, bounds);
    let stats = stats(scene, &dots);
    Render { image, dots, stats }
}

/// Re-renders the tiles that touch `dirty` into `image` (a previous render of the same scene
/// elsewhere) and returns every dot of the scene. The pixels equal those of a full render.
pub fn render_into(scene: &Scene, image: &mut RgbImage, dirty: PixelRect) -> Vec<Dot> {
    let (width, height) = scene.photo.dimensions();
    let bounds = PixelRect::full(width, height);
    let painted = RegionKind::ALL
        .iter()
        .map(|&k| scene.masks.get(k).painted_bounds())
        .fold(PixelRect { x0: 0, y0: 0, x1: 0, y1: 0 }, PixelRect::union);
    let fields = fields::Fields::compute(scene);
    let dots = place_dots(scene, &fields, painted);
    let dirty = dirty.intersect(bounds);
    if dirty.is_empty() {
        return dots;
    }
    let tiles: Vec<PixelRect> = tiles_covering(dirty, bounds);
    let optics = optics::Optics::new(scene);
    let reach_px = optics::max_reach_px(scene, &optics);
    let compression = scene.compression.filter(|c| c.fits(scene.photo));
    let rendered: Vec<(PixelRect, Vec<u8>)> = tiles
        .par_iter()
        .map(|&tile| {
            if !painted_within(scene.masks, tile) {
                return (tile, photo_pixels(scene.photo, tile));
            }
            let Some(compression) = compression else {
                let near: Vec<&Dot> = dots.iter().filter(|d| d.touches(tile, reach_px)).collect();
                return (tile, optics::render_tile(scene, &fields, &optics, tile, &near));
            };
            // The camera's blocks that the tile cuts are rendered whole, so that each block is
            // rounded from all its pixels whichever tile it is rendered for.
            let whole = compression.snap(tile);
            let near: Vec<&Dot> = dots.iter().filter(|d| d.touches(whole, reach_px)).collect();
            let mut pixels = optics::render_tile(scene, &fields, &optics, whole, &near);
            compression.apply(whole, &photo_pixels(scene.photo, whole), &mut pixels);
            (tile, crop(&pixels, whole, tile))
        })
        .collect();
    let stride = width as usize * 3;
    for (tile, pixels) in rendered {
        let row_bytes = (tile.x1 - tile.x0) as usize * 3;
        for (src, y) in pixels.chunks_exact(row_bytes).zip(tile.y0..tile.y1) {
            let start = y as usize * stride + tile.x0 as usize * 3;
            if let Some(dst) = image.get_mut(start..start + row_bytes) {
                dst.copy_from_slice(src);
            }
        }
    }
    dots
}

/// Whether any region is painted within `tile`. Where none is, a render leaves the photo as it
/// is (`tests/properties.rs` holds every render to that), so most of a photo costs a copy.
fn painted_within(masks: &RegionMasks, tile: PixelRect) -> bool {
    RegionKind::ALL.iter().any(|&kind| {
        let mask = masks.get(kind);
        let w = mask.width() as usize;
        (tile.y0..tile.y1).any(|y| {
            let start = y as usize * w;
            mask.data()
                .get(start + tile.x0 as usize..start + tile.x1 as usize)
                .is_some_and(|row| row.iter().any(|&v| v != 0))
        })
    })
}

/// The photo's RGB bytes within `tile`, row-major.
fn photo_pixels(photo: &RgbImage, tile: PixelRect) -> Vec<u8> {
    let stride = photo.width() as usize * 3;
    let mut out = Vec::with_capacity((tile.x1 - tile.x0) as usize * (tile.y1 - tile.y0) as usize * 3);
    for y in tile.y0..tile.y1 {
        let start = y as usize * stride;
        if let Some(row) = photo.as_raw().get(start + tile.x0 as usize * 3..start + tile.x1 as usize * 3) {
            out.extend_from_slice(row);
        }
    }
    out
}

/// The pixels of `inner` out of `pixels`, which hold `outer` (row-major RGB).
fn crop(pixels: &[u8], outer: PixelRect, inner: PixelRect) -> Vec<u8> {
    let stride = (outer.x1 - outer.x0) as usize * 3;
    let row_bytes = (inner.x1 - inner.x0) as usize * 3;
    let mut out = Vec::with_capacity(row_bytes * (inner.y1 - inner.y0) as usize);
    for y in inner.y0..inner.y1 {
        let start = (y - outer.y0) as usize * stride + (inner.x0 - outer.x0) as usize * 3;
        if let Some(row) = pixels.get(start..start + row_bytes) {
            out.extend_from_slice(row);
        }
    }
    out
}

/// A small picture of what a preset looks like: a bald patch of the preset's own skin tone,
/// fully treated, at 10 px/mm (so `width_px` 80 shows 8 mm of scalp).
pub fn thumbnail(preset: &Preset, width_px: u32, height_px: u32) -> RgbImage {
    use crate::engine::synth::{self, HairLayout, ScalpParams};
    let params = ScalpParams::sample()
        .with_size(width_px, height_px)
        .with_skin(preset.skin.srgb.0)
        .with_layout(HairLayout::Bald);
    let photo = synth::generate(&params).photo;
    let mut masks = RegionMasks::new(width_px, height_px);
    masks.get_mut(RegionKind::Bald).data_mut().fill(255);
    let settings = SimSettings { scale: Scale { px_per_mm: 10.0 }, ..SimSettings::default() };
    render(&Scene::new(&photo, &masks, preset, settings)).image
}

/// How far (in pixels) a change of the region masks at one pixel can change the result: a dot's
/// footprint and scattering, plus the hairline feather whose depth is measured from its front.
pub fn influence_px(scene: &Scene) -> u32 {
    let hairline = &scene.preset.hairline;
    let feather_mm = (hairline.feather_width_mm + 2.0 * hairline.edge_jitter_mm + 1.0).max(edges::reach_mm());
    let dot_px =
        scene.settings.scale.px(scene.preset.dots.dot_diameter_mm * scene.preset.aging.fresh_size_factor);
    let reach_px = optics::max_reach_px(scene, &optics::Optics::new(scene));
    (reach_px + dot_px + scene.settings.scale.px(feather_mm)).ceil() as u32 + 2
}

/// A mask's coverage of skin, weighted by the surface each pixel holds: in px of skin facing
/// the camera. Brush spill onto the wall or the shirt is no treated area.
fn surface_coverage(
    mask: &crate::engine::mask::Mask,
    dome: Option<&Dome>,
    skin: Option<&crate::engine::analysis::SkinMap>,
) -> f64 {
    if dome.is_none() && skin.is_none() {
        return mask.coverage_sum();
    }
    let bounds = mask.painted_bounds();
    if bounds.is_empty() {
        // Not an empty float sum, which is −0: "−0.0 cm²" on a hand-out.
        return 0.0;
    }
    let w = mask.width() as usize;
    (bounds.y0..bounds.y1)
        .into_par_iter()
        .map(|y| {
            let row = &mask.data()[y as usize * w..][..w];
            (bounds.x0..bounds.x1)
                .filter(|&x| row[x as usize] != 0)
                .map(|x| {
                    let surface = dome.map_or(1.0, |d| d.area_factor(x as f32 + 0.5, y as f32 + 0.5));
                    let skin = skin.map_or(1.0, |s| s.likelihood(x, y) as f64);
                    row[x as usize] as f64 / 255.0 * surface * skin
                })
                .sum::<f64>()
        })
        .sum()
}

/// The grid tiles (aligned to multiples of [`TILE_PX`]) that overlap `rect`.
fn tiles_covering(rect: PixelRect, bounds: PixelRect) -> Vec<PixelRect> {
    let mut tiles = Vec::new();
    let mut ty = rect.y0 / TILE_PX * TILE_PX;
    while ty < rect.y1 {
        let mut tx = rect.x0 / TILE_PX * TILE_PX;
        while tx < rect.x1 {
            tiles.push(PixelRect { x0: tx, y0: ty, x1: tx + TILE_PX, y1: ty + TILE_PX }.intersect(bounds));
            tx += TILE_PX;
        }
        ty += TILE_PX;
    }
    tiles
}

/// Every dot of the whole treatment (all sessions, whatever session the scene shows), for
/// plan figures: each dot says the session that places it.
pub fn plan_dots(scene: &Scene) -> Vec<Dot> {
    let last = scene.preset.session_count();
    let scene = Scene { settings: SimSettings { session: last, ..scene.settings }, ..*scene };
    let painted = RegionKind::ALL
        .iter()
        .map(|&k| scene.masks.get(k).painted_bounds())
        .fold(PixelRect { x0: 0, y0: 0, x1: 0, y1: 0 }, PixelRect::union);
    let fields = fields::Fields::compute(&scene);
    place_dots(&scene, &fields, painted)
}

/// Dots per region and painted area per region.
pub fn stats(scene: &Scene, dots: &[Dot]) -> Stats {
    let mut stats = Stats::default();
    let mm2_per_px = scene.settings.scale.mm2_per_px();
    let dome = scene.dome();
    for kind in RegionKind::ALL {
        let mask = scene.masks.get(kind);
        // Where the scalp turns away, each pixel holds more skin than one facing the camera.
        let px = surface_coverage(mask, dome.as_ref(), scene.analysis.map(|a| &a.skin));
        stats.regions[kind.index()].area_cm2 = px * mm2_per_px / 100.0;
    }
    for dot in dots {
        stats.regions[dot.region.index()].dots += 1;
    }
    stats
}

#[cfg(test)]
mod tests;
