//! Distance transforms shared by the per-render fields.

/// Two-pass chamfer distance transform (steps 1 and √2), in pixels (0 at seeds).
///
/// Each pass first takes the neighbours in the previous row for a whole row at once, which
/// vectorises, and then sweeps along the row, where each pixel waits for the one before it.
pub(super) fn chamfer(dist: &mut [f32], w: usize, h: usize) {
    let (a, b) = (1.0f32, std::f32::consts::SQRT_2);
    for y in 0..h {
        let (done, rest) = dist.split_at_mut(y * w);
        let row = &mut rest[..w];
        if y > 0 {
            let up = &done[(y - 1) * w..];
            from_neighbour_row(row, up, a, b);
        }
        for x in 1..w {
            row[x] = row[x].min(row[x - 1] + a);
        }
    }
    for y in (0..h).rev() {
        let (rest, done) = dist.split_at_mut((y + 1) * w);
        let row = &mut rest[y * w..];
        if y + 1 < h {
            let down = &done[..w];
            from_neighbour_row(row, down, a, b);
        }
        for x in (0..w.saturating_sub(1)).rev() {
            row[x] = row[x].min(row[x + 1] + a);
        }
    }
}

/// Distances through the row above (or below): straight across costs `a`, diagonally `b`.
#[inline]
fn from_neighbour_row(row: &mut [f32], other: &[f32], a: f32, b: f32) {
    let w = row.len();
    for x in 0..w {
        let mut d = row[x].min(other[x] + a);
        if x > 0 {
            d = d.min(other[x - 1] + b);
        }
        if x + 1 < w {
            d = d.min(other[x + 1] + b);
        }
        row[x] = d;
    }
}
