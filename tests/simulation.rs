//! The simulation measured on generated scalps whose hairs are known pixel for pixel.

mod support;

use image::RgbImage;
use smp_studio::engine::brush::{Brush, BrushMode};
use smp_studio::engine::hair::{self, HairMap};
use smp_studio::engine::head::OutlineChoice;
use smp_studio::engine::mask::{Mask, RegionKind, RegionMasks};
use smp_studio::engine::preset::{self, HairlineStyle, Preset};
use smp_studio::engine::sim::{self, Dot, Scene, SimSettings, Stage};
use smp_studio::engine::synth::{self, HairLayout, ScalpParams};
use smp_studio::engine::units::Scale;

const PX_PER_MM: f32 = 10.0;
const LIGHT: [u8; 3] = [0xe6, 0xc8, 0xa8];
const DARK: [u8; 3] = [0x82, 0x5c, 0x43];

struct Case {
    photo: RgbImage,
    truth: image::GrayImage,
    hair: HairMap,
    masks: RegionMasks,
    preset: Preset,
}

impl Case {
    fn new(width: u32, height: u32, skin: [u8; 3], layout: HairLayout, preset: Preset) -> Case {
        let params = ScalpParams::sample().with_size(width, height).with_skin(skin).with_layout(layout);
        let scalp = synth::generate(&params);
        let hair = hair::detect(&scalp.photo, Scale { px_per_mm: PX_PER_MM });
        Case {
            photo: scalp.photo,
            truth: scalp.hair_mask,
            hair,
            masks: RegionMasks::new(width, height),
            preset,
        }
    }

    /// A scalp painted bald from edge to edge.
    fn bald(width: u32, height: u32, skin: [u8; 3], layout: HairLayout, preset: Preset) -> Case {
        let mut case = Case::new(width, height, skin, layout, preset);
        case.fill(RegionKind::Bald, 0, 0, width, height);
        case
    }

    /// Fills a rectangle of one region (hard edges), in pixels.
    fn fill(&mut self, kind: RegionKind, x0: u32, y0: u32, x1: u32, y1: u32) {
        let layer: &mut Mask = self.masks.get_mut(kind);
        for y in y0..y1 {
            for x in x0..x1 {
                layer.set(x, y, 255);
            }
        }
    }

    fn render(&self, settings: SimSettings) -> sim::Render {
        sim::render(&Scene {
            photo: &self.photo,
            hair: Some(&self.hair),
            masks: &self.masks,
            preset: &self.preset,
            settings,
            analysis: None,
            compression: None,
        })
    }
}

fn settings() -> SimSettings {
    SimSettings {
        scale: Scale { px_per_mm: PX_PER_MM },
        seed: 7,
        session: 3,
        stage: Stage::Healed { years: 0.0 },
        photo_sharpness_mm: None,
        head: OutlineChoice::Found,
    }
}

fn light_preset() -> Preset {
    preset::resolve("Light skin · soft hairline").unwrap()
}

fn dark_preset() -> Preset {
    preset::resolve("Dark skin · defined hairline").unwrap()
}

fn inside(d: &Dot, x0: f32, y0: f32, x1: f32, y1: f32) -> bool {
    d.x_px >= x0 && d.x_px < x1 && d.y_px >= y0 && d.y_px < y1
}

fn median(mut v: Vec<f32>) -> f32 {
    v.sort_by(f32::total_cmp);
    v[v.len() / 2]
}

#[test]
fn healed_dots_have_the_preset_diameter() {
    for preset in [light_preset(), dark_preset()] {
        let case = Case::bald(600, 400, LIGHT, HairLayout::Bald, preset.clone());
        let result = case.render(settings());
        let measured = median(result.dots.iter().map(|d| d.diameter_px).collect());
        let expected = preset.dots.dot_diameter_mm * PX_PER_MM;
        assert!(
            (measured / expected - 1.0).abs() <= 0.10,
            "{}: median {measured:.2} px, expected {expected:.2} px",
            preset.name
        );
    }
}

