//! Optimizers: turn gradients into parameter updates.
//!
//! Backpropagation computes ∇L; an optimizer decides what to do with it.
//! Each optimizer is one small type. Stateful ones (momentum, Adam) keep one
//! state tensor per parameter, matched by position in the list that
//! [`crate::Sequential::params`] returns.

pub mod adadelta;
pub mod adagrad;
pub mod adam;
pub mod momentum;
pub mod rmsprop;
pub mod sgd;
pub mod testbed;

pub use adadelta::Adadelta;
pub use adagrad::AdaGrad;
pub use adam::Adam;
pub use momentum::Momentum;
pub use rmsprop::RmsProp;
pub use sgd::Sgd;

use crate::layer::Param;
use crate::tensor::Tensor;

// ANCHOR: optimizer_trait
/// Updates parameters from their gradients.
///
/// ```
/// use scratchnet::{layer::ParamKind, prelude::*};
/// let mut p = Param::new("w", ParamKind::Weight, tensor(&[1], &[1.0])); // its grad is 0
/// Adam::new(0.1).step(&mut [&mut p]);
/// assert_eq!(p.value[[0]], 1.0); // a zero gradient moves nothing
/// ```
pub trait Optimizer {
    /// Applies one update to every parameter, using `param.grad`.
    ///
    /// The list must contain the same parameters in the same order at every call.
    fn step(&mut self, params: &mut [&mut Param]);
}
// ANCHOR_END: optimizer_trait

/// Makes `state` hold one zero tensor per parameter, shaped like it, on first use.
///
/// **Panics** if a later call passes a different number of parameters or
/// different shapes: the optimizer's state would no longer match.
pub(crate) fn state_like(state: &mut Vec<Tensor>, params: &[&mut Param]) {
    if state.is_empty() {
        *state = params
            .iter()
            .map(|p| Tensor::zeros(p.value.raw_dim()))
            .collect();
    }
    assert_eq!(
        state.len(),
        params.len(),
        "optimizer: the number of parameters changed between steps"
    );
    for (s, p) in state.iter().zip(params) {
        assert_eq!(
            s.shape(),
            p.value.shape(),
            "optimizer: parameter {} changed shape between steps",
            p.name
        );
    }
}
