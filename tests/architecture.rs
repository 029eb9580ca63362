//! The domain's layers, as `src/domain/mod.rs` writes them down: a module imports only from
//! its own layer or those below it, and no two modules import each other (directly or through
//! others). The layer table is read from that doc, so the doc and this check cannot drift
//! apart. Imports are read with `syn` from every file under `src/domain`: `crate::domain::<module>`
//! paths (in `use` items, code and macro bodies) and `super::` paths that leave the module.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

const DOMAIN: &str = "src/domain";

/// A domain module's layer: its number (1 at the bottom) and name, as the doc writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Layer {
    number: u32,
    name: String,
}

/// One file's import of another domain module.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Import {
    file: PathBuf,
    line: usize,
    from: String,
    to: String,
}

/// The top-level modules `src/domain/mod.rs` declares.
fn declared_modules() -> BTreeSet<String> {
    let file = parse(&Path::new(DOMAIN).join("mod.rs"));
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) => Some(m.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// The layer of each module named in the doc of `src/domain/mod.rs`: the numbered items
/// (`1. **Vocabulary** — ...`) and their indented continuation lines; in them, every name in
/// backticks that is a declared module.
fn layers(modules: &BTreeSet<String>) -> BTreeMap<String, Vec<Layer>> {
    let path = Path::new(DOMAIN).join("mod.rs");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out: BTreeMap<String, Vec<Layer>> = BTreeMap::new();
    let mut current: Option<Layer> = None;
    for line in text.lines().filter_map(|l| l.strip_prefix("//!")) {
        let line = line.strip_prefix(' ').unwrap_or(line);
        if let Some(layer) = layer_heading(line) {
            current = Some(layer);
        } else if !line.starts_with("   ") {
            current = None;
        }
        let Some(layer) = &current else { continue };
        for name in line.split('`').skip(1).step_by(2) {
            if modules.contains(name) {
                out.entry(name.to_string()).or_default().push(layer.clone());
            }
        }
    }
    out
}

/// `1. **Vocabulary** — ...` → layer 1, "Vocabulary".
fn layer_heading(line: &str) -> Option<Layer> {
    let (number, rest) = line.split_once(". **")?;
    let (name, _) = rest.split_once("**")?;
    Some(Layer {
        number: number.parse().ok()?,
        name: name.to_string(),
    })
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn parse(path: &Path) -> syn::File {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The module path of a file under `src/domain`: `import/generic.rs` → `[import, generic]`,
/// `import/mod.rs` → `[import]`, `mod.rs` → `[]`.
fn module_path(file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(DOMAIN).unwrap_or(file).with_extension("");
    relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .filter(|part| part != "mod")
        .collect()
}

/// Reads a file's imports of other domain modules, tracking inline modules (`mod tests`) so
/// that `super::` means what it means there.
struct Imports {
    file: PathBuf,
    module: Vec<String>,
    found: Vec<Import>,
}

impl Imports {
    /// Records `path` (its segments, from `line`) if it names another top-level domain module.
    fn record(&mut self, segments: &[String], line: usize) {
        let target = match segments {
            [krate, domain, module, ..] if krate == "crate" && domain == "domain" => module.clone(),
            [first, ..] if first == "super" => {
                let supers = segments.iter().take_while(|s| *s == "super").count();
                let kept = self.module.len().saturating_sub(supers);
                match (self.module.get(..kept), segments.get(supers)) {
                    // `super::` from a top-level module's own file lands in `domain`: the next
                    // segment is the module imported.
                    (Some([]), Some(module)) => module.clone(),
                    (Some([top, ..]), _) => top.clone(),
                    _ => return,
                }
            }
            _ => return,
        };
        let from = self.module[0].clone();
        if target != from {
            self.found.push(Import {
                file: self.file.clone(),
                line,
                from,
                to: target,
            });
        }
    }

    /// `crate :: domain :: name` in a macro's tokens (which `syn` does not parse).
    fn record_tokens(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, token) in tokens.iter().enumerate() {
            if let TokenTree::Group(group) = token {
                self.record_tokens(group.stream());
            }
            let idents: Vec<String> = tokens[i..]
                .iter()
                .filter(|t| !matches!(t, TokenTree::Punct(p) if p.as_char() == ':'))
                .take(3)
                .map(|t| t.to_string())
                .collect();
            if idents.len() == 3 && idents[0] == "crate" && idents[1] == "domain" {
                self.record(&idents, token.span().start().line);
            }
        }
    }
}

/// The paths a `use` tree brings in, each as its segments.
fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => out.push([prefix.clone(), vec![n.ident.to_string()]].concat()),
        syn::UseTree::Rename(r) => out.push([prefix.clone(), vec![r.ident.to_string()]].concat()),
        syn::UseTree::Glob(_) => out.push(prefix.clone()),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                use_paths(tree, prefix, out);
            }
        }
    }
}

