//! What panels, dialogs and the canvas ask for during a frame. The app runs them once, at the
//! end of the frame, in [`super::SmpApp::apply`].

use super::canvas::CanvasAction;
use super::commands::Command;
use super::state::{CompareKind, FilePurpose};
use crate::engine::consultation::PatientNotes;
use crate::engine::mask::RegionKind;
use crate::studio::handout::HandoutSetup;
use crate::studio::{Edit, PresetOp};
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Anything in the command table (menus, shortcuts, tool buttons).
    Command(Command),
    /// A change of the document.
    Edit(Edit),
    Canvas(CanvasAction),
    /// Applies the library's preset at this index.
    ApplyPreset(usize),
    Presets(PresetOp),
    SetEraseRegion(RegionKind),
    SetBrushDiameter(f32),
    SetBrushHardness(f32),
    SetFillShape(bool),
    SetTintOpacity(f32),
    ShowBefore(bool),
    SetPresetSearch(String),
    /// A path typed in the prompt or picked in a file dialog.
    UsePath(FilePurpose, PathBuf),
    SetDialogText(String),
    SetDetails(PatientNotes),
    SetExport(HandoutSetup),
    CancelExport,
    SetImpressionsPerHour(f32),
    OpenRecent(PathBuf),
    CloseShortcuts,
    CloseGuide,
    /// The next design click places the glabella (or not).
    PlaceGlabella(bool),
    SetCompare {
        kind: CompareKind,
        presets: Vec<usize>,
    },
    /// Compare pane `i` was clicked: its choices become the consultation's.
    ChooseVariant(usize),
    SuggestRegions,
    AcceptSuggestion,
    DismissSuggestion,
    /// The dialog's main button (or Enter).
    Confirm,
    /// The dialog's second choice ("Discard changes", "Save a copy…").
    Alternative,
    /// Cancel (or Esc).
    CloseDialog,
    AskRename(usize),
    AskDelete(usize),
    AskSavePresetAs,
    Restore,
    DiscardRestore,
    DismissNotice,
    /// Opens or closes the list of this session's notices.
    ToggleNotices,
}
