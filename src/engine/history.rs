//! Undo and redo: a list of edits with a cursor; a new edit drops what could be redone.
//!
//! A mask edit keeps only the rectangle a stroke changed, before and after, deflate-compressed
//! (painted masks are long flat runs and smooth ramps), so memory stays small however large the
//! photo.

use super::consultation::PatientNotes;
use super::design::HairlineDesign;
use super::mask::{PixelRect, RegionKind, RegionMasks};
use super::preset::Preset;
use super::sim::SimSettings;

/// One rectangle of one region layer, compressed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaskPatch {
    pub kind: RegionKind,
    pub rect: PixelRect,
    before: Vec<u8>,
    after: Vec<u8>,
}

/// Everything of a consultation but its photo and its regions: the preset, the render
/// settings, whether the scale was measured, and the patient's notes. Which region tints show
/// is how the photo is looked at, like the zoom, and no undo step.
#[derive(Clone, Debug, PartialEq)]
pub struct Choices {
    pub preset: Preset,
    pub settings: SimSettings,
    pub calibrated: bool,
    pub notes: PatientNotes,
    pub hairline_design: Option<HairlineDesign>,
}

/// One undo step.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// One stroke: one patch per layer it changed (the eraser can clear every layer at once).
    Masks(Vec<MaskPatch>),
    Choices {
        before: Box<Choices>,
        after: Box<Choices>,
    },
    /// Several changes made as one (a designed hairline changes its curve and its region).
    Both(Vec<MaskPatch>, Box<Choices>, Box<Choices>),
}

impl Step {
    /// Approximate memory held by the step.
    fn bytes(&self) -> usize {
        let patch_bytes = |patches: &[MaskPatch]| -> usize {
            patches.iter().map(|p| p.before.len() + p.after.len() + 64).sum()
        };
        match self {
            Step::Masks(patches) => patch_bytes(patches),
            Step::Choices { before, after } => choices_bytes(before, after),
            Step::Both(patches, before, after) => patch_bytes(patches) + choices_bytes(before, after),
        }
    }
}

fn choices_bytes(before: &Choices, after: &Choices) -> usize {
    2 * std::mem::size_of::<Choices>() + before.notes.notes.len() + after.notes.notes.len() + 512
}

/// Fast deflate: a stroke's patch is compressed once, when the stroke ends.
const COMPRESSION_LEVEL: u8 = 1;

fn encode(data: impl Iterator<Item = u8>) -> Vec<u8> {
    let raw: Vec<u8> = data.collect();
    miniz_oxide::deflate::compress_to_vec(&raw, COMPRESSION_LEVEL)
}

fn rect_bytes(layer: &super::mask::Mask, rect: PixelRect) -> impl Iterator<Item = u8> + '_ {
    (rect.y0..rect.y1).flat_map(move |y| (rect.x0..rect.x1).map(move |x| layer.get(x, y)))
}

impl MaskPatch {
    /// The change of `kind` inside `rect` from `before` (a copy of the layer taken before the
    /// stroke) to the current `masks`. `None` when nothing changed.
    pub fn capture(
        kind: RegionKind,
        rect: PixelRect,
        before: &super::mask::Mask,
        masks: &RegionMasks,
    ) -> Option<MaskPatch> {
        let rect = rect.intersect(before.bounds());
        if rect.is_empty() {
            return None;
        }
        let after_layer = masks.get(kind);
        if rect_bytes(before, rect).eq(rect_bytes(after_layer, rect)) {
            return None;
        }
        Some(MaskPatch {
            kind,
            rect,
            before: encode(rect_bytes(before, rect)),
            after: encode(rect_bytes(after_layer, rect)),
        })
    }

    fn write(&self, masks: &mut RegionMasks, compressed: &[u8]) {
        // The data was compressed by this process moments ago; a failure would be a bug, and
        // then leaving the layer as it is loses nothing.
        let Ok(raw) = miniz_oxide::inflate::decompress_to_vec(compressed) else { return };
        let layer = masks.get_mut(self.kind);
        let w = (self.rect.x1 - self.rect.x0) as usize;
        for (i, &v) in raw.iter().enumerate() {
            let (x, y) = (self.rect.x0 + (i % w) as u32, self.rect.y0 + (i / w) as u32);
            if y < self.rect.y1 {
                layer.set(x, y, v);
            }
        }
    }
}

/// What undo or redo changed, so the caller can refresh just that.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Applied {
    /// The layers and rectangles whose pixels changed.
    pub masks: Vec<(RegionKind, PixelRect)>,
    /// The choices (preset, settings, …) changed.
    pub choices: bool,
}

