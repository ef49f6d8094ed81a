//! The eframe window: a thin shell over the [`Studio`]. Panels, dialogs and the canvas read the
//! [`State`] and return [`Action`]s; the app runs them once at the end of the frame.

mod action;
mod answers;
mod apply;
pub mod canvas;
pub mod commands;
mod compare_view;
mod dialogs;
mod files;
mod icons;
mod overlays;
mod panels;
pub mod state;
mod textures;
mod view;

pub use action::Action;
pub use commands::Command;
pub use state::{Controls, Dialog, FilePurpose, Leave, Notice, State, Tool};

use crate::engine::mask::PixelRect;
use crate::studio::notices::Notices;
use crate::studio::{Folders, Studio, StudioError};
use canvas::{CanvasInput, DragMode, View};
use eframe::egui::{self, ColorImage, TextureOptions};
use panels::presets::ThumbnailTextures;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;
use textures::Tiled;

/// The window's icon: a scalp from above with a stippled hairline (`assets/icons/`).
const WINDOW_ICON: &[u8] = include_bytes!("../../assets/icons/smp-studio-256.png");

/// Opens the window on `photo`, or on the sample consultation.
pub fn run(photo: Option<&Path>) -> anyhow::Result<()> {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("SMP Studio")
        .with_app_id("smp-studio")
        .with_inner_size([1440.0, 900.0])
        .with_min_inner_size([960.0, 600.0])
        .with_drag_and_drop(true);
    // The same picture as the desktop entry's; a window without it still opens.
    if let Ok(icon) = eframe::icon_data::from_png_bytes(WINDOW_ICON) {
        viewport = viewport.with_icon(std::sync::Arc::new(icon));
    }
    let options = eframe::NativeOptions { viewport, ..Default::default() };
    let photo = photo.map(Path::to_path_buf);
    eframe::run_native(
        "SMP Studio",
        options,
        Box::new(move |cc| Ok(Box::new(SmpApp::new(cc, photo.as_deref(), Folders::user())))),
    )
    .map_err(|e| anyhow::anyhow!("could not open the SMP Studio window: {e}"))
}

/// A file dialog's answer: for what, and the path picked (none if cancelled).
type Pick = (FilePurpose, Option<PathBuf>);

/// The photo, the result and the region tints on the GPU, for the document on screen.
struct Textures {
    before: Tiled,
    after: Tiled,
    tint: Tiled,
    /// Which document they show, by its photo.
    photo: std::sync::Arc<image::RgbImage>,
}

pub struct SmpApp {
    state: State,
    textures: Textures,
    thumbnails: ThumbnailTextures,
    /// The comparison's panes on the GPU, one per variant.
    compare_textures: Vec<Tiled>,
    /// The suggested region on the GPU, and the layer it shows.
    suggestion: Option<(std::sync::Arc<crate::engine::mask::Mask>, Tiled)>,
    actions: Vec<Action>,
    /// Paths picked in system file dialogs, which answer from threads of their own.
    picks: (Sender<Pick>, Receiver<Pick>),
    /// The window title last set.
    title: String,
    /// How long closing waits for saves and the recovery copy.
    pub finish_limit: Duration,
    /// Shows a folder in the file manager (tests watch instead).
    show_folder: fn(&Path) -> std::io::Result<()>,
    ctx: egui::Context,
}

impl SmpApp {
    /// Opens on `file`, a photo or a saved consultation (or on the sample), keeping presets and
    /// autosaves in `folders`.
    pub fn new(cc: &eframe::CreationContext<'_>, file: Option<&Path>, folders: Folders) -> Self {
        let ctx = cc.egui_ctx.clone();
        style(&ctx);
        let wake_ctx = ctx.clone();
        let notices = Notices::new(folders.logs.clone());
        let (studio, problems) = Studio::new(folders, move || wake_ctx.request_repaint());
        let textures = document_textures(&ctx, &studio);
        let mut app = SmpApp {
            state: State {
                studio,
                controls: Controls::default(),
                view: View::default(),
                dialog: None,
                dialog_serial: 0,
                notices,
                show_notices: false,
                preset_search: String::new(),
                lasso: Vec::new(),
                measure_line: None,
                hover_image: None,
                canvas_rect: egui::Rect::NOTHING,
                after_save: None,
                close_confirmed: false,
                presentation: None,
                show_shortcuts: false,
                show_guide: false,
                export_setup: Default::default(),
            },
            textures,
            thumbnails: ThumbnailTextures::new(),
            compare_textures: Vec::new(),
            suggestion: None,
            actions: Vec::new(),
            picks: channel(),
            title: String::new(),
            finish_limit: Duration::from_secs(10),
            show_folder: files::show_in_file_manager,
            ctx,
        };
        for problem in problems {
            app.error(&problem);
        }
        let warnings = app.state.store().warnings();
        if let Some(first) = warnings.first() {
            let more = if warnings.len() > 1 {
                format!(" ({} more in the preset list)", warnings.len() - 1)
            } else {
                String::new()
            };
            let text = format!("Some presets in your folder were not read: {first}{more}");
            app.state.notices.error(text);
        }
        if let Some(path) = file {
            // A consultation given to the program (a double-clicked .smpc) opens as one.
            app.actions.push(Action::UsePath(FilePurpose::opening(path), path.to_path_buf()));
        }
        app
    }

