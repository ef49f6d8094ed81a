//! The preset file: RON in, RON out. Reading is forgiving where it is safe (missing fields take
//! their defaults, unknown ones are reported) and strict where it matters (ranges, versions).

use super::limits::{FIELDS, SHADE_FIELDS};
use super::{PRESET_VERSION, Preset, PresetError};
use serde::Deserialize;
use std::path::Path;

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
}

/// The explanation written above a field when a preset is saved: numbers from the limits
/// table, the rest from here.
fn field_comment(name: &str) -> Option<&'static str> {
    if let Some(limit) = FIELDS.iter().find(|l| l.leaf() == name) {
        return Some(limit.doc);
    }
    if let Some(limit) = SHADE_FIELDS.iter().find(|l| l.leaf == name) {
        return Some(limit.doc);
    }
    Some(match name {
        "version" => "Format version; files from a newer SMP Studio are refused, not misread.",
        "name" => "Shown in the preset list; must be unique among your presets.",
        "description" => "When to use this preset.",
        "skin" => "The skin the preset was made for (the simulation reads the real skin from the photo).",
        "fitzpatrick" => "Fitzpatrick skin type, 1–6.",
        "pigment" => "The pigment shades mixed for a natural look.",
        "shades" => "Each shade: the colour of undiluted pigment, its share of dots, and its dilution.",
        "needle" => "Needle grouping for the bulk of the work (the hairline front always uses one point).",
        "grouping" => "Single (1RL) or Three (3RL) points per impression.",
        "dots" => "Healed dot size and darkness, and their natural variation.",
        "density" => "How many dots, and how they build up over the sessions.",
        "session_fractions" => "Cumulative share of the target after each session, ending at 1.0.",
        "hairline" => "How the hairline fades in from its front edge.",
        "style" => "Soft, Broken or Defined (edge-up).",
        "scar" => "Scar tissue takes and keeps pigment less well.",
        "aging" => "Fresh dots, and fading over the years.",
        "optics" => "How light in the skin softens the dots.",
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
