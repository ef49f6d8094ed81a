//! Hostile and broken input through the real binary: each case gets one sentence a person can
//! act on (or a warning and a result), never a panic, a hang or a file written over. Every
//! fixture is made here, small; the "huge" ones are sparse files or headers that only claim
//! a size.

use image::{ImageBuffer, Luma, LumaA, Rgb, RgbImage, Rgba};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_smp-studio"));
    // Keep the user's own presets and limits out of these runs.
    command.env("XDG_CONFIG_HOME", scratch("no-config")).env_remove("SMP_STUDIO_MAX_MEGAPIXELS");
    command.env_remove("SMP_STUDIO_PHOTO_MEMORY_MB");
    command
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smp-hostile-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn run(command: &mut Command) -> (Output, String) {
    let out = command.output().unwrap();
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "panicked: {err}");
    (out, err)
}

/// Runs and expects failure with exactly one line, `error: …`, containing every `needle`.
fn fails_with(command: &mut Command, needles: &[&str]) -> String {
    let (out, err) = run(command);
    assert!(!out.status.success(), "succeeded: {err}");
    assert!(err.starts_with("error: "), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "more than one line: {err}");
    for needle in needles {
        assert!(err.contains(needle), "expected `{needle}` in: {err}");
    }
    assert!(!err.contains("os error"), "an OS error number reached a person: {err}");
    err
}

/// Runs and expects success with a warning line containing every `needle`.
fn warns(command: &mut Command, needles: &[&str]) -> String {
    let (out, err) = run(command);
    assert!(out.status.success(), "failed: {err}");
    let warning = err.lines().find(|l| l.starts_with("warning: ") && needles.iter().all(|n| l.contains(n)));
    assert!(warning.is_some(), "no warning with {needles:?} in: {err}");
    err
}

/// A small scalp-coloured photo with some texture, so hair detection has something to read.
fn photo(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let n = ((x * 7919 + y * 104_729) % 23) as u8;
        Rgb([200 - n, 160 - n, 130 - n])
    })
}

fn render_photo(photo: &Path, out: &Path) -> Command {
    let mut command = bin();
    command.args(["render", "--photo"]).arg(photo).arg("--out").arg(out);
    command
}

fn demo(out: &Path) -> Command {
    let mut command = bin();
    command.args(["render", "--demo", "--out"]).arg(out);
    command
}

#[test]
fn thread_counts_are_kept_to_the_machine() {
    let dir = scratch("threads");
    let out = dir.join("t.png");
    warns(demo(&out).args(["--threads", "100000"]), &["--threads 100000", "cores"]);
    assert!(out.exists(), "no render with --threads 100000");
    warns(demo(&out).args(["--threads", "99999999999999999999999"]), &["cores"]);
    fails_with(demo(&out).args(["--threads", "0"]), &["--threads 0", "at least 1"]);
    fails_with(bin().args(["bench", "--threads", "0"]), &["--threads 0"]);
    std::fs::remove_dir_all(&dir).ok();
}

#[cfg(unix)]
#[test]
fn devices_pipes_and_folders_are_not_read_as_photos() {
    let dir = scratch("special");
    let out = dir.join("o.png");
    let fifo = dir.join("camera.jpg");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    fails_with(&mut render_photo(Path::new("/dev/zero"), &out), &["/dev/zero is a device, not a photo"]);
    fails_with(&mut render_photo(&fifo, &out), &["camera.jpg is a pipe, not a photo"]);
    fails_with(&mut render_photo(&dir, &out), &["is a folder, not a photo"]);
    // A link to a device is the device.
    let link = dir.join("scalp.png");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    fails_with(&mut render_photo(&link, &out), &["is a device"]);
    let empty = dir.join("empty.jpg");
    std::fs::write(&empty, b"").unwrap();
    fails_with(&mut render_photo(&empty, &out), &["empty.jpg is empty"]);
    assert!(!out.exists());
    std::fs::remove_dir_all(&dir).ok();
}

