//! Match stubble: the patient's own buzzed hair, measured in this photo, and the preset
//! adjustment that makes simulated dots look like it.
//!
//! Practitioners match the pigment to the short hair at the sides and back, because that is
//! what the treated area must blend with. Here the stubble's look is measured where the doctor
//! points — the size, density and darkness of its dark blobs against the skin between them, and
//! their colour — and the preset is then tuned by rendering a small patch of the same skin at the
//! same scale and measuring it the same way, a few times over, until the two agree. Measuring both
//! with one function makes the match independent of how sharp or coarse the photo is: where the
//! photo is too coarse to separate blobs, only the zone's overall darkening and colour are matched.

use super::color::{Srgb, linear_to_srgb8, srgb8_to_linear};
use super::mask::{RegionKind, RegionMasks};
use super::morphology::{self, Neighbours};
use super::preset::{Preset, Shade, limits};
use super::sim::{Scene, SimSettings, Stage};
use super::units::Scale;
use image::{Rgb, RgbImage};

/// The radius read around the point when none is given, mm.
pub const DEFAULT_RADIUS_MM: f32 = 6.0;

/// Below this many pixels per mm stubble blobs (0.2–0.5 mm) are one or two pixels: only the
/// overall darkening and colour can be read.
pub const MIN_PX_PER_MM_FOR_BLOBS: f32 = 5.0;

/// What the stubble (or a simulated patch) looks like in a disc of the photo.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Look {
    /// The skin between the blobs, linear RGB.
    pub skin: [f32; 3],
    /// Mean darkening of the disc against that skin, 0–1.
    pub darkening: f32,
    /// The blobs' mean colour, linear RGB (the zone's darker half when no blobs are resolved).
    pub colour: [f32; 3],
    /// Single blobs, when the photo resolves them.
    pub blobs: Option<Blobs>,
}

/// The dark blobs of stubble or of healed SMP dots.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Blobs {
    /// Mean equivalent diameter at half depth, mm.
    pub diameter_mm: f32,
    /// Blobs per cm² of the surface.
    pub per_cm2: f32,
    /// Mean darkening inside the blobs against the skin, 0–1.
    pub contrast: f32,
}

impl Look {
    /// The skin colour as sRGB.
    pub fn skin_srgb(&self) -> Srgb {
        Srgb(self.skin.map(linear_to_srgb8))
    }

    /// The blob colour as sRGB.
    pub fn colour_srgb(&self) -> Srgb {
        Srgb(self.colour.map(linear_to_srgb8))
    }

    /// "blobs 0.40 mm, 80 /cm², 31 % darker than the skin, #4a3f38", or the overall darkening
    /// when no blobs were resolved.
    pub fn describe(&self) -> String {
        match self.blobs {
            Some(b) => format!(
                "blobs {:.2} mm, {:.0} /cm², {:.0} % darker than the skin, {}",
                b.diameter_mm,
                b.per_cm2,
                b.contrast * 100.0,
                self.colour_srgb().to_hex()
            ),
            None => format!(
                "{:.0} % darker than the skin overall, {}",
                self.darkening * 100.0,
                self.colour_srgb().to_hex()
            ),
        }
    }
}

fn luma(p: [f32; 3]) -> f32 {
    0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2]
}

