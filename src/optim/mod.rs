//! Optimizers: turn gradients into parameter updates.
//!
//! Backpropagation computes ∇L; an optimizer decides what to do with it.
//! Each optimizer is one small type. Stateful ones (momentum, Adam) keep one
//! state tensor per parameter in a [`State`], under the parameter's unique name,
//! and hand all they remember out and back as a [`Snapshot`] (for checkpoints).

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

    /// What the optimizer remembers between steps, for a checkpoint (Chapter
    /// 5). Nothing by default: plain SGD remembers nothing.
    fn snapshot(&self) -> Snapshot<F> {
        Snapshot::default()
    }

    /// Puts back what `snapshot` returned: the next step is then the one the
    /// saved optimizer would have taken. An optimizer with state overrides both.
    ///
    /// **Panics** if `snapshot` lacks a state or scalar that this optimizer's
    /// own snapshot has ([`crate::checkpoint`] checks this first).
    fn restore(&mut self, snapshot: Snapshot<F>) {
        let _ = snapshot; // nothing to restore
    }
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

    /// Each parameter's name with its state tensor, in sorted order.
    ///
    /// ```
    /// use scratchnet::{optim::State, tensor};
    /// let state: State = [("b".to_string(), tensor(&[1], &[2.0]))].into_iter().collect();
    /// let (name, t) = state.iter().next().unwrap();
    /// assert_eq!((name, t[[0]]), ("b", 2.0));
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Tensor<F>)> {
        self.tensors.iter().map(|(name, t)| (name.as_str(), t))
    }
}

/// A state built from `(parameter name, tensor)` pairs, as a checkpoint reads them.
impl<F: Float> FromIterator<(String, Tensor<F>)> for State<F> {
    fn from_iter<I: IntoIterator<Item = (String, Tensor<F>)>>(pairs: I) -> Self {
        State {
            tensors: pairs.into_iter().collect(),
        }
    }
}

/// Everything an optimizer remembers between steps, as
/// [`Optimizer::snapshot`] hands it out: its named [`State`]s (Adam's first
/// and second moments `"m"` and `"s"`) and its named scalars (Adam's step
/// count `"t"`). Its hyperparameters (η, β₁, ...) are not in it: they are the
/// run's configuration, which the caller sets.
///
/// ```
/// use scratchnet::{layer::ParamKind, prelude::*};
/// let mut p = Param::new("w", ParamKind::Weight, tensor(&[1], &[1.0]));
/// p.grad = tensor(&[1], &[0.5]);
/// let mut adam = Adam::new(0.1);
/// adam.step(&mut [&mut p]);
/// let saved = adam.snapshot();
/// assert_eq!(saved.states.keys().collect::<Vec<_>>(), ["m", "s"]);
/// assert_eq!(saved.scalars["t"], 1.0);
/// // A fresh Adam given the snapshot takes the same second step as the first one.
/// let (mut q, mut fresh) = (p.clone(), Adam::new(0.1));
/// fresh.restore(saved);
/// adam.step(&mut [&mut p]);
/// fresh.step(&mut [&mut q]);
/// assert_eq!(p.value, q.value);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Snapshot<F: Float = f64> {
    /// Per-parameter state tensors, by the state's name.
    pub states: BTreeMap<String, State<F>>,
    /// Scalars, by name (a step count is stored exactly: any integer below 2⁵³ is).
    pub scalars: BTreeMap<String, f64>,
}

impl<F: Float> Snapshot<F> {
    /// Adds a copy of `state` under `name`, builder style.
    ///
    /// ```
    /// use scratchnet::optim::{Snapshot, State};
    /// let s: Snapshot = Snapshot::default().with_state("velocity", &State::default());
    /// assert!(s.states["velocity"].names().next().is_none());
    /// ```
    pub fn with_state(mut self, name: &str, state: &State<F>) -> Self {
        self.states.insert(name.to_string(), state.clone());
        self
    }

    /// Adds the scalar `value` under `name`, builder style.
    ///
    /// ```
    /// let s: scratchnet::optim::Snapshot = scratchnet::optim::Snapshot::default().with_scalar("t", 3.0);
    /// assert_eq!(s.scalar("t"), 3.0);
    /// ```
    pub fn with_scalar(mut self, name: &str, value: f64) -> Self {
        self.scalars.insert(name.to_string(), value);
        self
    }

    /// Takes the state `name` out of the snapshot.
    ///
    /// **Panics** if there is none.
    ///
    /// ```
    /// use scratchnet::optim::{Snapshot, State};
    /// let mut s: Snapshot = Snapshot::default().with_state("m", &State::default());
    /// s.take_state("m");
    /// assert!(std::panic::catch_unwind(move || s.take_state("m")).is_err()); // taken already
    /// ```
    pub fn take_state(&mut self, name: &str) -> State<F> {
        self.states
            .remove(name)
            .unwrap_or_else(|| panic!("optimizer snapshot: no state {name:?}"))
    }

    /// The scalar `name`.
    ///
    /// **Panics** if there is none.
    ///
    /// ```
    /// let s: scratchnet::optim::Snapshot = Default::default();
    /// assert!(std::panic::catch_unwind(|| s.scalar("t")).is_err());
    /// ```
    pub fn scalar(&self, name: &str) -> f64 {
        *self
            .scalars
            .get(name)
            .unwrap_or_else(|| panic!("optimizer snapshot: no scalar {name:?}"))
    }
}
