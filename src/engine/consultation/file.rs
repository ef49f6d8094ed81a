//! The saved consultation: one `.smpc` file, a zip container holding the photo as it came from
//! the camera, each region layer as a PNG and the rest as readable RON (`consultation.ron`).
//!
//! A save writes the whole container beside the old file and renames it into place, so a full
//! disk or a crash leaves either the old consultation or the new one, never a mixture. Folders
//! written by earlier versions (`visit.smp/` with the same members as files) still open.

use super::{Consultation, PhotoFile};
use crate::engine::design::HairlineDesign;
use crate::engine::files;
use crate::engine::mask::{Mask, RegionKind, RegionMasks};
use crate::engine::photo;
use crate::engine::preset::{self, Preset};
use crate::engine::sim::{MAX_PHOTO_SHARPNESS_MM, SimSettings, Stage};
use crate::engine::units::Scale;
use serde::{Deserialize, Serialize};
use std::io::{Read, Seek, Write};
use std::path::Path;
use std::sync::Arc;

/// File extension of a saved consultation.
pub const CONSULTATION_EXTENSION: &str = "smpc";
/// The text member of a saved consultation.
pub const META_FILE: &str = "consultation.ron";
/// The newest consultation format this build reads and writes (1 was the folder format).
const FORMAT_VERSION: u32 = 2;
/// Largest text member read: a consultation's RON is a few kilobytes.
const MAX_META_BYTES: u64 = 4 << 20;
/// Largest photo member read.
const MAX_PHOTO_BYTES: u64 = 512 << 20;
/// Largest region layer member read (a compressed 8-bit layer of the photo's size).
const MAX_MASK_BYTES: u64 = 256 << 20;

/// Who the consultation is for, and what was said; kept with the consultation, printed on
/// hand-outs only where the clinician chooses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PatientNotes {
    /// A name or reference chosen by the clinic.
    pub label: String,
    /// The consultation's date as the clinic writes it.
    pub date: String,
    pub notes: String,
}

/// The text part of a saved consultation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsultationMeta {
    /// Format version; consultations from a newer SMP Studio are refused, not misread.
    #[serde(default = "first_version")]
    pub version: u32,
    /// The photo member (or file, in a folder).
    pub photo: String,
    /// The name the photo had when it was opened, shown in the window and used to name exports.
    #[serde(default)]
    pub photo_name: Option<String>,
    /// Region layers by kind key (`hairline`, `bald`, `scar`) and member name.
    pub masks: Vec<(String, String)>,
    /// Preset name (bundled) or preset file.
    pub preset: String,
    pub settings: SimSettings,
    /// The preset itself, so a consultation reopens exactly as it was even if the named preset
    /// was changed or deleted since.
    #[serde(default)]
    pub preset_data: Option<Preset>,
    /// Whether the scale was measured; absent in old files, where a scale other than the
    /// default can only have been measured.
    #[serde(default)]
    pub calibrated: Option<bool>,
    #[serde(default)]
    pub show_regions: Option<[bool; 3]>,
    #[serde(default)]
    pub notes: PatientNotes,
    /// The hairline's designed curve, handles in photo pixels.
    #[serde(default)]
    pub hairline_design: Option<HairlineDesign>,
}

fn first_version() -> u32 {
    1
}

#[derive(Debug, thiserror::Error)]
pub enum ConsultationError {
    #[error("{file} is not a saved consultation: {reason}")]
    Invalid { file: String, reason: String },
    #[error("could not read {file}: {reason}")]
    Read { file: String, reason: String },
    #[error(
        "{file} was saved by a newer SMP Studio (format {found}; this one reads up to {FORMAT_VERSION}); update SMP Studio to open it"
    )]
    FutureVersion { file: String, found: u32 },
    #[error(
        "could not save the consultation to {file}: {reason}; the consultation is still open, nothing was lost"
    )]
    Write { file: String, reason: String },
}

