//! The one table of preset fields: where each number is meaningful, its unit, what it means.
//!
//! Validation, the window's sliders and the comments in saved files all read this table, so a
//! slider can never offer a value that loading would refuse, nor clamp a valid file's value.

use super::{Preset, Shade};
use std::ops::RangeInclusive;

/// One number of a preset.
pub struct Limit {
    /// Dotted path as written in the file, e.g. `dots.darkness`.
    pub path: &'static str,
    /// Short name on a slider.
    pub label: &'static str,
    pub min: f32,
    pub max: f32,
    /// Unit shown after the value ("mm", "/cm²"); empty for shares and factors.
    pub unit: &'static str,
    /// The explanation written above the field in saved files.
    pub doc: &'static str,
    pub get: fn(&Preset) -> f32,
    pub set: fn(&mut Preset, f32),
}

/// A field is known by its path: two limits are the same field when their paths are.
impl PartialEq for Limit {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

impl std::fmt::Debug for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Limit({})", self.path)
    }
}

impl Limit {
    pub fn range(&self) -> RangeInclusive<f32> {
        self.min..=self.max
    }

    /// The field's name in the file, the last part of its path.
    pub fn leaf(&self) -> &'static str {
        self.path.rsplit('.').next().unwrap_or(self.path)
    }

    pub fn contains(&self, value: f32) -> bool {
        value.is_finite() && self.range().contains(&value)
    }

    /// Brings `value` into the range (a non-number becomes the lower end).
    pub fn clamp(&self, value: f32) -> f32 {
        if value.is_nan() { self.min } else { value.clamp(self.min, self.max) }
    }
}

/// One number of each pigment shade.
pub struct ShadeLimit {
    pub leaf: &'static str,
    pub min: f32,
    pub max: f32,
    pub doc: &'static str,
    pub get: fn(&Shade) -> f32,
}

macro_rules! field {
    ($path:literal, $($part:ident).+, $label:literal, $min:expr, $max:expr, $unit:literal, $doc:literal) => {
        Limit {
            path: $path,
            label: $label,
            min: $min,
            max: $max,
            unit: $unit,
            doc: $doc,
            get: |p: &Preset| p.$($part).+,
            set: |p: &mut Preset, v: f32| p.$($part).+ = v,
        }
    };
}

/// Every single number of a preset, in file order.
pub const FIELDS: &[Limit] = &[
    field!(
        "needle.diameter_mm",
        needle.diameter_mm,
        "Needle",
        0.1,
        0.5,
        "mm",
        "Diameter of one needle point, 0.18–0.35 mm."
    ),
    field!(
        "dots.dot_diameter_mm",
        dots.dot_diameter_mm,
        "Dot size",
        0.05,
        1.5,
        "mm",
        "Healed impression diameter in the bulk (mm)."
    ),
    field!(
        "dots.hairline_dot_diameter_mm",
        dots.hairline_dot_diameter_mm,
        "Hairline dot size",
        0.05,
        1.5,
        "mm",
        "Healed impression diameter at the front of the hairline (mm)."
    ),
    field!(
        "dots.size_jitter",
        dots.size_jitter,
        "Size variation",
        0.0,
        0.5,
        "",
        "Standard deviation of the diameter, as a fraction of it."
    ),
    field!("dots.darkness", dots.darkness, "Darkness", 0.0, 1.0, "", "Pigment load of a healed dot, 0–1."),
    field!(
        "dots.darkness_jitter",
        dots.darkness_jitter,
        "Darkness variation",
        0.0,
        0.5,
        "",
        "Standard deviation of the darkness, as a fraction of it."
    ),
    field!(
        "density.target_dots_per_cm2",
        density.target_dots_per_cm2,
        "Density",
        5.0,
        200.0,
        "/cm²",
        "Dots per cm² when treatment is complete (follow follicular density, 60–100)."
    ),
    field!(
        "density.hair_compensation",
        density.hair_compensation,
        "Hair compensation",
        0.0,
        1.0,
        "",
        "How much existing hair reduces the dots needed, 0–1."
    ),
    field!(
        "hairline.feather_width_mm",
        hairline.feather_width_mm,
        "Hairline feather",
        0.0,
        40.0,
        "mm",
        "Depth of the transition behind the front edge (mm)."
    ),
    field!(
        "hairline.edge_jitter_mm",
        hairline.edge_jitter_mm,
        "Edge irregularity",
        0.0,
        5.0,
        "mm",
        "Irregularity of the front edge (mm); never a straight line."
    ),
    field!(
        "hairline.front_density",
        hairline.front_density,
        "Front density",
        0.0,
        1.0,
        "",
        "Density at the very front, as a share of the target."
    ),
    field!(
        "hairline.front_strength",
        hairline.front_strength,
        "Front strength",
        0.1,
        1.0,
        "",
        "Dot size and darkness at the very front, as a share of the bulk's."
    ),
    field!(
        "scar.retention",
        scar.retention,
        "Scar retention",
        0.0,
        1.0,
        "",
        "Share of pigment scar tissue keeps, 0.6–0.8 of normal skin."
    ),
    field!(
        "scar.extra_size_jitter",
        scar.extra_size_jitter,
        "Scar size variation",
        0.0,
        0.5,
        "",
        "Extra variation of dot size in scar tissue."
    ),
    field!(
        "scar.tone_blend",
        scar.tone_blend,
        "Scar tone blend",
        0.0,
        1.0,
        "",
        "How far a pale scar is blended toward the skin around it, 0–1."
    ),
    field!(
        "aging.fresh_size_factor",
        aging.fresh_size_factor,
        "Fresh size",
        1.0,
        2.0,
        "×",
        "A fresh dot is this much wider than the healed one."
    ),
    field!(
        "aging.fresh_darkness_factor",
        aging.fresh_darkness_factor,
        "Fresh darkness",
        1.0,
        2.0,
        "×",
        "A fresh dot is this much darker than the healed one."
    ),
    field!(
        "aging.fresh_redness",
        aging.fresh_redness,
        "Fresh redness",
        0.0,
        1.0,
        "",
        "Redness of the skin around fresh dots, 0–1."
    ),
    field!(
        "aging.fade_per_year",
        aging.fade_per_year,
        "Fading",
        0.0,
        0.5,
        "/year",
        "Share of darkness lost per year."
    ),
    field!(
        "aging.spread_mm_per_year",
        aging.spread_mm_per_year,
        "Spread",
        0.0,
        0.2,
        "mm/year",
        "Growth of each dot's blur per year (mm)."
    ),
    field!(
        "aging.blue_shift_per_year",
        aging.blue_shift_per_year,
        "Blue shift",
        0.0,
        0.5,
        "/year",
        "Extra loss of red per year: the cool cast of old pigment."
    ),
    field!(
        "optics.dermal_blur_mm",
        optics.dermal_blur_mm,
        "Dermal blur",
        0.0,
        0.5,
        "mm",
        "Scattering radius (σ) for green light in mm; red spreads wider."
    ),
    field!(
        "optics.halo_mm",
        optics.halo_mm,
        "Halo",
        0.0,
        1.5,
        "mm",
        "Radius (σ) of the faint halo around each dot (mm)."
    ),
    field!(
        "optics.halo_share",
        optics.halo_share,
        "Halo share",
        0.0,
        0.8,
        "",
        "Share of each dot's pigment seen through the halo, 0–0.8."
    ),
    field!(
        "optics.epidermal_veil",
        optics.epidermal_veil,
        "Epidermal veil",
        0.0,
        0.8,
        "",
        "Light remitted above the pigment, so no dot reads as pure black."
    ),
    field!(
        "optics.shadow",
        optics.shadow,
        "Shadow",
        0.0,
        0.8,
        "",
        "Share of the skin's light the pigment between the dots takes at full density."
    ),
];

