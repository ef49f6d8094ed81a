//! Sheets: several pictures of the same photo on one image, each labelled, with a caption strip
//! under them — preset, session and stage, date and patient label, plan figures — and the
//! disclaimer.
//!
//! Every length is in thousandths of the sheet's width, so a sheet looks the same at any size.

use super::canvas::{Canvas, INK, MUTED, RULE, WHITE};
use super::text::Weight;
use super::words::{self, CaptionOptions};
use super::{HandoutError, Progress, plan_figures, simulate};
use crate::engine::consultation::Consultation;
use crate::engine::export::{ExportSize, scale};
use crate::engine::preset::Preset;
use crate::engine::sim::{self, Render, Scene, SimSettings, Stage};
use image::RgbImage;

const MARGIN: f32 = 40.0;
const GUTTER: f32 = 24.0;
const LABEL_ROW: f32 = 46.0;
const LABEL_SIZE: f32 = 17.0;
const DETAIL_SIZE: f32 = 14.5;
const CAPTION_GAP: f32 = 40.0;
const TITLE_SIZE: f32 = 25.0;
const TITLE_LINE: f32 = 38.0;
const BODY_SIZE: f32 = 16.0;
const BODY_LINE: f32 = 27.0;
const DISCLAIMER_SIZE: f32 = 15.0;
/// Space above the rule, below it, and the disclaimer's line.
const DISCLAIMER_BLOCK: [f32; 3] = [24.0, 18.0, 24.0];
/// Narrowest sheet whose captions still read at arm's length.
pub const MIN_SHEET_WIDTH_PX: u32 = 960;
/// Largest sheet drawn: about 450 MB of pixels. A full-size sheet larger than this is drawn at
/// the largest size within it.
const MAX_SHEET_PIXELS: u64 = 150_000_000;
const MAX_SIDE_PX: u32 = 30_000;

/// How the before/after sheet shows the two.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetLayout {
    /// Two photos next to each other.
    SideBySide,
    /// One photo: before on the left half, the simulation on the right.
    Split,
}

/// What a sheet shows besides the simulations themselves.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetOptions {
    /// Full: each picture at the photo's own size (as far as a sheet of 150 megapixels
    /// allows); a width: the whole sheet that wide.
    pub size: ExportSize,
    pub caption: CaptionOptions,
    /// Before/after sheet only.
    pub layout: SheetLayout,
    /// Session and compare sheets: begin with the photo as it is.
    pub with_before: bool,
    /// Session sheet only: add the finished treatment this many years on.
    pub years_on: Option<f32>,
}

impl SheetOptions {
    /// Side by side, with the photo before, no years-on picture, at full size.
    pub fn new(caption: CaptionOptions) -> SheetOptions {
        SheetOptions {
            size: ExportSize::Full,
            caption,
            layout: SheetLayout::SideBySide,
            with_before: true,
            years_on: None,
        }
    }
}

/// One picture on a sheet and its label.
struct Panel {
    image: RgbImage,
    label: String,
    detail: String,
}

/// The caption strip's content.
struct Caption {
    title: String,
    lines: Vec<String>,
    rows: Vec<(String, String)>,
    disclaimer: bool,
}

impl Caption {
    fn new(
        title: String,
        lines: Vec<Option<String>>,
        rows: Vec<(String, String)>,
        options: &CaptionOptions,
    ) -> Self {
        let lines = lines.into_iter().flatten().filter(|l| !l.is_empty()).collect();
        Caption { title, lines, rows, disclaimer: options.disclaimer }
    }

    /// Height in thousandths of the sheet's width.
    fn height(&self) -> f32 {
        let left = TITLE_LINE + self.lines.len() as f32 * BODY_LINE;
        let right = self.rows.len() as f32 * BODY_LINE;
        left.max(right) + if self.disclaimer { DISCLAIMER_BLOCK.iter().sum() } else { 0.0 }
    }
}

/// Where the panels go.
struct Grid {
    count: u32,
    cols: u32,
    rows: u32,
    panel_w: u32,
    panel_h: u32,
    sheet_w: u32,
    /// Pixels per thousandth of the sheet's width.
    u: f32,
    /// Left edge of the first column, in pixels (the margin, give or take a rounding).
    left: f32,
    labelled: bool,
}

fn columns(count: u32) -> u32 {
    match count {
        0..=3 => count.max(1),
        4 => 2,
        5 | 6 => 3,
        _ => 4,
    }
}

