//! The menu bar: built from the command table, with the consultation's name at the right.

use super::super::action::Action;
use super::super::commands::{Command, Menu, shortcut_text};
use super::super::state::State;
use eframe::egui::{self, RichText};

pub fn menu_bar(state: &State, ui: &mut egui::Ui) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::Panel::top("menu_bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            for menu in Menu::ALL {
                ui.menu_button(menu.label(), |ui| {
                    let mut group = None;
                    for command in Command::ALL.into_iter().filter(|c| c.menu().0 == menu) {
                        let g = command.menu().1;
                        if group.is_some_and(|last| last != g) {
                            ui.separator();
                        }
                        group = Some(g);
                        let enabled = enabled(state, command);
                        ui.add_enabled_ui(enabled, |ui| {
                            if menu_item(ui, command, &label(state, command)) {
                                actions.push(Action::Command(command));
                            }
                        });
                        if command == Command::OpenConsultation {
                            actions.extend(recent_menu(state, ui));
                        }
                    }
                });
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                // Right to left: the marker sits after the name.
                if state.unsaved() {
                    ui.label(RichText::new("· not saved").weak().small()).on_hover_text(
                        "Changed since the last save; a copy is kept for recovery until you save",
                    );
                }
                ui.label(RichText::new(title(state)).weak());
            });
        });
    });
    actions
}

/// The consultation's file name, or the photo's until it is saved.
pub fn title(state: &State) -> String {
    match state.studio.document().file_path().and_then(|p| p.file_name()) {
        Some(name) => name.to_string_lossy().into_owned(),
        None => state.consultation().photo_name.clone(),
    }
}

fn enabled(state: &State, command: Command) -> bool {
    let history = state.studio.document().history();
    match command {
        Command::Undo => history.can_undo() || state.studio.document().stroke_open(),
        Command::Redo => history.can_redo(),
        _ => true,
    }
}

/// The command's label, with what Undo and Redo would take back or make again ("Undo stroke").
pub fn label(state: &State, command: Command) -> String {
    let document = state.studio.document();
    let step = match command {
        Command::Undo => document.undo_name(),
        Command::Redo => document.history().redo_name(),
        _ => None,
    };
    match step.filter(|s| !s.is_empty()) {
        Some(step) => format!("{} {step}", command.label()),
        None => command.label().to_owned(),
    }
}

/// A menu entry: label, shortcut and tooltip all come from the command. True when chosen.
fn menu_item(ui: &mut egui::Ui, command: Command, label: &str) -> bool {
    let mut button = egui::Button::new(label);
    if let Some(shortcut) = command.shortcut() {
        button = button.shortcut_text(shortcut_text(&shortcut));
    }
    let clicked = ui.add(button).on_hover_text(command.tooltip()).clicked();
    if clicked {
        ui.close();
    }
    clicked
}

/// File ▸ Open recent: the last consultations opened or saved that still exist.
fn recent_menu(state: &State, ui: &mut egui::Ui) -> Vec<Action> {
    let mut actions = Vec::new();
    let recent = &state.studio.settings().recent;
    ui.add_enabled_ui(!recent.is_empty(), |ui| {
        ui.menu_button("Open recent", |ui| {
            for path in recent {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                if ui.button(name).on_hover_text(path.display().to_string()).clicked() {
                    actions.push(Action::OpenRecent(path.clone()));
                    ui.close();
                }
            }
        });
    });
    actions
}
