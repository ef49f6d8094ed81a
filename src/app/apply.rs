//! Running the frame's actions: the one place the window's state changes, and where edits are
//! handed to the studio.

use super::canvas::CanvasAction;
use super::state::{BRUSH_DIAMETER_MM, COMPARE_YEARS, CompareKind, Dialog, FilePurpose, Leave, Tool};
use super::{Action, Command, SmpApp};
use crate::engine::brush::BrushMode;
use crate::engine::design::HairlineDesign;
use crate::engine::mask::RegionKind;
use crate::engine::preset::Preset;
use crate::engine::{photo_check, sampling};
use crate::studio::compare::Variant;
use crate::studio::settings::IMPRESSIONS_PER_HOUR;
use crate::studio::{Edit, Event, Origin, PresetOp};
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
                    self.state.notice = Some(super::Notice {
                        text: format!("{} is no longer there; it was moved or deleted.", path.display()),
                        is_error: true,
                    });
                } else if !self.stops_to_ask(Leave::Open(path.clone())) {
                    self.open_dropped(&path);
                }
            }
            Action::CloseShortcuts => self.state.show_shortcuts = false,
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
            Action::DismissNotice => self.state.notice = None,
        }
    }

    pub(super) fn open_dialog(&mut self, dialog: Dialog) {
        self.state.dialog_serial += 1;
        self.state.dialog = Some(dialog);
    }

    /// Hands an edit to the studio and redraws what it changed.
    fn edit(&mut self, edit: Edit) {
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
            CanvasAction::Paint { points_image, started: _, erase_all } => {
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
            CanvasAction::Pick(p) => self.sample_skin(p),
            CanvasAction::Measure { from, to, finished } => {
                self.state.measure_line = Some((from, to));
                let length_px = (to - from).length();
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
                self.edit(Edit::SetPreset(Box::new(preset)));
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

    /// Changes the designed hairline (starting one if there is none) as an edit.
    pub(super) fn change_design(&mut self, change: impl FnOnce(&mut HairlineDesign)) {
        let mut design = self.state.consultation().hairline_design.clone().unwrap_or_default();
        change(&mut design);
        let design = (!design.handles.is_empty() || design.glabella.is_some()).then_some(design);
        self.edit(Edit::SetHairlineDesign(design));
    }

    /// The layers the current tool changes and how, or `None` for tools that do not paint.
    fn brush_targets(&self, erase_all: bool) -> Option<(Vec<RegionKind>, BrushMode)> {
        let controls = &self.state.controls;
        match controls.tool {
            Tool::Paint(kind) => Some((vec![kind], BrushMode::Paint)),
            Tool::Eraser if erase_all => Some((RegionKind::ALL.to_vec(), BrushMode::Erase)),
            Tool::Eraser => Some((vec![controls.erase_region], BrushMode::Erase)),
            Tool::Pan | Tool::Measure | Tool::Design | Tool::SampleSkin => None,
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
            Command::Undo => self.edit(Edit::Undo),
            Command::Redo => self.edit(Edit::Redo),
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
            Command::ExportPreview => self.ask_path(FilePurpose::ExportPreview),
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
            Command::ZoomToFit => self.state.view.needs_fit = true,
            Command::ZoomActualSize => {
                let ppp = ctx.pixels_per_point();
                self.state.view.set_zoom(self.state.canvas_rect, 1.0 / ppp);
            }
        }
    }

    /// Whether `leave` must wait for an answer first; if so the question is shown.
    pub(super) fn stops_to_ask(&mut self, leave: Leave) -> bool {
        let drops_document = match &leave {
            Leave::Command(command) => matches!(
                command,
                Command::OpenPhoto | Command::OpenSample | Command::OpenConsultation | Command::Quit
            ),
            Leave::Open(_) => true,
        };
        if !drops_document {
            return false;
        }
        let quit = leave == Leave::Command(Command::Quit);
        if self.state.studio.restore_offer().is_some() || self.state.studio.loading() {
            // Until the offer is answered nothing replaces the work it holds; closing leaves
            // it in its folder for the next start.
            return !quit;
        }
        // A stroke still under the pointer counts as an edit.
        self.edit(Edit::EndGesture);
        if !self.state.unsaved() {
            return false;
        }
        self.open_dialog(Dialog::Leave(leave));
        true
    }

    /// Goes on with what was waiting for a save (the action that asked to save first).
    fn continue_after_save(&mut self, ctx: &egui::Context) {
        match self.state.after_save.take() {
            Some(Leave::Command(command)) => self.run_command_now(ctx, command),
            Some(Leave::Open(path)) => self.open_dropped(&path),
            None => {}
        }
    }

    /// The dialog's main answer.
    fn confirm(&mut self, ctx: &egui::Context) {
        let Some(dialog) = self.state.dialog.take() else { return };
        match dialog {
            Dialog::Path { purpose, text } => {
                let text = text.trim();
                if text.is_empty() {
                    self.state.dialog = Some(Dialog::Path { purpose, text: String::new() });
                    self.info("Type a file path first.");
                } else {
                    self.use_path(purpose, &std::path::PathBuf::from(text));
                }
            }
            Dialog::Measure { length_px, text } => match text.trim().replace(',', ".").parse::<f32>() {
                Ok(mm) if mm > 0.0 && crate::engine::units::Scale::new(length_px / mm).is_some() => {
                    self.edit(Edit::Calibrate { px_per_mm: length_px / mm });
                    self.state.measure_line = None;
                    let scale = self.state.consultation().settings.scale;
                    let check = photo_check::check(scale, true);
                    self.info(format!(
                        "Scale set to {:.2} px/mm.{}",
                        scale.px_per_mm,
                        check.map(|c| format!(" {c}")).unwrap_or_default()
                    ));
                }
                Ok(mm) => {
                    self.state.dialog = Some(Dialog::Measure { length_px, text });
                    self.state.notice = Some(super::Notice {
                        text: format!(
                            "{mm} mm over {length_px:.0} px is not a usable scale; measure a longer line."
                        ),
                        is_error: true,
                    });
                }
                Err(_) => {
                    self.state.dialog = Some(Dialog::Measure { length_px, text });
                    self.state.notice = Some(super::Notice {
                        text: "Type the length in millimetres, e.g. 20 or 12.5.".into(),
                        is_error: true,
                    });
                }
            },
            Dialog::PresetName { rename, text } => {
                let op = match rename {
                    Some(index) => PresetOp::Rename { index, name: text },
                    None => PresetOp::SaveAs { name: text },
                };
                self.apply(ctx, Action::Presets(op));
            }
            Dialog::ConfirmDeletePreset { index } => {
                self.apply(ctx, Action::Presets(PresetOp::Delete { index }))
            }
            Dialog::Leave(leave) => {
                // Save first; what was asked for follows once the save is written.
                self.state.after_save = Some(leave);
                self.run_command_now(ctx, Command::SaveConsultation);
            }
            Dialog::Replace { purpose, path } => self.write_to(purpose, &path),
            Dialog::ChangedOnDisk { path } => self.write_to(FilePurpose::SaveConsultation, &path),
            Dialog::Details(notes) => self.edit(Edit::SetNotes(notes)),
            Dialog::Compare { kind, presets } => {
                let consultation = self.state.consultation();
                let variants = match kind {
                    CompareKind::Presets => {
                        let list = self.state.store().list();
                        let chosen: Vec<Preset> =
                            presets.iter().filter_map(|&i| list.get(i).map(|e| e.preset.clone())).collect();
                        Variant::presets(&chosen)
                    }
                    CompareKind::Sessions => Variant::sessions(&consultation.preset),
                    CompareKind::Years => Variant::years(&COMPARE_YEARS),
                };
                if variants.len() < 2 {
                    self.state.dialog = Some(Dialog::Compare { kind, presets });
                    self.info("Choose at least two presets to compare.");
                } else {
                    self.state.studio.start_compare(variants);
                }
            }
        }
    }

    /// Full screen with the tools hidden and before and after side by side, or back.
    pub(super) fn toggle_presentation(&mut self, ctx: &egui::Context) {
        match self.state.presentation.take() {
            Some(split) => {
                self.state.controls.split = split;
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
            }
            None => {
                self.state.presentation = Some(self.state.controls.split);
                self.state.controls.split.get_or_insert(0.5);
                self.state.controls.show_before = false;
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
            }
        }
        self.state.view.needs_fit = true;
    }

    /// The dialog's second answer.
    fn alternative(&mut self, ctx: &egui::Context) {
        match self.state.dialog.take() {
            Some(Dialog::Leave(leave)) => {
                self.state.studio.discard_unsaved();
                match leave {
                    Leave::Command(command) => self.run_command_now(ctx, command),
                    Leave::Open(path) => self.open_dropped(&path),
                }
            }
            Some(Dialog::ChangedOnDisk { .. }) => self.ask_path(FilePurpose::SaveConsultation),
            other => self.state.dialog = other,
        }
    }

    /// Takes in one finished piece of background work.
    pub(super) fn event(&mut self, event: Event) {
        match event {
            Event::Opened { origin, name, notices } => {
                self.state.controls.show_before = false;
                let text = match origin {
                    Origin::Photo(_) => {
                        format!("Opened {name}. Calibrate the scale with Measure, then paint the regions.")
                    }
                    Origin::File(_) => {
                        let c = self.state.consultation();
                        let check = photo_check::check(c.settings.scale, c.calibrated);
                        format!(
                            "Opened the consultation {name}.{}",
                            check.map(|c| format!(" {c}")).unwrap_or_default()
                        )
                    }
                    Origin::Sample => "Opened the sample consultation.".into(),
                    Origin::Restored => {
                        format!("Restored the unsaved work on {name}. Save the consultation to keep it.")
                    }
                    Origin::Blank => String::new(),
                };
                match notices.first() {
                    // An incomplete or reduced photo is said first, plainly.
                    Some(notice) => {
                        let text = format!("{} {text}", super::sentence(&notice.to_string()));
                        self.state.notice = Some(super::Notice { text, is_error: true });
                    }
                    None => self.info(text),
                }
            }
            Event::Saved { path, revision } => {
                self.info(format!("Saved the consultation to {}.", path.display()));
                if revision == self.state.studio.document().revision() {
                    let ctx = self.ctx.clone();
                    self.continue_after_save(&ctx);
                }
            }
            Event::Exported(path) => self.info(format!("Exported the preview to {}.", path.display())),
            Event::Suggested { found: true } => self.info(
                "The suggested bald and thinning area is shown in orange. Accept it to add it to the bald spot region, then refine it with the brushes.",
            ),
            Event::Suggested { found: false } => {
                self.info("No bald or thinning scalp was found on this photo; paint the regions with the brushes.")
            }
            Event::Presets { message, apply } => {
                if let Some(preset) = apply {
                    self.edit(Edit::SetPreset(Box::new(preset)));
                }
                self.info(message);
            }
            Event::Failed(e) => {
                // A save that failed leaves what waited for it waiting for the person.
                self.state.after_save = None;
                self.error(&e);
            }
        }
    }

    /// The window's close button asks first, like Quit; once closing, saves under way and the
    /// recovery copy are finished so that nothing is half-written.
    pub(super) fn handle_close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) {
            return;
        }
        let confirmed = std::mem::take(&mut self.state.close_confirmed);
        if !confirmed && self.stops_to_ask(Leave::Command(Command::Quit)) {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            return;
        }
        self.state.studio.finish(self.finish_limit);
    }
}
