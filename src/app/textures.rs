//! Photos of any size on the GPU: each image is cut into tiles no larger than the GPU accepts,
//! so a 48-megapixel photo shows, pans and paints at full resolution, and a change uploads only
//! the tiles it touches.

use crate::engine::mask::{PixelRect, RegionKind, RegionMasks};
use eframe::egui::{self, Color32, ColorImage, Rect, TextureHandle, TextureOptions, pos2};
use image::RgbImage;

/// Side of a tile: small enough for every GPU, large enough that a phone photo is a few tiles.
const TILE_SIDE: u32 = 2048;

fn options() -> TextureOptions {
    TextureOptions {
        magnification: egui::TextureFilter::Nearest,
        minification: egui::TextureFilter::Linear,
        wrap_mode: egui::TextureWrapMode::ClampToEdge,
        mipmap_mode: Some(egui::TextureFilter::Linear),
    }
}

pub struct Tiled {
    width: u32,
    height: u32,
    tiles: Vec<(PixelRect, TextureHandle)>,
}

impl Tiled {
    /// Tiles of `width` × `height` filled by `pixel(x, y)`.
    pub fn new(
        ctx: &egui::Context,
        name: &str,
        (width, height): (u32, u32),
        max_side: usize,
        pixel: impl Fn(u32, u32) -> Color32,
    ) -> Tiled {
        let side = TILE_SIDE.min(max_side.max(256) as u32);
        let mut tiles = Vec::new();
        for y0 in (0..height).step_by(side as usize) {
            for x0 in (0..width).step_by(side as usize) {
                let rect = PixelRect { x0, y0, x1: (x0 + side).min(width), y1: (y0 + side).min(height) };
                let image = region(rect, &pixel);
                tiles.push((rect, ctx.load_texture(format!("{name} {x0},{y0}"), image, options())));
            }
        }
        Tiled { width, height, tiles }
    }

    /// An RGB image as tiles.
    pub fn from_rgb(ctx: &egui::Context, name: &str, image: &RgbImage, max_side: usize) -> Tiled {
        Tiled::new(ctx, name, image.dimensions(), max_side, |x, y| rgb(image, x, y))
    }

    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// Uploads `pixel(x, y)` for the pixels of `rect` only.
    pub fn update(&mut self, rect: PixelRect, pixel: impl Fn(u32, u32) -> Color32) {
        let rect = rect.intersect(PixelRect::full(self.width, self.height));
        if rect.is_empty() {
            return;
        }
        for (tile, handle) in &mut self.tiles {
            let part = rect.intersect(*tile);
            if part.is_empty() {
                continue;
            }
            let image = region(part, &pixel);
            if part == *tile {
                handle.set(image, options());
            } else {
                handle.set_partial(
                    [(part.x0 - tile.x0) as usize, (part.y0 - tile.y0) as usize],
                    image,
                    options(),
                );
            }
        }
    }

    /// Draws the image so that it fills `image_rect` on screen (left and right swapped when
    /// `mirrored`), multiplied by `tint`.
    pub fn paint(&self, painter: &egui::Painter, image_rect: Rect, mirrored: bool, tint: Color32) {
        let sx = image_rect.width() / self.width.max(1) as f32;
        let sy = image_rect.height() / self.height.max(1) as f32;
        let uv = if mirrored {
            Rect::from_min_max(pos2(1.0, 0.0), pos2(0.0, 1.0))
        } else {
            Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0))
        };
        for (tile, handle) in &self.tiles {
            let (x0, x1) =
                if mirrored { (self.width - tile.x1, self.width - tile.x0) } else { (tile.x0, tile.x1) };
            let rect = Rect::from_min_max(
                image_rect.min + egui::vec2(x0 as f32 * sx, tile.y0 as f32 * sy),
                image_rect.min + egui::vec2(x1 as f32 * sx, tile.y1 as f32 * sy),
            );
            if painter.clip_rect().intersects(rect) {
                painter.image(handle.id(), rect, uv, tint);
            }
        }
    }
}

fn region(rect: PixelRect, pixel: &impl Fn(u32, u32) -> Color32) -> ColorImage {
    let w = (rect.x1 - rect.x0) as usize;
    let h = (rect.y1 - rect.y0) as usize;
    let mut pixels = Vec::with_capacity(w * h);
    for y in rect.y0..rect.y1 {
        for x in rect.x0..rect.x1 {
            pixels.push(pixel(x, y));
        }
    }
    ColorImage::new([w, h], pixels)
}

#[inline]
pub fn rgb(image: &RgbImage, x: u32, y: u32) -> Color32 {
    let [r, g, b] = image.get_pixel(x, y).0;
    Color32::from_rgb(r, g, b)
}

/// The colour of the region tints over one pixel; opacity is applied when drawing, so
/// dragging its slider costs nothing.
pub fn tint(masks: &RegionMasks, shown: [bool; 3], x: u32, y: u32) -> Color32 {
    let mut color = Color32::TRANSPARENT;
    for kind in RegionKind::ALL {
        if !shown[kind.index()] {
            continue;
        }
        let coverage = masks.get(kind).get(x, y);
        if coverage > 0 {
            let [r, g, b] = kind.tint_srgb();
            color = color.blend(Color32::from_rgba_unmultiplied(r, g, b, coverage));
        }
    }
    color
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A photo wider than any GPU's texture limit is cut into tiles the GPU accepts, covering
    /// every pixel once.
    #[test]
    fn a_photo_wider_than_the_texture_limit_is_tiled_within_it() {
        let ctx = egui::Context::default();
        let photo = RgbImage::from_pixel(9000, 300, image::Rgb([200, 160, 140]));
        for max_side in [8192, 2048, 100] {
            let tiled = Tiled::from_rgb(&ctx, "wide", &photo, max_side);
            let limit = max_side.max(256) as u32;
            assert!(tiled.tiles.iter().all(|(r, _)| r.x1 - r.x0 <= limit && r.y1 - r.y0 <= limit));
            let covered: u64 =
                tiled.tiles.iter().map(|(r, _)| u64::from(r.x1 - r.x0) * u64::from(r.y1 - r.y0)).sum();
            assert_eq!(covered, 9000 * 300, "every pixel in exactly one tile at a limit of {max_side}");
            assert_eq!(tiled.size(), (9000, 300));
        }
    }
}
