//! Square grey-level min/max filters and box counts at a small cost per pixel whatever the
//! radius, run in horizontal bands on every core.
//!
//! Small windows (a few pixels, as hairs in most photos need) are combined directly, whole rows
//! at a time. Larger ones use van Herk / Gil-Werman running extrema: the line is cut into blocks
//! as long as the window, each block gets a running extremum from its start and one from its
//! end, and any window is the extremum of one value from each. The square filter is a
//! horizontal pass followed by a vertical one; both clamp at the image edges (pixels outside do
//! not take part), exactly as a straightforward filter over the part of the window inside.

use rayon::prelude::*;

/// Which extremum a filter keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extremum {
    /// Grey dilation.
    Max,
    /// Grey erosion.
    Min,
}

/// Up to this radius the window is combined directly, whole rows at a time: `2r` vector
/// operations per pixel beat the running extrema's three scalar ones and their extra passes.
const DIRECT_MAX_RADIUS: usize = 3;

/// Rows of output per parallel band of the vertical passes: enough to keep the band's overlap
/// with its neighbours (the window's height) small, few enough to spread over the cores.
const BAND_ROWS: usize = 64;

/// Replaces `image` (`w`×`h`, row-major) by its min or max over the `(2r+1)²` square around
/// each pixel.
pub fn square_filter(image: &mut [u16], w: usize, h: usize, r: usize, extremum: Extremum) {
    match extremum {
        Extremum::Max => square_with(image, w, h, r, |a: u16, b: u16| a.max(b), u16::MIN),
        Extremum::Min => square_with(image, w, h, r, |a: u16, b: u16| a.min(b), u16::MAX),
    }
}

fn square_with<F>(image: &mut [u16], w: usize, h: usize, r: usize, op: F, identity: u16)
where
    F: Fn(u16, u16) -> u16 + Copy + Send + Sync,
{
    debug_assert_eq!(image.len(), w * h);
    if r == 0 || w == 0 || h == 0 {
        return;
    }
    let mut across = vec![identity; w * h];
    if r <= DIRECT_MAX_RADIUS {
        image.par_chunks(w).zip(across.par_chunks_mut(w)).for_each(|(src, out)| {
            out.copy_from_slice(src);
            for d in 1..=r.min(w - 1) {
                combine(&mut out[d..], &src[..w - d], op);
                combine(&mut out[..w - d], &src[d..], op);
            }
        });
        image.par_chunks_mut(w).enumerate().for_each(|(y, out)| {
            out.copy_from_slice(&across[y * w..(y + 1) * w]);
            for d in 1..=r {
                if let Some(above) = y.checked_sub(d) {
                    combine(out, &across[above * w..(above + 1) * w], op);
                }
                if y + d < h {
                    combine(out, &across[(y + d) * w..(y + d + 1) * w], op);
                }
            }
        });
        return;
    }
    image.par_chunks(w).zip(across.par_chunks_mut(w)).for_each_init(
        || (Vec::new(), Vec::new(), Vec::new()),
        |(padded, forward, backward), (src, out)| {
            padded.clear();
            padded.resize(r, identity);
            padded.extend_from_slice(src);
            padded.resize(w + 2 * r, identity);
            running_line(padded, r, op, forward, backward);
            for (x, o) in out.iter_mut().enumerate() {
                *o = op(backward[x], forward[x + 2 * r]);
            }
        },
    );
    image.par_chunks_mut(BAND_ROWS * w).enumerate().for_each(|(band, out)| {
        vertical_band(&across, w, h, r, band * BAND_ROWS, out, op, identity);
    });
}

/// `out[i] = op(out[i], src[i])`, a loop the compiler turns into vector instructions.
#[inline]
fn combine<F: Fn(u16, u16) -> u16>(out: &mut [u16], src: &[u16], op: F) {
    for (o, &s) in out.iter_mut().zip(src) {
        *o = op(*o, s);
    }
}

/// Running extrema of `line` from each block's start (`forward`) and end (`backward`), blocks
/// being `2r+1` long.
fn running_line<F: Fn(u16, u16) -> u16>(
    line: &[u16],
    r: usize,
    op: F,
    forward: &mut Vec<u16>,
    backward: &mut Vec<u16>,
) {
    let k = 2 * r + 1;
    let n = line.len();
    forward.resize(n, 0);
    backward.resize(n, 0);
    for (i, &v) in line.iter().enumerate() {
        forward[i] = if i % k == 0 { v } else { op(forward[i - 1], v) };
    }
    for i in (0..n).rev() {
        backward[i] = if i % k == k - 1 || i == n - 1 { line[i] } else { op(backward[i + 1], line[i]) };
    }
}

