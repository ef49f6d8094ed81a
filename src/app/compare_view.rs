//! The comparison in place of the canvas: two to four variants side by side, all seen
//! through one view so they zoom and pan together.

use super::canvas::View;
use super::overlays::{busy_badge, hint_banner, pill};
use super::textures::Tiled;
use eframe::egui::{self, Color32, Rect, Sense, Stroke, Vec2, vec2};

/// One pane of a comparison: its label, its image, and whether a newer one is on its way.
pub struct ComparePane<'a> {
    pub label: &'a str,
    pub image: &'a Tiled,
    pub busy: bool,
}

/// Two to four variants side by side, all through one view so they zoom and pan together.
/// Returns the pane clicked, if one was.
pub fn compare_ui(
    ui: &mut egui::Ui,
    panes: &[ComparePane],
    image_size: Vec2,
    view: &mut View,
) -> Option<usize> {
    let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Comparison"));
    let n = panes.len().max(1);
    let gap = 6.0;
    let (cols, rows) = grid(n, rect.size(), image_size, gap);
    let cell = vec2(
        (rect.width() - gap * (cols as f32 - 1.0)) / cols as f32,
        (rect.height() - gap * (rows as f32 - 1.0)) / rows as f32,
    );
    let pane_rect = |i: usize| {
        let (c, r) = ((i % cols) as f32, (i / cols) as f32);
        Rect::from_min_size(rect.min + vec2(c * (cell.x + gap), r * (cell.y + gap)), cell)
    };
    view.keep_fitted(pane_rect(0), image_size);
    let hovered = response.hover_pos().and_then(|p| (0..n).find(|&i| pane_rect(i).contains(p)));
    // Zoom around the pointer in whichever pane it is over; every pane follows.
    if let (Some(p), Some(i)) = (response.hover_pos(), hovered) {
        let (scroll, zoom_delta) = ui.input(|inp| (inp.smooth_scroll_delta, inp.zoom_delta()));
        let factor = zoom_delta * (scroll.y / 300.0).exp();
        if (factor - 1.0).abs() > 1e-4 {
            view.zoom_around(pane_rect(i), p, factor);
        }
    }
    if response.dragged() {
        view.pan(ui.input(|inp| inp.pointer.delta()));
    }
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, ui.visuals().extreme_bg_color);
    for (i, pane) in panes.iter().enumerate() {
        let cell_rect = pane_rect(i);
        let cell_painter = painter.with_clip_rect(cell_rect);
        let image_rect = view.photo_rect(cell_rect, image_size);
        pane.image.paint(&cell_painter, image_rect, view.mirrored, Color32::WHITE);
        if hovered == Some(i) {
            cell_painter.rect_stroke(
                cell_rect.shrink(1.0),
                0.0,
                Stroke::new(2.0, Color32::WHITE),
                egui::StrokeKind::Inside,
            );
        }
        pill(&cell_painter, cell_rect.min + vec2(10.0, 10.0), pane.label, 15.0);
        if pane.busy {
            busy_badge(&cell_painter, cell_rect);
        }
    }
    hint_banner(&painter, rect, "Click a result to keep its preset · Esc or C goes back without choosing");
    if response.clicked() { hovered } else { None }
}

/// Columns and rows for `n` panes in `area` that show the photo largest: side by side, one
/// above the other, or two by two, whichever leaves the least black around it.
fn grid(n: usize, area: Vec2, image_size: Vec2, gap: f32) -> (usize, usize) {
    let zoom = |(cols, rows): (usize, usize)| {
        let cell = vec2(
            (area.x - gap * (cols as f32 - 1.0)) / cols as f32,
            (area.y - gap * (rows as f32 - 1.0)) / rows as f32,
        );
        (cell.x / image_size.x.max(1.0)).min(cell.y / image_size.y.max(1.0))
    };
    let mut options = vec![(n, 1), (1, n)];
    if n > 2 {
        options.push((2, n.div_ceil(2)));
        options.push((n.div_ceil(2), 2));
    }
    options.into_iter().max_by(|a, b| zoom(*a).total_cmp(&zoom(*b))).unwrap_or((n, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_are_laid_out_to_show_the_photo_largest() {
        let landscape = vec2(1600.0, 1200.0);
        // A wide canvas: two landscape photos side by side; three in a two-by-two grid
        // rather than three narrow columns.
        assert_eq!(grid(2, vec2(1800.0, 700.0), landscape, 6.0), (2, 1));
        assert_eq!(grid(3, vec2(1100.0, 800.0), landscape, 6.0), (2, 2));
        assert_eq!(grid(4, vec2(1100.0, 800.0), landscape, 6.0), (2, 2));
        // A tall canvas stacks them.
        assert_eq!(grid(2, vec2(700.0, 1200.0), landscape, 6.0), (1, 2));
    }
}
