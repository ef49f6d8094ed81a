//! The open consultation as a document: its contents, its undo history, and whether it is
//! saved. [`Document::apply`] is the only way anything in it changes, and every change it makes
//! becomes part of an undo step.

use super::edit::{Change, Edit, RenderScope};
use crate::engine::analysis::PhotoAnalysis;
use crate::engine::brush::{Brush, BrushMode, StrokeInterpolator, fill_polygon};
use crate::engine::consultation::Consultation;
use crate::engine::design::HairlineDesign;
use crate::engine::files::Stamp;
use crate::engine::hair::HairMap;
use crate::engine::head::{Dome, OutlineChoice};
use crate::engine::history::{Applied, Choices, History, MaskPatch, Step};
use crate::engine::mask::{Mask, PixelRect, RegionKind};
use crate::engine::sim::MAX_PHOTO_SHARPNESS_MM;
use crate::engine::units::Scale;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The undo step of a designed hairline that took the place of a brushed one.
pub const REPLACED_PAINTED_HAIRLINE: &str = "hairline design over the painted one";

/// Where a document came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// The bundled sample.
    Sample,
    /// A photo file, opened to start a consultation.
    Photo(PathBuf),
    /// A saved consultation.
    File(PathBuf),
    /// Unsaved work brought back after a crash.
    Restored,
    /// Nothing could be opened; a plain placeholder.
    Blank,
}

/// A brush stroke under way: the layers as they were when it began, for its undo step.
struct Stroke {
    layers: Vec<RegionKind>,
    mode: BrushMode,
    interpolator: StrokeInterpolator,
    before: Vec<(RegionKind, Mask)>,
    rect: PixelRect,
}

/// The file a document was opened from or last saved to, and how it was on disk then.
#[derive(Clone, Debug, PartialEq)]
struct OnDisk {
    path: PathBuf,
    stamp: Option<Stamp>,
}

pub struct Document {
    consultation: Consultation,
    history: History,
    /// Counts the edits that changed the document.
    revision: u64,
    /// The revision a file on disk holds, if any does.
    saved_revision: Option<u64>,
    stroke: Option<Stroke>,
    /// The choices before the slider drag (or other gesture) under way, and what the gesture
    /// is, in words.
    gesture_from: Option<Box<Choices>>,
    gesture_name: &'static str,
    /// The hairline layer before the curve drag under way, and the pixels it changed since.
    gesture_layer: Option<(Mask, PixelRect)>,
    /// The photo file this consultation was started from: never to be written over.
    photo_path: Option<PathBuf>,
    file: Option<OnDisk>,
}

const EMPTY: PixelRect = PixelRect { x0: 0, y0: 0, x1: 0, y1: 0 };

impl Document {
    pub fn new(consultation: Consultation, origin: Origin) -> Document {
        let (photo_path, file) = match &origin {
            Origin::Photo(path) => (Some(path.clone()), None),
            Origin::File(path) => (None, Some(OnDisk { path: path.clone(), stamp: Stamp::of(path) })),
            _ => (None, None),
        };
        Document {
            consultation,
            history: History::default(),
            revision: 0,
            saved_revision: (origin != Origin::Restored).then_some(0),
            stroke: None,
            gesture_from: None,
            gesture_name: "",
            gesture_layer: None,
            photo_path,
            file,
        }
    }

    pub fn consultation(&self) -> &Consultation {
        &self.consultation
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// Counts edits; two equal revisions mean the same contents.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The document differs from every saved copy.
    pub fn unsaved(&self) -> bool {
        self.saved_revision != Some(self.revision)
    }

    /// What Undo would take back: the stroke being painted (its step is not recorded yet),
    /// or the last recorded step, in words.
    pub fn undo_name(&self) -> Option<&'static str> {
        match &self.stroke {
            Some(stroke) => Some(super::edit::stroke_name(stroke.mode)),
            None => self.history.undo_name(),
        }
    }

    /// A stroke is being painted (its undo step is not recorded yet).
    pub fn stroke_open(&self) -> bool {
        self.stroke.is_some()
    }

    /// The consultation file this document belongs to, where Save writes.
    pub fn file_path(&self) -> Option<&Path> {
        self.file.as_ref().map(|f| f.path.as_path())
    }

    /// The photo file the consultation was started from.
    pub fn photo_path(&self) -> Option<&Path> {
        self.photo_path.as_deref()
    }

    /// The consultation file was replaced on disk (by another window or program) since this
    /// document read or wrote it.
    pub fn changed_on_disk(&self) -> bool {
        self.file.as_ref().is_some_and(|f| Stamp::of(&f.path) != f.stamp)
    }

