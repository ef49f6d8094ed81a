//! The curved scalp: on a spheroid seen from above, the renderer's dots crowd and flatten toward
//! the rim as the projection of dots spread evenly on the surface does, and the treated area is
//! the surface's, not the photo's.
//!
//! The ground truth here is computed from the spheroid itself (its height over the photo and
//! that height's slope), not from the renderer's model: dots per px² near the rim within ±10 %,
//! each dot's short-to-long axis ratio within ±10 % of a pigment lens projected in 3-D, and the
//! treated area within ±5 % of the surface's.

use image::{Rgb, RgbImage};
use smp_studio::engine::analysis::PhotoAnalysis;
use smp_studio::engine::consultation::Consultation;
use smp_studio::engine::head::{DEPOSIT_DEPTH, HeadEllipse, OutlineChoice};
use smp_studio::engine::mask::{RegionKind, RegionMasks};
use smp_studio::engine::preset::{self, NeedleGrouping, Preset};
use smp_studio::engine::sim::{self, Scene, SimSettings};
use smp_studio::engine::synth::head::{HeadParams, generate_head};
use smp_studio::engine::units::Scale;

/// A spheroid cap: the outline is an ellipse with half-axes `a`, `b` (px) turned by `angle`,
/// and its depth toward the camera is `c` px.
struct Spheroid {
    centre: (f64, f64),
    a: f64,
    b: f64,
    c: f64,
    angle_deg: f64,
}

impl Spheroid {
    fn ellipse(&self) -> HeadEllipse {
        HeadEllipse {
            centre_x: self.centre.0 as f32,
            centre_y: self.centre.1 as f32,
            radius_x: self.a as f32,
            radius_y: self.b as f32,
            angle_deg: self.angle_deg as f32,
        }
    }

    /// The point in the ellipse's own axes.
    fn local(&self, x: f64, y: f64) -> (f64, f64) {
        let (s, c) = self.angle_deg.to_radians().sin_cos();
        let (dx, dy) = (x - self.centre.0, y - self.centre.1);
        (dx * c + dy * s, -dx * s + dy * c)
    }

    /// Height of the surface above the photo's plane at a photo point, px.
    fn height(&self, x: f64, y: f64) -> Option<f64> {
        let (u, v) = self.local(x, y);
        let r = 1.0 - (u / self.a).powi(2) - (v / self.b).powi(2);
        (r > 0.0).then(|| self.c * r.sqrt())
    }

    /// The unit normal at a photo point, from the height's slope.
    fn normal(&self, x: f64, y: f64) -> Option<[f64; 3]> {
        let h = 0.01;
        let zx = (self.height(x + h, y)? - self.height(x - h, y)?) / (2.0 * h);
        let zy = (self.height(x, y + h)? - self.height(x, y - h)?) / (2.0 * h);
        let len = (1.0 + zx * zx + zy * zy).sqrt();
        Some([-zx / len, -zy / len, 1.0 / len])
    }

    /// Surface area over one photo pixel.
    fn area_per_px(&self, x: f64, y: f64) -> Option<f64> {
        self.normal(x, y).map(|n| 1.0 / n[2])
    }

    fn rho(&self, x: f64, y: f64) -> f64 {
        let (u, v) = self.local(x, y);
        ((u / self.a).powi(2) + (v / self.b).powi(2)).sqrt()
    }
}

/// A round-dotted preset: single needles of one size, so each dot's shape is the projection's.
fn plain_preset() -> Preset {
    let mut p = preset::bundled().into_iter().next().unwrap();
    p.needle.grouping = NeedleGrouping::Single;
    p.dots.size_jitter = 0.0;
    p.dots.hairline_dot_diameter_mm = p.dots.dot_diameter_mm;
    p
}

/// Paints everything inside normalised radius `up_to` as a bald spot.
fn dome_masks(w: u32, h: u32, dome: &Spheroid, up_to: f64) -> RegionMasks {
    let mut masks = RegionMasks::new(w, h);
    let bald = masks.get_mut(RegionKind::Bald);
    for y in 0..h {
        for x in 0..w {
            if dome.rho(x as f64 + 0.5, y as f64 + 0.5) < up_to {
                bald.set(x, y, 255);
            }
        }
    }
    masks
}

/// Everything painted inside normalised radius `up_to` of a plain skin photo, rendered on the
/// spheroid with no photo blur.
struct Setup {
    photo: RgbImage,
    masks: RegionMasks,
    preset: Preset,
    settings: SimSettings,
}

