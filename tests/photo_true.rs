//! The simulation must look as if the patient's own camera photographed it: it commutes with the
//! camera, puts pigment only into skin, and leaves no outline where a region meets native hair.

use image::RgbImage;
use smp_studio::engine::analysis::PhotoAnalysis;
use smp_studio::engine::color::srgb8_to_linear;
use smp_studio::engine::hair;
use smp_studio::engine::mask::{RegionKind, RegionMasks};
use smp_studio::engine::preset::{self, Preset};
use smp_studio::engine::sim::{self, Scene, SimSettings};
use smp_studio::engine::synth::camera::{Camera, Highlight};
use smp_studio::engine::synth::{self, HairLayout, HeadParams, ScalpParams, generate_head};
use smp_studio::engine::units::Scale;

const LIGHT: [u8; 3] = [0xe6, 0xc8, 0xa8];
const DARK: [u8; 3] = [0x82, 0x5c, 0x43];

fn light_preset() -> Preset {
    preset::resolve("Light skin · soft hairline").unwrap()
}

fn dark_preset() -> Preset {
    preset::resolve("Dark skin · defined hairline").unwrap()
}

/// Linear luminance per pixel.
fn luminance(image: &RgbImage) -> Vec<f32> {
    image
        .pixels()
        .map(|p| {
            let [r, g, b] = p.0.map(srgb8_to_linear);
            0.2126 * r + 0.7152 * g + 0.0722 * b
        })
        .collect()
}

/// Separable Gaussian blur of a grey image, clamping at the borders.
fn blur(values: &[f32], w: usize, h: usize, sigma: f32) -> Vec<f32> {
    let r = (3.0 * sigma).ceil() as isize;
    let kernel: Vec<f32> = (-r..=r).map(|d| (-0.5 * (d as f32 / sigma).powi(2)).exp()).collect();
    let total: f32 = kernel.iter().sum();
    let pass = |src: &[f32], horizontal: bool| {
        let mut out = vec![0.0f32; src.len()];
        for y in 0..h {
            for x in 0..w {
                let mut sum = 0.0;
                for (i, k) in kernel.iter().enumerate() {
                    let d = i as isize - r;
                    let (xx, yy) = if horizontal {
                        ((x as isize + d).clamp(0, w as isize - 1) as usize, y)
                    } else {
                        (x, (y as isize + d).clamp(0, h as isize - 1) as usize)
                    };
                    sum += k * src[yy * w + xx];
                }
                out[y * w + x] = sum / total;
            }
        }
        out
    };
    pass(&pass(values, true), false)
}

/// A bald region painted as a hard-edged disc, in mm on the scalp.
fn disc(w: u32, h: u32, px_per_mm: f32, centre_mm: [f32; 2], radius_mm: f32) -> RegionMasks {
    let mut masks = RegionMasks::new(w, h);
    let layer = masks.get_mut(RegionKind::Bald);
    for y in 0..h {
        for x in 0..w {
            let (x_mm, y_mm) = ((x as f32 + 0.5) / px_per_mm, (y as f32 + 0.5) / px_per_mm);
            if (x_mm - centre_mm[0]).hypot(y_mm - centre_mm[1]) < radius_mm {
                layer.set(x, y, 255);
            }
        }
    }
    masks
}

/// The render the CLI and the window give: the photo analysed, its hair found, nothing told
/// about the camera.
fn simulate(photo: &RgbImage, px_per_mm: f32, masks: &RegionMasks, preset: &Preset) -> sim::Render {
    let scale = Scale { px_per_mm };
    let analysis = PhotoAnalysis::new(photo, scale);
    let hair = hair::detect(photo, scale);
    eprintln!(
        "  sharpness {:.3} mm at {px_per_mm} px/mm from {} ({:?})",
        analysis.sharpness_mm().unwrap_or(f32::NAN),
        analysis.psf.measured(),
        analysis.psf.range_px()
    );
    let settings = SimSettings { scale, seed: 3, ..SimSettings::default() };
    sim::render(&Scene {
        photo,
        hair: Some(&hair),
        masks,
        preset,
        settings,
        analysis: Some(&analysis),
        compression: None,
    })
}