    /// Copies edits to the recovery folder after `quiet` without edits (tests use zero).
    pub fn with_autosave_after(mut self, quiet: Duration) -> Self {
        self.state.studio.set_autosave_after(quiet);
        self
    }

    /// Shows folders with `show` instead of the file manager.
    pub fn with_folder_shown_by(mut self, show: fn(&Path) -> std::io::Result<()>) -> Self {
        self.show_folder = show;
        self
    }

    /// What the window shows, for tests and tools.
    pub fn state(&self) -> &State {
        &self.state
    }

    fn error(&mut self, error: &StudioError) {
        self.state.notices.error(sentence(&error.to_string()));
    }

    fn info(&mut self, text: impl Into<String>) {
        self.state.notices.info(text);
    }

    /// Takes in what background work finished.
    fn receive(&mut self) {
        for event in self.state.studio.poll() {
            self.event(event);
        }
        if !std::sync::Arc::ptr_eq(&self.textures.photo, &self.state.consultation().photo) {
            self.textures = document_textures(&self.ctx, &self.state.studio);
            self.state.view = View::default();
            self.state.lasso.clear();
            self.state.measure_line = None;
        }
        if let Some(rect) = self.state.studio.take_fresh()
            && let Some(result) = self.state.studio.result()
            && result.dimensions() == self.textures.after.size()
        {
            self.textures.after.update(rect, |x, y| textures::rgb(result, x, y));
        }
        self.update_compare_textures();
        self.update_suggestion_texture();
        self.update_thumbnails();
    }

    /// The suggested region drawn in the bald spot's colour, while it waits for an answer.
    fn update_suggestion_texture(&mut self) {
        let wanted = self.state.studio.suggestion().cloned();
        let same = match (&self.suggestion, &wanted) {
            (Some((shown, _)), Some(w)) => std::sync::Arc::ptr_eq(shown, w),
            (None, None) => true,
            _ => false,
        };
        if same {
            return;
        }
        self.suggestion = wanted.map(|layer| {
            let max_side = self.ctx.input(|i| i.max_texture_side);
            let [r, g, b] = crate::engine::mask::RegionKind::Bald.tint_srgb();
            let size = (layer.width(), layer.height());
            let texture = Tiled::new(&self.ctx, "suggestion", size, max_side, |x, y| {
                egui::Color32::from_rgba_unmultiplied(r, g, b, layer.get(x, y))
            });
            (layer, texture)
        });
    }

    /// One texture per compare pane, starting as the photo and following each pane's results.
    fn update_compare_textures(&mut self) {
        let count = self.state.studio.compare().panes().len();
        if count != self.compare_textures.len() {
            let max_side = self.ctx.input(|i| i.max_texture_side);
            let photo = self.state.consultation().photo.clone();
            self.compare_textures = (0..count)
                .map(|i| Tiled::from_rgb(&self.ctx, &format!("compare {i}"), &photo, max_side))
                .collect();
            self.state.view.needs_fit = true;
        }
        for i in 0..count {
            let Some(rect) = self.state.studio.take_compare_fresh(i) else { continue };
            let pane = &self.state.studio.compare().panes()[i];
            if let (Some(image), Some(texture)) = (pane.image(), self.compare_textures.get_mut(i))
                && image.dimensions() == texture.size()
            {
                texture.update(rect, |x, y| textures::rgb(image, x, y));
            }
        }
    }

