//! Binary cross-entropy computed from logits, the loss of yes/no questions.

use super::{Loss, same_shape};
use crate::activation::sigmoid;
use crate::tensor::{Float, Tensor};

/// Binary cross-entropy of a sigmoid output, computed from the logit z.
///
/// With p = σ(z), the per-element loss −[y ln p + (1 − y) ln(1 − p)] equals
///
/// ℓ(z, y) = max(z, 0) − z·y + ln(1 + e^(−|z|)),
///
/// a form that never exponentiates a large positive number and never takes
/// the logarithm of 0, so logits of ±1000 give finite, exact losses. The loss
/// is the mean over **all** n elements (PyTorch's `BCEWithLogitsLoss`), and
/// its gradient is ∂L/∂zᵢ = (σ(zᵢ) − yᵢ)/n: the sigmoid's derivative
/// σ(1 − σ) cancels against the derivative of the logarithm.
///
/// Targets may be any values in \[0, 1\] (soft labels), not only 0 and 1.
///
/// # Shapes
/// * prediction `z` (logits) and target `y`: the same shape, usually `[batch, 1]`
///
/// **Panics** if prediction and target have different shapes.
///
/// ```
/// use scratchnet::prelude::*;
/// let mut bce = BinaryCrossEntropyWithLogits::new();
/// // z = 0 means p = 1/2: the loss is ln 2 whatever the label.
/// let l = bce.forward(&tensor(&[2, 1], &[0.0, 0.0]), &tensor(&[2, 1], &[1.0, 0.0]));
/// approx::assert_abs_diff_eq!(l, 2f64.ln(), epsilon = 1e-15);
/// // (σ(0) − y)/n = (0.5 − 1)/2 and (0.5 − 0)/2.
/// assert_eq!(bce.backward(), tensor(&[2, 1], &[-0.25, 0.25]));
/// ```
#[derive(Clone, Debug, Default)]
pub struct BinaryCrossEntropyWithLogits<F: Float = f64> {
    cache: Option<(Tensor<F>, Tensor<F>)>, // (z, y)
}

impl<F: Float> BinaryCrossEntropyWithLogits<F> {
    /// Creates the loss.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut bce = BinaryCrossEntropyWithLogits::new();
    /// // A confident, right answer costs nothing; a confident, wrong one costs |z|.
    /// assert_eq!(bce.forward(&tensor(&[1, 1], &[1000.0]), &tensor(&[1, 1], &[1.0])), 0.0);
    /// assert_eq!(bce.forward(&tensor(&[1, 1], &[1000.0]), &tensor(&[1, 1], &[0.0])), 1000.0);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }
}

// ANCHOR: stable
/// The stable per-element binary cross-entropy ℓ(z, y) from a logit z.
///
/// ```
/// use scratchnet::loss::binary_cross_entropy::bce_with_logit;
/// assert_eq!(bce_with_logit(1000.0, 1.0), 0.0);     // confidently right
/// assert_eq!(bce_with_logit(-1000.0, 1.0), 1000.0); // confidently wrong: −ln σ(−1000)
/// ```
pub fn bce_with_logit<F: Float>(z: F, y: F) -> F {
    z.max(F::zero()) - z * y + (-z.abs()).exp().ln_1p()
}
// ANCHOR_END: stable

impl<F: Float> Loss<F> for BinaryCrossEntropyWithLogits<F> {
    fn forward(&mut self, prediction: &Tensor<F>, target: &Tensor<F>) -> F {
        same_shape("BinaryCrossEntropyWithLogits", prediction, target); // else a panic naming both shapes
        let n = F::cast(prediction.len().max(1) as f64);
        let mut total = F::zero();
        ndarray::Zip::from(prediction)
            .and(target)
            .for_each(|&z, &y| total += bce_with_logit(z, y));
        self.cache = Some((prediction.clone(), target.clone()));
        total / n
    }

    fn backward(&mut self) -> Tensor<F> {
        let (z, y) = self
            .cache
            .as_ref()
            .expect("BCE: backward called before forward");
        let n = F::cast(z.len().max(1) as f64);
        // ∂L/∂z = (σ(z) − y)/n
        let mut g = z.mapv(sigmoid);
        g -= y;
        g / n
    }
}
