//! Dot placement and the per-dot model (size, darkness, shade, needle cluster).

use super::edges::hair_share;
use super::fields::{Fields, hairline_ramp};
use super::pattern::{PatternPoint, SIDE, pattern};
use super::{Scene, Stage};
use crate::engine::mask::{PixelRect, RegionKind};
use crate::engine::preset::{NeedleGrouping, Preset};
use crate::engine::rng::{Rng, hash3};

/// One pigment impression, in photo pixels (the CSV and the renderer share this).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dot {
    pub x_px: f32,
    pub y_px: f32,
    /// Diameter of the whole impression at this stage (fresh dots are wider).
    pub diameter_px: f32,
    /// Pigment load 0–1.5 at this stage.
    pub darkness: f32,
    pub region: RegionKind,
    /// The session (1-based) that placed the dot.
    pub session: u32,
    /// Index into the preset's shades.
    pub shade: u8,
    /// Number of needle points in the impression (1 or 3).
    pub needles: u8,
    /// Orientation of a 3-point cluster, radians.
    pub angle: f32,
    /// Short-to-long axis ratio of the impression's image: 1 where the skin faces the camera,
    /// less where the scalp turns away (see [`crate::engine::head`]).
    pub aspect: f32,
    /// Direction of the short axis on the photo, radians from +x toward +y.
    pub across: f32,
}

impl Dot {
    /// Long axis of the impression's image, px.
    pub fn major_px(&self) -> f32 {
        self.diameter_px
    }

    /// Short axis of the impression's image, px.
    pub fn minor_px(&self) -> f32 {
        self.diameter_px * self.aspect
    }

    /// Direction of the long axis, degrees from +x toward +y, in (-90, 90].
    pub fn major_angle_deg(&self) -> f32 {
        let mut a = (self.across.to_degrees() + 90.0).rem_euclid(180.0);
        if a > 90.0 {
            a -= 180.0;
        }
        a
    }

    /// Whether the dot's footprint, grown by `reach_px` of blur, overlaps `rect`.
    pub fn touches(&self, rect: PixelRect, reach_px: f32) -> bool {
        let r = self.diameter_px * 0.5 + reach_px;
        self.x_px + r >= rect.x0 as f32
            && self.x_px - r <= rect.x1 as f32
            && self.y_px + r >= rect.y0 as f32
            && self.y_px - r <= rect.y1 as f32
    }

    /// Centres and diameters of the needle points of this impression, in pixels.
    pub fn points(&self) -> impl Iterator<Item = (f32, f32, f32)> + '_ {
        let three = self.needles >= 3;
        let sub_d = if three { self.diameter_px * 0.55 } else { self.diameter_px };
        let offset = if three { self.diameter_px * 0.225 } else { 0.0 };
        (0..self.needles.max(1)).map(move |i| {
            let a = self.angle + i as f32 * std::f32::consts::TAU / 3.0;
            (self.x_px + offset * a.cos(), self.y_px + offset * a.sin(), sub_d)
        })
    }
}

const TAG_OFFSET: u64 = 0x0FF5;
const TAG_DOT: u64 = 0xD07;

/// What the regions ask for at one pixel.
#[derive(Clone, Copy, Debug)]
struct Local {
    /// Share of the target density, 0–1.
    density: f32,
    region: RegionKind,
    /// Position across the hairline feather (1 outside the hairline's transition).
    hairline_t: f32,
    /// Share of the interior's dots a region's edge keeps here (1 away from edges).
    edge: f32,
}

/// Darkness of a dot at the very edge of a region, as a share of the bulk's: darkness ramps
/// with density into the native hair.
const EDGE_DARKNESS: f32 = 0.7;

