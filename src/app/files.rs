//! Choosing files: the typed-path prompt and, beside it, the system file dialog; dropped
//! files; and the checks before anything is written over.

use super::state::{Dialog, FilePurpose, Leave};
use super::{Action, SmpApp};
use crate::studio::{PresetOp, Target, consultation_path};
use std::path::{Path, PathBuf};

impl SmpApp {
    /// Shows the path prompt and, in the background, the system file dialog. Whichever answers
    /// first wins; where no dialog service exists the typed path still works.
    pub(super) fn ask_path(&mut self, purpose: FilePurpose) {
        let suggestion = self.suggested_path(purpose);
        let text = suggestion.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
        self.open_dialog(Dialog::Path { purpose, text });
        if cfg!(test) || std::env::var_os("SMP_STUDIO_NO_DIALOG").is_some() {
            return;
        }
        let tx = self.picks.0.clone();
        let ctx = self.ctx.clone();
        let folder = suggestion.as_ref().and_then(|p| p.parent()).map(Path::to_path_buf);
        let file_name = suggestion
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // If the thread cannot start, the typed-path prompt already open is the way in.
        let _ = std::thread::Builder::new().name("smp-file-dialog".into()).spawn(move || {
            let mut dialog = rfd::FileDialog::new();
            if let Some(folder) = folder {
                dialog = dialog.set_directory(folder);
            }
            let picked = match purpose {
                FilePurpose::OpenPhoto => dialog
                    .add_filter("Photos", crate::engine::photo::EXTENSIONS)
                    .set_title("Open photo")
                    .pick_file(),
                FilePurpose::ExportPreview => dialog
                    .add_filter("Image or PDF", &["png", "jpg", "jpeg", "pdf"])
                    .set_title("Export for the patient")
                    .set_file_name(file_name)
                    .save_file(),
                FilePurpose::ImportPreset => {
                    dialog.add_filter("SMP Studio preset", &["ron"]).set_title("Import preset").pick_file()
                }
                FilePurpose::OpenConsultation => dialog
                    .add_filter("SMP Studio consultation", &["smpc"])
                    .set_title("Open consultation")
                    .pick_file(),
                FilePurpose::SaveConsultation => dialog
                    .add_filter("SMP Studio consultation", &["smpc"])
                    .set_title("Save consultation")
                    .set_file_name(file_name)
                    .save_file(),
                FilePurpose::ExportPreset => dialog
                    .add_filter("SMP Studio preset", &["ron"])
                    .set_title("Export preset")
                    .set_file_name(file_name)
                    .save_file(),
            };
            let _ = tx.send((purpose, picked));
            ctx.request_repaint();
        });
    }

    /// A path the system file dialog picked, while its prompt is still open.
    pub(super) fn receive_picks(&mut self) {
        while let Ok((purpose, picked)) = self.picks.1.try_recv() {
            if let Some(path) = picked
                && matches!(&self.state.dialog, Some(Dialog::Path { purpose: p, .. }) if *p == purpose)
            {
                self.state.dialog = None;
                self.actions.push(Action::UsePath(purpose, path));
            }
        }
    }

