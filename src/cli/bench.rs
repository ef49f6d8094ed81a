//! `smp-studio bench`: timings of the renderer, the live-painting path and autosave.

use super::BenchArgs;
use crate::engine::consultation::Consultation;
use crate::engine::mask::RegionKind;
use crate::engine::{preset, sample, sim};
use anyhow::Context;
use std::time::Instant;

/// Repetitions a bench makes of each measurement: a median needs one, and past a hundred the
/// bench would run for hours on a slow machine.
const RUNS: std::ops::RangeInclusive<usize> = 1..=100;

/// `smp-studio bench`: prints medians so runs can be compared across changes.
pub fn bench(args: &BenchArgs) -> anyhow::Result<()> {
    use crate::engine::brush::{Brush, BrushMode, stroke};
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(super::thread_count(args.threads)?)
        .build()
        .context("could not start the render threads")?;
    let runs = args.runs.clamp(*RUNS.start(), *RUNS.end());
    if runs != args.runs {
        super::warn(&format!(
            "--runs {}: between {} and {} runs are made, so {runs} are",
            args.runs,
            RUNS.start(),
            RUNS.end()
        ));
    }
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
    println!("load sample + photo measures   {:>8.1} ms", start.elapsed().as_secs_f64() * 1000.0);
    let start = Instant::now();
    let _ = sim::pattern::pattern();
    println!("dot pattern (once per process) {:>8.1} ms", start.elapsed().as_secs_f64() * 1000.0);
    pool.install(|| -> anyhow::Result<()> {
        let full = median_ms(&mut || {
            sim::render(&consultation.scene());
        });
        println!(
            "full render {}×{}          {:>8.1} ms",
            consultation.photo.width(),
            consultation.photo.height(),
            full
        );
        let mut image = sim::render(&consultation.scene()).image;
        let brush =
            Brush { radius_px: consultation.settings.scale.px(5.0), hardness: 0.6, mode: BrushMode::Paint };
        let dirty =
            stroke(&brush, consultation.masks.get_mut(RegionKind::Bald), &[(300.0, 500.0), (420.0, 540.0)]);
        let scene = consultation.scene();
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

/// The live-painting path on a 12 MP photo: one dab, then the re-render around it, as the
/// window's worker does; and the memory 100 undo steps of large strokes hold.
fn bench_large(median_ms: impl Fn(&mut dyn FnMut()) -> f64) -> anyhow::Result<()> {
    use crate::engine::brush::{Brush, BrushMode, stroke};
    use crate::engine::history::{History, MaskPatch, Step};
    use crate::engine::synth::{self, ScalpParams};
    let params = ScalpParams::sample().with_size(4000, 3000);
    let photo = synth::generate(&params).photo;
    let start = Instant::now();
    let mut consultation = Consultation::new("bench".into(), photo, preset::bundled().remove(0));
    println!("12 MP hair + photo analysis    {:>8.1} ms", start.elapsed().as_secs_f64() * 1000.0);
    let start = Instant::now();
    let _ = crate::engine::analysis::PhotoAnalysis::new(&consultation.photo, consultation.settings.scale);
    println!("12 MP photo analysis alone     {:>8.1} ms", start.elapsed().as_secs_f64() * 1000.0);
    let scale = consultation.settings.scale;
    let big = Brush { radius_px: scale.px(40.0), hardness: 0.6, mode: BrushMode::Paint };
    stroke(&big, consultation.masks.get_mut(RegionKind::Bald), &[(1200.0, 1500.0), (2800.0, 1500.0)]);
    let full = median_ms(&mut || {
        sim::render(&consultation.scene());
    });
    println!("12 MP full render              {:>8.1} ms", full);
    let mut image = sim::render(&consultation.scene()).image;
    let dab = Brush { radius_px: scale.px(5.0), hardness: 0.6, mode: BrushMode::Paint };
    let mut x = 1000.0;
    let dab_to_preview = median_ms(&mut || {
        x += 37.0;
        let dirty = dab.dab(consultation.masks.get_mut(RegionKind::Bald), x, 2200.0);
        let scene = consultation.scene();
        let grown = dirty.expand(
            sim::influence_px(&scene),
            crate::engine::mask::PixelRect::full(image.width(), image.height()),
        );
        sim::render_into(&scene, &mut image, grown);
    });
    println!("12 MP dab → preview (10 mm)    {:>8.1} ms", dab_to_preview);

    // What the window's autosave writes after each settled edit: the whole consultation file.
    let path = std::env::temp_dir().join(format!("smp-bench-autosave-{}.smpc", std::process::id()));
    let mut failure = None;
    let autosave = median_ms(&mut || {
        if let Err(e) = consultation.save(&path) {
            failure.get_or_insert(e);
        }
    });
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    std::fs::remove_file(&path).ok();
    if let Some(e) = failure {
        return Err(e.into());
    }
    println!("12 MP save (.smpc, {:.1} MB)       {:>7.1} ms", size as f64 / 1e6, autosave);

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
            history.push(Step::Masks(vec![patch]));
        }
    }
    println!(
        "100 undo steps, 30 mm × 36 cm strokes {:>5.1} MB ({} steps)",
        history.bytes() as f64 / 1e6,
        history.steps()
    );
    Ok(())
}
