//! Appendix H's "Cited in" lists, generated from the links that cite its entries.
//!
//! Every entry of `chapters/appendix-bibliography.md` is a list item that opens
//! with an anchor, `- <a id="rosenblatt-1958"></a>Rosenblatt, F. (1958). ...`, and
//! ends with a sentence `Cited in ...`. A page cites an entry by linking to it,
//! `[*The perceptron ...*](appendix-bibliography.md#rosenblatt-1958)` (from an
//! answer folder, `../appendix-bibliography.md#...`): in its reference list, where
//! every item must hold such a link, or in its prose. `cargo xtask bibliography`
//! rewrites every "Cited in" sentence from these links, in the order of
//! `SUMMARY.md`; with `--check` it fails, naming the entry, when one is stale, and
//! fails on a link to no entry, on a reference-list item without a link, and on
//! an entry no page cites.

use crate::summary::{self, Page};
use std::fs;
use std::path::Path;

const BIB: &str = "appendix-bibliography.md";
const WIDTH: usize = 100;

/// One entry of the bibliography: its anchor and its text on one line.
#[derive(Debug, PartialEq)]
pub struct Entry {
    pub id: String,
    /// Everything before `Cited in`, whitespace collapsed, without the `- ` marker.
    pub body: String,
    /// The first line of the item and one past its last line.
    pub lines: (usize, usize),
}

/// The entries of the appendix, in file order.
pub fn entries(appendix: &str) -> Result<Vec<Entry>, String> {
    let lines: Vec<&str> = appendix.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(first) = lines[i].strip_prefix("- ") else {
            i += 1;
            continue;
        };
        let start = i;
        i += 1;
        while i < lines.len() && lines[i].starts_with("  ") {
            i += 1;
        }
        let text = std::iter::once(first)
            .chain(lines[start + 1..i].iter().map(|l| l.trim()))
            .collect::<Vec<_>>()
            .join(" ");
        let id = text
            .strip_prefix("<a id=\"")
            .and_then(|t| t.split_once("\"></a>"))
            .map(|(id, _)| id.to_string())
            .ok_or(format!(
                "{BIB}:{}: an entry without an anchor `<a id=\"...\"></a>`",
                start + 1
            ))?;
        let body = match text.rfind(" Cited in ") {
            Some(k) => text[..k].to_string(),
            None => text.trim_end().to_string(),
        };
        out.push(Entry {
            id,
            body,
            lines: (start, i),
        });
    }
    Ok(out)
}

