//! Writes the inputs of the end-to-end render timing to a folder: a 12 MP synthetic scalp
//! photo at 15 px/mm as a JPEG (quality 90, as a phone writes) and a hairline, a bald-spot and
//! a scar mask as PNGs. Another size is given as `--size WIDTHxHEIGHT` (e.g. 8000x6000 for 48 MP).
//!
//! `cargo run --release --example bench_inputs -- /tmp/smp-bench`
//! `smp-studio render --photo /tmp/smp-bench/scalp.jpg --px-per-mm 15 \
//!     --mask hairline=/tmp/smp-bench/hairline.png --mask bald=/tmp/smp-bench/bald.png \
//!     --mask scar=/tmp/smp-bench/scar.png --out /tmp/smp-bench/out.png`

use anyhow::Context;
use image::codecs::jpeg::JpegEncoder;
use smp_studio::engine::mask::RegionKind;
use smp_studio::engine::synth::{self, ScalpParams};
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut folder = None;
    let (mut width, mut height) = (4000u32, 3000u32);
    while let Some(arg) = args.next() {
        if arg == "--size" {
            let size = args.next().context("--size needs WIDTHxHEIGHT")?;
            let (w, h) = size.split_once('x').context("write --size as WIDTHxHEIGHT, e.g. 4000x3000")?;
            (width, height) = (w.parse()?, h.parse()?);
        } else {
            folder = Some(PathBuf::from(arg));
        }
    }
    let folder = folder.context("give the folder to write into")?;
    std::fs::create_dir_all(&folder)?;
    let params = ScalpParams { px_per_mm: 15.0, ..ScalpParams::sample() }.with_size(width, height);
    let photo = synth::generate(&params).photo;
    let file = std::io::BufWriter::new(std::fs::File::create(folder.join("scalp.jpg"))?);
    JpegEncoder::new_with_quality(file, 90).encode_image(&photo)?;
    let masks = synth::three_regions(width, height);
    for kind in RegionKind::ALL {
        masks.get(kind).to_gray().save(folder.join(format!("{}.png", kind.key())))?;
    }
    println!("wrote {}×{} inputs to {}", width, height, folder.display());
    Ok(())
}
