//! Region layers painted by the doctor: hairline, bald spot and scar.

use super::photo::{self, PhotoError, PhotoLimits};
use image::{DynamicImage, GrayImage, ImageDecoder, ImageFormat, ImageReader};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The kinds of region a consultation marks on the photo.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RegionKind {
    Hairline,
    Bald,
    Scar,
}

impl RegionKind {
    pub const ALL: [RegionKind; 3] = [RegionKind::Hairline, RegionKind::Bald, RegionKind::Scar];

    /// Name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            RegionKind::Hairline => "Hairline",
            RegionKind::Bald => "Bald spot",
            RegionKind::Scar => "Scar",
        }
    }

    /// Name used in files and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            RegionKind::Hairline => "hairline",
            RegionKind::Bald => "bald",
            RegionKind::Scar => "scar",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Tint used to show the painted region over the photo (sRGB).
    pub fn tint_srgb(self) -> [u8; 3] {
        match self {
            RegionKind::Hairline => [64, 156, 255],
            RegionKind::Bald => [255, 170, 40],
            RegionKind::Scar => [220, 70, 200],
        }
    }
}

/// An axis-aligned pixel rectangle, half-open: `x0..x1`, `y0..y1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PixelRect {
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
}

impl PixelRect {
    pub fn full(width: u32, height: u32) -> Self {
        Self { x0: 0, y0: 0, x1: width, y1: height }
    }

    pub fn is_empty(&self) -> bool {
        self.x0 >= self.x1 || self.y0 >= self.y1
    }

    pub fn union(self, other: PixelRect) -> PixelRect {
        if self.is_empty() {
            return other;
        }
        if other.is_empty() {
            return self;
        }
        PixelRect {
            x0: self.x0.min(other.x0),
            y0: self.y0.min(other.y0),
            x1: self.x1.max(other.x1),
            y1: self.y1.max(other.y1),
        }
    }

    pub fn intersect(self, other: PixelRect) -> PixelRect {
        PixelRect {
            x0: self.x0.max(other.x0),
            y0: self.y0.max(other.y0),
            x1: self.x1.min(other.x1),
            y1: self.y1.min(other.y1),
        }
    }

    /// The pixels a disc of radius `r` centred at `(x, y)` can touch, clamped to `bounds`.
    pub fn around(x: f32, y: f32, r: f32, bounds: PixelRect) -> PixelRect {
        PixelRect {
            x0: (x - r).floor().max(0.0) as u32,
            y0: (y - r).floor().max(0.0) as u32,
            x1: ((x + r).ceil() + 1.0).max(0.0) as u32,
            y1: ((y + r).ceil() + 1.0).max(0.0) as u32,
        }
        .intersect(bounds)
    }

    /// Grows the rectangle by `margin` pixels on every side, clamped to `bounds`.
    pub fn expand(self, margin: u32, bounds: PixelRect) -> PixelRect {
        PixelRect {
            x0: self.x0.saturating_sub(margin),
            y0: self.y0.saturating_sub(margin),
            x1: self.x1.saturating_add(margin),
            y1: self.y1.saturating_add(margin),
        }
        .intersect(bounds)
    }

    pub fn contains(&self, x: u32, y: u32) -> bool {
        x >= self.x0 && x < self.x1 && y >= self.y0 && y < self.y1
    }
}

/// One region layer: soft coverage 0–255 per photo pixel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mask {
    width: u32,
    height: u32,
    data: Vec<u8>,
}

impl Mask {
    pub fn new(width: u32, height: u32) -> Self {
        Self { width, height, data: vec![0; width as usize * height as usize] }
    }

    pub fn from_gray(image: GrayImage) -> Self {
        let (width, height) = image.dimensions();
        Self { width, height, data: image.into_raw() }
    }

