//! Writing results: PNG or JPEG, at full resolution or a chosen width, with no metadata carried
//! over from the photo.
//!
//! Patient photos are health data, so only pixels are written: no EXIF, no location, no camera
//! data. A PNG carries one text chunk saying the image is a simulation.

use super::compression::Compression;
use image::RgbImage;
use std::io::Write;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot tell the image format of {file}; end the name in .png or .jpg")]
    UnknownFormat { file: String },
    #[error("could not write {file}: {reason}")]
    Write { file: String, reason: String },
    #[error("a width of {width_px} pixels is too small to read; choose at least {min_px}")]
    TooNarrow { width_px: u32, min_px: u32 },
    #[error("a JPEG quality of {0} is outside 1–100; 85–95 keeps the dots")]
    Quality(u8),
    #[error(
        "a width of {width_px} pixels is too large: an image holds at most {max_side_px} pixels a side and {max_megapixels} megapixels"
    )]
    TooLarge { width_px: u32, max_side_px: u32, max_megapixels: u64 },
}

/// The file formats an export can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFormat {
    /// Lossless; written with a fast compression level (see [`encode`]).
    Png,
    /// Lossy and several times smaller, for e-mail and messaging.
    Jpeg,
}

impl ImageFormat {
    /// The format a file name asks for (`.png`, `.jpg`, `.jpeg`), if any.
    pub fn from_path(path: &Path) -> Option<ImageFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "png" => Some(ImageFormat::Png),
            "jpg" | "jpeg" => Some(ImageFormat::Jpeg),
            _ => None,
        }
    }

    /// The usual file extension, for naming files.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
        }
    }
}

/// How large an exported image is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportSize {
    /// Every pixel of the photo (a sheet puts each panel at the photo's own size).
    Full,
    /// The whole image this many pixels wide; the height follows.
    Width(u32),
}

/// What the export dialog chooses: format, JPEG quality and size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExportOptions {
    pub format: ImageFormat,
    /// 1–100; used for JPEG only.
    pub jpeg_quality: u8,
    pub size: ExportSize,
}

impl ExportOptions {
    /// JPEG quality when none is chosen: high enough that dots survive compression.
    pub const DEFAULT_JPEG_QUALITY: u8 = 92;
    /// Narrowest export: below this a caption cannot be read.
    pub const MIN_WIDTH_PX: u32 = 320;
    /// Widest or tallest export, and the most pixels one holds (about 450 MB while written).
    pub const MAX_SIDE_PX: u32 = 30_000;
    pub const MAX_PIXELS: u64 = 150_000_000;

    /// Full-size export in the format the file name asks for.
    pub fn for_path(path: &Path) -> Result<ExportOptions, ExportError> {
        let format = ImageFormat::from_path(path)
            .ok_or_else(|| ExportError::UnknownFormat { file: path.display().to_string() })?;
        Ok(ExportOptions { format, jpeg_quality: Self::DEFAULT_JPEG_QUALITY, size: ExportSize::Full })
    }

    /// Checks the choices a person made, so a bad one is refused before any work.
    pub fn validate(&self) -> Result<(), ExportError> {
        if !(1..=100).contains(&self.jpeg_quality) {
            return Err(ExportError::Quality(self.jpeg_quality));
        }
        if let ExportSize::Width(width_px) = self.size
            && width_px < Self::MIN_WIDTH_PX
        {
            return Err(ExportError::TooNarrow { width_px, min_px: Self::MIN_WIDTH_PX });
        }
        if let ExportSize::Width(width_px) = self.size
            && width_px > Self::MAX_SIDE_PX
        {
            return Err(too_large(width_px));
        }
        Ok(())
    }

