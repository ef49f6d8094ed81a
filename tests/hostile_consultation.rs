//! Hostile and broken consultation files: each is refused with one sentence a person can read,
//! without a panic or a hang, within a small memory bound, writing nothing anywhere, and the
//! consultation already open stays as it was. Every fixture is made here from a small
//! consultation saved by SMP Studio itself, then changed one part at a time.

use image::{GrayImage, Luma, Rgb, RgbImage, Rgba, RgbaImage};
use smp_studio::engine::brush::{Brush, BrushMode, stroke};
use smp_studio::engine::consultation::{Consultation, META_FILE};
use smp_studio::engine::mask::RegionKind;
use smp_studio::engine::photo::PhotoLimits;
use smp_studio::engine::preset;
use smp_studio::studio::{Event, Folders, Studio};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use zip::write::SimpleFileOptions;

// ---- memory: what one thread holds at most while it opens a file ----

/// Counts the bytes each thread holds, so a test can say how much opening one file took at
/// its peak, whatever other tests do meanwhile.
struct Counting;

thread_local! {
    static HELD: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn count(change: isize) {
    let _ = HELD.try_with(|held| {
        let now = held.get() + change;
        held.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: every call is passed on to the system allocator unchanged; only counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Runs `f` and returns its result with the most bytes this thread held meanwhile, beyond
/// what it held before.
fn peak_bytes<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = HELD.with(Cell::get);
    PEAK.with(|p| p.set(before));
    let out = f();
    (out, (PEAK.with(Cell::get) - before).max(0) as u64)
}

/// Opening any of these small fixtures needs a few megabytes; a loader that read a bomb or
/// trusted a declared size would need hundreds.
const MEMORY_BOUND: u64 = 48 << 20;

// ---- fixtures ----

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smp-hostile-consultation-{}-{name}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(dir.join("chosen")).unwrap();
    dir
}

const PHOTO_SIZE: (u32, u32) = (40, 30);

fn photo() -> RgbImage {
    RgbImage::from_fn(PHOTO_SIZE.0, PHOTO_SIZE.1, |x, y| Rgb([170 + (x % 9) as u8, 130, 110 + (y % 7) as u8]))
}

fn png(image: &RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}

/// A small consultation as SMP Studio saves it: the photo kept as PNG, a painted bald spot.
fn consultation() -> Consultation {
    let mut c = Consultation::new("scalp.png".into(), photo(), preset::bundled().remove(0))
        .with_photo_file(Arc::from(png(&photo())), "png");
    let brush = Brush { radius_px: 5.0, hardness: 0.5, mode: BrushMode::Paint };
    stroke(&brush, c.masks.get_mut(RegionKind::Bald), &[(5.0, 5.0), (30.0, 20.0)]);
    c
}

/// The parts of the saved container, in order: (member name, bytes).
fn parts() -> Vec<(String, Vec<u8>)> {
    let bytes = consultation().write_container(std::io::Cursor::new(Vec::new())).unwrap().into_inner();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut member = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            member.read_to_end(&mut data).unwrap();
            (member.name().unwrap().into_owned(), data)
        })
        .collect()
}

fn container(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn meta_text() -> String {
    let parts = parts();
    String::from_utf8(parts.iter().find(|(n, _)| n == META_FILE).unwrap().1.clone()).unwrap()
}

/// The saved container with `consultation.ron` replaced by `text`.
fn with_meta(text: impl Into<Vec<u8>>) -> Vec<u8> {
    let text = text.into();
    let parts: Vec<_> = parts()
        .into_iter()
        .map(|(name, data)| if name == META_FILE { (name, text.clone()) } else { (name, data) })
        .collect();
    container(&parts)
}

/// The saved metadata with `from` replaced by `to`; `from` must be there.
fn meta_edited(from: &str, to: &str) -> Vec<u8> {
    let text = meta_text();
    assert!(text.contains(from), "`{from}` is not in the saved metadata:\n{text}");
    with_meta(text.replacen(from, to, 1))
}

/// The saved container with one member's bytes replaced (or removed, for `None`).
fn with_member(name: &str, data: Option<Vec<u8>>) -> Vec<u8> {
    let mut parts = parts();
    let at = parts.iter().position(|(n, _)| n == name).unwrap();
    match data {
        Some(data) => parts[at].1 = data,
        None => {
            parts.remove(at);
        }
    }
    container(&parts)
}

/// Every file below `dir`, with its size: what a load must leave as it was.
fn tree(dir: &Path) -> BTreeMap<PathBuf, u64> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(entry.path());
            }
            out.insert(entry.path(), entry.metadata().map(|m| m.len()).unwrap_or(0));
        }
    }
    out
}

