//! Every action a person can take, with its one label, icon, tooltip and shortcut, so menus,
//! buttons, shortcuts and tooltips can never disagree.

use super::icons::Icon;
use crate::engine::mask::RegionKind;
use eframe::egui::{Key, KeyboardShortcut, Modifiers};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    OpenPhoto,
    OpenSample,
    ExportPreview,
    Quit,
    ToolHairline,
    ToolBald,
    ToolScar,
    ToolEraser,
    ToolPan,
    BrushSmaller,
    BrushLarger,
    ToggleBeforeAfter,
    ToggleRegions,
    ZoomToFit,
    ZoomActualSize,
}

impl Command {
    pub const ALL: [Command; 15] = [
        Command::OpenPhoto,
        Command::OpenSample,
        Command::ExportPreview,
        Command::Quit,
        Command::ToolHairline,
        Command::ToolBald,
        Command::ToolScar,
        Command::ToolEraser,
        Command::ToolPan,
        Command::BrushSmaller,
        Command::BrushLarger,
        Command::ToggleBeforeAfter,
        Command::ToggleRegions,
        Command::ZoomToFit,
        Command::ZoomActualSize,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Command::OpenPhoto => "Open photo…",
            Command::OpenSample => "Open sample consultation",
            Command::ExportPreview => "Export preview…",
            Command::Quit => "Quit",
            Command::ToolHairline => RegionKind::Hairline.label(),
            Command::ToolBald => RegionKind::Bald.label(),
            Command::ToolScar => RegionKind::Scar.label(),
            Command::ToolEraser => "Eraser",
            Command::ToolPan => "Pan",
            Command::BrushSmaller => "Smaller brush",
            Command::BrushLarger => "Larger brush",
            Command::ToggleBeforeAfter => "Before / after",
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
            _ => None,
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            Command::OpenPhoto => "Open a scalp photo (JPEG or PNG) to start a consultation",
            Command::OpenSample => "Open the bundled example consultation",
            Command::ExportPreview => {
                "Save the simulated result as a PNG or JPEG image, without photo metadata"
            }
            Command::Quit => "Close SMP Studio",
            Command::ToolHairline => "Paint the hairline region: dots fade in from its front edge",
            Command::ToolBald => "Paint bald or thinning areas to fill with dots",
            Command::ToolScar => "Paint scars to camouflage: scar tissue holds less pigment",
            Command::ToolEraser => "Erase from the region chosen below the tools",
            Command::ToolPan => "Drag to move the photo (also: middle mouse button)",
            Command::BrushSmaller => "Make the brush smaller",
            Command::BrushLarger => "Make the brush larger",
            Command::ToggleBeforeAfter => "Switch between the photo as it is and the simulated result",
            Command::ToggleRegions => "Show or hide the coloured region tints",
            Command::ZoomToFit => "Fit the whole photo in the window",
            Command::ZoomActualSize => "Show one photo pixel per screen pixel",
        }
    }

    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let plain = |key| Some(KeyboardShortcut::new(Modifiers::NONE, key));
        let command = |key| Some(KeyboardShortcut::new(Modifiers::COMMAND, key));
        match self {
            Command::OpenPhoto => command(Key::O),
            Command::OpenSample => None,
            Command::ExportPreview => command(Key::E),
            Command::Quit => command(Key::Q),
            Command::ToolHairline => plain(Key::H),
            Command::ToolBald => plain(Key::B),
            Command::ToolScar => plain(Key::S),
            Command::ToolEraser => plain(Key::E),
            Command::ToolPan => plain(Key::P),
            Command::BrushSmaller => plain(Key::OpenBracket),
            Command::BrushLarger => plain(Key::CloseBracket),
            Command::ToggleBeforeAfter => plain(Key::Backslash),
            Command::ToggleRegions => plain(Key::R),
            Command::ZoomToFit => command(Key::Num0),
            Command::ZoomActualSize => command(Key::Num1),
        }
    }
}
