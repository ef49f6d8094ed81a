//! The preset manager: search, apply, save, rename, duplicate, delete, import and export, and
//! live adjustment of the applied preset's main fields.

use super::{FilePurpose, SmpApp};
use crate::engine::color::Srgb;
use crate::engine::preset::HairlineStyle;
use crate::engine::store::StoreError;
use eframe::egui::{self, Color32, RichText, vec2};

/// A preset action waiting for a name or a confirmation.
#[derive(Clone, Debug, PartialEq)]
pub enum PresetPrompt {
    SaveAs { text: String },
    Rename { index: usize, text: String },
    ConfirmDelete { index: usize },
}

fn swatch(ui: &mut egui::Ui, color: Srgb, size: f32) {
    let [r, g, b] = color.0;
    super::panels::swatch(ui, Color32::from_rgb(r, g, b), size);
}

/// The "Preset" section of the right panel.
pub(super) fn preset_ui(app: &mut SmpApp, ui: &mut egui::Ui) {
    ui.add(
        egui::TextEdit::singleline(&mut app.preset_search)
            .hint_text("Search presets")
            .desired_width(f32::INFINITY),
    );
    let query = app.preset_search.trim().to_lowercase();
    let current = app.consultation.preset.name.clone();
    let mut chosen = None;
    egui::ScrollArea::vertical().id_salt("preset_list").max_height(230.0).show(ui, |ui| {
        // Your own presets first: they are the ones reached for most.
        let entries = app.store.list();
        let order = (0..entries.len())
            .filter(|&i| !entries[i].is_bundled())
            .chain((0..entries.len()).filter(|&i| entries[i].is_bundled()));
        for i in order {
            let entry = &entries[i];
            let p = &entry.preset;
            let haystack = format!("{} {}", p.name, p.description).to_lowercase();
            if !query.is_empty() && !haystack.contains(&query) {
                continue;
            }
            let response = ui
                .horizontal(|ui| {
                    ui.spacing_mut().item_spacing.x = 3.0;
                    let thumb_size = vec2(36.0, 24.0);
                    match app.thumbnail(&p.name) {
                        Some(texture) => {
                            ui.add(egui::Image::new((texture.id(), thumb_size)).corner_radius(3.0));
                        }
                        None => {
                            let (rect, _) = ui.allocate_exact_size(thumb_size, egui::Sense::hover());
                            ui.painter().rect_filled(rect, 3.0, ui.visuals().faint_bg_color);
                        }
                    }
                    swatch(ui, p.skin.srgb, 12.0);
                    for shade in p.pigment.shades.iter().take(2) {
                        swatch(ui, shade.srgb, 12.0);
                    }
                    ui.add_space(4.0);
                    let mut text = RichText::new(&p.name);
                    if !entry.is_bundled() {
                        text = text.italics();
                    }
                    ui.add(egui::Button::selectable(p.name == current, text).truncate())
                })
                .inner;
            let origin = if entry.is_bundled() { "Bundled preset" } else { "Your preset" };
            if response.on_hover_text(format!("{}\n\n{origin}", p.description)).clicked() {
                chosen = Some(i);
            }
        }
    });
    if let Some(i) = chosen {
        app.apply_preset(i);
    }
    let selected = app.store.index_of(&current);
    let is_user = selected.is_some_and(|i| !app.store.list()[i].is_bundled());
    ui.horizontal_wrapped(|ui| {
        let save_as =
            ui.button("Save as…").on_hover_text("Save the current settings as a new preset of yours");
        if save_as.clicked() {
            app.preset_prompt = Some(PresetPrompt::SaveAs { text: format!("{current} (mine)") });
        }
        let rename = ui
            .add_enabled(is_user, egui::Button::new("Rename…"))
            .on_hover_text("Rename this preset of yours");
        if rename.clicked()
            && let Some(index) = selected
        {
            app.preset_prompt = Some(PresetPrompt::Rename { index, text: current.clone() });
        }
        let duplicate = ui
            .add_enabled(selected.is_some(), egui::Button::new("Duplicate"))
            .on_hover_text("Save a copy to adjust");
        if duplicate.clicked()
            && let Some(index) = selected
        {
            match app.store.duplicate(index) {
                Ok(i) => app.apply_preset(i),
                Err(e) => app.error(e.to_string()),
            }
        }
        let delete = ui
            .add_enabled(is_user, egui::Button::new("Delete…"))
            .on_hover_text("Delete this preset of yours");
        if delete.clicked()
            && let Some(index) = selected
        {
            app.preset_prompt = Some(PresetPrompt::ConfirmDelete { index });
        }
        let import = ui
            .button("Import…")
            .on_hover_text("Add a preset file someone shared (.ron); you can also drop it on the window");
        if import.clicked() {
            app.commands.push(super::Command::ImportPreset);
        }
        let export = ui
            .add_enabled(selected.is_some(), egui::Button::new("Export…"))
            .on_hover_text("Write this preset to a file to share it");
        if export.clicked() {
            app.commands.push(super::Command::ExportPreset);
        }
    });
    if let Some(dir) = app.store.dir() {
        ui.add(
            egui::Label::new(RichText::new(format!("Your presets: {}", dir.display())).small().weak())
                .truncate(),
        )
        .on_hover_text(dir.display().to_string());
    }
    ui.add_space(2.0);
    ui.label(RichText::new(&app.consultation.preset.description).small().weak());
    adjust_ui(app, ui, is_user, selected);
}

