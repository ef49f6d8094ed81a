//! Every action a person can take, with its one label, icon, tooltip, shortcut and menu place,
//! so menus, buttons, shortcuts, tooltips and the shortcuts sheet can never disagree.

use super::icons::Icon;
use crate::engine::mask::RegionKind;
use eframe::egui::{Key, KeyboardShortcut, Modifiers};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    OpenPhoto,
    OpenConsultation,
    OpenSample,
    ConsultationDetails,
    SaveConsultation,
    SaveConsultationAs,
    ExportPreview,
    ImportPreset,
    ExportPreset,
    Quit,
    Undo,
    Redo,
    ToggleBeforeAfter,
    ToggleSplit,
    ToggleRegions,
    ToggleMirror,
    TogglePresentation,
    Compare,
    ZoomToFit,
    ZoomActualSize,
    ToolHairline,
    ToolBald,
    ToolScar,
    ToolDesign,
    ToolEraser,
    ToolPan,
    ToolMeasure,
    ToolSampleSkin,
    ToolMatchStubble,
    ToolOutline,
    BrushSmaller,
    BrushLarger,
    ShowGuide,
    ShowShortcuts,
    OpenLogFolder,
}

/// The menus of the menu bar, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    File,
    Edit,
    View,
    Tools,
    Help,
}

impl Menu {
    pub const ALL: [Menu; 5] = [Menu::File, Menu::Edit, Menu::View, Menu::Tools, Menu::Help];

    pub fn label(self) -> &'static str {
        match self {
            Menu::File => "File",
            Menu::Edit => "Edit",
            Menu::View => "View",
            Menu::Tools => "Tools",
            Menu::Help => "Help",
        }
    }
}

