//! The book's code policy: every ```` ```rust ```` block of a chapter is compiled.
//!
//! A chapter's plain `rust` blocks run as doctests, through the
//! `#[doc = include_str!(...)]` items in `src/book.rs`. A block fenced
//! `rust,ignore` may hold nothing but `{{#include ...}}` lines, because the
//! file it includes is compiled on its own, except a listing for another
//! crate (Chapter 7's frameworks), which must say in its first line that it
//! is not run and which versions it was written against. This test fails if a chapter is
//! missing from `src/book.rs`, or if a `rust,ignore` (or `no_run`,
//! `compile_fail` without reason...) block holds code typed into the chapter.

use std::fs;
use std::path::{Path, PathBuf};

fn chapter_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("chapters/ exists").flatten() {
        let p = entry.path();
        if p.is_dir() {
            chapter_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "md") && !p.ends_with("SUMMARY.md") {
            out.push(p);
        }
    }
}

/// (info string, body) of every fenced code block.
fn code_blocks(text: &str) -> Vec<(String, Vec<String>)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, Vec<String>)> = None;
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("```") {
            match current.take() {
                Some(block) => blocks.push(block),
                None => current = Some((rest.trim().to_string(), Vec::new())),
            }
        } else if let Some((_, body)) = current.as_mut() {
            body.push(line.to_string());
        }
    }
    blocks
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_chapter_with_rust_code_runs_as_doctest() {
    let registry = fs::read_to_string(root().join("src/book.rs")).unwrap();
    let mut files = Vec::new();
    chapter_files(&root().join("chapters"), &mut files);
    let mut missing = Vec::new();
    for f in &files {
        let text = fs::read_to_string(f).unwrap();
        let has_rust = code_blocks(&text)
            .iter()
            .any(|(info, _)| info.split(',').next() == Some("rust"));
        let rel = f
            .strip_prefix(root().join("chapters"))
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if has_rust && !registry.contains(&format!("\"{rel}\"")) {
            missing.push(rel);
        }
    }
    assert!(
        missing.is_empty(),
        "chapters with Rust blocks missing from src/book.rs: {missing:?}"
    );
}

/// The first line that marks a listing written for another crate (Chapter 7's
/// frameworks), which this workspace does not depend on and cannot compile.
const EXTERNAL: &str = "// Not run by the book's tests: written against ";

/// A `rust,ignore` block may hold typed code only if it is such a listing: its
/// first line says so and names the versions it was written against (a digit),
/// and it does not use `scratchnet`, whose code must always be compiled.
fn external_listing(body: &[String]) -> bool {
    let first = body.iter().find(|l| !l.trim().is_empty());
    first.is_some_and(|l| {
        l.trim_start().starts_with(EXTERNAL) && l.chars().any(|c| c.is_ascii_digit())
    }) && !body.iter().any(|l| l.contains("scratchnet"))
}

#[test]
fn external_listings_say_so_and_name_their_versions() {
    let block = |lines: &[&str]| -> Vec<String> { lines.iter().map(|l| l.to_string()).collect() };
    let marked = "// Not run by the book's tests: written against burn 0.22.1.";
    assert!(external_listing(&block(&[marked, "use burn::prelude::*;"])));
    assert!(
        !external_listing(&block(&["use burn::prelude::*;"])),
        "unmarked"
    );
    let unversioned = "// Not run by the book's tests: written against burn.";
    assert!(
        !external_listing(&block(&[unversioned, "fn f() {}"])),
        "no version"
    );
    let ours = [marked, "use scratchnet::prelude::*;"];
    assert!(
        !external_listing(&block(&ours)),
        "our own code is always compiled"
    );
}

#[test]
fn ignored_blocks_only_include_compiled_files() {
    let mut files = Vec::new();
    chapter_files(&root().join("chapters"), &mut files);
    let mut bad = Vec::new();
    for f in &files {
        let text = fs::read_to_string(f).unwrap();
        for (info, body) in code_blocks(&text) {
            let attrs: Vec<&str> = info.split(',').map(str::trim).collect();
            if attrs.first() != Some(&"rust") || attrs.len() == 1 {
                continue;
            }
            let only_includes = body.iter().all(|l| {
                l.trim().is_empty()
                    || l.trim().starts_with("{{#include")
                    || l.trim().starts_with("{{#rustdoc_include")
            });
            let allowed_attr = |a: &&str| {
                matches!(*a, "rust" | "should_panic" | "no_run" | "editable")
                    || a.starts_with("edition")
            };
            if attrs.contains(&"ignore") && !only_includes && !external_listing(&body) {
                bad.push(format!(
                    "{}: `rust,ignore` block with typed code",
                    f.display()
                ));
            }
            if !attrs.contains(&"ignore") && !attrs.iter().all(allowed_attr) {
                bad.push(format!("{}: block `{info}` is not compiled", f.display()));
            }
            if !attrs.contains(&"ignore") && body.iter().any(|l| l.contains("{{#")) {
                bad.push(format!(
                    "{}: an include must be fenced `rust,ignore`",
                    f.display()
                ));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn every_include_points_to_a_compiled_file() {
    let mut files = Vec::new();
    chapter_files(&root().join("chapters"), &mut files);
    for f in &files {
        let text = fs::read_to_string(f).unwrap();
        for part in text
            .split("{{#include ")
            .skip(1)
            .chain(text.split("{{#rustdoc_include ").skip(1))
        {
            let spec = part.split("}}").next().unwrap().trim();
            let mut parts = spec.split(':');
            let path = parts.next().unwrap();
            let target = f.parent().unwrap().join(path);
            assert!(
                target.is_file(),
                "{}: includes missing file {path}",
                f.display()
            );
            // `file:anchor` must name an anchor the file has (mdBook would
            // silently include nothing); `file:10:20` line ranges are numeric.
            if let Some(anchor) = parts.next().filter(|a| a.parse::<usize>().is_err()) {
                let source = fs::read_to_string(&target).unwrap();
                let has = |kind: &str| {
                    let want = format!("{kind}: {anchor}");
                    source
                        .lines()
                        .any(|l| l.trim().trim_start_matches("//").trim() == want)
                };
                assert!(
                    has("ANCHOR") && has("ANCHOR_END"),
                    "{}: {path} has no `ANCHOR: {anchor}` … `ANCHOR_END: {anchor}`",
                    f.display()
                );
            }
            let rel = target.canonicalize().unwrap();
            let rel = rel
                .strip_prefix(root().canonicalize().unwrap())
                .unwrap()
                .to_string_lossy()
                .to_string();
            let compiled = [
                "src/",
                "examples/",
                "tests/",
                "exercises/",
                "xtask/",
                "benches/",
                "web/src/",
            ]
            .iter()
            .any(|d| rel.starts_with(d));
            assert!(
                compiled || !rel.ends_with(".rs"),
                "{}: includes {rel}, which cargo does not compile",
                f.display()
            );
        }
    }
}
