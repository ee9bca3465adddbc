//! Metrics: how good a classifier is, in numbers a person reads.
//!
//! The loss is what training minimises; accuracy and the confusion matrix
//! are what we report. They are computed from the network's outputs (logits
//! or probabilities: the largest one is the predicted class either way).

use crate::tensor::{Float, Tensor, as_matrix};
use ndarray::Array2;

/// The fraction of rows whose largest prediction sits in the column of the
/// target's largest entry: for one-hot targets, the share classified right.
///
/// **Panics** if the shapes differ or are not `[batch, classes]`.
///
/// ```
/// use scratchnet::{loss::one_hot, metrics::accuracy, tensor};
/// let logits = tensor(&[3, 2], &[2.0, 1.0, 0.0, 3.0, 5.0, -1.0]); // predicts 0, 1, 0
/// assert_eq!(accuracy(&logits, &one_hot(&[0, 1, 1], 2)), 2.0 / 3.0);
/// ```
pub fn accuracy<F: Float>(prediction: &Tensor<F>, target: &Tensor<F>) -> f64 {
    assert!(
        prediction.shape() == target.shape(),
        "accuracy: prediction {:?} and target {:?} differ in shape (targets are one-hot rows)",
        prediction.shape(),
        target.shape()
    );
    let (p, t) = (
        as_matrix(prediction, "accuracy"),
        as_matrix(target, "accuracy"),
    );
    let hits = p
        .outer_iter()
        .zip(t.outer_iter())
        .filter(|(p_row, t_row)| argmax(p_row.iter()) == argmax(t_row.iter()))
        .count();
    hits as f64 / p.nrows().max(1) as f64
}

/// The index of the largest value (the first one, on ties).
///
/// ```
/// assert_eq!(scratchnet::metrics::argmax([0.1, 0.7, 0.2].iter()), 1);
/// ```
pub fn argmax<'a, F: Float>(values: impl Iterator<Item = &'a F>) -> usize {
    let mut best = (0, F::neg_infinity());
    for (i, &v) in values.enumerate() {
        if v > best.1 {
            best = (i, v);
        }
    }
    best.0
}

/// The predicted class of every row: the column of its largest value.
///
/// **Panics** if `prediction` is not `[batch, classes]`.
///
/// ```
/// use scratchnet::{metrics::classes, tensor};
/// assert_eq!(classes(&tensor(&[2, 3], &[0.1, 0.7, 0.2, 5.0, -1.0, 0.0])), [1, 0]);
/// ```
pub fn classes<F: Float>(prediction: &Tensor<F>) -> Vec<usize> {
    as_matrix(prediction, "classes")
        .outer_iter()
        .map(|row| argmax(row.iter()))
        .collect()
}

/// The confusion matrix: entry `[t, p]` counts the examples of true class
/// `t` that were predicted as class `p`. The diagonal holds the right
/// answers; row `t` sums to the number of examples of class `t`.
///
/// **Panics** if the two lists differ in length or a class is not below `k`.
///
/// ```
/// use scratchnet::metrics::confusion_matrix;
/// let m = confusion_matrix(&[0, 1, 1, 2], &[0, 1, 2, 2], 3); // (predicted, true)
/// assert_eq!(m[[2, 1]], 1); // one 2 mistaken for a 1
/// assert_eq!(m.diag().sum(), 3); // three right answers
/// ```
pub fn confusion_matrix(predicted: &[usize], truth: &[usize], k: usize) -> Array2<usize> {
    assert!(
        predicted.len() == truth.len(),
        "confusion_matrix: {} predictions for {} labels",
        predicted.len(),
        truth.len()
    );
    let mut m = Array2::zeros((k, k)); // [true class, predicted class]
    for (&p, &t) in predicted.iter().zip(truth) {
        assert!(
            p < k && t < k,
            "confusion_matrix: class {} is not below {k}",
            p.max(t)
        );
        m[[t, p]] += 1;
    }
    m
}
