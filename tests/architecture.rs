//! The shape the code keeps: a headless engine and studio under a thin window, and one place
//! where the open consultation changes.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources(folder: &str) -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    assert!(!files.is_empty(), "no sources in {folder}");
    files.into_iter().map(|f| (f.clone(), std::fs::read_to_string(&f).unwrap())).collect()
}

/// A source file's module path under `src`: `src/engine/sim/dots.rs` is `engine::sim::dots`,
/// `src/engine/sim/mod.rs` is `engine::sim`.
fn module_of(file: &Path) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let relative = file.strip_prefix(&src).unwrap().with_extension("");
    let mut path: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if path.last().is_some_and(|last| last == "mod") {
        path.pop();
    }
    path
}

/// Every path a file names (in `use` trees, types, expressions, patterns and attributes), made
/// absolute where it starts with `crate`, `self` or `super`: `["crate", "app", "State"]`,
/// `["egui", "Ui"]`. Identifiers inside macro calls count as one-segment paths, so
/// `format!("{}", egui::X)` is seen too.
struct Paths {
    module: Vec<String>,
    found: Vec<Vec<String>>,
}

impl Paths {
    fn absolute(&self, segments: Vec<String>) -> Vec<String> {
        let mut here = self.module.clone();
        let mut rest = segments.as_slice();
        match rest.first().map(String::as_str) {
            Some("self") => rest = &rest[1..],
            Some("super") => {
                while rest.first().is_some_and(|s| s == "super") {
                    here.pop();
                    rest = &rest[1..];
                }
            }
            _ => return segments,
        }
        std::iter::once("crate".to_owned()).chain(here).chain(rest.iter().cloned()).collect()
    }

    fn add(&mut self, segments: Vec<String>) {
        let path = self.absolute(segments);
        self.found.push(path);
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => self.add(prefix.iter().cloned().chain([n.ident.to_string()]).collect()),
            syn::UseTree::Rename(r) => {
                self.add(prefix.iter().cloned().chain([r.ident.to_string()]).collect())
            }
            syn::UseTree::Glob(_) => self.add(prefix.clone()),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| self.use_tree(prefix, t)),
        }
    }

    /// Paths inside a macro call: runs of `ident::ident::…` in its tokens, at any depth.
    fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
        let mut run: Vec<String> = Vec::new();
        let mut colons = 0;
        for token in tokens {
            match token {
                proc_macro2::TokenTree::Ident(ident) => {
                    if colons != 2 && !run.is_empty() {
                        self.add(std::mem::take(&mut run));
                    }
                    run.push(ident.to_string());
                    colons = 0;
                }
                proc_macro2::TokenTree::Punct(p) if p.as_char() == ':' && !run.is_empty() => colons += 1,
                other => {
                    if !run.is_empty() {
                        self.add(std::mem::take(&mut run));
                    }
                    colons = 0;
                    if let proc_macro2::TokenTree::Group(group) = other {
                        self.tokens(group.stream());
                    }
                }
            }
        }
        if !run.is_empty() {
            self.add(run);
        }
    }
}

impl<'ast> syn::visit::Visit<'ast> for Paths {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.add(path.segments.iter().map(|s| s.ident.to_string()).collect());
        syn::visit::visit_path(self, path);
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        // An inline module (`mod tests { use super::*; }`) is one level further down.
        self.module.push(item.ident.to_string());
        syn::visit::visit_item_mod(self, item);
        self.module.pop();
    }

    fn visit_item_extern_crate(&mut self, item: &'ast syn::ItemExternCrate) {
        self.found.push(vec![item.ident.to_string()]);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.tokens(mac.tokens.clone());
        syn::visit::visit_macro(self, mac);
    }
}

/// Each file of `folder` with its parsed syntax tree.
fn parsed(folder: &str) -> Vec<(PathBuf, syn::File)> {
    sources(folder)
        .into_iter()
        .map(|(file, text)| {
            let tree = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            (file, tree)
        })
        .collect()
}

/// Every path each file of `folder` names, absolute where it can be.
fn paths(folder: &str) -> Vec<(PathBuf, Vec<Vec<String>>)> {
    parsed(folder)
        .into_iter()
        .map(|(file, tree)| {
            let mut paths = Paths { module: module_of(&file), found: Vec::new() };
            syn::visit::Visit::visit_file(&mut paths, &tree);
            (file, paths.found)
        })
        .collect()
}

/// The window's crates, which only `src/app` may name.
const GUI_CRATES: &[&str] = &["egui", "eframe", "egui_kittest", "egui_extras", "winit", "wgpu", "rfd"];

fn offences(paths: &[Vec<String>], forbidden_crate_modules: &[&str]) -> Vec<String> {
    paths
        .iter()
        .filter(|p| {
            let first = p.first().map(String::as_str).unwrap_or_default();
            GUI_CRATES.contains(&first)
                || (first == "crate"
                    && p.get(1).is_some_and(|m| forbidden_crate_modules.contains(&m.as_str())))
        })
        .map(|p| p.join("::"))
        .collect()
}

#[test]
fn the_engine_and_the_studio_never_import_the_gui() {
    for folder in ["src/engine", "src/studio"] {
        for (file, paths) in paths(folder) {
            let found = offences(&paths, &["app", "cli"]);
            assert!(found.is_empty(), "{} reaches the window or the CLI: {found:?}", file.display());
        }
    }
}

#[test]
fn the_engine_never_reaches_up_into_the_studio() {
    for (file, paths) in paths("src/engine") {
        let found = offences(&paths, &["app", "cli", "studio"]);
        assert!(found.is_empty(), "{} reaches up: {found:?}", file.display());
    }
}

