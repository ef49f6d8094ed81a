//! The panels around the canvas: menu bar, tools, simulation settings, status bar, path prompt.

use super::icons::{self, Icon};
use super::{Command, FilePurpose, SmpApp, Tool};
use crate::engine::mask::RegionKind;
use crate::engine::sim::Stage;
use eframe::egui::{self, Color32, RichText, vec2};
use std::path::PathBuf;

const SIDE_PANEL_WIDTH: f32 = 250.0;

/// A menu entry for a command: icon, label, shortcut and tooltip all come from the command.
fn menu_item(app: &mut SmpApp, ui: &mut egui::Ui, command: Command) {
    let mut button = egui::Button::new(command.label());
    if let Some(shortcut) = command.shortcut() {
        button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
    }
    if ui.add(button).on_hover_text(command.tooltip()).clicked() {
        app.commands.push(command);
        ui.close();
    }
}

fn tooltip_with_shortcut(ui: &egui::Ui, command: Command) -> String {
    match command.shortcut() {
        Some(s) => format!("{}  ({})", command.tooltip(), ui.ctx().format_shortcut(&s)),
        None => command.tooltip().to_owned(),
    }
}

pub(super) fn menu_bar(app: &mut SmpApp, ui: &mut egui::Ui) {
    egui::Panel::top("menu_bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                menu_item(app, ui, Command::OpenPhoto);
                menu_item(app, ui, Command::OpenSample);
                ui.separator();
                menu_item(app, ui, Command::OpenConsultation);
                menu_item(app, ui, Command::SaveConsultation);
                ui.separator();
                menu_item(app, ui, Command::ExportPreview);
                ui.separator();
                menu_item(app, ui, Command::ImportPreset);
                menu_item(app, ui, Command::ExportPreset);
                ui.separator();
                menu_item(app, ui, Command::Quit);
            });
            ui.menu_button("Edit", |ui| {
                ui.add_enabled_ui(app.history.can_undo(), |ui| menu_item(app, ui, Command::Undo));
                ui.add_enabled_ui(app.history.can_redo(), |ui| menu_item(app, ui, Command::Redo));
            });
            ui.menu_button("View", |ui| {
                menu_item(app, ui, Command::ToggleBeforeAfter);
                menu_item(app, ui, Command::ToggleSplit);
                menu_item(app, ui, Command::ToggleRegions);
                ui.separator();
                menu_item(app, ui, Command::ZoomToFit);
                menu_item(app, ui, Command::ZoomActualSize);
            });
            ui.menu_button("Tools", |ui| {
                for command in [
                    Command::ToolHairline,
                    Command::ToolBald,
                    Command::ToolScar,
                    Command::ToolEraser,
                    Command::ToolPan,
                    Command::ToolMeasure,
                ] {
                    menu_item(app, ui, command);
                }
                ui.separator();
                menu_item(app, ui, Command::BrushSmaller);
                menu_item(app, ui, Command::BrushLarger);
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                // Right to left: the marker sits after the name.
                if app.unsaved() {
                    ui.label(RichText::new("· not saved").weak().small()).on_hover_text(
                        "Changed since the last save; a copy is kept for recovery until you save",
                    );
                }
                ui.label(RichText::new(&app.consultation.photo_name).weak());
            });
        });
    });
}

fn section(ui: &mut egui::Ui, title: &str) {
    ui.add_space(10.0);
    ui.label(RichText::new(title).strong().size(13.0).color(ui.visuals().weak_text_color()));
    ui.add_space(2.0);
}