/// What one camera shows of a treatment: the mean darkening inside the treated disc, the dot
/// texture (band-pass detail of the treatment) and the darkening under the highlight.
#[derive(Debug)]
struct Look {
    darkening: f64,
    texture: f64,
    highlight: f64,
}

const CENTRE_MM: [f32; 2] = [30.0, 30.0];
const HIGHLIGHT_MM: [f32; 2] = [33.0, 27.0];
const HIGHLIGHT_RADIUS_MM: f32 = 4.0;

fn look(base: &RgbImage, treated: &RgbImage, px_per_mm: f32) -> Look {
    let (w, h) = (base.width() as usize, base.height() as usize);
    let (lb, lt) = (luminance(base), luminance(treated));
    let at_mm = |i: usize| ((i % w) as f32 + 0.5) / px_per_mm;
    let row_mm = |i: usize| ((i / w) as f32 + 0.5) / px_per_mm;
    let in_disc = |i: usize| (at_mm(i) - CENTRE_MM[0]).hypot(row_mm(i) - CENTRE_MM[1]) < 8.0;
    let in_highlight =
        |i: usize| (at_mm(i) - HIGHLIGHT_MM[0]).hypot(row_mm(i) - HIGHLIGHT_MM[1]) < HIGHLIGHT_RADIUS_MM;
    let darkening = |select: &dyn Fn(usize) -> bool| {
        let (mut after, mut before) = (0.0f64, 0.0f64);
        for i in 0..lb.len() {
            if select(i) {
                after += lt[i] as f64;
                before += lb[i] as f64;
            }
        }
        1.0 - after / before
    };
    let plain = |i: usize| in_disc(i) && !in_highlight(i);
    // The treatment's texture at the scale of the dots' spacing.
    let change: Vec<f32> = lt.iter().zip(&lb).map(|(t, b)| t - b).collect();
    let fine = blur(&change, w, h, 0.15 * px_per_mm);
    let coarse = blur(&change, w, h, 0.6 * px_per_mm);
    let rms = |v: &dyn Fn(usize) -> f32| {
        let (mut sum, mut n) = (0.0f64, 0.0f64);
        for i in 0..lb.len() {
            if plain(i) {
                sum += (v(i) as f64).powi(2);
                n += 1.0;
            }
        }
        (sum / n).sqrt()
    };
    Look {
        darkening: darkening(&plain),
        texture: rms(&|i| fine[i] - coarse[i]),
        highlight: darkening(&in_highlight),
    }
}

/// A sharp scalp at 20 px/mm, treated, then photographed by a camera, must match the
/// simulation on the same camera's photo of the untreated scalp: the renderer, told nothing
/// about the camera, estimates its blur, sees its highlight and keeps its grain.
#[test]
fn simulating_then_photographing_matches_photographing_then_simulating() {
    const SHARP_PX_PER_MM: f32 = 20.0;
    // Blur (mm), scale (px/mm), JPEG quality, shot noise: a soft whole-head photo, a phone at
    // arm's length, a sharp close-up, a blurred one in poor light.
    let cameras =
        [(0.12, 3.5, 85, 0.0005), (0.08, 5.0, 90, 0.0003), (0.05, 8.0, 92, 0.0002), (0.2, 4.0, 80, 0.001)];
    let mut failures = Vec::new();
    for (skin, preset) in [(LIGHT, light_preset()), (DARK, dark_preset())] {
        let layout = HairLayout::Patch { centre_mm: CENTRE_MM, radius_mm: 13.0, fu_per_mm2: 0.8 };
        let params = ScalpParams { px_per_mm: SHARP_PX_PER_MM, ..ScalpParams::sample() }
            .with_size(1200, 1200)
            .with_skin(skin)
            .with_layout(layout);
        let sharp = synth::generate(&params).photo;
        let treated =
            simulate(&sharp, SHARP_PX_PER_MM, &disc(1200, 1200, SHARP_PX_PER_MM, CENTRE_MM, 11.0), &preset);
        for (blur_mm, px_per_mm, quality, shot_noise) in cameras {
            let camera = Camera {
                blur_mm,
                px_per_mm,
                highlight: Some(Highlight {
                    centre_mm: HIGHLIGHT_MM,
                    radius_mm: HIGHLIGHT_RADIUS_MM,
                    peak: 0.3,
                    light_rgb: [1.0, 1.0, 1.0],
                }),
                read_noise: 0.003,
                shot_noise,
                jpeg_quality: Some(quality),
                seed: 11,
            };
            let photo = camera.photograph(&sharp, SHARP_PX_PER_MM);
            let truth = look(&photo, &camera.photograph(&treated.image, SHARP_PX_PER_MM), px_per_mm);
            let (w, h) = photo.dimensions();
            let ours = simulate(&photo, px_per_mm, &disc(w, h, px_per_mm, CENTRE_MM, 11.0), &preset);
            let ours = look(&photo, &ours.image, px_per_mm);
            let case = format!("{}, camera blur {blur_mm} mm at {px_per_mm} px/mm", preset.name);
            let ratio = |a: f64, b: f64| a / b - 1.0;
            let checks = [
                ("mean darkening", ratio(ours.darkening, truth.darkening), 0.15),
                ("dot texture", ratio(ours.texture, truth.texture), 0.25),
                ("darkening under the highlight", ratio(ours.highlight, truth.highlight), 0.25),
            ];
            for (what, off, limit) in checks {
                let line =
                    format!("{case}: {what} off by {:+.0} % (limit ±{:.0} %)", off * 100.0, limit * 100.0);
                eprintln!("{line}");
                if off.abs() > limit {
                    failures.push(line);
                }
            }
        }
    }
    assert!(failures.is_empty(), "the simulation does not commute with the camera:\n{}", failures.join("\n"));
}

