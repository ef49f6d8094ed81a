//! Presets: a clinic's know-how (skin tone, pigment shades, dot style) in a shareable RON file.

mod file;
mod library;
pub mod limits;
mod validate;

pub use library::{bundled, bundled_files, resolve, resolve_with_warnings};

use super::color::Srgb;
use serde::{Deserialize, Serialize};

/// The newest preset format this build reads and writes.
pub const PRESET_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preset {
    pub version: u32,
    pub name: String,
    pub description: String,
    pub skin: SkinTone,
    pub pigment: PigmentMix,
    pub needle: Needle,
    pub dots: DotStyle,
    pub density: Density,
    pub hairline: Hairline,
    pub scar: ScarRules,
    pub aging: Aging,
    pub optics: Optics,
}

/// The skin the preset was made for. The renderer reads the real skin from the photo; this
/// colour drives contrast choices and the preset's swatch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SkinTone {
    pub srgb: Srgb,
    /// Fitzpatrick type 1–6, as noted by the clinician.
    pub fitzpatrick: u8,
}

/// One pigment shade: the colour the undiluted pigment shows when it fully covers the skin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Shade {
    pub name: String,
    pub srgb: Srgb,
    /// Relative share of dots drawn in this shade.
    pub weight: f32,
    /// Fraction of water in the mix, 0 (neat) – 0.9; more water is lighter and more translucent.
    pub dilution: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PigmentMix {
    pub shades: Vec<Shade>,
}

