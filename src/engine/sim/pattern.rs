//! A progressive blue-noise point set on a torus.
//!
//! Every point carries a rank quantile `q` in (0, 1): the points with `q < f` form a grid-free
//! spread at `f` times the full density, for any `f`, with no two points crowding. Keeping a
//! point where `q < local density` therefore gives adaptive blue noise whose decision at each
//! point depends only on that point, so tiles and threads never change the result, and raising
//! the density (a later session) only ever adds dots.
//!
//! One point per unit² at full density; the renderer scales units to millimetres.

use crate::engine::rng::Rng;
use std::sync::OnceLock;

/// Points in one tile of the torus; the tile holds one point per unit area at full density.
pub const POINTS: usize = 4096;

/// Side of the torus in normalised units (unit density: side² = POINTS).
pub const SIDE: f64 = 64.0;

#[derive(Clone, Copy, Debug)]
pub struct PatternPoint {
    pub x: f64,
    pub y: f64,
    /// Rank quantile: `(rank + 0.5) / POINTS`.
    pub q: f32,
}

impl PatternPoint {
    /// Whether this point is a dot where the wanted share of full density is `share` (0–1).
    #[inline]
    pub fn kept(&self, share: f32) -> bool {
        self.q < share
    }
}

/// The points in rank order: every prefix is itself an even spread.
pub struct Pattern {
    pub points: Vec<PatternPoint>,
}

/// The pattern as generated once and shipped with the program: building it takes a moment,
/// and shipping the bytes also guarantees identical dots on every platform.
const SHIPPED: &[u8] = include_bytes!("../../../assets/dot-pattern.bin");

/// Bytes per point in the shipped form: x and y as little-endian f64, in rank order.
const POINT_BYTES: usize = 16;

/// The shared pattern: the shipped one, or (should it ever fail to decode) a fresh build.
pub fn pattern() -> &'static Pattern {
    static PATTERN: OnceLock<Pattern> = OnceLock::new();
    PATTERN.get_or_init(|| decode(SHIPPED).unwrap_or_else(generate))
}

/// The shipped form of a pattern (see [`POINT_BYTES`]).
pub fn encode(pattern: &Pattern) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(pattern.points.len() * POINT_BYTES);
    for p in &pattern.points {
        bytes.extend_from_slice(&p.x.to_le_bytes());
        bytes.extend_from_slice(&p.y.to_le_bytes());
    }
    bytes
}

fn decode(bytes: &[u8]) -> Option<Pattern> {
    if bytes.len() != POINTS * POINT_BYTES {
        return None;
    }
    let f64_at = |c: &[u8], i: usize| c.get(i..i + 8).and_then(|b| b.try_into().ok()).map(f64::from_le_bytes);
    let xy = bytes
        .chunks_exact(POINT_BYTES)
        .map(|c| Some((f64_at(c, 0)?, f64_at(c, 8)?)))
        .collect::<Option<Vec<_>>>()?;
    Some(ranked(xy))
}

/// Gives points listed in rank order their quantiles.
fn ranked(xy: Vec<(f64, f64)>) -> Pattern {
    let n = xy.len() as f64;
    let points = xy
        .into_iter()
        .enumerate()
        .map(|(rank, (x, y))| PatternPoint { x, y, q: ((rank as f64 + 0.5) / n) as f32 })
        .collect();
    Pattern { points }
}

#[inline]
fn torus_dist2(ax: f64, ay: f64, bx: f64, by: f64) -> f64 {
    let wrap = |d: f64| {
        let d = d.abs();
        d.min(SIDE - d)
    };
    let (dx, dy) = (wrap(ax - bx), wrap(ay - by));
    dx * dx + dy * dy
}

/// Closest two dots may ever sit at full density, in nominal spacings (`1 / sqrt(density)`).
const CORE: f64 = 0.62;

/// Largest extra clearance a dot may claim around itself, in nominal spacings.
const EXTRA: f64 = 0.9;

/// Skew of the extra clearance (`u^SKEW` for uniform `u`): most dots claim little, a few a lot.
const EXTRA_SKEW: i32 = 3;

/// Sharpness of the crowding weight used to choose which points the sparser shares drop.
const CROWDING_POWER: i32 = 8;

/// Builds the pattern from its fixed seed (`examples/make_sample.rs` ships the result).
///
/// The full set is thrown at random: each point claims a clearance of at least [`CORE`]
/// spacings and, now and then, more, and is kept only if it sits outside the clearance of every
/// point before it and they outside its own. That gives what hand work and natural follicles
/// look like at full density: never a clump, never a lattice, spacing that visibly varies.
/// The ranks then come from weighted sample elimination (Yuksel 2015): halving the set again and
/// again, always dropping the most crowded point, so each sparser share (an earlier session, the
/// front of a hairline) is an even spread of its own.
pub fn generate() -> Pattern {
    let full = scatter(&mut Rng::new(0x5EED_D075));
    let mut order = eliminate(&full);
    order.reverse();
    ranked(order.into_iter().map(|i| full[i]).collect())
}

/// Random sequential addition with a clearance of its own for every point.
fn scatter(rng: &mut Rng) -> Vec<(f64, f64)> {
    let reach = CORE + EXTRA;
    let grid = Grid::new(reach);
    let mut cells: Vec<Vec<u32>> = vec![Vec::new(); grid.n * grid.n];
    let mut points: Vec<(f64, f64)> = Vec::with_capacity(POINTS);
    let mut clearance: Vec<f64> = Vec::with_capacity(POINTS);
    // The constants leave plenty of room (about 170 000 throws fill the torus); a change that
    // packs it full should stop here rather than spin.
    let mut throws = 0u32;
    while points.len() < POINTS {
        throws += 1;
        assert!(throws < 10_000_000, "the dot pattern cannot fit {POINTS} points with these clearances");
        let c = (rng.range(0.0, SIDE), rng.range(0.0, SIDE));
        let own = CORE + EXTRA * rng.unit().powi(EXTRA_SKEW);
        let free = grid.near(&cells, c).all(|i| {
            let (x, y) = points[i];
            let apart = own.max(clearance[i]);
            torus_dist2(x, y, c.0, c.1) >= apart * apart
        });
        if free {
            cells[grid.cell_of(c)].push(points.len() as u32);
            points.push(c);
            clearance.push(own);
        }
    }
    points
}