/// Relative density (0–1), the region that wins at a pixel, and the hairline ramp there.
fn local_at(scene: &Scene, fields: &Fields, x: u32, y: u32) -> Option<Local> {
    let mut best: Option<Local> = None;
    for kind in RegionKind::ALL {
        let coverage = scene.masks.get(kind).get(x, y) as f32 / 255.0;
        if coverage <= 0.0 {
            continue;
        }
        let (factor, hairline_t) = match (kind, &fields.hairline) {
            (RegionKind::Hairline, Some(depth)) => {
                let ramp = hairline_ramp(scene, depth.depth_mm(x, y), x, y);
                (ramp.density, ramp.t)
            }
            _ => (1.0, 1.0),
        };
        let density = coverage * factor;
        // A scar painted over another region is the more particular intent: it wins a tie.
        if best.is_none_or(|b| density > b.density || (kind == RegionKind::Scar && density >= b.density)) {
            best = Some(Local { density, region: kind, hairline_t, edge: 1.0 });
        }
    }
    let mut local = best?;
    // Pigment goes into skin only: never onto the wall, clothes or a mass of hair a stroke
    // spilled over.
    if let Some(analysis) = scene.analysis {
        local.density *= analysis.skin.likelihood(x, y);
    }
    // Hair already darkening the skin does part of the work: hair and dots together approach
    // the look asked for. Near an edge the dots fill only what the scalp beyond is darker.
    // Looks are compared in the photo's own light, of which the pigment dims only the diffuse
    // part: where the skin shines, the full treatment darkens the look less.
    let diffuse = scene.analysis.map_or(1.0, |a| a.surface.diffuse_share(scene.photo, x, y));
    let yardstick = fields.full_darkening * diffuse;
    let hair = scene.hair.map_or(0.0, |hair| hair_share(hair.darkening(x, y), yardstick));
    let interior = (1.0 - scene.preset.density.hair_compensation * hair).max(0.0);
    let share =
        fields.edges.as_ref().map_or(interior, |e| e.dots_share(local.region, x, y, interior, diffuse));
    // Where the edge asks for fewer dots than the interior, they are lighter too.
    local.edge = if interior > 0.0 { (share / interior).clamp(0.0, 1.0) } else { 1.0 };
    local.density *= share;
    Some(local)
}

/// Places the dots whose centres fall in `rect` (photo pixels), in a fixed order.
///
/// The decision for each candidate depends only on the candidate and the density at its own
/// pixel, so any rectangle gives the same dots as the whole photo restricted to it.
pub fn place_dots(scene: &Scene, fields: &Fields, rect: PixelRect) -> Vec<Dot> {
    let preset = scene.preset;
    let settings = scene.settings;
    let mut dots = Vec::new();
    if rect.is_empty() {
        return dots;
    }
    let px_per_mm = settings.scale.px_per_mm as f64;
    // Normalised pattern units → mm: the pattern has one point per unit² at full density.
    let pattern = pattern();
    let dots_per_mm2 = preset.density.target_dots_per_cm2 as f64 / 100.0;
    let mm_per_unit = (1.0 / dots_per_mm2).sqrt();
    let px_per_unit = px_per_mm * mm_per_unit;
    let mut offset_rng = Rng::new(hash3(settings.seed, TAG_OFFSET, 0, 0));
    let (ox, oy) = (offset_rng.range(0.0, SIDE), offset_rng.range(0.0, SIDE));

    let session = settings.session.clamp(1, preset.session_count());
    let shown_fraction = preset.session_fraction(session);

    // Candidates are spread evenly on a plane: the photo itself, or the curved scalp unfolded
    // (see `Dome::unfold`), whose dots are folded back onto the photo and thinned to the
    // surface's own density.
    let dome = scene.dome();
    let plane = match &dome {
        None => (rect.x0 as f64, rect.y0 as f64, rect.x1 as f64, rect.y1 as f64),
        Some(dome) => unfolded_bounds(dome, rect),
    };
    let tile_px = SIDE * px_per_unit;
    let tx0 = ((plane.0 / px_per_unit + ox) / SIDE).floor() as i64 - 1;
    let tx1 = ((plane.2 / px_per_unit + ox) / SIDE).floor() as i64 + 1;
    let ty0 = ((plane.1 / px_per_unit + oy) / SIDE).floor() as i64 - 1;
    let ty1 = ((plane.3 / px_per_unit + oy) / SIDE).floor() as i64 + 1;
    for ty in ty0..=ty1 {
        for tx in tx0..=tx1 {
            let base_x = tx as f64 * tile_px - ox * px_per_unit;
            let base_y = ty as f64 * tile_px - oy * px_per_unit;
            for (i, p) in pattern.points.iter().enumerate() {
                if !p.kept(shown_fraction) {
                    continue;
                }
                let (ux, uy) = (base_x + p.x * px_per_unit, base_y + p.y * px_per_unit);
                if ux < plane.0 || uy < plane.1 || ux >= plane.2 || uy >= plane.3 {
                    continue;
                }
                let (x, y) = dome.as_ref().map_or((ux, uy), |d| d.fold(ux, uy));
                if x < rect.x0 as f64 || y < rect.y0 as f64 || x >= rect.x1 as f64 || y >= rect.y1 as f64 {
                    continue;
                }
                let (xi, yi) = (x as u32, y as u32);
                let Some(mut local) = local_at(scene, fields, xi, yi) else { continue };
                if let Some(dome) = &dome {
                    local.density *= dome.keep_share(x as f32, y as f32);
                }
                if !p.kept(shown_fraction * local.density) {
                    continue;
                }
                let placed_in = first_session(preset, p, local.density);
                let key = hash3(settings.seed, TAG_DOT, tx * 65_536 + ty, i as i64);
                let patch = super::patch_at(dome.as_ref(), x as f32, y as f32);
                let dot = make_dot(scene, x as f32, y as f32, local, patch, placed_in, key);
                // Dots go between hairs, never on them. The healed size decides, so a fresh
                // result shows the very dots that will heal, only larger.
                let healed_radius = 0.5 * dot.minor_px() / stage_factors(scene).0;
                if scene.hair.is_some_and(|hair| hair.hair_near(dot.x_px, dot.y_px, healed_radius)) {
                    continue;
                }
                dots.push(dot);
            }
        }
    }
    dots
}