impl Grid {
    fn new(photo: (u32, u32), count: u32, size: ExportSize, labelled: bool) -> Result<Grid, HandoutError> {
        let (photo_w, photo_h) = (photo.0.max(1), photo.1.max(1));
        let cols = columns(count);
        let rows = count.div_ceil(cols).max(1);
        let spacing = (2.0 * MARGIN + (cols - 1) as f32 * GUTTER) / 1000.0;
        let sheet_w = match size {
            ExportSize::Full => ((cols * photo_w) as f64 / (1.0 - spacing as f64)).ceil() as u32,
            ExportSize::Width(w) if w < MIN_SHEET_WIDTH_PX => {
                return Err(HandoutError::TooNarrow { min_px: MIN_SHEET_WIDTH_PX });
            }
            ExportSize::Width(w) => w,
        };
        let u = sheet_w as f32 / 1000.0;
        let gutter = GUTTER * u;
        let panel_w = match size {
            ExportSize::Full => photo_w,
            ExportSize::Width(_) => ((sheet_w as f32 - 2.0 * MARGIN * u - (cols - 1) as f32 * gutter)
                / cols as f32)
                .floor() as u32,
        }
        .max(1);
        let panel_h = ((panel_w as f64 * photo_h as f64 / photo_w as f64).round() as u32).max(1);
        let left =
            ((sheet_w as f32 - cols as f32 * panel_w as f32 - (cols - 1) as f32 * gutter) / 2.0).round();
        Ok(Grid { count, cols, rows, panel_w, panel_h, sheet_w, u, left, labelled })
    }

    fn label_row(&self) -> f32 {
        if self.labelled { LABEL_ROW * self.u } else { 0.0 }
    }

    /// Top-left corner of panel `i`'s picture; a last row that is not full is centred.
    fn cell(&self, i: u32) -> (f32, f32) {
        let row = i / self.cols;
        let col = i % self.cols;
        let in_row = if row + 1 == self.rows { self.count - row * self.cols } else { self.cols };
        let pitch = self.panel_w as f32 + GUTTER * self.u;
        let shift = (self.cols - in_row) as f32 * pitch / 2.0;
        let x = (self.left + shift + col as f32 * pitch).round();
        let y = (MARGIN * self.u
            + row as f32 * (self.label_row() + self.panel_h as f32 + GUTTER * self.u)
            + self.label_row())
        .round();
        (x, y)
    }

    fn panels_bottom(&self) -> f32 {
        MARGIN * self.u
            + self.rows as f32 * (self.label_row() + self.panel_h as f32)
            + (self.rows - 1) as f32 * GUTTER * self.u
    }

    fn right(&self) -> f32 {
        self.sheet_w as f32 - self.left
    }

    /// The sheet's height with `caption` under the panels.
    fn sheet_h(&self, caption: &Caption) -> Result<u32, HandoutError> {
        let h = (self.panels_bottom() + (CAPTION_GAP + caption.height() + MARGIN) * self.u).ceil() as u32;
        if self.sheet_w > MAX_SIDE_PX || h > MAX_SIDE_PX || self.sheet_w as u64 * h as u64 > MAX_SHEET_PIXELS
        {
            return Err(HandoutError::TooLarge { width_px: self.sheet_w, height_px: h });
        }
        Ok(h)
    }

    /// `image` (the photo or a render of it) at the panel's size.
    fn fit(&self, image: &RgbImage) -> RgbImage {
        scale(image, self.panel_w, self.panel_h)
    }
}

/// Lays out `count` pictures of the photo above a caption of `lines` lines and `rows` figures,
/// before any rendering, so a sheet that cannot be made fails at once. At full size, a sheet
/// larger than an image can hold is made as large as one can be instead.
fn layout(
    photo: (u32, u32),
    count: u32,
    size: ExportSize,
    labelled: bool,
    (lines, rows): (usize, usize),
    options: &CaptionOptions,
) -> Result<Grid, HandoutError> {
    let placeholder = Caption {
        title: String::new(),
        lines: vec![String::new(); lines],
        rows: vec![(String::new(), String::new()); rows],
        disclaimer: options.disclaimer,
    };
    let grid = Grid::new(photo, count, size, labelled)?;
    let (width_px, height_px) = match grid.sheet_h(&placeholder) {
        Ok(_) => return Ok(grid),
        Err(HandoutError::TooLarge { width_px, height_px }) if size == ExportSize::Full => {
            (width_px, height_px)
        }
        Err(e) => return Err(e),
    };
    // Everything on a sheet scales with its width, so its area with the width's square.
    let by_area = (MAX_SHEET_PIXELS as f64 / (width_px as f64 * height_px as f64)).sqrt();
    let by_side = MAX_SIDE_PX as f64 / width_px.max(height_px) as f64;
    let width = (width_px as f64 * by_area.min(by_side) * 0.99).floor() as u32;
    let grid = Grid::new(photo, count, ExportSize::Width(width.max(MIN_SHEET_WIDTH_PX)), labelled)?;
    grid.sheet_h(&placeholder).map(|_| grid)
}

