//! The panels around the canvas. Each is a function of the state that returns the actions a
//! person asked for; none changes anything itself.

pub mod menu;
pub mod present;
pub mod presets;
pub mod simulation;
pub mod status;
pub mod tools;

use super::commands::{Command, shortcut_text};
use crate::engine::mask::RegionKind;
use eframe::egui::{self, Color32, RichText, vec2};

/// Width of the side panels.
pub const SIDE_PANEL_WIDTH: f32 = 250.0;

pub fn tooltip_with_shortcut(command: Command) -> String {
    match command.shortcut() {
        Some(s) => format!("{}  ({})", command.tooltip(), shortcut_text(&s)),
        None => command.tooltip().to_owned(),
    }
}

/// A small heading over a group of controls.
pub fn section(ui: &mut egui::Ui, title: &str) {
    ui.add_space(10.0);
    ui.label(RichText::new(title).strong().size(13.0).color(ui.visuals().weak_text_color()));
    ui.add_space(2.0);
}

pub fn swatch(ui: &mut egui::Ui, color: Color32, size: f32) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(vec2(size, size), egui::Sense::hover());
    ui.painter().rect_filled(rect, 3.0, color);
    ui.painter().rect_stroke(
        rect,
        3.0,
        egui::Stroke::new(1.0, Color32::from_white_alpha(40)),
        egui::StrokeKind::Inside,
    );
    response
}

pub fn region_color(kind: RegionKind) -> Color32 {
    let [r, g, b] = kind.tint_srgb();
    Color32::from_rgb(r, g, b)
}