    pub fn to_gray(&self) -> GrayImage {
        // The buffer always holds width × height bytes, so this cannot fail.
        GrayImage::from_raw(self.width, self.height, self.data.clone())
            .unwrap_or_else(|| GrayImage::new(self.width, self.height))
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    pub fn bounds(&self) -> PixelRect {
        PixelRect::full(self.width, self.height)
    }

    pub fn data(&self) -> &[u8] {
        &self.data
    }

    pub fn data_mut(&mut self) -> &mut [u8] {
        &mut self.data
    }

    #[inline]
    pub fn get(&self, x: u32, y: u32) -> u8 {
        self.data[y as usize * self.width as usize + x as usize]
    }

    #[inline]
    pub fn set(&mut self, x: u32, y: u32, value: u8) {
        self.data[y as usize * self.width as usize + x as usize] = value;
    }

    /// Number of pixels with any coverage.
    pub fn painted_pixels(&self) -> usize {
        self.data.iter().filter(|&&v| v > 0).count()
    }

    /// Sum of coverage in whole-pixel units (a half-covered pixel counts 0.5).
    pub fn coverage_sum(&self) -> f64 {
        // Whole numbers add exactly and far faster than floats; a u64 cannot overflow here.
        self.data.iter().map(|&v| v as u64).sum::<u64>() as f64 / 255.0
    }

    pub fn is_blank(&self) -> bool {
        self.data.iter().all(|&v| v == 0)
    }

    /// The smallest rectangle holding every painted pixel, or an empty one.
    pub fn painted_bounds(&self) -> PixelRect {
        let w = self.width as usize;
        let mut rect = PixelRect { x0: self.width, y0: self.height, x1: 0, y1: 0 };
        for (y, row) in self.data.chunks_exact(w.max(1)).enumerate() {
            let Some(first) = first_nonzero(row) else { continue };
            let last = last_nonzero(row).unwrap_or(first);
            rect.x0 = rect.x0.min(first as u32);
            rect.x1 = rect.x1.max(last as u32 + 1);
            rect.y0 = rect.y0.min(y as u32);
            rect.y1 = y as u32 + 1;
        }
        rect
    }
}

/// Bytes looked at together when searching a row: whole blocks are tested with one OR.
const BLOCK: usize = 64;

fn block_is_blank(block: &[u8]) -> bool {
    block.iter().fold(0u8, |acc, &v| acc | v) == 0
}

/// Index of the first non-zero byte.
fn first_nonzero(row: &[u8]) -> Option<usize> {
    let block = row.chunks(BLOCK).position(|b| !block_is_blank(b))?;
    let start = block * BLOCK;
    row[start..].iter().position(|&v| v > 0).map(|i| start + i)
}

/// Index of the last non-zero byte.
fn last_nonzero(row: &[u8]) -> Option<usize> {
    let blocks = row.len().div_ceil(BLOCK);
    let block =
        (0..blocks).rev().find(|&b| !block_is_blank(&row[b * BLOCK..((b + 1) * BLOCK).min(row.len())]))?;
    let start = block * BLOCK;
    row[start..((block + 1) * BLOCK).min(row.len())].iter().rposition(|&v| v > 0).map(|i| start + i)
}

/// How a region mask file is read, in one sentence for help texts and errors.
pub const MASK_FILE_RULE: &str = "a PNG the photo's size; its grey value is read (white = painted, colour is \
turned to grey, 16-bit to 8-bit), times its opacity where it has an alpha channel";

#[derive(Debug, thiserror::Error)]
pub enum MaskError {
    #[error(transparent)]
    File(#[from] PhotoError),
    #[error(
        "{file} is a JPEG; a region mask must be a PNG, because JPEG compression would paint faint specks outside the region"
    )]
    Jpeg { file: String },
    #[error(
        "{file} is {width}×{height} pixels but the photo is {photo_width}×{photo_height}; a mask must be the photo's size"
    )]
    WrongSize { file: String, width: u32, height: u32, photo_width: u32, photo_height: u32 },
}

impl Mask {
    /// Reads a region mask drawn elsewhere, by the rule in [`MASK_FILE_RULE`]. The size is
    /// checked from the header, before any pixel is decoded.
    pub fn load(path: &Path, photo_size: (u32, u32), limits: &PhotoLimits) -> Result<Mask, MaskError> {
        let file = path.display().to_string();
        let io_err =
            |e: std::io::Error| PhotoError::Io { file: file.clone(), reason: super::os_error::describe(&e) };
        photo::regular_file_size(path, &file)?;
        let mut reader = std::io::BufReader::new(std::fs::File::open(path).map_err(io_err)?);
        let head = std::io::BufRead::fill_buf(&mut reader).map_err(io_err)?;
        match photo::sniff(&head[..head.len().min(32)], &file)? {
            ImageFormat::Png => {}
            _ => return Err(MaskError::Jpeg { file }),
        }
        let mut image_reader = ImageReader::with_format(reader, ImageFormat::Png);
        let mut image_limits = image::Limits::default();
        image_limits.max_alloc = Some(limits.max_decode_bytes);
        image_reader.limits(image_limits);
        let damaged = |e| photo::decode_error(e, ImageFormat::Png, &file);
        let decoder = image_reader.into_decoder().map_err(damaged)?;
        let (width, height) = decoder.dimensions();
        if (width, height) != photo_size {
            return Err(MaskError::WrongSize {
                file,
                width,
                height,
                photo_width: photo_size.0,
                photo_height: photo_size.1,
            });
        }
        let image = DynamicImage::from_decoder(decoder).map_err(damaged)?;
        Ok(Mask::from_image(&image))
    }

    /// The layer at another size, each pixel the average coverage of the area it covers (so a
    /// region keeps its extent and its soft edge when its photo is reduced).
    pub fn resized(&self, width: u32, height: u32) -> Mask {
        if (width, height) == (self.width, self.height) {
            return self.clone();
        }
        Mask::from_gray(image::imageops::thumbnail(&self.to_gray(), width.max(1), height.max(1)))
    }

