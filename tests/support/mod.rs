//! The one place image comparisons and their tolerance live.

use image::RgbImage;
use std::path::PathBuf;

/// Largest mean absolute difference per channel (0–255) accepted against a reference: far
/// below what a change of dot size, density or shade moves, above floating-point noise
/// between machines.
pub const MEAN_TOLERANCE: f64 = 0.5;
/// Largest share of pixels allowed to differ by more than 8 levels in any channel.
pub const OUTLIER_SHARE: f64 = 0.002;

/// Compares `image` with `tests/references/{name}.png`; `UPDATE_REFERENCES=1` rewrites it. A
/// missing reference fails: a comparison with nothing proves nothing.
pub fn assert_matches_reference(name: &str, image: &RgbImage) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/references").join(format!("{name}.png"));
    if std::env::var_os("UPDATE_REFERENCES").is_some() {
        image.save(&path).unwrap();
        return;
    }
    assert!(
        path.exists(),
        "{name}: no reference image at {}; record it with UPDATE_REFERENCES=1 after checking the look",
        path.display()
    );
    let reference = image::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).to_rgb8();
    assert_eq!(reference.dimensions(), image.dimensions(), "{name}: size differs from the reference");
    let mut sum = 0u64;
    let mut outliers = 0usize;
    for (a, b) in reference.pixels().zip(image.pixels()) {
        let mut worst = 0;
        for c in 0..3 {
            let d = (a.0[c] as i32 - b.0[c] as i32).unsigned_abs();
            sum += d as u64;
            worst = worst.max(d);
        }
        if worst > 8 {
            outliers += 1;
        }
    }
    let n = (image.width() * image.height()) as f64;
    let mean = sum as f64 / (3.0 * n);
    let share = outliers as f64 / n;
    if mean > MEAN_TOLERANCE || share > OUTLIER_SHARE {
        let new = path.with_extension("new.png");
        image.save(&new).ok();
        panic!(
            "{name}: mean difference {mean:.3} (limit {MEAN_TOLERANCE}), {:.3} % pixels off by more than 8 (limit {:.1} %); see {}",
            share * 100.0,
            OUTLIER_SHARE * 100.0,
            new.display()
        );
    }
}