impl ConsultationMeta {
    /// Checks every value a render depends on, so a damaged or hostile file is refused with a
    /// sentence instead of rendering forever.
    pub fn validate(&self) -> Result<(), String> {
        let s = &self.settings;
        if Scale::new(s.scale.px_per_mm).is_none() {
            return Err(format!(
                "its scale is {} px/mm; a scale must be between {} and {} px/mm",
                s.scale.px_per_mm,
                Scale::RANGE.start(),
                Scale::RANGE.end()
            ));
        }
        if !(1..=6).contains(&s.session) {
            return Err(format!("it shows session {}; sessions are numbered 1 to 6", s.session));
        }
        if let Stage::Healed { years } = s.stage
            && !(years.is_finite() && (0.0..=50.0).contains(&years))
        {
            return Err(format!("it shows the result {years} years on; give 0 to 50 years"));
        }
        if let Some(mm) = s.photo_sharpness_mm
            && !(0.0..=MAX_PHOTO_SHARPNESS_MM).contains(&mm)
        {
            return Err(format!(
                "it sets the photo's sharpness to {mm} mm; give 0 to {MAX_PHOTO_SHARPNESS_MM} mm"
            ));
        }
        if let Some(preset) = &self.preset_data {
            preset.validate(META_FILE).map_err(|e| e.to_string())?;
        }
        for name in std::iter::once(&self.photo).chain(self.masks.iter().map(|(_, file)| file)) {
            if !is_plain_member(name) {
                return Err(format!("it names the file `{name}`, which is not inside the consultation"));
            }
        }
        Ok(())
    }
}

/// A member name that stays inside the consultation: one plain file name.
fn is_plain_member(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && !name.chars().any(char::is_control)
}

/// Builds a consultation from its saved parts; `read_mask` returns a layer by member name.
pub(crate) fn assemble(
    meta: ConsultationMeta,
    photo: image::RgbImage,
    photo_file: Option<PhotoFile>,
    mut read_mask: impl FnMut(&str) -> Result<image::GrayImage, String>,
) -> Result<Consultation, String> {
    meta.validate()?;
    let mut masks = RegionMasks::new(photo.width(), photo.height());
    for (key, file) in &meta.masks {
        let kind = RegionKind::from_key(key).ok_or_else(|| format!("unknown region `{key}`"))?;
        let gray = read_mask(file)?;
        masks
            .set(kind, Mask::from_gray(gray))
            .map_err(|(w, h)| format!("the {key} layer is {w}×{h}, not the photo's size"))?;
    }
    let preset = match meta.preset_data {
        Some(preset) => preset,
        None => preset::resolve(&meta.preset).map_err(|e| e.to_string())?,
    };
    let (hair, analysis) = super::measure(&photo, meta.settings.scale);
    let calibrated = meta.calibrated.unwrap_or(meta.settings.scale != Scale::DEFAULT);
    Ok(Consultation {
        photo_name: meta.photo_name.unwrap_or(meta.photo),
        photo: Arc::new(photo),
        photo_file,
        hair,
        analysis,
        masks,
        preset,
        settings: meta.settings,
        calibrated,
        show_regions: meta.show_regions.unwrap_or([true; 3]),
        notes: meta.notes,
        hairline_design: meta.hairline_design,
    })
}

impl Consultation {
    /// The text part as it is saved.
    pub fn meta(&self, photo_member: &str) -> ConsultationMeta {
        ConsultationMeta {
            version: FORMAT_VERSION,
            photo: photo_member.into(),
            photo_name: Some(self.photo_name.clone()),
            masks: RegionKind::ALL.iter().map(|k| (k.key().to_owned(), mask_member(*k))).collect(),
            preset: self.preset.name.clone(),
            settings: self.settings,
            preset_data: Some(self.preset.clone()),
            calibrated: Some(self.calibrated),
            show_regions: Some(self.show_regions),
            notes: self.notes.clone(),
            hairline_design: self.hairline_design.clone(),
        }
    }

