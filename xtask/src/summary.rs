//! The book's pages as `chapters/SUMMARY.md` lists them, and how the generated
//! pages (Appendix H's "Cited in" lists, the instructors' exercise index) name
//! and link them.

/// One page of the book, in the order of `SUMMARY.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The file, relative to `chapters/` (`ch05-cnn.md`, `instructors/ch01.md`).
    pub file: String,
    /// How a sentence names it: `Chapter 5, part 2`, `Appendix E`, `Appendix D.1`.
    pub name: String,
    /// `Some("solutions")` or `Some("instructor's notes")` for a page of an answer
    /// folder (`solutions/`, `instructors/`), which the student edition leaves out
    /// and other pages therefore name without a link.
    pub answers: Option<&'static str>,
}

/// The pages listed in `SUMMARY.md` (`[Title](file.md)` lines, nested with `- `).
///
/// A title's part before the colon names it (`Chapter 1: Background` is
/// `Chapter 1`); a nested `Part 2: ...` is named after its parent (`Chapter 5,
/// part 2`); `C.1 ...` and `D.1 ...` pages of the answer folders are `Appendix C.1`.
pub fn pages(summary: &str) -> Vec<Page> {
    let mut out: Vec<Page> = Vec::new();
    let mut parent = String::new();
    for line in summary.lines() {
        let nested = line.starts_with(' ');
        let t = line.trim().trim_start_matches("- ");
        let Some((title, rest)) = t.strip_prefix('[').and_then(|t| t.split_once("](")) else {
            continue;
        };
        let Some(file) = rest.strip_suffix(')') else {
            continue;
        };
        let head = title.split(':').next().unwrap_or(title).trim();
        let answers = if file.starts_with("solutions/") {
            Some("solutions")
        } else if file.starts_with("instructors/") {
            Some("instructor's notes")
        } else {
            None
        };
        let name = if let (true, Some(n)) = (nested, head.strip_prefix("Part ")) {
            format!("{parent}, part {n}")
        } else if answers.is_some() && head.as_bytes().get(1) == Some(&b'.') {
            format!("Appendix {}", head.split(' ').next().unwrap_or(head))
        } else {
            head.to_string()
        };
        if !nested {
            parent = name.clone();
        }
        out.push(Page {
            file: file.to_string(),
            name,
            answers,
        });
    }
    out
}

/// "A", "A and B", "A, B and C".
pub fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The `id` mdBook gives a heading: lower case, spaces to `-`, only letters,
/// digits, `-` and `_` kept (`Exercise 5.1: an IDX header` →
/// `exercise-51-an-idx-header`).
pub fn heading_id(title: &str) -> String {
    title
        .trim()
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c.to_lowercase().next()?),
            c if c.is_whitespace() => Some('-'),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUMMARY: &str = "# Summary\n\n[Preface: how](preface.md)\n\n\
        - [Chapter 5: Project practice](ch05-practice.md)\n    - [Part 2: CNNs](ch05-cnn.md)\n\
        \x20   - [Exercises for Chapter 5](ch05-exercises.md)\n---\n\
        [Appendix C: Solutions](solutions/README.md)\n[C.1 Solutions to Chapter 1](solutions/ch01.md)\n\
        [D.4 Chapter 4: answers and notes](instructors/ch04.md)\n[Appendix E: Errata](appendix-errata.md)\n";

    #[test]
    fn pages_are_named_as_sentences_name_them() {
        let p = pages(SUMMARY);
        let names: Vec<_> = p.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Preface",
                "Chapter 5",
                "Chapter 5, part 2",
                "Exercises for Chapter 5",
                "Appendix C",
                "Appendix C.1",
                "Appendix D.4",
                "Appendix E"
            ]
        );
        assert_eq!(p[5].answers, Some("solutions"));
        assert_eq!(p[6].answers, Some("instructor's notes"));
        assert_eq!(p[4].answers, Some("solutions"));
        assert_eq!(p[2].file, "ch05-cnn.md");
    }

    #[test]
    fn lists_and_heading_ids() {
        assert_eq!(join(&["A".into()]), "A");
        assert_eq!(join(&["A".into(), "B".into(), "C".into()]), "A, B and C");
        assert_eq!(
            heading_id("Exercise 5.1: reading an IDX header"),
            "exercise-51-reading-an-idx-header"
        );
        assert_eq!(
            heading_id("Exercise 2.7: deriving He's variance"),
            "exercise-27-deriving-hes-variance"
        );
    }
}
