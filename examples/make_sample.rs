//! Regenerates the bundled sample consultation in `assets/sample/`:
//! the synthetic scalp photo (with a patch of FUE extraction scars at the back), its
//! ground-truth hair mask, the three painted regions and the consultation settings; and the
//! shipped blue-noise dot pattern `assets/dot-pattern.bin`.
//!
//! `cargo run --release --example make_sample`

use image::{GrayImage, Luma, Rgb, RgbImage};
use smp_studio::engine::color::{linear_to_srgb8, srgb8_to_linear};
use smp_studio::engine::consultation::ConsultationMeta;
use smp_studio::engine::mask::{Mask, RegionKind};
use smp_studio::engine::rng::Rng;
use smp_studio::engine::sim::{SimSettings, Stage};
use smp_studio::engine::synth::{self, ScalpParams};
use smp_studio::engine::units::Scale;
use std::path::Path;

fn main() -> anyhow::Result<()> {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample");
    std::fs::create_dir_all(&out)?;
    let params = ScalpParams::sample();
    let scale = Scale { px_per_mm: params.px_per_mm };
    let mut scalp = synth::generate(&params);
    let (w, h) = scalp.photo.dimensions();

    let scar_centre = (0.5 * w as f32, 0.9 * h as f32);
    let scar_radii_px = (scale.px(32.0), scale.px(7.0));
    add_fue_scars(&mut scalp.photo, &mut scalp.hair_mask, scale, scar_centre, scar_radii_px);

    let hairline = hairline_region(w, h, scale);
    let bald =
        blob(w, h, (0.5 * w as f32, 0.62 * h as f32), (scale.px(27.0), scale.px(24.0)), scale.px(6.0), 11);
    let scar = blob(
        w,
        h,
        scar_centre,
        (scar_radii_px.0 + scale.px(3.0), scar_radii_px.1 + scale.px(3.0)),
        scale.px(2.5),
        12,
    );

    let encoder_out = std::fs::File::create(out.join("scalp.jpg"))?;
    let encoder =
        image::codecs::jpeg::JpegEncoder::new_with_quality(std::io::BufWriter::new(encoder_out), 93);
    scalp.photo.write_with_encoder(encoder)?;
    scalp.hair_mask.save(out.join("scalp-hair.png"))?;
    hairline.to_gray().save(out.join("hairline.png"))?;
    bald.to_gray().save(out.join("bald.png"))?;
    scar.to_gray().save(out.join("scar.png"))?;

    let meta = ConsultationMeta {
        version: 2,
        photo: "scalp.jpg".into(),
        photo_name: Some("scalp.jpg".into()),
        masks: RegionKind::ALL.iter().map(|k| (k.key().to_owned(), format!("{}.png", k.key()))).collect(),
        preset: "Light skin · soft hairline".into(),
        settings: SimSettings {
            scale,
            seed: 1,
            session: 3,
            stage: Stage::Healed { years: 0.0 },
            photo_sharpness_mm: None,
            head: Default::default(),
        },
        preset_data: None,
        calibrated: Some(true),
        show_regions: Some([false; 3]),
        notes: Default::default(),
        hairline_design: None,
    };
    let text = ron::ser::to_string_pretty(&meta, ron::ser::PrettyConfig::new())?;
    std::fs::write(out.join("consultation.ron"), text + "\n")?;
    let pattern_file = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/dot-pattern.bin");
    std::fs::write(
        &pattern_file,
        smp_studio::engine::sim::pattern::encode(&smp_studio::engine::sim::pattern::generate()),
    )?;
    println!(
        "wrote the sample consultation to {} and the dot pattern to {}",
        out.display(),
        pattern_file.display()
    );
    Ok(())
}

/// The band between a new, lower front line and the receded hair: filled like a lasso with a
/// soft edge, so the hairline's front sits at the top of the region.
fn hairline_region(w: u32, h: u32, scale: Scale) -> Mask {
    let mut mask = Mask::new(w, h);
    let soft_px = scale.px(1.5);
    for x in 0..w {
        let u = (x as f32 / w as f32 - 0.5) * 2.0; // −1 … 1 across the frame
        // New front: a gentle arc, lower (further back) at the temples.
        let front = scale.px(14.0) + scale.px(16.0) * u * u;
        let back = scale.px(42.0) + scale.px(14.0) * u * u;
        for y in 0..h {
            let yf = y as f32 + 0.5;
            let inside = (yf - front).min(back - yf);
            if inside > -soft_px {
                let t = ((inside + soft_px) / (2.0 * soft_px)).clamp(0.0, 1.0);
                mask.set(x, y, (t * 255.0).round() as u8);
            }
        }
    }
    mask
}

