//! `smp-studio presets`: list and show the preset library.

use super::{PresetsCommand, terminal_safe, warn};
use crate::engine::preset;
use crate::engine::store::PresetStore;
use std::io::Write;

/// `smp-studio presets …`
pub fn presets(command: &PresetsCommand) -> anyhow::Result<()> {
    let store = PresetStore::open_default();
    match command {
        PresetsCommand::List => {
            let mut out = std::io::stdout().lock();
            for (i, entry) in store.list().iter().enumerate() {
                let p = &entry.preset;
                writeln!(
                    out,
                    "{:<34} type {}  {:<18} {}",
                    terminal_safe(&store.label(i)),
                    p.skin.fitzpatrick,
                    p.hairline.style.label(),
                    terminal_safe(&entry.origin_label())
                )?;
            }
            for warning in store.warnings() {
                warn(warning);
            }
        }
        PresetsCommand::Show { name } => {
            let matches = store.find_all(name);
            let (preset, warnings) = match matches.as_slice() {
                [] => preset::resolve_with_warnings(name)?,
                [entry] => (entry.preset.clone(), store.warnings_for(&entry.id()).to_vec()),
                several => {
                    let files: Vec<String> = several.iter().map(|e| e.origin_label()).collect();
                    anyhow::bail!(
                        "{} presets are called “{}”: {}; show one by giving its file",
                        several.len(),
                        name.trim(),
                        files.join(", ")
                    );
                }
            };
            for warning in &warnings {
                warn(warning);
            }
            print!("{}", preset.to_ron());
        }
    }
    Ok(())
}
