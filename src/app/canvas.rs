//! The photo canvas: view transform (zoom, pan), drawing the photo and overlays, and turning
//! pointer input into painting or panning.

use eframe::egui::{self, Color32, Pos2, Rect, Sense, Stroke, Vec2, pos2, vec2};

/// Zoom limits, in screen points per photo pixel.
pub const MIN_ZOOM: f32 = 0.02;
pub const MAX_ZOOM: f32 = 32.0;

/// Where the photo sits on screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    /// Screen points per photo pixel.
    pub zoom: f32,
    /// Screen position of the photo's top-left corner, relative to the canvas's top-left.
    pub offset: Vec2,
    /// True until the first frame with a known canvas size fits the photo.
    pub needs_fit: bool,
}

impl Default for View {
    fn default() -> Self {
        Self { zoom: 1.0, offset: Vec2::ZERO, needs_fit: true }
    }
}

impl View {
    pub fn screen_from_image(&self, canvas: Rect, p_image: Pos2) -> Pos2 {
        canvas.min + self.offset + p_image.to_vec2() * self.zoom
    }

    pub fn image_from_screen(&self, canvas: Rect, p_screen: Pos2) -> Pos2 {
        ((p_screen - canvas.min - self.offset) / self.zoom).to_pos2()
    }

    /// Fits the whole photo in the canvas with a small margin, centred.
    pub fn fit(&mut self, canvas: Rect, image_size: Vec2) {
        let margin = 12.0;
        let avail = (canvas.size() - Vec2::splat(2.0 * margin)).max(Vec2::splat(1.0));
        self.zoom = (avail.x / image_size.x).min(avail.y / image_size.y).clamp(MIN_ZOOM, MAX_ZOOM);
        self.offset = (canvas.size() - image_size * self.zoom) * 0.5;
        self.needs_fit = false;
    }

    /// Zooms by `factor` keeping the photo point under `anchor_screen` fixed.
    pub fn zoom_around(&mut self, canvas: Rect, anchor_screen: Pos2, factor: f32) {
        let anchor_image = self.image_from_screen(canvas, anchor_screen);
        self.zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        self.offset = anchor_screen - canvas.min - anchor_image.to_vec2() * self.zoom;
    }

    /// Sets an absolute zoom around the canvas centre.
    pub fn set_zoom(&mut self, canvas: Rect, zoom: f32) {
        self.zoom_around(canvas, canvas.center(), zoom / self.zoom);
    }
}

/// What the canvas asks the app to do this frame.
#[derive(Clone, Debug, PartialEq)]
pub enum CanvasAction {
    /// The primary button went down or moved while painting: photo-pixel positions, in order.
    Paint { points_image: Vec<Pos2>, started: bool },
    /// The painting button was released.
    StrokeEnded,
}

pub struct CanvasInput<'a> {
    pub image_size: Vec2,
    /// The texture to show (photo or simulated result) and the tint overlay, if shown.
    pub image: egui::TextureId,
    pub tint: Option<egui::TextureId>,
    /// Whether a primary drag paints (a brush tool) or pans.
    pub painting_tool: bool,
    /// Brush radius in photo pixels, for the cursor circle.
    pub brush_radius_px: f32,
    pub busy: bool,
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
    let response = response.on_hover_cursor(if input.painting_tool {
        egui::CursorIcon::Crosshair
    } else {
        egui::CursorIcon::Grab
    });
    let view = input.view;
    if view.needs_fit && rect.width() > 1.0 && rect.height() > 1.0 {
        view.fit(rect, input.image_size);
    }
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
        let wheel_factor = (scroll.y / 200.0).exp();
        let factor = zoom_delta * wheel_factor;
        if (factor - 1.0).abs() > 1e-4 {
            view.zoom_around(rect, anchor, factor);
        }
    }

    // Pan: middle drag, space + drag, or the pan tool.
    let panning = middle_down && response.hovered()
        || response.dragged_by(egui::PointerButton::Middle)
        || (response.dragged_by(egui::PointerButton::Primary) && (space_held || !input.painting_tool));
    if panning {
        view.offset += pointer_delta;
    } else if input.painting_tool {
        let primary = egui::PointerButton::Primary;
        if (response.drag_started_by(primary) || response.clicked_by(primary) || response.dragged_by(primary))
            && let Some(pos) = response.interact_pointer_pos()
        {
            let started = response.drag_started_by(primary) || response.clicked_by(primary);
            actions
                .push(CanvasAction::Paint { points_image: vec![view.image_from_screen(rect, pos)], started });
        }
        if response.drag_stopped_by(primary) || response.clicked_by(primary) {
            actions.push(CanvasAction::StrokeEnded);
        }
    }

    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, ui.visuals().extreme_bg_color);
    let image_rect =
        Rect::from_min_size(view.screen_from_image(rect, Pos2::ZERO), input.image_size * view.zoom);
    let uv = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
    painter.image(input.image, image_rect, uv, Color32::WHITE);
    if let Some(tint) = input.tint {
        painter.image(tint, image_rect, uv, Color32::WHITE);
    }

    let hover_image = hover_screen.map(|p| view.image_from_screen(rect, p));
    if let Some(p) = hover_screen
        && input.painting_tool
        && !space_held
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

/// A small spinner in the canvas corner while a render is running; the last result stays.
fn busy_badge(painter: &egui::Painter, rect: Rect) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
