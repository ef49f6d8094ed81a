//! Whether a photo can show what the simulation draws: single dots need a few pixels each.

use super::units::Scale;

/// Below this scale a healed dot (≈ 0.3 mm) spans under about 1.5 pixels: single dots are not
/// resolved and only the overall tone of the treatment shows.
pub const MIN_PX_PER_MM_FOR_DOTS: f32 = 5.0;

/// A sentence for the doctor when the photo is too coarse to show single dots, or `None`.
pub fn check(scale: Scale, calibrated: bool) -> Option<String> {
    if !calibrated || scale.px_per_mm >= MIN_PX_PER_MM_FOR_DOTS {
        return None;
    }
    Some(format!(
        "This photo has {:.1} pixels per mm, too few to show single dots (about {MIN_PX_PER_MM_FOR_DOTS:.0} are needed): \
         the result shows the treatment's overall tone. For a close look, take a closer photo of the area.",
        scale.px_per_mm
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_measured_coarse_scale_is_reported() {
        assert!(check(Scale::new(3.5).unwrap(), true).is_some_and(|s| s.contains("3.5 pixels per mm")));
        assert!(check(Scale::new(3.5).unwrap(), false).is_none(), "an assumed scale says nothing yet");
        assert!(check(Scale::new(8.0).unwrap(), true).is_none());
    }
}
