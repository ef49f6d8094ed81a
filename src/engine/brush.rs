//! Round brush: strokes become evenly spaced dabs, dabs edit one region layer.

use super::mask::{Mask, PixelRect};
use serde::{Deserialize, Serialize};

/// What a dab does to the layer it touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BrushMode {
    Paint,
    Erase,
}

/// A brush in photo pixels (the UI converts its size from millimetres with the photo scale).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Brush {
    pub radius_px: f32,
    /// 1.0 = hard edge; 0.0 = coverage falls off from the centre.
    pub hardness: f32,
    pub mode: BrushMode,
}

impl Brush {
    /// Coverage (0–1) at distance `d_px` from the dab centre.
    #[inline]
    pub fn coverage(&self, d_px: f32) -> f32 {
        let r = self.radius_px.max(0.5);
        // Half a pixel of anti-aliasing even for a fully hard brush.
        let solid = (r * self.hardness.clamp(0.0, 1.0)).min(r - 0.5).max(0.0);
        if d_px <= solid {
            1.0
        } else if d_px >= r {
            0.0
        } else {
            let t = (d_px - solid) / (r - solid);
            let s = 1.0 - t;
            s * s * (3.0 - 2.0 * s)
        }
    }

    /// Applies one dab centred at `(cx, cy)` and returns the pixels it may have changed.
    pub fn dab(&self, mask: &mut Mask, cx: f32, cy: f32) -> PixelRect {
        self.dab_with(mask, None, cx, cy)
    }

    /// Applies one dab of a stroke that began on `before` (the layer as it was when the stroke
    /// started). Within a stroke the dabs overlap by their maximum, so dragging slowly paints no
    /// darker than dragging fast; the stroke as a whole adds to what was there. Two soft strokes
    /// side by side, whose edges cross at half coverage each, thus meet at full coverage: no
    /// lighter seam where they join.
    pub fn dab_over(&self, mask: &mut Mask, before: &Mask, cx: f32, cy: f32) -> PixelRect {
        self.dab_with(mask, Some(before), cx, cy)
    }

    fn dab_with(&self, mask: &mut Mask, before: Option<&Mask>, cx: f32, cy: f32) -> PixelRect {
        let r = self.radius_px.max(0.5);
        let rect = PixelRect::around(cx, cy, r, mask.bounds());
        if rect.is_empty() {
            return rect;
        }
        for y in rect.y0..rect.y1 {
            for x in rect.x0..rect.x1 {
                let dx = x as f32 + 0.5 - cx;
                let dy = y as f32 + 0.5 - cy;
                let cov = self.coverage((dx * dx + dy * dy).sqrt());
                if cov <= 0.0 {
                    continue;
                }
                let old = mask.get(x, y) as f32;
                let new = match self.mode {
                    BrushMode::Paint => {
                        let under = before.map_or(0.0, |b| b.get(x, y) as f32);
                        old.max((under + cov * 255.0).min(255.0))
                    }
                    BrushMode::Erase => old * (1.0 - cov),
                };
                mask.set(x, y, new.round().clamp(0.0, 255.0) as u8);
            }
        }
        rect
    }

    /// Distance between dab centres that leaves no visible gaps or ridges.
    pub fn spacing_px(&self) -> f32 {
        (self.radius_px * 0.2).max(0.5)
    }
}

/// Turns pointer positions into dab centres spaced evenly along the path, so a fast drag leaves
/// a continuous band however few pointer events arrive.
#[derive(Clone, Debug, Default)]
pub struct StrokeInterpolator {
    last: Option<(f32, f32)>,
    /// Distance travelled since the last dab.
    carry_px: f32,
}

impl StrokeInterpolator {
    /// Returns the dab centres between the previous point and `to` (the first point dabs at once).
    pub fn to(&mut self, to: (f32, f32), spacing_px: f32) -> Vec<(f32, f32)> {
        let spacing = spacing_px.max(0.25);
        let Some(from) = self.last else {
            self.last = Some(to);
            self.carry_px = 0.0;
            return vec![to];
        };
        let (dx, dy) = (to.0 - from.0, to.1 - from.1);
        let len = (dx * dx + dy * dy).sqrt();
        let mut dabs = Vec::new();
        let mut t = spacing - self.carry_px;
        while t <= len {
            let f = t / len;
            dabs.push((from.0 + dx * f, from.1 + dy * f));
            t += spacing;
        }
        self.carry_px = len - (t - spacing);
        self.last = Some(to);
        dabs
    }
}

/// Paints a polyline with a brush; returns the changed pixels.
pub fn stroke(brush: &Brush, mask: &mut Mask, points: &[(f32, f32)]) -> PixelRect {
    let mut interp = StrokeInterpolator::default();
    let mut dirty = PixelRect { x0: 0, y0: 0, x1: 0, y1: 0 };
    let before = mask.clone();
    for &p in points {
        for (x, y) in interp.to(p, brush.spacing_px()) {
            dirty = dirty.union(brush.dab_over(mask, &before, x, y));
        }
    }
    dirty
}

