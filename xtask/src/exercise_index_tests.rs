//! Unit tests of `exercise_index.rs`: parsing exercise pages and test files.

use super::*;

#[test]
fn exercises_are_the_pages_exercise_headings() {
    let page = "# Exercises\n\n## Coding exercises\n\n### Exercise 1.1: NAND by hand\n\nText.\n\n\
        ### The checks\n\n## Questions\n\n### Exercise 1.2: a proof\n\n<!-- pen and paper -->\n\nProve.\n\n\
        ### Exercise 1.10: why?\nExplain.\n";
    let ex = exercises(page);
    let got: Vec<_> = ex
        .iter()
        .map(|e| (e.number.as_str(), e.title.as_str(), e.pen_and_paper))
        .collect();
    assert_eq!(
        got,
        [
            ("1.1", "NAND by hand", false),
            ("1.2", "a proof", true),
            ("1.10", "why?", false)
        ]
    );
    assert_eq!(ex[0].heading, "Exercise 1.1: NAND by hand");
}

#[test]
fn test_names_follow_the_test_attribute() {
    let src = "use x;\n\n#[test]\nfn ex1_1_nand() {\n}\n\nfn helper() {}\n\n#[test]\n#[should_panic]\n\
        fn ex1_10_other(){}\n";
    assert_eq!(test_names(src), ["ex1_1_nand", "ex1_10_other"]);
}

#[test]
fn filters_end_with_an_underscore_so_1_1_misses_1_10() {
    assert_eq!(filter("5.13"), "ex5_13_");
    assert!(!"ex1_10_other".contains(&filter("1.1")));
}

#[test]
fn answers_are_found_under_any_heading_level() {
    let page = "# Solutions\n\n## Exercise 5.1: reading\n\n### Exercise 5.13: sizes\n";
    assert_eq!(
        answer_heading(page, "5.1").as_deref(),
        Some("Exercise 5.1: reading")
    );
    assert_eq!(
        answer_heading(page, "5.13").as_deref(),
        Some("Exercise 5.13: sizes")
    );
    assert_eq!(answer_heading(page, "5.2"), None);
}
