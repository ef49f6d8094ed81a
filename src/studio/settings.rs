//! The window's own settings between sessions: recently opened consultations, the clinic's
//! working pace, and whether the first-run hint was seen. One small RON file in the OS
//! configuration folder; a damaged file is set aside with a sentence, never fatal.

use crate::engine::files;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How many recently opened consultations are remembered.
pub const RECENT: usize = 10;

/// Impressions a practitioner places per hour, used to estimate session times. *Default*: a
/// starting point each clinic sets to its own pace.
pub const DEFAULT_IMPRESSIONS_PER_HOUR: f32 = 2_500.0;
/// The range a clinic may set.
pub const IMPRESSIONS_PER_HOUR: std::ops::RangeInclusive<f32> = 200.0..=20_000.0;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Consultation files, most recent first.
    pub recent: Vec<PathBuf>,
    pub impressions_per_hour: f32,
    /// The short hint over the canvas was shown and dismissed by a first stroke.
    pub hint_seen: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self { recent: Vec::new(), impressions_per_hour: DEFAULT_IMPRESSIONS_PER_HOUR, hint_seen: false }
    }
}

impl Settings {
    /// The settings file in the person's configuration folder.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "smp-studio").map(|d| d.config_dir().join("settings.ron"))
    }

    /// Reads the settings; a missing file gives the defaults, a damaged one the defaults and a
    /// sentence saying so.
    pub fn load(path: &Path) -> (Settings, Option<String>) {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Settings::default(), None),
            Err(e) => {
                return (
                    Settings::default(),
                    Some(format!(
                        "Could not read the settings in {} ({e}); the defaults are used.",
                        path.display()
                    )),
                );
            }
        };
        match ron::from_str::<Settings>(&text) {
            Ok(mut settings) => {
                settings.recent.truncate(RECENT);
                if !IMPRESSIONS_PER_HOUR.contains(&settings.impressions_per_hour) {
                    settings.impressions_per_hour = DEFAULT_IMPRESSIONS_PER_HOUR;
                }
                (settings, None)
            }
            Err(_) => (
                Settings::default(),
                Some(format!("The settings in {} could not be read; the defaults are used.", path.display())),
            ),
        }
    }

    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let text =
            ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::new()).map_err(std::io::Error::other)?;
        files::replace_with_bytes(path, text.as_bytes())
    }

    /// Puts `path` first in the recent list, once, keeping at most [`RECENT`].
    pub fn remember(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| *p != path);
        self.recent.insert(0, path);
        self.recent.truncate(RECENT);
    }

    /// Drops recent files that no longer exist; true if any were dropped.
    pub fn prune(&mut self) -> bool {
        let before = self.recent.len();
        self.recent.retain(|p| p.exists());
        self.recent.len() != before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_are_most_recent_first_unique_and_at_most_ten() {
        let dir = std::env::temp_dir().join(format!("smp-settings-recent-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut settings = Settings::default();
        let files: Vec<PathBuf> = (0..12).map(|i| dir.join(format!("v{i}.smpc"))).collect();
        for f in &files {
            std::fs::write(f, "x").unwrap();
            settings.remember(f);
        }
        settings.remember(&files[5]);
        let canon = |p: &PathBuf| std::fs::canonicalize(p).unwrap();
        assert_eq!(settings.recent.len(), RECENT);
        assert_eq!(settings.recent[0], canon(&files[5]));
        assert_eq!(settings.recent[1], canon(&files[11]));
        assert_eq!(settings.recent.iter().filter(|p| **p == canon(&files[5])).count(), 1);
        std::fs::remove_file(&files[11]).unwrap();
        assert!(settings.prune());
        assert!(!settings.recent.contains(&dir.join("v11.smpc")));
        assert_eq!(settings.recent[0], canon(&files[5]));

        let path = dir.join("settings.ron");
        settings.save(&path).unwrap();
        assert_eq!(Settings::load(&path), (settings, None));
        std::fs::write(&path, "not ron at all (").unwrap();
        let (fallback, warning) = Settings::load(&path);
        assert_eq!(fallback, Settings::default());
        assert!(warning.is_some_and(|w| w.contains("defaults")));
        std::fs::remove_dir_all(&dir).ok();
    }
}