    /// Checks the image this export makes of a `width` × `height` picture, before any work.
    pub fn check_size(&self, (width, height): (u32, u32)) -> Result<(), ExportError> {
        self.validate()?;
        let ExportSize::Width(width_px) = self.size else { return Ok(()) };
        let height_px = (height as u64 * width_px as u64).div_ceil(width.max(1) as u64);
        if height_px > Self::MAX_SIDE_PX as u64 || width_px as u64 * height_px > Self::MAX_PIXELS {
            return Err(too_large(width_px));
        }
        Ok(())
    }
}

fn too_large(width_px: u32) -> ExportError {
    ExportError::TooLarge {
        width_px,
        max_side_px: ExportOptions::MAX_SIDE_PX,
        max_megapixels: ExportOptions::MAX_PIXELS / 1_000_000,
    }
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            format: ImageFormat::Png,
            jpeg_quality: Self::DEFAULT_JPEG_QUALITY,
            size: ExportSize::Full,
        }
    }
}

/// The text chunk every exported PNG carries.
pub const PNG_DESCRIPTION: &str =
    "Simulated scalp micropigmentation result made by SMP Studio from a photo; actual results vary.";

/// Saves an image at full size in the format the file name asks for.
pub fn save(image: &RgbImage, path: &Path) -> Result<(), ExportError> {
    save_with(image, path, &ExportOptions::for_path(path)?)
}

/// Saves an image with the dialog's choices; a width other than the image's scales it first.
/// Written beside and renamed: an export that fails never leaves half a file. The encoder
/// writes straight to the file, so no second copy of a photo-sized file is held in memory.
pub fn save_with(image: &RgbImage, path: &Path, options: &ExportOptions) -> Result<(), ExportError> {
    save_like(image, path, options, None)
}

/// [`save_with`] for a picture of the photo: a JPEG at the photo's own size is compressed as the
/// photo was (see [`write_encoded`]).
pub fn save_like(
    image: &RgbImage,
    path: &Path,
    options: &ExportOptions,
    photo: Option<&Compression>,
) -> Result<(), ExportError> {
    options.check_size(image.dimensions())?;
    let file = path.display().to_string();
    let image = resized(image, options.size);
    super::files::replace(path, |file| -> std::io::Result<()> {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        write_encoded(&image, options, photo, &mut out).map_err(|e| match e {
            image::ImageError::IoError(io) => io,
            other => std::io::Error::other(other.to_string()),
        })?;
        out.flush()
    })
    .map_err(|e| ExportError::Write { file, reason: super::os_error::describe(&e) })
}

/// Writes a grey map (hair, skin, a suggested region) as an 8-bit PNG, whole or not at all.
pub fn save_gray_png(map: &image::GrayImage, path: &Path) -> std::io::Result<()> {
    use image::ImageEncoder;
    super::files::replace(path, |file| -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(file);
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(map.as_raw(), map.width(), map.height(), image::ExtendedColorType::L8)
            .map_err(|e| match e {
                image::ImageError::IoError(io) => io,
                other => std::io::Error::other(other.to_string()),
            })?;
        out.flush()
    })
}

/// The file bytes of `image` at the size and in the format `options` ask for, for a caller that
/// checks something (a Cancel) between encoding and [`write`]. `photo` is the photo's own
/// compression, for a picture of the photo (see [`write_encoded`]).
pub fn encode_sized(
    image: &RgbImage,
    options: &ExportOptions,
    photo: Option<&Compression>,
) -> Result<Vec<u8>, ExportError> {
    options.validate()?;
    let mut bytes = Vec::new();
    write_encoded(&resized(image, options.size), options, photo, &mut bytes)
        .map_err(|e| ExportError::Write { file: "the image".into(), reason: e.to_string() })?;
    Ok(bytes)
}

/// Writes encoded bytes to `path` whole or not at all (a partial file, then a rename).
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let file = path.display().to_string();
    super::files::replace_with_bytes(path, bytes)
        .map_err(|e| ExportError::Write { file, reason: super::os_error::describe(&e) })
}