/// Photo and simulation, side by side or split, with the caption.
pub fn before_after(
    consultation: &Consultation,
    options: &SheetOptions,
    progress: Progress,
) -> Result<RgbImage, HandoutError> {
    progress.step(0.0)?;
    let split = options.layout == SheetLayout::Split;
    let photo = &*consultation.photo;
    let plan_rows = if options.caption.plan { 4 } else { 0 };
    let count = if split { 1 } else { 2 };
    let grid = layout(photo.dimensions(), count, options.size, !split, (2, plan_rows), &options.caption)?;
    let simulated = simulate(consultation);
    progress.step(0.8)?;

    let settings = consultation.settings;
    let caption = Caption::new(
        consultation.preset.name.clone(),
        vec![
            Some(words::session_and_stage(
                settings.session,
                consultation.preset.session_count(),
                settings.stage,
            )),
            options.caption.who_and_when(),
        ],
        if options.caption.plan {
            words::plan_rows(&simulated.plan, options.caption.impressions_per_hour)
        } else {
            Vec::new()
        },
        &options.caption,
    );
    let before = grid.fit(photo);
    let after = grid.fit(&simulated.render.image);
    drop(simulated);
    progress.step(0.9)?;
    let sheet = if split {
        let joined = split_panel(&before, &after);
        let mut canvas = compose(
            &grid,
            vec![Panel { image: joined, label: String::new(), detail: String::new() }],
            &caption,
        )?;
        split_labels(&mut canvas, &grid);
        canvas.image
    } else {
        let panels = vec![
            Panel { image: before, label: "Before".into(), detail: String::new() },
            Panel { image: after, label: "Simulation".into(), detail: words::stage(settings.stage) },
        ];
        compose(&grid, panels, &caption)?.image
    };
    progress.step(1.0)?;
    Ok(sheet)
}

/// The treatment session by session (each healed), after the photo as it is and optionally
/// followed by the finished treatment years on.
pub fn sessions(
    consultation: &Consultation,
    options: &SheetOptions,
    progress: Progress,
) -> Result<RgbImage, HandoutError> {
    progress.step(0.0)?;
    let preset = &consultation.preset;
    let sessions = preset.session_count();
    let years_on = options.years_on.filter(|y| y.is_finite() && *y > 0.0).map(|y| y.min(50.0));
    let healed = |session, years| Scene {
        settings: SimSettings { session, stage: Stage::Healed { years }, ..consultation.settings },
        ..consultation.scene()
    };
    let mut scenes: Vec<Scene> = (1..=sessions).map(|k| healed(k, 0.0)).collect();
    scenes.extend(years_on.map(|years| healed(sessions, years)));
    let count = scenes.len() as u32 + u32::from(options.with_before);
    let caption_shape = (2, if options.caption.plan { 4 } else { 0 });
    let grid =
        layout(consultation.photo.dimensions(), count, options.size, true, caption_shape, &options.caption)?;

    let mut plan = None;
    let panels =
        render_panels(consultation, &grid, options.with_before, &scenes, progress, |scene, render| {
            let SimSettings { session, stage, .. } = scene.settings;
            match stage {
                Stage::Healed { years } if years > 0.0 => (words::years_on(years), "after fading".into()),
                _ => {
                    if session == sessions {
                        plan = Some(plan_figures(scene, render));
                    }
                    (format!("Session {session}"), words::session_density(preset, session))
                }
            }
        })?;

    let mut span = format!("Sessions 1 to {sessions}, each shown healed");
    if let Some(years) = years_on {
        span.push_str(&format!(", and {}", words::years_on(years)));
    }
    let rows = match (&plan, options.caption.plan) {
        (Some(plan), true) => words::plan_rows(plan, options.caption.impressions_per_hour),
        _ => Vec::new(),
    };
    let caption = Caption::new(
        preset.name.clone(),
        vec![Some(span), options.caption.who_and_when()],
        rows,
        &options.caption,
    );
    finish(&grid, panels, &caption, progress)
}

