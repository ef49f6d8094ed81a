//! The head as a curved surface seen by the camera.
//!
//! On a photo of a whole head the scalp turns away from the camera toward the head's outline:
//! near the rim a millimetre of skin across the rim spans far fewer pixels than one along it,
//! so dots crowd together and flatten into ellipses whose short axis points at the centre, and
//! the treated dome looks darker toward its edge.
//!
//! The head is taken as a spheroid cap seen along its axis. Its outline on the photo (an
//! ellipse, found on the photo or set by hand) is the cap's rim; its depth toward the camera is
//! the shorter of the two half-axes, so a round outline is a hemisphere. The projection is
//! orthographic: a phone 40 cm from the head changes sizes across it by a few percent, far
//! less than the curvature does.
//!
//! The photo's scale (px/mm) is the scale of skin that faces the camera. A length along the
//! rim keeps that scale everywhere; a length across it is shortened by the *facing*, the
//! cosine of the angle between the surface's normal and the line of sight.

use crate::engine::analysis::outline::HeadOutline;
use serde::{Deserialize, Serialize};

/// An ellipse on the photo, px: centre, half-axes, and the angle of the first half-axis from
/// +x toward +y (the photo's y runs down), degrees.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeadEllipse {
    pub centre_x: f32,
    pub centre_y: f32,
    pub radius_x: f32,
    pub radius_y: f32,
    pub angle_deg: f32,
}

/// Which outline the simulation follows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum OutlineChoice {
    /// The outline found on the photo, where one is found; flat otherwise.
    #[default]
    Found,
    /// No outline: the scalp is treated as flat, facing the camera everywhere.
    Flat,
    /// An outline set by hand.
    Set(HeadEllipse),
}

/// Smallest half-axis an outline may have, px: below it there is no head to speak of.
const MIN_RADIUS_PX: f32 = 4.0;

/// Share of a traced outline the fitted ellipse holds.
const HELD_OUTLINE: f64 = 0.8;

/// Least facing the model goes down to: skin seen within about 15° of edge-on, the last 3 % of
/// the radius. Closer to the rim the outline found on a photo is not exact enough to say
/// more, so the foreshortening is held there.
pub const MIN_FACING: f32 = 0.25;

/// Depth of a healed pigment deposit as a share of its width. A deposit is a lens of pigment in
/// the upper dermis, not a flat disc, so seen edge-on it still shows about this much of its
/// width: dots near the rim flatten less than the skin does, and the dome darkens there.
pub const DEPOSIT_DEPTH: f32 = 0.5;

impl HeadEllipse {
    /// Reads `CX,CY,RX,RY,ANGLE_DEG` (px and degrees).
    pub fn parse(text: &str) -> Result<Self, String> {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        let numbers: Result<Vec<f32>, _> = parts.iter().map(|p| p.parse::<f32>()).collect();
        match numbers {
            Ok(n) if n.len() == 5 && n.iter().all(|v| v.is_finite()) => {
                let ellipse = HeadEllipse {
                    centre_x: n[0],
                    centre_y: n[1],
                    radius_x: n[2],
                    radius_y: n[3],
                    angle_deg: n[4],
                };
                ellipse.check().map(|()| ellipse).map_err(|e| format!("{e}, not {text:?}"))
            }
            _ => Err(format!(
                "expected the outline as CX,CY,RX,RY,ANGLE_DEG (five numbers, px and degrees), not {text:?}"
            )),
        }
    }

    /// Whether the outline is one a person could mean: finite numbers, half-axes of at least
    /// [`MIN_RADIUS_PX`]. The command line and a saved consultation are held to the same rule.
    pub fn check(&self) -> Result<(), String> {
        let e = self;
        if ![e.centre_x, e.centre_y, e.radius_x, e.radius_y, e.angle_deg].iter().all(|v| v.is_finite()) {
            return Err("the outline's centre, half-axes and angle must be numbers".into());
        }
        if e.radius_x < MIN_RADIUS_PX || e.radius_y < MIN_RADIUS_PX {
            return Err(format!("the outline's half-axes must be at least {MIN_RADIUS_PX} px"));
        }
        Ok(())
    }

