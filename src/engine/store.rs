//! Where presets live: the bundled library (read-only) and the user's own, one RON file each in
//! the OS configuration directory, so they can be backed up, shared and edited by hand.

use super::files;
use super::preset::{self, Preset, PresetError};
use std::path::{Path, PathBuf};

/// Where a preset comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// Shipped in the binary, made from this file of `presets/`.
    Bundled(&'static str),
    /// A file in the user's preset folder.
    User(PathBuf),
}

/// Identifies a preset by the file it comes from. Names are what people read, but two files
/// may carry the same name (a copied file, an edit by hand), so anything that must find the
/// same preset again (a selection, a thumbnail cache) keys on this.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PresetId {
    Bundled(&'static str),
    User(PathBuf),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub preset: Preset,
    pub origin: Origin,
}

impl Entry {
    pub fn is_bundled(&self) -> bool {
        matches!(self.origin, Origin::Bundled(_))
    }

    pub fn origin_label(&self) -> String {
        match &self.origin {
            Origin::Bundled(_) => "bundled".into(),
            Origin::User(path) => path.display().to_string(),
        }
    }

    pub fn id(&self) -> PresetId {
        match &self.origin {
            Origin::Bundled(file) => PresetId::Bundled(file),
            Origin::User(path) => PresetId::User(path.clone()),
        }
    }