    /// The revision `revision` was written to `path`.
    pub(in crate::studio) fn saved(&mut self, revision: u64, path: &Path) {
        self.saved_revision = Some(revision);
        self.file = Some(OnDisk { path: path.to_path_buf(), stamp: Stamp::of(path) });
    }

    /// Everything of the consultation but its photo and regions.
    pub fn choices(&self) -> Choices {
        let c = &self.consultation;
        Choices {
            preset: c.preset.clone(),
            settings: c.settings,
            calibrated: c.calibrated,
            notes: c.notes.clone(),
            hairline_design: c.hairline_design.clone(),
        }
    }

    fn set_choices(&mut self, choices: Choices) {
        let c = &mut self.consultation;
        c.preset = choices.preset;
        c.settings = choices.settings;
        c.calibrated = choices.calibrated;
        c.notes = choices.notes;
        c.hairline_design = choices.hairline_design;
    }

    /// Keeps the hair and the photo's analysis a render measured, where they were measured on
    /// this photo at the scale in use. They follow from the photo and the scale, so this is
    /// no edit and no undo step.
    /// Says whether the photo had not been measured before.
    pub(super) fn adopt_measurements(&mut self, hair: Arc<HairMap>, analysis: Arc<PhotoAnalysis>) -> bool {
        let c = &mut self.consultation;
        if hair.scale == Some(c.settings.scale) && (hair.width(), hair.height()) == c.photo.dimensions() {
            c.hair = hair;
        }
        let first = !c.analysis.is_measured();
        if analysis.fits(&c.photo, c.settings.scale) {
            c.analysis = analysis;
            return first;
        }
        false
    }

    /// Applies one edit; says what must be redrawn.
    pub fn apply(&mut self, edit: Edit) -> Change {
        let change = match edit {
            Edit::Paint { layers, mode, radius_px, hardness, points_px } => {
                self.end_gesture();
                self.paint(layers, Brush { radius_px, hardness, mode }, &points_px)
            }
            Edit::Fill { layers, mode, outline_px } => {
                self.end_gesture();
                self.end_stroke();
                self.fill(&layers, mode, &outline_px)
            }
            Edit::Merge { kind, layer } => {
                self.end_gesture();
                self.end_stroke();
                self.merge(kind, &layer)
            }
            Edit::EndGesture => {
                self.end_stroke();
                self.end_gesture();
                Change::NONE
            }
            Edit::Undo | Edit::Redo => {
                self.end_stroke();
                self.end_gesture();
                self.undo_redo(edit == Edit::Redo)
            }
            Edit::ShowRegion { kind, shown } => {
                let mut tints = self.consultation.show_regions;
                tints[kind.index()] = shown;
                self.show_tints(tints)
            }
            Edit::ShowRegions(shown) => self.show_tints([shown; 3]),
            choice => {
                self.end_stroke();
                self.choose(choice)
            }
        };
        if change.edited {
            self.revision += 1;
        }
        change
    }

    fn paint(&mut self, layers: Vec<RegionKind>, brush: Brush, points_px: &[(f32, f32)]) -> Change {
        if self.stroke.as_ref().is_some_and(|s| s.layers != layers || s.mode != brush.mode) {
            self.end_stroke();
        }
        let masks = &self.consultation.masks;
        let stroke = self.stroke.get_or_insert_with(|| Stroke {
            before: layers.iter().map(|&k| (k, masks.get(k).clone())).collect(),
            layers,
            mode: brush.mode,
            interpolator: StrokeInterpolator::default(),
            rect: EMPTY,
        });
        let mut dirty = EMPTY;
        for &p in points_px {
            for (x, y) in stroke.interpolator.to(p, brush.spacing_px()) {
                for (kind, before) in &stroke.before {
                    dirty = dirty.union(brush.dab_over(self.consultation.masks.get_mut(*kind), before, x, y));
                }
            }
        }
        stroke.rect = stroke.rect.union(dirty);
        if dirty.is_empty() {
            return Change::NONE;
        }
        let scar = stroke.layers.contains(&RegionKind::Scar);
        Change { render: Some(mask_scope(&self.consultation, scar, dirty)), tint: Some(dirty), edited: true }
    }

    /// The stroke under way becomes one undo step.
    fn end_stroke(&mut self) {
        let Some(stroke) = self.stroke.take() else { return };
        let patches: Vec<MaskPatch> = stroke
            .before
            .iter()
            .filter_map(|(kind, before)| {
                MaskPatch::capture(*kind, stroke.rect, before, &self.consultation.masks)
            })
            .collect();
        if !patches.is_empty() {
            self.history.push(Step::Masks(patches), super::edit::stroke_name(stroke.mode));
        }
    }

