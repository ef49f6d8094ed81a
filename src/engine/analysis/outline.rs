//! The head's outline on a photo of the whole head: where scalp ends and the wall, the
//! shoulders or the shirt begin.
//!
//! Seen from above, a head is a round blob near the middle of the frame, so its outline is a
//! closed curve around a centre, one radius per direction. The curve is found the way GrabCut
//! separates an object from its surroundings, restricted to such star shapes, where the best
//! curve is an exact dynamic programme over the directions: colour models of the head (skin and
//! hair, from the middle of the frame) and of the surroundings (from its border) score every
//! cell; the curve keeps the head-like cells inside, follows strong colour edges and changes its
//! radius only gradually; the models are then refitted to the two sides and the curve found
//! again. A robust low-order Fourier fit finally smooths it to the skull, so an ear or a
//! shoulder that bulges from it stays outside.
//!
//! Heads are 150–190 mm wide, so the photo's scale bounds the radius; a close-up whose frame is
//! smaller than a head has no outline (all of it is scalp), nor has a photo whose middle and
//! border cannot be told apart.

use image::RgbImage;

/// Cells along the longer side of the frame the outline is found on.
const GRID_CELLS: u32 = 128;

/// Directions the outline is traced in.
const DIRECTIONS: usize = 128;

/// Typical half-width of a head seen from above, and the share of it the outline may shrink or
/// grow to.
const HEAD_RADIUS_MM: f32 = 80.0;
const RADIUS_RANGE: (f32, f32) = (0.55, 1.6);

/// Shortest side of a frame that holds a whole head seen from above, mm: the narrowest heads
/// are about 130 mm across.
const MIN_FRAME_MM: f32 = 130.0;

/// Largest change of radius between neighbouring directions, cells, and its cost per cell.
const MAX_STEP: i64 = 2;
const STEP_COST: f32 = 0.6;

/// Weight of colour edges against the colour models.
const EDGE_WEIGHT: f32 = 3.0;

/// Cells either side of a boundary whose scores tell which side is the head.
const EDGE_SIDE: usize = 3;

/// Components of each colour model.
const COMPONENTS: usize = 5;

/// Rounds of fitting the models and finding the curve.
const ROUNDS: usize = 3;

/// Harmonics of the smoothed outline: enough for a skull, too few for an ear.
const HARMONICS: usize = 3;

/// Distance from the curve, cells, beyond which a cell surely belongs to its side.
const SURE_CELLS: f32 = 4.0;

/// Deviation from the smooth outline, in robust deviations, beyond which a direction is a bulge
/// (an ear, a shoulder) and left out.
const OUTLIER_SCALES: f64 = 2.5;

/// Length either side of a boundary over which the refinement weighs head against
/// surroundings, mm.
const REFINE_SIDE_MM: f32 = 1.5;

/// How clearly the head's side and the surroundings must differ, in mean log-likelihood ratio,
/// for the outline to count.
const MIN_SEPARATION: f32 = 2.0;

/// A closed outline around a centre: one radius per direction.
#[derive(Clone, Debug, PartialEq)]
pub struct HeadOutline {
    /// Centre, px.
    pub centre: (f32, f32),
    /// Radius per direction (angle `2π i / n` from +x towards +y), px.
    pub radii: Vec<f32>,
}

impl HeadOutline {
    /// Signed distance from the outline at a point, px: positive inside the head. Measured
    /// along the ray from the centre, which for a round outline is close to the true distance.
    pub fn inside_px(&self, x: f32, y: f32) -> f32 {
        let (dx, dy) = (x - self.centre.0, y - self.centre.1);
        let r = dx.hypot(dy);
        let n = self.radii.len();
        let a = dy.atan2(dx).rem_euclid(std::f32::consts::TAU) / std::f32::consts::TAU * n as f32;
        let i = (a.floor() as usize) % n;
        let f = a - a.floor();
        let edge = self.radii[i] * (1.0 - f) + self.radii[(i + 1) % n] * f;
        edge - r
    }
}

/// A Gaussian mixture with diagonal covariances over 3-D colour features.
struct Mixture {
    weight: Vec<f32>,
    mean: Vec<[f32; 3]>,
    var: Vec<[f32; 3]>,
}

