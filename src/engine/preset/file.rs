//! The preset file: RON in, RON out. Reading is forgiving where it is safe (missing fields take
//! their defaults, unknown ones are reported) and strict where it matters (ranges, versions).

use super::limits::{self, FIELDS, SHADE_FIELDS};
use super::{PRESET_VERSION, Preset, PresetError};
use crate::engine::os_error;
use serde::Deserialize;
use std::io::Read;
use std::path::Path;

/// Longest piece of a file's own text quoted back in a message.
const QUOTE_CHARS: usize = 80;
/// Most unknown fields listed one by one; the rest are counted.
const MAX_UNKNOWN_LISTED: usize = 10;

impl Preset {
    /// Parses RON text; `file` names the source in error messages.
    pub fn from_ron(text: &str, file: &str) -> Result<Preset, PresetError> {
        if text.len() as u64 > limits::MAX_FILE_BYTES {
            return Err(PresetError::TooLarge { file: file.into(), size_kb: text.len() as u64 / 1024 });
        }
        if text.contains('\0') {
            return Err(PresetError::NotText { file: file.into() });
        }
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
            message: if at_end(text, e.span.start.line, e.span.start.col) {
                "the file ends too early; a bracket or a quote is not closed".to_owned()
            } else {
                syntax_message(&e.code)
            },
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
        let text = read_text(path, &file)?;
        let preset = Self::from_ron(&text, &file)?;
        Ok((preset, unknown_fields(&text, &file)))
    }

    /// The warnings [`Preset::load_with_warnings`] gives, for text already read.
    pub fn unknown_field_warnings(text: &str, file: &str) -> Vec<String> {
        unknown_fields(text, file)
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

/// Reads a preset file as text: only a regular file (never a pipe or a device, which could be
/// read forever), at most [`limits::MAX_FILE_BYTES`], and only if it is text.
fn read_text(path: &Path, file: &str) -> Result<String, PresetError> {
    let io_err = |e: std::io::Error| PresetError::Io { file: file.into(), reason: os_error::describe(&e) };
    let meta = std::fs::metadata(path).map_err(io_err)?;
    if let Some(what) = os_error::not_a_file(&meta) {
        return Err(PresetError::NotAFile { file: file.into(), what });
    }
    let too_large = |bytes: u64| PresetError::TooLarge { file: file.into(), size_kb: bytes / 1024 };
    if meta.len() > limits::MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limits::MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(io_err)?;
    if bytes.len() as u64 > limits::MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|_| PresetError::NotText { file: file.into() })
}

/// A RON error in words for a person: no advice meant for programmers, no huge quotes.
fn syntax_message(code: &ron::error::Error) -> String {
    use ron::error::Error;
    let text = match code {
        Error::ExceededRecursionLimit => "brackets are nested too deeply for a preset".to_owned(),
        Error::Eof => "the file ends too early; a bracket or a quote is not closed".to_owned(),
        Error::UnclosedBlockComment => "a /* comment is not closed".to_owned(),
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => "the file is not a valid preset".to_owned(),
            }
        }
    };
    shorten(&text)
}

/// Whether a 1-based line and column lie at or past the last character of `text`: an error
/// there means the file stopped before the preset did.
fn at_end(text: &str, line: usize, column: usize) -> bool {
    let trimmed = text.trim_end();
    let last_line = trimmed.lines().count().max(1);
    let last_column = trimmed.lines().last().map_or(0, |l| l.chars().count()) + 1;
    line > last_line || (line == last_line && column >= last_column)
}

/// `text` cut to [`QUOTE_CHARS`] characters, marked with an ellipsis where it was cut.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(QUOTE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
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
    if warnings.len() > MAX_UNKNOWN_LISTED {
        let more = warnings.len() - MAX_UNKNOWN_LISTED;
        warnings.truncate(MAX_UNKNOWN_LISTED);
        warnings.push(format!("{file}: {more} more unknown fields were ignored"));
    }
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
                    None => out.push(format!("{file}: unknown field `{}` was ignored", shorten(&full))),
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
