//! The bundled sample consultation, compiled into the binary so it opens from any directory.
//!
//! The photo and masks come from `examples/make_sample.rs` (the synthetic scalp generator plus
//! scripted brush strokes); regenerate them with `cargo run --release --example make_sample`.

use super::consultation::{Consultation, ConsultationMeta};
use super::mask::{Mask, RegionKind, RegionMasks};
use super::preset;
use super::{hair, photo};

const META: &str = include_str!("../../assets/sample/consultation.ron");
const PHOTO: &[u8] = include_bytes!("../../assets/sample/scalp.jpg");
const MASKS: [(&str, &[u8]); 3] = [
    ("hairline", include_bytes!("../../assets/sample/hairline.png")),
    ("bald", include_bytes!("../../assets/sample/bald.png")),
    ("scar", include_bytes!("../../assets/sample/scar.png")),
];

#[derive(Debug, thiserror::Error)]
#[error("the bundled sample is damaged ({0}); reinstall SMP Studio")]
pub struct SampleError(String);

/// Loads the sample consultation.
pub fn load() -> Result<Consultation, SampleError> {
    let meta: ConsultationMeta = ron::de::from_str(META).map_err(|e| SampleError(e.to_string()))?;
    let photo = photo::decode(PHOTO, &meta.photo).map_err(|e| SampleError(e.to_string()))?;
    let mut masks = RegionMasks::new(photo.width(), photo.height());
    for (key, bytes) in MASKS {
        let kind = RegionKind::from_key(key).ok_or_else(|| SampleError(format!("unknown region {key}")))?;
        let gray = image::load_from_memory(bytes).map_err(|e| SampleError(e.to_string()))?.into_luma8();
        masks
            .set(kind, Mask::from_gray(gray))
            .map_err(|(w, h)| SampleError(format!("{key} mask is {w}×{h}, not the photo's size")))?;
    }
    let preset = preset::resolve(&meta.preset).map_err(|e| SampleError(e.to_string()))?;
    let hair = hair::detect(&photo, meta.settings.scale).into();
    Ok(Consultation {
        photo_name: meta.photo,
        photo: photo.into(),
        hair,
        masks,
        preset,
        settings: meta.settings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_opens_with_all_three_regions_painted() {
        let c = load().unwrap();
        assert!(c.photo.width() >= 1600 && c.photo.height() >= 1200);
        for kind in RegionKind::ALL {
            assert!(c.masks.get(kind).painted_pixels() > 1000, "{kind:?} is empty");
        }
        assert_eq!(c.settings.scale.px_per_mm, 10.0);
    }
}
