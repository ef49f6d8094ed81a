use super::*;
use crate::engine::consultation::PatientNotes;
use crate::engine::design::HairlineDesign;
use crate::engine::preset::{self, HairlineStyle};
use crate::engine::sim::Stage;
use image::RgbImage;

fn document() -> Document {
    let photo =
        RgbImage::from_fn(200, 150, |x, y| image::Rgb([170 + (x % 7) as u8, 130, 110 + (y % 5) as u8]));
    Document::new(Consultation::new("p.jpg".into(), photo, preset::bundled().remove(0)), Origin::Blank)
}

/// Everything an edit can change.
fn contents(doc: &Document) -> (crate::engine::mask::RegionMasks, Choices) {
    (doc.consultation().masks.clone(), doc.choices())
}

fn field(path: &str) -> &'static crate::engine::preset::limits::Limit {
    crate::engine::preset::limits::field(path).unwrap()
}

fn paint(kind: RegionKind, from: (f32, f32), to: (f32, f32)) -> Edit {
    Edit::Paint {
        layers: vec![kind],
        mode: BrushMode::Paint,
        radius_px: 8.0,
        hardness: 0.5,
        points_px: vec![from, to],
    }
}

/// One of every kind of edit, each changing something.
fn every_edit() -> Vec<Vec<Edit>> {
    let other = preset::bundled().remove(1);
    vec![
        vec![paint(RegionKind::Bald, (20.0, 20.0), (120.0, 60.0))],
        vec![
            paint(RegionKind::Hairline, (10.0, 100.0), (60.0, 100.0)),
            paint(RegionKind::Hairline, (60.0, 100.0), (150.0, 120.0)),
        ],
        vec![Edit::Fill {
            layers: vec![RegionKind::Scar],
            mode: BrushMode::Paint,
            outline_px: vec![(30.0, 30.0), (90.0, 40.0), (60.0, 90.0)],
        }],
        vec![Edit::SetPreset(Box::new(other))],
        vec![
            Edit::SetPresetField { field: field("dots.darkness"), value: 0.4 },
            Edit::SetPresetField { field: field("dots.darkness"), value: 0.5 },
        ],
        vec![Edit::SetHairlineStyle(HairlineStyle::Defined)],
        vec![Edit::SetSession(1)],
        vec![Edit::SetStage(Stage::Fresh)],
        vec![Edit::SetPhotoSharpness(Some(0.2)), Edit::SetPhotoSharpness(Some(0.3))],
        vec![Edit::Calibrate { px_per_mm: 7.25 }],
        vec![Edit::SetNotes(PatientNotes {
            label: "J. D.".into(),
            date: "today".into(),
            notes: "crown".into(),
        })],
    ]
}

/// A layer with a painted square.
fn square(x0: u32, y0: u32, side: u32) -> crate::engine::mask::Mask {
    let mut layer = crate::engine::mask::Mask::new(200, 150);
    for y in y0..y0 + side {
        for x in x0..x0 + side {
            layer.set(x, y, 200);
        }
    }
    layer
}

#[test]
fn a_merged_suggestion_never_removes_painted_work() {
    let mut doc = document();
    doc.apply(paint(RegionKind::Bald, (70.0, 70.0), (90.0, 70.0)));
    doc.apply(Edit::EndGesture);
    let painted = doc.consultation().masks.get(RegionKind::Bald).clone();
    doc.apply(Edit::Merge { kind: RegionKind::Bald, layer: std::sync::Arc::new(square(60, 60, 40)) });
    let merged = doc.consultation().masks.get(RegionKind::Bald);
    assert_eq!(merged.get(80, 70), 255, "full paint stays full");
    assert_eq!(merged.get(65, 95), 200, "the suggestion adds where nothing was");
    assert_eq!(merged.get(10, 10), painted.get(10, 10));
    doc.apply(Edit::Undo);
    assert_eq!(*doc.consultation().masks.get(RegionKind::Bald), painted);
}

fn arc() -> HairlineDesign {
    HairlineDesign {
        handles: vec![[20.0, 60.0], [100.0, 40.0], [180.0, 60.0]],
        glabella: Some([100.0, 140.0]),
        depth_mm: 2.0,
        ..HairlineDesign::default()
    }
}

