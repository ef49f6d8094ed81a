//! The files a desktop installation is made of agree with the app: the desktop entry opens the
//! consultations whose file type is declared, that type's pattern is the extension the app
//! saves, and the icon the entry names is the one the app ships.

use smp_studio::engine::consultation::CONSULTATION_EXTENSION;

fn read(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn entry(desktop: &str, key: &str) -> String {
    desktop
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("the desktop entry has no {key}"))
        .to_owned()
}

#[test]
fn the_desktop_entry_the_file_type_and_the_icon_agree_with_the_app() {
    let desktop = read("packaging/smp-studio.desktop");
    let mime = read("packaging/smp-studio.xml");
    let declared = mime
        .split("<mime-type type=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the file type declares a MIME type");
    assert!(
        mime.contains(&format!("<glob pattern=\"*.{CONSULTATION_EXTENSION}\"/>")),
        "the file type does not match .{CONSULTATION_EXTENSION}"
    );
    assert!(
        entry(&desktop, "MimeType").split(';').any(|t| t == declared),
        "the entry does not open {declared}"
    );
    assert_eq!(entry(&desktop, "Categories"), "Graphics;MedicalSoftware;");
    assert_eq!(entry(&desktop, "Exec"), "smp-studio %f", "a double-clicked file must reach the program");
    let icon = entry(&desktop, "Icon");
    assert!(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("assets/icons/{icon}.svg")).exists()
    );
    for size in [48, 128, 256] {
        let png = image::open(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("assets/icons/{icon}-{size}.png")),
        )
        .unwrap();
        assert_eq!((png.width(), png.height()), (size, size));
    }
}
