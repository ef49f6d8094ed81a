//! Modal questions and prompts. Enter confirms and Esc cancels in every one of them; typing
//! starts at the end of the suggested text.

use super::action::Action;
use super::state::{CompareKind, Dialog, FilePurpose, Leave, State};
use crate::engine::consultation::PatientNotes;
use crate::engine::export::{ExportOptions, ImageFormat};
use crate::engine::handout::{PageSize, SheetLayout};
use crate::engine::store::PresetStore;
use crate::studio::handout::{HandoutKind, HandoutSetup};
use eframe::egui::{self, Key};

/// The dialog on screen, if any; the restore offer comes first.
pub fn dialog_ui(state: &State, ctx: &egui::Context) -> Vec<Action> {
    if let Some(note) = state.studio.restore_offer() {
        let text = format!(
            "SMP Studio closed before the consultation on {} was saved. The work kept {} can be restored.",
            note.photo_name,
            note.age()
        );
        // No Cancel here: the work is either brought back or let go.
        return question(
            ctx,
            "Restore unsaved work?",
            &text,
            &[("Restore", Action::Restore), ("Discard", Action::DiscardRestore)],
            false,
        );
    }
    let Some(dialog) = &state.dialog else { return Vec::new() };
    let id = egui::Id::unique(("dialog", state.dialog_serial));
    match dialog {
        Dialog::Path { purpose, text } => {
            let setup = &state.export_setup;
            let (title, action, hint): (String, &str, String) = match purpose {
                FilePurpose::OpenPhoto => ("Open photo".into(), "Open", "/path/to/scalp.jpg".into()),
                // Named for what is being exported: a PDF report is no "preview".
                FilePurpose::ExportPreview => (
                    format!("Export: {}", setup.kind.label()),
                    "Export",
                    format!("/path/to/visit{}", setup.kind.file_suffix(setup.format)),
                ),
                FilePurpose::ImportPreset => ("Import preset".into(), "Import", "/path/to/preset.ron".into()),
                FilePurpose::OpenConsultation => {
                    ("Open consultation".into(), "Open", "/path/to/visit.smpc".into())
                }
                FilePurpose::SaveConsultation => {
                    ("Save consultation".into(), "Save", "/path/to/visit.smpc".into())
                }
                FilePurpose::ExportPreset => ("Export preset".into(), "Export", "/path/to/preset.ron".into()),
            };
            let note = "Type or paste a file path, or choose it in the file dialog if one opened.";
            prompt(ctx, id, &title, note, text, &hint, "", action)
        }
        Dialog::Measure { length_px, text } => {
            let note = format!("The line is {length_px:.0} photo pixels long. How long is it on the scalp?");
            prompt(ctx, id, "Calibrate scale", &note, text, "e.g. 20", "mm", "Set scale")
        }
        Dialog::PresetName { rename, text } => {
            let (title, action) =
                if rename.is_some() { ("Rename preset", "Rename") } else { ("Save preset as", "Save") };
            prompt(ctx, id, title, "A name for the preset in your library.", text, "Preset name", "", action)
        }
        Dialog::ConfirmDeletePreset { index } => {
            let name = preset_name(state.store(), *index);
            let text = format!("Delete “{name}”? Its file is removed from your preset folder.");
            question(ctx, "Delete preset", &text, &[("Delete", Action::Confirm)], true)
        }
        Dialog::Leave(leave) => {
            let action = match leave {
                Leave::Command(super::commands::Command::Quit) => "closing",
                Leave::Command(super::commands::Command::OpenPhoto) => "opening another photo",
                Leave::Command(super::commands::Command::OpenSample) => "opening the sample",
                Leave::Open(path) if !crate::engine::consultation::is_consultation_path(path) => {
                    "opening another photo"
                }
                _ => "opening another consultation",
            };
            let text = format!(
                "The consultation on {} has unsaved changes. Save them before {action}?",
                state.consultation().photo_name
            );
            question(
                ctx,
                "Save changes first?",
                &text,
                &[("Save…", Action::Confirm), ("Discard changes", Action::Alternative)],
                true,
            )
        }
        Dialog::Replace { path, .. } => {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let text = format!("{} already exists in {}. Replace it?", name, parent(path));
            question(ctx, "Replace the file?", &text, &[("Replace", Action::Confirm)], true)
        }
        Dialog::Details(notes) => details(ctx, id, notes),
        Dialog::Export(setup) => export(ctx, id, state, setup),
        Dialog::Compare { kind, presets } => compare(ctx, id, state, *kind, presets),
        Dialog::ChangedOnDisk { path } => {
            let text = format!(
                "{} was changed by another window or program since this consultation was opened. \
                 Replace that version with this one, or save this one as a copy?",
                path.display()
            );
            question(
                ctx,
                "The file changed on disk",
                &text,
                &[("Replace", Action::Confirm), ("Save as copy…", Action::Alternative)],
                true,
            )
        }
    }
}

