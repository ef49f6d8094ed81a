//! One consultation: the patient's photo, the painted regions, the preset and the render choices.
//!
//! Saved as one `.smpc` file (see [`file`]): the photo exactly as it came from the camera, the
//! region layers as PNG and the rest as readable RON.

mod file;
mod read;

pub(crate) use file::assemble;
pub use file::{
    CONSULTATION_EXTENSION, ConsultationError, ConsultationMeta, META_FILE, PatientNotes,
    is_consultation_path, iso_date,
};

use super::analysis::PhotoAnalysis;
use super::compression::Compression;
use super::design::HairlineDesign;
use super::hair::{self, HairMap};
use super::mask::RegionMasks;
use super::preset::Preset;
use super::sim::{Scene, SimSettings};
use super::units::Scale;
use image::RgbImage;
use std::sync::Arc;

/// The photo file as it came from the camera: saved consultations keep these bytes, so
/// reopening one decodes exactly the pixels it was painted on.
#[derive(Clone, Debug, PartialEq)]
pub struct PhotoFile {
    pub bytes: Arc<[u8]>,
    /// File extension naming the format (`jpg`, `png`), used for the member's name.
    pub extension: String,
    /// How the camera compressed it, read from the bytes when it is a JPEG.
    pub compression: Option<Arc<Compression>>,
}

impl PhotoFile {
    pub fn new(bytes: Arc<[u8]>, extension: &str) -> Self {
        let compression = Compression::read(&bytes).map(Arc::new);
        Self { bytes, extension: extension.to_ascii_lowercase(), compression }
    }

    /// The file of a photo just opened from `path`, to keep with its consultation; `None` when
    /// the photo was reduced on opening, so its pixels are not the file's decoding.
    pub fn opened(
        path: &std::path::Path,
        bytes: Vec<u8>,
        loaded: &super::photo::LoadedPhoto,
    ) -> Option<Self> {
        let reduced = loaded.notices.iter().any(|n| matches!(n, super::photo::PhotoNotice::Reduced { .. }));
        let extension = path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
        (!reduced).then(|| Self::new(Arc::from(bytes), &extension))
    }
}

#[derive(Clone, Debug)]
pub struct Consultation {
    /// File name of the photo, shown in the title bar and used to name exports.
    pub photo_name: String,
    /// Shared so a render worker can read it while the window keeps painting.
    pub photo: Arc<RgbImage>,
    /// The encoded photo, when the pixels are exactly its decoding; otherwise a save
    /// stores the pixels as PNG.
    pub photo_file: Option<PhotoFile>,
    /// Hairs found on the photo at the current scale.
    pub hair: Arc<HairMap>,
    /// The photo's blur, shine and skin, measured at the current scale.
    pub analysis: Arc<PhotoAnalysis>,
    pub masks: RegionMasks,
    pub preset: Preset,
    pub settings: SimSettings,
    /// Whether the scale was measured on the photo rather than assumed.
    pub calibrated: bool,
    /// Which region tints are shown over the photo (hairline, bald, scar).
    pub show_regions: [bool; 3],
    pub notes: PatientNotes,
    /// The hairline drawn as a curve, when it was designed rather than only brushed.
    pub hairline_design: Option<HairlineDesign>,
}

impl Consultation {
    /// A fresh consultation on a photo: no regions yet, default scale, not calibrated.
    pub fn new(photo_name: String, photo: RgbImage, preset: Preset) -> Self {
        Self::at_scale(photo_name, photo, preset, SimSettings::default().scale)
    }

    /// Like [`Consultation::new`] for a photo whose scale is already known (given on the command
    /// line), so the hairs are found once, at that scale. Still not counted as calibrated.
    pub fn at_scale(photo_name: String, photo: RgbImage, preset: Preset, scale: Scale) -> Self {
        let (hair, analysis) = measure(&photo, scale);
        Self::with_measures(photo_name, photo, preset, scale, hair, analysis)
    }

