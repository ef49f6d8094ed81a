//! Writing results: PNG or JPEG chosen by the file name, with no metadata carried over.

use image::{ImageFormat, RgbImage};
use std::io::Write;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot tell the image format of {file}; end the name in .png or .jpg")]
    UnknownFormat { file: String },
    #[error("could not write {file}: {reason}")]
    Write { file: String, reason: String },
}

/// JPEG quality for exported previews: high enough that dots survive compression.
const JPEG_QUALITY: u8 = 92;

/// Saves an image. Only pixels are written: no EXIF, no location, no camera data, because
/// patient photos are health data.
pub fn save(image: &RgbImage, path: &Path) -> Result<(), ExportError> {
    let file = path.display().to_string();
    let format =
        ImageFormat::from_path(path).map_err(|_| ExportError::UnknownFormat { file: file.clone() })?;
    if !matches!(format, ImageFormat::Png | ImageFormat::Jpeg) {
        return Err(ExportError::UnknownFormat { file });
    }
    // Written beside and renamed: an export that fails never leaves half a file.
    super::files::replace(path, |partial| -> image::ImageResult<()> {
        let mut writer = std::io::BufWriter::new(std::fs::File::create(partial)?);
        match format {
            ImageFormat::Jpeg => image.write_with_encoder(
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut writer, JPEG_QUALITY),
            )?,
            _ => image.write_to(&mut writer, ImageFormat::Png)?,
        }
        writer.flush()?;
        Ok(())
    })
    .map_err(|e| ExportError::Write { file, reason: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::GenericImageView;

    #[test]
    fn png_and_jpeg_are_written_and_unknown_names_refused() {
        let dir = std::env::temp_dir().join(format!("smp-export-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let img = RgbImage::from_pixel(8, 6, image::Rgb([120, 90, 70]));
        save(&img, &dir.join("a.png")).unwrap();
        assert_eq!(image::open(dir.join("a.png")).unwrap().to_rgb8(), img);
        save(&img, &dir.join("a.jpg")).unwrap();
        assert_eq!(image::open(dir.join("a.jpg")).unwrap().dimensions(), (8, 6));
        let err = save(&img, &dir.join("a.bmpx")).unwrap_err();
        assert!(err.to_string().contains(".png"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
