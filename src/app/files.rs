//! Files: the path prompt and file dialogs, opening photos and consultations, and writing
//! consultations and previews, all off the UI thread.

use super::{Leave, SmpApp, preset_panel};
use crate::engine::consultation::Consultation;
use crate::engine::preset::Preset;
use crate::engine::{export, photo};
use eframe::egui;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

/// The file dialog's purpose, carried through its thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilePurpose {
    OpenPhoto,
    ExportPreview,
    ImportPreset,
    ExportPreset,
    OpenConsultation,
    SaveConsultation,
}

/// The small window where a path can be typed (file-dialog portals are not always available).
#[derive(Clone, Debug, PartialEq)]
pub struct PathPrompt {
    pub purpose: FilePurpose,
    pub text: String,
}

/// A background file write, and the document revision it saves, if it saves the consultation.
pub(super) struct Write {
    what: &'static str,
    saves_revision: Option<u64>,
    pub(super) done: Receiver<Result<PathBuf, String>>,
}

impl SmpApp {
    /// Writes the consultation to a folder in the background; the window keeps working.
    pub(super) fn save_consultation(&mut self, dir: &Path) {
        self.end_stroke();
        let snapshot = self.consultation.clone();
        let dir = dir.to_path_buf();
        let task = self.background("save-consultation", move || {
            snapshot.save(&dir).map(|()| dir).map_err(|e| e.to_string())
        });
        if let Some(done) = task {
            let saves_revision = Some(self.revision);
            self.writing.push(Write { what: "the consultation", saves_revision, done });
            self.info("Saving the consultation…".into());
        }
    }

    /// Runs `job` on its own thread and wakes the window when it is done; the result arrives
    /// on the returned channel. A thread that cannot start is reported, and `None` returned.
    pub(super) fn background<T: Send + 'static>(
        &mut self,
        name: &str,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Option<Receiver<T>> {
        let (tx, rx) = channel();
        let ctx = self.ctx.clone();
        let spawned = std::thread::Builder::new().name(name.into()).spawn(move || {
            // The window may have closed meanwhile; then nobody needs the result.
            let _ = tx.send(job());
            ctx.request_repaint();
        });
        match spawned {
            Ok(_) => Some(rx),
            Err(e) => {
                self.error(format!("could not start {name}: {e}"));
                None
            }
        }
    }