/// A hand-painted-looking irregular ellipse: a chain of soft dabs around a wobbling outline,
/// then filled.
fn blob(w: u32, h: u32, centre: (f32, f32), radii: (f32, f32), soft_px: f32, seed: u64) -> Mask {
    let mut mask = Mask::new(w, h);
    let mut rng = Rng::new(seed);
    let phases: Vec<f64> = (0..4).map(|_| rng.range(0.0, std::f64::consts::TAU)).collect();
    for y in 0..h {
        for x in 0..w {
            let dx = (x as f32 + 0.5 - centre.0) / radii.0;
            let dy = (y as f32 + 0.5 - centre.1) / radii.1;
            let angle = dy.atan2(dx) as f64;
            let wobble = 1.0
                + 0.06 * (2.0 * angle + phases[0]).sin() as f32
                + 0.04 * (3.0 * angle + phases[1]).sin() as f32
                + 0.025 * (5.0 * angle + phases[2]).sin() as f32;
            let r = (dx * dx + dy * dy).sqrt();
            let edge_px = (wobble - r) * radii.0.min(radii.1);
            if edge_px > -soft_px {
                let t = ((edge_px + soft_px) / (2.0 * soft_px)).clamp(0.0, 1.0);
                mask.set(x, y, (t * 255.0).round() as u8);
            }
        }
    }
    mask
}

/// Pale, slightly shiny round scars (0.7–1.0 mm) where follicular units were extracted,
/// scattered over an elliptical donor patch.
fn add_fue_scars(
    photo: &mut RgbImage,
    hair: &mut GrayImage,
    scale: Scale,
    centre: (f32, f32),
    radii: (f32, f32),
) {
    let mut rng = Rng::new(0xF0E);
    let area_mm2 = std::f32::consts::PI * scale.mm(radii.0) * scale.mm(radii.1);
    let count = (area_mm2 * 0.22) as usize;
    // Scar tissue is paler and less red than the skin around it.
    let skin = mean_linear(photo);
    let scar_lin: [f32; 3] = std::array::from_fn(|c| (skin[c] * [1.3, 1.38, 1.42][c]).min(0.95));
    for _ in 0..count {
        let (a, r) = (rng.range(0.0, std::f64::consts::TAU) as f32, rng.unit().sqrt() as f32);
        let cx = centre.0 + a.cos() * r * radii.0;
        let cy = centre.1 + a.sin() * r * radii.1;
        let radius = scale.px(rng.range(0.35, 0.5) as f32);
        let reach = radius + 2.0;
        for y in (cy - reach).max(0.0) as u32..((cy + reach) as u32 + 1).min(photo.height()) {
            for x in (cx - reach).max(0.0) as u32..((cx + reach) as u32 + 1).min(photo.width()) {
                let d = ((x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2)).sqrt();
                let t = ((radius + 0.8 - d) / 1.6).clamp(0.0, 1.0) * 0.6;
                if t <= 0.0 {
                    continue;
                }
                let p = photo.get_pixel(x, y).0;
                let mixed: [u8; 3] = std::array::from_fn(|c| {
                    let under = srgb8_to_linear(p[c]);
                    linear_to_srgb8(under + (scar_lin[c] - under) * t)
                });
                photo.put_pixel(x, y, Rgb(mixed));
                if t > 0.5 {
                    hair.put_pixel(x, y, Luma([0]));
                }
            }
        }
    }
}

fn mean_linear(photo: &RgbImage) -> [f32; 3] {
    let mut sum = [0.0f64; 3];
    for p in photo.pixels() {
        for (total, &v) in sum.iter_mut().zip(&p.0) {
            *total += srgb8_to_linear(v) as f64;
        }
    }
    let n = (photo.width() as f64 * photo.height() as f64).max(1.0);
    sum.map(|s| (s / n) as f32)
}
