//! `smp-studio bench`: timings of the renderer, the live-painting path and autosave.

use super::BenchArgs;
use crate::engine::consultation::Consultation;
use crate::engine::mask::RegionKind;
use crate::engine::{color, hair, preset, sample, sim};
use anyhow::Context;
use image::RgbImage;
use std::time::Instant;

/// Repetitions a bench makes of each measurement: a median needs one, and past a hundred the
/// bench would run for hours on a slow machine.
const RUNS: std::ops::RangeInclusive<usize> = 1..=100;

/// Scale of the generated 12 MP photo: a phone photo of a whole scalp from close by.
const LARGE_PX_PER_MM: f32 = 15.0;

/// One line of the bench's table: the figure, and the figure as a multiple of the baseline, so
/// runs on a busy or a quiet machine can be compared.
struct Table {
    baseline_ms: f64,
}

impl Table {
    fn row(&self, what: &str, ms: f64) {
        println!("{what:<34} {ms:>8.1} ms {:>7.1}× baseline", ms / self.baseline_ms.max(1e-6));
    }
}

/// `smp-studio bench`: prints medians so runs can be compared across changes.
pub fn bench(args: &BenchArgs) -> anyhow::Result<()> {
    use crate::engine::brush::{Brush, BrushMode, stroke};
    use crate::engine::synth::{self, ScalpParams};
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
    let large = synth::generate(
        &ScalpParams { px_per_mm: LARGE_PX_PER_MM, ..ScalpParams::sample() }.with_size(4000, 3000),
    )
    .photo;
    let mut copy = RgbImage::new(large.width(), large.height());
    let baseline_ms = pool.install(|| median_ms(&mut || color::round_trip_into(&large, &mut copy)));
    drop(copy);
    let table = Table { baseline_ms };
    println!("{} runs of each, medians; {} threads", runs, pool.current_num_threads());
    table.row("baseline: 12 MP sRGB→linear→sRGB", baseline_ms);

    let start = Instant::now();
    let mut consultation = sample::load()?;
    table.row("load sample + photo measures", start.elapsed().as_secs_f64() * 1000.0);
    let start = Instant::now();
    let _ = sim::pattern::pattern();
    table.row("dot pattern (once per process)", start.elapsed().as_secs_f64() * 1000.0);
    pool.install(|| -> anyhow::Result<()> {
        let full = median_ms(&mut || {
            sim::render(&consultation.scene());
        });
        table.row(
            &format!("full render {}×{}", consultation.photo.width(), consultation.photo.height()),
            full,
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
        table.row("stroke update (10 mm brush)", partial);
        Ok(())
    })?;
    pool.install(|| bench_large(large, &table, median_ms))
}

/// The live-painting path on a 12 MP photo: one dab, then the re-render around it, as the
/// window's worker does; and the memory 100 undo steps of large strokes hold.
fn bench_large(
    photo: RgbImage,
    table: &Table,
    median_ms: impl Fn(&mut dyn FnMut()) -> f64,
) -> anyhow::Result<()> {
    use crate::engine::brush::{Brush, BrushMode, stroke};
    use crate::engine::export::{self, ExportOptions};
    use crate::engine::history::{History, MaskPatch, Step};
    use crate::engine::synth;
    use crate::engine::units::Scale;
    let scale = Scale { px_per_mm: LARGE_PX_PER_MM };
    let detection = median_ms(&mut || {
        hair::detect(&photo, scale);
    });
    table.row("12 MP hair detection", detection);
    let (width, height) = photo.dimensions();
    let mut consultation = Consultation::new("bench".into(), photo, preset::bundled().remove(0));
    consultation.set_scale(scale, true);
    consultation.refresh_for_scale();
    consultation.masks = synth::three_regions(width, height);
    let analysis = median_ms(&mut || {
        let _ = crate::engine::analysis::PhotoAnalysis::new(&consultation.photo, scale);
    });
    table.row("12 MP photo analysis", analysis);
    let full = median_ms(&mut || {
        sim::render(&consultation.scene());
    });
    table.row("12 MP full render, 3 regions", full);
    let mut image = sim::render(&consultation.scene()).image;
    let started = Instant::now();
    let png = export::encode(&image, &ExportOptions::default()).map(|bytes| bytes.len());
    let png_ms = started.elapsed().as_secs_f64() * 1000.0;
    table.row(&format!("12 MP PNG encode ({:.1} MB, once)", png.unwrap_or(0) as f64 / 1e6), png_ms);
    let dab = Brush { radius_px: scale.px(5.0), hardness: 0.6, mode: BrushMode::Paint };
    let mut x = 1300.0;
    let dab_to_preview = median_ms(&mut || {
        x += 37.0;
        let dirty = dab.dab(consultation.masks.get_mut(RegionKind::Bald), x, 1900.0);
        let scene = consultation.scene();
        let grown = dirty.expand(
            sim::influence_px(&scene),
            crate::engine::mask::PixelRect::full(image.width(), image.height()),
        );
        sim::render_into(&scene, &mut image, grown);
    });
    table.row("12 MP dab → preview (10 mm)", dab_to_preview);

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
    table.row(&format!("12 MP save (.smpc, {:.1} MB)", size as f64 / 1e6), autosave);

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
            history.push(Step::Masks(vec![patch]), "stroke");
        }
    }
    println!(
        "100 undo steps, 30 mm × 36 cm strokes {:>5.1} MB ({} steps)",
        history.bytes() as f64 / 1e6,
        history.steps()
    );
    Ok(())
}
