//! `smp-studio bench`: timings of the renderer, the live-painting path and autosave.

use super::BenchArgs;
use crate::engine::analysis::PhotoAnalysis;
use crate::engine::consultation::Consultation;
use crate::engine::mask::RegionKind;
use crate::engine::sim::Scene;
use crate::engine::{preset, sample, sim};
use anyhow::Context;
use std::time::Instant;

/// `smp-studio bench`: prints medians so runs can be compared across changes.
pub fn bench(args: &BenchArgs) -> anyhow::Result<()> {
    use crate::engine::brush::{Brush, BrushMode, stroke};
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("could not start the render threads")?;
    let runs = args.runs.max(1);
    let median_ms = |f: &mut dyn FnMut()| {
        let mut times: Vec<f64> = (0..runs)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[times.len() / 2]
    };
    let start = Instant::now();
    let mut consultation = sample::load()?;
    println!("load sample + hair detection   {:>8.1} ms", start.elapsed().as_secs_f64() * 1000.0);
    let start = Instant::now();
    let _ = sim::pattern::pattern();
    println!("dot pattern (once per process) {:>8.1} ms", start.elapsed().as_secs_f64() * 1000.0);
    pool.install(|| -> anyhow::Result<()> {
        let analysis = median_and_last(&median_ms, || {
            PhotoAnalysis::new(&consultation.photo, consultation.settings.scale)
        });
        println!("photo analysis (once per photo) {:>7.1} ms", analysis.0);
        let analysis = analysis.1;
        let full = median_ms(&mut || {
            sim::render(&with_analysis(&consultation, &analysis));
        });
        println!(
            "full render {}×{}          {:>8.1} ms",
            consultation.photo.width(),
            consultation.photo.height(),
            full
        );
        let mut image = sim::render(&with_analysis(&consultation, &analysis)).image;
        let brush =
            Brush { radius_px: consultation.settings.scale.px(5.0), hardness: 0.6, mode: BrushMode::Paint };
        let dirty =
            stroke(&brush, consultation.masks.get_mut(RegionKind::Bald), &[(300.0, 500.0), (420.0, 540.0)]);
        let scene = with_analysis(&consultation, &analysis);
        let grown = dirty.expand(
            sim::influence_px(&scene),
            crate::engine::mask::PixelRect::full(image.width(), image.height()),
        );
        let partial = median_ms(&mut || {
            sim::render_into(&scene, &mut image, grown);
        });
        println!("stroke update (10 mm brush)    {:>8.1} ms", partial);
        Ok(())
    })?;
    pool.install(|| bench_large(median_ms))
}

/// The consultation's scene with the photo's analysis, as the window renders it.
fn with_analysis<'a>(consultation: &'a Consultation, analysis: &'a PhotoAnalysis) -> Scene<'a> {
    Scene { analysis: Some(analysis), ..consultation.scene() }
}

/// Times `f` like `median_ms` and keeps what its last run made.
fn median_and_last<T>(median_ms: &impl Fn(&mut dyn FnMut()) -> f64, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut last = None;
    let ms = median_ms(&mut || last = Some(f()));
    (ms, last.unwrap_or_else(f))
}

/// The live-painting path on a 12 MP photo: one dab, then the re-render around it, as the
/// window's worker does; and the memory 100 undo steps of large strokes hold.
fn bench_large(median_ms: impl Fn(&mut dyn FnMut()) -> f64) -> anyhow::Result<()> {
    use crate::engine::brush::{Brush, BrushMode, stroke};
    use crate::engine::history::{Edit, History, MaskPatch};
    use crate::engine::synth::{self, ScalpParams};
    let params = ScalpParams::sample().with_size(4000, 3000);
    let photo = synth::generate(&params).photo;
    let start = Instant::now();
    let mut consultation = Consultation::new("bench".into(), photo, preset::bundled().remove(0));
    println!("12 MP hair detection           {:>8.1} ms", start.elapsed().as_secs_f64() * 1000.0);
    let start = Instant::now();
    let analysis = PhotoAnalysis::new(&consultation.photo, consultation.settings.scale);
    println!("12 MP photo analysis           {:>8.1} ms", start.elapsed().as_secs_f64() * 1000.0);
    let scale = consultation.settings.scale;
    let big = Brush { radius_px: scale.px(40.0), hardness: 0.6, mode: BrushMode::Paint };
    stroke(&big, consultation.masks.get_mut(RegionKind::Bald), &[(1200.0, 1500.0), (2800.0, 1500.0)]);
    let full = median_ms(&mut || {
        sim::render(&with_analysis(&consultation, &analysis));
    });
    println!("12 MP full render              {:>8.1} ms", full);
    let mut image = sim::render(&with_analysis(&consultation, &analysis)).image;
    let dab = Brush { radius_px: scale.px(5.0), hardness: 0.6, mode: BrushMode::Paint };
    let mut x = 1000.0;
    let dab_to_preview = median_ms(&mut || {
        x += 37.0;
        let dirty = dab.dab(consultation.masks.get_mut(RegionKind::Bald), x, 2200.0);
        let scene = with_analysis(&consultation, &analysis);
        let grown = dirty.expand(
            sim::influence_px(&scene),
            crate::engine::mask::PixelRect::full(image.width(), image.height()),
        );
        sim::render_into(&scene, &mut image, grown);
    });
    println!("12 MP dab → preview (10 mm)    {:>8.1} ms", dab_to_preview);

    // What the window's autosave writes after each settled edit: regions and settings, once
    // the photo is in the recovery folder.
    let dir = std::env::temp_dir().join(format!("smp-bench-autosave-{}", std::process::id()));
    consultation.save(&dir)?;
    let mut failure = None;
    let autosave = median_ms(&mut || {
        if let Err(e) = consultation.clone().save_edits(&dir) {
            failure.get_or_insert(e);
        }
    });
    std::fs::remove_dir_all(&dir).ok();
    if let Some(e) = failure {
        return Err(e.into());
    }
    println!("12 MP autosave (regions + RON)  {:>7.1} ms", autosave);

    let mut history = History::default();
    for i in 0..100 {
        let before = consultation.masks.get(RegionKind::Hairline).clone();
        let y = 300.0 + i as f32 * 24.0;
        let mode = if i % 3 == 2 { BrushMode::Erase } else { BrushMode::Paint };
        let brush = Brush { radius_px: scale.px(15.0), hardness: 0.5, mode };
        let rect = stroke(
            &brush,
            consultation.masks.get_mut(RegionKind::Hairline),
            &[(200.0, y), (3800.0, y + 200.0)],
        );
        if let Some(patch) = MaskPatch::capture(RegionKind::Hairline, rect, &before, &consultation.masks) {
            history.push(Edit::Masks(vec![patch]));
        }
    }
    println!(
        "100 undo steps, 30 mm × 36 cm strokes {:>5.1} MB ({} steps)",
        history.bytes() as f64 / 1e6,
        history.steps()
    );
    Ok(())
}