pub struct History {
    /// Each step with what it was, in words ("stroke", "preset"), for the Edit menu.
    done: Vec<(Step, &'static str)>,
    undone: Vec<(Step, &'static str)>,
    /// Memory the history may hold; the oldest edits go first, but never the last `min_steps`.
    budget_bytes: usize,
    min_steps: usize,
}

impl Default for History {
    fn default() -> Self {
        Self::new(256 * 1024 * 1024, 100)
    }
}

impl History {
    pub fn new(budget_bytes: usize, min_steps: usize) -> Self {
        Self { done: Vec::new(), undone: Vec::new(), budget_bytes, min_steps }
    }

    /// Adds a step; `name` says what it was, as in "Undo stroke".
    pub fn push(&mut self, edit: Step, name: &'static str) {
        self.undone.clear();
        self.done.push((edit, name));
        while self.done.len() > self.min_steps && self.bytes() > self.budget_bytes {
            self.done.remove(0);
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.done.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.undone.is_empty()
    }

    /// What undo would take back, in words.
    pub fn undo_name(&self) -> Option<&'static str> {
        self.done.last().map(|(_, name)| *name)
    }

    /// What redo would make again, in words.
    pub fn redo_name(&self) -> Option<&'static str> {
        self.undone.last().map(|(_, name)| *name)
    }

    pub fn steps(&self) -> usize {
        self.done.len()
    }

    /// Memory held by every edit, undone ones included.
    pub fn bytes(&self) -> usize {
        self.done.iter().chain(&self.undone).map(|(step, _)| step.bytes()).sum()
    }

    pub fn undo(&mut self, masks: &mut RegionMasks, choices: &mut Choices) -> Option<Applied> {
        let (edit, name) = self.done.pop()?;
        let applied = apply(&edit, masks, choices, false);
        self.undone.push((edit, name));
        Some(applied)
    }

    pub fn redo(&mut self, masks: &mut RegionMasks, choices: &mut Choices) -> Option<Applied> {
        let (edit, name) = self.undone.pop()?;
        let applied = apply(&edit, masks, choices, true);
        self.done.push((edit, name));
        Some(applied)
    }

    pub fn clear(&mut self) {
        self.done.clear();
        self.undone.clear();
    }
}

fn apply(edit: &Step, masks: &mut RegionMasks, choices: &mut Choices, forward: bool) -> Applied {
    let write_patches = |patches: &[MaskPatch], masks: &mut RegionMasks| {
        for patch in patches {
            patch.write(masks, if forward { &patch.after } else { &patch.before });
        }
        patches.iter().map(|p| (p.kind, p.rect)).collect()
    };
    match edit {
        Step::Masks(patches) => Applied { masks: write_patches(patches, masks), choices: false },
        Step::Choices { before, after } => {
            *choices = if forward { (**after).clone() } else { (**before).clone() };
            Applied { masks: Vec::new(), choices: true }
        }
        Step::Both(patches, before, after) => {
            *choices = if forward { (**after).clone() } else { (**before).clone() };
            Applied { masks: write_patches(patches, masks), choices: true }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::brush::{Brush, BrushMode, stroke};

    fn look() -> Choices {
        Choices {
            preset: Preset::default(),
            settings: SimSettings::default(),
            calibrated: false,
            notes: PatientNotes::default(),
            hairline_design: None,
        }
    }

    #[test]
    fn undo_and_redo_restore_each_state_exactly() {
        let mut masks = RegionMasks::new(300, 200);
        let mut look = look();
        let mut history = History::default();
        let brush = Brush { radius_px: 12.0, hardness: 0.4, mode: BrushMode::Paint };
        let mut states = vec![masks.clone()];
        for i in 0..5 {
            let before = masks.get(RegionKind::Bald).clone();
            let y = 30.0 + i as f32 * 30.0;
            let rect = stroke(&brush, masks.get_mut(RegionKind::Bald), &[(20.0, y), (280.0, y + 10.0)]);
            history.push(
                Step::Masks(vec![MaskPatch::capture(RegionKind::Bald, rect, &before, &masks).unwrap()]),
                "stroke",
            );
            states.push(masks.clone());
        }
        for expected in states.iter().rev().skip(1) {
            history.undo(&mut masks, &mut look).unwrap();
            assert_eq!(&masks, expected);
        }
        assert!(history.undo(&mut masks, &mut look).is_none());
        for expected in states.iter().skip(1) {
            history.redo(&mut masks, &mut look).unwrap();
            assert_eq!(&masks, expected);
        }
    }

    #[test]
    fn a_new_edit_drops_the_redo_branch() {
        let mut masks = RegionMasks::new(50, 50);
        let mut look = look();
        let mut history = History::default();
        let changed =
            Choices { settings: SimSettings { session: 1, ..SimSettings::default() }, ..look.clone() };
        history.push(
            Step::Choices { before: Box::new(look.clone()), after: Box::new(changed.clone()) },
            "session",
        );
        assert_eq!(history.undo_name(), Some("session"));
        history.undo(&mut masks, &mut look);
        assert!(history.can_redo());
        assert_eq!((history.undo_name(), history.redo_name()), (None, Some("session")));
        history.push(Step::Choices { before: Box::new(look.clone()), after: Box::new(changed) }, "preset");
        assert!(!history.can_redo());
        assert_eq!((history.undo_name(), history.redo_name()), (Some("preset"), None));
    }

    #[test]
    fn memory_stays_bounded_but_keeps_the_minimum_steps() {
        let mut masks = RegionMasks::new(400, 400);
        let mut history = History::new(200_000, 100);
        let brush = Brush { radius_px: 30.0, hardness: 0.0, mode: BrushMode::Paint };
        for i in 0..300 {
            let before = masks.get(RegionKind::Scar).clone();
            let y = (i % 380) as f32 + 10.0;
            let mode = if i % 2 == 0 { BrushMode::Paint } else { BrushMode::Erase };
            let b = Brush { mode, ..brush };
            let rect = stroke(&b, masks.get_mut(RegionKind::Scar), &[(10.0, y), (390.0, 390.0 - y)]);
            if let Some(p) = MaskPatch::capture(RegionKind::Scar, rect, &before, &masks) {
                history.push(Step::Masks(vec![p]), "stroke");
            }
        }
        assert!(history.steps() >= 100, "{} steps kept", history.steps());
        // The kept strokes' rectangles (before and after) would take ~32 MB raw; compressed they
        // stay under a third of that (soft strokes that add to half-erased paint leave the least
        // regular patches: ~8.4 MB here).
        assert!(history.bytes() < 10_000_000, "{} bytes held", history.bytes());
    }
}
