//! Command line: the GUI by default, `render` for headless batch work and tests.

use crate::engine::consultation::Consultation;
use crate::engine::mask::{Mask, RegionKind};
use crate::engine::sim::{self, Stage};
use crate::engine::units::Scale;
use crate::engine::{export, photo, preset, sample};
use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Parser)]
#[command(name = "smp-studio", version, about = "Scalp micropigmentation consultation studio")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A scalp photo (JPEG or PNG) to open in the window; without one, the sample consultation opens.
    pub photo: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render a simulated SMP result without opening a window.
    Render(RenderArgs),
    /// Time the renderer on the sample consultation: full renders and brush-stroke updates.
    Bench(BenchArgs),
    /// List or show presets (bundled and your own).
    #[command(subcommand)]
    Presets(PresetsCommand),
}

#[derive(Debug, Subcommand)]
pub enum PresetsCommand {
    /// List every preset: name, skin type, hairline style, where it comes from.
    List,
    /// Print one preset as commented RON (a bundled or saved name, or a .ron file).
    Show {
        /// Preset name or .ron file.
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Repetitions of each measurement (the median is reported).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Output image; .png or .jpg.
    #[arg(long, value_name = "OUT.png|OUT.jpg")]
    pub out: PathBuf,
    /// Start from the bundled sample consultation (photo, regions, preset, scale).
    #[arg(long)]
    pub demo: bool,
    /// The scalp photo (JPEG or PNG); replaces the sample's photo when used with --demo.
    #[arg(long, value_name = "FILE")]
    pub photo: Option<PathBuf>,
    /// A region mask: KIND is hairline, bald or scar; FILE an 8-bit grey PNG the photo's size, white = painted.
    #[arg(long = "mask", value_name = "KIND=FILE")]
    pub masks: Vec<String>,
    /// A bundled preset's name or a preset .ron file.
    #[arg(long, value_name = "NAME_OR_RON_FILE")]
    pub preset: Option<String>,
    /// Photo scale in pixels per millimetre (default 10, or the sample's).
    #[arg(long, value_name = "F")]
    pub px_per_mm: Option<f32>,
    /// Seed for dot placement and per-dot variation.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Show the result after session K (1-based; default: the last session).
    #[arg(long, value_name = "K")]
    pub session: Option<u32>,
    /// Show fresh dots (days after the session) instead of healed ones.
    #[arg(long, conflicts_with = "years")]
    pub fresh: bool,
    /// Show healed dots after Y years of fading.
    #[arg(long, value_name = "Y")]
    pub years: Option<f32>,
    /// Write every dot as CSV: x_px,y_px,diameter_px,darkness,region,session.
    #[arg(long, value_name = "FILE")]
    pub dots_csv: Option<PathBuf>,
    /// Write the detected hair as a grey PNG (white = hair).
    #[arg(long, value_name = "OUT.png")]
    pub hair_map: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

/// Builds the consultation the flags describe.
fn consultation(args: &RenderArgs) -> anyhow::Result<Consultation> {
    let mut consultation = if args.demo {
        sample::load()?
    } else {
        let Some(path) = &args.photo else {
            bail!("give a photo with --photo FILE, or use --demo for the bundled sample");
        };
        let default_preset = preset::bundled()
            .into_iter()
            .next()
            .context("no bundled preset could be loaded; reinstall SMP Studio")?;
        Consultation::new(file_name(path), photo::load(path)?, default_preset)
    };
    if args.demo
        && let Some(path) = &args.photo
    {
        let masks = consultation.masks.clone();
        consultation = Consultation::new(file_name(path), photo::load(path)?, consultation.preset);
        if (masks.width(), masks.height()) == (consultation.photo.width(), consultation.photo.height()) {
            consultation.masks = masks;
        }
    }
    for spec in &args.masks {
        let (kind, file) = spec
            .split_once('=')
            .with_context(|| format!("--mask {spec}: write it as KIND=FILE, e.g. --mask bald=crown.png"))?;
        let kind = RegionKind::from_key(kind)
            .with_context(|| format!("--mask {spec}: region `{kind}` is not one of hairline, bald, scar"))?;
        let gray = image::open(file)
            .with_context(|| format!("--mask {spec}: could not read {file} as an image"))?
            .into_luma8();
        consultation.masks.set(kind, Mask::from_gray(gray)).map_err(|(w, h)| {
            anyhow::anyhow!(
                "--mask {spec}: the mask is {w}×{h} but the photo is {}×{}",
                consultation.photo.width(),
                consultation.photo.height()
            )
        })?;
    }
    if let Some(name) = &args.preset {
        consultation.preset = preset::resolve(name)?;
    }
    let settings = &mut consultation.settings;
    if let Some(px_per_mm) = args.px_per_mm {
        settings.scale = Scale::new(px_per_mm).with_context(|| {
            format!(
                "--px-per-mm {px_per_mm}: the scale must be between {} and {} pixels per mm",
                Scale::RANGE.start(),
                Scale::RANGE.end()
            )
        })?;
    }
    if let Some(seed) = args.seed {
        settings.seed = seed;
    }
    let sessions = consultation.preset.session_count();
    settings.session = match args.session {
        Some(k) if k == 0 || k > sessions => {
            bail!("--session {k}: the preset plans sessions 1 to {sessions}")
        }
        Some(k) => k,
        None => sessions,
    };
    if args.fresh {
        settings.stage = Stage::Fresh;
    } else if let Some(years) = args.years {
        if !(0.0..=50.0).contains(&years) {
            bail!("--years {years}: give a number of years from 0 to 50");
        }
        settings.stage = Stage::Healed { years };
    }
    consultation.refresh_hair();
    Ok(consultation)
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// `smp-studio render …`
pub fn render(args: &RenderArgs) -> anyhow::Result<()> {
    let consultation = consultation(args)?;
    let threads = args.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("could not start the render threads")?;
    let start = Instant::now();
    let result = pool.install(|| sim::render(&consultation.scene()));
    let elapsed = start.elapsed();
    export::save(&result.image, &args.out)?;
    if let Some(path) = &args.hair_map {
        consultation
            .hair
            .to_gray()
            .save(path)
            .with_context(|| format!("could not write the hair map to {}", path.display()))?;
    }
    if let Some(csv) = &args.dots_csv {
        write_dots_csv(csv, &result.dots).with_context(|| format!("could not write {}", csv.display()))?;
    }
    let mut err = std::io::stderr().lock();
    for kind in RegionKind::ALL {
        let s = result.stats.region(kind);
        writeln!(
            err,
            "{:<9} {:>7} dots  {:>7.2} cm²  {:>6.1} dots/cm²",
            kind.key(),
            s.dots,
            s.area_cm2,
            s.dots_per_cm2()
        )?;
    }
    writeln!(err, "rendered in {:.0} ms → {}", elapsed.as_secs_f64() * 1000.0, args.out.display())?;
    Ok(())
}

fn write_dots_csv(path: &Path, dots: &[sim::Dot]) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "x_px,y_px,diameter_px,darkness,region,session")?;
    for d in dots {
        writeln!(
            out,
            "{:.2},{:.2},{:.3},{:.3},{},{}",
            d.x_px,
            d.y_px,
            d.diameter_px,
            d.darkness,
            d.region.key(),
            d.session
        )?;
    }
    out.flush()
}

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
    use crate::engine::history::{Edit, History, MaskPatch};
    use crate::engine::synth::{self, ScalpParams};
    let params = ScalpParams::sample().with_size(4000, 3000);
    let photo = synth::generate(&params).photo;
    let start = Instant::now();
    let mut consultation = Consultation::new("bench".into(), photo, preset::bundled().remove(0));
    println!("12 MP hair detection           {:>8.1} ms", start.elapsed().as_secs_f64() * 1000.0);
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

/// `smp-studio presets …`
pub fn presets(command: &PresetsCommand) -> anyhow::Result<()> {
    let store = crate::engine::store::PresetStore::open_default();
    match command {
        PresetsCommand::List => {
            let mut out = std::io::stdout().lock();
            for entry in store.list() {
                let p = &entry.preset;
                writeln!(
                    out,
                    "{:<34} type {}  {:<18} {}",
                    p.name,
                    p.skin.fitzpatrick,
                    p.hairline.style.label(),
                    entry.origin_label()
                )?;
            }
            for warning in store.warnings() {
                eprintln!("warning: {warning}");
            }
        }
        PresetsCommand::Show { name } => {
            let preset = match store.find(name) {
                Some(entry) => entry.preset.clone(),
                None => preset::resolve(name)?,
            };
            print!("{}", preset.to_ron());
        }
    }
    Ok(())
}
