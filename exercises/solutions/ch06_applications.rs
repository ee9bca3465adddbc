//! Chapter 6 exercises: the character n-grams of the language identifier,
//! and what a confusion matrix says class by class.
//!
//! Fill in every `todo!()`, then check your work with
//! `cargo test -p exercises --test ch06`.

use ndarray::Array2;

// ANCHOR: ngrams
/// Exercise 6.1: the character n-grams of length `n` of `word`, with `<`
/// before the word and `>` after it, in reading order.
///
/// Characters are `char`s (Unicode scalar values), not bytes: `"ñu"` has the
/// 2-grams `"<ñ"`, `"ñu"`, `"u>"`. A word of `L` characters has
/// `L + 3 - n` n-grams of length `n`, or none if that is not positive.
///
/// **Panics** if `n` is 0.
pub fn ngrams_of_length(word: &str, n: usize) -> Vec<String> {
    // ANCHOR: solution_ngrams
    assert!(n > 0, "an n-gram has at least one character");
    let chars: Vec<char> = std::iter::once('<')
        .chain(word.chars())
        .chain(std::iter::once('>'))
        .collect();
    chars.windows(n).map(|w| w.iter().collect()).collect()
    // ANCHOR_END: solution_ngrams
}
// ANCHOR_END: ngrams

// ANCHOR: recall
/// Exercise 6.2: per-class recall and precision from a confusion matrix
/// whose entry `[t, p]` counts the examples of true class `t` predicted as
/// class `p`.
///
/// The recall of class `c` (in medicine: the *sensitivity*) is the share of
/// its examples predicted as `c`: the diagonal entry over its row's sum. The
/// precision is the share of the predictions `c` that were right: the
/// diagonal entry over its column's sum. A class with no examples (an empty
/// row) has recall `f64::NAN`, a class never predicted (an empty column) has
/// precision `f64::NAN`. Returns `(recall, precision)`, one entry per class.
///
/// **Panics** if the matrix is not square.
pub fn recall_and_precision(confusion: &Array2<usize>) -> (Vec<f64>, Vec<f64>) {
    // ANCHOR: solution_recall
    let k = confusion.nrows();
    assert_eq!(k, confusion.ncols(), "a confusion matrix is square");
    let ratio = |right: usize, total: usize| {
        if total == 0 {
            f64::NAN
        } else {
            right as f64 / total as f64
        }
    };
    let recall = (0..k)
        .map(|c| ratio(confusion[[c, c]], confusion.row(c).sum()))
        .collect();
    let precision = (0..k)
        .map(|c| ratio(confusion[[c, c]], confusion.column(c).sum()))
        .collect();
    (recall, precision)
    // ANCHOR_END: solution_recall
}
// ANCHOR_END: recall

// ANCHOR: confused
/// Exercise 6.3: the most frequent mistake of a confusion matrix: the
/// off-diagonal entry `[t, p]` with the largest count, as `(t, p, count)`.
/// Ties go to the first in reading order (row by row). `None` if there is no
/// mistake at all.
///
/// **Panics** if the matrix is not square.
pub fn most_frequent_mistake(confusion: &Array2<usize>) -> Option<(usize, usize, usize)> {
    // ANCHOR: solution_confused
    assert_eq!(confusion.nrows(), confusion.ncols(), "a confusion matrix is square");
    let mut best: Option<(usize, usize, usize)> = None;
    for ((t, p), &n) in confusion.indexed_iter() {
        if t != p && n > 0 && best.is_none_or(|(_, _, m)| n > m) {
            best = Some((t, p, n));
        }
    }
    best
    // ANCHOR_END: solution_confused
}
// ANCHOR_END: confused