    fn update_thumbnails(&mut self) {
        let store = self.state.studio.store();
        let thumbnails = self.state.studio.thumbnails();
        for entry in store.list() {
            let Some(thumb) = thumbnails.get(entry) else { continue };
            let key = crate::studio::thumbnails::key(entry);
            if self.thumbnails.get(&key).is_some_and(|(serial, _)| *serial == thumb.serial) {
                continue;
            }
            let size = [thumb.image.width() as usize, thumb.image.height() as usize];
            let texture = self.ctx.load_texture(
                format!("thumbnail {key:?}"),
                ColorImage::from_rgb(size, thumb.image.as_raw()),
                TextureOptions::LINEAR,
            );
            self.thumbnails.insert(key, (thumb.serial, texture));
        }
    }

    /// Redraws the region tints inside `rect`.
    fn refresh_tint(&mut self, rect: PixelRect) {
        let consultation = self.state.studio.consultation();
        let (masks, shown) = (&consultation.masks, consultation.show_regions);
        self.textures.tint.update(rect, |x, y| textures::tint(masks, shown, x, y));
    }

    fn collect_shortcuts(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() || self.state.dialog.is_some() {
            return;
        }
        // Esc leaves whichever mode fills the window: presentation first, then a comparison.
        if self.state.presentation.is_some()
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            self.actions.push(Action::Command(Command::TogglePresentation));
        } else if self.state.studio.compare().active()
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            self.actions.push(Action::Command(Command::Compare));
        }
        for (shortcut, command) in Command::shortcut_table() {
            if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
                self.actions.push(Action::Command(command));
            }
        }
    }

    fn canvas(&mut self, ui: &mut egui::Ui) {
        if self.state.studio.compare().active() {
            self.compare_canvas(ui);
            return;
        }
        let ctx = ui.ctx().clone();
        // Hold B to peek at the photo as it is.
        let peek = !ctx.egui_wants_keyboard_input() && ctx.input(|i| i.key_down(egui::Key::B));
        let state = &mut self.state;
        let textures = &self.textures;
        let photo = &state.studio.consultation().photo;
        let image_size = egui::vec2(photo.width() as f32, photo.height() as f32);
        // The tint marks the regions while they are painted and over the photo as it is; over
        // the result otherwise it would veil the skin tone the doctor is judging.
        let painting = matches!(state.controls.tool, Tool::Paint(_) | Tool::Eraser);
        let photo_shown = state.controls.show_before || peek || state.controls.split.is_some();
        let tint_visible =
            state.studio.consultation().show_regions.iter().any(|&v| v) && (painting || photo_shown);
        let brush_radius_px = state.brush_radius_px();
        let busy = state.studio.rendering() || state.studio.loading();
        let locked = state.studio.loading();
        let hint = state.show_hint().then_some(HINT);
        let scale = state.studio.consultation().settings.scale;
        // The curve and its guides show while designing, and in the presentation never.
        let design = (controls_tool_is_design(&state.controls) && state.presentation.is_none())
            .then(|| state.studio.consultation().hairline_design.clone().unwrap_or_default());
        let labels = state.presentation.is_some() || peek;
        let outline = (state.controls.tool == Tool::Outline && state.presentation.is_none()).then(|| {
            let scene = state.studio.consultation().scene();
            canvas::OutlineView {
                ellipse: scene.head_ellipse(),
                by_hand: matches!(scene.settings.head, crate::engine::head::OutlineChoice::Set(_)),
            }
        });
        let controls = &state.controls;
        let output = egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                canvas::canvas_ui(
                    ui,
                    CanvasInput {
                        image_size,
                        before: &textures.before,
                        after: &textures.after,
                        show_before: controls.show_before || peek,
                        split: controls.split,
                        tint: tint_visible.then_some(&textures.tint),
                        tint_opacity: controls.tint_opacity,
                        mode: match controls.tool {
                            Tool::Paint(_) | Tool::Eraser if controls.fill_shape => DragMode::Lasso,
                            Tool::Paint(_) | Tool::Eraser => DragMode::Paint,
                            Tool::Pan => DragMode::Pan,
                            Tool::Measure => DragMode::Measure,
                            Tool::Design => DragMode::Design,
                            Tool::SampleSkin | Tool::MatchStubble => DragMode::Pick,
                            Tool::Outline => DragMode::Outline,
                        },
                        measure_line: state.measure_line,
                        lasso: &state.lasso,
                        brush_radius_px,
                        busy,
                        locked,
                        hint,
                        labels,
                        suggestion: self.suggestion.as_ref().map(|(_, texture)| texture),
                        design: design.as_ref().map(|design| canvas::DesignView {
                            design,
                            scale,
                            placing_glabella: controls.placing_glabella,
                        }),
                        outline,
                        view: &mut state.view,
                    },
                )
            })
            .inner;
        state.canvas_rect = output.rect;
        state.hover_image = output.hover_image;
        self.actions.extend(output.actions.into_iter().map(Action::Canvas));
    }
}

