//! The right panel: the preset library, before/after, session, healing and the treated area.

use super::super::action::Action;
use super::super::commands::Command;
use super::super::icons::{self, Icon};
use super::super::state::State;
use super::presets::{ThumbnailTextures, preset_ui};
use super::{SIDE_PANEL_WIDTH, region_color, section, swatch, tooltip_with_shortcut};
use crate::engine::handout::{duration, thousands};
use crate::engine::head::OutlineChoice;
use crate::engine::mask::RegionKind;
use crate::engine::sim::{self, Stage};
use crate::studio::Edit;
use eframe::egui::{self, RichText, vec2};

pub fn simulation_panel(state: &State, textures: &ThumbnailTextures, ui: &mut egui::Ui) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::Panel::right("simulation").resizable(false).exact_size(SIDE_PANEL_WIDTH + 40.0).show(ui, |ui| {
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            ui.add_space(8.0);
            ui.heading("Preset");
            ui.add_space(4.0);
            actions.extend(preset_ui(state, textures, ui));

            section(ui, "RESULT");
            ui.horizontal(|ui| {
                let before = state.controls.show_before;
                let width = (ui.available_width() - 8.0) / 2.0;
                let tip = tooltip_with_shortcut(Command::ToggleBeforeAfter);
                let accent = ui.visuals().text_color();
                for (icon, label, is_before) in
                    [(Icon::Before, "Before", true), (Icon::After, "After", false)]
                {
                    ui.scope(|ui| {
                        ui.set_width(width);
                        if icons::tool_button(ui, icon, label, before == is_before, accent)
                            .on_hover_text(&tip)
                            .clicked()
                        {
                            actions.push(Action::ShowBefore(is_before));
                        }
                    });
                }
            });

            let consultation = state.consultation();
            let preset = &consultation.preset;
            let settings = consultation.settings;
            section(ui, "SESSION");
            ui.horizontal_wrapped(|ui| {
                for s in 1..=preset.session_count() {
                    let pct = preset.session_fraction(s) * 100.0;
                    if ui
                        .selectable_label(settings.session == s, format!("{s} · {pct:.0} %"))
                        .on_hover_text(format!(
                            "The result after session {s}: {pct:.0} % of the target density"
                        ))
                        .clicked()
                    {
                        actions.push(Action::Edit(Edit::SetSession(s)));
                    }
                }
            });

            section(ui, "HEALING");
            let years = match settings.stage {
                Stage::Healed { years } => years,
                Stage::Fresh => 0.0,
            };
            ui.horizontal(|ui| {
                let fresh = settings.stage == Stage::Fresh;
                if ui
                    .selectable_label(fresh, "Fresh")
                    .on_hover_text("The first days: larger, darker dots, some redness")
                    .clicked()
                {
                    actions.push(Action::Edit(Edit::SetStage(Stage::Fresh)));
                }
                if ui
                    .selectable_label(!fresh && years == 0.0, "Healed")
                    .on_hover_text("About a month after the session")
                    .clicked()
                {
                    actions.push(Action::Edit(Edit::SetStage(Stage::Healed { years: 0.0 })));
                }
            });
            let mut years_edit = years;
            if ui
                .add(
                    egui::Slider::new(&mut years_edit, 0.0..=10.0)
                        .suffix(" years")
                        .max_decimals(1)
                        .text("Later"),
                )
                .on_hover_text("Fading over the years: lighter, softer, cooler dots")
                .changed()
            {
                actions.push(Action::Edit(Edit::SetStage(Stage::Healed { years: years_edit })));
            }

            section(ui, "PHOTO");
            actions.extend(photo_sharpness_ui(state, ui));
            ui.add_space(6.0);
            actions.extend(curvature_ui(state, ui));

            section(ui, "PLAN");
            actions.extend(plan_ui(state, ui));
        });
    });
    actions
}

/// The photo's sharpness the dots are blurred to: the estimate, or a value set by hand and a
/// way back to the estimate.
fn photo_sharpness_ui(state: &State, ui: &mut egui::Ui) -> Vec<Action> {
    let mut actions = Vec::new();
    let (mm, by_hand) = sim::photo_sharpness_mm(&state.consultation().scene());
    let how = if by_hand { "set by hand" } else { "estimated" };
    ui.label(format!("Photo sharpness {mm:.2} mm ({how})")).on_hover_text(
        "How far the photo's camera blurs a point on the scalp. Dots are blurred as much, so \
         they look photographed with the same camera",
    );
    ui.horizontal(|ui| {
        let mut value = mm;
        if ui
            .add(
                egui::DragValue::new(&mut value)
                    .range(0.0..=sim::MAX_PHOTO_SHARPNESS_MM)
                    .speed(0.005)
                    .fixed_decimals(2)
                    .suffix(" mm"),
            )
            .on_hover_text("Set the photo's sharpness by hand: smaller is sharper")
            .changed()
        {
            actions.push(Action::Edit(Edit::SetPhotoSharpness(Some(value))));
        }
        if by_hand
            && ui
                .button("Use estimate")
                .on_hover_text("Go back to the sharpness measured on the photo")
                .clicked()
        {
            actions.push(Action::Edit(Edit::SetPhotoSharpness(None)));
        }
    });
    actions
}

