//! Small vector icons drawn with the painter, so they look the same on every machine and need
//! no icon font.

use eframe::egui::{self, Color32, Painter, Pos2, Rect, Stroke, Vec2, pos2, vec2};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    Hairline,
    Bald,
    Scar,
    Eraser,
    Pan,
    Measure,
    /// A curve through handles: the hairline designer.
    Design,
    /// An eyedropper: read a colour off the photo.
    Dropper,
    /// Short hairs seen end-on, with a sampling ring: match the stubble.
    Stubble,
    /// A tilted ellipse with handles: the head's outline.
    Outline,
    Before,
    After,
}

/// Paints `icon` centred in `rect` in `color`.
pub fn paint(painter: &Painter, rect: Rect, icon: Icon, color: Color32) {
    let c = rect.center();
    let s = rect.width().min(rect.height()) * 0.5;
    let stroke = Stroke::new((s * 0.16).max(1.3), color);
    let at = |x: f32, y: f32| c + vec2(x, y) * s;
    match icon {
        Icon::Hairline => {
            // A gentle hairline curve with dots fading in below it.
            let curve: Vec<Pos2> = (0..=16)
                .map(|i| {
                    let t = i as f32 / 16.0 * 2.0 - 1.0;
                    at(t * 0.9, -0.35 + 0.35 * t * t)
                })
                .collect();
            painter.add(egui::Shape::line(curve, stroke));
            for (i, (x, y)) in
                [(-0.55, 0.25), (-0.1, 0.05), (0.35, 0.2), (-0.3, 0.6), (0.15, 0.5), (0.6, 0.6)]
                    .iter()
                    .enumerate()
            {
                painter.circle_filled(at(*x, *y), s * if i < 3 { 0.09 } else { 0.13 }, color);
            }
        }
        Icon::Bald => {
            painter.circle_stroke(c, s * 0.85, stroke);
            for (x, y) in [(-0.35, -0.3), (0.15, -0.4), (0.4, 0.05), (-0.1, 0.05), (-0.4, 0.35), (0.2, 0.45)]
            {
                painter.circle_filled(at(x, y), s * 0.11, color);
            }
        }
        Icon::Scar => {
            painter.line_segment([at(-0.9, 0.35), at(0.9, -0.35)], stroke);
            for t in [-0.5f32, 0.0, 0.5] {
                let m = at(t * 0.9 * 1.0, -t * 0.35);
                let n = vec2(0.35, 0.9).normalized() * s * 0.4;
                painter.line_segment([m - n, m + n], Stroke::new(stroke.width * 0.8, color));
            }
        }
        Icon::Eraser => {
            let corners = [at(-0.85, 0.25), at(-0.15, -0.6), at(0.75, 0.15), at(0.05, 1.0)];
            painter.add(egui::Shape::closed_line(corners.to_vec(), stroke));
            let half = [at(-0.85, 0.25), at(-0.5, -0.175), at(0.4, 0.575), at(0.05, 1.0)];
            painter.add(egui::Shape::convex_polygon(half.to_vec(), color, Stroke::NONE));
            painter.line_segment([at(0.05, 1.0), at(0.95, 1.0)], stroke);
        }
        Icon::Pan => {
            let arm = 0.85;
            painter.line_segment([at(-arm, 0.0), at(arm, 0.0)], stroke);
            painter.line_segment([at(0.0, -arm), at(0.0, arm)], stroke);
            for dir in [vec2(1.0, 0.0), vec2(-1.0, 0.0), vec2(0.0, 1.0), vec2(0.0, -1.0)] {
                let tip = c + dir * s * arm;
                let side = vec2(-dir.y, dir.x);
                let head = vec![
                    tip + dir * s * 0.15,
                    tip - dir * s * 0.25 + side * s * 0.25,
                    tip - dir * s * 0.25 - side * s * 0.25,
                ];
                painter.add(egui::Shape::convex_polygon(head, color, Stroke::NONE));
            }
        }
        Icon::Measure => {
            // A ruler: a long bar with ticks.
            let a = at(-0.9, 0.45);
            let b = at(0.9, -0.45);
            painter.line_segment([a, b], stroke);
            let along = (b - a).normalized();
            let normal = vec2(-along.y, along.x);
            for i in 0..=4 {
                let p = a + (b - a) * (i as f32 / 4.0);
                let len = if i % 2 == 0 { 0.45 } else { 0.25 };
                painter.line_segment([p, p + normal * s * len], Stroke::new(stroke.width * 0.8, color));
            }
        }
        Icon::Design => {
            let curve: Vec<Pos2> = (0..=16)
                .map(|i| {
                    let t = i as f32 / 16.0 * 2.0 - 1.0;
                    at(t * 0.85, 0.3 - 0.55 * (1.0 - t * t))
                })
                .collect();
            painter.add(egui::Shape::line(curve, stroke));
            for (x, y) in [(-0.85, 0.3), (0.0, -0.25), (0.85, 0.3)] {
                let r = s * 0.2;
                painter.rect_filled(Rect::from_center_size(at(x, y), Vec2::splat(2.0 * r)), 1.0, color);
            }
        }
        Icon::Dropper => {
            // A pipette: a slanted barrel with a bulb at the top and a drop at the tip.
            painter.line_segment([at(-0.55, 0.55), at(0.35, -0.35)], Stroke::new(stroke.width * 1.8, color));
            painter.circle_filled(at(0.55, -0.55), s * 0.28, color);
            painter.circle_filled(at(-0.78, 0.78), s * 0.12, color);
        }
        Icon::Stubble => {
            // A ring around a few dots of different sizes.
            painter.circle_stroke(c, s * 0.85, stroke);
            for (x, y, r) in [
                (-0.35, -0.25, 0.13),
                (0.2, -0.4, 0.1),
                (0.35, 0.15, 0.14),
                (-0.15, 0.35, 0.11),
                (0.0, 0.0, 0.09),
            ] {
                painter.circle_filled(at(x, y), s * r, color);
            }
        }
        Icon::Outline => {
            // A tilted oval, a handle at its centre and at the ends of its axes.
            let (sin, cos) = 0.45f32.sin_cos();
            let point = |u: f32, v: f32| at(u * cos - v * sin, u * sin + v * cos);
            let oval: Vec<Pos2> = (0..32)
                .map(|i| {
                    let a = i as f32 / 32.0 * std::f32::consts::TAU;
                    point(0.85 * a.cos(), 0.6 * a.sin())
                })
                .collect();
            painter.add(egui::Shape::closed_line(oval, stroke));
            for p in [point(0.0, 0.0), point(0.85, 0.0), point(0.0, -0.6)] {
                painter.circle_filled(p, s * 0.16, color);
            }
        }
        Icon::Before | Icon::After => {
            let r = s * 0.8;
            painter.circle_stroke(c, r, stroke);
            let points: Vec<Pos2> = (0..=16)
                .map(|i| {
                    let a = std::f32::consts::FRAC_PI_2 + i as f32 / 16.0 * std::f32::consts::PI;
                    let a = if icon == Icon::After { a + std::f32::consts::PI } else { a };
                    c + Vec2::angled(a) * r
                })
                .collect();
            painter.add(egui::Shape::convex_polygon(points, color, Stroke::NONE));
        }
    }
}

