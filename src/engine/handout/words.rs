//! The words hand-outs print, in one place so a sheet and the report say the same thing.

use crate::engine::consultation::Consultation;
use crate::engine::mask::RegionKind;
use crate::engine::plan::PlanFigures;
use crate::engine::preset::{NeedleGrouping, Preset};
use crate::engine::sim::Stage;

/// Printed on every hand-out unless the clinician turns it off: a simulation shown to a
/// patient is read almost as a promise.
pub const DISCLAIMER: &str = "Simulation — actual results vary.";
/// The disclaimer's second sentence, where there is room for it.
pub const DISCLAIMER_DETAIL: &str =
    "Made from your photo to show a possible result; it is not a photograph of a treatment.";

/// What a hand-out prints besides the pictures. Built with [`CaptionOptions::for_consultation`]:
/// the date when the consultation has one, no patient label and no notes (printed only where
/// the clinician chooses), the plan figures and the disclaimer.
#[derive(Clone, Debug, PartialEq)]
pub struct CaptionOptions {
    /// The consultation's date as the clinic writes it.
    pub date: Option<String>,
    /// A name or reference for the patient; printed only when set.
    pub patient_label: Option<String>,
    /// Notes for the patient; printed on the PDF report only, and only when set.
    pub notes: Option<String>,
    /// Area, impressions, sessions and time per session.
    pub plan: bool,
    /// "Simulation — actual results vary."
    pub disclaimer: bool,
    /// The clinic's pace, for the time per session.
    pub impressions_per_hour: f32,
}

impl CaptionOptions {
    pub fn for_consultation(consultation: &Consultation, impressions_per_hour: f32) -> CaptionOptions {
        let date = consultation.notes.date.trim();
        CaptionOptions {
            date: (!date.is_empty()).then(|| date.to_owned()),
            patient_label: None,
            notes: None,
            plan: true,
            disclaimer: true,
            impressions_per_hour,
        }
    }

    /// Prints the consultation's patient label, if it has one.
    pub fn with_patient_label(mut self, consultation: &Consultation) -> CaptionOptions {
        let label = consultation.notes.label.trim();
        self.patient_label = (!label.is_empty()).then(|| label.to_owned());
        self
    }

    /// Prints the consultation's notes on the report, if it has any.
    pub fn with_notes(mut self, consultation: &Consultation) -> CaptionOptions {
        let notes = consultation.notes.notes.trim();
        self.notes = (!notes.is_empty()).then(|| notes.to_owned());
        self
    }

    /// "12 March 2025 · For J. D." — whichever of the two are printed.
    pub(crate) fn who_and_when(&self) -> Option<String> {
        let parts: Vec<String> = [self.date.clone(), self.patient_label.as_ref().map(|l| format!("For {l}"))]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join("  ·  "))
    }
}

/// 12345 → "12,345".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Minutes as "45 min" or "2 h 10 min".
pub fn duration(minutes: f32) -> String {
    let m = minutes.max(0.0).round() as u32;
    if m < 60 { format!("{m} min") } else { format!("{} h {:02} min", m / 60, m % 60) }
}

/// "84.2 cm²".
pub fn area(cm2: f64) -> String {
    format!("{cm2:.1} cm²")
}

/// Years as people say them: "1 year", "2.5 years".
fn years(years: f32) -> String {
    let rounded = (years * 10.0).round() / 10.0;
    if (rounded - 1.0).abs() < f32::EPSILON {
        "1 year".into()
    } else if rounded.fract() == 0.0 {
        format!("{rounded:.0} years")
    } else {
        format!("{rounded:.1} years")
    }
}

/// How the pigment looks at `stage`: "healed", "first days", "5 years on".
pub fn stage(stage: Stage) -> String {
    match stage {
        Stage::Fresh => "first days after the session".into(),
        Stage::Healed { years: y } if y < 0.05 => "healed".into(),
        Stage::Healed { years: y } => format!("{} on", years(y)),
    }
}

/// "After session 2 of 3 · healed".
pub fn session_and_stage(session: u32, sessions: u32, at: Stage) -> String {
    format!("After session {session} of {sessions}  ·  {}", stage(at))
}

/// The panel label for `years` after the last session: "5 years on".
pub fn years_on(y: f32) -> String {
    format!("{} on", years(y))
}