/// The patient's label, the date and notes: kept with the consultation, printed on hand-outs
/// only where the clinician chooses.
fn details(ctx: &egui::Context, id: egui::Id, notes: &PatientNotes) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::Modal::new(id.with("details")).show(ctx, |ui| {
        ui.set_width(480.0);
        ui.heading("Patient and notes");
        ui.label(egui::RichText::new("Kept in the consultation file; nothing leaves this computer.").weak());
        let mut edited = notes.clone();
        egui::Grid::new(id.with("grid")).num_columns(2).spacing([10.0, 8.0]).show(ui, |ui| {
            let patient = one_line(
                ui,
                "Patient",
                &mut edited.label,
                "Name or reference (optional)",
                PatientNotes::MAX_LABEL_CHARS,
            );
            // The dialog opens ready to type the patient's label.
            focus_once(ui, id, &patient);
            let date =
                one_line(ui, "Date", &mut edited.date, "e.g. 2026-11-29", PatientNotes::MAX_DATE_CHARS);
            // Enter in a one-line field keeps what was typed, as in every other prompt.
            let entered = ui.input(|i| i.key_pressed(Key::Enter));
            if entered && (patient.lost_focus() || date.lost_focus()) {
                actions.push(Action::Confirm);
            }
            let label = ui.label("Notes");
            ui.add(
                egui::TextEdit::multiline(&mut edited.notes)
                    .desired_rows(5)
                    .char_limit(PatientNotes::MAX_NOTES_CHARS)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
        if edited != *notes {
            actions.push(Action::SetDetails(edited));
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("Keep").clicked() {
                actions.push(Action::Confirm);
            }
            if ui.button("Cancel").clicked() {
                actions.push(Action::CloseDialog);
            }
        });
        if ui.input(|i| i.key_pressed(Key::Escape)) {
            actions.push(Action::CloseDialog);
        }
    });
    actions
}

/// A labelled one-line field in a two-column grid, and its row ended.
fn one_line(
    ui: &mut egui::Ui,
    name: &str,
    text: &mut String,
    hint: &str,
    max_chars: usize,
) -> egui::Response {
    let label = ui.label(name);
    let field = ui
        .add(
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .char_limit(max_chars)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    ui.end_row();
    field
}

/// Gives `field` the keyboard the first time the dialog `id` is shown; true that time.
fn focus_once(ui: &egui::Ui, id: egui::Id, field: &egui::Response) -> bool {
    let started = ui.data(|d| d.get_temp::<bool>(id)).unwrap_or(false);
    if !started {
        ui.data_mut(|d| d.insert_temp(id, true));
        field.request_focus();
    }
    !started
}

/// What to export for the patient, and how.
/// The export dialog's width, px.
const EXPORT_DIALOG_WIDTH: f32 = 480.0;

fn export(ctx: &egui::Context, id: egui::Id, state: &State, setup: &HandoutSetup) -> Vec<Action> {
    let mut actions = Vec::new();
    let mut edited = setup.clone();
    let comparing = !state.compared_presets().is_empty();
    // Hung from a fixed top-left corner rather than centred: its size changes with what is
    // exported (a report has no format or size; JPEG adds a quality slider), and a centred
    // dialog moved its controls from under the pointer each time, and once more after its
    // first frame.
    let left = ((ctx.content_rect().width() - EXPORT_DIALOG_WIDTH) / 2.0).max(8.0);
    let area =
        egui::Modal::default_area(id.with("export")).anchor(egui::Align2::LEFT_TOP, egui::vec2(left, 72.0));
    egui::Modal::new(id.with("export")).area(area).show(ctx, |ui| {
        ui.set_width(EXPORT_DIALOG_WIDTH);
        ui.heading("Export for the patient");
        ui.label("Made from this consultation as it is now; nothing from the photo's file goes with it.");
        ui.add_space(4.0);
        egui::Grid::new(id.with("export-grid")).num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
            ui.label("What");
            ui.vertical(|ui| {
                for kind in HandoutKind::ALL {
                    let enabled = kind != HandoutKind::Compare || comparing;
                    let response =
                        ui.add_enabled(enabled, egui::RadioButton::new(edited.kind == kind, kind.label()));
                    let response = if kind == HandoutKind::Compare && !comparing {
                        response.on_disabled_hover_text(
                            "Compare presets first (View ▸ Compare…); the sheet shows them",
                        )
                    } else {
                        response
                    };
                    if response.clicked() {
                        edited.kind = kind;
                    }
                }
            });
            ui.end_row();
            if edited.kind == HandoutKind::Report {
                ui.label("Paper");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut edited.page, PageSize::A4, "A4");
                    ui.radio_value(&mut edited.page, PageSize::Letter, "Letter");
                });
                ui.end_row();
            } else {
                ui.label("Format");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut edited.format, ImageFormat::Jpeg, "JPEG");
                    ui.radio_value(&mut edited.format, ImageFormat::Png, "PNG");
                    if edited.format == ImageFormat::Jpeg {
                        ui.add(egui::Slider::new(&mut edited.jpeg_quality, 60..=100).text("quality"));
                    }
                });
                ui.end_row();
                ui.label("Size");
                ui.horizontal(|ui| {
                    let mut full = edited.width_px.is_none();
                    if ui.radio_value(&mut full, true, "Full resolution").clicked() {
                        edited.width_px = None;
                    }
                    if ui.radio_value(&mut full, false, "Width").clicked() && edited.width_px.is_none() {
                        edited.width_px = Some(2400);
                    }
                    if let Some(width) = &mut edited.width_px {
                        ui.add(
                            egui::DragValue::new(width)
                                .range(ExportOptions::MIN_WIDTH_PX..=20_000)
                                .suffix(" px"),
                        );
                    }
                });
                ui.end_row();
            }
            if edited.kind == HandoutKind::Preview
                && edited.format == ImageFormat::Jpeg
                && edited.width_px.is_none()
                && state.consultation().compression().is_some()
            {
                ui.label("");
                ui.weak("At full resolution it is compressed as the photo was.");
                ui.end_row();
            }
            if edited.kind == HandoutKind::BeforeAfter {
                ui.label("Layout");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut edited.layout, SheetLayout::SideBySide, "Side by side");
                    ui.radio_value(&mut edited.layout, SheetLayout::Split, "Split");
                });
                ui.end_row();
            }
            if edited.kind == HandoutKind::Sessions {
                ui.label("Later");
                ui.horizontal(|ui| {
                    let mut later = edited.years_on.is_some();
                    if ui.checkbox(&mut later, "Add the result years on").changed() {
                        edited.years_on = later.then_some(5.0);
                    }
                    if let Some(years) = &mut edited.years_on {
                        ui.add(egui::DragValue::new(years).range(1.0..=20.0).suffix(" years"));
                    }
                });
                ui.end_row();
            }
            ui.label("Caption");
            ui.vertical(|ui| {
                ui.checkbox(&mut edited.disclaimer, "“Simulation — actual results vary”");
                let label = &state.consultation().notes.label;
                ui.add_enabled(
                    !label.trim().is_empty(),
                    egui::Checkbox::new(&mut edited.label, "Patient's name or reference"),
                )
                .on_disabled_hover_text("Add it in File ▸ Patient and notes…");
                if edited.kind == HandoutKind::Report {
                    ui.checkbox(&mut edited.notes, "Notes");
                }
            });
            ui.end_row();
        });
        if edited != *setup {
            actions.push(Action::SetExport(edited.clone()));
        }
        confirm_or_cancel(ui, "Choose file…", &mut actions);
    });
    actions
}

