//! The command line's hand-out contract: `render --consultation FILE.smpc`, `--sheet`,
//! `--report`, `--width`, `--label`, exercised through the real binary.

mod handout_support;

use handout_support as hs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_smp-studio")).arg("render").args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A saved consultation whose photo is a camera JPEG with EXIF, as clinics' files are.
fn saved_consultation(dir: &Path) -> PathBuf {
    let mut c = hs::consultation(480, 360, true);
    let camera = hs::camera_jpeg(&c.photo);
    c.photo = std::sync::Arc::new(smp_studio::engine::photo::decode(&camera, "camera.jpg").unwrap());
    c = c.with_photo_file(camera.into(), "jpg");
    let path = dir.join("visit.smpc");
    c.save(&path).unwrap();
    assert!(
        hs::camera_traces(&std::fs::read(&path).unwrap()).len() >= 2,
        "the file keeps the camera's bytes"
    );
    path
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

#[test]
fn a_saved_consultation_renders_as_a_sheet_a_report_and_a_bare_preview() {
    let dir = hs::scratch("cli-ok");
    let file = saved_consultation(&dir);
    let sheet = dir.join("sheet.jpg");
    let pdf = dir.join("report.pdf");
    let out = run(&[
        os("--consultation"),
        file.as_os_str(),
        os("--sheet"),
        os("before-after"),
        os("--out"),
        sheet.as_os_str(),
        os("--width"),
        os("1100"),
        os("--report"),
        pdf.as_os_str(),
        os("--label"),
        os("--pace"),
        os("3000"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let log = stderr(&out);
    assert!(log.contains("before/after sheet 1100×") && log.contains("report written"), "{log}");
    let image = image::open(&sheet).unwrap();
    assert_eq!(image.width(), 1100);
    for written in [&sheet, &pdf] {
        assert!(
            hs::camera_traces(&std::fs::read(written).unwrap()).is_empty(),
            "{} carries EXIF",
            written.display()
        );
    }
    let text = hs::pdf_text(&pdf);
    assert!(text.contains("Alex Example"), "--label prints the consultation's label:\n{text}");
    assert!(text.contains("Simulation — actual results vary."));
    assert!(!text.contains("second session"), "notes are printed only with --notes");

    // The report alone needs no --out; a label given on the line replaces the saved one.
    let alone = dir.join("alone.pdf");
    let out = run(&[
        os("--consultation"),
        file.as_os_str(),
        os("--report"),
        alone.as_os_str(),
        os("--label"),
        os("Room 4"),
        os("--notes"),
        os("--date"),
        os("3 December 2026"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = hs::pdf_text(&alone);
    assert!(
        text.contains("Room 4") && !text.contains("Alex Example") && text.contains("second session"),
        "{text}"
    );
    assert!(text.contains("3 December 2026"), "--date prints the date given:\n{text}");
    // The pigment shares read as whole percentages that add up to a hundred.
    // The line may wrap: the shades run on to the next line.
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| l.contains("Pigment")).unwrap_or_default();
    let pigment = lines[at..(at + 2).min(lines.len())].join(" ");
    let pigment = pigment.split("Pigment").nth(1).unwrap_or_default();
    let total: u32 = pigment
        .split(',')
        .filter_map(|part| part.trim().trim_end_matches('%').trim().rsplit(' ').next()?.parse::<u32>().ok())
        .sum();
    assert_eq!(total, 100, "the shades in “{pigment}”");

    // Without --sheet, --out is the bare simulation at the photo's size.
    let bare = dir.join("bare.png");
    let out = run(&[os("--consultation"), file.as_os_str(), os("--out"), bare.as_os_str()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(image::open(&bare).unwrap().to_rgb8().dimensions(), (480, 360));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn session_and_compare_sheets_from_the_command_line() {
    let dir = hs::scratch("cli-sheets");
    let file = saved_consultation(&dir);
    let sessions = dir.join("sessions.png");
    let out = run(&[
        os("--consultation"),
        file.as_os_str(),
        os("--sheet"),
        os("sessions"),
        os("--years-on"),
        os("5"),
        os("--out"),
        sessions.as_os_str(),
        os("--width"),
        os("1200"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(image::open(&sessions).unwrap().width(), 1200);

    let compare = dir.join("compare.png");
    let out = run(&[
        os("--consultation"),
        file.as_os_str(),
        os("--sheet"),
        os("compare"),
        os("--preset"),
        os("Light skin · soft hairline"),
        os("--preset"),
        os("Dark skin · defined hairline"),
        os("--out"),
        compare.as_os_str(),
        os("--width"),
        os("1200"),
        os("--no-before"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("compare sheet"), "{}", stderr(&out));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn hand_out_flags_that_cannot_work_get_one_clear_line() {
    let dir = hs::scratch("cli-bad");
    let file = saved_consultation(&dir);
    let png = dir.join("x.png");
    let txt = dir.join("r.txt");
    let missing = dir.join("missing.smpc");
    let cases: Vec<(Vec<&std::ffi::OsStr>, &str)> = vec![
        (
            vec![
                os("--consultation"),
                file.as_os_str(),
                os("--sheet"),
                os("compare"),
                os("--out"),
                png.as_os_str(),
            ],
            "--preset",
        ),
        (
            vec![
                os("--consultation"),
                file.as_os_str(),
                os("--preset"),
                os("Light skin · soft hairline"),
                os("--preset"),
                os("Dark skin · defined hairline"),
                os("--out"),
                png.as_os_str(),
            ],
            "only --sheet compare",
        ),
        (
            vec![
                os("--consultation"),
                file.as_os_str(),
                os("--layout"),
                os("split"),
                os("--out"),
                png.as_os_str(),
            ],
            "--sheet before-after",
        ),
        (vec![os("--consultation"), file.as_os_str(), os("--sheet"), os("sessions")], "--out"),
        (vec![os("--consultation"), file.as_os_str(), os("--report"), txt.as_os_str()], ".pdf"),
        (
            vec![
                os("--consultation"),
                file.as_os_str(),
                os("--sheet"),
                os("before-after"),
                os("--out"),
                png.as_os_str(),
                os("--width"),
                os("500"),
            ],
            "at least",
        ),
        (
            vec![
                os("--consultation"),
                file.as_os_str(),
                os("--out"),
                png.as_os_str(),
                os("--report"),
                png.as_os_str(),
            ],
            "both name",
        ),
        (
            vec![os("--consultation"), file.as_os_str(), os("--report"), file.as_os_str()],
            "is the consultation being rendered",
        ),
        (
            vec![os("--consultation"), file.as_os_str(), os("--out"), png.as_os_str(), os("--notes")],
            "--report",
        ),
        (vec![os("--consultation"), file.as_os_str(), os("--demo"), os("--out"), png.as_os_str()], "--demo"),
        (vec![os("--consultation"), missing.as_os_str(), os("--out"), png.as_os_str()], "missing.smpc"),
    ];
    let before = std::fs::read(&file).unwrap();
    for (args, expected) in cases {
        let out = run(&args);
        let err = stderr(&out);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(err.contains(expected), "{args:?}: expected “{expected}” in: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(std::fs::read(&file).unwrap(), before, "the consultation is never written");
    assert!(!png.exists(), "nothing is written when the flags are refused");
    std::fs::remove_dir_all(&dir).ok();
}