/// Several presets on the same photo, each labelled, at the consultation's session and stage
/// (or a preset's last session, when it plans fewer).
pub fn compare(
    consultation: &Consultation,
    presets: &[Preset],
    options: &SheetOptions,
    progress: Progress,
) -> Result<RgbImage, HandoutError> {
    progress.step(0.0)?;
    if presets.is_empty() {
        return Err(HandoutError::NoPresets);
    }
    let settings = consultation.settings;
    let scenes: Vec<Scene> = presets
        .iter()
        .map(|preset| Scene {
            preset,
            settings: SimSettings { session: settings.session.min(preset.session_count()), ..settings },
            ..consultation.scene()
        })
        .collect();
    let count = scenes.len() as u32 + u32::from(options.with_before);
    let caption_shape = (2, 1);
    let grid =
        layout(consultation.photo.dimensions(), count, options.size, true, caption_shape, &options.caption)?;

    let mut area = None;
    let panels =
        render_panels(consultation, &grid, options.with_before, &scenes, progress, |scene, render| {
            let plan = plan_figures(scene, render);
            area.get_or_insert(plan.total.area_cm2);
            let detail = format!(
                "{} impressions  ·  {} sessions",
                words::thousands(plan.total.impressions()),
                scene.preset.session_count()
            );
            (scene.preset.name.clone(), detail)
        })?;

    let when = if presets.iter().all(|p| settings.session >= p.session_count()) {
        format!("After the last session  ·  {}", words::stage(settings.stage))
    } else {
        format!("After session {}  ·  {}", settings.session, words::stage(settings.stage))
    };
    let rows = match area {
        Some(cm2) if options.caption.plan => vec![("Treated area".to_owned(), words::area(cm2))],
        _ => Vec::new(),
    };
    let title = "Styles compared on your photo".to_owned();
    let caption =
        Caption::new(title, vec![Some(when), options.caption.who_and_when()], rows, &options.caption);
    finish(&grid, panels, &caption, progress)
}

/// The photo as it is when asked for, then each scene rendered in turn (reporting progress
/// before each) and labelled by `describe`.
fn render_panels(
    consultation: &Consultation,
    grid: &Grid,
    with_before: bool,
    scenes: &[Scene],
    progress: Progress,
    mut describe: impl FnMut(&Scene, &Render) -> (String, String),
) -> Result<Vec<Panel>, HandoutError> {
    let mut panels = Vec::new();
    if with_before {
        panels.push(Panel {
            image: grid.fit(&consultation.photo),
            label: "Before".into(),
            detail: String::new(),
        });
    }
    let total = scenes.len() as f32 + 0.5;
    for (i, scene) in scenes.iter().enumerate() {
        progress.step(i as f32 / total)?;
        let render = sim::render(scene);
        let (label, detail) = describe(scene, &render);
        panels.push(Panel { image: grid.fit(&render.image), label, detail });
    }
    progress.step(scenes.len() as f32 / total)?;
    Ok(panels)
}

/// Draws the sheet and reports it done.
fn finish(
    grid: &Grid,
    panels: Vec<Panel>,
    caption: &Caption,
    progress: Progress,
) -> Result<RgbImage, HandoutError> {
    let sheet = compose(grid, panels, caption)?.image;
    progress.step(1.0)?;
    Ok(sheet)
}

/// Draws the panels, their labels and the caption on a new sheet.
fn compose(grid: &Grid, panels: Vec<Panel>, caption: &Caption) -> Result<Canvas, HandoutError> {
    let mut canvas = Canvas::new(grid.sheet_w, grid.sheet_h(caption)?)?;
    let u = grid.u;
    for (i, panel) in panels.iter().enumerate() {
        let (x, y) = grid.cell(i as u32);
        canvas.blit(&panel.image, x as u32, y as u32);
        if grid.labelled && !panel.label.is_empty() {
            let baseline = y - 14.0 * u;
            let room = grid.panel_w as f32;
            let label = canvas.fit(Weight::SemiBold, &panel.label, LABEL_SIZE * u, room);
            let end = canvas.text(Weight::SemiBold, &label, x, baseline, LABEL_SIZE * u, INK);
            let left_over = x + room - end - 12.0 * u;
            if !panel.detail.is_empty() && left_over > 40.0 * u {
                let detail = canvas.fit(Weight::Regular, &panel.detail, DETAIL_SIZE * u, left_over);
                canvas.text(Weight::Regular, &detail, end + 12.0 * u, baseline, DETAIL_SIZE * u, MUTED);
            }
        }
    }
    draw_caption(&mut canvas, grid, grid.panels_bottom() + CAPTION_GAP * u, caption);
    Ok(canvas)
}