    /// Saves as one `.smpc` file. The whole file is written beside `path` and renamed into
    /// place: on any failure the file that was there before is left exactly as it was.
    pub fn save(&self, path: &Path) -> Result<(), ConsultationError> {
        let file = path.display().to_string();
        let fail = |reason: String| ConsultationError::Write { file: file.clone(), reason };
        if path.is_dir() {
            return Err(fail("a folder of that name is in the way".into()));
        }
        files::replace(path, |partial| -> std::io::Result<()> {
            let out = std::fs::File::create(partial)?;
            let out = self.write_container(out).map_err(std::io::Error::other)?;
            out.sync_all()
        })
        .map_err(|e| fail(plain_io(&e)))
    }

    /// Writes the container into `out` and hands it back.
    pub fn write_container<W: Write + Seek>(&self, out: W) -> Result<W, String> {
        use zip::write::SimpleFileOptions;
        let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let deflated = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let mut zip = zip::ZipWriter::new(out);
        let err = |e: &dyn std::fmt::Display| e.to_string();
        let (photo_member, photo_bytes) = match &self.photo_file {
            Some(f) => (format!("photo.{}", f.extension), f.bytes.clone()),
            None => ("photo.png".to_owned(), Arc::from(encode_png(&*self.photo)?)),
        };
        let meta = self.meta(&photo_member);
        let text = ron::ser::to_string_pretty(&meta, ron::ser::PrettyConfig::new()).map_err(|e| err(&e))?;
        zip.start_file(META_FILE, deflated).map_err(|e| err(&e))?;
        zip.write_all(text.as_bytes()).map_err(|e| err(&e))?;
        zip.start_file(photo_member.as_str(), stored).map_err(|e| err(&e))?;
        zip.write_all(&photo_bytes).map_err(|e| err(&e))?;
        for kind in RegionKind::ALL {
            let png = encode_png(&self.masks.get(kind).to_gray())?;
            zip.start_file(mask_member(kind), stored).map_err(|e| err(&e))?;
            zip.write_all(&png).map_err(|e| err(&e))?;
        }
        zip.finish().map_err(|e| err(&e))
    }

    /// Opens a saved consultation: a `.smpc` file, or a folder saved by an earlier version.
    pub fn load(path: &Path) -> Result<Consultation, ConsultationError> {
        if path.is_dir() { load_folder(path) } else { load_container(path) }
    }
}

fn mask_member(kind: RegionKind) -> String {
    format!("{}.png", kind.key())
}

/// PNG with fast compression: region layers are long flat runs, which compress well anyway.
fn encode_png<P: image::PixelWithColorType<Subpixel = u8>>(
    image: &image::ImageBuffer<P, Vec<u8>>,
) -> Result<Vec<u8>, String>
where
    [P::Subpixel]: image::EncodableLayout,
{
    use image::ImageEncoder;
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new_with_quality(
        &mut bytes,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    )
    .write_image(image.as_raw(), image.width(), image.height(), P::COLOR_TYPE)
    .map_err(|e| e.to_string())?;
    Ok(bytes)
}

fn extension_of(name: &str) -> String {
    Path::new(name).extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default()
}

/// Reads the RON text and refuses a newer format by name.
fn parse_meta(text: &str, file: &str) -> Result<ConsultationMeta, ConsultationError> {
    #[derive(Deserialize)]
    struct VersionOnly {
        #[serde(default = "first_version")]
        version: u32,
    }
    if let Ok(VersionOnly { version: found }) = ron::de::from_str::<VersionOnly>(text)
        && found > FORMAT_VERSION
    {
        return Err(ConsultationError::FutureVersion { file: file.into(), found });
    }
    ron::de::from_str(text).map_err(|e| ConsultationError::Invalid {
        file: file.into(),
        reason: format!("line {}: {}", e.span.start.line, e.code),
    })
}

