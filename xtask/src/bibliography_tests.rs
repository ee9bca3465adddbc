//! Unit tests of `bibliography.rs`: parsing entries, links and reference lists,
//! and writing the "Cited in" sentence.

use super::*;

const APPENDIX: &str = "# Appendix H\n\nIntro.\n\n\
- <a id=\"amari-1967\"></a>Amari, S. (1967). A theory. *IEEE*\n  EC-16(3). Cited in\n  [Chapter 1](ch01.md).\n\
- <a id=\"block-1962\"></a>Block, H. D. (1962). The perceptron.\n";

#[test]
fn entries_keep_their_anchor_body_and_lines() {
    let e = entries(APPENDIX).unwrap();
    assert_eq!(e.len(), 2);
    assert_eq!(e[0].id, "amari-1967");
    assert_eq!(
        e[0].body,
        "<a id=\"amari-1967\"></a>Amari, S. (1967). A theory. *IEEE* EC-16(3)."
    );
    assert_eq!(e[0].lines, (4, 7));
    assert_eq!(
        e[1].body,
        "<a id=\"block-1962\"></a>Block, H. D. (1962). The perceptron."
    );
    assert!(
        entries("- Anonymous (2000). No anchor.\n")
            .unwrap_err()
            .contains(":1: an entry without")
    );
}

#[test]
fn links_name_the_cited_entries() {
    let page = "See [Amari](appendix-bibliography.md#amari-1967) and \
                [Block](../appendix-bibliography.md#block-1962), not [H](appendix-bibliography.md).";
    assert_eq!(cited_ids(page), ["amari-1967", "block-1962"]);
    let code = "Text.\n```rust\n// [x](appendix-bibliography.md#amari-1967)\n```\nMore.\n";
    assert_eq!(prose(code), "Text.\nMore.\n");
    assert!(cited_ids(&prose(code)).is_empty());
}

#[test]
fn reference_items_without_a_link_are_found() {
    let page = "# Ch\n\n* not a reference\n\n## References\n\n\
        * A. B. [*Linked.*](appendix-bibliography.md#a-1)\n* C. D. *Unlinked,\n  on two lines.*\n\n\
        ```text\n* in code\n```\n\n### Sub\n\n- E. *Also unlinked.*\n\n## Next\n\n* not a reference\n";
    let found = unlinked_references(page);
    assert_eq!(
        found,
        [
            (8, "* C. D. *Unlinked, on two lines.*".to_string()),
            (17, "- E. *Also unlinked.*".to_string())
        ]
    );
}

#[test]
fn cited_in_groups_answer_pages_and_links_the_others() {
    let page = |file: &str, name: &str, answers| Page {
        file: file.into(),
        name: name.into(),
        answers,
    };
    let notes = Some("instructor's notes");
    let (ch1, d2, d4, e) = (
        page("ch01.md", "Chapter 1", None),
        page("instructors/ch02.md", "Appendix D.2", notes),
        page("instructors/ch04.md", "Appendix D.4", notes),
        page("appendix-errata.md", "Appendix E", None),
    );
    assert_eq!(cited_in(&[&ch1]), "Cited in [Chapter 1](ch01.md).");
    assert_eq!(
        cited_in(&[&ch1, &d2, &d4, &e]),
        "Cited in [Chapter 1](ch01.md), Appendices D.2 and D.4 (instructor's notes) and \
         [Appendix E](appendix-errata.md)."
    );
    assert_eq!(
        cited_in(&[&d2]),
        "Cited in Appendix D.2 (instructor's notes)."
    );
}

#[test]
fn items_wrap_at_the_width_without_opening_a_line_with_markdown() {
    let long = "word ".repeat(30) + "- and 12. more";
    let w = wrap_item(&long);
    assert!(w.starts_with("- word"));
    assert!(w.lines().all(|l| l.chars().count() <= WIDTH + 4), "{w}");
    assert!(
        w.lines()
            .skip(1)
            .all(|l| l.starts_with("  ") && !l.starts_with("  - "))
    );
    assert!(!w.lines().any(|l| l.trim_start().starts_with("12. ")));
    assert_eq!(w.split_whitespace().count(), 1 + 30 + 4);
}