/// Live sliders for the fields a clinician adjusts most; the overlay follows at once.
fn adjust_ui(app: &mut SmpApp, ui: &mut egui::Ui, is_user: bool, selected: Option<usize>) {
    egui::CollapsingHeader::new("Adjust preset").default_open(false).show(ui, |ui| {
        let before = app.consultation.preset.clone();
        let p = &mut app.consultation.preset;
        ui.add(egui::Slider::new(&mut p.dots.dot_diameter_mm, 0.1..=0.6).suffix(" mm").text("Dot size"));
        ui.add(egui::Slider::new(&mut p.dots.darkness, 0.2..=1.0).max_decimals(2).text("Darkness"));
        ui.add(
            egui::Slider::new(&mut p.density.target_dots_per_cm2, 30.0..=140.0)
                .suffix(" /cm²")
                .text("Density"),
        );
        ui.add(
            egui::Slider::new(&mut p.hairline.feather_width_mm, 1.0..=20.0)
                .suffix(" mm")
                .text("Hairline feather"),
        );
        egui::ComboBox::from_label("Hairline style").selected_text(p.hairline.style.label()).show_ui(
            ui,
            |ui| {
                for style in HairlineStyle::ALL {
                    ui.selectable_value(&mut p.hairline.style, style, style.label());
                }
            },
        );
        let changed = app.consultation.preset != before;
        if changed {
            app.changed(super::worker::Change::Everything);
        }
        let modified = selected.is_some_and(|i| app.store.list()[i].preset != app.consultation.preset);
        if modified {
            ui.horizontal(|ui| {
                if is_user && ui.button("Save changes").clicked() {
                    if let Some(i) = selected {
                        let preset = app.consultation.preset.clone();
                        match app.store.update(i, &preset) {
                            Ok(()) => app.info(format!("Saved “{}”.", preset.name)),
                            Err(e) => app.error(e.to_string()),
                        }
                    }
                } else if !is_user {
                    ui.label(RichText::new("Bundled presets are read-only: use Save as…").small().weak());
                }
            });
        }
    });
}

/// Name prompts and the delete confirmation.
pub(super) fn preset_prompt_window(app: &mut SmpApp, ctx: &egui::Context) {
    let Some(prompt) = app.preset_prompt.clone() else { return };
    let mut close = false;
    let mut result: Option<Result<(), StoreError>> = None;
    egui::Modal::new(egui::Id::unique("preset_prompt")).show(ctx, |ui| {
        ui.set_width(380.0);
        match &prompt {
            PresetPrompt::SaveAs { .. } | PresetPrompt::Rename { .. } => {
                let (title, action) = match prompt {
                    PresetPrompt::SaveAs { .. } => ("Save preset as", "Save"),
                    _ => ("Rename preset", "Rename"),
                };
                ui.heading(title);
                let text = match app.preset_prompt.as_mut() {
                    Some(PresetPrompt::SaveAs { text } | PresetPrompt::Rename { text, .. }) => text,
                    _ => return,
                };
                let edit = ui.add(
                    egui::TextEdit::singleline(text).hint_text("Preset name").desired_width(f32::INFINITY),
                );
                edit.request_focus();
                let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let name = text.clone();
                ui.horizontal(|ui| {
                    if ui.button(action).clicked() || enter {
                        let preset = app.consultation.preset.clone();
                        result = Some(match prompt {
                            PresetPrompt::SaveAs { .. } => {
                                app.store.save_as(&preset, &name).map(|i| app.apply_preset(i))
                            }
                            PresetPrompt::Rename { index, .. } => {
                                app.store.rename(index, &name).map(|()| app.apply_preset(index))
                            }
                            PresetPrompt::ConfirmDelete { .. } => Ok(()),
                        });
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            }
            PresetPrompt::ConfirmDelete { index } => {
                let name = app.store.list().get(*index).map(|e| e.preset.name.clone()).unwrap_or_default();
                ui.heading("Delete preset");
                ui.label(format!("Delete “{name}”? Its file is removed from your preset folder."));
                ui.horizontal(|ui| {
                    if ui.button("Delete").clicked() {
                        result = Some(app.store.delete(*index).map(|()| app.apply_preset(0)));
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            }
        }
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            close = true;
        }
    });
    match result {
        Some(Ok(())) => app.preset_prompt = None,
        Some(Err(e)) => app.error(e.to_string()),
        None if close => app.preset_prompt = None,
        None => {}
    }
}

/// The path prompt's purposes for preset files.
pub(super) fn use_preset_path(app: &mut SmpApp, purpose: FilePurpose, path: &std::path::Path) {
    match purpose {
        FilePurpose::ImportPreset => match app.store.import(path) {
            Ok((index, warnings)) => {
                app.apply_preset(index);
                let name = app.store.list()[index].preset.name.clone();
                match warnings.first() {
                    Some(w) => {
                        app.info(format!("Imported “{name}” ({} ignored field(s): {w})", warnings.len()))
                    }
                    None => app.info(format!("Imported “{name}”.")),
                }
            }
            Err(e) => app.error(e.to_string()),
        },
        FilePurpose::ExportPreset => {
            let index = app.store.index_of(&app.consultation.preset.name);
            match index.map(|i| app.store.export(i, path)) {
                Some(Ok(())) => app.info(format!("Exported the preset to {}", path.display())),
                Some(Err(e)) => app.error(e.to_string()),
                None => app.error("Save the preset first, then export it.".into()),
            }
        }
        _ => {}
    }
}
