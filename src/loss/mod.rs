//! Loss functions: one number that says how wrong the network is.
//!
//! A loss is used like a layer at the very top of the network: `forward`
//! returns the scalar loss, averaged over the batch, and caches what
//! `backward` needs; `backward` returns `∂L/∂prediction`, the gradient that
//! starts backpropagation.

pub mod binary_cross_entropy;
pub mod cross_entropy;
pub mod mse;

pub use binary_cross_entropy::BinaryCrossEntropyWithLogits;
pub use cross_entropy::{SoftmaxCrossEntropy, log_softmax, one_hot};
pub use mse::MeanSquaredError;

use crate::tensor::{Float, Tensor};

/// A scalar loss with its gradient.
///
/// ```
/// use scratchnet::{gradcheck::{error, numeric_gradient}, prelude::*};
/// let (p, y) = (tensor(&[2, 1], &[0.3, -1.2]), tensor(&[2, 1], &[1.0, 0.0]));
/// let mut loss = BinaryCrossEntropyWithLogits::new();
/// loss.forward(&p, &y);
/// // backward is the gradient of forward: it matches central differences.
/// let numeric = numeric_gradient(|q| BinaryCrossEntropyWithLogits::new().forward(q, &y), &p, 1e-6);
/// assert!(error(&loss.backward(), &numeric) < 1e-8);
/// ```
pub trait Loss<F: Float = f64> {
    /// The loss of `prediction` against `target`, averaged over the batch.
    fn forward(&mut self, prediction: &Tensor<F>, target: &Tensor<F>) -> F;

    /// `∂L/∂prediction` for the latest `forward`.
    ///
    /// **Panics** if called before `forward`.
    fn backward(&mut self) -> Tensor<F>;
}

/// Panics, naming the loss `who`, both shapes and what to do, unless
/// `prediction` and `target` have the same shape.
#[track_caller]
pub(crate) fn same_shape<F: Float>(who: &str, prediction: &Tensor<F>, target: &Tensor<F>) {
    let (p, t) = (prediction.shape(), target.shape());
    if p == t {
        return;
    }
    let hint = match (p, t) {
        _ if prediction.len() == target.len() => format!("reshape the target into {p:?}"),
        (&[n, k], &[m] | &[m, 1]) if n == m => {
            format!("for class labels, one_hot(&labels, {k}) makes the target [{n}, {k}]")
        }
        (&[n, ..], &[m, ..]) if n != m => {
            format!("the prediction has {n} rows (examples) but the target {m}")
        }
        (&[_, k], &[_, j]) => {
            format!(
                "the network gives {k} outputs per example but the target has {j}: make its last layer give {j}"
            )
        }
        _ => format!(
            "the network gives {:?} per example but the target has {:?}",
            &p[1..],
            &t[1..]
        ),
    };
    panic!("{who}: prediction {p:?} and target {t:?} differ in shape: {hint}");
}
