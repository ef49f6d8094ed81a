//! What the canvas draws over the photo — the before/after divider, labels, the hint, the busy
//! spinner, the designed hairline and its guides — and the design tool's pointer handling.

use super::view::{CanvasAction, DesignView, OutlineView, View};
use crate::engine::design;
use eframe::egui::{self, Color32, Pos2, Rect, Stroke, Vec2, pos2, vec2};

/// How near (in screen points) the pointer must be to take a handle.
const HANDLE_REACH: f32 = 10.0;

/// Clicks and drags of the design tool.
pub(super) fn design_input(
    ui: &egui::Ui,
    response: &egui::Response,
    view: &View,
    rect: Rect,
    d: &DesignView,
    actions: &mut Vec<CanvasAction>,
) {
    let primary = egui::PointerButton::Primary;
    let drag_id = response.id.with("design_handle");
    let to_image = |p: Pos2| view.image_from_screen(rect, p);
    let handle_near = |p: Pos2| d.design.handle_at([to_image(p).x, to_image(p).y], HANDLE_REACH / view.zoom);
    if response.clicked_by(primary)
        && let Some(p) = response.interact_pointer_pos()
    {
        if d.placing_glabella {
            actions.push(CanvasAction::DesignGlabella(to_image(p)));
        } else if handle_near(p).is_none() {
            actions.push(CanvasAction::DesignAdd(to_image(p)));
        }
    }
    if response.secondary_clicked()
        && let Some(p) = response.interact_pointer_pos()
        && let Some(i) = handle_near(p)
    {
        actions.push(CanvasAction::DesignRemove(i));
    }
    if response.drag_started_by(primary)
        && let Some(origin) = ui.input(|i| i.pointer.press_origin())
        && let Some(i) = handle_near(origin)
    {
        ui.data_mut(|data| data.insert_temp(drag_id, i));
    }
    if let Some(index) = ui.data(|data| data.get_temp::<usize>(drag_id)) {
        if response.dragged_by(primary)
            && let Some(p) = response.interact_pointer_pos()
        {
            actions.push(CanvasAction::DesignMove { index, to: to_image(p) });
        }
        if response.drag_stopped_by(primary) || !ui.input(|i| i.pointer.primary_down()) {
            ui.data_mut(|data| data.remove::<usize>(drag_id));
            actions.push(CanvasAction::StrokeEnded);
        }
    }
}

/// The front line, its handles and temples, the glabella, the symmetry axis and the 7 and
/// 10 cm marks above the glabella.
pub(super) fn draw_design(painter: &egui::Painter, view: &View, rect: Rect, d: &DesignView) {
    let design = d.design;
    let at = |p: design::Point| view.screen_from_image(rect, pos2(p[0], p[1]));
    let gold = Color32::from_rgb(255, 214, 90);
    let shadow = Stroke::new(4.0, Color32::from_black_alpha(140));
    if let (Some(g), Some((_, dir))) = (design.glabella, design.axis()) {
        // The symmetry axis, from the glabella up past the conservative mark.
        let far = [g[0] + dir[0] * d.scale.px(130.0), g[1] + dir[1] * d.scale.px(130.0)];
        let (a, b) = (at(g), at(far));
        painter.add(egui::Shape::dashed_line(
            &[a, b],
            Stroke::new(1.5, Color32::from_white_alpha(200)),
            8.0,
            6.0,
        ));
        for (mm, label) in
            [(design::AGGRESSIVE_MM, "7 cm · aggressive"), (design::CONSERVATIVE_MM, "10 cm · conservative")]
        {
            if let Some(p) = design.along_axis(d.scale, mm) {
                let p = at(p);
                let across = (b - a).normalized().rot90() * 12.0;
                painter.line_segment([p - across, p + across], Stroke::new(2.0, Color32::WHITE));
                // The marks are labelled left of the axis, the hairline's own height right of it.
                pill_left_of(painter, p - across - vec2(6.0, 12.0), label, 12.0);
            }
        }
        painter.circle(a, 6.0, gold, Stroke::new(2.0, Color32::BLACK));
        pill(painter, a + vec2(10.0, 4.0), "Glabella", 12.0);
        if let (Some(m), Some(h)) = (design.mid_frontal(), design.mid_frontal_height_mm(d.scale)) {
            let m = at(m);
            painter.circle_stroke(m, 7.0, Stroke::new(2.0, gold));
            pill(painter, m + vec2(12.0, -26.0), &format!("{:.1} cm above the glabella", h / 10.0), 12.0);
        }
    }
    let curve: Vec<Pos2> = design.curve().into_iter().map(at).collect();
    if curve.len() > 1 {
        painter.add(egui::Shape::line(curve.clone(), shadow));
        painter.add(egui::Shape::line(curve, Stroke::new(2.0, gold)));
    }
    let n = design.handles.len();
    for (i, h) in design.handles.iter().enumerate() {
        let p = at(*h);
        let temple = n > 2 && (i == 0 || i == n - 1);
        let r = if temple { 7.0 } else { 5.5 };
        painter.rect(
            Rect::from_center_size(p, Vec2::splat(2.0 * r)),
            2.0,
            Color32::WHITE,
            Stroke::new(1.5, Color32::BLACK),
            egui::StrokeKind::Outside,
        );
        if temple {
            pill(painter, p + vec2(10.0, 6.0), "Temple", 12.0);
        }
    }
}