impl Mixture {
    /// Fits `COMPONENTS` components to the samples by EM, each sample weighted.
    fn fit(samples: &[[f32; 3]], weights: &[f32]) -> Option<Mixture> {
        let total: f32 = weights.iter().sum();
        if total < 8.0 {
            return None;
        }
        // Start from components spread along the brightness of the weighted samples.
        let mut order: Vec<usize> = (0..samples.len()).filter(|&i| weights[i] > 0.5).collect();
        if order.len() < COMPONENTS {
            return None;
        }
        order.sort_by(|&a, &b| samples[a][0].total_cmp(&samples[b][0]));
        let mut mean: Vec<[f32; 3]> = (0..COMPONENTS)
            .map(|k| samples[order[((k as f32 + 0.5) / COMPONENTS as f32 * order.len() as f32) as usize]])
            .collect();
        let spread: [f32; 3] = std::array::from_fn(|c| {
            let m = samples.iter().zip(weights).map(|(s, w)| s[c] * w).sum::<f32>() / total;
            samples.iter().zip(weights).map(|(s, w)| w * (s[c] - m).powi(2)).sum::<f32>() / total + 1e-3
        });
        let mut var = vec![spread; COMPONENTS];
        let mut weight = vec![1.0 / COMPONENTS as f32; COMPONENTS];
        let mut resp = vec![[0.0f32; COMPONENTS]; samples.len()];
        for _ in 0..6 {
            let model = Mixture { weight: weight.clone(), mean: mean.clone(), var: var.clone() };
            for (i, s) in samples.iter().enumerate() {
                let logs: [f32; COMPONENTS] = std::array::from_fn(|k| model.component_log(k, s));
                let top = logs.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                let mut sum = 0.0;
                for k in 0..COMPONENTS {
                    resp[i][k] = (logs[k] - top).exp();
                    sum += resp[i][k];
                }
                for r in resp[i].iter_mut() {
                    *r *= weights[i] / sum;
                }
            }
            for k in 0..COMPONENTS {
                let nk: f32 = resp.iter().map(|r| r[k]).sum::<f32>() + 1e-6;
                mean[k] = std::array::from_fn(|c| {
                    resp.iter().zip(samples).map(|(r, s)| r[k] * s[c]).sum::<f32>() / nk
                });
                var[k] = std::array::from_fn(|c| {
                    resp.iter().zip(samples).map(|(r, s)| r[k] * (s[c] - mean[k][c]).powi(2)).sum::<f32>()
                        / nk
                        + 1e-3
                });
                weight[k] = (nk / total).max(1e-4);
            }
        }
        Some(Mixture { weight, mean, var })
    }

    fn component_log(&self, k: usize, s: &[f32; 3]) -> f32 {
        let terms = s.iter().zip(&self.mean[k]).zip(&self.var[k]);
        self.weight[k].ln() - terms.map(|((v, m), var)| 0.5 * ((v - m).powi(2) / var + var.ln())).sum::<f32>()
    }

    fn log_likelihood(&self, s: &[f32; 3]) -> f32 {
        let logs: Vec<f32> = (0..self.weight.len()).map(|k| self.component_log(k, s)).collect();
        let top = logs.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        top + logs.iter().map(|l| (l - top).exp()).sum::<f32>().ln()
    }
}