/// Checks a refusal as a person meets it: one sentence naming the file, with every needle,
/// no programmer's words, and nothing written anywhere near.
fn check_sentence(err: &str, needles: &[&str]) {
    assert!(!err.contains('\n'), "more than one line: {err}");
    assert!(err.len() < 400, "{} characters: {err}", err.len());
    for needle in needles {
        assert!(err.contains(needle), "expected `{needle}` in: {err}");
    }
    for jargon in ["os error", "serde", "ron::", "Zip", "zip", "panicked", "Error("] {
        assert!(!err.contains(jargon), "`{jargon}` reached a person: {err}");
    }
}

/// Opens `bytes` as `visit.smpc` (from disk, and from memory) and expects a refusal with
/// every needle, within the memory bound, writing nothing. Returns the sentence.
fn refused(case: &str, bytes: &[u8], needles: &[&str]) -> String {
    let root = scratch(case);
    let path = root.join("chosen/visit.smpc");
    std::fs::write(&path, bytes).unwrap();
    let before = tree(&root);
    let (result, peak) = peak_bytes(|| Consultation::load(&path));
    let err = match result {
        Ok(_) => panic!("{case}: a hostile consultation opened"),
        Err(e) => e.to_string(),
    };
    check_sentence(&err, needles);
    assert!(err.contains("visit.smpc"), "the sentence does not name the file: {err}");
    assert!(peak < MEMORY_BOUND, "{case}: opening held {} MB at its peak", peak >> 20);
    assert_eq!(tree(&root), before, "{case}: opening changed files");

    let (result, peak) =
        peak_bytes(|| Consultation::from_container_bytes(bytes, "visit.smpc", &PhotoLimits::DEFAULT));
    match result {
        Ok(_) => panic!("{case}: a hostile consultation opened from memory"),
        Err(e) => assert_eq!(
            e.to_string(),
            err.replace(&path.display().to_string(), "visit.smpc"),
            "{case}: from memory the sentence differs"
        ),
    }
    assert!(peak < MEMORY_BOUND, "{case}: opening from memory held {} MB", peak >> 20);
    std::fs::remove_dir_all(&root).ok();
    err
}

// ---- the fixtures themselves open ----

#[test]
fn the_unchanged_fixture_opens() {
    let bytes = container(&parts());
    let (opened, peak) =
        peak_bytes(|| Consultation::from_container_bytes(&bytes, "visit.smpc", &PhotoLimits::DEFAULT));
    let opened = opened.unwrap();
    assert_eq!(opened.masks, consultation().masks);
    assert!(peak < MEMORY_BOUND, "a small consultation held {} MB", peak >> 20);
}

// ---- the metadata ----

#[test]
fn malformed_metadata() {
    let text = meta_text();
    let cut = &text[..text.len() / 2];
    refused(
        "malformed",
        &with_meta(cut),
        &["is damaged and cannot be opened", "consultation.ron", "ends too early"],
    );
    refused(
        "garbled",
        &with_meta("(version: 2, photo: ]]]"),
        &["is damaged", "line 1 of its consultation.ron"],
    );
}

#[test]
fn binary_metadata() {
    let binary: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    refused(
        "binary",
        &with_meta(binary),
        &["is not a saved consultation", "its consultation.ron is not text"],
    );
    refused("nul", &with_meta("(version: 2\0\0\0)"), &["is damaged", "consultation.ron"]);
}

