//! Build tasks of the book, run as `cargo xtask <task>` (an alias in `.cargo/config.toml`).
//!
//! * `figures <dir>`: draw every figure of the book into `<dir>`;
//! * `exercises [--check]`: regenerate the exercise starters from the reference
//!   solutions, or (with `--check`) fail if a committed starter is out of date;
//! * `bibliography [--check]`: rewrite the "Cited in" lists of Appendix H from the
//!   pages' links to its entries, or fail if one is stale (see `bibliography.rs`);
//! * `exercise-index [--check]`: write the instructors' index of every exercise,
//!   `chapters/instructors/exercises.md`, or fail if it is stale (`exercise_index.rs`);
//! * `check-html <dir> [--student]`: check the rendered book (see `html.rs`);
//! * `browser-test <dir>`: run the interactive demos' self-tests in headless
//!   Chromium on the built book in `<dir>` (see `browser.rs`);
//! * `mdbook-metrics`: the book's mdBook preprocessor (`[preprocessor.metrics]` in
//!   `book.toml`) that replaces `{{#metric RECORD:FIELD|AGGREGATION|FORMAT}}` in a
//!   chapter with a value from a run record `records/RECORD.json`, e.g.
//!   `{{#metric ch05/mlp-seed-*:test_accuracy|mean|pct1}}`, and fails the build if
//!   the record or the field is missing (full syntax in `metrics.rs`).

mod bibliography;
mod browser;
mod exercise_index;
mod exercises;
mod html;
mod metrics;
mod summary;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["figures", dir] => figures(&PathBuf::from(dir)),
        ["exercises"] => exercises::run(&root, false),
        ["exercises", "--check"] => exercises::run(&root, true),
        ["bibliography"] => bibliography::run(&root, false),
        ["bibliography", "--check"] => bibliography::run(&root, true),
        ["exercise-index"] => exercise_index::run(&root, false),
        ["exercise-index", "--check"] => exercise_index::run(&root, true),
        ["check-html", dir] => html::check(&PathBuf::from(dir), false),
        ["check-html", dir, "--student"] => html::check(&PathBuf::from(dir), true),
        ["browser-test", dir] => {
            browser::run(&PathBuf::from(dir), &root.join("../shared/data/mnist"))
        }
        // mdBook asks whether a renderer is supported: every one is.
        ["mdbook-metrics", "supports", _] => Ok(()),
        ["mdbook-metrics"] => metrics::run(),
        _ => Err(
            "usage: cargo xtask figures <dir> | exercises [--check] | bibliography [--check] \
             | exercise-index [--check] | check-html <dir> [--student] | browser-test <dir> \
             | mdbook-metrics"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn figures(dir: &Path) -> Result<(), String> {
    let files = figures::draw_all(dir).map_err(|e| e.to_string())?;
    println!("drew {} figures into {}", files.len(), dir.display());
    Ok(())
}
