//! Geometry and numbers: the frame, the physical constants of hair, and deterministic maths.

use super::*;

/// Scale used when the parameters carry an unusable one, so a bad value still gives a picture.
pub(super) const FALLBACK_PX_PER_MM: f32 = 10.0;
/// Hairs rooted this far outside the frame can still reach into it (longest shaft + slack).
pub(super) const SITE_MARGIN_MM: f32 = 3.0;
/// Follicle sites per mm² on a full head: natural scalps carry about one follicular unit per mm².
pub(super) const FULL_SITE_DENSITY_PER_MM2: f32 = 1.0;
/// Densest uniform layout honoured; beyond this hair would be a solid pelt and painting slow.
pub(super) const MAX_FU_PER_MM2: f32 = 16.0;

/// Terminal (full-grown) hair shaft diameter range.
pub(super) const TERMINAL_WIDTH_MM: (f32, f32) = (0.06, 0.10);
/// Miniaturised (vellus-like) hair shaft diameter range.
pub(super) const VELLUS_WIDTH_MM: (f32, f32) = (0.015, 0.03);
/// Visible shaft length of a buzz cut seen from above: log-normal, mostly short.
pub(super) const TERMINAL_LENGTH_MEDIAN_MM: f32 = 0.5;
pub(super) const TERMINAL_LENGTH_SIGMA: f32 = 0.55;
pub(super) const TERMINAL_LENGTH_RANGE_MM: (f32, f32) = (0.3, 2.5);
pub(super) const VELLUS_LENGTH_MEDIAN_MM: f32 = 0.45;
pub(super) const VELLUS_LENGTH_RANGE_MM: (f32, f32) = (0.15, 1.0);
/// Hairs of one follicular unit exit the skin this far apart, side by side.
pub(super) const FU_HAIR_SPACING_MM: f32 = 0.12;
/// Angular fan between neighbouring hairs of one follicular unit.
pub(super) const FU_HAIR_FAN_RAD: f32 = 0.1;
/// Spread of a unit's direction around the scalp's flow.
pub(super) const FU_DIRECTION_JITTER_RAD: f32 = 0.25;
/// Spread of single hairs around their unit's direction and exit point.
pub(super) const HAIR_DIRECTION_JITTER_RAD: f32 = 0.1;
pub(super) const HAIR_ROOT_JITTER_MM: f32 = 0.03;

#[derive(Clone, Copy, Debug)]
pub(super) struct Frame {
    pub(super) width_px: usize,
    pub(super) height_px: usize,
    pub(super) px_per_mm: f32,
    pub(super) width_mm: f32,
    pub(super) height_mm: f32,
}

impl Frame {
    pub(super) fn new(params: &ScalpParams) -> Self {
        let px_per_mm = if params.px_per_mm.is_finite() && params.px_per_mm > 0.0 {
            params.px_per_mm
        } else {
            FALLBACK_PX_PER_MM
        };
        Self {
            width_px: params.width_px as usize,
            height_px: params.height_px as usize,
            px_per_mm,
            width_mm: params.width_px as f32 / px_per_mm,
            height_mm: params.height_px as f32 / px_per_mm,
        }
    }

    pub(super) fn contains_mm(&self, p_mm: [f32; 2]) -> bool {
        (0.0..self.width_mm).contains(&p_mm[0]) && (0.0..self.height_mm).contains(&p_mm[1])
    }

    /// Centre of pixel column/row `i` in mm.
    pub(super) fn centre_mm(&self, i: usize) -> f32 {
        (i as f32 + 0.5) / self.px_per_mm
    }

    /// Pixel indices whose pixels touch `[lo_px, hi_px]` along an axis of `len_px` pixels.
    pub(super) fn span(lo_px: f32, hi_px: f32, len_px: usize) -> std::ops::Range<usize> {
        let lo = lo_px.floor().max(0.0) as usize;
        let hi = (hi_px.ceil().max(0.0) as usize).min(len_px);
        lo..hi.max(lo)
    }
}

