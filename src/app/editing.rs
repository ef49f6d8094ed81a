//! Editing the regions: brush strokes, lasso fills, the tint overlay that shows them, undo
//! and redo, and calibrating the scale.

use super::worker::Change;
use super::{SmpApp, Tool, texture_options};
use crate::engine::brush::{Brush, BrushMode, StrokeInterpolator, fill_polygon};
use crate::engine::history::{Applied, Edit, MaskPatch};
use crate::engine::mask::{Mask, PixelRect, RegionKind};
use crate::engine::units::Scale;
use eframe::egui::{self, Color32, ColorImage};

/// A stroke in progress: the layers as they were when it began, for the undo step.
pub(super) struct StrokeRecord {
    interpolator: StrokeInterpolator,
    before: Vec<(RegionKind, Mask)>,
    rect: PixelRect,
}

impl SmpApp {
    pub(super) fn undo_redo(&mut self, redo: bool) {
        self.end_stroke();
        let mut look = self.look();
        let masks = &mut self.consultation.masks;
        let applied =
            if redo { self.history.redo(masks, &mut look) } else { self.history.undo(masks, &mut look) };
        if applied.is_some() {
            self.edited();
        }
        match applied {
            Some(Applied::Masks(changes)) => {
                for (kind, rect) in changes {
                    self.refresh_tint(rect);
                    self.changed(if kind == RegionKind::Scar {
                        Change::Everything
                    } else {
                        Change::Region(rect)
                    });
                }
            }
            Some(Applied::Look) => {
                let scale_changed = look.settings.scale != self.consultation.settings.scale;
                self.consultation.preset = look.preset;
                self.consultation.settings = look.settings;
                if scale_changed {
                    self.consultation.refresh_hair();
                }
                self.look_anchor = self.look();
                self.changed(Change::Everything);
            }
            None => {}
        }
    }

    /// Closes the stroke in progress as one undo step.
    pub(super) fn end_stroke(&mut self) {
        let Some(record) = self.stroke.take() else { return };
        let patches: Vec<MaskPatch> = record
            .before
            .iter()
            .filter_map(|(kind, before)| {
                MaskPatch::capture(*kind, record.rect, before, &self.consultation.masks)
            })
            .collect();
        if !patches.is_empty() {
            self.record(Edit::Masks(patches));
        }
    }

    /// Sets the scale from a measured line and the length a person typed.
    pub fn calibrate(&mut self, length_px: f32, length_mm: f32) -> Result<(), String> {
        let scale =
            (length_mm > 0.0).then(|| Scale::new(length_px / length_mm)).flatten().ok_or_else(|| {
                format!("{length_mm} mm over {length_px:.0} px is not a usable scale; measure a longer line")
            })?;
        self.consultation.settings.scale = scale;
        self.consultation.refresh_hair();
        self.scale_calibrated = true;
        self.changed(Change::Everything);
        Ok(())
    }

    /// Recomputes the region tint overlay inside `rect` and uploads just that part.
    pub(super) fn refresh_tint(&mut self, rect: PixelRect) {
        if rect.is_empty() {
            return;
        }
        let masks = &self.consultation.masks;
        let width = masks.width() as usize;
        for y in rect.y0..rect.y1 {
            for x in rect.x0..rect.x1 {
                let mut color = Color32::TRANSPARENT;
                for kind in RegionKind::ALL {
                    if !self.controls.show_region[kind.index()] {
                        continue;
                    }
                    let coverage = masks.get(kind).get(x, y);
                    if coverage > 0 {
                        let [r, g, b] = kind.tint_srgb();
                        // Opacity is applied when drawing, so dragging its slider costs nothing.
                        let top = Color32::from_rgba_unmultiplied(r, g, b, coverage);
                        color = color.blend(top);
                    }
                }
                self.tint_image.pixels[y as usize * width + x as usize] = color;
            }
        }
        if rect == PixelRect::full(masks.width(), masks.height()) {
            self.textures.tint.set(self.tint_image.clone(), texture_options());
            return;
        }
        let w = (rect.x1 - rect.x0) as usize;
        let h = (rect.y1 - rect.y0) as usize;
        let mut part = ColorImage::filled([w, h], Color32::TRANSPARENT);
        for row in 0..h {
            let src = (rect.y0 as usize + row) * width + rect.x0 as usize;
            part.pixels[row * w..(row + 1) * w].copy_from_slice(&self.tint_image.pixels[src..src + w]);
        }
        self.textures.tint.set_partial([rect.x0 as usize, rect.y0 as usize], part, texture_options());
    }

