//! The real app, driven through its accessibility tree and the pointer, as a person would.

use eframe::egui;
use eframe::egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions};
use smp_studio::app::{Command, Dialog, SmpApp, State};
use smp_studio::engine::consultation::Consultation;
use smp_studio::engine::mask::{RegionKind, RegionMasks};
use smp_studio::studio::Folders;
use std::time::{Duration, Instant};

const WINDOW: egui::Vec2 = egui::vec2(1440.0, 900.0);

fn harness() -> Harness<'static, SmpApp> {
    Harness::builder()
        .with_size(WINDOW)
        .with_theme(egui::Theme::Dark)
        .wgpu()
        .build_eframe(|cc| SmpApp::new(cc, None, Folders::default()))
}

/// Steps frames until `done` holds; background work (renders, file I/O) runs in real time.
/// What the window shows.
fn state<'a>(harness: &'a Harness<'static, SmpApp>) -> &'a State {
    harness.state().state()
}

fn step_until(harness: &mut Harness<'static, SmpApp>, what: &str, done: impl Fn(&State) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        harness.step();
        if done(state(harness)) {
            return;
        }
        assert!(Instant::now() < deadline, "{what} never happened: {:?}", state(harness).notice());
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Steps frames until the render worker has caught up with every edit.
fn settle(harness: &mut Harness<'static, SmpApp>) {
    step_until(harness, "the render", |app| {
        app.render_settled() && app.shown_generation() > 0 && app.thumbnails_settled()
    });
    harness.step();
}

fn notice_starts_with(app: &State, text: &str) -> bool {
    app.notice().is_some_and(|n| n.text.starts_with(text))
}

fn screen_from_image(harness: &Harness<'static, SmpApp>, p: egui::Pos2) -> egui::Pos2 {
    let app = state(harness);
    app.view.screen_from_image(app.canvas_rect, p)
}

#[test]
fn painting_a_bald_spot_adds_dots_under_the_drag() {
    let mut harness = harness();
    settle(&mut harness);
    let before_mask = state(&harness).consultation().masks.get(RegionKind::Bald).clone();
    let before_render = state(&harness).last_result().cloned().unwrap();

    harness.get_by_role_and_label(Role::Button, "Bald spot").click();
    harness.step();
    // The canvas is reachable by assistive technology, like every control.
    let canvas = harness.get_by_role_and_label(Role::Canvas, "Photo canvas").rect();
    assert!(canvas.width() > 600.0 && canvas.height() > 500.0);

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

    let app = state(&harness);
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

/// Presses at `from`, moves through `steps` evenly spaced points and releases at `to`
/// (photo pixels).
fn drag_on_photo(harness: &mut Harness<'static, SmpApp>, from: egui::Pos2, to: egui::Pos2, steps: usize) {
    harness.hover_at(screen_from_image(harness, from));
    harness.drag_at(screen_from_image(harness, from));
    harness.step();
    for i in 1..=steps {
        let p = from + (to - from) * (i as f32 / steps as f32);
        harness.hover_at(screen_from_image(harness, p));
        harness.step();
    }
    harness.drop_at(screen_from_image(harness, to));
    harness.step();
}

#[test]
fn the_wheel_zooms_around_the_cursor() {
    let mut harness = harness();
    harness.step();
    let zoom_before = state(&harness).view.zoom;
    let anchor_image = egui::pos2(400.0, 300.0);
    let anchor_screen = screen_from_image(&harness, anchor_image);
    harness.hover_at(anchor_screen);
    for _ in 0..6 {
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, 4.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        });
        harness.step();
    }
    for _ in 0..10 {
        harness.step();
    }
    let app = state(&harness);
    assert!(app.view.zoom > zoom_before * 1.05, "zoom {} → {}", zoom_before, app.view.zoom);
    let under_cursor = app.view.image_from_screen(app.canvas_rect, anchor_screen);
    assert!(
        (under_cursor - anchor_image).length() < 1.0,
        "the point under the cursor moved to {under_cursor:?}"
    );
}

#[test]
fn a_stroke_can_be_undone_and_redone() {
    let mut harness = harness();
    settle(&mut harness);
    let before = state(&harness).consultation().masks.clone();
    harness.get_by_role_and_label(Role::Button, "Scar").click();
    harness.step();
    drag_on_photo(&mut harness, egui::pos2(1200.0, 500.0), egui::pos2(1350.0, 700.0), 8);
    let after = state(&harness).consultation().masks.clone();
    assert_ne!(after, before, "the stroke painted nothing");

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.step();
    assert_eq!(state(&harness).consultation().masks, before, "undo did not restore the masks");

    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::Z);
    harness.step();
    assert_eq!(state(&harness).consultation().masks, after, "redo did not restore the stroke");

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    harness.step();
    assert_eq!(state(&harness).consultation().masks, after, "Ctrl+Y did not redo");
}

/// Edit ▸ Undo names the step it takes back, and the status line then says what went, not
/// what the step had said.
#[test]
fn undo_names_its_step_and_says_what_went() {
    let mut harness = harness();
    settle(&mut harness);
    harness.get_by_role_and_label(Role::Button, "Scar").click();
    harness.step();
    drag_on_photo(&mut harness, egui::pos2(1200.0, 500.0), egui::pos2(1350.0, 700.0), 8);
    harness.get_by_label("Edit").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Undo stroke").click();
    harness.run_steps(2);
    assert!(notice_starts_with(state(&harness), "Undid the stroke"), "{:?}", state(&harness).notice());
    harness.get_by_label("Edit").click();
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("Redo stroke").is_some(), "Redo does not name the stroke");
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    // A setting is named too.
    harness.get_by_label("1 · 30 %").click();
    harness.run_steps(2);
    harness.get_by_label("Edit").click();
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("Undo session").is_some(), "Undo does not name the session");
}

#[test]
fn brackets_change_the_brush_size() {
    let mut harness = harness();
    harness.step();
    let size = state(&harness).controls.brush_diameter_mm;
    harness.key_press(egui::Key::CloseBracket);
    harness.step();
    let larger = state(&harness).controls.brush_diameter_mm;
    assert!(larger > size * 1.1, "{size} → {larger}");
    harness.key_press(egui::Key::OpenBracket);
    harness.key_press(egui::Key::OpenBracket);
    harness.step();
    assert!(state(&harness).controls.brush_diameter_mm < size, "smaller brush did not shrink it");
}

#[test]
fn a_fast_drag_leaves_a_continuous_band() {
    let mut harness = harness();
    harness.step();
    harness.get_by_role_and_label(Role::Button, "Bald spot").click();
    harness.step();
    // Only two pointer samples, 900 photo pixels apart.
    let (from, to) = (egui::pos2(250.0, 1000.0), egui::pos2(1150.0, 1000.0));
    drag_on_photo(&mut harness, from, to, 1);
    let mask = state(&harness).consultation().masks.get(RegionKind::Bald);
    for x in 250..1150 {
        assert_eq!(mask.get(x, 1000), 255, "gap in the stroke at x = {x}");
    }
}

#[test]
fn the_split_divider_shows_the_photo_left_and_the_result_right() {
    let mut harness = harness();
    settle(&mut harness);
    harness.key_press(egui::Key::V);
    harness.step();
    assert_eq!(state(&harness).controls.split, Some(0.5));
    let rect = state(&harness).canvas_rect;
    let handle = egui::pos2(rect.center().x, rect.center().y);
    let target = egui::pos2(rect.left() + rect.width() * 0.75, rect.center().y);
    harness.hover_at(handle);
    harness.drag_at(handle);
    harness.step();
    harness.hover_at(handle + (target - handle) * 0.5);
    harness.step();
    harness.hover_at(target);
    harness.step();
    harness.drop_at(target);
    harness.step();
    let split = state(&harness).controls.split.unwrap();
    assert!((split - 0.75).abs() < 0.02, "divider at {split}");

    // The bald crown (photo x ≈ 800) is now left of the divider: it shows the photo as it is.
    let app = state(&harness);
    let crown = egui::pos2(800.0, 744.0);
    let crown_screen = app.view.screen_from_image(app.canvas_rect, crown);
    assert!(crown_screen.x < rect.left() + split * rect.width());
    let shown = harness.render().unwrap();
    let photo = &state(&harness).consultation().photo;
    let result = state(&harness).last_result().unwrap();
    let mean = |img: &dyn Fn(u32, u32) -> f32, x0: u32, y0: u32| {
        let mut sum = 0.0;
        for y in y0..y0 + 40 {
            for x in x0..x0 + 40 {
                sum += img(x, y);
            }
        }
        sum / 1600.0
    };
    let luma = |p: [u8; 3]| (p[0] as f32 + p[1] as f32 + p[2] as f32) / 3.0;
    let photo_luma = mean(&|x, y| luma(photo.get_pixel(x, y).0), 780, 720);
    let result_luma = mean(&|x, y| luma(result.get_pixel(x, y).0), 780, 720);
    assert!(
        result_luma < photo_luma - 2.0,
        "the dots should darken the crown: {photo_luma} vs {result_luma}"
    );
    // Screen pixels of the crown, with the region tint drawn over both sides alike.
    let s = crown_screen;
    let crown_luma = |screen: &image::RgbaImage| {
        mean(
            &|x, y| {
                let p = screen.get_pixel(x, y).0;
                luma([p[0], p[1], p[2]])
            },
            s.x as u32 - 10,
            s.y as u32 - 10,
        )
    };
    let screen_luma = crown_luma(&shown);
    harness.key_press(egui::Key::V);
    harness.step();
    let after_luma = crown_luma(&harness.render().unwrap());
    assert!(
        screen_luma > after_luma + 1.0,
        "left of the divider should show the lighter photo: {screen_luma} vs {after_luma}"
    );
}