pub(super) fn swatch(ui: &mut egui::Ui, color: Color32, size: f32) -> egui::Response {
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

fn region_color(kind: RegionKind) -> Color32 {
    let [r, g, b] = kind.tint_srgb();
    Color32::from_rgb(r, g, b)
}

pub(super) fn tools_panel(app: &mut SmpApp, ui: &mut egui::Ui) {
    egui::Panel::left("tools").resizable(false).exact_size(SIDE_PANEL_WIDTH).show(ui, |ui| {
        ui.add_space(8.0);
        ui.heading("Tools");
        let tools = [
            (Command::ToolHairline, Tool::Paint(RegionKind::Hairline)),
            (Command::ToolBald, Tool::Paint(RegionKind::Bald)),
            (Command::ToolScar, Tool::Paint(RegionKind::Scar)),
            (Command::ToolEraser, Tool::Eraser),
            (Command::ToolPan, Tool::Pan),
            (Command::ToolMeasure, Tool::Measure),
        ];
        ui.add_space(4.0);
        for (command, tool) in tools {
            let selected = app.controls.tool == tool;
            let accent = match tool {
                Tool::Paint(kind) => region_color(kind),
                _ => ui.visuals().text_color(),
            };
            let Some(icon) = command.icon() else { continue };
            let response = icons::tool_button(ui, icon, command.label(), selected, accent);
            if response.on_hover_text(tooltip_with_shortcut(ui, command)).clicked() {
                app.commands.push(command);
            }
        }
        if app.controls.tool == Tool::Eraser {
            ui.horizontal(|ui| {
                ui.label("Erase from");
                egui::ComboBox::from_id_salt("erase_region")
                    .selected_text(app.controls.erase_region.label())
                    .show_ui(ui, |ui| {
                        for kind in RegionKind::ALL {
                            ui.selectable_value(&mut app.controls.erase_region, kind, kind.label());
                        }
                    });
            });
        }

        section(ui, "BRUSH");
        ui.add(
            egui::Slider::new(&mut app.controls.brush_diameter_mm, super::BRUSH_DIAMETER_MM)
                .logarithmic(true)
                .suffix(" mm")
                .max_decimals(1)
                .text("Size"),
        )
        .on_hover_text("Brush diameter on the scalp. [ and ] change it.");
        let mut hardness_pct = app.controls.brush_hardness * 100.0;
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
            app.controls.brush_hardness = hardness_pct / 100.0;
        }

        ui.checkbox(&mut app.controls.fill_shape, "Fill shape (lasso)").on_hover_text(
            "Draw an outline with a region tool or the eraser; its inside is filled when you let go",
        );

        section(ui, "REGIONS");
        let mut tint_changed = false;
        for kind in RegionKind::ALL {
            ui.horizontal(|ui| {
                swatch(ui, region_color(kind), 14.0);
                tint_changed |= ui
                    .checkbox(&mut app.controls.show_region[kind.index()], kind.label())
                    .on_hover_text(format!("Show the {} tint over the photo", kind.label().to_lowercase()))
                    .changed();
            });
        }
        let mut opacity_pct = app.controls.tint_opacity * 100.0;
        if ui
            .add(egui::Slider::new(&mut opacity_pct, 5.0..=80.0).suffix(" %").max_decimals(0).text("Tint"))
            .changed()
        {
            app.controls.tint_opacity = opacity_pct / 100.0;
        }
        if tint_changed {
            app.refresh_all_tint();
        }
    });
}

pub(super) fn simulation_panel(app: &mut SmpApp, ui: &mut egui::Ui) {
    egui::Panel::right("simulation").resizable(false).exact_size(SIDE_PANEL_WIDTH + 40.0).show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.add_space(8.0);
            ui.heading("Preset");
            ui.add_space(4.0);
            super::preset_panel::preset_ui(app, ui);

            section(ui, "RESULT");
            ui.horizontal(|ui| {
                let before = app.controls.show_before;
                let size = vec2((ui.available_width() - 8.0) / 2.0, 30.0);
                let tip = tooltip_with_shortcut(ui, Command::ToggleBeforeAfter);
                let accent = ui.visuals().text_color();
                ui.scope(|ui| {
                    ui.set_width(size.x);
                    if icons::tool_button(ui, Icon::Before, "Before", before, accent)
                        .on_hover_text(&tip)
                        .clicked()
                    {
                        app.controls.show_before = true;
                    }
                });
                ui.scope(|ui| {
                    ui.set_width(size.x);
                    if icons::tool_button(ui, Icon::After, "After", !before, accent)
                        .on_hover_text(&tip)
                        .clicked()
                    {
                        app.controls.show_before = false;
                    }
                });
            });

            section(ui, "SESSION");
            let sessions = app.consultation.preset.session_count();
            let mut settings = app.consultation.settings;
            ui.horizontal_wrapped(|ui| {
                for s in 1..=sessions {
                    let pct = app.consultation.preset.session_fraction(s) * 100.0;
                    ui.selectable_value(&mut settings.session, s, format!("{s} · {pct:.0} %")).on_hover_text(
                        format!("The result after session {s}: {pct:.0} % of the target density"),
                    );
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
                    settings.stage = Stage::Fresh;
                }
                if ui
                    .selectable_label(!fresh && years == 0.0, "Healed")
                    .on_hover_text("About a month after the session")
                    .clicked()
                {
                    settings.stage = Stage::Healed { years: 0.0 };
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
                settings.stage = Stage::Healed { years: years_edit };
            }
            if settings != app.consultation.settings {
                app.consultation.settings = settings;
                app.changed(super::worker::Change::Everything);
            }

            section(ui, "TREATED AREA");
            egui::Grid::new("stats").num_columns(4).spacing(vec2(10.0, 4.0)).show(ui, |ui| {
                ui.label(RichText::new("Region").weak());
                ui.label(RichText::new("Dots").weak());
                ui.label(RichText::new("cm²").weak());
                ui.label(RichText::new("per cm²").weak());
                ui.end_row();
                for kind in RegionKind::ALL {
                    let s = app.stats.region(kind);
                    ui.horizontal(|ui| {
                        swatch(ui, region_color(kind), 10.0);
                        ui.label(kind.label());
                    });
                    ui.label(format!("{}", s.dots));
                    ui.label(format!("{:.1}", s.area_cm2));
                    ui.label(format!("{:.0}", s.dots_per_cm2()));
                    ui.end_row();
                }
            });
        });
    });
}

