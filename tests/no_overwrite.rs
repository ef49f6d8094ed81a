//! Outputs never replace inputs: a slip of the keyboard must not cost a patient's photo.

use std::process::Command;

#[test]
fn render_refuses_to_write_over_its_own_photo() {
    let dir = std::env::temp_dir().join(format!("smp-no-overwrite-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let photo = dir.join("patient.png");
    image::RgbImage::from_pixel(80, 60, image::Rgb([200, 160, 140])).save(&photo).unwrap();
    let before = std::fs::read(&photo).unwrap();
    // The same file, spelled another way.
    let out_path = dir.join(".").join("patient.png");
    let out = Command::new(env!("CARGO_BIN_EXE_smp-studio"))
        .args(["render", "--photo"])
        .arg(&photo)
        .arg("--out")
        .arg(&out_path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is the photo being rendered") && err.contains("never overwrites"), "{err}");
    assert_eq!(std::fs::read(&photo).unwrap(), before, "the photo must be untouched");
    std::fs::remove_dir_all(&dir).ok();
}
