//! Hand-outs as a patient receives them: sheets with their panels, labels and caption, the PDF
//! report's page and text, no trace of the camera's metadata, and exports that stop when asked.

mod handout_support;
mod support;

use handout_support as hs;
use image::RgbImage;
use smp_studio::engine::export::{self, ExportOptions, ExportSize, ImageFormat};
use smp_studio::engine::handout::{
    self, CaptionOptions, HandoutError, Progress, ReportOptions, SheetLayout, SheetOptions,
};
use smp_studio::engine::{consultation::Consultation, photo, preset};
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};

const PACE: f32 = 2_500.0;

fn options(c: &Consultation, width: u32) -> SheetOptions {
    let mut options = SheetOptions::new(CaptionOptions::for_consultation(c, PACE).with_patient_label(c));
    options.size = ExportSize::Width(width);
    options
}

/// The panels along the row through the first row of panels, found from the first panel's
/// middle.
fn panels(sheet: &RgbImage) -> Vec<(u32, u32)> {
    // The first panel starts below the top margin and its label; probe down the left margin's
    // first non-paper column.
    let y = (0..sheet.height())
        .find(|&y| hs::runs(sheet, y).iter().any(|&(_, w)| w > sheet.width() / 8))
        .expect("no panel on the sheet");
    hs::runs(sheet, y + 10)
}

#[test]
fn before_after_sheet_shows_photo_and_simulation_side_by_side_with_its_caption() {
    let c = hs::consultation(480, 360, true);
    let sheet = handout::before_after(&c, &options(&c, 1200), Progress::none()).unwrap();
    assert_eq!(sheet.width(), 1200);
    let found = panels(&sheet);
    assert_eq!(found.len(), 2, "two pictures side by side: {found:?}");
    let (w0, w1) = (found[0].1, found[1].1);
    assert_eq!(w0, w1, "both pictures the same size");
    assert!(
        (found[0].0 as i64 - (sheet.width() - found[1].0 - w1) as i64).abs() <= 1,
        "even margins: {found:?}"
    );
    let panel_h = (w0 as f32 * 360.0 / 480.0).round() as u32;
    let top = hs::panel_top(&sheet, found[0].0 + w0 / 2, 200);
    // The picture on the right has dots where the bald patch was painted; the photo has none.
    let (px, py) = hs::patch_centre(w0, panel_h);
    let before = hs::dots(&sheet, found[0].0 + px, top + py, 60);
    let after = hs::dots(&sheet, found[1].0 + px, top + py, 60);
    assert!(before == 0.0 && after > 0.02, "dots in the patch: {before:.3} → {after:.3}");
    // Each picture is labelled above it, and the caption strip under them carries text.
    for &(x, w) in &found {
        assert!(hs::ink(&sheet, x, top - 40, w, 40) > 30, "no label above the picture at x={x}");
    }
    let caption_top = top + panel_h;
    assert!(
        hs::ink(&sheet, 0, caption_top, sheet.width(), sheet.height() - caption_top) > 2000,
        "no caption"
    );
}

#[test]
fn sheet_layouts_match_their_references() {
    // No painted region: the simulation equals the photo, so these references record the
    // layout and type alone and stay valid when the renderer changes.
    let c = hs::consultation(480, 360, false);
    let mut side = options(&c, 960);
    let sheet = handout::before_after(&c, &side, Progress::none()).unwrap();
    support::assert_matches_reference("handout-before-after", &sheet);
    side.layout = SheetLayout::Split;
    let split = handout::before_after(&c, &side, Progress::none()).unwrap();
    support::assert_matches_reference("handout-split", &split);
    let mut steps = options(&c, 960);
    steps.years_on = Some(5.0);
    let sessions = handout::sessions(&c, &steps, Progress::none()).unwrap();
    support::assert_matches_reference("handout-sessions", &sessions);
}

