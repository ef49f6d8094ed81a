//! Loading patient photos: check what the file is before reading it, decode within a memory
//! budget, apply the camera's orientation, and say when a photo is incomplete or was reduced.
//!
//! Read: JPEG (colour, greyscale and CMYK), PNG (8 and 16 bits), WebP, TIFF and, where the
//! system's libheif is installed, HEIC (see [`heif`]).

pub mod heif;

use super::os_error;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, RgbImage};
use std::io::{BufRead, BufReader, Cursor, Read, Seek};
use std::path::Path;

/// File name extensions of the photos read, for file choosers (both cases: some choosers match
/// names exactly, and cameras write `IMG_0001.JPG`, iPhones `IMG_0001.HEIC`).
pub const EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "webp", "tif", "tiff", "heic", "heif", "JPG", "JPEG", "PNG", "WEBP", "TIF", "TIFF",
    "HEIC", "HEIF",
];

/// Environment variable raising or lowering the working size of photos, in megapixels.
pub const MAX_MEGAPIXELS_VAR: &str = "SMP_STUDIO_MAX_MEGAPIXELS";
/// Environment variable raising or lowering the memory one photo may take while it is decoded.
pub const MEMORY_MB_VAR: &str = "SMP_STUDIO_PHOTO_MEMORY_MB";

/// How large a photo may be, in pixels kept and in memory used while decoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhotoLimits {
    /// Photos with more pixels are reduced on load, keeping their proportions: every later
    /// step (hair detection, regions, rendering, undo) scales with the photo.
    pub max_pixels: u64,
    /// Most bytes decoding one photo may hold at once (the file's bytes, the decoded pixels
    /// and the reduced copy). A photo needing more is refused with a sentence, never swapped.
    pub max_decode_bytes: u64,
}

impl PhotoLimits {
    /// 32 MP keeps a phone's or a clinic camera's usual photo whole (12–24 MP, about 28 px/mm
    /// across a whole scalp, far finer than a dot) and reduces 48–200 MP modes, which would
    /// make every brush stroke slower and take gigabytes. 1000 MB decodes a 200 MP JPEG.
    pub const DEFAULT: PhotoLimits = PhotoLimits { max_pixels: 32_000_000, max_decode_bytes: 1_000_000_000 };

    /// The defaults, changed by [`MAX_MEGAPIXELS_VAR`] and [`MEMORY_MB_VAR`] where they are set.
    pub fn from_env() -> Result<PhotoLimits, PhotoError> {
        let mut limits = Self::DEFAULT;
        if let Some(mp) = env_number(MAX_MEGAPIXELS_VAR, 1.0..=10_000.0)? {
            limits.max_pixels = (mp * 1e6) as u64;
        }
        if let Some(mb) = env_number(MEMORY_MB_VAR, 64.0..=1_000_000.0)? {
            limits.max_decode_bytes = (mb * 1e6) as u64;
        }
        Ok(limits)
    }
}

impl Default for PhotoLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

