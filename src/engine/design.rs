//! The hairline as a designed curve: handles the doctor places and drags, a smooth front line
//! through them, and the hairline region made from it — a band behind the front, whose
//! feathering the preset then draws. Guides measure it the way hairlines are planned: the
//! mid-frontal point's height above the glabella, along the face's symmetry axis.

use super::brush::{BrushMode, fill_polygon};
use super::mask::{Mask, PixelRect};
use super::units::Scale;
use serde::{Deserialize, Serialize};

/// How far behind the front line the region reaches, by default: the transition zone and
/// most of the defined zone behind it.
pub const DEFAULT_DEPTH_MM: f32 = 25.0;
/// The region's depth range a doctor may choose.
pub const DEPTH_MM: std::ops::RangeInclusive<f32> = 5.0..=80.0;
/// Mid-frontal heights above the glabella that bracket hairline design: 7 cm is an aggressive
/// (low) hairline, 10 cm a conservative (mature) one.
pub const AGGRESSIVE_MM: f32 = 70.0;
pub const CONSERVATIVE_MM: f32 = 100.0;
/// Points of the smooth line per stretch between two handles.
const SAMPLES_PER_SEGMENT: usize = 16;

/// A point on the photo, in pixels.
pub type Point = [f32; 2];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HairlineDesign {
    /// Handles of the front line, in order along it (from one temple to the other).
    pub handles: Vec<Point>,
    /// How deep the region reaches behind the front line, in mm.
    pub depth_mm: f32,
    /// The glabella (between the eyebrows), if the photo shows it.
    pub glabella: Option<Point>,
    /// Direction of the symmetry axis from the glabella up the forehead, in degrees from the
    /// photo's up direction (clockwise).
    pub axis_deg: f32,
    /// Moving a handle moves its mirror image across the axis too.
    pub mirror: bool,
}

impl Default for HairlineDesign {
    fn default() -> Self {
        Self { handles: Vec::new(), depth_mm: DEFAULT_DEPTH_MM, glabella: None, axis_deg: 0.0, mirror: true }
    }
}

fn sub(a: Point, b: Point) -> Point {
    [a[0] - b[0], a[1] - b[1]]
}

fn add(a: Point, b: Point) -> Point {
    [a[0] + b[0], a[1] + b[1]]
}

fn scale(a: Point, k: f32) -> Point {
    [a[0] * k, a[1] * k]
}

fn dot(a: Point, b: Point) -> f32 {
    a[0] * b[0] + a[1] * b[1]
}

fn length(a: Point) -> f32 {
    dot(a, a).sqrt()
}

impl HairlineDesign {
    /// Whether the design draws a line yet (two handles at least), and so makes a region.
    pub fn draws(&self) -> bool {
        self.handles.len() >= 2
    }

    /// The axis: a point on it and its unit direction (up the forehead).
    pub fn axis(&self) -> Option<(Point, Point)> {
        let origin = self.glabella.or_else(|| self.midpoint())?;
        let a = self.axis_deg.to_radians();
        Some((origin, [a.sin(), -a.cos()]))
    }

    /// The middle of the handles, standing in for the axis when no glabella is placed.
    fn midpoint(&self) -> Option<Point> {
        let first = *self.handles.first()?;
        let last = *self.handles.last()?;
        Some(scale(add(first, last), 0.5))
    }

    /// `p` reflected across the axis.
    pub fn reflect(&self, p: Point) -> Point {
        let Some((o, d)) = self.axis() else { return p };
        let v = sub(p, o);
        let along = scale(d, dot(v, d));
        let across = sub(v, along);
        add(o, sub(along, across))
    }

    /// The smooth front line through the handles (centripetal Catmull–Rom).
    pub fn curve(&self) -> Vec<Point> {
        let h = &self.handles;
        match h.len() {
            0 => return Vec::new(),
            1 => return vec![h[0]],
            _ => {}
        }
        let mut out = Vec::with_capacity(h.len() * SAMPLES_PER_SEGMENT + 1);
        for i in 0..h.len() - 1 {
            let p0 = if i == 0 { sub(scale(h[0], 2.0), h[1]) } else { h[i - 1] };
            let (p1, p2) = (h[i], h[i + 1]);
            let p3 = if i + 2 < h.len() { h[i + 2] } else { sub(scale(h[i + 1], 2.0), h[i]) };
            for s in 0..SAMPLES_PER_SEGMENT {
                out.push(catmull_rom(p0, p1, p2, p3, s as f32 / SAMPLES_PER_SEGMENT as f32));
            }
        }
        out.push(*h.last().unwrap_or(&h[0]));
        out
    }

