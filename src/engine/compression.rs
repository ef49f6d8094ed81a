//! The photo's JPEG history: the quantisation a camera applied to every 8×8 block of the photo.
//!
//! Every pixel of a phone photo went through the camera's JPEG encoder: the image in YCbCr, the
//! colour usually at half resolution, each 8×8 block's spatial frequencies rounded to the steps
//! of the file's quantisation tables. A treated area rendered without that history is the one
//! part of the photo with none, and an eye (or a forensic look at block edges) finds it. So the
//! pixels a render changes are passed through the same rounding, on the file's own block grid:
//! the change a camera would have recorded, not the change as computed.
//!
//! What is read: the quantisation tables (DQT), the components and their sampling (SOF), and
//! the orientation the photo was turned upright by (EXIF), which moves the grid.

use crate::engine::mask::PixelRect;
use image::{ImageDecoder, RgbImage};
use std::sync::OnceLock;

/// Side of a JPEG block, px.
const BLOCK: usize = 8;

/// How the camera compressed a JPEG photo, in the upright photo's own coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct Compression {
    /// The upright photo's size: the history fits only pixels decoded from this file.
    width: u32,
    height: u32,
    /// Luma quantisation steps, row-major by vertical then horizontal frequency.
    luma: [f32; 64],
    /// Chroma steps and the chroma block's size in photo pixels, when the photo is in colour.
    chroma: Option<([f32; 64], (u32, u32))>,
    /// Where the block grid starts (px, 0 ≤ offset < block side) for luma and for chroma.
    luma_origin: (u32, u32),
    chroma_origin: (u32, u32),
}

/// Quantisation tables as an encoder takes them (whole steps, natural order, upright).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tables {
    pub luma: [u16; 64],
    /// `None` for a grey photo.
    pub chroma: Option<[u16; 64]>,
    /// How many luma pixels one chroma sample spans, across and down.
    pub sampling: (u32, u32),
}

/// How the stored image maps onto the upright one, per upright axis: the stored axis it came
/// from (`false` for stored x) and whether it runs backwards.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Turn {
    x_from_stored_y: bool,
    flip_x: bool,
    flip_y: bool,
}

/// What the file's header says, in the stored orientation.
struct Header {
    width: u32,
    height: u32,
    /// Quantisation tables by slot, in natural (row-major) order.
    tables: [Option<[u16; 64]>; 4],
    /// (horizontal sampling, vertical sampling, table slot) per component.
    components: Vec<(u8, u8, u8)>,
}

impl Compression {
    /// Reads the history of a JPEG file; `None` for any other format, or a JPEG whose layout
    /// this does not follow (CMYK, RGB-coded, unusual sampling). A file that is not read
    /// simply keeps today's render.
    pub fn read(bytes: &[u8]) -> Option<Self> {
        let header = parse_header(bytes)?;
        let turn = turn_of(bytes)?;
        let &(luma_h, luma_v, luma_slot) = header.components.first()?;
        let luma_natural = header.tables.get(luma_slot as usize).copied().flatten()?;
        let chroma = match header.components.len() {
            1 => None,
            3 => {
                let (ch, cv, slot) = header.components[1];
                if header.components[2] != (ch, cv, slot) || ch == 0 || cv == 0 {
                    return None;
                }
                if luma_h % ch != 0 || luma_v % cv != 0 {
                    return None;
                }
                let table = header.tables.get(slot as usize).copied().flatten()?;
                Some((table, ((luma_h / ch) as u32, (luma_v / cv) as u32)))
            }
            _ => return None,
        };
        // The stored axes as the upright image sees them.
        let swap = turn.x_from_stored_y;
        let (width, height) =
            if swap { (header.height, header.width) } else { (header.width, header.height) };
        let upright_table = |t: [u16; 64]| -> [f32; 64] {
            std::array::from_fn(|i| {
                let (v, u) = (i / BLOCK, i % BLOCK);
                let stored = if swap { u * BLOCK + v } else { i };
                f32::from(t[stored].max(1))
            })
        };
        let origin = |side: (u32, u32)| -> (u32, u32) {
            let ox = if turn.flip_x { width % side.0 } else { 0 };
            let oy = if turn.flip_y { height % side.1 } else { 0 };
            (ox, oy)
        };
        let chroma = chroma.map(|(t, (sx, sy))| {
            let (sx, sy) = if swap { (sy, sx) } else { (sx, sy) };
            (upright_table(t), (sx * BLOCK as u32, sy * BLOCK as u32))
        });
        let chroma_origin = chroma.map_or((0, 0), |(_, side)| origin(side));
        Some(Self {
            width,
            height,
            luma: upright_table(luma_natural),
            chroma,
            luma_origin: origin((BLOCK as u32, BLOCK as u32)),
            chroma_origin,
        })
    }