/// Measures the look of the disc of `radius_px` around `(x, y)`. `None` when the disc holds
/// too few pixels of the photo to say anything (off the photo, or a radius under 3 px).
pub fn measure(photo: &RgbImage, scale: Scale, x: f32, y: f32, radius_px: f32) -> Option<Look> {
    let r = radius_px;
    let (w, h) = photo.dimensions();
    if r.is_nan() || r < 3.0 || !x.is_finite() || !y.is_finite() {
        return None;
    }
    let x0 = (x - r).floor().max(0.0) as u32;
    let y0 = (y - r).floor().max(0.0) as u32;
    let x1 = ((x + r).ceil().max(0.0) as u32 + 1).min(w);
    let y1 = ((y + r).ceil().max(0.0) as u32 + 1).min(h);
    if x0 >= x1 || y0 >= y1 {
        return None;
    }
    let (bw, bh) = (x1 - x0, y1 - y0);
    // The disc's pixels in linear light; outside the disc is marked with a negative luma.
    let mut rgb = vec![[0f32; 3]; (bw * bh) as usize];
    let mut lum = vec![-1f32; (bw * bh) as usize];
    for py in y0..y1 {
        for px in x0..x1 {
            let (dx, dy) = (px as f32 + 0.5 - x, py as f32 + 0.5 - y);
            if dx * dx + dy * dy <= r * r {
                let i = ((py - y0) * bw + (px - x0)) as usize;
                rgb[i] = photo.get_pixel(px, py).0.map(srgb8_to_linear);
                lum[i] = luma(rgb[i]);
            }
        }
    }
    let mut sorted: Vec<f32> = lum.iter().copied().filter(|l| *l >= 0.0).collect();
    if sorted.len() < 20 {
        return None;
    }
    sorted.sort_by(f32::total_cmp);
    let at = |q: f32| sorted[((sorted.len() - 1) as f32 * q).round() as usize];
    // The skin between the blobs: the brighter pixels, short of glints.
    let (skin_lo, skin_hi) = (at(0.75), at(0.95));
    let skin_level = at(0.85).max(1e-4);
    let skin = mean_where(&rgb, &lum, |l| l >= skin_lo && l <= skin_hi);
    let mean_luma = sorted.iter().sum::<f32>() / sorted.len() as f32;
    let darkening = (1.0 - mean_luma / skin_level).clamp(0.0, 1.0);

    // Blobs: connected pixels darker than half the depth of the darkest ones.
    let depth = (1.0 - at(0.03) / skin_level).clamp(0.0, 1.0);
    let threshold = skin_level * (1.0 - (depth * 0.5).max(0.04));
    let dark: Vec<bool> = lum.iter().map(|&l| l >= 0.0 && l < threshold).collect();
    let colour = {
        let c = mean_where(&rgb, &lum, |l| l >= 0.0 && l < threshold);
        if c == [0.0; 3] { mean_where(&rgb, &lum, |l| l >= 0.0 && l < at(0.5)) } else { c }
    };
    let (width, height) = (bw as usize, bh as usize);
    // Whether a pixel lies on the disc's edge (or the photo's): a blob touching it is cut.
    let on_edge = |i: usize| {
        let (x, y) = (i % width, i / width);
        x == 0
            || y == 0
            || x + 1 == width
            || y + 1 == height
            || [i - 1, i + 1, i - width, i + width].iter().any(|&n| lum[n] < 0.0)
    };
    let (mut whole, mut cut, mut whole_pixels, mut inside) = (0usize, 0usize, 0usize, 0f32);
    morphology::for_each_component(
        width,
        height,
        Neighbours::Eight,
        |i| dark[i],
        |blob| {
            if blob.iter().any(|&i| on_edge(i)) {
                cut += 1;
            } else {
                whole += 1;
                whole_pixels += blob.len();
                inside += blob.iter().map(|&i| 1.0 - lum[i] / skin_level).sum::<f32>();
            }
        },
    );
    let disc_mm2 = sorted.len() as f32 / (scale.px_per_mm * scale.px_per_mm);
    let resolvable = scale.px_per_mm >= MIN_PX_PER_MM_FOR_BLOBS && whole >= 5;
    let blobs = resolvable.then(|| {
        let mean_area = whole_pixels as f32 / whole as f32;
        Blobs {
            diameter_mm: scale.mm(2.0 * (mean_area / std::f32::consts::PI).sqrt()),
            // Blobs cut by the disc's edge count as half.
            per_cm2: (whole as f32 + 0.5 * cut as f32) / disc_mm2 * 100.0,
            contrast: (inside / whole_pixels.max(1) as f32).clamp(0.0, 1.0),
        }
    });
    let blobs = blobs.filter(|b| b.diameter_mm.is_finite() && b.per_cm2 > 0.0);
    Some(Look { skin, darkening, colour, blobs })
}

