//! SMP Studio: scalp micropigmentation consultations, offline.
//!
//! [`engine`] is the headless domain (no GUI types); [`studio`] holds the open consultation as a
//! document with its undo history, rendering and autosave, also headless; [`app`] is the eframe
//! window that lets a person drive the studio; [`cli`] is the command line.

pub mod app;
pub mod cli;
pub mod engine;
pub mod studio;