    /// Whether `photo` can be the upright decoding of the file this was read from.
    pub fn fits(&self, photo: &RgbImage) -> bool {
        photo.dimensions() == (self.width, self.height)
    }

    /// Whether `image` is a picture of the photo at its own size, perhaps with a caption strip
    /// under it: the same width and at least its height, so the photo's blocks sit where they
    /// were.
    pub fn frames(&self, image: &RgbImage) -> bool {
        image.width() == self.width && image.height() >= self.height
    }

    /// The luma table, and the chroma table with the chroma sampling (how many luma pixels one
    /// chroma sample spans, across and down), as an encoder takes them: whole steps in natural
    /// order, for the upright photo.
    pub fn tables(&self) -> Tables {
        let whole = |t: &[f32; 64]| -> [u16; 64] { std::array::from_fn(|i| t[i].round() as u16) };
        Tables {
            luma: whole(&self.luma),
            chroma: self.chroma.as_ref().map(|(t, _)| whole(t)),
            sampling: self.chroma.map_or((1, 1), |(_, (w, h))| (w / BLOCK as u32, h / BLOCK as u32)),
        }
    }

    /// The side of the unit the history is applied in (a chroma block holds whole luma
    /// blocks), px, and where its grid starts.
    fn unit(&self) -> ((u32, u32), (u32, u32)) {
        match self.chroma {
            Some((_, side)) => (side, self.chroma_origin),
            None => ((BLOCK as u32, BLOCK as u32), self.luma_origin),
        }
    }

    /// `rect` grown outward to whole units of the block grid, within the photo.
    pub fn snap(&self, rect: PixelRect) -> PixelRect {
        let ((sx, sy), (ox, oy)) = self.unit();
        // The grid line at or below `v`, and at or above it; the photo's edges end the grid.
        let down = |v: u32, side: u32, o: u32| if v < o { 0 } else { (v - o) / side * side + o };
        let up = |v: u32, side: u32, o: u32, max: u32| {
            let line = if v == 0 {
                0
            } else if v <= o {
                o
            } else {
                (v - o).div_ceil(side) * side + o
            };
            line.min(max)
        };
        PixelRect {
            x0: down(rect.x0, sx, ox),
            y0: down(rect.y0, sy, oy),
            x1: up(rect.x1, sx, ox, self.width),
            y1: up(rect.y1, sy, oy, self.height),
        }
    }

    /// Passes the change from `photo` to `rendered` (both the pixels of `rect`, row-major RGB)
    /// through the camera's rounding, block by block: each changed pixel becomes the photo's
    /// pixel plus the change the file's quantisation keeps. Unchanged pixels stay as they are.
    /// `rect` should be whole units ([`Compression::snap`]); where it is not, the blocks are
    /// taken as they fall within it.
    pub fn apply(&self, rect: PixelRect, photo: &[u8], rendered: &mut [u8]) {
        let w = (rect.x1 - rect.x0) as usize;
        let h = (rect.y1 - rect.y0) as usize;
        if w == 0 || h == 0 || photo.len() != w * h * 3 || rendered.len() != w * h * 3 {
            return;
        }
        let ((sx, sy), (ox, oy)) = self.unit();
        let xs = grid_cuts(rect.x0, rect.x1, sx, ox);
        let ys = grid_cuts(rect.y0, rect.y1, sy, oy);
        for yw in ys.windows(2) {
            for xw in xs.windows(2) {
                let unit = PixelRect { x0: xw[0], y0: yw[0], x1: xw[1], y1: yw[1] };
                self.apply_unit(rect, unit, photo, rendered);
            }
        }
    }