    /// A fresh consultation whose photo is not measured yet (no hair found, no analysis): it
    /// opens at once, and the first render measures the photo at the scale then in use. For
    /// the window, where a large photo would otherwise wait seconds to be shown.
    pub fn unmeasured(photo_name: String, photo: RgbImage, preset: Preset) -> Self {
        // Made at no scale: the worker finds the hairs anew.
        let hair = Arc::new(HairMap::empty(photo.width(), photo.height(), None));
        let analysis = Arc::new(PhotoAnalysis::unmeasured(&photo));
        Self::with_measures(photo_name, photo, preset, SimSettings::default().scale, hair, analysis)
    }

    fn with_measures(
        photo_name: String,
        photo: RgbImage,
        preset: Preset,
        scale: Scale,
        hair: Arc<HairMap>,
        analysis: Arc<PhotoAnalysis>,
    ) -> Self {
        Self {
            photo_name,
            masks: RegionMasks::new(photo.width(), photo.height()),
            photo: Arc::new(photo),
            photo_file: None,
            hair,
            analysis,
            preset,
            settings: SimSettings { scale, ..SimSettings::default() },
            calibrated: false,
            show_regions: [true; 3],
            notes: PatientNotes::default(),
            hairline_design: None,
        }
    }

    /// Keeps the encoded photo these pixels were decoded from, for saving it unchanged.
    pub fn with_photo_file(self, bytes: Arc<[u8]>, extension: &str) -> Self {
        self.keeping(Some(PhotoFile::new(bytes, extension)))
    }

    /// Keeps `file` as the photo's file (see [`PhotoFile::opened`]), or none.
    pub fn keeping(mut self, file: Option<PhotoFile>) -> Self {
        self.photo_file = file;
        self
    }

    /// Measures the hairs and the photo again if the scale changed since they were measured.
    pub fn refresh_for_scale(&mut self) {
        if self.hair.scale != Some(self.settings.scale) {
            self.hair = Arc::new(hair::detect(&self.photo, self.settings.scale));
        }
        if !self.analysis.fits(&self.photo, self.settings.scale) {
            self.analysis = Arc::new(PhotoAnalysis::new(&self.photo, self.settings.scale));
        }
    }

    /// Sets the photo scale; `calibrated` says whether it was measured. The hair map and the
    /// photo's analysis are measured again for the new scale by
    /// [`Consultation::refresh_for_scale`], which callers run where a moment's work does not
    /// hold anyone up.
    pub fn set_scale(&mut self, scale: Scale, calibrated: bool) {
        self.settings.scale = scale;
        self.calibrated = calibrated;
    }

    /// The length on the scalp of a straight line on the photo, in photo pixels, for Measure.
    /// On a curved scalp a ruler follows the surface, but only along an outline that does not
    /// depend on the scale being measured: one set by hand, or one found once the scale was
    /// measured. Before that, the outline was found with a guessed scale (a large photo at the
    /// default 10 px/mm finds a small one), so the line's own pixel length is what counts.
    pub fn measured_length_px(&self, from: (f32, f32), to: (f32, f32)) -> f32 {
        let trusted =
            self.calibrated || matches!(self.settings.head, crate::engine::head::OutlineChoice::Set(_));
        match self.scene().dome() {
            Some(dome) if trusted => dome.surface_length_px(from, to),
            _ => (to.0 - from.0).hypot(to.1 - from.1),
        }
    }

    /// How the camera compressed the photo, when it is a JPEG kept as it came.
    pub fn compression(&self) -> Option<&Compression> {
        self.photo_file.as_ref().and_then(|f| f.compression.as_deref())
    }

    pub fn scene(&self) -> Scene<'_> {
        Scene {
            photo: &self.photo,
            hair: Some(&self.hair),
            masks: &self.masks,
            preset: &self.preset,
            settings: self.settings,
            analysis: Some(&self.analysis),
            compression: self.compression(),
        }
    }
}

/// The hair map and the photo's analysis at `scale`, measured side by side.
pub(crate) fn measure(photo: &RgbImage, scale: Scale) -> (Arc<HairMap>, Arc<PhotoAnalysis>) {
    let (hair, analysis) = rayon::join(|| hair::detect(photo, scale), || PhotoAnalysis::new(photo, scale));
    (Arc::new(hair), Arc::new(analysis))
}
