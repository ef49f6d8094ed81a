//! Where the photo sits on screen and what a gesture on it means: the view transform, the
//! canvas's actions and drag modes, shared by the canvas and the overlays drawn on it.

use crate::engine::design::HairlineDesign;
use crate::engine::head::HeadEllipse;
use crate::engine::units::Scale;
use eframe::egui::{Pos2, Rect, Vec2, pos2};

/// Largest zoom, in screen points per photo pixel.
pub const MAX_ZOOM: f32 = 32.0;
/// Smallest zoom as a share of the zoom that fits the photo: the photo never shrinks to a
/// speck.
pub const MIN_ZOOM_OF_FIT: f32 = 0.5;

/// Where the photo sits on screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    /// Screen points per photo pixel.
    pub zoom: f32,
    /// Screen position of the photo's top-left corner, relative to the canvas's top-left.
    pub offset: Vec2,
    /// True until the first frame with a known canvas size fits the photo.
    pub needs_fit: bool,
    /// The smallest zoom allowed, set when the photo is fitted.
    pub min_zoom: f32,
    /// Shown as in a mirror: left and right swapped.
    pub mirrored: bool,
    /// Width of the photo in pixels, to mirror about.
    pub image_width: f32,
    /// The size of the area the photo was last fitted to, while nobody has zoomed or panned
    /// since: a view still at its fit follows the area as it changes (a notice row appearing,
    /// the window resized, Compare entered or left).
    fitted_to: Option<Vec2>,
}

impl Default for View {
    fn default() -> Self {
        Self {
            zoom: 1.0,
            offset: Vec2::ZERO,
            needs_fit: true,
            min_zoom: 0.05,
            mirrored: false,
            image_width: 1.0,
            fitted_to: None,
        }
    }
}

impl View {
    pub fn screen_from_image(&self, canvas: Rect, p_image: Pos2) -> Pos2 {
        canvas.min + self.offset + self.mirror(p_image).to_vec2() * self.zoom
    }

    pub fn image_from_screen(&self, canvas: Rect, p_screen: Pos2) -> Pos2 {
        self.mirror(((p_screen - canvas.min - self.offset) / self.zoom).to_pos2())
    }

    /// Where the whole photo is drawn on screen: mirrored or not, it covers the same rectangle.
    pub fn photo_rect(&self, canvas: Rect, image_size: Vec2) -> Rect {
        Rect::from_min_size(canvas.min + self.offset, image_size * self.zoom)
    }

    /// The photo point seen at `p` (mirroring is its own inverse).
    fn mirror(&self, p: Pos2) -> Pos2 {
        if self.mirrored { pos2(self.image_width - p.x, p.y) } else { p }
    }

    /// Fits the whole photo in the canvas with a small margin, centred.
    pub fn fit(&mut self, canvas: Rect, image_size: Vec2) {
        self.image_width = image_size.x;
        let margin = 12.0;
        let avail = (canvas.size() - Vec2::splat(2.0 * margin)).max(Vec2::splat(1.0));
        let fit = (avail.x / image_size.x).min(avail.y / image_size.y).clamp(1e-4, MAX_ZOOM);
        self.zoom = fit;
        self.min_zoom = fit * MIN_ZOOM_OF_FIT;
        self.offset = (canvas.size() - image_size * self.zoom) * 0.5;
        self.needs_fit = false;
        self.fitted_to = Some(canvas.size());
    }

    /// Fits the photo in `canvas` if asked to, or if the view is still at its fit and the
    /// area it was fitted to has changed size.
    pub fn keep_fitted(&mut self, canvas: Rect, image_size: Vec2) {
        if canvas.width() <= 1.0 || canvas.height() <= 1.0 {
            return;
        }
        let moved = self.fitted_to.is_some_and(|size| (size - canvas.size()).length() > 0.5);
        if self.needs_fit || moved {
            self.fit(canvas, image_size);
        }
    }

    /// Moves the photo on screen by `delta` points.
    pub fn pan(&mut self, delta: Vec2) {
        if delta != Vec2::ZERO {
            self.offset += delta;
            self.fitted_to = None;
        }
    }

