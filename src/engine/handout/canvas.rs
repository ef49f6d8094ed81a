//! Drawing a raster hand-out: paper, photos, rules, rounded labels and text, in pixels.

use super::HandoutError;
use super::text::{Fonts, Weight, fonts};
use image::{Rgb, RgbImage};

/// The hand-outs' colours: warm paper, near-black ink, a quieter grey for secondary text.
pub(crate) const PAPER: Rgb<u8> = Rgb([248, 247, 244]);
pub(crate) const INK: Rgb<u8> = Rgb([36, 39, 44]);
pub(crate) const MUTED: Rgb<u8> = Rgb([104, 109, 117]);
pub(crate) const RULE: Rgb<u8> = Rgb([218, 214, 207]);
pub(crate) const WHITE: Rgb<u8> = Rgb([255, 255, 255]);

/// An image being drawn, with the bundled fonts.
pub(crate) struct Canvas {
    pub image: RgbImage,
    fonts: &'static Fonts,
}

impl Canvas {
    pub(crate) fn new(width_px: u32, height_px: u32) -> Result<Canvas, HandoutError> {
        Ok(Canvas { image: RgbImage::from_pixel(width_px, height_px, PAPER), fonts: fonts()? })
    }

    pub(crate) fn width(&self, weight: Weight, text: &str, size_px: f32) -> f32 {
        self.fonts.face(weight).width(text, size_px)
    }

    /// Height of a capital letter at `size_px`, for centring a line of text on a box.
    pub(crate) fn cap_height(&self, weight: Weight, size_px: f32) -> f32 {
        self.fonts.face(weight).cap_height_em() * size_px
    }

    pub(crate) fn fit(&self, weight: Weight, text: &str, size_px: f32, max_width_px: f32) -> String {
        self.fonts.face(weight).fit(text, size_px, max_width_px)
    }

    /// Draws text starting at `x` on the baseline `y`; returns where it ends.
    pub(crate) fn text(
        &mut self,
        weight: Weight,
        text: &str,
        x: f32,
        y: f32,
        size_px: f32,
        color: Rgb<u8>,
    ) -> f32 {
        let face = self.fonts.face(weight);
        face.draw(&mut self.image, text, x, y, size_px, color);
        x + face.width(text, size_px)
    }

    /// Draws text ending at `right` on the baseline `y`.
    pub(crate) fn text_right(
        &mut self,
        weight: Weight,
        text: &str,
        right: f32,
        y: f32,
        size_px: f32,
        color: Rgb<u8>,
    ) {
        let x = right - self.width(weight, text, size_px);
        self.text(weight, text, x, y, size_px, color);
    }

    /// Fills a rectangle given in pixels, clipped to the image.
    pub(crate) fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb<u8>) {
        self.blend_rounded(x, y, w, h, 0.0, color, 1.0);
    }

    /// Blends `color` at `alpha` over a rectangle with corners rounded by `radius`, edges
    /// anti-aliased.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn blend_rounded(
        &mut self,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        radius: f32,
        color: Rgb<u8>,
        alpha: f32,
    ) {
        let (width, height) = self.image.dimensions();
        let x0 = x.floor().max(0.0) as u32;
        let y0 = y.floor().max(0.0) as u32;
        let x1 = ((x + w).ceil().max(0.0) as u32).min(width);
        let y1 = ((y + h).ceil().max(0.0) as u32).min(height);
        let r = radius.min(w / 2.0).min(h / 2.0).max(0.0);
        for py in y0..y1 {
            for px in x0..x1 {
                let coverage = coverage(px as f32 + 0.5, py as f32 + 0.5, x, y, w, h, r) * alpha;
                if coverage <= 0.0 {
                    continue;
                }
                let pixel = self.image.get_pixel_mut(px, py);
                for i in 0..3 {
                    pixel.0[i] =
                        (pixel.0[i] as f32 * (1.0 - coverage) + color.0[i] as f32 * coverage).round() as u8;
                }
            }
        }
    }

    /// Copies `source` with its top-left corner at (`x`, `y`), clipped to the image.
    pub(crate) fn blit(&mut self, source: &RgbImage, x: u32, y: u32) {
        image::imageops::replace(&mut self.image, source, x as i64, y as i64);
    }
}

/// How much of the pixel centred at (`px`, `py`) a rounded rectangle covers, 0–1.
fn coverage(px: f32, py: f32, x: f32, y: f32, w: f32, h: f32, r: f32) -> f32 {
    // Distance outside the rectangle shrunk by r, minus r: negative inside.
    let cx = (x + r).max((x + w - r).min(px));
    let cy = (y + r).max((y + h - r).min(py));
    let distance = ((px - cx).powi(2) + (py - cy).powi(2)).sqrt() - r;
    let along_x = (px - x).min(x + w - px);
    let along_y = (py - y).min(y + h - py);
    let inside = if r > 0.0 { -distance } else { along_x.min(along_y) };
    (inside + 0.5).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_rectangles_cover_their_inside_and_not_their_corners() {
        let mut canvas = Canvas::new(40, 30).unwrap();
        canvas.blend_rounded(5.0, 5.0, 30.0, 20.0, 8.0, Rgb([0, 0, 0]), 1.0);
        assert_eq!(canvas.image.get_pixel(20, 15), &Rgb([0, 0, 0]));
        assert_eq!(canvas.image.get_pixel(5, 5), &PAPER, "the corner is rounded off");
        assert_eq!(canvas.image.get_pixel(2, 15), &PAPER);
        canvas.fill(0.0, 0.0, 2.0, 2.0, WHITE);
        assert_eq!(canvas.image.get_pixel(1, 1), &WHITE);
        assert_eq!(canvas.image.get_pixel(2, 2), &PAPER);
    }
}