#[test]
fn a_bald_region_is_filled_at_the_target_density() {
    for preset in [light_preset(), dark_preset()] {
        let case = Case::bald(900, 700, LIGHT, HairLayout::Bald, preset.clone());
        let result = case.render(settings());
        // Interior: 5 mm in from every edge.
        let (x0, y0, x1, y1) = (50.0, 50.0, 850.0, 650.0);
        let count = result.dots.iter().filter(|d| inside(d, x0, y0, x1, y1)).count() as f32;
        let area_cm2 = (x1 - x0) * (y1 - y0) / (PX_PER_MM * PX_PER_MM) / 100.0;
        let density = count / area_cm2;
        let target = preset.density.target_dots_per_cm2;
        assert!(
            (density / target - 1.0).abs() <= 0.05,
            "{}: {density:.1} dots/cm², target {target}",
            preset.name
        );
    }
}

#[test]
fn dots_are_spread_without_crowding_and_not_in_a_lattice() {
    let preset = light_preset();
    let case = Case::bald(900, 700, LIGHT, HairLayout::Bald, preset.clone());
    let result = case.render(settings());
    let dots: Vec<&Dot> = result.dots.iter().filter(|d| inside(d, 60.0, 60.0, 840.0, 640.0)).collect();
    let nominal_px = PX_PER_MM / (preset.density.target_dots_per_cm2 / 100.0).sqrt();
    let nn: Vec<f32> = dots
        .iter()
        .map(|a| {
            result
                .dots
                .iter()
                .filter(|b| !std::ptr::eq(*a, *b))
                .map(|b| ((a.x_px - b.x_px).powi(2) + (a.y_px - b.y_px).powi(2)).sqrt())
                .fold(f32::INFINITY, f32::min)
        })
        .collect();
    let min = nn.iter().copied().fold(f32::INFINITY, f32::min) / nominal_px;
    let mean = nn.iter().sum::<f32>() / nn.len() as f32;
    let sd = (nn.iter().map(|d| (d - mean).powi(2)).sum::<f32>() / nn.len() as f32).sqrt();
    let cv = sd / mean;
    assert!(min >= 0.6, "closest pair at {min:.2} × the nominal spacing");
    assert!((0.15..=0.35).contains(&cv), "spacing CV {cv:.3}");
}

#[test]
fn dots_go_between_hairs_and_fewer_where_hair_remains() {
    let preset = light_preset();
    let haired = Case::bald(700, 500, LIGHT, HairLayout::Uniform { fu_per_mm2: 0.5 }, preset.clone());
    let with_hair = haired.render(settings());
    let on_hair = with_hair
        .dots
        .iter()
        .filter(|d| haired.truth.get_pixel(d.x_px as u32, d.y_px as u32).0[0] > 0)
        .count();
    let share = on_hair as f32 / with_hair.dots.len() as f32;
    assert!(share < 0.05, "{:.1} % of dot centres sit on hair", share * 100.0);

    let bare = Case::bald(700, 500, LIGHT, HairLayout::Bald, preset);
    let without_hair = bare.render(settings());
    assert!(
        (with_hair.dots.len() as f32) < 0.8 * without_hair.dots.len() as f32,
        "hair should lower the dots needed: {} with hair, {} without",
        with_hair.dots.len(),
        without_hair.dots.len()
    );
}

/// A hairline band from y = 100 (its front, bare skin above) to y = 400, with a bald region
/// behind it, so the band's only front is its top edge.
fn hairline_case(style: HairlineStyle, jitter: bool) -> (Case, Preset) {
    let mut preset = light_preset();
    preset.hairline.style = style;
    if !jitter {
        preset.hairline.edge_jitter_mm = 0.0;
    }
    let mut case = Case::new(800, 500, LIGHT, HairLayout::Bald, preset.clone());
    case.fill(RegionKind::Hairline, 0, 100, 800, 400);
    case.fill(RegionKind::Bald, 0, 400, 800, 500);
    (case, preset)
}

#[test]
fn the_hairline_fades_in_from_its_front() {
    let (case, preset) = hairline_case(HairlineStyle::Soft, false);
    let result = case.render(settings());
    let feather_px = preset.hairline.feather_width_mm * PX_PER_MM;
    let target_per_px2 = preset.density.target_dots_per_cm2 / 100.0 / (PX_PER_MM * PX_PER_MM);
    let band_density = |d0: f32, d1: f32| {
        let n = result.dots.iter().filter(|d| inside(d, 20.0, 100.0 + d0, 780.0, 100.0 + d1)).count() as f32;
        n / ((d1 - d0) * 760.0) / target_per_px2
    };
    let front = band_density(0.0, 0.2 * feather_px);
    let behind = band_density(feather_px, 290.0);
    assert!(front <= 0.30, "front 20 % of the feather at {:.0} % of the target", front * 100.0);
    assert!(behind >= 0.90, "behind the feather at {:.0} % of the target", behind * 100.0);
    let size = |d0: f32, d1: f32| {
        median(
            result
                .dots
                .iter()
                .filter(|d| inside(d, 20.0, 100.0 + d0, 780.0, 100.0 + d1))
                .map(|d| d.diameter_px)
                .collect(),
        )
    };
    assert!(size(0.0, 0.3 * feather_px) < 0.85 * size(feather_px, 290.0), "front dots should be smaller");
}

