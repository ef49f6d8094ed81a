//! Properties checked on generated cases: painting and undo never leave the photo's bounds and
//! undo restores exactly; a render changes no pixel outside the painted regions; every preset
//! that validates renders and saves. Case counts are small so the suite stays quick in the
//! debug profile; `PROPTEST_CASES=1000 cargo test --test properties` searches longer.

use image::{Rgb, RgbImage};
use proptest::prelude::*;
use smp_studio::engine::brush::{Brush, BrushMode, fill_polygon, stroke};
use smp_studio::engine::hair;
use smp_studio::engine::head::{HeadEllipse, OutlineChoice};
use smp_studio::engine::history::{Choices, History, MaskPatch, Step};
use smp_studio::engine::mask::{PixelRect, RegionKind, RegionMasks};
use smp_studio::engine::preset::{self, Preset, Shade, limits};
use smp_studio::engine::sim::{self, Scene, SimSettings, Stage};
use smp_studio::engine::units::Scale;

fn cases(n: u32) -> ProptestConfig {
    // PROPTEST_CASES, when set, wins over the small default.
    let n = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(n);
    // About one generated preset in ten validates; the others are drawn again.
    ProptestConfig {
        cases: n,
        max_global_rejects: n * 50,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

#[derive(Clone, Debug)]
enum Op {
    Stroke { kind: RegionKind, erase: bool, radius_px: f32, hardness: f32, points: Vec<(f32, f32)> },
    Lasso { kind: RegionKind, erase: bool, points: Vec<(f32, f32)> },
    Undo,
    Redo,
}

fn kind() -> impl Strategy<Value = RegionKind> {
    prop::sample::select(RegionKind::ALL.to_vec())
}

/// Points reaching well outside the photo on every side.
fn points(max: usize) -> impl Strategy<Value = Vec<(f32, f32)>> {
    prop::collection::vec((-60.0f32..160.0, -60.0f32..140.0), 1..max)
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (kind(), any::<bool>(), 0.1f32..40.0, -0.5f32..1.5, points(8)).prop_map(
            |(kind, erase, radius_px, hardness, points)| Op::Stroke { kind, erase, radius_px, hardness, points }
        ),
        1 => (kind(), any::<bool>(), points(10)).prop_map(|(kind, erase, points)| Op::Lasso { kind, erase, points }),
        2 => Just(Op::Undo),
        1 => Just(Op::Redo),
    ]
}

fn mode(erase: bool) -> BrushMode {
    if erase { BrushMode::Erase } else { BrushMode::Paint }
}

fn look() -> Choices {
    Choices {
        preset: Preset::default(),
        settings: SimSettings::default(),
        calibrated: false,
        notes: Default::default(),
        hairline_design: None,
    }
}

proptest! {
    #![proptest_config(cases(48))]

    /// The window's way of editing, against a model that keeps every state: after each step
    /// the masks equal the model's current state, so undo and redo restore exactly.
    #[test]
    fn painting_stays_in_bounds_and_undo_restores_exactly(
        width in 1u32..90,
        height in 1u32..70,
        ops in prop::collection::vec(op(), 1..24),
    ) {
        let mut masks = RegionMasks::new(width, height);
        let mut history = History::default();
        let mut look = look();
        let mut states = vec![masks.clone()];
        let mut cursor = 0;
        let bounds = PixelRect::full(width, height);
        for op in ops {
            match op {
                Op::Stroke { kind, .. } | Op::Lasso { kind, .. } => {
                    let before = masks.get(kind).clone();
                    let rect = match &op {
                        Op::Stroke { erase, radius_px, hardness, points, .. } => {
                            let brush = Brush { radius_px: *radius_px, hardness: *hardness, mode: mode(*erase) };
                            stroke(&brush, masks.get_mut(kind), points)
                        }
                        Op::Lasso { erase, points, .. } => fill_polygon(masks.get_mut(kind), points, mode(*erase)),
                        _ => unreachable!(),
                    };
                    prop_assert!(rect.is_empty() || rect.intersect(bounds) == rect, "{rect:?} leaves {bounds:?}");
                    prop_assert_eq!((masks.width(), masks.height()), (width, height));
                    // Nothing outside the returned rectangle changed.
                    for y in 0..height {
                        for x in 0..width {
                            if !rect.contains(x, y) {
                                prop_assert_eq!(masks.get(kind).get(x, y), before.get(x, y), "({}, {})", x, y);
                            }
                        }
                    }
                    if let Some(patch) = MaskPatch::capture(kind, rect, &before, &masks) {
                        history.push(Step::Masks(vec![patch]), "stroke");
                        states.truncate(cursor + 1);
                        states.push(masks.clone());
                        cursor += 1;
                    }
                }
                Op::Undo => {
                    let undone = history.undo(&mut masks, &mut look);
                    prop_assert_eq!(undone.is_some(), cursor > 0);
                    cursor = cursor.saturating_sub(1);
                }
                Op::Redo => {
                    let redone = history.redo(&mut masks, &mut look);
                    prop_assert_eq!(redone.is_some(), cursor + 1 < states.len());
                    if redone.is_some() {
                        cursor += 1;
                    }
                }
            }
            prop_assert!(masks == states[cursor], "the masks differ from the state they should be in");
        }
        // Undoing everything gives back the blank layers.
        while history.undo(&mut masks, &mut look).is_some() {}
        prop_assert!(masks == RegionMasks::new(width, height));
    }
}

/// A small textured scalp: skin with a few dark hair-like lines, varying with `seed`.
fn photo(width: u32, height: u32, seed: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let n = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729) ^ seed.wrapping_mul(31)) % 29;
        if x.wrapping_add(seed).is_multiple_of(17) && !y.is_multiple_of(5) {
            Rgb([50, 40, 35])
        } else {
            Rgb([205 - n as u8, 165 - n as u8, 135 - n as u8])
        }
    })
}

