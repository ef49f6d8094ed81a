//! Timings of the engine's stages on a generated 12 MP scalp photo at 15 px/mm with a
//! hairline, a bald crown and a scar painted: the same inputs as `smp-studio bench`, timed by
//! divan (`cargo bench --bench engine`), so a change can be compared stage by stage.
//!
//! The first stage, `baseline`, is one pass over the photo through the renderer's colour
//! tables: the least any render can cost. Compare the others to it rather than to a number
//! from another machine or another day.

use divan::{Bencher, black_box};
use image::RgbImage;
use smp_studio::engine::analysis::PhotoAnalysis;
use smp_studio::engine::brush::{Brush, BrushMode};
use smp_studio::engine::export::{self, ExportOptions};
use smp_studio::engine::hair::{self, HairMap};
use smp_studio::engine::mask::{PixelRect, RegionKind, RegionMasks};
use smp_studio::engine::sim::{self, Scene, SimSettings};
use smp_studio::engine::synth::{self, ScalpParams};
use smp_studio::engine::units::Scale;
use smp_studio::engine::{color, photo, preset};
use std::sync::LazyLock;

const PX_PER_MM: f32 = 15.0;
const SCALE: Scale = Scale { px_per_mm: PX_PER_MM };

struct Inputs {
    photo: RgbImage,
    hair: HairMap,
    analysis: PhotoAnalysis,
    masks: RegionMasks,
    preset: preset::Preset,
    jpeg: Vec<u8>,
}

static INPUTS: LazyLock<Inputs> = LazyLock::new(|| {
    let params = ScalpParams { px_per_mm: PX_PER_MM, ..ScalpParams::sample() }.with_size(4000, 3000);
    let photo = synth::generate(&params).photo;
    let hair = hair::detect(&photo, SCALE);
    let analysis = PhotoAnalysis::new(&photo, SCALE);
    let masks = synth::three_regions(photo.width(), photo.height());
    let options =
        ExportOptions { format: export::ImageFormat::Jpeg, jpeg_quality: 90, ..ExportOptions::default() };
    let jpeg = export::encode(&photo, &options).unwrap_or_default();
    let preset = preset::bundled().into_iter().next().unwrap_or_default();
    Inputs { photo, hair, analysis, masks, preset, jpeg }
});

fn scene(inputs: &Inputs) -> Scene<'_> {
    Scene {
        photo: &inputs.photo,
        hair: Some(&inputs.hair),
        masks: &inputs.masks,
        preset: &inputs.preset,
        settings: SimSettings { scale: SCALE, ..SimSettings::default() },
        analysis: Some(&inputs.analysis),
        compression: None,
    }
}

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 10)]
fn baseline(bencher: Bencher) {
    let inputs = &*INPUTS;
    let mut out = RgbImage::new(inputs.photo.width(), inputs.photo.height());
    bencher.bench_local(|| color::round_trip_into(black_box(&inputs.photo), &mut out));
}

#[divan::bench(sample_count = 10)]
fn photo_analysis(bencher: Bencher) {
    let inputs = &*INPUTS;
    bencher.bench(|| PhotoAnalysis::new(black_box(&inputs.photo), SCALE));
}

#[divan::bench(sample_count = 10)]
fn hair_detection(bencher: Bencher) {
    let inputs = &*INPUTS;
    bencher.bench(|| hair::detect(black_box(&inputs.photo), SCALE));
}

#[divan::bench(sample_count = 10)]
fn full_render(bencher: Bencher) {
    let inputs = &*INPUTS;
    bencher.bench(|| sim::render(black_box(&scene(inputs))));
}

#[divan::bench(sample_count = 20)]
fn dab_to_preview(bencher: Bencher) {
    let inputs = &*INPUTS;
    let mut masks = inputs.masks.clone();
    let mut image = sim::render(&scene(inputs)).image;
    let dab = Brush { radius_px: SCALE.px(5.0), hardness: 0.6, mode: BrushMode::Paint };
    let mut x = 1300.0;
    bencher.bench_local(|| {
        x += 37.0;
        let dirty = dab.dab(masks.get_mut(RegionKind::Bald), x, 1900.0);
        let scene = Scene { masks: &masks, ..scene(inputs) };
        let grown = dirty.expand(sim::influence_px(&scene), PixelRect::full(image.width(), image.height()));
        sim::render_into(&scene, &mut image, grown)
    });
}

#[divan::bench(sample_count = 10)]
fn jpeg_decode(bencher: Bencher) {
    let inputs = &*INPUTS;
    bencher.bench(|| photo::decode(black_box(&inputs.jpeg), "bench.jpg"));
}

#[divan::bench(sample_count = 10)]
fn png_encode(bencher: Bencher) {
    let inputs = &*INPUTS;
    bencher.bench(|| export::encode(black_box(&inputs.photo), &ExportOptions::default()));
}