impl Setup {
    fn new(scale: Scale, (w, h): (u32, u32), skin: [u8; 3], dome: &Spheroid, up_to: f64) -> Setup {
        Setup {
            photo: RgbImage::from_pixel(w, h, Rgb(skin)),
            masks: dome_masks(w, h, dome, up_to),
            preset: plain_preset(),
            settings: SimSettings {
                scale,
                seed: 11,
                photo_sharpness_mm: Some(0.0),
                head: OutlineChoice::Set(dome.ellipse()),
                ..SimSettings::default()
            },
        }
    }

    fn scene(&self) -> Scene<'_> {
        Scene::new(&self.photo, &self.masks, &self.preset, self.settings)
    }
}

#[test]
fn dots_crowd_toward_the_rim_as_the_surface_projects() {
    let scale = Scale { px_per_mm: 8.0 };
    let (w, h) = (1300u32, 1100u32);
    let dome = Spheroid { centre: (650.0, 550.0), a: 600.0, b: 500.0, c: 500.0, angle_deg: 20.0 };
    let setup = Setup::new(scale, (w, h), [200, 170, 150], &dome, 0.995);
    let dots = sim::plan_dots(&setup.scene());
    let per_px2 = setup.preset.density.target_dots_per_cm2 as f64 / 100.0 / (scale.px_per_mm as f64).powi(2);
    // Bands of normalised radius: the expected count is the density times the surface area
    // over the band's pixels.
    for (from, to) in [(0.0, 0.5), (0.5, 0.75), (0.75, 0.88), (0.88, 0.95)] {
        let mut expected = 0.0;
        let mut pixels = 0.0;
        for y in 0..h {
            for x in 0..w {
                let (px, py) = (x as f64 + 0.5, y as f64 + 0.5);
                let rho = dome.rho(px, py);
                if rho >= from && rho < to {
                    expected += dome.area_per_px(px, py).unwrap() * per_px2;
                    pixels += 1.0;
                }
            }
        }
        let found =
            dots.iter().filter(|d| (from..to).contains(&dome.rho(d.x_px as f64, d.y_px as f64))).count();
        let ratio = found as f64 / expected;
        println!(
            "ρ {from:.2}–{to:.2}: {found} dots against {expected:.0} ({:.3} against {:.3} per 100 px²), ratio {ratio:.3}",
            100.0 * found as f64 / pixels,
            100.0 * expected / pixels
        );
        assert!(
            (ratio - 1.0).abs() <= 0.10,
            "ρ {from}–{to}: {found} dots where the surface holds {expected:.0}"
        );
    }
}

/// Short-to-long axis ratio of a pigment lens (round, `DEPOSIT_DEPTH` as deep as it is wide,
/// lying in the surface) projected along the line of sight, from its 3-D covariance.
fn projected_lens_aspect(normal: [f64; 3]) -> f64 {
    let depth = DEPOSIT_DEPTH as f64;
    // Σ = I − (1 − depth²) n nᵀ: unit spread in the surface, `depth` along the normal.
    let k = 1.0 - depth * depth;
    let sxx = 1.0 - k * normal[0] * normal[0];
    let syy = 1.0 - k * normal[1] * normal[1];
    let sxy = -k * normal[0] * normal[1];
    let mean = 0.5 * (sxx + syy);
    let spread = (0.25 * (sxx - syy).powi(2) + sxy * sxy).sqrt();
    ((mean - spread) / (mean + spread)).sqrt()
}