/// The vertical pass for output rows `y0 .. y0 + out.len() / w`, whole rows at a time so the
/// inner loops run along memory.
#[allow(clippy::too_many_arguments)]
fn vertical_band<F: Fn(u16, u16) -> u16 + Copy>(
    src: &[u16],
    w: usize,
    h: usize,
    r: usize,
    y0: usize,
    out: &mut [u16],
    op: F,
    identity: u16,
) {
    let k = 2 * r + 1;
    let rows = out.len() / w;
    // Band row j holds source row y0 + j − r (outside the image: the identity).
    let m = rows + 2 * r;
    let source = |j: usize| -> Option<&[u16]> {
        let y = (y0 + j).checked_sub(r)?;
        (y < h).then(|| &src[y * w..(y + 1) * w])
    };
    let mut forward = vec![identity; m * w];
    for j in 0..m {
        let (before, rest) = forward.split_at_mut(j * w);
        let row = &mut rest[..w];
        let start = j % k == 0;
        match (source(j), start) {
            (Some(s), true) => row.copy_from_slice(s),
            (Some(s), false) => {
                let prev = &before[(j - 1) * w..];
                for ((o, &p), &v) in row.iter_mut().zip(prev).zip(s) {
                    *o = op(p, v);
                }
            }
            (None, true) => row.fill(identity),
            (None, false) => row.copy_from_slice(&before[(j - 1) * w..]),
        }
    }
    let mut backward = vec![identity; m * w];
    for j in (0..m).rev() {
        let (head, after) = backward.split_at_mut((j + 1) * w);
        let row = &mut head[j * w..];
        let end = j % k == k - 1 || j == m - 1;
        match (source(j), end) {
            (Some(s), true) => row.copy_from_slice(s),
            (Some(s), false) => {
                for ((o, &p), &v) in row.iter_mut().zip(&after[..w]).zip(s) {
                    *o = op(p, v);
                }
            }
            (None, true) => row.fill(identity),
            (None, false) => row.copy_from_slice(&after[..w]),
        }
    }
    for (y, row) in out.chunks_mut(w).enumerate() {
        let b = &backward[y * w..(y + 1) * w];
        let f = &forward[(y + 2 * r) * w..(y + 2 * r + 1) * w];
        for ((o, &b), &f) in row.iter_mut().zip(b).zip(f) {
            *o = op(b, f);
        }
    }
}

/// For each pixel, the share of non-zero `mask` pixels in the `(2r+1)²` square around it, over
/// the part of the square inside the image, as 0–65535.
pub fn box_share(mask: &[u8], w: usize, h: usize, r: usize) -> Vec<u16> {
    box_average(mask, w, h, r, |m| u32::from(m > 0), 1.0)
}

/// For each pixel, the mean of `values` (0–255) in the `(2r+1)²` square around it, over the part
/// of the square inside the image, as 0–65535.
pub fn box_mean(values: &[u8], w: usize, h: usize, r: usize) -> Vec<u16> {
    box_average(values, w, h, r, u32::from, 1.0 / 255.0)
}

/// Box means of `weight` of each pixel, times `unit`, as 0–65535.
fn box_average(mask: &[u8], w: usize, h: usize, r: usize, weight: fn(u8) -> u32, unit: f32) -> Vec<u16> {
    debug_assert_eq!(mask.len(), w * h);
    if w == 0 || h == 0 {
        return Vec::new();
    }
    // Set pixels in each row's window; at most 2r+1, and r is bounded by the photo's scale.
    let mut across = vec![0u32; w * h];
    mask.par_chunks(w).zip(across.par_chunks_mut(w)).for_each_init(Vec::new, |prefix, (src, out)| {
        prefix.clear();
        prefix.push(0u32);
        let mut sum = 0u32;
        for &m in src {
            sum += weight(m);
            prefix.push(sum);
        }
        for (x, o) in out.iter_mut().enumerate() {
            *o = prefix[(x + r + 1).min(w)] - prefix[x.saturating_sub(r)];
        }
    });
    let inverse_across: Vec<f32> =
        (0..w).map(|x| 1.0 / ((x + r + 1).min(w) - x.saturating_sub(r)) as f32).collect();
    let mut share = vec![0u16; w * h];
    share.par_chunks_mut(BAND_ROWS * w).enumerate().for_each(|(band, out)| {
        let y0 = band * BAND_ROWS;
        let mut column = vec![0u32; w];
        for y in y0.saturating_sub(r)..(y0 + r + 1).min(h) {
            for (c, &v) in column.iter_mut().zip(&across[y * w..(y + 1) * w]) {
                *c += v;
            }
        }
        for (row, out) in out.chunks_mut(w).enumerate() {
            let y = y0 + row;
            let rows_in = ((y + r + 1).min(h) - y.saturating_sub(r)) as f32;
            let scale = 65535.0 * unit / rows_in;
            for ((o, &c), &inv) in out.iter_mut().zip(&column).zip(&inverse_across) {
                *o = (c as f32 * inv * scale + 0.5) as u16;
            }
            if y + r + 1 < h {
                let add = &across[(y + r + 1) * w..(y + r + 2) * w];
                for (c, &v) in column.iter_mut().zip(add) {
                    *c += v;
                }
            }
            if y >= r {
                let sub = &across[(y - r) * w..(y - r + 1) * w];
                for (c, &v) in column.iter_mut().zip(sub) {
                    *c -= v;
                }
            }
        }
    });
    share
}