fn controls_tool_is_design(controls: &Controls) -> bool {
    controls.tool == Tool::Design
}

/// Shown over the canvas until the first stroke ever.
const HINT: &str = "Paint the hairline, bald spots and scars with the tools on the left. On a new photo, set the scale with Measure (M) first. The Help menu walks through a whole consultation in six steps.";

impl SmpApp {
    /// The comparison in place of the canvas: panes that zoom and pan together.
    fn compare_canvas(&mut self, ui: &mut egui::Ui) {
        let state = &mut self.state;
        let photo = &state.studio.consultation().photo;
        let image_size = egui::vec2(photo.width() as f32, photo.height() as f32);
        let panes: Vec<compare_view::ComparePane> = state
            .studio
            .compare()
            .panes()
            .iter()
            .zip(&self.compare_textures)
            .map(|(pane, image)| compare_view::ComparePane {
                label: &pane.variant.label,
                image,
                busy: pane.rendering(),
            })
            .collect();
        let clicked = egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| compare_view::compare_ui(ui, &panes, image_size, &mut state.view))
            .inner;
        if let Some(i) = clicked {
            self.actions.push(Action::ChooseVariant(i));
        }
    }
}

/// An error text as a sentence: a capital first letter and a full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

fn document_textures(ctx: &egui::Context, studio: &Studio) -> Textures {
    let max_side = ctx.input(|i| i.max_texture_side);
    let consultation = studio.consultation();
    let photo = consultation.photo.clone();
    let (masks, shown) = (&consultation.masks, consultation.show_regions);
    Textures {
        before: Tiled::from_rgb(ctx, "before", &photo, max_side),
        after: Tiled::from_rgb(ctx, "after", &photo, max_side),
        tint: Tiled::new(ctx, "tint", photo.dimensions(), max_side, |x, y| {
            textures::tint(masks, shown, x, y)
        }),
        photo,
    }
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
        self.receive();
        self.receive_picks();
        self.handle_dropped_files(&ctx);
        self.collect_shortcuts(&ctx);

        let state = &self.state;
        let mut actions = Vec::new();
        if state.presentation.is_some() {
            actions.extend(panels::present::presentation_controls(state, &ctx));
        } else {
            actions.extend(panels::menu::menu_bar(state, ui));
            actions.extend(panels::status::status_bar(state, ui));
            actions.extend(panels::tools::tools_panel(state, ui));
            actions.extend(panels::simulation::simulation_panel(state, &self.thumbnails, ui));
        }
        actions.extend(dialogs::shortcuts_ui(&ctx, state.show_shortcuts));
        actions.extend(dialogs::guide_ui(&ctx, state.show_guide));
        actions.extend(panels::status::notices_window(state, &ctx));
        actions.extend(dialogs::export_progress_ui(state, &ctx));
        self.actions.extend(actions);
        self.canvas(ui);
        for action in std::mem::take(&mut self.actions) {
            self.apply(&ctx, action);
        }
        // Dialogs come last, so one opened by this frame's actions shows in this frame.
        for action in dialogs::dialog_ui(&self.state, &ctx) {
            self.apply(&ctx, action);
        }
        let pointer_down = ctx.input(|i| i.pointer.any_down());
        if !pointer_down {
            // A released pointer ends the stroke or slider drag: it becomes one undo step.
            self.apply(&ctx, Action::Edit(crate::studio::Edit::EndGesture));
        }
        if let Some(wait) = self.state.studio.tick(pointer_down) {
            ctx.request_repaint_after(wait);
        }
        let title = format!(
            "{}{} — SMP Studio",
            panels::menu::title(&self.state),
            if self.state.unsaved() { " (not saved)" } else { "" }
        );
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }
}

#[cfg(test)]
mod icon_tests {
    /// The window's icon reads as the picture it is: square, its full size, not blank.
    #[test]
    fn the_window_icon_is_the_full_size_picture() {
        let icon = eframe::icon_data::from_png_bytes(super::WINDOW_ICON).unwrap();
        assert_eq!((icon.width, icon.height), (256, 256));
        let opaque = icon.rgba.chunks_exact(4).filter(|p| p[3] == 255).count();
        assert!(opaque > 256 * 256 / 2, "only {opaque} opaque pixels");
    }
}
