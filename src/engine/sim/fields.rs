//! Per-render fields derived from the whole consultation: how deep each hairline pixel sits
//! behind the front edge. They depend on more than one pixel, so they are computed once per
//! render and then read point by point.

use super::Scene;
use super::distance::chamfer;
use super::edges::EdgeBlend;
use super::scar_tone::ScarTone;
use crate::engine::hair::FULL_COVERAGE;
use crate::engine::mask::{PixelRect, RegionKind};
use crate::engine::preset::HairlineStyle;
use crate::engine::rng::value_noise;

/// Depth behind the hairline's front edge over the hairline region's bounds.
pub struct HairlineDepth {
    rect: PixelRect,
    /// Distance from the front in pixels; ∞ off the hairline region.
    front_px: Vec<f32>,
    px_per_mm: f32,
    seed: u64,
    /// How far the edge wanders, in mm.
    jitter_mm: f32,
}

impl HairlineDepth {
    /// Depth in mm at a pixel of the hairline region (∞ outside it). The edge's irregularity is
    /// added here, where a dot asks, rather than for every pixel of the region.
    #[inline]
    pub fn depth_mm(&self, x: u32, y: u32) -> f32 {
        if !self.rect.contains(x, y) {
            return f32::INFINITY;
        }
        let w = (self.rect.x1 - self.rect.x0) as usize;
        let front_px = self.front_px[(y - self.rect.y0) as usize * w + (x - self.rect.x0) as usize];
        if front_px.is_infinite() {
            return f32::INFINITY;
        }
        let px_per_mm = self.px_per_mm as f64;
        let (x_mm, y_mm) = (x as f64 / px_per_mm, y as f64 / px_per_mm);
        // Macro- and micro-irregularity of the edge: never a straight line.
        let wobble = 0.65 * (value_noise(self.seed, x_mm / 4.0, y_mm / 4.0) * 2.0 - 1.0)
            + 0.35 * (value_noise(self.seed ^ 0x77, x_mm / 1.1, y_mm / 1.1) * 2.0 - 1.0);
        front_px / self.px_per_mm + self.jitter_mm * wobble as f32
    }
}

/// Fields shared by every dot of one render.
pub struct Fields {
    pub hairline: Option<HairlineDepth>,
    /// How pale scar skin is brought toward the skin around it.
    pub scar_tone: Option<ScarTone>,
    /// How regions blend into the native hair at their edges.
    pub edges: Option<EdgeBlend>,
    /// Share of the skin's light the preset's dots take away at full density: the yardstick
    /// native hair is measured with.
    pub full_darkening: f32,
}

impl Fields {
    pub fn compute(scene: &Scene) -> Fields {
        let full = super::optics::full_density_darkening(scene);
        let full_darkening = full.total();
        Fields {
            hairline: hairline_depth(scene),
            scar_tone: ScarTone::compute(scene, full.dots),
            edges: EdgeBlend::compute(scene, full_darkening),
            full_darkening,
        }
    }
}

/// The hairline's front is where its region meets bare skin: not another region, not hair.
/// Depth is the chamfer distance from there, so a front drawn anywhere (and in any direction)
/// feathers inward, and the back edge against remaining hair stays at full strength.
fn hairline_depth(scene: &Scene) -> Option<HairlineDepth> {
    let mask = scene.masks.get(RegionKind::Hairline);
    let painted = mask.painted_bounds();
    if painted.is_empty() {
        return None;
    }
    let scale = scene.settings.scale;
    let margin = scale.px(4.0).ceil() as u32 + 2;
    let rect = painted.expand(margin, mask.bounds());
    let w = (rect.x1 - rect.x0) as usize;
    let h = (rect.y1 - rect.y0) as usize;
    const FAR: f32 = 1.0e9;
    let mut dist = vec![FAR; w * h];
    for (row, y) in (rect.y0..rect.y1).enumerate() {
        for (col, x) in (rect.x0..rect.x1).enumerate() {
            let outside = mask.get(x, y) < 128
                && scene.masks.get(RegionKind::Bald).get(x, y) < 128
                && scene.masks.get(RegionKind::Scar).get(x, y) < 128;
            let bare = scene.hair.is_none_or(|hair| hair.coverage(x, y) < 0.5 * FULL_COVERAGE);
            if outside && bare {
                dist[row * w + col] = 0.0;
            }
        }
    }
    chamfer(&mut dist, w, h);
    for (row, y) in (rect.y0..rect.y1).enumerate() {
        for (col, x) in (rect.x0..rect.x1).enumerate() {
            if mask.get(x, y) == 0 {
                dist[row * w + col] = f32::INFINITY;
            }
        }
    }
    let hairline = &scene.preset.hairline;
    Some(HairlineDepth {
        rect,
        front_px: dist,
        px_per_mm: scale.px_per_mm,
        seed: scene.settings.seed,
        jitter_mm: hairline.edge_jitter_mm * style_jitter(hairline.style),
    })
}

/// How much of the preset's feather width a style uses: an edge-up line has a short transition.
fn style_feather(style: HairlineStyle) -> f32 {
    match style {
        HairlineStyle::Soft | HairlineStyle::Broken => 1.0,
        HairlineStyle::Defined => 0.35,
    }
}

/// How much of the preset's edge irregularity a style keeps.
fn style_jitter(style: HairlineStyle) -> f32 {
    match style {
        HairlineStyle::Soft => 1.0,
        HairlineStyle::Broken => 1.3,
        HairlineStyle::Defined => 0.3,
    }
}

/// How the hairline treats a point `depth_mm` behind its front.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HairlineRamp {
    /// Share of the target density, 0–1.
    pub density: f32,
    /// Position across the feather, 0 at the front … 1 behind it: sizes and darkness follow it.
    pub t: f32,
}

/// The feathering rules of the preset's hairline style.
pub fn hairline_ramp(scene: &Scene, depth_mm: f32, x: u32, y: u32) -> HairlineRamp {
    let h = &scene.preset.hairline;
    if depth_mm <= 0.0 {
        return HairlineRamp { density: 0.0, t: 0.0 };
    }
    let feather_mm = h.feather_width_mm * style_feather(h.style);
    let t = if feather_mm > 0.0 { (depth_mm / feather_mm).clamp(0.0, 1.0) } else { 1.0 };
    let smooth = t * t * (3.0 - 2.0 * t);
    let mut density = match h.style {
        HairlineStyle::Soft | HairlineStyle::Broken => h.front_density + (1.0 - h.front_density) * smooth,
        // An edge-up line starts dense and reaches full density quickly behind a crisp front.
        HairlineStyle::Defined => {
            let front = h.front_density.max(0.6);
            front + (1.0 - front) * t.sqrt()
        }
    };
    if h.style == HairlineStyle::Broken && t < 0.8 {
        // Clusters and clear gaps along the front, fading out by 80 % of the feather.
        let px_per_mm = scene.settings.scale.px_per_mm as f64;
        let n =
            value_noise(scene.settings.seed ^ 0xB4, x as f64 / px_per_mm / 1.6, y as f64 / px_per_mm / 1.6);
        let fade = 1.0 - t / 0.8;
        let gap = ((0.5 - n as f32) / 0.08).clamp(0.0, 1.0) * fade;
        let cluster = ((n as f32 - 0.58) / 0.1).clamp(0.0, 1.0) * fade;
        density = (density * (1.0 - gap) * (1.0 + 2.0 * cluster)).min(1.0);
    }
    HairlineRamp { density, t }
}