#[test]
fn the_disclaimer_is_printed_unless_turned_off() {
    let c = hs::consultation(480, 360, false);
    let with = handout::before_after(&c, &options(&c, 1000), Progress::none()).unwrap();
    let mut off = options(&c, 1000);
    off.caption.disclaimer = false;
    let without = handout::before_after(&c, &off, Progress::none()).unwrap();
    assert!(with.height() > without.height() + 40, "{} vs {}", with.height(), without.height());
    // The extra strip at the bottom has text in it.
    let strip_top = without.height() - 40;
    assert!(hs::ink(&with, 0, strip_top, with.width(), with.height() - strip_top) > 500);

    let preview = handout::preview(&c, ExportSize::Width(600), true, Progress::none()).unwrap();
    assert_eq!(preview.width(), 600);
    assert!(preview.height() > 450, "a strip under the picture: {}", preview.height());
    assert!(hs::ink(&preview, 0, 450, 600, preview.height() - 450) > 200, "the strip carries the disclaimer");
    let bare = handout::preview(&c, ExportSize::Full, false, Progress::none()).unwrap();
    assert_eq!(bare, *c.photo, "without the disclaimer, the pixels are the simulation's alone");
}

#[test]
fn session_sheet_has_one_labelled_panel_per_session_building_up() {
    let c = hs::consultation(480, 360, true);
    let sessions = c.preset.session_count() as usize;
    let mut opts = options(&c, 1500);
    opts.with_before = false;
    let sheet = handout::sessions(&c, &opts, Progress::none()).unwrap();
    let found = panels(&sheet);
    assert_eq!(found.len(), sessions, "one panel per session: {found:?}");
    let w = found[0].1;
    let panel_h = (w as f32 * 360.0 / 480.0).round() as u32;
    let top = hs::panel_top(&sheet, found[0].0 + w / 2, 300);
    let (px, py) = hs::patch_centre(w, panel_h);
    let dots: Vec<f64> = found.iter().map(|&(x, _)| hs::dots(&sheet, x + px, top + py, 60)).collect();
    for pair in dots.windows(2) {
        assert!(pair[1] > pair[0] * 1.2, "each session adds dots to the one before: {dots:?}");
    }
    for &(x, w) in &found {
        assert!(hs::ink(&sheet, x, top.saturating_sub(40), w, 40) > 30, "panel at x={x} has no label");
    }

    // With the photo first and the finished result years on: two panels more, the last lighter.
    opts.with_before = true;
    opts.years_on = Some(8.0);
    let sheet = handout::sessions(&c, &opts, Progress::none()).unwrap();
    let first = panels(&sheet);
    let w = first[0].1;
    let panel_h = (w as f32 * 360.0 / 480.0).round() as u32;
    let top = hs::panel_top(&sheet, first[0].0 + w / 2, 300);
    let second_top = (top + panel_h + 10..sheet.height())
        .find(|&y| hs::runs(&sheet, y).iter().any(|&(_, rw)| rw == w))
        .expect("a second row of panels");
    let second = hs::runs(&sheet, second_top + 10);
    assert_eq!(first.len() + second.len(), sessions + 2, "{first:?} {second:?}");
    // The last two: the finished treatment, then the same years on, faded.
    let (px, py) = hs::patch_centre(w, panel_h);
    let done = hs::dots(&sheet, second[0].0 + px, second_top + py, 60);
    let faded = hs::dots(&sheet, second[1].0 + px, second_top + py, 60);
    assert!(faded < done * 0.9, "years on, the dots fade: {done:.3} → {faded:.3}");
}

#[test]
fn compare_sheet_labels_each_preset_and_shows_them_differently() {
    let c = hs::consultation(480, 360, true);
    let presets: Vec<_> = ["Light skin · soft hairline", "Dark skin · defined hairline"]
        .iter()
        .map(|n| preset::resolve(n).unwrap())
        .collect();
    let mut opts = options(&c, 1400);
    opts.with_before = false;
    let sheet = handout::compare(&c, &presets, &opts, Progress::none()).unwrap();
    let found = panels(&sheet);
    assert_eq!(found.len(), 2, "{found:?}");
    let w = found[0].1;
    let top = hs::panel_top(&sheet, found[0].0 + w / 2, 300);
    let panel_h = (w as f32 * 360.0 / 480.0).round() as u32;
    let (px, py) = hs::patch_centre(w, panel_h);
    let a = hs::dots(&sheet, found[0].0 + px, top + py, 60);
    let b = hs::dots(&sheet, found[1].0 + px, top + py, 60);
    assert!(a > 0.01 && b > 0.01 && (a / b - 1.0).abs() > 0.2, "two presets, two looks: {a:.3} vs {b:.3}");
    for &(x, w) in &found {
        assert!(hs::ink(&sheet, x, top - 40, w, 40) > 30, "panel at x={x} has no label");
    }
    assert!(matches!(handout::compare(&c, &[], &opts, Progress::none()), Err(HandoutError::NoPresets)));
}