fn env_number(name: &'static str, range: std::ops::RangeInclusive<f64>) -> Result<Option<f64>, PhotoError> {
    let Some(value) = std::env::var_os(name) else { return Ok(None) };
    let text = value.to_string_lossy().into_owned();
    match text.trim().parse::<f64>() {
        Ok(v) if range.contains(&v) => Ok(Some(v)),
        _ => Err(PhotoError::Setting { name, value: text, min: *range.start(), max: *range.end() }),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("could not open {file}: {reason}")]
    Io { file: String, reason: String },
    #[error("{file} is {what}, not a photo; choose a JPEG, PNG, WebP, TIFF or HEIC photo")]
    NotAFile { file: String, what: &'static str },
    #[error("{file} is empty (0 bytes); copy the photo again from the camera or phone")]
    Empty { file: String },
    #[error(
        "{file} is {found}; SMP Studio reads JPEG, PNG, WebP, TIFF and HEIC photos, so save it as one of those first"
    )]
    OtherFormat { file: String, found: &'static str },
    #[error("{file} is not a photo: it is not a JPEG, PNG, WebP, TIFF or HEIC image")]
    NotAPhoto { file: String },
    /// A region layer in another image format (the mask reader names JPEG itself).
    #[error("{file} is {found}; a region mask must be a PNG image")]
    NotPng { file: String, found: &'static str },
    #[error(
        "{file} is a HEIC photo (the iPhone format), and this computer has no HEIC decoder; install libheif (on Debian: apt install libheif1), or save the photo as JPEG first"
    )]
    NoHeifDecoder { file: String },
    #[error(
        "{file} is a damaged photo and could not be read ({reason}); copy it again from the camera or phone"
    )]
    Decode { file: String, reason: String },
    /// The decoder's own account is for programmers (chunk types, Huffman tables); a person
    /// needs to know the file is damaged and what to do.
    #[error(
        "{file} is a damaged {format} file and could not be read; copy it again from the camera or phone"
    )]
    Damaged { file: String, format: &'static str },
    #[error(
        "{file} is incomplete: the file ends before the picture does; copy it again from the camera or phone"
    )]
    Incomplete { file: String },
    #[error(
        "{file} is {width}×{height} pixels and needs {needed_mb} MB to open, more than the {budget_mb} MB allowed for one photo; reduce it first, or allow more by setting {MEMORY_MB_VAR}={needed_mb}"
    )]
    TooLarge { file: String, width: u32, height: u32, needed_mb: u64, budget_mb: u64 },
    #[error(
        "{file} is a {size_mb} MB file, more than the {budget_mb} MB allowed for one photo; reduce it first, or allow more by setting {MEMORY_MB_VAR}"
    )]
    FileTooLarge { file: String, size_mb: u64, budget_mb: u64 },
    #[error("{name}={value} is not understood; give a number from {min} to {max}, or unset it")]
    Setting { name: &'static str, value: String, min: f64, max: f64 },
}

/// Something a person should know about a photo that still opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhotoNotice {
    /// The file ends before the picture does: the decoder filled the rest with grey. The photo
    /// is kept so a clinician who has no other copy can still work, but must be told.
    Incomplete { file: String },
    /// The photo had more pixels than [`PhotoLimits::max_pixels`] and was reduced.
    Reduced { file: String, from: (u32, u32), to: (u32, u32), max_pixels: u64 },
}

impl std::fmt::Display for PhotoNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PhotoNotice::Incomplete { file } => write!(
                f,
                "{file} is incomplete: the file ends before the picture does, so part of it shows grey; copy it again from the camera or phone"
            ),
            PhotoNotice::Reduced { file, from, to, max_pixels } => write!(
                f,
                "{file} is {}×{} pixels; it was reduced to {}×{} to stay within {} megapixel{} (set {MAX_MEGAPIXELS_VAR} to keep more)",
                from.0,
                from.1,
                to.0,
                to.1,
                max_pixels / 1_000_000,
                if max_pixels / 1_000_000 == 1 { "" } else { "s" }
            ),
        }
    }
}

/// A decoded photo and what a person should be told about it.
#[derive(Clone, Debug)]
pub struct LoadedPhoto {
    pub image: RgbImage,
    pub notices: Vec<PhotoNotice>,
}

impl LoadedPhoto {
    pub fn is_incomplete(&self) -> bool {
        self.notices.iter().any(|n| matches!(n, PhotoNotice::Incomplete { .. }))
    }
}

/// Reads a photo from disk, upright as the camera meant it, as 8-bit sRGB, with notices. Only
/// a regular file is opened (never a folder, a device or a pipe), and its first bytes are
/// checked before the rest is read.
pub fn open(path: &Path, limits: &PhotoLimits) -> Result<LoadedPhoto, PhotoError> {
    let file = path.display().to_string();
    let io_err = |e: std::io::Error| PhotoError::Io { file: file.clone(), reason: os_error::describe(&e) };
    let size = regular_file_size(path, &file)?;
    let mut reader = std::fs::File::open(path).map_err(io_err)?;
    let mut head = [0u8; 32];
    let got = read_up_to(&mut reader, &mut head).map_err(io_err)?;
    let format = identify(&head[..got], &file)?;
    reader.rewind().map_err(io_err)?;
    match format {
        Kind::Image(format @ (ImageFormat::Png | ImageFormat::WebP | ImageFormat::Tiff)) => {
            // Decoded as it streams in: the file's size costs no memory.
            decode_sniffed(BufReader::new(reader), format, &file, limits, 0, true)
        }
        // JPEG and HEIC decoders read the whole file into memory anyway; reading it here lets
        // a JPEG's end be checked for the end-of-image marker.
        _ => {
            if size > limits.max_decode_bytes {
                return Err(PhotoError::FileTooLarge {
                    file,
                    size_mb: size.div_ceil(1_000_000),
                    budget_mb: limits.max_decode_bytes / 1_000_000,
                });
            }
            let mut bytes = Vec::with_capacity(size as usize);
            // Bounded even if the file grows while it is read.
            reader.take(limits.max_decode_bytes).read_to_end(&mut bytes).map_err(io_err)?;
            decode_with(&bytes, &file, limits)
        }
    }
}

