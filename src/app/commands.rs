//! Every action a person can take, with its one label, icon, tooltip and shortcut, so menus,
//! buttons, shortcuts and tooltips can never disagree.

use super::icons::Icon;
use crate::engine::mask::RegionKind;
use eframe::egui::{Key, KeyboardShortcut, Modifiers};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Undo,
    Redo,
    OpenPhoto,
    OpenSample,
    OpenConsultation,
    SaveConsultation,
    ExportPreview,
    ImportPreset,
    ExportPreset,
    Quit,
    ToolHairline,
    ToolBald,
    ToolScar,
    ToolEraser,
    ToolPan,
    ToolMeasure,
    BrushSmaller,
    BrushLarger,
    ToggleBeforeAfter,
    ToggleSplit,
    ToggleRegions,
    ZoomToFit,
    ZoomActualSize,
}

impl Command {
    /// Commands whose shortcut adds Shift come before the one without it (Redo before Undo,
    /// Open consultation before Open photo): a shortcut matches regardless of extra Shift.
    pub const ALL: [Command; 23] = [
        Command::Redo,
        Command::Undo,
        Command::OpenConsultation,
        Command::OpenPhoto,
        Command::OpenSample,
        Command::SaveConsultation,
        Command::ExportPreview,
        Command::ImportPreset,
        Command::ExportPreset,
        Command::Quit,
        Command::ToolHairline,
        Command::ToolBald,
        Command::ToolScar,
        Command::ToolEraser,
        Command::ToolPan,
        Command::ToolMeasure,
        Command::BrushSmaller,
        Command::BrushLarger,
        Command::ToggleBeforeAfter,
        Command::ToggleSplit,
        Command::ToggleRegions,
        Command::ZoomToFit,
        Command::ZoomActualSize,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Command::Undo => "Undo",
            Command::Redo => "Redo",
            Command::OpenPhoto => "Open photo…",
            Command::OpenSample => "Open sample consultation",
            Command::OpenConsultation => "Open consultation…",
            Command::SaveConsultation => "Save consultation…",
            Command::ExportPreview => "Export preview…",
            Command::ImportPreset => "Import preset…",
            Command::ExportPreset => "Export preset…",
            Command::Quit => "Quit",
            Command::ToolHairline => RegionKind::Hairline.label(),
            Command::ToolBald => RegionKind::Bald.label(),
            Command::ToolScar => RegionKind::Scar.label(),
            Command::ToolEraser => "Eraser",
            Command::ToolPan => "Pan",
            Command::ToolMeasure => "Measure",
            Command::BrushSmaller => "Smaller brush",
            Command::BrushLarger => "Larger brush",
            Command::ToggleBeforeAfter => "Before / after",
            Command::ToggleSplit => "Split view",
            Command::ToggleRegions => "Show regions",
            Command::ZoomToFit => "Zoom to fit",
            Command::ZoomActualSize => "Zoom 100 %",
        }
    }

    /// The icon shown on tool buttons, for commands that have one.
    pub fn icon(self) -> Option<Icon> {
        match self {
            Command::ToolHairline => Some(Icon::Hairline),
            Command::ToolBald => Some(Icon::Bald),
            Command::ToolScar => Some(Icon::Scar),
            Command::ToolEraser => Some(Icon::Eraser),
            Command::ToolPan => Some(Icon::Pan),
            Command::ToolMeasure => Some(Icon::Measure),
            _ => None,
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            Command::Undo => "Undo the last stroke or setting change",
            Command::Redo => "Redo what was undone",
            Command::OpenPhoto => "Open a scalp photo (JPEG or PNG) to start a consultation",
            Command::OpenSample => "Open the bundled example consultation",
            Command::OpenConsultation => {
                "Open a consultation saved earlier (a .smpc file, or a .smp folder from earlier versions)"
            }
            Command::SaveConsultation => {
                "Save photo, regions, preset and settings in one .smpc file, to continue or show again later"
            }
            Command::ExportPreview => {
                "Save the simulated result as a PNG or JPEG image, without photo metadata"
            }
            Command::ImportPreset => {
                "Add a preset file someone shared (.ron); dropping it on the window works too"
            }
            Command::ExportPreset => "Write the applied preset to a .ron file to share it",
            Command::Quit => "Close SMP Studio",
            Command::ToolHairline => "Paint the hairline region: dots fade in from its front edge",
            Command::ToolBald => "Paint bald or thinning areas to fill with dots",
            Command::ToolScar => "Paint scars to camouflage: scar tissue holds less pigment",
            Command::ToolEraser => {
                "Erase from the region chosen below the tools; hold Shift to erase every region"
            }
            Command::ToolPan => "Drag to move the photo (also: middle mouse button, or Space + drag)",
            Command::ToolMeasure => {
                "Drag along something of known length, then type its length to calibrate the scale"
            }
            Command::BrushSmaller => "Make the brush smaller",
            Command::BrushLarger => "Make the brush larger",
            Command::ToggleBeforeAfter => {
                "Switch between the photo as it is and the simulated result (hold B to peek)"
            }
            Command::ToggleSplit => "Photo on the left, result on the right, with a divider you can drag",
            Command::ToggleRegions => "Show or hide the coloured region tints",
            Command::ZoomToFit => "Fit the whole photo in the window",
            Command::ZoomActualSize => "Show one photo pixel per screen pixel",
        }
    }

    /// The main shortcut, shown in menus and tooltips.
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        self.shortcuts().first().copied()
    }

    /// Every shortcut that runs the command.
    pub fn shortcuts(self) -> Vec<KeyboardShortcut> {
        let plain = |key| vec![KeyboardShortcut::new(Modifiers::NONE, key)];
        let command = |key| vec![KeyboardShortcut::new(Modifiers::COMMAND, key)];
        match self {
            Command::Undo => command(Key::Z),
            Command::Redo => vec![
                KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z),
                KeyboardShortcut::new(Modifiers::COMMAND, Key::Y),
            ],
            Command::OpenPhoto => command(Key::O),
            Command::OpenSample => vec![],
            Command::OpenConsultation => {
                vec![KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::O)]
            }
            Command::SaveConsultation => command(Key::S),
            Command::ExportPreview => command(Key::E),
            Command::ImportPreset | Command::ExportPreset => vec![],
            Command::Quit => command(Key::Q),
            Command::ToolHairline => plain(Key::Num1),
            Command::ToolBald => plain(Key::Num2),
            Command::ToolScar => plain(Key::Num3),
            Command::ToolEraser => plain(Key::E),
            Command::ToolPan => plain(Key::P),
            Command::ToolMeasure => plain(Key::M),
            Command::BrushSmaller => plain(Key::OpenBracket),
            Command::BrushLarger => plain(Key::CloseBracket),
            Command::ToggleBeforeAfter => plain(Key::Backslash),
            Command::ToggleSplit => plain(Key::V),
            Command::ToggleRegions => plain(Key::R),
            Command::ZoomToFit => command(Key::Num0),
            Command::ZoomActualSize => command(Key::Num1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_are_unique_and_shift_variants_are_tried_first() {
        let mut seen = Vec::new();
        for (i, command) in Command::ALL.iter().enumerate() {
            for shortcut in command.shortcuts() {
                assert!(!seen.contains(&shortcut), "{command:?} reuses a shortcut");
                seen.push(shortcut);
                if shortcut.modifiers.shift {
                    let plain = KeyboardShortcut::new(
                        Modifiers { shift: false, ..shortcut.modifiers },
                        shortcut.logical_key,
                    );
                    for later in &Command::ALL[..i] {
                        assert!(!later.shortcuts().contains(&plain), "{later:?} would swallow {command:?}");
                    }
                }
            }
        }
        assert!(seen.len() >= 18, "most commands should have a shortcut");
    }
}
