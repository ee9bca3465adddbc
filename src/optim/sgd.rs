//! Plain (stochastic) gradient descent.

use super::{Optimizer, check_learning_rate, check_scheduled_rate};
use crate::layer::Param;
use crate::tensor::Float;

/// θ ← θ − η ∇L(θ): a step of size η (the learning rate) downhill.
///
/// ```
/// use scratchnet::prelude::*;
/// use scratchnet::layer::ParamKind;
/// let mut p = Param::new("w", ParamKind::Weight, tensor(&[1], &[1.0]));
/// p.grad = tensor(&[1], &[0.5]);
/// Sgd::new(0.1).step(&mut [&mut p]);
/// assert_eq!(p.value[[0]], 1.0 - 0.1 * 0.5);
/// ```
#[derive(Clone, Debug)]
pub struct Sgd {
    /// The learning rate η.
    pub lr: f64,
}

impl Sgd {
    /// Gradient descent with learning rate `lr`.
    ///
    /// **Panics** if `lr` is not a positive finite number.
    ///
    /// ```
    /// use scratchnet::{layer::ParamKind, prelude::*};
    /// let mut p = Param::new("w", ParamKind::Weight, tensor(&[1], &[3.0]));
    /// p.grad = tensor(&[1], &[2.0 * 3.0]); // f(w) = w², f'(w) = 2w
    /// Sgd::new(0.25).step(&mut [&mut p]);
    /// assert_eq!(p.value[[0]], 1.5); // w ← (1 − 2η)w halves w
    /// ```
    pub fn new(lr: f64) -> Self {
        check_learning_rate("Sgd", lr);
        Sgd { lr }
    }
}

impl<F: Float> Optimizer<F> for Sgd {
    fn step(&mut self, params: &mut [&mut Param<F>]) {
        let lr = F::cast(self.lr);
        for p in params.iter_mut() {
            p.value.scaled_add(-lr, &p.grad);
        }
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: f64) {
        check_scheduled_rate("Sgd", lr);
        self.lr = lr;
    }
}
