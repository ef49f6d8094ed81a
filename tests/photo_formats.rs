//! Photos from every phone and camera: each format opens with the colours it holds, upright as
//! the camera meant it, within the same limits as every photo; a consultation made from one
//! saves and reopens with the very same pixels. Fixtures are made here with the `image`
//! crate's encoders, except two made with Debian's tools (no encoder here writes them): a
//! CMYK JPEG from ImageMagick and a HEIC from libheif's `heif-enc`, both under 1 KB.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{ExtendedColorType, ImageBuffer, ImageEncoder, Luma, Rgb, RgbImage};
use smp_studio::engine::consultation::Consultation;
use smp_studio::engine::photo::{self, PhotoError, PhotoLimits, heif};
use smp_studio::engine::preset::Preset;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const RED: [u8; 3] = [200, 60, 40];
const BLUE: [u8; 3] = [40, 80, 200];
const WHITE: [u8; 3] = [240, 240, 240];

/// 40×30: red left half, blue right half, a white block in the top-left corner; which way
/// round a photo came out shows at a glance.
fn landscape() -> RgbImage {
    RgbImage::from_fn(40, 30, |x, y| {
        Rgb(if x < 8 && y < 6 {
            WHITE
        } else if x < 20 {
            RED
        } else {
            BLUE
        })
    })
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/photos").join(name)).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smp-formats-{}-{name}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn near(a: &Rgb<u8>, b: [u8; 3], tolerance: u8) -> bool {
    a.0.iter().zip(b).all(|(&x, y)| x.abs_diff(y) <= tolerance)
}

/// Opens `bytes` saved as `name`, from disk and from memory; both must give the same photo.
fn opened(name: &str, bytes: &[u8]) -> RgbImage {
    let dir = scratch(name);
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let from_disk = photo::open(&path, &PhotoLimits::DEFAULT).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(from_disk.notices.is_empty(), "{name}: {:?}", from_disk.notices);
    let (kept, with_bytes) = photo::open_with_bytes(&path, &PhotoLimits::DEFAULT).unwrap();
    assert_eq!(kept, bytes);
    assert_eq!(with_bytes.image, from_disk.image, "{name}: opened two ways, two photos");
    std::fs::remove_dir_all(&dir).ok();
    from_disk.image
}

/// A little-endian EXIF block holding only the orientation tag.
fn exif_orientation(value: u16) -> Vec<u8> {
    let mut exif = b"II*\0".to_vec();
    exif.extend(8u32.to_le_bytes());
    exif.extend(1u16.to_le_bytes());
    exif.extend(0x0112u16.to_le_bytes()); // Orientation
    exif.extend(3u16.to_le_bytes()); // SHORT
    exif.extend(1u32.to_le_bytes());
    exif.extend(value.to_le_bytes());
    exif.extend([0, 0]);
    exif.extend(0u32.to_le_bytes());
    exif
}

/// The landscape turned as orientation 6 asks (a quarter turn clockwise): 30×40, the white
/// block in the top-right corner, red above blue.
fn assert_turned_upright(image: &RgbImage, tolerance: u8, what: &str) {
    assert_eq!(image.dimensions(), (30, 40), "{what}: not turned upright");
    assert!(
        near(image.get_pixel(27, 2), WHITE, tolerance),
        "{what}: the corner is {:?}",
        image.get_pixel(27, 2)
    );
    assert!(near(image.get_pixel(10, 12), RED, tolerance), "{what}: top is {:?}", image.get_pixel(10, 12));
    assert!(
        near(image.get_pixel(10, 32), BLUE, tolerance),
        "{what}: bottom is {:?}",
        image.get_pixel(10, 32)
    );
}

fn webp(image: &RgbImage, exif: Option<Vec<u8>>) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = WebPEncoder::new_lossless(&mut bytes);
    if let Some(exif) = exif {
        encoder.set_exif_metadata(exif).unwrap();
    }
    encoder.write_image(image.as_raw(), image.width(), image.height(), ExtendedColorType::Rgb8).unwrap();
    bytes
}

fn tiff(image: &RgbImage, orientation: Option<u16>) -> Vec<u8> {
    use tiff::encoder::{TiffEncoder, colortype};
    let mut bytes = std::io::Cursor::new(Vec::new());
    let mut encoder = TiffEncoder::new(&mut bytes).unwrap();
    let mut out = encoder.new_image::<colortype::RGB8>(image.width(), image.height()).unwrap();
    if let Some(value) = orientation {
        out.encoder().write_tag(tiff::tags::Tag::Orientation, value).unwrap();
    }
    out.write_data(image.as_raw()).unwrap();
    bytes.into_inner()
}

fn jpeg(image: &RgbImage, exif: Option<Vec<u8>>) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut bytes, 95);
    if let Some(exif) = exif {
        encoder.set_exif_metadata(exif).unwrap();
    }
    encoder.write_image(image.as_raw(), image.width(), image.height(), ExtendedColorType::Rgb8).unwrap();
    bytes
}

