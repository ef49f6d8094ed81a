//! A progressive blue-noise point set on a torus.
//!
//! Every point carries a rank quantile `q` in (0, 1): the points with `q < f` form an even,
//! grid-free spread at `f` times the full density, for any `f`. Keeping a point where
//! `q < local density` therefore gives adaptive blue noise whose decision at each point depends
//! only on that point, so tiles and threads never change the result, and raising the density
//! (a later session) only ever adds dots.
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
    /// Acceptance gain in (0, 1]: the point becomes a dot where `q < fraction · density · gain`.
    pub gain: f32,
}

impl PatternPoint {
    /// Whether this point is a dot where the wanted share of full density is `share` (0–1).
    #[inline]
    pub fn kept(&self, share: f32) -> bool {
        self.q < share * self.gain
    }
}

pub struct Pattern {
    pub points: Vec<PatternPoint>,
    /// Mean gain: the share of points kept at full density, which sets the pattern's scale.
    pub mean_gain: f64,
}

/// The pattern as generated once and shipped with the program: building it takes about a
/// second, and shipping the bytes also guarantees identical dots on every platform.
const SHIPPED: &[u8] = include_bytes!("../../../assets/dot-pattern.bin");

/// Bytes per point in the shipped form: x and y as f64, q and gain as f32, little-endian.
const POINT_BYTES: usize = 24;

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
        bytes.extend_from_slice(&p.q.to_le_bytes());
        bytes.extend_from_slice(&p.gain.to_le_bytes());
    }
    bytes
}