/// The treated area keeps the photo's own noise and compression texture: two exposures of the
/// same scalp differ by their noise alone, and after treatment they must differ as much as two
/// exposures of the treated scalp do (a treatment that smoothed the photo, or drew clean dots
/// over it, would differ less).
#[test]
fn the_treated_area_keeps_the_photos_grain() {
    const SHARP_PX_PER_MM: f32 = 20.0;
    let preset = light_preset();
    let params = ScalpParams { px_per_mm: SHARP_PX_PER_MM, ..ScalpParams::sample() }
        .with_size(600, 600)
        .with_skin(LIGHT)
        .with_layout(HairLayout::Bald);
    let sharp = synth::generate(&params).photo;
    let centre = [15.0, 15.0];
    let treated = simulate(&sharp, SHARP_PX_PER_MM, &disc(600, 600, SHARP_PX_PER_MM, centre, 12.0), &preset);
    let px_per_mm = 4.0;
    let camera = |seed| Camera {
        blur_mm: 0.12,
        px_per_mm,
        highlight: None,
        read_noise: 0.004,
        shot_noise: 0.002,
        jpeg_quality: Some(85),
        seed,
    };
    let (a, b) = (camera(21), camera(22));
    let (photo_a, photo_b) = (a.photograph(&sharp, SHARP_PX_PER_MM), b.photograph(&sharp, SHARP_PX_PER_MM));
    let (truth_a, truth_b) =
        (a.photograph(&treated.image, SHARP_PX_PER_MM), b.photograph(&treated.image, SHARP_PX_PER_MM));
    let (w, h) = photo_a.dimensions();
    let masks = disc(w, h, px_per_mm, centre, 12.0);
    // The same blur for both exposures, so only their noise differs.
    let render = |photo: &RgbImage| {
        let scale = Scale { px_per_mm };
        let analysis = PhotoAnalysis::new(photo, scale);
        let settings =
            SimSettings { scale, seed: 3, photo_sharpness_mm: Some(0.12), ..SimSettings::default() };
        sim::render(&Scene {
            photo,
            hair: None,
            masks: &masks,
            preset: &preset,
            settings,
            analysis: Some(&analysis),
            compression: None,
        })
        .image
    };
    let (ours_a, ours_b) = (render(&photo_a), render(&photo_b));
    let distance = |x: u32, y: u32| {
        ((x as f32 + 0.5) / px_per_mm - centre[0]).hypot((y as f32 + 0.5) / px_per_mm - centre[1])
    };
    // Spread of the difference of two exposures where `select` allows, in sRGB levels of green.
    let noise = |p: &RgbImage, q: &RgbImage, select: &dyn Fn(u32, u32) -> bool| {
        let d: Vec<f64> = p
            .enumerate_pixels()
            .filter(|&(x, y, _)| select(x, y))
            .map(|(x, y, v)| v.0[1] as f64 - q.get_pixel(x, y).0[1] as f64)
            .collect();
        let mean = d.iter().sum::<f64>() / d.len() as f64;
        (d.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / d.len() as f64).sqrt()
    };
    let treated = |x: u32, y: u32| distance(x, y) < 10.0;
    let around = |x: u32, y: u32| distance(x, y) > 13.0;
    let untreated = noise(&ours_a, &ours_b, &around);
    let (ours, truth) = (noise(&ours_a, &ours_b, &treated), noise(&truth_a, &truth_b, &treated));
    assert!(untreated > 2.0, "the camera should be noisy: {untreated:.2} levels");
    assert!(
        (ours / untreated - 1.0).abs() <= 0.1,
        "the treated patch has grain {ours:.2} levels, its untreated surroundings {untreated:.2}"
    );
    assert!(
        (ours / truth - 1.0).abs() <= 0.15,
        "treated grain {ours:.2} levels, photographed after treatment {truth:.2}"
    );
}

