//! Optimizers: turn gradients into parameter updates.
//!
//! Backpropagation computes ∇L; an optimizer decides what to do with it.
//! Each optimizer is one small type. Stateful ones (momentum, Adam) keep one
//! state tensor per parameter, matched by position in the list that
//! [`crate::Sequential::params`] returns.

pub mod sgd;

pub use sgd::Sgd;

use crate::layer::Param;

/// Updates parameters from their gradients.
pub trait Optimizer {
    /// Applies one update to every parameter, using `param.grad`.
    ///
    /// The list must contain the same parameters in the same order at every call.
    fn step(&mut self, params: &mut [&mut Param]);
}
