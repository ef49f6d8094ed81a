//! Pigment under skin, as the photo's own camera would record it.
//!
//! A dot is a buried absorber. Per colour channel `c` the skin's remitted light becomes
//! `skin_c · (v_c + (1 − v_c) · exp(−A_c))` (Beer–Lambert), where `A_c` is the absorbance the
//! dot's pigment adds and `v_c` is the light remitted above the pigment layer. Red light travels
//! furthest in the dermis, so red absorbance spreads widest, and more blue is remitted above the
//! pigment, which gives healed and older pigment its cool blue-grey cast.
//!
//! The renderer works with the light a dot takes away (its *deficit*, `1 −` the factor above).
//! Each dot's deficit is computed on a fine stamp in the dot's own frame, finer than the photo's
//! pixels and than the dot's softest feature, so dots smaller than a pixel keep their true
//! size and darkness. That light is then blurred by the photo's own PSF and integrated over each
//! pixel: the dot is recorded as the camera recorded everything else. Light and blur add
//! linearly, so the deficits of all dots simply add; only within a dot, where absorbance
//! saturates, does the stamp do the non-linear work. The wide, faint halo and the redness of
//! fresh dots are smooth Gaussians whose blurred, pixel-integrated light is exact in closed
//! form.
//!
//! Only the skin's diffuse remission passes through the pigment: light mirrored by the skin
//! surface (the photo's specular highlights) is added back untouched.

use super::dots::Dot;
use super::fields::Fields;
use super::shadow::Shadow;
use super::{Scene, Stage};
use crate::engine::analysis::Reflection;
use crate::engine::analysis::psf::PIXEL_VARIANCE;
use crate::engine::color::{linear_to_srgb8, luminance, srgb8_to_linear};
use crate::engine::mask::{PixelRect, RegionKind};

/// Absorbance of a fully loaded healed dot relative to a layer that shows the shade's own colour:
/// a dot's pigment is packed densely in a small volume, so its centre reads darker than the
/// shade swatch.
const PIGMENT_LOAD: f32 = 2.2;

/// How much wider each channel's scattering is than green's (R, G, B).
const CHANNEL_SPREAD: [f32; 3] = [1.6, 1.0, 0.75];
/// How the epidermal veil of old pigment differs per channel: more blue comes back from above
/// the pigment. Healed pigment starts neutral under the veil; the difference grows over
/// [`VEIL_SHIFT_YEARS`].
const CHANNEL_VEIL: [f32; 3] = [0.75, 1.0, 1.35];
const VEIL_SHIFT_YEARS: f32 = 10.0;
/// Years a healed result keeps its colour before pigment starts to cool toward blue-grey.
const WARM_YEARS: f32 = 2.0;

/// How a healed speck sits against the skin around it in a photo, CIELAB (Δa*, Δb*) at a typical
/// speck's darkening: slightly warm (clinic photos of healed SMP give +0.2…+0.7 on both in
/// most cases, neutral in the rest). Pigment is seen through the skin above it and takes on its
/// warmth; a neutral absorber would drain the skin's colour with its light and read grey-green.
const SPECK_WARMTH_LAB: (f32, f32) = (0.0, 0.0);
/// The luminance the darker specks leave of the skin around them, where their warmth is judged:
/// the darkest tenth of a treated area's pixels leave about this, against the shadowed skin,
/// on every skin.
const SPECK_REMIT: f32 = 0.35;
/// Most the absorbance may lean toward the skin's own: further, a dot's saturated core keeps
/// only red light and reads as a red speck instead of a charcoal-brown one.
const MAX_LEAN: f32 = 1.5;
/// Red and green absorbance of the inflamed skin around a fresh dot, per unit of redness.
const REDNESS_ABSORBANCE: [f32; 3] = [0.0, 0.30, 0.22];

/// A needle point is drawn as a Gaussian of the same amount and spread while it is at most this
/// many scattering σ in radius, and as a disk with blurred edges from [`DISK_FROM`] on.
const GAUSSIAN_UP_TO: f32 = 2.0;
const DISK_FROM: f32 = 3.0;

/// Finest and coarsest spacing of a dot's stamp, mm.
const STAMP_MM: (f32, f32) = (0.012, 0.05);

/// Reach of a Gaussian in σ beyond which its light is negligible (0.2 % of it lies further).
const REACH_SIGMAS: f32 = 3.5;

/// Optical parameters of one render, in pixels, derived from the preset and the stage.
pub(super) struct Optics {
    /// Scattering σ per channel.
    sigma_px: [f32; 3],
    /// σ of the wide halo per channel, and the share of pigment seen through it.
    halo_sigma_px: [f32; 3],
    halo_share: f32,
    /// Absorbance per unit pigment load, per shade and channel.
    shade_absorbance: Vec<[f32; 3]>,
    veil: [f32; 3],
    redness: f32,
    redness_sigma_px: f32,
    /// Spacing of the stamp a dot's core is computed on.
    stamp_px: f32,
    /// Share of a healed dot's darkness left after the years of fading: the light a faded dot
    /// takes is this share of what it took, whatever its pigment's saturation.
    fade: f32,
    /// Per channel, the power the light a dot leaves is raised to (see [`Optics::skin_warmth`]).
    warmth: [f32; 3],
    /// The pigment scattered between the dots, and the powers the light it leaves is raised to.
    shadow: Option<Shadow>,
    shadow_warmth: [f32; 3],
}