/// Baseline of a line of `size` centred in a line box of `line` from `top`.
fn baseline(canvas: &Canvas, weight: Weight, top: f32, line: f32, size: f32) -> f32 {
    top + line / 2.0 + canvas.cap_height(weight, size) / 2.0
}

fn draw_caption(canvas: &mut Canvas, grid: &Grid, top: f32, caption: &Caption) {
    let u = grid.u;
    let (left, right) = (grid.left, grid.right());
    // Figures: labels in a column, values flush right with the sheet's edge.
    let label_w =
        caption.rows.iter().map(|(l, _)| canvas.width(Weight::Regular, l, BODY_SIZE * u)).fold(0.0, f32::max);
    let value_w =
        caption.rows.iter().map(|(_, v)| canvas.width(Weight::Regular, v, BODY_SIZE * u)).fold(0.0, f32::max);
    let needed = label_w + 28.0 * u + value_w;
    // Under the last column of pictures where the figures fit there, further left where not.
    let last_column = grid.left + (grid.cols - 1) as f32 * (grid.panel_w as f32 + GUTTER * u);
    let figures_x = match (caption.rows.is_empty(), grid.cols) {
        (true, _) => right,
        (false, 1) => right - needed,
        (false, _) => (right - needed).min(last_column),
    };
    for (i, (label, value)) in caption.rows.iter().enumerate() {
        let y =
            baseline(canvas, Weight::Regular, top + i as f32 * BODY_LINE * u, BODY_LINE * u, BODY_SIZE * u);
        canvas.text(Weight::Regular, label, figures_x, y, BODY_SIZE * u, MUTED);
        canvas.text_right(Weight::Regular, value, right, y, BODY_SIZE * u, INK);
    }

    let room = (figures_x - left - 40.0 * u).max(100.0 * u);
    let title = canvas.fit(Weight::SemiBold, &caption.title, TITLE_SIZE * u, room);
    let y = baseline(canvas, Weight::SemiBold, top, TITLE_LINE * u, TITLE_SIZE * u);
    canvas.text(Weight::SemiBold, &title, left, y, TITLE_SIZE * u, INK);
    for (i, line) in caption.lines.iter().enumerate() {
        let line_top = top + (TITLE_LINE + i as f32 * BODY_LINE) * u;
        let y = baseline(canvas, Weight::Regular, line_top, BODY_LINE * u, BODY_SIZE * u);
        let color = if i == 0 { INK } else { MUTED };
        let text = canvas.fit(Weight::Regular, line, BODY_SIZE * u, room);
        canvas.text(Weight::Regular, &text, left, y, BODY_SIZE * u, color);
    }

    if caption.disclaimer {
        let content =
            (TITLE_LINE + caption.lines.len() as f32 * BODY_LINE).max(caption.rows.len() as f32 * BODY_LINE);
        let rule_y = top + (content + DISCLAIMER_BLOCK[0]) * u;
        canvas.fill(left, rule_y, right - left, u.max(1.0), RULE);
        let line_top = rule_y + DISCLAIMER_BLOCK[1] * u;
        let y = baseline(canvas, Weight::SemiBold, line_top, DISCLAIMER_BLOCK[2] * u, DISCLAIMER_SIZE * u);
        let end = canvas.text(Weight::SemiBold, words::DISCLAIMER, left, y, DISCLAIMER_SIZE * u, INK);
        let detail_x = end + 12.0 * u;
        if detail_x + canvas.width(Weight::Regular, words::DISCLAIMER_DETAIL, DISCLAIMER_SIZE * u) <= right {
            canvas.text(Weight::Regular, words::DISCLAIMER_DETAIL, detail_x, y, DISCLAIMER_SIZE * u, MUTED);
        }
    }
}

