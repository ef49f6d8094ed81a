//! The one-page PDF report: photo and simulation, the plan, what the preset does, the notes the
//! clinician chose to print, and the disclaimer. Text stays text (searchable, selectable) in
//! the bundled Inter, embedded as a subset; pictures are JPEGs encoded here from pixels, so no
//! metadata from the photo's file reaches the report, and the document's own metadata names no
//! patient.

use super::text::{Fonts, Weight, fonts};
use super::words::{self, CaptionOptions};
use super::{HandoutError, Progress, simulate};
use crate::engine::consultation::Consultation;
use crate::engine::export::{ExportOptions, ImageFormat, encode, scale};
use crate::engine::files;
use image::RgbImage;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::{Data, Document, metadata::Metadata};
use std::path::Path;

/// Paper sizes, in points (1/72 inch).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageSize {
    A4,
    Letter,
}

impl PageSize {
    fn points(self) -> (f32, f32) {
        match self {
            PageSize::A4 => (595.28, 841.89),
            PageSize::Letter => (612.0, 792.0),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReportOptions {
    pub caption: CaptionOptions,
    pub page: PageSize,
}

impl ReportOptions {
    pub fn new(caption: CaptionOptions) -> ReportOptions {
        ReportOptions { caption, page: PageSize::A4 }
    }
}

const MARGIN: f32 = 50.0;
const GAP: f32 = 16.0;
/// Pictures are stored at this many pixels per inch of the page: sharp on paper, small in file.
const IMAGE_PPI: f32 = 300.0;
/// JPEG quality of the pictures.
const IMAGE_QUALITY: u8 = 90;

type Color = (u8, u8, u8);
const INK: Color = (36, 39, 44);
const MUTED: Color = (104, 109, 117);
const RULE: Color = (214, 210, 203);

/// The report's bytes.
pub fn report(
    consultation: &Consultation,
    options: &ReportOptions,
    progress: Progress,
) -> Result<Vec<u8>, HandoutError> {
    progress.step(0.0)?;
    let fonts = fonts()?;
    let simulated = simulate(consultation);
    progress.step(0.75)?;

    let (page_w, page_h) = options.page.points();
    let content_w = page_w - 2.0 * MARGIN;
    let picture_w = (content_w - GAP) / 2.0;
    let right_x = MARGIN + picture_w + GAP;
    let photo = &*consultation.photo;
    let aspect = photo.height().max(1) as f32 / photo.width().max(1) as f32;
    let picture_h = (picture_w * aspect).min(300.0);
    let picture_w_shown = picture_h / aspect;
    let pixels_w = ((picture_w_shown / 72.0 * IMAGE_PPI).round() as u32).clamp(1, photo.width().max(1));
    let pixels_h = ((pixels_w as f32 * aspect).round() as u32).max(1);
    let before = jpeg(&scale(photo, pixels_w, pixels_h))?;
    let after = jpeg(&scale(&simulated.render.image, pixels_w, pixels_h))?;
    progress.step(0.9)?;

    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title("Scalp micropigmentation simulation".into())
            .creator("SMP Studio".into())
            .language("en".into()),
    );
    let page_settings =
        PageSettings::from_wh(page_w, page_h).ok_or_else(|| HandoutError::Pdf("bad page size".into()))?;
    let mut page = document.start_page_with(page_settings);
    let mut surface = page.surface();
    let mut pen = Pen::new(&mut surface, fonts)?;
    let caption = &options.caption;
    let preset = &consultation.preset;
    let settings = consultation.settings;

    // Heading: what this is, for whom and when.
    let mut y = MARGIN + 20.0;
    let title = pen.fit(Weight::SemiBold, "Your scalp micropigmentation simulation", 20.0, content_w);
    pen.text(Weight::SemiBold, &title, MARGIN, y, 20.0, INK);
    y += 22.0;
    let subtitle = format!(
        "{}  ·  {}",
        preset.name,
        words::session_and_stage(settings.session, preset.session_count(), settings.stage)
    );
    // The date and patient sit beside the subtitle where both fit whole; otherwise on a line of
    // their own, so that neither is cut.
    let who = caption.who_and_when();
    let beside = who.as_ref().is_none_or(|who| {
        pen.width(Weight::Regular, &subtitle, 11.0) + 24.0 + pen.width(Weight::Regular, who, 11.0)
            <= content_w
    });
    let subtitle = pen.fit(Weight::Regular, &subtitle, 11.0, content_w);
    pen.text(Weight::Regular, &subtitle, MARGIN, y, 11.0, MUTED);
    if let Some(who) = &who {
        if !beside {
            y += 15.0;
        }
        let who = pen.fit(Weight::Regular, who, 11.0, content_w);
        pen.text_right(Weight::Regular, &who, page_w - MARGIN, y, 11.0, INK);
    }
    y += 15.0;
    pen.rule(MARGIN, y, content_w);

    // The two pictures, labelled.
    y += 26.0;
    let offset = (picture_w - picture_w_shown) / 2.0;
    pen.text(Weight::SemiBold, "Before", MARGIN + offset, y, 11.0, INK);
    let end = pen.text(Weight::SemiBold, "Simulation", right_x + offset, y, 11.0, INK);
    pen.text(Weight::Regular, &words::stage(settings.stage), end + 8.0, y, 11.0, MUTED);
    y += 9.0;
    pen.picture(before, MARGIN + offset, y, picture_w_shown, picture_h)?;
    pen.picture(after, right_x + offset, y, picture_w_shown, picture_h)?;
    y += picture_h + 34.0;

    // Two columns under the two pictures: the plan, and what the preset does.
    let column_w = picture_w;
    let mut left_y = y;
    if caption.plan {
        pen.text(Weight::SemiBold, "Your treatment plan", MARGIN, left_y, 13.0, INK);
        left_y += 22.0;
        let plan = &simulated.plan;
        let mut rows = words::plan_rows(plan, caption.impressions_per_hour);
        let area = rows.remove(0);
        left_y = pen.rows(&[area], MARGIN, left_y, column_w, 100.0);
        let regions = words::region_rows(plan);
        if regions.len() > 1 {
            left_y = pen.rows(&regions, MARGIN + 10.0, left_y, column_w - 10.0, 90.0);
        }
        rows.truncate(2);
        left_y = pen.rows(&rows, MARGIN, left_y + 4.0, column_w, 100.0);
        left_y = pen.rows(
            &words::session_rows(plan, caption.impressions_per_hour),
            MARGIN,
            left_y,
            column_w,
            100.0,
        );
    }
    let mut right_y = y;
    pen.text(Weight::SemiBold, "The approach", right_x, right_y, 13.0, INK);
    right_y += 22.0;
    let name = pen.fit(Weight::SemiBold, &preset.name, 10.5, column_w);
    pen.text(Weight::SemiBold, &name, right_x, right_y, 10.5, INK);
    right_y += 16.0;
    if !preset.description.trim().is_empty() {
        for line in pen.wrap(Weight::Regular, &preset.description, 10.0, column_w).iter().take(5) {
            pen.text(Weight::Regular, line, right_x, right_y, 10.0, MUTED);
            right_y += 14.5;
        }
        right_y += 6.0;
    }
    right_y = pen.rows(&words::preset_rows(preset, &simulated.plan), right_x, right_y, column_w, 76.0);
    y = left_y.max(right_y) + 20.0;

    // Notes, as far as the page allows; then the disclaimer at the foot of the page.
    let footer_top = page_h - MARGIN - 38.0;
    if let Some(notes) = caption.notes.as_deref().filter(|n| !n.trim().is_empty()) {
        pen.text(Weight::SemiBold, "Notes", MARGIN, y, 13.0, INK);
        y += 20.0;
        let lines = pen.wrap(Weight::Regular, notes, 10.5, content_w);
        let room = ((footer_top - 14.0 - y) / 15.5).floor().max(0.0) as usize;
        for (i, line) in lines.iter().enumerate().take(room) {
            let line = if i + 1 == room && lines.len() > room {
                pen.fit(Weight::Regular, &format!("{line} …"), 10.5, content_w)
            } else {
                line.clone()
            };
            pen.text(Weight::Regular, &line, MARGIN, y, 10.5, INK);
            y += 15.5;
        }
    }
    if caption.disclaimer {
        pen.rule(MARGIN, footer_top, content_w);
        pen.text(Weight::SemiBold, words::DISCLAIMER, MARGIN, footer_top + 19.0, 11.0, INK);
        pen.text(Weight::Regular, words::DISCLAIMER_DETAIL, MARGIN, footer_top + 34.0, 9.5, MUTED);
    }
    drop(pen);
    surface.finish();
    page.finish();
    let bytes = document.finish().map_err(|e| HandoutError::Pdf(e.to_string()))?;
    progress.step(1.0)?;
    Ok(bytes)
}

/// Makes the report and writes it to `path` whole (or not at all).
pub fn write_report(
    consultation: &Consultation,
    options: &ReportOptions,
    path: &Path,
    progress: Progress,
) -> Result<(), HandoutError> {
    let bytes = report(consultation, options, progress)?;
    let file = path.display().to_string();
    files::replace_with_bytes(path, &bytes)
        .map_err(|e| HandoutError::Write { file, reason: crate::engine::os_error::describe(&e) })
}

fn jpeg(image: &RgbImage) -> Result<Vec<u8>, HandoutError> {
    let options =
        ExportOptions { format: ImageFormat::Jpeg, jpeg_quality: IMAGE_QUALITY, ..ExportOptions::default() };
    encode(image, &options).map_err(|e| HandoutError::Pdf(e.to_string()))
}

/// Draws on the page in points from the top-left corner.
struct Pen<'s, 'p> {
    surface: &'s mut Surface<'p>,
    fonts: &'static Fonts,
    regular: Font,
    semibold: Font,
}

impl<'s, 'p> Pen<'s, 'p> {
    fn new(surface: &'s mut Surface<'p>, fonts: &'static Fonts) -> Result<Self, HandoutError> {
        let load = |weight| Font::new(Data::from(fonts.face(weight).data()), 0).ok_or(HandoutError::Font);
        Ok(Pen { surface, fonts, regular: load(Weight::Regular)?, semibold: load(Weight::SemiBold)? })
    }

    fn fill(&mut self, color: Color) {
        self.surface.set_fill(Some(Fill {
            paint: rgb::Color::new(color.0, color.1, color.2).into(),
            opacity: NormalizedF32::ONE,
            rule: FillRule::default(),
        }));
    }

    fn width(&self, weight: Weight, text: &str, size: f32) -> f32 {
        self.fonts.face(weight).width(text, size)
    }

    fn fit(&self, weight: Weight, text: &str, size: f32, max_width: f32) -> String {
        self.fonts.face(weight).fit(text, size, max_width)
    }

    fn wrap(&self, weight: Weight, text: &str, size: f32, max_width: f32) -> Vec<String> {
        self.fonts.face(weight).wrap(text, size, max_width)
    }

    /// Text from `x` on the baseline `y`; returns where it ends.
    fn text(&mut self, weight: Weight, text: &str, x: f32, y: f32, size: f32, color: Color) -> f32 {
        self.fill(color);
        let font = match weight {
            Weight::Regular => self.regular.clone(),
            Weight::SemiBold => self.semibold.clone(),
        };
        self.surface.draw_text(Point::from_xy(x, y), font, size, text, false, TextDirection::Auto);
        x + self.width(weight, text, size)
    }

    fn text_right(&mut self, weight: Weight, text: &str, right: f32, y: f32, size: f32, color: Color) {
        let x = right - self.width(weight, text, size);
        self.text(weight, text, x, y, size, color);
    }

    /// A hairline rule `w` long.
    fn rule(&mut self, x: f32, y: f32, w: f32) {
        let mut path = PathBuilder::new();
        if let Some(rect) = Rect::from_xywh(x, y, w, 0.6) {
            path.push_rect(rect);
        }
        if let Some(path) = path.finish() {
            self.fill(RULE);
            self.surface.draw_path(&path);
        }
    }

    fn picture(&mut self, jpeg: Vec<u8>, x: f32, y: f32, w: f32, h: f32) -> Result<(), HandoutError> {
        let image = Image::from_jpeg(Data::from(jpeg), true).map_err(HandoutError::Pdf)?;
        let size = Size::from_wh(w, h).ok_or_else(|| HandoutError::Pdf("a picture has no size".into()))?;
        self.surface.push_transform(&Transform::from_translate(x, y));
        self.surface.draw_image(image, size);
        self.surface.pop();
        Ok(())
    }

    /// Label and value rows, values wrapped in their column; returns the y under the last.
    fn rows(&mut self, rows: &[(String, String)], x: f32, mut y: f32, w: f32, label_w: f32) -> f32 {
        const SIZE: f32 = 10.5;
        const LINE: f32 = 16.0;
        for (label, value) in rows {
            self.text(Weight::Regular, label, x, y, SIZE, MUTED);
            let lines = self.wrap(Weight::Regular, value, SIZE, w - label_w);
            if lines.is_empty() {
                y += LINE;
            }
            for line in lines {
                self.text(Weight::Regular, &line, x + label_w, y, SIZE, INK);
                y += LINE;
            }
        }
        y
    }
}