fn load_container(path: &Path) -> Result<Consultation, ConsultationError> {
    let file = path.display().to_string();
    let invalid = |reason: String| ConsultationError::Invalid { file: file.clone(), reason };
    let opened = std::fs::File::open(path)
        .map_err(|e| ConsultationError::Read { file: file.clone(), reason: e.to_string() })?;
    let kind = opened
        .metadata()
        .map_err(|e| ConsultationError::Read { file: file.clone(), reason: e.to_string() })?;
    if !kind.is_file() {
        return Err(invalid("it is not a regular file".into()));
    }
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(opened))
        .map_err(|_| invalid(format!("it is not a .{CONSULTATION_EXTENSION} container")))?;
    let mut read_member = |name: &str, limit: u64| -> Result<Vec<u8>, ConsultationError> {
        let member = zip.by_name(name).map_err(|_| invalid(format!("the member `{name}` is missing")))?;
        if !member.is_file() {
            return Err(invalid(format!("the member `{name}` is not a file")));
        }
        if member.size() > limit {
            return Err(invalid(format!("the member `{name}` is larger than {} MB", limit >> 20)));
        }
        let mut bytes = Vec::with_capacity(member.size() as usize);
        member
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| invalid(format!("the member `{name}` is damaged ({e})")))?;
        if bytes.len() as u64 > limit {
            return Err(invalid(format!("the member `{name}` is larger than {} MB", limit >> 20)));
        }
        Ok(bytes)
    };
    let text = read_member(META_FILE, MAX_META_BYTES)?;
    let text = String::from_utf8(text).map_err(|_| invalid(format!("{META_FILE} is not text")))?;
    let meta = parse_meta(&text, &file)?;
    meta.validate().map_err(&invalid)?;
    let photo_bytes: Arc<[u8]> = Arc::from(read_member(&meta.photo, MAX_PHOTO_BYTES)?);
    let photo = photo::decode(&photo_bytes, &meta.photo).map_err(|e| invalid(e.to_string()))?;
    let photo_file = Some(PhotoFile { extension: extension_of(&meta.photo), bytes: photo_bytes });
    let mut masks = Vec::new();
    for (_, name) in &meta.masks {
        masks.push((name.clone(), read_member(name, MAX_MASK_BYTES)?));
    }
    assemble(meta, photo, photo_file, |name| {
        let bytes = masks.iter().find(|(n, _)| n == name).map(|(_, b)| b).ok_or("missing layer")?;
        decode_mask(bytes, name)
    })
    .map_err(invalid)
}

fn decode_mask(bytes: &[u8], name: &str) -> Result<image::GrayImage, String> {
    image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
        .map(|i| i.into_luma8())
        .map_err(|e| format!("the layer {name} is damaged ({e})"))
}

/// Opens a consultation folder saved by an earlier version.
fn load_folder(dir: &Path) -> Result<Consultation, ConsultationError> {
    let meta_path = dir.join(META_FILE);
    let file = meta_path.display().to_string();
    let text = std::fs::read_to_string(&meta_path)
        .map_err(|e| ConsultationError::Read { file: file.clone(), reason: plain_io(&e) })?;
    let meta = parse_meta(&text, &file)?;
    let invalid = |reason: String| ConsultationError::Invalid { file: file.clone(), reason };
    meta.validate().map_err(&invalid)?;
    let member = |name: &str| -> Result<Vec<u8>, String> {
        let path = dir.join(name);
        let kind = std::fs::symlink_metadata(&path).map_err(|e| format!("{name}: {}", plain_io(&e)))?;
        if !kind.is_file() {
            return Err(format!("{name} is not a regular file"));
        }
        std::fs::read(&path).map_err(|e| format!("{name}: {}", plain_io(&e)))
    };
    let photo_bytes: Arc<[u8]> = Arc::from(member(&meta.photo).map_err(&invalid)?);
    let photo = photo::decode(&photo_bytes, &meta.photo).map_err(|e| invalid(e.to_string()))?;
    let photo_file = Some(PhotoFile { extension: extension_of(&meta.photo), bytes: photo_bytes });
    let mut consultation =
        assemble(meta, photo, photo_file, |name| decode_mask(&member(name)?, name)).map_err(invalid)?;
    if consultation.photo_name == "photo.png" {
        // Folders named the photo by the folder.
        if let Some(name) = dir.file_name() {
            consultation.photo_name = name.to_string_lossy().into_owned();
        }
    }
    Ok(consultation)
}