/// Which pixels touch: edges only, or edges and corners.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Neighbours {
    Four,
    Eight,
}

/// Calls `visit` with the pixel indices of each connected group of pixels for which `on` holds,
/// in a `w` × `h` image, in order of each group's first pixel.
pub fn for_each_component(
    w: usize,
    h: usize,
    neighbours: Neighbours,
    on: impl Fn(usize) -> bool,
    mut visit: impl FnMut(&[usize]),
) {
    let mut seen = vec![false; w * h];
    let mut stack = Vec::new();
    let mut group = Vec::new();
    for start in 0..w * h {
        if seen[start] || !on(start) {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        group.clear();
        while let Some(i) = stack.pop() {
            group.push(i);
            let (x, y) = (i % w, i / w);
            for ny in y.saturating_sub(1)..=(y + 1).min(h - 1) {
                for nx in x.saturating_sub(1)..=(x + 1).min(w - 1) {
                    let corner = nx != x && ny != y;
                    let j = ny * w + nx;
                    if (corner && neighbours == Neighbours::Four) || seen[j] || !on(j) {
                        continue;
                    }
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
        visit(&group);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::Rng;

    /// The straightforward square filter: every pixel looks at its whole window.
    fn reference(src: &[u16], w: usize, h: usize, r: usize, extremum: Extremum) -> Vec<u16> {
        let mut out = vec![0; w * h];
        for y in 0..h {
            for x in 0..w {
                let window = (y.saturating_sub(r)..(y + r + 1).min(h))
                    .flat_map(|yy| (x.saturating_sub(r)..(x + r + 1).min(w)).map(move |xx| src[yy * w + xx]));
                out[y * w + x] = match extremum {
                    Extremum::Max => window.max().unwrap_or(0),
                    Extremum::Min => window.min().unwrap_or(0),
                };
            }
        }
        out
    }

    fn noise(w: usize, h: usize, seed: u64) -> Vec<u16> {
        let mut rng = Rng::new(seed);
        (0..w * h).map(|_| rng.range(0.0, 65535.0) as u16).collect()
    }

    #[test]
    fn running_extrema_equal_the_straightforward_filter_at_every_size() {
        // Sizes around the band height and radii wider than the image catch edge mistakes.
        for (w, h, r) in
            [(1, 1, 1), (7, 3, 1), (2, 9, 3), (13, 70, 2), (40, 130, 5), (70, 66, 4), (5, 9, 12), (64, 64, 0)]
        {
            let src = noise(w, h, (w * 1000 + h * 10 + r) as u64);
            for extremum in [Extremum::Max, Extremum::Min] {
                let mut fast = src.clone();
                square_filter(&mut fast, w, h, r, extremum);
                let slow = reference(&src, w, h, r, extremum);
                let differ = fast.iter().zip(&slow).filter(|(a, b)| a != b).count();
                assert_eq!(differ, 0, "{w}×{h}, r {r}, {extremum:?}: {differ} pixels differ");
            }
        }
    }

    #[test]
    fn components_join_by_edges_or_also_by_corners() {
        // Two pixels touching at a corner, and one apart.
        let on = [true, false, false, false, false, true, false, false, false, false, false, true];
        let count = |n| {
            let mut groups = Vec::new();
            for_each_component(4, 3, n, |i| on[i], |g| groups.push(g.len()));
            groups
        };
        assert_eq!(count(Neighbours::Eight), vec![2, 1]);
        assert_eq!(count(Neighbours::Four), vec![1, 1, 1]);
    }

    #[test]
    fn box_share_counts_set_pixels_in_the_window_inside_the_image() {
        for (w, h, r) in [(1, 1, 3), (9, 5, 1), (33, 150, 4), (20, 20, 30)] {
            let mut rng = Rng::new((w + h + r) as u64);
            let mask: Vec<u8> = (0..w * h).map(|_| if rng.range(0.0, 1.0) < 0.3 { 255 } else { 0 }).collect();
            let share = box_share(&mask, w, h, r);
            for y in 0..h {
                for x in 0..w {
                    let (ys, xs) =
                        (y.saturating_sub(r)..(y + r + 1).min(h), x.saturating_sub(r)..(x + r + 1).min(w));
                    let area = ys.len() * xs.len();
                    let set = ys
                        .flat_map(|yy| xs.clone().map(move |xx| (yy, xx)))
                        .filter(|&(yy, xx)| mask[yy * w + xx] > 0)
                        .count();
                    let expected = set as f64 / area as f64;
                    let got = share[y * w + x] as f64 / 65535.0;
                    assert!(
                        (got - expected).abs() < 1e-4,
                        "{w}×{h} r {r} at ({x}, {y}): {got} vs {expected}"
                    );
                }
            }
        }
    }
}
