//! Mean squared error, the loss of regression.

use super::{Loss, same_shape};
use crate::tensor::{Float, Tensor};

/// L = (1/n) Σᵢ (ŷᵢ − yᵢ)², the mean over **all** n elements (as PyTorch's
/// `MSELoss` and Keras' `mean_squared_error` compute it).
///
/// Its gradient is ∂L/∂ŷᵢ = 2(ŷᵢ − yᵢ)/n.
///
/// **Panics** if prediction and target have different shapes.
///
/// ```
/// use scratchnet::prelude::*;
/// let mut mse = MeanSquaredError::new();
/// let l = mse.forward(&tensor(&[2, 1], &[1.0, 3.0]), &tensor(&[2, 1], &[0.0, 1.0]));
/// assert_eq!(l, (1.0 + 4.0) / 2.0);
/// assert_eq!(mse.backward(), tensor(&[2, 1], &[1.0, 2.0]));
/// ```
#[derive(Clone, Debug, Default)]
pub struct MeanSquaredError<F: Float = f64> {
    diff: Option<Tensor<F>>, // prediction − target
}

impl<F: Float> MeanSquaredError<F> {
    /// Creates the loss.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut mse: MeanSquaredError = MeanSquaredError::new();
    /// assert!(std::panic::catch_unwind(move || mse.backward()).is_err()); // no forward yet
    /// ```
    pub fn new() -> Self {
        Self::default()
    }
}

impl<F: Float> Loss<F> for MeanSquaredError<F> {
    fn forward(&mut self, prediction: &Tensor<F>, target: &Tensor<F>) -> F {
        same_shape("MeanSquaredError", prediction, target); // else a panic naming both shapes
        let diff = prediction - target;
        let loss = diff.mapv(|d| d * d).mean().unwrap_or(F::zero());
        self.diff = Some(diff);
        loss
    }

    fn backward(&mut self) -> Tensor<F> {
        let diff = self
            .diff
            .as_ref()
            .expect("MSE: backward called before forward");
        diff * F::cast(2.0 / diff.len() as f64)
    }
}