/// Painted regions: a few discs per layer, soft or hard.
fn regions(width: u32, height: u32) -> impl Strategy<Value = RegionMasks> {
    prop::collection::vec((kind(), 0.0f32..1.0, 0.0f32..1.0, 2.0f32..30.0, 0.0f32..1.0), 0..6).prop_map(
        move |discs| {
            let mut masks = RegionMasks::new(width, height);
            for (kind, fx, fy, radius_px, hardness) in discs {
                let brush = Brush { radius_px, hardness, mode: BrushMode::Paint };
                brush.dab(masks.get_mut(kind), fx * width as f32, fy * height as f32);
            }
            masks
        },
    )
}

fn settings(sessions: u32) -> impl Strategy<Value = SimSettings> {
    let outline =
        prop::option::of((0.0f32..200.0, 0.0f32..200.0, 20.0f32..300.0, 20.0f32..300.0, -90.0f32..90.0));
    (2.0f32..25.0, any::<u64>(), 1..=sessions, prop::option::of(0.0f32..50.0), outline).prop_map(
        |(px_per_mm, seed, session, years, outline)| SimSettings {
            scale: Scale::new(px_per_mm).unwrap_or_default(),
            seed,
            session,
            stage: match years {
                Some(years) => Stage::Healed { years },
                None => Stage::Fresh,
            },
            photo_sharpness_mm: None,
            // Curved scalps too: every property holds whatever the outline.
            head: match outline {
                Some((centre_x, centre_y, radius_x, radius_y, angle_deg)) => {
                    OutlineChoice::Set(HeadEllipse { centre_x, centre_y, radius_x, radius_y, angle_deg })
                }
                None => OutlineChoice::Flat,
            },
        },
    )
}

fn assert_untouched_outside(
    photo: &RgbImage,
    masks: &RegionMasks,
    result: &RgbImage,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(result.dimensions(), photo.dimensions());
    for (x, y, p) in result.enumerate_pixels() {
        if masks.any(x, y) == 0 {
            prop_assert_eq!(p, photo.get_pixel(x, y), "pixel ({}, {}) outside every region changed", x, y);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(32))]

    #[test]
    fn rendering_never_changes_pixels_outside_the_regions(
        (width, height, masks) in (24u32..110, 24u32..90).prop_flat_map(|(w, h)| (Just(w), Just(h), regions(w, h))),
        photo_seed in any::<u32>(),
        preset_index in 0usize..9,
        settings in settings(3),
        with_hair in any::<bool>(),
    ) {
        let presets = preset::bundled();
        let preset = &presets[preset_index % presets.len()];
        let photo = photo(width, height, photo_seed);
        let hair = with_hair.then(|| hair::detect(&photo, settings.scale));
        let settings = SimSettings { session: settings.session.min(preset.session_count()), ..settings };
        let scene = Scene { photo: &photo, hair: hair.as_ref(), masks: &masks, preset, settings, analysis: None, compression: None };
        let result = sim::render(&scene);
        assert_untouched_outside(&photo, &masks, &result.image)?;
    }
}