/// An export under way: how far it is, and Cancel.
pub fn export_progress_ui(state: &State, ctx: &egui::Context) -> Vec<Action> {
    let mut actions = Vec::new();
    let Some(running) = state.studio.export_running() else { return actions };
    egui::Area::new(egui::Id::unique("export_progress"))
        .anchor(egui::Align2::RIGHT_BOTTOM, [-20.0, -72.0])
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_width(300.0);
                let what = if running.cancelling() {
                    "Cancelling…".to_owned()
                } else {
                    format!("Making the {}…", running.kind.label().to_lowercase())
                };
                ui.label(what);
                ui.horizontal(|ui| {
                    ui.add(egui::ProgressBar::new(running.progress()).desired_width(200.0).show_percentage());
                    if ui.add_enabled(!running.cancelling(), egui::Button::new("Cancel")).clicked() {
                        actions.push(Action::CancelExport);
                    }
                });
            });
        });
    ctx.request_repaint_after(std::time::Duration::from_millis(100));
    actions
}

/// What to set side by side.
fn compare(
    ctx: &egui::Context,
    id: egui::Id,
    state: &State,
    kind: CompareKind,
    presets: &[usize],
) -> Vec<Action> {
    use crate::studio::compare::MAX_VARIANTS;
    let mut actions = Vec::new();
    egui::Modal::new(id.with("compare")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading("Compare");
        ui.label("Side by side on this photo and these regions; click one to choose it.");
        ui.horizontal(|ui| {
            for k in CompareKind::ALL {
                if ui.selectable_label(kind == k, k.label()).clicked() {
                    actions.push(Action::SetCompare { kind: k, presets: presets.to_vec() });
                }
            }
        });
        ui.separator();
        match kind {
            CompareKind::Presets => {
                ui.label(format!("Choose two to {MAX_VARIANTS} presets:"));
                egui::ScrollArea::vertical().max_height(260.0).show(ui, |ui| {
                    for (i, entry) in state.store().list().iter().enumerate() {
                        let mut on = presets.contains(&i);
                        let full = presets.len() >= MAX_VARIANTS && !on;
                        if ui.add_enabled(!full, egui::Checkbox::new(&mut on, &entry.preset.name)).changed() {
                            let mut chosen: Vec<usize> =
                                presets.iter().copied().filter(|&p| p != i).collect();
                            if on {
                                chosen.push(i);
                            }
                            actions.push(Action::SetCompare { kind, presets: chosen });
                        }
                    }
                });
            }
            CompareKind::Sessions => {
                ui.label("Each session of the applied preset, from the first to the last.");
            }
            CompareKind::Years => {
                ui.label("Healed, then 2 and 5 years later: lighter, softer, cooler dots.");
            }
        }
        confirm_or_cancel(ui, "Compare", &mut actions);
    });
    actions
}

