//! The photo canvas: view transform (zoom, pan), drawing the photo and overlays, and turning
//! pointer input into painting or panning.

use super::overlays::{
    busy_badge, design_input, divider, draw_design, draw_outline, hint_banner, outline_input, pill,
};
use super::textures::Tiled;
use eframe::egui::{self, Color32, Pos2, Rect, Sense, Stroke, Vec2, pos2};

pub use super::view::{CanvasAction, DesignView, DragMode, MAX_ZOOM, MIN_ZOOM_OF_FIT, OutlineView, View};

pub struct CanvasInput<'a> {
    pub image_size: Vec2,
    /// The photo and the simulated result.
    pub before: &'a Tiled,
    pub after: &'a Tiled,
    /// Show the photo instead of the result (toggle or hold-B).
    pub show_before: bool,
    /// Divider position as a share of the canvas width: photo left of it, result right.
    pub split: Option<f32>,
    pub tint: Option<&'a Tiled>,
    /// Opacity of the region tints, 0–1.
    pub tint_opacity: f32,
    pub mode: DragMode,
    pub measure_line: Option<(Pos2, Pos2)>,
    pub lasso: &'a [Pos2],
    /// Brush radius in photo pixels, for the cursor circle.
    pub brush_radius_px: f32,
    pub busy: bool,
    /// Painting is off (a document is opening): the pointer only pans and zooms.
    pub locked: bool,
    /// A short hint shown over the canvas.
    pub hint: Option<&'a str>,
    /// Name what is shown ("Before", "After") on the canvas itself, for the patient.
    pub labels: bool,
    pub design: Option<DesignView<'a>>,
    /// The head outline, while it is being adjusted.
    pub outline: Option<OutlineView>,
    /// A suggested region waiting for an answer, drawn over everything else.
    pub suggestion: Option<&'a Tiled>,
    pub view: &'a mut View,
}

pub struct CanvasOutput {
    pub actions: Vec<CanvasAction>,
    /// Pointer position over the photo, in photo pixels.
    pub hover_image: Option<Pos2>,
    pub rect: Rect,
}