/// The box on the unfolded plane that holds every point of `rect`: the unfolding moves points
/// only along lines from the dome's centre, so the rectangle's edges bound its image.
fn unfolded_bounds(dome: &crate::engine::head::Dome, rect: PixelRect) -> (f64, f64, f64, f64) {
    let (x0, y0, x1, y1) = (rect.x0 as f64, rect.y0 as f64, rect.x1 as f64, rect.y1 as f64);
    let steps = 256;
    let mut b = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for i in 0..=steps {
        let t = i as f64 / steps as f64;
        let (x, y) = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
        for (px, py) in [(x, y0), (x, y1), (x0, y), (x1, y)] {
            let (u, v) = dome.unfold(px, py);
            b = (b.0.min(u), b.1.min(v), b.2.max(u), b.3.max(v));
        }
    }
    // Between the samples an edge's image bows outward by less than this, even where the
    // unfolding stretches most (about 6.6× at the rim).
    let margin = ((x1 - x0).max(y1 - y0) / steps as f64).max(1.0) * 8.0;
    (b.0 - margin, b.1 - margin, b.2 + margin, b.3 + margin)
}

/// The earliest session whose cumulative density already includes this candidate.
fn first_session(preset: &Preset, point: &PatternPoint, density: f32) -> u32 {
    (1..=preset.session_count())
        .find(|&s| point.kept(preset.session_fraction(s) * density))
        .unwrap_or(preset.session_count())
}