    fn fill(&mut self, layers: &[RegionKind], mode: BrushMode, outline_px: &[(f32, f32)]) -> Change {
        let mut patches = Vec::new();
        let mut change = Change::NONE;
        for &kind in layers {
            let before = self.consultation.masks.get(kind).clone();
            let rect = fill_polygon(self.consultation.masks.get_mut(kind), outline_px, mode);
            if let Some(patch) = MaskPatch::capture(kind, rect, &before, &self.consultation.masks) {
                let scope = mask_scope(&self.consultation, kind == RegionKind::Scar, rect);
                change = change.merge(Change { render: Some(scope), tint: Some(rect), edited: true });
                patches.push(patch);
            }
        }
        if !patches.is_empty() {
            self.history.push(Step::Masks(patches), super::edit::outline_name(mode));
        }
        change
    }

    fn merge(&mut self, kind: RegionKind, layer: &Mask) -> Change {
        let current = self.consultation.masks.get(kind);
        if (layer.width(), layer.height()) != (current.width(), current.height()) {
            return Change::NONE;
        }
        let before = current.clone();
        let rect = layer.painted_bounds();
        let target = self.consultation.masks.get_mut(kind);
        for y in rect.y0..rect.y1 {
            for x in rect.x0..rect.x1 {
                let v = layer.get(x, y);
                if v > target.get(x, y) {
                    target.set(x, y, v);
                }
            }
        }
        match MaskPatch::capture(kind, rect, &before, &self.consultation.masks) {
            Some(patch) => {
                self.history.push(Step::Masks(vec![patch]), "suggested region");
                Change {
                    render: Some(mask_scope(&self.consultation, kind == RegionKind::Scar, rect)),
                    tint: Some(rect),
                    edited: true,
                }
            }
            None => Change::NONE,
        }
    }

    /// Which region tints show over the photo: a way of looking, as the zoom is, so no undo
    /// step and nothing to save for.
    fn show_tints(&mut self, tints: [bool; 3]) -> Change {
        if self.consultation.show_regions == tints {
            return Change::NONE;
        }
        self.consultation.show_regions = tints;
        Change { render: None, tint: Some(self.full()), edited: false }
    }

    /// A change of the choices: one undo step per gesture (a slider drag is one step).
    fn choose(&mut self, edit: Edit) -> Change {
        let before = self.choices();
        if self.gesture_from.is_none() {
            self.gesture_name = edit.step_name();
        }
        let c = &mut self.consultation;
        match edit {
            Edit::SetPreset(preset) | Edit::ReadPreset { preset, .. } => {
                c.preset = *preset;
                c.settings.session = c.settings.session.clamp(1, c.preset.session_count());
            }
            Edit::SetPresetField { field, value } => (field.set)(&mut c.preset, field.clamp(value)),
            Edit::SetHairlineStyle(style) => c.preset.hairline.style = style,
            Edit::SetSession(session) => c.settings.session = session.clamp(1, c.preset.session_count()),
            Edit::SetStage(stage) => c.settings.stage = stage,
            Edit::SetPhotoSharpness(mm) => {
                c.settings.photo_sharpness_mm =
                    mm.filter(|mm| mm.is_finite()).map(|mm| mm.clamp(0.0, MAX_PHOTO_SHARPNESS_MM));
            }
            Edit::SetHeadOutline(choice) => match choice {
                OutlineChoice::Set(ellipse) => {
                    if Dome::new(ellipse).is_some() {
                        c.settings.head = OutlineChoice::Set(ellipse.normalised());
                    }
                }
                other => c.settings.head = other,
            },
            Edit::Calibrate { px_per_mm } => {
                if let Some(scale) = Scale::new(px_per_mm) {
                    c.set_scale(scale, true);
                }
            }
            Edit::SetNotes(notes) => c.notes = notes,
            Edit::SetHairlineDesign(design) => return self.design(before, design),
            Edit::Paint { .. }
            | Edit::ShowRegion { .. }
            | Edit::ShowRegions(_)
            | Edit::Fill { .. }
            | Edit::Merge { .. }
            | Edit::EndGesture
            | Edit::Undo
            | Edit::Redo => {}
        }
        let after = self.choices();
        if after == before {
            return Change::NONE;
        }
        let change = choices_change(&before, &after);
        self.gesture_from.get_or_insert_with(|| Box::new(before));
        change
    }

    /// Whether the hairline design replacing `current` with `next` would replace a brushed
    /// hairline: the first line drawn over a painted hairline layer.
    pub fn design_replaces_painting(&self, next: Option<&HairlineDesign>) -> bool {
        let c = &self.consultation;
        !c.hairline_design.as_ref().is_some_and(HairlineDesign::draws)
            && next.is_some_and(HairlineDesign::draws)
            && !c.masks.get(RegionKind::Hairline).painted_bounds().is_empty()
    }