pub fn canvas_ui(ui: &mut egui::Ui, input: CanvasInput<'_>) -> CanvasOutput {
    let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Photo canvas"));
    let response = response.on_hover_cursor(match input.mode {
        DragMode::Paint
        | DragMode::Lasso
        | DragMode::Measure
        | DragMode::Design
        | DragMode::Pick
        | DragMode::Outline => egui::CursorIcon::Crosshair,
        DragMode::Pan => egui::CursorIcon::Grab,
    });
    let view = input.view;
    view.keep_fitted(rect, input.image_size);
    let mut actions = Vec::new();

    let (space_held, scroll, zoom_delta, pointer_delta, middle_down) = ui.input(|i| {
        (
            i.key_down(egui::Key::Space),
            i.smooth_scroll_delta,
            i.zoom_delta(),
            i.pointer.delta(),
            i.pointer.middle_down(),
        )
    });
    let hover_screen = response.hover_pos();

    // Zoom: the wheel (or a pinch) zooms around the pointer, like image editors do.
    if let Some(anchor) = hover_screen {
        // About 18 % per wheel notch (50 points), like image editors.
        let wheel_factor = (scroll.y / 300.0).exp();
        let factor = zoom_delta * wheel_factor;
        if (factor - 1.0).abs() > 1e-4 {
            view.zoom_around(rect, anchor, factor);
        }
    }

    let primary = egui::PointerButton::Primary;
    let shift = ui.input(|i| i.modifiers.shift);
    // The divider takes a drag that starts on it, whatever the tool.
    let split_id = response.id.with("split_drag");
    let divider_x = input.split.map(|f| rect.left() + f * rect.width());
    // Where the button went down: a drag is only recognised once the pointer has moved.
    let press_origin = ui.input(|i| i.pointer.press_origin());
    if response.drag_started_by(primary)
        && let (Some(x), Some(pos)) = (divider_x, press_origin)
        && (pos.x - x).abs() <= 10.0
    {
        ui.data_mut(|d| d.insert_temp(split_id, true));
    }
    let dragging_split = ui.data(|d| d.get_temp::<bool>(split_id)).unwrap_or(false);
    if dragging_split {
        if let Some(pos) = response.interact_pointer_pos() {
            actions.push(CanvasAction::SplitMoved(((pos.x - rect.left()) / rect.width()).clamp(0.0, 1.0)));
        }
        if !response.dragged() {
            ui.data_mut(|d| d.remove::<bool>(split_id));
        }
    }

    // Pan: middle drag, space + drag, or the pan tool.
    let panning = middle_down && response.hovered()
        || response.dragged_by(egui::PointerButton::Middle)
        || (response.dragged_by(primary) && (space_held || input.mode == DragMode::Pan));
    if dragging_split {
        // The divider has the pointer.
    } else if panning {
        view.pan(pointer_delta);
    } else if input.locked {
        // Nothing is painted on a document that is about to be replaced.
    } else if input.mode == DragMode::Paint {
        if (response.drag_started_by(primary) || response.clicked_by(primary) || response.dragged_by(primary))
            && let Some(pos) = response.interact_pointer_pos()
        {
            let mut points_screen = Vec::new();
            if response.drag_started_by(primary)
                && let Some(origin) = press_origin
            {
                points_screen.push(origin);
            }
            // Every position the pointer passed this frame, so a fast stroke on a slow frame
            // keeps its shape.
            points_screen.extend(pointer_moves(ui));
            if points_screen.last() != Some(&pos) {
                points_screen.push(pos);
            }
            let points_image = points_screen.iter().map(|&p| view.image_from_screen(rect, p)).collect();
            actions.push(CanvasAction::Paint { points_image, erase_all: shift });
        }
        if response.drag_stopped_by(primary) || response.clicked_by(primary) {
            actions.push(CanvasAction::StrokeEnded);
        }
    } else if input.mode == DragMode::Lasso {
        let started = response.drag_started_by(primary);
        if started && let Some(origin) = press_origin {
            let point = view.image_from_screen(rect, origin);
            actions.push(CanvasAction::Lasso { point, started: true, finished: false, erase_all: shift });
        }
        if (response.dragged_by(primary) || response.drag_stopped_by(primary))
            && let Some(pos) =
                response.interact_pointer_pos().or_else(|| ui.input(|i| i.pointer.latest_pos()))
        {
            let finished = response.drag_stopped_by(primary);
            let mut points = pointer_moves(ui);
            if points.last() != Some(&pos) {
                points.push(pos);
            }
            let last = points.len() - 1;
            for (i, p) in points.into_iter().enumerate() {
                let point = view.image_from_screen(rect, p);
                let finished = finished && i == last;
                actions.push(CanvasAction::Lasso { point, started: false, finished, erase_all: shift });
            }
        }
    } else if input.mode == DragMode::Design {
        if let Some(d) = &input.design {
            design_input(ui, &response, view, rect, d, &mut actions);
        }
    } else if input.mode == DragMode::Outline {
        if let Some(o) = &input.outline {
            outline_input(ui, &response, view, rect, o, &mut actions);
        }
    } else if input.mode == DragMode::Pick {
        if response.clicked_by(primary)
            && let Some(p) = response.interact_pointer_pos()
        {
            actions.push(CanvasAction::Pick(view.image_from_screen(rect, p)));
        }
    } else if input.mode == DragMode::Measure {
        let measure_id = response.id.with("measure_from");
        if response.drag_started_by(primary)
            && let Some(origin) = press_origin
        {
            ui.data_mut(|d| d.insert_temp(measure_id, view.image_from_screen(rect, origin)));
        }
        if let Some(from) = ui.data(|d| d.get_temp::<Pos2>(measure_id)) {
            // The line ends when the button comes up, wherever the pointer is by then.
            let finished = !ui.input(|i| i.pointer.primary_down());
            let pos = response.interact_pointer_pos().or_else(|| ui.input(|i| i.pointer.latest_pos()));
            if let Some(pos) = pos {
                actions.push(CanvasAction::Measure { from, to: view.image_from_screen(rect, pos), finished });
            }
            if finished {
                ui.data_mut(|d| d.remove::<Pos2>(measure_id));
            }
        }
    }

    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, ui.visuals().extreme_bg_color);
    let image_rect = view.photo_rect(rect, input.image_size);
    match divider_x {
        Some(_) if input.show_before => {
            input.before.paint(&painter, image_rect, view.mirrored, Color32::WHITE)
        }
        Some(x) => {
            input.after.paint(&painter, image_rect, view.mirrored, Color32::WHITE);
            let left = Rect::from_min_max(rect.min, pos2(x, rect.bottom()));
            input.before.paint(&painter.with_clip_rect(left), image_rect, view.mirrored, Color32::WHITE);
        }
        None => {
            let image = if input.show_before { input.before } else { input.after };
            image.paint(&painter, image_rect, view.mirrored, Color32::WHITE);
        }
    }
    if let Some(tint) = input.tint {
        let alpha = (input.tint_opacity.clamp(0.0, 1.0) * 255.0).round() as u8;
        tint.paint(&painter, image_rect, view.mirrored, Color32::from_white_alpha(alpha));
    }
    if let Some(suggestion) = input.suggestion {
        suggestion.paint(&painter, image_rect, view.mirrored, Color32::from_white_alpha(120));
    }
    if let Some(x) = divider_x
        && !input.show_before
    {
        divider(&painter, rect, x);
    } else if input.labels {
        let text = if input.show_before { "Before" } else { "After" };
        pill(&painter, pos2(rect.left() + 14.0, rect.top() + 14.0), text, 16.0);
    }
    if let Some(d) = &input.design {
        draw_design(&painter, view, rect, d);
    }
    if let Some(o) = &input.outline {
        draw_outline(&painter, view, rect, o);
    }
    if let Some(hint) = input.hint {
        hint_banner(&painter, rect, hint);
    }
    if input.lasso.len() > 1 {
        let outline: Vec<Pos2> = input.lasso.iter().map(|&p| view.screen_from_image(rect, p)).collect();
        painter
            .add(egui::Shape::closed_line(outline.clone(), Stroke::new(3.0, Color32::from_black_alpha(150))));
        painter.add(egui::Shape::dashed_line(&outline, Stroke::new(1.5, Color32::WHITE), 6.0, 4.0));
    }
    if let Some((a, b)) = input.measure_line {
        let (a, b) = (view.screen_from_image(rect, a), view.screen_from_image(rect, b));
        painter.line_segment([a, b], Stroke::new(4.0, Color32::from_black_alpha(150)));
        painter.line_segment([a, b], Stroke::new(2.0, Color32::from_rgb(255, 220, 80)));
        for p in [a, b] {
            painter.circle_filled(p, 4.0, Color32::from_rgb(255, 220, 80));
        }
    }

    let hover_image = hover_screen.map(|p| view.image_from_screen(rect, p));
    if let Some(p) = hover_screen
        && input.mode == DragMode::Paint
        && !input.locked
        && !space_held
        && !dragging_split
    {
        let r = (input.brush_radius_px * view.zoom).max(1.5);
        painter.circle_stroke(p, r, Stroke::new(2.5, Color32::from_black_alpha(140)));
        painter.circle_stroke(p, r, Stroke::new(1.0, Color32::WHITE));
    }
    if input.busy {
        busy_badge(&painter, rect);
    }
    CanvasOutput { actions, hover_image, rect }
}

