//! Opening a saved consultation without trusting it: a `.smpc` container (from a file or from
//! memory) or a folder saved by an earlier version. Every part is read within a size limit,
//! never followed out of the consultation, and checked before anything is built from it; what
//! is refused is said in one sentence.

use super::Consultation;
use super::file::{ConsultationError, ConsultationMeta, META_FILE, assemble, parse_meta};
use crate::engine::mask::Mask;
use crate::engine::os_error;
use crate::engine::photo::{self, PhotoError, PhotoLimits, PhotoNotice};
use image::{ImageDecoder, ImageFormat, ImageReader};
use std::io::{Read, Seek};
use std::path::Path;
use std::sync::Arc;

/// Largest text member read: a consultation's RON is a few kilobytes.
pub(super) const MAX_META_BYTES: u64 = 4 << 20;
/// Largest photo member read.
pub(super) const MAX_PHOTO_BYTES: u64 = 512 << 20;
/// Largest region layer member read (a compressed 8-bit layer of the photo's size).
pub(super) const MAX_MASK_BYTES: u64 = 256 << 20;
/// Room made for a member before it is read: a declared size is a claim, so memory grows only
/// as bytes actually arrive.
const FIRST_ALLOCATION: u64 = 1 << 20;

/// Why one part of a consultation could not be read.
enum MemberError {
    Missing,
    /// A folder, a link, a device or a pipe where a file should be.
    NotAFile(&'static str),
    TooLarge(u64),
    /// The part holds more (or less) than its header says: a damaged or hostile container.
    WrongSize,
    /// Encrypted, or compressed in a way the container reader does not know.
    Unreadable,
    Damaged,
    Io(String),
}

impl MemberError {
    fn into_error(self, file: &str, name: &str) -> ConsultationError {
        let reason = match self {
            MemberError::Missing => format!("it has no `{name}` in it"),
            MemberError::NotAFile(what) => format!("its `{name}` is {what}, not a file"),
            MemberError::TooLarge(limit) => {
                format!("its `{name}` is larger than the {} MB a consultation's part may be", limit >> 20)
            }
            MemberError::WrongSize => format!("its `{name}` holds more or less than the container says"),
            MemberError::Unreadable => {
                format!("its `{name}` is encrypted or packed in a way SMP Studio does not read")
            }
            MemberError::Damaged => format!("its `{name}` is damaged"),
            MemberError::Io(reason) => {
                return ConsultationError::Read { file: file.into(), reason: format!("{name}: {reason}") };
            }
        };
        ConsultationError::Damaged { file: file.into(), reason }
    }
}

/// Where the parts of a consultation come from.
trait Members {
    /// The part called `name`, at most `limit` bytes.
    fn read(&mut self, name: &str, limit: u64) -> Result<Vec<u8>, MemberError>;
}

/// A `.smpc` zip container. Members are looked up by the names the metadata gives, which
/// are plain file names (see [`ConsultationMeta::validate`]); nothing is ever extracted.
struct Container<R: Read + Seek>(zip::ZipArchive<R>);

impl<R: Read + Seek> Members for Container<R> {
    fn read(&mut self, name: &str, limit: u64) -> Result<Vec<u8>, MemberError> {
        let member = match self.0.by_name(name) {
            Ok(member) => member,
            Err(zip::result::ZipError::FileNotFound) => return Err(MemberError::Missing),
            Err(zip::result::ZipError::Io(_)) => return Err(MemberError::Damaged),
            Err(_) => return Err(MemberError::Unreadable),
        };
        if member.is_dir() {
            return Err(MemberError::NotAFile("a folder"));
        }
        if member.is_symlink() {
            return Err(MemberError::NotAFile("a link"));
        }
        let declared = member.size();
        if declared > limit {
            return Err(MemberError::TooLarge(limit));
        }
        // Never more than the member declares: a small member that inflates to gigabytes (a
        // zip bomb) is caught after one byte too many.
        let mut bytes = Vec::with_capacity(declared.min(FIRST_ALLOCATION) as usize);
        member.take(declared + 1).read_to_end(&mut bytes).map_err(|_| MemberError::Damaged)?;
        if bytes.len() as u64 != declared {
            return Err(MemberError::WrongSize);
        }
        Ok(bytes)
    }
}

/// A folder saved by an earlier version (`visit.smp/`), its parts as files.
struct Folder<'a>(&'a Path);

impl Members for Folder<'_> {
    fn read(&mut self, name: &str, limit: u64) -> Result<Vec<u8>, MemberError> {
        read_regular(&self.0.join(name), limit)
    }
}

