//! Checks of the rendered book, run after `mdbook build`.
//!
//! 1. every page listed in `SUMMARY.md` was built;
//! 2. math was rendered: KaTeX markup is present and no raw `$$` or
//!    `$…\command…$` is left in the text outside code;
//! 3. the book is self-contained: no stylesheet, script, font, image or
//!    frame is loaded from `http(s)://` or `//` (external *links* to papers are fine);
//! 4. every image a page shows exists in the output;
//! 5. every internal link points to an existing file, and its `#fragment`
//!    to an existing `id` in that file;
//! 6. in the student edition, no solution or instructor page is present or linked;
//! 7. no `{{#metric …}}` placeholder is left (the metrics preprocessor did not run).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use scraper::{ElementRef, Html, Selector};

/// Folders of the book that hold answers, left out of the student edition.
pub const ANSWER_DIRS: [&str; 2] = ["solutions/", "instructors/"];

struct Page {
    doc: Html,
    ids: HashSet<String>,
}

pub fn check(html_dir: &Path, student: bool) -> Result<(), String> {
    let mut problems = Vec::new();
    let files = html_files(html_dir);
    if files.is_empty() {
        return Err(format!("no HTML files in {}", html_dir.display()));
    }
    let id_sel = Selector::parse("[id], a[name]").expect("selector");
    let pages: HashMap<PathBuf, Page> = files
        .iter()
        .map(|f| {
            let doc = Html::parse_document(&fs::read_to_string(f).unwrap_or_default());
            let ids = doc
                .select(&id_sel)
                .filter_map(|e| {
                    e.value()
                        .id()
                        .or_else(|| e.value().attr("name"))
                        .map(str::to_string)
                })
                .collect();
            (f.clone(), Page { doc, ids })
        })
        .collect();

    check_summary(html_dir, &mut problems);
    let mut katex_total = 0;
    for (file, page) in &pages {
        let rel = file
            .strip_prefix(html_dir)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        if student && ANSWER_DIRS.iter().any(|d| rel.starts_with(d)) {
            problems.push(format!("{rel}: answer page present in the student edition"));
        }
        katex_total += page
            .doc
            .select(&Selector::parse(".katex").expect("selector"))
            .count();
        if fs::read_to_string(file).is_ok_and(|html| html.contains("{{#metric")) {
            problems.push(format!(
                "{rel}: a `{{{{#metric` placeholder is left (did the metrics preprocessor run?)"
            ));
        }
        check_math(&rel, &page.doc, &mut problems);
        check_code(&rel, &page.doc, &mut problems);
        check_resources(&rel, file, &page.doc, &mut problems);
        check_links(&rel, file, page, &pages, student, &mut problems);
    }
    check_css(html_dir, &mut problems);
    check_figure_numbers(html_dir, &pages, &mut problems);
    if katex_total == 0 {
        problems.push("no KaTeX markup anywhere: is the katex preprocessor running?".into());
    }
    if problems.is_empty() {
        println!(
            "rendered-HTML checks: {} pages, {katex_total} formulas, all good",
            pages.len()
        );
        Ok(())
    } else {
        problems.sort();
        Err(format!(
            "{} problem(s) in the rendered book:\n  {}",
            problems.len(),
            problems.join("\n  ")
        ))
    }
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(html_files(&p));
        } else if p.extension().is_some_and(|x| x == "html") {
            out.push(p);
        }
    }
    out
}

/// Every chapter in the sidebar (mdBook writes it to `toc.html`) has its page.
fn check_summary(html_dir: &Path, problems: &mut Vec<String>) {
    let toc = fs::read_to_string(html_dir.join("toc.html")).unwrap_or_default();
    let doc = Html::parse_document(&toc);
    let sel = Selector::parse("a[href]").expect("selector");
    let mut n = 0;
    for a in doc.select(&sel) {
        let href = a.value().attr("href").unwrap_or("");
        if href.ends_with(".html") && !href.starts_with("http") {
            n += 1;
            if !html_dir.join(href).is_file() {
                problems.push(format!("toc: chapter page {href} was not built"));
            }
        }
    }
    if n == 0 {
        problems.push("toc.html lists no chapter".into());
    }
}

