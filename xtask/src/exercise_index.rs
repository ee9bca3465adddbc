//! The instructors' index of every exercise (`chapters/instructors/exercises.md`),
//! generated from the exercise pages and the checks.
//!
//! An exercise is a heading `### Exercise N.M: title` of `chapters/chNN-exercises.md`.
//! It is a coding exercise when `exercises/tests/*.rs` has checks named
//! `exN_M_...` (all in one file), a pen-and-paper exercise when the line after
//! its heading is `<!-- pen and paper -->`, and a question otherwise. Its answer is
//! the heading `Exercise N.M: ...` of `solutions/chNN.md` or `instructors/chNN.md`.
//! `cargo xtask exercise-index --check` fails when the page is stale, when an
//! exercise has no answer, or when a check command would select other tests.

use crate::summary::heading_id;
use std::fs;
use std::path::Path;

const INDEX: &str = "chapters/instructors/exercises.md";

/// One exercise of an exercise page.
#[derive(Debug, PartialEq)]
pub struct Exercise {
    /// `5.13`.
    pub number: String,
    pub title: String,
    /// The heading's full text, for its link.
    pub heading: String,
    pub pen_and_paper: bool,
}

/// The exercises of one exercise page, in page order.
pub fn exercises(page: &str) -> Vec<Exercise> {
    let lines: Vec<&str> = page.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(heading) = line.strip_prefix("### ") else {
            continue;
        };
        let Some((number, title)) = heading
            .strip_prefix("Exercise ")
            .and_then(|h| h.split_once(": "))
        else {
            continue;
        };
        let next = lines[i + 1..].iter().find(|l| !l.trim().is_empty());
        out.push(Exercise {
            number: number.to_string(),
            title: title.to_string(),
            heading: heading.to_string(),
            pen_and_paper: next.is_some_and(|l| l.trim() == "<!-- pen and paper -->"),
        });
    }
    out
}

/// The names of the test functions of a test file (`#[test]` then `fn name(`).
pub fn test_names(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut armed = false;
    for line in source.lines().map(str::trim) {
        if line.starts_with("#[test]") {
            armed = true;
        } else if armed && let Some(rest) = line.strip_prefix("fn ") {
            out.push(rest.split('(').next().unwrap_or(rest).trim().to_string());
            armed = false;
        }
    }
    out
}

/// The filter selecting exercise `5.13`'s checks: `ex5_13_`.
pub fn filter(number: &str) -> String {
    format!("ex{}_", number.replace('.', "_"))
}

/// The heading of `page` that answers exercise `number`, if any.
fn answer_heading(page: &str, number: &str) -> Option<String> {
    let prefix = format!("Exercise {number}:");
    page.lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .find(|h| h.starts_with(&prefix))
        .map(String::from)
}

/// Writes the index (or, with `check`, fails if it is stale or incomplete).
pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let read = |p: &Path| fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
    let mut tests: Vec<(String, Vec<String>)> = Vec::new();
    for file in sorted(&root.join("exercises/tests"), "", ".rs") {
        let stem = file.trim_end_matches(".rs").to_string();
        tests.push((
            stem,
            test_names(&read(&root.join("exercises/tests").join(&file))?),
        ));
    }
    let chapters = root.join("chapters");
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for page in sorted(&chapters, "ch", "-exercises.md") {
        let nn = &page[2..4];
        let text = read(&chapters.join(&page))?;
        let solutions = read(&chapters.join(format!("solutions/ch{nn}.md"))).unwrap_or_default();
        let notes = read(&chapters.join(format!("instructors/ch{nn}.md"))).unwrap_or_default();
        for ex in exercises(&text) {
            let f = filter(&ex.number);
            let files: Vec<&(String, Vec<String>)> = tests
                .iter()
                .filter(|(_, names)| names.iter().any(|n| n.starts_with(&f)))
                .collect();
            let (kind, command) = match files.as_slice() {
                [] if ex.pen_and_paper => ("pen and paper".to_string(), "—".to_string()),
                [] => ("question".to_string(), "—".to_string()),
                [(stem, names)] => {
                    let mut stray = names
                        .iter()
                        .filter(|n| n.contains(&f) && !n.starts_with(&f));
                    if let Some(n) = stray.next() {
                        problems.push(format!(
                            "Exercise {}: filter `{f}` also selects `{n}`",
                            ex.number
                        ));
                    }
                    let count = names.iter().filter(|n| n.starts_with(&f)).count();
                    let cmd = format!("`cargo test -p exercises --test {stem} {f}`");
                    let s = if count == 1 { "" } else { "s" };
                    (format!("coding, {count} automatic check{s}"), cmd)
                }
                _ => {
                    problems.push(format!(
                        "Exercise {}: checks in several test files",
                        ex.number
                    ));
                    continue;
                }
            };
            let n = nn.trim_start_matches('0');
            let link = |dir: &str, letter: &str, page: &str| {
                answer_heading(page, &ex.number)
                    .map(|h| format!("[{letter}.{n}](../{dir}/ch{nn}.md#{})", heading_id(&h)))
            };
            let answer =
                link("solutions", "C", &solutions).or_else(|| link("instructors", "D", &notes));
            let Some(answer) = answer else {
                problems.push(format!(
                    "Exercise {}: no heading \"Exercise {}: ...\" in solutions/ch{nn}.md or instructors/ch{nn}.md",
                    ex.number, ex.number
                ));
                continue;
            };
            let note = if notes.is_empty() {
                "—".to_string()
            } else {
                format!("[D.{n}](ch{nn}.md)")
            };
            rows.push(format!(
                "| [{} {}](../{page}#{}) | {kind} | {command} | {answer} | {note} |",
                ex.number,
                ex.title,
                heading_id(&ex.heading)
            ));
        }
    }
    let page = render(&rows);
    let path = root.join(INDEX);
    if check && read(&path).ok().as_deref() != Some(page.as_str()) {
        problems.push(format!("{INDEX} is stale"));
    }
    if !problems.is_empty() {
        let hint = "(`cargo xtask exercise-index` rewrites the index)";
        return Err(format!(
            "exercise index {hint}:\n  {}",
            problems.join("\n  ")
        ));
    }
    if !check {
        fs::write(&path, page).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The page around the table's rows.
fn render(rows: &[String]) -> String {
    format!(
        "# Index of the exercises\n\n\
         <!-- Generated by `cargo xtask exercise-index` from the exercise pages and\n\
         exercises/tests: do not edit. -->\n\n\
         Every exercise of the book, one row each: its kind, the command that runs its automatic\n\
         checks from the repository's root (add `--features solutions` to run them against the\n\
         reference solution instead of the starter), where its answer is, and this appendix's notes\n\
         on its chapter. A pen-and-paper exercise asks for a derivation or a calculation, a question\n\
         for an explanation in words. The command without its last argument runs all the checks of\n\
         the file at once.\n\n\
         | Exercise | Kind | Check | Answer | Notes |\n|---|---|---|---|---|\n{}\n",
        rows.join("\n")
    )
}

/// The files of `dir` named `prefix*suffix`, sorted.
fn sorted(dir: &Path, prefix: &str, suffix: &str) -> Vec<String> {
    let mut out: Vec<String> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with(prefix) && n.ends_with(suffix))
        .collect();
    out.sort();
    out
}

#[cfg(test)]
#[path = "exercise_index_tests.rs"]
mod tests;