impl Command {
    /// Every command, in menu order.
    pub const ALL: [Command; 35] = [
        Command::OpenPhoto,
        Command::OpenConsultation,
        Command::OpenSample,
        Command::ConsultationDetails,
        Command::SaveConsultation,
        Command::SaveConsultationAs,
        Command::ExportPreview,
        Command::ImportPreset,
        Command::ExportPreset,
        Command::Quit,
        Command::Undo,
        Command::Redo,
        Command::ToggleBeforeAfter,
        Command::ToggleSplit,
        Command::ToggleRegions,
        Command::ToggleMirror,
        Command::TogglePresentation,
        Command::Compare,
        Command::ZoomToFit,
        Command::ZoomActualSize,
        Command::ToolHairline,
        Command::ToolBald,
        Command::ToolScar,
        Command::ToolDesign,
        Command::ToolEraser,
        Command::ToolPan,
        Command::ToolMeasure,
        Command::ToolSampleSkin,
        Command::ToolMatchStubble,
        Command::ToolOutline,
        Command::BrushSmaller,
        Command::BrushLarger,
        Command::ShowGuide,
        Command::ShowShortcuts,
        Command::OpenLogFolder,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Command::Undo => "Undo",
            Command::Redo => "Redo",
            Command::OpenPhoto => "Open photo…",
            Command::OpenSample => "Open sample consultation",
            Command::OpenConsultation => "Open consultation…",
            Command::ConsultationDetails => "Patient and notes…",
            Command::ToggleMirror => "Mirror view",
            Command::TogglePresentation => "Present to the patient",
            Command::Compare => "Compare…",
            Command::ShowGuide => "A consultation in six steps",
            Command::ShowShortcuts => "Keyboard shortcuts",
            Command::OpenLogFolder => "Open log folder",
            Command::SaveConsultation => "Save consultation",
            Command::SaveConsultationAs => "Save consultation as…",
            Command::ExportPreview => "Export for the patient…",
            Command::ImportPreset => "Import preset…",
            Command::ExportPreset => "Export preset…",
            Command::Quit => "Quit",
            Command::ToolHairline => RegionKind::Hairline.label(),
            Command::ToolBald => RegionKind::Bald.label(),
            Command::ToolScar => RegionKind::Scar.label(),
            Command::ToolEraser => "Eraser",
            Command::ToolDesign => "Design hairline",
            Command::ToolPan => "Pan",
            Command::ToolMeasure => "Measure",
            Command::ToolSampleSkin => "Sample skin",
            Command::ToolMatchStubble => "Match stubble",
            Command::ToolOutline => "Head outline",
            Command::BrushSmaller => "Smaller brush",
            Command::BrushLarger => "Larger brush",
            Command::ToggleBeforeAfter => "Before / after",
            Command::ToggleSplit => "Split view",
            Command::ToggleRegions => "Show regions",
            Command::ZoomToFit => "Zoom to fit",
            Command::ZoomActualSize => "Zoom 100 %",
        }
    }

    /// The menu a command sits in, and its group there (groups are separated by a line).
    pub fn menu(self) -> (Menu, u8) {
        match self {
            Command::OpenPhoto | Command::OpenConsultation | Command::OpenSample => (Menu::File, 0),
            Command::ConsultationDetails => (Menu::File, 1),
            Command::SaveConsultation | Command::SaveConsultationAs => (Menu::File, 2),
            Command::ExportPreview => (Menu::File, 3),
            Command::ImportPreset | Command::ExportPreset => (Menu::File, 4),
            Command::Quit => (Menu::File, 5),
            Command::Undo | Command::Redo => (Menu::Edit, 0),
            Command::ToggleBeforeAfter | Command::ToggleSplit | Command::ToggleRegions => (Menu::View, 0),
            Command::ToggleMirror | Command::TogglePresentation | Command::Compare => (Menu::View, 1),
            Command::ZoomToFit | Command::ZoomActualSize => (Menu::View, 2),
            Command::ToolHairline
            | Command::ToolBald
            | Command::ToolScar
            | Command::ToolDesign
            | Command::ToolEraser
            | Command::ToolPan
            | Command::ToolMeasure
            | Command::ToolSampleSkin
            | Command::ToolMatchStubble
            | Command::ToolOutline => (Menu::Tools, 0),
            Command::BrushSmaller | Command::BrushLarger => (Menu::Tools, 1),
            Command::ShowGuide | Command::ShowShortcuts => (Menu::Help, 0),
            Command::OpenLogFolder => (Menu::Help, 1),
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
            Command::ToolDesign => Some(Icon::Design),
            Command::ToolSampleSkin => Some(Icon::Dropper),
            Command::ToolMatchStubble => Some(Icon::Stubble),
            Command::ToolOutline => Some(Icon::Outline),
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
            Command::SaveConsultation => "Save the consultation to its file (asks for a name the first time)",
            Command::SaveConsultationAs => {
                "Save photo, regions, preset and settings in a new .smpc file, to continue or show later"
            }
            Command::ExportPreview => {
                "A preview, a before/after, sessions or styles sheet, or a one-page PDF report, without photo metadata"
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
            Command::ToolDesign => {
                "Draw the hairline as a curve: click to add handles, drag them, right-click one to remove it"
            }
            Command::ToolPan => "Drag to move the photo (also: middle mouse button, or Space + drag)",
            Command::ToolMeasure => {
                "Drag along something of known length, then type its length to calibrate the scale"
            }
            Command::ToolSampleSkin => {
                "Click the patient's bare skin: the preset takes its tone, and its skin type is shown"
            }
            Command::ToolMatchStubble => {
                "Click the patient's own buzzed hair: dot size, density, darkness and shade are set to look like it"
            }
            Command::ToolOutline => {
                "The head's outline: toward it the scalp turns away, so dots crowd and flatten. Drag its handles, or drag a box to draw a new one"
            }
            Command::BrushSmaller => "Make the brush smaller",
            Command::BrushLarger => "Make the brush larger",
            Command::ToggleBeforeAfter => {
                "Switch between the photo as it is and the simulated result (hold B to peek)"
            }
            Command::ToggleSplit => "Photo on the left, result on the right, with a divider you can drag",
            Command::ToggleRegions => "Show or hide the coloured region tints",
            Command::ZoomToFit => "Fit the whole photo in the window",
            Command::ConsultationDetails => "The patient's name or reference, the date and your notes",
            Command::ToggleMirror => "Show the photo as in a mirror, the way patients see themselves",
            Command::TogglePresentation => {
                "Full screen, tools hidden, before and after side by side for the patient (Esc leaves)"
            }
            Command::ShowGuide => "Open, measure, paint, choose the preset, show, save and hand out",
            Command::ShowShortcuts => "Every keyboard shortcut on one sheet",
            Command::OpenLogFolder => {
                "The folder holding the log of every notice: what support asks for when something went wrong"
            }
            Command::Compare => {
                "Two to four presets, sessions or years side by side; click one to choose it (Esc or C leaves)"
            }
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
        let command_shift = |key| vec![KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, key)];
        match self {
            Command::Undo => command(Key::Z),
            Command::Redo => vec![
                KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z),
                KeyboardShortcut::new(Modifiers::COMMAND, Key::Y),
            ],
            Command::OpenPhoto => command(Key::O),
            Command::OpenSample => vec![],
            Command::OpenConsultation => command_shift(Key::O),
            Command::SaveConsultation => command(Key::S),
            Command::SaveConsultationAs => command_shift(Key::S),
            Command::ExportPreview => command(Key::E),
            Command::ImportPreset | Command::ExportPreset => vec![],
            Command::Quit => command(Key::Q),
            Command::ToolHairline => plain(Key::Num1),
            Command::ToolBald => plain(Key::Num2),
            Command::ToolScar => plain(Key::Num3),
            Command::ToolEraser => plain(Key::E),
            Command::ToolDesign => plain(Key::D),
            Command::ToolPan => plain(Key::P),
            Command::ToolMeasure => plain(Key::M),
            Command::ToolSampleSkin => plain(Key::I),
            Command::ToolMatchStubble => plain(Key::S),
            Command::ToolOutline => plain(Key::O),
            Command::BrushSmaller => plain(Key::OpenBracket),
            Command::BrushLarger => plain(Key::CloseBracket),
            Command::ToggleBeforeAfter => plain(Key::Backslash),
            Command::ToggleSplit => plain(Key::V),
            Command::ToggleRegions => plain(Key::R),
            Command::ConsultationDetails => command(Key::I),
            Command::ToggleMirror => plain(Key::H),
            Command::Compare => plain(Key::C),
            Command::TogglePresentation => plain(Key::F11),
            Command::ShowShortcuts => plain(Key::F1),
            Command::ShowGuide | Command::OpenLogFolder => vec![],
            Command::ZoomToFit => command(Key::Num0),
            Command::ZoomActualSize => command(Key::Num1),
        }
    }

    /// Every shortcut of every command, those with more modifiers first: a shortcut also
    /// matches when extra modifiers are held, so Ctrl+Shift+S must be tried before Ctrl+S.
    pub fn shortcut_table() -> Vec<(KeyboardShortcut, Command)> {
        let mut table: Vec<(KeyboardShortcut, Command)> =
            Command::ALL.iter().flat_map(|&c| c.shortcuts().into_iter().map(move |s| (s, c))).collect();
        table.sort_by_key(|(s, _)| std::cmp::Reverse(modifier_count(s.modifiers)));
        table
    }
}

