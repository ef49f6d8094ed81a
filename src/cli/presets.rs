//! `smp-studio presets`: list and show the preset library.

use super::PresetsCommand;
use crate::engine::preset;
use std::io::Write;

/// `smp-studio presets …`
pub fn presets(command: &PresetsCommand) -> anyhow::Result<()> {
    let store = crate::engine::store::PresetStore::open_default();
    match command {
        PresetsCommand::List => {
            let mut out = std::io::stdout().lock();
            for entry in store.list() {
                let p = &entry.preset;
                writeln!(
                    out,
                    "{:<34} type {}  {:<18} {}",
                    p.name,
                    p.skin.fitzpatrick,
                    p.hairline.style.label(),
                    entry.origin_label()
                )?;
            }
            for warning in store.warnings() {
                eprintln!("warning: {warning}");
            }
        }
        PresetsCommand::Show { name } => {
            let preset = match store.find(name) {
                Some(entry) => entry.preset.clone(),
                None => preset::resolve(name)?,
            };
            print!("{}", preset.to_ron());
        }
    }
    Ok(())
}