/// A bald stroke spilling over the head's outline onto the wall, the ears and the shirt puts
/// no dot off the scalp, on a wall of another colour and on one the colour of skin.
#[test]
fn dots_go_only_onto_skin_however_far_the_stroke_spills() {
    let px_per_mm = 3.5;
    for wall in [[0xb8, 0xc0, 0xa8], [0xd8, 0xbb, 0xa0]] {
        let head = generate_head(&HeadParams { wall_srgb: wall, ..HeadParams::sample() });
        let camera = Camera {
            blur_mm: 0.1,
            px_per_mm,
            highlight: None,
            read_noise: 0.004,
            shot_noise: 0.0004,
            jpeg_quality: Some(88),
            seed: 5,
        };
        let photo = camera.photograph(&head.photo, px_per_mm);
        let (w, h) = photo.dimensions();
        // A generous stroke: an ellipse well past the head on every side.
        let mut masks = RegionMasks::new(w, h);
        let layer = masks.get_mut(RegionKind::Bald);
        for y in 0..h {
            for x in 0..w {
                let (dx, dy) = (x as f32 - 0.5 * w as f32, y as f32 - 0.49 * h as f32);
                if (dx / 300.0).powi(2) + (dy / 340.0).powi(2) < 1.0 {
                    layer.set(x, y, 255);
                }
            }
        }
        let result = simulate(&photo, px_per_mm, &masks, &light_preset());
        let on = |truth: &image::GrayImage| {
            result.dots.iter().filter(|d| truth.get_pixel(d.x_px as u32, d.y_px as u32).0[0] > 0).count()
        };
        let (bald, ears, background) = (on(&head.bald), on(&head.ears), on(&head.background));
        assert_eq!(background, 0, "wall {wall:?}: {background} dots on the wall or the shirt");
        assert_eq!(ears, 0, "wall {wall:?}: {ears} dots on the ears");
        // The bald top is treated in full: the outline is not drawn inside the head.
        let bald_mm2 = head.bald.pixels().filter(|p| p.0[0] > 0).count() as f32 / (px_per_mm * px_per_mm);
        let expected = bald_mm2 * light_preset().density.target_dots_per_cm2 / 100.0;
        assert!(
            bald as f32 > 0.9 * expected,
            "wall {wall:?}: {bald} dots on the bald top, {expected:.0} expected"
        );
    }
}