/// Like [`open`], and hands back the file's bytes too, for a consultation that keeps the photo
/// exactly as the camera made it.
pub fn open_with_bytes(path: &Path, limits: &PhotoLimits) -> Result<(Vec<u8>, LoadedPhoto), PhotoError> {
    let file = path.display().to_string();
    let io_err = |e: std::io::Error| PhotoError::Io { file: file.clone(), reason: os_error::describe(&e) };
    let size = regular_file_size(path, &file)?;
    let mut reader = std::fs::File::open(path).map_err(io_err)?;
    // What the file is, from its first bytes, before its size is held against it: a huge
    // file that is no photo is named as such, and never read.
    let mut head = [0u8; 32];
    let got = read_up_to(&mut reader, &mut head).map_err(io_err)?;
    identify(&head[..got], &file)?;
    reader.rewind().map_err(io_err)?;
    if size > limits.max_decode_bytes {
        return Err(PhotoError::FileTooLarge {
            file,
            size_mb: size.div_ceil(1_000_000),
            budget_mb: limits.max_decode_bytes / 1_000_000,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // Bounded even if the file grows while it is read.
    reader.take(limits.max_decode_bytes).read_to_end(&mut bytes).map_err(io_err)?;
    let loaded = decode_with(&bytes, &file, limits)?;
    Ok((bytes, loaded))
}

/// [`open`] with the limits from the environment, keeping the image only.
///
/// Prefer [`open`]: this drops the notices, so an incomplete photo opens without a word.
pub fn load(path: &Path) -> Result<RgbImage, PhotoError> {
    open(path, &PhotoLimits::from_env()?).map(|loaded| loaded.image)
}

/// Decodes an in-memory photo; `file` names it in messages.
pub fn decode_with(bytes: &[u8], file: &str, limits: &PhotoLimits) -> Result<LoadedPhoto, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty { file: file.into() });
    }
    match identify(bytes, file)? {
        Kind::Heif => decode_heif(bytes, file, limits),
        Kind::Image(format) => {
            let complete = match format {
                ImageFormat::Jpeg => jpeg_is_complete(bytes),
                ImageFormat::WebP => riff_is_complete(bytes),
                _ => true,
            };
            if !complete && format != ImageFormat::Jpeg {
                // Only a JPEG's decoder fills in what is missing; the others stop.
                return Err(PhotoError::Incomplete { file: file.into() });
            }
            decode_sniffed(Cursor::new(bytes), format, file, limits, bytes.len() as u64, complete)
        }
    }
}

/// [`decode_with`] with the default limits, keeping the image only.
pub fn decode(bytes: &[u8], file: &str) -> Result<RgbImage, PhotoError> {
    decode_with(bytes, file, &PhotoLimits::DEFAULT).map(|loaded| loaded.image)
}

/// The size of `path` if it is a regular file (links followed); a sentence otherwise.
pub(crate) fn regular_file_size(path: &Path, file: &str) -> Result<u64, PhotoError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| PhotoError::Io { file: file.into(), reason: os_error::describe(&e) })?;
    if let Some(what) = os_error::not_a_file(&meta) {
        return Err(PhotoError::NotAFile { file: file.into(), what });
    }
    if meta.len() == 0 {
        return Err(PhotoError::Empty { file: file.into() });
    }
    Ok(meta.len())
}

fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// What a photo file is, from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Image(ImageFormat),
    /// HEIC and other HEIF files, decoded by libheif.
    Heif,
}

