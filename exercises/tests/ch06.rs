//! Automatic checks for the Chapter 6 exercises.
//!
//! Run them with `cargo test -p exercises --test ch06`.

use exercises::ch06_applications::{most_frequent_mistake, ngrams_of_length, recall_and_precision};
use ndarray::array;

// ANCHOR: tests
#[test]
fn ex6_1_trigrams_of_a_known_word() {
    assert_eq!(ngrams_of_length("gato", 3), ["<ga", "gat", "ato", "to>"]);
    assert_eq!(ngrams_of_length("gato", 1), ["<", "g", "a", "t", "o", ">"]);
}

#[test]
fn ex6_1_characters_not_bytes() {
    assert_eq!(ngrams_of_length("ñu", 2), ["<ñ", "ñu", "u>"]);
    // A decomposed accent is a character of its own.
    assert_eq!(ngrams_of_length("e\u{301}", 3), ["<e\u{301}", "e\u{301}>"]);
}

#[test]
fn ex6_1_counts_and_short_words() {
    for word in ["a", "casa", "zapato", "čtyři"] {
        let len = word.chars().count();
        for n in 1..=8 {
            let want = (len + 3).saturating_sub(n);
            assert_eq!(ngrams_of_length(word, n).len(), want, "{word}, n = {n}");
        }
    }
}

#[test]
fn ex6_2_recall_and_precision() {
    // Class 0: 8 of 10 found; predicted 0 nine times, 8 of them right.
    let m = array![[8, 2, 0], [1, 4, 0], [0, 0, 0]];
    let (recall, precision) = recall_and_precision(&m);
    assert_eq!(recall[0], 0.8);
    assert_eq!(recall[1], 0.8);
    assert!(recall[2].is_nan(), "class 2 has no examples");
    assert_eq!(precision[0], 8.0 / 9.0);
    assert_eq!(precision[1], 4.0 / 6.0);
    assert!(precision[2].is_nan(), "class 2 is never predicted");
}

#[test]
fn ex6_2_a_perfect_classifier() {
    let m = array![[5, 0], [0, 7]];
    assert_eq!(recall_and_precision(&m), (vec![1.0, 1.0], vec![1.0, 1.0]));
}

#[test]
fn ex6_3_the_largest_off_diagonal_entry() {
    let m = array![[90, 3, 1], [7, 80, 7], [0, 2, 99]];
    assert_eq!(most_frequent_mistake(&m), Some((1, 0, 7))); // the first of the two 7s
    assert_eq!(most_frequent_mistake(&array![[4, 0], [0, 4]]), None);
}
// ANCHOR_END: tests