/// Text outside code and outside rendered math must not contain TeX.
fn check_math(rel: &str, doc: &Html, problems: &mut Vec<String>) {
    let body = Selector::parse("main").expect("selector");
    for main in doc.select(&body) {
        let mut text = String::new();
        visible_text(main, &mut text);
        if text.contains("$$") {
            problems.push(format!(
                "{rel}: raw `$$` in the text (unrendered display math)"
            ));
        }
        let mut parts = text.split('$');
        parts.next();
        let inline_tex = parts
            .step_by(2)
            .any(|inside| inside.contains('\\') && !inside.contains('\n') && inside.len() < 300);
        if inline_tex {
            problems.push(format!(
                "{rel}: raw `$…\\…$` in the text (unrendered inline math)"
            ));
        }
    }
}

/// An empty code block is what mdBook leaves for an include whose anchor is missing.
fn check_code(rel: &str, doc: &Html, problems: &mut Vec<String>) {
    let sel = Selector::parse("main pre > code").expect("selector");
    if doc
        .select(&sel)
        .any(|c| c.text().all(|t| t.trim().is_empty()))
    {
        problems.push(format!(
            "{rel}: empty code block (an include with a missing anchor?)"
        ));
    }
}

/// Every `Figure N.M` the text mentions, as `(N, M)`, in order.
fn figure_numbers(text: &str) -> Vec<((u32, u32), bool)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("Figure ") {
        let rest = &text[at + "Figure ".len()..];
        let number: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let number = number.trim_end_matches('.');
        if let Some((n, m)) = number.split_once('.')
            && let (Ok(n), Ok(m)) = (n.parse(), m.parse())
        {
            let is_caption = rest[number.len()..].starts_with(':');
            out.push(((n, m), is_caption));
        }
    }
    out
}

/// Figures are numbered once each, and every "Figure N.M" the text refers
/// to exists (a figure renumbered without its references fails the build).
fn check_figure_numbers(
    html_dir: &Path,
    pages: &HashMap<PathBuf, Page>,
    problems: &mut Vec<String>,
) {
    let caption_sel = Selector::parse("figcaption").expect("selector");
    let body_sel = Selector::parse("main").expect("selector");
    let mut captions: HashMap<(u32, u32), String> = HashMap::new();
    let mut references: Vec<((u32, u32), String)> = Vec::new();
    for (file, page) in pages {
        let rel = file
            .strip_prefix(html_dir)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "print.html" {
            continue; // every page again, on one page
        }
        for caption in page.doc.select(&caption_sel) {
            let text: String = caption.text().collect();
            if let Some(&(number, true)) = figure_numbers(text.trim_start()).first() {
                if let Some(other) = captions.insert(number, rel.clone()) {
                    problems.push(format!(
                        "{rel}: Figure {}.{} is numbered twice (also in {other})",
                        number.0, number.1
                    ));
                }
            }
        }
        let mut text = String::new();
        for main in page.doc.select(&body_sel) {
            visible_text(main, &mut text);
        }
        for (number, is_caption) in figure_numbers(&text) {
            if !is_caption {
                references.push((number, rel.clone()));
            }
        }
    }
    for ((n, m), rel) in references {
        if !captions.contains_key(&(n, m)) {
            problems.push(format!(
                "{rel}: refers to Figure {n}.{m}, which no caption has"
            ));
        }
    }
}