    /// The file name alone (`clinic-a.ron`), to tell apart presets that share a name.
    pub fn file_name(&self) -> String {
        match &self.origin {
            Origin::Bundled(file) => (*file).to_owned(),
            Origin::User(path) => {
                path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("there is no folder for your presets on this system; export the preset to a file instead")]
    NoFolder,
    #[error("“{0}” is a bundled preset and cannot be changed; save a copy under a new name")]
    Bundled(String),
    #[error("a preset called “{0}” already exists; choose another name")]
    NameTaken(String),
    #[error("give the preset a name")]
    EmptyName,
    #[error("could not write {file}: {reason}")]
    Write { file: String, reason: String },
    #[error("could not remove {file}: {reason}")]
    Remove { file: String, reason: String },
    #[error(transparent)]
    Preset(#[from] PresetError),
}

/// A preset's name as a file name: lower case, words joined by hyphens ("preset" if nothing
/// is left).
pub fn slug(name: &str) -> String {
    let slug = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() { "preset".into() } else { slug }
}

#[derive(Clone, Debug)]
pub struct PresetStore {
    dir: Option<PathBuf>,
    entries: Vec<Entry>,
    warnings: Vec<String>,
    /// Fields each user file had that were ignored, by file.
    file_warnings: std::collections::HashMap<PathBuf, Vec<String>>,
}

impl PresetStore {
    /// The user's preset folder: `$XDG_CONFIG_HOME/smp-studio/presets` on Linux, the platform's
    /// equivalent elsewhere.
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "smp-studio").map(|d| d.config_dir().join("presets"))
    }

    pub fn open_default() -> Self {
        Self::open(Self::default_dir())
    }

    /// Loads the bundled presets and every `.ron` file in `dir`. Files that do not load are
    /// skipped with a warning, never fatal: one bad file must not hide the others.
    pub fn open(dir: Option<PathBuf>) -> Self {
        let mut entries: Vec<Entry> = preset::bundled_files()
            .into_iter()
            .map(|(file, preset)| Entry { preset, origin: Origin::Bundled(file) })
            .collect();
        let mut warnings = Vec::new();
        let mut file_warnings = std::collections::HashMap::new();
        if let Some(dir) = &dir
            && let Ok(read) = std::fs::read_dir(dir)
        {
            let mut files: Vec<PathBuf> = read
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron")))
                .collect();
            files.sort();
            for path in files {
                match Preset::load_with_warnings(&path) {
                    Ok((preset, w)) => {
                        warnings.extend(w.iter().cloned());
                        if !w.is_empty() {
                            file_warnings.insert(path.clone(), w);
                        }
                        entries.push(Entry { preset, origin: Origin::User(path) });
                    }
                    Err(e) => warnings.push(e.to_string()),
                }
            }
        }
        warnings.extend(shared_names(&entries));
        Self { dir, entries, warnings, file_warnings }
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    pub fn list(&self) -> &[Entry] {
        &self.entries
    }

    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The ignored-field warnings of one preset's file (none for a bundled preset).
    pub fn warnings_for(&self, id: &PresetId) -> &[String] {
        match id {
            PresetId::User(path) => self.file_warnings.get(path).map(Vec::as_slice).unwrap_or_default(),
            PresetId::Bundled(_) => &[],
        }
    }

    /// The preset with this identity, wherever it is in the list.
    pub fn get(&self, id: &PresetId) -> Option<&Entry> {
        self.entries.iter().find(|e| &e.id() == id)
    }

    /// The index of the preset with this identity.
    pub fn position(&self, id: &PresetId) -> Option<usize> {
        self.entries.iter().position(|e| &e.id() == id)
    }

    /// Every preset called `name` (case-insensitive): more than one when files share a name.
    pub fn find_all(&self, name: &str) -> Vec<&Entry> {
        let wanted = name.trim().to_lowercase();
        self.entries.iter().filter(|e| e.preset.name.to_lowercase() == wanted).collect()
    }

    /// The name to show for entry `index`: the preset's name, followed by its file name when
    /// another preset has the same name, so the two can be told apart.
    pub fn label(&self, index: usize) -> String {
        let Some(entry) = self.entries.get(index) else { return String::new() };
        if self.find_all(&entry.preset.name).len() > 1 {
            format!("{} ({})", entry.preset.name, entry.file_name())
        } else {
            entry.preset.name.clone()
        }
    }

    /// The first preset called `name` (case-insensitive). Names can be shared by several
    /// files: to find one preset again, keep its [`Entry::id`] and use [`PresetStore::get`].
    pub fn find(&self, name: &str) -> Option<&Entry> {
        let wanted = name.trim().to_lowercase();
        self.entries.iter().find(|e| e.preset.name.to_lowercase() == wanted)
    }

    /// The index of the first preset called `name`; see [`PresetStore::find`].
    pub fn index_of(&self, name: &str) -> Option<usize> {
        let wanted = name.trim().to_lowercase();
        self.entries.iter().position(|e| e.preset.name.to_lowercase() == wanted)
    }

    fn check_name(&self, name: &str, except: Option<usize>) -> Result<String, StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::EmptyName);
        }
        match self.index_of(name) {
            Some(i) if Some(i) != except => Err(StoreError::NameTaken(name.to_owned())),
            _ => Ok(name.to_owned()),
        }
    }

    /// A file name in the user folder for `name` that no other preset uses.
    fn file_for(&self, name: &str) -> Result<PathBuf, StoreError> {
        let dir = self.dir.as_ref().ok_or(StoreError::NoFolder)?;
        let slug = slug(name);
        let mut path = dir.join(format!("{slug}.ron"));
        let mut n = 2;
        while path.exists() {
            path = dir.join(format!("{slug}-{n}.ron"));
            n += 1;
        }
        Ok(path)
    }

    fn write(path: &Path, preset: &Preset) -> Result<(), StoreError> {
        let write_err = |e: std::io::Error| StoreError::Write {
            file: path.display().to_string(),
            reason: crate::engine::os_error::describe(&e),
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(write_err)?;
        }
        // Write beside and rename, so a crash never leaves half a preset.
        files::replace_with_bytes(path, preset.to_ron().as_bytes()).map_err(write_err)
    }

    /// Saves `preset` as a new user preset called `name`; returns its index.
    pub fn save_as(&mut self, preset: &Preset, name: &str) -> Result<usize, StoreError> {
        let name = self.check_name(name, None)?;
        let mut preset = preset.clone();
        preset.name = name.clone();
        preset.version = preset::PRESET_VERSION;
        let path = self.file_for(&name)?;
        Self::write(&path, &preset)?;
        self.entries.push(Entry { preset, origin: Origin::User(path) });
        Ok(self.entries.len() - 1)
    }

    /// Writes new field values into a user preset (bundled ones are read-only).
    pub fn update(&mut self, index: usize, preset: &Preset) -> Result<(), StoreError> {
        let Some(entry) = self.entries.get(index) else { return Ok(()) };
        let Origin::User(path) = &entry.origin else {
            return Err(StoreError::Bundled(entry.preset.name.clone()));
        };
        let mut preset = preset.clone();
        preset.name = entry.preset.name.clone();
        Self::write(path, &preset)?;
        self.entries[index].preset = preset;
        Ok(())
    }

    pub fn rename(&mut self, index: usize, new_name: &str) -> Result<(), StoreError> {
        let Some(entry) = self.entries.get(index).cloned() else { return Ok(()) };
        let Origin::User(old_path) = &entry.origin else {
            return Err(StoreError::Bundled(entry.preset.name.clone()));
        };
        let name = self.check_name(new_name, Some(index))?;
        let mut preset = entry.preset.clone();
        preset.name = name.clone();
        let path = self.file_for(&name)?;
        Self::write(&path, &preset)?;
        std::fs::remove_file(old_path).map_err(|e| remove_error(old_path, &e))?;
        self.entries[index] = Entry { preset, origin: Origin::User(path) };
        Ok(())
    }

    /// Saves a copy under the first free name "… copy", "… copy 2", …
    pub fn duplicate(&mut self, index: usize) -> Result<usize, StoreError> {
        let Some(entry) = self.entries.get(index) else { return Err(StoreError::EmptyName) };
        let base = format!("{} copy", entry.preset.name);
        let mut name = base.clone();
        let mut n = 2;
        while self.index_of(&name).is_some() {
            name = format!("{base} {n}");
            n += 1;
        }
        let preset = entry.preset.clone();
        self.save_as(&preset, &name)
    }

    pub fn delete(&mut self, index: usize) -> Result<(), StoreError> {
        let Some(entry) = self.entries.get(index) else { return Ok(()) };
        let Origin::User(path) = &entry.origin else {
            return Err(StoreError::Bundled(entry.preset.name.clone()));
        };
        std::fs::remove_file(path).map_err(|e| remove_error(path, &e))?;
        self.entries.remove(index);
        Ok(())
    }

    /// Copies a shared preset file into the user folder; a name already in use gets
    /// " (imported)" added. Returns the new index and any warnings about ignored fields.
    pub fn import(&mut self, file: &Path) -> Result<(usize, Vec<String>), StoreError> {
        let (preset, warnings) = Preset::load_with_warnings(file)?;
        let mut name = preset.name.clone();
        while self.index_of(&name).is_some() {
            name = format!("{name} (imported)");
        }
        Ok((self.save_as(&preset, &name)?, warnings))
    }

    /// Writes a preset to a file of the user's choosing, to share it.
    pub fn export(&self, index: usize, file: &Path) -> Result<(), StoreError> {
        match self.entries.get(index) {
            Some(entry) => Self::write(file, &entry.preset),
            None => Ok(()),
        }
    }
}

