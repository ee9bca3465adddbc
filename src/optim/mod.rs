//! Optimizers: turn gradients into parameter updates.
//!
//! Backpropagation computes ∇L; an optimizer decides what to do with it.
//! Each optimizer is one small type. Stateful ones (momentum, Adam) keep one
//! state tensor per parameter in a [`State`], under the parameter's unique name.

pub mod adadelta;
pub mod adagrad;
pub mod adam;
pub mod clip;
pub mod momentum;
pub mod rmsprop;
pub mod sgd;

pub use adadelta::Adadelta;
pub use adagrad::AdaGrad;
pub use adam::Adam;
pub use clip::clip_grad_norm;
pub use momentum::Momentum;
pub use rmsprop::RmsProp;
pub use sgd::Sgd;

use crate::layer::Param;
use crate::tensor::{Float, Tensor};
use std::collections::BTreeMap;

// ANCHOR: optimizer_trait
/// Updates parameters from their gradients.
///
/// ```
/// use scratchnet::{layer::ParamKind, prelude::*};
/// let mut p = Param::new("w", ParamKind::Weight, tensor(&[1], &[1.0])); // its grad is 0
/// Adam::new(0.1).step(&mut [&mut p]);
/// assert_eq!(p.value[[0]], 1.0); // a zero gradient moves nothing
/// let mut sgd = Sgd::new(0.1);
/// Optimizer::<f64>::set_learning_rate(&mut sgd, 0.05); // what a schedule does
/// assert_eq!(Optimizer::<f64>::learning_rate(&sgd), 0.05);
/// ```
pub trait Optimizer<F: Float = f64> {
    /// Applies one update to every parameter, using `param.grad`.
    ///
    /// It updates whatever it is given: [`crate::train_step`] gives it only
    /// the trainable parameters, not the [`ParamKind::Buffer`](crate::layer::ParamKind::Buffer)s
    /// (whose gradient is zero anyway, which leaves every optimizer here at rest).
    ///
    /// Stateful optimizers keep their state under each parameter's name, so
    /// names must be unique (a [`crate::Sequential`] makes them so).
    fn step(&mut self, params: &mut [&mut Param<F>]);

    /// The learning rate η of the next step.
    fn learning_rate(&self) -> f64;

    /// Sets η; a learning-rate schedule calls it before every step.
    ///
    /// **Panics** if `lr` is NaN, infinite or negative (0 is allowed: a cosine schedule ends there).
    fn set_learning_rate(&mut self, lr: f64);
}
// ANCHOR_END: optimizer_trait

/// Panics, naming the optimizer `who`, unless `lr` is a positive finite
/// number: what every optimizer's constructor checks.
#[track_caller]
pub(crate) fn check_learning_rate(who: &str, lr: f64) {
    assert!(
        lr.is_finite() && lr > 0.0,
        "{who}: the learning rate must be a positive finite number, got {lr}"
    );
}

/// Panics, naming the optimizer `who`, unless `lr` is a finite number ≥ 0:
/// what `set_learning_rate` checks (a schedule may end at exactly 0).
#[track_caller]
pub(crate) fn check_scheduled_rate(who: &str, lr: f64) {
    assert!(
        lr.is_finite() && lr >= 0.0,
        "{who}::set_learning_rate: the learning rate must be a finite number ≥ 0, got {lr} \
         (does the learning-rate schedule give NaN or a negative factor?)"
    );
}

/// An optimizer's memory: one tensor per parameter (a velocity, a moving
/// average...), kept under the parameter's name and created as zeros, shaped
/// like the parameter, the first time that parameter is seen.
///
/// ```
/// use scratchnet::{layer::ParamKind, optim::State, prelude::*};
/// let p = Param::new("0.dense.W", ParamKind::Weight, tensor(&[2], &[1.0, 2.0]));
/// let mut velocity = State::default();
/// assert_eq!(*velocity.of(&p), tensor(&[2], &[0.0, 0.0])); // zeros at first
/// *velocity.of(&p) += 0.5;
/// assert_eq!(velocity.of(&p)[[1]], 0.5); // remembered under the name
/// assert_eq!(velocity.names().collect::<Vec<_>>(), ["0.dense.W"]);
/// ```
#[derive(Clone, Debug)]
pub struct State<F: Float = f64> {
    tensors: BTreeMap<String, Tensor<F>>,
}

impl<F: Float> Default for State<F> {
    fn default() -> Self {
        State {
            tensors: BTreeMap::new(),
        }
    }
}

impl<F: Float> State<F> {
    /// The state of parameter `p`: zeros shaped like `p.value` on first use.
    ///
    /// **Panics** if `p` changed shape since the state was created (the
    /// state would no longer fit it).
    ///
    /// ```
    /// use scratchnet::{layer::ParamKind, optim::State, prelude::*};
    /// let mut state = State::default();
    /// state.of(&Param::new("w", ParamKind::Weight, tensor(&[2], &[1.0, 2.0])));
    /// let wider = Param::new("w", ParamKind::Weight, tensor(&[3], &[1.0, 2.0, 3.0]));
    /// assert!(std::panic::catch_unwind(move || { state.of(&wider); }).is_err());
    /// ```
    pub fn of(&mut self, p: &Param<F>) -> &mut Tensor<F> {
        let s = self
            .tensors
            .entry(p.name.clone())
            .or_insert_with(|| Tensor::zeros(p.value.raw_dim()));
        assert_eq!(
            s.shape(),
            p.value.shape(),
            "optimizer: parameter {} changed shape between steps",
            p.name
        );
        s
    }

    /// The names of the parameters that have state, in sorted order.
    ///
    /// ```
    /// use scratchnet::optim::State;
    /// assert_eq!(State::<f64>::default().names().count(), 0); // nothing before the first step
    /// ```
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tensors.keys().map(String::as_str)
    }
}
