//! Deterministic randomness keyed by position.
//!
//! Every random choice in the engine is a pure function of a seed and integer coordinates, so a
//! render is the same on any machine, for any thread count and any tile order.

/// SplitMix64 finaliser: a fast, well-mixed 64-bit hash.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hash of a seed, a stream tag and two integer coordinates.
#[inline]
pub fn hash3(seed: u64, tag: u64, a: i64, b: i64) -> u64 {
    let h = mix64(seed ^ tag.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    let h = mix64(h ^ (a as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    mix64(h ^ (b as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F))
}

/// Maps a hash to a uniform value in `[0, 1)`.
#[inline]
pub fn unit(h: u64) -> f64 {
    (h >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Smooth value noise in `[0, 1]` with features about one unit across: hashed lattice values,
/// blended with a smoothstep. Deterministic for a seed and position.
pub fn value_noise(seed: u64, x: f64, y: f64) -> f64 {
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let (ix, iy) = (x0 as i64, y0 as i64);
    let corner = |dx: i64, dy: i64| unit(hash3(seed, 0x4015E, ix + dx, iy + dy));
    let s = |t: f64| t * t * (3.0 - 2.0 * t);
    let (sx, sy) = (s(fx), s(fy));
    let top = corner(0, 0) + (corner(1, 0) - corner(0, 0)) * sx;
    let bottom = corner(0, 1) + (corner(1, 1) - corner(0, 1)) * sx;
    top + (bottom - top) * sy
}

/// A small sequential generator for places where a stream of values hangs off one key.
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(key: u64) -> Self {
        Self { state: mix64(key) }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.state)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        unit(self.next_u64())
    }

    /// Uniform in `[lo, hi)`.
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Standard normal deviate (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(1e-12);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_values_are_spread_over_the_interval() {
        let mut rng = Rng::new(7);
        let values: Vec<f64> = (0..10_000).map(|_| rng.unit()).collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        assert!((mean - 0.5).abs() < 0.02, "mean {mean}");
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
    }

    #[test]
    fn hashes_differ_for_neighbouring_coordinates() {
        assert_ne!(hash3(1, 0, 0, 0), hash3(1, 0, 1, 0));
        assert_ne!(hash3(1, 0, 0, 0), hash3(1, 0, 0, 1));
        assert_ne!(hash3(1, 0, 0, 0), hash3(2, 0, 0, 0));
        assert_eq!(hash3(3, 4, 5, 6), hash3(3, 4, 5, 6));
    }
}
