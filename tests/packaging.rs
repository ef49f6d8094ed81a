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

/// The AppStream metadata describes this version of this program: its release is the crate's
/// version, it launches the desktop entry that is shipped, and it claims the consultation type.
#[test]
fn the_software_centre_metadata_agrees_with_the_app() {
    let meta = read("packaging/smp-studio.metainfo.xml");
    let desktop = read("packaging/smp-studio.desktop");
    let mime = read("packaging/smp-studio.xml");
    let between = |text: &str, open: &str, close: &str| -> Vec<String> {
        text.split(open).skip(1).filter_map(|rest| rest.split(close).next()).map(str::to_owned).collect()
    };
    let latest = between(&meta, "<release version=\"", "\"");
    assert_eq!(
        latest.first().map(String::as_str),
        Some(env!("CARGO_PKG_VERSION")),
        "the newest release listed"
    );
    let launched = between(&meta, "<launchable type=\"desktop-id\">", "</launchable>");
    assert_eq!(launched, ["smp-studio.desktop"]);
    let declared = between(&mime, "<mime-type type=\"", "\"");
    assert_eq!(between(&meta, "<mediatype>", "</mediatype>"), declared);
    let categories: Vec<String> = between(&meta, "<category>", "</category>");
    assert_eq!(format!("{};", categories.join(";")), entry(&desktop, "Categories"));
    assert_eq!(between(&meta, "<binary>", "</binary>"), [env!("CARGO_PKG_NAME")]);
}

/// Every file the Debian package takes from the source tree is there (the generated man pages
/// and completions come from `examples/package_docs.rs`, whose own test covers them).
#[test]
fn the_package_names_only_files_that_exist() {
    let manifest = read("Cargo.toml");
    let deb = manifest.split("[package.metadata.deb]").nth(1).expect("Cargo.toml describes the package");
    let deb = deb.split("\n[").next().unwrap_or(deb);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources: Vec<&str> = deb
        .lines()
        .filter_map(|l| l.trim().strip_prefix("[\"")?.split('"').next())
        .filter(|source| !source.starts_with("target/"))
        .collect();
    assert!(sources.len() >= 10, "{sources:?}");
    for source in sources {
        match source.strip_suffix("*.ron") {
            Some(folder) => assert!(std::fs::read_dir(root.join(folder)).unwrap().count() >= 9, "{source}"),
            None => assert!(root.join(source).is_file(), "the package names {source}, which is missing"),
        }
    }
    for shipped in
        ["packaging/smp-studio.desktop", "packaging/smp-studio.xml", "packaging/smp-studio.metainfo.xml"]
    {
        assert!(deb.contains(shipped), "the package leaves out {shipped}");
    }
}