/// Reads a file that must be a regular file inside the folder: a link (which could lead to
/// another patient's photo or to `/dev/zero`), a pipe (which could be read forever) or a
/// device is refused before it is opened.
fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, MemberError> {
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => MemberError::Missing,
        _ => MemberError::Io(os_error::describe(&e)),
    };
    let kind = std::fs::symlink_metadata(path).map_err(io)?;
    if kind.file_type().is_symlink() {
        return Err(MemberError::NotAFile("a link to another file"));
    }
    if let Some(what) = os_error::not_a_file(&kind) {
        return Err(MemberError::NotAFile(what));
    }
    if kind.len() > limit {
        return Err(MemberError::TooLarge(limit));
    }
    let mut bytes = Vec::with_capacity(kind.len() as usize);
    // Bounded even if the file grows while it is read.
    std::fs::File::open(path).map_err(io)?.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(MemberError::TooLarge(limit));
    }
    Ok(bytes)
}

impl Consultation {
    /// Opens a saved consultation: a `.smpc` file, or a folder saved by an earlier version.
    /// Photos are decoded within the limits set in the environment (see [`PhotoLimits`]).
    pub fn load(path: &Path) -> Result<Consultation, ConsultationError> {
        let limits = PhotoLimits::from_env().map_err(ConsultationError::Photo)?;
        if path.is_dir() { load_folder(path, &limits) } else { load_container(path, &limits) }
    }

    /// Reads a `.smpc` container held in memory; `file` names it in messages. Nothing is
    /// written anywhere: the parts are read from `bytes` only.
    pub fn from_container_bytes(
        bytes: &[u8],
        file: &str,
        limits: &PhotoLimits,
    ) -> Result<Consultation, ConsultationError> {
        read_container(std::io::Cursor::new(bytes), file, limits)
    }
}

fn load_container(path: &Path, limits: &PhotoLimits) -> Result<Consultation, ConsultationError> {
    let file = path.display().to_string();
    let read_err =
        |e: std::io::Error| ConsultationError::Read { file: file.clone(), reason: os_error::describe(&e) };
    // Checked before opening: opening a pipe would wait for a writer forever.
    let kind = std::fs::metadata(path).map_err(read_err)?;
    if let Some(what) = os_error::not_a_file(&kind) {
        return Err(ConsultationError::NotAConsultation { file, reason: format!("it is {what}") });
    }
    let opened = std::fs::File::open(path).map_err(read_err)?;
    read_container(std::io::BufReader::new(opened), &file, limits)
}

fn read_container<R: Read + Seek>(
    reader: R,
    file: &str,
    limits: &PhotoLimits,
) -> Result<Consultation, ConsultationError> {
    let zip = zip::ZipArchive::new(reader).map_err(|_| ConsultationError::NotAConsultation {
        file: file.into(),
        reason: format!("it is not a .{} file", super::CONSULTATION_EXTENSION),
    })?;
    if zip.has_duplicate_names() {
        // Which of two photos (or two metadata files) is the patient's cannot be told.
        return Err(ConsultationError::Damaged {
            file: file.into(),
            reason: "it holds two parts of the same name, so which photo or regions are this patient's cannot be told".into(),
        });
    }
    let mut container = Container(zip);
    let text = container.read(META_FILE, MAX_META_BYTES).map_err(|e| match e {
        MemberError::Missing => ConsultationError::NotAConsultation {
            file: file.into(),
            reason: format!("it holds no {META_FILE}"),
        },
        other => other.into_error(file, META_FILE),
    })?;
    read_parts(&mut container, text, file, limits)
}

/// Opens a consultation folder saved by an earlier version.
fn load_folder(dir: &Path, limits: &PhotoLimits) -> Result<Consultation, ConsultationError> {
    let file = dir.display().to_string();
    let mut folder = Folder(dir);
    let text = folder.read(META_FILE, MAX_META_BYTES).map_err(|e| match e {
        MemberError::Missing => ConsultationError::NotAConsultation {
            file: file.clone(),
            reason: format!("it is a folder without {META_FILE}"),
        },
        other => other.into_error(&file, META_FILE),
    })?;
    let mut consultation = read_parts(&mut folder, text, &file, limits)?;
    if consultation.photo_name == "photo.png" {
        // Folders named the photo by the folder.
        if let Some(name) = dir.file_name() {
            consultation.photo_name = name.to_string_lossy().into_owned();
        }
    }
    Ok(consultation)
}

