//! Match stubble: after matching the patient's own stubble and rendering, the treated zone's
//! blobs look like the stubble's — size, density and darkening within ±15 % — on light and dark
//! skin, and where the photo is too coarse for single blobs its overall shadow does.

use image::{Rgb, RgbImage};
use smp_studio::engine::analysis::PhotoAnalysis;
use smp_studio::engine::mask::{RegionKind, RegionMasks};
use smp_studio::engine::preset;
use smp_studio::engine::sim::{self, Scene, SimSettings, Stage};
use smp_studio::engine::stubble::{self, Look};
use smp_studio::engine::synth::Stubble;
use smp_studio::engine::units::Scale;

const TOLERANCE: f32 = 0.15;

/// A 60 × 30 mm photo: stubble on the left half, bare skin on the right.
fn sides_with_stubble(skin: [u8; 3], scale: Scale, stubble: Stubble) -> RgbImage {
    let (w, h) = (scale.px(60.0) as u32, scale.px(30.0) as u32);
    let mut photo = RgbImage::from_pixel(w, h, Rgb(skin));
    stubble.paint(&mut photo, scale, (0, 0, w / 2, h));
    photo
}

/// Matches the stubble at the left half's middle, paints the right half as a bald spot, renders
/// it healed at the last session, and measures both zones the same way.
fn match_and_render(photo: &RgbImage, scale: Scale, base: &str) -> (Look, Look, String) {
    let (w, h) = photo.dimensions();
    let base = preset::bundled().into_iter().find(|p| p.name == base).unwrap();
    let radius_mm = 10.0;
    let mut masks = RegionMasks::new(w, h);
    let bald = masks.get_mut(RegionKind::Bald);
    for y in 0..h {
        for x in w / 2..w {
            bald.set(x, y, 255);
        }
    }
    let analysis = PhotoAnalysis::new(photo, scale);
    let settings = SimSettings { scale, seed: 3, ..SimSettings::default() };
    let scene = Scene {
        photo,
        hair: None,
        masks: &masks,
        preset: &base,
        settings,
        analysis: Some(&analysis),
        compression: None,
    };
    let found = stubble::match_stubble(&scene, w as f32 / 4.0, h as f32 / 2.0, radius_mm).unwrap();
    let sessions = found.preset.density.session_fractions.len() as u32;
    let settings = SimSettings { session: sessions, stage: Stage::Healed { years: 0.0 }, ..settings };
    let scene = Scene { preset: &found.preset, settings, ..scene };
    let treated = sim::render(&scene).image;
    let radius_px = scale.px(radius_mm);
    let stubble = stubble::measure(photo, scale, w as f32 / 4.0, h as f32 / 2.0, radius_px).unwrap();
    let simulated = stubble::measure(&treated, scale, w as f32 * 0.75, h as f32 / 2.0, radius_px).unwrap();
    (stubble, simulated, found.describe())
}

fn within(what: &str, got: f32, want: f32, said: &str) {
    assert!(
        (got / want - 1.0).abs() <= TOLERANCE,
        "{what}: {got:.3} against the stubble's {want:.3}\n{said}"
    );
}

fn assert_blobs_match(skin: [u8; 3], base: &str, contrast: f32) {
    let scale = Scale { px_per_mm: 12.0 };
    let stubble = Stubble { diameter_mm: 0.45, per_cm2: 55.0, contrast, seed: 5 };
    let photo = sides_with_stubble(skin, scale, stubble);
    let (want, got, said) = match_and_render(&photo, scale, base);
    let (w, g) = (want.blobs.unwrap(), got.blobs.unwrap());
    eprintln!("{said}\nsimulated: {}", got.describe());
    within("blob size", g.diameter_mm, w.diameter_mm, &said);
    within("blob density", g.per_cm2, w.per_cm2, &said);
    within("mean darkening", got.darkening, want.darkening, &said);
}

#[test]
fn stubble_on_light_skin_is_matched() {
    assert_blobs_match([214, 172, 150], "Light skin · soft hairline", 0.55);
}

#[test]
fn stubble_on_dark_skin_is_matched() {
    assert_blobs_match([96, 66, 50], "Dark skin · defined hairline", 0.45);
}

#[test]
fn a_coarse_photo_matches_the_overall_shadow() {
    let scale = Scale { px_per_mm: 3.5 };
    let stubble = Stubble { diameter_mm: 0.45, per_cm2: 55.0, contrast: 0.5, seed: 5 };
    let photo = sides_with_stubble([190, 150, 128], scale, stubble);
    let (want, got, said) = match_and_render(&photo, scale, "Light skin · soft hairline");
    assert!(want.blobs.is_none(), "too coarse for single blobs: {want:?}");
    within("mean darkening", got.darkening, want.darkening, &said);
}
