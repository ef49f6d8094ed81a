use super::*;
use crate::engine::photo::{PhotoLimits, decode_with};
use image::codecs::jpeg::JpegEncoder;

/// A photo with detail everywhere (so every block has something to round): a gradient with
/// a fixed pattern of specks.
fn textured(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let speck = ((x * 7919 + y * 104_729) % 97) as i32 - 48;
        let base = 120 + (x as i32 * 60 / width as i32) + (y as i32 * 30 / height as i32);
        let v = |k: i32| (base + k + speck / 2).clamp(0, 255) as u8;
        image::Rgb([v(20), v(0), v(-15)])
    })
}

fn encode(photo: &RgbImage, quality: u8) -> Vec<u8> {
    let mut bytes = Vec::new();
    let encoder = JpegEncoder::new_with_quality(&mut bytes, quality);
    photo.write_with_encoder(encoder).unwrap();
    bytes
}

/// The same JPEG with an EXIF orientation tag, as a phone writes it.
fn with_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
    exif.extend_from_slice(&orientation.to_be_bytes());
    exif.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// Mean luma step between pixel columns `x − 1` and `x`, over the columns at each offset
/// modulo 8: the offset of the block edges stands out in a strongly compressed photo.
fn column_steps(photo: &RgbImage) -> [f64; 8] {
    let luma = |x: u32, y: u32| {
        let p = photo.get_pixel(x, y).0;
        0.299 * p[0] as f64 + 0.587 * p[1] as f64 + 0.114 * p[2] as f64
    };
    let mut sums = [0.0; 8];
    let mut counts = [0.0; 8];
    for y in 0..photo.height() {
        for x in 1..photo.width() {
            sums[(x % 8) as usize] += (luma(x, y) - luma(x - 1, y)).abs();
            counts[(x % 8) as usize] += 1.0;
        }
    }
    std::array::from_fn(|i| sums[i] / counts[i])
}

#[test]
fn the_tables_and_sampling_of_a_jpeg_are_read() {
    let jpeg = encode(&textured(64, 48), 50);
    let history = Compression::read(&jpeg).unwrap();
    // Quality 50 is the reference luminance table itself (ITU T.81, Annex K).
    assert_eq!(history.luma[0], 16.0);
    assert_eq!(history.luma[1], 11.0);
    assert_eq!(history.luma[8], 12.0);
    assert_eq!(history.luma[63], 99.0);
    let (chroma, side) = history.chroma.unwrap();
    assert_eq!(chroma[0], 17.0);
    assert!(side == (16, 16) || side == (8, 8), "chroma block {side:?}");
    assert!(history.fits(&textured(64, 48)));
    assert!(!history.fits(&textured(48, 64)));
    assert_eq!(Compression::read(b"\x89PNG\r\n\x1a\n"), None);
    assert_eq!(Compression::read(&jpeg[..20]), None);
}

/// Whatever way the phone was held, the grid is found where the upright photo's block edges
/// are: checked against the edges a strongly compressed photo shows, for all eight EXIF
/// orientations of a photo whose sides are not whole blocks.
#[test]
fn the_block_grid_follows_the_photo_upright() {
    let stored = encode(&textured(203, 141), 10);
    for orientation in 1..=8u16 {
        let bytes = with_orientation(&stored, orientation);
        let photo = decode_with(&bytes, "turned.jpg", &PhotoLimits::default()).unwrap().image;
        let history = Compression::read(&bytes).unwrap();
        assert!(history.fits(&photo), "orientation {orientation}");
        let steps = column_steps(&photo);
        let edge = (0..8).max_by(|&a, &b| steps[a].total_cmp(&steps[b])).unwrap() as u32;
        assert_eq!(edge, history.luma_origin.0 % 8, "orientation {orientation}: steps {steps:.2?}");
        let turned = image::imageops::rotate90(&photo);
        let steps = column_steps(&turned);
        let edge = (0..8).max_by(|&a, &b| steps[a].total_cmp(&steps[b])).unwrap() as u32;
        // Turned a quarter clockwise, the photo's rows become columns counted from its bottom.
        let from_bottom = (photo.height() - history.luma_origin.1 % 8) % 8;
        assert_eq!(edge, from_bottom, "orientation {orientation} (rows): steps {steps:.2?}");
    }
}

/// A change passed through the camera's rounding: nothing moves where nothing changed, the
/// change's average survives, and its block edges show as a camera's do.
#[test]
fn a_change_is_recorded_as_the_camera_would() {
    let original = textured(96, 64);
    let jpeg = encode(&original, 60);
    let photo = decode_with(&jpeg, "p.jpg", &PhotoLimits::default()).unwrap().image;
    let history = Compression::read(&jpeg).unwrap();
    // Dark specks, as dots are, over the middle of the photo.
    let mut rendered = photo.clone();
    for y in 10..54u32 {
        for x in 20..80u32 {
            let p = rendered.get_pixel_mut(x, y);
            let dark = (x * 31 + y * 17) % 11 == 0;
            let keep = if dark { 0.55 } else { 0.85 };
            p.0 = p.0.map(|v| (v as f32 * keep) as u8);
        }
    }
    let rect = PixelRect::full(96, 64);
    let mut recorded = rendered.clone().into_raw();
    history.apply(rect, photo.as_raw(), &mut recorded);
    let recorded = RgbImage::from_raw(96, 64, recorded).unwrap();
    let mut changed_mean = [0.0f64; 2];
    for (x, y, p) in photo.enumerate_pixels() {
        let inside = (20..80).contains(&x) && (10..54).contains(&y);
        if !inside {
            assert_eq!(recorded.get_pixel(x, y), p, "({x}, {y}) was not changed");
            continue;
        }
        changed_mean[0] += rendered.get_pixel(x, y).0[1] as f64;
        changed_mean[1] += recorded.get_pixel(x, y).0[1] as f64;
    }
    let n = 60.0 * 44.0;
    assert!((changed_mean[0] / n - changed_mean[1] / n).abs() < 1.0, "mean {changed_mean:?}");
    assert_ne!(recorded, rendered, "the rounding changes the specks");
}

/// A JPEG of the photo at its own size is compressed as the photo was: the same tables and
/// sampling, so its untreated pixels come back as they went in. Other sizes take the quality.
#[test]
fn a_jpeg_export_of_the_photo_is_compressed_as_the_photo_was() {
    use crate::engine::export::{ExportOptions, ExportSize, ImageFormat, encode_sized};
    let jpeg = encode(&textured(480, 320), 60);
    let photo = decode_with(&jpeg, "p.jpg", &PhotoLimits::default()).unwrap().image;
    let history = Compression::read(&jpeg).unwrap();
    let options = ExportOptions { format: ImageFormat::Jpeg, ..ExportOptions::default() };
    let exported = encode_sized(&photo, &options, Some(&history)).unwrap();
    let again = Compression::read(&exported).unwrap();
    assert_eq!(again.tables(), history.tables());
    let back = decode_with(&exported, "e.jpg", &PhotoLimits::default()).unwrap().image;
    let mean_error =
        photo.as_raw().iter().zip(back.as_raw()).map(|(&a, &b)| (a as f64 - b as f64).abs()).sum::<f64>()
            / photo.as_raw().len() as f64;
    assert!(mean_error < 1.0, "re-encoded as it was, the photo moves {mean_error:.2} levels on average");
    // Smaller, it is another picture: the chosen quality holds.
    let smaller = ExportOptions { size: ExportSize::Width(400), ..options };
    let resized = encode_sized(&photo, &smaller, Some(&history)).unwrap();
    assert_ne!(Compression::read(&resized).unwrap().tables(), history.tables());
}