/// On a bald patch ringed by stubble, painted with a hard lasso, the look across the lasso's
/// edge (native hair and dots together) has no step and no bare ring larger than the stubble's
/// own variation from place to place.
#[test]
fn a_region_blends_into_the_native_hair_at_its_edge() {
    let px_per_mm = 8.0;
    let centre = [30.0, 30.0];
    let base = ScalpParams { px_per_mm, ..ScalpParams::sample() }.with_size(480, 480).with_skin(LIGHT);
    let bare = luminance(&synth::generate(&base.clone().with_layout(HairLayout::Bald)).photo);
    let preset = light_preset();
    // Dense stubble, darker than the treatment, and sparse stubble, lighter than it; it thins
    // out over 15–17 mm from the centre. Clinicians lasso the patch with its thinning rim: a
    // lasso halfway across the rim, at its outer edge, and well into the stubble.
    let cases = [0.8f32, 0.2].into_iter().flat_map(|fu| [16.0f32, 17.0, 19.0].map(move |lasso| (fu, lasso)));
    for (fu_per_mm2, lasso_mm) in cases {
        let stubble = HairLayout::Patch { centre_mm: centre, radius_mm: 15.0, fu_per_mm2 };
        let photo = synth::generate(&base.clone().with_layout(stubble)).photo;
        let result = simulate(&photo, px_per_mm, &disc(480, 480, px_per_mm, centre, lasso_mm), &preset);
        let after = luminance(&result.image);
        let native = luminance(&photo);
        // Darkening against bare skin in 0.5 mm rings across the edge, and in 16 sectors each.
        const SECTORS: usize = 16;
        let bins = 32;
        let mut sums = vec![[(0.0f64, 0.0f64, 0.0f64); SECTORS]; bins];
        for (i, (&a, (&n, &b))) in after.iter().zip(native.iter().zip(&bare)).enumerate() {
            let (x, y) = ((i % 480) as f32 + 0.5, (i / 480) as f32 + 0.5);
            let (dx, dy) = (x / px_per_mm - centre[0], y / px_per_mm - centre[1]);
            let bin = ((dx.hypot(dy) - lasso_mm + 8.0) / 0.5).floor();
            if !(0.0..bins as f32).contains(&bin) {
                continue;
            }
            let sector =
                ((dy.atan2(dx) + std::f32::consts::PI) / std::f32::consts::TAU * SECTORS as f32) as usize;
            let s = &mut sums[bin as usize][sector.min(SECTORS - 1)];
            s.0 += a as f64;
            s.1 += n as f64;
            s.2 += b as f64;
        }
        let profile = |pick: fn(&(f64, f64, f64)) -> f64| -> Vec<f64> {
            sums.iter()
                .map(|ring| {
                    let (x, b) = ring.iter().fold((0.0, 0.0), |acc, s| (acc.0 + pick(s), acc.1 + s.2));
                    1.0 - x / b
                })
                .collect()
        };
        let look = profile(|s| s.0);
        // The stubble's own variation: how much its darkening differs from sector to sector
        // in the same ring, beyond the lasso.
        let variation = {
            let mut spread = Vec::new();
            for ring in &sums[bins / 2 + 2..] {
                let d: Vec<f64> = ring.iter().map(|s| 1.0 - s.1 / s.2).collect();
                let mean = d.iter().sum::<f64>() / d.len() as f64;
                spread.push((d.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / d.len() as f64).sqrt());
            }
            spread.iter().sum::<f64>() / spread.len() as f64
        };
        let native_look = profile(|s| s.1);
        let edge = bins / 2;
        // How much larger the look's jump across the edge is than the scalp's own there.
        let step = ((look[edge] - look[edge - 1]).abs() - (native_look[edge] - native_look[edge - 1]).abs())
            .max(0.0);
        let inside_far = look[..4].iter().sum::<f64>() / 4.0;
        let outside_far = look[bins - 4..].iter().sum::<f64>() / 4.0;
        let near = &look[edge - 6..edge + 6];
        // A pale ring inside the lasso is the treatment's; beyond it the scalp is the
        // patient's own (a lasso across a thinning rim leaves its outer half as it was).
        let lowest = look[edge - 6..edge].iter().copied().fold(f64::INFINITY, f64::min);
        let highest = near.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let profile_text: Vec<String> =
            look.iter().zip(&native_look).map(|(v, n)| format!("{v:.3}({n:.3})")).collect();
        let context = format!(
            "inside {inside_far:.4}, outside {outside_far:.4}, stubble varies by {variation:.4}; profile {}",
            profile_text.join(" ")
        );
        // The blend matches the scalp within a few millimetres beyond the edge; where that
        // still thins toward the edge, it can leave a tenth of the contrast it spans (a
        // treatment ten times darker than sparse stubble: about 1 ΔL*).
        let allowed = variation.max(0.1 * (inside_far - outside_far).abs());
        println!(
            "{fu_per_mm2} FU/mm², lasso at {lasso_mm} mm: step {step:.4} (allowed {allowed:.4}); {context}"
        );
        assert!(
            step <= allowed,
            "{fu_per_mm2} FU/mm², lasso at {lasso_mm} mm: a step of {step:.4} at the edge; {context}"
        );
        assert!(
            lowest >= inside_far.min(outside_far) - variation,
            "{fu_per_mm2} FU/mm², lasso at {lasso_mm} mm: a bare ring down to {lowest:.4} by the edge; {context}"
        );
        assert!(
            highest <= inside_far.max(outside_far) + variation,
            "{fu_per_mm2} FU/mm², lasso at {lasso_mm} mm: an outline up to {highest:.4} by the edge; {context}"
        );
    }
}