impl Optics {
    pub(super) fn new(scene: &Scene) -> Optics {
        let preset = scene.preset;
        let px_per_mm = scene.settings.scale.px_per_mm;
        let (years, fresh) = match scene.settings.stage {
            Stage::Fresh => (0.0, true),
            Stage::Healed { years } => (years.max(0.0), false),
        };
        let spread_mm = preset.aging.spread_mm_per_year * years;
        let sigma_mm = CHANNEL_SPREAD.map(|m| {
            let s = preset.optics.dermal_blur_mm * m;
            (s * s + spread_mm * spread_mm).sqrt()
        });
        let halo_sigma_px = CHANNEL_SPREAD.map(|m| {
            let s = preset.optics.halo_mm * m;
            (s * s + spread_mm * spread_mm).sqrt() * px_per_mm
        });
        // Old pigment loses red faster than blue: the blue shift grows with the years.
        // Clinic photos of results healed up to two years show warm specks: the cooling
        // shows after that.
        let cooling_years = (years - WARM_YEARS).max(0.0);
        let blue_shift = preset.aging.blue_shift_per_year * cooling_years;
        let channel_gain = [1.0 + blue_shift, 1.0 + 0.5 * blue_shift, 1.0];
        // The skin the photo shows, where it was measured: the pigment sits under the patient's
        // own skin whatever skin tone the preset was made for.
        let skin =
            scene.analysis.and_then(|a| a.skin.colour()).unwrap_or_else(|| preset.skin.srgb.to_linear());
        let shade_absorbance: Vec<[f32; 3]> = preset
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
        let shift = (cooling_years / VEIL_SHIFT_YEARS).min(1.0);
        let veil = CHANNEL_VEIL.map(|m| (veil_base * (1.0 + (m - 1.0) * shift)).clamp(0.0, 0.95));
        let shadow = Shadow::new(scene, &shade_absorbance, veil, super::max_photo_blur_px(scene));
        // The shadow between the dots sits warm against the bare skin, and the specks against
        // the shadowed skin around them.
        let (warmth, shadow_warmth) = match &shadow {
            Some(shadow) => {
                let left = 1.0 - shadow.full_density_share(scene);
                let shadow_warmth = Self::skin_warmth(skin, left);
                let shadowed: [f32; 3] = std::array::from_fn(|c| skin[c] * left.powf(shadow_warmth[c]));
                (Self::skin_warmth(shadowed, SPECK_REMIT), shadow_warmth)
            }
            None => (Self::skin_warmth(skin, SPECK_REMIT), [1.0; 3]),
        };
        let redness = if fresh { preset.aging.fresh_redness } else { 0.0 };
        // The stamp resolves green light's scattering (and never gets coarser than half a
        // pixel), so the light it holds is the dot's, whatever the photo's scale.
        let stamp_px = (sigma_mm[1].clamp(STAMP_MM.0, STAMP_MM.1) * px_per_mm).min(0.5);
        Optics {
            sigma_px: sigma_mm.map(|s| s * px_per_mm),
            halo_sigma_px,
            halo_share: preset.optics.halo_share,
            shade_absorbance,
            veil,
            redness,
            redness_sigma_px: preset.dots.dot_diameter_mm * 1.2 * px_per_mm,
            stamp_px,
            fade: if fresh { 1.0 } else { (1.0 - preset.aging.fade_per_year).max(0.0).powf(years).max(1e-3) },
            warmth,
            shadow_warmth,
            shadow,
        }
    }

    /// Per channel, the power the light a dot leaves is raised to (luminance-weighted mean 1).
    /// A neutral absorber takes every channel alike, which in a photo drains the skin's colour
    /// together with its light: on warm skin the speck reads grey-green. Seen through the skin
    /// above it, pigment takes on the skin's warmth: red is raised to a lower power than green
    /// (a*) and blue to a higher one (b*), each as far as it takes for a typical speck to sit
    /// [`SPECK_WARMTH_LAB`] against the skin, within [`MAX_LEAN`].
    pub(super) fn skin_warmth(skin: [f32; 3], remit: f32) -> [f32; 3] {
        use crate::engine::color::linear_to_lab;
        let skin = skin.map(|v| v.clamp(0.004, 0.98));
        let weights = |red: f32, blue: f32| -> [f32; 3] {
            let w = [1.0 - red, 1.0, 1.0 + blue];
            let norm: f32 = luminance(w);
            w.map(|v| v / norm.max(1e-4))
        };
        let (_, a0, b0) = linear_to_lab(skin);
        let lab_offset = |red: f32, blue: f32| -> (f32, f32) {
            let w = weights(red, blue);
            let speck: [f32; 3] = std::array::from_fn(|c| skin[c] * remit.powf(w[c]));
            let (_, a, b) = linear_to_lab(speck);
            (a - a0 - SPECK_WARMTH_LAB.0, b - b0 - SPECK_WARMTH_LAB.1)
        };
        // More lean, warmer: halve each range until its offset is met, blue around red.
        let solve = |f: &dyn Fn(f32) -> f32| -> f32 {
            let (mut lo, mut hi) = (0.0f32, MAX_LEAN);
            if f(hi) <= 0.0 {
                return hi;
            }
            if f(lo) >= 0.0 {
                return lo;
            }
            for _ in 0..20 {
                let mid = 0.5 * (lo + hi);
                if f(mid) < 0.0 { lo = mid } else { hi = mid }
            }
            0.5 * (lo + hi)
        };
        let red_for = |blue: f32| solve(&|red| lab_offset(red, blue).0);
        let blue = solve(&|blue| lab_offset(red_for(blue), blue).1);
        weights(red_for(blue), blue)
    }

