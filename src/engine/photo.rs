//! Loading patient photos: decode, apply the camera's orientation, refuse what would exhaust memory.

use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};
use std::io::{BufRead, Cursor, Seek};
use std::path::Path;

/// Largest photo accepted, in pixels: a 100 MP camera frame, far above any phone.
pub const MAX_PIXELS: u64 = 100_000_000;

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("could not open {file}: {source}")]
    Io { file: String, source: std::io::Error },
    #[error("{file} is not a photo SMP Studio can read (JPEG or PNG): {reason}")]
    Decode { file: String, reason: String },
    #[error(
        "{file} is {width}×{height} pixels, larger than the {MAX_PIXELS}-pixel limit; downscale it first"
    )]
    TooLarge { file: String, width: u32, height: u32 },
}

/// Reads a photo from disk, upright as the camera meant it, as 8-bit sRGB.
pub fn load(path: &Path) -> Result<RgbImage, PhotoError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| PhotoError::Io { file: file.clone(), source })?;
    decode(&bytes, &file)
}

/// Decodes an in-memory photo; `file` names it in error messages.
pub fn decode(bytes: &[u8], file: &str) -> Result<RgbImage, PhotoError> {
    decode_from(Cursor::new(bytes), file)
}

fn decode_from<R: BufRead + Seek>(reader: R, file: &str) -> Result<RgbImage, PhotoError> {
    let decode_err = |e: image::ImageError| PhotoError::Decode { file: file.into(), reason: e.to_string() };
    let reader = ImageReader::new(reader)
        .with_guessed_format()
        .map_err(|source| PhotoError::Io { file: file.into(), source })?;
    let mut decoder = reader.into_decoder().map_err(decode_err)?;
    let (width, height) = decoder.dimensions();
    if width as u64 * height as u64 > MAX_PIXELS {
        return Err(PhotoError::TooLarge { file: file.into(), width, height });
    }
    let orientation = decoder.orientation().map_err(decode_err)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(decode_err)?;
    image.apply_orientation(orientation);
    Ok(image.into_rgb8())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_gets_a_sentence_not_a_panic() {
        let err = decode(b"definitely not a jpeg", "notes.txt").unwrap_err();
        assert!(err.to_string().contains("notes.txt"), "{err}");
        let err = load(Path::new("/nonexistent/scalp.jpg")).unwrap_err();
        assert!(err.to_string().starts_with("could not open /nonexistent/scalp.jpg"), "{err}");
    }

    #[test]
    fn png_round_trips() {
        let mut img = RgbImage::new(5, 3);
        img.put_pixel(4, 2, image::Rgb([10, 20, 30]));
        let mut bytes = Vec::new();
        img.write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
        assert_eq!(decode(&bytes, "t.png").unwrap(), img);
    }
}