/// The photo's left half and the simulation's right half, with a white line between.
fn split_panel(before: &RgbImage, after: &RgbImage) -> RgbImage {
    let (w, h) = before.dimensions();
    let middle = w / 2;
    let line = (w / 400).max(2);
    RgbImage::from_fn(w, h, |x, y| {
        if x + line / 2 >= middle && x < middle + line.div_ceil(2) {
            WHITE
        } else if x < middle {
            *before.get_pixel(x, y)
        } else {
            *after.get_pixel(x, y)
        }
    })
}

/// "Before" and "Simulation" on dark rounded labels in the split picture's top corners.
fn split_labels(canvas: &mut Canvas, grid: &Grid) {
    let u = grid.u;
    let (x, y) = grid.cell(0);
    let size = LABEL_SIZE * u;
    let pad_x = 14.0 * u;
    let h = 34.0 * u;
    let inset = 20.0 * u;
    let text_y = |canvas: &Canvas, top: f32| baseline(canvas, Weight::SemiBold, top, h, size);
    let before_w = canvas.width(Weight::SemiBold, "Before", size) + 2.0 * pad_x;
    canvas.blend_rounded(x + inset, y + inset, before_w, h, h / 2.0, INK, 0.62);
    let ty = text_y(canvas, y + inset);
    canvas.text(Weight::SemiBold, "Before", x + inset + pad_x, ty, size, WHITE);
    let after_w = canvas.width(Weight::SemiBold, "Simulation", size) + 2.0 * pad_x;
    let after_x = x + grid.panel_w as f32 - inset - after_w;
    canvas.blend_rounded(after_x, y + inset, after_w, h, h / 2.0, INK, 0.62);
    canvas.text(Weight::SemiBold, "Simulation", after_x + pad_x, ty, size, WHITE);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panels_fill_the_sheet_between_even_margins() {
        for (count, cols, rows) in [(2, 2, 1), (3, 3, 1), (4, 2, 2), (5, 3, 2), (8, 4, 2)] {
            let grid = Grid::new((400, 300), count, ExportSize::Width(2000), true).unwrap();
            assert_eq!((grid.cols, grid.rows), (cols, rows), "{count} panels");
            let (x0, _) = grid.cell(0);
            let (x_last, _) = grid.cell(cols - 1);
            let right_margin = grid.sheet_w as f32 - (x_last + grid.panel_w as f32);
            assert!((x0 - right_margin).abs() <= 1.5, "{count}: margins {x0} and {right_margin}");
            assert!((x0 - MARGIN * grid.u).abs() <= 2.0 + cols as f32, "{count}: margin {x0}");
        }
        // A last row that is not full is centred.
        let grid = Grid::new((400, 300), 5, ExportSize::Width(2000), true).unwrap();
        let (a, _) = grid.cell(3);
        let (b, _) = grid.cell(4);
        let middle = (a + b + grid.panel_w as f32) / 2.0;
        assert!((middle - 1000.0).abs() <= 1.5, "{middle}");
    }

    #[test]
    fn a_full_size_sheet_too_large_to_hold_is_made_as_large_as_it_can_be() {
        let caption = CaptionOptions {
            date: None,
            patient_label: None,
            notes: None,
            plan: true,
            disclaimer: true,
            impressions_per_hour: 2500.0,
        };
        let grid = layout((4000, 3000), 5, ExportSize::Full, true, (2, 4), &caption).unwrap();
        assert!(grid.panel_w < 4000 && grid.panel_w > 2500, "{}", grid.panel_w);
        let shape = Caption::new(
            "Title".into(),
            vec![Some("a".into()), Some("b".into())],
            vec![("a".into(), "b".into()); 4],
            &caption,
        );
        let pixels = grid.sheet_w as u64 * grid.sheet_h(&shape).unwrap() as u64;
        assert!(pixels <= MAX_SHEET_PIXELS);
        let asked = layout((4000, 3000), 5, ExportSize::Width(25_000), true, (2, 4), &caption);
        assert!(matches!(asked, Err(HandoutError::TooLarge { .. })), "a width asked for is never changed");
    }

    #[test]
    fn full_size_keeps_every_pixel_of_the_photo_and_narrow_sheets_are_refused() {
        let grid = Grid::new((1234, 777), 2, ExportSize::Full, true).unwrap();
        assert_eq!((grid.panel_w, grid.panel_h), (1234, 777));
        assert!(grid.left >= MARGIN * grid.u - 1.0);
        assert!(matches!(
            Grid::new((400, 300), 2, ExportSize::Width(500), true),
            Err(HandoutError::TooNarrow { .. })
        ));
    }
}