#[test]
fn a_designed_hairline_makes_its_region_and_one_undo_restores_the_brushed_one() {
    let mut doc = document();
    doc.apply(paint(RegionKind::Hairline, (20.0, 120.0), (180.0, 120.0)));
    doc.apply(Edit::EndGesture);
    let brushed = contents(&doc);
    // A first handle draws nothing yet.
    doc.apply(Edit::SetHairlineDesign(Some(HairlineDesign { handles: vec![[20.0, 60.0]], ..arc() })));
    assert_eq!(doc.consultation().masks, brushed.0);
    assert!(doc.design_replaces_painting(Some(&arc())), "the first line would replace the brushed one");
    // Dragging through several shapes is one step; the layer is the last shape's band.
    doc.apply(Edit::SetHairlineDesign(Some(arc())));
    let moved = HairlineDesign { handles: vec![[20.0, 70.0], [100.0, 50.0], [180.0, 70.0]], ..arc() };
    doc.apply(Edit::SetHairlineDesign(Some(moved.clone())));
    doc.apply(Edit::EndGesture);
    assert_eq!(doc.undo_name(), Some(REPLACED_PAINTED_HAIRLINE), "the step says what it replaced");
    assert!(!doc.design_replaces_painting(Some(&arc())), "moving the designed line replaces no painting");
    let layer = doc.consultation().masks.get(RegionKind::Hairline);
    assert_eq!(layer.get(100, 45), 255, "2 mm behind the mid-frontal point (glabella below)");
    assert_eq!(layer.get(100, 55), 0, "in front of the line");
    assert_eq!(layer.get(100, 120), 0, "the brushed hairline gave way to the design");
    let (expected, _) = moved.region(doc.consultation().settings.scale, 200, 150);
    assert_eq!(*layer, expected);
    doc.apply(Edit::Undo);
    assert_eq!(contents(&doc), brushed, "one undo restores the brushed hairline and no design");
}

#[test]
fn every_edit_is_one_undo_step_that_undo_and_redo_restore_exactly() {
    for gesture in every_edit() {
        let mut doc = document();
        // Something before, so undo has a state to return to that is not the blank one.
        doc.apply(paint(RegionKind::Bald, (150.0, 20.0), (190.0, 40.0)));
        doc.apply(Edit::EndGesture);
        let before = contents(&doc);
        let steps = doc.history().steps();
        for edit in gesture.clone() {
            assert!(doc.apply(edit).edited, "{gesture:?} changed nothing");
        }
        doc.apply(Edit::EndGesture);
        let after = contents(&doc);
        assert_ne!(after, before, "{gesture:?}");
        assert_eq!(doc.history().steps(), steps + 1, "{gesture:?} must be exactly one undo step");

        assert!(doc.apply(Edit::Undo).edited);
        assert_eq!(contents(&doc), before, "undo of {gesture:?}");
        assert!(doc.apply(Edit::Redo).edited);
        assert_eq!(contents(&doc), after, "redo of {gesture:?}");
    }
}

#[test]
fn an_edit_that_changes_nothing_is_no_step_and_leaves_the_document_saved() {
    let mut doc = document();
    let session = doc.consultation().settings.session;
    assert_eq!(doc.apply(Edit::SetSession(session)), Change::NONE);
    doc.apply(Edit::EndGesture);
    assert_eq!(doc.history().steps(), 0);
    assert!(!doc.unsaved());
}

#[test]
fn redrawing_follows_what_changed() {
    let mut doc = document();
    let change = doc.apply(paint(RegionKind::Bald, (20.0, 20.0), (60.0, 20.0)));
    assert!(matches!(change.render, Some(RenderScope::Region(_))), "{change:?}");
    assert!(change.tint.is_some());
    // A scar's tone depends on all of it.
    let change = doc.apply(paint(RegionKind::Scar, (20.0, 80.0), (60.0, 80.0)));
    assert_eq!(change.render, Some(RenderScope::Everything));
    let change = doc.apply(Edit::SetPresetField { field: field("dots.dot_diameter_mm"), value: 0.3 });
    assert_eq!((change.render, change.tint), (Some(RenderScope::Everything), None));
    let change = doc.apply(Edit::ShowRegions(false));
    assert_eq!((change.render, change.tint, change.edited), (None, Some(PixelRect::full(200, 150)), false));
    let change = doc.apply(Edit::SetNotes(PatientNotes { notes: "x".into(), ..Default::default() }));
    assert_eq!((change.render, change.tint, change.edited), (None, None, true));
}

