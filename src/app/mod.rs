//! The eframe window: translates between a person and the engine.
//!
//! Widgets collect [`Command`]s and canvas actions during the frame; the app runs them once at
//! the end of the frame, so no widget mutates the consultation behind another's back.

pub mod canvas;
pub mod commands;
mod editing;
mod files;
mod icons;
mod panels;
mod preset_panel;
mod recovery;
mod unsaved;
mod worker;

use crate::engine::consultation::Consultation;
use crate::engine::history::{Edit, History, Look};
use crate::engine::mask::{PixelRect, RegionKind};
use crate::engine::preset::Preset;
use crate::engine::sample;
use crate::engine::sim::Stats;
use crate::engine::store::PresetStore;
use canvas::{CanvasAction, CanvasInput, DragMode, View};
pub use commands::Command;
use editing::StrokeRecord;
use eframe::egui::{self, Color32, ColorImage, TextureHandle, TextureOptions};
pub use files::{FilePurpose, PathPrompt};
use files::{Opened, Write, open_photo};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};
pub use unsaved::Leave;
use worker::{Change, RenderWorker};

/// Opens the window on `photo`, or on the sample consultation.
pub fn run(photo: Option<&Path>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("SMP Studio")
            .with_app_id("smp-studio")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([960.0, 600.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let photo = photo.map(Path::to_path_buf);
    eframe::run_native(
        "SMP Studio",
        options,
        Box::new(move |cc| Ok(Box::new(SmpApp::new(cc, photo.as_deref(), Folders::user())))),
    )
    .map_err(|e| anyhow::anyhow!("could not open the SMP Studio window: {e}"))
}

/// What the brush does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Paint(RegionKind),
    Eraser,
    Pan,
    /// Drag a line of known length to calibrate the scale.
    Measure,
}

/// Settings a person chooses in the side panels.
#[derive(Clone, Debug, PartialEq)]
pub struct Controls {
    pub tool: Tool,
    /// The region the eraser removes from.
    pub erase_region: RegionKind,
    pub brush_diameter_mm: f32,
    pub brush_hardness: f32,
    pub show_region: [bool; 3],
    pub tint_opacity: f32,
    /// Show the photo as it is instead of the simulated result.
    pub show_before: bool,
    /// Region tools fill a drawn outline instead of painting with the brush.
    pub fill_shape: bool,
}

impl Default for Controls {
    fn default() -> Self {
        Self {
            tool: Tool::Paint(RegionKind::Bald),
            erase_region: RegionKind::Bald,
            brush_diameter_mm: 10.0,
            brush_hardness: 0.6,
            show_region: [true; 3],
            tint_opacity: 0.22,
            show_before: false,
            fill_shape: false,
        }
    }
}

pub const BRUSH_DIAMETER_MM: std::ops::RangeInclusive<f32> = 0.5..=60.0;

/// The length prompt after a Measure drag.
#[derive(Clone, Debug, PartialEq)]
pub struct MeasurePrompt {
    pub length_px: f32,
    pub text: String,
}

/// Where the window keeps things between sessions.
#[derive(Clone, Debug, Default)]
pub struct Folders {
    /// User presets; `None` keeps them for this session only.
    pub presets: Option<PathBuf>,
    /// Autosaved work; `None` keeps none.
    pub recovery: Option<PathBuf>,
}

impl Folders {
    /// The person's own folders.
    pub fn user() -> Self {
        Self { presets: PresetStore::default_dir(), recovery: recovery::Recovery::default_dir() }
    }
}

/// A line shown above the status bar after something happened.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

struct Textures {
    before: TextureHandle,
    after: TextureHandle,
    tint: TextureHandle,
}

pub struct SmpApp {
    consultation: Consultation,
    store: PresetStore,
    pub preset_search: String,
    pub preset_prompt: Option<preset_panel::PresetPrompt>,
    /// Preset thumbnails by preset name, rendered in the background.
    thumbnails: std::collections::HashMap<String, (Preset, TextureHandle)>,
    /// The version of each preset whose thumbnail was asked for: an edited preset is redrawn.
    thumbnails_requested: std::collections::HashMap<String, Preset>,
    thumbnail_tx: Sender<(Preset, image::RgbImage)>,
    thumbnail_rx: Receiver<(Preset, image::RgbImage)>,
    pub controls: Controls,
    pub view: View,
    textures: Textures,
    tint_image: ColorImage,
    worker: RenderWorker,
    /// What changed since the last job was sent, if anything.
    pending: Option<Change>,
    stats: Stats,
    last_render: Option<Duration>,
    /// Generation of the result on screen (0: none yet, the photo is shown).
    shown_generation: u64,
    /// The last finished render, for export.
    last_result_image: Option<image::RgbImage>,
    stroke: Option<StrokeRecord>,
    history: History,
    /// Preset and settings as of the last undo step, to notice panel edits.
    look_anchor: Look,
    /// Whether the scale was measured (or came with the consultation) rather than assumed.
    pub scale_calibrated: bool,
    /// Position of the before/after divider as a share of the canvas width, when split.
    pub split: Option<f32>,
    /// A Measure drag in progress or just finished, in photo pixels.
    pub measure_line: Option<(egui::Pos2, egui::Pos2)>,
    pub measure_prompt: Option<MeasurePrompt>,
    /// The lasso outline being drawn, in photo pixels.
    lasso: Vec<egui::Pos2>,
    hover_image: Option<egui::Pos2>,
    canvas_rect: egui::Rect,
    pub prompt: Option<PathPrompt>,
    pub notice: Option<Notice>,
    picks_tx: Sender<(FilePurpose, Option<PathBuf>)>,
    picks_rx: Receiver<(FilePurpose, Option<PathBuf>)>,
    commands: Vec<Command>,
    /// A photo being opened in the background.
    loading: Option<Receiver<Result<Opened, String>>>,
    /// Files being written in the background.
    writing: Vec<Write>,
    /// Document revision: counts edits (strokes, settings, undo and redo) since the start.
    revision: u64,
    /// The revision that matches a file on disk, if any does.
    saved_revision: Option<u64>,
    /// The revision last handed to the recovery folder, and when the revision last changed.
    autosaved_revision: u64,
    last_edit: Instant,
    /// Quiet time after an edit before it is autosaved.
    pub autosave_after: Duration,
    recovery: recovery::Recovery,
    /// Work found from a session that ended unsaved, offered back until answered.
    pub restore_offer: Option<recovery::RecoveryNote>,
    /// The offered work is being read back.
    restoring: bool,
    /// An action that would drop unsaved work, waiting for the person's answer.
    pub leave: Option<Leave>,
    /// Closing was asked for and nothing unsaved stands in the way.
    close_confirmed: bool,
    max_texture_side: usize,
    ctx: egui::Context,
}

impl SmpApp {
    /// Opens on `photo` (or the sample), keeping presets and autosaves in `folders`.
    pub fn new(cc: &eframe::CreationContext<'_>, photo: Option<&Path>, folders: Folders) -> Self {
        let ctx = cc.egui_ctx.clone();
        style(&ctx);
        let max_texture_side = ctx.input(|i| i.max_texture_side);
        let store = PresetStore::open(folders.presets);
        let wake_ctx = ctx.clone();
        let recovery = recovery::Recovery::open(folders.recovery, move || wake_ctx.request_repaint());
        let restore_offer = recovery.found();
        let presets: Vec<Preset> = store.list().iter().map(|e| e.preset.clone()).collect();
        // The sample comes with its scale; a patient's photo starts on the default one.
        let (consultation, notice, calibrated) = match (photo, sample::load()) {
            (Some(path), sample) => {
                match open_photo(path, presets.first().cloned().unwrap_or_default(), max_texture_side) {
                    Ok(opened) => (opened.consultation, None, false),
                    Err(err) => match sample {
                        Ok(s) => (s, Some(Notice { text: format!("{err:#}"), is_error: true }), true),
                        Err(e) => (
                            blank_consultation(&presets),
                            Some(Notice { text: e.to_string(), is_error: true }),
                            false,
                        ),
                    },
                }
            }
            (None, Ok(s)) => (s, None, true),
            (None, Err(e)) => {
                (blank_consultation(&presets), Some(Notice { text: e.to_string(), is_error: true }), false)
            }
        };
        let notice = notice.or_else(|| recovery.problem.clone().map(|text| Notice { text, is_error: true }));
        let (consultation_preset, consultation_settings) =
            (consultation.preset.clone(), consultation.settings);
        let wake_ctx = ctx.clone();
        let worker = RenderWorker::spawn(move || wake_ctx.request_repaint());
        let (picks_tx, picks_rx) = channel();
        let (thumbnail_tx, thumbnail_rx) = channel();
        let tint_image = ColorImage::filled([1, 1], Color32::TRANSPARENT);
        let textures = Textures {
            before: ctx.load_texture("before", ColorImage::filled([1, 1], Color32::BLACK), texture_options()),
            after: ctx.load_texture("after", ColorImage::filled([1, 1], Color32::BLACK), texture_options()),
            tint: ctx.load_texture("tint", tint_image.clone(), texture_options()),
        };
        let mut app = Self {
            consultation,
            store,
            preset_search: String::new(),
            preset_prompt: None,
            thumbnails: Default::default(),
            thumbnails_requested: Default::default(),
            thumbnail_tx,
            thumbnail_rx,
            controls: Controls::default(),
            view: View::default(),
            textures,
            tint_image,
            worker,
            pending: Some(Change::Everything),
            stats: Stats::default(),
            last_render: None,
            shown_generation: 0,
            last_result_image: None,
            stroke: None,
            history: History::default(),
            look_anchor: Look { preset: consultation_preset.clone(), settings: consultation_settings },
            scale_calibrated: calibrated,
            split: None,
            measure_line: None,
            measure_prompt: None,
            lasso: Vec::new(),
            hover_image: None,
            canvas_rect: egui::Rect::NOTHING,
            prompt: None,
            notice,
            picks_tx,
            picks_rx,
            commands: Vec::new(),
            loading: None,
            writing: Vec::new(),
            revision: 0,
            saved_revision: Some(0),
            autosaved_revision: 0,
            last_edit: Instant::now(),
            autosave_after: unsaved::AUTOSAVE_AFTER,
            recovery,
            restore_offer,
            restoring: false,
            leave: None,
            close_confirmed: false,
            max_texture_side,
            ctx: ctx.clone(),
        };
        app.reset_document_view();
        app
    }

    // ---- read access for tests and panels ----

    pub fn consultation(&self) -> &Consultation {
        &self.consultation
    }

    /// The simulated result currently on screen has been computed from the current masks.
    pub fn render_settled(&self) -> bool {
        self.pending.is_none() && !self.worker.busy()
    }

    /// The pixels of the "after" texture's source: the last finished render.
    pub fn shown_generation(&self) -> u64 {
        self.shown_generation
    }

    pub fn last_result(&self) -> Option<&image::RgbImage> {
        self.last_result_image.as_ref()
    }

    pub fn canvas_rect(&self) -> egui::Rect {
        self.canvas_rect
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    // ---- document changes ----

    /// A new document: one just opened, so nothing is unsaved.
    fn set_consultation(&mut self, consultation: Consultation, calibrated: bool) {
        self.replace_document(consultation, calibrated);
        // Whatever the recovery folder held was saved or discarded before this point.
        self.recovery.clear();
        self.saved_revision = Some(self.revision);
    }

    /// Puts `consultation` on screen with a fresh history and view.
    fn replace_document(&mut self, consultation: Consultation, calibrated: bool) {
        self.consultation = consultation;
        self.scale_calibrated = calibrated;
        self.history.clear();
        self.look_anchor = self.look();
        self.reset_document_view();
        self.autosaved_revision = self.revision;
    }

    fn look(&self) -> Look {
        Look { preset: self.consultation.preset.clone(), settings: self.consultation.settings }
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// Turns finished panel edits (a slider released, a preset chosen) into one undo step each.
    fn commit_look_if_settled(&mut self, ctx: &egui::Context) {
        let look = self.look();
        if look != self.look_anchor && !ctx.input(|i| i.pointer.any_down()) {
            let before = std::mem::replace(&mut self.look_anchor, look.clone());
            self.record(Edit::Look { before: Box::new(before), after: Box::new(look) });
        }
    }

    /// New photo or sample: textures, view and render start over.
    fn reset_document_view(&mut self) {
        let photo = &self.consultation.photo;
        let size = [photo.width() as usize, photo.height() as usize];
        let image = ColorImage::from_rgb(size, photo.as_raw());
        self.textures.before.set(image.clone(), texture_options());
        self.textures.after.set(image, texture_options());
        self.tint_image = ColorImage::filled(size, Color32::TRANSPARENT);
        self.refresh_tint(PixelRect::full(photo.width(), photo.height()));
        self.view = View::default();
        self.worker.discard_in_flight();
        self.stroke = None;
        self.pending = Some(Change::Everything);
        self.last_result_image = None;
        self.stats = Stats::default();
    }

    /// Records that the result is out of date in `change`.
    fn changed(&mut self, change: Change) {
        self.pending = Some(match self.pending {
            Some(p) => p.merge(change),
            None => change,
        });
    }

    fn submit_render_if_idle(&mut self) {
        if let Some(change) = self.pending
            && !self.worker.busy()
        {
            let c = &self.consultation;
            self.worker.submit(worker::RenderJob {
                generation: 0,
                photo: c.photo.clone(),
                hair: c.hair.clone(),
                masks: Arc::new(c.masks.clone()),
                preset: Arc::new(c.preset.clone()),
                settings: c.settings,
                change,
            });
            self.pending = None;
        }
    }

    fn receive_render(&mut self) {
        if let Some(output) = self.worker.poll() {
            match output.changed {
                // Only the stroke's surroundings changed: upload just them.
                Some(rect) if !rect.is_empty() => {
                    let part = image::imageops::crop_imm(
                        &output.image,
                        rect.x0,
                        rect.y0,
                        rect.x1 - rect.x0,
                        rect.y1 - rect.y0,
                    )
                    .to_image();
                    let size = [part.width() as usize, part.height() as usize];
                    let pos = [rect.x0 as usize, rect.y0 as usize];
                    self.textures.after.set_partial(
                        pos,
                        ColorImage::from_rgb(size, part.as_raw()),
                        texture_options(),
                    );
                }
                Some(_) => {}
                None => {
                    let size = [output.image.width() as usize, output.image.height() as usize];
                    self.textures
                        .after
                        .set(ColorImage::from_rgb(size, output.image.as_raw()), texture_options());
                }
            }
            self.stats = output.stats;
            self.last_render = Some(output.elapsed);
            self.shown_generation = output.generation;
            self.last_result_image = Some(output.image);
        }
    }

    pub fn store(&self) -> &PresetStore {
        &self.store
    }

    /// Every preset in the list has its thumbnail.
    pub fn thumbnails_settled(&self) -> bool {
        self.store.list().iter().all(|e| self.thumbnail_version(&e.preset.name) == Some(&e.preset))
    }

    pub fn thumbnail(&self, preset_name: &str) -> Option<&TextureHandle> {
        self.thumbnails.get(preset_name).map(|(_, texture)| texture)
    }

    /// The version of a preset its thumbnail shows.
    pub fn thumbnail_version(&self, preset_name: &str) -> Option<&Preset> {
        self.thumbnails.get(preset_name).map(|(preset, _)| preset)
    }

    /// Renders thumbnails of presets that have none yet, off the UI thread, and picks up the
    /// finished ones.
    fn update_thumbnails(&mut self, ctx: &egui::Context) {
        while let Ok((preset, image)) = self.thumbnail_rx.try_recv() {
            // A thumbnail of a version edited since is dropped; the new one is on its way.
            if self.thumbnails_requested.get(&preset.name) != Some(&preset) {
                continue;
            }
            let name = preset.name.clone();
            let size = [image.width() as usize, image.height() as usize];
            let texture = ctx.load_texture(
                format!("thumbnail {name}"),
                ColorImage::from_rgb(size, image.as_raw()),
                TextureOptions::LINEAR,
            );
            self.thumbnails.insert(name, (preset, texture));
        }
        let missing: Vec<Preset> = self
            .store
            .list()
            .iter()
            .filter(|e| self.thumbnails_requested.get(&e.preset.name) != Some(&e.preset))
            .map(|e| e.preset.clone())
            .collect();
        if missing.is_empty() {
            return;
        }
        self.thumbnails_requested.extend(missing.iter().map(|p| (p.name.clone(), p.clone())));
        let tx = self.thumbnail_tx.clone();
        let ctx = ctx.clone();
        // Without the thread the list simply shows no thumbnails.
        let _ = std::thread::Builder::new().name("thumbnails".into()).spawn(move || {
            for preset in missing {
                let image = crate::engine::sim::thumbnail(&preset, 72, 48);
                if tx.send((preset, image)).is_err() {
                    break;
                }
                ctx.request_repaint();
            }
        });
    }

    fn apply_preset(&mut self, index: usize) {
        if let Some(entry) = self.store.list().get(index) {
            self.consultation.preset = entry.preset.clone();
            let sessions = self.consultation.preset.session_count();
            self.consultation.settings.session = self.consultation.settings.session.min(sessions);
            self.changed(Change::Everything);
        }
    }

    // ---- commands ----

    fn run_command(&mut self, ctx: &egui::Context, command: Command) {
        if self.stops_to_ask(Leave::Command(command)) {
            return;
        }
        self.run_command_now(ctx, command);
    }

    /// Runs `command`, even one that drops unsaved work: the person was asked already.
    fn run_command_now(&mut self, ctx: &egui::Context, command: Command) {
        let step = 1.25;
        match command {
            Command::Undo => self.undo_redo(false),
            Command::Redo => self.undo_redo(true),
            Command::OpenPhoto => self.ask_path(ctx, FilePurpose::OpenPhoto),
            Command::OpenSample => match sample::load() {
                Ok(c) => self.set_consultation(c, true),
                Err(e) => self.error(e.to_string()),
            },
            Command::ExportPreview => self.ask_path(ctx, FilePurpose::ExportPreview),
            Command::SaveConsultation => self.ask_path(ctx, FilePurpose::SaveConsultation),
            Command::OpenConsultation => self.ask_path(ctx, FilePurpose::OpenConsultation),
            Command::ImportPreset => self.ask_path(ctx, FilePurpose::ImportPreset),
            Command::ExportPreset => self.ask_path(ctx, FilePurpose::ExportPreset),
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Command::ToolHairline => self.controls.tool = Tool::Paint(RegionKind::Hairline),
            Command::ToolBald => self.controls.tool = Tool::Paint(RegionKind::Bald),
            Command::ToolScar => self.controls.tool = Tool::Paint(RegionKind::Scar),
            Command::ToolEraser => {
                if let Tool::Paint(kind) = self.controls.tool {
                    self.controls.erase_region = kind;
                }
                self.controls.tool = Tool::Eraser;
            }
            Command::ToolPan => self.controls.tool = Tool::Pan,
            Command::ToolMeasure => self.controls.tool = Tool::Measure,
            Command::BrushSmaller => {
                self.controls.brush_diameter_mm =
                    (self.controls.brush_diameter_mm / step).max(*BRUSH_DIAMETER_MM.start())
            }
            Command::BrushLarger => {
                self.controls.brush_diameter_mm =
                    (self.controls.brush_diameter_mm * step).min(*BRUSH_DIAMETER_MM.end())
            }
            Command::ToggleBeforeAfter => self.controls.show_before = !self.controls.show_before,
            Command::ToggleSplit => self.split = if self.split.is_some() { None } else { Some(0.5) },
            Command::ToggleRegions => {
                let any = self.controls.show_region.iter().any(|&v| v);
                self.controls.show_region = [!any; 3];
                self.refresh_all_tint();
            }
            Command::ZoomToFit => self.view.needs_fit = true,
            Command::ZoomActualSize => {
                let ppp = ctx.pixels_per_point();
                self.view.set_zoom(self.canvas_rect, 1.0 / ppp);
            }
        }
    }

    fn error(&mut self, text: String) {
        self.notice = Some(Notice { text, is_error: true });
    }

    fn info(&mut self, text: String) {
        self.notice = Some(Notice { text, is_error: false });
    }

    fn collect_shortcuts(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        for command in Command::ALL {
            if command.shortcuts().iter().any(|shortcut| ctx.input_mut(|i| i.consume_shortcut(shortcut))) {
                self.commands.push(command);
            }
        }
    }
}

fn texture_options() -> TextureOptions {
    TextureOptions {
        magnification: egui::TextureFilter::Nearest,
        minification: egui::TextureFilter::Linear,
        wrap_mode: egui::TextureWrapMode::ClampToEdge,
        mipmap_mode: Some(egui::TextureFilter::Linear),
    }
}

fn blank_consultation(presets: &[Preset]) -> Consultation {
    let image = image::RgbImage::from_pixel(800, 600, image::Rgb([200, 170, 150]));
    Consultation::new("untitled".into(), image, presets.first().cloned().unwrap_or_default())
}

/// A calm, legible look: slightly larger type, generous spacing.
fn style(ctx: &egui::Context) {
    ctx.set_theme(egui::Theme::Dark);
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
        for (text_style, font) in style.text_styles.iter_mut() {
            font.size = match text_style {
                egui::TextStyle::Heading => 18.0,
                egui::TextStyle::Small => 11.0,
                _ => 14.0,
            };
        }
    });
}

impl eframe::App for SmpApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.handle_close_request(&ctx);
        self.receive_render();
        self.receive_opened_photo();
        self.receive_writes();
        self.update_thumbnails(&ctx);
        while let Ok((purpose, picked)) = self.picks_rx.try_recv() {
            if let Some(path) = picked
                && self.prompt.as_ref().is_some_and(|p| p.purpose == purpose)
            {
                self.use_path(purpose, &path);
            }
        }
        self.handle_dropped_files(&ctx);
        self.collect_shortcuts(&ctx);

        panels::menu_bar(self, ui);
        panels::status_bar(self, ui);
        panels::tools_panel(self, ui);
        panels::simulation_panel(self, ui);
        // Hold B to peek at the photo as it is.
        let compare_held = !ctx.egui_wants_keyboard_input() && ctx.input(|i| i.key_down(egui::Key::B));
        let canvas = egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                let tint_visible = self.controls.show_region.iter().any(|&v| v);
                let photo = &self.consultation.photo;
                canvas::canvas_ui(
                    ui,
                    CanvasInput {
                        image_size: egui::vec2(photo.width() as f32, photo.height() as f32),
                        before: self.textures.before.id(),
                        after: self.textures.after.id(),
                        show_before: self.controls.show_before || compare_held,
                        split: self.split,
                        tint: tint_visible.then(|| self.textures.tint.id()),
                        tint_opacity: self.controls.tint_opacity,
                        mode: match self.controls.tool {
                            Tool::Paint(_) | Tool::Eraser if self.controls.fill_shape => DragMode::Lasso,
                            Tool::Paint(_) | Tool::Eraser => DragMode::Paint,
                            Tool::Pan => DragMode::Pan,
                            Tool::Measure => DragMode::Measure,
                        },
                        measure_line: self.measure_line,
                        lasso: &self.lasso,
                        brush_radius_px: self
                            .consultation
                            .settings
                            .scale
                            .px(self.controls.brush_diameter_mm * 0.5),
                        busy: self.worker.busy() || self.pending.is_some(),
                        view: &mut self.view,
                    },
                )
            })
            .inner;
        self.canvas_rect = canvas.rect;
        self.hover_image = canvas.hover_image;
        for action in canvas.actions {
            match action {
                CanvasAction::Paint { points_image, started, erase_all } => {
                    self.paint(&points_image, started, erase_all)
                }
                CanvasAction::StrokeEnded => self.end_stroke(),
                CanvasAction::SplitMoved(f) => self.split = Some(f),
                CanvasAction::Lasso { point, started, finished, erase_all } => {
                    if started {
                        self.lasso.clear();
                    }
                    self.lasso.push(point);
                    if finished {
                        let outline = std::mem::take(&mut self.lasso);
                        self.fill_outline(&outline, erase_all);
                    }
                }
                CanvasAction::Measure { from, to, finished } => {
                    self.measure_line = Some((from, to));
                    let length_px = (to - from).length();
                    if finished && length_px >= 5.0 {
                        self.measure_prompt = Some(MeasurePrompt { length_px, text: String::new() });
                    }
                }
            }
        }
        panels::prompt_window(self, &ctx);
        panels::measure_window(self, &ctx);
        preset_panel::preset_prompt_window(self, &ctx);
        unsaved::restore_window(self, &ctx);
        unsaved::leave_window(self, &ctx);
        self.commit_look_if_settled(&ctx);

        for command in std::mem::take(&mut self.commands) {
            self.run_command(&ctx, command);
        }
        self.submit_render_if_idle();
        self.autosave(&ctx);
    }
}