    /// The ellipse with the same area and second moments as an outline traced around a
    /// centre: a robust summary of a skull-shaped curve.
    pub fn fit(outline: &HeadOutline) -> Option<Self> {
        let n = outline.radii.len();
        if n < 8 {
            return None;
        }
        let (cx, cy) = (outline.centre.0 as f64, outline.centre.1 as f64);
        let point = |i: usize| {
            let a = std::f64::consts::TAU * i as f64 / n as f64;
            let r = outline.radii[i % n] as f64;
            (cx + r * a.cos(), cy + r * a.sin())
        };
        // Area, centroid and second moments of the polygon, by the shoelace sums.
        let (mut area, mut sx, mut sy, mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        for i in 0..n {
            let (x0, y0) = point(i);
            let (x1, y1) = point(i + 1);
            let cross = x0 * y1 - x1 * y0;
            area += cross;
            sx += (x0 + x1) * cross;
            sy += (y0 + y1) * cross;
            sxx += (x0 * x0 + x0 * x1 + x1 * x1) * cross;
            syy += (y0 * y0 + y0 * y1 + y1 * y1) * cross;
            sxy += (x0 * y1 + 2.0 * x0 * y0 + 2.0 * x1 * y1 + x1 * y0) * cross;
        }
        area *= 0.5;
        if area.abs() < 1.0 {
            return None;
        }
        let (mx, my) = (sx / (6.0 * area), sy / (6.0 * area));
        let cxx = sxx / (12.0 * area) - mx * mx;
        let cyy = syy / (12.0 * area) - my * my;
        let cxy = sxy / (24.0 * area) - mx * my;
        // A filled ellipse with half-axes a, b has variances a²/4 and b²/4 along its axes.
        let mean = 0.5 * (cxx + cyy);
        let spread = (0.25 * (cxx - cyy).powi(2) + cxy * cxy).sqrt();
        let (l1, l2) = (mean + spread, (mean - spread).max(0.0));
        let angle = 0.5 * (2.0 * cxy).atan2(cxx - cyy);
        let mut ellipse = HeadEllipse {
            centre_x: mx as f32,
            centre_y: my as f32,
            radius_x: (2.0 * l1.sqrt()) as f32,
            radius_y: (2.0 * l2.sqrt()) as f32,
            angle_deg: angle.to_degrees() as f32,
        };
        if ellipse.radius_y < MIN_RADIUS_PX {
            return None;
        }
        // A skull is no exact ellipse: the one with its moments cuts across its wider parts.
        // Grow it until it holds most of the outline, so the rim it models lies at the rim.
        let dome = Dome::new(ellipse)?;
        let mut reach: Vec<f64> = (0..n)
            .map(|i| {
                let (x, y) = point(i);
                let (qx, qy) = dome.normalise(x, y);
                qx.hypot(qy)
            })
            .collect();
        reach.sort_by(f64::total_cmp);
        let grow = reach[((n as f64 * HELD_OUTLINE) as usize).min(n - 1)].clamp(1.0, 1.5) as f32;
        ellipse.radius_x *= grow;
        ellipse.radius_y *= grow;
        Some(ellipse)
    }

    /// The point on the outline at `angle` radians along its own axes (0: the end of the first
    /// half-axis, π/2: the end of the second).
    pub fn point_at(&self, angle: f32) -> (f32, f32) {
        let (s, c) = self.angle_deg.to_radians().sin_cos();
        let (u, v) = (self.radius_x * angle.cos(), self.radius_y * angle.sin());
        (self.centre_x + u * c - v * s, self.centre_y + u * s + v * c)
    }

    /// Where its handles are: the centre, then the ends of the first half-axis, the second,
    /// and the opposite ends of both.
    pub fn handles(&self) -> [(f32, f32); 5] {
        use std::f32::consts::{FRAC_PI_2, PI};
        [
            (self.centre_x, self.centre_y),
            self.point_at(0.0),
            self.point_at(FRAC_PI_2),
            self.point_at(PI),
            self.point_at(PI + FRAC_PI_2),
        ]
    }

    /// The outline with handle `index` (see [`HeadEllipse::handles`]) dragged to `to`: the
    /// centre moves the whole outline; an axis end sets that half-axis's length and turns the
    /// outline to point it there.
    pub fn with_handle_at(&self, index: usize, to: (f32, f32)) -> HeadEllipse {
        let mut e = *self;
        if index == 0 {
            e.centre_x = to.0;
            e.centre_y = to.1;
            return e;
        }
        let (dx, dy) = (to.0 - e.centre_x, to.1 - e.centre_y);
        let length = dx.hypot(dy).max(MIN_RADIUS_PX);
        let direction = dy.atan2(dx).to_degrees();
        // Handles 1 and 3 end the first half-axis, 2 and 4 the second; 3 and 4 point back.
        let back = if index >= 3 { 180.0 } else { 0.0 };
        if index % 2 == 1 {
            e.radius_x = length;
            e.angle_deg = direction - back;
        } else {
            e.radius_y = length;
            e.angle_deg = direction - 90.0 - back;
        }
        e.normalised()
    }

    /// The axis-aligned outline inscribed in the box with corners `a` and `b`.
    pub fn in_box(a: (f32, f32), b: (f32, f32)) -> HeadEllipse {
        HeadEllipse {
            centre_x: 0.5 * (a.0 + b.0),
            centre_y: 0.5 * (a.1 + b.1),
            radius_x: (0.5 * (b.0 - a.0).abs()).max(MIN_RADIUS_PX),
            radius_y: (0.5 * (b.1 - a.1).abs()).max(MIN_RADIUS_PX),
            angle_deg: 0.0,
        }
    }

    /// The same outline with its half-axes in order and its angle in (-90°, 90°].
    pub fn normalised(self) -> Self {
        let mut e = self;
        e.radius_x = e.radius_x.abs().max(MIN_RADIUS_PX);
        e.radius_y = e.radius_y.abs().max(MIN_RADIUS_PX);
        let mut a = e.angle_deg.rem_euclid(180.0);
        if a > 90.0 {
            a -= 180.0;
        }
        e.angle_deg = a;
        e
    }
}

/// One sentence on the outline a render follows, for the report and the window.
pub fn describe(choice: OutlineChoice, found: Option<HeadEllipse>) -> String {
    let ellipse = |e: HeadEllipse| {
        format!(
            "centre {:.0},{:.0} px, half-axes {:.0} × {:.0} px at {:.0}°",
            e.centre_x, e.centre_y, e.radius_x, e.radius_y, e.angle_deg
        )
    };
    match (choice, found) {
        (OutlineChoice::Set(e), _) => format!("head outline set by hand ({}): dots follow the curved scalp", ellipse(e)),
        (OutlineChoice::Flat, _) => "head outline off: the scalp is treated as flat".to_owned(),
        (OutlineChoice::Found, Some(e)) => {
            format!("head outline found on the photo ({}): dots follow the curved scalp", ellipse(e))
        }
        (OutlineChoice::Found, None) => {
            "no head outline found on the photo (a close-up, or no clear background): the scalp is treated as flat"
                .to_owned()
        }
    }
}

/// How a small patch of scalp at one point of the photo is seen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Patch {
    /// Cosine of the angle between the surface's normal and the line of sight, 1 facing the
    /// camera, [`MIN_FACING`] at the rim.
    pub facing: f32,
    /// Direction across the rim (the surface normal's direction on the photo), radians from +x
    /// toward +y: lengths along it are shortened by `facing`.
    pub across: f32,
}

