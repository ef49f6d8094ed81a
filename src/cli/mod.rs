//! Command line: the GUI by default, `render` for headless batch work and tests, `bench` for
//! timings and `presets` for the preset library.

mod analyse;
mod bench;
mod handout;
mod presets;
mod render;

pub use analyse::analyse;
pub use bench::bench;
pub use handout::HandoutArgs;
pub use presets::presets;
pub use render::render;

use crate::engine::head::{HeadEllipse, OutlineChoice};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// `text` made safe to print: control characters (escape codes, newlines, tabs) and the
/// invisible marks that reorder text (bidirectional overrides) are shown as `\u{…}` escapes,
/// so a name in a shared preset cannot move the cursor, clear the screen or disguise itself.
pub fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || is_invisible_format(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Bidirectional controls and zero-width marks: characters that change how the text around
/// them is shown without being seen.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Parses a whole number, or says in a sentence what is expected instead of Rust's own words.
fn whole<T: std::str::FromStr>(text: &str, expected: &str) -> Result<T, String> {
    text.trim().parse().map_err(|_| format!("give {expected}"))
}

fn seed(text: &str) -> Result<u64, String> {
    whole(text, &format!("a whole number from 0 to {}", u64::MAX))
}

/// A count; digits beyond what the machine can count mean "as many as allowed", which the
/// command then lowers to its limit with a warning.
fn count(text: &str) -> Result<usize, String> {
    let digits = text.trim();
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(digits.parse().unwrap_or(usize::MAX));
    }
    whole(text, "a whole number such as 4")
}

/// Where `--match-stubble` reads the stubble: a pixel of the photo and a radius in mm.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StubblePoint {
    pub x: f32,
    pub y: f32,
    pub radius_mm: f32,
}

fn stubble_point(text: &str) -> Result<StubblePoint, String> {
    let numbers: Vec<f32> =
        text.split(',').map(|n| n.trim().parse::<f32>()).collect::<Result<_, _>>().map_err(|_| {
            "give the pixel as X,Y or X,Y,RADIUS_MM, for example 420,310 or 420,310,8".to_owned()
        })?;
    let (x, y, radius_mm) = match numbers[..] {
        [x, y] => (x, y, crate::engine::stubble::DEFAULT_RADIUS_MM),
        [x, y, r] => (x, y, r),
        _ => return Err("give the pixel as X,Y or X,Y,RADIUS_MM, for example 420,310 or 420,310,8".into()),
    };
    if !(x.is_finite() && y.is_finite() && x >= 0.0 && y >= 0.0) {
        return Err("the pixel must be inside the photo: X and Y from 0".into());
    }
    if !(1.0..=50.0).contains(&radius_mm) {
        return Err(format!("a radius of {radius_mm} mm: give 1 to 50 mm"));
    }
    Ok(StubblePoint { x, y, radius_mm })
}

fn head_outline(text: &str) -> Result<OutlineChoice, String> {
    match text.trim() {
        "auto" => Ok(OutlineChoice::Found),
        "none" => Ok(OutlineChoice::Flat),
        other => {
            HeadEllipse::parse(other).map(OutlineChoice::Set).map_err(|e| format!("{e}, or auto, or none"))
        }
    }
}

fn session(text: &str) -> Result<u32, String> {
    whole(text, "a session number: 1, 2, 3 …")
}