#[test]
fn sessions_nest_and_build_up_30_70_100() {
    let preset = light_preset();
    let case = Case::bald(800, 600, LIGHT, HairLayout::Bald, preset);
    let runs: Vec<Vec<Dot>> =
        (1..=3).map(|session| case.render(SimSettings { session, ..settings() }).dots).collect();
    let key = |d: &Dot| ((d.x_px * 100.0) as i64, (d.y_px * 100.0) as i64);
    for pair in runs.windows(2) {
        let later: std::collections::HashSet<_> = pair[1].iter().map(key).collect();
        assert!(pair[0].iter().all(|d| later.contains(&key(d))), "an earlier session's dot is missing later");
    }
    let full = runs[2].len() as f32;
    for (i, expected) in [(0, 0.3f32), (1, 0.7)] {
        let share = runs[i].len() as f32 / full;
        assert!(
            (share - expected).abs() <= 0.05,
            "session {}: {:.0} % of the final dots",
            i + 1,
            share * 100.0
        );
    }
    assert!(runs[2].iter().filter(|d| d.session == 1).count() == runs[0].len());
}

/// Mean per-channel absorbance of the rendered dots relative to the photo, over a region.
fn absorbance(photo: &RgbImage, result: &RgbImage) -> [f64; 3] {
    let lin = |v: u8| smp_studio::engine::color::srgb8_to_linear(v).max(1e-4) as f64;
    let mut sum = [0.0; 3];
    for (p, r) in photo.pixels().zip(result.pixels()) {
        for (c, total) in sum.iter_mut().enumerate() {
            *total += -(lin(r.0[c]) / lin(p.0[c])).ln();
        }
    }
    let n = (photo.width() * photo.height()) as f64;
    sum.map(|s| s / n)
}

#[test]
fn years_lighten_and_cool_the_pigment() {
    let case = Case::bald(400, 300, LIGHT, HairLayout::Bald, light_preset());
    let healed = case.render(settings()).image;
    let old = case.render(SimSettings { stage: Stage::Healed { years: 5.0 }, ..settings() }).image;
    let a0 = absorbance(&case.photo, &healed);
    let a5 = absorbance(&case.photo, &old);
    let contrast = |a: [f64; 3]| a.iter().sum::<f64>();
    assert!(contrast(a5) < 0.85 * contrast(a0), "contrast {:.4} → {:.4}", contrast(a0), contrast(a5));
    // Old pigment takes relatively more red than blue: what remains looks cooler.
    let red_over_blue = |a: [f64; 3]| a[0] / a[2];
    assert!(
        red_over_blue(a5) > red_over_blue(a0),
        "red/blue absorbance {:.3} → {:.3}",
        red_over_blue(a0),
        red_over_blue(a5)
    );
}

#[test]
fn fresh_dots_are_larger_and_darker_than_healed_ones() {
    let case = Case::bald(400, 300, LIGHT, HairLayout::Uniform { fu_per_mm2: 0.25 }, light_preset());
    let healed = case.render(settings());
    let fresh = case.render(SimSettings { stage: Stage::Fresh, ..settings() });
    let places = |r: &sim::Render| r.dots.iter().map(|d| (d.x_px, d.y_px)).collect::<Vec<_>>();
    assert_eq!(places(&fresh), places(&healed), "fresh and healed should show the same dots");
    let size = |r: &sim::Render| median(r.dots.iter().map(|d| d.diameter_px).collect());
    assert!(size(&fresh) > 1.2 * size(&healed));
    let a = |r: &sim::Render| absorbance(&case.photo, &r.image);
    assert!(a(&fresh)[1] > 1.2 * a(&healed)[1], "fresh dots should be darker");
}