impl Patch {
    /// Skin facing the camera.
    pub const FLAT: Patch = Patch { facing: 1.0, across: 0.0 };

    /// Short-to-long axis ratio of a pigment deposit's image here: the skin's foreshortening,
    /// tempered by the deposit's own depth ([`DEPOSIT_DEPTH`]).
    pub fn deposit_aspect(&self) -> f32 {
        let f = self.facing.clamp(MIN_FACING, 1.0);
        (f * f + DEPOSIT_DEPTH * DEPOSIT_DEPTH * (1.0 - f * f)).sqrt()
    }
}

/// The spheroid cap behind an outline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dome {
    pub ellipse: HeadEllipse,
    centre: (f64, f64),
    cos: f64,
    sin: f64,
    radius: (f64, f64),
    depth: f64,
    /// Normalised radius beyond which the foreshortening is held at [`MIN_FACING`].
    rim: f64,
}

impl Dome {
    pub fn new(ellipse: HeadEllipse) -> Option<Dome> {
        let e = ellipse.normalised();
        let raw = [ellipse.centre_x, ellipse.centre_y, ellipse.radius_x, ellipse.radius_y, ellipse.angle_deg];
        let ok = raw.iter().all(|v| v.is_finite());
        if !ok {
            return None;
        }
        let (sin, cos) = (e.angle_deg as f64).to_radians().sin_cos();
        let radius = (e.radius_x as f64, e.radius_y as f64);
        let depth = radius.0.min(radius.1);
        // On the shorter axis, where the model's depth equals the half-axis, facing = √(1−ρ²).
        let rim = (1.0 - (MIN_FACING as f64).powi(2)).sqrt();
        Some(Dome {
            ellipse: e,
            centre: (e.centre_x as f64, e.centre_y as f64),
            cos,
            sin,
            radius,
            depth,
            rim,
        })
    }