#[test]
fn a_huge_string() {
    let huge = meta_edited("label: \"\"", &format!("label: \"{}\"", "a".repeat(5_000_000)));
    refused("huge-string", &huge, &["its `consultation.ron` is larger than the 4 MB"]);
    // Just under the limit a long quote is cut short in the sentence.
    let long_key =
        meta_edited("(\"bald\", \"bald.png\")", &format!("(\"{}\", \"bald.png\")", "b".repeat(3_000_000)));
    let err = refused("long-key", &long_key, &["it has a region “bbbb", "…”"]);
    assert!(err.len() < 300, "{err}");
}

#[test]
fn a_million_element_array() {
    let fractions = format!("session_fractions: [{}1.0]", "1.0, ".repeat(999_999));
    let text = meta_text();
    let start = text.find("session_fractions: [").expect("session_fractions in the saved preset");
    let end = start + text[start..].find(']').unwrap() + 1;
    let edited = format!("{}{}{}", &text[..start], fractions, &text[end..]);
    refused("array", &with_meta(edited), &["its `consultation.ron` is larger than the 4 MB"]);
    let compact = format!(
        "{}[{}1]{}",
        &text[..start + "session_fractions: ".len()],
        "1,".repeat(999_999),
        &text[end..]
    );
    refused(
        "array-compact",
        &with_meta(compact),
        &["its preset's field `density.session_fractions`", "1 to 6 sessions"],
    );
}

#[test]
fn deeply_nested_metadata() {
    let nested = meta_edited(
        "label: \"\"",
        &format!("label: \"\", extra: {}{}", "[".repeat(100_000), "]".repeat(100_000)),
    );
    refused("nested", &nested, &["is damaged", "nested too deeply"]);
}

#[test]
fn a_future_version() {
    refused(
        "future",
        &meta_edited("version: 2", "version: 99"),
        &["was saved by a newer SMP Studio (format 99", "update SMP Studio"],
    );
}

// ---- the container's members ----

#[test]
fn missing_members() {
    refused(
        "no-meta",
        &with_member(META_FILE, None),
        &["is not a saved consultation", "holds no consultation.ron"],
    );
    refused("no-photo", &with_member("photo.png", None), &["is damaged", "it has no `photo.png` in it"]);
    refused("no-layer", &with_member("bald.png", None), &["is damaged", "it has no `bald.png` in it"]);
    refused("empty", &container(&[]), &["is not a saved consultation"]);
    refused(
        "not-a-container",
        b"PK\x03\x04 but nothing after",
        &["is not a saved consultation", "not a .smpc file"],
    );
}

#[test]
fn region_layers_of_the_wrong_size_or_format() {
    let small = GrayImage::from_pixel(20, 15, Luma([255]));
    let mut small_png = Vec::new();
    small.write_to(&mut std::io::Cursor::new(&mut small_png), image::ImageFormat::Png).unwrap();
    refused(
        "layer-size",
        &with_member("bald.png", Some(small_png)),
        &["its region layer `bald.png` is 20×15 pixels but the photo is 40×30"],
    );
    let mut jpeg = Vec::new();
    photo().write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg).unwrap();
    refused(
        "layer-jpeg",
        &with_member("bald.png", Some(jpeg)),
        &["its region layer `bald.png` is not a PNG image"],
    );
    refused(
        "layer-text",
        &with_member("scar.png", Some(b"hello".to_vec())),
        &["`scar.png` is not a PNG image"],
    );
    let mut cut = parts().into_iter().find(|(n, _)| n == "bald.png").unwrap().1;
    cut.truncate(cut.len() / 2);
    refused("layer-cut", &with_member("bald.png", Some(cut)), &["its region layer `bald.png` is damaged"]);

    // A colour layer with opacity is read by the one mask rule: grey value times opacity.
    let rgba = RgbaImage::from_fn(PHOTO_SIZE.0, PHOTO_SIZE.1, |x, _| {
        Rgba([255, 255, 255, if x < 20 { 255 } else { 0 }])
    });
    let mut rgba_png = Vec::new();
    rgba.write_to(&mut std::io::Cursor::new(&mut rgba_png), image::ImageFormat::Png).unwrap();
    let opened = Consultation::from_container_bytes(
        &with_member("bald.png", Some(rgba_png)),
        "visit.smpc",
        &PhotoLimits::DEFAULT,
    )
    .unwrap();
    let bald = opened.masks.get(RegionKind::Bald);
    assert_eq!((bald.get(5, 5), bald.get(30, 5)), (255, 0));
}