/// Needle grouping used for the bulk of the work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NeedleGrouping {
    /// 1RL: one point, used at the hairline and temples.
    Single,
    /// 3RL: three points grouped in one impression, used for the bulk.
    Three,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Needle {
    pub grouping: NeedleGrouping,
    /// Diameter of one needle point, 0.18–0.35 mm.
    pub diameter_mm: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DotStyle {
    /// Healed impression diameter in the bulk.
    pub dot_diameter_mm: f32,
    /// Healed impression diameter at the front of the hairline.
    pub hairline_dot_diameter_mm: f32,
    /// Standard deviation of the dot diameter, as a fraction of it.
    pub size_jitter: f32,
    /// Pigment load of a healed dot, 0–1.
    pub darkness: f32,
    /// Standard deviation of the darkness, as a fraction of it.
    pub darkness_jitter: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Density {
    /// Dots per cm² when the treatment is complete; follow follicular-unit density (60–100).
    pub target_dots_per_cm2: f32,
    /// Cumulative share of the target after each session, increasing, last one 1.0.
    pub session_fractions: Vec<f32>,
    /// How strongly existing hair reduces the dots needed, 0 (ignore hair) – 1.
    pub hair_compensation: f32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HairlineStyle {
    /// Irregular edge, density and darkness fade toward the front.
    Soft,
    /// Like soft, with small clusters and gaps along the front: a "broken" line.
    Broken,
    /// Crisp edge-up line with a short transition.
    Defined,
}

impl HairlineStyle {
    pub const ALL: [HairlineStyle; 3] = [HairlineStyle::Soft, HairlineStyle::Broken, HairlineStyle::Defined];

    pub fn label(self) -> &'static str {
        match self {
            HairlineStyle::Soft => "Soft / feathered",
            HairlineStyle::Broken => "Broken",
            HairlineStyle::Defined => "Defined / edge-up",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Hairline {
    pub style: HairlineStyle,
    /// Depth of the transition from the front edge inward.
    pub feather_width_mm: f32,
    /// Irregularity of the front edge.
    pub edge_jitter_mm: f32,
    /// Density at the very front, as a fraction of the target.
    pub front_density: f32,
    /// Dot size and darkness at the very front, as a fraction of the bulk's.
    pub front_strength: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScarRules {
    /// Share of pigment that scar tissue keeps, relative to normal skin (0.6–0.8).
    pub retention: f32,
    /// Extra standard deviation of dot size in scar tissue, as a fraction.
    pub extra_size_jitter: f32,
    /// How far the scar's own colour is blended toward the surrounding skin, 0–1.
    pub tone_blend: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Aging {
    /// A fresh dot (first days) is this much wider than the healed dot.
    pub fresh_size_factor: f32,
    /// A fresh dot is this much darker than the healed dot.
    pub fresh_darkness_factor: f32,
    /// Redness of the skin around fresh dots, 0–1.
    pub fresh_redness: f32,
    /// Share of darkness lost per year after healing.
    pub fade_per_year: f32,
    /// Growth per year of the pigment's spread (blur radius).
    pub spread_mm_per_year: f32,
    /// Extra loss of red relative to blue per year: the cool, blue-grey cast of old pigment.
    pub blue_shift_per_year: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Optics {
    /// Scattering radius (σ) of light in the dermis for green light; red spreads wider.
    pub dermal_blur_mm: f32,
    /// Radius (σ) of the wide, faint scattering halo around each dot: the soft grey cast between
    /// dots that makes healed SMP read as shadow rather than stipple.
    pub halo_mm: f32,
    /// Share of each dot's pigment seen through the halo, 0–0.8.
    pub halo_share: f32,
    /// Share of light remitted above the pigment layer, so a dot never reads as pure black.
    pub epidermal_veil: f32,
    /// Share of the skin's light the pigment scattered between the dots takes at full density,
    /// 0–0.8: the even shadow a healed result reads as in photos.
    pub shadow: f32,
}

impl Default for Preset {
    fn default() -> Self {
        Self {
            version: PRESET_VERSION,
            name: "Untitled".into(),
            description: String::new(),
            skin: SkinTone::default(),
            pigment: PigmentMix::default(),
            needle: Needle::default(),
            dots: DotStyle::default(),
            density: Density::default(),
            hairline: Hairline::default(),
            scar: ScarRules::default(),
            aging: Aging::default(),
            optics: Optics::default(),
        }
    }
}

impl Default for SkinTone {
    fn default() -> Self {
        Self { srgb: Srgb([0xd7, 0xbd, 0x96]), fitzpatrick: 3 }
    }
}

impl Default for Shade {
    fn default() -> Self {
        Self { name: "Carbon black".into(), srgb: Srgb([0x22, 0x22, 0x26]), weight: 1.0, dilution: 0.3 }
    }
}

impl Default for PigmentMix {
    fn default() -> Self {
        Self {
            shades: vec![
                Shade { name: "Dark".into(), srgb: Srgb([0x26, 0x25, 0x28]), weight: 0.5, dilution: 0.3 },
                Shade { name: "Medium".into(), srgb: Srgb([0x3a, 0x37, 0x38]), weight: 0.35, dilution: 0.45 },
                Shade { name: "Soft".into(), srgb: Srgb([0x4e, 0x4a, 0x4a]), weight: 0.15, dilution: 0.6 },
            ],
        }
    }
}

impl Default for Needle {
    fn default() -> Self {
        Self { grouping: NeedleGrouping::Three, diameter_mm: 0.25 }
    }
}

impl Default for DotStyle {
    fn default() -> Self {
        Self {
            dot_diameter_mm: 0.28,
            hairline_dot_diameter_mm: 0.16,
            size_jitter: 0.12,
            darkness: 0.8,
            darkness_jitter: 0.15,
        }
    }
}

impl Default for Density {
    fn default() -> Self {
        Self { target_dots_per_cm2: 80.0, session_fractions: vec![0.3, 0.7, 1.0], hair_compensation: 0.8 }
    }
}

impl Default for Hairline {
    fn default() -> Self {
        Self {
            style: HairlineStyle::Soft,
            feather_width_mm: 8.0,
            edge_jitter_mm: 1.5,
            front_density: 0.2,
            front_strength: 0.6,
        }
    }
}

impl Default for ScarRules {
    fn default() -> Self {
        Self { retention: 0.7, extra_size_jitter: 0.15, tone_blend: 0.5 }
    }
}

impl Default for Aging {
    fn default() -> Self {
        Self {
            fresh_size_factor: 1.35,
            fresh_darkness_factor: 1.4,
            fresh_redness: 0.35,
            fade_per_year: 0.07,
            spread_mm_per_year: 0.012,
            blue_shift_per_year: 0.06,
        }
    }
}

impl Default for Optics {
    fn default() -> Self {
        Self { dermal_blur_mm: 0.05, halo_mm: 0.2, halo_share: 0.35, epidermal_veil: 0.12, shadow: 0.0 }
    }
}

/// What went wrong reading a preset, in words a person can act on.
#[derive(Debug, thiserror::Error)]
pub enum PresetError {
    #[error("could not read preset {file}: {reason}")]
    Io { file: String, reason: String },
    #[error("{file} is {what}, not a preset file; choose a .ron preset file")]
    NotAFile { file: String, what: &'static str },
    #[error("{file} is {size_kb} KB, too large to be a preset (presets are at most {} KB); is it the right file?", limits::MAX_FILE_BYTES / 1024)]
    TooLarge { file: String, size_kb: u64 },
    #[error("{file} is not a preset: it is not a text file (a preset is RON text, as SMP Studio saves it)")]
    NotText { file: String },
    #[error("{file}:{line}:{column}: {message}")]
    Syntax { file: String, line: usize, column: usize, message: String },
    #[error("{file}: field `{field}` {message}")]
    Invalid { file: String, field: String, message: String },
    #[error(
        "{file} is a version {found} preset, made by a newer SMP Studio (this one reads up to version {PRESET_VERSION}); update SMP Studio to open it"
    )]
    FutureVersion { file: String, found: u32 },
}

impl Preset {
    /// Cumulative share of the target density reached after `session` (1-based).
    pub fn session_fraction(&self, session: u32) -> f32 {
        let fractions = &self.density.session_fractions;
        let i = (session.max(1) as usize - 1).min(fractions.len().saturating_sub(1));
        fractions.get(i).copied().unwrap_or(1.0)
    }

    pub fn session_count(&self) -> u32 {
        self.density.session_fractions.len().max(1) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_presets_load_and_round_trip() {
        let presets = bundled();
        assert!(presets.len() >= 2, "bundled presets failed to load");
        for preset in presets {
            let text = preset.to_ron();
            let back = Preset::from_ron(&text, "round-trip").unwrap();
            assert_eq!(back, preset);
        }
    }

    #[test]
    fn missing_fields_take_documented_defaults() {
        let preset = Preset::from_ron("(version: 1, name: \"Minimal\")", "min.ron").unwrap();
        assert_eq!(preset.dots, DotStyle::default());
        assert_eq!(preset.session_fraction(1), 0.3);
        assert_eq!(preset.session_fraction(9), 1.0);
    }

    #[test]
    fn errors_name_the_file_line_and_field() {
        let err =
            Preset::from_ron("(version: 1,\n name: \"X\",\n dots: (darkness: 3.0))", "x.ron").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("x.ron") && text.contains("dots.darkness"), "{text}");

        let err = Preset::from_ron("(version: 1,\n name: \"X\",\n dots: (darkness: ))", "y.ron").unwrap_err();
        assert!(err.to_string().starts_with("y.ron:3:"), "{err}");

        let err = Preset::from_ron("(version: 7, name: \"X\", future_field: 1)", "z.ron").unwrap_err();
        assert!(matches!(err, PresetError::FutureVersion { found: 7, .. }), "{err}");
        assert!(err.to_string().contains("newer"));
    }

    #[test]
    fn the_library_covers_every_skin_type_and_style() {
        let presets = bundled();
        assert!(presets.len() >= 8, "only {} bundled presets load", presets.len());
        for fitzpatrick in 1..=6 {
            assert!(
                presets.iter().any(|p| p.skin.fitzpatrick == fitzpatrick),
                "no preset for type {fitzpatrick}"
            );
        }
        for style in HairlineStyle::ALL {
            assert!(presets.iter().any(|p| p.hairline.style == style), "no {style:?} hairline preset");
        }
        let mut names: Vec<&str> = presets.iter().map(|p| p.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), presets.len(), "bundled preset names must be unique");
        assert!(presets.iter().all(|p| p.description.len() > 60), "every preset says when to use it");
    }

    #[test]
    fn saved_presets_explain_their_fields_and_match_the_golden_file() {
        let text = bundled().remove(0).to_ron();
        assert!(text.contains("// Healed impression diameter in the bulk (mm).\n"));
        let golden = include_str!("../../../tests/golden/light-soft-hairline.ron");
        assert_eq!(text, golden, "the saved preset format changed; review and update tests/golden/");
    }

    #[test]
    fn hostile_text_gets_a_short_sentence() {
        let nested = format!("(version: 1, name: \"N\", x: {}{})", "[".repeat(5000), "]".repeat(5000));
        let err = Preset::from_ron(&nested, "n.ron").unwrap_err().to_string();
        assert!(err.contains("nested too deeply") && !err.contains("serde_stacker"), "{err}");

        let long = format!("(version: 1, name: \"X\", needle: (grouping: {}))", "Q".repeat(100_000));
        let err = Preset::from_ron(&long, "l.ron").unwrap_err().to_string();
        assert!(err.len() < 300, "{} characters: {}", err.len(), &err[..300]);

        let err = Preset::from_ron("(version: 1, name: \"B\0\")", "b.ron").unwrap_err();
        assert!(matches!(err, PresetError::NotText { .. }), "{err}");

        let big = format!("(version: 1, name: \"{}\")", "a".repeat(limits::MAX_FILE_BYTES as usize));
        let err = Preset::from_ron(&big, "big.ron").unwrap_err();
        assert!(matches!(err, PresetError::TooLarge { .. }), "{err}");

        let err = Preset::from_ron("(version: 1, name: \"X\", dots: (darkness: ", "eof.ron").unwrap_err();
        assert!(err.to_string().contains("ends too early"), "{err}");
    }

    #[test]
    fn many_unknown_fields_are_counted_not_listed() {
        let fields: String = (0..500).map(|i| format!("extra{i}: {i}, ")).collect();
        let text = format!("(version: 1, name: \"Many\", {fields})");
        let warnings = Preset::unknown_field_warnings(&text, "m.ron");
        assert_eq!(warnings.len(), 11, "{warnings:?}");
        assert!(warnings[10].contains("490 more"), "{}", warnings[10]);
    }

    #[test]
    fn unknown_fields_are_reported_not_fatal() {
        let dir = std::env::temp_dir().join(format!("smp-preset-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("typo.ron");
        std::fs::write(&path, "(version: 1, name: \"Typo\", dots: (darknes: 0.5), sparkle: true)").unwrap();
        let (preset, warnings) = Preset::load_with_warnings(&path).unwrap();
        assert_eq!(preset.dots.darkness, DotStyle::default().darkness);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings.iter().any(|w| w.contains("`dots.darknes`")), "{warnings:?}");
        assert!(warnings.iter().any(|w| w.contains("`sparkle`") && w.contains("typo.ron")), "{warnings:?}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn resolves_bundled_names_case_insensitively() {
        let first = bundled().remove(0);
        let found = resolve(&first.name.to_uppercase()).unwrap();
        assert_eq!(found.name, first.name);
        assert!(resolve("no such preset").is_err());
    }
}
