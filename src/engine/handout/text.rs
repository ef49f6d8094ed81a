//! Type for hand-outs: the bundled Inter typeface (`assets/fonts/`, SIL Open Font License),
//! shaped with rustybuzz for its kerning and drawn onto images with ab_glyph. The PDF report
//! embeds the same font files, so a sheet and a report set the same words the same way.

use super::HandoutError;
use ab_glyph::{Font as _, FontRef, GlyphId, PxScale, point};
use image::{Rgb, RgbImage};
use std::sync::OnceLock;

const REGULAR_OTF: &[u8] = include_bytes!("../../../assets/fonts/Inter-Regular.otf");
const SEMIBOLD_OTF: &[u8] = include_bytes!("../../../assets/fonts/Inter-SemiBold.otf");

/// The two weights hand-outs use: text and headings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    SemiBold,
}

/// One font file, ready to shape, measure and draw.
pub(crate) struct Face {
    data: &'static [u8],
    outlines: FontRef<'static>,
    shaper: rustybuzz::Face<'static>,
    units_per_em: f32,
}

/// A glyph on a line, in em from the line's start and baseline.
struct Placed {
    id: u16,
    x_em: f32,
    y_em: f32,
}

/// A line of text set in one face.
pub(crate) struct Shaped {
    glyphs: Vec<Placed>,
    pub width_em: f32,
}

impl Face {
    fn load(data: &'static [u8]) -> Option<Face> {
        let outlines = FontRef::try_from_slice(data).ok()?;
        let shaper = rustybuzz::Face::from_slice(data, 0)?;
        let units_per_em = outlines.units_per_em()?;
        Some(Face { data, outlines, shaper, units_per_em })
    }

    /// The font file, for embedding in a PDF.
    pub(crate) fn data(&self) -> &'static [u8] {
        self.data
    }

    pub(crate) fn shape(&self, text: &str) -> Shaped {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        let output = rustybuzz::shape(&self.shaper, &[], buffer);
        let mut x = 0.0f32;
        let mut glyphs = Vec::with_capacity(output.len());
        for (info, pos) in output.glyph_infos().iter().zip(output.glyph_positions()) {
            glyphs.push(Placed {
                id: u16::try_from(info.glyph_id).unwrap_or(0),
                x_em: (x + pos.x_offset as f32) / self.units_per_em,
                y_em: pos.y_offset as f32 / self.units_per_em,
            });
            x += pos.x_advance as f32;
        }
        Shaped { glyphs, width_em: x / self.units_per_em }
    }

    /// Width of `text` at `size` (the em size, in the caller's unit).
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        self.shape(text).width_em * size
    }

    /// Height above the baseline of capital letters, in em.
    pub(crate) fn cap_height_em(&self) -> f32 {
        self.shaper.capital_height().map(|h| h as f32 / self.units_per_em).unwrap_or(0.73)
    }

    /// Draws `text` with its baseline's start at (`x`, `baseline`), `size_px` to the em.
    pub(crate) fn draw(
        &self,
        image: &mut RgbImage,
        text: &str,
        x: f32,
        baseline: f32,
        size_px: f32,
        color: Rgb<u8>,
    ) {
        let shaped = self.shape(text);
        let scale = PxScale::from(size_px * self.outlines.height_unscaled() / self.units_per_em);
        let (width, height) = (image.width() as i32, image.height() as i32);
        for glyph in &shaped.glyphs {
            let position = point(x + glyph.x_em * size_px, baseline - glyph.y_em * size_px);
            let Some(outline) =
                self.outlines.outline_glyph(GlyphId(glyph.id).with_scale_and_position(scale, position))
            else {
                continue;
            };
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let px = bounds.min.x as i32 + gx as i32;
                let py = bounds.min.y as i32 + gy as i32;
                if px < 0 || py < 0 || px >= width || py >= height {
                    return;
                }
                let pixel = image.get_pixel_mut(px as u32, py as u32);
                let c = coverage.clamp(0.0, 1.0);
                for i in 0..3 {
                    pixel.0[i] = (pixel.0[i] as f32 * (1.0 - c) + color.0[i] as f32 * c).round() as u8;
                }
            });
        }
    }

    /// `text` shortened with an ellipsis until it is at most `max_width` wide.
    pub(crate) fn fit(&self, text: &str, size: f32, max_width: f32) -> String {
        if self.width(text, size) <= max_width {
            return text.to_owned();
        }
        // The longest prefix that fits, found by halving: a long label costs a few dozen
        // measurements, not one per character.
        let ends: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let candidate = |n: usize| format!("{}…", text[..ends[n]].trim_end());
        let (mut fits, mut too_long) = (0, ends.len());
        if self.width(&candidate(0), size) > max_width {
            return String::new();
        }
        while too_long - fits > 1 {
            let mid = (fits + too_long) / 2;
            if self.width(&candidate(mid), size) <= max_width {
                fits = mid;
            } else {
                too_long = mid;
            }
        }
        candidate(fits)
    }

    /// `text` broken into lines at most `max_width` wide: at spaces where it can, inside a word
    /// too long for a line where it must. Line breaks in `text` are kept.
    pub(crate) fn wrap(&self, text: &str, size: f32, max_width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.lines() {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
                if self.width(&candidate, size) <= max_width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                for c in word.chars() {
                    line.push(c);
                    if self.width(&line, size) > max_width && line.chars().count() > 1 {
                        line.pop();
                        lines.push(std::mem::replace(&mut line, c.to_string()));
                    }
                }
            }
            lines.push(line);
        }
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        lines
    }
}

