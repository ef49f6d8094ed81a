//! What the renderer needs to know about the photo itself: how blurred it is, where its light
//! is mirrored by the skin surface rather than remitted from below, and where it shows skin.
//!
//! The analysis is made once per photo and scale (it takes a moment on a large photo) and then
//! shared by every render, like the hair map: the window re-renders on every brush dab.

pub mod outline;
pub mod psf;
pub mod skin;
pub mod surface;

use crate::engine::head::HeadEllipse;
use crate::engine::units::Scale;
use image::RgbImage;
pub use outline::HeadOutline;
pub use psf::PsfMap;
pub use skin::SkinMap;
pub use surface::{Reflection, Surface};

/// Everything measured on one photo at one scale.
#[derive(Clone, Debug, PartialEq)]
pub struct PhotoAnalysis {
    /// The scale the analysis was made for (skin and surface measures are in mm); `None` for a
    /// photo not measured yet.
    pub scale: Option<Scale>,
    width: u32,
    height: u32,
    /// The photo's blur.
    pub psf: PsfMap,
    /// Where the skin surface mirrors the lamp.
    pub surface: Surface,
    /// Where the photo shows skin (dots go nowhere else).
    pub skin: SkinMap,
    /// The ellipse that best fits the head's outline, where the photo shows one.
    pub head: Option<HeadEllipse>,
}

impl PhotoAnalysis {
    /// Analyses a photo taken at `scale`.
    pub fn new(photo: &RgbImage, scale: Scale) -> Self {
        let (psf, (surface, skin)) = rayon::join(
            || psf::estimate(photo, scale.px_per_mm),
            || {
                let surface = Surface::measure(photo, scale.px_per_mm);
                let skin = SkinMap::measure(photo, scale.px_per_mm, &surface);
                (surface, skin)
            },
        );
        let head = skin.outline().and_then(HeadEllipse::fit);
        Self { scale: Some(scale), width: photo.width(), height: photo.height(), psf, surface, skin, head }
    }

    /// A stand-in for a photo not measured yet: sharp, matte, all skin, no outline. It fits no
    /// scale, so the first render measures the photo (see [`PhotoAnalysis::fits`]).
    pub fn unmeasured(photo: &RgbImage) -> Self {
        let (width, height) = photo.dimensions();
        Self {
            scale: None,
            width,
            height,
            psf: PsfMap::uniform(psf::FALLBACK_SIGMA_PX),
            surface: Surface::matte(),
            skin: SkinMap::all_skin(width, height),
            head: None,
        }
    }

    /// Whether this analysis was measured at all (see [`PhotoAnalysis::unmeasured`]).
    pub fn is_measured(&self) -> bool {
        self.scale.is_some()
    }

    /// Whether this analysis was made for a photo of this size at this scale.
    pub fn fits(&self, photo: &RgbImage, scale: Scale) -> bool {
        self.scale == Some(scale) && (self.width, self.height) == photo.dimensions()
    }

    /// The photo's blur as one figure: σ of its PSF in mm on the scalp, once measured.
    pub fn sharpness_mm(&self) -> Option<f32> {
        self.scale.map(|scale| scale.mm(self.psf.summary_px()))
    }
}
