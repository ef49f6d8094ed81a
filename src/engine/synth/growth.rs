//! Where hair grows: fullness, follicle sites, flow directions and follicular units.

use super::*;

/// Fraction of the full follicular-unit density present at each point, `[0, 1]`.
pub(super) enum Fullness {
    Constant(f32),
    /// The sample head's pattern, tabulated on a coarse grid: the pattern changes over
    /// millimetres, and per-pixel skin tinting reads it.
    Map(FieldTable<1>),
}

/// A smooth field of `N` values tabulated over the frame, read back with bilinear
/// interpolation: fields that vary over millimetres are computed once per table cell instead of
/// once per pixel.
pub(super) struct FieldTable<const N: usize> {
    pub(super) cell_mm: f32,
    pub(super) cols: usize,
    pub(super) rows: usize,
    pub(super) values: Vec<[f32; N]>,
}

impl<const N: usize> FieldTable<N> {
    pub(super) fn tabulate(frame: &Frame, cell_mm: f32, f: impl Fn(f32, f32) -> [f32; N]) -> Self {
        let cols = (frame.width_mm / cell_mm).ceil() as usize + 2;
        let rows = (frame.height_mm / cell_mm).ceil() as usize + 2;
        let mut values = Vec::with_capacity(cols * rows);
        for r in 0..rows {
            for c in 0..cols {
                values.push(f(c as f32 * cell_mm, r as f32 * cell_mm));
            }
        }
        Self { cell_mm, cols, rows, values }
    }

    pub(super) fn from_values(cell_mm: f32, cols: usize, rows: usize, values: Vec<[f32; N]>) -> Self {
        Self { cell_mm, cols, rows, values }
    }

    pub(super) fn at(&self, x_mm: f32, y_mm: f32) -> [f32; N] {
        let gx = (x_mm / self.cell_mm).clamp(0.0, (self.cols - 2) as f32);
        let gy = (y_mm / self.cell_mm).clamp(0.0, (self.rows - 2) as f32);
        let (ix, iy) = (gx as usize, gy as usize);
        let (fx, fy) = (gx - ix as f32, gy - iy as f32);
        let i = iy * self.cols + ix;
        let (a, b) = (&self.values[i], &self.values[i + 1]);
        let (c, d) = (&self.values[i + self.cols], &self.values[i + self.cols + 1]);
        std::array::from_fn(|k| lerp(lerp(a[k], b[k], fx), lerp(c[k], d[k], fx), fy))
    }
}

impl Fullness {
    pub(super) fn new(params: &ScalpParams, frame: &Frame) -> Self {
        match params.layout {
            HairLayout::Sample => {
                let pattern = SamplePattern::new(params.seed, frame);
                Self::Map(FieldTable::tabulate(frame, TABLE_CELL_MM, |x, y| [pattern.fullness(x, y)]))
            }
            HairLayout::Uniform { fu_per_mm2 } if fu_per_mm2 > 0.0 => Self::Constant(1.0),
            HairLayout::Uniform { .. } | HairLayout::Bald => Self::Constant(0.0),
            HairLayout::Patch { centre_mm, radius_mm, fu_per_mm2 } if fu_per_mm2 > 0.0 => {
                Self::Map(FieldTable::tabulate(frame, TABLE_CELL_MM, |x, y| {
                    let r = (x - centre_mm[0]).hypot(y - centre_mm[1]);
                    [smoothstep(radius_mm, radius_mm + PATCH_EDGE_MM, r)]
                }))
            }
            HairLayout::Patch { .. } => Self::Constant(0.0),
        }
    }

    pub(super) fn at(&self, x_mm: f32, y_mm: f32) -> f32 {
        match self {
            Self::Constant(v) => *v,
            Self::Map(table) => table.at(x_mm, y_mm)[0],
        }
    }
}

/// The sample head: Norwood-like recession with an M-shaped front and a thinning crown.
pub(super) struct SamplePattern {
    pub(super) width_mm: f32,
    pub(super) height_mm: f32,
    pub(super) crown_mm: [f32; 2],
    pub(super) boundary: Fbm,
    pub(super) crown_wobble: Fbm,
    pub(super) patches: Fbm,
}

/// Width over which the stubble around a bald patch thins out.
pub(super) const PATCH_EDGE_MM: f32 = 2.0;

/// Radius of the thinning crown.
pub(super) const CROWN_RADIUS_MM: f32 = 25.0;
/// Depth behind the front edge over which density ramps from sparse to full.
pub(super) const HAIRLINE_RAMP_MM: f32 = 9.0;