/// Camera RAW files are TIFF inside; their first image is a small preview, so they are
/// refused by name rather than opened as a thumbnail.
const RAW_EXTENSIONS: &[&str] = &[
    "dng", "nef", "nrw", "cr2", "arw", "srf", "sr2", "pef", "orf", "rw2", "raf", "srw", "3fr", "iiq", "erf",
    "kdc", "mrw",
];

/// The photo's kind from its first bytes, or a sentence naming what it is instead.
fn identify(head: &[u8], file: &str) -> Result<Kind, PhotoError> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    let other = |found| Err(PhotoError::OtherFormat { file: file.into(), found });
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Kind::Image(ImageFormat::Jpeg));
    }
    if head.starts_with(PNG) {
        return Ok(Kind::Image(ImageFormat::Png));
    }
    if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        return Ok(Kind::Image(ImageFormat::WebP));
    }
    if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        let extension = Path::new(file).extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
        let raw =
            head.get(8..10) == Some(b"CR") || extension.is_some_and(|e| RAW_EXTENSIONS.contains(&e.as_str()));
        return if raw { other("a camera RAW image") } else { Ok(Kind::Image(ImageFormat::Tiff)) };
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return match &head[8..12] {
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1" => Ok(Kind::Heif),
            b"avif" | b"avis" => other("an AVIF image"),
            _ => other("a video or HEIF file"),
        };
    }
    if head.starts_with(b"GIF8") {
        other("a GIF image")
    } else if head.starts_with(b"BM") {
        other("a BMP image")
    } else if head.starts_with(b"%PDF") {
        other("a PDF document")
    } else {
        Err(PhotoError::NotAPhoto { file: file.into() })
    }
}

/// The format of a region mask from its first bytes: PNG, or JPEG (which the mask reader
/// refuses with its own reason), or a sentence naming what it is instead.
pub(crate) fn sniff(head: &[u8], file: &str) -> Result<ImageFormat, PhotoError> {
    match identify(head, file)? {
        Kind::Image(format @ (ImageFormat::Png | ImageFormat::Jpeg)) => Ok(format),
        Kind::Image(ImageFormat::WebP) => {
            Err(PhotoError::NotPng { file: file.into(), found: "a WebP image" })
        }
        Kind::Image(_) => Err(PhotoError::NotPng { file: file.into(), found: "a TIFF image" }),
        Kind::Heif => Err(PhotoError::NotPng { file: file.into(), found: "a HEIC photo" }),
    }
}

/// Whether a RIFF file (WebP) holds every byte its header declares.
fn riff_is_complete(bytes: &[u8]) -> bool {
    match bytes.get(4..8) {
        Some(size) => {
            let declared = u32::from_le_bytes([size[0], size[1], size[2], size[3]]) as u64;
            bytes.len() as u64 >= declared.saturating_add(8)
        }
        None => false,
    }
}

/// A HEIC photo through libheif, within the same budget as every other photo: the size is
/// read from the file's header and checked before any pixel is decoded.
fn decode_heif(bytes: &[u8], file: &str, limits: &PhotoLimits) -> Result<LoadedPhoto, PhotoError> {
    let held = bytes.len() as u64;
    let mut refused = None;
    let decoded = heif::decode(bytes, |width, height| {
        let pixels = width as u64 * height as u64;
        let to = reduced_size(width, height, limits.max_pixels);
        let kept = if to == (width, height) { pixels * 3 } else { to.0 as u64 * to.1 as u64 * 4 };
        // libheif's own planes (up to 16 bits in three full planes), its RGB copy, and ours.
        let needed = held.saturating_add(pixels * (6 + 3)).saturating_add(kept);
        if needed > limits.max_decode_bytes {
            refused = Some(PhotoError::TooLarge {
                file: file.into(),
                width,
                height,
                needed_mb: needed.div_ceil(1_000_000),
                budget_mb: limits.max_decode_bytes / 1_000_000,
            });
            return false;
        }
        true
    });
    let decoded = match decoded {
        Ok(decoded) => decoded,
        Err(heif::HeifFailure::Refused) => {
            return Err(refused.unwrap_or(PhotoError::Damaged { file: file.into(), format: "HEIC" }));
        }
        Err(heif::HeifFailure::Unavailable) => return Err(PhotoError::NoHeifDecoder { file: file.into() }),
        Err(heif::HeifFailure::Incomplete) => return Err(PhotoError::Incomplete { file: file.into() }),
        Err(heif::HeifFailure::Damaged) => {
            return Err(PhotoError::Damaged { file: file.into(), format: "HEIC" });
        }
    };
    let (width, height) = (decoded.width, decoded.height);
    let image = RgbImage::from_raw(width, height, decoded.rgb)
        .ok_or_else(|| PhotoError::Damaged { file: file.into(), format: "HEIC" })?;
    let to = reduced_size(width, height, limits.max_pixels);
    if to == (width, height) {
        return Ok(LoadedPhoto { image, notices: Vec::new() });
    }
    let reduced = image::imageops::thumbnail(&image, to.0, to.1);
    let notice =
        PhotoNotice::Reduced { file: file.into(), from: (width, height), to, max_pixels: limits.max_pixels };
    Ok(LoadedPhoto { image: reduced, notices: vec![notice] })
}