/// Every command that has a shortcut, from the command table, with the pointer gestures.
pub fn shortcuts_ui(ctx: &egui::Context, open: bool) -> Vec<Action> {
    use super::commands::{Command, Menu, shortcut_text};
    let mut actions = Vec::new();
    if !open {
        return actions;
    }
    let mut still_open = true;
    egui::Window::new("Keyboard shortcuts")
        .open(&mut still_open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            ui.columns(2, |columns| {
                for (i, menu) in Menu::ALL.iter().enumerate() {
                    let ui = &mut columns[usize::from(i >= 2)];
                    ui.label(egui::RichText::new(menu.label()).strong());
                    egui::Grid::new(("shortcuts", menu.label())).num_columns(2).spacing([16.0, 3.0]).show(
                        ui,
                        |ui| {
                            for command in Command::ALL.into_iter().filter(|c| c.menu().0 == *menu) {
                                let keys: Vec<String> =
                                    command.shortcuts().iter().map(shortcut_text).collect();
                                if keys.is_empty() {
                                    continue;
                                }
                                ui.label(command.label());
                                ui.label(egui::RichText::new(keys.join("  or  ")).monospace());
                                ui.end_row();
                            }
                        },
                    );
                    ui.add_space(8.0);
                }
                let ui = &mut columns[1];
                ui.label(egui::RichText::new("Pointer").strong());
                egui::Grid::new("shortcuts-pointer").num_columns(2).spacing([16.0, 3.0]).show(ui, |ui| {
                    for (what, how) in [
                        ("Zoom around the pointer", "Wheel or pinch"),
                        ("Pan", "Middle button, or Space + drag"),
                        ("Peek at the photo", "Hold B"),
                        ("Erase every region", "Shift + Eraser"),
                        ("Leave the presentation", "Esc"),
                    ] {
                        ui.label(what);
                        ui.label(egui::RichText::new(how).monospace());
                        ui.end_row();
                    }
                });
            });
        });
    if !still_open || ctx.input(|i| i.key_pressed(Key::Escape)) {
        actions.push(Action::CloseShortcuts);
    }
    actions
}