fn mean_where(rgb: &[[f32; 3]], lum: &[f32], keep: impl Fn(f32) -> bool) -> [f32; 3] {
    let mut sum = [0f32; 3];
    let mut n = 0usize;
    for (p, &l) in rgb.iter().zip(lum) {
        if keep(l) {
            for c in 0..3 {
                sum[c] += p[c];
            }
            n += 1;
        }
    }
    if n == 0 { [0.0; 3] } else { sum.map(|s| s / n as f32) }
}

/// The preset adjustment that reproduces the stubble, and how close it came.
#[derive(Clone, Debug)]
pub struct Match {
    /// The stubble as measured in the photo.
    pub stubble: Look,
    /// The preset with dot size, density, darkness and shade tuned to it.
    pub preset: Preset,
    /// The simulated patch as measured the same way.
    pub simulated: Look,
}

impl Match {
    /// One sentence for the clinician: what was set, what it was set to match, and how close
    /// it came when the stubble is darker than any dots can be.
    pub fn describe(&self) -> String {
        let dots = &self.preset.dots;
        let shade = self.preset.pigment.shades.first().map(|s| s.srgb.to_hex()).unwrap_or_default();
        let mut said = format!(
            "Matched the stubble ({}): dots {:.2} mm, {:.0} /cm², darkness {:.2}, shade {shade}",
            self.stubble.describe(),
            dots.dot_diameter_mm,
            self.preset.density.target_dots_per_cm2,
            dots.darkness
        );
        if self.simulated.darkening < self.stubble.darkening * 0.85 {
            said.push_str(&format!(
                "; natural-looking dots reach {:.0} % where the stubble is {:.0} % darker",
                self.simulated.darkening * 100.0,
                self.stubble.darkening * 100.0
            ));
        }
        said.push('.');
        said
    }
}

/// The name of the shade a match sets.
pub const SHADE_NAME: &str = "Matched to stubble";

/// Measures the stubble around `(x, y)` of the scene's photo and tunes the scene's preset until
/// a simulated patch of the same skin, at the same scale and as sharp as the photo, measures
/// alike. `None` when there is nothing to read there.
pub fn match_stubble(scene: &Scene, x: f32, y: f32, radius_mm: f32) -> Option<Match> {
    let (sharpness_mm, _) = super::sim::photo_sharpness_mm(scene);
    let place = Place { scale: scene.settings.scale, sharpness_mm, x, y, radius_mm };
    match_in(scene.photo, scene.preset, place)
}

/// Where and how a photo is read for [`match_in`]: its scale and sharpness, the point and the
/// radius around it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Place {
    pub scale: Scale,
    pub sharpness_mm: f32,
    pub x: f32,
    pub y: f32,
    pub radius_mm: f32,
}

/// [`match_stubble`] for a caller that has the photo and its measures but no scene (a
/// background job holding only what it needs).
pub fn match_in(photo: &RgbImage, base: &Preset, place: Place) -> Option<Match> {
    let Place { scale, sharpness_mm, x, y, radius_mm } = place;
    let radius_px = scale.px(radius_mm);
    let stubble = measure(photo, scale, x, y, radius_px)?;
    let mut preset = base.clone();
    preset.skin.srgb = stubble.skin_srgb();
    let dilution = base.pigment.shades.first().map_or(0.3, |s| s.dilution);
    preset.pigment.shades =
        vec![Shade { name: SHADE_NAME.into(), srgb: stubble.colour_srgb(), weight: 1.0, dilution }];
    let patch = Patch { scale, radius_px, sharpness_mm };
    let mut simulated = patch.simulate(&preset, &stubble);
    for _ in 0..10 {
        adjust(&mut preset, &stubble, &simulated);
        simulated = patch.simulate(&preset, &stubble);
    }
    Some(Match { stubble, preset, simulated })
}

