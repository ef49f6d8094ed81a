//! One consultation: the patient's photo, the painted regions, the preset and the render choices.

use super::files;
use super::hair::{self, HairMap};
use super::mask::{Mask, RegionKind, RegionMasks};
use super::photo;
use super::preset::{self, Preset};
use super::sim::{Scene, SimSettings};
use image::RgbImage;
use serde::{Deserialize, Serialize};
use std::path::Path;
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
            analysis: None,
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
    /// The preset itself, so a consultation reopens exactly as it was even if the named preset
    /// was changed or deleted since.
    #[serde(default)]
    pub preset_data: Option<Preset>,
}

/// File holding the text part inside a saved consultation folder.
pub const META_FILE: &str = "consultation.ron";

#[derive(Debug, thiserror::Error)]
pub enum ConsultationError {
    #[error("{file} is not a saved consultation: {reason}")]
    Invalid { file: String, reason: String },
    #[error("could not read {file}: {reason}")]
    Read { file: String, reason: String },
    #[error(
        "could not save the consultation to {file}: {reason}; the consultation is still open, nothing was lost"
    )]
    Write { file: String, reason: String },
}

/// Builds a consultation from its saved parts; `read_mask` returns a layer by file name.
pub fn assemble(
    meta: ConsultationMeta,
    photo: RgbImage,
    mut read_mask: impl FnMut(&str) -> Result<image::GrayImage, String>,
) -> Result<Consultation, String> {
    let mut masks = RegionMasks::new(photo.width(), photo.height());
    for (key, file) in &meta.masks {
        let kind = RegionKind::from_key(key).ok_or_else(|| format!("unknown region `{key}`"))?;
        let gray = read_mask(file)?;
        masks
            .set(kind, Mask::from_gray(gray))
            .map_err(|(w, h)| format!("the {key} mask is {w}×{h}, not the photo's size"))?;
    }
    let preset = match meta.preset_data {
        Some(preset) => preset,
        None => preset::resolve(&meta.preset).map_err(|e| e.to_string())?,
    };
    let hair = Arc::new(hair::detect(&photo, meta.settings.scale));
    Ok(Consultation {
        photo_name: meta.photo,
        photo: Arc::new(photo),
        hair,
        masks,
        preset,
        settings: meta.settings,
    })
}

impl Consultation {
    /// Saves into a folder: the photo and each region as PNG (pixels only, no metadata) and
    /// the settings and preset as RON. Each file is written beside and renamed into place.
    pub fn save(&self, dir: &Path) -> Result<(), ConsultationError> {
        self.write(dir, true)
    }

    /// Like [`Consultation::save`], keeping the photo already in `dir`: repeated saves of one
    /// consultation (autosave) then cost the regions and settings, not a large photo each time.
    pub fn save_edits(&self, dir: &Path) -> Result<(), ConsultationError> {
        self.write(dir, false)
    }

    fn write(&self, dir: &Path, with_photo: bool) -> Result<(), ConsultationError> {
        let file = dir.display().to_string();
        let fail = |reason: String| ConsultationError::Write { file: file.clone(), reason };
        std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
        let write_png = |name: &str, write: &dyn Fn(&Path) -> image::ImageResult<()>| {
            files::replace(&dir.join(name), write).map_err(|e| fail(e.to_string()))
        };
        if with_photo || !dir.join("photo.png").is_file() {
            write_png("photo.png", &|p| self.photo.save_with_format(p, image::ImageFormat::Png))?;
        }
        let mut masks = Vec::new();
        for kind in RegionKind::ALL {
            let name = format!("{}.png", kind.key());
            let gray = self.masks.get(kind).to_gray();
            write_png(&name, &|p| gray.save_with_format(p, image::ImageFormat::Png))?;
            masks.push((kind.key().to_owned(), name));
        }
        let meta = ConsultationMeta {
            photo: "photo.png".into(),
            masks,
            preset: self.preset.name.clone(),
            settings: self.settings,
            preset_data: Some(self.preset.clone()),
        };
        let text = ron::ser::to_string_pretty(&meta, ron::ser::PrettyConfig::new())
            .map_err(|e| fail(e.to_string()))?;
        files::replace(&dir.join(META_FILE), |p| std::fs::write(p, text)).map_err(|e| fail(e.to_string()))
    }