    /// Coverage from any image: grey value times opacity, by [`MASK_FILE_RULE`].
    pub fn from_image(image: &DynamicImage) -> Mask {
        let (width, height) = (image.width(), image.height());
        let data = if image.color().has_alpha() {
            let la = image.to_luma_alpha8();
            la.pixels().map(|p| ((p.0[0] as u32 * p.0[1] as u32 + 127) / 255) as u8).collect()
        } else {
            image.to_luma8().into_raw()
        };
        Mask { width, height, data }
    }
}

/// The three region layers of one consultation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionMasks {
    layers: [Mask; 3],
}

impl RegionMasks {
    pub fn new(width: u32, height: u32) -> Self {
        Self { layers: std::array::from_fn(|_| Mask::new(width, height)) }
    }

    pub fn width(&self) -> u32 {
        self.layers[0].width()
    }

    pub fn height(&self) -> u32 {
        self.layers[0].height()
    }

    pub fn get(&self, kind: RegionKind) -> &Mask {
        &self.layers[kind.index()]
    }

    pub fn get_mut(&mut self, kind: RegionKind) -> &mut Mask {
        &mut self.layers[kind.index()]
    }

    /// Replaces one layer. Fails when the layer is not the size of the others.
    pub fn set(&mut self, kind: RegionKind, mask: Mask) -> Result<(), (u32, u32)> {
        if (mask.width(), mask.height()) != (self.width(), self.height()) {
            return Err((mask.width(), mask.height()));
        }
        self.layers[kind.index()] = mask;
        Ok(())
    }

    /// Highest coverage of any layer at a pixel: 0 means the photo stays untouched there.
    #[inline]
    pub fn any(&self, x: u32, y: u32) -> u8 {
        self.layers.iter().map(|m| m.get(x, y)).max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_round_trip_through_gray_images() {
        let mut mask = Mask::new(7, 5);
        mask.set(3, 2, 200);
        mask.set(6, 4, 17);
        let back = Mask::from_gray(mask.to_gray());
        assert_eq!(back, mask);
        assert_eq!(back.painted_pixels(), 2);
        assert_eq!(back.painted_bounds(), PixelRect { x0: 3, y0: 2, x1: 7, y1: 5 });
    }

    /// Bounds are found block by block; a pixel on either side of a block edge, or in the
    /// short last block of a row, must still count.
    #[test]
    fn painted_bounds_find_pixels_at_block_edges() {
        let width = 3 * BLOCK as u32 + 7;
        for (x, y) in [(0, 0), (63, 1), (64, 2), (127, 3), (128, 4), (width - 1, 5), (width - 8, 6)] {
            let mut mask = Mask::new(width, 9);
            mask.set(x, y, 1);
            assert_eq!(
                mask.painted_bounds(),
                PixelRect { x0: x, y0: y, x1: x + 1, y1: y + 1 },
                "pixel ({x}, {y})"
            );
        }
        let mut mask = Mask::new(width, 9);
        mask.set(70, 2, 9);
        mask.set(5, 7, 255);
        mask.set(width - 1, 3, 4);
        assert_eq!(mask.painted_bounds(), PixelRect { x0: 5, y0: 2, x1: width, y1: 8 });
        assert!(Mask::new(width, 9).painted_bounds().is_empty());
        assert!((mask.coverage_sum() - (9.0 + 255.0 + 4.0) / 255.0).abs() < 1e-12);
    }

    #[test]
    fn a_layer_of_the_wrong_size_is_refused() {
        let mut masks = RegionMasks::new(10, 10);
        assert_eq!(masks.set(RegionKind::Scar, Mask::new(9, 10)), Err((9, 10)));
        assert!(masks.set(RegionKind::Scar, Mask::new(10, 10)).is_ok());
    }

    #[test]
    fn a_resized_layer_keeps_its_extent() {
        let mut mask = Mask::new(200, 100);
        for y in 0..100 {
            for x in 0..100 {
                mask.set(x, y, 255);
            }
        }
        let small = mask.resized(50, 25);
        assert_eq!((small.width(), small.height()), (50, 25));
        assert_eq!(small.painted_bounds(), PixelRect { x0: 0, y0: 0, x1: 25, y1: 25 });
        assert!(small.data().iter().all(|&v| v == 0 || v == 255));
    }

    #[test]
    fn region_keys_round_trip() {
        for kind in RegionKind::ALL {
            assert_eq!(RegionKind::from_key(kind.key()), Some(kind));
        }
        assert_eq!(RegionKind::from_key("crown"), None);
    }

    #[test]
    fn rect_expand_is_clamped() {
        let bounds = PixelRect::full(100, 50);
        let r = PixelRect { x0: 2, y0: 40, x1: 10, y1: 45 }.expand(8, bounds);
        assert_eq!(r, PixelRect { x0: 0, y0: 32, x1: 18, y1: 50 });
    }
}
