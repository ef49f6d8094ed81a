//! Running the frame's actions: the one place the window's state changes, and where edits are
//! handed to the studio.

use super::canvas::CanvasAction;
use super::state::{BRUSH_DIAMETER_MM, CompareKind, Dialog, FilePurpose, Leave, Tool};
use super::{Action, Command, SmpApp};
use crate::engine::brush::BrushMode;
use crate::engine::design::HairlineDesign;
use crate::engine::head::{HeadEllipse, OutlineChoice};
use crate::engine::mask::RegionKind;
use crate::engine::sampling;
use crate::studio::settings::IMPRESSIONS_PER_HOUR;
use crate::studio::{Edit, Reading};
use eframe::egui;

/// The skin eyedropper reads a disc this wide around the click.
const SKIN_SAMPLE_RADIUS_MM: f32 = 2.5;

/// How much `[` and `]` change the brush.
const BRUSH_STEP: f32 = 1.25;

impl SmpApp {
    pub(super) fn apply(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::Command(command) => self.run_command(ctx, command),
            Action::Edit(edit) => self.edit(edit),
            Action::Canvas(action) => self.canvas_action(action),
            Action::ApplyPreset(index) => {
                if let Some(entry) = self.state.store().list().get(index) {
                    let preset = Box::new(entry.preset.clone());
                    self.edit(Edit::SetPreset(preset));
                }
            }
            Action::Presets(op) => {
                if let Err(e) = self.state.studio.presets(op) {
                    self.error(&e);
                }
            }
            Action::SetEraseRegion(kind) => self.state.controls.erase_region = kind,
            Action::SetBrushDiameter(mm) => {
                self.state.controls.brush_diameter_mm =
                    mm.clamp(*BRUSH_DIAMETER_MM.start(), *BRUSH_DIAMETER_MM.end())
            }
            Action::SetBrushHardness(h) => self.state.controls.brush_hardness = h.clamp(0.0, 1.0),
            Action::SetFillShape(on) => self.state.controls.fill_shape = on,
            Action::SetTintOpacity(o) => self.state.controls.tint_opacity = o.clamp(0.0, 1.0),
            Action::ShowBefore(on) => self.state.controls.show_before = on,
            Action::SetPresetSearch(text) => self.state.preset_search = text,
            Action::UsePath(purpose, path) => self.use_path(purpose, &path),
            Action::SetDialogText(new) => {
                if let Some(
                    Dialog::Path { text, .. }
                    | Dialog::Measure { text, .. }
                    | Dialog::PresetName { text, .. },
                ) = &mut self.state.dialog
                {
                    *text = new;
                }
            }
            Action::SetExport(setup) => {
                if let Some(Dialog::Export(current)) = &mut self.state.dialog {
                    *current = setup;
                }
            }
            Action::CancelExport => self.state.studio.cancel_export(),
            Action::SetDetails(notes) => {
                if let Some(Dialog::Details(current)) = &mut self.state.dialog {
                    *current = notes;
                }
            }
            Action::SetImpressionsPerHour(rate) => {
                let rate = rate.clamp(*IMPRESSIONS_PER_HOUR.start(), *IMPRESSIONS_PER_HOUR.end());
                self.state.studio.change_settings(|s| s.impressions_per_hour = rate);
            }
            Action::OpenRecent(path) => {
                if !path.exists() {
                    self.state.studio.change_settings(|s| {
                        s.prune();
                    });
                    self.state
                        .notices
                        .error(format!("{} is no longer there; it was moved or deleted.", path.display()));
                } else if !self.stops_to_ask(Leave::Open(path.clone())) {
                    self.open_dropped(&path);
                }
            }
            Action::CloseShortcuts => self.state.show_shortcuts = false,
            Action::CloseGuide => self.state.show_guide = false,
            Action::PlaceGlabella(on) => self.state.controls.placing_glabella = on,
            Action::SuggestRegions => match self.state.studio.suggest_regions() {
                Ok(()) => self.info("Looking for bald and thinning scalp…"),
                Err(e) => self.error(&e),
            },
            Action::AcceptSuggestion => {
                let change = self.state.studio.accept_suggestion();
                if let Some(rect) = change.tint {
                    self.refresh_tint(rect);
                }
            }
            Action::DismissSuggestion => self.state.studio.dismiss_suggestion(),
            Action::SetCompare { kind, presets } => {
                if let Some(Dialog::Compare { kind: k, presets: p }) = &mut self.state.dialog {
                    *k = kind;
                    *p = presets;
                }
            }
            Action::ChooseVariant(i) => {
                if let Some(pane) = self.state.studio.compare().panes().get(i) {
                    let variant = pane.variant.clone();
                    // One undo step: the edits of one frame form one gesture.
                    if let Some(preset) = variant.preset {
                        self.edit(Edit::SetPreset(Box::new(preset)));
                    }
                    if let Some(session) = variant.session {
                        self.edit(Edit::SetSession(session));
                    }
                    if let Some(stage) = variant.stage {
                        self.edit(Edit::SetStage(stage));
                    }
                    self.state.studio.stop_compare();
                    self.info(format!("Now showing {}.", variant.label));
                }
            }
            Action::Confirm => self.confirm(ctx),
            Action::Alternative => self.alternative(ctx),
            Action::CloseDialog => {
                if matches!(self.state.dialog, Some(Dialog::Measure { .. })) {
                    self.state.measure_line = None;
                }
                // Whatever waited for this dialog's save waits no more.
                self.state.after_save = None;
                self.state.dialog = None;
            }
            Action::AskRename(index) => {
                let text =
                    self.state.store().list().get(index).map(|e| e.preset.name.clone()).unwrap_or_default();
                self.open_dialog(Dialog::PresetName { rename: Some(index), text });
            }
            Action::AskDelete(index) => self.open_dialog(Dialog::ConfirmDeletePreset { index }),
            Action::AskSavePresetAs => {
                let text = format!("{} (mine)", self.state.consultation().preset.name);
                self.open_dialog(Dialog::PresetName { rename: None, text });
            }
            Action::Restore => {
                if let Err(e) = self.state.studio.restore() {
                    self.error(&e);
                } else {
                    self.info("Restoring the unsaved work…");
                }
            }
            Action::DiscardRestore => self.state.studio.discard_restore(),
            Action::DismissNotice => self.state.notices.dismiss(),
            Action::ToggleNotices => self.state.show_notices = !self.state.show_notices,
        }
    }

    pub(super) fn open_dialog(&mut self, dialog: Dialog) {
        self.state.dialog_serial += 1;
        self.state.dialog = Some(dialog);
    }

    /// Hands an edit to the studio and redraws what it changed.
    pub(super) fn edit(&mut self, edit: Edit) {
        let change = self.state.studio.apply(edit);
        if change.edited && !self.state.studio.settings().hint_seen {
            // The first-run hint has done its work once something was drawn or chosen.
            self.state.studio.change_settings(|s| s.hint_seen = true);
        }
        if let Some(rect) = change.tint {
            self.refresh_tint(rect);
        }
    }

    fn canvas_action(&mut self, action: CanvasAction) {
        match action {
            CanvasAction::Paint { points_image, erase_all } => {
                let Some((layers, mode)) = self.brush_targets(erase_all) else { return };
                let points_px = points_image.iter().map(|p| (p.x, p.y)).collect();
                let radius_px = self.state.brush_radius_px();
                let hardness = self.state.controls.brush_hardness;
                self.edit(Edit::Paint { layers, mode, radius_px, hardness, points_px });
            }
            CanvasAction::StrokeEnded => self.edit(Edit::EndGesture),
            CanvasAction::SplitMoved(f) => self.state.controls.split = Some(f),
            CanvasAction::Lasso { point, started, finished, erase_all } => {
                if started {
                    self.state.lasso.clear();
                }
                self.state.lasso.push(point);
                if finished {
                    let outline = std::mem::take(&mut self.state.lasso);
                    if let Some((layers, mode)) = self.brush_targets(erase_all) {
                        let outline_px = outline.iter().map(|p| (p.x, p.y)).collect();
                        self.edit(Edit::Fill { layers, mode, outline_px });
                    }
                }
            }
            CanvasAction::DesignAdd(p) => self.change_design(|d| d.add_handle([p.x, p.y])),
            CanvasAction::DesignMove { index, to } => {
                self.change_design(|d| d.move_handle(index, [to.x, to.y]))
            }
            CanvasAction::DesignRemove(index) => self.change_design(|d| d.remove_handle(index)),
            CanvasAction::DesignGlabella(p) => {
                self.state.controls.placing_glabella = false;
                self.change_design(|d| d.glabella = Some([p.x, p.y]));
            }
            CanvasAction::OutlineMove { handle, to } => {
                if let Some(ellipse) = self.state.consultation().scene().head_ellipse() {
                    let moved = ellipse.with_handle_at(handle, (to.x, to.y));
                    self.edit(Edit::SetHeadOutline(OutlineChoice::Set(moved)));
                }
            }
            CanvasAction::OutlineBox { from, to } => {
                let drawn = HeadEllipse::in_box((from.x, from.y), (to.x, to.y));
                self.edit(Edit::SetHeadOutline(OutlineChoice::Set(drawn)));
            }
            CanvasAction::Pick(p) if self.state.controls.tool == Tool::MatchStubble => self.match_stubble(p),
            CanvasAction::Pick(p) => self.sample_skin(p),
            CanvasAction::Measure { from, to, finished } => {
                self.state.measure_line = Some((from, to));
                let length_px = self.state.consultation().measured_length_px((from.x, from.y), (to.x, to.y));
                if finished && length_px >= 5.0 {
                    self.open_dialog(Dialog::Measure { length_px, text: String::new() });
                }
            }
        }
    }

    /// The skin eyedropper: the preset takes the skin tone under the pointer (over a few mm).
    fn sample_skin(&mut self, p: egui::Pos2) {
        let consultation = self.state.consultation();
        let radius_px = consultation.settings.scale.px(SKIN_SAMPLE_RADIUS_MM);
        let hair = Some(consultation.hair.as_ref());
        match sampling::sample_skin(&consultation.photo, hair, p.x, p.y, radius_px) {
            Some(sample) => {
                let mut preset = consultation.preset.clone();
                preset.skin.srgb = sample.srgb;
                preset.skin.fitzpatrick = sample.fitzpatrick;
                self.edit(Edit::ReadPreset { preset: Box::new(preset), from: Reading::Skin });
                let roman =
                    ["I", "II", "III", "IV", "V", "VI"][usize::from(sample.fitzpatrick.clamp(1, 6) - 1)];
                self.info(format!(
                    "Skin tone set to {} (ITA {:.0}°, {}; nearest Fitzpatrick type {roman}).",
                    sample.srgb.to_hex(),
                    sample.ita_degrees,
                    sample.category()
                ));
            }
            None => self.info("No bare skin there to read; click on the patient's skin."),
        }
    }

    /// Match stubble: dot size, density, darkness and shade set to look like the patient's own
    /// short hair under the pointer, as one undoable preset change.
    /// The measuring runs in the background, so the window stays live meanwhile.
    fn match_stubble(&mut self, p: egui::Pos2) {
        match self.state.studio.match_stubble(p.x, p.y) {
            Ok(()) => self.info("Measuring the stubble…"),
            Err(e) => self.error(&e),
        }
    }

    /// Changes the designed hairline (starting one if there is none) as an edit.
    pub(super) fn change_design(&mut self, change: impl FnOnce(&mut HairlineDesign)) {
        let mut design = self.state.consultation().hairline_design.clone().unwrap_or_default();
        change(&mut design);
        let design = (!design.handles.is_empty() || design.glabella.is_some()).then_some(design);
        let replaces = self.state.studio.document().design_replaces_painting(design.as_ref());
        self.edit(Edit::SetHairlineDesign(design));
        if replaces {
            self.info(
                "The designed hairline took the place of the painted one; Undo brings the painted one back.",
            );
        }
    }

    /// The layers the current tool changes and how, or `None` for tools that do not paint.
    fn brush_targets(&self, erase_all: bool) -> Option<(Vec<RegionKind>, BrushMode)> {
        let controls = &self.state.controls;
        match controls.tool {
            Tool::Paint(kind) => Some((vec![kind], BrushMode::Paint)),
            Tool::Eraser if erase_all => Some((RegionKind::ALL.to_vec(), BrushMode::Erase)),
            Tool::Eraser => Some((vec![controls.erase_region], BrushMode::Erase)),
            Tool::Pan
            | Tool::Measure
            | Tool::Design
            | Tool::SampleSkin
            | Tool::MatchStubble
            | Tool::Outline => None,
        }
    }

    pub(super) fn run_command(&mut self, ctx: &egui::Context, command: Command) {
        if self.stops_to_ask(Leave::Command(command)) {
            return;
        }
        self.run_command_now(ctx, command);
    }

    /// Runs `command`, even one that drops unsaved work: the person was asked already.
    pub(super) fn run_command_now(&mut self, ctx: &egui::Context, command: Command) {
        let controls = &mut self.state.controls;
        match command {
            Command::Undo | Command::Redo => {
                let redo = command == Command::Redo;
                self.edit(if redo { Edit::Redo } else { Edit::Undo });
                // Whatever the status line said of the step is no longer so: say what went.
                let history = self.state.studio.document().history();
                let name = if redo { history.undo_name() } else { history.redo_name() };
                if let Some(name) = name.filter(|n| !n.is_empty()) {
                    self.info(format!("{} the {name}.", if redo { "Redid" } else { "Undid" }));
                }
            }
            Command::OpenPhoto => self.ask_path(FilePurpose::OpenPhoto),
            Command::OpenConsultation => self.ask_path(FilePurpose::OpenConsultation),
            Command::OpenSample => match self.state.studio.open_sample() {
                Ok(()) => self.info("Opening the sample…"),
                Err(e) => self.error(&e),
            },
            Command::SaveConsultation => match self.state.studio.document().file_path() {
                Some(path) => {
                    let path = path.to_path_buf();
                    self.save_to(&path);
                }
                None => self.ask_path(FilePurpose::SaveConsultation),
            },
            Command::SaveConsultationAs => self.ask_path(FilePurpose::SaveConsultation),
            Command::ExportPreview => {
                let setup = self.state.export_setup.clone();
                self.open_dialog(Dialog::Export(setup));
            }
            Command::ImportPreset => self.ask_path(FilePurpose::ImportPreset),
            Command::ExportPreset => self.ask_path(FilePurpose::ExportPreset),
            Command::Quit => {
                self.state.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::ToolHairline => controls.tool = Tool::Paint(RegionKind::Hairline),
            Command::ToolBald => controls.tool = Tool::Paint(RegionKind::Bald),
            Command::ToolScar => controls.tool = Tool::Paint(RegionKind::Scar),
            Command::ToolEraser => {
                if let Tool::Paint(kind) = controls.tool {
                    controls.erase_region = kind;
                }
                controls.tool = Tool::Eraser;
            }
            Command::ToolPan => controls.tool = Tool::Pan,
            Command::ToolMeasure => controls.tool = Tool::Measure,
            Command::ToolDesign => controls.tool = Tool::Design,
            Command::ToolSampleSkin => controls.tool = Tool::SampleSkin,
            Command::ToolMatchStubble => controls.tool = Tool::MatchStubble,
            Command::ToolOutline => controls.tool = Tool::Outline,
            Command::BrushSmaller => {
                controls.brush_diameter_mm =
                    (controls.brush_diameter_mm / BRUSH_STEP).max(*BRUSH_DIAMETER_MM.start())
            }
            Command::BrushLarger => {
                controls.brush_diameter_mm =
                    (controls.brush_diameter_mm * BRUSH_STEP).min(*BRUSH_DIAMETER_MM.end())
            }
            Command::ToggleBeforeAfter => controls.show_before = !controls.show_before,
            Command::ToggleSplit => controls.split = if controls.split.is_some() { None } else { Some(0.5) },
            Command::ToggleRegions => {
                let any = self.state.consultation().show_regions.iter().any(|&v| v);
                self.edit(Edit::ShowRegions(!any));
            }
            Command::ConsultationDetails => {
                let notes = self.state.consultation().notes.clone();
                self.open_dialog(Dialog::Details(notes));
            }
            Command::ToggleMirror => self.state.view.mirrored = !self.state.view.mirrored,
            Command::TogglePresentation => self.toggle_presentation(ctx),
            Command::Compare => {
                if self.state.studio.compare().active() {
                    self.state.studio.stop_compare();
                } else {
                    let current = self.state.applied_preset_index();
                    let count = self.state.store().list().len();
                    // The applied preset and the next one, to start from.
                    let presets: Vec<usize> = match current {
                        Some(i) => vec![i, (i + 1) % count.max(1)],
                        None => (0..count.min(2)).collect(),
                    };
                    self.open_dialog(Dialog::Compare { kind: CompareKind::Presets, presets });
                }
            }
            Command::ShowShortcuts => self.state.show_shortcuts = !self.state.show_shortcuts,
            Command::ShowGuide => self.state.show_guide = !self.state.show_guide,
            Command::OpenLogFolder => self.open_log_folder(),
            Command::ZoomToFit => self.state.view.needs_fit = true,
            Command::ZoomActualSize => {
                let ppp = ctx.pixels_per_point();
                self.state.view.set_zoom(self.state.canvas_rect, 1.0 / ppp);
            }
        }
    }
}