/// The numbers of each shade in `pigment.shades`.
pub const SHADE_FIELDS: &[ShadeLimit] = &[
    ShadeLimit {
        leaf: "weight",
        min: 0.0,
        max: 100.0,
        doc: "Relative share of dots in this shade.",
        get: |s: &Shade| s.weight,
    },
    ShadeLimit {
        leaf: "dilution",
        min: 0.0,
        max: 0.9,
        doc: "Share of water in the mix, 0–0.9: more water is lighter and more translucent.",
        get: |s: &Shade| s.dilution,
    },
];

/// Each entry of `density.session_fractions`.
pub const SESSION_FRACTION: RangeInclusive<f32> = 0.01..=1.0;
/// How many sessions a plan may list.
pub const SESSIONS: RangeInclusive<usize> = 1..=6;
/// `skin.fitzpatrick`.
pub const FITZPATRICK: RangeInclusive<u8> = 1..=6;
/// Longest name or description kept, in characters: a shared file cannot flood the window.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// Largest preset file read, in bytes: a full preset with every comment is about 4 KB, so
/// this leaves room for long descriptions while a wrong or hostile file is refused unread.
pub const MAX_FILE_BYTES: u64 = 256 * 1024;
/// Most pigment shades a preset may mix.
pub const MAX_SHADES: usize = 12;

/// The table entry for a dotted path.
pub fn field(path: &str) -> Option<&'static Limit> {
    FIELDS.iter().find(|f| f.path == path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn getters_and_setters_address_the_same_field() {
        let mut preset = Preset::default();
        for (i, limit) in FIELDS.iter().enumerate() {
            let value = limit.min + (limit.max - limit.min) * (i as f32 + 1.0) / (FIELDS.len() as f32 + 2.0);
            (limit.set)(&mut preset, value);
            assert_eq!((limit.get)(&preset), value, "{}", limit.path);
        }
        // Every field was set to a distinct value: no two entries share a field.
        let values: Vec<f32> = FIELDS.iter().map(|l| (l.get)(&preset)).collect();
        for (i, limit) in FIELDS.iter().enumerate() {
            let expected =
                limit.min + (limit.max - limit.min) * (i as f32 + 1.0) / (FIELDS.len() as f32 + 2.0);
            assert_eq!(values[i], expected, "{} was overwritten by a later entry", limit.path);
        }
    }

    #[test]
    fn leaf_names_are_unique_so_comments_find_their_field() {
        let mut leaves: Vec<&str> = FIELDS.iter().map(Limit::leaf).collect();
        leaves.extend(SHADE_FIELDS.iter().map(|s| s.leaf));
        let n = leaves.len();
        leaves.sort_unstable();
        leaves.dedup();
        assert_eq!(leaves.len(), n);
    }

    #[test]
    fn every_default_lies_inside_its_range() {
        let preset = Preset::default();
        for limit in FIELDS {
            assert!(limit.contains((limit.get)(&preset)), "{} default is out of range", limit.path);
        }
    }
}
