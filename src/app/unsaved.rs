//! Nothing is lost: edits are counted, kept in the recovery folder a moment after they
//! settle, and any action that would drop unsaved work (opening something else, quitting)
//! first asks.

use super::recovery::RecoveryNote;
use super::{Command, FilePurpose, Opened, SmpApp};
use crate::engine::consultation::Consultation;
use crate::engine::history::Edit;
use eframe::egui;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Quiet time after an edit before it is copied to the recovery folder: long enough not to
/// write during a burst of strokes, short enough that a crash costs seconds of work.
pub const AUTOSAVE_AFTER: Duration = Duration::from_secs(2);

/// How long closing waits for the recovery folder to be brought up to date.
const FINISH_LIMIT: Duration = Duration::from_secs(10);

/// An action that replaces or closes the consultation on screen.
#[derive(Clone, Debug, PartialEq)]
pub enum Leave {
    Command(Command),
    /// A photo dropped on the window.
    OpenPhoto(PathBuf),
}

impl SmpApp {
    /// The consultation on screen differs from every saved copy.
    pub fn unsaved(&self) -> bool {
        self.saved_revision != Some(self.revision)
    }

    /// Autosave has nothing left to do: the recovery folder holds the latest edit.
    pub fn autosave_settled(&self) -> bool {
        self.autosaved_revision == self.revision && self.recovery.settled()
    }

    /// One undo step, which is one edit of the document.
    pub(super) fn record(&mut self, edit: Edit) {
        self.history.push(edit);
        self.edited();
    }

    pub(super) fn edited(&mut self) {
        self.revision += 1;
        self.last_edit = Instant::now();
    }

    /// The consultation as of `revision` is on disk.
    pub(super) fn saved(&mut self, revision: u64) {
        self.saved_revision = Some(revision);
        if revision == self.revision {
            self.recovery.clear();
            self.autosaved_revision = revision;
        }
    }

    /// Restored work is on screen, unsaved, and still kept in the folder it came from.
    pub(super) fn keep_restored(&mut self, consultation: Consultation, calibrated: bool) {
        self.replace_document(consultation, calibrated);
        self.saved_revision = None;
    }

    /// Whether `leave` must wait for an answer first; if so the question is shown.
    pub(super) fn stops_to_ask(&mut self, leave: Leave) -> bool {
        let drops_document = match &leave {
            Leave::Command(command) => matches!(
                command,
                Command::OpenPhoto | Command::OpenSample | Command::OpenConsultation | Command::Quit
            ),
            Leave::OpenPhoto(_) => true,
        };
        if !drops_document {
            return false;
        }
        // A stroke still under the pointer counts as an edit.
        self.end_stroke();
        let quit = leave == Leave::Command(Command::Quit);
        if self.restore_offer.is_some() || self.restoring {
            // Until the offer is answered nothing replaces the work it holds; closing leaves
            // it in its folder for the next start.
            if quit {
                self.close_confirmed = true;
            }
            return !quit;
        }
        if !self.unsaved() {
            if quit {
                self.close_confirmed = true;
            }
            return false;
        }
        self.leave = Some(leave);
        true
    }

    /// The window's close button asks first, like Quit; once closing, pending recovery work
    /// is finished so that nothing is half-written.
    pub(super) fn handle_close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) {
            return;
        }
        if !self.close_confirmed && self.stops_to_ask(Leave::Command(Command::Quit)) {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            return;
        }
        // Saves and exports under way are finished first: a half-written file helps nobody.
        let deadline = Instant::now() + FINISH_LIMIT;
        for write in std::mem::take(&mut self.writing) {
            let _ = write.done.recv_timeout(deadline.saturating_duration_since(Instant::now()));
        }
        self.recovery.finish(deadline.saturating_duration_since(Instant::now()));
    }

    /// Copies the consultation to the recovery folder once edits have settled.
    pub(super) fn autosave(&mut self, ctx: &egui::Context) {
        for failure in self.recovery.failures() {
            self.error(failure);
        }
        let waiting = self.restore_offer.is_some() || self.restoring || self.leave.is_some();
        if self.autosaved_revision == self.revision || waiting {
            return;
        }
        if self.stroke.is_some() || ctx.input(|i| i.pointer.any_down()) {
            return;
        }
        let quiet = self.last_edit.elapsed();
        if quiet < self.autosave_after {
            ctx.request_repaint_after(self.autosave_after - quiet);
            return;
        }
        self.recovery.write(&self.consultation, self.scale_calibrated);
        self.autosaved_revision = self.revision;
    }

    /// Opens the work kept in the recovery folder, in the background.
    fn restore(&mut self, note: RecoveryNote) {
        let Some(dir) = self.recovery.consultation_file() else { return };
        let task = self.background("restore", move || {
            let mut consultation = Consultation::load(&dir).map_err(|e| {
                format!("The unsaved work could not be restored ({e}). It stays in {}.", dir.display())
            })?;
            consultation.photo_name = note.photo_name;
            Ok(Opened { consultation, reduced_from: None, calibrated: note.calibrated, restored: true })
        });
        if let Some(rx) = task {
            self.loading = Some(rx);
            self.restoring = true;
            self.info("Restoring the unsaved work…".into());
        }
    }
}

/// Offers back the work a session left unsaved.
pub(super) fn restore_window(app: &mut SmpApp, ctx: &egui::Context) {
    let Some(note) = app.restore_offer.clone() else { return };
    let mut answer = None;
    egui::Modal::new(egui::Id::unique("restore_offer")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading("Restore unsaved work?");
        ui.label(format!(
            "SMP Studio closed before the consultation on {} was saved. The work kept {} can be restored.",
            note.photo_name,
            note.age()
        ));
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("Restore").clicked() {
                answer = Some(true);
            }
            if ui.button("Discard").clicked() {
                answer = Some(false);
            }
        });
    });
    match answer {
        Some(true) => {
            app.restore_offer = None;
            app.restore(note);
        }
        Some(false) => {
            app.restore_offer = None;
            app.recovery.clear();
        }
        None => {}
    }
}

/// Asks before an action drops unsaved work.
pub(super) fn leave_window(app: &mut SmpApp, ctx: &egui::Context) {
    let Some(leave) = app.leave.clone() else { return };
    let action = match &leave {
        Leave::Command(Command::Quit) => "closing",
        _ => "opening another consultation",
    };
    #[derive(PartialEq)]
    enum Answer {
        Save,
        Discard,
        Cancel,
    }
    let mut answer = None;
    egui::Modal::new(egui::Id::unique("leave_unsaved")).show(ctx, |ui| {
        ui.set_width(440.0);
        ui.heading("Save changes first?");
        ui.label(format!(
            "The regions and settings on {} have unsaved changes. Save them before {action}?",
            app.consultation.photo_name
        ));
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("Save…").clicked() {
                answer = Some(Answer::Save);
            }
            if ui.button("Discard changes").clicked() {
                answer = Some(Answer::Discard);
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                answer = Some(Answer::Cancel);
            }
        });
    });
    let Some(answer) = answer else { return };
    app.leave = None;
    match answer {
        Answer::Cancel => {}
        Answer::Save => app.run_command_now(ctx, Command::SaveConsultation),
        Answer::Discard => match leave {
            Leave::Command(Command::Quit) => {
                app.recovery.clear();
                app.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Leave::Command(command) => app.run_command_now(ctx, command),
            Leave::OpenPhoto(path) => app.use_path(FilePurpose::OpenPhoto, &path),
        },
    }
}