/// An I/O error as one sentence, without the OS error number.
fn plain_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::brush::{Brush, BrushMode, stroke};
    use image::RgbImage;

    fn temp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("smp-consultation-{}-{name}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn painted(preset: usize) -> Consultation {
        let photo =
            RgbImage::from_fn(120, 80, |x, y| image::Rgb([180 + (x % 9) as u8, 140, 120 + (y % 7) as u8]));
        let mut c = Consultation::new("p.jpg".into(), photo, preset::bundled().remove(preset));
        let brush = Brush { radius_px: 9.0, hardness: 0.3, mode: BrushMode::Paint };
        stroke(&brush, c.masks.get_mut(RegionKind::Scar), &[(10.0, 10.0), (100.0, 60.0)]);
        c
    }

    #[test]
    fn a_saved_consultation_reopens_exactly() {
        let dir = temp("reopen");
        let path = dir.join("visit.smpc");
        let mut c = painted(2);
        c.settings.session = 2;
        c.preset.dots.darkness = 0.55;
        c.set_scale(Scale::new(7.5).unwrap(), true);
        c.show_regions = [true, false, true];
        c.settings.photo_sharpness_mm = Some(0.18);
        c.notes = PatientNotes { label: "A. B.".into(), date: "2026-11-29".into(), notes: "crown".into() };
        c.save(&path).unwrap();
        let back = Consultation::load(&path).unwrap();
        assert_eq!(*back.photo, *c.photo);
        assert_eq!(back.photo_name, "p.jpg");
        assert_eq!(back.masks, c.masks);
        assert_eq!(back.preset, c.preset, "an edited preset must come back as edited");
        assert_eq!(back.settings, c.settings);
        assert!(back.calibrated, "a measured scale must stay measured");
        assert_eq!(back.show_regions, c.show_regions);
        assert_eq!(back.notes, c.notes);
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("visit.smpc")], "nothing but the file is left");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn an_assumed_scale_stays_assumed() {
        let dir = temp("assumed");
        let path = dir.join("visit.smpc");
        painted(0).save(&path).unwrap();
        assert!(!Consultation::load(&path).unwrap().calibrated);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn the_photo_is_kept_byte_for_byte() {
        let dir = temp("bytes");
        let path = dir.join("visit.smpc");
        let photo = RgbImage::from_fn(64, 48, |x, y| image::Rgb([(x * 3) as u8, (y * 5) as u8, 90]));
        let mut jpeg = Vec::new();
        photo.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80)).unwrap();
        let decoded = photo::decode(&jpeg, "cam.jpg").unwrap();
        let c = Consultation::new("cam.jpg".into(), decoded.clone(), Preset::default())
            .with_photo_file(Arc::from(jpeg.clone()), "JPG");
        c.save(&path).unwrap();
        let back = Consultation::load(&path).unwrap();
        assert_eq!(back.photo_file.as_ref().map(|f| &*f.bytes), Some(&jpeg[..]));
        assert_eq!(*back.photo, decoded);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_failed_save_leaves_the_previous_file_byte_identical() {
        let dir = temp("failed");
        let path = dir.join("visit.smpc");
        painted(0).save(&path).unwrap();
        let before = std::fs::read(&path).unwrap();
        // A partial file that cannot be created (a folder sits where it would go) stands in
        // for a full disk part-way through.
        std::fs::create_dir_all(dir.join("visit.smpc.partial/x")).unwrap();
        let err = painted(3).save(&path).unwrap_err();
        assert!(err.to_string().contains("nothing was lost"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn an_old_folder_still_opens() {
        let dir = temp("folder");
        let folder = dir.join("visit.smp");
        std::fs::create_dir_all(&folder).unwrap();
        let c = painted(1);
        c.photo.save(folder.join("photo.png")).unwrap();
        for kind in RegionKind::ALL {
            c.masks.get(kind).to_gray().save(folder.join(mask_member(kind))).unwrap();
        }
        let text = "(photo: \"photo.png\", masks: [(\"hairline\", \"hairline.png\"), (\"bald\", \"bald.png\"), \
                    (\"scar\", \"scar.png\")], preset: \"x\", settings: (scale: (px_per_mm: 12.0), seed: 3, \
                    session: 2, stage: Healed(years: 1.0)), preset_data: None)";
        std::fs::write(folder.join(META_FILE), text).unwrap();
        let err = Consultation::load(&folder).unwrap_err();
        assert!(err.to_string().contains("matches no bundled preset"), "{err}");
        let name = &preset::bundled()[1].name;
        std::fs::write(folder.join(META_FILE), text.replace("\"x\"", &format!("{name:?}"))).unwrap();
        let back = Consultation::load(&folder).unwrap();
        assert_eq!(back.masks, c.masks);
        assert_eq!(back.photo_name, "visit.smp");
        assert!(back.calibrated, "12 px/mm can only have been measured");
        assert_eq!(back.settings.seed, 3);
        assert_eq!(back.settings.photo_sharpness_mm, None, "older files use the photo's own estimate");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn damaged_and_hostile_files_get_a_sentence() {
        let dir = temp("hostile");
        let err = Consultation::load(&dir.join("missing.smpc")).unwrap_err();
        assert!(err.to_string().starts_with("could not read"), "{err}");
        std::fs::write(dir.join("text.smpc"), "hello").unwrap();
        let err = Consultation::load(&dir.join("text.smpc")).unwrap_err();
        assert!(err.to_string().contains("not a .smpc container"), "{err}");

        let path = dir.join("visit.smpc");
        painted(0).save(&path).unwrap();
        let rewrite = |edit: &dyn Fn(String) -> String| {
            let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
            let mut text = String::new();
            zip.by_name(META_FILE).unwrap().read_to_string(&mut text).unwrap();
            let out = std::io::Cursor::new(Vec::new());
            let mut writer = zip::ZipWriter::new(out);
            for i in 0..zip.len() {
                let mut member = zip.by_index(i).unwrap();
                let name = member.name().unwrap().into_owned();
                writer.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
                if name == META_FILE {
                    writer.write_all(edit(text.clone()).as_bytes()).unwrap();
                } else {
                    std::io::copy(&mut member, &mut writer).unwrap();
                }
            }
            let bytes = writer.finish().unwrap().into_inner();
            let hostile = dir.join("hostile.smpc");
            std::fs::write(&hostile, bytes).unwrap();
            Consultation::load(&hostile).unwrap_err().to_string()
        };
        let err = rewrite(&|t| t.replace("px_per_mm: 10.0", "px_per_mm: 0.001"));
        assert!(err.contains("scale must be between"), "{err}");
        let err = rewrite(&|t| t.replace("px_per_mm: 10.0", "px_per_mm: NaN"));
        assert!(err.contains("scale"), "{err}");
        let err = rewrite(&|t| t.replace("photo: \"photo.png\"", "photo: \"../../other_patient.png\""));
        assert!(err.contains("not inside the consultation"), "{err}");
        let err = rewrite(&|t| t.replace("version: 2", "version: 99"));
        assert!(err.contains("newer SMP Studio"), "{err}");
        let err = rewrite(&|t| t.replace("session: 3", "session: 0"));
        assert!(err.contains("session 0"), "{err}");
        let err = rewrite(&|t| t.replace("photo_sharpness_mm: None", "photo_sharpness_mm: Some(-3.0)"));
        assert!(err.contains("sharpness to -3 mm"), "{err}");
        let err = rewrite(&|t| t.replace("dot_diameter_mm: 0.26", "dot_diameter_mm: 1000.0"));
        assert!(err.contains("dots.dot_diameter_mm"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