    /// Reports background writes (saved consultations, exported previews) that finished.
    pub(super) fn receive_writes(&mut self) {
        let mut finished = Vec::new();
        self.writing.retain(|write| match write.done.try_recv() {
            Ok(result) => {
                finished.push((write.what, write.saves_revision, result));
                false
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => true,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => false,
        });
        for (what, saves_revision, result) in finished {
            match result {
                Ok(path) => {
                    self.info(format!("Saved {what} to {}", path.display()));
                    if let Some(revision) = saves_revision {
                        self.saved(revision);
                    }
                }
                Err(e) => self.error(e),
            }
        }
    }

    /// Shows the path prompt and, in the background, the system file dialog. Whichever answers
    /// first wins; where no dialog service exists the typed path still works.
    pub(super) fn ask_path(&mut self, ctx: &egui::Context, purpose: FilePurpose) {
        let suggestion = match purpose {
            FilePurpose::OpenPhoto => String::new(),
            FilePurpose::ExportPreview => {
                default_export_path(&self.consultation.photo_name).display().to_string()
            }
            FilePurpose::ImportPreset | FilePurpose::OpenConsultation => String::new(),
            FilePurpose::SaveConsultation => {
                default_consultation_path(&self.consultation.photo_name).display().to_string()
            }
            FilePurpose::ExportPreset => {
                default_preset_export_path(&self.consultation.preset.name).display().to_string()
            }
        };
        self.prompt = Some(PathPrompt { purpose, text: suggestion });
        if cfg!(test) || std::env::var_os("SMP_STUDIO_NO_DIALOG").is_some() {
            return;
        }
        let tx = self.picks_tx.clone();
        let ctx = ctx.clone();
        let name = match purpose {
            FilePurpose::ExportPreset => default_preset_export_path(&self.consultation.preset.name),
            FilePurpose::SaveConsultation => default_consultation_path(&self.consultation.photo_name),
            _ => default_export_path(&self.consultation.photo_name),
        };
        let file_name = name.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // If the thread cannot start, the typed-path prompt already open is the way in.
        let _ = std::thread::Builder::new().name("file-dialog".into()).spawn(move || {
            let dialog = rfd::FileDialog::new();
            let picked = match purpose {
                FilePurpose::OpenPhoto => {
                    dialog.add_filter("Photos", &["jpg", "jpeg", "png"]).set_title("Open photo").pick_file()
                }
                FilePurpose::ExportPreview => dialog
                    .add_filter("PNG image", &["png"])
                    .add_filter("JPEG image", &["jpg", "jpeg"])
                    .set_title("Export preview")
                    .set_file_name(file_name)
                    .save_file(),
                FilePurpose::ImportPreset => {
                    dialog.add_filter("SMP Studio preset", &["ron"]).set_title("Import preset").pick_file()
                }
                FilePurpose::OpenConsultation => dialog
                    .add_filter("SMP Studio consultation", &["smpc"])
                    .set_title("Open consultation")
                    .pick_file(),
                FilePurpose::SaveConsultation => {
                    dialog.set_title("Save consultation").set_file_name(file_name).save_file()
                }
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

    /// Runs a path chosen in the dialog or typed in the prompt.
    pub fn use_path(&mut self, purpose: FilePurpose, path: &Path) {
        self.prompt = None;
        match purpose {
            FilePurpose::ImportPreset | FilePurpose::ExportPreset => {
                preset_panel::use_preset_path(self, purpose, path)
            }
            FilePurpose::SaveConsultation => self
                .save_consultation(&path.with_extension(crate::engine::consultation::CONSULTATION_EXTENSION)),
            FilePurpose::OpenConsultation => {
                let dir = path.to_path_buf();
                let task = self.background("open-consultation", move || {
                    Consultation::load(&dir)
                        .map(|consultation| Opened {
                            consultation,
                            reduced_from: None,
                            calibrated: true,
                            restored: false,
                        })
                        .map_err(|e| e.to_string())
                });
                if let Some(rx) = task {
                    self.loading = Some(rx);
                    self.info("Opening the consultation…".into());
                }
            }
            FilePurpose::OpenPhoto => {
                // Decoding and hair detection take a moment on a large photo: off the UI thread.
                let path = path.to_path_buf();
                let preset = self.consultation.preset.clone();
                let max_side = self.max_texture_side;
                let task = self.background("open-photo", move || {
                    open_photo(&path, preset, max_side).map_err(|e| format!("{e:#}"))
                });
                if let Some(rx) = task {
                    self.loading = Some(rx);
                    self.info("Opening the photo…".into());
                }
            }
            FilePurpose::ExportPreview => match self.last_result_image.clone() {
                Some(result) => {
                    // Encoding a large photo takes a moment: off the UI thread.
                    let path = path.to_path_buf();
                    let task = self.background("export-preview", move || {
                        export::save(&result, &path).map(|()| path).map_err(|e| e.to_string())
                    });
                    if let Some(done) = task {
                        self.writing.push(Write { what: "the preview", saves_revision: None, done });
                        self.info("Exporting the preview…".into());
                    }
                }
                None => self.error("The simulation is still rendering; export again in a moment.".into()),
            },
        }
    }

    pub(super) fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        if let Some(file) = dropped.first() {
            let path = file.path().to_path_buf();
            let is_preset = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron"));
            if is_preset {
                self.use_path(FilePurpose::ImportPreset, &path);
            } else if !self.stops_to_ask(Leave::OpenPhoto(path.clone())) {
                self.use_path(FilePurpose::OpenPhoto, &path);
            }
        }
    }

    pub(super) fn receive_opened_photo(&mut self) {
        let Some(rx) = &self.loading else { return };
        let Ok(result) = rx.try_recv() else { return };
        self.loading = None;
        let restoring = std::mem::take(&mut self.restoring);
        match result {
            Ok(opened) => {
                let name = opened.consultation.photo_name.clone();
                let calibrated = opened.calibrated;
                if opened.restored {
                    self.keep_restored(opened.consultation, calibrated);
                    self.info(format!(
                        "Restored the unsaved work on {name}. Save the consultation to keep it."
                    ));
                    return;
                }
                self.set_consultation(opened.consultation, calibrated);
                if calibrated {
                    self.info(format!("Opened the consultation {name}."));
                    return;
                }
                let text = match opened.reduced_from {
                    Some((w, h)) => format!(
                        "Opened {name}, reduced from {w}×{h} to fit the display. Calibrate the scale with Measure, then paint the regions."
                    ),
                    None => {
                        format!("Opened {name}. Calibrate the scale with Measure, then paint the regions.")
                    }
                };
                self.info(text);
            }
            Err(e) => {
                if restoring {
                    // Left as it is; this window keeps its own work elsewhere.
                    self.recovery.leave_found();
                }
                match self.recovery.problem.take() {
                    Some(problem) => self.error(format!("{e} {problem}")),
                    None => self.error(e),
                }
            }
        }
    }
}

/// A photo opened for a new consultation, and whether it had to be reduced to fit the display.
pub(super) struct Opened {
    pub(super) consultation: Consultation,
    pub(super) reduced_from: Option<(u32, u32)>,
    /// A saved consultation carries its measured scale; a new photo does not.
    pub(super) calibrated: bool,
    /// Unsaved work brought back from the recovery folder.
    pub(super) restored: bool,
}

/// Loads a photo; one larger than the GPU can show is reduced to fit, keeping its proportions.
pub(super) fn open_photo(path: &Path, preset: Preset, max_side: usize) -> anyhow::Result<Opened> {
    let mut image = photo::load(path)?;
    let (w, h) = image.dimensions();
    let max_side = max_side.max(1024) as u32;
    let reduced_from = (w.max(h) > max_side).then_some((w, h));
    if reduced_from.is_some() {
        let f = max_side as f32 / w.max(h) as f32;
        let (nw, nh) = (((w as f32 * f) as u32).max(1), ((h as f32 * f) as u32).max(1));
        image = image::imageops::resize(&image, nw, nh, image::imageops::FilterType::Triangle);
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "photo".into());
    Ok(Opened {
        consultation: Consultation::new(name, image, preset),
        reduced_from,
        calibrated: false,
        restored: false,
    })
}

fn default_consultation_path(photo_name: &str) -> PathBuf {
    let stem =
        Path::new(photo_name).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let dir = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."));
    dir.join(format!("{}.smpc", if stem.is_empty() { "consultation" } else { &stem }))
}

fn default_preset_export_path(preset_name: &str) -> PathBuf {
    let slug: String =
        preset_name.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let slug = slug.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    let dir = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."));
    dir.join(format!("{}.ron", if slug.is_empty() { "preset" } else { &slug }))
}

fn default_export_path(photo_name: &str) -> PathBuf {
    let stem =
        Path::new(photo_name).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name = format!("{}-smp-preview.png", if stem.is_empty() { "consultation" } else { &stem });
    let dir = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."));
    dir.join(name)
}