/// A 400×300 photo of even light skin without hair, for measuring scar tone blending alone:
/// the dots carry no pigment.
fn even_skin_case(tone_blend: f32) -> Case {
    let mut preset = light_preset();
    preset.scar.tone_blend = tone_blend;
    preset.dots.darkness = 0.0;
    let (width, height) = (400, 300);
    Case {
        photo: RgbImage::from_pixel(width, height, image::Rgb(LIGHT)),
        truth: image::GrayImage::new(width, height),
        hair: HairMap::empty(width, height, Some(Scale { px_per_mm: PX_PER_MM })),
        masks: RegionMasks::new(width, height),
        preset,
    }
}

/// FUE extraction leaves small round scars paler than the skin; tone blending should bring
/// them toward the skin around them and leave that skin as it is.
#[test]
fn pale_fue_scars_are_blended_toward_the_skin_around_them() {
    // Even skin, so that the ring around the scar matches the skin between the scars.
    let mut case = even_skin_case(0.6);
    let centres: Vec<(f32, f32)> = (0..4)
        .flat_map(|i| (0..3).map(move |j| (125.0 + 50.0 * i as f32, 100.0 + 50.0 * j as f32)))
        .collect();
    // 1 mm across at 10 px/mm.
    let on_scar = |x: u32, y: u32| {
        centres.iter().any(|&(cx, cy)| (x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2) <= 25.0)
    };
    for (x, y, p) in case.photo.enumerate_pixels_mut() {
        if on_scar(x, y) {
            p.0 = std::array::from_fn(|c| (p.0[c] as f32 + 0.6 * (250.0 - p.0[c] as f32)) as u8);
        }
    }
    case.fill(RegionKind::Scar, 80, 60, 330, 250);
    let result = case.render(settings()).image;
    let luminance = |p: &image::Rgb<u8>| {
        let lin = smp_studio::engine::color::srgb8_to_linear;
        0.2126 * lin(p.0[0]) + 0.7152 * lin(p.0[1]) + 0.0722 * lin(p.0[2])
    };
    // Mean luminance on the scars and on the skin between them, inside the scar layer.
    let means = |image: &RgbImage| {
        let (mut scar, mut skin) = ((0.0f64, 0usize), (0.0f64, 0usize));
        for y in 70..240 {
            for x in 90..320 {
                let target = if on_scar(x, y) { &mut scar } else { &mut skin };
                target.0 += luminance(image.get_pixel(x, y)) as f64;
                target.1 += 1;
            }
        }
        (scar.0 / scar.1 as f64, skin.0 / skin.1 as f64)
    };
    let (scar_before, skin_before) = means(&case.photo);
    let (scar_after, skin_after) = means(&result);
    let contrast_before = scar_before / skin_before - 1.0;
    let contrast_after = scar_after / skin_after - 1.0;
    assert!(
        (-0.05..0.6 * contrast_before).contains(&contrast_after),
        "scars {:.0} % brighter than the skin before, {:.0} % after",
        contrast_before * 100.0,
        contrast_after * 100.0
    );
    assert!((skin_after / skin_before - 1.0).abs() < 0.03, "skin {skin_before:.4} → {skin_after:.4}");
}

/// A pale strip scar painted tightly, blended fully: it should reach the skin around it and
/// not overshoot into a dark band.
#[test]
fn a_pale_strip_scar_is_matched_to_the_skin_without_turning_dark() {
    let mut case = even_skin_case(1.0);
    // 6 mm wide, like a healed FUT strip.
    let (y0, y1) = (120, 180);
    for (x, y, p) in case.photo.enumerate_pixels_mut() {
        if (y0..y1).contains(&y) && (40..360).contains(&x) {
            p.0 = std::array::from_fn(|c| (p.0[c] as f32 + 0.8 * (250.0 - p.0[c] as f32)) as u8);
        }
    }
    case.fill(RegionKind::Scar, 40, y0, 360, y1);
    let result = case.render(settings()).image;
    let mean = |image: &RgbImage, ys: std::ops::Range<u32>| {
        let lin = smp_studio::engine::color::srgb8_to_linear;
        let n = ys.len() as f64 * 280.0;
        ys.flat_map(|y| (60..340).map(move |x| (x, y)))
            .map(|(x, y)| lin(image.get_pixel(x, y).0[1]) as f64)
            .sum::<f64>()
            / n
    };
    let skin = mean(&case.photo, 60..110);
    let before = mean(&case.photo, y0..y1) / skin - 1.0;
    let after = mean(&result, y0..y1) / skin - 1.0;
    assert!(
        after < 0.3 * before,
        "strip {:.0} % brighter than the skin before, {:.0} % after",
        before * 100.0,
        after * 100.0
    );
    // Row by row, so that a dark seam along either edge shows.
    let darkest = (y0..y1).map(|y| mean(&result, y..y + 1) / skin - 1.0).fold(f64::INFINITY, f64::min);
    assert!(darkest > -0.05, "a row of the strip ends {:.0} % darker than the skin", -darkest * 100.0);
}

