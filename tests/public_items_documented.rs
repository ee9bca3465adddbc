//! The library's promise: every public item has a doctest.
//!
//! For every line of `src/` (and of the figures crate, `figures/src/`, which
//! lived in `src/` before it became a crate, and of the demos' crate, `web/src/`) that declares a public item
//! (`pub fn`, `pub struct`, `pub enum`, `pub trait`, `pub const`, `pub type`,
//! `pub static`), the contiguous block of `///` doc lines and `#[...]`
//! attributes just above it must contain a ```` ``` ```` fence. `// ANCHOR:`
//! and `// ANCHOR_END:` lines (the book's include markers) are transparent.
//! Constants are exempt from the example (a doctest could only assert the
//! constant's own value) but still need a doc comment.
//! Items that are public only inside the crate (`pub(crate)`) are not checked.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("source folder exists").flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The item's name if `line` declares a public item, e.g. `pub fn relu(`.
fn public_item(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix("pub ")?;
    // `pub const fn`, `pub unsafe fn`, ... are functions.
    let qualifiers = ["const fn ", "const unsafe fn ", "unsafe fn ", "async fn "];
    if let Some(q) = qualifiers.iter().find(|q| rest.starts_with(*q)) {
        return ident(&rest[q.len()..]);
    }
    let keywords = [
        "fn ", "struct ", "enum ", "trait ", "const ", "type ", "static ",
    ];
    let keyword = keywords.iter().find(|k| rest.starts_with(*k))?;
    let rest = rest[keyword.len()..].trim_start();
    ident(rest.strip_prefix("mut ").unwrap_or(rest))
}

fn ident(s: &str) -> Option<&str> {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    let name = &s[..end];
    (!name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
}

/// Whether the doc block above line `i` holds a code fence.
fn has_example(lines: &[&str], i: usize) -> bool {
    for line in lines[..i].iter().rev() {
        let t = line.trim_start();
        if t.starts_with("///") {
            if t.trim_start_matches('/').trim_start().starts_with("```") {
                return true;
            }
        } else if t.starts_with("#[") || t.starts_with("// ANCHOR") {
            continue;
        } else {
            return false;
        }
    }
    false
}

/// Whether line `i` has a doc comment just above it.
fn has_doc(lines: &[&str], i: usize) -> bool {
    lines[..i]
        .iter()
        .rev()
        .find(|l| !(l.trim_start().starts_with("#[") || l.trim_start().starts_with("// ANCHOR")))
        .is_some_and(|l| l.trim_start().starts_with("///"))
}

/// The source folders the check covers, relative to the workspace root.
const SOURCES: [&str; 3] = ["src", "figures/src", "web/src"];

/// `file:line name` of every public item of [`SOURCES`] without an example.
fn undocumented(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for dir in SOURCES {
        rust_files(&root.join(dir), &mut files);
    }
    files.sort();
    let mut missing = Vec::new();
    for f in &files {
        let text = fs::read_to_string(f).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(name) = public_item(line) else {
                continue;
            };
            let is_constant = line.trim_start().starts_with("pub const ")
                && !line.trim_start().starts_with("pub const fn ");
            let ok = if is_constant {
                has_doc(&lines, i)
            } else {
                has_example(&lines, i)
            };
            if !ok {
                let rel = f
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                missing.push(format!("{rel}:{} {name}", i + 1));
            }
        }
    }
    missing
}

#[test]
fn every_public_item_has_an_example() {
    let missing = undocumented(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(
        missing.is_empty(),
        "{} public items have no ``` example in their doc comment (constants: no doc comment) \
         (add one, or make the item pub(crate)):\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn the_check_sees_what_it_should() {
    assert_eq!(
        public_item("    pub fn relu(x: f64) -> f64 {"),
        Some("relu")
    );
    assert_eq!(
        public_item("pub const TICK_FONT: f64 = 12.0;"),
        Some("TICK_FONT")
    );
    assert_eq!(public_item("pub const fn width() -> u32 {"), Some("width"));
    assert_eq!(public_item("pub struct Dense {"), Some("Dense"));
    assert_eq!(public_item("pub(crate) fn helper() {"), None);
    assert_eq!(public_item("pub mod layers;"), None);
    assert_eq!(public_item("    pub struct $name;"), None);

    let documented = [
        "/// Sum.",
        "///",
        "/// ```",
        "/// ```",
        "#[must_use]",
        "// ANCHOR: sum",
        "pub fn sum() {}",
    ];
    assert!(has_example(&documented, 6));
    let bare = [
        "/// ```",
        "/// ```",
        "fn other() {}",
        "/// Sum.",
        "pub fn sum() {}",
    ];
    assert!(!has_example(&bare, 4));
    assert!(!has_example(&["pub fn first() {}"], 0));
}