/// Decodes a stream already known to be `format`; `held_bytes` is what the caller keeps in
/// memory meanwhile (a file read whole), counted against the budget; `complete` is false for
/// a JPEG whose end is missing.
fn decode_sniffed<R: BufRead + Seek>(
    reader: R,
    format: ImageFormat,
    file: &str,
    limits: &PhotoLimits,
    held_bytes: u64,
    complete: bool,
) -> Result<LoadedPhoto, PhotoError> {
    let damaged = |e: image::ImageError| decode_error(e, format, file);
    // The JPEG decoder keeps its own copy of the file's bytes.
    let held_bytes = if format == ImageFormat::Jpeg { held_bytes.saturating_mul(2) } else { held_bytes };
    let mut reader = ImageReader::with_format(reader, format);
    let mut image_limits = image::Limits::default();
    image_limits.max_alloc = Some(limits.max_decode_bytes.saturating_sub(held_bytes));
    reader.limits(image_limits);
    let mut decoder = match reader.into_decoder() {
        Ok(decoder) => decoder,
        Err(_) if !complete => return Err(PhotoError::Incomplete { file: file.into() }),
        Err(e) => return Err(damaged(e)),
    };
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(PhotoError::Decode { file: file.into(), reason: "it has no pixels".into() });
    }
    let pixels = width as u64 * height as u64;
    let to = reduced_size(width, height, limits.max_pixels);
    // Decoded pixels in the file's own layout, then the 8-bit RGB copy (or reduced copy).
    let kept = if to == (width, height) { pixels * 3 } else { to.0 as u64 * to.1 as u64 * 4 };
    let needed = held_bytes.saturating_add(decoder.total_bytes()).saturating_add(kept);
    if needed > limits.max_decode_bytes {
        return Err(PhotoError::TooLarge {
            file: file.into(),
            width,
            height,
            needed_mb: needed.div_ceil(1_000_000),
            budget_mb: limits.max_decode_bytes / 1_000_000,
        });
    }
    let orientation = decoder.orientation().map_err(damaged)?;
    let decoded = match DynamicImage::from_decoder(decoder) {
        Ok(decoded) => decoded,
        Err(_) if !complete => return Err(PhotoError::Incomplete { file: file.into() }),
        Err(e) => return Err(damaged(e)),
    };
    let reduced = to != (width, height);
    let rgb = match decoded {
        _ if !reduced => decoded.into_rgb8(),
        // Reduced straight from the decoded pixels, without a full-size copy.
        DynamicImage::ImageRgb8(full) => image::imageops::thumbnail(&full, to.0, to.1),
        DynamicImage::ImageLuma8(full) => {
            DynamicImage::ImageLuma8(image::imageops::thumbnail(&full, to.0, to.1)).into_rgb8()
        }
        other => DynamicImage::ImageRgba8(image::imageops::thumbnail(&other, to.0, to.1)).into_rgb8(),
    };
    let mut upright = DynamicImage::ImageRgb8(rgb);
    upright.apply_orientation(orientation);
    let image = upright.into_rgb8();
    let mut notices = Vec::new();
    if !complete {
        notices.push(PhotoNotice::Incomplete { file: file.into() });
    }
    if reduced {
        // Report sizes as the photo is shown: upright.
        let turned = image.dimensions() != to;
        let from = if turned { (height, width) } else { (width, height) };
        notices.push(PhotoNotice::Reduced {
            file: file.into(),
            from,
            to: image.dimensions(),
            max_pixels: limits.max_pixels,
        });
    }
    Ok(LoadedPhoto { image, notices })
}

