//! Inputs for the hand-out tests, made here: a plain synthetic scalp photo, a consultation with
//! a painted bald patch, a camera JPEG carrying EXIF with a location and a serial number, and
//! ways to find what a person sees on a sheet (its panels, its text).
#![allow(dead_code)]

use image::{Rgb, RgbImage};
use smp_studio::engine::consultation::Consultation;
use smp_studio::engine::mask::RegionKind;
use smp_studio::engine::preset;
use smp_studio::engine::units::Scale;
use std::path::PathBuf;

/// The colour of the sheets' paper (the engine's `PAPER`), to tell panels from margins.
pub const PAPER: Rgb<u8> = Rgb([248, 247, 244]);
/// What the camera wrote and no export may carry.
pub const CAMERA_SERIAL: &str = "SN-0042-4242";
pub const CAMERA_MAKE: &str = "Canon";

pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smp-handout-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A smooth, evenly lit scalp: warm skin, a little lighter at the top.
pub fn photo(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |_, y| {
        let light = 1.0 - 0.12 * y as f32 / height as f32;
        Rgb([(214.0 * light) as u8, (176.0 * light) as u8, (152.0 * light) as u8])
    })
}

/// A consultation on [`photo`] with an oval bald patch painted in its middle (none when
/// `painted` is false), the first bundled preset, 8 px/mm, a date and a patient label.
pub fn consultation(width: u32, height: u32, painted: bool) -> Consultation {
    let preset = preset::bundled().into_iter().find(|p| p.name == "Light skin · soft hairline").unwrap();
    let mut c = Consultation::new("scalp.png".into(), photo(width, height), preset);
    if painted {
        let (cx, cy) = (width as f32 / 2.0, height as f32 * 0.48);
        let (rx, ry) = (width as f32 * 0.3, height as f32 * 0.3);
        let mask = c.masks.get_mut(RegionKind::Bald);
        for y in 0..height {
            for x in 0..width {
                let d = ((x as f32 - cx) / rx).powi(2) + ((y as f32 - cy) / ry).powi(2);
                if d <= 1.0 {
                    mask.set(x, y, 255);
                }
            }
        }
    }
    c.set_scale(Scale { px_per_mm: 8.0 }, true);
    c.refresh_for_scale();
    c.notes.date = "12 March 2025".into();
    c.notes.label = "Alex Example".into();
    c.notes.notes = "Start with a soft hairline; review after the second session.".into();
    c
}

/// The middle of the painted patch, where a simulation shows.
pub fn patch_centre(width: u32, height: u32) -> (u32, u32) {
    (width / 2, (height as f32 * 0.48) as u32)
}

/// A JPEG of `image` as a camera writes it: an EXIF block with the maker, a serial number and
/// a GPS position.
pub fn camera_jpeg(image: &RgbImage) -> Vec<u8> {
    let mut plain = Vec::new();
    image.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)).unwrap();
    let tiff = exif_tiff();
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
    jpeg.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    jpeg.extend_from_slice(&app1);
    jpeg.extend_from_slice(&plain[2..]);
    jpeg
}

/// A big-endian TIFF block: IFD0 with Make, Orientation, a camera serial number and a pointer
/// to a GPS IFD holding a latitude.
fn exif_tiff() -> Vec<u8> {
    fn entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32) {
        out.extend_from_slice(&tag.to_be_bytes());
        out.extend_from_slice(&kind.to_be_bytes());
        out.extend_from_slice(&count.to_be_bytes());
        out.extend_from_slice(&value.to_be_bytes());
    }
    const ASCII: u16 = 2;
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const RATIONAL: u16 = 5;
    let make = format!("{CAMERA_MAKE}\0");
    let serial = format!("{CAMERA_SERIAL}\0");
    // Layout: header (8), IFD0 (2 + 4×12 + 4), make, serial, GPS IFD (2 + 2×12 + 4), rationals.
    let ifd0 = 8u32;
    let make_at = ifd0 + 2 + 4 * 12 + 4;
    let serial_at = make_at + make.len() as u32;
    let gps_at = serial_at + serial.len() as u32;
    let rationals_at = gps_at + 2 + 2 * 12 + 4;
    let mut out = b"MM\0\x2A".to_vec();
    out.extend_from_slice(&ifd0.to_be_bytes());
    out.extend_from_slice(&4u16.to_be_bytes());
    entry(&mut out, 0x010F, ASCII, make.len() as u32, make_at);
    entry(&mut out, 0x0112, SHORT, 1, 1 << 16);
    entry(&mut out, 0x8825, LONG, 1, gps_at);
    entry(&mut out, 0xC62F, ASCII, serial.len() as u32, serial_at);
    out.extend_from_slice(&0u32.to_be_bytes());
    out.extend_from_slice(make.as_bytes());
    out.extend_from_slice(serial.as_bytes());
    out.extend_from_slice(&2u16.to_be_bytes());
    entry(&mut out, 0x0001, ASCII, 2, u32::from_be_bytes(*b"N\0\0\0"));
    entry(&mut out, 0x0002, RATIONAL, 3, rationals_at);
    out.extend_from_slice(&0u32.to_be_bytes());
    for (num, den) in [(52u32, 1u32), (31, 1), (1234, 100)] {
        out.extend_from_slice(&num.to_be_bytes());
        out.extend_from_slice(&den.to_be_bytes());
    }
    out
}