/// Finds the head's outline on `photo` taken at `px_per_mm`, or `None` where the frame shows
/// no head against surroundings (a close-up of the scalp, or nothing to tell them apart).
pub fn find(photo: &RgbImage, px_per_mm: f32) -> Option<HeadOutline> {
    let (w, h) = photo.dimensions();
    let cell = (w.max(h) as f32 / GRID_CELLS as f32).ceil().max(1.0) as u32;
    let (cols, rows) = (w.div_ceil(cell) as usize, h.div_ceil(cell) as usize);
    let cell_mm = cell as f32 / px_per_mm;
    let expected = HEAD_RADIUS_MM / cell_mm;
    let (r_min, r_max) = (expected * RADIUS_RANGE.0, expected * RADIUS_RANGE.1);
    // A frame too small to hold a whole head shows only scalp: its border is scalp too (the
    // stubble around a bald crown), not the surroundings.
    if (cols.min(rows) as f32) * cell_mm < MIN_FRAME_MM {
        return None;
    }
    let features = cell_features(photo, cell, cols, rows);
    let edges = edge_strength(&features, cols, rows);
    let border = |c: usize, r: usize| {
        let band = (0.05 * cols.max(rows) as f32).ceil() as usize;
        c < band || r < band || c + band >= cols || r + band >= rows
    };
    let mut centre = (cols as f32 * 0.5, rows as f32 * 0.5);
    let start = (0.4 * cols.min(rows) as f32).min(expected);
    let mut inside: Vec<bool> = (0..cols * rows)
        .map(|i| ((i % cols) as f32 + 0.5 - centre.0).hypot((i / cols) as f32 + 0.5 - centre.1) < start)
        .collect();
    let mut radii = vec![0.0f32; DIRECTIONS];
    let mut centre_traced = centre;
    let mut models: Option<(Mixture, Mixture)> = None;
    let mut score = vec![0.0f32; cols * rows];
    for round in 0..ROUNDS {
        // Each model learns from cells clearly on its side: a curve a little off at the
        // boundary must not teach the head the wall's colour.
        let depth = |i: usize| {
            if round == 0 {
                return if inside[i] { f32::INFINITY } else { f32::NEG_INFINITY };
            }
            let (x, y) = ((i % cols) as f32 + 0.5, (i / cols) as f32 + 0.5);
            ray_inside(&radii, centre_traced, x, y)
        };
        let head_w: Vec<f32> =
            (0..cols * rows).map(|i| if depth(i) > SURE_CELLS { 1.0 } else { 0.0 }).collect();
        let around_w: Vec<f32> = (0..cols * rows)
            .map(|i| if border(i % cols, i / cols) || depth(i) < -SURE_CELLS { 1.0 } else { 0.0 })
            .collect();
        let head = Mixture::fit(&features, &head_w)?;
        let around = Mixture::fit(&features, &around_w)?;
        models = Some((head, around));
        let Some((head, around)) = &models else { return None };
        for (s, f) in score.iter_mut().zip(&features) {
            *s = (head.log_likelihood(f) - around.log_likelihood(f)).clamp(-4.0, 4.0);
        }
        radii = trace(&score, &edges, cols, rows, centre, (r_min, r_max));
        centre_traced = centre;
        inside = (0..cols * rows)
            .map(|i| {
                let (x, y) = ((i % cols) as f32 + 0.5, (i / cols) as f32 + 0.5);
                ray_inside(&radii, centre, x, y) > 0.0
            })
            .collect();
        let (mut sx, mut sy, mut n) = (0.0f32, 0.0f32, 0.0f32);
        for (i, &inn) in inside.iter().enumerate() {
            if inn {
                sx += (i % cols) as f32 + 0.5;
                sy += (i / cols) as f32 + 0.5;
                n += 1.0;
            }
        }
        if n < 1.0 {
            return None;
        }
        // The next round traces around the middle of what this one found.
        if round + 1 < ROUNDS {
            centre = (sx / n, sy / n);
        }
    }
    let smooth = robust_fourier(&radii);
    // The two sides must differ: a frame of scalp alone gives no clear separation.
    let (mut in_sum, mut in_n, mut out_sum, mut out_n) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
    for (i, &s) in score.iter().enumerate() {
        let (x, y) = ((i % cols) as f32 + 0.5, (i / cols) as f32 + 0.5);
        if ray_inside(&smooth, centre, x, y) > 0.0 {
            in_sum += s;
            in_n += 1.0;
        } else {
            out_sum += s;
            out_n += 1.0;
        }
    }
    if in_n < 1.0 || out_n < 1.0 || in_sum / in_n - out_sum / out_n < MIN_SEPARATION {
        return None;
    }
    // The traced curve is precise to a cell where it follows the head; where it bulges beyond
    // the smooth outline (round an ear, onto a shoulder) the smooth outline stands. Either way
    // the outline errs inward, where a missing dot is safer than a dot on the wall.
    let kept: Vec<f32> = radii.iter().zip(&smooth).map(|(&r, &s)| r.min(s)).collect();
    let n = kept.len();
    let median: Vec<f32> = (0..n)
        .map(|i| {
            let mut three = [kept[(i + n - 1) % n], kept[i], kept[(i + 1) % n]];
            three.sort_by(f32::total_cmp);
            three[1]
        })
        .collect();
    let (head, around) = models.as_ref()?;
    let centre_px = (centre.0 * cell as f32, centre.1 * cell as f32);
    let coarse: Vec<f32> = median.iter().map(|r| r * cell as f32).collect();
    let fine = refine(photo, head, around, centre_px, &coarse, cell as f32, px_per_mm);
    Some(HeadOutline { centre: centre_px, radii: fine })
}