/// Short-to-long axis ratio of the darkening around `(x, y)` within `radius` px, from its second
/// moments.
fn measured_aspect(photo: &RgbImage, out: &RgbImage, x: f32, y: f32, radius: f32) -> f64 {
    let (mut m, mut mx, mut my) = (0.0, 0.0, 0.0);
    // The light left at each pixel, against the treated skin around the dot (the even shadow
    // between the dots is no part of its shape): the median of the window's outer ring.
    let mut left = Vec::new();
    let r = radius.ceil() as i64;
    for j in -r..=r {
        for i in -r..=r {
            let (px, py) = (x.floor() as i64 + i, y.floor() as i64 + j);
            if px < 0 || py < 0 || px >= out.width() as i64 || py >= out.height() as i64 {
                continue;
            }
            let before = photo.get_pixel(px as u32, py as u32)[1] as f64;
            let after = out.get_pixel(px as u32, py as u32)[1] as f64;
            let ring = (i as f64).hypot(j as f64) >= 0.8 * radius as f64;
            left.push((px as f64 + 0.5, py as f64 + 0.5, after / before.max(1.0), ring));
        }
    }
    let mut around: Vec<f64> = left.iter().filter(|s| s.3).map(|s| s.2).collect();
    around.sort_by(f64::total_cmp);
    let skin = around.get(around.len() / 2).copied().unwrap_or(1.0);
    let samples: Vec<(f64, f64, f64)> =
        left.iter().map(|&(px, py, l, _)| (px, py, (1.0 - l / skin).max(0.0))).collect();
    let peak = samples.iter().map(|s| s.2).fold(0.0, f64::max);
    for &(px, py, d) in &samples {
        // The core only: the faint halo around it is drawn round.
        let d = if d > 0.25 * peak { d } else { 0.0 };
        m += d;
        mx += d * px;
        my += d * py;
    }
    let (cx, cy) = (mx / m, my / m);
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for &(px, py, d) in &samples {
        let d = if d > 0.25 * peak { d } else { 0.0 };
        sxx += d * (px - cx).powi(2);
        syy += d * (py - cy).powi(2);
        sxy += d * (px - cx) * (py - cy);
    }
    let (sxx, syy, sxy) = (sxx / m, syy / m, sxy / m);
    let mean = 0.5 * (sxx + syy);
    let spread = (0.25 * (sxx - syy).powi(2) + sxy * sxy).sqrt();
    ((mean - spread) / (mean + spread)).sqrt()
}

#[test]
fn dots_near_the_rim_flatten_across_it_as_a_projected_lens_does() {
    // Large enough for each dot's shape to show: a dot is 9 px across.
    let scale = Scale { px_per_mm: 30.0 };
    let (w, h) = (900u32, 900u32);
    let dome = Spheroid { centre: (450.0, 450.0), a: 420.0, b: 420.0, c: 420.0, angle_deg: 0.0 };
    let setup = Setup::new(scale, (w, h), [210, 180, 160], &dome, 0.95);
    let render = sim::render(&setup.scene());
    let mut checked = 0;
    let mut worst: f64 = 0.0;
    for dot in &render.dots {
        let rho = dome.rho(dot.x_px as f64, dot.y_px as f64);
        if !(0.55..0.92).contains(&rho) {
            continue;
        }
        // Isolated dots only: a neighbour's light would join the moments.
        let isolated = render.dots.iter().all(|o| {
            std::ptr::eq(o, dot) || (o.x_px - dot.x_px).hypot(o.y_px - dot.y_px) > 2.2 * dot.diameter_px
        });
        if !isolated {
            continue;
        }
        let n = dome.normal(dot.x_px as f64, dot.y_px as f64).unwrap();
        let expected = projected_lens_aspect(n);
        let declared = (dot.minor_px() / dot.major_px()) as f64;
        let measured =
            measured_aspect(&setup.photo, &render.image, dot.x_px, dot.y_px, 0.9 * dot.diameter_px);
        assert!(
            (declared / expected - 1.0).abs() <= 0.10,
            "dot at ρ {rho:.2}: declared aspect {declared:.3} against the projection's {expected:.3}"
        );
        worst = worst.max((measured / expected - 1.0).abs());
        checked += 1;
    }
    println!("{checked} isolated dots near the rim; worst drawn aspect off by {:.1} %", worst * 100.0);
    assert!(checked >= 30, "only {checked} isolated dots near the rim to check");
    assert!(worst <= 0.10, "a drawn dot's aspect is {:.1} % off the projection's", worst * 100.0);
}