/// The check itself sees through formatting, `super::` and macros: each of these would have
/// passed a text search or been missed by one.
#[test]
fn the_layering_check_sees_every_way_of_naming_a_module() {
    // (file, source, whether it offends); the studio may not name app or cli, the engine
    // not the studio either.
    let cases = [
        ("src/studio/x.rs", "use super::super::app::State;", true),
        ("src/studio/x.rs", "use super::app::State; // crate::studio::app, the studio's own", false),
        ("src/studio/x.rs", "use crate::{\n    cli::Args,\n};", true),
        ("src/engine/sim/x.rs", "fn f() { super::super::super::studio::g(); }", true),
        ("src/engine/sim/x.rs", "fn f() { super::super::design::g(); }", false),
        (
            "src/engine/sim/x.rs",
            "mod tests { fn f() -> super::super::super::super::cli::Args { todo!() } }",
            true,
        ),
        ("src/studio/x.rs", "fn f() { let _ = rfd::FileDialog::new(); }", true),
        ("src/studio/x.rs", "fn f() { println!(\"{:?}\", egui::Color32::RED); }", true),
        ("src/studio/x.rs", "fn f() { assert!(crate::app::ready()); }", true),
        ("src/studio/x.rs", "fn f() { assert!(matches!(x, super::edit::Edit::Undo)); }", false),
        ("src/studio/x.rs", "use crate::engine::mask::Mask; // egui is not imported here", false),
        ("src/studio/x.rs", "fn f() -> &'static str { \"eframe\" }", false),
    ];
    for (file, text, offends) in cases {
        let tree = syn::parse_file(text).unwrap();
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let mut paths = Paths { module: module_of(&path), found: Vec::new() };
        syn::visit::Visit::visit_file(&mut paths, &tree);
        let forbidden: &[&str] =
            if file.starts_with("src/engine") { &["app", "cli", "studio"] } else { &["app", "cli"] };
        let found = offences(&paths.found, forbidden);
        assert_eq!(!found.is_empty(), offends, "{text}: {found:?}");
    }
}

/// Whether an item of the studio can be reached from outside it: `pub` or `pub(crate)`, not
/// `pub(super)` or `pub(in crate::studio)`.
fn public(vis: &syn::Visibility) -> bool {
    match vis {
        syn::Visibility::Public(_) => true,
        syn::Visibility::Restricted(r) => r.path.is_ident("crate"),
        syn::Visibility::Inherited => false,
    }
}

#[test]
fn apply_is_the_only_public_way_to_change_the_document() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/studio/document.rs");
    let tree = syn::parse_file(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let is_document = |ty: &syn::Type| matches!(ty, syn::Type::Path(p) if p.path.is_ident("Document"));
    let mut mutators = Vec::new();
    let mut fields = None;
    for item in &tree.items {
        match item {
            syn::Item::Impl(block) if block.trait_.is_none() && is_document(&block.self_ty) => {
                for item in &block.items {
                    if let syn::ImplItem::Fn(f) = item
                        && public(&f.vis)
                        && f.sig.receiver().is_some_and(|r| r.reference.is_some() && r.mutability.is_some())
                    {
                        mutators.push(f.sig.ident.to_string());
                    }
                }
            }
            syn::Item::Struct(s) if s.ident == "Document" => {
                fields = Some(s.fields.iter().filter(|f| public(&f.vis)).count());
            }
            _ => {}
        }
    }
    assert_eq!(mutators, ["apply"], "Document methods that change it from outside the studio");
    // Its fields are private: nothing outside can assign to them.
    assert_eq!(fields, Some(0), "Document has a public field (or no struct was found)");
}

/// Whether a type holds a `&mut` anywhere (`&mut T`, `Option<&mut T>`, …).
fn lends_mutably(ty: &syn::Type) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_type_reference(&mut self, r: &'ast syn::TypeReference) {
            self.0 |= r.mutability.is_some();
            syn::visit::visit_type_reference(self, r);
        }
    }
    let mut finder = Finder(false);
    syn::visit::Visit::visit_type(&mut finder, ty);
    finder.0
}

#[test]
fn the_studio_never_lends_out_the_document_to_change() {
    // With no `&mut` to the document or its consultation handed out, the window can change
    // them only by `Studio::apply`, which the compiler then enforces.
    struct Lenders(Vec<String>);
    impl<'ast> syn::visit::Visit<'ast> for Lenders {
        fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
            if public(&f.vis) && matches!(&f.sig.output, syn::ReturnType::Type(_, ty) if lends_mutably(ty)) {
                self.0.push(f.sig.ident.to_string());
            }
        }
        fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
            if public(&f.vis) && matches!(&f.sig.output, syn::ReturnType::Type(_, ty) if lends_mutably(ty)) {
                self.0.push(f.sig.ident.to_string());
            }
        }
    }
    for (file, tree) in parsed("src/studio") {
        let mut lenders = Lenders(Vec::new());
        syn::visit::Visit::visit_file(&mut lenders, &tree);
        assert!(lenders.0.is_empty(), "{} lends out a mutable borrow: {:?}", file.display(), lenders.0);
    }
    // The check reads signatures however they are laid out.
    let split: syn::ImplItemFn = syn::parse_str(
        "pub fn consultation_mut(\n    &mut self,\n) -> Option<\n    &mut Consultation,\n> { None }",
    )
    .unwrap();
    assert!(matches!(&split.sig.output, syn::ReturnType::Type(_, ty) if lends_mutably(ty)));
}