/// How far a match may take each number: healed dots stay under 0.6 mm and the density within
/// follicular-unit density (`DOMAIN.md`), so matching very dense or long hair never makes the
/// "helmet" practitioners call a failure; the sentence says how close it came instead.
const MATCH_BOUNDS: [(&str, f32, f32); 4] = [
    ("dots.dot_diameter_mm", 0.12, 0.6),
    ("dots.hairline_dot_diameter_mm", 0.08, 0.4),
    ("density.target_dots_per_cm2", 50.0, 110.0),
    ("dots.darkness", 0.05, 1.0),
];

fn set(preset: &mut Preset, path: &str, value: f32) -> f32 {
    let Some(limit) = limits::field(path) else { return value };
    let value = match MATCH_BOUNDS.iter().find(|(p, _, _)| *p == path) {
        Some(&(_, lo, hi)) => value.clamp(lo, hi),
        None => value,
    };
    let value = limit.clamp(value);
    (limit.set)(preset, value);
    value
}

/// Moves each tuned number toward the stubble by the ratio of what is wanted to what was got.
fn adjust(preset: &mut Preset, want: &Look, got: &Look) {
    let ratio = |want: f32, got: f32| if got > 1e-4 { (want / got).clamp(0.5, 2.0) } else { 1.5 };
    match (want.blobs, got.blobs) {
        (Some(w), Some(g)) => {
            let size = ratio(w.diameter_mm, g.diameter_mm);
            set(preset, "dots.dot_diameter_mm", preset.dots.dot_diameter_mm * size);
            set(preset, "dots.hairline_dot_diameter_mm", preset.dots.hairline_dot_diameter_mm * size);
            set(
                preset,
                "density.target_dots_per_cm2",
                preset.density.target_dots_per_cm2 * ratio(w.per_cm2, g.per_cm2),
            );
            // At arm's length the zone's shadow is what shows; the blobs' own contrast follows
            // from it with the pigment's spread under the skin.
            set(preset, "dots.darkness", preset.dots.darkness * ratio(want.darkening, got.darkening));
        }
        // Too coarse to see single blobs (in the photo or in the patch): match the overall shadow.
        // Darker dots first; past the darkest, more of them, then larger ones.
        _ => {
            // The factor still to find, passed on to the next number when one reaches its bound.
            let mut factor = ratio(want.darkening, got.darkening);
            for path in ["dots.darkness", "density.target_dots_per_cm2", "dots.dot_diameter_mm"] {
                let Some(limit) = limits::field(path) else { continue };
                let now = (limit.get)(preset);
                let reached = set(preset, path, now * factor);
                factor = if now > 0.0 { factor * now / reached } else { 1.0 };
                if (factor - 1.0).abs() < 0.02 || factor < 1.0 && path == "dots.darkness" {
                    break;
                }
            }
        }
    }
    // The blob colour's lightness relative to the skin. The shade keeps the stubble's own hue:
    // tuned channel by channel it would copy grey hair against pink skin as a cyan pigment,
    // where the skin above the pigment gives healed dots their warmth.
    if let Some(shade) = preset.pigment.shades.first_mut() {
        let linear = shade.srgb.to_linear();
        let want_l = luma(want.colour) / luma(want.skin).max(1e-4);
        let got_l = luma(got.colour) / luma(got.skin).max(1e-4);
        let factor = ratio(want_l, got_l).sqrt();
        let mut tuned: [f32; 3] = std::array::from_fn(|c| (linear[c] * factor).clamp(0.0, 1.0));
        // Never more colourful than the stubble itself: toward its own grey where it is.
        let chroma = |rgb: [f32; 3]| {
            let (_, a, b) = crate::engine::color::linear_to_lab(rgb);
            a.hypot(b)
        };
        let (have, limit) = (chroma(tuned), chroma(want.colour));
        if have > limit && have > 0.0 {
            let grey = luma(tuned);
            tuned = tuned.map(|v| grey + (v - grey) * limit / have);
        }
        shade.srgb = Srgb(tuned.map(linear_to_srgb8));
    }
}