/// What in `bytes` still speaks of the camera: an EXIF header, its maker, serial number or a
/// JPEG APP1 segment.
pub fn camera_traces(bytes: &[u8]) -> Vec<&'static str> {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    let mut found = Vec::new();
    if has(b"Exif\0\0") {
        found.push("an EXIF header");
    }
    if has(CAMERA_MAKE.as_bytes()) {
        found.push("the camera maker");
    }
    if has(CAMERA_SERIAL.as_bytes()) {
        found.push("the camera serial number");
    }
    if has(b"eXIf") {
        found.push("a PNG eXIf chunk");
    }
    if bytes.starts_with(&[0xFF, 0xD8]) && jpeg_markers(bytes).contains(&0xE1) {
        found.push("a JPEG APP1 segment");
    }
    found
}

/// The markers of a JPEG's segments up to the image data.
fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
    let mut markers = Vec::new();
    let mut i = 2;
    while i + 4 <= bytes.len() && bytes[i] == 0xFF {
        let marker = bytes[i + 1];
        markers.push(marker);
        if marker == 0xDA {
            break;
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        i += 2 + len;
    }
    markers
}

/// Horizontal runs of non-paper pixels along row `y`: the panels a person sees there, as
/// (start, width).
pub fn runs(sheet: &RgbImage, y: u32) -> Vec<(u32, u32)> {
    let mut runs = Vec::new();
    let mut start = None;
    for x in 0..=sheet.width() {
        let inside = x < sheet.width() && *sheet.get_pixel(x, y) != PAPER;
        match (inside, start) {
            (true, None) => start = Some(x),
            (false, Some(s)) => {
                runs.push((s, x - s));
                start = None;
            }
            _ => {}
        }
    }
    runs
}

/// Rows from `y` upwards while column `x` is not paper: the top of the panel at (`x`, `y`).
pub fn panel_top(sheet: &RgbImage, x: u32, y: u32) -> u32 {
    let mut top = y;
    while top > 0 && *sheet.get_pixel(x, top - 1) != PAPER {
        top -= 1;
    }
    top
}

/// Dark pixels (text) in a rectangle.
pub fn ink(sheet: &RgbImage, x: u32, y: u32, w: u32, h: u32) -> usize {
    let mut n = 0;
    for yy in y..(y + h).min(sheet.height()) {
        for xx in x..(x + w).min(sheet.width()) {
            let p = sheet.get_pixel(xx, yy).0;
            if p.iter().map(|&c| c as u32).sum::<u32>() < 3 * 120 {
                n += 1;
            }
        }
    }
    n
}

/// Share of a square of side `side` centred on (`x`, `y`) clearly darker (below 80 %) than its
/// lightest skin: the pigment dots a person sees on the plain synthetic skin.
pub fn dots(image: &RgbImage, x: u32, y: u32, side: u32) -> f64 {
    let mut sums = Vec::new();
    for yy in y.saturating_sub(side / 2)..(y + side / 2).min(image.height()) {
        for xx in x.saturating_sub(side / 2)..(x + side / 2).min(image.width()) {
            let p = image.get_pixel(xx, yy).0;
            sums.push(p[0] as u32 + p[1] as u32 + p[2] as u32);
        }
    }
    if sums.is_empty() {
        return 0.0;
    }
    // Against the patch's own lightest skin (its 90th percentile), so that the even shadow
    // between the dots does not count as dots.
    let mut sorted = sums.clone();
    sorted.sort_unstable();
    let light = sorted[(sorted.len() - 1) * 9 / 10] as f64;
    sums.iter().filter(|&&s| (s as f64) < 0.8 * light).count() as f64 / sums.len() as f64
}

/// Runs a poppler tool (`pdftotext`, `pdftoppm`, `pdffonts`); `tests/run.sh` installs them.
pub fn poppler(tool: &str, args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} could not run ({e}); install poppler-utils, as tests/run.sh does"))
}

/// The PDF's text layer, as `pdftotext` reads it.
pub fn pdf_text(pdf: &std::path::Path) -> String {
    let out = poppler("pdftotext", &["-layout".as_ref(), pdf.as_os_str(), "-".as_ref()]);
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}
