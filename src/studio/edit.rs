//! Edits: every way the open consultation can change, as data. [`Document::apply`] is the one
//! place they take effect, and each becomes part of an undo step there.
//!
//! [`Document::apply`]: super::document::Document::apply

use crate::engine::brush::BrushMode;
use crate::engine::consultation::PatientNotes;
use crate::engine::design::HairlineDesign;
use crate::engine::head::OutlineChoice;
use crate::engine::mask::{Mask, PixelRect, RegionKind};
use crate::engine::preset::limits::Limit;
use crate::engine::preset::{HairlineStyle, Preset};
use crate::engine::sim::Stage;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Brush dabs along `points_px` (photo pixels) on `layers`. The first paint after a
    /// [`Edit::EndGesture`] opens a stroke; the stroke becomes one undo step when it ends.
    Paint {
        layers: Vec<RegionKind>,
        mode: BrushMode,
        radius_px: f32,
        hardness: f32,
        points_px: Vec<(f32, f32)>,
    },
    /// Fills (or clears) the inside of a drawn outline: one undo step.
    Fill {
        layers: Vec<RegionKind>,
        mode: BrushMode,
        outline_px: Vec<(f32, f32)>,
    },
    /// Adds a proposed layer (a suggested region) to a region, keeping whatever is painted
    /// there already: one undo step.
    Merge {
        kind: RegionKind,
        layer: Arc<Mask>,
    },
    /// The pointer was released: the stroke or slider drag under way becomes one undo step.
    EndGesture,
    /// Applies a preset (from the library, or an adjusted copy).
    SetPreset(Box<Preset>),
    /// One number of the applied preset, a field of the limits table (so never an unknown
    /// one); values outside the field's range are brought into it.
    SetPresetField {
        field: &'static Limit,
        value: f32,
    },
    SetHairlineStyle(HairlineStyle),
    /// Which session's result to show (1-based).
    SetSession(u32),
    SetStage(Stage),
    /// The photo's blur (σ of its PSF on the scalp, mm) set by hand, or `None` to go back to
    /// the photo's own estimate; values outside 0–[`MAX_PHOTO_SHARPNESS_MM`](crate::engine::sim::MAX_PHOTO_SHARPNESS_MM) are brought into
    /// that range.
    SetPhotoSharpness(Option<f32>),
    /// The head outline the scalp's curvature follows; an outline set by hand that is not a
    /// finite ellipse is ignored.
    SetHeadOutline(OutlineChoice),
    /// A measured scale: this many photo pixels per millimetre on the scalp.
    Calibrate {
        px_per_mm: f32,
    },
    /// Shows or hides one region's tint: how the photo is looked at, so no undo step and
    /// nothing unsaved.
    /// A preset read off the photo: the skin sampled, or the dots matched to the patient's own
    /// stubble. One undo step, named for what was read.
    ReadPreset {
        preset: Box<Preset>,
        from: Reading,
    },
    ShowRegion {
        kind: RegionKind,
        shown: bool,
    },
    /// Shows every region tint, or none.
    ShowRegions(bool),
    SetNotes(PatientNotes),
    /// The designed hairline (or none); its region replaces the hairline layer.
    SetHairlineDesign(Option<HairlineDesign>),
    Undo,
    Redo,
}

/// What a preset was read from on the photo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// Sample skin: the skin's colour and type.
    Skin,
    /// Match stubble: the dots from the patient's own short hair.
    Stubble,
}

impl Edit {
    /// What the undo step this edit makes is, in words, as the Edit menu says it ("Undo
    /// stroke"). Undo, Redo and the end of a gesture make no step of their own.
    pub fn step_name(&self) -> &'static str {
        match self {
            Edit::Paint { mode, .. } => stroke_name(*mode),
            Edit::Fill { mode, .. } => outline_name(*mode),
            Edit::Merge { .. } => "suggested region",
            Edit::SetPreset(_) => "preset",
            Edit::ReadPreset { from: Reading::Skin, .. } => "skin sample",
            Edit::ReadPreset { from: Reading::Stubble, .. } => "stubble match",
            Edit::SetPresetField { .. } => "preset adjustment",
            Edit::SetHairlineStyle(_) => "hairline style",
            Edit::SetSession(_) => "session",
            Edit::SetStage(_) => "healing stage",
            Edit::SetPhotoSharpness(_) => "photo sharpness",
            Edit::SetHeadOutline(_) => "head outline",
            Edit::Calibrate { .. } => "scale",
            Edit::SetNotes(_) => "patient and notes",
            Edit::SetHairlineDesign(_) => "hairline design",
            // Tints are a way of looking, not an edit: no step.
            Edit::ShowRegion { .. } | Edit::ShowRegions(_) | Edit::EndGesture | Edit::Undo | Edit::Redo => "",
        }
    }
}

/// A brush stroke's undo step, in words.
pub fn stroke_name(mode: BrushMode) -> &'static str {
    if mode == BrushMode::Erase { "eraser stroke" } else { "stroke" }
}

/// A filled (or cleared) outline's undo step, in words.
pub fn outline_name(mode: BrushMode) -> &'static str {
    if mode == BrushMode::Erase { "erased outline" } else { "filled outline" }
}

/// What must be redrawn after an edit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Change {
    /// The simulated result is out of date here.
    pub render: Option<RenderScope>,
    /// The region tint overlay is out of date here.
    pub tint: Option<PixelRect>,
    /// The document changed (and is now unsaved).
    pub edited: bool,
}

impl Change {
    pub const NONE: Change = Change { render: None, tint: None, edited: false };

    pub fn merge(self, other: Change) -> Change {
        Change {
            render: match (self.render, other.render) {
                (Some(a), Some(b)) => Some(a.merge(b)),
                (a, b) => a.or(b),
            },
            tint: match (self.tint, other.tint) {
                (Some(a), Some(b)) => Some(a.union(b)),
                (a, b) => a.or(b),
            },
            edited: self.edited || other.edited,
        }
    }
}

/// How much of the result a change invalidates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenderScope {
    /// Region layers changed inside this rectangle only.
    Region(PixelRect),
    /// The photo, preset or settings changed: everything.
    Everything,
}

impl RenderScope {
    pub fn merge(self, other: RenderScope) -> RenderScope {
        match (self, other) {
            (RenderScope::Region(a), RenderScope::Region(b)) => RenderScope::Region(a.union(b)),
            _ => RenderScope::Everything,
        }
    }
}