/// The simulated patch: the photo's scale and sharpness, the stubble's disc.
struct Patch {
    scale: Scale,
    radius_px: f32,
    sharpness_mm: f32,
}

impl Patch {
    /// Renders a flat patch of the stubble's skin, fully treated and healed at the last session,
    /// and measures its middle as the stubble was measured.
    fn simulate(&self, preset: &Preset, stubble: &Look) -> Look {
        let Patch { scale, radius_px, sharpness_mm } = *self;
        let margin = scale.px(3.0).ceil();
        let side = (2.0 * (radius_px + margin)).ceil().clamp(16.0, 4096.0) as u32;
        let skin = Rgb(stubble.skin.map(linear_to_srgb8));
        let photo = RgbImage::from_pixel(side, side, skin);
        let mut masks = RegionMasks::new(side, side);
        masks.get_mut(RegionKind::Bald).data_mut().fill(255);
        let sessions = preset.density.session_fractions.len().max(1) as u32;
        let settings = SimSettings {
            scale,
            seed: 7,
            session: sessions,
            stage: Stage::Healed { years: 0.0 },
            photo_sharpness_mm: Some(sharpness_mm),
            head: crate::engine::head::OutlineChoice::Flat,
        };
        let scene = Scene::new(&photo, &masks, preset, settings);
        let render = super::sim::render(&scene);
        let c = side as f32 / 2.0;
        measure(&render.image, scale, c, c, radius_px).unwrap_or(Look {
            skin: stubble.skin,
            darkening: 0.0,
            colour: stubble.skin,
            blobs: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::synth::Stubble;

    /// A bound on a path the limits table does not know would be silently ignored.
    #[test]
    fn every_match_bound_is_a_preset_field_within_its_limits() {
        for (path, lo, hi) in MATCH_BOUNDS {
            let limit = limits::field(path).unwrap_or_else(|| panic!("{path} is not a preset field"));
            assert!(limit.contains(lo) && limit.contains(hi) && lo < hi, "{path}: {lo}–{hi}");
        }
    }

    fn stubble_photo(scale: Scale, diameter_mm: f32, per_cm2: f32, contrast: f32) -> RgbImage {
        let mut photo = RgbImage::from_pixel(400, 400, Rgb([200, 160, 140]));
        Stubble { diameter_mm, per_cm2, contrast, seed: 11 }.paint(&mut photo, scale, (0, 0, 400, 400));
        photo
    }

    #[test]
    fn blobs_of_known_size_density_and_darkness_are_measured() {
        let scale = Scale { px_per_mm: 20.0 };
        let photo = stubble_photo(scale, 0.4, 60.0, 0.6);
        let look = measure(&photo, scale, 200.0, 200.0, scale.px(8.0)).unwrap();
        let blobs = look.blobs.unwrap();
        assert!((blobs.diameter_mm - 0.4).abs() < 0.06, "{blobs:?}");
        assert!((blobs.per_cm2 / 60.0 - 1.0).abs() < 0.15, "{blobs:?}");
        assert!(blobs.contrast > 0.45 && blobs.contrast < 0.7, "{blobs:?}");
        assert!((i32::from(look.skin_srgb().0[0]) - 200).abs() <= 2, "{:?}", look.skin_srgb());
    }

    #[test]
    fn a_coarse_photo_gives_only_the_overall_shadow() {
        let scale = Scale { px_per_mm: 3.0 };
        let photo = stubble_photo(scale, 0.4, 60.0, 0.6);
        let look = measure(&photo, scale, 200.0, 200.0, scale.px(20.0)).unwrap();
        assert!(look.blobs.is_none(), "{look:?}");
        assert!(look.darkening > 0.02, "{look:?}");
    }

    #[test]
    fn nothing_is_read_off_the_photo() {
        let photo = RgbImage::from_pixel(50, 50, Rgb([200, 160, 140]));
        assert!(measure(&photo, Scale::DEFAULT, -500.0, -500.0, 30.0).is_none());
        assert!(measure(&photo, Scale::DEFAULT, 25.0, 25.0, f32::NAN).is_none());
    }
}