impl SamplePattern {
    pub(super) fn new(seed: u64, frame: &Frame) -> Self {
        Self {
            width_mm: frame.width_mm,
            height_mm: frame.height_mm,
            crown_mm: crown_centre_mm(frame),
            boundary: Fbm::new(seed, TAG_BOUNDARY, 14.0, 4, frame),
            crown_wobble: Fbm::new(seed, TAG_CROWN, 16.0, 3, frame),
            patches: Fbm::new(seed, TAG_PATCHES, 9.0, 2, frame),
        }
    }

    pub(super) fn fullness(&self, x_mm: f32, y_mm: f32) -> f32 {
        let front = self.front_fullness(x_mm, y_mm);
        let crown = self.crown_fullness(x_mm, y_mm);
        let patchy = 0.94 + 0.06 * self.patches.at(x_mm, y_mm);
        (front * crown * patchy).clamp(0.0, 1.0)
    }

    /// Distance of the front hairline from the top edge, in mm, as a function of x: a frontal
    /// tuft in the middle, deep temple recessions either side, side hair reaching the top edge.
    pub(super) fn hairline_y_mm(&self, x_mm: f32) -> f32 {
        let u = x_mm / self.width_mm;
        let bump = |centre: f32, width: f32| {
            let d = (u - centre) / width;
            detmath::exp(-d * d)
        };
        let temples = 0.13 * (bump(0.24, 0.11) + bump(0.76, 0.11));
        let tuft = 0.04 * bump(0.5, 0.1);
        let sides = 0.45 * (smoothstep(0.14, 0.02, u) + smoothstep(0.86, 0.98, u));
        let wobble = 0.04 * self.boundary.at(x_mm, 0.0);
        (0.24 + temples - tuft - sides + wobble) * self.height_mm
    }

    pub(super) fn front_fullness(&self, x_mm: f32, y_mm: f32) -> f32 {
        // Two-dimensional noise makes the edge irregular at several scales (islands, gaps).
        let jitter_mm = 3.0 * self.boundary.at(x_mm + 37.0, y_mm * 1.3);
        let behind_mm = y_mm - self.hairline_y_mm(x_mm) + jitter_mm;
        let ramp = smoothstep(-2.0, HAIRLINE_RAMP_MM, behind_mm);
        // A few miniaturised stragglers stay on the bare front.
        0.035 + 0.965 * ramp
    }

    pub(super) fn crown_fullness(&self, x_mm: f32, y_mm: f32) -> f32 {
        let dx = (x_mm - self.crown_mm[0]) / 1.1;
        let dy = y_mm - self.crown_mm[1];
        let r_mm = (dx * dx + dy * dy).sqrt();
        let r_mm = r_mm * (1.0 + 0.22 * self.crown_wobble.at(x_mm, y_mm));
        0.03 + 0.97 * smoothstep(0.15 * CROWN_RADIUS_MM, 1.15 * CROWN_RADIUS_MM, r_mm)
    }
}

pub(super) fn crown_centre_mm(frame: &Frame) -> [f32; 2] {
    [frame.width_mm * 0.5, frame.height_mm * 0.62]
}

/// Grid spacing of follicle sites: one site per cell.
pub(super) fn site_spacing_mm(layout: &HairLayout) -> f32 {
    let density = match layout {
        HairLayout::Uniform { fu_per_mm2 } | HairLayout::Patch { fu_per_mm2, .. }
            if *fu_per_mm2 > 0.0 && fu_per_mm2.is_finite() =>
        {
            fu_per_mm2.min(MAX_FU_PER_MM2)
        }
        _ => FULL_SITE_DENSITY_PER_MM2,
    };
    1.0 / density.sqrt()
}

/// Probability that a site at full fullness carries hair.
pub(super) fn site_acceptance(layout: &HairLayout) -> f32 {
    match layout {
        // Leaves room for the patchiness of a real head while staying ≈ 1 FU/mm².
        HairLayout::Sample => 0.97,
        HairLayout::Uniform { .. } | HairLayout::Patch { .. } => 1.0,
        HairLayout::Bald => 0.0,
    }
}

/// A follicle opening on the skin, with or without hair.
pub(super) struct Site {
    pub(super) pos_mm: [f32; 2],
    pub(super) key: u64,
}