    /// How far beyond a dot's own radius its light reaches before the photo's blur.
    fn reach_px(&self) -> f32 {
        let core = REACH_SIGMAS * self.sigma_px.iter().copied().fold(0.0, f32::max);
        let halo = if self.halo_share > 0.0 {
            REACH_SIGMAS * self.halo_sigma_px.iter().copied().fold(0.0, f32::max)
        } else {
            0.0
        };
        let redness = if self.redness > 0.0 { REACH_SIGMAS * self.redness_sigma_px } else { 0.0 };
        let shadow = self.shadow.as_ref().map_or(0.0, Shadow::reach_px);
        core.max(halo).max(redness).max(shadow)
    }
}

/// How far beyond its own edge a dot can change pixels: its scattering and the photo's blur.
pub(super) fn max_reach_px(scene: &Scene, optics: &Optics) -> f32 {
    let blur = super::max_photo_blur_px(scene);
    (optics.reach_px().powi(2) + (REACH_SIGMAS * blur).powi(2)).sqrt() + optics.stamp_px + 2.0
}

/// The share of the skin's light (luminance) the preset's dots and their shadow take away at full
/// density, for a healed dot of the bulk's nominal size and darkness: the yardstick native
/// hair's look is measured with. Healed, whatever the stage shown, so a fresh result places the
/// very dots that will heal.
pub(super) fn full_density_darkening(scene: &Scene) -> FullDensity {
    let preset = scene.preset;
    let healed = super::SimSettings { stage: Stage::Healed { years: 0.0 }, ..scene.settings };
    let o = Optics::new(&Scene { settings: healed, ..*scene });
    let px_per_mm = scene.settings.scale.px_per_mm;
    let (size, dark) = (1.0, 1.0);
    let needles = match preset.needle.grouping {
        crate::engine::preset::NeedleGrouping::Single => 1,
        crate::engine::preset::NeedleGrouping::Three => 3,
    };
    let diameter_px = preset.dots.dot_diameter_mm * size * px_per_mm;
    let reach = o.reach_px() + diameter_px + 2.0;
    let side = (2.0 * reach).ceil() as u32 + 1;
    let tile = PixelRect::full(side, side);
    let total_weight: f32 = preset.pigment.shades.iter().map(|s| s.weight.max(0.0)).sum();
    let mut scratch = Scratch::default();
    let mut light_px2 = 0.0f32;
    for (i, shade) in preset.pigment.shades.iter().enumerate() {
        let dot = Dot {
            x_px: side as f32 * 0.5,
            y_px: side as f32 * 0.5,
            diameter_px,
            darkness: (preset.dots.darkness * dark).clamp(0.0, 1.5),
            region: RegionKind::Bald,
            session: 1,
            shade: i as u8,
            needles,
            angle: 0.0,
            aspect: 1.0,
            across: 0.0,
        };
        let mut deficit = vec![[0.0f32; 3]; (side * side) as usize];
        add_dot(&o, &dot, 0.0, tile, &mut deficit, &mut scratch);
        let taken: f32 = deficit.iter().copied().map(luminance).sum();
        light_px2 += taken * shade.weight.max(0.0) / total_weight.max(1e-6);
    }
    let per_mm2 = preset.density.target_dots_per_cm2 / 100.0;
    let dots = (light_px2 / (px_per_mm * px_per_mm) * per_mm2).clamp(0.0, 1.0);
    let shadow = o.shadow.as_ref().map_or(0.0, |s| s.full_density_share(scene));
    FullDensity { dots, shadow }
}

/// The share of the skin's light the preset's treatment takes away at full density, healed.
#[derive(Clone, Copy, Debug)]
pub(super) struct FullDensity {
    /// What the dots themselves take.
    pub dots: f32,
    /// What the pigment scattered between them takes.
    pub shadow: f32,
}