/// Whether the dots follow the head's curve, and which outline it comes from.
fn curvature_ui(state: &State, ui: &mut egui::Ui) -> Vec<Action> {
    let mut actions = Vec::new();
    let scene = state.consultation().scene();
    let choice = scene.settings.head;
    let mut follow = choice != OutlineChoice::Flat;
    if ui
        .checkbox(&mut follow, "Follow the head's curve")
        .on_hover_text(
            "Toward the head's outline the scalp turns away from the camera: dots crowd, flatten \
             and darken there, and areas count the skin, not the pixels",
        )
        .changed()
    {
        let choice = if follow { OutlineChoice::Found } else { OutlineChoice::Flat };
        actions.push(Action::Edit(Edit::SetHeadOutline(choice)));
    }
    let (text, weak) = match (choice, scene.head_ellipse()) {
        (OutlineChoice::Flat, _) => ("Off: the scalp is treated as flat", true),
        (OutlineChoice::Set(_), _) => ("Outline set by hand", false),
        (OutlineChoice::Found, Some(_)) => ("Outline found on the photo", false),
        (OutlineChoice::Found, None) => {
            ("No head outline on this photo: flat. Draw one with Head outline (O)", true)
        }
    };
    ui.horizontal_wrapped(|ui| {
        let label = RichText::new(text);
        ui.label(if weak { label.weak() } else { label });
        if matches!(choice, OutlineChoice::Set(_))
            && ui.button("Use found").on_hover_text("Go back to the outline found on the photo").clicked()
        {
            actions.push(Action::Edit(Edit::SetHeadOutline(OutlineChoice::Found)));
        }
    });
    actions
}

/// Area, impressions and time per session, from the whole treatment's dots.
fn plan_ui(state: &State, ui: &mut egui::Ui) -> Vec<Action> {
    let mut actions = Vec::new();
    let plan = state.studio.plan();
    egui::Grid::new("plan").num_columns(3).spacing(vec2(12.0, 4.0)).show(ui, |ui| {
        ui.label(RichText::new("Region").weak());
        ui.label(RichText::new("cm²").weak());
        ui.label(RichText::new("Impressions").weak());
        ui.end_row();
        for kind in RegionKind::ALL {
            let region = plan.region(kind);
            ui.horizontal(|ui| {
                swatch(ui, region_color(kind), 10.0);
                ui.label(kind.label());
            });
            ui.label(format!("{:.1}", region.area_cm2));
            ui.label(thousands(region.impressions()));
            ui.end_row();
        }
        ui.label(RichText::new("Total").strong());
        ui.label(RichText::new(format!("{:.1}", plan.total.area_cm2)).strong());
        ui.label(RichText::new(thousands(plan.total.impressions())).strong());
        ui.end_row();
    });
    let rate = state.studio.settings().impressions_per_hour;
    let minutes = plan.minutes_per_session(rate);
    ui.add_space(4.0);
    for (i, (n, m)) in plan.total.impressions_per_session.iter().zip(&minutes).enumerate() {
        ui.label(format!("Session {}: {} impressions · {}", i + 1, thousands(*n), duration(*m)))
            .on_hover_text("New impressions placed in this session, and the time at your pace");
    }
    ui.horizontal(|ui| {
        ui.label("Pace");
        let mut pace = rate;
        let range = crate::studio::settings::IMPRESSIONS_PER_HOUR;
        if ui
            .add(egui::DragValue::new(&mut pace).range(range).speed(25.0).suffix(" /hour"))
            .on_hover_text("Impressions per hour at your clinic, for the session times")
            .changed()
        {
            actions.push(Action::SetImpressionsPerHour(pace));
        }
    });
    if !plan.shades.is_empty() {
        let shades: Vec<String> =
            plan.shades.iter().map(|(name, share)| format!("{name} {:.0} %", share * 100.0)).collect();
        ui.add(egui::Label::new(RichText::new(format!("Shades: {}", shades.join(", "))).small()).wrap());
    }
    actions
}