/// Follicle sites on a jittered grid: each cell takes the best of a few random candidates, the
/// one farthest from the sites already placed around it, which breaks up clumps and gives a
/// blue-noise-like spacing without a visible lattice.
pub(super) fn place_sites(seed: u64, frame: &Frame, spacing_mm: f32) -> Vec<Site> {
    pub(super) const CANDIDATES: usize = 4;
    let origin_mm = -SITE_MARGIN_MM;
    let cols = ((frame.width_mm + 2.0 * SITE_MARGIN_MM) / spacing_mm).ceil() as usize;
    let rows = ((frame.height_mm + 2.0 * SITE_MARGIN_MM) / spacing_mm).ceil() as usize;
    let mut sites: Vec<Site> = Vec::with_capacity(cols * rows);
    for r in 0..rows {
        for c in 0..cols {
            let key = hash3(seed, TAG_SITE, c as i64, r as i64);
            let mut rng = Rng::new(key);
            let mut best = [0.0; 2];
            let mut best_score = f32::NEG_INFINITY;
            for _ in 0..CANDIDATES {
                let candidate = [
                    origin_mm + (c as f32 + unit_f32(&mut rng)) * spacing_mm,
                    origin_mm + (r as f32 + unit_f32(&mut rng)) * spacing_mm,
                ];
                let score = earlier_neighbours(c, r, cols)
                    .map(|i| {
                        let n = sites[i].pos_mm;
                        let (dx, dy) = (n[0] - candidate[0], n[1] - candidate[1]);
                        dx * dx + dy * dy
                    })
                    .fold(f32::INFINITY, f32::min);
                if score > best_score {
                    best_score = score;
                    best = candidate;
                }
            }
            sites.push(Site { pos_mm: best, key });
        }
    }
    sites
}

/// Indices of the already-placed cells around `(c, r)` in row-major order.
pub(super) fn earlier_neighbours(c: usize, r: usize, cols: usize) -> impl Iterator<Item = usize> {
    let offsets: [(isize, isize); 4] = [(-1, 0), (-1, -1), (0, -1), (1, -1)];
    offsets.into_iter().filter_map(move |(dc, dr)| {
        let nc = c.checked_add_signed(dc)?;
        let nr = r.checked_add_signed(dr)?;
        (nc < cols).then_some(nr * cols + nc)
    })
}

/// Growth direction of hair on the scalp surface: a clockwise whorl at the crown opening out
/// into hair that points away from it, pulled towards the forehead on the top of the head.
pub(super) struct DirectionField {
    pub(super) crown_mm: [f32; 2],
    pub(super) wobble: Fbm,
}

pub(super) const WHORL_TWIST_RAD: f32 = 1.25;
pub(super) const WHORL_CORE_MM: f32 = 16.0;
pub(super) const FRONT_PULL: f32 = 1.1;
pub(super) const DIRECTION_WOBBLE_RAD: f32 = 0.35;

impl DirectionField {
    pub(super) fn new(seed: u64, frame: &Frame) -> Self {
        Self { crown_mm: crown_centre_mm(frame), wobble: Fbm::new(seed, TAG_FLOW, 12.0, 3, frame) }
    }

    pub(super) fn at(&self, p_mm: [f32; 2]) -> [f32; 2] {
        let (dx, dy) = (p_mm[0] - self.crown_mm[0], p_mm[1] - self.crown_mm[1]);
        let r_mm = (dx * dx + dy * dy).sqrt();
        let radial = if r_mm > 1e-3 { [dx / r_mm, dy / r_mm] } else { [0.0, -1.0] };
        let core = r_mm / WHORL_CORE_MM;
        let spiral = rotate(radial, WHORL_TWIST_RAD / (1.0 + core * core));
        // Ahead of the crown (towards the top edge) hair lies forward.
        let forward = FRONT_PULL * smoothstep(self.crown_mm[1] - 5.0, 0.0, p_mm[1]);
        let v = [spiral[0], spiral[1] - forward];
        let len = (v[0] * v[0] + v[1] * v[1]).sqrt().max(1e-6);
        rotate([v[0] / len, v[1] / len], DIRECTION_WOBBLE_RAD * self.wobble.at(p_mm[0], p_mm[1]))
    }
}

/// One hair shaft as seen from above.
pub(super) struct Hair {
    /// Where the shaft leaves the skin.
    pub(super) root_mm: [f32; 2],
    /// Unit vector along the visible shaft.
    pub(super) dir: [f32; 2],
    pub(super) length_mm: f32,
    pub(super) width_mm: f32,
    pub(super) opacity: f32,
    pub(super) albedo: [f32; 3],
}

/// A group of 1–3 hairs sharing one opening.
pub(super) struct FollicularUnit {
    pub(super) exit_mm: [f32; 2],
    pub(super) dir: [f32; 2],
    /// How much melanin the buried shafts carry, for the shadow they cast through the skin.
    pub(super) pigment: f32,
    pub(super) hairs: Vec<Hair>,
}

/// Turns sites into follicular units according to the layout.
pub(super) struct Growth<'a> {
    pub(super) fullness: &'a Fullness,
    pub(super) directions: &'a DirectionField,
    pub(super) palette: &'a Palette,
    pub(super) acceptance: f32,
}