/// Share of the full density after session `k` (1-based): "30 % of full density".
pub fn session_density(preset: &Preset, session: u32) -> String {
    let fractions = &preset.density.session_fractions;
    let last = fractions.len() as u32;
    match fractions.get(session.saturating_sub(1) as usize) {
        Some(_) if session >= last => "complete".into(),
        Some(f) => format!("{:.0} % of full density", f * 100.0),
        None => String::new(),
    }
}

/// Plan figures as label and value rows: area, impressions, sessions, time per session.
pub fn plan_rows(plan: &PlanFigures, impressions_per_hour: f32) -> Vec<(String, String)> {
    let minutes = plan.minutes_per_session(impressions_per_hour);
    let times: Vec<String> = minutes.iter().map(|m| duration(*m)).collect();
    let time = if times.windows(2).all(|w| w[0] == w[1]) {
        times.first().cloned().unwrap_or_default()
    } else {
        times.join("  ·  ")
    };
    vec![
        ("Treated area".into(), area(plan.total.area_cm2)),
        ("Impressions".into(), thousands(plan.total.impressions())),
        ("Sessions".into(), plan.sessions().to_string()),
        ("Time per session".into(), time),
    ]
}

/// Area by region, for the regions painted: ("Hairline", "12.3 cm²").
pub fn region_rows(plan: &PlanFigures) -> Vec<(String, String)> {
    RegionKind::ALL
        .iter()
        .filter(|&&kind| plan.region(kind).area_cm2 >= 0.05)
        .map(|&kind| (kind.label().to_owned(), area(plan.region(kind).area_cm2)))
        .collect()
}

/// Each session's new impressions and time: ("Session 1", "2,210 impressions · 53 min").
pub fn session_rows(plan: &PlanFigures, impressions_per_hour: f32) -> Vec<(String, String)> {
    let minutes = plan.minutes_per_session(impressions_per_hour);
    plan.total
        .impressions_per_session
        .iter()
        .zip(minutes)
        .enumerate()
        .map(|(i, (n, m))| {
            (format!("Session {}", i + 1), format!("{} impressions  ·  {}", thousands(*n), duration(m)))
        })
        .collect()
}

/// What the preset does, as label and value rows for the report.
pub fn preset_rows(preset: &Preset, plan: &PlanFigures) -> Vec<(String, String)> {
    let build_up: Vec<String> =
        preset.density.session_fractions.iter().map(|f| format!("{:.0} %", f * 100.0)).collect();
    let needle = match preset.needle.grouping {
        NeedleGrouping::Single => "single point",
        NeedleGrouping::Three => "three points",
    };
    let mut rows = vec![
        ("Hairline".into(), preset.hairline.style.label().to_owned()),
        (
            "Impressions".into(),
            format!(
                "{:.2} mm healed, {:.0} per cm² when complete",
                preset.dots.dot_diameter_mm, preset.density.target_dots_per_cm2
            ),
        ),
        ("Build-up".into(), format!("{} of full density", build_up.join(" → "))),
        ("Needle".into(), format!("{needle}, {:.2} mm", preset.needle.diameter_mm)),
    ];
    if !plan.shades.is_empty() {
        let shades: Vec<String> =
            plan.shades.iter().map(|(name, share)| format!("{name} {:.0} %", share * 100.0)).collect();
        rows.push(("Pigment".into(), shades.join(", ")));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_people_write_them() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(12_345), "12,345");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(duration(44.6), "45 min");
        assert_eq!(duration(130.0), "2 h 10 min");
        assert_eq!(area(84.25), "84.2 cm²");
        assert_eq!(stage(Stage::Healed { years: 0.0 }), "healed");
        assert_eq!(stage(Stage::Healed { years: 1.0 }), "1 year on");
        assert_eq!(years_on(5.0), "5 years on");
        assert_eq!(years_on(2.5), "2.5 years on");
        assert_eq!(
            session_and_stage(2, 3, Stage::Fresh),
            "After session 2 of 3  ·  first days after the session"
        );
        let preset = Preset::default();
        assert_eq!(session_density(&preset, 1), "30 % of full density");
        assert_eq!(session_density(&preset, 3), "complete");
    }
}
