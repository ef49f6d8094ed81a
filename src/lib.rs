//! SMP Studio: scalp micropigmentation consultations, offline.
//!
//! [`engine`] is the headless domain (no GUI types); [`app`] is the eframe window that lets a
//! person drive it; [`cli`] is the command line.

pub mod app;
pub mod cli;
pub mod engine;
