//! The saved consultation: one `.smpc` file, a zip container holding the photo as it came from
//! the camera, each region layer as a PNG and the rest as readable RON (`consultation.ron`).
//!
//! A save writes the whole container beside the old file and renames it into place, so a full
//! disk or a crash leaves either the old consultation or the new one, never a mixture. Folders
//! written by earlier versions (`visit.smp/` with the same members as files) still open.

use super::{Consultation, PhotoFile};
use crate::engine::design::{DEPTH_MM, HairlineDesign};
use crate::engine::files;
use crate::engine::mask::{Mask, RegionKind, RegionMasks};
use crate::engine::os_error;
use crate::engine::photo;
use crate::engine::preset::{self, Preset};
use crate::engine::sim::{MAX_PHOTO_SHARPNESS_MM, SimSettings, Stage};
use crate::engine::units::Scale;
use serde::{Deserialize, Serialize};
use std::io::{Seek, Write};
use std::path::Path;
use std::sync::Arc;

/// File extension of a saved consultation.
pub const CONSULTATION_EXTENSION: &str = "smpc";

/// Whether a path given to open is a consultation (a `.smpc` file, or a folder as older versions
/// saved) rather than a photo.
pub fn is_consultation_path(path: &std::path::Path) -> bool {
    path.is_dir() || path.extension().is_some_and(|e| e.eq_ignore_ascii_case(CONSULTATION_EXTENSION))
}
/// The text member of a saved consultation.
pub const META_FILE: &str = "consultation.ron";
/// The newest consultation format this build reads and writes (1 was the folder format).
const FORMAT_VERSION: u32 = 2;
/// Most handles a designed hairline has; the designer places a dozen or so.
const MAX_DESIGN_HANDLES: usize = 200;
/// Farthest a design's point may lie from the photo's corner, in pixels: far beyond any photo,
/// near enough that the curve's arithmetic stays exact.
const MAX_DESIGN_COORDINATE: f32 = 1e6;
/// Longest piece of the file's own text quoted back in a message.
const QUOTE_CHARS: usize = 80;

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

impl PatientNotes {
    /// Longest patient label, in characters: a name or a reference, printed on one line.
    pub const MAX_LABEL_CHARS: usize = 200;
    /// Longest date, in characters.
    pub const MAX_DATE_CHARS: usize = 60;
    /// Longest notes, in characters: about eight printed pages.
    pub const MAX_NOTES_CHARS: usize = 20_000;

    /// Whether each field is within its length, said as a clause about the consultation.
    pub fn check(&self) -> Result<(), String> {
        for (what, text, max) in [
            ("patient label is", &self.label, Self::MAX_LABEL_CHARS),
            ("date is", &self.date, Self::MAX_DATE_CHARS),
            ("notes are", &self.notes, Self::MAX_NOTES_CHARS),
        ] {
            let chars = text.chars().count();
            if chars > max {
                return Err(format!(
                    "its {what} {chars} characters long, and SMP Studio keeps at most {max}"
                ));
            }
        }
        Ok(())
    }

    /// Today's date as `2026-11-29` (UTC): the date a new consultation starts with.
    pub fn today() -> String {
        let seconds =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        iso_date((seconds / 86_400) as i64)
    }
}