/// A 6 GB file that is not an image is refused from its first bytes. The run gets 1 GB of
/// address space, so reading the file whole would fail.
#[cfg(unix)]
#[test]
fn a_huge_file_that_is_not_an_image_is_refused_unread() {
    let dir = scratch("huge");
    let huge = dir.join("backup.jpg");
    let file = std::fs::File::create(&huge).unwrap();
    file.set_len(6 << 30).unwrap(); // sparse: no disk used
    drop(file);
    let out = dir.join("o.png");
    let mut limited = Command::new("sh");
    limited
        .arg("-c")
        .arg("ulimit -v 1000000 && exec \"$0\" render --photo \"$1\" --out \"$2\"")
        .arg(env!("CARGO_BIN_EXE_smp-studio"))
        .arg(&huge)
        .arg(&out);
    fails_with(&mut limited, &["backup.jpg is not a photo"]);

    // With a JPEG's first bytes it is refused by its size, before being read.
    let mut file = std::fs::OpenOptions::new().write(true).open(&huge).unwrap();
    std::io::Write::write_all(&mut file, &[0xFF, 0xD8, 0xFF, 0xE0]).unwrap();
    drop(file);
    fails_with(&mut limited, &["backup.jpg is a 6443 MB file", "SMP_STUDIO_PHOTO_MEMORY_MB"]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_cut_jpeg_renders_with_a_warning_and_a_cut_png_is_refused() {
    let dir = scratch("cut");
    let mut jpeg = Vec::new();
    photo(320, 240).write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg).unwrap();
    let cut_jpeg = dir.join("visit.jpg");
    std::fs::write(&cut_jpeg, &jpeg[..jpeg.len() * 2 / 3]).unwrap();
    let out = dir.join("o.png");
    warns(&mut render_photo(&cut_jpeg, &out), &["visit.jpg is incomplete", "rendering it anyway"]);
    assert_eq!(image::open(&out).unwrap().to_rgb8().dimensions(), (320, 240));

    let whole = dir.join("whole.jpg");
    std::fs::write(&whole, &jpeg).unwrap();
    let (status, err) = run(&mut render_photo(&whole, &out));
    assert!(status.status.success() && !err.contains("warning"), "{err}");

    let png = dir.join("visit.png");
    photo(320, 240).save(&png).unwrap();
    let bytes = std::fs::read(&png).unwrap();
    std::fs::write(&png, &bytes[..bytes.len() / 2]).unwrap();
    fails_with(&mut render_photo(&png, &out), &["visit.png is incomplete", "copy it again"]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_damaged_photo_is_called_damaged_without_the_decoders_jargon() {
    let dir = scratch("damaged");
    let out = dir.join("o.png");
    let png = dir.join("scalp.png");
    photo(64, 48).save(&png).unwrap();
    let mut bytes = std::fs::read(&png).unwrap();
    bytes[20] ^= 0xFF; // inside the header chunk: its checksum no longer matches
    std::fs::write(&png, &bytes).unwrap();
    let err =
        fails_with(&mut render_photo(&png, &out), &["scalp.png is a damaged PNG file", "copy it again"]);
    for jargon in ["Format error", "ChunkType", "CRC"] {
        assert!(!err.contains(jargon), "{err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A PNG header claiming 30000×30000 pixels with no pixels behind it.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= b as u32;
            for _ in 0..8 {
                crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        png.extend((data.len() as u32).to_be_bytes());
        let body: Vec<u8> = kind.iter().chain(data).copied().collect();
        png.extend(&body);
        png.extend(crc32(&body).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    chunk(b"IEND", &[]);
    png
}

#[test]
fn large_photos_are_reduced_with_a_notice_or_refused_with_the_limit() {
    let dir = scratch("large");
    let out = dir.join("o.png");
    let big = dir.join("big.png");
    photo(1600, 1200).save(&big).unwrap();
    warns(
        render_photo(&big, &out).env("SMP_STUDIO_MAX_MEGAPIXELS", "1"),
        &["big.png is 1600×1200 pixels", "reduced to 1154×866", "SMP_STUDIO_MAX_MEGAPIXELS"],
    );
    assert_eq!(image::open(&out).unwrap().to_rgb8().dimensions(), (1154, 866));
    // A mask drawn on the full photo is reduced with it.
    let mask = dir.join("bald.png");
    ImageBuffer::from_fn(1600, 1200, |x, _| Luma([if x < 800 { 255u8 } else { 0 }])).save(&mask).unwrap();
    let mut masked = render_photo(&big, &out);
    masked.env("SMP_STUDIO_MAX_MEGAPIXELS", "1").arg("--mask").arg(format!("bald={}", mask.display()));
    let (o, err) = run(&mut masked);
    assert!(o.status.success(), "{err}");
    let result = image::open(&out).unwrap().to_rgb8();
    let reduced = image::open(&big).unwrap().thumbnail_exact(1154, 866).to_rgb8();
    let changed = |x0: u32, x1: u32| {
        (x0..x1)
            .flat_map(|x| (0..866).map(move |y| (x, y)))
            .filter(|&(x, y)| result.get_pixel(x, y) != reduced.get_pixel(x, y))
            .count()
    };
    assert!(changed(0, 570) > 1000, "the painted left half shows no dots");
    assert_eq!(changed(585, 1154), 0, "pixels changed right of the painted half");

    let claims = dir.join("claims.png");
    std::fs::write(&claims, png_claiming(30_000, 30_000)).unwrap();
    fails_with(
        &mut render_photo(&claims, &out),
        &["claims.png is 30000×30000 pixels", "1000 MB allowed", "SMP_STUDIO_PHOTO_MEMORY_MB="],
    );
    fails_with(
        render_photo(&big, &out).env("SMP_STUDIO_MAX_MEGAPIXELS", "lots"),
        &["SMP_STUDIO_MAX_MEGAPIXELS=lots is not understood"],
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn masks_are_read_by_one_rule_whatever_their_colour_type() {
    let dir = scratch("masks");
    let (w, h) = (240, 180);
    let photo_path = dir.join("scalp.png");
    photo(w, h).save(&photo_path).unwrap();
    let painted =
        |x: u32, y: u32| -> u8 { if (60..180).contains(&x) && (40..140).contains(&y) { 255 } else { 0 } };
    let grey = dir.join("grey.png");
    ImageBuffer::from_fn(w, h, |x, y| Luma([painted(x, y)])).save(&grey).unwrap();
    let rgb = dir.join("rgb.png");
    ImageBuffer::from_fn(w, h, |x, y| Rgb([painted(x, y); 3])).save(&rgb).unwrap();
    let rgba = dir.join("rgba.png");
    ImageBuffer::from_fn(w, h, |x, y| Rgba([255, 255, 255, painted(x, y)])).save(&rgba).unwrap();
    let grey_alpha = dir.join("grey-alpha.png");
    ImageBuffer::from_fn(w, h, |x, y| LumaA([painted(x, y), 255])).save(&grey_alpha).unwrap();
    let deep = dir.join("16-bit.png");
    ImageBuffer::from_fn(w, h, |x, y| Luma([painted(x, y) as u16 * 257])).save(&deep).unwrap();

    let render = |mask: &Path, out: &Path| -> Vec<u8> {
        let (o, err) =
            run(render_photo(&photo_path, out).arg("--mask").arg(format!("bald={}", mask.display())));
        assert!(o.status.success(), "{}: {err}", mask.display());
        image::open(out).unwrap().to_rgb8().into_raw()
    };
    let reference = render(&grey, &dir.join("grey-out.png"));
    assert_ne!(reference, photo(w, h).into_raw(), "the grey mask painted nothing");
    for mask in [&rgb, &rgba, &grey_alpha, &deep] {
        let result = render(mask, &dir.join("out.png"));
        assert!(result == reference, "{} is not read like the grey mask", mask.display());
    }

    let jpeg = dir.join("bald.jpg");
    ImageBuffer::from_fn(w, h, |x, y| Rgb([painted(x, y); 3])).save(&jpeg).unwrap();
    let out = dir.join("never.png");
    fails_with(
        render_photo(&photo_path, &out).arg("--mask").arg(format!("bald={}", jpeg.display())),
        &["bald.jpg is a JPEG", "must be a PNG"],
    );
    let small = dir.join("small.png");
    ImageBuffer::from_fn(w / 2, h / 2, |x, y| Luma([painted(x, y)])).save(&small).unwrap();
    fails_with(
        render_photo(&photo_path, &out).arg("--mask").arg(format!("scar={}", small.display())),
        &["small.png is 120×90 pixels but the photo is 240×180"],
    );
    let help = bin().args(["render", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("grey") && help.contains("opacity") && help.contains("JPEG"), "{help}");
    assert!(!out.exists());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_demo_on_another_photo_says_its_regions_were_dropped() {
    let dir = scratch("demo-photo");
    let other = dir.join("other.png");
    photo(400, 300).save(&other).unwrap();
    let out = dir.join("o.png");
    warns(
        demo(&out).arg("--photo").arg(&other),
        &["the sample's painted regions were dropped", "1600×1200", "other.png at 400×300", "--mask"],
    );
    // The same size keeps them, without a word.
    let same = dir.join("same.png");
    photo(1600, 1200).save(&same).unwrap();
    let (o, err) = run(demo(&out).arg("--photo").arg(&same));
    assert!(o.status.success() && !err.contains("dropped"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

fn preset_file(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn hostile_preset_files_get_one_sentence() {
    let dir = scratch("presets");
    let cases: Vec<(PathBuf, Vec<&str>)> = vec![
        (
            preset_file(&dir, "malformed.ron", "(version: 1, name: \"X\", dots: (darkness: "),
            vec!["malformed.ron:1:", "ends too early"],
        ),
        (
            preset_file(&dir, "huge.ron", format!("(version: 1, name: \"{}\")", "a".repeat(5_000_000))),
            vec!["huge.ron is 4882 KB, too large to be a preset"],
        ),
        (
            preset_file(
                &dir,
                "array.ron",
                format!(
                    "(version: 1, name: \"A\", density: (session_fractions: [{}]))",
                    "1,".repeat(1_000_000)
                ),
            ),
            vec!["array.ron is", "too large to be a preset"],
        ),
        (
            preset_file(
                &dir,
                "nested.ron",
                format!("(version: 1, name: \"N\", extra: {}{})", "[".repeat(100_000), "]".repeat(100_000)),
            ),
            vec!["nested.ron:1:", "nested too deeply"],
        ),
        (
            preset_file(&dir, "binary.ron", (0..=255u8).cycle().take(4096).collect::<Vec<u8>>()),
            vec!["binary.ron is not a preset: it is not a text file"],
        ),
        (preset_file(&dir, "nul.ron", "(version: 1, name: \"X\0\")"), vec!["nul.ron is not a preset"]),
        (
            preset_file(&dir, "future.ron", "(version: 99, name: \"F\", hologram: true)"),
            vec!["future.ron is a version 99 preset", "update SMP Studio"],
        ),
        (
            preset_file(&dir, "range.ron", "(version: 1, name: \"R\",\n dots: (darkness: 3.0))"),
            vec!["range.ron:2: field `dots.darkness` is 3"],
        ),
        (
            preset_file(
                &dir,
                "quote.ron",
                format!("(version: 1, name: \"Q\", needle: (grouping: {}))", "Z".repeat(100_000)),
            ),
            vec!["quote.ron:1:"],
        ),
        (dir.join("missing.ron"), vec!["could not read preset", "missing.ron: there is no such file"]),
    ];
    for (path, needles) in &cases {
        let out = dir.join("o.png");
        let err = fails_with(demo(&out).arg("--preset").arg(path), needles);
        assert!(err.len() < 400, "{} characters: {err}", err.len());
        for word in ["serde", "ron::", "Options"] {
            assert!(!err.contains(word), "developer advice: {err}");
        }
        fails_with(bin().args(["presets", "show"]).arg(path), needles);
        assert!(!out.exists());
    }
    fails_with(bin().args(["presets", "show", "/dev/zero"]), &["/dev/zero is a device, not a preset file"]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_misspelt_preset_field_warns_wherever_the_preset_is_read() {
    let dir = scratch("typo");
    let typo = preset_file(&dir, "typo.ron", "(version: 1, name: \"Typo\", dots: (darknes: 0.3))");
    let expected = ["typo.ron: unknown field `dots.darknes` was ignored"];
    warns(demo(&dir.join("o.png")).arg("--preset").arg(&typo), &expected);
    let err = warns(bin().args(["presets", "show"]).arg(&typo), &expected);
    assert_eq!(err.lines().count(), 1, "{err}");

    // In the user's folder: listed, shown by name, warned about in both.
    let config = scratch("typo-config");
    let presets = config.join("smp-studio/presets");
    std::fs::create_dir_all(&presets).unwrap();
    std::fs::copy(&typo, presets.join("typo.ron")).unwrap();
    warns(bin().env("XDG_CONFIG_HOME", &config).args(["presets", "list"]), &["unknown field `dots.darknes`"]);
    warns(bin().env("XDG_CONFIG_HOME", &config).args(["presets", "show", "typo"]), &["`dots.darknes`"]);
    std::fs::remove_dir_all(&dir).ok();
    std::fs::remove_dir_all(&config).ok();
}

/// The window and `presets list` read every `.ron` file in the folder at start: a pipe or a
/// folder with that name must be skipped with a warning, not read forever.
#[cfg(unix)]
#[test]
fn odd_files_in_the_preset_folder_are_skipped_with_a_warning() {
    let config = scratch("odd-presets");
    let presets = config.join("smp-studio/presets");
    std::fs::create_dir_all(presets.join("folder.ron")).unwrap();
    assert!(Command::new("mkfifo").arg(presets.join("pipe.ron")).status().unwrap().success());
    preset_file(&presets, "fine.ron", "(version: 1, name: \"Fine\")");
    let (out, err) = run(bin().env("XDG_CONFIG_HOME", &config).args(["presets", "list"]));
    assert!(out.status.success(), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).lines().any(|l| l.starts_with("Fine ")));
    assert!(err.contains("pipe.ron is a pipe, not a preset file"), "{err}");
    assert!(err.contains("folder.ron is a folder, not a preset file"), "{err}");
    std::fs::remove_dir_all(&config).ok();
}

#[test]
fn presets_sharing_a_name_are_told_apart_by_file() {
    let config = scratch("twins");
    let presets = config.join("smp-studio/presets");
    std::fs::create_dir_all(&presets).unwrap();
    preset_file(&presets, "a.ron", "(version: 1, name: \"Clinic A\", dots: (darkness: 0.3))");
    preset_file(&presets, "b.ron", "(version: 1, name: \"clinic a\", dots: (darkness: 0.9))");
    let (out, err) = run(bin().env("XDG_CONFIG_HOME", &config).args(["presets", "list"]));
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(list.lines().any(|l| l.starts_with("Clinic A (a.ron)")), "{list}");
    assert!(list.lines().any(|l| l.starts_with("clinic a (b.ron)")), "{list}");
    assert!(err.contains("2 presets are called “Clinic A”"), "{err}");
    fails_with(
        bin().env("XDG_CONFIG_HOME", &config).args(["presets", "show", "CLINIC A"]),
        &["2 presets are called", "a.ron", "b.ron", "giving its file"],
    );
    let (out, _) =
        run(bin().env("XDG_CONFIG_HOME", &config).args(["presets", "show"]).arg(presets.join("b.ron")));
    assert!(String::from_utf8_lossy(&out.stdout).contains("darkness: 0.9"));
    std::fs::remove_dir_all(&config).ok();
}

#[test]
fn preset_names_cannot_drive_the_terminal() {
    let config = scratch("escapes");
    let presets = config.join("smp-studio/presets");
    std::fs::create_dir_all(&presets).unwrap();
    preset_file(
        &presets,
        "evil.ron",
        "(version: 1, name: \"Evil\\u{1b}[2J\\nsecond line\\u{202e}gnp.exe\\u{7}\")",
    );
    preset_file(
        &presets,
        "evil-2.ron",
        "(version: 1, name: \"Evil\\u{1b}[2J\\nsecond line\\u{202e}gnp.exe\\u{7}\")",
    );
    let (out, err) = run(bin().env("XDG_CONFIG_HOME", &config).args(["presets", "list"]));
    let printed = format!("{}{err}", String::from_utf8_lossy(&out.stdout));
    for raw in ['\u{1b}', '\u{202e}', '\u{7}'] {
        assert!(!printed.contains(raw), "{raw:?} printed raw: {printed:?}");
    }
    let line = printed.lines().find(|l| l.starts_with("Evil")).unwrap_or_default();
    assert!(line.contains("\\u{1b}[2J\\u{a}second line\\u{202e}gnp.exe"), "{line}");
    assert!(
        line.ends_with("evil-2.ron") || line.ends_with("evil.ron"),
        "the name spilled onto a new line: {line}"
    );
    std::fs::remove_dir_all(&config).ok();
}

#[test]
fn os_errors_are_said_once_without_numbers() {
    let dir = scratch("os");
    let err = fails_with(
        &mut render_photo(Path::new("/nonexistent/scalp.jpg"), &dir.join("o.png")),
        &["could not open /nonexistent/scalp.jpg: there is no such file or folder"],
    );
    assert_eq!(err.matches("no such file").count(), 1, "{err}");
    let err = fails_with(
        bin().args(["presets", "show", "/nonexistent/p.ron"]),
        &["could not read preset /nonexistent/p.ron: there is no such file or folder"],
    );
    assert_eq!(err.matches("no such file").count(), 1, "{err}");
    for flag in ["--hair-map", "--dots-csv"] {
        fails_with(
            demo(&dir.join("o.png")).arg(flag).arg("/nonexistent/side-file"),
            &[flag, "/nonexistent/side-file: the folder /nonexistent does not exist"],
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn out_of_range_arguments_get_a_sentence() {
    let dir = scratch("ranges");
    let out = dir.join("o.png");
    let cases: &[(&[&str], &str)] = &[
        (&["--px-per-mm", "0"], "--px-per-mm 0: the scale must be between 0.5 and 200"),
        (&["--px-per-mm", "-1"], "--px-per-mm -1: the scale must be between"),
        (&["--px-per-mm", "NaN"], "--px-per-mm NaN: the scale must be between"),
        (&["--px-per-mm", "1e9"], "--px-per-mm 1000000000: the scale must be between"),
        (&["--session", "0"], "--session 0: sessions are counted from 1"),
        (&["--session", "99"], "--session 99: the preset plans sessions 1 to 3"),
        (&["--years", "-5"], "--years -5: give a number of years from 0 to 50"),
        (&["--years", "1e6"], "--years 1000000: give a number of years from 0 to 50"),
        (&["--years", "NaN"], "--years NaN: give a number of years"),
    ];
    for (args, expected) in cases {
        fails_with(demo(&out).args(*args), &[expected]);
    }
    // Values that are not numbers at all are refused by the argument parser, in a sentence.
    for (args, expected) in [
        (["--seed", "-1"], "give a whole number from 0 to 18446744073709551615"),
        (["--session", "-2"], "give a session number"),
        (["--threads", "four"], "give a whole number"),
    ] {
        let (o, err) = run(demo(&out).args(args));
        assert!(!o.status.success() && err.contains(expected), "{args:?}: {err}");
    }
    assert!(!out.exists());
    // A huge seed is a seed like any other.
    let (o, err) = run(demo(&out).args(["--seed", "18446744073709551615"]));
    assert!(o.status.success(), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_patients_photo_is_never_the_output() {
    let dir = scratch("overwrite");
    let photo_path = dir.join("patient.png");
    photo(200, 150).save(&photo_path).unwrap();
    let before = std::fs::read(&photo_path).unwrap();
    fails_with(&mut render_photo(&photo_path, &photo_path), &["patient.png is the photo being rendered"]);
    let (o, err) = run(render_photo(&photo_path, &dir.join("ok.png")).arg("--hair-map").arg(&photo_path));
    assert!(!o.status.success(), "{err}");
    assert_eq!(std::fs::read(&photo_path).unwrap(), before, "the photo changed");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_output_in_a_missing_folder_is_refused_before_anything_is_written() {
    let dir = std::env::temp_dir().join(format!("smp-hostile-missing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("preview.png");
    let missing = dir.join("no such folder").join("hair.png");
    fails_with(
        Command::new(env!("CARGO_BIN_EXE_smp-studio"))
            .args(["render", "--demo", "--out"])
            .arg(&out)
            .arg("--hair-map")
            .arg(&missing),
        &["--hair-map", "does not exist"],
    );
    assert!(!out.exists(), "the render was written although one output could not be");
    fails_with(
        Command::new(env!("CARGO_BIN_EXE_smp-studio"))
            .args(["render", "--demo", "--out"])
            .arg(dir.join("gone/x.png")),
        &["--out", "does not exist"],
    );
    std::fs::remove_dir_all(&dir).ok();
}

// ---- outputs: nothing a render writes may cost a file ----

/// The files in `dir` and their bytes: what a refused command must leave exactly as it was.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[cfg(unix)]
#[test]
fn a_hard_link_to_an_input_is_never_an_output() {
    let dir = scratch("hard-links");
    let photo_path = dir.join("p.png");
    photo(120, 90).save(&photo_path).unwrap();
    let mask_path = dir.join("m.png");
    image::GrayImage::from_pixel(120, 90, Luma([255])).save(&mask_path).unwrap();
    std::fs::hard_link(&photo_path, dir.join("h.png")).unwrap();
    std::fs::hard_link(&mask_path, dir.join("hm.png")).unwrap();
    let before = snapshot(&dir);
    for (flag, target, what) in [
        ("--hair-map", "h.png", "the photo"),
        ("--skin-map", "h.png", "the photo"),
        ("--dots-csv", "h.png", "the photo"),
        ("--out", "h.png", "the photo"),
        ("--hair-map", "hm.png", "a region mask"),
    ] {
        let mut command = bin();
        command
            .args(["render", "--photo"])
            .arg(&photo_path)
            .arg("--mask")
            .arg(format!("bald={}", mask_path.display()));
        if flag != "--out" {
            command.arg("--out").arg(dir.join("o.png"));
        }
        fails_with(command.arg(flag).arg(dir.join(target)), &[flag, &format!("is {what} being rendered")]);
        assert_eq!(snapshot(&dir), before, "{flag} {target}: a file changed");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn outputs_naming_one_file_or_a_folder_are_refused_before_anything_is_written() {
    let dir = scratch("same-output");
    std::fs::create_dir_all(dir.join("a folder")).unwrap();
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let out = dir.join("same.png");
    fails_with(demo(&out).arg("--hair-map").arg(&out), &["--out and --hair-map both name", "same.png"]);
    fails_with(
        demo(&out).arg("--dots-csv").arg(dir.join("sub/../same.png")),
        &["--out and --dots-csv both name"],
    );
    fails_with(
        demo(&out).arg("--hair-map").arg(dir.join("a folder")),
        &["--hair-map", "is a folder, not a file"],
    );
    assert!(!out.exists(), "--out was written although another output was refused");
    std::fs::remove_dir_all(&dir).ok();
}

#[cfg(unix)]
#[test]
fn a_pipe_as_an_output_is_refused_without_waiting() {
    let dir = scratch("fifo-out");
    let fifo = dir.join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for flag in ["--dots-csv", "--hair-map", "--out"] {
        let mut command = demo(&dir.join("o.png"));
        if flag == "--out" {
            command = demo(&fifo);
        } else {
            command.arg(flag).arg(&fifo);
        }
        fails_with(&mut command, &[flag, "is a pipe, not a file"]);
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[cfg(unix)]
#[test]
fn a_link_planted_at_a_temporary_name_is_not_followed() {
    let dir = scratch("planted");
    let photo_path = dir.join("q.png");
    photo(120, 90).save(&photo_path).unwrap();
    let before = std::fs::read(&photo_path).unwrap();
    for name in ["o.png.partial", "r.pdf.partial"] {
        std::os::unix::fs::symlink(&photo_path, dir.join(name)).unwrap();
    }
    let (o, err) = run(render_photo(&photo_path, &dir.join("o.png")).arg("--report").arg(dir.join("r.pdf")));
    assert!(o.status.success(), "{err}");
    assert_eq!(std::fs::read(&photo_path).unwrap(), before, "the photo was written through a link");
    for name in ["o.png", "r.pdf"] {
        let meta = std::fs::symlink_metadata(dir.join(name)).unwrap();
        assert!(meta.file_type().is_file(), "{name} is not a plain file");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[cfg(unix)]
#[test]
fn permissions_of_an_output_are_respected_and_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("modes");
    let locked = dir.join("locked.png");
    std::fs::write(&locked, "keep").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o444)).unwrap();
    fails_with(&mut demo(&locked), &["--out", "locked.png", "the file is read-only"]);
    assert_eq!(std::fs::read_to_string(&locked).unwrap(), "keep");
    let private = dir.join("private.png");
    std::fs::write(&private, "old").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (o, err) = run(&mut demo(&private));
    assert!(o.status.success(), "{err}");
    let mode = std::fs::metadata(&private).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a private hand-out became readable by others");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_name_at_the_systems_limit_is_written() {
    let dir = scratch("long-name");
    let out = dir.join(format!("{}.png", "n".repeat(251)));
    let (o, err) = run(&mut demo(&out));
    assert!(o.status.success(), "{err}");
    assert!(out.is_file());
    std::fs::remove_dir_all(&dir).ok();
}

/// A render whose disk holds only `bytes` more: every file written past that fails as on a
/// full disk.
fn on_a_full_disk(command: &mut Command, bytes: u64) -> &mut Command {
    command.env("SMP_STUDIO_DISK_LIMIT_BYTES", bytes.to_string())
}

#[test]
fn a_full_disk_leaves_every_side_output_as_it_was() {
    let dir = scratch("full-disk");
    let photo_path = dir.join("p.png");
    photo(160, 120).save(&photo_path).unwrap();
    // How much the render itself takes, so the disk fills up on the side output.
    let probe = dir.join("probe.png");
    let (o, err) = run(&mut render_photo(&photo_path, &probe));
    assert!(o.status.success(), "{err}");
    let out_bytes = std::fs::metadata(&probe).unwrap().len();
    std::fs::remove_file(&probe).unwrap();
    for flag in ["--hair-map", "--skin-map", "--dots-csv"] {
        let side = dir.join(format!("side{flag}"));
        std::fs::write(&side, b"the previous file").unwrap();
        let before = snapshot(&dir);
        let mut command = render_photo(&photo_path, &dir.join("o.png"));
        let err =
            fails_with(on_a_full_disk(command.arg(flag).arg(&side), out_bytes + 8), &["the disk is full"]);
        assert!(err.contains(&side.display().to_string()), "{err}");
        let after = snapshot(&dir);
        let old: Vec<_> = after.iter().filter(|(name, _)| name != "o.png").cloned().collect();
        assert_eq!(old, before, "{flag}: an earlier file changed, or a temporary file was left");
        std::fs::remove_file(dir.join("o.png")).ok();
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_consultation_is_saved_from_the_command_line_whole_or_not_at_all() {
    let dir = scratch("save-consultation");
    let saved = dir.join("visit.smpc");
    let (o, err) = run(bin().args(["render", "--demo", "--save-consultation"]).arg(&saved));
    assert!(o.status.success(), "{err}");
    let first = std::fs::read(&saved).unwrap();
    let reopened = smp_studio::engine::consultation::Consultation::load(&saved).unwrap();
    assert!(!reopened.masks.get(smp_studio::engine::mask::RegionKind::Bald).is_blank());
    fails_with(
        on_a_full_disk(
            bin().args(["render", "--demo", "--seed", "9", "--save-consultation"]).arg(&saved),
            4096,
        ),
        &["visit.smpc", "the disk is full"],
    );
    assert_eq!(std::fs::read(&saved).unwrap(), first, "a failed save changed the consultation");
    assert_eq!(
        snapshot(&dir).len(),
        1,
        "a temporary file was left: {:?}",
        snapshot(&dir).iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    fails_with(
        bin().args(["render", "--demo", "--save-consultation"]).arg(dir.join("visit.png")),
        &["--save-consultation", "ends in .smpc"],
    );
    // Rendering from the saved file gives the demo's own render.
    let (a, b) = (dir.join("a.png"), dir.join("b.png"));
    assert!(run(&mut demo(&a)).0.status.success());
    assert!(
        run(bin().args(["render", "--consultation"]).arg(&saved).arg("--out").arg(&b)).0.status.success()
    );
    assert_eq!(image::open(&a).unwrap().to_rgb8(), image::open(&b).unwrap().to_rgb8());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn sizes_and_counts_that_would_exhaust_the_machine_get_a_sentence() {
    let dir = scratch("exhaust");
    let out = dir.join("o.png");
    for width in ["4294967295", "100000", "30001"] {
        fails_with(demo(&out).args(["--width", width]), &["--width", width, "from 320 to 30000"]);
    }
    // A tall photo at a wide export would be more pixels than any export holds.
    let tall = dir.join("tall.png");
    photo(100, 1200).save(&tall).unwrap();
    fails_with(render_photo(&tall, &out).args(["--width", "29000"]), &["too large", "150 megapixels"]);
    // A whole photo painted at a scale no scalp photo has.
    let mask = dir.join("all.png");
    image::GrayImage::from_pixel(1000, 800, Luma([255])).save(&mask).unwrap();
    let wide = dir.join("wide.png");
    photo(1000, 800).save(&wide).unwrap();
    fails_with(
        render_photo(&wide, &out)
            .args(["--px-per-mm", "0.5"])
            .arg("--mask")
            .arg(format!("bald={}", mask.display())),
        &["the painted regions cover 32000 cm²", "check the scale"],
    );
    let presets = ["Light skin", "Medium skin", "Dark skin", "Very light skin", "Light skin"];
    let mut command = demo(&out);
    command.args(["--sheet", "compare"]);
    for name in presets {
        command.arg("--preset").arg(name);
    }
    fails_with(&mut command, &["--sheet compare is given 5 presets", "2 to 4"]);
    let long = "x".repeat(20_000);
    fails_with(demo(&out).args(["--sheet", "before-after", "--label", &long]), &["--label", "at most 200"]);
    fails_with(demo(&out).args(["--sheet", "before-after", "--date", &long]), &["--date", "at most 60"]);
    assert!(!out.exists());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn argument_mistakes_are_one_sentence_naming_the_argument() {
    let dir = scratch("arguments");
    let out = dir.join("o.png");
    for (args, needles) in [
        (vec!["--width", "-1"], vec!["--width -1", "from 320 to 30000"]),
        (vec!["--quality", "-1"], vec!["--quality -1", "from 1 to 100"]),
        (vec!["--quality", "500"], vec!["--quality 500", "from 1 to 100"]),
        (vec!["--widht", "400"], vec!["--widht is not an option", "--width"]),
        (vec!["--sheet", "poster"], vec!["--sheet poster", "before-after"]),
    ] {
        let (o, err) = run(demo(&out).args(&args));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: more than one line: {err}");
        for needle in needles {
            assert!(err.contains(needle), "{args:?}: expected `{needle}` in: {err}");
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Unmounts the small disk a test mounted, however the test ends.
#[cfg(target_os = "linux")]
struct Mounted(PathBuf);

#[cfg(target_os = "linux")]
impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Where this machine lets a test mount a small disk (root on Linux, as in CI), a render and a
/// report that do not fit fail with a sentence and leave the previous files exactly as they
/// were, with nothing half-written beside them. Elsewhere the injected full disk above covers it.
#[cfg(target_os = "linux")]
#[test]
fn a_real_full_disk_leaves_the_previous_files_where_a_small_disk_can_be_mounted() {
    let dir = scratch("tmpfs");
    let mounted =
        Command::new("mount").args(["-t", "tmpfs", "-o", "size=256k", "smp-test"]).arg(&dir).output();
    if !mounted.is_ok_and(|o| o.status.success()) {
        eprintln!("no small disk can be mounted here; the injected full disk covers this case");
        return;
    }
    let _guard = Mounted(dir.clone());
    let out = dir.join("o.png");
    let report = dir.join("r.pdf");
    std::fs::write(&out, b"the previous render").unwrap();
    std::fs::write(&report, b"the previous report").unwrap();
    fails_with(&mut demo(&out), &["o.png", "the disk is full"]);
    fails_with(bin().args(["render", "--demo", "--report"]).arg(&report), &["r.pdf", "the disk is full"]);
    assert_eq!(
        snapshot(&dir),
        vec![
            ("o.png".to_owned(), b"the previous render".to_vec()),
            ("r.pdf".to_owned(), b"the previous report".to_vec())
        ]
    );
}