#[test]
fn looks_match_their_references() {
    for (name, style) in [
        ("hairline-soft", HairlineStyle::Soft),
        ("hairline-broken", HairlineStyle::Broken),
        ("hairline-defined", HairlineStyle::Defined),
    ] {
        let (case, _) = hairline_case(style, true);
        let image = case.render(settings()).image;
        let crop = image::imageops::crop_imm(&image, 200, 40, 400, 260).to_image();
        support::assert_matches_reference(name, &crop);
    }
    for (name, skin, preset) in [("bald-light", LIGHT, light_preset()), ("bald-dark", DARK, dark_preset())] {
        let case = Case::bald(400, 300, skin, HairLayout::Uniform { fu_per_mm2: 0.25 }, preset);
        support::assert_matches_reference(name, &case.render(settings()).image);
    }
    let mut case = Case::new(400, 300, LIGHT, HairLayout::Bald, light_preset());
    let brush = Brush { radius_px: 30.0, hardness: 0.7, mode: BrushMode::Paint };
    smp_studio::engine::brush::stroke(
        &brush,
        case.masks.get_mut(RegionKind::Scar),
        &[(60.0, 150.0), (340.0, 140.0)],
    );
    support::assert_matches_reference("scar-light", &case.render(settings()).image);
}

/// Healed pigment seen through the skin takes on the skin's warmth: on every bundled preset's
/// own skin, a healed result up to two years on has dark specks that sit warm or neutral
/// against the skin around them (clinic photos: Δa*, Δb* +0.2…+0.7), never grey-green. A neutral
/// absorber gave Δa* −2.4, Δb* −3.4 on dark skin here.
#[test]
fn healed_specks_sit_warm_against_the_skin_on_every_preset() {
    use smp_studio::engine::analysis::PhotoAnalysis;
    use smp_studio::engine::color::Srgb;
    use smp_studio::engine::color::srgb_to_lab;
    let (w, h) = (240u32, 180u32);
    let scale = Scale { px_per_mm: 6.0 };
    let mut masks = RegionMasks::new(w, h);
    masks
        .set(RegionKind::Bald, Mask::from_gray(image::GrayImage::from_pixel(w, h, image::Luma([255]))))
        .unwrap();
    let (mut report, mut failures) = (Vec::new(), Vec::new());
    for preset in preset::bundled() {
        let skin = preset.skin.srgb;
        let photo = RgbImage::from_pixel(w, h, image::Rgb(skin.0));
        let analysis = PhotoAnalysis::new(&photo, scale);
        for years in [0.0, 2.0] {
            let settings = SimSettings {
                scale,
                seed: 7,
                session: preset.session_count(),
                stage: Stage::Healed { years },
                head: OutlineChoice::Flat,
                ..SimSettings::default()
            };
            let scene = Scene {
                photo: &photo,
                hair: None,
                masks: &masks,
                preset: &preset,
                settings,
                analysis: Some(&analysis),
                compression: None,
            };
            let out = sim::render(&scene).image;
            // The specks: the darkest tenth of the treated pixels, against the skin.
            let mut labs: Vec<(f32, f32, f32)> = out.pixels().map(|p| srgb_to_lab(Srgb(p.0))).collect();
            labs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mean = |part: &[(f32, f32, f32)]| {
                let n = part.len() as f32;
                let s = part.iter().fold((0.0, 0.0, 0.0), |s, v| (s.0 + v.0, s.1 + v.1, s.2 + v.2));
                (s.0 / n, s.1 / n, s.2 / n)
            };
            // Against the skin around them: the lighter half of the treated skin.
            let (l, a, b) = mean(&labs[..labs.len() / 10]);
            let (l0, a0, b0) = mean(&labs[labs.len() / 2..]);
            let (dl, da, db) = (l - l0, a - a0, b - b0);
            report.push(format!("{} at {years} years: ΔL* {dl:.1} Δa* {da:+.2} Δb* {db:+.2}", preset.name));
            if dl >= -5.0 {
                failures.push(format!("{} at {years} years: the specks are barely darker", preset.name));
            }
            // Never the grey-green a neutral absorber gives (−2.4, −3.4 on dark skin).
            if da < -1.0 || db < -1.5 {
                failures.push(format!("{} at {years} years: cool specks", preset.name));
            }
            if da > 2.5 || db > 2.5 {
                failures.push(format!("{} at {years} years: coloured specks", preset.name));
            }
        }
    }
    println!("{report:#?}");
    assert!(failures.is_empty(), "{failures:#?} in {report:#?}");
}