/// The pointer positions of this frame's move events, in order.
fn pointer_moves(ui: &egui::Ui) -> Vec<Pos2> {
    ui.input(|i| {
        i.events
            .iter()
            .filter_map(|e| match e {
                egui::Event::PointerMoved(p) => Some(*p),
                _ => None,
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use eframe::egui::vec2;

    #[test]
    fn screen_and_image_coordinates_are_inverse() {
        let canvas = Rect::from_min_size(pos2(100.0, 50.0), vec2(800.0, 600.0));
        let mut view = View::default();
        view.fit(canvas, vec2(1600.0, 1200.0));
        let p = pos2(321.0, 654.0);
        let back = view.image_from_screen(canvas, view.screen_from_image(canvas, p));
        assert!((back - p).length() < 1e-3);
    }

    #[test]
    fn zooming_keeps_the_point_under_the_cursor() {
        let canvas = Rect::from_min_size(pos2(0.0, 0.0), vec2(800.0, 600.0));
        let mut view = View::default();
        view.fit(canvas, vec2(1600.0, 1200.0));
        let anchor = pos2(200.0, 150.0);
        let before = view.image_from_screen(canvas, anchor);
        view.zoom_around(canvas, anchor, 3.0);
        let after = view.image_from_screen(canvas, anchor);
        assert!((before - after).length() < 1e-3);
    }
}