    /// The point in the ellipse's own unit-circle coordinates.
    fn normalise(&self, x: f64, y: f64) -> (f64, f64) {
        let (dx, dy) = (x - self.centre.0, y - self.centre.1);
        let u = dx * self.cos + dy * self.sin;
        let v = -dx * self.sin + dy * self.cos;
        (u / self.radius.0, v / self.radius.1)
    }

    fn denormalise(&self, qx: f64, qy: f64) -> (f64, f64) {
        let (u, v) = (qx * self.radius.0, qy * self.radius.1);
        (self.centre.0 + u * self.cos - v * self.sin, self.centre.1 + u * self.sin + v * self.cos)
    }

    /// How the scalp at a photo point is seen.
    pub fn patch(&self, x: f32, y: f32) -> Patch {
        let (mut qx, mut qy) = self.normalise(x as f64, y as f64);
        let rho = qx.hypot(qy);
        if rho > self.rim {
            qx *= self.rim / rho;
            qy *= self.rim / rho;
        }
        // Normal of x²/a² + y²/b² + z²/c² = 1 at (a·qx, b·qy, c·√(1−ρ²)).
        let (nx, ny) = (qx / self.radius.0, qy / self.radius.1);
        let nz = (1.0 - qx * qx - qy * qy).max(0.0).sqrt() / self.depth;
        let facing = (nz / (nx * nx + ny * ny + nz * nz).sqrt()) as f32;
        let across = if nx == 0.0 && ny == 0.0 {
            0.0
        } else {
            // Back from the ellipse's axes to the photo's.
            let (gx, gy) = (nx * self.cos - ny * self.sin, nx * self.sin + ny * self.cos);
            gy.atan2(gx) as f32
        };
        Patch { facing: facing.clamp(MIN_FACING, 1.0), across }
    }

    /// Surface area per unit of photo area at a point (1 where the skin faces the camera).
    pub fn area_factor(&self, x: f32, y: f32) -> f64 {
        1.0 / self.patch(x, y).facing as f64
    }

    /// Unfolds the cap onto a plane, keeping the distance from the top along each meridian
    /// (exact for a sphere): dots are spread evenly there, and [`Dome::keep_share`] thins them
    /// to the surface's own density.
    pub fn unfold(&self, x: f64, y: f64) -> (f64, f64) {
        let (qx, qy) = self.normalise(x, y);
        let rho = qx.hypot(qy);
        if rho < 1e-9 {
            return (x, y);
        }
        let g = self.arc(rho) / rho;
        self.denormalise(qx * g, qy * g)
    }

    /// The inverse of [`Dome::unfold`].
    pub fn fold(&self, x: f64, y: f64) -> (f64, f64) {
        let (sx, sy) = self.normalise(x, y);
        let sigma = sx.hypot(sy);
        if sigma < 1e-9 {
            return (x, y);
        }
        let g = self.arc_inverse(sigma) / sigma;
        self.denormalise(sx * g, sy * g)
    }

    /// Arc from the top along a unit meridian to normalised radius `rho`; straight beyond the
    /// rim so the unfolding stays one-to-one.
    fn arc(&self, rho: f64) -> f64 {
        if rho <= self.rim {
            rho.asin()
        } else {
            self.rim.asin() + (rho - self.rim) / (1.0 - self.rim * self.rim).sqrt()
        }
    }

    fn arc_inverse(&self, sigma: f64) -> f64 {
        let top = self.rim.asin();
        if sigma <= top { sigma.sin() } else { self.rim + (sigma - top) * (1.0 - self.rim * self.rim).sqrt() }
    }

    /// Share of the dots spread evenly on the unfolded plane that the surface keeps at a point:
    /// the unfolding stretches the photo by more than the surface does (by the arc over the
    /// radius), so this is at most 1.
    pub fn keep_share(&self, x: f32, y: f32) -> f32 {
        let (qx, qy) = self.normalise(x as f64, y as f64);
        let rho = qx.hypot(qy);
        if rho < 1e-6 {
            return 1.0;
        }
        let stretch_along = if rho <= self.rim {
            1.0 / (1.0 - rho * rho).sqrt()
        } else {
            1.0 / (1.0 - self.rim * self.rim).sqrt()
        };
        let unfolded = stretch_along * self.arc(rho) / rho;
        let surface = self.area_factor(x, y);
        ((surface / unfolded) as f32).clamp(0.0, 1.0)
    }