fn visible_text(el: ElementRef, out: &mut String) {
    for child in el.children() {
        if let Some(e) = ElementRef::wrap(child) {
            let name = e.value().name();
            let classes: Vec<&str> = e.value().classes().collect();
            if matches!(name, "code" | "pre" | "script" | "style") || classes.contains(&"katex") {
                continue;
            }
            visible_text(e, out);
        } else if let Some(t) = child.value().as_text() {
            out.push_str(t);
        }
    }
}

fn is_remote(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//")
}

fn check_resources(rel: &str, file: &Path, doc: &Html, problems: &mut Vec<String>) {
    let sel = Selector::parse(
        "link[href], script[src], img[src], iframe[src], source[src], embed[src], object[data]",
    )
    .expect("selector");
    for e in doc.select(&sel) {
        let v = e.value();
        let url = v
            .attr("href")
            .or(v.attr("src"))
            .or(v.attr("data"))
            .unwrap_or("");
        let is_link_rel = v.name() == "link"
            && !matches!(
                v.attr("rel"),
                Some("stylesheet" | "icon" | "preload" | "shortcut icon")
            );
        if is_link_rel {
            continue;
        }
        if is_remote(url) {
            problems.push(format!("{rel}: loads a remote resource {url}"));
        } else if !url.starts_with("data:") && !resolve(file, url).is_file() {
            problems.push(format!(
                "{rel}: <{}> refers to a missing file {url}",
                v.name()
            ));
        }
    }
}

fn check_links(
    rel: &str,
    file: &Path,
    page: &Page,
    pages: &HashMap<PathBuf, Page>,
    student: bool,
    problems: &mut Vec<String>,
) {
    let sel = Selector::parse("a[href]").expect("selector");
    for a in page.doc.select(&sel) {
        let href = a.value().attr("href").unwrap_or("");
        if is_remote(href) || href.starts_with("mailto:") || href.is_empty() {
            continue;
        }
        let (path, fragment) = match href.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (href, None),
        };
        let target = if path.is_empty() {
            file.to_path_buf()
        } else {
            resolve(file, path)
        };
        if student && ANSWER_DIRS.iter().any(|d| path.contains(d)) {
            problems.push(format!(
                "{rel}: links to an answer page {href} in the student edition"
            ));
        }
        if !target.exists() {
            problems.push(format!("{rel}: broken link {href}"));
            continue;
        }
        if let Some(frag) = fragment.filter(|f| !f.is_empty()) {
            let frag = percent_decode(frag);
            match pages.get(&target) {
                Some(p) if p.ids.contains(&frag) => {}
                Some(_) => {
                    problems.push(format!("{rel}: link {href}: no element with id `{frag}`"))
                }
                None => problems.push(format!("{rel}: link {href}: fragment into a non-HTML file")),
            }
        }
    }
}

/// Stylesheets must not pull fonts or imports from the network, and every `url()` must exist.
fn check_css(dir: &Path, problems: &mut Vec<String>) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "css") {
                continue;
            }
            let css = fs::read_to_string(&p).unwrap_or_default();
            let rel = p.strip_prefix(dir).unwrap_or(&p).display().to_string();
            for chunk in css.split("url(").skip(1) {
                let url = chunk
                    .split(')')
                    .next()
                    .unwrap_or("")
                    .trim_matches(|c| c == '"' || c == '\'');
                if is_remote(url) {
                    problems.push(format!("{rel}: loads a remote resource {url}"));
                } else if !url.starts_with("data:") && !url.starts_with('#') {
                    let local = url.split(['?', '#']).next().unwrap_or(url);
                    if !resolve(&p, local).is_file() {
                        problems.push(format!("{rel}: url({url}) does not exist"));
                    }
                }
            }
            if css.contains("@import")
                && (css.contains("@import url(http") || css.contains("@import \"http"))
            {
                problems.push(format!("{rel}: @import from the network"));
            }
        }
    }
}