/// The image's file bytes (see [`write_encoded`]).
pub fn encode(image: &RgbImage, options: &ExportOptions) -> Result<Vec<u8>, image::ImageError> {
    let mut bytes = Vec::new();
    write_encoded(image, options, None, &mut bytes)?;
    Ok(bytes)
}

/// Encodes the image into `out`. PNG uses the `png` crate's fast level: on a 12 MP scalp photo
/// about 20 times faster than its balanced level (0.25 s against 5 s) for a file a tenth larger.
///
/// A JPEG of the photo at its own size (a caption strip under it allowed), where the photo was
/// a JPEG (`photo`), is compressed as the photo was: its quantisation tables and chroma sampling, on the same block grid, so the
/// untreated skin comes out as it went in and the treated skin has the same history; the
/// quality setting is for other pictures.
pub fn write_encoded(
    image: &RgbImage,
    options: &ExportOptions,
    photo: Option<&Compression>,
    out: &mut impl Write,
) -> Result<(), image::ImageError> {
    match options.format {
        ImageFormat::Jpeg => match photo.filter(|c| c.frames(image)) {
            Some(photo) => encode_like(image, photo, out)?,
            None => image.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
                out,
                options.jpeg_quality.clamp(1, 100),
            ))?,
        },
        ImageFormat::Png => {
            let mut encoder = png::Encoder::new(out, image.width(), image.height());
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            encoder.set_compression(png::Compression::Fast);
            encoder.add_itxt_chunk("Description".into(), PNG_DESCRIPTION.into()).map_err(png_error)?;
            let mut writer = encoder.write_header().map_err(png_error)?;
            writer.write_image_data(image.as_raw()).map_err(png_error)?;
            writer.finish().map_err(png_error)?;
        }
    }
    Ok(())
}

/// A JPEG with the photo's own tables and chroma sampling.
fn encode_like(image: &RgbImage, photo: &Compression, out: &mut impl Write) -> Result<(), image::ImageError> {
    use jpeg_encoder::{ColorType, Encoder, QuantizationTableType, SamplingFactor};
    let failed =
        |e: jpeg_encoder::EncodingError| image::ImageError::IoError(std::io::Error::other(e.to_string()));
    let (Ok(width), Ok(height)) = (u16::try_from(image.width()), u16::try_from(image.height())) else {
        return Err(image::ImageError::IoError(std::io::Error::other("the image is too large for a JPEG")));
    };
    let tables = photo.tables();
    let luma = tables.luma;
    let mut encoder = Encoder::new(out, 100);
    match tables.chroma {
        Some(chroma) => {
            encoder.set_quantization_tables(
                QuantizationTableType::Custom(Box::new(luma)),
                QuantizationTableType::Custom(Box::new(chroma)),
            );
            encoder.set_sampling_factor(match tables.sampling {
                (2, 2) => SamplingFactor::F_2_2,
                (2, 1) => SamplingFactor::F_2_1,
                (1, 2) => SamplingFactor::F_1_2,
                (4, 1) => SamplingFactor::F_4_1,
                (1, 4) => SamplingFactor::F_1_4,
                _ => SamplingFactor::F_1_1,
            });
            encoder.encode(image.as_raw(), width, height, ColorType::Rgb).map_err(failed)
        }
        None => {
            // A grey photo: one channel, as it was.
            encoder.set_quantization_tables(
                QuantizationTableType::Custom(Box::new(luma)),
                QuantizationTableType::Custom(Box::new(luma)),
            );
            let grey: Vec<u8> = image.pixels().map(|p| p.0[1]).collect();
            encoder.encode(&grey, width, height, ColorType::Luma).map_err(failed)
        }
    }
}

fn png_error(e: png::EncodingError) -> image::ImageError {
    image::ImageError::IoError(std::io::Error::other(e))
}

