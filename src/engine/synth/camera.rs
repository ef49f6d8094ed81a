//! A camera model for tests: photographs a sharp, finely sampled scalp the way a phone does.
//!
//! The simulation must commute with the camera: simulating SMP on a photo must look like a photo
//! of the scalp after SMP, taken with the same camera. Tests check that by treating a sharp
//! synthetic scalp, photographing it with this model, and comparing the result with a simulation
//! on the photographed untreated scalp. Everything happens in linear light, in this order: lens
//! blur (a Gaussian PSF in mm on the scalp), pixel integration at the camera's coarser scale, a
//! specular highlight added on top of the diffuse light, sensor noise and clipping, sRGB
//! encoding and JPEG compression.

use super::numbers::{SrgbEncoder, detmath, srgb8_to_linear};
use crate::engine::rng::hash3;
use image::RgbImage;

/// A shiny spot where the lamp is mirrored by the skin surface.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Highlight {
    /// Centre on the scalp, mm from the frame's top-left corner.
    pub centre_mm: [f32; 2],
    /// Standard deviation of the spot's Gaussian falloff.
    pub radius_mm: f32,
    /// Reflected light at the centre, linear (1 = full white); above about 0.6 the core clips.
    pub peak: f32,
    /// Colour of the lamp, linear RGB, brightest channel 1.
    pub light_rgb: [f32; 3],
}

/// One camera: its optics, sampling, light and sensor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    /// Optical blur: σ of the Gaussian PSF, in mm on the scalp.
    pub blur_mm: f32,
    /// Pixels per mm on the scalp of the photographs it takes.
    pub px_per_mm: f32,
    pub highlight: Option<Highlight>,
    /// Sensor noise: σ of the read noise and the shot-noise factor (σ² = read² + shot · signal),
    /// linear light.
    pub read_noise: f32,
    pub shot_noise: f32,
    /// JPEG quality 1–100, or `None` for a lossless photo.
    pub jpeg_quality: Option<u8>,
    pub seed: u64,
}

const TAG_NOISE: u64 = 0xCA3E_0001;

impl Camera {
    /// Takes a photo of `scene`, a sharp photograph sampled at `scene_px_per_mm`. The photo
    /// covers the same part of the scalp; its size is the scene's scaled to the camera.
    pub fn photograph(&self, scene: &RgbImage, scene_px_per_mm: f32) -> RgbImage {
        let (w, h) = (scene.width() as usize, scene.height() as usize);
        let linear: Vec<[f32; 3]> = scene.pixels().map(|p| srgb8_to_linear(p.0)).collect();
        let blurred = gaussian_blur_rgb(&linear, w, h, self.blur_mm * scene_px_per_mm);
        let ratio = self.px_per_mm / scene_px_per_mm;
        let out_w = ((w as f32 * ratio).round() as usize).max(1);
        let out_h = ((h as f32 * ratio).round() as usize).max(1);
        let sampled = area_resample(&blurred, w, h, out_w, out_h);
        let encoder = SrgbEncoder::new();
        let mut photo = RgbImage::new(out_w as u32, out_h as u32);
        for (i, (out, px)) in photo.chunks_exact_mut(3).zip(&sampled).enumerate() {
            let (x, y) = (i % out_w, i / out_w);
            let shine = self.highlight.map_or(0.0, |hl| {
                let dx = (x as f32 + 0.5) / self.px_per_mm - hl.centre_mm[0];
                let dy = (y as f32 + 0.5) / self.px_per_mm - hl.centre_mm[1];
                hl.peak * detmath::exp(-0.5 * (dx * dx + dy * dy) / (hl.radius_mm * hl.radius_mm))
            });
            let light = self.highlight.map_or([1.0; 3], |hl| hl.light_rgb);
            let h = hash3(self.seed, TAG_NOISE, x as i64, y as i64);
            for c in 0..3 {
                let signal = px[c] + shine * light[c];
                let sigma = (self.read_noise * self.read_noise + self.shot_noise * signal.max(0.0)).sqrt();
                let n = normalish(h.rotate_left(16 * c as u32));
                out[c] = encoder.encode(signal + sigma * n);
            }
        }
        match self.jpeg_quality {
            Some(quality) => jpeg_round_trip(&photo, quality).unwrap_or(photo),
            None => photo,
        }
    }
}