fn resolve(from_file: &Path, url: &str) -> PathBuf {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let mut p = from_file.parent().unwrap_or(Path::new(".")).to_path_buf();
    for part in percent_decode(url).split('/') {
        match part {
            "" | "." => {}
            ".." => {
                p.pop();
            }
            x => p.push(x),
        }
    }
    p
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::check;
    use std::fs;
    use std::path::PathBuf;

    /// A two-page book in a temporary folder; `page` is the body of `b.html`.
    fn book(name: &str, page: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-html-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("img")).unwrap();
        fs::write(
            dir.join("toc.html"),
            r#"<a href="a.html">A</a><a href="b.html">B</a>"#,
        )
        .unwrap();
        fs::write(dir.join("img/ok.svg"), "<svg/>").unwrap();
        let a = r#"<html><head><link rel="stylesheet" href="style.css"></head><body><main>
            <h1 id="top">A</h1><p>Math: <span class="katex">x</span></p><img src="img/ok.svg">
            <a href="b.html#sec">to B</a><a href="https://example.org">paper</a></main></body></html>"#;
        fs::write(dir.join("a.html"), a).unwrap();
        fs::write(dir.join("style.css"), "body { color: black }").unwrap();
        fs::write(
            dir.join("b.html"),
            format!("<html><body><main><h2 id=\"sec\">S</h2>{page}</main></body></html>"),
        )
        .unwrap();
        dir
    }

    fn problems(name: &str, page: &str) -> String {
        match check(&book(name, page), false) {
            Ok(()) => String::new(),
            Err(e) => e,
        }
    }

    #[test]
    fn a_clean_book_passes() {
        assert_eq!(
            problems(
                "clean",
                "<p>fine, and $5 is money</p><code>$$ in code is fine</code>"
            ),
            ""
        );
    }

    #[test]
    fn broken_links_and_fragments_fail() {
        assert!(problems("link", r#"<a href="nope.html">x</a>"#).contains("broken link nope.html"));
        assert!(
            problems("frag", r#"<a href="a.html#nope">x</a>"#)
                .contains("no element with id `nope`")
        );
        assert!(
            problems("self", r##"<a href="#missing">x</a>"##)
                .contains("no element with id `missing`")
        );
    }

    #[test]
    fn unrendered_math_fails() {
        assert!(problems("display", "<p>$$ x^2 $$</p>").contains("raw `$$`"));
        assert!(
            problems("inline", r"<p>so $\frac{1}{2}$ here</p>").contains("unrendered inline math")
        );
    }

    #[test]
    fn remote_and_missing_resources_fail() {
        let p = problems(
            "remote",
            r#"<link rel="stylesheet" href="https://cdn.example/katex.css">"#,
        );
        assert!(p.contains("remote resource"), "{p}");
        assert!(
            problems("img", r#"<img src="img/missing.svg">"#)
                .contains("missing file img/missing.svg")
        );
        assert!(
            problems("script", r#"<script src="//cdn.example/x.js"></script>"#)
                .contains("remote resource")
        );
    }

    #[test]
    fn metric_placeholders_left_fail() {
        let p = problems("metric", "<p>{{#metric ch05/mlp-seed-1:test_accuracy}}</p>");
        assert!(
            p.contains("b.html: a `{{#metric` placeholder is left"),
            "{p}"
        );
    }

    #[test]
    fn empty_code_blocks_fail() {
        let p = problems("code", "<pre><code class=\"language-rust\">\n</code></pre>");
        assert!(p.contains("empty code block"), "{p}");
    }

    #[test]
    fn the_student_edition_has_no_answers() {
        let dir = book("student", r#"<a href="solutions/ch01.html">answers</a>"#);
        fs::create_dir_all(dir.join("solutions")).unwrap();
        fs::write(dir.join("solutions/ch01.html"), "<main>answers</main>").unwrap();
        let err = check(&dir, true).unwrap_err();
        assert!(err.contains("answer page present"), "{err}");
        assert!(err.contains("links to an answer page"), "{err}");
    }
}
