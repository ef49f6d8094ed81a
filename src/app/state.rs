//! What the window shows: the studio (the document and its background work) and the window's
//! own choices — tool, brush, view, the open dialog, the last notice. Panels read it; only the
//! app's `apply` changes it, once per frame.

use super::canvas::View;
use super::commands::Command;
use crate::engine::consultation::{Consultation, PatientNotes};
use crate::engine::mask::RegionKind;
use crate::engine::preset::Preset;
use crate::engine::sim::Stats;
use crate::engine::store::PresetStore;
use crate::studio::Studio;
use crate::studio::handout::HandoutSetup;
pub use crate::studio::notices::Notice;
use crate::studio::notices::Notices;
use eframe::egui;
use image::RgbImage;
use std::path::PathBuf;

/// What the brush does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Paint(RegionKind),
    Eraser,
    Pan,
    /// Drag a line of known length to calibrate the scale.
    Measure,
    /// Draw the hairline as a curve through handles.
    Design,
    /// Read the patient's skin tone off the photo.
    SampleSkin,
    MatchStubble,
    /// Show and adjust the head's outline, which the scalp's curvature follows.
    Outline,
}

/// The window's own settings, chosen in the side panels.
#[derive(Clone, Debug, PartialEq)]
pub struct Controls {
    pub tool: Tool,
    /// The region the eraser removes from.
    pub erase_region: RegionKind,
    pub brush_diameter_mm: f32,
    pub brush_hardness: f32,
    pub tint_opacity: f32,
    /// Show the photo as it is instead of the simulated result.
    pub show_before: bool,
    /// Region tools fill a drawn outline instead of painting with the brush.
    pub fill_shape: bool,
    /// Position of the before/after divider as a share of the canvas width, when split.
    pub split: Option<f32>,
    /// The next click with the design tool places the glabella.
    pub placing_glabella: bool,
}

impl Default for Controls {
    fn default() -> Self {
        Self {
            tool: Tool::Paint(RegionKind::Bald),
            erase_region: RegionKind::Bald,
            brush_diameter_mm: 10.0,
            brush_hardness: 0.6,
            // Light enough that the skin tone under a region stays readable on real photos.
            tint_opacity: 0.12,
            show_before: false,
            fill_shape: false,
            split: None,
            placing_glabella: false,
        }
    }
}

pub const BRUSH_DIAMETER_MM: std::ops::RangeInclusive<f32> = 0.5..=60.0;

/// What a typed or picked path is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilePurpose {
    OpenPhoto,
    ExportPreview,
    ImportPreset,
    ExportPreset,
    OpenConsultation,
    SaveConsultation,
}

impl FilePurpose {
    /// How a file handed to the app (dropped, or given at start) opens: a consultation as one,
    /// anything else as a photo.
    pub fn opening(path: &std::path::Path) -> Self {
        if crate::engine::consultation::is_consultation_path(path) {
            FilePurpose::OpenConsultation
        } else {
            FilePurpose::OpenPhoto
        }
    }
}

/// An action that replaces or closes the consultation on screen.
#[derive(Clone, Debug, PartialEq)]
pub enum Leave {
    Command(Command),
    /// A photo or consultation dropped on the window.
    Open(PathBuf),
}

/// The one modal question or prompt on screen.
#[derive(Clone, Debug, PartialEq)]
pub enum Dialog {
    /// A file path to type (file-dialog portals are not always there).
    Path {
        purpose: FilePurpose,
        text: String,
    },
    /// The real length of the line just measured.
    Measure {
        length_px: f32,
        text: String,
    },
    /// A name for a new preset, or a new name for one.
    PresetName {
        rename: Option<usize>,
        text: String,
    },
    ConfirmDeletePreset {
        index: usize,
    },
    /// Unsaved changes stand in the way of `leave`.
    Leave(Leave),
    /// A file is in the way of a save or export.
    Replace {
        purpose: FilePurpose,
        path: PathBuf,
    },
    /// The consultation's file was replaced on disk since it was opened.
    ChangedOnDisk {
        path: PathBuf,
    },
    /// The patient's label, the date and the notes, being edited.
    Details(PatientNotes),
    /// What to export for the patient, before the file is chosen.
    Export(HandoutSetup),
    /// What to compare: presets (library indices), the sessions, or the years.
    Compare {
        kind: CompareKind,
        presets: Vec<usize>,
    },
}

/// What a comparison sets side by side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareKind {
    Presets,
    Sessions,
    Years,
}

