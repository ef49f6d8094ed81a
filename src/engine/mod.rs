//! The headless domain: photos, region masks, brushes, presets and the SMP simulation.
//!
//! Nothing in here knows about windows or widgets, so the command line, the tests and the app
//! all drive the same code.

pub mod analysis;
pub mod brush;
pub mod color;
pub mod consultation;
pub mod export;
pub mod files;
pub mod hair;
pub mod history;
pub mod mask;
pub mod photo;
pub mod preset;
pub mod rng;
pub mod sample;
pub mod sim;
pub mod store;
pub mod synth;
pub mod units;
