//! The status bar: zoom, scale, pointer position, region figures, render time and the last
//! notice, each in a place of its own so nothing is drawn over anything else.

use super::super::action::Action;
use super::super::state::State;
use super::{region_color, swatch};
use crate::engine::mask::RegionKind;
use eframe::egui::{self, RichText};

pub fn status_bar(state: &State, ui: &mut egui::Ui) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::Panel::bottom("status").show(ui, |ui| {
        if let Some(notice) = &state.notice {
            // The notice has a line of its own above the figures.
            ui.horizontal(|ui| {
                let color =
                    if notice.is_error { ui.visuals().error_fg_color } else { ui.visuals().text_color() };
                ui.add(egui::Label::new(RichText::new(&notice.text).color(color)).wrap());
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.small_button("Dismiss").clicked() {
                        actions.push(Action::DismissNotice);
                    }
                });
            });
            ui.separator();
        }
        ui.horizontal(|ui| {
            let consultation = state.consultation();
            let scale = consultation.settings.scale;
            ui.label(format!("Zoom {:.0} %", state.view.zoom * ui.ctx().pixels_per_point() * 100.0));
            ui.separator();
            let scale_label = ui.label(format!("{:.1} px/mm", scale.px_per_mm));
            if !consultation.calibrated {
                ui.label(
                    RichText::new("default scale: calibrate with Measure").color(ui.visuals().warn_fg_color),
                );
            } else {
                scale_label.on_hover_text("Photo scale; recalibrate with the Measure tool");
            }
            ui.separator();
            match state.hover_image {
                Some(p) => ui.label(format!("{:.1}, {:.1} mm", scale.mm(p.x), scale.mm(p.y))),
                None => ui.label("—"),
            };
            ui.separator();
            for kind in RegionKind::ALL {
                let stats = state.stats().region(kind);
                if stats.area_cm2 > 0.0 {
                    swatch(ui, region_color(kind), 9.0);
                    ui.label(format!("{} dots · {:.1} cm²", stats.dots, stats.area_cm2))
                        .on_hover_text(format!("{}: {:.0} dots per cm²", kind.label(), stats.dots_per_cm2()));
                }
            }
            if let Some(elapsed) = state.studio.render_time() {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(
                        RichText::new(format!("rendered in {:.0} ms", elapsed.as_secs_f64() * 1000.0)).weak(),
                    );
                });
            }
        });
    });
    actions
}
