//! Colours and light: the palette and the dome's shading.

use super::*;

/// Colours in linear light.
pub(super) struct Palette {
    pub(super) skin: [f32; 3],
    pub(super) hair: [f32; 3],
}

impl Palette {
    pub(super) fn new(params: &ScalpParams) -> Self {
        Self { skin: srgb8_to_linear(params.skin_srgb), hair: srgb8_to_linear(params.hair_srgb) }
    }
}

/// The scalp seen from above as a dome lit by a soft overhead lamp a little towards the
/// forehead: Lambert falloff darkens the frame's edges and a broad specular lobe gives the sheen
/// of scalp skin.
pub(super) struct Lighting {
    pub(super) centre_mm: [f32; 2],
    pub(super) semi_axes_mm: [f32; 2],
    pub(super) to_light: [f32; 3],
    pub(super) half_vector: [f32; 3],
}

pub(super) const AMBIENT: f32 = 0.22;
pub(super) const SHEEN_BROAD: f32 = 0.08;
pub(super) const SHEEN_TIGHT: f32 = 0.2;
pub(super) const LIGHT_RGB: [f32; 3] = [1.0, 0.97, 0.92];

impl Lighting {
    pub(super) fn new(frame: &Frame) -> Self {
        let to_light = normalise3([-0.06, -0.7, 1.0]);
        let half_vector = normalise3([to_light[0], to_light[1], to_light[2] + 1.0]);
        Self {
            centre_mm: [frame.width_mm * 0.5, frame.height_mm * 0.56],
            semi_axes_mm: [frame.width_mm * 0.6, frame.height_mm * 0.8],
            to_light,
            half_vector,
        }
    }

    /// Surface normal of the dome (an ellipsoid cap) at a point of the frame.
    pub(super) fn normal(&self, x_mm: f32, y_mm: f32) -> [f32; 3] {
        let u = (x_mm - self.centre_mm[0]) / self.semi_axes_mm[0];
        let v = (y_mm - self.centre_mm[1]) / self.semi_axes_mm[1];
        // Soft limit: the frame stays on the head, the edges just turn steeply away.
        let r2 = u * u + v * v;
        let r2 = (r2 / (1.0 + r2 / 3.6)).min(0.97);
        normalise3([u, v, (1.0 - r2).sqrt()])
    }

    /// Diffuse irradiance in `[AMBIENT, 1]`.
    pub(super) fn diffuse(&self, normal: [f32; 3]) -> f32 {
        AMBIENT + (1.0 - AMBIENT) * dot3(normal, self.to_light).max(0.0)
    }

    /// Specular sheen (Blinn–Phong with a broad and a tighter lobe).
    pub(super) fn sheen(&self, normal: [f32; 3]) -> f32 {
        let n_h = dot3(normal, self.half_vector).max(0.0);
        let p8 = {
            let p2 = n_h * n_h;
            let p4 = p2 * p2;
            p4 * p4
        };
        let p64 = {
            let p16 = p8 * p8;
            let p32 = p16 * p16;
            p32 * p32
        };
        SHEEN_BROAD * p8 + SHEEN_TIGHT * p64
    }
}
