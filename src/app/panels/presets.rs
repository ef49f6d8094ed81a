//! The preset library: search, apply, save, rename, duplicate, delete, import and export, and
//! live adjustment of the applied preset's main fields.

use super::super::action::Action;
use super::super::commands::Command;
use super::super::state::State;
use super::swatch;
use crate::engine::color::Srgb;
use crate::engine::preset::{HairlineStyle, Preset, limits};
use crate::engine::store::PresetId;
use crate::studio::{Edit, PresetOp, thumbnails};
use eframe::egui::{self, Color32, RichText, TextureHandle, vec2};
use std::collections::HashMap;

/// Thumbnail textures by library key, with the serial of the image each shows.
pub type ThumbnailTextures = HashMap<PresetId, (u64, TextureHandle)>;

/// The preset fields a clinician adjusts most, by their path in the limits table.
const ADJUSTABLE: [&str; 5] = [
    "dots.dot_diameter_mm",
    "dots.darkness",
    "density.target_dots_per_cm2",
    "optics.shadow",
    "hairline.feather_width_mm",
];

fn color(c: Srgb) -> Color32 {
    let [r, g, b] = c.0;
    Color32::from_rgb(r, g, b)
}

/// The "Preset" section of the right panel.
pub fn preset_ui(state: &State, textures: &ThumbnailTextures, ui: &mut egui::Ui) -> Vec<Action> {
    let mut actions = Vec::new();
    let mut search = state.preset_search.clone();
    if ui
        .add(egui::TextEdit::singleline(&mut search).hint_text("Search presets").desired_width(f32::INFINITY))
        .changed()
    {
        actions.push(Action::SetPresetSearch(search));
    }
    let query = state.preset_search.trim().to_lowercase();
    let applied = state.applied_preset_index();
    let busy = state.studio.presets_busy();
    let entries = state.store().list();
    egui::ScrollArea::vertical().id_salt("preset_list").max_height(230.0).show(ui, |ui| {
        // Your own presets first: they are the ones reached for most.
        let order = (0..entries.len())
            .filter(|&i| !entries[i].is_bundled())
            .chain((0..entries.len()).filter(|&i| entries[i].is_bundled()));
        let mut shown = 0;
        for i in order {
            let entry = &entries[i];
            let p = &entry.preset;
            let haystack = format!("{} {}", p.name, p.description).to_lowercase();
            if !query.is_empty() && !haystack.contains(&query) {
                continue;
            }
            shown += 1;
            let origin = if entry.is_bundled() { "Bundled preset" } else { "Your preset" };
            let hover = format!("{}\n\n{}\n\n{origin}", p.name, p.description);
            let response = ui
                .horizontal(|ui| {
                    ui.spacing_mut().item_spacing.x = 3.0;
                    let thumb_size = vec2(36.0, 24.0);
                    match textures.get(&thumbnails::key(entry)) {
                        Some((_, texture)) => {
                            ui.add(egui::Image::new((texture.id(), thumb_size)).corner_radius(3.0));
                        }
                        None => {
                            let (rect, _) = ui.allocate_exact_size(thumb_size, egui::Sense::hover());
                            ui.painter().rect_filled(rect, 3.0, ui.visuals().faint_bg_color);
                        }
                    }
                    swatch(ui, color(p.skin.srgb), 12.0)
                        .on_hover_text(format!("Skin {}", p.skin.srgb.to_hex()));
                    for shade in p.pigment.shades.iter().take(2) {
                        swatch(ui, color(shade.srgb), 12.0).on_hover_text(format!(
                            "{} {}",
                            shade.name,
                            shade.srgb.to_hex()
                        ));
                    }
                    ui.add_space(4.0);
                    let mut text = RichText::new(state.store().label(i));
                    if !entry.is_bundled() {
                        text = text.italics();
                    }
                    ui.add(egui::Button::selectable(applied == Some(i), text).truncate())
                })
                .inner;
            if response.on_hover_text(hover).clicked() {
                actions.push(Action::ApplyPreset(i));
            }
        }
        if shown == 0 {
            ui.label(RichText::new(format!("No preset matches “{}”.", state.preset_search.trim())).weak());
        }
    });
    let is_user = applied.is_some_and(|i| !entries[i].is_bundled());
    ui.add_enabled_ui(!busy, |ui| {
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("Save as…")
                .on_hover_text("Save the current settings as a new preset of yours")
                .clicked()
            {
                actions.push(Action::AskSavePresetAs);
            }
            let rename = ui
                .add_enabled(is_user, egui::Button::new("Rename…"))
                .on_hover_text("Rename this preset of yours");
            if rename.clicked()
                && let Some(i) = applied
            {
                actions.push(Action::AskRename(i));
            }
            let duplicate = ui
                .add_enabled(applied.is_some(), egui::Button::new("Duplicate"))
                .on_hover_text("Save a copy to adjust");
            if duplicate.clicked()
                && let Some(index) = applied
            {
                actions.push(Action::Presets(PresetOp::Duplicate { index }));
            }
            let delete = ui
                .add_enabled(is_user, egui::Button::new("Delete…"))
                .on_hover_text("Delete this preset of yours");
            if delete.clicked()
                && let Some(i) = applied
            {
                actions.push(Action::AskDelete(i));
            }
            if ui.button("Import…").on_hover_text(Command::ImportPreset.tooltip()).clicked() {
                actions.push(Action::Command(Command::ImportPreset));
            }
            if ui.button("Export…").on_hover_text(Command::ExportPreset.tooltip()).clicked() {
                actions.push(Action::Command(Command::ExportPreset));
            }
        });
    });
    if let Some(dir) = state.store().dir() {
        ui.add(
            egui::Label::new(RichText::new(format!("Your presets: {}", dir.display())).small().weak())
                .truncate(),
        )
        .on_hover_text(dir.display().to_string());
    }
    ui.add_space(2.0);
    let preset = &state.consultation().preset;
    if applied.is_none() {
        ui.label(RichText::new(format!("Applied: “{}”, this consultation's own copy.", preset.name)).small())
            .on_hover_text(
                "It is not in your library (it was changed, deleted or came with the file); Save as… adds it",
            );
    }
    ui.label(RichText::new(&preset.description).small().weak());
    actions.extend(adjust_ui(state, is_user, applied, ui));
    actions
}