    /// Which side of the line is "behind" it (toward the crown): away from the glabella when
    /// it is placed, else down the photo, as in a top-down view with the forehead at the top.
    fn behind(&self, curve: &[Point]) -> Point {
        let mid = curve[curve.len() / 2];
        match self.glabella {
            Some(g) if length(sub(mid, g)) > 1.0 => scale(sub(mid, g), 1.0 / length(sub(mid, g))),
            _ => [0.0, 1.0],
        }
    }

    /// The hairline region: the band from the front line back `depth_mm`, as a layer of
    /// `width` × `height`, and the pixels it covers.
    pub fn region(&self, photo_scale: Scale, width: u32, height: u32) -> (Mask, PixelRect) {
        let mut mask = Mask::new(width, height);
        let curve = self.curve();
        if curve.len() < 2 {
            return (mask, PixelRect { x0: 0, y0: 0, x1: 0, y1: 0 });
        }
        let behind = self.behind(&curve);
        let depth = photo_scale.px(self.depth_mm);
        let n = curve.len();
        let mut back = Vec::with_capacity(n);
        for i in 0..n {
            let a = curve[i.saturating_sub(1)];
            let b = curve[(i + 1).min(n - 1)];
            let t = sub(b, a);
            let len = length(t).max(1e-6);
            let mut normal = [-t[1] / len, t[0] / len];
            if dot(normal, behind) < 0.0 {
                normal = scale(normal, -1.0);
            }
            back.push(add(curve[i], scale(normal, depth)));
        }
        let outline: Vec<(f32, f32)> = curve.iter().chain(back.iter().rev()).map(|p| (p[0], p[1])).collect();
        let rect = fill_polygon(&mut mask, &outline, BrushMode::Paint);
        (mask, rect)
    }

    /// The pixels the region can cover: the line's bounds grown by the region's depth.
    pub fn bounds(&self, photo_scale: Scale) -> PixelRect {
        let curve = self.curve();
        let Some(first) = curve.first() else { return PixelRect { x0: 0, y0: 0, x1: 0, y1: 0 } };
        let (mut lo, mut hi) = (*first, *first);
        for p in &curve {
            lo = [lo[0].min(p[0]), lo[1].min(p[1])];
            hi = [hi[0].max(p[0]), hi[1].max(p[1])];
        }
        let reach = photo_scale.px(self.depth_mm) + 2.0;
        PixelRect {
            x0: (lo[0] - reach).floor().max(0.0) as u32,
            y0: (lo[1] - reach).floor().max(0.0) as u32,
            x1: (hi[0] + reach).ceil().max(0.0) as u32,
            y1: (hi[1] + reach).ceil().max(0.0) as u32,
        }
    }

    /// Where the symmetry axis crosses the front line: the mid-frontal point.
    pub fn mid_frontal(&self) -> Option<Point> {
        let (o, d) = self.axis()?;
        let curve = self.curve();
        let across = |p: Point| {
            let v = sub(p, o);
            v[0] * d[1] - v[1] * d[0]
        };
        curve.windows(2).find_map(|w| {
            let (a, b) = (across(w[0]), across(w[1]));
            if (a <= 0.0) != (b <= 0.0) {
                let t = a / (a - b);
                Some(add(w[0], scale(sub(w[1], w[0]), t)))
            } else {
                None
            }
        })
    }

    /// The mid-frontal point's height above the glabella, in mm.
    pub fn mid_frontal_height_mm(&self, photo_scale: Scale) -> Option<f32> {
        let g = self.glabella?;
        let m = self.mid_frontal()?;
        Some(photo_scale.mm(length(sub(m, g))))
    }

    /// The point `mm` up the axis from the glabella.
    pub fn along_axis(&self, photo_scale: Scale, mm: f32) -> Option<Point> {
        let g = self.glabella?;
        let (_, d) = self.axis()?;
        Some(add(g, scale(d, photo_scale.px(mm))))
    }

