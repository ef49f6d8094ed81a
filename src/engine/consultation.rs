//! One consultation: the patient's photo, the painted regions, the preset and the render choices.

use super::hair::{self, HairMap};
use super::mask::RegionMasks;
use super::preset::Preset;
use super::sim::{Scene, SimSettings};
use image::RgbImage;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Consultation {
    /// File name of the photo, shown in the title bar and used to name exports.
    pub photo_name: String,
    /// Shared so a render worker can read it while the window keeps painting.
    pub photo: Arc<RgbImage>,
    /// Hairs found on the photo at the current scale.
    pub hair: Arc<HairMap>,
    pub masks: RegionMasks,
    pub preset: Preset,
    pub settings: SimSettings,
}

impl Consultation {
    /// A fresh consultation on a photo: no regions yet, default scale.
    pub fn new(photo_name: String, photo: RgbImage, preset: Preset) -> Self {
        let masks = RegionMasks::new(photo.width(), photo.height());
        let settings = SimSettings::default();
        let hair = Arc::new(hair::detect(&photo, settings.scale));
        Self { photo_name, photo: Arc::new(photo), hair, masks, preset, settings }
    }

    /// Finds the hairs again if the scale changed since they were found.
    pub fn refresh_hair(&mut self) {
        if self.hair.scale != self.settings.scale {
            self.hair = Arc::new(hair::detect(&self.photo, self.settings.scale));
        }
    }

    pub fn scene(&self) -> Scene<'_> {
        Scene {
            photo: &self.photo,
            hair: Some(&self.hair),
            masks: &self.masks,
            preset: &self.preset,
            settings: self.settings,
        }
    }
}

/// The small text part of a saved consultation (the images live beside it as PNG/JPEG).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsultationMeta {
    /// Photo file, relative to this file.
    pub photo: String,
    /// Region masks by kind key (`hairline`, `bald`, `scar`), relative to this file.
    pub masks: Vec<(String, String)>,
    /// Preset name (bundled) or preset file.
    pub preset: String,
    pub settings: SimSettings,
}