/// A healed 6 mm FUT strip, paler than the skin, under a scar region painted 2 mm wider than it
/// each side, with the donor area around it treated as a bald region: at arm's length (the mean
/// over the band, which is what a fit-to-window view averages) the strip is camouflaged, within
/// 5 % of the treated skin beside it, with no dark rim along its edges.
#[test]
fn a_strip_scar_under_a_scar_region_disappears_into_the_treated_skin() {
    let preset = preset::resolve("FUT strip scar camouflage").unwrap();
    let mut case = Case::new(600, 400, LIGHT, HairLayout::Bald, preset);
    // Evenly lit skin with a fine grain, so that rows compare with rows.
    case.photo = RgbImage::from_fn(600, 400, |x, y| {
        let grain = ((x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)) % 7) as i16 - 3;
        image::Rgb(LIGHT.map(|v| (v as i16 + grain) as u8))
    });
    let (y0, y1) = (170u32, 230u32);
    for (_, y, p) in case.photo.enumerate_pixels_mut() {
        if (y0..y1).contains(&y) {
            p.0 = std::array::from_fn(|c| (p.0[c] as f32 + 0.45 * (250.0 - p.0[c] as f32)) as u8);
        }
    }
    case.fill(RegionKind::Bald, 0, 0, 600, 400);
    case.fill(RegionKind::Scar, 0, y0 - 20, 600, y1 + 20);
    let result = case.render(settings()).image;
    if let Ok(dir) = std::env::var("SMP_SHOTS") {
        result.save(format!("{dir}/fut.png")).unwrap();
    }
    let mean = |image: &RgbImage, ys: std::ops::Range<u32>| {
        let lin = smp_studio::engine::color::srgb8_to_linear;
        let luminance = |p: [u8; 3]| 0.2126 * lin(p[0]) + 0.7152 * lin(p[1]) + 0.0722 * lin(p[2]);
        let n = ys.len() as f64 * 500.0;
        ys.flat_map(|y| (50..550).map(move |x| (x, y)))
            .map(|(x, y)| luminance(image.get_pixel(x, y).0) as f64)
            .sum::<f64>()
            / n
    };
    // Beside the scar, above and below, so the head's shading evens out.
    let beside = |image: &RgbImage| (mean(image, 60..120) + mean(image, 280..340)) / 2.0;
    let band = |image: &RgbImage| mean(image, y0..y1);
    let before = band(&case.photo) / beside(&case.photo) - 1.0;
    let after = band(&result) / beside(&result) - 1.0;
    eprintln!(
        "strip {:+.1} % before, {:+.1} % after; treated skin {:.3} of the photo's",
        before * 100.0,
        after * 100.0,
        beside(&result) / beside(&case.photo)
    );
    for (name, ys) in [("upper margin", y0 - 20..y0), ("lower margin", y1..y1 + 20)] {
        eprintln!("{name} {:+.1} %", (mean(&result, ys) / beside(&result) - 1.0) * 100.0);
    }
    let rows: Vec<f64> = (y0 - 30..y1 + 30)
        .step_by(5)
        .map(|y| (mean(&result, y..y + 5) / beside(&result) - 1.0) * 100.0)
        .collect();
    eprintln!("{rows:.1?}");
    assert!(before > 0.15, "the generated strip is {:.0} % paler", before * 100.0);
    assert!(after.abs() <= 0.05, "the strip is {:+.1} % against the treated skin beside it", after * 100.0);
    // Row by row at a fit view's resolution (1 mm), so a dark rim or a pale seam shows.
    for y in (y0 - 30..y1 + 30).step_by(10) {
        let row = mean(&result, y..y + 10) / beside(&result) - 1.0;
        assert!(
            row.abs() <= 0.06,
            "the millimetre from row {y} is {:+.1} % against the treated skin",
            row * 100.0
        );
    }
}