/// `image` at `size`: the same image when it already is, otherwise scaled to the width with the
/// height in proportion.
pub fn resized(image: &RgbImage, size: ExportSize) -> std::borrow::Cow<'_, RgbImage> {
    match size {
        ExportSize::Width(width_px) if width_px != image.width() && image.width() > 0 => {
            let height_px =
                ((image.height() as f64 * width_px as f64 / image.width() as f64).round() as u32).max(1);
            std::borrow::Cow::Owned(scale(image, width_px, height_px))
        }
        _ => std::borrow::Cow::Borrowed(image),
    }
}

/// `image` scaled to exactly `width_px` × `height_px` with a Lanczos filter.
pub fn scale(image: &RgbImage, width_px: u32, height_px: u32) -> RgbImage {
    use fast_image_resize as fr;
    let width_px = width_px.max(1);
    let height_px = height_px.max(1);
    if image.dimensions() == (width_px, height_px) {
        return image.clone();
    }
    let scaled =
        fr::images::ImageRef::new(image.width(), image.height(), image.as_raw(), fr::PixelType::U8x3)
            .and_then(|source| {
                let mut target = fr::images::Image::new(width_px, height_px, fr::PixelType::U8x3);
                let options =
                    fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
                fr::Resizer::new()
                    .resize(&source, &mut target, &options)
                    .map_err(|_| fr::ImageBufferError::InvalidBufferSize)?;
                Ok(target.into_vec())
            })
            .ok()
            .and_then(|pixels| RgbImage::from_raw(width_px, height_px, pixels));
    // A buffer the resizer refuses cannot come from an `RgbImage`; fall back all the same.
    scaled.unwrap_or_else(|| {
        image::imageops::resize(image, width_px, height_px, image::imageops::FilterType::CatmullRom)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::GenericImageView;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("smp-export-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn png_and_jpeg_are_written_and_unknown_names_refused() {
        let dir = scratch("formats");
        let img = RgbImage::from_pixel(8, 6, image::Rgb([120, 90, 70]));
        save(&img, &dir.join("a.png")).unwrap();
        assert_eq!(image::open(dir.join("a.png")).unwrap().to_rgb8(), img);
        save(&img, &dir.join("a.jpg")).unwrap();
        assert_eq!(image::open(dir.join("a.jpg")).unwrap().dimensions(), (8, 6));
        let err = save(&img, &dir.join("a.bmpx")).unwrap_err();
        assert!(err.to_string().contains(".png"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_chosen_width_scales_in_proportion_and_quality_changes_the_jpeg() {
        let dir = scratch("options");
        let img = RgbImage::from_fn(1000, 500, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let small = ExportOptions { size: ExportSize::Width(400), ..ExportOptions::default() };
        save_with(&img, &dir.join("small.png"), &small).unwrap();
        assert_eq!(image::open(dir.join("small.png")).unwrap().dimensions(), (400, 200));

        let jpeg = |quality| {
            let options = ExportOptions { format: ImageFormat::Jpeg, jpeg_quality: quality, ..small };
            encode(&resized(&img, options.size), &options).unwrap().len()
        };
        assert!(jpeg(60) < jpeg(95), "lower quality must give a smaller file");

        let narrow = ExportOptions { size: ExportSize::Width(100), ..ExportOptions::default() };
        assert!(matches!(save_with(&img, &dir.join("n.png"), &narrow), Err(ExportError::TooNarrow { .. })));
        let bad = ExportOptions { jpeg_quality: 0, ..ExportOptions::default() };
        assert!(bad.validate().is_err());
        assert!(!dir.join("n.png").exists());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_png_says_it_is_a_simulation() {
        let img = RgbImage::from_pixel(4, 4, image::Rgb([1, 2, 3]));
        let bytes = encode(&img, &ExportOptions::default()).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().unwrap();
        let texts: Vec<String> = reader.info().utf8_text.iter().filter_map(|t| t.get_text().ok()).collect();
        assert!(texts.iter().any(|t| t.contains("Simulated")), "{texts:?}");
        assert!(reader.info().exif_metadata.is_none());
    }
}