/// Colour features of one pixel, as [`cell_features`] gives them for a cell.
fn pixel_features(p: [u8; 3]) -> [f32; 3] {
    let [r, g, b] = p.map(|v| v as f32 / 255.0);
    [2.0 * (r + g + b), 3.0 * (r - g), 3.0 * (0.5 * (r + g) - b)]
}

/// Moves each direction's radius, at the photo's own resolution, to where head-like pixels
/// inside meet surroundings outside, within a cell or so of the coarse curve, never outward
/// of it by more than a cell (the coarse curve already leaves bulges out).
fn refine(
    photo: &RgbImage,
    head: &Mixture,
    around: &Mixture,
    centre: (f32, f32),
    radii: &[f32],
    cell_px: f32,
    px_per_mm: f32,
) -> Vec<f32> {
    let (w, h) = photo.dimensions();
    let side = (REFINE_SIDE_MM * px_per_mm).ceil().max(2.0) as usize;
    let reach = 1.5 * cell_px;
    let snapped: Vec<f32> = radii
        .iter()
        .enumerate()
        .map(|(d, &r0)| {
            let a = d as f32 / radii.len() as f32 * std::f32::consts::TAU;
            let (ca, sa) = (a.cos(), a.sin());
            let first = (r0 - reach - side as f32).max(0.0) as usize;
            let last = (r0 + reach + side as f32).ceil() as usize;
            // Head-likeness of each pixel along the ray (0 beyond the frame).
            let score: Vec<f32> = (first..=last)
                .map(|r| {
                    let (x, y) = (centre.0 + ca * r as f32, centre.1 + sa * r as f32);
                    if x < 0.0 || y < 0.0 || x >= w as f32 || y >= h as f32 {
                        return 0.0;
                    }
                    let f = pixel_features(photo.get_pixel(x as u32, y as u32).0);
                    (head.log_likelihood(&f) - around.log_likelihood(&f)).clamp(-4.0, 4.0)
                })
                .collect();
            let mut best = (r0, f32::NEG_INFINITY);
            let lo = (r0 - reach).max(side as f32) as usize;
            let hi = (r0 + reach) as usize;
            for r in lo..=hi {
                let i = r.saturating_sub(first);
                if i < side || i + side > score.len() {
                    continue;
                }
                let inside: f32 = score[i - side..i].iter().sum();
                let outside: f32 = score[i..i + side].iter().sum();
                let parting = inside - outside;
                if parting > best.1 {
                    best = (r as f32, parting);
                }
            }
            best.0.min(r0 + cell_px)
        })
        .collect();
    let n = snapped.len();
    (0..n)
        .map(|i| {
            let mut five =
                [-2i64, -1, 0, 1, 2].map(|k| snapped[(i as i64 + k).rem_euclid(n as i64) as usize]);
            five.sort_by(f32::total_cmp);
            five[2]
        })
        .collect()
}