    /// One unit (a chroma block with its luma blocks, or one luma block).
    fn apply_unit(&self, rect: PixelRect, unit: PixelRect, photo: &[u8], rendered: &mut [u8]) {
        let stride = (rect.x1 - rect.x0) as usize * 3;
        let at = |x: u32, y: u32| (y - rect.y0) as usize * stride + (x - rect.x0) as usize * 3;
        let (uw, uh) = ((unit.x1 - unit.x0) as usize, (unit.y1 - unit.y0) as usize);
        let changed = (unit.y0..unit.y1).any(|y| {
            (unit.x0..unit.x1).any(|x| photo[at(x, y)..at(x, y) + 3] != rendered[at(x, y)..at(x, y) + 3])
        });
        if !changed {
            return;
        }
        // Y, Cb, Cr of both, over the unit.
        let planes = |pixels: &[u8]| -> [Vec<f32>; 3] {
            let mut out = [vec![0.0; uw * uh], vec![0.0; uw * uh], vec![0.0; uw * uh]];
            for (row, y) in (unit.y0..unit.y1).enumerate() {
                for (col, x) in (unit.x0..unit.x1).enumerate() {
                    let i = at(x, y);
                    let [r, g, b] = [pixels[i], pixels[i + 1], pixels[i + 2]].map(f32::from);
                    let k = row * uw + col;
                    out[0][k] = 0.299 * r + 0.587 * g + 0.114 * b;
                    out[1][k] = -0.168_736 * r - 0.331_264 * g + 0.5 * b;
                    out[2][k] = 0.5 * r - 0.418_688 * g - 0.081_312 * b;
                }
            }
            out
        };
        let before = planes(photo);
        let after = planes(rendered);
        let mut change = [vec![0.0f32; uw * uh], vec![0.0f32; uw * uh], vec![0.0f32; uw * uh]];
        // Luma, block by block on the luma grid (a unit holds whole blocks, or is cut by the
        // photo's edge or the rect's).
        let (lx, ly) = self.luma_origin;
        for yw in grid_cuts(unit.y0, unit.y1, BLOCK as u32, ly).windows(2) {
            for xw in grid_cuts(unit.x0, unit.x1, BLOCK as u32, lx).windows(2) {
                let block = Cells {
                    x0: (xw[0] - unit.x0) as usize,
                    y0: (yw[0] - unit.y0) as usize,
                    w: (xw[1] - xw[0]) as usize,
                    h: (yw[1] - yw[0]) as usize,
                    cell: (1, 1),
                };
                requantise(&before[0], &after[0], &mut change[0], uw, block, &self.luma, 128.0);
            }
        }
        if let Some((table, (cw, ch))) = &self.chroma {
            let (cx, cy) = ((cw / BLOCK as u32) as usize, (ch / BLOCK as u32) as usize);
            let block = Cells { x0: 0, y0: 0, w: uw, h: uh, cell: (cx, cy) };
            for c in 1..3 {
                requantise(&before[c], &after[c], &mut change[c], uw, block, table, 0.0);
            }
        } else {
            // A grey photo: its R, G and B are one, and only luma was recorded.
            for k in 0..uw * uh {
                change[1][k] = -before[1][k] + after[1][k];
                change[2][k] = -before[2][k] + after[2][k];
            }
        }
        for (row, y) in (unit.y0..unit.y1).enumerate() {
            for (col, x) in (unit.x0..unit.x1).enumerate() {
                let i = at(x, y);
                if photo[i..i + 3] == rendered[i..i + 3] {
                    continue;
                }
                let k = row * uw + col;
                let (dy, dcb, dcr) = (change[0][k], change[1][k], change[2][k]);
                let delta = [dy + 1.402 * dcr, dy - 0.344_136 * dcb - 0.714_136 * dcr, dy + 1.772 * dcb];
                for c in 0..3 {
                    rendered[i + c] = (f32::from(photo[i + c]) + delta[c]).round().clamp(0.0, 255.0) as u8;
                }
            }
        }
    }
}