fn remove_error(path: &Path, e: &std::io::Error) -> StoreError {
    StoreError::Remove { file: path.display().to_string(), reason: crate::engine::os_error::describe(e) }
}

/// A warning for each name carried by more than one preset, naming their files.
fn shared_names(entries: &[Entry]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut warnings = Vec::new();
    for entry in entries {
        let key = entry.preset.name.trim().to_lowercase();
        if seen.contains(&key) {
            continue;
        }
        let same: Vec<&Entry> =
            entries.iter().filter(|e| e.preset.name.trim().to_lowercase() == key).collect();
        if same.len() > 1 {
            let files: Vec<String> = same.iter().map(|e| e.origin_label()).collect();
            warnings.push(format!(
                "{} presets are called “{}” ({}); each is shown with its file name, rename one to tell them apart",
                same.len(),
                entry.preset.name,
                files.join(", ")
            ));
        }
        seen.push(key);
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("smp-store-{tag}-{}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        dir
    }

    fn ron_files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|r| r.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn save_rename_duplicate_delete_follow_on_disk() {
        let dir = temp_dir("ops");
        let mut store = PresetStore::open(Some(dir.clone()));
        let bundled = store.list().len();
        let base = store.list()[0].preset.clone();
        let i = store.save_as(&base, "Clinic A · crown").unwrap();
        assert_eq!(ron_files(&dir), vec!["clinic-a-crown.ron"]);
        assert!(matches!(store.save_as(&base, "clinic a · CROWN"), Err(StoreError::NameTaken(_))));
        store.rename(i, "Clinic A · vertex").unwrap();
        assert_eq!(ron_files(&dir), vec!["clinic-a-vertex.ron"]);
        let j = store.duplicate(i).unwrap();
        assert_eq!(store.list()[j].preset.name, "Clinic A · vertex copy");
        assert_eq!(ron_files(&dir).len(), 2);
        store.delete(i).unwrap();
        assert_eq!(ron_files(&dir), vec!["clinic-a-vertex-copy.ron"]);
        assert!(matches!(store.delete(0), Err(StoreError::Bundled(_))));
        assert!(matches!(store.rename(0, "Mine"), Err(StoreError::Bundled(_))));

        // A fresh store sees the same presets.
        let reopened = PresetStore::open(Some(dir.clone()));
        assert_eq!(reopened.list().len(), bundled + 1);
        assert!(reopened.find("clinic a · vertex copy").is_some());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn import_and_export_share_a_preset() {
        let dir = temp_dir("share");
        let mut store = PresetStore::open(Some(dir.join("presets")));
        let shared = dir.join("shared.ron");
        store.export(1, &shared).unwrap();
        let (i, warnings) = store.import(&shared).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let name = &store.list()[i].preset.name;
        assert!(name.ends_with("(imported)"), "{name}");
        assert_eq!(store.list()[i].preset.dots, store.list()[1].preset.dots);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn presets_sharing_a_name_stay_apart_by_file() {
        let dir = temp_dir("twins");
        std::fs::create_dir_all(&dir).unwrap();
        let mut preset = preset::bundled().remove(0);
        preset.name = "Clinic A".into();
        preset.dots.darkness = 0.3;
        std::fs::write(dir.join("a.ron"), preset.to_ron()).unwrap();
        preset.name = "clinic a".into();
        preset.dots.darkness = 0.9;
        std::fs::write(dir.join("b.ron"), preset.to_ron()).unwrap();

        let mut store = PresetStore::open(Some(dir.clone()));
        let twins = store.find_all("CLINIC A");
        assert_eq!(twins.len(), 2);
        let (a, b) = (twins[0].id(), twins[1].id());
        assert_ne!(a, b);
        let (ia, ib) = (store.position(&a).unwrap(), store.position(&b).unwrap());
        assert_eq!(store.label(ia), "Clinic A (a.ron)");
        assert_eq!(store.label(ib), "clinic a (b.ron)");
        assert!(
            store.warnings().iter().any(|w| w.contains("a.ron") && w.contains("b.ron")),
            "{:?}",
            store.warnings()
        );

        // Editing the second one writes its own file, not the first one's.
        let mut edited = store.get(&b).unwrap().preset.clone();
        edited.dots.darkness = 0.5;
        store.update(ib, &edited).unwrap();
        let reopened = PresetStore::open(Some(dir.clone()));
        assert_eq!(reopened.get(&a).unwrap().preset.dots.darkness, 0.3);
        assert_eq!(reopened.get(&b).unwrap().preset.dots.darkness, 0.5);
        // A name no other preset has is shown as it is.
        assert_eq!(reopened.label(0), reopened.list()[0].preset.name);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_broken_file_is_a_warning_not_a_failure() {
        let dir = temp_dir("broken");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("broken.ron"), "(version: 1, name: \"B\", dots: (darkness: ").unwrap();
        let store = PresetStore::open(Some(dir.clone()));
        assert_eq!(store.list().len(), preset::bundled().len());
        assert_eq!(store.warnings().len(), 1);
        assert!(store.warnings()[0].contains("broken.ron:1:"), "{:?}", store.warnings());
        std::fs::remove_dir_all(&dir).ok();
    }
}