#[test]
fn the_treated_area_is_the_surfaces() {
    let scale = Scale { px_per_mm: 4.0 };
    let (w, h) = (800u32, 700u32);
    let dome = Spheroid { centre: (400.0, 350.0), a: 330.0, b: 300.0, c: 300.0, angle_deg: -15.0 };
    for up_to in [0.6, 0.9] {
        let setup = Setup::new(scale, (w, h), [190, 160, 140], &dome, up_to);
        let mut truth_mm2 = 0.0;
        let mut flat_mm2 = 0.0;
        for y in 0..h {
            for x in 0..w {
                let (px, py) = (x as f64 + 0.5, y as f64 + 0.5);
                if dome.rho(px, py) < up_to {
                    // Integrated finer than a pixel: the slope changes across one near the rim.
                    let mut sum = 0.0;
                    for k in 0..16 {
                        let (sx, sy) = ((k % 4) as f64 * 0.25 - 0.375, (k / 4) as f64 * 0.25 - 0.375);
                        sum += dome.area_per_px(px + sx, py + sy).unwrap_or(0.0);
                    }
                    truth_mm2 += sum / 16.0 / 16.0;
                    flat_mm2 += 1.0 / 16.0;
                }
            }
        }
        let scene = setup.scene();
        let stats = sim::stats(&scene, &[]);
        let area = stats.region(RegionKind::Bald).area_cm2 * 100.0;
        println!(
            "up to ρ {up_to}: {area:.0} mm² against the surface's {truth_mm2:.0} (flat photo: {flat_mm2:.0})"
        );
        assert!(
            (area / truth_mm2 - 1.0).abs() <= 0.05,
            "area {area:.0} mm² against the surface's {truth_mm2:.0}"
        );
        let flat = Scene { settings: SimSettings { head: OutlineChoice::Flat, ..scene.settings }, ..scene };
        let flat_area = sim::stats(&flat, &[]).region(RegionKind::Bald).area_cm2 * 100.0;
        assert!((flat_area / flat_mm2 - 1.0).abs() < 0.01, "a flat scalp keeps the photo's area");
    }
}

#[test]
fn the_outline_of_a_generated_head_is_found_and_followed() {
    let params = HeadParams::sample();
    let head = generate_head(&params);
    let scale = Scale { px_per_mm: params.px_per_mm };
    let analysis = PhotoAnalysis::new(&head.photo, scale);
    let found = analysis.head.expect("the head's outline is found on a photo of the whole head");
    let (ra, rb) = (params.head_radii_mm[0] * params.px_per_mm, params.head_radii_mm[1] * params.px_per_mm);
    let (big, small) = (found.radius_x.max(found.radius_y), found.radius_x.min(found.radius_y));
    println!("found {found:?}; the head is {:.0} × {:.0} px", ra, rb);
    assert!((small / ra - 1.0).abs() <= 0.10 && (big / rb - 1.0).abs() <= 0.10, "{found:?}");
    let centre = (params.width_px as f32 * 0.5, params.height_px as f32 * 0.48);
    assert!((found.centre_x - centre.0).hypot(found.centre_y - centre.1) < 0.1 * ra, "{found:?}");

    // The found outline is what a render follows unless told otherwise.
    let mut masks = RegionMasks::new(params.width_px, params.height_px);
    masks.get_mut(RegionKind::Bald).data_mut().copy_from_slice(head.bald.as_raw());
    let preset = plain_preset();
    let settings = SimSettings { scale, seed: 5, ..SimSettings::default() };
    let scene = Scene {
        photo: &head.photo,
        hair: None,
        masks: &masks,
        preset: &preset,
        settings,
        analysis: Some(&analysis),
        compression: None,
    };
    assert_eq!(scene.head_ellipse(), Some(found));
    let curved = sim::plan_dots(&scene);
    assert!(curved.iter().any(|d| d.aspect < 0.9), "dots toward the rim flatten");
    let flat = Scene { settings: SimSettings { head: OutlineChoice::Flat, ..settings }, ..scene };
    assert!(sim::plan_dots(&flat).iter().all(|d| d.aspect == 1.0), "a flat scalp keeps round dots");
}

#[test]
fn measure_follows_the_surface_only_along_an_outline_that_does_not_hang_on_a_guessed_scale() {
    let params = HeadParams::sample();
    let head = generate_head(&params);
    let mut c = Consultation::at_scale(
        "head.png".into(),
        head.photo.clone(),
        plain_preset(),
        Scale { px_per_mm: params.px_per_mm },
    );
    let found = c.analysis.head.expect("the head's outline is found on a photo of the whole head");
    // A line from the dome's middle to near its rim: on the curved scalp it is longer.
    let from = (found.centre_x, found.centre_y);
    let to = (found.centre_x + 0.9 * found.radius_x, found.centre_y);
    let straight = 0.9 * found.radius_x;
    assert!(!c.calibrated);
    let before = c.measured_length_px(from, to);
    assert!((before - straight).abs() < 0.01, "not calibrated yet: {before} px for a {straight} px line");
    c.set_scale(Scale { px_per_mm: params.px_per_mm }, true);
    let after = c.measured_length_px(from, to);
    assert!(after > 1.1 * straight, "calibrated: the ruler follows the dome ({after} px for {straight})");
    // An outline set by hand is in pixels, whatever the scale.
    c.calibrated = false;
    c.settings.head = OutlineChoice::Set(found);
    assert!(c.measured_length_px(from, to) > 1.1 * straight);
}
