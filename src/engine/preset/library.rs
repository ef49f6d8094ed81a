//! The presets shipped inside the binary, and finding a preset by name or file.

use super::{Preset, PresetError};
use std::path::Path;

/// Presets shipped inside the binary, so the app and the CLI work from any directory.
const BUNDLED: [(&str, &str); 9] = [
    ("light-soft-hairline.ron", include_str!("../../../presets/light-soft-hairline.ron")),
    ("dark-defined-hairline.ron", include_str!("../../../presets/dark-defined-hairline.ron")),
    ("very-light-crown-fill.ron", include_str!("../../../presets/very-light-crown-fill.ron")),
    ("medium-diffuse-thinning.ron", include_str!("../../../presets/medium-diffuse-thinning.ron")),
    ("dark-broken-hairline.ron", include_str!("../../../presets/dark-broken-hairline.ron")),
    ("light-fut-strip-scar.ron", include_str!("../../../presets/light-fut-strip-scar.ron")),
    ("fue-dot-scar.ron", include_str!("../../../presets/fue-dot-scar.ron")),
    ("brown-beard-moustache.ron", include_str!("../../../presets/brown-beard-moustache.ron")),
    ("light-eyebrow.ron", include_str!("../../../presets/light-eyebrow.ron")),
];

/// The bundled presets, in the order a practitioner meets them.
pub fn bundled() -> Vec<Preset> {
    bundled_files().into_iter().map(|(_, preset)| preset).collect()
}

/// The bundled presets with the name of the file each was made from (`light-soft-hairline.ron`),
/// which identifies it when names are not unique.
pub fn bundled_files() -> Vec<(&'static str, Preset)> {
    BUNDLED
        .iter()
        .filter_map(|(file, text)| Some((*file, Preset::from_ron(text, &format!("presets/{file}")).ok()?)))
        .collect()
}

/// Finds a preset by name (case-insensitive) among the bundled ones, or loads it from a file.
pub fn resolve(name_or_file: &str) -> Result<Preset, PresetError> {
    resolve_with_warnings(name_or_file).map(|(preset, _)| preset)
}

/// [`resolve`], with the fields a preset file had that were ignored (typos, later versions).
pub fn resolve_with_warnings(name_or_file: &str) -> Result<(Preset, Vec<String>), PresetError> {
    let path = Path::new(name_or_file);
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron")) || path.exists() {
        return Preset::load_with_warnings(path);
    }
    let wanted = name_or_file.trim().to_lowercase();
    let presets = bundled();
    let names: Vec<String> = presets.iter().map(|p| p.name.clone()).collect();
    presets.into_iter().find(|p| p.name.to_lowercase() == wanted).map(|p| (p, Vec::new())).ok_or_else(|| {
        PresetError::Invalid {
            file: name_or_file.into(),
            field: "name".into(),
            message: format!("matches no bundled preset; choose one of: {}", names.join(", ")),
        }
    })
}