impl<'ast> Visit<'ast> for Imports {
    fn visit_item_mod(&mut self, node: &'ast syn::ItemMod) {
        if node.content.is_some() {
            self.module.push(node.ident.to_string());
            visit::visit_item_mod(self, node);
            self.module.pop();
        }
    }

    fn visit_item_use(&mut self, node: &'ast syn::ItemUse) {
        let mut paths = Vec::new();
        use_paths(&node.tree, &mut Vec::new(), &mut paths);
        for path in paths {
            self.record(&path, node.span().start().line);
        }
    }

    fn visit_path(&mut self, node: &'ast syn::Path) {
        let segments: Vec<String> = node.segments.iter().map(|s| s.ident.to_string()).collect();
        self.record(&segments, node.span().start().line);
        visit::visit_path(self, node);
    }

    fn visit_macro(&mut self, node: &'ast syn::Macro) {
        self.record_tokens(node.tokens.clone());
        visit::visit_macro(self, node);
    }
}

/// Every import of one top-level domain module by another, in every file under `src/domain`.
fn domain_imports() -> Vec<Import> {
    let mut found = Vec::new();
    for file in rust_files(Path::new(DOMAIN)) {
        let module = module_path(&file);
        if module.is_empty() {
            continue; // `domain/mod.rs` declares the modules and imports none.
        }
        let mut imports = Imports {
            file: file.clone(),
            module,
            found: Vec::new(),
        };
        imports.visit_file(&parse(&file));
        found.extend(imports.found);
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn every_domain_module_is_in_exactly_one_layer_of_the_doc() {
    let modules = declared_modules();
    let layers = layers(&modules);
    assert!(
        modules.len() > 10,
        "modules declared in src/domain/mod.rs: {modules:?}"
    );
    for module in &modules {
        match layers.get(module).map(Vec::as_slice) {
            Some([_]) => {}
            Some(several) => panic!("`{module}` is in several layers of src/domain/mod.rs's doc: {several:?}"),
            None => panic!("`{module}` is in no layer of src/domain/mod.rs's doc: name it, in backticks, in its layer's item"),
        }
    }
    assert_eq!(
        layers
            .values()
            .flatten()
            .map(|l| l.number)
            .collect::<BTreeSet<_>>(),
        BTreeSet::from([1, 2, 3]),
    );
}

#[test]
fn no_domain_module_imports_one_from_a_higher_layer() {
    let layers = layers(&declared_modules());
    let layer = |module: &str| {
        layers
            .get(module)
            .and_then(|l| l.first())
            .unwrap_or_else(|| panic!("`{module}` is in no layer of src/domain/mod.rs's doc"))
    };
    let imports = domain_imports();
    assert!(imports.len() > 50, "imports found: {}", imports.len());
    let upward: Vec<String> = imports
        .iter()
        .filter(|i| layer(&i.to).number > layer(&i.from).number)
        .map(|i| {
            format!(
                "{}:{}: `{}` ({}) imports `{}` ({}), a higher layer",
                i.file.display(),
                i.line,
                i.from,
                layer(&i.from).name,
                i.to,
                layer(&i.to).name
            )
        })
        .collect();
    assert!(upward.is_empty(), "\n{}", upward.join("\n"));
}

#[test]
fn no_two_domain_modules_import_each_other_directly_or_through_others() {
    let imports = domain_imports();
    let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for i in &imports {
        edges.entry(&i.from).or_default().insert(&i.to);
    }
    // A cycle through `from` → `to` exists when `to` reaches `from` again.
    let reaches = |start: &str, goal: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![start];
        while let Some(m) = todo.pop() {
            if m == goal {
                return true;
            }
            if seen.insert(m) {
                todo.extend(edges.get(m).into_iter().flatten().copied());
            }
        }
        false
    };
    let mut pairs = BTreeSet::new();
    let cyclic: Vec<String> = imports
        .iter()
        .filter(|i| reaches(&i.to, &i.from) && pairs.insert((&i.from, &i.to)))
        .map(|i| {
            format!(
                "{}:{}: `{}` imports `{}`, which imports `{}` back (directly or through others)",
                i.file.display(),
                i.line,
                i.from,
                i.to,
                i.from
            )
        })
        .collect();
    assert!(cyclic.is_empty(), "\n{}", cyclic.join("\n"));
}
