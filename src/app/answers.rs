//! Questions and their answers: asking before unsaved work is dropped and going on after a
//! save, the dialogs' answers, what background work reports, and closing the window.

use super::state::{COMPARE_YEARS, CompareKind, Dialog, FilePurpose, Leave};
use super::{Action, Command, SmpApp};
use crate::engine::photo_check;
use crate::engine::preset::Preset;
use crate::studio::compare::Variant;
use crate::studio::notices::Topic;
use crate::studio::{Edit, Event, Origin, PresetOp, Reading};
use eframe::egui;

impl SmpApp {
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
    pub(super) fn confirm(&mut self, ctx: &egui::Context) {
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
                    self.state.notices.error(format!(
                        "{mm} mm over {length_px:.0} px is not a usable scale; measure a longer line."
                    ));
                }
                Err(_) => {
                    self.state.dialog = Some(Dialog::Measure { length_px, text });
                    self.state.notices.error("Type the length in millimetres, e.g. 20 or 12.5.");
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
            Dialog::Export(setup) => {
                self.state.export_setup = setup;
                self.ask_path(FilePurpose::ExportPreview);
            }
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
    pub(super) fn alternative(&mut self, ctx: &egui::Context) {
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

    /// Whether the photo just opened is badly blurred, said once as it opens (or, for a photo
    /// opened unmeasured, once it is measured).
    fn blur_check(&self) -> Option<String> {
        let c = self.state.consultation();
        if !c.analysis.is_measured() {
            return None;
        }
        photo_check::blur_check(c.analysis.psf.summary_px(), c.settings.scale, c.calibrated)
    }

    /// Takes in one finished piece of background work.
    pub(super) fn event(&mut self, event: Event) {
        match event {
            Event::Opened { origin, name, notices } => {
                self.state.controls.show_before = false;
                // Restored work is not a fresh opening: news about the photo is said apart.
                let topic = if origin == Origin::Restored { Topic::Other } else { Topic::Opening };
                let text = match origin {
                    Origin::Photo(_) => {
                        format!(
                            "Opened {name}. Calibrate the scale with Measure, then paint the regions.{}",
                            self.blur_check().map(|c| format!(" {c}")).unwrap_or_default()
                        )
                    }
                    Origin::File(_) => {
                        let c = self.state.consultation();
                        let checks: Vec<String> = [photo_check::check(c.settings.scale, c.calibrated), self.blur_check()]
                            .into_iter()
                            .flatten()
                            .collect();
                        format!("Opened the consultation {name}. {}", checks.join(" ")).trim_end().to_owned()
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
                        self.state.notices.push_about(topic, text, true);
                    }
                    None => self.state.notices.push_about(topic, text, false),
                }
            }
            Event::Saved { path, revision } => {
                self.info(format!("Saved the consultation to {}.", path.display()));
                if revision == self.state.studio.document().revision() {
                    let ctx = self.ctx.clone();
                    self.continue_after_save(&ctx);
                }
            }
            Event::Exported(path) => self.info(format!("Exported {}.", path.display())),
            Event::Measured => {
                if let Some(check) = self.blur_check() {
                    // Said with the opening notice, where that is still shown.
                    match self.state.notice() {
                        // An error stays until it is dismissed.
                        Some(n) if n.is_error => {}
                        Some(n) if n.topic == Topic::Opening => self.state.notices.extend_current(&check),
                        _ => self.info(check),
                    }
                }
            }
            Event::StubbleMatched(Some((said, preset))) => {
                self.edit(Edit::ReadPreset { preset, from: Reading::Stubble });
                self.info(said);
            }
            Event::StubbleMatched(None) => {
                self.info("Nothing to read there; click on the patient's own short hair.")
            }
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
            Event::Failed(crate::studio::StudioError::Handout(crate::engine::handout::HandoutError::Cancelled)) => {
                self.info("The export was cancelled; nothing was written.")
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
