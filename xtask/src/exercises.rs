//! Exercise starters, generated from the reference solutions.
//!
//! In `exercises/solutions/<name>.rs`, every region
//!
//! ```text
//!     // ANCHOR: solution_<id>
//!     ...the answer...
//!     // ANCHOR_END: solution_<id>
//! ```
//!
//! becomes a single `todo!()` line, indented like the region, in
//! `exercises/src/<name>.rs`. Everything else is copied unchanged, so the
//! signature, the documentation and the other anchors the book includes
//! are the same in both files.

use std::fs;
use std::path::Path;

/// The starter text for one solution file.
pub fn starter(solution: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut open: Option<String> = None;
    for (n, line) in solution.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(id) = trimmed.strip_prefix("// ANCHOR: solution") {
            if open.is_some() {
                return Err(format!("line {}: nested solution region", n + 1));
            }
            open = Some(id.to_string());
            let indent = &line[..line.len() - trimmed.len()];
            out.push_str(&format!("{indent}todo!(\"your code here\")\n"));
        } else if let Some(id) = trimmed.strip_prefix("// ANCHOR_END: solution") {
            if open.as_deref() != Some(id) {
                return Err(format!(
                    "line {}: ANCHOR_END: solution{id} closes no open region",
                    n + 1
                ));
            }
            open = None;
        } else if open.is_none() {
            out.push_str(line);
            out.push('\n');
        }
    }
    match open {
        Some(id) => Err(format!("solution region solution{id} is never closed")),
        None => Ok(out),
    }
}

/// Regenerates (or, with `check`, verifies) every starter.
pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let solutions = root.join("exercises/solutions");
    let mut stale = Vec::new();
    let mut entries: Vec<_> = fs::read_dir(&solutions)
        .map_err(|e| e.to_string())?
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let text = fs::read_to_string(&path).map_err(|e| e.to_string())?;
        let want = starter(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        if !want.contains("todo!(") {
            return Err(format!(
                "{}: has no `// ANCHOR: solution…` region",
                path.display()
            ));
        }
        let target = root.join("exercises/src").join(entry.file_name());
        let have = fs::read_to_string(&target).unwrap_or_default();
        if have != want {
            if check {
                stale.push(target.display().to_string());
            } else {
                fs::write(&target, want).map_err(|e| e.to_string())?;
                println!("wrote {}", target.display());
            }
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "starters out of date: {} (`cargo xtask exercises` regenerates them from the solutions, \
             overwriting exercises/src: save any answers of your own first)",
            stale.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::starter;

    #[test]
    fn replaces_each_region_by_todo() {
        let src = "fn f() -> u8 {\n    // ANCHOR: solution_a\n    1 + 1\n    // ANCHOR_END: solution_a\n}\n";
        assert_eq!(
            starter(src).unwrap(),
            "fn f() -> u8 {\n    todo!(\"your code here\")\n}\n"
        );
    }

    #[test]
    fn rejects_unclosed_regions() {
        assert!(starter("// ANCHOR: solution_a\n1\n").is_err());
        assert!(starter("// ANCHOR_END: solution_a\n").is_err());
    }
}