/// A command-line mistake in one sentence that names the argument and what it takes, instead of
/// clap's several lines of usage.
pub fn argument_error(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let context = |kind: ContextKind| -> Option<String> {
        match e.get(kind)? {
            ContextValue::String(s) => Some(s.clone()),
            ContextValue::Strings(v) => Some(v.join(", ")),
            ContextValue::StyledStr(s) => Some(s.to_string()),
            ContextValue::StyledStrs(v) => {
                Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "))
            }
            ContextValue::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    // "--width <PX>" names the flag; the placeholder is in --help.
    let flag = |s: String| s.split_whitespace().next().unwrap_or_default().to_owned();
    let arg = context(ContextKind::InvalidArg).map(flag);
    let value = context(ContextKind::InvalidValue);
    let sentence = match (e.kind(), arg, value) {
        (ErrorKind::ValueValidation, Some(arg), Some(value)) => {
            let reason = std::error::Error::source(e).map(|s| s.to_string()).unwrap_or_default();
            format!("{arg} {value}: {reason}")
        }
        (ErrorKind::InvalidValue, Some(arg), Some(value)) => match context(ContextKind::ValidValue) {
            Some(valid) if !value.is_empty() => format!("{arg} {value}: give one of {valid}"),
            Some(valid) => format!("{arg} needs a value: one of {valid}"),
            None => format!("{arg} needs a value"),
        },
        (ErrorKind::UnknownArgument, Some(arg), _) => match context(ContextKind::SuggestedArg) {
            Some(suggested) => format!("{arg} is not an option here; did you mean {}?", flag(suggested)),
            None => format!("{arg} is not an option here; see --help for the options"),
        },
        (ErrorKind::ArgumentConflict, Some(arg), _) => match context(ContextKind::PriorArg) {
            Some(prior) => format!("{arg} cannot be used with {}", flag(prior)),
            None => format!("{arg} cannot be used with the options given"),
        },
        (ErrorKind::MissingRequiredArgument, Some(arg), _) => format!("{arg} must be given"),
        (ErrorKind::InvalidSubcommand, _, _) => match context(ContextKind::InvalidSubcommand) {
            Some(name) => {
                format!("`{name}` is not a command; the commands are render, analyse, bench and presets")
            }
            None => "that is not a command; the commands are render, analyse, bench and presets".to_owned(),
        },
        _ => {
            let text = e.to_string();
            let first = text.lines().next().unwrap_or_default();
            first.trim_start_matches("error: ").to_owned()
        }
    };
    terminal_safe(&sentence)
}

/// Prints a warning line on stderr, made safe for the terminal.
pub fn warn(text: &str) {
    eprintln!("warning: {}", terminal_safe(text));
}

/// The number of worker threads for `--threads`: at least one, at most one per core (a
/// render is pure computation, so more threads than cores only add memory and switching).
/// `None` means one per core. A value over the core count is lowered with a warning.
pub fn thread_count(requested: Option<usize>) -> anyhow::Result<usize> {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    match requested {
        None => Ok(cores),
        Some(0) => {
            anyhow::bail!("--threads 0: give at least 1 thread, or leave --threads out to use one per core")
        }
        Some(n) if n > cores => {
            warn(&format!("--threads {n}: this computer has {cores} cores, so {cores} threads are used"));
            Ok(cores)
        }
        Some(n) => Ok(n),
    }
}

#[derive(Debug, Parser)]
#[command(name = "smp-studio", version, about = "Scalp micropigmentation consultation studio")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A scalp photo (JPEG or PNG) or a saved consultation (.smpc) to open in the window; without
    /// one, the sample consultation opens.
    #[arg(value_name = "PHOTO_OR_CONSULTATION")]
    pub photo: Option<PathBuf>,
}

// Parsed once at start-up: a variant's size costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render a simulated SMP result without opening a window.
    Render(Box<RenderArgs>),
    /// Print what the app finds on a photo: sharpness, head outline, skin and hair, the
    /// suggested bald area and a stubble reading.
    Analyse(AnalyseArgs),
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
pub struct AnalyseArgs {
    /// The photo (JPEG, PNG, WebP, TIFF or HEIC).
    pub photo: PathBuf,
    /// Photo scale in pixels per millimetre, 0.5–200 (default 10, as in the window before Measure).
    #[arg(long, value_name = "F", allow_negative_numbers = true)]
    pub px_per_mm: Option<f32>,
    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,
    /// Write the suggested bald area as a grey PNG the photo's size (white = suggested).
    #[arg(long, value_name = "FILE.png")]
    pub suggest_out: Option<PathBuf>,
    /// Read the stubble around pixel X,Y (within RADIUS_MM, default 6).
    #[arg(long, value_name = "X,Y[,RADIUS_MM]", value_parser = stubble_point, allow_hyphen_values = true)]
    pub stubble: Option<StubblePoint>,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Repetitions of each measurement, 1–100 (the median is reported).
    #[arg(long, default_value_t = 5, value_parser = count, allow_negative_numbers = true)]
    pub runs: usize,
    /// Worker threads, 1 to the number of cores (default: one per core).
    #[arg(long, value_name = "N", value_parser = count, allow_negative_numbers = true)]
    pub threads: Option<usize>,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Output image; .png or .jpg.
    #[arg(long, value_name = "OUT.png|OUT.jpg", required_unless_present_any = ["report", "save_consultation"])]
    pub out: Option<PathBuf>,
    /// Start from the bundled sample consultation (photo, regions, preset, scale).
    #[arg(long)]
    pub demo: bool,
    /// The scalp photo (JPEG or PNG); replaces the sample's photo when used with --demo.
    #[arg(long, value_name = "FILE")]
    pub photo: Option<PathBuf>,
    /// A region mask: KIND is hairline, bald or scar; FILE a PNG the photo's size. Its grey
    /// value is read (white = painted; colour is turned to grey, 16-bit to 8-bit), times its
    /// opacity where it has an alpha channel. JPEG masks are refused.
    #[arg(long = "mask", value_name = "KIND=FILE")]
    pub masks: Vec<String>,
    /// A bundled preset's name or a preset .ron file; one for each style with --sheet compare.
    #[arg(long, value_name = "NAME_OR_RON_FILE")]
    pub preset: Vec<String>,
    /// Photo scale in pixels per millimetre, 0.5–200 (default 10, or the sample's).
    #[arg(long, value_name = "F", allow_negative_numbers = true)]
    pub px_per_mm: Option<f32>,
    /// Seed for dot placement and per-dot variation: any whole number from 0 to 2⁶⁴−1.
    #[arg(long, value_name = "N", value_parser = seed, allow_negative_numbers = true)]
    pub seed: Option<u64>,
    /// Show the result after session K, from 1 to the preset's number of sessions (default: the last).
    #[arg(long, value_name = "K", value_parser = session, allow_negative_numbers = true)]
    pub session: Option<u32>,
    /// Show fresh dots (days after the session) instead of healed ones.
    #[arg(long, conflicts_with = "years")]
    pub fresh: bool,
    /// Show healed dots after Y years of fading, 0–50.
    #[arg(long, value_name = "Y", allow_negative_numbers = true)]
    pub years: Option<f32>,
    /// Match the patient's own stubble around pixel X,Y (within RADIUS_MM, default 6): dot size,
    /// density, darkness and shade are set to look like it, and what was set is printed.
    #[arg(long, value_name = "X,Y[,RADIUS_MM]", value_parser = stubble_point, allow_hyphen_values = true)]
    pub match_stubble: Option<StubblePoint>,
    /// The head's outline the scalp's curvature follows: `auto` (found on the photo), `none`
    /// (flat), or an ellipse CX,CY,RX,RY,ANGLE_DEG in pixels and degrees.
    #[arg(long, value_name = "auto|none|CX,CY,RX,RY,ANGLE_DEG", value_parser = head_outline, allow_hyphen_values = true)]
    pub head_outline: Option<OutlineChoice>,
    /// Write every dot as CSV: x_px,y_px,diameter_px,darkness,region,session and its image's
    /// ellipse major_px,minor_px,angle_deg.
    #[arg(long, value_name = "FILE")]
    pub dots_csv: Option<PathBuf>,
    /// The photo's blur: σ of its point-spread function on the scalp, in mm (default: estimated
    /// from the photo, varying across it).
    #[arg(long, value_name = "MM", allow_negative_numbers = true)]
    pub photo_sharpness_mm: Option<f32>,
    /// Save the consultation the other flags describe (photo, regions, preset, scale) as a
    /// .smpc file the window opens.
    #[arg(long, value_name = "FILE.smpc")]
    pub save_consultation: Option<PathBuf>,
    /// Write the detected hair as a grey PNG (white = hair).
    #[arg(long, value_name = "OUT.png")]
    pub hair_map: Option<PathBuf>,
    /// Write where the photo shows skin as a grey PNG (white = skin; dots go nowhere else).
    #[arg(long, value_name = "OUT.png")]
    pub skin_map: Option<PathBuf>,
    /// Worker threads, 1 to the number of cores (default: one per core).
    #[arg(long, value_name = "N", value_parser = count, allow_negative_numbers = true)]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub handout: Box<HandoutArgs>,
}