/// The before/after divider: a line with a round handle and labels on each side.
pub(super) fn divider(painter: &egui::Painter, rect: Rect, x: f32) {
    let top = pos2(x, rect.top());
    let bottom = pos2(x, rect.bottom());
    painter.line_segment([top, bottom], Stroke::new(3.0, Color32::from_black_alpha(120)));
    painter.line_segment([top, bottom], Stroke::new(1.5, Color32::WHITE));
    let handle = pos2(x, rect.center().y);
    painter.circle(handle, 13.0, Color32::from_black_alpha(160), Stroke::new(1.5, Color32::WHITE));
    for dir in [-1.0f32, 1.0] {
        let tip = handle + vec2(dir * 8.0, 0.0);
        let arrow = vec![tip, tip + vec2(-dir * 5.0, -5.0), tip + vec2(-dir * 5.0, 5.0)];
        painter.add(egui::Shape::convex_polygon(arrow, Color32::WHITE, Stroke::NONE));
    }
    for (text, right_aligned) in [("Before", true), ("After", false)] {
        let width = painter
            .layout_no_wrap(text.to_owned(), egui::FontId::proportional(15.0), Color32::WHITE)
            .size()
            .x
            + 16.0;
        let min_x = if right_aligned { x - 10.0 - width } else { x + 10.0 };
        pill(painter, pos2(min_x, rect.top() + 12.0), text, 15.0);
    }
}

/// A label on a dark rounded background, its top-left corner at `at`.
pub(super) fn pill(painter: &egui::Painter, at: Pos2, text: &str, size: f32) {
    pill_at(painter, at, text, size, false);
}

/// A pill whose top-right corner is at `at`.
fn pill_left_of(painter: &egui::Painter, at: Pos2, text: &str, size: f32) {
    pill_at(painter, at, text, size, true);
}

fn pill_at(painter: &egui::Painter, at: Pos2, text: &str, size: f32, right_aligned: bool) {
    let galley = painter.layout_no_wrap(text.to_owned(), egui::FontId::proportional(size), Color32::WHITE);
    let size = galley.size() + vec2(16.0, 8.0);
    let min = if right_aligned { at - vec2(size.x, 0.0) } else { at };
    let rect = Rect::from_min_size(min, size);
    painter.rect_filled(rect, 7.0, Color32::from_black_alpha(160));
    painter.galley(rect.min + vec2(8.0, 4.0), galley, Color32::WHITE);
}

/// A calm banner at the bottom of the canvas.
pub(super) fn hint_banner(painter: &egui::Painter, rect: Rect, text: &str) {
    let galley = painter.layout(
        text.to_owned(),
        egui::FontId::proportional(14.0),
        Color32::WHITE,
        (rect.width() - 80.0).clamp(120.0, 780.0),
    );
    let size = galley.size() + vec2(24.0, 14.0);
    let banner = Rect::from_center_size(pos2(rect.center().x, rect.bottom() - 24.0 - size.y / 2.0), size);
    painter.rect_filled(banner, 8.0, Color32::from_black_alpha(170));
    painter.galley(banner.min + vec2(12.0, 7.0), galley, Color32::WHITE);
}