/// Whether a JPEG stream holds its end-of-image marker after its first scan begins. Markers
/// cannot occur inside compressed data, so a file cut short has none; an embedded thumbnail's
/// marker comes before the first scan and is skipped with the segments that hold it.
pub fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut i = 2; // after SOI
    loop {
        while bytes.get(i) == Some(&0xFF) && bytes.get(i + 1) == Some(&0xFF) {
            i += 1; // fill bytes
        }
        let (Some(&0xFF), Some(&marker)) = (bytes.get(i), bytes.get(i + 1)) else {
            // Cut short inside the headers, or a layout this scan does not know: only the
            // former is incomplete, and the decoder refuses both.
            return i + 1 < bytes.len();
        };
        match marker {
            0xD9 => return true,
            0x01 | 0xD0..=0xD7 => i += 2,
            _ => {
                let (Some(&hi), Some(&lo)) = (bytes.get(i + 2), bytes.get(i + 3)) else { return false };
                let next = i + 2 + u16::from_be_bytes([hi, lo]) as usize;
                if marker == 0xDA {
                    return bytes.get(next..).is_some_and(|scan| scan.windows(2).any(|w| w == [0xFF, 0xD9]));
                }
                i = next;
            }
        }
    }
}

/// The size a `width` × `height` photo is reduced to so it holds at most `max_pixels`.
pub fn reduced_size(width: u32, height: u32, max_pixels: u64) -> (u32, u32) {
    let pixels = width as u64 * height as u64;
    if pixels <= max_pixels.max(1) {
        return (width, height);
    }
    let f = (max_pixels.max(1) as f64 / pixels as f64).sqrt();
    let w = ((width as f64 * f).floor() as u32).max(1);
    let h = ((height as f64 * f).floor() as u32).max(1);
    (w, h)
}