    /// Where a file chosen for `purpose` is suggested to go: beside the consultation's file,
    /// else beside the photo, else in the home folder.
    fn suggested_path(&self, purpose: FilePurpose) -> Option<PathBuf> {
        let document = self.state.studio.document();
        let consultation = self.state.consultation();
        let folder = document
            .file_path()
            .or(document.photo_path())
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .or_else(|| directories::UserDirs::new().map(|d| d.home_dir().to_path_buf()))
            .unwrap_or_else(|| PathBuf::from("."));
        let stem = Path::new(&consultation.photo_name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "consultation".into());
        match purpose {
            FilePurpose::OpenPhoto | FilePurpose::ImportPreset | FilePurpose::OpenConsultation => None,
            FilePurpose::SaveConsultation => Some(
                document
                    .file_path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| folder.join(format!("{stem}.smpc"))),
            ),
            FilePurpose::ExportPreview => {
                let setup = &self.state.export_setup;
                Some(folder.join(format!("{stem}{}", setup.kind.file_suffix(setup.format))))
            }
            FilePurpose::ExportPreset => {
                let name = crate::engine::store::slug(&consultation.preset.name);
                Some(folder.join(format!("{name}.ron")))
            }
        }
    }

    /// Runs a path chosen in the dialog or typed in the prompt.
    pub(super) fn use_path(&mut self, purpose: FilePurpose, path: &Path) {
        if matches!(&self.state.dialog, Some(Dialog::Path { .. })) {
            self.state.dialog = None;
        }
        let started = match purpose {
            FilePurpose::OpenPhoto => self.state.studio.open_photo(path).map(|()| "Opening the photo…"),
            FilePurpose::OpenConsultation => {
                self.state.studio.open_consultation(path).map(|()| "Opening the consultation…")
            }
            FilePurpose::ImportPreset => self
                .state
                .studio
                .presets(PresetOp::Import { path: path.to_path_buf() })
                .map(|()| "Importing…"),
            FilePurpose::SaveConsultation => {
                self.save_to(path);
                return;
            }
            FilePurpose::ExportPreview | FilePurpose::ExportPreset => {
                let target = self.state.studio.export_target(path);
                self.write_checked(purpose, path.to_path_buf(), target);
                return;
            }
        };
        match started {
            Ok(text) => self.info(text),
            Err(e) => self.error(&e),
        }
    }

    /// Saves the consultation to `path`, asking first if something else is there.
    pub(super) fn save_to(&mut self, path: &Path) {
        let (path, target) = self.state.studio.save_target(path);
        self.write_checked(FilePurpose::SaveConsultation, path, target);
    }

    fn write_checked(&mut self, purpose: FilePurpose, path: PathBuf, target: Target) {
        match target {
            Target::Free => self.write_to(purpose, &path),
            Target::Replaces(path) => self.open_dialog(Dialog::Replace { purpose, path }),
            Target::ChangedOnDisk(path) => self.open_dialog(Dialog::ChangedOnDisk { path }),
            Target::Refused(e) => {
                self.state.after_save = None;
                self.error(&e);
            }
        }
    }

    /// Writes, now that nothing stands in the way.
    pub(super) fn write_to(&mut self, purpose: FilePurpose, path: &Path) {
        let started = match purpose {
            FilePurpose::SaveConsultation => {
                self.state.studio.save(&consultation_path(path)).map(|()| "Saving the consultation…")
            }
            FilePurpose::ExportPreview => {
                let compare = self.state.compared_presets();
                self.state.studio.export(&self.state.export_setup, path, compare).map(|()| "Exporting…")
            }
            FilePurpose::ExportPreset => self
                .state
                .studio
                .presets(PresetOp::Export { path: path.to_path_buf() })
                .map(|()| "Exporting…"),
            _ => return,
        };
        match started {
            Ok(text) => self.info(text),
            Err(e) => {
                self.state.after_save = None;
                self.error(&e);
            }
        }
    }

    pub(super) fn handle_dropped_files(&mut self, ctx: &eframe::egui::Context) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        let Some(file) = dropped.first() else { return };
        let path = file.path().to_path_buf();
        let is_preset = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron"));
        if is_preset {
            self.use_path(FilePurpose::ImportPreset, &path);
        } else if !self.stops_to_ask(Leave::Open(path.clone())) {
            self.open_dropped(&path);
        }
    }

    /// Opens a dropped file: a consultation or a photo, told apart by its name.
    pub(super) fn open_dropped(&mut self, path: &Path) {
        self.use_path(FilePurpose::opening(path), path);
    }
}

/// Shows `folder` in the system's file manager, without waiting for it.
pub fn show_in_file_manager(folder: &Path) -> std::io::Result<()> {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    let mut child = std::process::Command::new(program).arg(folder).spawn()?;
    // Reaped in the background, so no finished process is left behind.
    let _ = std::thread::Builder::new().name("smp-show-folder".into()).spawn(move || child.wait());
    Ok(())
}

impl SmpApp {
    /// Help ▸ Open log folder: the folder support asks for, in the file manager.
    pub(super) fn open_log_folder(&mut self) {
        let Some(folder) = self.state.notices.folder().map(Path::to_path_buf) else {
            self.state.notices.error("No log is kept in this session, so there is no folder to show.");
            return;
        };
        match std::fs::create_dir_all(&folder).and_then(|()| (self.show_folder)(&folder)) {
            Ok(()) => self.info(format!("Opened the log folder, {}.", folder.display())),
            Err(e) => self.state.notices.error(format!(
                "No file manager could show the log folder ({e}); it is {}.",
                folder.display()
            )),
        }
    }
}