/// The civil date of a day counted from 1970-01-01, as `YYYY-MM-DD`.
pub fn iso_date(days: i64) -> String {
    // Days to year, month and day in the proleptic Gregorian calendar, by 400-year eras.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod date_tests {
    #[test]
    fn days_become_calendar_dates() {
        assert_eq!(super::iso_date(0), "1970-01-01");
        assert_eq!(super::iso_date(11_016), "2000-02-29");
        assert_eq!(super::iso_date(20_786), "2026-11-29");
        assert_eq!(super::iso_date(-1), "1969-12-31");
    }
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

/// What went wrong opening or saving a consultation, as one sentence each.
#[derive(Debug, thiserror::Error)]
pub enum ConsultationError {
    /// Not a consultation at all: another kind of file, or a container without the metadata.
    #[error("{file} is not a saved consultation ({reason}); choose a .smpc file saved by SMP Studio")]
    NotAConsultation { file: String, reason: String },
    /// A consultation whose parts are missing, damaged or hold values SMP Studio never writes.
    #[error("{file} is damaged and cannot be opened: {reason}; open a backup copy if there is one")]
    Damaged { file: String, reason: String },
    #[error("could not read {file}: {reason}")]
    Read { file: String, reason: String },
    #[error(
        "{file} was saved by a newer SMP Studio (format {found}; this one reads up to {FORMAT_VERSION}); update SMP Studio to open it"
    )]
    FutureVersion { file: String, found: u32 },
    /// The photo is larger than the working size: its regions were painted at full size, so it
    /// cannot be reduced the way a newly opened photo is.
    #[error(
        "the photo in {file} is {width}×{height} pixels, more than SMP Studio works with now; set {}={megapixels} to open it",
        photo::MAX_MEGAPIXELS_VAR
    )]
    PhotoTooLarge { file: String, width: u32, height: u32, megapixels: u64 },
    /// A photo limit, with the setting that raises it.
    #[error(transparent)]
    Photo(photo::PhotoError),
    #[error(
        "could not save the consultation to {file}: {reason}; the consultation is still open, nothing was lost"
    )]
    Write { file: String, reason: String },
}

impl ConsultationMeta {
    /// Checks every value a render depends on, so a damaged or hostile file is refused with a
    /// sentence instead of rendering forever; the preset is checked by the presets' own
    /// limits table. The reason is a clause: "its scale is 0 px/mm; …".
    pub fn validate(&self) -> Result<(), String> {
        let s = &self.settings;
        if Scale::new(s.scale.px_per_mm).is_none() {
            return Err(format!(
                "its scale is {} px/mm, and a scale must be between {} and {} px/mm",
                s.scale.px_per_mm,
                Scale::RANGE.start(),
                Scale::RANGE.end()
            ));
        }
        if !(1..=6).contains(&s.session) {
            return Err(format!("it shows session {}, and sessions are numbered 1 to 6", s.session));
        }
        if let Stage::Healed { years } = s.stage
            && !(years.is_finite() && (0.0..=50.0).contains(&years))
        {
            return Err(format!("it shows the result {years} years on, and only 0 to 50 years can be shown"));
        }
        if let Some(mm) = s.photo_sharpness_mm
            && !(0.0..=MAX_PHOTO_SHARPNESS_MM).contains(&mm)
        {
            return Err(format!(
                "it sets the photo's sharpness to {mm} mm; give 0 to {MAX_PHOTO_SHARPNESS_MM} mm"
            ));
        }
        if let Some(preset) = &self.preset_data {
            preset.validate(META_FILE).map_err(|e| match e {
                preset::PresetError::Invalid { field, message, .. } => {
                    format!("its preset's field `{field}` {message}")
                }
                other => other.to_string(),
            })?;
        }
        for name in std::iter::once(&self.photo).chain(self.masks.iter().map(|(_, file)| file)) {
            if !is_plain_member(name) {
                return Err(format!(
                    "it names the file “{}”, which is not inside the consultation",
                    quote(name)
                ));
            }
        }
        if self.masks.len() > RegionKind::ALL.len() {
            return Err(format!(
                "it lists {} region layers, and a consultation has at most 3",
                self.masks.len()
            ));
        }
        for (i, (key, _)) in self.masks.iter().enumerate() {
            if RegionKind::from_key(key).is_none() {
                return Err(format!(
                    "it has a region “{}”; the regions are hairline, bald and scar",
                    quote(key)
                ));
            }
            if self.masks[..i].iter().any(|(k, _)| k == key) {
                return Err(format!("it lists the {key} region twice"));
            }
        }
        if self.preset_data.is_none() && !is_plain_member(&self.preset) {
            return Err(format!(
                "it names the preset file “{}”, which is not inside the consultation",
                quote(&self.preset)
            ));
        }
        if let Some(design) = &self.hairline_design {
            validate_design(design)?;
        }
        if let crate::engine::head::OutlineChoice::Set(ellipse) = &s.head {
            ellipse.check().map_err(|e| format!("its head outline is not one SMP Studio draws: {e}"))?;
        }
        if let Some(preset) = &self.preset_data
            && s.session > preset.session_count()
        {
            return Err(format!(
                "it shows session {}, and its preset plans sessions 1 to {}",
                s.session,
                preset.session_count()
            ));
        }
        self.notes.check()?;
        Ok(())
    }
}