#[test]
fn a_member_that_is_a_folder_or_a_link() {
    let mut parts = parts();
    parts.retain(|(n, _)| n != "photo.png");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in &parts {
        zip.start_file(name.as_str(), SimpleFileOptions::default()).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.add_directory("photo.png", SimpleFileOptions::default()).unwrap();
    let folder = zip.finish().unwrap().into_inner();
    refused("member-folder", &folder, &["is damaged", "`photo.png`"]);

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in &parts {
        zip.start_file(name.as_str(), SimpleFileOptions::default()).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.add_symlink("photo.png", "/dev/zero", SimpleFileOptions::default()).unwrap();
    let link = zip.finish().unwrap().into_inner();
    refused("member-link", &link, &["is damaged", "its `photo.png` is a link, not a file"]);
}

#[test]
fn member_names_that_leave_the_container() {
    for (case, name) in
        [("dotdot", "../x.png"), ("absolute", "/etc/x"), ("drive", "C:\\x"), ("drive-relative", "C:x")]
    {
        let existed = Path::new("/etc/x").exists();
        let mut parts = parts();
        // The container really holds a member of that name, for a loader that would extract it.
        parts.push((name.to_owned(), png(&photo())));
        let text = meta_text();
        let edited = text.replacen("photo: \"photo.png\"", &format!("photo: {name:?}"), 1);
        assert_ne!(edited, text);
        let at = parts.iter().position(|(n, _)| n == META_FILE).unwrap();
        parts[at].1 = edited.into_bytes();
        refused(case, &container(&parts), &["is damaged", "which is not inside the consultation"]);
        assert_eq!(Path::new("/etc/x").exists(), existed, "/etc/x appeared");
    }
    let layer = meta_edited("\"scar.png\"", "\"../../other_patient/scar.png\"");
    refused("layer-outside", &layer, &["it names the file “../../other_patient/scar.png”"]);
    let preset = meta_text();
    let start = preset.find("preset_data: Some(").unwrap();
    let mut edited = preset[..start].to_owned();
    edited.push_str("preset_data: None,\n");
    let rest = &preset[start..];
    // Skip to the field after the preset: notes.
    edited.push_str(&rest[rest.find("    notes:").unwrap()..]);
    let edited = edited.replacen("preset: \"", "preset: \"/etc/passwd\", old_preset: \"", 1);
    refused("preset-file", &with_meta(edited), &["it names the preset file “/etc/passwd”"]);
}

// ---- bombs ----

/// Finds a member's declared uncompressed size fields (in its local header and in the central
/// directory) and sets them to `size`.
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    for at in 0..zip.len().saturating_sub(46) {
        let (offset, name_len_at, name_at) = match &zip[at..at + 4] {
            b"PK\x03\x04" => (22, 26, 30),
            b"PK\x01\x02" => (24, 28, 46),
            _ => continue,
        };
        let len = u16::from_le_bytes([zip[at + name_len_at], zip[at + name_len_at + 1]]) as usize;
        if zip.get(at + name_at..at + name_at + len) == Some(name.as_bytes()) {
            zip[at + offset..at + offset + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "{name} not found in both headers");
}

#[test]
fn a_small_member_that_inflates_huge() {
    // 200 MB of zeros, declared as 1000 bytes.
    let mut parts = parts();
    let at = parts.iter().position(|(n, _)| n == "photo.png").unwrap();
    parts[at].1 = vec![0; 200 << 20];
    let mut bomb = container(&parts);
    assert!(bomb.len() < 1 << 20, "the bomb is {} bytes", bomb.len());
    declare_size(&mut bomb, "photo.png", 1000);
    refused("bomb", &bomb, &["is damaged", "its `photo.png` is damaged"]);

    let mut meta_bomb = with_member(META_FILE, Some(vec![b' '; 200 << 20]));
    declare_size(&mut meta_bomb, META_FILE, 100);
    refused("meta-bomb", &meta_bomb, &["is damaged", "its `consultation.ron` is damaged"]);
}

#[test]
fn a_member_declared_huge() {
    let mut huge = container(&parts());
    declare_size(&mut huge, "photo.png", 0xFFFF_FFF0);
    refused(
        "declared-huge",
        &huge,
        &["its `photo.png` is larger than the 512 MB a consultation's part may be"],
    );
    let mut layer = container(&parts());
    declare_size(&mut layer, "scar.png", 300 << 20);
    refused("declared-layer", &layer, &["its `scar.png` is larger than the 256 MB"]);
}

// ---- values a render depends on ----

#[test]
fn scales_that_would_render_forever() {
    for (value, shown) in [("0.001", "0.001"), ("NaN", "NaN"), ("0.0", "0"), ("-1.0", "-1"), ("inf", "inf")] {
        refused(
            &format!("scale-{value}"),
            &meta_edited("px_per_mm: 10.0", &format!("px_per_mm: {value}")),
            &[&format!("its scale is {shown} px/mm"), "between 0.5 and 200 px/mm"],
        );
    }
}

#[test]
fn preset_values_out_of_range() {
    let text = meta_text();
    let dot =
        text.lines().find(|l| l.trim_start().starts_with("dot_diameter_mm:")).unwrap().trim().to_owned();
    refused(
        "dot-size",
        &meta_edited(&dot, "dot_diameter_mm: 1000.0,"),
        &["its preset's field `dots.dot_diameter_mm` is 1000", "must be between"],
    );
    let start = text.find("shades: [").unwrap();
    let end = start + text[start..].find("\n            ],").unwrap() + "\n            ]".len();
    let edited = format!("{}shades: []{}", &text[..start], &text[end..]);
    refused("no-shades", &with_meta(edited), &["its preset's field `pigment.shades` is empty"]);
    refused(
        "session",
        &meta_edited("session: 3", "session: 0"),
        &["it shows session 0, and sessions are numbered 1 to 6"],
    );
    refused("years", &meta_edited("years: 0.0", "years: 1000000.0"), &["1000000 years on"]);
}

#[test]
fn hairline_designs_the_designer_cannot_make() {
    let handles = format!("Some((handles: [{}(1.0, 2.0)], depth_mm: 25.0))", "(1.0, 2.0),".repeat(10_000));
    refused(
        "design-handles",
        &meta_edited("hairline_design: None", &format!("hairline_design: {handles}")),
        &["10001 handles"],
    );
    refused(
        "design-nan",
        &meta_edited("hairline_design: None", "hairline_design: Some((handles: [(NaN, 2.0)]))"),
        &["a point far outside the photo"],
    );
    refused(
        "design-depth",
        &meta_edited("hairline_design: None", "hairline_design: Some((depth_mm: 1e30))"),
        &["reaches 1000000000000000000000000000000 mm deep"],
    );
    refused(
        "layers",
        &meta_edited("(\"scar\", \"scar.png\")", "(\"scar\", \"scar.png\"), (\"scar\", \"scar.png\")"),
        &["it lists 4 region layers"],
    );
}

// ---- on disk: the file itself, and folders from earlier versions ----

fn folder(root: &Path) -> PathBuf {
    let dir = root.join("chosen/visit.smp");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, data) in parts() {
        std::fs::write(dir.join(&name), data).unwrap();
    }
    assert!(Consultation::load(&dir).is_ok(), "the folder fixture does not open");
    dir
}

fn refused_on_disk(root: &Path, path: &Path, needles: &[&str]) -> String {
    let before = tree(root);
    let (result, peak) = peak_bytes(|| Consultation::load(path));
    let err = match result {
        Ok(_) => panic!("{} opened", path.display()),
        Err(e) => e.to_string(),
    };
    check_sentence(&err, needles);
    assert!(peak < MEMORY_BOUND, "opening held {} MB", peak >> 20);
    assert_eq!(tree(root), before, "opening changed files");
    err
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    assert!(std::process::Command::new("mkfifo").arg(path).status().unwrap().success());
}

#[cfg(unix)]
#[test]
fn a_folders_photo_that_is_a_link_to_a_device_or_a_pipe() {
    let root = scratch("folder-links");
    let dir = folder(&root);
    std::fs::remove_file(dir.join("photo.png")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join("photo.png")).unwrap();
    refused_on_disk(
        &root,
        &dir,
        &["visit.smp is damaged", "its `photo.png` is a link to another file, not a file"],
    );
    std::fs::remove_file(dir.join("photo.png")).unwrap();
    // A link to another patient's photo is refused just the same.
    std::fs::write(root.join("other.png"), png(&photo())).unwrap();
    std::os::unix::fs::symlink(root.join("other.png"), dir.join("photo.png")).unwrap();
    refused_on_disk(&root, &dir, &["its `photo.png` is a link to another file"]);
    std::fs::remove_file(dir.join("photo.png")).unwrap();
    mkfifo(&dir.join("photo.png"));
    refused_on_disk(&root, &dir, &["its `photo.png` is a pipe, not a file"]);
    std::fs::remove_file(dir.join(META_FILE)).unwrap();
    mkfifo(&dir.join(META_FILE));
    refused_on_disk(&root, &dir, &["its `consultation.ron` is a pipe, not a file"]);
    std::fs::remove_dir_all(&root).ok();
}

#[test]
fn a_folders_member_that_is_a_folder() {
    let root = scratch("folder-folder");
    let dir = folder(&root);
    std::fs::remove_file(dir.join("bald.png")).unwrap();
    std::fs::create_dir(dir.join("bald.png")).unwrap();
    refused_on_disk(&root, &dir, &["visit.smp is damaged", "its `bald.png` is a folder, not a file"]);
    std::fs::remove_file(dir.join(META_FILE)).unwrap();
    refused_on_disk(
        &root,
        &dir,
        &["visit.smp is not a saved consultation", "a folder without consultation.ron"],
    );
    std::fs::remove_dir_all(&root).ok();
}

#[cfg(unix)]
#[test]
fn a_consultation_file_that_is_a_pipe_or_a_device() {
    let root = scratch("special");
    let pipe = root.join("chosen/visit.smpc");
    mkfifo(&pipe);
    refused_on_disk(&root, &pipe, &["visit.smpc is not a saved consultation (it is a pipe)"]);
    let link = root.join("chosen/zero.smpc");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    refused_on_disk(&root, &link, &["zero.smpc is not a saved consultation (it is a device)"]);
    refused_on_disk(
        &root,
        &root.join("chosen/missing.smpc"),
        &["could not read", "there is no such file or folder"],
    );
    std::fs::remove_dir_all(&root).ok();
}

// ---- the consultation already open ----

/// Waits for the studio's open to finish and returns what it said.
fn opened_or_failed(studio: &mut Studio) -> Event {
    loop {
        for event in studio.poll() {
            if matches!(event, Event::Opened { .. } | Event::Failed(_)) {
                return event;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[test]
fn a_refused_file_leaves_the_open_consultation_as_it_was() {
    let root = scratch("studio");
    let good = root.join("chosen/good.smpc");
    consultation().save(&good).unwrap();
    let (mut studio, _) = Studio::new(Folders::default(), || {});
    studio.open_consultation(&good).unwrap();
    assert!(matches!(opened_or_failed(&mut studio), Event::Opened { .. }));
    let masks = studio.consultation().masks.clone();
    let settings = studio.consultation().settings;
    let saved = std::fs::read(&good).unwrap();

    let hostile = [
        ("scale.smpc", meta_edited("px_per_mm: 10.0", "px_per_mm: NaN")),
        ("outside.smpc", meta_edited("photo: \"photo.png\"", "photo: \"../x.png\"")),
        ("future.smpc", meta_edited("version: 2", "version: 99")),
        ("binary.smpc", (0..=255u8).cycle().take(2048).collect()),
    ];
    for (name, bytes) in hostile {
        let path = root.join("chosen").join(name);
        std::fs::write(&path, bytes).unwrap();
        studio.open_consultation(&path).unwrap();
        match opened_or_failed(&mut studio) {
            Event::Failed(e) => check_sentence(&e.to_string(), &[name]),
            other => panic!("{name} opened: {other:?}"),
        }
        assert_eq!(studio.consultation().masks, masks, "{name} changed the open regions");
        assert_eq!(studio.consultation().settings, settings, "{name} changed the open settings");
        assert_eq!(studio.consultation().photo.dimensions(), PHOTO_SIZE);
    }
    assert_eq!(std::fs::read(&good).unwrap(), saved, "the open consultation's file changed");
    std::fs::remove_dir_all(&root).ok();
}

// ---- a file is held to the rules the command line keeps ----

#[test]
fn a_head_outline_the_command_line_would_refuse() {
    for (case, ellipse, needle) in [
        (
            "head-zero",
            "(centre_x: 50.0, centre_y: 40.0, radius_x: 0.0, radius_y: 30.0, angle_deg: 0.0)",
            "at least 4 px",
        ),
        (
            "head-nan",
            "(centre_x: NaN, centre_y: 40.0, radius_x: 30.0, radius_y: 30.0, angle_deg: 0.0)",
            "must be numbers",
        ),
    ] {
        refused(
            case,
            &meta_edited("head: Found", &format!("head: Set({ellipse})")),
            &["its head outline", needle],
        );
    }
}

#[test]
fn two_parts_of_one_name_are_refused_not_picked() {
    // The zip writer refuses a second part of one name, so the second is written under a name
    // of the same length and renamed in the bytes, header and directory alike.
    let mut parts = parts();
    let photo = parts.iter().find(|(n, _)| n.starts_with("photo.")).unwrap().clone();
    let other = RgbImage::from_pixel(PHOTO_SIZE.0, PHOTO_SIZE.1, Rgb([20, 200, 20]));
    let twin = photo.0.replacen("photo", "phot0", 1);
    parts.push((twin.clone(), png(&other)));
    let mut bytes = container(&parts);
    let (from, to) = (twin.as_bytes(), photo.0.as_bytes());
    let mut i = 0;
    while let Some(at) = bytes[i..].windows(from.len()).position(|w| w == from) {
        bytes[i + at..i + at + from.len()].copy_from_slice(to);
        i += at + from.len();
    }
    refused("two-photos", &bytes, &["two parts of the same name"]);
}

#[test]
fn an_embedded_preset_is_held_to_the_standalone_rules() {
    let text = meta_text();
    let preset_start = text.find("preset_data: Some((").unwrap();
    let version_at = preset_start + text[preset_start..].find("version: 1,").unwrap();
    let future = format!("{}version: 2,{}", &text[..version_at], &text[version_at + "version: 1,".len()..]);
    refused("preset-version", &with_meta(future), &["version 2 preset", "newer SMP Studio"]);
    let colour = text[text.find("srgb: \"#").unwrap()..].split('"').nth(1).unwrap().to_owned();
    refused("preset-colour", &meta_edited(&colour, "#+f+f+f"), &["#+f+f+f"]);
    refused(
        "session-beyond-preset",
        &meta_edited("session: 3", "session: 6"),
        &["it shows session 6, and its preset plans sessions 1 to 3"],
    );
}

#[test]
fn patient_texts_longer_than_anyone_writes_are_refused_at_once() {
    for (case, field, chars, needle) in [
        ("label", "label", 3_500_000, "its patient label is 3500000 characters long"),
        ("date", "date", 3_000_000, "its date is 3000000 characters long"),
        ("notes", "notes", 3_800_000, "its notes are 3800000 characters long"),
    ] {
        let started = std::time::Instant::now();
        refused(
            case,
            &meta_edited(&format!("{field}: \"\""), &format!("{field}: \"{}\"", "x".repeat(chars))),
            &[needle, "keeps at most"],
        );
        // Not a timing assertion: a refusal that took minutes would time the suite out instead.
        eprintln!("{case}: refused in {:?}", started.elapsed());
    }
}