#[test]
fn a_lossless_webp_opens_with_its_exact_pixels() {
    assert_eq!(opened("scalp.webp", &webp(&landscape(), None)), landscape());
}

#[test]
fn a_tiff_opens_with_its_exact_pixels() {
    assert_eq!(opened("scalp.tif", &tiff(&landscape(), None)), landscape());
}

#[test]
fn a_16_bit_png_opens_as_8_bit() {
    let deep = ImageBuffer::from_fn(40, 30, |x, _| {
        if x < 20 { Rgb([0xFFFFu16, 0x8080, 0]) } else { Rgb([0x1010, 0x2020, 0x3030]) }
    });
    let mut bytes = Vec::new();
    PngEncoder::new(&mut bytes)
        .write_image(bytemuck_u16(deep.as_raw()), 40, 30, ExtendedColorType::Rgb16)
        .unwrap();
    let image = opened("scalp-16.png", &bytes);
    assert_eq!(image.get_pixel(5, 5).0, [255, 128, 0]);
    assert_eq!(image.get_pixel(30, 5).0, [16, 32, 48]);
}

/// 16-bit samples as the PNG encoder takes them: native-endian bytes.
fn bytemuck_u16(samples: &[u16]) -> &[u8] {
    // SAFETY: u16 has no padding and any byte pattern is a valid u8; the length doubles.
    unsafe { std::slice::from_raw_parts(samples.as_ptr().cast(), samples.len() * 2) }
}

#[test]
fn a_greyscale_jpeg_opens_grey() {
    let grey = ImageBuffer::from_fn(40, 30, |x, _| Luma([if x < 20 { 60u8 } else { 190 }]));
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, 95)
        .write_image(grey.as_raw(), 40, 30, ExtendedColorType::L8)
        .unwrap();
    let image = opened("scalp-grey.jpg", &bytes);
    assert!(near(image.get_pixel(5, 15), [60; 3], 3), "{:?}", image.get_pixel(5, 15));
    assert!(near(image.get_pixel(35, 15), [190; 3], 3), "{:?}", image.get_pixel(35, 15));
}

#[test]
fn a_cmyk_jpeg_opens_in_its_colours() {
    // 32×24, red left half and blue right half, written by ImageMagick as an Adobe CMYK JPEG.
    let bytes = fixture("cmyk-adobe.jpg");
    assert!(bytes.windows(5).any(|w| w == b"Adobe"), "the fixture is not an Adobe JPEG");
    let image = opened("cmyk.jpg", &bytes);
    assert_eq!(image.dimensions(), (32, 24));
    assert!(near(image.get_pixel(4, 12), RED, 40), "red came out {:?}", image.get_pixel(4, 12));
    assert!(near(image.get_pixel(28, 12), BLUE, 40), "blue came out {:?}", image.get_pixel(28, 12));
}

#[test]
fn a_heic_photo_opens() {
    assert!(
        heif::available(),
        "libheif is not installed, so HEIC photos cannot be read (on Debian: apt install libheif1; ./tests/run.sh installs it)"
    );
    // 64×48 from heif-enc: red left half, blue right half, a white block top-left; its EXIF
    // says orientation 6, which HEIF readers ignore (a HEIC turns itself with its own boxes).
    let image = opened("IMG_0001.HEIC", &fixture("landscape-exif-6.heic"));
    assert_eq!(image.dimensions(), (64, 48), "the HEIC was turned by its EXIF orientation");
    assert!(near(image.get_pixel(4, 4), WHITE, 40), "{:?}", image.get_pixel(4, 4));
    assert!(near(image.get_pixel(10, 30), RED, 40), "{:?}", image.get_pixel(10, 30));
    assert!(near(image.get_pixel(50, 30), BLUE, 40), "{:?}", image.get_pixel(50, 30));
}

#[test]
fn exif_orientation_is_applied_in_every_format_that_carries_it() {
    assert_turned_upright(&opened("turned.jpg", &jpeg(&landscape(), Some(exif_orientation(6)))), 40, "JPEG");
    assert_turned_upright(&opened("turned.webp", &webp(&landscape(), Some(exif_orientation(6)))), 0, "WebP");
    assert_turned_upright(&opened("turned.tif", &tiff(&landscape(), Some(6))), 0, "TIFF");
    let mut png = Vec::new();
    let mut encoder = PngEncoder::new(&mut png);
    encoder.set_exif_metadata(exif_orientation(6)).unwrap();
    encoder.write_image(landscape().as_raw(), 40, 30, ExtendedColorType::Rgb8).unwrap();
    assert_turned_upright(&opened("turned.png", &png), 0, "PNG");
    // Orientation 1 leaves a photo as it is.
    assert_eq!(opened("upright.webp", &webp(&landscape(), Some(exif_orientation(1)))), landscape());
}