    /// The layers the current tool changes and how, or `None` for tools that do not paint.
    pub(super) fn brush_targets(&self, erase_all: bool) -> Option<(Vec<RegionKind>, BrushMode)> {
        match self.controls.tool {
            Tool::Paint(kind) => Some((vec![kind], BrushMode::Paint)),
            Tool::Eraser if erase_all => Some((RegionKind::ALL.to_vec(), BrushMode::Erase)),
            Tool::Eraser => Some((vec![self.controls.erase_region], BrushMode::Erase)),
            Tool::Pan | Tool::Measure => None,
        }
    }

    pub(super) fn paint(&mut self, points_image: &[egui::Pos2], started: bool, erase_all: bool) {
        let Some((kinds, mode)) = self.brush_targets(erase_all) else { return };
        let scale = self.consultation.settings.scale;
        let brush = Brush {
            radius_px: scale.px(self.controls.brush_diameter_mm * 0.5),
            hardness: self.controls.brush_hardness,
            mode,
        };
        if started || self.stroke.is_none() {
            self.end_stroke();
            let masks = &self.consultation.masks;
            self.stroke = Some(StrokeRecord {
                interpolator: StrokeInterpolator::default(),
                before: kinds.iter().map(|&k| (k, masks.get(k).clone())).collect(),
                rect: PixelRect { x0: 0, y0: 0, x1: 0, y1: 0 },
            });
        }
        let Some(record) = self.stroke.as_mut() else { return };
        let mut dirty = PixelRect { x0: 0, y0: 0, x1: 0, y1: 0 };
        for p in points_image {
            for (x, y) in record.interpolator.to((p.x, p.y), brush.spacing_px()) {
                for (kind, _) in &record.before {
                    dirty = dirty.union(brush.dab(self.consultation.masks.get_mut(*kind), x, y));
                }
            }
        }
        record.rect = record.rect.union(dirty);
        // A scar's tone blending depends on the whole scar, so it re-renders in full.
        let scar = record.before.iter().any(|(k, _)| *k == RegionKind::Scar);
        if !dirty.is_empty() {
            self.refresh_tint(dirty);
            self.changed(if scar { Change::Everything } else { Change::Region(dirty) });
        }
    }

    /// Fills (or clears) the inside of a lasso outline as one undo step.
    pub(super) fn fill_outline(&mut self, outline: &[egui::Pos2], erase_all: bool) {
        let Some((kinds, mode)) = self.brush_targets(erase_all) else { return };
        let points: Vec<(f32, f32)> = outline.iter().map(|p| (p.x, p.y)).collect();
        let mut patches = Vec::new();
        for kind in kinds {
            let before = self.consultation.masks.get(kind).clone();
            let rect = fill_polygon(self.consultation.masks.get_mut(kind), &points, mode);
            if let Some(patch) = MaskPatch::capture(kind, rect, &before, &self.consultation.masks) {
                self.refresh_tint(rect);
                self.changed(if kind == RegionKind::Scar {
                    Change::Everything
                } else {
                    Change::Region(rect)
                });
                patches.push(patch);
            }
        }
        if !patches.is_empty() {
            self.record(Edit::Masks(patches));
        }
    }

    pub(super) fn refresh_all_tint(&mut self) {
        let masks = &self.consultation.masks;
        self.refresh_tint(PixelRect::full(masks.width(), masks.height()));
    }
}