fn make_dot(
    scene: &Scene,
    x_px: f32,
    y_px: f32,
    local: Local,
    patch: crate::engine::head::Patch,
    session: u32,
    key: u64,
) -> Dot {
    let preset = scene.preset;
    let px_per_mm = scene.settings.scale.px_per_mm;
    let mut rng = Rng::new(key);
    let style = &preset.dots;
    let region = local.region;

    let bulk_needles = match preset.needle.grouping {
        NeedleGrouping::Single => 1,
        NeedleGrouping::Three => 3,
    };
    let t = local.hairline_t;
    let needles = if region == RegionKind::Hairline && t < 0.5 { 1 } else { bulk_needles };
    let (base_diameter_mm, mut darkness) = nominal_dot(preset, &local);
    let mut size_sd = style.size_jitter;
    if region == RegionKind::Scar {
        // Scar tissue holds less pigment: its dots are lighter and vary more in size.
        darkness *= preset.scar.retention;
        size_sd = (size_sd * size_sd + preset.scar.extra_size_jitter * preset.scar.extra_size_jitter).sqrt();
    }
    let size_factor = (1.0 + size_sd * rng.normal() as f32).clamp(0.5, 1.6);
    let dark_factor = (1.0 + style.darkness_jitter * rng.normal() as f32).clamp(0.4, 1.6);
    let (stage_size, stage_dark) = stage_factors(scene);
    Dot {
        x_px,
        y_px,
        diameter_px: base_diameter_mm * size_factor * stage_size * px_per_mm,
        darkness: (darkness * dark_factor * stage_dark).clamp(0.0, 1.5),
        region,
        session,
        shade: pick_shade(preset, rng.unit()),
        needles,
        angle: (rng.unit() * std::f64::consts::TAU) as f32,
        aspect: patch.deposit_aspect(),
        across: patch.across,
    }
}

/// A dot's healed diameter (mm) and darkness before its own jitter and scar tissue's retention:
/// smaller and lighter across the hairline's feather, lighter toward a region's edge.
fn nominal_dot(preset: &Preset, local: &Local) -> (f32, f32) {
    let style = &preset.dots;
    let t = local.hairline_t;
    let diameter_mm =
        style.hairline_dot_diameter_mm + (style.dot_diameter_mm - style.hairline_dot_diameter_mm) * t;
    let strength = preset.hairline.front_strength + (1.0 - preset.hairline.front_strength) * t;
    let edge = EDGE_DARKNESS + (1.0 - EDGE_DARKNESS) * local.edge;
    (diameter_mm, style.darkness * strength * edge)
}

/// The pigment the dots around a pixel hold on average, as a share of what the bulk's nominal
/// healed dots hold at the preset's full density: the shown session's density there times
/// each dot's darkness and area. Unlike the dots themselves it varies smoothly, which is what
/// the pigment scattered between them follows (see `shadow`).
pub(super) fn pigment_share(scene: &Scene, fields: &Fields, x: u32, y: u32) -> f32 {
    let preset = scene.preset;
    let Some(local) = local_at(scene, fields, x, y) else { return 0.0 };
    let session = scene.settings.session.clamp(1, preset.session_count());
    // A region's edge keeps a share of the whole treatment's darkening (see `edges`); the
    // shadow gives its part of it with the dots' number, whatever their lightness there.
    // Scar tissue's lower retention shows in its dots only; the pigment scattered between them
    // runs on across a scar region's edge as it does in the skin beside it, so the shadow has
    // no step there (`scar_tone` evens out what the lighter dots leave).
    let (diameter_mm, darkness) = nominal_dot(preset, &Local { edge: 1.0, ..local });
    let size = diameter_mm / preset.dots.dot_diameter_mm.max(1e-3);
    let dark = darkness / preset.dots.darkness.max(1e-3) * stage_factors(scene).1;
    preset.session_fraction(session) * local.density * dark * size * size
}

/// How the stage (fresh, healed, years of fading) scales each dot's size and darkness.
pub(super) fn stage_factors(scene: &Scene) -> (f32, f32) {
    let aging = &scene.preset.aging;
    match scene.settings.stage {
        Stage::Fresh => (aging.fresh_size_factor.max(f32::EPSILON), aging.fresh_darkness_factor),
        Stage::Healed { years } => (1.0, (1.0 - aging.fade_per_year).max(0.0).powf(years.max(0.0))),
    }
}

/// Weighted choice of a pigment shade from a uniform value in [0, 1).
fn pick_shade(preset: &Preset, u: f64) -> u8 {
    let shades = &preset.pigment.shades;
    let total: f64 = shades.iter().map(|s| s.weight.max(0.0) as f64).sum();
    let mut acc = 0.0;
    for (i, shade) in shades.iter().enumerate() {
        acc += shade.weight.max(0.0) as f64 / total.max(1e-9);
        if u < acc {
            return i as u8;
        }
    }
    shades.len().saturating_sub(1) as u8
}
