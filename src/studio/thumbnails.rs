//! Preset thumbnails: each preset's look on a standard patch of its own skin, rendered in the
//! background and redrawn when the preset changes.

use crate::engine::preset::Preset;
use crate::engine::store::{Entry, PresetId, PresetStore};
use image::RgbImage;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

/// Thumbnail size in pixels (at 10 px/mm: 7.2 × 4.8 mm of scalp).
pub const SIZE: (u32, u32) = (72, 48);

/// A finished thumbnail and the version of the preset it shows.
pub struct Thumbnail {
    pub preset: Preset,
    pub image: RgbImage,
    /// Changes whenever the image does, so a window knows when to upload it again.
    pub serial: u64,
}

pub struct Thumbnails {
    done: HashMap<PresetId, Thumbnail>,
    /// The version of each preset whose thumbnail was asked for.
    requested: HashMap<PresetId, Preset>,
    tx: Sender<(PresetId, Preset, RgbImage)>,
    rx: Receiver<(PresetId, Preset, RgbImage)>,
    serial: u64,
    wake: Arc<dyn Fn() + Send + Sync>,
}

/// Identifies a library entry by its file, never by name: two presets may share one.
pub fn key(entry: &Entry) -> PresetId {
    entry.id()
}

impl Thumbnails {
    pub(super) fn new(wake: Arc<dyn Fn() + Send + Sync>) -> Self {
        let (tx, rx) = channel();
        Self { done: HashMap::new(), requested: HashMap::new(), tx, rx, serial: 0, wake }
    }

    pub fn get(&self, entry: &Entry) -> Option<&Thumbnail> {
        self.done.get(&key(entry))
    }

    /// Every preset in `store` has a thumbnail of its current version.
    pub fn settled(&self, store: &PresetStore) -> bool {
        store.list().iter().all(|e| self.get(e).is_some_and(|t| t.preset == e.preset))
    }

    /// Picks up finished thumbnails and asks for the ones missing or out of date.
    pub(super) fn update(&mut self, store: &PresetStore) {
        while let Ok((key, preset, image)) = self.rx.try_recv() {
            // A thumbnail of a version edited since is dropped; the new one is on its way.
            if self.requested.get(&key) != Some(&preset) {
                continue;
            }
            self.serial += 1;
            self.done.insert(key, Thumbnail { preset, image, serial: self.serial });
        }
        let missing: Vec<(PresetId, Preset)> = store
            .list()
            .iter()
            .map(|e| (key(e), e.preset.clone()))
            .filter(|(k, p)| self.requested.get(k) != Some(p))
            .collect();
        if missing.is_empty() {
            return;
        }
        self.requested.extend(missing.iter().cloned());
        let tx = self.tx.clone();
        let wake = self.wake.clone();
        // Without the thread the list simply shows no thumbnails.
        let _ = std::thread::Builder::new().name("smp-thumbnails".into()).spawn(move || {
            for (key, preset) in missing {
                let image = crate::engine::sim::thumbnail(&preset, SIZE.0, SIZE.1);
                if tx.send((key, preset, image)).is_err() {
                    break;
                }
                wake();
            }
        });
    }
}
