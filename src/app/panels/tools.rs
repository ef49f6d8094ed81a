//! The tools panel on the left: tools, brush, and the region tints.

use super::super::action::Action;
use super::super::commands::Command;
use super::super::icons;
use super::super::state::{BRUSH_DIAMETER_MM, State, Tool};
use super::{SIDE_PANEL_WIDTH, region_color, section, swatch, tooltip_with_shortcut};
use crate::engine::mask::RegionKind;
use crate::studio::Edit;
use eframe::egui;

const TOOLS: [(Command, Tool); 10] = [
    (Command::ToolHairline, Tool::Paint(RegionKind::Hairline)),
    (Command::ToolDesign, Tool::Design),
    (Command::ToolBald, Tool::Paint(RegionKind::Bald)),
    (Command::ToolScar, Tool::Paint(RegionKind::Scar)),
    (Command::ToolEraser, Tool::Eraser),
    (Command::ToolPan, Tool::Pan),
    (Command::ToolMeasure, Tool::Measure),
    (Command::ToolSampleSkin, Tool::SampleSkin),
    (Command::ToolMatchStubble, Tool::MatchStubble),
    (Command::ToolOutline, Tool::Outline),
];

pub fn tools_panel(state: &State, ui: &mut egui::Ui) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::Panel::left("tools").resizable(false).exact_size(SIDE_PANEL_WIDTH).show(ui, |ui| {
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| tools_ui(state, ui, &mut actions));
    });
    actions
}

