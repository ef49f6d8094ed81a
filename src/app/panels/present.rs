//! The few controls left while presenting to the patient: session and years, and the way out.

use super::super::action::Action;
use super::super::commands::Command;
use super::super::state::State;
use crate::engine::sim::Stage;
use crate::studio::Edit;
use eframe::egui::{self, Color32, RichText};

pub fn presentation_controls(state: &State, ctx: &egui::Context) -> Vec<Action> {
    let mut actions = Vec::new();
    let consultation = state.consultation();
    let preset = &consultation.preset;
    let settings = consultation.settings;
    egui::Area::new(egui::Id::unique("presentation_controls"))
        .anchor(egui::Align2::CENTER_BOTTOM, [0.0, -18.0])
        .show(ctx, |ui| {
            egui::Frame::new()
                .fill(Color32::from_black_alpha(190))
                .corner_radius(10.0)
                .inner_margin(egui::Margin::symmetric(14, 10))
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.label(RichText::new("Session").color(Color32::LIGHT_GRAY));
                        for s in 1..=preset.session_count() {
                            if ui.selectable_label(settings.session == s, format!("{s}")).clicked() {
                                actions.push(Action::Edit(Edit::SetSession(s)));
                            }
                        }
                        ui.separator();
                        let mut years = match settings.stage {
                            Stage::Healed { years } => years,
                            Stage::Fresh => 0.0,
                        };
                        ui.label(RichText::new("Years later").color(Color32::LIGHT_GRAY));
                        if ui
                            .add(egui::Slider::new(&mut years, 0.0..=10.0).max_decimals(0).step_by(1.0))
                            .changed()
                        {
                            actions.push(Action::Edit(Edit::SetStage(Stage::Healed { years })));
                        }
                        ui.separator();
                        if ui.button("Leave").on_hover_text("Back to the tools (Esc)").clicked() {
                            actions.push(Action::Command(Command::TogglePresentation));
                        }
                    });
                });
        });
    actions
}