/// `lo`, every line of a grid (spacing `side`, through `origin`) strictly between `lo` and
/// `hi`, and `hi`: the cuts that split `lo..hi` along the grid.
fn grid_cuts(lo: u32, hi: u32, side: u32, origin: u32) -> Vec<u32> {
    let mut cuts = vec![lo];
    let mut line = if lo < origin { origin } else { (lo - origin) / side * side + origin + side };
    while line < hi {
        cuts.push(line);
        line += side;
    }
    cuts.push(hi);
    cuts
}

/// A block within a unit's planes: its corner and size in pixels, and how many pixels each
/// of its samples averages (2×2 for chroma at half resolution).
#[derive(Clone, Copy)]
struct Cells {
    x0: usize,
    y0: usize,
    w: usize,
    h: usize,
    cell: (usize, usize),
}

/// Adds to `change` what the camera's rounding keeps of the step from `before` to `after` over
/// one block: Q(after) − Q(before), each sampled as the encoder samples it, padded at a cut
/// edge by repeating the last sample as an encoder does.
fn requantise(
    before: &[f32],
    after: &[f32],
    change: &mut [f32],
    stride: usize,
    block: Cells,
    table: &[f32; 64],
    shift: f32,
) {
    let (cx, cy) = block.cell;
    let samples_x = block.w.div_ceil(cx).min(BLOCK);
    let samples_y = block.h.div_ceil(cy).min(BLOCK);
    let sample = |plane: &[f32]| -> [f32; 64] {
        let mut s = [0.0f32; 64];
        for v in 0..BLOCK {
            for u in 0..BLOCK {
                let (su, sv) = (u.min(samples_x - 1), v.min(samples_y - 1));
                let mut sum = 0.0;
                let mut n = 0.0;
                for dy in 0..cy {
                    for dx in 0..cx {
                        let (x, y) = (su * cx + dx, sv * cy + dy);
                        if x < block.w && y < block.h {
                            sum += plane[(block.y0 + y) * stride + block.x0 + x];
                            n += 1.0;
                        }
                    }
                }
                s[v * BLOCK + u] = if n > 0.0 { sum / n - shift } else { 0.0 };
            }
        }
        s
    };
    let a = quantised(&sample(after), table);
    let b = quantised(&sample(before), table);
    for y in 0..block.h {
        for x in 0..block.w {
            let k = (y / cy).min(BLOCK - 1) * BLOCK + (x / cx).min(BLOCK - 1);
            change[(block.y0 + y) * stride + block.x0 + x] = a[k] - b[k];
        }
    }
}

/// A block through the forward DCT, rounded to the table's steps, and back.
fn quantised(block: &[f32; 64], table: &[f32; 64]) -> [f32; 64] {
    let c = cosines();
    // F = C · f · Cᵀ, rounded to the steps, and back: f = Cᵀ · F · C.
    let mut coeff = sandwich(|u, x| c[u * BLOCK + x], block);
    for (f, q) in coeff.iter_mut().zip(table) {
        *f = (*f / q).round() * q;
    }
    sandwich(|x, u| c[u * BLOCK + x], &coeff)
}

/// M · X · Mᵀ for an 8×8 `X`, with M given by its entries `m(row, column)`: rows, then columns.
fn sandwich(m: impl Fn(usize, usize) -> f32, x: &[f32; 64]) -> [f32; 64] {
    let mut rows = [0.0f32; 64];
    for y in 0..BLOCK {
        for u in 0..BLOCK {
            rows[y * BLOCK + u] = (0..BLOCK).map(|k| m(u, k) * x[y * BLOCK + k]).sum();
        }
    }
    std::array::from_fn(|i| {
        let (v, u) = (i / BLOCK, i % BLOCK);
        (0..BLOCK).map(|k| m(v, k) * rows[k * BLOCK + u]).sum()
    })
}

/// The orthonormal 8-point DCT-II matrix, `c[u·8 + x]`.
fn cosines() -> &'static [f32; 64] {
    static TABLE: OnceLock<[f32; 64]> = OnceLock::new();
    TABLE.get_or_init(|| {
        std::array::from_fn(|i| {
            let (u, x) = (i / BLOCK, i % BLOCK);
            let scale = if u == 0 { (1.0f64 / 8.0).sqrt() } else { 0.5 };
            (scale * ((2 * x + 1) as f64 * u as f64 * std::f64::consts::PI / 16.0).cos()) as f32
        })
    })
}

