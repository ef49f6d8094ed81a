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

/// Blur (σ of the photo's PSF) from which a photo counts as badly blurred, in its own pixels:
/// detail a few pixels across is gone.
pub const BLURRED_SIGMA_PX: f32 = 2.0;

/// The same on the scalp, mm, once the scale is measured: the blur spreads a healed dot
/// (≈ 0.3 mm) over about its distance to the next one.
pub const BLURRED_SIGMA_MM: f32 = 0.3;

/// A sentence for the doctor when the photo is badly blurred (its PSF's σ is `blur_px`), or
/// `None`. Said once, when the photo opens.
pub fn blur_check(blur_px: f32, scale: Scale, calibrated: bool) -> Option<String> {
    let blur_mm = scale.mm(blur_px);
    let blurred = blur_px >= BLURRED_SIGMA_PX || (calibrated && blur_mm >= BLURRED_SIGMA_MM);
    if !blurred || !blur_px.is_finite() {
        return None;
    }
    let sharpness = if calibrated { format!("{blur_mm:.2} mm") } else { format!("{blur_px:.1} pixels") };
    Some(format!(
        "This photo is blurred (sharpness {sharpness}): the dots are blurred as much, so they show as an even tone \
         rather than single dots. For a close look, take a sharper photo."
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

    #[test]
    fn only_a_badly_blurred_photo_is_reported() {
        let scale = Scale::new(8.0).unwrap();
        assert!(blur_check(0.6, scale, true).is_none(), "a sharp photo says nothing");
        assert!(blur_check(2.6, scale, false).is_some_and(|s| s.contains("2.6 pixels")));
        // 2.8 px at 8 px/mm is 0.35 mm on the scalp.
        assert!(blur_check(2.8, scale, true).is_some_and(|s| s.contains("0.35 mm")));
        // Under 2 px but over 0.3 mm once the scale is known: 1.8 px at 5 px/mm.
        let coarse = Scale::new(5.0).unwrap();
        assert!(blur_check(1.8, coarse, true).is_some());
        assert!(blur_check(1.8, coarse, false).is_none());
        assert!(blur_check(f32::NAN, scale, true).is_none());
    }
}
