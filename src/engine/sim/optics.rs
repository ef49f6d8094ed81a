//! Pigment under skin: absorbance splats with dermal scattering, composited in linear light.
//!
//! A dot is a buried absorber. Per colour channel `c` the skin's remitted light becomes
//! `skin_c · (v_c + (1 − v_c) · exp(−A_c))` (Beer–Lambert), where `A_c` is the absorbance the
//! dot's pigment adds and `v_c` is the light remitted above the pigment layer. Red light travels
//! furthest in the dermis, so red absorbance spreads widest, and more blue is remitted above the
//! pigment, which gives healed and older pigment its cool blue-grey cast.

use super::dots::Dot;
use super::fields::Fields;
use super::{Scene, Stage};
use crate::engine::color::{linear_to_srgb8, srgb8_to_linear};
use crate::engine::mask::{PixelRect, RegionKind};

/// Absorbance of a fully loaded healed dot relative to a layer that shows the shade's own colour:
/// a dot's pigment is packed densely in a small volume, so its centre reads darker than the
/// shade swatch.
const PIGMENT_LOAD: f32 = 2.2;

/// How much wider each channel's scattering is than green's (R, G, B).
const CHANNEL_SPREAD: [f32; 3] = [1.6, 1.0, 0.75];
/// How the epidermal veil differs per channel: more blue comes back from above the pigment.
const CHANNEL_VEIL: [f32; 3] = [0.75, 1.0, 1.35];
/// Red and green absorbance of the inflamed skin around a fresh dot, per unit of redness.
const REDNESS_ABSORBANCE: [f32; 3] = [0.0, 0.30, 0.22];

/// Optical parameters of one render, in pixels, derived from the preset and the stage.
struct Optics {
    /// Scattering σ per channel.
    sigma_px: [f32; 3],
    /// σ of the wide halo per channel, and the share of pigment seen through it.
    halo_sigma_px: [f32; 3],
    halo_share: f32,
    /// Absorbance per unit pigment load, per shade and channel.
    shade_absorbance: Vec<[f32; 3]>,
    veil: [f32; 3],
    redness: f32,
}

fn optics(scene: &Scene) -> Optics {
    let preset = scene.preset;
    let px_per_mm = scene.settings.scale.px_per_mm;
    let (years, fresh) = match scene.settings.stage {
        Stage::Fresh => (0.0, true),
        Stage::Healed { years } => (years.max(0.0), false),
    };
    let spread_mm = preset.aging.spread_mm_per_year * years;
    let sigma_px = CHANNEL_SPREAD.map(|m| {
        let s = preset.optics.dermal_blur_mm * m;
        (s * s + spread_mm * spread_mm).sqrt() * px_per_mm
    });
    let halo_sigma_px = CHANNEL_SPREAD.map(|m| {
        let s = preset.optics.halo_mm * m;
        (s * s + spread_mm * spread_mm).sqrt() * px_per_mm
    });
    // Old pigment loses red faster than blue: the blue shift grows with the years.
    let blue_shift = preset.aging.blue_shift_per_year * years;
    let channel_gain = [1.0 + blue_shift, 1.0 + 0.5 * blue_shift, 1.0];
    let shade_absorbance = preset
        .pigment
        .shades
        .iter()
        .map(|shade| {
            let lin = shade.srgb.to_linear();
            std::array::from_fn(|c| {
                PIGMENT_LOAD * -(lin[c].max(0.004)).ln() * (1.0 - shade.dilution) * channel_gain[c]
            })
        })
        .collect();
    let veil_base = if fresh { preset.optics.epidermal_veil * 0.5 } else { preset.optics.epidermal_veil };
    let veil = CHANNEL_VEIL.map(|m| (veil_base * m).clamp(0.0, 0.95));
    let redness = if fresh { preset.aging.fresh_redness } else { 0.0 };
    Optics { sigma_px, halo_sigma_px, halo_share: preset.optics.halo_share, shade_absorbance, veil, redness }
}

/// How far beyond its own edge a dot can change pixels.
pub(super) fn max_reach_px(scene: &Scene) -> f32 {
    let o = optics(scene);
    let core = o.sigma_px.iter().fold(0.0f32, |a, &b| a.max(b));
    let halo = if o.halo_share > 0.0 { o.halo_sigma_px.iter().fold(0.0f32, |a, &b| a.max(b)) } else { 0.0 };
    let sigma = core.max(halo * 0.85);
    let halo = if o.redness > 0.0 { redness_sigma(scene) * 3.0 } else { 0.0 };
    (3.0 * sigma + 1.0).max(halo)
}

fn redness_sigma(scene: &Scene) -> f32 {
    scene.preset.dots.dot_diameter_mm * 1.2 * scene.settings.scale.px_per_mm
}

/// Complementary error function (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7).
fn erfc(x: f32) -> f32 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * z);
    let poly =
        t * (0.254_829_6 + t * (-0.284_496_74 + t * (1.421_413_8 + t * (-1.453_152_1 + t * 1.061_405_4))));
    let r = poly * (-z * z).exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// A disk of radius `r` blurred by a Gaussian of σ `s`, sampled at distance `d`, with its peak
/// lowered as the blur widens so the pigment's total amount stays about the same.
#[inline]
fn blurred_disk(d: f32, r: f32, s: f32) -> f32 {
    let s = s.max(0.25);
    let amplitude = r * r / (r * r + s * s);
    amplitude * 0.5 * erfc((d - r) / (std::f32::consts::SQRT_2 * s))
}

