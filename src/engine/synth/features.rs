//! Painting features: hair shafts, follicle shadows, buried haze, sun spots and pores.

use super::*;

/// Length of the overlap of `[centre − 0.5, centre + 0.5]` (a pixel's footprint) with
/// `[−half, half]`: exact box-filter coverage of a band, so strokes thinner than a pixel keep
/// their true area instead of bloating to one pixel.
pub(super) fn band_overlap(centre: f32, half: f32) -> f32 {
    ((centre + 0.5).min(half) - (centre - 0.5).max(-half)).max(0.0)
}

/// A hair shaft: an anti-aliased flat-ended stroke composited over the skin, lit by the dome,
/// with its geometric coverage recorded for the mask.
pub(super) fn paint_hair(canvas: &mut Canvas, hair: &Hair, lighting: &Lighting) {
    let frame = canvas.frame;
    let ppm = frame.px_per_mm;
    let root_px = [hair.root_mm[0] * ppm, hair.root_mm[1] * ppm];
    let length_px = hair.length_mm * ppm;
    let half_width_px = 0.5 * hair.width_mm * ppm;
    let tip_px = [root_px[0] + hair.dir[0] * length_px, root_px[1] + hair.dir[1] * length_px];
    let pad = half_width_px + 1.0;
    let xs = Frame::span(root_px[0].min(tip_px[0]) - pad, root_px[0].max(tip_px[0]) + pad, frame.width_px);
    let ys = Frame::span(root_px[1].min(tip_px[1]) - pad, root_px[1].max(tip_px[1]) + pad, frame.height_px);
    let mid_mm = [
        hair.root_mm[0] + 0.5 * hair.dir[0] * hair.length_mm,
        hair.root_mm[1] + 0.5 * hair.dir[1] * hair.length_mm,
    ];
    let normal = lighting.normal(mid_mm[0], mid_mm[1]);
    let light = lighting.diffuse(normal);
    let glint = 0.35 * lighting.sheen(normal);
    for y in ys {
        for x in xs.clone() {
            let q_px = [x as f32 + 0.5 - root_px[0], y as f32 + 0.5 - root_px[1]];
            let along_px = q_px[0] * hair.dir[0] + q_px[1] * hair.dir[1];
            let across_px = q_px[0] * hair.dir[1] - q_px[1] * hair.dir[0];
            let cover = band_overlap(across_px, half_width_px)
                * band_overlap(along_px - 0.5 * length_px, 0.5 * length_px);
            if cover <= 0.0 {
                continue;
            }
            // The cut tip stands proud of the skin and catches a little more light.
            let t = (along_px / length_px.max(1e-3)).clamp(0.0, 1.0);
            let lift = 0.8 + 0.45 * t;
            let alpha = cover * hair.opacity;
            let i = y * frame.width_px + x;
            let px = &mut canvas.rgb[i];
            for c in 0..3 {
                let shaft = hair.albedo[c] * light * lift + glint * LIGHT_RGB[c];
                px[c] = px[c] * (1.0 - alpha) + shaft * alpha;
            }
            let covered = &mut canvas.hair_cover[i];
            *covered = 1.0 - (1.0 - *covered) * (1.0 - cover);
        }
    }
}

/// Per-channel absorption of a buried hair shaft: red is absorbed most, so the shadow looks
/// blue-grey through the skin (the shaved-scalp "shadow").
pub(super) const FOLLICLE_ABSORPTION_RGB: [f32; 3] = [1.0, 0.82, 0.62];
pub(super) const FOLLICLE_SHADOW_STRENGTH: f32 = 0.4;
/// The buried shaft fades with this depth scale as it runs back under the skin.
pub(super) const FOLLICLE_DEPTH_FADE_MM: f32 = 0.3;
/// Beyond these distances the shadow is negligible.
pub(super) const FOLLICLE_BEHIND_MM: f32 = 1.0;
pub(super) const FOLLICLE_AHEAD_MM: f32 = 0.35;
pub(super) const FOLLICLE_SIGMA_MM: f32 = 0.1;
pub(super) const FOLLICLE_SPREAD: f32 = 0.1;