/// An approximately standard-normal deviate from one hash (sum of four 16-bit uniforms).
fn normalish(h: u64) -> f32 {
    let part = |shift: u32| ((h >> shift) & 0xFFFF) as f32 / 65535.0;
    (part(0) + part(16) + part(32) + part(48) - 2.0) * 3.0_f32.sqrt()
}

fn jpeg_round_trip(photo: &RgbImage, quality: u8) -> Option<RgbImage> {
    let mut bytes = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality.clamp(1, 100));
    photo.write_with_encoder(encoder).ok()?;
    image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg).ok().map(|i| i.to_rgb8())
}

/// Separable Gaussian blur of linear RGB, clamping at the borders.
pub fn gaussian_blur_rgb(rgb: &[[f32; 3]], w: usize, h: usize, sigma_px: f32) -> Vec<[f32; 3]> {
    if sigma_px < 0.05 || w == 0 || h == 0 {
        return rgb.to_vec();
    }
    let channels: [Vec<f32>; 3] = std::array::from_fn(|c| {
        let plane: Vec<f32> = rgb.iter().map(|p| p[c]).collect();
        super::features::gaussian_blur_reaching(&plane, w, h, sigma_px, 3.5)
    });
    (0..rgb.len()).map(|i| [channels[0][i], channels[1][i], channels[2][i]]).collect()
}

/// Resamples by exact area averaging: each output pixel is the mean of the input over its
/// footprint, as a sensor pixel integrates the light falling on it.
pub fn area_resample(rgb: &[[f32; 3]], w: usize, h: usize, out_w: usize, out_h: usize) -> Vec<[f32; 3]> {
    let rows = area_weights(h, out_h);
    let cols = area_weights(w, out_w);
    let mut across = vec![[0.0f32; 3]; h * out_w];
    for y in 0..h {
        for (ox, taps) in cols.iter().enumerate() {
            let mut sum = [0.0f32; 3];
            for &(x, wt) in taps {
                let p = rgb[y * w + x];
                for c in 0..3 {
                    sum[c] += wt * p[c];
                }
            }
            across[y * out_w + ox] = sum;
        }
    }
    let mut out = vec![[0.0f32; 3]; out_w * out_h];
    for (oy, taps) in rows.iter().enumerate() {
        for ox in 0..out_w {
            let mut sum = [0.0f32; 3];
            for &(y, wt) in taps {
                let p = across[y * out_w + ox];
                for c in 0..3 {
                    sum[c] += wt * p[c];
                }
            }
            out[oy * out_w + ox] = sum;
        }
    }
    out
}

/// For each output sample, the input samples it overlaps and the share of its footprint each
/// covers.
fn area_weights(len: usize, out_len: usize) -> Vec<Vec<(usize, f32)>> {
    let step = len as f64 / out_len as f64;
    (0..out_len)
        .map(|o| {
            let (a, b) = (o as f64 * step, (o + 1) as f64 * step);
            let first = a.floor() as usize;
            let last = (b.ceil() as usize).min(len);
            (first..last)
                .filter_map(|i| {
                    let overlap = (b.min(i as f64 + 1.0) - a.max(i as f64)).max(0.0);
                    (overlap > 0.0).then_some((i, (overlap / step) as f32))
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::unit;

    #[test]
    fn area_resampling_keeps_the_mean_light() {
        let w = 37;
        let rgb: Vec<[f32; 3]> = (0..w * w).map(|i| [unit(i as u64) as f32, 0.5, 0.25]).collect();
        let out = area_resample(&rgb, w, w, 10, 10);
        let mean = |v: &[[f32; 3]]| v.iter().map(|p| p[0] as f64).sum::<f64>() / v.len() as f64;
        assert!((mean(&rgb) - mean(&out)).abs() < 1e-4);
        assert!(out.iter().all(|p| (p[1] - 0.5).abs() < 1e-5));
    }

    #[test]
    fn a_photo_covers_the_same_scalp_at_the_camera_scale() {
        let scene = RgbImage::from_pixel(200, 100, image::Rgb([180, 140, 120]));
        let camera = Camera {
            blur_mm: 0.1,
            px_per_mm: 4.0,
            highlight: None,
            read_noise: 0.0,
            shot_noise: 0.0,
            jpeg_quality: None,
            seed: 1,
        };
        let photo = camera.photograph(&scene, 20.0);
        assert_eq!(photo.dimensions(), (40, 20));
        assert!(photo.pixels().all(|p| p.0 == [180, 140, 120]));
    }
}