/// A Gaussian holding the same amount of pigment as a disk of radius `r` (πr²), of σ `s`.
#[inline]
fn halo(d: f32, r: f32, s: f32) -> f32 {
    let s = s.max(0.5);
    r * r / (2.0 * s * s) * (-0.5 * d * d / (s * s)).exp()
}

/// Renders one tile: returns its RGB bytes, row-major.
pub(super) fn render_tile(scene: &Scene, fields: &Fields, tile: PixelRect, dots: &[&Dot]) -> Vec<u8> {
    let o = optics(scene);
    let w = (tile.x1 - tile.x0) as usize;
    let h = (tile.y1 - tile.y0) as usize;
    let mut absorbance = vec![[0.0f32; 3]; w * h];
    let core_reach = 3.0 * o.sigma_px.iter().fold(0.0f32, |a, &b| a.max(b)) + 1.0;
    let halo_reach = 3.0 * o.halo_sigma_px.iter().fold(0.0f32, |a, &b| a.max(b));
    let halo_sigma = redness_sigma(scene);
    let share = o.halo_share;

    for dot in dots {
        let k = o.shade_absorbance.get(dot.shade as usize).copied().unwrap_or([1.0; 3]);
        let mut radius2_sum = 0.0;
        for (cx, cy, d) in dot.points() {
            let r = d * 0.5;
            radius2_sum += r * r;
            splat(&mut absorbance, tile, (cx, cy), r, core_reach, |dist, r| {
                std::array::from_fn(|c| {
                    dot.darkness * k[c] * (1.0 - share) * blurred_disk(dist, r, o.sigma_px[c])
                })
            });
        }
        if share > 0.0 {
            // The halo is far wider than the needle points, so one Gaussian at the impression's
            // centre, holding all of its points' pigment, stands for theirs.
            let r_eff = radius2_sum.sqrt();
            splat(&mut absorbance, tile, (dot.x_px, dot.y_px), 0.0, halo_reach, |dist, _| {
                std::array::from_fn(|c| dot.darkness * k[c] * share * halo(dist, r_eff, o.halo_sigma_px[c]))
            });
        }
        if o.redness > 0.0 {
            let amount = o.redness * dot.darkness.min(1.0);
            splat(&mut absorbance, tile, (dot.x_px, dot.y_px), 0.0, 3.0 * halo_sigma, |dist, _| {
                let g = (-0.5 * (dist / halo_sigma).powi(2)).exp();
                REDNESS_ABSORBANCE.map(|a| amount * a * g)
            });
        }
    }

    let mut out = Vec::with_capacity(w * h * 3);
    for (row, y) in (tile.y0..tile.y1).enumerate() {
        for (col, x) in (tile.x0..tile.x1).enumerate() {
            let px = scene.photo.get_pixel(x, y).0;
            let a = absorbance[row * w + col];
            let skin: [f32; 3] = std::array::from_fn(|c| srgb8_to_linear(px[c]));
            let tone = match &fields.scar_tone {
                Some(scar_tone) => {
                    let blend = scene.preset.scar.tone_blend
                        * scene.masks.get(RegionKind::Scar).get(x, y) as f32
                        / 255.0;
                    (blend > 0.0).then(|| scar_tone.factor(x, y, skin).map(|g| 1.0 + (g - 1.0) * blend))
                }
                None => None,
            };
            if scene.masks.any(x, y) == 0 || (tone.is_none() && a.iter().all(|&v| v <= 1e-6)) {
                out.extend_from_slice(&px);
                continue;
            }
            let tone = tone.unwrap_or([1.0; 3]);
            for c in 0..3 {
                let skin = skin[c] * tone[c];
                let remit = o.veil[c] + (1.0 - o.veil[c]) * (-a[c]).exp();
                out.push(linear_to_srgb8(skin * remit));
            }
        }
    }
    out
}

/// Adds `profile(distance, radius)` to every pixel of the tile within `radius + reach`.
fn splat(
    absorbance: &mut [[f32; 3]],
    tile: PixelRect,
    (cx, cy): (f32, f32),
    radius: f32,
    reach: f32,
    profile: impl Fn(f32, f32) -> [f32; 3],
) {
    let w = (tile.x1 - tile.x0) as i64;
    let extent = radius + reach;
    let x0 = ((cx - extent).floor() as i64).max(tile.x0 as i64);
    let x1 = ((cx + extent).ceil() as i64).min(tile.x1 as i64 - 1);
    let y0 = ((cy - extent).floor() as i64).max(tile.y0 as i64);
    let y1 = ((cy + extent).ceil() as i64).min(tile.y1 as i64 - 1);
    for y in y0..=y1 {
        for x in x0..=x1 {
            let dx = x as f32 + 0.5 - cx;
            let dy = y as f32 + 0.5 - cy;
            let dist = (dx * dx + dy * dy).sqrt();
            if dist > extent {
                continue;
            }
            let add = profile(dist, radius);
            let i = ((y - tile.y0 as i64) * w + (x - tile.x0 as i64)) as usize;
            for c in 0..3 {
                absorbance[i][c] += add[c];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erfc_matches_known_values() {
        assert!((erfc(0.0) - 1.0).abs() < 1e-6);
        assert!((erfc(1.0) - 0.157_299_2).abs() < 1e-6);
        assert!((erfc(-1.0) - 1.842_700_8).abs() < 1e-6);
    }

    #[test]
    fn a_blurred_disk_is_flat_inside_and_fades_outside() {
        assert!(blurred_disk(0.0, 5.0, 0.5) > 0.98);
        assert!(blurred_disk(5.0, 5.0, 0.5) < 0.55);
        assert!(blurred_disk(7.0, 5.0, 0.5) < 0.01);
    }
}
