//! The headless `render` contract, exercised through the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_smp-studio"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smp-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn sample_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample").join(name)
}

#[test]
fn demo_render_changes_the_photo_only_inside_painted_regions() {
    let dir = scratch("demo");
    let out_png = dir.join("preview.png");
    let csv = dir.join("dots.csv");
    let out =
        bin().args(["render", "--demo", "--out"]).arg(&out_png).arg("--dots-csv").arg(&csv).output().unwrap();
    assert!(out.status.success(), "render failed: {}", stderr(&out));
    let log = stderr(&out);
    for region in ["hairline", "bald", "scar"] {
        assert!(log.contains(region), "no {region} count in: {log}");
    }
    assert!(log.contains("rendered in"), "no timing in: {log}");
    assert!(log.contains("photo sharpness") && log.contains("(estimated"), "no sharpness estimate in: {log}");

    let photo = image::open(sample_file("scalp.jpg")).unwrap().to_rgb8();
    let result = image::open(&out_png).unwrap().to_rgb8();
    assert_eq!(result.dimensions(), photo.dimensions());

    let masks: Vec<image::GrayImage> = ["hairline.png", "bald.png", "scar.png"]
        .iter()
        .map(|m| image::open(sample_file(m)).unwrap().to_luma8())
        .collect();
    let mut changed_inside = 0usize;
    for (x, y, p) in result.enumerate_pixels() {
        let inside = masks.iter().any(|m| m.get_pixel(x, y).0[0] > 0);
        if !inside {
            assert_eq!(p, photo.get_pixel(x, y), "pixel ({x},{y}) outside every region changed");
        } else if p != photo.get_pixel(x, y) {
            changed_inside += 1;
        }
    }
    assert!(changed_inside > 20_000, "only {changed_inside} pixels changed inside the regions");

    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("x_px,y_px,diameter_px,darkness,region,session,major_px,minor_px,angle_deg")
    );
    let rows: Vec<&str> = lines.collect();
    // The sample is a close-up: no outline, so every dot is round.
    assert!(log.contains("no head outline found"), "{log}");
    for row in &rows {
        let f: Vec<&str> = row.split(',').collect();
        assert_eq!(f.len(), 9, "{row}");
        assert_eq!(f[6], f[7], "a round dot's axes differ: {row}");
    }
    assert!(rows.len() > 1000, "only {} dots", rows.len());
    assert!(rows.iter().any(|r| r.ends_with(",scar,3") || r.contains(",scar,")));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_input_gets_one_clear_line_and_a_failure_code() {
    let dir = scratch("bad");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["render".into(), "--out".into(), dir.join("a.png").display().to_string()], "--photo"),
        (
            vec![
                "render".into(),
                "--photo".into(),
                "/nonexistent/photo.jpg".into(),
                "--out".into(),
                dir.join("b.png").display().to_string(),
            ],
            "/nonexistent/photo.jpg",
        ),
        (
            vec![
                "render".into(),
                "--demo".into(),
                "--mask".into(),
                "crown=x.png".into(),
                "--out".into(),
                dir.join("c.png").display().to_string(),
            ],
            "crown",
        ),
        (
            vec![
                "render".into(),
                "--demo".into(),
                "--preset".into(),
                "No such preset".into(),
                "--out".into(),
                dir.join("d.png").display().to_string(),
            ],
            "No such preset",
        ),
        (
            vec![
                "render".into(),
                "--demo".into(),
                "--px-per-mm".into(),
                "0".into(),
                "--out".into(),
                dir.join("e.png").display().to_string(),
            ],
            "--px-per-mm",
        ),
        (
            vec!["render".into(), "--demo".into(), "--out".into(), dir.join("f.tiffy").display().to_string()],
            ".png",
        ),
        (
            vec![
                "render".into(),
                "--demo".into(),
                "--photo-sharpness-mm".into(),
                "5".into(),
                "--out".into(),
                dir.join("g.png").display().to_string(),
            ],
            "--photo-sharpness-mm",
        ),
    ];
    for (args, expected) in cases {
        let out = bin().args(&args).output().unwrap();
        let err = stderr(&out);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: expected `{expected}` in: {err}");
        assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: more than one line: {err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_head_outline_flattens_the_dots_toward_its_rim_and_is_reported() {
    let dir = scratch("outline");
    let photo = dir.join("skin.png");
    image::RgbImage::from_pixel(400, 400, image::Rgb([205, 170, 150])).save(&photo).unwrap();
    let mask = dir.join("bald.png");
    image::GrayImage::from_pixel(400, 400, image::Luma([255])).save(&mask).unwrap();
    let (out_png, csv) = (dir.join("out.png"), dir.join("dots.csv"));
    let out = bin()
        .args(["render", "--photo"])
        .arg(&photo)
        .arg("--mask")
        .arg(format!("bald={}", mask.display()))
        .args(["--px-per-mm", "4", "--head-outline", "200,200,180,150,30", "--out"])
        .arg(&out_png)
        .arg("--dots-csv")
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success(), "render failed: {}", stderr(&out));
    assert!(stderr(&out).contains("head outline set by hand (centre 200,200 px"), "{}", stderr(&out));
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut near_centre = 0;
    let mut near_rim = 0;
    for row in text.lines().skip(1) {
        let f: Vec<f32> = row.split(',').filter_map(|v| v.parse().ok()).collect();
        let (x, y, major, minor, angle) = (f[0], f[1], f[5], f[6], f[7]);
        let r = (x - 200.0).hypot(y - 200.0);
        if r < 40.0 {
            assert!((minor / major - 1.0).abs() < 0.03, "a dot at the top is round: {row}");
            near_centre += 1;
        }
        // Along the first axis (30° down-right of +x), 150–170 px out: flattened across the rim,
        // so its long axis runs along it, at 30° + 90°.
        let (s, c) = 30f32.to_radians().sin_cos();
        let (u, v) = ((x - 200.0) * c + (y - 200.0) * s, -(x - 200.0) * s + (y - 200.0) * c);
        if (150.0..170.0).contains(&u) && v.abs() < 10.0 {
            assert!(minor / major < 0.8, "a dot near the rim is flattened: {row}");
            let turned = (angle - (-60.0)).abs().min((angle - 120.0).abs());
            assert!(turned < 8.0, "its long axis runs along the rim: {row}");
            near_rim += 1;
        }
    }
    assert!(near_centre > 3 && near_rim > 2, "{near_centre} dots at the top, {near_rim} at the rim");

    let bad = bin()
        .args(["render", "--demo", "--head-outline", "1,2,3", "--out"])
        .arg(dir.join("bad.png"))
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("CX,CY,RX,RY,ANGLE_DEG"), "{}", stderr(&bad));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn help_documents_every_render_flag() {
    let out = bin().args(["render", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--out",
        "--demo",
        "--photo",
        "--mask",
        "--preset",
        "--px-per-mm",
        "--seed",
        "--session",
        "--fresh",
        "--years",
        "--dots-csv",
        "--hair-map",
        "--skin-map",
        "--photo-sharpness-mm",
        "--head-outline",
        "--match-stubble",
        "--threads",
    ] {
        assert!(text.contains(flag), "{flag} missing from --help");
    }
}

#[test]
fn match_stubble_tunes_the_render_and_says_what_it_set() {
    let dir = scratch("stubble");
    let photo = dir.join("sides.png");
    let mut image = image::RgbImage::from_pixel(600, 300, image::Rgb([205, 165, 145]));
    let stubble =
        smp_studio::engine::synth::Stubble { diameter_mm: 0.5, per_cm2: 50.0, contrast: 0.55, seed: 4 };
    stubble.paint(&mut image, smp_studio::engine::units::Scale::DEFAULT, (0, 0, 300, 300));
    image.save(&photo).unwrap();
    let mask = dir.join("bald.png");
    image::GrayImage::from_fn(600, 300, |x, _| image::Luma([if x >= 300 { 255 } else { 0 }]))
        .save(&mask)
        .unwrap();
    let render = |extra: &[&str]| {
        bin()
            .args(["render", "--photo"])
            .arg(&photo)
            .arg("--mask")
            .arg(format!("bald={}", mask.display()))
            .args(["--out"])
            .arg(dir.join("out.png"))
            .args(extra)
            .output()
            .unwrap()
    };
    let out = render(&["--match-stubble", "150,150"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("Matched the stubble (blobs 0."), "{}", stderr(&out));

    for (bad, says) in [
        ("150", "give the pixel as X,Y"),
        ("150,150,0", "give 1 to 50 mm"),
        ("900,150", "the photo is 600×300 pixels"),
        ("-3,4", "inside the photo"),
    ] {
        let out = render(&["--match-stubble", bad]);
        assert!(!out.status.success(), "--match-stubble {bad} was accepted");
        assert!(stderr(&out).contains(says), "--match-stubble {bad}: {}", stderr(&out));
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// What the render changed, as the share of each pixel's value it took (mean over channels):
/// relative, so the photo's own texture under the even shadow between the dots does not count
/// as the dots' detail.
fn change(result: &image::RgbImage, photo: &image::RgbImage) -> Vec<f32> {
    result
        .pixels()
        .zip(photo.pixels())
        .map(|(a, b)| {
            (0..3).map(|c| (b.0[c] as f32 - a.0[c] as f32) / (b.0[c] as f32).max(8.0)).sum::<f32>() / 3.0
        })
        .collect()
}

/// A blurrier photo gets blurrier dots, taking the same light: set by hand, the sharpness is
/// said in the report and softens the dot texture while the overall darkening stays.
#[test]
fn a_photo_sharpness_set_by_hand_softens_the_dots_but_keeps_their_darkening() {
    let dir = scratch("sharpness");
    let photo = image::open(sample_file("scalp.jpg")).unwrap().to_rgb8();
    let (w, h) = (photo.width() as usize, photo.height() as usize);
    let render = |mm: &str| {
        let path = dir.join(format!("sharpness-{mm}.png"));
        let out = bin()
            .args(["render", "--demo", "--photo-sharpness-mm", mm, "--out"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success(), "render failed: {}", stderr(&out));
        assert!(stderr(&out).contains("set by hand"), "{}", stderr(&out));
        change(&image::open(&path).unwrap().to_rgb8(), &photo)
    };
    let (sharp, soft) = (render("0"), render("0.3"));
    // What stays under a blur that leaves no dot detail: the photo's grain on the darkened
    // skin, which is the photo's, not the dots'.
    let floor = render("2");
    let darkening = |d: &[f32]| d.iter().map(|&v| v as f64).sum::<f64>();
    // Detail: how much the change differs from its neighbours' (a Laplacian).
    let detail = |d: &[f32]| {
        let mut sum = 0.0f64;
        for y in 1..h - 1 {
            for x in 1..w - 1 {
                let i = y * w + x;
                sum += (4.0 * d[i] - d[i - 1] - d[i + 1] - d[i - w] - d[i + w]).abs() as f64;
            }
        }
        sum
    };
    let ratio = darkening(&soft) / darkening(&sharp);
    assert!(
        (ratio - 1.0).abs() < 0.1,
        "blurring the dots changed their darkening by {:.0} %",
        (ratio - 1.0) * 100.0
    );
    let texture = (detail(&soft) - detail(&floor)) / (detail(&sharp) - detail(&floor));
    assert!(texture < 0.5, "0.3 mm of blur kept {:.0} % of the dots' pixel detail", texture * 100.0);
    std::fs::remove_dir_all(&dir).ok();
}