/// A consultation from start to finish, for a first one: each step names its tools and their
/// keys from the command table.
pub fn guide_ui(ctx: &egui::Context, open: bool) -> Vec<Action> {
    use super::commands::{Command, shortcut_text};
    let mut actions = Vec::new();
    if !open {
        return actions;
    }
    let name = |command: Command| -> String {
        let keys: Vec<String> = command.shortcuts().iter().map(shortcut_text).collect();
        if keys.is_empty() {
            command.label().to_owned()
        } else {
            format!("{} ({})", command.label(), keys.join(" or "))
        }
    };
    // Each step: its title, and its text with a `{}` for each command it names.
    let steps: [(&str, &str, &[Command]); 6] = [
        (
            "Open the photo",
            "{}, or drop the photo on the window. A phone photo of the area, top-down or from the front, in even light.",
            &[Command::OpenPhoto],
        ),
        (
            "Measure",
            "{}: drag along something whose length you know (a ruler held to the head, or ear to ear over the crown) and type it in millimetres. Dot size and density follow this scale.",
            &[Command::ToolMeasure],
        ),
        (
            "Paint or design",
            "{}, {} and {} paint the regions; {} draws the hairline as a curve with handles; {} takes paint away. Suggest regions proposes them for you to accept.",
            &[
                Command::ToolHairline,
                Command::ToolBald,
                Command::ToolScar,
                Command::ToolDesign,
                Command::ToolEraser,
            ],
        ),
        (
            "Choose the preset",
            "Pick the preset for the patient's skin on the right. {} takes the patient's skin tone; {} matches the dots to their own buzzed hair; Adjust preset holds the rest.",
            &[Command::ToolSampleSkin, Command::ToolMatchStubble],
        ),
        (
            "Show the patient",
            "{} and {} compare with the photo; {} fills the screen; {} shows presets, sessions or years side by side. Esc leaves either.",
            &[
                Command::ToggleBeforeAfter,
                Command::ToggleSplit,
                Command::TogglePresentation,
                Command::Compare,
            ],
        ),
        (
            "Save and hand out",
            "{} keeps the photo, the regions, the preset and your notes in one file; {} writes the result, a before/after sheet, the sessions or a PDF report for the patient.",
            &[Command::SaveConsultation, Command::ExportPreview],
        ),
    ];
    let text = |template: &str, commands: &[Command]| -> String {
        let mut parts = template.split("{}");
        let mut out = parts.next().unwrap_or_default().to_owned();
        for (part, command) in parts.zip(commands) {
            out.push_str(&name(*command));
            out.push_str(part);
        }
        out
    };
    let mut still_open = true;
    egui::Window::new(Command::ShowGuide.label())
        .open(&mut still_open)
        .collapsible(false)
        .resizable(false)
        .default_width(520.0)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            ui.set_max_width(520.0);
            for (i, (title, template, commands)) in steps.iter().enumerate() {
                ui.label(egui::RichText::new(format!("{}. {title}", i + 1)).strong());
                ui.label(text(template, commands));
                ui.add_space(6.0);
            }
        });
    if !still_open || ctx.input(|i| i.key_pressed(Key::Escape)) {
        actions.push(Action::CloseGuide);
    }
    actions
}

