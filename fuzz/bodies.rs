//! What each fuzz target does with one input. Shared by the targets under `fuzz_targets/` and
//! by `tests/fuzz_corpus.rs`, which replays the stored inputs under plain `cargo test`. Each
//! target calls one of them, so the others are unused there.
#![allow(dead_code)]

use smp_studio::engine::mask::Mask;
use smp_studio::engine::photo::{self, PhotoLimits};
use smp_studio::engine::preset::Preset;

/// Any text read as a preset gives a preset or an error, never a panic; a preset that loads
/// saves to text that loads back to the same preset.
pub fn preset(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = Preset::unknown_field_warnings(text, "fuzz.ron");
    if let Ok(preset) = Preset::from_ron(text, "fuzz.ron") {
        let saved = preset.to_ron();
        match Preset::from_ron(&saved, "saved.ron") {
            Ok(back) => assert!(back == preset || has_nan(&preset), "a loaded preset changed on saving"),
            Err(e) => panic!("a loaded preset does not load once saved: {e}\n{saved}"),
        }
    }
}

/// NaN never validates, so a preset holding one cannot have loaded; kept as a guard so the
/// comparison above stays meaningful.
fn has_nan(preset: &Preset) -> bool {
    smp_studio::engine::preset::limits::FIELDS.iter().any(|l| (l.get)(preset).is_nan())
}

/// Limits small enough that the fuzzer explores many inputs a second and never runs out of
/// memory, yet large enough for real decoding to happen.
const LIMITS: PhotoLimits = PhotoLimits { max_pixels: 1_000_000, max_decode_bytes: 64_000_000 };

/// Any bytes read as a photo give a photo (within the limits) or an error, never a panic; the
/// same bytes read as a region mask too.
pub fn photo(data: &[u8]) {
    let _ = photo::jpeg_is_complete(data);
    if let Ok(loaded) = photo::decode_with(data, "fuzz", &LIMITS) {
        let (w, h) = loaded.image.dimensions();
        assert!(w as u64 * h as u64 <= LIMITS.max_pixels.max(1), "{w}×{h} is over the limit");
        assert!(w > 0 && h > 0);
        let mask = Mask::from_image(&image::DynamicImage::ImageRgb8(loaded.image));
        assert_eq!((mask.width(), mask.height()), (w, h));
    }
}