    /// The handle nearest `p` within `radius_px`.
    pub fn handle_at(&self, p: Point, radius_px: f32) -> Option<usize> {
        self.handles
            .iter()
            .enumerate()
            .map(|(i, h)| (i, length(sub(*h, p))))
            .filter(|(_, d)| *d <= radius_px)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }

    /// Moves handle `i` to `to`; in mirror drawing its mirror image follows across the axis
    /// (a handle on the axis stays on it). The temples keep their own angle: only positions
    /// are mirrored, never straightened.
    pub fn move_handle(&mut self, i: usize, to: Point) {
        let Some(&from) = self.handles.get(i) else { return };
        let partner = if self.mirror { self.partner(i, from) } else { None };
        match partner {
            Some(j) if j == i => {
                // On the axis: slide along it.
                if let Some((o, d)) = self.axis() {
                    self.handles[i] = add(o, scale(d, dot(sub(to, o), d)));
                }
            }
            Some(j) => {
                self.handles[i] = to;
                self.handles[j] = self.reflect(to);
            }
            None => self.handles[i] = to,
        }
    }

    /// The handle that mirrors `i` (itself if it sits on the axis), if any is close to where
    /// its reflection falls.
    fn partner(&self, i: usize, at: Point) -> Option<usize> {
        let (o, d) = self.axis()?;
        let spread = self.handles.iter().map(|h| length(sub(*h, o))).fold(0.0f32, f32::max).max(1.0);
        let v = sub(at, o);
        if (v[0] * d[1] - v[1] * d[0]).abs() < 0.02 * spread {
            return Some(i);
        }
        let image = self.reflect(at);
        self.handles
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(j, h)| (j, length(sub(*h, image))))
            .filter(|(_, dist)| *dist < 0.15 * spread)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(j, _)| j)
    }

    /// Adds a handle at `p`: between the two neighbours it lies closest to, or at the nearer
    /// end. In mirror drawing its mirror image is added too.
    pub fn add_handle(&mut self, p: Point) {
        // The axis before this handle changes it (without a glabella it runs through the
        // middle of the line).
        let image = self.axis().map(|_| self.reflect(p));
        self.insert(p);
        if self.mirror
            && let Some(image) = image
            && length(sub(image, p)) > 2.0
        {
            self.insert(image);
        }
    }

    fn insert(&mut self, p: Point) {
        let h = &self.handles;
        if h.len() < 2 {
            self.handles.push(p);
            return;
        }
        // The segment whose detour through p is shortest.
        let (best, _) = (0..h.len() - 1)
            .map(|i| (i, length(sub(p, h[i])) + length(sub(p, h[i + 1])) - length(sub(h[i + 1], h[i]))))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, 0.0));
        let to_first = length(sub(p, h[0]));
        let to_last = length(sub(p, h[h.len() - 1]));
        let detour =
            length(sub(p, h[best])) + length(sub(p, h[best + 1])) - length(sub(h[best + 1], h[best]));
        if detour > to_first.min(to_last) {
            if to_first < to_last {
                self.handles.insert(0, p);
            } else {
                self.handles.push(p);
            }
        } else {
            self.handles.insert(best + 1, p);
        }
    }

    /// Removes handle `i` (and its mirror image in mirror drawing).
    pub fn remove_handle(&mut self, i: usize) {
        let Some(&at) = self.handles.get(i) else { return };
        let partner = if self.mirror { self.partner(i, at).filter(|&j| j != i) } else { None };
        self.handles.remove(i);
        if let Some(j) = partner {
            self.handles.remove(if j > i { j - 1 } else { j });
        }
    }
}