/// Everything after the metadata's bytes: the same checks for a container and a folder.
fn read_parts(
    members: &mut impl Members,
    text: Vec<u8>,
    file: &str,
    limits: &PhotoLimits,
) -> Result<Consultation, ConsultationError> {
    let damaged = |reason: String| ConsultationError::Damaged { file: file.into(), reason };
    let text = String::from_utf8(text).map_err(|_| ConsultationError::NotAConsultation {
        file: file.into(),
        reason: format!("its {META_FILE} is not text"),
    })?;
    let meta: ConsultationMeta = parse_meta(&text, file)?;
    meta.validate().map_err(damaged)?;
    let photo_bytes: Arc<[u8]> =
        Arc::from(members.read(&meta.photo, MAX_PHOTO_BYTES).map_err(|e| e.into_error(file, &meta.photo))?);
    let loaded = photo::decode_with(&photo_bytes, &meta.photo, limits).map_err(|e| photo_error(e, file))?;
    if let Some(PhotoNotice::Reduced { from, .. }) =
        loaded.notices.iter().find(|n| matches!(n, PhotoNotice::Reduced { .. }))
    {
        return Err(ConsultationError::PhotoTooLarge {
            file: file.into(),
            width: from.0,
            height: from.1,
            megapixels: (from.0 as u64 * from.1 as u64).div_ceil(1_000_000),
        });
    }
    let photo_file = Some(super::PhotoFile::new(photo_bytes, &extension_of(&meta.photo)));
    // Validation allows at most one layer of each kind, so at most three are held here.
    let mut layers = Vec::with_capacity(meta.masks.len());
    for (_, name) in &meta.masks {
        let bytes = members.read(name, MAX_MASK_BYTES).map_err(|e| e.into_error(file, name))?;
        layers.push((
            name.clone(),
            decode_mask(&bytes, name, loaded.image.dimensions(), limits).map_err(damaged)?,
        ));
    }
    assemble(meta, loaded.image, photo_file, |name| {
        let found = layers.iter().find(|(n, _)| n == name).map(|(_, layer)| layer.clone());
        found.ok_or_else(|| format!("it has no `{name}` in it"))
    })
    .map_err(damaged)
}

/// A region layer: a PNG the photo's size, read by the one mask rule (grey value times
/// opacity). The size is checked from the header, before any pixel is decoded.
fn decode_mask(
    bytes: &[u8],
    name: &str,
    photo_size: (u32, u32),
    limits: &PhotoLimits,
) -> Result<image::GrayImage, String> {
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(format!("its region layer `{name}` is not a PNG image"));
    }
    let mut reader = ImageReader::with_format(std::io::Cursor::new(bytes), ImageFormat::Png);
    let mut image_limits = image::Limits::default();
    image_limits.max_alloc = Some(limits.max_decode_bytes);
    reader.limits(image_limits);
    let damaged = |_| format!("its region layer `{name}` is damaged");
    let decoder = reader.into_decoder().map_err(damaged)?;
    let (width, height) = decoder.dimensions();
    if (width, height) != photo_size {
        return Err(format!(
            "its region layer `{name}` is {width}×{height} pixels but the photo is {}×{}",
            photo_size.0, photo_size.1
        ));
    }
    let image = image::DynamicImage::from_decoder(decoder).map_err(damaged)?;
    Ok(Mask::from_image(&image).to_gray())
}

/// A photo inside a consultation that cannot be read: the consultation is what is damaged
/// (the camera's copy is not at hand), except where a limit can be raised.
fn photo_error(e: PhotoError, file: &str) -> ConsultationError {
    let reason = match e {
        PhotoError::TooLarge { .. } | PhotoError::FileTooLarge { .. } | PhotoError::Setting { .. } => {
            return ConsultationError::Photo(e);
        }
        // Not damaged: this computer cannot read HEIC; the sentence says how to change that.
        PhotoError::NoHeifDecoder { .. } => {
            return ConsultationError::Photo(PhotoError::NoHeifDecoder {
                file: format!("the photo in {file}"),
            });
        }
        PhotoError::Incomplete { file: name } => format!("its photo `{name}` is cut short"),
        PhotoError::Empty { file: name } => format!("its photo `{name}` is empty"),
        PhotoError::OtherFormat { file: name, found } => format!("its photo `{name}` is {found}"),
        PhotoError::NotAPhoto { file: name }
        | PhotoError::NotAFile { file: name, .. }
        | PhotoError::NotPng { file: name, .. } => {
            format!("its photo `{name}` is not a photo")
        }
        PhotoError::Decode { file: name, .. } | PhotoError::Damaged { file: name, .. } => {
            format!("its photo `{name}` is damaged")
        }
        PhotoError::Io { file: name, reason } => format!("its photo `{name}` could not be read ({reason})"),
    };
    ConsultationError::Damaged { file: file.into(), reason }
}

fn extension_of(name: &str) -> String {
    Path::new(name).extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default()
}