impl Growth<'_> {
    pub(super) fn grow(&self, site: &Site) -> Option<FollicularUnit> {
        let mut rng = Rng::new(hash3(site.key, TAG_GROWTH, 0, 0));
        let fullness = self.fullness.at(site.pos_mm[0], site.pos_mm[1]);
        if unit_f32(&mut rng) >= fullness * self.acceptance {
            return None;
        }
        let hair_number = hairs_per_unit(&mut rng, fullness);
        // Thinning also miniaturises the hairs that remain.
        let terminal_chance = smoothstep(0.08, 0.75, fullness);
        let base_dir = rotate(self.directions.at(site.pos_mm), FU_DIRECTION_JITTER_RAD * gaussish(&mut rng));
        let side = [-base_dir[1], base_dir[0]];
        let centre = (hair_number as f32 - 1.0) * 0.5;
        let mut hairs = Vec::with_capacity(hair_number);
        for k in 0..hair_number {
            // Hairs of a unit stand side by side across the growth direction, fanning slightly.
            let slot = k as f32 - centre;
            let offset_mm = slot * FU_HAIR_SPACING_MM + HAIR_ROOT_JITTER_MM * gaussish(&mut rng);
            let along_mm = HAIR_ROOT_JITTER_MM * gaussish(&mut rng);
            let root_mm = [
                site.pos_mm[0] + side[0] * offset_mm + base_dir[0] * along_mm,
                site.pos_mm[1] + side[1] * offset_mm + base_dir[1] * along_mm,
            ];
            let fan_rad = slot * FU_HAIR_FAN_RAD + HAIR_DIRECTION_JITTER_RAD * gaussish(&mut rng);
            let dir = rotate(base_dir, fan_rad);
            let terminal = unit_f32(&mut rng) < terminal_chance;
            hairs.push(self.shaft(&mut rng, root_mm, dir, terminal));
        }
        let mean_terminal_width_mm = 0.5 * (TERMINAL_WIDTH_MM.0 + TERMINAL_WIDTH_MM.1);
        let pigment = hairs
            .iter()
            .map(|h| h.width_mm / mean_terminal_width_mm * h.opacity * (1.0 - luminance(h.albedo)))
            .sum();
        Some(FollicularUnit { exit_mm: site.pos_mm, dir: base_dir, pigment, hairs })
    }

    pub(super) fn shaft(&self, rng: &mut Rng, root_mm: [f32; 2], dir: [f32; 2], terminal: bool) -> Hair {
        let hair = self.palette.hair;
        if terminal {
            let shade = 0.8 + 0.4 * unit_f32(rng);
            Hair {
                root_mm,
                dir,
                length_mm: terminal_length_mm(rng),
                width_mm: lerp(TERMINAL_WIDTH_MM.0, TERMINAL_WIDTH_MM.1, unit_f32(rng)),
                opacity: 0.93,
                albedo: hair.map(|c| c * shade),
            }
        } else {
            // Miniaturised hair carries little pigment: it reads closer to the skin colour.
            let pale = 0.3 + 0.3 * unit_f32(rng);
            let skin = self.palette.skin;
            Hair {
                root_mm,
                dir,
                length_mm: vellus_length_mm(rng),
                width_mm: lerp(VELLUS_WIDTH_MM.0, VELLUS_WIDTH_MM.1, unit_f32(rng)),
                opacity: 0.75,
                albedo: [0, 1, 2].map(|c| lerp(hair[c], skin[c] * 0.7, pale)),
            }
        }
    }
}

/// 1–3 hairs, two on average on a full scalp; thinning removes hairs from units before it
/// removes whole units.
pub(super) fn hairs_per_unit(rng: &mut Rng, fullness: f32) -> usize {
    1 + usize::from(unit_f32(rng) < 0.75 * fullness) + usize::from(unit_f32(rng) < 0.25 * fullness)
}

pub(super) fn terminal_length_mm(rng: &mut Rng) -> f32 {
    let (lo, hi) = TERMINAL_LENGTH_RANGE_MM;
    let z = gaussish(rng);
    (TERMINAL_LENGTH_MEDIAN_MM * detmath::exp(TERMINAL_LENGTH_SIGMA * z)).clamp(lo, hi)
}

pub(super) fn vellus_length_mm(rng: &mut Rng) -> f32 {
    let (lo, hi) = VELLUS_LENGTH_RANGE_MM;
    let z = gaussish(rng);
    (VELLUS_LENGTH_MEDIAN_MM * detmath::exp(0.45 * z)).clamp(lo, hi)
}