/// The shaft below the skin, seen through it: a soft comet running from the exit point back
/// against the growth direction, wider and fainter with depth, attenuating the skin
/// (Beer–Lambert) rather than painting over it.
pub(super) fn paint_follicle_shadow(canvas: &mut Canvas, unit: &FollicularUnit) {
    if unit.pigment <= 0.0 {
        return;
    }
    let frame = canvas.frame;
    let ppm = frame.px_per_mm;
    let exit_px = [unit.exit_mm[0] * ppm, unit.exit_mm[1] * ppm];
    let reach_px = FOLLICLE_BEHIND_MM * ppm;
    let xs = Frame::span(exit_px[0] - reach_px, exit_px[0] + reach_px, frame.width_px);
    let ys = Frame::span(exit_px[1] - reach_px, exit_px[1] + reach_px, frame.height_px);
    for y in ys {
        for x in xs.clone() {
            let q_mm = [(x as f32 + 0.5 - exit_px[0]) / ppm, (y as f32 + 0.5 - exit_px[1]) / ppm];
            let depth_mm = -(q_mm[0] * unit.dir[0] + q_mm[1] * unit.dir[1]);
            let across_mm = q_mm[0] * unit.dir[1] - q_mm[1] * unit.dir[0];
            let Some(density) = follicle_density(depth_mm, across_mm) else {
                continue;
            };
            let optical_depth = FOLLICLE_SHADOW_STRENGTH * unit.pigment * density;
            let px = &mut canvas.rgb[y * frame.width_px + x];
            for c in 0..3 {
                px[c] *= detmath::exp(-FOLLICLE_ABSORPTION_RGB[c] * optical_depth);
            }
        }
    }
}

/// Relative shadow density at a point `depth_mm` behind the exit point (negative: in front of
/// it) and `across_mm` to the side of the shaft's line; `None` where it is negligible.
pub(super) fn follicle_density(depth_mm: f32, across_mm: f32) -> Option<f32> {
    if !(-FOLLICLE_AHEAD_MM..FOLLICLE_BEHIND_MM).contains(&depth_mm) {
        return None;
    }
    let behind_mm = depth_mm.max(0.0);
    let sigma_mm = FOLLICLE_SIGMA_MM + FOLLICLE_SPREAD * behind_mm;
    let lateral = across_mm / sigma_mm;
    if lateral.abs() > 3.0 {
        return None;
    }
    let along = if depth_mm < 0.0 {
        let d = depth_mm / FOLLICLE_SIGMA_MM;
        -0.5 * d * d
    } else {
        -depth_mm / FOLLICLE_DEPTH_FADE_MM
    };
    // Spreading light dilutes the shadow as it widens.
    let dilution = FOLLICLE_SIGMA_MM / sigma_mm;
    Some(detmath::exp(along - 0.5 * lateral * lateral) * dilution)
}

/// Cell of the grid on which buried pigment is gathered before it is diffused.
pub(super) const HAZE_CELL_MM: f32 = 0.2;
/// Light diffusing in the dermis spreads the buried shafts' shadow over this distance.
pub(super) const HAZE_SIGMA_MM: f32 = 0.35;
/// Optical depth per unit of buried pigment per mm².
pub(super) const HAZE_STRENGTH: f32 = 0.08;

