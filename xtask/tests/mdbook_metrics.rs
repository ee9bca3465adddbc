//! End to end: a small book whose chapter quotes the fixture records builds
//! through `xtask mdbook-metrics` (before KaTeX, when mdbook-katex is installed),
//! and a placeholder naming a missing field fails `mdbook build`. Skipped, with a
//! note, when mdbook is not installed (`scripts/setup.sh` installs it).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn installed(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A book in a temporary folder: `chapter.md` holds `chapter`, `records/` the fixtures.
fn book(name: &str, chapter: &str, katex: bool) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-metrics-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("src")).unwrap();
    fs::create_dir_all(dir.join("records/ch05")).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/records/ch05");
    for entry in fs::read_dir(fixtures).unwrap().flatten() {
        fs::copy(
            entry.path(),
            dir.join("records/ch05").join(entry.file_name()),
        )
        .unwrap();
    }
    let mut toml = format!(
        "[book]\ntitle = \"t\"\n\n[preprocessor.metrics]\ncommand = \"'{}' mdbook-metrics\"\n\
         before = [\"katex\"]\n",
        env!("CARGO_BIN_EXE_xtask")
    );
    if katex {
        toml.push_str("\n[preprocessor.katex]\nno-css = true\n");
    }
    fs::write(dir.join("book.toml"), toml).unwrap();
    fs::write(
        dir.join("src/SUMMARY.md"),
        "# Summary\n\n- [Chapter](chapter.md)\n",
    )
    .unwrap();
    fs::write(dir.join("src/chapter.md"), chapter).unwrap();
    dir
}

fn mdbook_build(dir: &Path) -> Output {
    Command::new("mdbook")
        .arg("build")
        .arg(dir)
        .output()
        .unwrap()
}

#[test]
fn a_book_quotes_recorded_runs_and_fails_on_a_missing_field() {
    if !installed("mdbook") {
        println!("skipped: mdbook is not installed (scripts/setup.sh installs it)");
        return;
    }
    let katex = installed("mdbook-katex");
    let chapter = "# Results\n\nTest accuracy {{#metric ch05/mlp-seed-1:test_accuracy|pct1}}%, \
                   over {{#metric ch05/mlp-seed-*:seed|count}} seeds \
                   $\\bar a = {{#metric ch05/mlp-seed-*:test_accuracy|mean|pct2}}\\%$.\n";
    let dir = book("ok", chapter, katex);
    let out = mdbook_build(&dir);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    let html = fs::read_to_string(dir.join("book/chapter.html")).unwrap();
    assert!(html.contains("Test accuracy 98.1%, over 2 seeds"), "{html}");
    assert!(!html.contains("{{#metric"));
    if katex {
        // KaTeX rendered the formula, with the number in it.
        assert!(
            html.contains("class=\"katex\"") && html.contains("98.00"),
            "{html}"
        );
        assert!(!log.contains("Rendering failed"), "{log}");
    } else {
        println!("note: mdbook-katex is not installed, math not checked");
    }

    let dir = book(
        "missing",
        "# R\n\n{{#metric ch05/mlp-seed-1:no_such_field}}\n",
        katex,
    );
    let out = mdbook_build(&dir);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{log}");
    assert!(
        log.contains("src/chapter.md:3: `{{#metric ch05/mlp-seed-1:no_such_field}}`: no field"),
        "{log}"
    );
}