impl CompareKind {
    pub const ALL: [CompareKind; 3] = [CompareKind::Presets, CompareKind::Sessions, CompareKind::Years];

    pub fn label(self) -> &'static str {
        match self {
            CompareKind::Presets => "Presets",
            CompareKind::Sessions => "Sessions",
            CompareKind::Years => "Healed and years later",
        }
    }
}

/// The years a comparison over time shows.
pub const COMPARE_YEARS: [f32; 3] = [0.0, 2.0, 5.0];

impl Dialog {
    /// The text being typed, for dialogs that take some.
    pub fn text(&self) -> Option<&str> {
        match self {
            Dialog::Path { text, .. } | Dialog::Measure { text, .. } | Dialog::PresetName { text, .. } => {
                Some(text)
            }
            _ => None,
        }
    }
}

pub struct State {
    pub studio: Studio,
    pub controls: Controls,
    pub view: View,
    pub dialog: Option<Dialog>,
    /// Counts dialogs opened, so each gets fresh widget state (a new caret at the end).
    pub dialog_serial: u64,
    /// What the app said: the latest on show, the earlier ones listed, all logged.
    pub notices: Notices,
    /// The status bar's list of earlier notices is open.
    pub show_notices: bool,
    pub preset_search: String,
    /// The lasso outline being drawn, in photo pixels.
    pub lasso: Vec<egui::Pos2>,
    /// A Measure drag in progress or just finished, in photo pixels.
    pub measure_line: Option<(egui::Pos2, egui::Pos2)>,
    pub hover_image: Option<egui::Pos2>,
    pub canvas_rect: egui::Rect,
    /// What to do once the save under way is written: the action that asked to save first.
    pub after_save: Option<Leave>,
    /// Closing was asked for and nothing unsaved stands in the way.
    pub close_confirmed: bool,
    /// Presenting to the patient: full screen, tools hidden. Holds the split to go back to.
    pub presentation: Option<Option<f32>>,
    pub show_shortcuts: bool,
    /// The six steps of a consultation, from Help.
    pub show_guide: bool,
    /// The last export's choices, offered again.
    pub export_setup: HandoutSetup,
}

impl State {
    /// The notice on show in the status bar.
    pub fn notice(&self) -> Option<&Notice> {
        self.notices.current()
    }

    pub fn consultation(&self) -> &Consultation {
        self.studio.consultation()
    }

    pub fn store(&self) -> &PresetStore {
        self.studio.store()
    }

    pub fn stats(&self) -> &Stats {
        self.studio.stats()
    }

    pub fn unsaved(&self) -> bool {
        self.studio.document().unsaved()
    }

    /// The result on screen was computed from the current document.
    pub fn render_settled(&self) -> bool {
        !self.studio.rendering() && !self.studio.loading()
    }

    /// Generation of the result on screen (0: none yet, the photo is shown).
    pub fn shown_generation(&self) -> u64 {
        self.studio.result_generation()
    }

    pub fn last_result(&self) -> Option<&RgbImage> {
        self.studio.result()
    }

    pub fn autosave_settled(&self) -> bool {
        self.studio.autosave_settled()
    }

    pub fn thumbnails_settled(&self) -> bool {
        self.studio.thumbnails().settled(self.studio.store())
    }

    /// The version of a preset its thumbnail shows, by preset name.
    pub fn thumbnail_version(&self, preset_name: &str) -> Option<&Preset> {
        let entry = self.store().find(preset_name)?;
        self.studio.thumbnails().get(entry).map(|t| &t.preset)
    }

    /// The index of the applied preset in the library, if it is one of the library's.
    pub fn applied_preset_index(&self) -> Option<usize> {
        let preset = &self.consultation().preset;
        let list = self.store().list();
        list.iter().position(|e| e.preset == *preset).or_else(|| {
            let mut same_name = list.iter().enumerate().filter(|(_, e)| e.preset.name == preset.name);
            match (same_name.next(), same_name.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        })
    }

    /// The short hint over the canvas, until the first stroke ever.
    pub fn show_hint(&self) -> bool {
        !self.studio.settings().hint_seen && self.presentation.is_none()
    }

    /// The presets being compared, for a compare sheet (none unless presets are compared).
    pub fn compared_presets(&self) -> Vec<Preset> {
        self.studio.compare().panes().iter().filter_map(|p| p.variant.preset.clone()).collect()
    }

    /// The brush's diameter in photo pixels.
    pub fn brush_radius_px(&self) -> f32 {
        self.consultation().settings.scale.px(self.controls.brush_diameter_mm * 0.5)
    }
}