fn tools_ui(state: &State, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    let controls = &state.controls;
    {
        ui.add_space(8.0);
        ui.heading("Tools");
        ui.add_space(4.0);
        for (command, tool) in TOOLS {
            let accent = match tool {
                Tool::Paint(kind) => region_color(kind),
                _ => ui.visuals().text_color(),
            };
            let Some(icon) = command.icon() else { continue };
            let response = icons::tool_button(ui, icon, command.label(), controls.tool == tool, accent);
            if response.on_hover_text(tooltip_with_shortcut(command)).clicked() {
                actions.push(Action::Command(command));
            }
        }
        // Always there, so choosing the eraser never moves the controls under the pointer.
        ui.add_enabled_ui(controls.tool == Tool::Eraser, |ui| {
            ui.horizontal(|ui| {
                let label = ui.label("Erase from");
                egui::ComboBox::from_id_salt("erase_region")
                    .selected_text(controls.erase_region.label())
                    .show_ui(ui, |ui| {
                        for kind in RegionKind::ALL {
                            if ui.selectable_label(controls.erase_region == kind, kind.label()).clicked() {
                                actions.push(Action::SetEraseRegion(kind));
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
            })
            .response
            .on_disabled_hover_text("Choose the Eraser to erase from one region");
        });
        // Right under the tools, so they are in view without scrolling while the designer is
        // in use (the brush does not draw a designed line); below the tool buttons, so choosing
        // the tool moves nothing under the pointer.
        if controls.tool == Tool::Design {
            actions.extend(design_ui(state, ui));
        }

        section(ui, "BRUSH");
        let mut diameter = controls.brush_diameter_mm;
        if ui
            .add(
                egui::Slider::new(&mut diameter, BRUSH_DIAMETER_MM)
                    .logarithmic(true)
                    .suffix(" mm")
                    .max_decimals(1)
                    .text("Size"),
            )
            .on_hover_text("Brush diameter on the scalp. [ and ] change it.")
            .changed()
        {
            actions.push(Action::SetBrushDiameter(diameter));
        }
        let mut hardness_pct = controls.brush_hardness * 100.0;
        if ui
            .add(
                egui::Slider::new(&mut hardness_pct, 0.0..=100.0)
                    .suffix(" %")
                    .max_decimals(0)
                    .text("Hardness"),
            )
            .on_hover_text("100 % paints a crisp edge; lower values fade the edge out.")
            .changed()
        {
            actions.push(Action::SetBrushHardness(hardness_pct / 100.0));
        }
        let mut fill = controls.fill_shape;
        if ui
            .checkbox(&mut fill, "Fill shape (lasso)")
            .on_hover_text(
                "Draw an outline with a region tool or the eraser; its inside is filled when you let go",
            )
            .changed()
        {
            actions.push(Action::SetFillShape(fill));
        }

        section(ui, "REGIONS");
        let shown = state.consultation().show_regions;
        for kind in RegionKind::ALL {
            ui.horizontal(|ui| {
                swatch(ui, region_color(kind), 14.0);
                let mut on = shown[kind.index()];
                if ui
                    .checkbox(&mut on, kind.label())
                    .on_hover_text(format!("Show the {} tint over the photo", kind.label().to_lowercase()))
                    .changed()
                {
                    actions.push(Action::Edit(Edit::ShowRegion { kind, shown: on }));
                }
            });
        }
        ui.horizontal(|ui| {
            if state.studio.suggestion().is_some() {
                if ui
                    .button("Accept suggestion")
                    .on_hover_text("Add the orange area to the bald spot region (undo takes it back)")
                    .clicked()
                {
                    actions.push(Action::AcceptSuggestion);
                }
                if ui.button("Dismiss").clicked() {
                    actions.push(Action::DismissSuggestion);
                }
            } else {
                let busy = state.studio.suggesting();
                let label = if busy { "Looking…" } else { "Suggest regions" };
                if ui
                    .add_enabled(!busy, egui::Button::new(label))
                    .on_hover_text(
                        "Find the bald and thinning scalp on the photo and propose it as a bald spot region",
                    )
                    .clicked()
                {
                    actions.push(Action::SuggestRegions);
                }
            }
        });
        let mut opacity_pct = controls.tint_opacity * 100.0;
        if ui
            .add(egui::Slider::new(&mut opacity_pct, 5.0..=80.0).suffix(" %").max_decimals(0).text("Tint"))
            .on_hover_text("How strongly the region tints cover the photo")
            .changed()
        {
            actions.push(Action::SetTintOpacity(opacity_pct / 100.0));
        }
    }
}

/// The hairline designer's own controls: glabella, mirror drawing, depth, and the reading of
/// the mid-frontal point's height.
fn design_ui(state: &State, ui: &mut egui::Ui) -> Vec<Action> {
    use crate::engine::design::{self, HairlineDesign};
    let mut actions = Vec::new();
    section(ui, "HAIRLINE DESIGN");
    let consultation = state.consultation();
    let current = consultation.hairline_design.clone().unwrap_or_default();
    let placing = state.controls.placing_glabella;
    if ui
        .selectable_label(placing, "Place glabella")
        .on_hover_text("Click the point between the eyebrows: the hairline's height is measured from it")
        .clicked()
    {
        actions.push(Action::PlaceGlabella(!placing));
    }
    let mut mirror = current.mirror;
    if ui
        .checkbox(&mut mirror, "Mirror drawing")
        .on_hover_text("Moving a handle moves its mirror image across the symmetry axis")
        .changed()
    {
        actions
            .push(Action::Edit(Edit::SetHairlineDesign(Some(HairlineDesign { mirror, ..current.clone() }))));
    }
    let mut depth = current.depth_mm;
    if ui
        .add(egui::Slider::new(&mut depth, design::DEPTH_MM).suffix(" mm").max_decimals(0).text("Depth"))
        .on_hover_text("How far behind the front line the hairline region reaches")
        .changed()
    {
        actions.push(Action::Edit(Edit::SetHairlineDesign(Some(HairlineDesign {
            depth_mm: depth,
            ..current.clone()
        }))));
    }
    match current.mid_frontal_height_mm(consultation.settings.scale) {
        Some(mm) => {
            let verdict = if mm < design::AGGRESSIVE_MM {
                "lower than an aggressive line"
            } else if mm > design::CONSERVATIVE_MM {
                "higher than a conservative line"
            } else {
                "between aggressive (7 cm) and conservative (10 cm)"
            };
            ui.label(format!("Mid-frontal point {:.1} cm above the glabella: {verdict}.", mm / 10.0));
        }
        None if current.glabella.is_none() => {
            ui.label(egui::RichText::new("Place the glabella to measure the hairline's height.").weak());
        }
        None => {
            ui.label(egui::RichText::new("Draw the front line across the axis to measure it.").weak());
        }
    }
    if ui
        .add_enabled(consultation.hairline_design.is_some(), egui::Button::new("Clear the design"))
        .on_hover_text("Remove the curve and its region (undo brings them back)")
        .clicked()
    {
        actions.push(Action::Edit(Edit::SetHairlineDesign(None)));
    }
    actions
}
