//! The headless domain: photos, region masks, brushes, presets and the SMP simulation.
//!
//! Nothing in here knows about windows or widgets, so the command line, the tests and the app
//! all drive the same code.

pub mod analysis;
pub mod brush;
pub mod color;
pub mod compression;
pub mod consultation;
pub mod design;
pub mod export;
pub mod files;
pub mod hair;
pub mod handout;
pub mod head;
pub mod history;
pub mod mask;
pub mod morphology;
pub mod os_error;
pub mod photo;
pub mod photo_check;
pub mod plan;
pub mod preset;
pub mod rng;
pub mod sample;
pub mod sampling;
pub mod sim;
pub mod store;
pub mod stubble;
pub mod suggest;
pub mod synth;
pub mod units;