/// The cool grey cast that shaved hair gives the skin as a whole: every unit's buried pigment,
/// gathered on a coarse grid and diffused the way light spreads in the dermis, attenuates the
/// skin beneath.
pub(super) fn paint_buried_haze(canvas: &mut Canvas, units: &[FollicularUnit]) {
    let frame = canvas.frame;
    let cols = (frame.width_mm / HAZE_CELL_MM).ceil() as usize + 2;
    let rows = (frame.height_mm / HAZE_CELL_MM).ceil() as usize + 2;
    let mut pigment_per_mm2 = vec![0.0_f32; cols * rows];
    let per_cell = 1.0 / (HAZE_CELL_MM * HAZE_CELL_MM);
    for unit in units {
        // The shafts run back under the skin, so their pigment sits a little behind the exit.
        let gx = (unit.exit_mm[0] - 0.25 * unit.dir[0]) / HAZE_CELL_MM;
        let gy = (unit.exit_mm[1] - 0.25 * unit.dir[1]) / HAZE_CELL_MM;
        if gx < 0.0 || gy < 0.0 || gx >= (cols - 1) as f32 || gy >= (rows - 1) as f32 {
            continue;
        }
        let (ix, iy) = (gx as usize, gy as usize);
        let (fx, fy) = (gx - ix as f32, gy - iy as f32);
        let amount = unit.pigment * per_cell;
        let i = iy * cols + ix;
        pigment_per_mm2[i] += amount * (1.0 - fx) * (1.0 - fy);
        pigment_per_mm2[i + 1] += amount * fx * (1.0 - fy);
        pigment_per_mm2[i + cols] += amount * (1.0 - fx) * fy;
        pigment_per_mm2[i + cols + 1] += amount * fx * fy;
    }
    let blurred = gaussian_blur(&pigment_per_mm2, cols, rows, HAZE_SIGMA_MM / HAZE_CELL_MM);
    let attenuation = blurred
        .iter()
        .map(|&p| FOLLICLE_ABSORPTION_RGB.map(|k| detmath::exp(-k * HAZE_STRENGTH * p)))
        .collect();
    let table = FieldTable::from_values(HAZE_CELL_MM, cols, rows, attenuation);
    for y in 0..frame.height_px {
        let y_mm = frame.centre_mm(y);
        let row = &mut canvas.rgb[y * frame.width_px..(y + 1) * frame.width_px];
        for (x, px) in row.iter_mut().enumerate() {
            let a = table.at(frame.centre_mm(x), y_mm);
            for c in 0..3 {
                px[c] *= a[c];
            }
        }
    }
}

/// Separable Gaussian blur of a scalar grid, clamping at the borders.
pub(super) fn gaussian_blur(values: &[f32], cols: usize, rows: usize, sigma_cells: f32) -> Vec<f32> {
    gaussian_blur_reaching(values, cols, rows, sigma_cells, 3.0)
}

/// [`gaussian_blur`] with the kernel cut `reach` σ from its centre.
pub(super) fn gaussian_blur_reaching(
    values: &[f32],
    cols: usize,
    rows: usize,
    sigma_cells: f32,
    reach: f32,
) -> Vec<f32> {
    let radius = (reach * sigma_cells).ceil() as isize;
    let weights: Vec<f32> = (-radius..=radius)
        .map(|d| {
            let t = d as f32 / sigma_cells;
            detmath::exp(-0.5 * t * t)
        })
        .collect();
    let total: f32 = weights.iter().sum();
    let weights: Vec<f32> = weights.iter().map(|w| w / total).collect();
    let pass = |src: &[f32], len: usize, index: &dyn Fn(usize, usize) -> usize, lines: usize| {
        let mut dst = vec![0.0_f32; src.len()];
        for line in 0..lines {
            for i in 0..len {
                let mut sum = 0.0;
                for (k, w) in weights.iter().enumerate() {
                    let j = (i as isize + k as isize - radius).clamp(0, len as isize - 1);
                    sum += w * src[index(line, j as usize)];
                }
                dst[index(line, i)] = sum;
            }
        }
        dst
    };
    let across = pass(values, cols, &|r, c| r * cols + c, rows);
    pass(&across, rows, &|c, r| r * cols + c, cols)
}

/// Sun spots are scattered on a grid of this pitch, at most one per cell.
pub(super) const SUN_SPOT_PITCH_MM: f32 = 9.0;
/// Chance that a cell of fully bare skin carries a spot.
pub(super) const SUN_SPOT_CHANCE: f32 = 0.3;
pub(super) const SUN_SPOT_RADIUS_MM: (f32, f32) = (0.8, 2.6);
/// Per-channel darkening at a spot's centre: light brown.
pub(super) const SUN_SPOT_TINT: [f32; 3] = [0.06, 0.085, 0.11];