#[test]
fn pdf_report_is_one_page_with_its_caption_in_the_text_layer() {
    let dir = hs::scratch("report");
    let c = hs::consultation(480, 360, true);
    let caption = CaptionOptions::for_consultation(&c, PACE).with_patient_label(&c).with_notes(&c);
    let pdf = dir.join("report.pdf");
    handout::write_report(&c, &ReportOptions::new(caption), &pdf, Progress::none()).unwrap();
    let text = hs::pdf_text(&pdf);
    for expected in [
        "Simulation — actual results vary.",
        "Light skin · soft hairline",
        "Alex Example",
        "12 March 2025",
        "review after the second session",
        "Treated area",
        "Session 3",
        "Before",
    ] {
        assert!(text.contains(expected), "“{expected}” missing from the report's text:\n{text}");
    }
    // The subtitle is whole beside the patient's name and date (it was cut: "… of 3 ·…").
    let subtitle = text.lines().find(|l| l.contains("After session 3 of 3")).unwrap_or_default();
    assert!(
        subtitle.contains("healed") && !subtitle.contains('…'),
        "the subtitle is cut: {subtitle:?}\n{text}"
    );
    // With a long label, neither the subtitle nor the label is cut: they take a line each.
    let mut long = c.clone();
    long.notes.label = "Alexandra Example-Whitfield, file 2025-00417".into();
    let caption = CaptionOptions::for_consultation(&long, PACE).with_patient_label(&long);
    let long_pdf = dir.join("long.pdf");
    handout::write_report(&long, &ReportOptions::new(caption), &long_pdf, Progress::none()).unwrap();
    let long_text = hs::pdf_text(&long_pdf);
    let subtitle = long_text.lines().find(|l| l.contains("After session 3 of 3")).unwrap_or_default();
    assert!(
        subtitle.contains("healed") && !subtitle.contains('…'),
        "the subtitle is cut beside a long label: {subtitle:?}\n{long_text}"
    );
    assert!(long_text.contains("Alexandra Example-Whitfield, file 2025-00417"), "{long_text}");
    let fonts = hs::poppler("pdffonts", &[pdf.as_os_str()]);
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(fonts.contains("Inter") && !fonts.lines().skip(2).any(|l| l.contains(" no ")), "fonts:\n{fonts}");

    // One A4 page, drawn: pictures and text on white.
    let out = hs::poppler(
        "pdftoppm",
        &["-r".as_ref(), "40".as_ref(), "-png".as_ref(), pdf.as_os_str(), dir.join("page").as_os_str()],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pages: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("page"))
        .collect();
    assert_eq!(pages.len(), 1, "one page");
    let page = image::open(pages[0].path()).unwrap().to_rgb8();
    let (w, h) = page.dimensions();
    assert!((w as f32 / h as f32 - 595.0 / 842.0).abs() < 0.01, "A4 portrait: {w}×{h}");
    let skin = page.pixels().filter(|p| p.0[0] > 150 && p.0[0] as i32 - p.0[2] as i32 > 30).count();
    assert!(skin as f32 > 0.08 * (w * h) as f32, "the photos are on the page ({skin} skin pixels)");

    // Without being asked, the report names no patient and prints no notes.
    let plain = dir.join("plain.pdf");
    handout::write_report(
        &c,
        &ReportOptions::new(CaptionOptions::for_consultation(&c, PACE)),
        &plain,
        Progress::none(),
    )
    .unwrap();
    let text = hs::pdf_text(&plain);
    assert!(!text.contains("Alex Example") && !text.contains("second session"), "{text}");
    assert!(text.contains("Simulation — actual results vary."));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn exports_carry_nothing_from_the_cameras_metadata() {
    let dir = hs::scratch("exif");
    let camera = hs::camera_jpeg(&hs::photo(480, 360));
    assert_eq!(hs::camera_traces(&camera).len(), 4, "the input must carry what the exports may not");
    let input = dir.join("camera.jpg");
    std::fs::write(&input, &camera).unwrap();
    let mut c = hs::consultation(480, 360, true);
    c.photo = std::sync::Arc::new(photo::load(&input).unwrap());
    c = c.with_photo_file(camera.clone().into(), "jpg");

    let preview = handout::preview(&c, ExportSize::Full, true, Progress::none()).unwrap();
    let sheet = handout::before_after(&c, &options(&c, 1000), Progress::none()).unwrap();
    let mut written = Vec::new();
    for (name, image) in [("preview", &preview), ("sheet", &sheet)] {
        for format in [ImageFormat::Png, ImageFormat::Jpeg] {
            let path = dir.join(format!("{name}.{}", format.extension()));
            export::save_with(image, &path, &ExportOptions { format, ..ExportOptions::default() }).unwrap();
            written.push(path);
        }
    }
    let pdf = dir.join("report.pdf");
    handout::write_report(
        &c,
        &ReportOptions::new(CaptionOptions::for_consultation(&c, PACE)),
        &pdf,
        Progress::none(),
    )
    .unwrap();
    written.push(pdf);
    for path in &written {
        let bytes = std::fs::read(path).unwrap();
        assert_eq!(
            hs::camera_traces(&bytes),
            Vec::<&str>::new(),
            "{} carries camera metadata",
            path.display()
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn cancelling_stops_a_long_export_and_writes_nothing() {
    let dir = hs::scratch("cancel");
    let c = hs::consultation(480, 360, true);
    let cancel = AtomicBool::new(false);
    let seen = RefCell::new(Vec::new());
    // The person presses Cancel as soon as the first simulation is under way.
    let report = |f: f32| {
        seen.borrow_mut().push(f);
        if f > 0.0 {
            cancel.store(true, Ordering::Relaxed);
        }
    };
    let mut opts = options(&c, 1200);
    opts.years_on = Some(5.0);
    let result = handout::sessions(&c, &opts, Progress::new(&report, &cancel));
    assert!(matches!(result, Err(HandoutError::Cancelled)), "the export must stop");
    let seen = seen.into_inner();
    assert!(seen.iter().all(|&f| f < 0.5), "it stopped early, not at the end: {seen:?}");
    assert_eq!(seen.iter().filter(|&&f| f > 0.0).count(), 1, "nothing reported after Cancel: {seen:?}");

    // Cancelled before it starts: no work, no file.
    let cancelled = AtomicBool::new(true);
    let pdf = dir.join("never.pdf");
    let options = ReportOptions::new(CaptionOptions::for_consultation(&c, PACE));
    let result = handout::write_report(&c, &options, &pdf, Progress::new(&|_| {}, &cancelled));
    assert!(matches!(result, Err(HandoutError::Cancelled)));
    assert!(!pdf.exists());
    let err = handout::before_after(&c, &opts, Progress::new(&|_| {}, &cancelled)).unwrap_err();
    assert_eq!(err.to_string(), "the export was cancelled; nothing was written");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn progress_climbs_to_the_end() {
    let c = hs::consultation(320, 240, true);
    let seen = RefCell::new(Vec::new());
    let report = |f: f32| seen.borrow_mut().push(f);
    let cancel = AtomicBool::new(false);
    handout::sessions(&c, &options(&c, 1000), Progress::new(&report, &cancel)).unwrap();
    let seen = seen.into_inner();
    assert!(seen.len() >= 4, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[1] >= w[0]), "never goes back: {seen:?}");
    assert_eq!(seen.last(), Some(&1.0));
}
