//! Painted regions for timing and testing on generated photos of any size: a hairline band at
//! the front, a bald crown in the middle and a scar strip at the back, with soft edges, each
//! placed in proportion to the photo so 12 MP and 48 MP inputs are the same consultation.

use crate::engine::mask::{Mask, RegionKind, RegionMasks};
use rayon::prelude::*;

/// The three regions, as ellipses with an edge about an eighth of their radius wide.
pub fn three_regions(width: u32, height: u32) -> RegionMasks {
    let (w, h) = (width as f32, height as f32);
    let mut masks = RegionMasks::new(width, height);
    for (kind, centre, radii) in [
        (RegionKind::Hairline, (0.5 * w, 0.12 * h), (0.3 * w, 0.08 * h)),
        (RegionKind::Bald, (0.5 * w, 0.5 * h), (0.2 * w, 0.22 * h)),
        (RegionKind::Scar, (0.5 * w, 0.85 * h), (0.25 * w, 0.04 * h)),
    ] {
        ellipse(masks.get_mut(kind), centre, radii);
    }
    masks
}

fn ellipse(mask: &mut Mask, (cx, cy): (f32, f32), (rx, ry): (f32, f32)) {
    let width = mask.width() as usize;
    if width == 0 {
        return;
    }
    mask.data_mut().par_chunks_mut(width).enumerate().for_each(|(y, row)| {
        let dy = (y as f32 + 0.5 - cy) / ry;
        for (x, v) in row.iter_mut().enumerate() {
            let dx = (x as f32 + 0.5 - cx) / rx;
            *v = ((1.0 - dx * dx - dy * dy) * 8.0).clamp(0.0, 1.0).mul_add(255.0, 0.5) as u8;
        }
    });
}