    /// Length on the surface of the straight photo segment `a`–`b`, in px of skin facing the
    /// camera: what a ruler laid on the scalp there measures, at the photo's facing scale.
    pub fn surface_length_px(&self, a: (f32, f32), b: (f32, f32)) -> f32 {
        let steps = 64;
        let (dx, dy) = ((b.0 - a.0) / steps as f32, (b.1 - a.1) / steps as f32);
        (0..steps)
            .map(|i| {
                let t = i as f32 + 0.5;
                let p = self.patch(a.0 + dx * t, a.1 + dy * t);
                let (s, c) = p.across.sin_cos();
                let across = dx * c + dy * s;
                let along = -dx * s + dy * c;
                along.hypot(across / p.facing)
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(r: f32) -> Dome {
        Dome::new(HeadEllipse { centre_x: 500.0, centre_y: 400.0, radius_x: r, radius_y: r, angle_deg: 0.0 })
            .unwrap()
    }

    #[test]
    fn a_hemisphere_faces_the_camera_at_the_top_and_turns_away_toward_the_rim() {
        let dome = round(200.0);
        assert!((dome.patch(500.0, 400.0).facing - 1.0).abs() < 1e-6);
        let half = dome.patch(600.0, 400.0);
        assert!((half.facing - 0.75f32.sqrt()).abs() < 1e-4, "{half:?}");
        assert!(half.across.abs() < 1e-4, "across the rim is along +x here: {half:?}");
        let below = dome.patch(500.0, 560.0);
        assert!((below.facing - 0.6).abs() < 1e-4);
        assert!((below.across - std::f32::consts::FRAC_PI_2).abs() < 1e-4);
        assert_eq!(dome.patch(500.0, 900.0).facing, MIN_FACING, "held beyond the rim");
    }

    #[test]
    fn unfolding_and_folding_give_back_the_point() {
        let dome = Dome::new(HeadEllipse {
            centre_x: 300.0,
            centre_y: 350.0,
            radius_x: 260.0,
            radius_y: 310.0,
            angle_deg: 25.0,
        })
        .unwrap();
        for &(x, y) in &[(300.0, 350.0), (410.0, 200.0), (50.0, 300.0), (560.0, 640.0), (900.0, 50.0)] {
            let (u, v) = dome.unfold(x, y);
            let (bx, by) = dome.fold(u, v);
            assert!((bx - x).abs() < 1e-6 && (by - y).abs() < 1e-6, "({x}, {y}) came back as ({bx}, {by})");
        }
    }

    #[test]
    fn the_kept_share_never_exceeds_one_and_is_exact_on_a_sphere() {
        let dome = round(200.0);
        // Numerically: unfolded area of a small square over its surface area is the kept share's
        // inverse.
        for &r in &[20.0f32, 100.0, 150.0, 190.0] {
            let (x, y) = (500.0 + r, 400.0);
            let h = 0.01;
            let (u0, v0) = dome.unfold(x as f64, y as f64);
            let (u1, _) = dome.unfold(x as f64 + h, y as f64);
            let (_, v2) = dome.unfold(x as f64, y as f64 + h);
            let unfolded = (u1 - u0) * (v2 - v0) / (h * h);
            let expected = dome.area_factor(x, y) / unfolded;
            assert!((dome.keep_share(x, y) as f64 - expected).abs() < 1e-3, "at r {r}");
        }
        let oval = Dome::new(HeadEllipse {
            centre_x: 0.0,
            centre_y: 0.0,
            radius_x: 150.0,
            radius_y: 190.0,
            angle_deg: 10.0,
        })
        .unwrap();
        for i in 0..400 {
            let a = i as f32 * 0.7;
            let r = (i % 20) as f32 * 10.0;
            let share = oval.keep_share(r * a.cos(), r * a.sin());
            assert!((0.0..=1.0).contains(&share));
        }
    }

    #[test]
    fn a_meridian_measures_its_arc() {
        let dome = round(200.0);
        let length = dome.surface_length_px((500.0, 400.0), (680.0, 400.0));
        let arc = 200.0 * (0.9f32).asin();
        assert!((length - arc).abs() / arc < 0.01, "{length} against {arc}");
        // Along the rim nothing is shortened.
        let along = dome.surface_length_px((490.0, 210.0), (510.0, 210.0));
        assert!((along - 20.0).abs() < 0.5, "{along}");
    }

    #[test]
    fn the_fitted_ellipse_is_the_outline_it_was_traced_from() {
        let truth = HeadEllipse {
            centre_x: 320.0,
            centre_y: 350.0,
            radius_x: 260.0,
            radius_y: 210.0,
            angle_deg: 30.0,
        };
        let (s, c) = truth.angle_deg.to_radians().sin_cos();
        let centre = (310.0f32, 360.0f32);
        // One radius per direction from a centre off the ellipse's own.
        let radii = (0..256)
            .map(|i| {
                let a = std::f32::consts::TAU * i as f32 / 256.0;
                let (dx, dy) = (a.cos(), a.sin());
                // Solve for t where centre + t·d is on the ellipse.
                let (ox, oy) = (centre.0 - truth.centre_x, centre.1 - truth.centre_y);
                let (ou, ov) = (ox * c + oy * s, -ox * s + oy * c);
                let (du, dv) = (dx * c + dy * s, -dx * s + dy * c);
                let (a2, b2) = (truth.radius_x.powi(2), truth.radius_y.powi(2));
                let qa = du * du / a2 + dv * dv / b2;
                let qb = 2.0 * (ou * du / a2 + ov * dv / b2);
                let qc = ou * ou / a2 + ov * ov / b2 - 1.0;
                (-qb + (qb * qb - 4.0 * qa * qc).sqrt()) / (2.0 * qa)
            })
            .collect();
        let fit = HeadEllipse::fit(&HeadOutline { centre, radii }).unwrap();
        assert!(
            (fit.centre_x - truth.centre_x).abs() < 1.5 && (fit.centre_y - truth.centre_y).abs() < 1.5,
            "{fit:?}"
        );
        assert!(
            (fit.radius_x - truth.radius_x).abs() < 2.0 && (fit.radius_y - truth.radius_y).abs() < 2.0,
            "{fit:?}"
        );
        assert!((fit.angle_deg - truth.angle_deg).abs() < 1.0, "{fit:?}");
    }

    #[test]
    fn dragging_a_handle_moves_the_outline_or_sets_an_axis() {
        let e =
            HeadEllipse { centre_x: 100.0, centre_y: 100.0, radius_x: 50.0, radius_y: 30.0, angle_deg: 0.0 };
        let handles = e.handles();
        assert_eq!(handles[1], (150.0, 100.0));
        assert!((handles[2].0 - 100.0).abs() < 1e-4 && (handles[2].1 - 130.0).abs() < 1e-4);
        let moved = e.with_handle_at(0, (120.0, 90.0));
        assert_eq!((moved.centre_x, moved.centre_y, moved.radius_x), (120.0, 90.0, 50.0));
        // The first axis's end dragged up-right: longer, and turned to point there.
        let turned = e.with_handle_at(1, (160.0, 40.0));
        assert!((turned.radius_x - 60.0f32.hypot(60.0)).abs() < 1e-3);
        assert!((turned.angle_deg + 45.0).abs() < 1e-3, "{turned:?}");
        assert!((turned.handles()[1].0 - 160.0).abs() < 1e-3 && (turned.handles()[1].1 - 40.0).abs() < 1e-3);
        // The second axis's far end dragged straight down: only that half-axis changes.
        let longer = e.with_handle_at(2, (100.0, 150.0));
        assert!((longer.radius_y - 50.0).abs() < 1e-3 && longer.angle_deg.abs() < 1e-3, "{longer:?}");
        let opposite = e.with_handle_at(4, (100.0, 60.0));
        assert!((opposite.radius_y - 40.0).abs() < 1e-3 && opposite.angle_deg.abs() < 1e-3, "{opposite:?}");
        let boxed = HeadEllipse::in_box((10.0, 20.0), (110.0, 220.0));
        assert_eq!(
            (boxed.centre_x, boxed.centre_y, boxed.radius_x, boxed.radius_y),
            (60.0, 120.0, 50.0, 100.0)
        );
    }

    #[test]
    fn an_outline_is_read_from_five_numbers_or_refused_with_a_sentence() {
        let e = HeadEllipse::parse("320, 350,260,210,30").unwrap();
        assert_eq!(e.radius_y, 210.0);
        assert!(HeadEllipse::parse("1,2,3").unwrap_err().contains("CX,CY,RX,RY,ANGLE_DEG"));
        assert!(HeadEllipse::parse("1,2,0,5,0").unwrap_err().contains("at least"));
        assert!(HeadEllipse::parse("1,2,nan,5,0").is_err());
    }
}