/// Mean colour per cell as features: brightness and two opponent axes, in sRGB units.
fn cell_features(photo: &RgbImage, cell: u32, cols: usize, rows: usize) -> Vec<[f32; 3]> {
    let mut sums = vec![[0.0f32; 4]; cols * rows];
    for (x, y, p) in photo.enumerate_pixels() {
        let s = &mut sums[(y / cell) as usize * cols + (x / cell) as usize];
        for (sum, &v) in s.iter_mut().zip(&p.0) {
            *sum += v as f32 / 255.0;
        }
        s[3] += 1.0;
    }
    sums.iter()
        .map(|s| {
            let n = s[3].max(1.0);
            let (r, g, b) = (s[0] / n, s[1] / n, s[2] / n);
            [2.0 * (r + g + b), 3.0 * (r - g), 3.0 * (0.5 * (r + g) - b)]
        })
        .collect()
}

/// Colour gradient magnitude per cell.
fn edge_strength(features: &[[f32; 3]], cols: usize, rows: usize) -> Vec<f32> {
    let at = |c: usize, r: usize| features[r.min(rows - 1) * cols + c.min(cols - 1)];
    (0..cols * rows)
        .map(|i| {
            let (c, r) = (i % cols, i / cols);
            let (l, rt) = (at(c.saturating_sub(1), r), at(c + 1, r));
            let (u, d) = (at(c, r.saturating_sub(1)), at(c, r + 1));
            let mut g = 0.0f32;
            for k in 0..3 {
                g += (0.5 * (rt[k] - l[k])).powi(2) + (0.5 * (d[k] - u[k])).powi(2);
            }
            g.sqrt()
        })
        .collect()
}

/// Signed distance inside an outline of `radii` around `centre` along the ray (grid units).
fn ray_inside(radii: &[f32], centre: (f32, f32), x: f32, y: f32) -> f32 {
    let outline = HeadOutline { centre, radii: radii.to_vec() };
    outline.inside_px(x, y)
}

/// The best closed curve around `centre`: for each direction the radius that keeps the most
/// head-like cells inside and sits on strong edges, changing gradually between directions.
fn trace(
    score: &[f32],
    edges: &[f32],
    cols: usize,
    rows: usize,
    centre: (f32, f32),
    range: (f32, f32),
) -> Vec<f32> {
    let max_r = ((cols * cols + rows * rows) as f32).sqrt().ceil() as usize + 2;
    let (r_lo, r_hi) = (range.0.floor().max(1.0) as usize, (range.1.ceil() as usize).min(max_r - 1));
    // Per direction: the gain of placing the boundary at each radius.
    let gains: Vec<Vec<f32>> = (0..DIRECTIONS)
        .map(|d| {
            let a = d as f32 / DIRECTIONS as f32 * std::f32::consts::TAU;
            let (ca, sa) = (a.cos(), a.sin());
            let along: Vec<(f32, f32)> = (0..max_r)
                .map(|r| {
                    let (x, y) = (centre.0 + ca * r as f32, centre.1 + sa * r as f32);
                    let within = x >= 0.0 && y >= 0.0 && (x as usize) < cols && (y as usize) < rows;
                    if within {
                        let i = y as usize * cols + x as usize;
                        (score[i], edges[i])
                    } else {
                        (0.0, 0.0)
                    }
                })
                .collect();
            let mut total = 0.0f32;
            (0..max_r)
                .map(|r| {
                    total += along[r].0;
                    // An edge counts where it parts head-like cells inside from surroundings
                    // outside, not any edge (an ear's rim, the fringe's).
                    let mean = |a: usize, b: usize| {
                        let (a, b) = (a.min(max_r), b.min(max_r));
                        if b > a {
                            along[a..b].iter().map(|v| v.0).sum::<f32>() / (b - a) as f32
                        } else {
                            0.0
                        }
                    };
                    let parting =
                        (mean(r.saturating_sub(EDGE_SIDE), r + 1) - mean(r + 1, r + 1 + EDGE_SIDE)).max(0.0);
                    total + EDGE_WEIGHT * along[r].1 * (parting / 8.0).min(1.0)
                })
                .collect()
        })
        .collect();
    // Dynamic programme over one and a half turns; the middle turn is the closed curve.
    let steps = DIRECTIONS * 3 / 2;
    let mut best = vec![f32::NEG_INFINITY; max_r];
    for (r, b) in best.iter_mut().enumerate().take(r_hi + 1).skip(r_lo) {
        *b = gains[0][r];
    }
    let mut back = vec![vec![0i8; max_r]; steps];
    for (t, back_t) in back.iter_mut().enumerate().skip(1) {
        let g = &gains[t % DIRECTIONS];
        let mut next = vec![f32::NEG_INFINITY; max_r];
        for r in r_lo..=r_hi {
            let mut top = f32::NEG_INFINITY;
            let mut arg = 0i8;
            for dr in -MAX_STEP..=MAX_STEP {
                let p = r as i64 - dr;
                if p < r_lo as i64 || p > r_hi as i64 {
                    continue;
                }
                let v = best[p as usize] - STEP_COST * dr.abs() as f32;
                if v > top {
                    top = v;
                    arg = dr as i8;
                }
            }
            next[r] = top + g[r];
            back_t[r] = arg;
        }
        best = next;
    }
    let mut r = (r_lo..=r_hi).max_by(|&a, &b| best[a].total_cmp(&best[b])).unwrap_or(r_lo) as i64;
    let mut path = vec![0usize; steps];
    for t in (0..steps).rev() {
        path[t] = r as usize;
        if t > 0 {
            r -= back[t][r as usize] as i64;
        }
    }
    let mut radii = vec![0.0f32; DIRECTIONS];
    for t in DIRECTIONS / 4..DIRECTIONS / 4 + DIRECTIONS {
        radii[t % DIRECTIONS] = path[t] as f32 + 0.5;
    }
    radii
}