#[test]
fn cut_and_damaged_files_of_each_format_get_a_sentence() {
    let whole = [
        ("cut.webp", webp(&landscape(), None)),
        ("cut.tif", tiff(&landscape(), None)),
        ("cut.heic", fixture("landscape-exif-6.heic")),
    ];
    for (name, bytes) in whole {
        let err = photo::decode(&bytes[..bytes.len() / 2], name).unwrap_err().to_string();
        assert!(err.starts_with(&format!("{name} is ")), "{err}");
        assert!(err.contains("is incomplete") || err.contains("is a damaged"), "{name} cut in half: {err}");
        assert!(err.contains("copy it again"), "{err}");
        let mut garbled = bytes.clone();
        for b in &mut garbled[20..] {
            *b = b.wrapping_mul(31).wrapping_add(7);
        }
        let err = photo::decode(&garbled, name).map(|_| ()).unwrap_err().to_string();
        assert!(err.starts_with(&format!("{name} is ")) && err.contains("copy it again"), "{err}");
    }
    let err = photo::decode(&webp(&landscape(), None)[..30], "stub.webp").unwrap_err();
    assert!(matches!(err, PhotoError::Incomplete { .. }), "{err}");
}

#[test]
fn a_webp_claiming_a_huge_size_is_refused_by_the_budget() {
    // A lossless WebP header for 16383×16383 pixels with opacity (the format's largest: over
    // 1000 MB decoded), and no pixels behind it.
    let size: u32 = 16_382 | (16_382 << 14) | (1 << 28);
    let mut vp8l = vec![0x2F];
    vp8l.extend(size.to_le_bytes());
    vp8l.extend([0u8; 9]);
    let mut bytes = b"RIFF".to_vec();
    bytes.extend((4 + 8 + vp8l.len() as u32).to_le_bytes());
    bytes.extend(b"WEBPVP8L");
    bytes.extend((vp8l.len() as u32).to_le_bytes());
    bytes.extend(vp8l);
    let err = photo::decode(&bytes, "claims.webp").unwrap_err();
    assert!(matches!(err, PhotoError::TooLarge { width: 16_383, height: 16_383, .. }), "{err}");
    assert!(err.to_string().contains("SMP_STUDIO_PHOTO_MEMORY_MB"), "{err}");
}

#[test]
fn camera_raw_files_are_named_not_opened_as_their_thumbnail() {
    let err = photo::decode(&tiff(&landscape(), None), "DSC_0001.NEF").unwrap_err().to_string();
    assert_eq!(
        err,
        "DSC_0001.NEF is a camera RAW image; SMP Studio reads JPEG, PNG, WebP, TIFF and HEIC photos, so save it as one of those first"
    );
}

/// A consultation started from a photo of each format saves the photo's own bytes and
/// reopens on exactly the pixels it was painted on.
#[test]
fn consultations_from_each_format_reopen_with_identical_pixels() {
    let mut photos = vec![
        ("scalp.webp", webp(&landscape(), Some(exif_orientation(6)))),
        ("scalp.tiff", tiff(&landscape(), Some(6))),
        ("scalp-16.png", {
            let mut bytes = Vec::new();
            let deep =
                ImageBuffer::from_fn(40, 30, |x, y| Rgb([x as u16 * 1500, y as u16 * 2000, 40_000u16]));
            PngEncoder::new(&mut bytes)
                .write_image(bytemuck_u16(deep.as_raw()), 40, 30, ExtendedColorType::Rgb16)
                .unwrap();
            bytes
        }),
        ("cmyk.jpg", fixture("cmyk-adobe.jpg")),
    ];
    if heif::available() {
        photos.push(("IMG_0001.HEIC", fixture("landscape-exif-6.heic")));
    }
    let dir = scratch("consultations");
    for (name, bytes) in photos {
        let path = dir.join(name);
        std::fs::write(&path, &bytes).unwrap();
        let (kept, loaded) = photo::open_with_bytes(&path, &PhotoLimits::DEFAULT).unwrap();
        let extension = path.extension().unwrap().to_string_lossy().into_owned();
        let consultation = Consultation::new(name.into(), loaded.image.clone(), Preset::default())
            .with_photo_file(Arc::from(kept), &extension);
        let saved = dir.join(format!("{name}.smpc"));
        consultation.save(&saved).unwrap();
        let back = Consultation::load(&saved).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(*back.photo == loaded.image, "{name}: the reopened photo differs");
        assert_eq!(back.photo_file.as_ref().map(|f| &*f.bytes), Some(&bytes[..]), "{name}: bytes changed");
        assert_eq!(back.photo_file.map(|f| f.extension), Some(extension.to_ascii_lowercase()));
    }
    std::fs::remove_dir_all(&dir).ok();
}