fn decode(bytes: &[u8]) -> Option<Pattern> {
    if bytes.len() != POINTS * POINT_BYTES {
        return None;
    }
    let f64_at = |c: &[u8], i: usize| c.get(i..i + 8).and_then(|b| b.try_into().ok()).map(f64::from_le_bytes);
    let f32_at = |c: &[u8], i: usize| c.get(i..i + 4).and_then(|b| b.try_into().ok()).map(f32::from_le_bytes);
    let points = bytes
        .chunks_exact(POINT_BYTES)
        .map(|c| {
            Some(PatternPoint { x: f64_at(c, 0)?, y: f64_at(c, 8)?, q: f32_at(c, 16)?, gain: f32_at(c, 20)? })
        })
        .collect::<Option<Vec<_>>>()?;
    let mean_gain = points.iter().map(|p| p.gain as f64).sum::<f64>() / POINTS as f64;
    Some(Pattern { points, mean_gain })
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

/// Exclusion radius of every prefix, in nominal spacings of that prefix: no two dots crowd.
const RELATIVE_RADIUS: f64 = 0.70;

/// Lowest acceptance gain: where the smooth gain field is lowest, only this share of the
/// pattern's points can become dots.
const MIN_GAIN: f64 = 0.8;

/// Smooth periodic field in [0, 1] over the torus: a few waves with whole periods per side.
fn gain_field(x: f64, y: f64) -> f64 {
    const WAVES: [(f64, f64, f64); 5] =
        [(19.0, 8.0, 0.3), (-11.0, 19.0, 1.9), (21.0, -13.0, 4.1), (5.0, 23.0, 2.6), (-22.0, -5.0, 5.3)];
    let k = std::f64::consts::TAU / SIDE;
    let sum: f64 = WAVES.iter().map(|&(fx, fy, phase)| (k * (fx * x + fy * y) + phase).sin()).sum();
    (0.5 + 0.5 * sum / (0.5 * WAVES.len() as f64).sqrt()).clamp(0.0, 1.0)
}

/// How far the soft repulsion reaches, in multiples of the hard radius.
const SOFT_REACH: f64 = 1.5;

/// Chance that a new point survives a neighbour at squared distance `d2`: never within the
/// hard radius, certainly beyond `SOFT_REACH` times it, and increasingly likely in between.
#[inline]
fn soft_core(d2: f64, radius: f64) -> f64 {
    let u = (d2.sqrt() / radius - 1.0) / (SOFT_REACH - 1.0);
    u.clamp(0.0, 1.0)
}

/// Pushes the field toward its ends so that spacing varies visibly, not just a little everywhere.
fn contrast(t: f64) -> f64 {
    let s = t * t * (3.0 - 2.0 * t);
    s * s * (3.0 - 2.0 * s)
}

/// Progressive Poisson-disk sampling: point `k` is thrown at random until it is at least
/// `r(k) = RELATIVE_RADIUS · sqrt(area / k)` from every earlier point, so each prefix of `k`
/// points is itself a Poisson-disk set for its own density. Each point also gets a gain from a
/// smooth field, which lets spacing breathe gently from place to place, as in hand work and
/// in natural follicle patterns, instead of settling into an even lattice.
/// Builds the pattern from its fixed seed (`examples/make_sample.rs` ships the result).
pub fn generate() -> Pattern {
    let mut rng = Rng::new(0x5EED_D075);
    let area = SIDE * SIDE;
    let final_radius = RELATIVE_RADIUS * (area / POINTS as f64).sqrt();
    let grid = Grid::new(final_radius);
    let mut cells: Vec<Vec<u32>> = vec![Vec::new(); grid.n * grid.n];
    let mut points: Vec<(f64, f64)> = Vec::with_capacity(POINTS);
    for k in 1..=POINTS {
        let mut radius = RELATIVE_RADIUS * (area / k as f64).sqrt();
        let mut tries = 0u32;
        let p = loop {
            let candidate = (rng.range(0.0, SIDE), rng.range(0.0, SIDE));
            let acceptance = if points.len() < 256 {
                points
                    .iter()
                    .map(|&(x, y)| soft_core(torus_dist2(x, y, candidate.0, candidate.1), radius))
                    .product()
            } else {
                grid.acceptance(&cells, &points, candidate, radius)
            };
            if acceptance > 0.0 && rng.unit() < acceptance {
                break candidate;
            }
            tries += 1;
            if tries.is_multiple_of(256) {
                radius *= 0.98;
            }
        };
        cells[grid.cell_of(p)].push(points.len() as u32);
        points.push(p);
    }
    let points: Vec<PatternPoint> = points
        .into_iter()
        .enumerate()
        .map(|(rank, (x, y))| PatternPoint {
            x,
            y,
            q: ((rank as f64 + 0.5) / POINTS as f64) as f32,
            gain: (MIN_GAIN + (1.0 - MIN_GAIN) * contrast(gain_field(x, y))) as f32,
        })
        .collect();
    let mean_gain = points.iter().map(|p| p.gain as f64).sum::<f64>() / POINTS as f64;
    Pattern { points, mean_gain }
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

    /// Product of the soft-core acceptances of every point near `p`.
    fn acceptance(&self, cells: &[Vec<u32>], points: &[(f64, f64)], p: (f64, f64), radius: f64) -> f64 {
        let reach = (radius * SOFT_REACH / self.cell).ceil() as i64;
        let n = self.n as i64;
        let cx = (p.0 / self.cell) as i64;
        let cy = (p.1 / self.cell) as i64;
        let mut acceptance = 1.0;
        for dy in -reach..=reach {
            for dx in -reach..=reach {
                let cell = (cy + dy).rem_euclid(n) as usize * self.n + (cx + dx).rem_euclid(n) as usize;
                for &i in &cells[cell] {
                    let (x, y) = points[i as usize];
                    acceptance *= soft_core(torus_dist2(x, y, p.0, p.1), radius);
                    if acceptance <= 0.0 {
                        return 0.0;
                    }
                }
            }
        }
        acceptance
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

    #[test]
    fn every_share_is_evenly_spread_but_not_a_grid() {
        for share in [0.1f32, 0.3, 0.7, 1.0] {
            let ratios = nearest_neighbour_ratios(share);
            let min = ratios.iter().copied().fold(f64::INFINITY, f64::min);
            let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
            let sd = (ratios.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / ratios.len() as f64).sqrt();
            let cv = sd / mean;
            assert!(min >= 0.6, "share {share}: closest pair at {min:.3} of the nominal spacing");
            assert!((0.1..0.35).contains(&cv), "share {share}: spacing CV {cv:.3}");
        }
    }

    #[test]
    fn the_shipped_pattern_is_what_the_generator_makes() {
        let fresh = generate();
        assert_eq!(encode(&fresh), SHIPPED, "regenerate assets/dot-pattern.bin with the make_sample example");
        assert_eq!(pattern().points.len(), POINTS);
    }

    #[test]
    fn kept_share_follows_the_requested_share() {
        let p = pattern();
        for share in [0.3f32, 0.7, 1.0] {
            let kept = p.points.iter().filter(|pt| pt.kept(share)).count() as f64;
            let expected = share as f64 * p.mean_gain * POINTS as f64;
            assert!(
                (kept / expected - 1.0).abs() < 0.03,
                "share {share}: {kept} kept, {expected:.0} expected"
            );
        }
    }
}
