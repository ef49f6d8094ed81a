//! What can go wrong in the studio, as types up to the window, which shows each as a sentence.

use super::worker::WorkerFailed;
use crate::engine::consultation::ConsultationError;
use crate::engine::export::ExportError;
use crate::engine::handout::HandoutError;
use crate::engine::photo::PhotoError;
use crate::engine::sample::SampleError;
use crate::engine::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum StudioError {
    #[error(transparent)]
    Photo(#[from] PhotoError),
    #[error(transparent)]
    Consultation(#[from] ConsultationError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    Presets(#[from] StoreError),
    #[error(transparent)]
    Sample(#[from] SampleError),
    #[error(transparent)]
    Worker(#[from] WorkerFailed),
    #[error(transparent)]
    Handout(#[from] HandoutError),
    #[error("{0} is the patient's photo; choose another file name (SMP Studio never overwrites a photo)")]
    WouldOverwritePhoto(String),
    #[error("{0} is this consultation's own file; choose another name for the image")]
    WouldOverwriteConsultation(String),
    #[error("{0} is a folder; choose a file name in it instead")]
    IsFolder(String),
    #[error("could not start {what} ({reason}); try again")]
    Thread { what: &'static str, reason: String },
    #[error("the unsaved work could not be restored ({reason}). It stays in {folder}")]
    Restore { reason: String, folder: String },
    #[error("{0}")]
    Autosave(String),
    #[error("{0}")]
    Settings(String),
}