/// The region tint is lighter than it was (22 % veiled the skin tone being judged) and shows
/// only while painting or over the photo as it is: with the hand tool, the crown in After shows
/// the result's own colours.
#[test]
fn the_region_tint_leaves_the_result_alone_unless_painting() {
    let mut harness = harness();
    settle(&mut harness);
    let app = state(&harness);
    let crown = app.view.screen_from_image(app.canvas_rect, egui::pos2(800.0, 744.0));
    let patch = |screen: &image::RgbaImage| -> [f32; 3] {
        let mut sum = [0.0f32; 3];
        for y in crown.y as u32 - 10..crown.y as u32 + 10 {
            for x in crown.x as u32 - 10..crown.x as u32 + 10 {
                let p = screen.get_pixel(x, y).0;
                for c in 0..3 {
                    sum[c] += p[c] as f32 / 400.0;
                }
            }
        }
        sum
    };
    // The sample opens with its tints hidden: show them.
    harness.key_press(egui::Key::R);
    harness.run_steps(2);
    assert!(state(&harness).consultation().show_regions.iter().all(|&v| v));
    let painting = patch(&harness.render().unwrap());
    harness.key_press(egui::Key::P);
    harness.run_steps(2);
    assert_eq!(state(&harness).controls.tool, smp_studio::app::Tool::Pan);
    let showing = patch(&harness.render().unwrap());
    let moved: f32 = (0..3).map(|c| (painting[c] - showing[c]).abs()).sum();
    assert!(moved > 3.0, "the tint should leave the result: {painting:?} vs {showing:?}");
    assert!(moved < 40.0, "a light tint: {painting:?} vs {showing:?}");
}