fn catmull_rom(p0: Point, p1: Point, p2: Point, p3: Point, t: f32) -> Point {
    // Centripetal parameterisation: no cusps or loops where handles bunch up.
    let knot = |a: Point, b: Point| length(sub(b, a)).sqrt().max(1e-4);
    let t0 = 0.0;
    let t1 = t0 + knot(p0, p1);
    let t2 = t1 + knot(p1, p2);
    let t3 = t2 + knot(p2, p3);
    let u = t1 + (t2 - t1) * t;
    let lerp = |a: Point, b: Point, ta: f32, tb: f32| {
        let w = (u - ta) / (tb - ta);
        add(scale(a, 1.0 - w), scale(b, w))
    };
    let a1 = lerp(p0, p1, t0, t1);
    let a2 = lerp(p1, p2, t1, t2);
    let a3 = lerp(p2, p3, t2, t3);
    let b1 = lerp(a1, a2, t0, t2);
    let b2 = lerp(a2, a3, t1, t3);
    lerp(b1, b2, t1, t2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arc() -> HairlineDesign {
        HairlineDesign {
            handles: vec![[100.0, 300.0], [250.0, 200.0], [400.0, 180.0], [550.0, 200.0], [700.0, 300.0]],
            glabella: Some([400.0, 900.0]),
            ..HairlineDesign::default()
        }
    }

    #[test]
    fn the_curve_passes_through_every_handle() {
        let design = arc();
        let curve = design.curve();
        for h in &design.handles {
            let nearest = curve.iter().map(|p| length(sub(*p, *h))).fold(f32::INFINITY, f32::min);
            assert!(nearest < 1e-3, "handle {h:?} is {nearest} px off the line");
        }
    }

    #[test]
    fn the_region_lies_behind_the_front_away_from_the_glabella() {
        let s = Scale::new(10.0).unwrap();
        let design = HairlineDesign { depth_mm: 10.0, ..arc() };
        let (mask, rect) = design.region(s, 800, 1000);
        assert!(!rect.is_empty());
        // Glabella below: "behind" is up, toward y = 0.
        assert_eq!(mask.get(400, 150), 255, "just behind the mid-frontal point");
        assert_eq!(mask.get(400, 200), 0, "in front of the line, toward the glabella");
        // 10 mm deep at 10 px/mm: from y = 180 back to y = 80.
        assert_eq!(mask.get(400, 90), 255);
        assert_eq!(mask.get(400, 70), 0);
    }

    #[test]
    fn the_mid_frontal_height_is_measured_along_the_axis() {
        let s = Scale::new(8.0).unwrap();
        let design = arc();
        let m = design.mid_frontal().unwrap();
        assert!((m[0] - 400.0).abs() < 0.5 && (m[1] - 180.0).abs() < 0.5, "{m:?}");
        let height = design.mid_frontal_height_mm(s).unwrap();
        assert!((height - 720.0 / 8.0).abs() < 0.1, "{height}");
        let ten_cm = design.along_axis(s, CONSERVATIVE_MM).unwrap();
        assert!((ten_cm[1] - (900.0 - 800.0)).abs() < 1e-3);
    }

    #[test]
    fn mirror_drawing_moves_the_other_side_and_keeps_the_middle_on_the_axis() {
        let mut design = arc();
        design.move_handle(1, [240.0, 230.0]);
        assert_eq!(design.handles[3], [560.0, 230.0], "the mirrored handle follows");
        design.move_handle(2, [430.0, 170.0]);
        assert_eq!(design.handles[2], [400.0, 170.0], "the middle handle slides along the axis");
        // The temples are only mirrored, never pulled straight.
        design.move_handle(0, [120.0, 340.0]);
        assert_eq!(design.handles[4], [680.0, 340.0]);
        design.mirror = false;
        design.move_handle(0, [90.0, 300.0]);
        assert_eq!(design.handles[4], [680.0, 340.0], "without the mirror one side moves alone");
    }

    #[test]
    fn handles_are_added_where_they_belong_and_removed_in_pairs() {
        let mut design = arc();
        design.mirror = false;
        design.add_handle([330.0, 185.0]);
        assert_eq!(design.handles[2], [330.0, 185.0], "between its neighbours");
        design.add_handle([50.0, 380.0]);
        assert_eq!(design.handles[0], [50.0, 380.0], "beyond the nearer end");
        let mut design = arc();
        design.add_handle([320.0, 190.0]);
        assert_eq!(design.handles.len(), 7, "its mirror image is added too");
        let i = design.handle_at([320.0, 190.0], 3.0).unwrap();
        design.remove_handle(i);
        assert_eq!(design.handles, arc().handles);
    }
}
