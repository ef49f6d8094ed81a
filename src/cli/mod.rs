//! Command line: the GUI by default, `render` for headless batch work and tests, `bench` for
//! timings and `presets` for the preset library.

mod bench;
mod presets;
mod render;

pub use bench::bench;
pub use presets::presets;
pub use render::render;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "smp-studio", version, about = "Scalp micropigmentation consultation studio")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A scalp photo (JPEG or PNG) to open in the window; without one, the sample consultation opens.
    pub photo: Option<PathBuf>,
}

// Parsed once at start-up: a variant's size costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
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
    /// The photo's blur: σ of its point-spread function on the scalp, in mm (default: estimated
    /// from the photo, varying across it).
    #[arg(long, value_name = "MM")]
    pub photo_sharpness_mm: Option<f32>,
    /// Write the detected hair as a grey PNG (white = hair).
    #[arg(long, value_name = "OUT.png")]
    pub hair_map: Option<PathBuf>,
    /// Write where the photo shows skin as a grey PNG (white = skin; dots go nowhere else).
    #[arg(long, value_name = "OUT.png")]
    pub skin_map: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}