fn parent(path: &std::path::Path) -> String {
    path.parent().map(|p| p.display().to_string()).unwrap_or_default()
}

fn preset_name(store: &PresetStore, index: usize) -> String {
    store.list().get(index).map(|e| e.preset.name.clone()).unwrap_or_default()
}

/// A question with its answers (each a button) and, when `cancel`, a Cancel button.
/// The closing row of a dialog: `confirm` and Cancel, with Enter and Esc doing the same.
fn confirm_or_cancel(ui: &mut egui::Ui, confirm: &str, actions: &mut Vec<Action>) {
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        if ui.button(confirm).clicked() {
            actions.push(Action::Confirm);
        }
        if ui.button("Cancel").clicked() {
            actions.push(Action::CloseDialog);
        }
    });
    if ui.input(|i| i.key_pressed(Key::Enter)) {
        actions.push(Action::Confirm);
    }
    if ui.input(|i| i.key_pressed(Key::Escape)) {
        actions.push(Action::CloseDialog);
    }
}

fn question(
    ctx: &egui::Context,
    title: &str,
    text: &str,
    answers: &[(&str, Action)],
    cancel: bool,
) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::Modal::new(egui::Id::unique(("question", title))).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading(title);
        ui.label(text);
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            for (label, action) in answers {
                if ui.button(*label).clicked() {
                    actions.push(action.clone());
                }
            }
            if cancel && ui.button("Cancel").clicked() {
                actions.push(Action::CloseDialog);
            }
        });
        if let Some((_, first)) = answers.first()
            && ui.input(|i| i.key_pressed(Key::Enter))
        {
            actions.push(first.clone());
        }
        if cancel && ui.input(|i| i.key_pressed(Key::Escape)) {
            actions.push(Action::CloseDialog);
        }
    });
    actions
}

/// A one-line text prompt with a main button and Cancel.
#[allow(clippy::too_many_arguments)]
fn prompt(
    ctx: &egui::Context,
    id: egui::Id,
    title: &str,
    note: &str,
    text: &str,
    hint: &str,
    unit: &str,
    action: &str,
) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::Modal::new(id.with("modal")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading(title);
        ui.label(note);
        let mut edited = text.to_owned();
        let output = ui
            .horizontal(|ui| {
                let width = if unit.is_empty() { ui.available_width() } else { 140.0 };
                let output = egui::TextEdit::singleline(&mut edited)
                    .id(id)
                    .hint_text(hint)
                    .desired_width(width)
                    .show(ui);
                if !unit.is_empty() {
                    ui.label(unit);
                }
                output
            })
            .inner;
        // A new prompt takes the keyboard once, with the caret after the suggested text.
        if focus_once(ui, id, &output.response) {
            let mut edit_state = output.state.clone();
            let end = egui::text::CCursor::new(edited.chars().count());
            edit_state.cursor.set_char_range(Some(egui::text::CCursorRange::one(end)));
            edit_state.store(ui.ctx(), id);
        }
        if edited != text {
            actions.push(Action::SetDialogText(edited));
        }
        confirm_or_cancel(ui, action, &mut actions);
    });
    actions
}