pub(crate) fn decode_error(e: image::ImageError, format: ImageFormat, file: &str) -> PhotoError {
    let text = e.to_string();
    let ended_early = text.contains("end of file")
        || text.contains("EOF")
        || text.contains("No more bytes")
        || matches!(&e, image::ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof);
    if ended_early {
        return PhotoError::Incomplete { file: file.into() };
    }
    let format = match format {
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::WebP => "WebP",
        ImageFormat::Tiff => "TIFF",
        _ => "PNG",
    };
    match e {
        image::ImageError::Limits(_) => PhotoError::Decode {
            file: file.into(),
            reason: format!("it declares more data than a {format} photo of its size holds"),
        },
        image::ImageError::IoError(io) => {
            PhotoError::Io { file: file.into(), reason: os_error::describe(&io) }
        }
        _ => PhotoError::Damaged { file: file.into(), format },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_bytes(img: &RgbImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        img.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png).unwrap();
        bytes
    }

    #[test]
    fn garbage_gets_a_sentence_not_a_panic() {
        let err = decode(b"definitely not a jpeg", "notes.txt").unwrap_err();
        assert_eq!(
            err.to_string(),
            "notes.txt is not a photo: it is not a JPEG, PNG, WebP, TIFF or HEIC image"
        );
        let err = load(Path::new("/nonexistent/scalp.jpg")).unwrap_err();
        assert_eq!(err.to_string(), "could not open /nonexistent/scalp.jpg: there is no such file or folder");
    }

    #[test]
    fn png_round_trips() {
        let mut img = RgbImage::new(5, 3);
        img.put_pixel(4, 2, image::Rgb([10, 20, 30]));
        assert_eq!(decode(&png_bytes(&img), "t.png").unwrap(), img);
    }

    #[test]
    fn a_photo_over_the_working_size_is_reduced_with_a_notice() {
        let img = RgbImage::from_fn(400, 300, |x, y| image::Rgb([x as u8, y as u8, 90]));
        let limits = PhotoLimits { max_pixels: 30_000, ..PhotoLimits::DEFAULT };
        let loaded = decode_with(&png_bytes(&img), "big.png", &limits).unwrap();
        assert_eq!(loaded.image.dimensions(), (200, 150));
        assert_eq!(
            loaded.notices,
            vec![PhotoNotice::Reduced {
                file: "big.png".into(),
                from: (400, 300),
                to: (200, 150),
                max_pixels: 30_000
            }]
        );
        assert!(loaded.notices[0].to_string().contains(MAX_MEGAPIXELS_VAR));
    }

    #[test]
    fn a_photo_over_the_memory_budget_is_refused_with_the_way_to_allow_it() {
        let img = RgbImage::new(400, 300);
        let limits = PhotoLimits { max_decode_bytes: 100_000, ..PhotoLimits::DEFAULT };
        let err = decode_with(&png_bytes(&img), "big.png", &limits).unwrap_err();
        assert!(matches!(err, PhotoError::TooLarge { width: 400, height: 300, .. }), "{err}");
        assert!(err.to_string().contains(MEMORY_MB_VAR), "{err}");
    }

    #[test]
    fn a_cut_jpeg_opens_with_a_notice_and_a_whole_one_without() {
        let jpeg = include_bytes!("../../assets/sample/scalp.jpg");
        assert!(jpeg_is_complete(jpeg));
        let whole = decode_with(jpeg, "scalp.jpg", &PhotoLimits::DEFAULT).unwrap();
        assert!(whole.notices.is_empty(), "{:?}", whole.notices);
        let cut = &jpeg[..jpeg.len() * 2 / 3];
        assert!(!jpeg_is_complete(cut));
        let loaded = decode_with(cut, "cut.jpg", &PhotoLimits::DEFAULT).unwrap();
        assert!(loaded.is_incomplete());
        assert_eq!(loaded.image.dimensions(), whole.image.dimensions());
        // Cut inside the headers there is nothing to show: refused, with the same words.
        let err = decode_with(&jpeg[..40], "stub.jpg", &PhotoLimits::DEFAULT).unwrap_err();
        assert!(matches!(err, PhotoError::Incomplete { .. }), "{err}");
    }

    #[test]
    fn a_cut_png_is_refused_as_incomplete() {
        let img = RgbImage::from_fn(64, 64, |x, y| image::Rgb([x as u8 * 3, y as u8 * 3, 7]));
        let bytes = png_bytes(&img);
        let err = decode(&bytes[..bytes.len() / 2], "cut.png").unwrap_err();
        assert!(matches!(err, PhotoError::Incomplete { .. }), "{err}");
    }

    #[test]
    fn other_image_formats_are_named() {
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        let err = decode(heic, "IMG_0001.HEIC").unwrap_err();
        assert!(err.to_string().contains("IMG_0001.HEIC is"), "{err}");
        assert!(err.to_string().contains("HEIC"), "{err}");
        assert!(decode(b"GIF89a....", "a.gif").unwrap_err().to_string().contains("GIF"));
        let raw = b"II*\0\x10\0\0\0CR\x02\0";
        assert!(decode(raw, "IMG_1.CR2").unwrap_err().to_string().contains("camera RAW"));
        assert!(decode(b"II*\0\x08\0\0\0", "DSC_1.NEF").unwrap_err().to_string().contains("camera RAW"));
    }

    #[test]
    fn reduced_sizes_keep_proportions_and_the_limit() {
        for (w, h, max) in [(10_000u32, 10_000u32, 50_000_000u64), (16_320, 12_240, 50_000_000), (7, 3, 10)] {
            let (rw, rh) = reduced_size(w, h, max);
            assert!(rw as u64 * rh as u64 <= max.max(1), "{w}×{h} → {rw}×{rh}");
            let ratio = (rw as f64 / rh as f64) / (w as f64 / h as f64);
            assert!((ratio - 1.0).abs() < 0.4, "{w}×{h} → {rw}×{rh}");
        }
        assert_eq!(reduced_size(4000, 3000, 50_000_000), (4000, 3000));
    }
}