#[test]
fn slider_values_outside_the_table_are_brought_into_range() {
    let mut doc = document();
    doc.apply(Edit::SetPresetField { field: field("dots.darkness"), value: 7.0 });
    assert_eq!(doc.consultation().preset.dots.darkness, 1.0);
    doc.apply(Edit::SetPresetField { field: field("dots.darkness"), value: f32::NAN });
    assert_eq!(doc.consultation().preset.dots.darkness, 0.0);
    assert!(doc.consultation().preset.validate("doc").is_ok());
}

#[test]
fn a_photo_sharpness_set_by_hand_rerenders_everything_and_can_return_to_the_estimate() {
    let mut doc = document();
    let change = doc.apply(Edit::SetPhotoSharpness(Some(0.25)));
    assert_eq!(change.render, Some(RenderScope::Everything));
    assert_eq!(doc.consultation().settings.photo_sharpness_mm, Some(0.25));
    doc.apply(Edit::SetPhotoSharpness(Some(40.0)));
    assert_eq!(doc.consultation().settings.photo_sharpness_mm, Some(MAX_PHOTO_SHARPNESS_MM));
    doc.apply(Edit::SetPhotoSharpness(Some(f32::NAN)));
    assert_eq!(doc.consultation().settings.photo_sharpness_mm, None, "no number: the estimate");
    doc.apply(Edit::SetPhotoSharpness(Some(0.1)));
    doc.apply(Edit::EndGesture);
    doc.apply(Edit::SetPhotoSharpness(None));
    assert_eq!(doc.consultation().settings.photo_sharpness_mm, None);
    doc.apply(Edit::Undo);
    assert_eq!(doc.consultation().settings.photo_sharpness_mm, Some(0.1), "undo brings the override back");
}

#[test]
fn undo_during_a_stroke_ends_it_first() {
    let mut doc = document();
    let blank = contents(&doc);
    doc.apply(paint(RegionKind::Bald, (20.0, 20.0), (120.0, 60.0)));
    assert!(doc.stroke_open());
    doc.apply(Edit::Undo);
    assert!(!doc.stroke_open());
    assert_eq!(contents(&doc), blank);
}