/// A full-width tool button: icon, label, selected state. Its accessible name is the label.
pub fn tool_button(
    ui: &mut egui::Ui,
    icon: Icon,
    label: &str,
    selected: bool,
    accent: Color32,
) -> egui::Response {
    let height = 34.0;
    let (rect, response) = ui.allocate_exact_size(vec2(ui.available_width(), height), egui::Sense::click());
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, ui.is_enabled(), selected, label));
    if ui.is_rect_visible(rect) {
        let visuals = ui.style().interact_selectable(&response, selected);
        let fill = if selected { ui.visuals().selection.bg_fill } else { visuals.weak_bg_fill };
        let painter = ui.painter();
        painter.rect(rect, 6.0, fill, visuals.bg_stroke, egui::StrokeKind::Inside);
        let icon_rect = Rect::from_center_size(pos2(rect.left() + 22.0, rect.center().y), Vec2::splat(18.0));
        let icon_color = if selected { Color32::WHITE } else { accent };
        paint(painter, icon_rect, icon, icon_color);
        let text_color = if selected { Color32::WHITE } else { visuals.text_color() };
        painter.text(
            pos2(rect.left() + 42.0, rect.center().y),
            egui::Align2::LEFT_CENTER,
            label,
            egui::FontId::proportional(15.0),
            text_color,
        );
    }
    response
}
