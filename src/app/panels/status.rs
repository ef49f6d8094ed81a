//! The status bar: zoom, scale, pointer position, region figures, render time and the last
//! notice, each in a place of its own so nothing is drawn over anything else; and the list of
//! the session's notices it opens.

use super::super::action::Action;
use super::super::commands::Command;
use super::super::state::{Notice, State};
use super::{region_color, swatch};
use crate::engine::mask::RegionKind;
use eframe::egui::{self, RichText};

pub fn status_bar(state: &State, ui: &mut egui::Ui) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::Panel::bottom("status").show(ui, |ui| {
        // One line, always the same height: a notice arriving never moves the canvas (and a
        // fitted photo under the pointer) up.
        ui.horizontal(|ui| {
            figures(state, ui);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let count = state.notices.len();
                if count > 0 {
                    let label = if state.show_notices {
                        "Hide notices".to_owned()
                    } else {
                        format!("Notices ({count})")
                    };
                    if ui
                        .small_button(label)
                        .on_hover_text("Everything said since the app started; it is also written to the log")
                        .clicked()
                    {
                        actions.push(Action::ToggleNotices);
                    }
                }
                if let Some(notice) = state.notice() {
                    if ui.small_button("Dismiss").clicked() {
                        actions.push(Action::DismissNotice);
                    }
                    ui.add(egui::Label::new(notice_text(ui, notice)).truncate()).on_hover_text(&notice.text);
                }
            });
        });
    });
    actions
}

/// Zoom, scale, pointer position, region figures and the last render's time.
fn figures(state: &State, ui: &mut egui::Ui) {
    let consultation = state.consultation();
    let scale = consultation.settings.scale;
    ui.label(format!("Zoom {:.0} %", state.view.zoom * ui.ctx().pixels_per_point() * 100.0));
    ui.separator();
    let scale_label = ui.label(format!("{:.1} px/mm", scale.px_per_mm));
    if !consultation.calibrated {
        ui.label(RichText::new("default scale: calibrate with Measure").color(ui.visuals().warn_fg_color));
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
            ui.label(format!("{} dots · {:.1} cm²", stats.dots, stats.area_cm2)).on_hover_text(format!(
                "{}: {:.0} dots per cm²",
                kind.label(),
                stats.dots_per_cm2()
            ));
        }
    }
    if let Some(elapsed) = state.studio.render_time() {
        ui.label(RichText::new(format!("rendered in {:.0} ms", elapsed.as_secs_f64() * 1000.0)).weak());
    }
}

/// The notices of this session, newest first, and where the log is kept.
pub fn notices_window(state: &State, ctx: &egui::Context) -> Vec<Action> {
    let mut actions = Vec::new();
    if !state.show_notices {
        return actions;
    }
    let mut still_open = true;
    egui::Window::new("Notices")
        .open(&mut still_open)
        .collapsible(false)
        .resizable(false)
        .default_width(560.0)
        .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -40.0])
        .show(ctx, |ui| {
            ui.set_max_width(560.0);
            egui::ScrollArea::vertical().max_height(320.0).show(ui, |ui| {
                for notice in state.notices.all().rev() {
                    ui.horizontal_top(|ui| {
                        // The time of day; the log has the date.
                        let time = notice.at.split(' ').nth(1).unwrap_or_default();
                        ui.label(RichText::new(time).weak().monospace());
                        ui.add(egui::Label::new(notice_text(ui, notice)).wrap());
                    });
                }
            });
            ui.separator();
            match state.notices.log_path() {
                Some(path) => {
                    ui.label(RichText::new(format!("Also written to {}", path.display())).weak());
                    if ui
                        .button(Command::OpenLogFolder.label())
                        .on_hover_text(Command::OpenLogFolder.tooltip())
                        .clicked()
                    {
                        actions.push(Action::Command(Command::OpenLogFolder));
                    }
                }
                None => {
                    ui.label(RichText::new("No log file is kept in this session.").weak());
                }
            }
        });
    if !still_open || ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        actions.push(Action::ToggleNotices);
    }
    actions
}

/// A notice's words, in the error colour when it reports one.
fn notice_text(ui: &egui::Ui, notice: &Notice) -> RichText {
    let color = if notice.is_error { ui.visuals().error_fg_color } else { ui.visuals().text_color() };
    RichText::new(&notice.text).color(color)
}