/// The page without its fenced code blocks, where a link is not a citation.
pub fn prose(page: &str) -> String {
    let mut fence = false;
    let mut out = String::new();
    for line in page.lines() {
        if line.trim_start().starts_with("```") {
            fence = !fence;
        } else if !fence {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The ids a page links to (`appendix-bibliography.md#ID`), in order, with repeats.
pub fn cited_ids(page: &str) -> Vec<String> {
    let needle = format!("{BIB}#");
    page.match_indices(&needle)
        .map(|(k, _)| {
            let rest = &page[k + needle.len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(rest.len());
            rest[..end].to_string()
        })
        .collect()
}

/// The items of a page's reference lists (under a heading `References`, any
/// level) that link to no bibliography entry, as `(line number, text)`.
pub fn unlinked_references(page: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut level = None; // the References heading's level while inside it
    let mut item: Option<(usize, String)> = None;
    let mut fence = false;
    let mut flush = |item: &mut Option<(usize, String)>| {
        if let Some((n, text)) = item.take()
            && cited_ids(&text).is_empty()
        {
            out.push((n, text));
        }
    };
    for (n, line) in page.lines().enumerate() {
        if line.starts_with("```") {
            fence = !fence;
        }
        let hashes = line.len() - line.trim_start_matches('#').len();
        if !fence && hashes > 0 && line[hashes..].starts_with(' ') {
            flush(&mut item);
            level = match level {
                Some(l) if hashes > l => Some(l),
                _ if line[hashes..].trim() == "References" => Some(hashes),
                _ => None,
            };
            continue;
        }
        if level.is_none() || fence {
            continue;
        }
        if line.starts_with("* ") || line.starts_with("- ") {
            flush(&mut item);
            item = Some((n + 1, line.to_string()));
        } else if line.starts_with("  ") && item.is_some() {
            if let Some((_, t)) = item.as_mut() {
                t.push(' ');
                t.push_str(line.trim());
            }
        } else {
            flush(&mut item);
            if line.starts_with("</details>") {
                level = None;
            }
        }
    }
    flush(&mut item);
    out
}

/// The sentence `Cited in [Chapter 1](ch01-background.md), Appendix D.1
/// (instructor's notes) and [Appendix E](appendix-errata.md).` for the citing
/// pages, in book order; consecutive pages of one answer folder share their
/// note (`Appendices D.2 and D.4 (instructor's notes)`).
pub fn cited_in(citing: &[&Page]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < citing.len() {
        let p = citing[i];
        match p.answers {
            None => {
                parts.push(format!("[{}]({})", p.name, p.file));
                i += 1;
            }
            Some(note) => {
                let mut group = vec![p.name.trim_start_matches("Appendix ").to_string()];
                while i + group.len() < citing.len()
                    && citing[i + group.len()].answers == Some(note)
                {
                    group.push(
                        citing[i + group.len()]
                            .name
                            .trim_start_matches("Appendix ")
                            .to_string(),
                    );
                }
                let word = if group.len() == 1 {
                    "Appendix"
                } else {
                    "Appendices"
                };
                i += group.len();
                parts.push(format!("{word} {} ({note})", summary::join(&group)));
            }
        }
    }
    format!("Cited in {}.", summary::join(&parts))
}

/// `text` as a list item wrapped at [`WIDTH`] columns: `- ` first, then two
/// spaces. A word that would open a line as Markdown syntax (`-`, `*`, `1.`)
/// stays on the line before.
pub fn wrap_item(text: &str) -> String {
    let mut out = String::from("-");
    let mut col = 1;
    for word in text.split_whitespace() {
        let marker = matches!(word, "-" | "*" | "+" | ">")
            || word.starts_with('#')
            || (word.ends_with('.') && word[..word.len() - 1].chars().all(|c| c.is_ascii_digit()));
        if col + 1 + word.chars().count() > WIDTH && col > 2 && !marker {
            out.push_str("\n ");
            col = 1;
        }
        out.push(' ');
        out.push_str(word);
        col += 1 + word.chars().count();
    }
    out
}

/// Rewrites Appendix H (or, with `check`, fails if it is stale).
pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let dir = root.join("chapters");
    let read = |f: &str| fs::read_to_string(dir.join(f)).map_err(|e| format!("{f}: {e}"));
    let appendix = read(BIB)?;
    let entries = entries(&appendix)?;
    let pages = summary::pages(&read("SUMMARY.md")?);
    let mut problems = Vec::new();
    let mut cites: Vec<(String, Vec<String>)> = Vec::new();
    for file in markdown_files(&dir) {
        let text = read(&file)?;
        for (n, item) in unlinked_references(&text) {
            problems.push(format!(
                "{file}:{n}: a reference without a link to its Appendix H entry \
                 (add the entry to {BIB} and link the title to {BIB}#ID): {item}"
            ));
        }
        let text = prose(&text);
        for id in cited_ids(&text) {
            if !entries.iter().any(|e| e.id == id) {
                problems.push(format!("{file}: cites {BIB}#{id}, which is no entry"));
            }
        }
        cites.push((file, cited_ids(&text)));
    }
    let mut lines: Vec<String> = appendix.lines().map(String::from).collect();
    for e in entries.iter().rev() {
        let citing: Vec<&Page> = pages
            .iter()
            .filter(|p| p.file != BIB)
            .filter(|p| {
                cites
                    .iter()
                    .any(|(f, ids)| *f == p.file && ids.contains(&e.id))
            })
            .collect();
        if citing.is_empty() {
            problems.push(format!("entry {}: no page cites it", e.id));
            continue;
        }
        let new = wrap_item(&format!("{} {}", e.body, cited_in(&citing)));
        let old = lines[e.lines.0..e.lines.1].join("\n");
        if old != new {
            if check {
                let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
                problems.push(if words(&old) == words(&new) {
                    format!("entry {}: not wrapped as the tool writes it", e.id)
                } else {
                    format!("entry {}: its \"Cited in\" list is stale", e.id)
                });
            }
            lines.splice(e.lines.0..e.lines.1, new.lines().map(String::from));
        }
    }
    if !problems.is_empty() {
        problems.sort();
        let hint = "(`cargo xtask bibliography` rewrites the lists)";
        return Err(format!("Appendix H {hint}:\n  {}", problems.join("\n  ")));
    }
    if !check {
        fs::write(dir.join(BIB), lines.join("\n") + "\n").map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Every `.md` file under `dir`, relative to it, sorted.
fn markdown_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md")
                && let Ok(rel) = path.strip_prefix(dir)
            {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
#[path = "bibliography_tests.rs"]
mod tests;
