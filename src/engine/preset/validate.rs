//! Checking a preset against the limits table: every number where the simulation means
//! something, and the few rules between fields.

use super::limits::{self, FIELDS, SHADE_FIELDS};
use super::{Preset, PresetError};

impl Preset {
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
        if self.version > super::PRESET_VERSION {
            return Err(PresetError::FutureVersion { file: file.into(), found: self.version });
        }
        if self.name.trim().is_empty() {
            return bad("name", "is empty; give the preset a name".into());
        }
        for (field, text) in [("name", &self.name), ("description", &self.description)] {
            let chars = text.chars().count();
            if chars > limits::MAX_TEXT_CHARS {
                return bad(
                    field,
                    format!("is {chars} characters long; at most {} are kept", limits::MAX_TEXT_CHARS),
                );
            }
        }
        if !limits::FITZPATRICK.contains(&self.skin.fitzpatrick) {
            return bad(
                "skin.fitzpatrick",
                format!("is {}, it must be a type from 1 to 6", self.skin.fitzpatrick),
            );
        }
        let shades = &self.pigment.shades;
        if shades.is_empty() {
            return bad("pigment.shades", "is empty; list at least one pigment shade".into());
        }
        if shades.len() > limits::MAX_SHADES {
            return bad(
                "pigment.shades",
                format!("lists {} shades; at most {} can be mixed", shades.len(), limits::MAX_SHADES),
            );
        }
        for (i, shade) in shades.iter().enumerate() {
            for limit in SHADE_FIELDS {
                in_range(
                    &format!("pigment.shades[{i}].{}", limit.leaf),
                    (limit.get)(shade),
                    limit.min,
                    limit.max,
                )?;
            }
            if shade.name.chars().count() > limits::MAX_TEXT_CHARS {
                return bad(&format!("pigment.shades[{i}].name"), "is too long".into());
            }
        }
        if shades.iter().all(|s| s.weight <= 0.0) {
            return bad("pigment.shades", "all have weight 0; give at least one a positive weight".into());
        }
        for limit in FIELDS {
            in_range(limit.path, (limit.get)(self), limit.min, limit.max)?;
        }
        let fractions = &self.density.session_fractions;
        if !limits::SESSIONS.contains(&fractions.len()) {
            return bad("density.session_fractions", "must list 1 to 6 sessions".into());
        }
        let (lo, hi) = (*limits::SESSION_FRACTION.start(), *limits::SESSION_FRACTION.end());
        for (i, &f) in fractions.iter().enumerate() {
            in_range(&format!("density.session_fractions[{i}]"), f, lo, hi)?;
        }
        if fractions.windows(2).any(|w| w[1] < w[0]) {
            return bad("density.session_fractions", "must not decrease from one session to the next".into());
        }
        Ok(())
    }
}
