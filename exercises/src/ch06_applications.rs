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
    todo!("your code here")
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
    todo!("your code here")
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
    todo!("your code here")
}
// ANCHOR_END: confused
