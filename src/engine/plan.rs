//! Plan figures: what a treatment plan takes, region by region and session by session — area,
//! impressions, time at the clinic's pace, and the shades mixed.

use super::mask::RegionKind;
use super::preset::Preset;
use super::sim::{self, Dot, Scene, Stats};

/// Most skin a consultation may paint, in cm² on the photo's plane. A whole adult scalp is
/// about 600 cm²; several times that means the scale is wrong (a photo of a room at 0.5 px/mm),
/// and rendering it would place tens of millions of dots.
pub const MAX_PAINTED_CM2: f64 = 3_000.0;

/// The area the regions paint, in cm² on the photo's plane (no curvature), counting partly
/// painted pixels by how much.
pub fn painted_area_cm2(masks: &super::mask::RegionMasks, scale: super::units::Scale) -> f64 {
    let px: f64 = RegionKind::ALL.iter().map(|&kind| masks.get(kind).coverage_sum()).sum();
    px * scale.mm2_per_px() / 100.0
}

/// `painted_area_cm2` refused above [`MAX_PAINTED_CM2`], in a sentence.
pub fn check_painted_area(
    masks: &super::mask::RegionMasks,
    scale: super::units::Scale,
) -> Result<(), String> {
    let area = painted_area_cm2(masks, scale);
    if area > MAX_PAINTED_CM2 {
        return Err(format!(
            "the painted regions cover {area:.0} cm² at {} px/mm, more than {MAX_PAINTED_CM2:.0} cm² (a whole scalp is about 600 cm²); check the scale",
            scale.px_per_mm
        ));
    }
    Ok(())
}

/// One region's share of the plan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RegionPlan {
    pub area_cm2: f64,
    /// New impressions placed in each session (session 1 first).
    pub impressions_per_session: Vec<usize>,
}

impl RegionPlan {
    pub fn impressions(&self) -> usize {
        self.impressions_per_session.iter().sum()
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanFigures {
    pub regions: [RegionPlan; 3],
    /// Every region together.
    pub total: RegionPlan,
    /// The shades mixed, with each one's share of impressions (0–1).
    pub shades: Vec<(String, f32)>,
}

impl PlanFigures {
    pub fn region(&self, kind: RegionKind) -> &RegionPlan {
        &self.regions[kind.index()]
    }

    pub fn sessions(&self) -> usize {
        self.total.impressions_per_session.len()
    }

    /// Estimated minutes of work in each session at the clinic's pace.
    pub fn minutes_per_session(&self, impressions_per_hour: f32) -> Vec<f32> {
        let rate = impressions_per_hour.max(1.0);
        self.total.impressions_per_session.iter().map(|&n| n as f32 / rate * 60.0).collect()
    }
}

/// The plan of a scene whose shown dots are `dots`: they are the whole treatment's when the
/// scene shows the last session; otherwise the treatment's dots are placed afresh.
pub fn for_scene(scene: &Scene, dots: &[Dot], stats: &Stats) -> PlanFigures {
    if scene.settings.session >= scene.preset.session_count() {
        figures(dots, stats, scene.preset)
    } else {
        figures(&sim::plan_dots(scene), stats, scene.preset)
    }
}

/// The plan for the dots of a full treatment (every session's), with areas from `stats`.
pub fn figures(dots: &[Dot], stats: &Stats, preset: &Preset) -> PlanFigures {
    let sessions = preset.session_count() as usize;
    let mut plan = PlanFigures::default();
    for kind in RegionKind::ALL {
        let region = &mut plan.regions[kind.index()];
        region.area_cm2 = stats.region(kind).area_cm2;
        region.impressions_per_session = vec![0; sessions];
    }
    plan.total.impressions_per_session = vec![0; sessions];
    for dot in dots {
        let s = (dot.session.max(1) as usize - 1).min(sessions - 1);
        plan.regions[dot.region.index()].impressions_per_session[s] += 1;
        plan.total.impressions_per_session[s] += 1;
    }
    plan.total.area_cm2 = plan.regions.iter().map(|r| r.area_cm2).sum();
    let mut counts = vec![0usize; preset.pigment.shades.len()];
    for dot in dots {
        if let Some(c) = counts.get_mut(dot.shade as usize) {
            *c += 1;
        }
    }
    let total = counts.iter().sum::<usize>().max(1) as f32;
    plan.shades = preset
        .pigment
        .shades
        .iter()
        .zip(&counts)
        .filter(|(_, n)| **n > 0)
        .map(|(shade, n)| (shade.name.clone(), *n as f32 / total))
        .collect();
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::mask::RegionMasks;
    use crate::engine::preset;
    use crate::engine::sim::SimSettings;
    use crate::engine::units::Scale;
    use image::RgbImage;

    #[test]
    fn a_full_bald_patch_plans_its_sessions_and_time() {
        let preset = preset::bundled().remove(0);
        let photo = RgbImage::from_pixel(400, 300, image::Rgb([210, 180, 160]));
        let mut masks = RegionMasks::new(400, 300);
        masks.get_mut(RegionKind::Bald).data_mut().fill(255);
        let settings = SimSettings { scale: Scale { px_per_mm: 10.0 }, ..SimSettings::default() };
        let scene = Scene::new(&photo, &masks, &preset, settings);
        let dots = sim::plan_dots(&scene);
        let stats = sim::stats(&scene, &dots);
        let plan = figures(&dots, &stats, &preset);
        let bald = plan.region(RegionKind::Bald);
        // 12 cm² at the preset's density.
        assert!((bald.area_cm2 - 12.0).abs() < 1e-6);
        let expected = 12.0 * preset.density.target_dots_per_cm2 as f64;
        assert!(
            (bald.impressions() as f64 / expected - 1.0).abs() < 0.08,
            "{} vs {expected}",
            bald.impressions()
        );
        // 30 % → 70 % → 100 %: the middle session adds the most.
        let s = &bald.impressions_per_session;
        assert_eq!(s.len(), 3);
        let share = |n: usize| n as f64 / bald.impressions() as f64;
        assert!((share(s[0]) - 0.3).abs() < 0.05 && (share(s[1]) - 0.4).abs() < 0.05, "{s:?}");
        let minutes: f32 = plan.minutes_per_session(3000.0).iter().sum();
        assert!((minutes - bald.impressions() as f32 / 50.0).abs() < 0.01, "{minutes}");
        let shares: f32 = plan.shades.iter().map(|(_, f)| f).sum();
        assert!((shares - 1.0).abs() < 1e-4 && plan.shades.len() == preset.pigment.shades.len());
    }
}