#[test]
fn calibration_survives_save_and_reopen() {
    let dir = std::env::temp_dir().join(format!("smp-document-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("visit.smpc");
    let mut doc = document();
    assert!(!doc.consultation().calibrated);
    doc.apply(Edit::Calibrate { px_per_mm: 8.5 });
    doc.consultation().save(&path).unwrap();
    doc.saved(doc.revision(), &path);
    assert!(!doc.unsaved());
    let back = Document::new(Consultation::load(&path).unwrap(), Origin::File(path.clone()));
    assert!(back.consultation().calibrated);
    assert_eq!(back.consultation().settings.scale.px_per_mm, 8.5);
    assert!(!back.unsaved());
    // Uncalibrated stays uncalibrated.
    let fresh = document();
    fresh.consultation().save(&path).unwrap();
    assert!(!Consultation::load(&path).unwrap().calibrated);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_file_replaced_behind_the_documents_back_is_noticed() {
    let dir = std::env::temp_dir().join(format!("smp-document-disk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("visit.smpc");
    let doc = document();
    doc.consultation().save(&path).unwrap();
    let mut doc = Document::new(Consultation::load(&path).unwrap(), Origin::File(path.clone()));
    assert!(!doc.changed_on_disk());
    // Another window saves other work over it.
    let mut other = document();
    other.apply(paint(RegionKind::Bald, (20.0, 20.0), (120.0, 60.0)));
    other.apply(Edit::EndGesture);
    other.consultation().save(&path).unwrap();
    assert!(doc.changed_on_disk());
    // Once this document is written there, it is in step again.
    doc.consultation().save(&path).unwrap();
    doc.saved(doc.revision(), &path);
    assert!(!doc.changed_on_disk());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn restored_work_starts_unsaved_and_everything_else_saved() {
    let photo = RgbImage::new(10, 10);
    let c = Consultation::new("p".into(), photo, preset::bundled().remove(0));
    assert!(Document::new(c.clone(), Origin::Restored).unsaved());
    assert!(!Document::new(c.clone(), Origin::Sample).unsaved());
    let d = Document::new(c, Origin::Photo(PathBuf::from("/photos/p.jpg")));
    assert_eq!(d.photo_path(), Some(Path::new("/photos/p.jpg")));
    assert_eq!(d.file_path(), None);
}

/// Showing or hiding a region's tint is how the photo is looked at: Undo passes over it to the
/// last edit, and it leaves nothing unsaved.
#[test]
fn a_tint_shown_or_hidden_is_no_undo_step() {
    let mut doc = document();
    doc.apply(paint(RegionKind::Bald, (20.0, 20.0), (60.0, 20.0)));
    doc.apply(Edit::EndGesture);
    let painted = doc.consultation().masks.clone();
    let revision = doc.revision();
    doc.apply(Edit::ShowRegion { kind: RegionKind::Bald, shown: false });
    doc.apply(Edit::ShowRegions(false));
    assert_eq!(doc.revision(), revision, "a tint is nothing to save");
    assert_eq!(doc.consultation().show_regions, [false; 3]);
    assert_eq!(doc.undo_name(), Some("stroke"));
    doc.apply(Edit::Undo);
    assert_ne!(doc.consultation().masks, painted, "undo takes back the stroke");
    assert_eq!(doc.consultation().show_regions, [false; 3], "and leaves the tints as they are");
    doc.apply(Edit::ShowRegions(true));
    doc.apply(Edit::Redo);
    assert_eq!(doc.consultation().masks, painted);
    assert_eq!(doc.consultation().show_regions, [true; 3]);
}

/// A preset read off the photo undoes under the name of what read it, not as "preset".
#[test]
fn a_preset_read_off_the_photo_undoes_by_its_name() {
    let mut doc = document();
    let mut matched = doc.consultation().preset.clone();
    matched.dots.darkness = 0.33;
    doc.apply(Edit::ReadPreset { preset: Box::new(matched.clone()), from: crate::studio::Reading::Stubble });
    doc.apply(Edit::EndGesture);
    assert_eq!(doc.undo_name(), Some("stubble match"));
    matched.skin.fitzpatrick = 5;
    doc.apply(Edit::ReadPreset { preset: Box::new(matched), from: crate::studio::Reading::Skin });
    doc.apply(Edit::EndGesture);
    assert_eq!(doc.undo_name(), Some("skin sample"));
    doc.apply(Edit::Undo);
    assert_eq!(doc.consultation().preset.dots.darkness, 0.33);
    assert_eq!(doc.history().redo_name(), Some("skin sample"));
}

/// Two soft strokes side by side, each a separate gesture, join without a paler seam: the
/// second adds to the first's fading edge rather than keeping the larger of the two.
#[test]
fn soft_strokes_painted_one_after_the_other_join_without_a_seam() {
    let mut doc = document();
    let soft = |y: f32| Edit::Paint {
        layers: vec![RegionKind::Bald],
        mode: BrushMode::Paint,
        radius_px: 20.0,
        hardness: 0.0,
        points_px: vec![(10.0, y), (190.0, y)],
    };
    doc.apply(soft(55.0));
    doc.apply(Edit::EndGesture);
    doc.apply(soft(75.0));
    doc.apply(Edit::EndGesture);
    let bald = doc.consultation().masks.get(RegionKind::Bald);
    let seam = (55..=75).map(|y| bald.get(100, y)).min().unwrap_or(0);
    assert!(seam >= 242, "coverage between the strokes dips to {seam}");
    doc.apply(Edit::Undo);
    assert!(
        doc.consultation().masks.get(RegionKind::Bald).get(100, 65) < 160,
        "undo takes the second stroke back"
    );
}

/// The scar's tone reads how much of the skin around it is treated: painting another region
/// near a scar re-renders the whole scar, painting it far away only its own area.
#[test]
fn another_region_painted_near_a_scar_re_renders_the_scar() {
    let mut doc = document();
    doc.apply(paint(RegionKind::Scar, (20.0, 20.0), (40.0, 20.0)));
    doc.apply(Edit::EndGesture);
    let near = doc.apply(paint(RegionKind::Bald, (70.0, 20.0), (75.0, 20.0)));
    doc.apply(Edit::EndGesture);
    assert_eq!(near.render, Some(RenderScope::Everything));
    let far = doc.apply(paint(RegionKind::Bald, (170.0, 130.0), (175.0, 130.0)));
    assert!(matches!(far.render, Some(RenderScope::Region(_))), "{:?}", far.render);
}
