use super::*;
use crate::engine::brush::{Brush, BrushMode};
use crate::engine::preset;

fn skin_photo(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| image::Rgb([200 - (x % 7) as u8, 160 - (y % 5) as u8, 140]))
}

fn painted(width: u32, height: u32, kind: RegionKind, centre: (f32, f32), radius_px: f32) -> RegionMasks {
    let mut masks = RegionMasks::new(width, height);
    let brush = Brush { radius_px, hardness: 0.8, mode: BrushMode::Paint };
    brush.dab(masks.get_mut(kind), centre.0, centre.1);
    masks
}

fn preset() -> Preset {
    preset::bundled().remove(0)
}

#[test]
fn pixels_outside_every_region_are_untouched() {
    let photo = skin_photo(300, 200);
    let masks = painted(300, 200, RegionKind::Bald, (150.0, 100.0), 60.0);
    let preset = preset();
    let scene = Scene {
        photo: &photo,
        hair: None,
        masks: &masks,
        preset: &preset,
        settings: SimSettings::default(),
        analysis: None,
    };
    let result = render(&scene);
    let mut changed_inside = 0;
    for (x, y, p) in result.image.enumerate_pixels() {
        if masks.any(x, y) == 0 {
            assert_eq!(p, photo.get_pixel(x, y), "pixel ({x},{y}) outside the region changed");
        } else if p != photo.get_pixel(x, y) {
            changed_inside += 1;
        }
    }
    assert!(changed_inside > 500, "only {changed_inside} pixels changed inside the region");
    assert!(result.stats.region(RegionKind::Bald).dots > 50);
}

#[test]
fn same_seed_same_bytes_other_seed_other_dots() {
    let photo = skin_photo(256, 256);
    let masks = painted(256, 256, RegionKind::Bald, (128.0, 128.0), 100.0);
    let preset = preset();
    let settings = SimSettings { seed: 42, ..SimSettings::default() };
    let a = render(&Scene {
        photo: &photo,
        hair: None,
        masks: &masks,
        preset: &preset,
        settings,
        analysis: None,
    });
    let b = render(&Scene {
        photo: &photo,
        hair: None,
        masks: &masks,
        preset: &preset,
        settings,
        analysis: None,
    });
    assert_eq!(a.image, b.image);
    let c = render(&Scene {
        hair: None,
        photo: &photo,
        masks: &masks,
        preset: &preset,
        settings: SimSettings { seed: 43, ..settings },
        analysis: None,
    });
    assert_ne!(a.image, c.image);
}

#[test]
fn dots_darken_the_skin_they_sit_in() {
    let photo = skin_photo(200, 200);
    let masks = painted(200, 200, RegionKind::Bald, (100.0, 100.0), 90.0);
    let preset = preset();
    let scene = Scene {
        photo: &photo,
        hair: None,
        masks: &masks,
        preset: &preset,
        settings: SimSettings::default(),
        analysis: None,
    };
    let result = render(&scene);
    for dot in result.dots.iter().take(50) {
        let (x, y) = (dot.x_px as u32, dot.y_px as u32);
        let before: u32 = photo.get_pixel(x, y).0.iter().map(|&v| v as u32).sum();
        let after: u32 = result.image.get_pixel(x, y).0.iter().map(|&v| v as u32).sum();
        assert!(after < before, "dot at ({x},{y}) did not darken: {before} → {after}");
    }
}

#[test]
fn thread_count_does_not_change_the_result() {
    let photo = skin_photo(400, 300);
    let masks = painted(400, 300, RegionKind::Scar, (200.0, 150.0), 120.0);
    let preset = preset();
    let scene = Scene {
        photo: &photo,
        hair: None,
        masks: &masks,
        preset: &preset,
        settings: SimSettings::default(),
        analysis: None,
    };
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| render(&scene));
    let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap().install(|| render(&scene));
    assert_eq!(one.image, two.image);
    assert_eq!(one.dots, two.dots);
}

#[test]
fn a_partial_render_equals_the_full_render() {
    let photo = skin_photo(400, 300);
    let masks = painted(400, 300, RegionKind::Bald, (200.0, 150.0), 120.0);
    let preset = preset();
    let scene = Scene {
        photo: &photo,
        hair: None,
        masks: &masks,
        preset: &preset,
        settings: SimSettings::default(),
        analysis: None,
    };
    let full = render(&scene);
    let mut image = full.image.clone();
    // Scribble over one area, then re-render only there.
    for p in image.pixels_mut().skip(300 * 140).take(400 * 40) {
        *p = image::Rgb([0, 255, 0]);
    }
    render_into(&scene, &mut image, PixelRect { x0: 0, y0: 100, x1: 400, y1: 180 });
    assert_eq!(image, full.image);
}

#[test]
fn re_rendering_only_around_a_new_stroke_matches_a_full_render() {
    let photo = skin_photo(500, 360);
    let mut masks = painted(500, 360, RegionKind::Hairline, (250.0, 120.0), 110.0);
    let preset = preset();
    let settings = SimSettings::default();
    let before = render(&Scene {
        photo: &photo,
        hair: None,
        masks: &masks,
        preset: &preset,
        settings,
        analysis: None,
    });

    // A new stroke of another region that overlaps the hairline's back edge.
    let brush = Brush { radius_px: 40.0, hardness: 0.5, mode: BrushMode::Paint };
    let dirty = crate::engine::brush::stroke(
        &brush,
        masks.get_mut(RegionKind::Bald),
        &[(200.0, 230.0), (320.0, 250.0), (380.0, 300.0)],
    );
    let scene = Scene { photo: &photo, hair: None, masks: &masks, preset: &preset, settings, analysis: None };
    let full = render(&scene);
    let mut incremental = before.image.clone();
    let grown = dirty.expand(influence_px(&scene), PixelRect::full(500, 360));
    let dots = render_into(&scene, &mut incremental, grown);
    assert_ne!(before.image, full.image, "the stroke changed nothing");
    assert_eq!(incremental, full.image, "the incremental render differs from the full one");
    assert_eq!(dots, full.dots);
}

#[test]
fn thumbnails_show_the_preset_on_its_own_skin() {
    let presets = preset::bundled();
    let light = thumbnail(&presets[0], 80, 54);
    let dark = thumbnail(&presets[1], 80, 54);
    let mean = |img: &RgbImage| img.pixels().map(|p| p.0.iter().map(|&v| v as f64).sum::<f64>()).sum::<f64>();
    assert_eq!(light.dimensions(), (80, 54));
    assert!(mean(&light) > mean(&dark) * 1.5, "the dark-skin preset should look darker");
    // Dots are visible: the patch is not a flat colour.
    let min = light.pixels().map(|p| p.0[1]).min().unwrap();
    let max = light.pixels().map(|p| p.0[1]).max().unwrap();
    assert!(max - min > 40, "no visible dots ({min}..{max})");
}
