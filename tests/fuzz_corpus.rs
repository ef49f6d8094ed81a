//! Replays every stored fuzz input (the seeds in `fuzz/corpus/*/seed-*` and each input that
//! once crashed, kept in `fuzz/regressions/`) through the fuzz targets' own code, so a fixed
//! crash stays fixed under plain `cargo test`. The README says how to fuzz for longer.

#[path = "../fuzz/bodies.rs"]
mod bodies;

use image::{Rgb, RgbImage};
use smp_studio::engine::brush::{Brush, BrushMode, stroke};
use smp_studio::engine::consultation::{Consultation, PatientNotes};
use smp_studio::engine::design::HairlineDesign;
use smp_studio::engine::mask::RegionKind;
use smp_studio::engine::preset;
use smp_studio::engine::sim::Stage;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for dir in [fuzz.join("corpus").join(target), fuzz.join("regressions").join(target)] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            // Only what is kept in the repository: seeds and regressions, not a local corpus.
            let kept = name.starts_with("seed-") || dir.ends_with(Path::new("regressions").join(target));
            if path.is_file() && kept && !name.starts_with('.') {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn replay(target: &str, body: fn(&[u8]), at_least: usize) {
    let files = inputs(target);
    assert!(files.len() >= at_least, "only {} stored inputs for {target}", files.len());
    for file in files {
        let data = std::fs::read(&file).unwrap();
        let outcome = std::panic::catch_unwind(|| body(&data));
        assert!(outcome.is_ok(), "{} fails again", file.display());
    }
}

#[test]
fn stored_preset_inputs_still_pass() {
    replay("preset", bodies::preset, 4);
}

#[test]
fn stored_photo_inputs_still_pass() {
    replay("photo", bodies::photo, 5);
}

#[test]
fn stored_consultation_inputs_still_pass() {
    replay("consultation", bodies::consultation, 3);
}

/// The seeds are whole consultations, so the fuzzer starts from files that open and mutates
/// them part by part; a seed that no longer opens would only test the first refusal.
#[test]
fn consultation_seeds_open() {
    let seeds: Vec<_> = inputs("consultation").into_iter().filter(|p| is_seed(p)).collect();
    assert!(seeds.len() >= 3, "only {} consultation seeds", seeds.len());
    for seed in seeds {
        let bytes = std::fs::read(&seed).unwrap();
        let limits = smp_studio::engine::photo::PhotoLimits::DEFAULT;
        if let Err(e) = Consultation::from_container_bytes(&bytes, "seed.smpc", &limits) {
            panic!("{} does not open: {e}", seed.display());
        }
    }
}

fn is_seed(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("seed-"))
}

/// Writes the consultation seeds: `cargo test --test fuzz_corpus -- --ignored`. Small on
/// purpose (a few hundred bytes each): tiny photos, every part present.
#[test]
#[ignore = "writes the seed files; run by hand when the format changes"]
fn write_consultation_seeds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/consultation");
    std::fs::create_dir_all(&dir).unwrap();
    let photo = RgbImage::from_fn(12, 8, |x, y| Rgb([150 + x as u8 * 4, 120 + y as u8 * 5, 100]));
    let mut png = Vec::new();
    photo.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    let mut jpeg = Vec::new();
    photo.write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg).unwrap();
    let paint = |c: &mut Consultation| {
        let brush = Brush { radius_px: 3.0, hardness: 0.5, mode: BrushMode::Paint };
        stroke(&brush, c.masks.get_mut(RegionKind::Bald), &[(2.0, 2.0), (9.0, 5.0)]);
    };
    let preset = preset::bundled().remove(0);

    let mut kept = Consultation::new("scalp.png".into(), photo.clone(), preset.clone())
        .with_photo_file(Arc::from(png), "png");
    paint(&mut kept);
    write_seed(&dir.join("seed-png.smpc"), &kept);

    let decoded = smp_studio::engine::photo::decode(&jpeg, "scalp.jpg").unwrap();
    let mut designed = Consultation::new("IMG_1.jpg".into(), decoded, preset.clone())
        .with_photo_file(Arc::from(jpeg), "jpg");
    designed.hairline_design = Some(HairlineDesign {
        handles: vec![[1.0, 6.0], [6.0, 2.0], [11.0, 6.0]],
        ..HairlineDesign::default()
    });
    designed.notes = PatientNotes { label: "A. B.".into(), date: "2026-11-29".into(), notes: "crown".into() };
    write_seed(&dir.join("seed-jpeg-design.smpc"), &designed);

    // No encoded photo kept: the pixels are saved as PNG.
    let mut plain = Consultation::new("scan".into(), photo, preset);
    plain.settings.session = 1;
    plain.settings.stage = Stage::Fresh;
    write_seed(&dir.join("seed-pixels.smpc"), &plain);
}

fn write_seed(path: &Path, consultation: &Consultation) {
    let bytes = consultation.write_container(std::io::Cursor::new(Vec::new())).unwrap().into_inner();
    assert!(bytes.len() < 8 * 1024, "{} is {} bytes", path.display(), bytes.len());
    std::fs::write(path, bytes).unwrap();
}

/// A short fuzzing run under plain `cargo test`, so every CI run explores a little: each stored
/// input, mutated the way a fuzzer does (bytes flipped, set to edge values, cut, repeated,
/// spliced), goes through each target's code. The same seed gives the same inputs, so a
/// failure names an input that can be written out and kept in `fuzz/regressions/`.
/// `SMP_FUZZ_ROUNDS` sets the mutations per stored input (default 400).
#[test]
fn mutated_inputs_never_panic() {
    let rounds: usize = std::env::var("SMP_FUZZ_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(400);
    let targets: [Target; 3] =
        [("preset", bodies::preset), ("photo", bodies::photo), ("consultation", bodies::consultation)];
    let mut failures = Vec::new();
    let mut rng = Mutator(0x5eed_cafe_f00d_0001);
    for (target, body) in targets {
        for file in inputs(target) {
            let original = std::fs::read(&file).unwrap();
            for round in 0..rounds {
                let data = rng.mutate(&original);
                if std::panic::catch_unwind(|| body(&data)).is_err() {
                    failures.push(format!(
                        "{target}: {} round {round} ({} bytes)",
                        file.display(),
                        data.len()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "mutated inputs that panic:\n{}", failures.join("\n"));
}

/// A fuzz target: its name and what it does with one input.
type Target = (&'static str, fn(&[u8]));

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Mutator(u64);

impl Mutator {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    /// One to four mutations of `input`.
    fn mutate(&mut self, input: &[u8]) -> Vec<u8> {
        let mut data = input.to_vec();
        for _ in 0..=self.below(4) {
            let at = self.below(data.len());
            match self.below(6) {
                0 if !data.is_empty() => data[at] ^= 1 << self.below(8),
                1 if !data.is_empty() => data[at] = [0, 0xff, 0x7f, 0x80, b'9'][self.below(5)],
                2 => data.truncate(at),
                3 => {
                    let len = self.below(64).min(data.len() - at.min(data.len()));
                    let chunk = data[at..at + len].to_vec();
                    data.splice(at..at, chunk);
                }
                4 => {
                    let byte = self.next() as u8;
                    data.insert(at, byte);
                }
                _ if data.len() >= 4 => {
                    // Four bytes at once: sizes and counts in headers.
                    let value = [0u32, 1, u32::MAX, 0x7fff_ffff, 65_536][self.below(5)].to_le_bytes();
                    let at = at.min(data.len() - 4);
                    data[at..at + 4].copy_from_slice(&value);
                }
                _ => {}
            }
        }
        data
    }
}
