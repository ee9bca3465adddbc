//! Categorical cross-entropy fused with softmax, the loss of classification.

use super::{Loss, same_shape};
use crate::activation::softmax;
use crate::tensor::{Float, Tensor, as_matrix};
use ndarray::Axis;

// ANCHOR: log_softmax
/// Row-wise log-softmax of `[batch, classes]` logits, via log-sum-exp.
///
/// ln softmax(z)ₖ = zₖ − m − ln Σⱼ e^(zⱼ − m) with m = maxⱼ zⱼ. Every
/// exponent is ≤ 0 and the sum is ≥ 1, so nothing overflows and the
/// logarithm never sees 0: a logit gap of 2000 gives −2000, not −∞.
///
/// **Panics** if `z` is not 2-D.
///
/// ```
/// use scratchnet::{loss::cross_entropy::log_softmax, tensor};
/// let l = log_softmax(&tensor(&[1, 2], &[1000.0, -1000.0]));
/// assert_eq!(l, tensor(&[1, 2], &[0.0, -2000.0]));
/// ```
pub fn log_softmax<F: Float>(z: &Tensor<F>) -> Tensor<F> {
    let z2 = as_matrix(z, "log_softmax"); // [batch, classes]
    let mut out = z2.to_owned();
    for mut row in out.axis_iter_mut(Axis(0)) {
        let m = row.fold(F::neg_infinity(), |a, &b| a.max(b));
        let log_sum = row.iter().map(|&v| (v - m).exp()).sum::<F>().ln();
        // (z − m) − ln Σ, not z − (m + ln Σ): adding ln Σ to a large m first
        // would round it away in f32 (1000 + ln 3 keeps only 4 decimals).
        row.mapv_inplace(|v| (v - m) - log_sum);
    }
    out.into_dyn()
}
// ANCHOR_END: log_softmax

/// One-hot rows for class indices: row i has a 1 in column `labels[i]`.
///
/// **Panics** if a label is not below `classes`.
///
/// ```
/// use scratchnet::{Tensor, loss::one_hot, tensor};
/// let y: Tensor = one_hot(&[2, 0], 3); // f64; `one_hot::<f32>` for f32
/// assert_eq!(y, tensor(&[2, 3], &[0., 0., 1., 1., 0., 0.]));
/// ```
pub fn one_hot<F: Float>(labels: &[usize], classes: usize) -> Tensor<F> {
    let mut y = Tensor::zeros(vec![labels.len(), classes]); // [batch, classes]
    for (i, &k) in labels.iter().enumerate() {
        assert!(k < classes, "one_hot: label {k} is not below {classes}");
        y[[i, k]] = F::one();
    }
    y
}

/// Softmax followed by categorical cross-entropy, computed from logits.
///
/// For logits z and a target distribution y (usually one-hot) of one example,
/// ℓ = −Σₖ yₖ ln softmax(z)ₖ, computed with [`log_softmax`] so that it stays
/// finite for any logits. The loss is the mean of ℓ over the batch, and the
/// gradient is the famous
///
/// ∂L/∂z = (softmax(z) − y) / batch.
///
/// The network's last layer must therefore be a plain [`crate::layers::Dense`]:
/// putting a softmax in front of this loss applies softmax twice (the mistake
/// of seed article 002; see Chapter 4).
///
/// # Shapes
/// * prediction `z` (logits): `[batch, classes]`
/// * target `y`: `[batch, classes]`, each row summing to 1 (see [`one_hot`])
///
/// **Panics** if the shapes differ or are not 2-D.
///
/// ```
/// use scratchnet::prelude::*;
/// let mut ce = SoftmaxCrossEntropy::new();
/// // Equal logits: p = (1/3, 1/3, 1/3), so ℓ = ln 3 for any label.
/// let logits: Tensor = Tensor::zeros(vec![2, 3]);
/// let l = ce.forward(&logits, &one_hot(&[0, 2], 3));
/// approx::assert_abs_diff_eq!(l, 3f64.ln(), epsilon = 1e-15);
/// let g = ce.backward(); // (p − y)/2
/// approx::assert_abs_diff_eq!(g[[0, 0]], (1.0 / 3.0 - 1.0) / 2.0, epsilon = 1e-15);
/// approx::assert_abs_diff_eq!(g[[0, 1]], (1.0 / 3.0) / 2.0, epsilon = 1e-15);
/// ```
#[derive(Clone, Debug, Default)]
pub struct SoftmaxCrossEntropy<F: Float = f64> {
    cache: Option<(Tensor<F>, Tensor<F>)>, // (softmax(z), y), both [batch, classes]
}

impl<F: Float> SoftmaxCrossEntropy<F> {
    /// Creates the loss.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut ce = SoftmaxCrossEntropy::new();
    /// // Logits (0, ln 2) give p = (1/3, 2/3); the label is class 1, so ℓ = −ln(2/3).
    /// let l = ce.forward(&tensor(&[1, 2], &[0.0, 2f64.ln()]), &one_hot(&[1], 2));
    /// assert!((l - 1.5f64.ln()).abs() < 1e-15);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }
}

// ANCHOR: loss
impl<F: Float> Loss<F> for SoftmaxCrossEntropy<F> {
    fn forward(&mut self, prediction: &Tensor<F>, target: &Tensor<F>) -> F {
        same_shape("SoftmaxCrossEntropy", prediction, target); // else a panic naming both shapes
        let batch = F::cast(prediction.shape()[0].max(1) as f64);
        let log_p = log_softmax(prediction); // [batch, classes]
        // L = −(1/batch) Σᵢ Σₖ yᵢₖ ln pᵢₖ
        let loss = -(&log_p * target).sum() / batch;
        self.cache = Some((softmax(prediction), target.clone()));
        loss
    }

    fn backward(&mut self) -> Tensor<F> {
        let (p, y) = self
            .cache
            .as_ref()
            .expect("cross-entropy: backward called before forward");
        let batch = F::cast(p.shape()[0].max(1) as f64);
        // (p − y)/batch assumes every row of y sums to 1 (one-hot, or a distribution);
        // for other targets the gradient would be (p·Σₖyₖ − y)/batch (Exercise 4.5).
        (p - y) / batch // [batch, classes]
    }
}
// ANCHOR_END: loss