/// The JPEG zig-zag scan: `ZIGZAG[k]` is the natural (row-major) index of the k-th coefficient.
const ZIGZAG: [usize; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7,
    14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39,
    46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/// Reads the markers up to the first scan: the quantisation tables and the frame.
fn parse_header(bytes: &[u8]) -> Option<Header> {
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut tables: [Option<[u16; 64]>; 4] = [None; 4];
    let mut frame = None;
    let mut i = 2;
    loop {
        // Fill bytes may precede a marker.
        while *bytes.get(i)? == 0xFF && *bytes.get(i + 1)? == 0xFF {
            i += 1;
        }
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(i + 1)?;
        let len = u16::from_be_bytes([*bytes.get(i + 2)?, *bytes.get(i + 3)?]) as usize;
        let body = bytes.get(i + 4..i + 2 + len)?;
        match marker {
            0xDB => {
                let mut at = 0;
                while at < body.len() {
                    let pq = body[at] >> 4;
                    let slot = (body[at] & 0x0F) as usize;
                    at += 1;
                    let mut table = [0u16; 64];
                    for (k, &natural) in ZIGZAG.iter().enumerate() {
                        table[natural] = if pq == 0 {
                            u16::from(*body.get(at + k)?)
                        } else {
                            u16::from_be_bytes([*body.get(at + 2 * k)?, *body.get(at + 2 * k + 1)?])
                        };
                    }
                    at += if pq == 0 { 64 } else { 128 };
                    *tables.get_mut(slot)? = Some(table);
                }
            }
            // Baseline, extended and progressive Huffman frames.
            0xC0..=0xC2 => {
                let height = u16::from_be_bytes([*body.get(1)?, *body.get(2)?]) as u32;
                let width = u16::from_be_bytes([*body.get(3)?, *body.get(4)?]) as u32;
                let count = *body.get(5)? as usize;
                let mut components = Vec::with_capacity(count);
                for c in 0..count {
                    let part = body.get(6 + 3 * c..9 + 3 * c)?;
                    components.push((part[1] >> 4, part[1] & 0x0F, part[2]));
                }
                frame = Some((width, height, components));
            }
            // An Adobe marker saying the colours are stored as RGB or CMYK, not YCbCr.
            0xEE if body.starts_with(b"Adobe") && body.get(11).is_some_and(|&t| t != 1) => return None,
            // Start of scan: every table a scan uses comes before it.
            0xDA => break,
            _ => {}
        }
        i += 2 + len;
    }
    let (width, height, components) = frame?;
    if width == 0 || height == 0 || components.iter().any(|&(h, v, _)| h == 0 || v == 0) {
        return None;
    }
    Some(Header { width, height, tables, components })
}

/// How the photo reader turned this file upright, found by turning a small labelled image the
/// same way: whatever the orientation's name, the grid moves as the pixels did.
fn turn_of(bytes: &[u8]) -> Option<Turn> {
    let mut decoder = image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(bytes)).ok()?;
    let orientation = decoder.orientation().ok()?;
    // A 2×3 image whose values say where each pixel was: 10·x + y + 1.
    let labelled = image::GrayImage::from_fn(2, 3, |x, y| image::Luma([(10 * x + y + 1) as u8]));
    let mut turned = image::DynamicImage::ImageLuma8(labelled);
    turned.apply_orientation(orientation);
    let turned = turned.into_luma8();
    let origin = turned.get_pixel(0, 0).0[0] - 1;
    let next = turned.get_pixel(1, 0).0[0] - 1;
    let (sx0, sy0) = (origin / 10, origin % 10);
    let (sx1, sy1) = (next / 10, next % 10);
    let x_from_stored_y = sx0 == sx1;
    let flip_x = if x_from_stored_y { sy1 < sy0 } else { sx1 < sx0 };
    // The upright y axis runs along the other stored axis; it runs backwards if the upright
    // origin sits at that axis's far end.
    let flip_y = if x_from_stored_y { sx0 == 1 } else { sy0 == 2 };
    Some(Turn { x_from_stored_y, flip_x, flip_y })
}

#[cfg(test)]
mod tests;