/// Where in its range a number lies: mostly inside, often exactly at an end, now and then a
/// little outside (so some presets do not validate).
fn share() -> impl Strategy<Value = f32> {
    prop_oneof![16 => 0.0f32..=1.0, 2 => Just(0.0f32), 2 => Just(1.0f32), 1 => -0.2f32..1.2]
}

/// A preset whose every number comes from [`share`]; shades and sessions vary in number,
/// including none and too many.
fn any_preset() -> impl Strategy<Value = Preset> {
    let fields = prop::collection::vec(share(), limits::FIELDS.len());
    let shades = prop::collection::vec((share(), share(), any::<[u8; 3]>()), 0..=limits::MAX_SHADES + 1);
    let fractions = prop::collection::vec(share(), 0..=limits::SESSIONS.end() + 1);
    (fields, shades, fractions, 0u8..=7, 0usize..3).prop_map(
        |(fields, shades, mut fractions, fitzpatrick, style)| {
            let mut preset = Preset::default();
            for (limit, f) in limits::FIELDS.iter().zip(fields) {
                (limit.set)(&mut preset, limit.min + f * (limit.max - limit.min));
            }
            let shade_range = |leaf: &str, f: f32| {
                let limit = limits::SHADE_FIELDS
                    .iter()
                    .find(|l| l.leaf == leaf)
                    .map_or((0.0, 1.0), |l| (l.min, l.max));
                limit.0 + f * (limit.1 - limit.0)
            };
            preset.pigment.shades = shades
                .into_iter()
                .map(|(weight, dilution, srgb)| Shade {
                    name: "Shade".into(),
                    srgb: smp_studio::engine::color::Srgb(srgb),
                    weight: shade_range("weight", weight),
                    dilution: shade_range("dilution", dilution),
                })
                .collect();
            // Mostly increasing plans, as people write them; sometimes not.
            if fractions.len() % 3 != 0 {
                fractions.sort_by(f32::total_cmp);
            }
            let (lo, hi) = (*limits::SESSION_FRACTION.start(), *limits::SESSION_FRACTION.end());
            preset.density.session_fractions = fractions.into_iter().map(|f| lo + f * (hi - lo)).collect();
            preset.skin.fitzpatrick = fitzpatrick;
            preset.hairline.style = preset::HairlineStyle::ALL[style];
            preset
        },
    )
}

proptest! {
    #![proptest_config(cases(32))]

    #[test]
    fn any_preset_that_validates_renders_and_saves(
        preset in any_preset(),
        masks in regions(72, 54),
        settings in settings(6),
    ) {
        prop_assume!(preset.validate("generated").is_ok());
        let photo = photo(72, 54, 7);
        let settings = SimSettings { session: settings.session.min(preset.session_count()), ..settings };
        let scene = Scene::new(&photo, &masks, &preset, settings);
        let result = sim::render(&scene);
        assert_untouched_outside(&photo, &masks, &result.image)?;
        for dot in &result.dots {
            prop_assert!(dot.diameter_px.is_finite() && dot.darkness.is_finite(), "{dot:?}");
        }
        let back = Preset::from_ron(&preset.to_ron(), "saved.ron");
        prop_assert!(back.is_ok(), "a valid preset did not reload: {:?}", back.err());
    }
}

/// The generator above must reach valid presets often enough for the property to mean
/// something.
#[test]
fn the_preset_generator_reaches_valid_presets() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = any_preset();
    let valid = (0..400)
        .filter(|_| strategy.new_tree(&mut runner).is_ok_and(|tree| tree.current().validate("g").is_ok()))
        .count();
    assert!(valid >= 8, "only {valid} of 400 generated presets validate");
}