    /// A new hairline curve: its region replaces the hairline layer, and both are one undo
    /// step per gesture (a handle drag is one step).
    fn design(&mut self, before: Choices, design: Option<HairlineDesign>) -> Change {
        if self.consultation.hairline_design == design {
            return Change::NONE;
        }
        if self.design_replaces_painting(design.as_ref()) {
            // The step says what it took away: the Edit menu reads "Undo hairline design over
            // the painted one".
            self.gesture_name = REPLACED_PAINTED_HAIRLINE;
        }
        let draws = |d: &Option<HairlineDesign>| d.as_ref().is_some_and(HairlineDesign::draws);
        if !draws(&self.consultation.hairline_design) && !draws(&design) {
            // A glabella or a first handle: no line yet, so the hairline layer stays as it is.
            self.consultation.hairline_design = design;
            self.gesture_from.get_or_insert_with(|| Box::new(before));
            return Change { edited: true, ..Change::NONE };
        }
        let full = self.full();
        let layer = self.consultation.masks.get(RegionKind::Hairline);
        let scale = self.consultation.settings.scale;
        let old = (self.consultation.hairline_design.as_ref())
            .filter(|_| draws(&self.consultation.hairline_design))
            .map(|d| d.bounds(scale));
        let (region, rect) = match &design {
            Some(d) => d.region(self.consultation.settings.scale, full.x1, full.y1),
            None => (Mask::new(full.x1, full.y1), EMPTY),
        };
        // The layer changes where the old region or the new one is (or everywhere, the first
        // time a brushed hairline gives way to a designed one).
        let changed = match old {
            Some(old) => old.union(rect).intersect(full),
            None => layer.painted_bounds().union(rect),
        };

        let gesture = self.gesture_layer.get_or_insert_with(|| (layer.clone(), EMPTY));
        gesture.1 = gesture.1.union(changed);
        self.consultation.masks.set(RegionKind::Hairline, region).ok();
        self.consultation.hairline_design = design;
        self.gesture_from.get_or_insert_with(|| Box::new(before));
        Change { render: Some(RenderScope::Region(changed)), tint: Some(changed), edited: true }
    }

    /// The gesture under way becomes one undo step, if it changed anything.
    fn end_gesture(&mut self) {
        let layer = self.gesture_layer.take();
        if let Some(before) = self.gesture_from.take() {
            let after = self.choices();
            let patches: Vec<MaskPatch> = layer
                .and_then(|(old, rect)| {
                    MaskPatch::capture(RegionKind::Hairline, rect, &old, &self.consultation.masks)
                })
                .into_iter()
                .collect();
            if !patches.is_empty() {
                self.history.push(Step::Both(patches, before, Box::new(after)), self.gesture_name);
            } else if *before != after {
                self.history.push(Step::Choices { before, after: Box::new(after) }, self.gesture_name);
            }
        }
    }

    fn undo_redo(&mut self, redo: bool) -> Change {
        let before = self.choices();
        let mut choices = before.clone();
        let masks = &mut self.consultation.masks;
        let applied = if redo {
            self.history.redo(masks, &mut choices)
        } else {
            self.history.undo(masks, &mut choices)
        };
        let Some(Applied { masks, choices: choices_changed }) = applied else { return Change::NONE };
        let mut change = masks.into_iter().fold(Change::NONE, |change, (kind, rect)| {
            let scope = mask_scope(&self.consultation, kind == RegionKind::Scar, rect);
            change.merge(Change { render: Some(scope), tint: Some(rect), edited: true })
        });
        if choices_changed {
            change = change.merge(choices_change(&before, &choices));
            self.set_choices(choices);
        }
        Change { edited: true, ..change }
    }

    fn full(&self) -> PixelRect {
        let photo = &self.consultation.photo;
        PixelRect::full(photo.width(), photo.height())
    }
}

/// A scar's tone blending depends on the whole scar and on how much of the skin around it is
/// treated, so a change of the scar, or of another region near it, re-renders everything.
fn mask_scope(consultation: &Consultation, scar: bool, rect: PixelRect) -> RenderScope {
    if scar {
        return RenderScope::Everything;
    }
    let masks = &consultation.masks;
    let scar_layer = masks.get(RegionKind::Scar);
    let reach = consultation.settings.scale.px(crate::engine::sim::SCAR_TONE_REACH_MM).ceil() as u32 + 1;
    let near = scar_layer.painted_bounds().expand(reach, scar_layer.bounds());
    if !near.is_empty() && !near.intersect(rect).is_empty() {
        RenderScope::Everything
    } else {
        RenderScope::Region(rect)
    }
}

fn choices_change(before: &Choices, after: &Choices) -> Change {
    let look_changed = before.preset != after.preset || before.settings != after.settings;
    Change { render: look_changed.then_some(RenderScope::Everything), tint: None, edited: true }
}

#[cfg(test)]
mod tests;