/// Decimals a person reads on a slider over `range`: about three significant figures of its
/// span ("0.65", "0.25 mm", "85 /cm²"), never the five a drag leaves ("0.65262").
fn readable_decimals(range: std::ops::RangeInclusive<f32>) -> usize {
    let span = (range.end() - range.start()).abs();
    if span >= 100.0 {
        0
    } else if span >= 10.0 {
        1
    } else {
        2
    }
}

/// Live sliders for the fields a clinician adjusts most; the result follows at once.
fn adjust_ui(state: &State, is_user: bool, applied: Option<usize>, ui: &mut egui::Ui) -> Vec<Action> {
    let mut actions = Vec::new();
    let preset = &state.consultation().preset;
    egui::CollapsingHeader::new("Adjust preset").default_open(false).show(ui, |ui| {
        // Each name above its slider, the slider as wide as the panel leaves beside its value:
        // a name beside it pushed the row past the panel's edge.
        ui.spacing_mut().slider_width = (ui.available_width() - 80.0).max(80.0);
        for path in ADJUSTABLE {
            let Some(limit) = limits::field(path) else { continue };
            let mut value = (limit.get)(preset);
            let suffix = if limit.unit.is_empty() { String::new() } else { format!(" {}", limit.unit) };
            let name = ui.label(RichText::new(limit.label).small());
            let slider = egui::Slider::new(&mut value, limit.range())
                .suffix(suffix)
                .max_decimals(readable_decimals(limit.range()))
                .logarithmic(limit.path.ends_with("_mm") || limit.path.ends_with("cm2"));
            if ui.add(slider).labelled_by(name.id).on_hover_text(limit.doc).changed() {
                actions.push(Action::Edit(Edit::SetPresetField { field: limit, value }));
            }
        }
        egui::ComboBox::from_label("Hairline style").selected_text(preset.hairline.style.label()).show_ui(
            ui,
            |ui| {
                for style in HairlineStyle::ALL {
                    if ui.selectable_label(preset.hairline.style == style, style.label()).clicked() {
                        actions.push(Action::Edit(Edit::SetHairlineStyle(style)));
                    }
                }
            },
        );
        let library: Option<&Preset> = applied.map(|i| &state.store().list()[i].preset);
        if library.is_some_and(|p| p != preset) {
            ui.horizontal(|ui| {
                if is_user {
                    if ui
                        .add_enabled(!state.studio.presets_busy(), egui::Button::new("Save changes"))
                        .clicked()
                        && let Some(index) = applied
                    {
                        actions.push(Action::Presets(PresetOp::Update { index }));
                    }
                } else {
                    ui.label(RichText::new("Bundled presets are read-only: use Save as…").small().weak());
                }
            });
        }
    });
    actions
}

#[cfg(test)]
mod tests {
    use super::{ADJUSTABLE, readable_decimals};
    use crate::engine::preset::limits;

    /// A slider whose path is not in the limits table would silently not be drawn.
    #[test]
    fn every_adjustable_field_has_its_limits() {
        for path in ADJUSTABLE {
            assert!(limits::field(path).is_some(), "{path} is not a preset field");
        }
    }

    #[test]
    fn sliders_show_the_precision_a_person_reads() {
        assert_eq!(readable_decimals(0.0..=1.0), 2);
        assert_eq!(readable_decimals(0.1..=0.6), 2);
        assert_eq!(readable_decimals(10.0..=60.0), 1);
        assert_eq!(readable_decimals(20.0..=200.0), 0);
    }
}
