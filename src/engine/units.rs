//! Calibration between photo pixels and millimetres on the scalp.

use serde::{Deserialize, Serialize};

/// Photo scale. Everything in the engine is in millimetres; pixels appear only at the photo's edge.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scale {
    pub px_per_mm: f32,
}

impl Scale {
    /// The scale assumed for an uncalibrated photo: a phone close-up of the scalp at about
    /// 16 cm across 1600 px. Shown to the user as a default until they calibrate.
    pub const DEFAULT: Scale = Scale { px_per_mm: 10.0 };

    /// Smallest and largest scales the engine accepts (a 1 mm dot is 0.5–200 px).
    pub const RANGE: std::ops::RangeInclusive<f32> = 0.5..=200.0;

    pub fn new(px_per_mm: f32) -> Option<Self> {
        (px_per_mm.is_finite() && Self::RANGE.contains(&px_per_mm)).then_some(Self { px_per_mm })
    }

    pub fn px(self, mm: f32) -> f32 {
        mm * self.px_per_mm
    }

    pub fn mm(self, px: f32) -> f32 {
        px / self.px_per_mm
    }

    /// Area of one pixel in mm².
    pub fn mm2_per_px(self) -> f64 {
        1.0 / (self.px_per_mm as f64 * self.px_per_mm as f64)
    }
}

impl Default for Scale {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_both_ways() {
        let s = Scale::new(12.5).unwrap();
        assert_eq!(s.px(2.0), 25.0);
        assert_eq!(s.mm(25.0), 2.0);
        assert!((s.mm2_per_px() - 0.0064).abs() < 1e-9);
    }

    #[test]
    fn rejects_nonsense_scales() {
        assert!(Scale::new(0.0).is_none());
        assert!(Scale::new(f32::NAN).is_none());
        assert!(Scale::new(-3.0).is_none());
        assert!(Scale::new(1e6).is_none());
    }
}