/// The bundled faces.
pub(crate) struct Fonts {
    regular: Face,
    semibold: Face,
}

impl Fonts {
    pub(crate) fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::SemiBold => &self.semibold,
        }
    }
}

/// The bundled faces, read once.
pub(crate) fn fonts() -> Result<&'static Fonts, HandoutError> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some(Fonts { regular: Face::load(REGULAR_OTF)?, semibold: Face::load(SEMIBOLD_OTF)? })
        })
        .as_ref()
        .ok_or(HandoutError::Font)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_kerned_measured_and_drawn_where_asked() {
        let face = fonts().unwrap().face(Weight::Regular);
        // Kerning pulls "AV" tighter than its letters side by side.
        assert!(face.width("AV", 100.0) < face.width("A", 100.0) + face.width("V", 100.0) - 1.0);
        let mut image = RgbImage::from_pixel(200, 60, Rgb([255, 255, 255]));
        face.draw(&mut image, "Before", 10.0, 40.0, 24.0, Rgb([0, 0, 0]));
        let inked: Vec<(u32, u32)> =
            image.enumerate_pixels().filter(|(_, _, p)| p.0[0] < 128).map(|(x, y, _)| (x, y)).collect();
        assert!(inked.len() > 100, "only {} dark pixels", inked.len());
        let (min_x, max_x) =
            (inked.iter().map(|p| p.0).min().unwrap(), inked.iter().map(|p| p.0).max().unwrap());
        let max_y = inked.iter().map(|p| p.1).max().unwrap();
        assert!((10..=14).contains(&min_x), "text starts at {min_x}");
        assert!((max_x as f32 - 10.0 - face.width("Before", 24.0)).abs() < 3.0, "text ends at {max_x}");
        assert!(max_y <= 40, "nothing of “Before” hangs below the baseline");
    }

    #[test]
    fn long_text_is_wrapped_or_shortened_to_fit() {
        let face = fonts().unwrap().face(Weight::Regular);
        let text = "Dots are placed between the remaining hairs.\nSecond paragraph.";
        let lines = face.wrap(text, 10.0, 120.0);
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(lines.iter().all(|l| face.width(l, 10.0) <= 120.0), "{lines:?}");
        assert_eq!(lines.last().map(String::as_str), Some("Second paragraph."));
        let long = face.wrap("Supercalifragilisticexpialidocious", 10.0, 50.0);
        assert!(long.len() > 1 && long.iter().all(|l| face.width(l, 10.0) <= 50.0), "{long:?}");
        let short = face.fit("A very long preset name indeed", 10.0, 80.0);
        assert!(short.ends_with('…') && face.width(&short, 10.0) <= 80.0, "{short}");
        assert_eq!(face.fit("Short", 10.0, 80.0), "Short");
    }
}
