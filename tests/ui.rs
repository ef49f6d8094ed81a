//! The real app, driven through its accessibility tree and the pointer, as a person would.

use eframe::egui;
use eframe::egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions};
use smp_studio::app::SmpApp;
use smp_studio::engine::mask::RegionKind;
use std::time::{Duration, Instant};

const WINDOW: egui::Vec2 = egui::vec2(1440.0, 900.0);

fn harness() -> Harness<'static, SmpApp> {
    Harness::builder()
        .with_size(WINDOW)
        .with_theme(egui::Theme::Dark)
        .wgpu()
        .build_eframe(|cc| SmpApp::new(cc, None))
}

/// Steps frames until the render worker has caught up with every edit.
fn settle(harness: &mut Harness<'static, SmpApp>) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        harness.step();
        let app = harness.state();
        if app.render_settled() && app.shown_generation() > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the render never finished");
        std::thread::sleep(Duration::from_millis(5));
    }
    harness.step();
}

fn screen_from_image(harness: &Harness<'static, SmpApp>, p: egui::Pos2) -> egui::Pos2 {
    let app = harness.state();
    app.view.screen_from_image(app.canvas_rect(), p)
}

#[test]
fn painting_a_bald_spot_adds_dots_under_the_drag() {
    let mut harness = harness();
    settle(&mut harness);
    let before_mask = harness.state().consultation().masks.get(RegionKind::Bald).clone();
    let before_render = harness.state().last_result().cloned().unwrap();

    harness.get_by_role_and_label(Role::Button, "Bald spot").click();
    harness.step();

    // A horizontal drag across full hair on the left of the head, away from the sample's regions.
    let (from, to) = (egui::pos2(250.0, 520.0), egui::pos2(520.0, 560.0));
    let steps = 12;
    harness.hover_at(screen_from_image(&harness, from));
    harness.drag_at(screen_from_image(&harness, from));
    harness.step();
    for i in 1..=steps {
        let p = from + (to - from) * (i as f32 / steps as f32);
        harness.hover_at(screen_from_image(&harness, p));
        harness.step();
    }
    harness.drop_at(screen_from_image(&harness, to));
    harness.step();
    settle(&mut harness);

    let app = harness.state();
    let after_mask = app.consultation().masks.get(RegionKind::Bald);
    let gained = after_mask.painted_pixels() - before_mask.painted_pixels();
    assert!(gained > 5_000, "the bald mask gained only {gained} pixels");
    for i in 0..=10 {
        let p = from + (to - from) * (i as f32 / 10.0);
        assert_eq!(after_mask.get(p.x as u32, p.y as u32), 255, "no paint under the drag at {p:?}");
        assert_eq!(before_mask.get(p.x as u32, p.y as u32), 0);
    }
    let after_render = app.last_result().unwrap();
    let changed = (200..570)
        .flat_map(|x| (480..600).map(move |y| (x, y)))
        .filter(|&(x, y)| after_render.get_pixel(x, y) != before_render.get_pixel(x, y))
        .count();
    assert!(changed > 2_000, "the overlay changed at only {changed} pixels under the stroke");
    assert!(app.stats().region(RegionKind::Bald).dots > 0);
}

#[test]
fn main_window_matches_its_snapshot() {
    let mut harness = harness();
    settle(&mut harness);
    harness.remove_cursor();
    harness.step();
    // Text anti-aliasing and the software rasteriser may differ by a few pixels between
    // machines; a layout or colour change moves far more than this.
    let options = SnapshotOptions::new().threshold(2.0).max_failed_pixels(1_500);
    harness.snapshot_options("main_window", &options);
}