fn modifier_count(m: Modifiers) -> u8 {
    m.alt as u8 + m.ctrl as u8 + m.shift as u8 + m.mac_cmd as u8 + m.command as u8
}

/// A shortcut as people read it: "Ctrl+Shift+S", "[", "\\".
pub fn shortcut_text(shortcut: &KeyboardShortcut) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let m = shortcut.modifiers;
    if m.command || m.ctrl {
        parts.push(if cfg!(target_os = "macos") { "⌘" } else { "Ctrl" });
    }
    if m.alt {
        parts.push("Alt");
    }
    if m.shift {
        parts.push("Shift");
    }
    let key = match shortcut.logical_key {
        Key::OpenBracket => "[",
        Key::CloseBracket => "]",
        Key::Backslash => "\\",
        Key::Num0 => "0",
        Key::Num1 => "1",
        Key::Num2 => "2",
        Key::Num3 => "3",
        other => other.name(),
    };
    parts.push(key);
    parts.join("+")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_are_unique_and_longer_ones_are_tried_first() {
        let table = Command::shortcut_table();
        let mut seen = Vec::new();
        for (i, (shortcut, command)) in table.iter().enumerate() {
            assert!(!seen.contains(shortcut), "{command:?} reuses a shortcut");
            seen.push(*shortcut);
            // Anything this shortcut would also match (fewer modifiers) comes later.
            for (earlier, other) in &table[..i] {
                let covers = earlier.logical_key == shortcut.logical_key
                    && modifier_count(earlier.modifiers) < modifier_count(shortcut.modifiers);
                assert!(!covers, "{other:?} would swallow {command:?}");
            }
        }
        assert!(seen.len() >= 20, "most commands should have a shortcut");
    }

    #[test]
    fn every_command_is_listed_once() {
        for (i, c) in Command::ALL.iter().enumerate() {
            assert!(!Command::ALL[i + 1..].contains(c), "{c:?} is listed twice");
        }
    }

    #[test]
    fn shortcuts_read_as_symbols() {
        assert_eq!(shortcut_text(&Command::BrushSmaller.shortcut().unwrap()), "[");
        assert_eq!(shortcut_text(&Command::ToggleBeforeAfter.shortcut().unwrap()), "\\");
        assert!(shortcut_text(&Command::SaveConsultationAs.shortcut().unwrap()).ends_with("Shift+S"));
    }
}