/// The designed hairline is drawn every frame and filled on every edit: its size and numbers
/// must be ones the designer can make.
fn validate_design(design: &HairlineDesign) -> Result<(), String> {
    if design.handles.len() > MAX_DESIGN_HANDLES {
        return Err(format!(
            "its hairline design has {} handles, and a design has at most {MAX_DESIGN_HANDLES}",
            design.handles.len()
        ));
    }
    let near = |v: f32| v.is_finite() && v.abs() <= MAX_DESIGN_COORDINATE;
    if !design.handles.iter().chain(design.glabella.iter()).flatten().all(|&v| near(v)) {
        return Err("its hairline design has a point far outside the photo".into());
    }
    if !(design.depth_mm.is_finite() && DEPTH_MM.contains(&design.depth_mm)) {
        return Err(format!(
            "its hairline design reaches {} mm deep, and a design reaches {} to {} mm",
            design.depth_mm,
            DEPTH_MM.start(),
            DEPTH_MM.end()
        ));
    }
    if !near(design.axis_deg) {
        return Err(format!("its hairline design's axis is at {}°", design.axis_deg));
    }
    Ok(())
}

/// A piece of the file's own text, short and without control characters, to quote back.
fn quote(text: &str) -> String {
    let mut out: String =
        text.chars().take(QUOTE_CHARS).map(|c| if c.is_control() { '\u{fffd}' } else { c }).collect();
    if text.chars().nth(QUOTE_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// A member name that stays inside the consultation: one plain file name, on any system.
fn is_plain_member(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', ':', '\0'])
        && !name.chars().any(char::is_control)
}

/// The photo's own name as shown and used to name exports: its last part only, without
/// control characters, so a file cannot name a path elsewhere.
fn plain_photo_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last.chars().filter(|c| !c.is_control()).take(255).collect();
    if clean.is_empty() || clean == "." || clean == ".." { "photo".into() } else { clean }
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
        let kind = RegionKind::from_key(key).ok_or_else(|| format!("it has a region “{}”", quote(key)))?;
        let gray = read_mask(file)?;
        masks.set(kind, Mask::from_gray(gray)).map_err(|(w, h)| {
            format!(
                "its region layer `{file}` is {w}×{h} pixels but the photo is {}×{}",
                photo.width(),
                photo.height()
            )
        })?;
    }
    let preset = match meta.preset_data {
        Some(preset) => preset,
        None => bundled_preset(&meta.preset)?,
    };
    let (hair, analysis) = super::measure(&photo, meta.settings.scale);
    let calibrated = meta.calibrated.unwrap_or(meta.settings.scale != Scale::DEFAULT);
    Ok(Consultation {
        photo_name: plain_photo_name(meta.photo_name.as_deref().unwrap_or(&meta.photo)),
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

/// A consultation that does not keep its preset names a bundled one; it never names a file.
fn bundled_preset(name: &str) -> Result<Preset, String> {
    let wanted = name.trim().to_lowercase();
    preset::bundled().into_iter().find(|p| p.name.to_lowercase() == wanted).ok_or_else(|| {
        format!("it does not hold its preset, and “{}” matches no preset SMP Studio comes with", quote(name))
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
        files::replace(path, |file| -> std::io::Result<()> {
            self.write_container(file).map(drop).map_err(std::io::Error::other)
        })
        .map_err(|e| fail(os_error::describe(&e)))
    }

    /// Writes the container into `out` and hands it back.
    pub fn write_container<W: Write + Seek>(&self, out: W) -> Result<W, String> {
        use zip::write::SimpleFileOptions;
        let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let deflated = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let mut zip = zip::ZipWriter::new(out);
        let err = |e: &dyn std::fmt::Display| e.to_string();
        let (photo_member, photo_bytes) = match &self.photo_file {
            Some(f) => (photo_member(&f.extension), f.bytes.clone()),
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
}

/// The photo's member: `photo.` and the photo's extension, where that is a plain one (any
/// name a camera gives), so the saved name always passes [`is_plain_member`].
fn photo_member(extension: &str) -> String {
    let plain = (1..=8).contains(&extension.len()) && extension.chars().all(|c| c.is_ascii_alphanumeric());
    format!("photo.{}", if plain { extension } else { "img" })
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

/// Reads the RON text and refuses a newer format by name.
pub(super) fn parse_meta(text: &str, file: &str) -> Result<ConsultationMeta, ConsultationError> {
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
    ron::de::from_str(text).map_err(|e| {
        let (at, end) = (e.span.start, e.span.end);
        // An error reaching past the last character: the text was cut short, whatever was
        // expected there.
        let rest =
            text.lines().nth(end.line.saturating_sub(1)).map(|l| l.chars().skip(end.col.saturating_sub(1)));
        let cut = text.lines().skip(end.line).all(|l| l.trim().is_empty())
            && rest.is_none_or(|mut rest| rest.all(char::is_whitespace));
        let message = if cut { "the text ends too early".to_owned() } else { ron_message(&e.code) };
        ConsultationError::Damaged {
            file: file.into(),
            reason: format!("line {} of its {META_FILE}: {message}", at.line),
        }
    })
}

/// A RON error in words for a person: no advice meant for programmers, no long quotes.
fn ron_message(code: &ron::error::Error) -> String {
    use ron::error::Error;
    match code {
        Error::ExceededRecursionLimit => "brackets are nested too deeply".to_owned(),
        Error::Eof => "the text ends too early".to_owned(),
        other => {
            let text = quote(&other.to_string());
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => "the text is not understood".to_owned(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::brush::{Brush, BrushMode, stroke};
    use image::RgbImage;
    use std::io::Read;

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
        c.settings.head = crate::engine::head::OutlineChoice::Set(crate::engine::head::HeadEllipse {
            centre_x: 40.5,
            centre_y: 30.25,
            radius_x: 35.0,
            radius_y: 28.0,
            angle_deg: -12.5,
        });
        c.notes = PatientNotes { label: "A. B.".into(), date: "2026-11-29".into(), notes: "crown".into() };
        c.save(&path).unwrap();
        let back = Consultation::load(&path).unwrap();
        assert_eq!(*back.photo, *c.photo);
        assert_eq!(back.photo_name, "p.jpg");
        assert_eq!(back.masks, c.masks);
        assert_eq!(back.preset, c.preset, "an edited preset must come back as edited");
        assert_eq!(back.settings, c.settings, "settings, the head outline set by hand among them");
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
        // The disk fills up part-way through the new file.
        crate::engine::files::fill_disk_for_tests(Some(4096));
        let err = painted(3).save(&path).unwrap_err();
        crate::engine::files::fill_disk_for_tests(None);
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
        assert!(err.to_string().contains("matches no preset SMP Studio comes with"), "{err}");
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
        assert!(err.to_string().contains("it is not a .smpc file"), "{err}");

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
        let err = rewrite(&|t| t.replace("dot_diameter_mm: 0.31", "dot_diameter_mm: 1000.0"));
        assert!(err.contains("dots.dot_diameter_mm"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