    /// Opens a consultation folder written by [`Consultation::save`].
    pub fn load(dir: &Path) -> Result<Consultation, ConsultationError> {
        let meta_path = dir.join(META_FILE);
        let file = meta_path.display().to_string();
        let text = std::fs::read_to_string(&meta_path)
            .map_err(|e| ConsultationError::Read { file: file.clone(), reason: e.to_string() })?;
        let meta: ConsultationMeta = ron::de::from_str(&text)
            .map_err(|e| ConsultationError::Invalid { file: file.clone(), reason: e.to_string() })?;
        let photo = photo::load(&dir.join(&meta.photo))
            .map_err(|e| ConsultationError::Read { file: file.clone(), reason: e.to_string() })?;
        let mut consultation = assemble(meta, photo, |name| {
            image::open(dir.join(name)).map(|i| i.into_luma8()).map_err(|e| format!("{name}: {e}"))
        })
        .map_err(|reason| ConsultationError::Invalid { file: file.clone(), reason })?;
        consultation.photo_name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "consultation".into());
        Ok(consultation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::brush::{Brush, BrushMode, stroke};

    #[test]
    fn saving_edits_updates_the_regions_and_leaves_the_photo() {
        let dir = std::env::temp_dir().join(format!("smp-consultation-edits-{}.smp", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        let photo = RgbImage::from_pixel(60, 40, image::Rgb([170, 130, 110]));
        let mut c = Consultation::new("p.jpg".into(), photo, preset::bundled().remove(0));
        c.save(&dir).unwrap();
        // Mark the photo on disk: an edits-only save must not touch it.
        let marker = RgbImage::from_pixel(60, 40, image::Rgb([1, 2, 3]));
        marker.save(dir.join("photo.png")).unwrap();
        let brush = Brush { radius_px: 6.0, hardness: 0.5, mode: BrushMode::Paint };
        stroke(&brush, c.masks.get_mut(RegionKind::Bald), &[(10.0, 10.0), (50.0, 30.0)]);
        c.save_edits(&dir).unwrap();
        let back = Consultation::load(&dir).unwrap();
        assert_eq!(back.masks, c.masks, "the new stroke must be saved");
        assert_eq!(*back.photo, marker, "the photo must not be rewritten");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_saved_consultation_reopens_exactly() {
        let dir = std::env::temp_dir().join(format!("smp-consultation-{}.smp", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        let photo =
            RgbImage::from_fn(120, 80, |x, y| image::Rgb([180 + (x % 9) as u8, 140, 120 + (y % 7) as u8]));
        let mut c = Consultation::new("p.jpg".into(), photo, preset::bundled().remove(2));
        let brush = Brush { radius_px: 9.0, hardness: 0.3, mode: BrushMode::Paint };
        stroke(&brush, c.masks.get_mut(RegionKind::Scar), &[(10.0, 10.0), (100.0, 60.0)]);
        c.settings.session = 2;
        c.preset.dots.darkness = 0.55;
        c.save(&dir).unwrap();
        let back = Consultation::load(&dir).unwrap();
        assert_eq!(*back.photo, *c.photo);
        assert_eq!(back.masks, c.masks);
        assert_eq!(back.preset, c.preset, "an edited preset must come back as edited");
        assert_eq!(back.settings, c.settings);
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("partial"))
            .collect();
        assert!(leftovers.is_empty());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_folder_that_is_not_a_consultation_gets_a_sentence() {
        let err = Consultation::load(Path::new("/nonexistent/visit.smp")).unwrap_err();
        assert!(
            err.to_string().starts_with("could not read /nonexistent/visit.smp/consultation.ron"),
            "{err}"
        );
    }
}