pub(super) fn smoothstep(edge0: f32, edge1: f32, x: f32) -> f32 {
    let t = ((x - edge0) / (edge1 - edge0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

pub(super) fn lerp(a: f32, b: f32, t: f32) -> f32 {
    a + (b - a) * t
}

pub(super) fn dot3(a: [f32; 3], b: [f32; 3]) -> f32 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

pub(super) fn normalise3(v: [f32; 3]) -> [f32; 3] {
    let len = dot3(v, v).sqrt();
    [v[0] / len, v[1] / len, v[2] / len]
}

pub(super) fn rotate(v: [f32; 2], angle_rad: f32) -> [f32; 2] {
    let (s, c) = detmath::sin_cos(angle_rad);
    [v[0] * c - v[1] * s, v[0] * s + v[1] * c]
}

/// Approximately standard-normal deviate from four uniforms (Irwin–Hall), using arithmetic only.
pub(super) fn gaussish(rng: &mut Rng) -> f32 {
    let sum = rng.unit() + rng.unit() + rng.unit() + rng.unit();
    ((sum - 2.0) * 3.0_f64.sqrt()) as f32
}

pub(super) fn unit_f32(rng: &mut Rng) -> f32 {
    rng.unit() as f32
}

/// Bit-reproducible replacements for the transcendental functions the renderer needs.
///
/// Platform maths libraries may differ in the last bit; these use only IEEE arithmetic, so a
/// seed renders identically everywhere.
pub(super) mod detmath {
    pub(super) const LN2_HI: f32 = 0.693_145_75;
    pub(super) const LN2_LO: f32 = 1.428_606_8e-6;
    pub(super) const PI_2_HI: f32 = std::f32::consts::FRAC_PI_2;
    pub(super) const PI_2_LO: f32 = -4.371_139e-8;
    pub(super) const C2: f32 = 1.0 / 2.0;
    pub(super) const C3: f32 = 1.0 / 6.0;
    pub(super) const C4: f32 = 1.0 / 24.0;
    pub(super) const C5: f32 = 1.0 / 120.0;
    pub(super) const C6: f32 = 1.0 / 720.0;

    /// Nearest integer (ties away from zero) without a maths-library call; only used for
    /// range reduction, where any nearby integer is correct.
    pub(super) fn round(x: f32) -> f32 {
        if x >= 0.0 { (x + 0.5) as i32 as f32 } else { (x - 0.5) as i32 as f32 }
    }

    /// `e^x`, relative error below 1e-6.
    pub fn exp(x: f32) -> f32 {
        if x < -87.0 {
            return 0.0;
        }
        let x = x.min(88.0);
        let k = round(x * std::f32::consts::LOG2_E);
        let r = x - k * LN2_HI - k * LN2_LO;
        let poly = 1.0 + r * (1.0 + r * (C2 + r * (C3 + r * (C4 + r * (C5 + r * C6)))));
        let exponent_bits = ((k as i32 + 127) as u32) << 23;
        poly * f32::from_bits(exponent_bits)
    }

    /// `(sin a, cos a)`, absolute error below 1e-7 for moderate angles.
    pub fn sin_cos(a: f32) -> (f32, f32) {
        let q = round(a * std::f32::consts::FRAC_2_PI);
        let r = a - q * PI_2_HI - q * PI_2_LO;
        let r2 = r * r;
        let s = r * (1.0 - r2 / 6.0 * (1.0 - r2 / 20.0 * (1.0 - r2 / 42.0 * (1.0 - r2 / 72.0))));
        let c = 1.0 - r2 / 2.0 * (1.0 - r2 / 12.0 * (1.0 - r2 / 30.0 * (1.0 - r2 / 56.0)));
        match (q as i64).rem_euclid(4) {
            0 => (s, c),
            1 => (c, -s),
            2 => (-s, -c),
            _ => (-c, s),
        }
    }

    /// Fifth root of `v` in `(0, 1]` by Newton's method from above (monotone convergence).
    pub(super) fn fifth_root(v: f64) -> f64 {
        let mut r = 1.0_f64;
        for _ in 0..60 {
            let r4 = r * r * r * r;
            r -= (r4 * r - v) / (5.0 * r4);
        }
        r
    }

    /// sRGB transfer function decoded to linear light, for `c` in `[0, 1]`.
    pub fn srgb_to_linear(c: f32) -> f32 {
        let c = f64::from(c.clamp(0.0, 1.0));
        let linear = if c <= 0.04045 {
            c / 12.92
        } else {
            // y^2.4 = y² · (y²)^(1/5)
            let y = (c + 0.055) / 1.055;
            y * y * fifth_root(y * y)
        };
        linear as f32
    }
}

/// Exact nearest-level sRGB encoding by comparing against the linear values half-way between
/// neighbouring 8-bit levels (no `powf` per pixel); a coarse table gives the starting level so
/// only a step or two of comparison is needed.
pub(super) struct SrgbEncoder {
    pub(super) thresholds: Vec<f32>,
    pub(super) start_level: Vec<u8>,
}

pub(super) const ENCODER_BINS: usize = 4096;

impl SrgbEncoder {
    pub(super) fn new() -> Self {
        let thresholds: Vec<f32> =
            (0..255).map(|level| detmath::srgb_to_linear((level as f32 + 0.5) / 255.0)).collect();
        let start_level = (0..=ENCODER_BINS)
            .map(|bin| {
                let linear = bin as f32 / ENCODER_BINS as f32;
                thresholds.partition_point(|&t| t <= linear) as u8
            })
            .collect();
        Self { thresholds, start_level }
    }

    pub(super) fn encode(&self, linear: f32) -> u8 {
        let linear = linear.clamp(0.0, 1.0);
        let bin = (linear * ENCODER_BINS as f32) as usize;
        let mut level = usize::from(self.start_level[bin.min(ENCODER_BINS)]);
        while level < self.thresholds.len() && self.thresholds[level] <= linear {
            level += 1;
        }
        level as u8
    }
}

pub(super) fn srgb8_to_linear(rgb: [u8; 3]) -> [f32; 3] {
    rgb.map(|c| detmath::srgb_to_linear(f32::from(c) / 255.0))
}

pub(super) fn luminance(rgb: [f32; 3]) -> f32 {
    0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
}
