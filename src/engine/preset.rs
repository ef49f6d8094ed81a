//! Presets: a clinic's know-how (skin tone, pigment shades, dot style) in a shareable RON file.

use super::color::Srgb;
use serde::{Deserialize, Serialize};
use std::path::Path;

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
        Self { dermal_blur_mm: 0.05, halo_mm: 0.2, halo_share: 0.35, epidermal_veil: 0.12 }
    }
}

/// What went wrong reading a preset, in words a person can act on.
#[derive(Debug, thiserror::Error)]
pub enum PresetError {
    #[error("could not read preset {file}: {source}")]
    Io { file: String, source: std::io::Error },
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
    /// Parses RON text; `file` names the source in error messages.
    pub fn from_ron(text: &str, file: &str) -> Result<Preset, PresetError> {
        #[derive(Deserialize)]
        struct VersionOnly {
            #[serde(default)]
            version: u32,
        }
        // Read the version first so a newer file is refused by name, not by a confusing field error.
        if let Ok(VersionOnly { version: found }) = ron::de::from_str::<VersionOnly>(text)
            && found > PRESET_VERSION
        {
            return Err(PresetError::FutureVersion { file: file.into(), found });
        }
        let preset: Preset = ron::de::from_str(text).map_err(|e| PresetError::Syntax {
            file: file.into(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: e.code.to_string(),
        })?;
        preset.validate(file).map_err(|e| match e {
            // Point at the line where the offending field is written, when it is.
            PresetError::Invalid { file, field, message } => match line_of_field(text, &field) {
                Some(line) => PresetError::Invalid { file: format!("{file}:{line}"), field, message },
                None => PresetError::Invalid { file, field, message },
            },
            other => other,
        })?;
        Ok(preset)
    }

    pub fn load(path: &Path) -> Result<Preset, PresetError> {
        Self::load_with_warnings(path).map(|(preset, _)| preset)
    }

    /// Loads a preset and lists the fields it ignored (unknown names, e.g. typos or fields of a
    /// later version), so a person can see what did not take effect.
    pub fn load_with_warnings(path: &Path) -> Result<(Preset, Vec<String>), PresetError> {
        let file = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|source| PresetError::Io { file: file.clone(), source })?;
        let preset = Self::from_ron(&text, &file)?;
        Ok((preset, unknown_fields(&text, &file)))
    }