impl FullDensity {
    pub fn total(self) -> f32 {
        1.0 - (1.0 - self.dots) * (1.0 - self.shadow)
    }
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

/// Standard normal cumulative distribution.
#[inline]
fn phi(z: f32) -> f32 {
    0.5 * erfc(-z * std::f32::consts::FRAC_1_SQRT_2)
}

/// Share of a Gaussian of σ `sigma` centred at `centre` that falls on each pixel `first..last`
/// of a row (or column): the pixel integral of the blurred light, exact for a Gaussian.
fn pixel_shares(centre: f32, sigma: f32, first: i64, last: i64, out: &mut Vec<f32>) {
    out.clear();
    let inv = 1.0 / sigma.max(1e-3);
    let mut below = phi((first as f32 - centre) * inv);
    for x in first..last {
        let above = phi(((x + 1) as f32 - centre) * inv);
        out.push(above - below);
        below = above;
    }
}

/// A disk of radius `r` blurred by a Gaussian of σ `s`, at distance `d` from its centre, in
/// units where the sharp disk is 1 (so it holds πr²). Between the regimes the two shapes
/// are blended, both holding the same amount.
#[inline]
fn needle_profile(d2: f32, r: f32, s: f32) -> f32 {
    let ratio = r / s.max(1e-4);
    let gaussian = || {
        let v = s * s + 0.25 * r * r;
        r * r / (2.0 * v) * (-0.5 * d2 / v).exp()
    };
    let disk = || {
        let amplitude = r * r / (r * r + s * s);
        amplitude * 0.5 * erfc((d2.sqrt() - r) / (std::f32::consts::SQRT_2 * s.max(1e-4)))
    };
    if ratio <= GAUSSIAN_UP_TO {
        gaussian()
    } else if ratio >= DISK_FROM {
        disk()
    } else {
        let w = (ratio - GAUSSIAN_UP_TO) / (DISK_FROM - GAUSSIAN_UP_TO);
        gaussian() * (1.0 - w) + disk() * w
    }
}

/// Working buffers reused for every dot of a tile.
#[derive(Default)]
struct Scratch {
    /// The stamp's deficit per channel, row-major, `n × n`.
    stamp: [Vec<f32>; 3],
    /// Stamp rows weighted into the tile's columns, per channel: `n × columns`.
    rows: [Vec<f32>; 3],
    wx: Vec<Vec<f32>>,
    wy: Vec<Vec<f32>>,
    shares_x: Vec<f32>,
    shares_y: Vec<f32>,
    ex: Vec<f32>,
    ey: Vec<f32>,
    /// A stamp being squeezed (see [`foreshorten`]).
    squeezed: Vec<f32>,
}

/// The pixel columns (or rows) a light centred at `centre` and reaching `reach` touches, within
/// `lo..hi`.
fn span(centre: f32, reach: f32, lo: u32, hi: u32) -> (i64, i64) {
    let first = ((centre - reach).floor() as i64).max(lo as i64);
    let last = ((centre + reach).ceil() as i64 + 1).min(hi as i64);
    (first, last.max(first))
}

/// Adds one dot's deficit, blurred by a PSF of σ `blur_px` and integrated over pixels, to the
/// tile's deficit map.
fn add_dot(o: &Optics, dot: &Dot, blur_px: f32, tile: PixelRect, deficit: &mut [[f32; 3]], s: &mut Scratch) {
    let k = o.shade_absorbance.get(dot.shade as usize).copied().unwrap_or([1.0; 3]);
    let points: Vec<(f32, f32, f32)> =
        dot.points().map(|(x, y, d)| (x - dot.x_px, y - dot.y_px, 0.5 * d)).collect();
    let share = o.halo_share;
    let r_eff = points.iter().map(|p| p.2 * p.2).sum::<f32>().sqrt();
    // A faded dot's load is its healed load less what the years took; its pigment is drawn at
    // the healed load and the light it takes scaled down (see `Optics::fade`).
    let load = (dot.darkness / o.fade).min(1.5);
    let core_amount: [f32; 3] = std::array::from_fn(|c| load * k[c] * (1.0 - share));
    let halo_amount: [f32; 3] = std::array::from_fn(|c| load * k[c] * share);

    // The core, on the stamp.
    let max_sigma = o.sigma_px.iter().copied().fold(0.0, f32::max);
    let extent = points.iter().map(|p| p.0.hypot(p.1) + p.2).fold(0.0, f32::max) + REACH_SIGMAS * max_sigma;
    let h = o.stamp_px;
    let half = (extent / h).ceil() as i64;
    let n = (2 * half + 1) as usize;
    let offset = |i: usize| (i as i64 - half) as f32 * h;
    for c in 0..3 {
        let stamp = &mut s.stamp[c];
        stamp.clear();
        stamp.resize(n * n, 0.0);
        let sigma = o.sigma_px[c];
        for &(px, py, r) in &points {
            let amount = core_amount[c];
            if r / sigma.max(1e-4) <= GAUSSIAN_UP_TO {
                // Separable: one row and one column of factors instead of n² exponentials.
                let v = sigma * sigma + 0.25 * r * r;
                let peak = amount * r * r / (2.0 * v);
                s.ex.clear();
                s.ey.clear();
                for i in 0..n {
                    s.ex.push((-0.5 * (offset(i) - px).powi(2) / v).exp());
                    s.ey.push(peak * (-0.5 * (offset(i) - py).powi(2) / v).exp());
                }
                for (j, &fy) in s.ey.iter().enumerate() {
                    for (value, &fx) in stamp[j * n..(j + 1) * n].iter_mut().zip(&s.ex) {
                        *value += fy * fx;
                    }
                }
            } else {
                for j in 0..n {
                    let dy = offset(j) - py;
                    for i in 0..n {
                        let dx = offset(i) - px;
                        stamp[j * n + i] += amount * needle_profile(dx * dx + dy * dy, r, sigma);
                    }
                }
            }
        }
        // The halo within the stamp joins the non-linear sum; outside the stamp (and as the
        // linear part inside it) it is added in closed form below.
        let hs = o.halo_sigma_px[c].max(0.25);
        let halo_peak = if share > 0.0 { halo_amount[c] * r_eff * r_eff / (2.0 * hs * hs) } else { 0.0 };
        let transmit = (1.0 - o.veil[c]) * o.fade;
        s.ex.clear();
        for i in 0..n {
            s.ex.push((-0.5 * offset(i).powi(2) / (hs * hs)).exp());
        }
        for j in 0..n {
            let fy = halo_peak * (-0.5 * offset(j).powi(2) / (hs * hs)).exp();
            for i in 0..n {
                let halo = fy * s.ex[i];
                let a = stamp[j * n + i] + halo;
                stamp[j * n + i] = transmit * (-(-a).exp_m1() - halo);
            }
        }
    }

    // Where the scalp turns away from the camera, the dot's image is its stamp squeezed across
    // the rim.
    if dot.aspect < FLAT_ASPECT {
        foreshorten(s, n, dot.aspect, dot.across);
    }

    // Where the photo's blur (and its pixels) spread the dot well beyond its own size, the
    // recorded light is a Gaussian with the dot's amount and spread: higher moments of its shape
    // no longer show (the error is below 2 % of the dot's light).
    let area = h * h;
    let moments: [(f32, f32, f32, f32); 3] = std::array::from_fn(|c| {
        let (mut m, mut mx, mut my, mut m2) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
        for j in 0..n {
            let y = offset(j);
            for (i, &v) in s.stamp[c][j * n..(j + 1) * n].iter().enumerate() {
                let x = offset(i);
                m += v;
                mx += v * x;
                my += v * y;
                m2 += v * (x * x + y * y);
            }
        }
        if m <= 0.0 {
            return (0.0, 0.0, 0.0, 0.0);
        }
        let (cx, cy) = (mx / m, my / m);
        (m * area, cx, cy, (0.5 * m2 / m - 0.5 * (cx * cx + cy * cy)).max(0.0))
    });
    let smoothing = blur_px * blur_px + PIXEL_VARIANCE;
    if moments.iter().all(|m| m.3 <= smoothing) {
        for (c, &(amount, cx, cy, variance)) in moments.iter().enumerate() {
            if amount > 0.0 {
                let sigma = (variance + blur_px * blur_px + h * h / 12.0).sqrt();
                add_gaussian_channel(dot.x_px + cx, dot.y_px + cy, c, amount, sigma, tile, deficit, s);
            }
        }
    } else {
        add_stamp(dot, blur_px, n, h, tile, deficit, s);
    }

    // The halo's linear part and the redness around a fresh dot: Gaussians, blurred and
    // integrated exactly.
    // Squeezed across the rim like the core: light and spread across shrink by the aspect.
    let aspect = dot.aspect.clamp(0.0, 1.0);
    if share > 0.0 {
        let amounts: [f32; 3] = std::array::from_fn(|c| {
            (1.0 - o.veil[c]) * o.fade * halo_amount[c] * std::f32::consts::PI * r_eff * r_eff * aspect
        });
        let sigmas = o.halo_sigma_px.map(|hs| hs.max(0.25));
        add_gaussian(dot, amounts, sigmas, blur_px, tile, deficit, s);
    }
    if o.redness > 0.0 {
        let amount = o.redness * dot.darkness.min(1.0);
        let rs = o.redness_sigma_px;
        let amounts = REDNESS_ABSORBANCE.map(|a| amount * a * 2.0 * std::f32::consts::PI * rs * rs * aspect);
        add_gaussian(dot, amounts, [rs; 3], blur_px, tile, deficit, s);
    }
}

/// Aspect above which a dot is drawn round.
const FLAT_ASPECT: f32 = 0.999;

/// Squeezes the stamps (one per channel, `n × n` samples, centred on the dot) by
/// `aspect` along the direction `across`: each sample takes the value the round stamp has
/// where the squeeze brings it from. The values are shares of light taken, so they are read,
/// not spread: the squeezed dot covers less of the photo and takes that much less light.
fn foreshorten(s: &mut Scratch, n: usize, aspect: f32, across: f32) {
    let half = (n / 2) as f32;
    let (sin, cos) = across.sin_cos();
    let stretch = 1.0 / aspect.max(1e-3);
    for c in 0..3 {
        let round = &s.stamp[c];
        let squeezed = &mut s.squeezed;
        squeezed.clear();
        squeezed.resize(n * n, 0.0);
        for j in 0..n {
            let y = j as f32 - half;
            for i in 0..n {
                let x = i as f32 - half;
                // In the stamp's own grid units: stretch the component across the rim back.
                let a = (x * cos + y * sin) * stretch;
                let b = -x * sin + y * cos;
                let (sx, sy) = (a * cos - b * sin + half, a * sin + b * cos + half);
                squeezed[j * n + i] = bilinear(round, n, sx, sy);
            }
        }
        std::mem::swap(&mut s.stamp[c], &mut s.squeezed);
    }
}

/// The stamp's value at a fractional sample position, 0 outside it.
fn bilinear(stamp: &[f32], n: usize, x: f32, y: f32) -> f32 {
    if x < 0.0 || y < 0.0 || x > (n - 1) as f32 || y > (n - 1) as f32 {
        return 0.0;
    }
    let (i, j) = ((x as usize).min(n.saturating_sub(2)), (y as usize).min(n.saturating_sub(2)));
    let (fx, fy) = (x - i as f32, y - j as f32);
    let at = |i: usize, j: usize| stamp.get(j * n + i).copied().unwrap_or(0.0);
    let top = at(i, j) * (1.0 - fx) + at(i + 1, j) * fx;
    let bottom = at(i, j + 1) * (1.0 - fx) + at(i + 1, j + 1) * fx;
    top * (1.0 - fy) + bottom * fy
}

/// Adds a dot's stamp, blurred by the PSF and integrated over the tile's pixels. Each stamp
/// sample stands for an `h × h` square of light, whose own spread joins the PSF's.
fn add_stamp(
    dot: &Dot,
    blur_px: f32,
    n: usize,
    h: f32,
    tile: PixelRect,
    deficit: &mut [[f32; 3]],
    s: &mut Scratch,
) {
    let w = (tile.x1 - tile.x0) as usize;
    let half = (n / 2) as i64;
    let offset = |i: usize| (i as i64 - half) as f32 * h;
    let sigma = (blur_px * blur_px + h * h / 12.0).sqrt();
    let reach = offset(n - 1) + REACH_SIGMAS * sigma;
    let (x0, x1) = span(dot.x_px, reach, tile.x0, tile.x1);
    let (y0, y1) = span(dot.y_px, reach, tile.y0, tile.y1);
    if x0 >= x1 || y0 >= y1 {
        return;
    }
    let cols = (x1 - x0) as usize;
    s.wx.resize_with(n, Vec::new);
    s.wy.resize_with(n, Vec::new);
    for i in 0..n {
        pixel_shares(dot.x_px + offset(i), sigma, x0, x1, &mut s.wx[i]);
        pixel_shares(dot.y_px + offset(i), sigma, y0, y1, &mut s.wy[i]);
    }
    let area = h * h;
    for c in 0..3 {
        let rows = &mut s.rows[c];
        rows.clear();
        rows.resize(n * cols, 0.0);
        for j in 0..n {
            let line = &s.stamp[c][j * n..(j + 1) * n];
            let out = &mut rows[j * cols..(j + 1) * cols];
            for (i, &value) in line.iter().enumerate() {
                if value != 0.0 {
                    for (o, &wx) in out.iter_mut().zip(&s.wx[i]) {
                        *o += value * wx;
                    }
                }
            }
        }
        for (yi, y) in (y0..y1).enumerate() {
            let row = &mut deficit[(y - tile.y0 as i64) as usize * w..][..w];
            for j in 0..n {
                let wy = s.wy[j][yi] * area;
                if wy == 0.0 {
                    continue;
                }
                let line = &rows[j * cols..(j + 1) * cols];
                for (xi, &v) in line.iter().enumerate() {
                    row[(x0 - tile.x0 as i64) as usize + xi][c] += wy * v;
                }
            }
        }
    }
}

/// Adds Gaussians (per channel: amount of light in px², σ in px on skin facing the camera)
/// centred on the dot, squeezed like the dot and blurred by the photo.
fn add_gaussian(
    dot: &Dot,
    amounts: [f32; 3],
    sigmas: [f32; 3],
    blur_px: f32,
    tile: PixelRect,
    deficit: &mut [[f32; 3]],
    s: &mut Scratch,
) {
    for c in 0..3 {
        if dot.aspect < FLAT_ASPECT {
            let along = (sigmas[c] * sigmas[c] + blur_px * blur_px).sqrt();
            let across = ((sigmas[c] * dot.aspect).powi(2) + blur_px * blur_px).sqrt();
            add_squeezed_gaussian(dot, c, amounts[c], (along, across), tile, deficit);
        } else {
            let sigma = (sigmas[c] * sigmas[c] + blur_px * blur_px).sqrt();
            add_gaussian_channel(dot.x_px, dot.y_px, c, amounts[c], sigma, tile, deficit, s);
        }
    }
}

/// Adds a Gaussian of `amount` px² of light with σ `along` the rim and `across` it (px) at the
/// dot to channel `c`, sampled at pixel centres with the pixel's own spread added.
fn add_squeezed_gaussian(
    dot: &Dot,
    c: usize,
    amount: f32,
    (along, across): (f32, f32),
    tile: PixelRect,
    deficit: &mut [[f32; 3]],
) {
    let w = (tile.x1 - tile.x0) as usize;
    let va = along * along + PIXEL_VARIANCE;
    let vc = across * across + PIXEL_VARIANCE;
    let reach = REACH_SIGMAS * va.sqrt();
    let (x0, x1) = span(dot.x_px, reach, tile.x0, tile.x1);
    let (y0, y1) = span(dot.y_px, reach, tile.y0, tile.y1);
    if x0 >= x1 || y0 >= y1 {
        return;
    }
    let (sin, cos) = dot.across.sin_cos();
    let norm = amount / (std::f32::consts::TAU * (va * vc).sqrt());
    for py in y0..y1 {
        let dy = py as f32 + 0.5 - dot.y_px;
        let row = &mut deficit[(py - tile.y0 as i64) as usize * w..][..w];
        for px in x0..x1 {
            let dx = px as f32 + 0.5 - dot.x_px;
            let a = dx * cos + dy * sin;
            let b = -dx * sin + dy * cos;
            row[(px - tile.x0 as i64) as usize][c] += norm * (-0.5 * (a * a / vc + b * b / va)).exp();
        }
    }
}

/// Adds a Gaussian of `amount` px² of light and σ `sigma` px at `(x, y)` to channel `c`.
#[allow(clippy::too_many_arguments)]
fn add_gaussian_channel(
    x: f32,
    y: f32,
    c: usize,
    amount: f32,
    sigma: f32,
    tile: PixelRect,
    deficit: &mut [[f32; 3]],
    s: &mut Scratch,
) {
    let w = (tile.x1 - tile.x0) as usize;
    let reach = REACH_SIGMAS * sigma;
    let (x0, x1) = span(x, reach, tile.x0, tile.x1);
    let (y0, y1) = span(y, reach, tile.y0, tile.y1);
    if x0 >= x1 || y0 >= y1 {
        return;
    }
    pixel_shares(x, sigma, x0, x1, &mut s.shares_x);
    pixel_shares(y, sigma, y0, y1, &mut s.shares_y);
    for (yi, py) in (y0..y1).enumerate() {
        let fy = amount * s.shares_y[yi];
        let row = &mut deficit[(py - tile.y0 as i64) as usize * w..][..w];
        for (xi, &fx) in s.shares_x.iter().enumerate() {
            row[(x0 - tile.x0 as i64) as usize + xi][c] += fy * fx;
        }
    }
}

/// A pixel of the photo split into the mean of it and its eight neighbours and what it has
/// beyond that (its grain), in linear light.
fn grain_split(photo: &image::RgbImage, x: u32, y: u32) -> ([f32; 3], [f32; 3]) {
    let (w, h) = photo.dimensions();
    let mut sum = [0.0f32; 3];
    let mut n = 0.0f32;
    for yy in y.saturating_sub(1)..(y + 2).min(h) {
        for xx in x.saturating_sub(1)..(x + 2).min(w) {
            let p = photo.get_pixel(xx, yy).0;
            for c in 0..3 {
                sum[c] += srgb8_to_linear(p[c]);
            }
            n += 1.0;
        }
    }
    let mean = sum.map(|v| v / n);
    let px = photo.get_pixel(x, y).0;
    (mean, std::array::from_fn(|c| srgb8_to_linear(px[c]) - mean[c]))
}

/// Renders one tile with the render's optics (made once per render: the skin's warmth is solved
/// there): returns its RGB bytes, row-major.
pub(super) fn render_tile(
    scene: &Scene,
    fields: &Fields,
    o: &Optics,
    tile: PixelRect,
    dots: &[&Dot],
) -> Vec<u8> {
    let w = (tile.x1 - tile.x0) as usize;
    let h = (tile.y1 - tile.y0) as usize;
    let mut deficit = vec![[0.0f32; 3]; w * h];
    let mut scratch = Scratch::default();
    for dot in dots {
        let blur = super::photo_blur_px(scene, dot.x_px, dot.y_px);
        add_dot(o, dot, blur, tile, &mut deficit, &mut scratch);
    }
    let shadow_left = o.shadow.as_ref().map(|shadow| {
        let mut left = vec![[1.0f32; 3]; w * h];
        shadow.apply(scene, fields, tile, &mut left);
        left
    });

    let mut out = Vec::with_capacity(w * h * 3);
    for (row, y) in (tile.y0..tile.y1).enumerate() {
        for (col, x) in (tile.x0..tile.x1).enumerate() {
            let px = scene.photo.get_pixel(x, y).0;
            let d = deficit[row * w + col];
            let shadowed = shadow_left.as_ref().map_or([1.0; 3], |left| left[row * w + col]);
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
            let untouched = d.iter().all(|&v| v <= 1e-6) && shadowed.iter().all(|&v| v >= 1.0 - 1e-6);
            if scene.masks.any(x, y) == 0 || (tone.is_none() && untouched) {
                out.extend_from_slice(&px);
                continue;
            }
            let tone = tone.unwrap_or([1.0; 3]);
            // The photo's grain (its sensor noise and compression, finer than a pixel's
            // neighbours) was recorded on top of the scene's light: it stays on the darkened
            // skin, as it would on a photo of the treated head, not darkened with it.
            let (base, grain) = grain_split(scene.photo, x, y);
            // Pigment attenuates the light remitted from below the surface; the light the
            // surface mirrors lies on top, and a clipped pixel shows nothing of what is below.
            let reflection = match scene.analysis {
                Some(analysis) => analysis.surface.reflection(x, y, base, px),
                None => Reflection { specular: [0.0; 3], clipped: [0.0; 3], light: base },
            };
            for c in 0..3 {
                // Seen through the skin above it, the pigment takes on the skin's warmth: the
                // light a dot leaves, raised per channel to the skin's own leaning power.
                let remit = (1.0 - d[c].clamp(0.0, 1.0)).max(1e-6).powf(o.warmth[c])
                    * shadowed[c].clamp(1e-6, 1.0).powf(o.shadow_warmth[c]);
                let specular = reflection.specular[c];
                let diffuse = (reflection.light[c] - specular).max(0.0) * tone[c];
                let light = diffuse * remit + specular;
                // Most of a phone's grain is photon noise, which goes with the square root of
                // the light recorded.
                let kept = (light / reflection.light[c].max(1e-4)).clamp(0.0, 1.0).sqrt();
                out.push(linear_to_srgb8(light + grain[c] * kept));
            }
        }
    }
    out
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
    fn a_wide_needle_point_is_a_flat_disk_with_soft_edges() {
        assert!(needle_profile(0.0, 5.0, 0.5) > 0.98);
        assert!(needle_profile(25.0, 5.0, 0.5) < 0.55);
        assert!(needle_profile(49.0, 5.0, 0.5) < 0.01);
    }

    /// Whatever its regime, a needle point holds the pigment of its sharp disk (πr²).
    #[test]
    fn needle_points_hold_their_pigment_in_every_regime() {
        for (r, s) in [(0.3f32, 1.0f32), (1.0, 0.45), (1.0, 0.4), (1.0, 0.3), (3.0, 0.3)] {
            let step = 0.02;
            let reach = r + 6.0 * s;
            let n = (reach / step) as i32;
            let mut sum = 0.0f64;
            for j in -n..=n {
                for i in -n..=n {
                    let (x, y) = (i as f32 * step, j as f32 * step);
                    sum += needle_profile(x * x + y * y, r, s) as f64 * (step * step) as f64;
                }
            }
            let disk = std::f64::consts::PI * (r * r) as f64;
            assert!((sum / disk - 1.0).abs() < 0.03, "r {r}, σ {s}: {:.3} of the disk's pigment", sum / disk);
        }
    }

    /// The light one dot takes away, in mm² of fully dark skin, rendered at `px_per_mm` through
    /// a PSF of `blur_mm`.
    fn light_taken_mm2(px_per_mm: f32, blur_mm: f32, needles: u8) -> f64 {
        use crate::engine::mask::RegionMasks;
        use crate::engine::sim::SimSettings;
        use crate::engine::units::Scale;
        let preset = crate::engine::preset::bundled().remove(0);
        let side = (4.0 * px_per_mm).ceil() as u32;
        let photo = image::RgbImage::new(side, side);
        let masks = RegionMasks::new(side, side);
        let settings = SimSettings { scale: Scale { px_per_mm }, ..SimSettings::default() };
        let scene = Scene::new(&photo, &masks, &preset, settings);
        let o = Optics::new(&scene);
        let centre = side as f32 * 0.5 + 0.37;
        let dot = Dot {
            x_px: centre,
            y_px: centre - 0.21,
            diameter_px: 0.26 * px_per_mm,
            darkness: 0.8,
            region: RegionKind::Bald,
            session: 1,
            shade: 0,
            needles,
            angle: 0.4,
            aspect: 1.0,
            across: 0.0,
        };
        let tile = PixelRect::full(side, side);
        let mut deficit = vec![[0.0f32; 3]; (side * side) as usize];
        add_dot(&o, &dot, blur_mm * px_per_mm, tile, &mut deficit, &mut Scratch::default());
        let px_area = 1.0 / (px_per_mm as f64 * px_per_mm as f64);
        deficit.iter().map(|d| d[1] as f64).sum::<f64>() * px_area
    }

    /// A dot takes away the same light whether the photo resolves it or not, and however blurred
    /// the photo is: dots smaller than a pixel keep their darkness.
    #[test]
    fn a_dot_takes_the_same_light_at_every_scale_and_blur() {
        for needles in [1, 3] {
            let reference = light_taken_mm2(40.0, 0.0, needles);
            assert!(reference > 0.01, "the dot takes almost no light: {reference} mm²");
            for (px_per_mm, blur_mm) in [(3.0, 0.05), (3.5, 0.2), (5.0, 0.1), (8.0, 0.0), (20.0, 0.03)] {
                let taken = light_taken_mm2(px_per_mm, blur_mm, needles);
                assert!(
                    (taken / reference - 1.0).abs() < 0.02,
                    "{needles} needle(s) at {px_per_mm} px/mm, blur {blur_mm} mm: {taken:.5} mm² against {reference:.5}"
                );
            }
        }
    }

    #[test]
    fn pixel_shares_of_a_gaussian_sum_to_one() {
        let mut shares = Vec::new();
        pixel_shares(10.3, 0.7, 0, 20, &mut shares);
        assert!((shares.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        assert!(shares[10] > shares[9] && shares[10] > shares[11]);
    }
}