/// A low-order Fourier series fitted to the radii with Tukey's biweight, so bulges (an ear,
/// a shoulder) are left out rather than averaged in.
fn robust_fourier(radii: &[f32]) -> Vec<f32> {
    let n = radii.len();
    let terms = 1 + 2 * HARMONICS;
    let basis = |i: usize, k: usize| -> f64 {
        let a = i as f64 / n as f64 * std::f64::consts::TAU;
        match k {
            0 => 1.0,
            k if k % 2 == 1 => (a * k.div_ceil(2) as f64).cos(),
            k => (a * (k / 2) as f64).sin(),
        }
    };
    let mut weights = vec![1.0f64; n];
    let mut fitted: Vec<f64> = radii.iter().map(|&r| r as f64).collect();
    for _ in 0..8 {
        // Weighted least squares by the normal equations.
        let mut ata = vec![0.0f64; terms * terms];
        let mut atb = vec![0.0f64; terms];
        for i in 0..n {
            for a in 0..terms {
                let ba = basis(i, a) * weights[i];
                atb[a] += ba * radii[i] as f64;
                for b in 0..terms {
                    ata[a * terms + b] += ba * basis(i, b);
                }
            }
        }
        let Some(coef) = solve(&mut ata, &mut atb, terms) else { break };
        fitted = (0..n).map(|i| (0..terms).map(|k| coef[k] * basis(i, k)).sum()).collect();
        let mut residuals: Vec<f64> = radii.iter().zip(&fitted).map(|(&r, f)| (r as f64 - f).abs()).collect();
        residuals.sort_by(f64::total_cmp);
        let scale = 1.4826 * residuals[n / 2] + 0.3;
        for i in 0..n {
            let u = (radii[i] as f64 - fitted[i]) / (OUTLIER_SCALES * scale);
            weights[i] = if u.abs() < 1.0 { (1.0 - u * u).powi(2) } else { 0.0 };
        }
    }
    fitted.iter().map(|&r| r.max(1.0) as f32).collect()
}

/// Solves `a x = b` (n × n) by Gaussian elimination with partial pivoting.
fn solve(a: &mut [f64], b: &mut [f64], n: usize) -> Option<Vec<f64>> {
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs()))?;
        if a[pivot * n + col].abs() < 1e-12 {
            return None;
        }
        for k in 0..n {
            a.swap(col * n + k, pivot * n + k);
        }
        b.swap(col, pivot);
        for row in col + 1..n {
            let f = a[row * n + col] / a[col * n + col];
            for k in col..n {
                a[row * n + k] -= f * a[col * n + k];
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = vec![0.0f64; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row * n + k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row * n + row];
    }
    Some(x)
}