/// Faint light-brown solar lentigines, mostly on skin that lost its hair: without them a bald
/// scalp looks like plastic.
pub(super) fn paint_sun_spots(canvas: &mut Canvas, seed: u64, fullness: &Fullness) {
    let frame = canvas.frame;
    let edge = NoiseGrid::new(seed, TAG_SPOT_EDGE, 0.6, &frame);
    let cols = (frame.width_mm / SUN_SPOT_PITCH_MM).ceil() as usize;
    let rows = (frame.height_mm / SUN_SPOT_PITCH_MM).ceil() as usize;
    for r in 0..rows {
        for c in 0..cols {
            let mut rng = Rng::new(hash3(seed, TAG_SUN_SPOT, c as i64, r as i64));
            let centre_mm = [
                (c as f32 + unit_f32(&mut rng)) * SUN_SPOT_PITCH_MM,
                (r as f32 + unit_f32(&mut rng)) * SUN_SPOT_PITCH_MM,
            ];
            let bare = 1.0 - fullness.at(centre_mm[0], centre_mm[1]);
            if unit_f32(&mut rng) >= SUN_SPOT_CHANCE * bare * bare {
                continue;
            }
            let radius_mm = lerp(SUN_SPOT_RADIUS_MM.0, SUN_SPOT_RADIUS_MM.1, unit_f32(&mut rng));
            let strength = 0.4 + 0.6 * unit_f32(&mut rng);
            paint_sun_spot(canvas, &edge, centre_mm, radius_mm, strength);
        }
    }
}

pub(super) fn paint_sun_spot(
    canvas: &mut Canvas,
    edge: &NoiseGrid,
    centre_mm: [f32; 2],
    radius_mm: f32,
    strength: f32,
) {
    let frame = canvas.frame;
    let ppm = frame.px_per_mm;
    let reach_px = 1.5 * radius_mm * ppm;
    let (cx, cy) = (centre_mm[0] * ppm, centre_mm[1] * ppm);
    let xs = Frame::span(cx - reach_px, cx + reach_px, frame.width_px);
    let ys = Frame::span(cy - reach_px, cy + reach_px, frame.height_px);
    for y in ys {
        let y_mm = frame.centre_mm(y);
        for x in xs.clone() {
            let x_mm = frame.centre_mm(x);
            let (dx, dy) = (x_mm - centre_mm[0], y_mm - centre_mm[1]);
            let d = (dx * dx + dy * dy).sqrt() / radius_mm + 0.3 * edge.at(x_mm, y_mm);
            let amount = strength * smoothstep(1.0, 0.35, d);
            if amount <= 0.0 {
                continue;
            }
            let px = &mut canvas.rgb[y * frame.width_px + x];
            for c in 0..3 {
                px[c] *= 1.0 - SUN_SPOT_TINT[c] * amount;
            }
        }
    }
}

/// The follicle opening itself: a tiny soft dimple, also left behind where hair was lost.
pub(super) fn paint_pore(canvas: &mut Canvas, site: &Site) {
    let frame = canvas.frame;
    let ppm = frame.px_per_mm;
    let centre_px = [site.pos_mm[0] * ppm, site.pos_mm[1] * ppm];
    let radius_px = (0.05 + 0.04 * unit(site.key) as f32) * ppm;
    let depth = 0.06 + 0.12 * unit(site.key.rotate_left(21)) as f32;
    let reach_px = 2.5 * radius_px + 1.0;
    let xs = Frame::span(centre_px[0] - reach_px, centre_px[0] + reach_px, frame.width_px);
    let ys = Frame::span(centre_px[1] - reach_px, centre_px[1] + reach_px, frame.height_px);
    for y in ys {
        for x in xs.clone() {
            let dx = (x as f32 + 0.5 - centre_px[0]) / radius_px;
            let dy = (y as f32 + 0.5 - centre_px[1]) / radius_px;
            let darken = depth * detmath::exp(-0.5 * (dx * dx + dy * dy));
            let px = &mut canvas.rgb[y * frame.width_px + x];
            for v in px.iter_mut() {
                *v *= 1.0 - darken;
            }
        }
    }
}
