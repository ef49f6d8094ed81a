//! Changes to the preset library, run off the window's thread: each works on a copy of the
//! library and hands the changed copy back.

use super::StudioError;
use crate::engine::files;
use crate::engine::preset::Preset;
use crate::engine::store::{PresetStore, StoreError};
use std::path::PathBuf;

/// A change to the preset library; indices are positions in [`PresetStore::list`].
#[derive(Clone, Debug, PartialEq)]
pub enum PresetOp {
    /// Saves the applied preset as a new preset of the user's.
    SaveAs {
        name: String,
    },
    /// Writes the applied preset's values into the user's preset at `index`.
    Update {
        index: usize,
    },
    Rename {
        index: usize,
        name: String,
    },
    Duplicate {
        index: usize,
    },
    /// Deletes a preset of the user's; the consultation keeps its own copy.
    Delete {
        index: usize,
    },
    Import {
        path: PathBuf,
    },
    /// Writes the applied preset (the consultation's own copy) to a file to share.
    Export {
        path: PathBuf,
    },
}

pub(super) struct Outcome {
    pub store: PresetStore,
    /// What happened, in a sentence, and the preset to apply now, if one.
    pub result: Result<(String, Option<Preset>), StudioError>,
}

pub(super) fn run(mut store: PresetStore, op: PresetOp, current: Preset) -> Outcome {
    let name_at = |store: &PresetStore, i: usize| store.list().get(i).map(|e| e.preset.clone());
    let result = match op {
        PresetOp::SaveAs { name } => store
            .save_as(&current, &name)
            .map(|i| (format!("Saved the preset “{}”.", name.trim()), name_at(&store, i))),
        PresetOp::Update { index } => store.update(index, &current).map(|()| {
            let preset = name_at(&store, index);
            let name = preset.as_ref().map(|p| p.name.clone()).unwrap_or_default();
            (format!("Saved the changes to “{name}”."), preset)
        }),
        PresetOp::Rename { index, name } => store
            .rename(index, &name)
            .map(|()| (format!("Renamed the preset to “{}”.", name.trim()), name_at(&store, index))),
        PresetOp::Duplicate { index } => store.duplicate(index).map(|i| {
            let preset = name_at(&store, i);
            let name = preset.as_ref().map(|p| p.name.clone()).unwrap_or_default();
            (format!("Saved a copy as “{name}”."), preset)
        }),
        PresetOp::Delete { index } => {
            let name = name_at(&store, index).map(|p| p.name).unwrap_or_default();
            store.delete(index).map(|()| {
                let keeps = if name == current.name { " This consultation keeps its copy." } else { "" };
                (format!("Deleted “{name}” from your presets.{keeps}"), None)
            })
        }
        PresetOp::Import { path } => store.import(&path).map(|(i, warnings)| {
            let preset = name_at(&store, i);
            let name = preset.as_ref().map(|p| p.name.clone()).unwrap_or_default();
            let message = match warnings.first() {
                Some(w) => format!("Imported “{name}”; {} field(s) were ignored: {w}", warnings.len()),
                None => format!("Imported “{name}”."),
            };
            (message, preset)
        }),
        PresetOp::Export { path } => {
            let written = files::replace_with_bytes(&path, current.to_ron().as_bytes());
            let result = written
                .map(|()| (format!("Exported the preset “{}” to {}.", current.name, path.display()), None))
                .map_err(|e| {
                    StudioError::Presets(StoreError::Write {
                        file: path.display().to_string(),
                        reason: crate::engine::os_error::describe(&e),
                    })
                });
            return Outcome { store, result };
        }
    };
    Outcome { store, result: result.map_err(StudioError::from) }
}
