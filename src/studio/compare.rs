//! Side-by-side variants of the consultation — other presets, sessions or years on the same
//! photo and regions — each rendered by a worker of its own and kept up to date with every
//! edit, so a doctor and a patient can weigh options together.

use super::edit::RenderScope;
use super::worker::{RenderJob, RenderWorker};
use crate::engine::consultation::Consultation;
use crate::engine::mask::PixelRect;
use crate::engine::preset::Preset;
use crate::engine::sim::Stage;
use image::RgbImage;
use std::sync::Arc;

/// Most variants shown at once.
pub const MAX_VARIANTS: usize = 4;

/// One option to compare: the consultation with some of its choices replaced.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// What the pane is called on screen.
    pub label: String,
    pub preset: Option<Preset>,
    pub session: Option<u32>,
    pub stage: Option<Stage>,
}

impl Variant {
    /// The sessions of `preset`, each a variant.
    pub fn sessions(preset: &Preset) -> Vec<Variant> {
        (1..=preset.session_count().min(MAX_VARIANTS as u32))
            .map(|s| Variant {
                label: format!("Session {s} · {:.0} %", preset.session_fraction(s) * 100.0),
                preset: None,
                session: Some(s),
                stage: None,
            })
            .collect()
    }

    /// Healed, and some years on.
    pub fn years(years: &[f32]) -> Vec<Variant> {
        years
            .iter()
            .take(MAX_VARIANTS)
            .map(|&y| Variant {
                label: if y == 0.0 { "Healed".into() } else { format!("{y:.0} years later") },
                preset: None,
                session: None,
                stage: Some(Stage::Healed { years: y }),
            })
            .collect()
    }

    /// Each of `presets` on this consultation.
    pub fn presets(presets: &[Preset]) -> Vec<Variant> {
        presets
            .iter()
            .take(MAX_VARIANTS)
            .map(|p| Variant { label: p.name.clone(), preset: Some(p.clone()), session: None, stage: None })
            .collect()
    }

    /// The preset and settings this variant renders with.
    fn job(&self, c: &Consultation, scope: RenderScope) -> RenderJob {
        let preset = self.preset.clone().unwrap_or_else(|| c.preset.clone());
        let mut settings = c.settings;
        if let Some(s) = self.session {
            settings.session = s.clamp(1, preset.session_count());
        }
        if let Some(stage) = self.stage {
            settings.stage = stage;
        }
        settings.session = settings.session.clamp(1, preset.session_count());
        RenderJob {
            generation: 0,
            photo: c.photo.clone(),
            hair: c.hair.clone(),
            analysis: c.analysis.clone(),
            compression: c.photo_file.as_ref().and_then(|f| f.compression.clone()),
            masks: Arc::new(c.masks.clone()),
            preset: Arc::new(preset),
            settings,
            scope,
        }
    }
}

/// A variant on screen.
pub struct Pane {
    pub variant: Variant,
    worker: RenderWorker,
    pending: Option<RenderScope>,
    image: Option<RgbImage>,
    fresh: Option<PixelRect>,
}

impl Pane {
    /// The last finished result, if one arrived.
    pub fn image(&self) -> Option<&RgbImage> {
        self.image.as_ref()
    }

    pub fn rendering(&self) -> bool {
        self.pending.is_some() || self.worker.busy()
    }
}

#[derive(Default)]
pub struct Compare {
    panes: Vec<Pane>,
}

impl Compare {
    pub fn start(&mut self, variants: Vec<Variant>, wake: Arc<dyn Fn() + Send + Sync>) {
        self.panes = variants
            .into_iter()
            .take(MAX_VARIANTS)
            .map(|variant| {
                let wake = wake.clone();
                Pane {
                    variant,
                    worker: RenderWorker::spawn(move || wake()),
                    pending: Some(RenderScope::Everything),
                    image: None,
                    fresh: None,
                }
            })
            .collect();
    }

    pub fn stop(&mut self) {
        self.panes.clear();
    }

    pub fn panes(&self) -> &[Pane] {
        &self.panes
    }

    pub fn active(&self) -> bool {
        !self.panes.is_empty()
    }

    /// The document changed: every pane is out of date in `scope`.
    pub fn changed(&mut self, scope: RenderScope) {
        for pane in &mut self.panes {
            pane.pending = Some(pane.pending.map_or(scope, |p| p.merge(scope)));
        }
    }

    /// Sends each pane's render when its worker is free.
    pub fn tick(&mut self, consultation: &Consultation) {
        for pane in &mut self.panes {
            if let Some(scope) = pane.pending
                && !pane.worker.busy()
            {
                pane.worker.submit(pane.variant.job(consultation, scope));
                pane.pending = None;
            }
        }
    }

    /// Takes in finished renders; true if any arrived.
    pub fn poll(&mut self, photo_size: (u32, u32)) -> bool {
        let mut any = false;
        for pane in &mut self.panes {
            for output in pane.worker.poll() {
                any = true;
                let r = output.rect;
                if r == PixelRect::full(photo_size.0, photo_size.1) {
                    pane.image = Some(output.pixels);
                } else if let Some(image) = pane.image.as_mut()
                    && image.dimensions() == photo_size
                {
                    image::imageops::replace(image, &output.pixels, r.x0 as i64, r.y0 as i64);
                }
                pane.fresh = Some(pane.fresh.map_or(r, |f| f.union(r)));
            }
        }
        any
    }

    /// The part of pane `i`'s result that changed since the window last asked.
    pub fn take_fresh(&mut self, i: usize) -> Option<PixelRect> {
        self.panes.get_mut(i).and_then(|p| p.fresh.take())
    }
}