/// Fills (or, erasing, clears) the inside of a closed polygon drawn with the lasso; pixels
/// whose centre is inside by the even-odd rule change. Returns the changed pixels.
pub fn fill_polygon(mask: &mut Mask, points: &[(f32, f32)], mode: BrushMode) -> PixelRect {
    let empty = PixelRect { x0: 0, y0: 0, x1: 0, y1: 0 };
    if points.len() < 3 {
        return empty;
    }
    let (min_y, max_y) =
        points.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
    let bounds = mask.bounds();
    let y0 = min_y.floor().max(0.0) as u32;
    let y1 = (max_y.ceil().max(0.0) as u32 + 1).min(bounds.y1);
    let mut dirty = empty;
    let mut crossings: Vec<f32> = Vec::new();
    for y in y0..y1 {
        let yc = y as f32 + 0.5;
        crossings.clear();
        for i in 0..points.len() {
            let (a, b) = (points[i], points[(i + 1) % points.len()]);
            if (a.1 <= yc) != (b.1 <= yc) {
                crossings.push(a.0 + (yc - a.1) / (b.1 - a.1) * (b.0 - a.0));
            }
        }
        crossings.sort_by(f32::total_cmp);
        for pair in crossings.chunks_exact(2) {
            let xa = (pair[0] - 0.5).ceil().max(0.0) as u32;
            let xb = ((pair[1] - 0.5).floor() + 1.0).clamp(0.0, bounds.x1 as f32) as u32;
            for x in xa..xb {
                mask.set(x, y, if mode == BrushMode::Paint { 255 } else { 0 });
            }
            if xb > xa {
                dirty = dirty.union(PixelRect { x0: xa, y0: y, x1: xb, y1: y + 1 });
            }
        }
    }
    dirty
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hard(radius_px: f32) -> Brush {
        Brush { radius_px, hardness: 1.0, mode: BrushMode::Paint }
    }

    #[test]
    fn a_dab_changes_only_pixels_within_its_radius() {
        let mut mask = Mask::new(64, 64);
        let brush = Brush { radius_px: 9.0, hardness: 0.5, mode: BrushMode::Paint };
        brush.dab(&mut mask, 30.0, 25.0);
        for y in 0..64 {
            for x in 0..64 {
                let d = ((x as f32 + 0.5 - 30.0).powi(2) + (y as f32 + 0.5 - 25.0).powi(2)).sqrt();
                let v = mask.get(x, y);
                if d >= 9.0 {
                    assert_eq!(v, 0, "pixel ({x},{y}) at {d:.2} px changed");
                }
                if d <= 4.0 {
                    assert_eq!(v, 255, "pixel ({x},{y}) at {d:.2} px not fully painted");
                }
            }
        }
    }

    #[test]
    fn a_soft_brush_fades_toward_its_edge() {
        let brush = Brush { radius_px: 10.0, hardness: 0.0, mode: BrushMode::Paint };
        assert!(brush.coverage(0.0) > brush.coverage(5.0));
        assert!(brush.coverage(5.0) > brush.coverage(9.0));
        assert_eq!(brush.coverage(10.0), 0.0);
    }

    /// Two soft strokes laid side by side, their edges crossing at half coverage, join at full
    /// coverage; with each stroke's own coverage kept by maximum they met at half (a pale seam
    /// of half the dots between them).
    #[test]
    fn soft_strokes_side_by_side_leave_no_seam() {
        let soft = Brush { radius_px: 40.0, hardness: 0.0, mode: BrushMode::Paint };
        let mut mask = Mask::new(300, 200);
        stroke(&soft, &mut mask, &[(20.0, 80.0), (280.0, 80.0)]);
        let alone = mask.get(150, 100);
        assert!((100..=160).contains(&alone), "one stroke's edge between them: {alone}");
        stroke(&soft, &mut mask, &[(20.0, 120.0), (280.0, 120.0)]);
        let seam = (80..=120).map(|y| mask.get(150, y)).min().unwrap_or(0);
        assert!(seam >= 242, "the coverage between the strokes dips to {seam}");
        // Within one stroke, dabs do not build up: a slow drag is no stronger than one dab.
        let mut once = Mask::new(100, 100);
        soft.dab(&mut once, 50.0, 50.0);
        let mut slow = Mask::new(100, 100);
        stroke(&soft, &mut slow, &[(50.0, 50.0), (50.2, 50.0), (50.0, 50.0), (50.1, 50.1)]);
        assert!((0..100).all(|x| slow.get(x, 70).abs_diff(once.get(x, 70)) <= 3), "a slow drag built up");
    }

    #[test]
    fn erasing_removes_what_was_painted() {
        let mut mask = Mask::new(40, 40);
        hard(6.0).dab(&mut mask, 20.0, 20.0);
        assert!(mask.painted_pixels() > 100);
        Brush { mode: BrushMode::Erase, ..hard(8.0) }.dab(&mut mask, 20.0, 20.0);
        assert!(mask.is_blank());
    }

    #[test]
    fn a_fast_stroke_leaves_no_gaps() {
        let mut mask = Mask::new(300, 40);
        // Two pointer samples 280 px apart, as from a very fast drag.
        stroke(&hard(4.0), &mut mask, &[(10.0, 20.0), (290.0, 20.0)]);
        for x in 10..290 {
            assert_eq!(mask.get(x, 20), 255, "gap at x = {x}");
        }
    }

    #[test]
    fn a_lasso_fills_its_inside_only() {
        let mut mask = Mask::new(100, 100);
        let triangle = [(10.0, 10.0), (90.0, 10.0), (50.0, 90.0)];
        let rect = fill_polygon(&mut mask, &triangle, BrushMode::Paint);
        assert_eq!(mask.get(50, 40), 255);
        assert_eq!(mask.get(12, 80), 0);
        assert_eq!(mask.get(95, 50), 0);
        assert!(rect.contains(50, 40) && !rect.is_empty());
        // About half of the 80 × 80 box.
        let area = mask.painted_pixels() as f32;
        assert!((area / 3200.0 - 1.0).abs() < 0.05, "area {area}");
        fill_polygon(&mut mask, &[(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 100.0)], BrushMode::Erase);
        assert!(mask.is_blank());
    }

    #[test]
    fn dabs_off_the_photo_are_ignored() {
        let mut mask = Mask::new(10, 10);
        let rect = hard(3.0).dab(&mut mask, -50.0, -50.0);
        assert!(rect.is_empty());
        assert!(mask.is_blank());
    }
}