#[test]
fn measuring_a_line_calibrates_the_scale() {
    let mut harness = harness();
    harness.step();
    harness.get_by_role_and_label(Role::Button, "Measure").click();
    harness.step();
    // A 300-pixel line that the user says is 20 mm: 15 px/mm.
    drag_on_photo(&mut harness, egui::pos2(300.0, 300.0), egui::pos2(600.0, 300.0), 6);
    for _ in 0..3 {
        harness.step();
    }
    let length = match &state(&harness).dialog {
        Some(Dialog::Measure { length_px, .. }) => *length_px,
        _ => 0.0,
    };
    assert!((length - 300.0).abs() < 2.0, "measured {length} px");
    harness.get_all_by_role(Role::TextInput).last().unwrap().type_text("20");
    harness.step();
    harness.get_by_role_and_label(Role::Button, "Set scale").click();
    for _ in 0..3 {
        harness.step();
    }
    let px_per_mm = state(&harness).consultation().settings.scale.px_per_mm;
    assert!((px_per_mm - length / 20.0).abs() < 1e-3, "scale {px_per_mm} px/mm");
    assert!(state(&harness).dialog.is_none());
    // What the window reads off the photo (its sharpness, the head's outline) is measured
    // again at the new scale once the render has caught up.
    settle(&mut harness);
    let c = state(&harness).consultation();
    assert!(c.analysis.fits(&c.photo, c.settings.scale), "the photo's analysis is still at the old scale");
    assert_eq!(c.hair.scale, Some(c.settings.scale), "the hair map is still at the old scale");
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

#[test]
fn a_photo_opens_from_a_typed_path_and_bad_paths_get_a_sentence() {
    let dir = std::env::temp_dir().join(format!("smp-ui-open-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("patient-scalp.png");
    image::RgbImage::from_pixel(640, 480, image::Rgb([190, 150, 130])).save(&path).unwrap();

    let mut harness = harness();
    harness.step();
    harness.get_by_label("File").click();
    harness.run_steps(3);
    harness.get_by_label_contains("Open photo").click();
    harness.run_steps(3);
    harness.get_all_by_role(Role::TextInput).last().unwrap().type_text("/no/such/photo.jpg");
    harness.step();
    harness.get_by_role_and_label(Role::Button, "Open").click();
    step_until(&mut harness, "an error for a missing photo", |app| app.notice().is_some_and(|n| n.is_error));
    let error = state(&harness).notice().cloned().unwrap().text;
    assert!(error.contains("/no/such/photo.jpg"), "{error}");
    assert_eq!(state(&harness).consultation().photo_name, "scalp.jpg", "the sample must stay open");

    harness.get_by_label("File").click();
    harness.run_steps(3);
    harness.get_by_label_contains("Open photo").click();
    harness.run_steps(3);
    harness.get_all_by_role(Role::TextInput).last().unwrap().type_text(&path.display().to_string());
    harness.step();
    harness.get_by_role_and_label(Role::Button, "Open").click();
    step_until(&mut harness, "opening the photo", |app| app.consultation().photo_name == "patient-scalp.png");
    assert_eq!(state(&harness).consultation().photo.dimensions(), (640, 480));
    assert!(!state(&harness).consultation().calibrated, "a new photo starts on the default scale");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_lasso_outline_fills_its_inside_in_one_undo_step() {
    let mut harness = harness();
    harness.step();
    harness.get_by_role_and_label(Role::Button, "Scar").click();
    harness.get_by_role_and_label(Role::CheckBox, "Fill shape (lasso)").click();
    harness.step();
    let before = state(&harness).consultation().masks.clone();
    let corners = [
        egui::pos2(1150.0, 450.0),
        egui::pos2(1450.0, 450.0),
        egui::pos2(1450.0, 700.0),
        egui::pos2(1150.0, 700.0),
    ];
    harness.hover_at(screen_from_image(&harness, corners[0]));
    harness.drag_at(screen_from_image(&harness, corners[0]));
    harness.step();
    for &c in &corners[1..] {
        harness.hover_at(screen_from_image(&harness, c));
        harness.step();
    }
    harness.drop_at(screen_from_image(&harness, corners[3]));
    harness.step();
    let scar = state(&harness).consultation().masks.get(RegionKind::Scar);
    assert_eq!(scar.get(1300, 575), 255, "the inside of the outline is not filled");
    assert_eq!(
        scar.get(1100, 575),
        before.get(RegionKind::Scar).get(1100, 575),
        "outside the outline changed"
    );
    let filled = scar.painted_pixels() - before.get(RegionKind::Scar).painted_pixels();
    assert!(filled > 60_000, "only {filled} pixels filled");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.step();
    assert_eq!(state(&harness).consultation().masks, before);
}

#[test]
fn presets_are_saved_renamed_applied_and_deleted_on_disk() {
    let dir = std::env::temp_dir().join(format!("smp-ui-presets-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    let preset_dir = dir.clone();
    let mut harness =
        Harness::builder().with_size(WINDOW).with_theme(egui::Theme::Dark).build_eframe(move |cc| {
            SmpApp::new(cc, None, Folders { presets: Some(preset_dir), ..Folders::default() })
        });
    harness.step();
    let files = || {
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .map(|r| r.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        names.sort();
        names
    };
    let applied = |h: &Harness<'static, SmpApp>| state(h).consultation().preset.name.clone();
    let replace_text = |h: &mut Harness<'static, SmpApp>, text: &str| {
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.step();
        // The dialog's field, not the preset search box behind it.
        h.get_all_by_role(Role::TextInput).last().unwrap().type_text(text);
        h.step();
    };

    harness.get_by_role_and_label(Role::Button, "Save as…").click();
    harness.run_steps(2);
    replace_text(&mut harness, "Clinic crown");
    harness.get_by_role_and_label(Role::Button, "Save").click();
    presets_written(&mut harness);
    assert_eq!(files(), vec!["clinic-crown.ron"]);
    assert_eq!(applied(&harness), "Clinic crown");

    harness.get_by_role_and_label(Role::Button, "Rename…").click();
    harness.run_steps(2);
    replace_text(&mut harness, "Clinic vertex");
    harness.get_by_role_and_label(Role::Button, "Rename").click();
    presets_written(&mut harness);
    assert_eq!(files(), vec!["clinic-vertex.ron"]);
    let saved = std::fs::read_to_string(dir.join("clinic-vertex.ron")).unwrap();
    assert!(saved.contains("name: \"Clinic vertex\""), "{saved}");

    harness.get_by_role_and_label(Role::Button, "Dark skin · defined hairline").click();
    harness.run_steps(2);
    assert_eq!(applied(&harness), "Dark skin · defined hairline");
    harness.get_by_role_and_label(Role::Button, "Clinic vertex").click();
    harness.run_steps(2);
    assert_eq!(applied(&harness), "Clinic vertex");

    // Edit the preset and save the changes: its file and its thumbnail follow.
    harness.get_by_label("Adjust preset").click();
    harness.run_steps(2);
    harness.get_by_label("Hairline style").click();
    harness.run_steps(2);
    harness.get_by_label("Defined / edge-up").click();
    harness.run_steps(2);
    harness.get_by_role_and_label(Role::Button, "Save changes").click();
    presets_written(&mut harness);
    let saved = std::fs::read_to_string(dir.join("clinic-vertex.ron")).unwrap();
    assert!(saved.contains("style: Defined"), "{saved}");
    step_until(&mut harness, "the thumbnail", |app| app.thumbnails_settled());
    let shown = state(&harness).thumbnail_version("Clinic vertex").map(|p| p.hairline.style);
    assert_eq!(
        shown,
        Some(smp_studio::engine::preset::HairlineStyle::Defined),
        "the thumbnail shows the edit"
    );

    harness.get_by_role_and_label(Role::Button, "Delete…").click();
    harness.run_steps(2);
    harness.get_by_role_and_label(Role::Button, "Delete").click();
    presets_written(&mut harness);
    assert!(files().is_empty(), "{:?}", files());
    assert!(state(&harness).store().find("Clinic vertex").is_none());
    // The patient's consultation keeps the preset it was shown with, and says so.
    assert_eq!(applied(&harness), "Clinic vertex");
    assert!(notice_starts_with(state(&harness), "Deleted “Clinic vertex”"), "{:?}", state(&harness).notice());
    assert!(state(&harness).notice().is_some_and(|n| n.text.contains("keeps its copy")));
    std::fs::remove_dir_all(&dir).ok();
}

/// Waits for the preset library's files to be written.
fn presets_written(harness: &mut Harness<'static, SmpApp>) {
    harness.step();
    step_until(harness, "the preset files", |app| !app.studio.presets_busy());
    harness.run_steps(2);
}

/// Replaces whatever the open path prompt suggests with `path`, then presses `button`.
fn answer_path_prompt(harness: &mut Harness<'static, SmpApp>, path: &std::path::Path, button: &str) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.step();
    // The prompt's field, not the preset search box behind it.
    harness.get_all_by_role(Role::TextInput).last().unwrap().type_text(&path.display().to_string());
    harness.step();
    harness.get_by_role_and_label(Role::Button, button).click();
}

#[test]
fn a_consultation_saves_to_one_file_and_reopens() {
    let dir = std::env::temp_dir().join(format!("smp-ui-visit-{}.smpc", std::process::id()));
    std::fs::remove_file(&dir).ok();
    let mut harness = harness();
    harness.step();
    harness.get_by_role_and_label(Role::Button, "Scar").click();
    harness.step();
    drag_on_photo(&mut harness, egui::pos2(1200.0, 500.0), egui::pos2(1350.0, 650.0), 6);
    let saved = state(&harness).consultation().masks.clone();

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run_steps(2);
    answer_path_prompt(&mut harness, &dir, "Save");
    step_until(&mut harness, "saving", |app| notice_starts_with(app, "Saved the consultation"));
    assert!(dir.is_file(), "the consultation is one file");

    // Paint more, then reopen: the saved state comes back.
    drag_on_photo(&mut harness, egui::pos2(300.0, 300.0), egui::pos2(500.0, 320.0), 4);
    assert_ne!(state(&harness).consultation().masks, saved);
    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::O);
    // The later strokes were never saved: opening asks before dropping them.
    harness.run_steps(4);
    harness.get_by_role_and_label(Role::Button, "Discard changes").click();
    harness.run_steps(2);
    answer_path_prompt(&mut harness, &dir, "Open");
    step_until(&mut harness, "opening", |app| notice_starts_with(app, "Opened the consultation"));
    assert_eq!(state(&harness).consultation().masks, saved);
    std::fs::remove_file(&dir).ok();
}

/// Ctrl+E, the export dialog with `kind` and full-resolution PNG chosen, then the file.
fn export_as(harness: &mut Harness<'static, SmpApp>, kind: &str, path: &std::path::Path) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run_steps(2);
    // One click a frame, and a frame more for the dialog to settle at its new size.
    harness.get_by_label(kind).click();
    harness.run_steps(2);
    if harness.query_by_label("PNG").is_some() {
        harness.get_by_label("PNG").click();
        harness.run_steps(2);
        harness.get_by_label("Full resolution").click();
        harness.run_steps(2);
    }
    click_when_shown(harness, "Choose file…");
    harness.run_steps(2);
    // The prompt says what it exports (it said "Export preview" for a PDF report too).
    let title = format!("Export: {kind}");
    for _ in 0..30 {
        if harness.query_by_label(&title).is_some() {
            break;
        }
        harness.step();
    }
    assert!(harness.query_by_label(&title).is_some(), "the path prompt names {kind}");
    answer_path_prompt(harness, path, "Export");
}

/// The export dialog stays where it first shows: neither its second frame nor a choice that
/// changes its height moves the controls from under the pointer (it jumped about 90 px, so
/// the first click missed).
#[test]
fn the_export_dialog_holds_still() {
    let mut harness = harness();
    settle(&mut harness);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    let mut first = None;
    for _ in 0..10 {
        harness.step();
        if let Some(node) = harness.query_by_label("PDF report") {
            first = Some(node.rect());
            break;
        }
    }
    let first = first.expect("the export dialog shows");
    let place = |harness: &Harness<'static, SmpApp>| harness.get_by_label("PDF report").rect();
    let mut seen = Vec::new();
    for _ in 0..3 {
        harness.step();
        seen.push(place(&harness));
    }
    // A report has no format or size: the dialog gets shorter, and must not move up.
    harness.get_by_label("PDF report").click();
    for _ in 0..3 {
        harness.step();
        seen.push(place(&harness));
    }
    harness.get_by_label("Preview image").click();
    for _ in 0..3 {
        harness.step();
        seen.push(place(&harness));
    }
    save_screen(&mut harness, "export-dialog");
    for rect in seen {
        assert!((rect.min - first.min).length() < 1.0, "moved from {first:?} to {rect:?}");
    }
}

#[test]
fn the_preview_exports_to_a_typed_path() {
    let dir = std::env::temp_dir().join(format!("smp-ui-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("preview.png");
    let mut harness = harness();
    settle(&mut harness);
    export_as(&mut harness, "Preview image", &file);
    step_until(&mut harness, "exporting", |app| notice_starts_with(app, "Exported"));
    let exported = image::open(&file).unwrap().to_rgb8();
    let result = state(&harness).last_result().unwrap();
    // The simulated result, at full size, with the disclaimer strip under it.
    assert_eq!(exported.width(), result.width());
    assert!(exported.height() > result.height());
    let top = image::imageops::crop_imm(&exported, 0, 0, result.width(), result.height()).to_image();
    assert_eq!(&top, result, "the file must hold the simulated result");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_before_after_sheet_and_a_pdf_report_export_and_a_long_export_can_be_cancelled() {
    let dir = std::env::temp_dir().join(format!("smp-ui-handouts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut harness = harness();
    settle(&mut harness);
    let sheet = dir.join("before-after.png");
    export_as(&mut harness, "Before and after", &sheet);
    step_until(&mut harness, "the sheet", |app| notice_starts_with(app, "Exported"));
    let image = image::open(&sheet).unwrap().to_rgb8();
    let photo = state(&harness).consultation().photo.dimensions();
    assert!(image.width() > 2 * photo.0, "two pictures side by side: {:?}", image.dimensions());

    let report = dir.join("report.pdf");
    export_as(&mut harness, "PDF report", &report);
    step_until(&mut harness, "the report", |app| notice_starts_with(app, "Exported"));
    let bytes = std::fs::read(&report).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");

    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_long_export_can_be_cancelled_and_writes_nothing() {
    let dir = std::env::temp_dir().join(format!("smp-ui-cancel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A 30-megapixel photo with a large bald spot: its full-size session sheet takes seconds.
    let photo = dir.join("large.png");
    image::RgbImage::from_fn(6300, 4700, |x, y| {
        let v = ((x * 7 + y * 13) % 23) as u8;
        image::Rgb([190 + v, 150 + v, 130 + v])
    })
    .save(&photo)
    .unwrap();
    let mut harness = harness();
    settle(&mut harness);
    open_photo(&mut harness, &photo);
    harness.get_by_role_and_label(Role::Button, "Bald spot").click();
    harness.step();
    drag_on_photo(&mut harness, egui::pos2(1000.0, 1000.0), egui::pos2(5000.0, 3600.0), 8);
    step_until(&mut harness, "the render", |app| app.render_settled());

    let sessions = dir.join("sessions.png");
    export_as(&mut harness, "Sessions", &sessions);
    step_until(&mut harness, "the progress", |app| app.studio.export_running().is_some());
    // The path prompt's own Cancel is gone once the progress is shown.
    // A new popup is measured in its first frame and shown in the next.
    for _ in 0..10 {
        if harness.query_by_label("Making the sessions…").is_some() {
            break;
        }
        harness.step();
    }
    save_screen(&mut harness, "export-progress");
    harness.get_by_label("Making the sessions…");
    click_when_shown(&mut harness, "Cancel");
    step_until(&mut harness, "the cancel", |app| app.studio.export_running().is_none());
    assert!(
        notice_starts_with(state(&harness), "The export was cancelled"),
        "{:?}",
        state(&harness).notice()
    );
    assert!(!sessions.exists(), "a cancelled export writes nothing");
    std::fs::remove_dir_all(&dir).ok();
}

/// A window whose autosave writes to `recovery` at once instead of after a quiet moment.
fn harness_keeping_work_in(recovery: &std::path::Path) -> Harness<'static, SmpApp> {
    harness_opening(None, recovery)
}

/// Like [`harness_keeping_work_in`], started with a photo to open, as from the command line.
fn harness_opening(photo: Option<&std::path::Path>, recovery: &std::path::Path) -> Harness<'static, SmpApp> {
    let recovery = recovery.to_path_buf();
    let photo = photo.map(std::path::Path::to_path_buf);
    Harness::builder().with_size(WINDOW).with_theme(egui::Theme::Dark).wgpu().build_eframe(move |cc| {
        SmpApp::new(cc, photo.as_deref(), Folders { recovery: Some(recovery), ..Folders::default() })
            .with_autosave_after(Duration::ZERO)
    })
}

/// Answers the start-up offer with Restore and waits for the work to be back.
fn restore_offered_work(harness: &mut Harness<'static, SmpApp>) {
    harness.get_by_role_and_label(Role::Button, "Restore").click();
    step_until(harness, "restoring", |app| notice_starts_with(app, "Restored the unsaved work"));
}

/// File ▸ Quit, answered with "Discard changes"; waits until the recovery folder has heard.
fn quit_discarding_changes(harness: &mut Harness<'static, SmpApp>) {
    harness.get_by_label("File").click();
    harness.run_steps(3);
    harness.get_by_label_contains("Quit").click();
    // A modal takes a frame to size itself before it shows.
    harness.run_steps(4);
    harness.get_by_role_and_label(Role::Button, "Discard changes").click();
    step_until(harness, "discarding", |app| app.autosave_settled());
}

/// A file dropped on the window.
#[derive(Debug)]
struct DroppedPath(std::path::PathBuf);

impl egui::DroppedFile for DroppedPath {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// The one folder under `recovery` that holds a window's work.
fn kept_folder(recovery: &std::path::Path) -> std::path::PathBuf {
    let folders: Vec<_> = std::fs::read_dir(recovery)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.join("recovery.ron").is_file())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    folders[0].clone()
}

/// How many windows' unsaved work the recovery folder holds.
fn kept_work(recovery: &std::path::Path) -> usize {
    std::fs::read_dir(recovery)
        .map(|entries| {
            entries.filter_map(|e| e.ok()).filter(|e| e.path().join("recovery.ron").is_file()).count()
        })
        .unwrap_or(0)
}

#[test]
fn unsaved_work_outlives_a_crash_and_is_offered_back() {
    let dir = std::env::temp_dir().join(format!("smp-ui-recovery-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    let mut harness = harness_keeping_work_in(&dir);
    harness.step();
    assert!(harness.query_by_label("Restore").is_none(), "nothing to restore on a first start");
    harness.get_by_role_and_label(Role::Button, "Bald spot").click();
    harness.step();
    drag_on_photo(&mut harness, egui::pos2(300.0, 900.0), egui::pos2(700.0, 950.0), 6);
    let painted = state(&harness).consultation().masks.clone();
    step_until(&mut harness, "the autosave", |app| app.autosave_settled());
    assert_eq!(kept_work(&dir), 1, "the recovery folder should hold the stroke");
    // The window goes away without closing or saving, as in a crash or a power cut.
    drop(harness);

    // Started with a photo to open, as from the command line: the photo opens while the offer
    // waits, and the kept work must stay until the offer is answered.
    let argument = dir.join("argument.png");
    image::RgbImage::from_pixel(64, 48, image::Rgb([180, 140, 120])).save(&argument).unwrap();
    let mut harness = harness_opening(Some(&argument), &dir);
    harness.run_steps(2);
    step_until(&mut harness, "the photo to open", |app| !app.studio.loading());
    harness.run_steps(2);
    assert!(harness.query_by_label("Restore").is_some(), "the offer still waits");
    assert_eq!(kept_work(&dir), 1, "the kept work was emptied before the offer was answered");
    drop(harness);

    let mut harness = harness_keeping_work_in(&dir);
    harness.run_steps(2);
    // A photo dropped while the offer waits must not replace the work it holds.
    let photo = dir.join("dropped.png");
    image::RgbImage::from_pixel(64, 48, image::Rgb([190, 150, 130])).save(&photo).unwrap();
    harness.input_mut().dropped_files.push(std::sync::Arc::new(DroppedPath(photo)));
    harness.run_steps(3);
    assert_eq!(state(&harness).consultation().photo_name, "scalp.jpg", "the offer must be answered first");
    let folder = kept_folder(&dir);
    restore_offered_work(&mut harness);
    assert_eq!(state(&harness).consultation().masks, painted, "the stroke must come back");
    assert_eq!(state(&harness).consultation().photo_name, "scalp.jpg");
    assert!(state(&harness).unsaved(), "restored work is still unsaved");
    // Later edits go on in the same folder.
    drag_on_photo(&mut harness, egui::pos2(300.0, 300.0), egui::pos2(500.0, 320.0), 4);
    step_until(&mut harness, "the autosave", |app| app.autosave_settled());
    assert_eq!(kept_folder(&dir), folder);
    assert_eq!(
        Consultation::load(&folder.join("consultation.smpc")).unwrap().masks,
        state(&harness).consultation().masks
    );

    // Quitting asks; discarding empties the recovery folder.
    quit_discarding_changes(&mut harness);
    assert_eq!(kept_work(&dir), 0, "discarded work must not be offered again");
    drop(harness);

    let mut harness = harness_keeping_work_in(&dir);
    harness.run_steps(2);
    assert!(harness.query_by_label("Restore").is_none(), "nothing left to restore");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn opening_something_else_asks_before_dropping_unsaved_strokes() {
    let mut harness = harness();
    harness.step();
    let sample = state(&harness).consultation().masks.clone();
    harness.get_by_role_and_label(Role::Button, "Scar").click();
    harness.step();
    drag_on_photo(&mut harness, egui::pos2(300.0, 300.0), egui::pos2(600.0, 320.0), 4);
    let painted = state(&harness).consultation().masks.clone();
    assert_ne!(painted, sample);

    let open_sample = |harness: &mut Harness<'static, SmpApp>| {
        harness.get_by_label("File").click();
        harness.run_steps(3);
        harness.get_by_label("Open sample consultation").click();
        // A modal takes a frame to size itself before it shows.
        harness.run_steps(4);
    };
    open_sample(&mut harness);
    harness.get_by_role_and_label(Role::Button, "Cancel").click();
    harness.run_steps(2);
    assert_eq!(state(&harness).consultation().masks, painted, "Cancel keeps the strokes");

    open_sample(&mut harness);
    harness.get_by_role_and_label(Role::Button, "Discard changes").click();
    step_until(&mut harness, "the sample", |app| notice_starts_with(app, "Opened the sample"));
    assert_eq!(state(&harness).consultation().masks, sample, "Discard opens the sample afresh");
    assert!(!state(&harness).unsaved());

    // With nothing unsaved, nothing is asked.
    open_sample(&mut harness);
    assert!(harness.query_by_label("Discard changes").is_none());
}

#[test]
fn two_windows_keep_their_unsaved_work_apart() {
    let dir = std::env::temp_dir().join(format!("smp-ui-recovery-two-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    let paint = |harness: &mut Harness<'static, SmpApp>, y: f32| {
        harness.get_by_role_and_label(Role::Button, "Bald spot").click();
        harness.step();
        drag_on_photo(harness, egui::pos2(300.0, y), egui::pos2(700.0, y + 40.0), 6);
        step_until(harness, "the autosave", |app| app.autosave_settled());
        state(harness).consultation().masks.clone()
    };
    let mut first = harness_keeping_work_in(&dir);
    first.step();
    let first_work = paint(&mut first, 900.0);
    // A second window while the first runs: it offers nothing and keeps its own copy.
    let mut second = harness_keeping_work_in(&dir);
    second.run_steps(2);
    assert!(second.query_by_label("Restore").is_none(), "a running window's work is not offered");
    let second_work = paint(&mut second, 300.0);
    assert_eq!(kept_work(&dir), 2, "each window keeps its own copy");
    assert_ne!(first_work, second_work);
    // The first window edits again: its copy becomes the newest.
    let first_work = paint(&mut first, 600.0);
    drop(second);
    drop(first);

    // Later starts offer both, the newest first.
    for expected in [first_work, second_work] {
        let mut harness = harness_keeping_work_in(&dir);
        harness.run_steps(2);
        restore_offered_work(&mut harness);
        assert_eq!(state(&harness).consultation().masks, expected);
        step_until(&mut harness, "the copy kept again", |app| app.autosave_settled());
        quit_discarding_changes(&mut harness);
    }
    assert_eq!(kept_work(&dir), 0);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn work_that_cannot_be_restored_stays_where_it_is() {
    let dir = std::env::temp_dir().join(format!("smp-ui-recovery-bad-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    let mut harness = harness_keeping_work_in(&dir);
    harness.step();
    harness.get_by_role_and_label(Role::Button, "Bald spot").click();
    harness.step();
    drag_on_photo(&mut harness, egui::pos2(300.0, 900.0), egui::pos2(700.0, 950.0), 6);
    step_until(&mut harness, "the autosave", |app| app.autosave_settled());
    drop(harness);
    // Damage the kept copy.
    let folder = kept_folder(&dir);
    let broken = folder.join("consultation.smpc");
    std::fs::write(&broken, "not a consultation").unwrap();

    let mut harness = harness_keeping_work_in(&dir);
    harness.run_steps(2);
    harness.get_by_role_and_label(Role::Button, "Restore").click();
    step_until(&mut harness, "the failure", |app| app.notice().is_some_and(|n| n.is_error));
    let error = state(&harness).notice().cloned().unwrap().text;
    assert!(
        error.contains("could not be restored") && error.contains(&folder.display().to_string()),
        "{error}"
    );
    // New work goes to a folder of its own; the damaged copy is left untouched.
    drag_on_photo(&mut harness, egui::pos2(300.0, 300.0), egui::pos2(500.0, 320.0), 4);
    step_until(&mut harness, "the autosave", |app| app.autosave_settled());
    assert_eq!(kept_work(&dir), 2);
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), "not a consultation");
    std::fs::remove_dir_all(&dir).ok();
}

/// Clicks the button labelled `label` once it shows (a modal takes a few frames to appear).
fn click_when_shown(harness: &mut Harness<'static, SmpApp>, label: &str) {
    for _ in 0..30 {
        if harness.query_by_role_and_label(Role::Button, label).is_some() {
            break;
        }
        harness.step();
    }
    harness.get_by_role_and_label(Role::Button, label).click();
}

/// Opens `path` through File ▸ Open photo and its typed-path prompt.
fn open_photo(harness: &mut Harness<'static, SmpApp>, path: &std::path::Path) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    harness.run_steps(2);
    answer_path_prompt(harness, path, "Open");
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    step_until(harness, "opening the photo", move |app| {
        app.consultation().photo_name == name && app.render_settled()
    });
}

#[test]
fn enter_confirms_and_escape_cancels_every_prompt() {
    let mut harness = harness();
    harness.step();
    harness.get_by_role_and_label(Role::Button, "Measure").click();
    harness.step();
    drag_on_photo(&mut harness, egui::pos2(300.0, 300.0), egui::pos2(600.0, 300.0), 6);
    harness.run_steps(2);
    harness.get_all_by_role(Role::TextInput).last().unwrap().type_text("20");
    harness.step();
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    assert!(state(&harness).dialog.is_none(), "Enter must submit the length");
    let px_per_mm = state(&harness).consultation().settings.scale.px_per_mm;
    assert!((px_per_mm - 15.0).abs() < 0.1, "scale {px_per_mm}");
    assert!(state(&harness).consultation().calibrated);

    // The calibration is unsaved: opening asks first, and Esc answers Cancel.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    harness.run_steps(2);
    assert!(matches!(state(&harness).dialog, Some(Dialog::Leave(_))), "{:?}", state(&harness).dialog);
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(state(&harness).dialog.is_none(), "Esc must close the question");
    assert!(state(&harness).unsaved(), "Cancel keeps the work");

    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::S);
    harness.run_steps(2);
    assert!(matches!(state(&harness).dialog, Some(Dialog::Path { .. })), "{:?}", state(&harness).dialog);
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(state(&harness).dialog.is_none(), "Esc must close the prompt");
}

#[test]
fn saving_first_goes_on_with_what_was_asked() {
    let dir = std::env::temp_dir().join(format!("smp-ui-save-first-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("visit.smpc");
    let mut harness = harness();
    harness.step();
    drag_on_photo(&mut harness, egui::pos2(300.0, 300.0), egui::pos2(600.0, 320.0), 4);
    let painted = state(&harness).consultation().masks.clone();
    harness.get_by_label("File").click();
    harness.run_steps(3);
    harness.get_by_label("Open sample consultation").click();
    harness.run_steps(2);
    harness.get_by_role_and_label(Role::Button, "Save…").click();
    harness.run_steps(2);
    answer_path_prompt(&mut harness, &file, "Save");
    // The save is written, then the sample the person asked for opens.
    step_until(&mut harness, "the sample after saving", |app| notice_starts_with(app, "Opened the sample"));
    assert!(!state(&harness).unsaved());
    assert_ne!(state(&harness).consultation().masks, painted);
    let saved = smp_studio::engine::consultation::Consultation::load(&file).unwrap();
    assert_eq!(saved.masks, painted, "the strokes were saved before the sample opened");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_photo_is_never_written_over_and_other_files_only_when_asked() {
    let dir = std::env::temp_dir().join(format!("smp-ui-overwrite-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let photo = dir.join("patient.png");
    image::RgbImage::from_fn(320, 240, |x, y| image::Rgb([180 + (x % 20) as u8, 140, 120 + (y % 9) as u8]))
        .save(&photo)
        .unwrap();
    let photo_bytes = std::fs::read(&photo).unwrap();
    let mut harness = harness();
    harness.step();
    open_photo(&mut harness, &photo);

    // Export onto the photo itself: refused, the photo untouched.
    export_as(&mut harness, "Preview image", &photo);
    harness.run_steps(2);
    let notice = state(&harness).notice().cloned().unwrap();
    assert!(notice.is_error && notice.text.contains("never overwrites a photo"), "{notice:?}");
    assert_eq!(std::fs::read(&photo).unwrap(), photo_bytes);

    // Save onto the photo: refused too.
    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::S);
    harness.run_steps(2);
    answer_path_prompt(&mut harness, &dir.join("patient.smpc"), "Save");
    step_until(&mut harness, "saving", |app| notice_starts_with(app, "Saved the consultation"));

    // Export onto another existing file: asked first; Cancel leaves it alone.
    let other = dir.join("notes.png");
    std::fs::write(&other, b"keep me").unwrap();
    export_as(&mut harness, "Preview image", &other);
    harness.run_steps(2);
    assert!(matches!(state(&harness).dialog, Some(Dialog::Replace { .. })), "{:?}", state(&harness).dialog);
    click_when_shown(&mut harness, "Cancel");
    harness.run_steps(3);
    assert_eq!(std::fs::read(&other).unwrap(), b"keep me");
    // Asked again and answered Replace: the preview is written.
    export_as(&mut harness, "Preview image", &other);
    click_when_shown(&mut harness, "Replace");
    step_until(&mut harness, "exporting", |app| notice_starts_with(app, "Exported"));
    assert_eq!(image::open(&other).unwrap().to_rgb8().width(), 320);
    assert_eq!(std::fs::read(&photo).unwrap(), photo_bytes, "the photo was never touched");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_consultation_saved_by_another_window_is_not_silently_replaced() {
    use smp_studio::engine::consultation::Consultation;
    let dir = std::env::temp_dir().join(format!("smp-ui-two-saves-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("visit.smpc");
    let mut harness = harness();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run_steps(2);
    answer_path_prompt(&mut harness, &file, "Save");
    step_until(&mut harness, "saving", |app| notice_starts_with(app, "Saved the consultation"));

    // Another window saves other work into the same file.
    let mut theirs = Consultation::load(&file).unwrap();
    theirs.notes.notes = "their work".into();
    theirs.save(&file).unwrap();
    let their_bytes = std::fs::read(&file).unwrap();

    drag_on_photo(&mut harness, egui::pos2(300.0, 300.0), egui::pos2(600.0, 320.0), 4);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run_steps(2);
    assert!(
        matches!(state(&harness).dialog, Some(Dialog::ChangedOnDisk { .. })),
        "{:?}",
        state(&harness).dialog
    );
    harness.get_by_role_and_label(Role::Button, "Cancel").click();
    harness.run_steps(2);
    assert_eq!(std::fs::read(&file).unwrap(), their_bytes, "Cancel keeps the other window's work");

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    click_when_shown(&mut harness, "Replace");
    step_until(&mut harness, "saving", |app| {
        notice_starts_with(app, "Saved the consultation") && !app.unsaved()
    });
    assert_eq!(Consultation::load(&file).unwrap().masks, state(&harness).consultation().masks);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn presenting_hides_the_tools_and_escape_brings_them_back() {
    let mut harness = harness();
    settle(&mut harness);
    assert!(harness.query_by_role_and_label(Role::Button, "Bald spot").is_some());
    harness.key_press(egui::Key::F11);
    harness.run_steps(3);
    assert!(harness.query_by_role_and_label(Role::Button, "Bald spot").is_none(), "the tools must hide");
    assert!(harness.query_by_label("Preset").is_none(), "the preset panel must hide");
    assert!(state(&harness).controls.split.is_some(), "before and after side by side");
    // Only the session and the years remain, and they still work.
    harness.get_by_role_and_label(Role::Button, "1").click();
    settle(&mut harness);
    assert_eq!(state(&harness).consultation().settings.session, 1);
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    assert!(
        harness.query_by_role_and_label(Role::Button, "Bald spot").is_some(),
        "Esc must restore the tools"
    );
    assert_eq!(state(&harness).controls.split, None, "the view before presenting comes back");
}

/// Opening Adjust preset keeps the right panel's content inside the panel: its sliders, their
/// values and the buttons around them (the rows were wider than the panel and pushed it left,
/// cutting "Preset" to "eset").
#[test]
fn adjust_preset_fits_the_right_panel() {
    let mut harness = harness();
    harness.step();
    let before = harness.get_by_label("Adjust preset").rect();
    harness.get_by_label("Adjust preset").click();
    harness.run_steps(3);
    save_screen(&mut harness, "adjust");
    let after = harness.get_by_label("Adjust preset").rect();
    assert!((after.left() - before.left()).abs() < 1.0, "the panel's content moved: {before:?} → {after:?}");
    let panel_left = before.left() - 12.0;
    let mut sliders = 0;
    for slider in harness.query_all_by_role(Role::Slider) {
        let rect = slider.rect();
        if rect.left() < WINDOW.x / 2.0 {
            continue;
        }
        sliders += 1;
        assert!(
            rect.left() >= panel_left && rect.right() <= WINDOW.x,
            "a slider outside the panel: {rect:?}"
        );
    }
    assert!(sliders >= 4, "only {sliders} sliders in Adjust preset");
    for name in ["Dot size", "Darkness", "Density", "Shadow", "Hairline feather"] {
        for node in harness.query_all_by_label(name) {
            let rect = node.rect();
            assert!(rect.right() <= WINDOW.x + 0.5, "{name} runs past the window's edge: {rect:?}");
        }
    }
    assert!(harness.query_all_by_label("Shadow").next().is_some(), "the shadow is not adjustable");
}

/// Help holds a consultation from start to finish, each step naming its tools with their keys.
#[test]
fn help_walks_through_a_consultation_in_six_steps() {
    let mut harness = harness();
    harness.step();
    harness.get_by_label("Help").click();
    harness.run_steps(2);
    harness.get_by_label("A consultation in six steps").click();
    harness.run_steps(3);
    assert!(state(&harness).show_guide);
    for step in [
        "1. Open the photo",
        "2. Measure",
        "3. Paint or design",
        "4. Choose the preset",
        "5. Show the patient",
        "6. Save and hand out",
    ] {
        assert!(harness.query_by_label(step).is_some(), "no step {step:?}");
    }
    assert!(harness.query_all_by_label_contains("Measure (M)").next().is_some(), "the steps name their keys");
    save_screen(&mut harness, "guide");
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(!state(&harness).show_guide, "Esc did not close the guide");
}

#[test]
fn the_shortcuts_sheet_lists_every_command_with_a_shortcut() {
    use smp_studio::app::commands::shortcut_text;
    let mut harness = harness();
    harness.step();
    harness.key_press(egui::Key::F1);
    harness.run_steps(3);
    for command in Command::ALL {
        for shortcut in command.shortcuts() {
            let keys = shortcut_text(&shortcut);
            let on_sheet = harness.query_all_by_label_contains(&keys).next().is_some();
            assert!(on_sheet, "{command:?} ({keys}) is not on the sheet");
        }
        if command.shortcut().is_some() {
            let on_sheet = harness.query_all_by_label(command.label()).next().is_some();
            assert!(on_sheet, "{command:?} is not on the sheet");
        }
    }
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(harness.query_by_label("Keyboard shortcuts").is_none() || !state(&harness).show_shortcuts);
}

#[test]
fn the_mirror_view_paints_where_the_pointer_is() {
    let mut harness = harness();
    harness.step();
    harness.key_press(egui::Key::H);
    harness.run_steps(2);
    assert!(state(&harness).view.mirrored);
    // Drag on the left of the screen: in a mirror that is the photo's right.
    let before = state(&harness).consultation().masks.get(RegionKind::Bald).clone();
    drag_on_photo(&mut harness, egui::pos2(1300.0, 300.0), egui::pos2(1400.0, 300.0), 4);
    let rect = state(&harness).canvas_rect;
    assert!(screen_from_image(&harness, egui::pos2(1350.0, 300.0)).x < rect.center().x);
    let mask = state(&harness).consultation().masks.get(RegionKind::Bald);
    assert_eq!(mask.get(1350, 300), 255);
    assert_eq!(before.get(1350, 300), 0);
}

/// Mirrored, the photo stays where it was on the canvas, left and right swapped; before, it
/// slid a photo's width to the right, under the panel, and Zoom to fit did not bring it back.
#[test]
fn the_mirror_view_shows_the_photo_in_place() {
    let mut harness = harness();
    settle(&mut harness);
    harness.remove_cursor();
    harness.step();
    let plain = harness.render().unwrap();
    harness.key_press(egui::Key::H);
    harness.run_steps(2);
    let mirrored = harness.render().unwrap();
    let app = state(&harness);
    let scale = harness.ctx.pixels_per_point();
    let (w, h) = app.consultation().photo.dimensions();
    let shown =
        app.view.photo_rect(app.canvas_rect, egui::vec2(w as f32, h as f32)).intersect(app.canvas_rect);
    let (x0, x1) = ((shown.min.x * scale).ceil() as u32, (shown.max.x * scale).floor() as u32);
    let (y0, y1) = ((shown.min.y * scale).ceil() as u32, (shown.max.y * scale).floor() as u32);
    assert!(x1 > x0 + 100 && y1 > y0 + 100, "the photo is hardly on screen: {shown:?}");
    // The mirrored canvas is the plain one turned about the photo's middle.
    let (mut sum, mut n) = (0.0f64, 0.0f64);
    for y in (y0..y1).step_by(3) {
        for x in (x0..x1).step_by(3) {
            let (a, b) = (mirrored.get_pixel(x, y).0, plain.get_pixel(x0 + x1 - 1 - x, y).0);
            sum += (0..3).map(|c| (a[c] as f64 - b[c] as f64).abs()).sum::<f64>() / 3.0;
            n += 1.0;
        }
    }
    let difference = sum / n;
    assert!(
        difference < 6.0,
        "the mirrored photo differs from the plain one turned by {difference:.1} levels"
    );
}

#[test]
fn patient_notes_are_one_undoable_edit_and_are_saved() {
    let dir = std::env::temp_dir().join(format!("smp-ui-notes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("notes.smpc");
    let mut harness = harness();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::I);
    harness.run_steps(2);
    harness.get_by_label("Patient").click();
    harness.step();
    harness.get_by_role_and_label(Role::TextInput, "Patient").type_text("P-1024");
    harness.step();
    harness.get_by_role_and_label(Role::MultilineTextInput, "Notes").click();
    harness.step();
    harness.get_by_role_and_label(Role::MultilineTextInput, "Notes").type_text("Crown first; soft front.");
    harness.step();
    click_when_shown(&mut harness, "Keep");
    harness.run_steps(2);
    assert_eq!(state(&harness).consultation().notes.label, "P-1024");
    assert_eq!(state(&harness).consultation().notes.notes, "Crown first; soft front.");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(state(&harness).consultation().notes.label, "", "one undo takes the notes back");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    harness.run_steps(2);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run_steps(2);
    answer_path_prompt(&mut harness, &file, "Save");
    step_until(&mut harness, "saving", |app| notice_starts_with(app, "Saved the consultation"));
    let saved = smp_studio::engine::consultation::Consultation::load(&file).unwrap();
    assert_eq!(saved.notes.label, "P-1024");
    std::fs::remove_dir_all(&dir).ok();
}

/// Patient and notes opens with the Patient field taking the keyboard, and Enter there keeps
/// what was typed (it did nothing, and no field had focus).
#[test]
fn patient_and_notes_open_ready_to_type_and_enter_keeps_them() {
    let mut harness = harness();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::I);
    harness.run_steps(3);
    assert!(
        harness.get_by_role_and_label(Role::TextInput, "Patient").is_focused(),
        "Patient has the keyboard"
    );
    harness.get_by_role_and_label(Role::TextInput, "Patient").type_text("P-2048");
    harness.step();
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    assert_eq!(state(&harness).consultation().notes.label, "P-2048");
    assert!(harness.query_by_label("Keep").is_none(), "Enter closed the dialog");
}

#[test]
fn plan_figures_follow_the_painted_area_and_the_clinics_pace() {
    let mut harness = harness();
    settle(&mut harness);
    let before = state(&harness).studio.plan().total.impressions();
    assert!(before > 1_000, "the sample plans {before} impressions");
    let sessions = &state(&harness).studio.plan().total.impressions_per_session;
    assert_eq!(sessions.len(), 3);
    assert!(harness.query_by_label_contains("Session 1:").is_some());
    // A new bald patch adds its impressions to the plan.
    harness.get_by_role_and_label(Role::Button, "Bald spot").click();
    harness.step();
    drag_on_photo(&mut harness, egui::pos2(250.0, 520.0), egui::pos2(520.0, 560.0), 8);
    settle(&mut harness);
    let after = state(&harness).studio.plan().total.impressions();
    assert!(after > before, "{before} → {after}");
}

#[test]
fn a_saved_consultation_reopens_from_open_recent() {
    let dir = std::env::temp_dir().join(format!("smp-ui-recent-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    let settings = dir.join("settings.ron");
    let build = |settings: std::path::PathBuf| {
        Harness::builder().with_size(WINDOW).with_theme(egui::Theme::Dark).build_eframe(move |cc| {
            SmpApp::new(cc, None, Folders { settings: Some(settings), ..Folders::default() })
        })
    };
    let file = dir.join("recent-visit.smpc");
    let mut harness = build(settings.clone());
    harness.step();
    drag_on_photo(&mut harness, egui::pos2(300.0, 300.0), egui::pos2(600.0, 320.0), 4);
    let painted = state(&harness).consultation().masks.clone();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run_steps(2);
    answer_path_prompt(&mut harness, &file, "Save");
    step_until(&mut harness, "saving", |app| notice_starts_with(app, "Saved the consultation"));
    step_until(&mut harness, "the settings", |app| !app.studio.writing());
    drop(harness);

    // A later start remembers it.
    let mut harness = build(settings);
    harness.step();
    assert_ne!(state(&harness).consultation().masks, painted);
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Open recent").hover();
    harness.run_steps(3);
    harness.get_by_label("recent-visit.smpc").click();
    step_until(&mut harness, "reopening", |app| notice_starts_with(app, "Opened the consultation"));
    assert_eq!(state(&harness).consultation().masks, painted);
    assert_eq!(
        state(&harness).studio.document().file_path(),
        Some(std::fs::canonicalize(&file).unwrap().as_path())
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Clicks the photo at `p` (photo pixels).
fn click_on_photo(harness: &mut Harness<'static, SmpApp>, p: egui::Pos2) {
    let at = screen_from_image(harness, p);
    harness.hover_at(at);
    harness.step();
    harness.event(egui::Event::PointerButton {
        pos: at,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    harness.step();
    harness.event(egui::Event::PointerButton {
        pos: at,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    harness.run_steps(2);
}

#[test]
fn the_hairline_designer_measures_from_the_glabella_and_mirrors_its_handles() {
    let mut harness = harness();
    settle(&mut harness);
    harness.get_by_role_and_label(Role::Button, "Design hairline").click();
    harness.run_steps(2);
    // Its controls are in view without scrolling the tools panel, down to the last one.
    let last = harness.get_by_label("Clear the design").rect();
    assert!(last.bottom() < WINDOW.y - 30.0, "the designer's controls end below the fold: {last:?}");
    // The sample is 10 px/mm: a glabella 850 px below the mid-frontal point is 8.5 cm.
    harness.get_by_label("Place glabella").click();
    harness.step();
    click_on_photo(&mut harness, egui::pos2(800.0, 1150.0));
    click_on_photo(&mut harness, egui::pos2(500.0, 400.0));
    // The first handle and its mirror image draw a line: it takes the sample's painted hairline's
    // place, and says so.
    assert!(
        notice_starts_with(state(&harness), "The designed hairline took the place of the painted one"),
        "{:?}",
        state(&harness).notice()
    );
    click_on_photo(&mut harness, egui::pos2(800.0, 300.0));
    let design = state(&harness).consultation().hairline_design.clone().unwrap();
    assert_eq!(design.glabella, Some([800.0, 1150.0]));
    assert_eq!(design.handles.len(), 3, "the first handle's mirror image was added: {:?}", design.handles);
    assert!((design.handles[2][0] - 1100.0).abs() < 1.0, "{:?}", design.handles);
    assert!(
        harness.query_by_label_contains("8.5 cm above the glabella").is_some(),
        "the panel reads the mid-frontal height"
    );
    let layer = state(&harness).consultation().masks.get(RegionKind::Hairline);
    assert_eq!(layer.get(800, 250), 255, "the region lies behind the front line");
    assert_eq!(layer.get(800, 350), 0, "and not in front of it");

    // Drag the left temple down and out: the right one follows, mirrored.
    let steps_before = state(&harness).studio.document().history().steps();
    drag_on_photo(&mut harness, egui::pos2(500.0, 400.0), egui::pos2(450.0, 500.0), 6);
    harness.run_steps(2);
    let design = state(&harness).consultation().hairline_design.clone().unwrap();
    let near = |p: [f32; 2], q: [f32; 2]| (p[0] - q[0]).abs() < 1.5 && (p[1] - q[1]).abs() < 1.5;
    assert!(near(design.handles[0], [450.0, 500.0]), "{:?}", design.handles);
    assert!(near(design.handles[2], [1150.0, 500.0]), "the mirrored side follows: {:?}", design.handles);
    let layer = state(&harness).consultation().masks.get(RegionKind::Hairline);
    assert_eq!(layer.get(470, 470), 255, "the region follows the moved handle");
    assert_eq!(layer.get(1130, 470), 255, "on both sides");
    assert_eq!(
        state(&harness).studio.document().history().steps(),
        steps_before + 1,
        "one drag, one undo step"
    );
    settle(&mut harness);
    save_screen(&mut harness, "designer");
}

#[test]
fn the_head_outline_is_drawn_then_its_handle_dragged_and_the_render_follows() {
    use smp_studio::engine::head::OutlineChoice;
    let mut harness = harness();
    settle(&mut harness);
    harness.get_by_role_and_label(Role::Button, "Head outline").click();
    harness.run_steps(2);
    // The sample is a close-up: no outline is found, and the window says so.
    assert!(harness.query_by_label_contains("No head outline on this photo").is_some());
    assert_eq!(state(&harness).consultation().scene().head_ellipse(), None);
    let flat = state(&harness).last_result().cloned().unwrap();
    let flat_area = state(&harness).stats().region(RegionKind::Bald).area_cm2;

    // A box dragged around the photo becomes the outline.
    drag_on_photo(&mut harness, egui::pos2(200.0, 100.0), egui::pos2(1400.0, 1100.0), 8);
    settle(&mut harness);
    let drawn = state(&harness).consultation().scene().head_ellipse().expect("an outline was drawn");
    assert!((drawn.centre_x - 800.0).abs() < 2.0 && (drawn.radius_x - 600.0).abs() < 2.0, "{drawn:?}");
    assert!(harness.query_by_label_contains("Outline set by hand").is_some());
    let curved = state(&harness).last_result().cloned().unwrap();
    let curved_area = state(&harness).stats().region(RegionKind::Bald).area_cm2;
    assert!(
        curved_area > flat_area * 1.02,
        "the curved scalp holds more skin: {curved_area} against {flat_area}"
    );
    let differ =
        |a: &image::RgbImage, b: &image::RgbImage| a.pixels().zip(b.pixels()).filter(|(p, q)| p != q).count();
    assert!(differ(&flat, &curved) > 5_000, "the render follows the outline");

    // Drag the end of the first half-axis inward: that half-axis shortens, nothing else.
    let steps_before = state(&harness).studio.document().history().steps();
    drag_on_photo(&mut harness, egui::pos2(1400.0, 600.0), egui::pos2(1250.0, 600.0), 6);
    settle(&mut harness);
    let moved = state(&harness).consultation().scene().head_ellipse().unwrap();
    assert!((moved.radius_x - 450.0).abs() < 3.0, "{moved:?}");
    assert!((moved.radius_y - drawn.radius_y).abs() < 0.5 && moved.angle_deg.abs() < 0.5, "{moved:?}");
    assert_eq!(
        state(&harness).studio.document().history().steps(),
        steps_before + 1,
        "one drag, one undo step"
    );
    let after_drag = state(&harness).last_result().cloned().unwrap();
    assert!(differ(&curved, &after_drag) > 1_000, "the render follows the dragged handle");
    save_screen(&mut harness, "head-outline");

    // Turning the curve off gives back the flat render.
    harness.get_by_label("Follow the head's curve").click();
    settle(&mut harness);
    assert_eq!(state(&harness).consultation().settings.head, OutlineChoice::Flat);
    assert_eq!(differ(&flat, state(&harness).last_result().unwrap()), 0);
}

#[test]
fn a_photo_is_shown_before_it_is_measured_and_measured_by_its_first_render() {
    let dir = std::env::temp_dir().join(format!("smp-ui-unmeasured-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let photo = dir.join("patient.png");
    image::RgbImage::from_fn(640, 480, |x, y| image::Rgb([180 + (x % 7) as u8, 140 + (y % 5) as u8, 120]))
        .save(&photo)
        .unwrap();
    let mut harness = harness_opening(Some(&photo), &dir.join("recovery"));
    // The frame the photo opens in shows it, measured or not: finding its hairs and blur takes
    // seconds on a large photo, and the first render does that work.
    step_until(&mut harness, "the photo to open", |app| app.consultation().photo_name == "patient.png");
    assert!(!state(&harness).consultation().analysis.is_measured(), "the photo waited for its measures");
    settle(&mut harness);
    let c = state(&harness).consultation();
    assert!(c.analysis.fits(&c.photo, c.settings.scale), "the first render's measures were not kept");
    assert_eq!(c.hair.scale, Some(c.settings.scale));
    std::fs::remove_dir_all(&dir).ok();
}

/// With `SMP_SHOTS=DIR`, saves what the window shows as `DIR/NAME.png`, to look at.
fn save_screen(harness: &mut Harness<'static, SmpApp>, name: &str) {
    if let Some(dir) = std::env::var_os("SMP_SHOTS") {
        let path = std::path::Path::new(&dir).join(format!("{name}.png"));
        harness.render().unwrap().save(path).unwrap();
    }
}

#[test]
fn the_skin_eyedropper_sets_the_presets_skin_tone_in_one_undoable_step() {
    let dir = std::env::temp_dir().join(format!("smp-ui-dropper-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let photo = dir.join("brown-skin.png");
    image::RgbImage::from_pixel(320, 240, image::Rgb([0x8d, 0x5a, 0x3f])).save(&photo).unwrap();
    let mut harness = harness();
    harness.step();
    open_photo(&mut harness, &photo);
    let before = state(&harness).consultation().preset.skin.clone();
    harness.get_by_role_and_label(Role::Button, "Sample skin").click();
    harness.run_steps(2);
    click_on_photo(&mut harness, egui::pos2(160.0, 120.0));
    let skin = state(&harness).consultation().preset.skin.clone();
    assert_eq!(skin.srgb.to_hex(), "#8d5a3f");
    let expected = smp_studio::engine::sampling::fitzpatrick_for_ita(skin.srgb.ita_degrees());
    assert_eq!(skin.fitzpatrick, expected);
    assert!(
        notice_starts_with(state(&harness), "Skin tone set to #8d5a3f"),
        "{:?}",
        state(&harness).notice()
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(state(&harness).consultation().preset.skin, before);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn compare_shows_labelled_presets_that_pan_together_and_a_click_chooses_one() {
    let mut harness = harness();
    settle(&mut harness);
    let first = state(&harness).consultation().preset.name.clone();
    harness.key_press(egui::Key::C);
    harness.run_steps(2);
    click_when_shown(&mut harness, "Compare");
    step_until(&mut harness, "the comparison's renders", |app| {
        let panes = app.studio.compare().panes();
        panes.len() == 2 && panes.iter().all(|p| p.image().is_some() && !p.rendering())
    });
    let labels: Vec<String> =
        state(&harness).studio.compare().panes().iter().map(|p| p.variant.label.clone()).collect();
    assert_eq!(labels[0], first);
    assert_ne!(labels[1], first);
    // The two presets render differently on the same photo.
    let panes = state(&harness).studio.compare().panes();
    assert_ne!(panes[0].image(), panes[1].image());

    // A drag in the right pane moves both: they share one view.
    let canvas = harness.get_by_role_and_label(Role::Canvas, "Comparison").rect();
    let offset = state(&harness).view.offset;
    let from = egui::pos2(canvas.right() - 200.0, canvas.center().y);
    harness.hover_at(from);
    harness.drag_at(from);
    harness.step();
    for i in 1..=4 {
        harness.hover_at(from + egui::vec2(-15.0 * i as f32, 10.0 * i as f32));
        harness.step();
    }
    harness.drop_at(from + egui::vec2(-60.0, 40.0));
    harness.run_steps(2);
    let moved = state(&harness).view.offset - offset;
    assert!((moved - egui::vec2(-60.0, 40.0)).length() < 2.0, "the shared view moved by {moved:?}");
    save_screen(&mut harness, "compare");

    // A click on the right pane makes its preset the consultation's.
    let right = egui::pos2(canvas.right() - 150.0, canvas.center().y + 60.0);
    harness.hover_at(right);
    harness.step();
    harness.event(egui::Event::PointerButton {
        pos: right,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    harness.step();
    harness.event(egui::Event::PointerButton {
        pos: right,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    harness.run_steps(2);
    assert!(!state(&harness).studio.compare().active());
    assert_eq!(state(&harness).consultation().preset.name, labels[1]);
}

#[test]
fn escape_leaves_a_comparison_as_it_leaves_presentation() {
    let mut harness = harness();
    settle(&mut harness);
    let chosen = state(&harness).consultation().preset.name.clone();
    harness.key_press(egui::Key::C);
    harness.run_steps(2);
    click_when_shown(&mut harness, "Compare");
    step_until(&mut harness, "the comparison", |app| app.studio.compare().active());
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(!state(&harness).studio.compare().active(), "Esc did not leave the comparison");
    assert_eq!(state(&harness).consultation().preset.name, chosen, "leaving chose nothing");
}

#[test]
fn a_photo_too_coarse_for_single_dots_is_named_once_calibrated() {
    let mut harness = harness();
    harness.step();
    harness.get_by_role_and_label(Role::Button, "Measure").click();
    harness.run_steps(2);
    // 300 px said to be 100 mm: 3 px/mm, a whole head seen from far away.
    drag_on_photo(&mut harness, egui::pos2(300.0, 300.0), egui::pos2(600.0, 300.0), 6);
    harness.run_steps(2);
    harness.get_all_by_role(Role::TextInput).last().unwrap().type_text("100");
    harness.step();
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    let notice = state(&harness).notice().cloned().unwrap().text;
    assert!(notice.contains("too few to show single dots") && notice.contains("closer photo"), "{notice}");
}

#[test]
fn suggested_regions_are_proposed_then_accepted_in_one_undoable_step() {
    let mut harness = harness();
    settle(&mut harness);
    let before = state(&harness).consultation().masks.clone();
    harness.get_by_role_and_label(Role::Button, "Suggest regions").click();
    step_until(&mut harness, "the suggestion", |app| app.studio.suggestion().is_some());
    harness.run_steps(2);
    // Proposed only: nothing painted yet.
    assert_eq!(state(&harness).consultation().masks, before);
    save_screen(&mut harness, "suggestion");
    harness.get_by_role_and_label(Role::Button, "Accept suggestion").click();
    harness.run_steps(2);
    let bald = state(&harness).consultation().masks.get(RegionKind::Bald);
    let gained = bald.painted_pixels() - before.get(RegionKind::Bald).painted_pixels();
    assert!(gained > 20_000, "the bald region gained only {gained} pixels");
    // The sample's bare front (above its receded hairline) is among what was found.
    assert!(bald.get(800, 60) > 128, "the bare front was not suggested");
    // Nothing painted before was removed.
    let old = before.get(RegionKind::Bald);
    assert!((0..1200).step_by(7).all(|y| (0..1600).step_by(7).all(|x| bald.get(x, y) >= old.get(x, y))));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(state(&harness).consultation().masks, before, "one undo takes the whole suggestion back");
}

#[test]
fn match_stubble_tunes_the_preset_to_the_patients_own_hair_in_one_undoable_step() {
    let dir = std::env::temp_dir().join(format!("smp-ui-stubble-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // 60 × 30 mm at the default 10 px/mm: buzzed stubble on the left half, bare skin on the right.
    let photo = dir.join("buzzed-sides.png");
    let mut image = image::RgbImage::from_pixel(600, 300, image::Rgb([205, 165, 145]));
    let stubble =
        smp_studio::engine::synth::Stubble { diameter_mm: 0.5, per_cm2: 50.0, contrast: 0.55, seed: 2 };
    stubble.paint(&mut image, smp_studio::engine::units::Scale::DEFAULT, (0, 0, 300, 300));
    image.save(&photo).unwrap();
    let mut harness = harness();
    harness.step();
    open_photo(&mut harness, &photo);
    let before = state(&harness).consultation().preset.clone();
    harness.get_by_role_and_label(Role::Button, "Match stubble").click();
    harness.run_steps(2);
    click_on_photo(&mut harness, egui::pos2(150.0, 150.0));
    // Measured in the background; the window stays live meanwhile.
    step_until(&mut harness, "the match", |app| notice_starts_with(app, "Matched the stubble"));
    let notice = state(&harness).notice().cloned();
    assert!(notice_starts_with(state(&harness), "Matched the stubble (blobs 0."), "{notice:?}");
    let matched = state(&harness).consultation().preset.clone();
    assert_eq!(matched.pigment.shades.len(), 1);
    assert_eq!(matched.pigment.shades[0].name, smp_studio::engine::stubble::SHADE_NAME);
    assert!((matched.dots.dot_diameter_mm - 0.5).abs() < 0.15, "{:?}", matched.dots);
    // The numbers set are the ones said.
    let said = &notice.unwrap().text;
    assert!(said.contains(&format!("dots {:.2} mm", matched.dots.dot_diameter_mm)), "{said}");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert!(state(&harness).consultation().preset == before, "one undo restores the preset");
    std::fs::remove_dir_all(&dir).ok();
}

/// Folders the app asked the file manager to show.
static SHOWN_FOLDERS: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

fn remember_folder(folder: &std::path::Path) -> std::io::Result<()> {
    SHOWN_FOLDERS.lock().unwrap().push(folder.to_path_buf());
    Ok(())
}

/// Every notice of the session is kept in a list the status bar opens and written to a log in
/// the data folder that Help ▸ Open log folder shows; a notice arriving or leaving never moves
/// the photo under the pointer.
#[test]
fn notices_are_listed_logged_and_never_move_the_photo() {
    let dir = std::env::temp_dir().join(format!("smp-ui-log-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    let logs = dir.clone();
    let mut harness =
        Harness::builder().with_size(WINDOW).with_theme(egui::Theme::Dark).wgpu().build_eframe(move |cc| {
            SmpApp::new(cc, None, Folders { logs: Some(logs), ..Folders::default() })
                .with_folder_shown_by(remember_folder)
        });
    harness.run_steps(3);
    let canvas = state(&harness).canvas_rect;
    assert!(state(&harness).notice().is_none());
    harness.get_by_label("File").click();
    harness.run_steps(3);
    harness.get_by_label("Open sample consultation").click();
    step_until(&mut harness, "the sample", |app| notice_starts_with(app, "Opened the sample"));
    harness.run_steps(2);
    assert_eq!(state(&harness).canvas_rect, canvas, "the canvas moved when a notice came");
    harness.get_by_label("Dismiss").click();
    harness.run_steps(2);
    assert!(state(&harness).notice().is_none());
    assert_eq!(state(&harness).canvas_rect, canvas, "the canvas moved when the notice went");

    harness.get_by_label("Help").click();
    harness.run_steps(3);
    harness.get_by_label("Open log folder").click();
    harness.run_steps(2);
    assert_eq!(SHOWN_FOLDERS.lock().unwrap().as_slice(), std::slice::from_ref(&dir));
    assert!(notice_starts_with(state(&harness), "Opened the log folder"), "{:?}", state(&harness).notice());

    // The status bar lists both, newest first, and says where the log is.
    harness.get_by_label_contains("Notices (").click();
    harness.run_steps(5);
    save_screen(&mut harness, "notices");
    let listed: Vec<f32> = ["Opened the log folder", "Opened the sample consultation"]
        .iter()
        .map(|text| {
            let nodes = harness.query_all_by_label_contains(text).collect::<Vec<_>>();
            assert!(!nodes.is_empty(), "{text} is not listed");
            nodes.iter().map(|n| n.rect().top()).fold(f32::MAX, f32::min)
        })
        .collect();
    assert!(listed[0] < listed[1], "the newest is not first: {listed:?}");
    assert!(harness.query_by_label_contains("Also written to").is_some());
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(!state(&harness).show_notices, "Esc does not close the list");

    let log = std::fs::read_to_string(dir.join("smp-studio.log")).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert!(lines[0].contains("start  SMP Studio"), "{log}");
    assert!(lines.iter().any(|l| l.contains("info   Opened the sample consultation.")), "{log}");
    assert!(lines.last().is_some_and(|l| l.contains("info   Opened the log folder")), "{log}");
    std::fs::remove_dir_all(&dir).ok();
}

/// A consultation given to the program (as a double-click on a .smpc file does) opens as a
/// consultation, not as a photo that is "not a photo".
#[test]
fn a_consultation_given_at_start_opens_as_one() {
    let dir = std::env::temp_dir().join(format!("smp-ui-argument-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("given.smpc");
    let mut saved = smp_studio::engine::sample::load().unwrap();
    saved.masks = RegionMasks::new(saved.photo.width(), saved.photo.height());
    saved.save(&file).unwrap();
    let given = file.clone();
    let mut harness = Harness::builder()
        .with_size(WINDOW)
        .with_theme(egui::Theme::Dark)
        .build_eframe(move |cc| SmpApp::new(cc, Some(&given), Folders::default()));
    step_until(&mut harness, "opening", |app| notice_starts_with(app, "Opened the consultation"));
    assert!(!state(&harness).notice().is_some_and(|n| n.is_error), "{:?}", state(&harness).notice());
    assert_eq!(state(&harness).consultation().masks.get(RegionKind::Bald).painted_pixels(), 0);
    std::fs::remove_dir_all(&dir).ok();
}