/// A small spinner in the canvas corner while a render is running; the last result stays.
pub(super) fn busy_badge(painter: &egui::Painter, rect: Rect) {
    let center = rect.right_top() + vec2(-22.0, 22.0);
    let time = painter.ctx().input(|i| i.time) as f32;
    painter.circle_filled(center, 13.0, Color32::from_black_alpha(120));
    let start = time * 5.0;
    let points: Vec<Pos2> = (0..=20)
        .map(|i| {
            let a = start + i as f32 / 20.0 * 4.5;
            center + vec2(a.cos(), a.sin()) * 8.0
        })
        .collect();
    painter.add(egui::Shape::line(points, Stroke::new(2.0, Color32::WHITE)));
    painter.ctx().request_repaint();
}

/// Drags of the head outline tool: a handle moves; a drag elsewhere draws a new outline.
pub(super) fn outline_input(
    ui: &egui::Ui,
    response: &egui::Response,
    view: &View,
    rect: Rect,
    o: &OutlineView,
    actions: &mut Vec<CanvasAction>,
) {
    let primary = egui::PointerButton::Primary;
    let handle_id = response.id.with("outline_handle");
    let box_id = response.id.with("outline_box");
    let to_image = |p: Pos2| view.image_from_screen(rect, p);
    if response.drag_started_by(primary)
        && let Some(origin) = ui.input(|i| i.pointer.press_origin())
    {
        let handle = o.ellipse.and_then(|e| {
            e.handles()
                .iter()
                .map(|&(x, y)| view.screen_from_image(rect, pos2(x, y)).distance(origin))
                .enumerate()
                .filter(|&(_, d)| d <= HANDLE_REACH * 1.5)
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(i, _)| i)
        });
        match handle {
            Some(i) => ui.data_mut(|data| {
                data.insert_temp(handle_id, i);
            }),
            None => ui.data_mut(|data| {
                data.insert_temp(box_id, to_image(origin));
            }),
        }
    }
    let handle = ui.data(|data| data.get_temp::<usize>(handle_id));
    let from = ui.data(|data| data.get_temp::<Pos2>(box_id));
    if (handle.is_some() || from.is_some())
        && response.dragged_by(primary)
        && let Some(p) = response.interact_pointer_pos()
    {
        let to = to_image(p);
        match (handle, from) {
            (Some(handle), _) => actions.push(CanvasAction::OutlineMove { handle, to }),
            (None, Some(from)) if (to - from).length() * view.zoom > 6.0 => {
                actions.push(CanvasAction::OutlineBox { from, to })
            }
            _ => {}
        }
    }
    if (handle.is_some() || from.is_some())
        && (response.drag_stopped_by(primary) || !ui.input(|i| i.pointer.primary_down()))
    {
        ui.data_mut(|data| {
            data.remove::<usize>(handle_id);
            data.remove::<Pos2>(box_id);
        });
        actions.push(CanvasAction::StrokeEnded);
    }
}

/// The head outline and its five handles, with a label saying where it came from.
pub(super) fn draw_outline(painter: &egui::Painter, view: &View, rect: Rect, o: &OutlineView) {
    let gold = Color32::from_rgb(255, 214, 90);
    let Some(e) = o.ellipse else {
        pill(
            painter,
            rect.left_top() + vec2(14.0, 14.0),
            "No head outline found: the scalp is treated as flat. Drag a box around the head to draw one.",
            14.0,
        );
        return;
    };
    let points: Vec<Pos2> = (0..128)
        .map(|i| {
            let (x, y) = e.point_at(i as f32 / 128.0 * std::f32::consts::TAU);
            view.screen_from_image(rect, pos2(x, y))
        })
        .collect();
    painter.add(egui::Shape::closed_line(points.clone(), Stroke::new(4.0, Color32::from_black_alpha(140))));
    painter.add(egui::Shape::closed_line(points, Stroke::new(2.0, gold)));
    for (i, (x, y)) in e.handles().into_iter().enumerate() {
        let p = view.screen_from_image(rect, pos2(x, y));
        let r = if i == 0 { 7.0 } else { 6.0 };
        painter.circle_filled(p, r + 1.5, Color32::from_black_alpha(160));
        painter.circle_filled(p, r, if i == 0 { Color32::WHITE } else { gold });
    }
    let label = if o.by_hand { "Head outline · set by hand" } else { "Head outline · found on the photo" };
    pill(painter, rect.left_top() + vec2(14.0, 14.0), label, 14.0);
}