    /// Pretty RON with a comment above each field saying what it means and in which unit, so
    /// a shared file explains itself.
    pub fn to_ron(&self) -> String {
        let config = ron::ser::PrettyConfig::new().depth_limit(3).struct_names(false);
        // Serialising plain data with string keys cannot fail.
        let body = ron::ser::to_string_pretty(self, config).unwrap_or_default();
        let mut out = String::from(
            "// SMP Studio preset. Lengths in mm, density in dots per cm², colours as \"#rrggbb\".\n",
        );
        for line in body.lines() {
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            if let Some((name, _)) = trimmed.split_once(':')
                && let Some(comment) = field_comment(name)
            {
                out.push_str(indent);
                out.push_str("// ");
                out.push_str(comment);
                out.push('\n');
            }
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// Checks every field against the range where the simulation means something.
    pub fn validate(&self, file: &str) -> Result<(), PresetError> {
        let bad = |field: &str, message: String| {
            Err(PresetError::Invalid { file: file.into(), field: field.into(), message })
        };
        let in_range = |field: &str, v: f32, lo: f32, hi: f32| -> Result<(), PresetError> {
            if v.is_finite() && (lo..=hi).contains(&v) {
                Ok(())
            } else {
                bad(field, format!("is {v}, it must be between {lo} and {hi}"))
            }
        };
        if self.version == 0 {
            return bad("version", "is 0; the first preset version is 1".into());
        }
        if self.name.trim().is_empty() {
            return bad("name", "is empty; give the preset a name".into());
        }
        if !(1..=6).contains(&self.skin.fitzpatrick) {
            return bad(
                "skin.fitzpatrick",
                format!("is {}, it must be a type from 1 to 6", self.skin.fitzpatrick),
            );
        }
        if self.pigment.shades.is_empty() {
            return bad("pigment.shades", "is empty; list at least one pigment shade".into());
        }
        for (i, shade) in self.pigment.shades.iter().enumerate() {
            in_range(&format!("pigment.shades[{i}].weight"), shade.weight, 0.0, 100.0)?;
            in_range(&format!("pigment.shades[{i}].dilution"), shade.dilution, 0.0, 0.9)?;
        }
        if self.pigment.shades.iter().all(|s| s.weight <= 0.0) {
            return bad("pigment.shades", "all have weight 0; give at least one a positive weight".into());
        }
        in_range("needle.diameter_mm", self.needle.diameter_mm, 0.1, 0.5)?;
        in_range("dots.dot_diameter_mm", self.dots.dot_diameter_mm, 0.05, 1.5)?;
        in_range("dots.hairline_dot_diameter_mm", self.dots.hairline_dot_diameter_mm, 0.05, 1.5)?;
        in_range("dots.size_jitter", self.dots.size_jitter, 0.0, 0.5)?;
        in_range("dots.darkness", self.dots.darkness, 0.0, 1.0)?;
        in_range("dots.darkness_jitter", self.dots.darkness_jitter, 0.0, 0.5)?;
        in_range("density.target_dots_per_cm2", self.density.target_dots_per_cm2, 5.0, 200.0)?;
        in_range("density.hair_compensation", self.density.hair_compensation, 0.0, 1.0)?;
        let fractions = &self.density.session_fractions;
        if fractions.is_empty() || fractions.len() > 6 {
            return bad("density.session_fractions", "must list 1 to 6 sessions".into());
        }
        for (i, &f) in fractions.iter().enumerate() {
            in_range(&format!("density.session_fractions[{i}]"), f, 0.01, 1.0)?;
        }
        if fractions.windows(2).any(|w| w[1] < w[0]) {
            return bad("density.session_fractions", "must not decrease from one session to the next".into());
        }
        in_range("hairline.feather_width_mm", self.hairline.feather_width_mm, 0.0, 40.0)?;
        in_range("hairline.edge_jitter_mm", self.hairline.edge_jitter_mm, 0.0, 5.0)?;
        in_range("hairline.front_density", self.hairline.front_density, 0.0, 1.0)?;
        in_range("hairline.front_strength", self.hairline.front_strength, 0.1, 1.0)?;
        in_range("scar.retention", self.scar.retention, 0.0, 1.0)?;
        in_range("scar.extra_size_jitter", self.scar.extra_size_jitter, 0.0, 0.5)?;
        in_range("scar.tone_blend", self.scar.tone_blend, 0.0, 1.0)?;
        in_range("aging.fresh_size_factor", self.aging.fresh_size_factor, 1.0, 2.0)?;
        in_range("aging.fresh_darkness_factor", self.aging.fresh_darkness_factor, 1.0, 2.0)?;
        in_range("aging.fresh_redness", self.aging.fresh_redness, 0.0, 1.0)?;
        in_range("aging.fade_per_year", self.aging.fade_per_year, 0.0, 0.5)?;
        in_range("aging.spread_mm_per_year", self.aging.spread_mm_per_year, 0.0, 0.2)?;
        in_range("aging.blue_shift_per_year", self.aging.blue_shift_per_year, 0.0, 0.5)?;
        in_range("optics.dermal_blur_mm", self.optics.dermal_blur_mm, 0.0, 0.5)?;
        in_range("optics.halo_mm", self.optics.halo_mm, 0.0, 1.5)?;
        in_range("optics.halo_share", self.optics.halo_share, 0.0, 0.8)?;
        in_range("optics.epidermal_veil", self.optics.epidermal_veil, 0.0, 0.8)?;
        Ok(())
    }

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

/// Presets shipped inside the binary, so the app and the CLI work from any directory.
const BUNDLED: [(&str, &str); 9] = [
    ("light-soft-hairline.ron", include_str!("../../presets/light-soft-hairline.ron")),
    ("dark-defined-hairline.ron", include_str!("../../presets/dark-defined-hairline.ron")),
    ("very-light-crown-fill.ron", include_str!("../../presets/very-light-crown-fill.ron")),
    ("medium-diffuse-thinning.ron", include_str!("../../presets/medium-diffuse-thinning.ron")),
    ("dark-broken-hairline.ron", include_str!("../../presets/dark-broken-hairline.ron")),
    ("light-fut-strip-scar.ron", include_str!("../../presets/light-fut-strip-scar.ron")),
    ("fue-dot-scar.ron", include_str!("../../presets/fue-dot-scar.ron")),
    ("brown-beard-moustache.ron", include_str!("../../presets/brown-beard-moustache.ron")),
    ("light-eyebrow.ron", include_str!("../../presets/light-eyebrow.ron")),
];

/// The bundled presets, in the order a practitioner meets them.
pub fn bundled() -> Vec<Preset> {
    BUNDLED
        .iter()
        .filter_map(|(file, text)| Preset::from_ron(text, &format!("presets/{file}")).ok())
        .collect()
}

/// Finds a preset by name (case-insensitive) among the bundled ones, or loads it from a file.
pub fn resolve(name_or_file: &str) -> Result<Preset, PresetError> {
    let path = Path::new(name_or_file);
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron")) || path.is_file() {
        return Preset::load(path);
    }
    let wanted = name_or_file.trim().to_lowercase();
    let presets = bundled();
    let names: Vec<String> = presets.iter().map(|p| p.name.clone()).collect();
    presets.into_iter().find(|p| p.name.to_lowercase() == wanted).ok_or_else(|| PresetError::Invalid {
        file: name_or_file.into(),
        field: "name".into(),
        message: format!("matches no bundled preset; choose one of: {}", names.join(", ")),
    })
}

/// The explanation written above a field when a preset is saved.
fn field_comment(name: &str) -> Option<&'static str> {
    Some(match name {
        "version" => "Format version; files from a newer SMP Studio are refused, not misread.",
        "name" => "Shown in the preset list; must be unique among your presets.",
        "description" => "When to use this preset.",
        "skin" => "The skin the preset was made for (the simulation reads the real skin from the photo).",
        "fitzpatrick" => "Fitzpatrick skin type, 1–6.",
        "pigment" => "The pigment shades mixed for a natural look.",
        "shades" => "Each shade: the colour of undiluted pigment, its share of dots, and its dilution.",
        "weight" => "Relative share of dots in this shade.",
        "dilution" => "Share of water in the mix, 0–0.9: more water is lighter and more translucent.",
        "needle" => "Needle grouping for the bulk of the work (the hairline front always uses one point).",
        "grouping" => "Single (1RL) or Three (3RL) points per impression.",
        "diameter_mm" => "Diameter of one needle point, 0.18–0.35 mm.",
        "dots" => "Healed dot size and darkness, and their natural variation.",
        "dot_diameter_mm" => "Healed impression diameter in the bulk (mm).",
        "hairline_dot_diameter_mm" => "Healed impression diameter at the front of the hairline (mm).",
        "size_jitter" => "Standard deviation of the diameter, as a fraction of it.",
        "darkness" => "Pigment load of a healed dot, 0–1.",
        "darkness_jitter" => "Standard deviation of the darkness, as a fraction of it.",
        "density" => "How many dots, and how they build up over the sessions.",
        "target_dots_per_cm2" => {
            "Dots per cm² when treatment is complete (follow follicular density, 60–100)."
        }
        "session_fractions" => "Cumulative share of the target after each session, ending at 1.0.",
        "hair_compensation" => "How much existing hair reduces the dots needed, 0–1.",
        "hairline" => "How the hairline fades in from its front edge.",
        "style" => "Soft, Broken or Defined (edge-up).",
        "feather_width_mm" => "Depth of the transition behind the front edge (mm).",
        "edge_jitter_mm" => "Irregularity of the front edge (mm); never a straight line.",
        "front_density" => "Density at the very front, as a share of the target.",
        "front_strength" => "Dot size and darkness at the very front, as a share of the bulk's.",
        "scar" => "Scar tissue takes and keeps pigment less well.",
        "retention" => "Share of pigment scar tissue keeps, 0.6–0.8 of normal skin.",
        "extra_size_jitter" => "Extra variation of dot size in scar tissue.",
        "tone_blend" => "How far a pale scar is blended toward the skin around it, 0–1.",
        "aging" => "Fresh dots, and fading over the years.",
        "fresh_size_factor" => "A fresh dot is this much wider than the healed one.",
        "fresh_darkness_factor" => "A fresh dot is this much darker than the healed one.",
        "fresh_redness" => "Redness of the skin around fresh dots, 0–1.",
        "fade_per_year" => "Share of darkness lost per year.",
        "spread_mm_per_year" => "Growth of each dot's blur per year (mm).",
        "blue_shift_per_year" => "Extra loss of red per year: the cool cast of old pigment.",
        "optics" => "How light in the skin softens the dots.",
        "dermal_blur_mm" => "Scattering radius (σ) for green light in mm; red spreads wider.",
        "halo_mm" => "Radius (σ) of the faint halo around each dot (mm).",
        "halo_share" => "Share of each dot's pigment seen through the halo, 0–0.8.",
        "epidermal_veil" => "Light remitted above the pigment, so no dot reads as pure black.",
        _ => return None,
    })
}

/// The 1-based line where the last part of a dotted field path (`dots.darkness`) is written.
fn line_of_field(text: &str, field: &str) -> Option<usize> {
    let leaf = field.rsplit('.').next()?.split('[').next()?;
    text.lines()
        .position(|line| {
            let code = line.split("//").next().unwrap_or("");
            code.split([',', '(', ' ']).any(|part| part.trim_start().starts_with(&format!("{leaf}:")))
                || code.contains(&format!("{leaf}:"))
        })
        .map(|i| i + 1)
}

/// Fields in `text` that the preset format does not know, as warnings naming file and path.
fn unknown_fields(text: &str, file: &str) -> Vec<String> {
    let Ok(given) = ron::de::from_str::<ron::Value>(text) else { return Vec::new() };
    let Ok(known) =
        ron::de::from_str::<ron::Value>(&ron::ser::to_string(&Preset::default()).unwrap_or_default())
    else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    compare_fields(&given, &known, "", file, &mut warnings);
    warnings
}

fn compare_fields(given: &ron::Value, known: &ron::Value, path: &str, file: &str, out: &mut Vec<String>) {
    match (given, known) {
        (ron::Value::Map(given), ron::Value::Map(known)) => {
            for (key, value) in given.iter() {
                let ron::Value::String(name) = key else { continue };
                let full = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
                match known.get(key) {
                    Some(known_value) => compare_fields(value, known_value, &full, file, out),
                    None => out.push(format!("{file}: unknown field `{full}` was ignored")),
                }
            }
        }
        (ron::Value::Seq(given), ron::Value::Seq(known)) => {
            if let Some(first_known) = known.first() {
                for (i, value) in given.iter().enumerate() {
                    compare_fields(value, first_known, &format!("{path}[{i}]"), file, out);
                }
            }
        }
        _ => {}
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
        let golden = include_str!("../../tests/golden/light-soft-hairline.ron");
        assert_eq!(text, golden, "the saved preset format changed; review and update tests/golden/");
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