    /// Zooms by `factor` keeping the photo point under `anchor_screen` fixed.
    pub fn zoom_around(&mut self, canvas: Rect, anchor_screen: Pos2, factor: f32) {
        let anchor_image = self.image_from_screen(canvas, anchor_screen);
        self.fitted_to = None;
        self.zoom = (self.zoom * factor).clamp(self.min_zoom.min(MAX_ZOOM), MAX_ZOOM);
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
    /// `erase_all` is set while Shift is held.
    Paint { points_image: Vec<Pos2>, erase_all: bool },
    /// The painting button was released.
    StrokeEnded,
    /// The before/after divider moved to this share of the canvas width.
    SplitMoved(f32),
    /// A Measure drag, in photo pixels; `finished` when the button is released.
    Measure { from: Pos2, to: Pos2, finished: bool },
    /// A point of a lasso outline, in photo pixels; `finished` when the button is released.
    Lasso { point: Pos2, started: bool, finished: bool, erase_all: bool },
    /// A click with the design tool away from the handles: a new handle here.
    DesignAdd(Pos2),
    /// A handle dragged to a new place.
    DesignMove { index: usize, to: Pos2 },
    /// A handle right-clicked: remove it.
    DesignRemove(usize),
    /// The glabella placed here.
    DesignGlabella(Pos2),
    /// A click with an eyedropper, in photo pixels.
    Pick(Pos2),
    /// A handle of the head outline (see `HeadEllipse::handles`) dragged here.
    OutlineMove { handle: usize, to: Pos2 },
    /// A new head outline drawn as the box between two points.
    OutlineBox { from: Pos2, to: Pos2 },
}

/// What a primary drag on the canvas does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DragMode {
    Paint,
    /// Draw an outline; its inside is filled when the button comes up.
    Lasso,
    Pan,
    Measure,
    /// Place and drag the handles of a designed hairline.
    Design,
    /// Click to read a colour off the photo.
    Pick,
    /// Drag the head outline's handles, or a box for a new outline.
    Outline,
}

/// The head outline the render follows, drawn while it is being adjusted.
pub struct OutlineView {
    pub ellipse: Option<HeadEllipse>,
    /// Set by hand (else found on the photo).
    pub by_hand: bool,
}

/// The designed hairline and its guides, drawn over the photo.
pub struct DesignView<'a> {
    pub design: &'a HairlineDesign,
    pub scale: Scale,
    /// The next click places the glabella.
    pub placing_glabella: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use eframe::egui::vec2;

    fn canvas(w: f32, h: f32) -> Rect {
        Rect::from_min_size(pos2(0.0, 40.0), vec2(w, h))
    }

    #[test]
    fn a_fitted_view_follows_its_area_until_zoomed_or_panned() {
        let photo = vec2(640.0, 480.0);
        let mut view = View::default();
        view.keep_fitted(canvas(1000.0, 800.0), photo);
        // A notice row takes 40 points off the bottom: the whole photo stays in sight.
        let smaller = canvas(1000.0, 500.0);
        view.keep_fitted(smaller, photo);
        assert!(
            smaller.contains_rect(view.photo_rect(smaller, photo)),
            "{:?}",
            view.photo_rect(smaller, photo)
        );
        // Zoomed by hand, the view stays where it was put.
        view.zoom_around(smaller, smaller.center(), 2.0);
        let zoomed = view;
        view.keep_fitted(canvas(1000.0, 800.0), photo);
        assert_eq!(view, zoomed);
        // Panned after a fit, likewise.
        view.needs_fit = true;
        view.keep_fitted(smaller, photo);
        view.pan(vec2(30.0, 0.0));
        let panned = view;
        view.keep_fitted(canvas(900.0, 700.0), photo);
        assert_eq!(view, panned);
    }

    #[test]
    fn the_mirrored_photo_covers_the_same_place() {
        let photo = vec2(640.0, 480.0);
        let area = canvas(1000.0, 800.0);
        let mut view = View::default();
        view.keep_fitted(area, photo);
        let plain = view.photo_rect(area, photo);
        view.mirrored = true;
        assert_eq!(view.photo_rect(area, photo), plain);
        // The photo's left edge is seen on the right.
        let left_edge = view.screen_from_image(area, pos2(0.0, 240.0));
        assert!((left_edge.x - plain.max.x).abs() < 0.01, "{left_edge:?} against {plain:?}");
    }
}