/// Smooths a photo as a phone's noise reduction does: each pixel takes the mean of its 3 × 3
/// neighbours that are close to it in value, so flat skin loses its grain and edges stay.
fn denoise(photo: &RgbImage) -> RgbImage {
    let (w, h) = photo.dimensions();
    RgbImage::from_fn(w, h, |x, y| {
        let centre = photo.get_pixel(x, y).0;
        let (mut sum, mut n) = ([0u32; 3], 0u32);
        for dy in -1i64..=1 {
            for dx in -1i64..=1 {
                let (xx, yy) =
                    ((x as i64 + dx).clamp(0, w as i64 - 1), (y as i64 + dy).clamp(0, h as i64 - 1));
                let p = photo.get_pixel(xx as u32, yy as u32).0;
                if (0..3).all(|c| (p[c] as i32 - centre[c] as i32).abs() <= 6) {
                    (0..3).for_each(|c| sum[c] += p[c] as u32);
                    n += 1;
                }
            }
        }
        image::Rgb(std::array::from_fn(|c| ((sum[c] + n / 2) / n) as u8))
    })
}

/// The photo's sharpness is read without bias: a camera of known blur, over a scalp with hair
/// shafts, stubble and the head's silhouette, compressed or denoised as phones do, is read
/// within ±10 % (a blur read low renders dots sharper than the photo, the first tell).
///
/// Not met yet: on this scalp the lossless photos give the estimate almost nothing to measure
/// (0–8 structures), and the compressed ones read 19–21 % high at 0.1 mm (−35 % once) and 13–58 %
/// low from 0.2 mm up, worse the blurrier the camera. Taking the median instead of the sharp end
/// of the measured spread only halves the low bias. Run it with `--ignored --nocapture` for the
/// table.
#[test]
#[ignore = "the sharpness estimate is still biased low on compressed photos (issue: the look, item 3)"]
fn the_photos_sharpness_is_read_without_bias() {
    const SHARP_PX_PER_MM: f32 = 20.0;
    let layout = HairLayout::Patch { centre_mm: CENTRE_MM, radius_mm: 13.0, fu_per_mm2: 0.8 };
    let params = ScalpParams { px_per_mm: SHARP_PX_PER_MM, ..ScalpParams::sample() }
        .with_size(1200, 1200)
        .with_skin(LIGHT)
        .with_layout(layout);
    let sharp = synth::generate(&params).photo;
    let mut failures = Vec::new();
    for px_per_mm in [3.5f32, 5.0] {
        for blur_mm in [0.1f32, 0.2, 0.3, 0.4] {
            for (finish, quality) in
                [("lossless", None), ("JPEG q85", Some(85)), ("denoised JPEG q90", Some(90))]
            {
                let camera = Camera {
                    blur_mm,
                    px_per_mm,
                    highlight: None,
                    read_noise: 0.003,
                    shot_noise: 0.0005,
                    jpeg_quality: quality,
                    seed: 5,
                };
                let mut photo = camera.photograph(&sharp, SHARP_PX_PER_MM);
                if finish.starts_with("denoised") {
                    photo = denoise(&photo);
                }
                let analysis = PhotoAnalysis::new(&photo, Scale { px_per_mm });
                let found = analysis.sharpness_mm().unwrap_or(f32::NAN);
                let line = format!(
                    "{blur_mm} mm at {px_per_mm} px/mm, {finish}: read {found:.3} mm ({:+.0} %, {} structures)",
                    (found / blur_mm - 1.0) * 100.0,
                    analysis.psf.measured()
                );
                eprintln!("{line}");
                if (found / blur_mm - 1.0).abs() > 0.10 {
                    failures.push(line);
                }
            }
        }
    }
    assert!(failures.is_empty(), "the photo's sharpness is read with a bias:\n{}", failures.join("\n"));
}
