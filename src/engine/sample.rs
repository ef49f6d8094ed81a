//! The bundled sample consultation, compiled into the binary so it opens from any directory.
//!
//! The photo and masks come from `examples/make_sample.rs` (the synthetic scalp generator plus
//! scripted brush strokes); regenerate them with `cargo run --release --example make_sample`.

use super::consultation::{self, Consultation, ConsultationMeta, PhotoFile};
use super::photo;
use std::sync::Arc;

const META: &str = include_str!("../../assets/sample/consultation.ron");
const PHOTO: &[u8] = include_bytes!("../../assets/sample/scalp.jpg");
const MASKS: [(&str, &[u8]); 3] = [
    ("hairline.png", include_bytes!("../../assets/sample/hairline.png")),
    ("bald.png", include_bytes!("../../assets/sample/bald.png")),
    ("scar.png", include_bytes!("../../assets/sample/scar.png")),
];

#[derive(Debug, thiserror::Error)]
#[error("the bundled sample is damaged ({0}); reinstall SMP Studio")]
pub struct SampleError(String);

/// Loads the sample consultation.
pub fn load() -> Result<Consultation, SampleError> {
    let meta: ConsultationMeta = ron::de::from_str(META).map_err(|e| SampleError(e.to_string()))?;
    let photo = photo::decode(PHOTO, &meta.photo).map_err(|e| SampleError(e.to_string()))?;
    let photo_file = PhotoFile::new(Arc::from(PHOTO), "jpg");
    consultation::assemble(meta, photo, Some(photo_file), |name| {
        let bytes = MASKS
            .iter()
            .find(|(file, _)| *file == name)
            .map(|(_, bytes)| *bytes)
            .ok_or_else(|| format!("no bundled mask {name}"))?;
        image::load_from_memory(bytes).map(|i| i.into_luma8()).map_err(|e| e.to_string())
    })
    .map_err(SampleError)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::mask::RegionKind;

    #[test]
    fn the_sample_opens_with_all_three_regions_painted() {
        let c = load().unwrap();
        assert!(c.photo.width() >= 1600 && c.photo.height() >= 1200);
        for kind in RegionKind::ALL {
            assert!(c.masks.get(kind).painted_pixels() > 1000, "{kind:?} is empty");
        }
        assert_eq!(c.settings.scale.px_per_mm, 10.0);
        assert!(c.calibrated, "the sample comes with its measured scale");
    }
}