pub(super) fn status_bar(app: &mut SmpApp, ui: &mut egui::Ui) {
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| {
            let scale = app.consultation.settings.scale;
            ui.label(format!("Zoom {:.0} %", app.view.zoom * ui.ctx().pixels_per_point() * 100.0));
            ui.separator();
            let scale_label = ui.label(format!("{:.1} px/mm", scale.px_per_mm));
            if !app.scale_calibrated {
                ui.label(
                    RichText::new("default scale: calibrate with Measure").color(ui.visuals().warn_fg_color),
                );
            } else {
                scale_label.on_hover_text("Photo scale; recalibrate with the Measure tool");
            }
            ui.separator();
            match app.hover_image {
                Some(p) => ui.label(format!("{:.1}, {:.1} mm", scale.mm(p.x), scale.mm(p.y))),
                None => ui.label("—"),
            };
            ui.separator();
            for kind in RegionKind::ALL {
                let stats = app.stats.region(kind);
                if stats.area_cm2 > 0.0 {
                    swatch(ui, region_color(kind), 9.0);
                    ui.label(format!("{} dots · {:.1} cm²", stats.dots, stats.area_cm2))
                        .on_hover_text(format!("{}: {:.0} dots per cm²", kind.label(), stats.dots_per_cm2()));
                }
            }
            if let Some(elapsed) = app.last_render {
                ui.separator();
                ui.label(format!("rendered in {:.0} ms", elapsed.as_secs_f64() * 1000.0));
            }
            if let Some(notice) = app.notice.clone() {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.small_button("Dismiss").clicked() {
                        app.notice = None;
                    }
                    let color =
                        if notice.is_error { ui.visuals().error_fg_color } else { ui.visuals().text_color() };
                    ui.label(RichText::new(notice.text).color(color));
                });
            }
        });
    });
}

/// The typed-path prompt: always works, with or without a system file dialog.
pub(super) fn prompt_window(app: &mut SmpApp, ctx: &egui::Context) {
    let Some(prompt) = app.prompt.as_mut() else { return };
    let (title, action, hint) = match prompt.purpose {
        FilePurpose::OpenPhoto => ("Open photo", "Open", "/path/to/scalp.jpg"),
        FilePurpose::ExportPreview => ("Export preview", "Export", "/path/to/preview.png"),
        FilePurpose::ImportPreset => ("Import preset", "Import", "/path/to/preset.ron"),
        FilePurpose::OpenConsultation => ("Open consultation", "Open", "/path/to/visit.smpc"),
        FilePurpose::SaveConsultation => ("Save consultation", "Save", "/path/to/visit.smpc"),
        FilePurpose::ExportPreset => ("Export preset", "Export", "/path/to/preset.ron"),
    };
    let mut submit = false;
    let mut cancel = false;
    egui::Modal::new(egui::Id::unique("path_prompt")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading(title);
        ui.label("Type or paste a file path, or choose it in the file dialog if one opened.");
        let edit =
            ui.add(egui::TextEdit::singleline(&mut prompt.text).hint_text(hint).desired_width(f32::INFINITY));
        edit.request_focus();
        if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            submit = true;
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button(action).clicked() {
                submit = true;
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                cancel = true;
            }
        });
    });
    if cancel {
        app.prompt = None;
    } else if submit {
        let purpose = prompt.purpose;
        let text = prompt.text.trim().to_owned();
        if text.is_empty() {
            app.error("Type a file path first.".into());
        } else {
            app.use_path(purpose, &PathBuf::from(text));
        }
    }
}

/// Asks for the real length of the line just measured, then sets the scale.
pub(super) fn measure_window(app: &mut SmpApp, ctx: &egui::Context) {
    let Some(prompt) = app.measure_prompt.as_mut() else { return };
    let mut submit = false;
    let mut cancel = false;
    egui::Modal::new(egui::Id::unique("measure_prompt")).show(ctx, |ui| {
        ui.set_width(380.0);
        ui.heading("Calibrate scale");
        ui.label(format!(
            "The line is {:.0} photo pixels long. How long is it on the scalp?",
            prompt.length_px
        ));
        ui.horizontal(|ui| {
            let edit = ui
                .add(egui::TextEdit::singleline(&mut prompt.text).hint_text("e.g. 20").desired_width(120.0));
            edit.request_focus();
            ui.label("mm");
            if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                submit = true;
            }
        });
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("Set scale").clicked() {
                submit = true;
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                cancel = true;
            }
        });
    });
    if cancel {
        app.measure_prompt = None;
        app.measure_line = None;
    } else if submit {
        let length_px = prompt.length_px;
        match prompt.text.trim().replace(',', ".").parse::<f32>() {
            Ok(mm) => match app.calibrate(length_px, mm) {
                Ok(()) => {
                    app.measure_prompt = None;
                    app.measure_line = None;
                    let scale = app.consultation.settings.scale.px_per_mm;
                    app.info(format!("Scale set to {scale:.2} px/mm."));
                }
                Err(e) => app.error(e),
            },
            Err(_) => app.error("Type the length in millimetres, e.g. 20 or 12.5.".into()),
        }
    }
}