/// The order in which weighted sample elimination drops points, down to the last one.
fn eliminate(points: &[(f64, f64)]) -> Vec<usize> {
    let mut alive: Vec<usize> = (0..points.len()).collect();
    let mut dropped = Vec::with_capacity(points.len());
    while alive.len() > 1 {
        let target = alive.len() / 2;
        // Twice the radius of discs packed hexagonally at the target count: the reach of crowding.
        let reach = (2.0 * SIDE * SIDE / (3f64.sqrt() * target as f64)).sqrt();
        let weight = |a: usize, b: usize| {
            let d = torus_dist2(points[a].0, points[a].1, points[b].0, points[b].1).sqrt();
            (1.0 - d.min(reach) / reach).powi(CROWDING_POWER)
        };
        let neighbours: Vec<Vec<(usize, f64)>> = alive
            .iter()
            .enumerate()
            .map(|(slot, &a)| {
                let near = alive.iter().enumerate().filter(|&(other, _)| other != slot);
                near.map(|(other, &b)| (other, weight(a, b))).filter(|&(_, w)| w > 0.0).collect()
            })
            .collect();
        let mut crowding: Vec<f64> = neighbours.iter().map(|n| n.iter().map(|&(_, w)| w).sum()).collect();
        let mut gone = vec![false; alive.len()];
        for _ in target..alive.len() {
            let mut worst: Option<usize> = None;
            for slot in (0..alive.len()).filter(|&s| !gone[s]) {
                if worst.is_none_or(|w| crowding[slot] > crowding[w]) {
                    worst = Some(slot);
                }
            }
            let Some(slot) = worst else { break };
            gone[slot] = true;
            dropped.push(alive[slot]);
            for &(other, w) in &neighbours[slot] {
                crowding[other] -= w;
            }
        }
        alive = alive.iter().zip(&gone).filter(|&(_, &g)| !g).map(|(&i, _)| i).collect();
    }
    dropped.extend(alive);
    dropped
}

/// A uniform bucket grid over the torus for neighbour look-ups.
struct Grid {
    n: usize,
    cell: f64,
}

impl Grid {
    fn new(min_cell: f64) -> Self {
        let n = ((SIDE / min_cell).floor() as usize).max(1);
        Self { n, cell: SIDE / n as f64 }
    }

    fn cell_of(&self, (x, y): (f64, f64)) -> usize {
        let cx = ((x / self.cell) as usize).min(self.n - 1);
        let cy = ((y / self.cell) as usize).min(self.n - 1);
        cy * self.n + cx
    }

    /// Indices of the points in the 3×3 cells around `p`: everything within one cell size.
    fn near<'a>(&'a self, cells: &'a [Vec<u32>], p: (f64, f64)) -> impl Iterator<Item = usize> + 'a {
        let n = self.n as i64;
        let cx = ((p.0 / self.cell) as i64).min(n - 1);
        let cy = ((p.1 / self.cell) as i64).min(n - 1);
        (-1..=1i64).flat_map(move |dy| {
            (-1..=1i64).flat_map(move |dx| {
                let cell = (cy + dy).rem_euclid(n) as usize * self.n + (cx + dx).rem_euclid(n) as usize;
                cells[cell].iter().map(|&i| i as usize)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Nearest-neighbour distances of the dots kept at `share` of full density, in nominal
    /// spacings (`1 / sqrt(density)`).
    fn nearest_neighbour_ratios(share: f32) -> Vec<f64> {
        let p = pattern();
        let kept: Vec<_> = p.points.iter().filter(|pt| pt.kept(share)).collect();
        let nominal = (SIDE * SIDE / kept.len() as f64).sqrt();
        kept.iter()
            .enumerate()
            .map(|(i, a)| {
                let d2 = kept
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, b)| torus_dist2(a.x, a.y, b.x, b.y))
                    .fold(f64::INFINITY, f64::min);
                d2.sqrt() / nominal
            })
            .collect()
    }

    /// Every share keeps dots apart; full density varies its spacing visibly (coefficient of
    /// variation 0.15–0.35, as hand work does), the sparser shares a little less but never
    /// settle into a lattice.
    #[test]
    fn every_share_keeps_dots_apart_and_full_density_varies_its_spacing() {
        for share in [0.1f32, 0.3, 0.5, 0.7, 0.85, 1.0] {
            let ratios = nearest_neighbour_ratios(share);
            let min = ratios.iter().copied().fold(f64::INFINITY, f64::min);
            let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
            let sd = (ratios.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / ratios.len() as f64).sqrt();
            let cv = sd / mean;
            assert!(min >= 0.6, "share {share}: closest pair at {min:.3} of the nominal spacing");
            let lowest_cv = if share == 1.0 { 0.15 } else { 0.1 };
            assert!((lowest_cv..0.35).contains(&cv), "share {share}: spacing CV {cv:.3}");
        }
    }

    #[test]
    fn the_shipped_pattern_is_what_the_generator_makes() {
        let fresh = generate();
        assert_eq!(encode(&fresh), SHIPPED, "regenerate assets/dot-pattern.bin with the make_sample example");
        assert_eq!(pattern().points.len(), POINTS);
    }
}
