//! L1 regularisation two ways: the subgradient step and the proximal step.
//!
//! A linear model `y = x·w + b` with [`N_FEATURES`] inputs, of which only the
//! first [`N_RELEVANT`] matter, is fitted by full-batch gradient descent on
//! the mean squared error plus λ·Σ|w|. Adding the subgradient λ·sign(w) to
//! the gradient ([`Penalty::L1`]) leaves the irrelevant weights jittering
//! around zero; replacing it by soft-thresholding after each step
//! ([`prox_l1`]) sets them to exactly zero.

use crate::layers::Dense;
use crate::loss::MeanSquaredError;
use crate::model::Sequential;
use crate::optim::Sgd;
use crate::regularization::{Penalty, prox_l1};
use crate::tensor::{Tensor, seeded_rng};
use crate::train::{Control, Fit, fit};
use rand_distr::{Distribution, Normal, StandardNormal};

/// Number of input features.
pub const N_FEATURES: usize = 10;
/// Number of features the target depends on (the first ones).
pub const N_RELEVANT: usize = 3;
/// Number of training examples.
pub const N_EXAMPLES: usize = 50;
/// Learning rate η of the gradient-descent steps.
pub const LEARNING_RATE: f64 = 0.05;
/// Strength λ of the L1 penalty.
pub const LAMBDA: f64 = 0.1;
/// Number of full-batch steps.
pub const STEPS: usize = 300;
/// Seed of the data.
pub const DATA_SEED: u64 = 7;

/// How the L1 penalty enters each step.
///
/// ```
/// use scratchnet::experiments::sparsity::{L1Step, weight_paths};
/// assert_ne!(weight_paths(L1Step::Subgradient), weight_paths(L1Step::Proximal));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum L1Step {
    /// Add λ·sign(w) to the gradient ([`Penalty::L1`]).
    Subgradient,
    /// Take a plain gradient step, then soft-threshold by ηλ ([`prox_l1`]).
    Proximal,
}

/// Inputs `[N_EXAMPLES, N_FEATURES]` (standard normal) and targets
/// `[N_EXAMPLES, 1]`: 2·x₀ − 1.5·x₁ + x₂ plus noise of standard deviation 0.1.
///
/// ```
/// use scratchnet::experiments::sparsity::*;
/// let (x, y) = dataset();
/// assert_eq!((x.shape(), y.shape()), (&[N_EXAMPLES, N_FEATURES][..], &[N_EXAMPLES, 1][..]));
/// ```
pub fn dataset() -> (Tensor, Tensor) {
    let mut rng = seeded_rng(DATA_SEED);
    let x = Tensor::from_shape_simple_fn(vec![N_EXAMPLES, N_FEATURES], || {
        StandardNormal.sample(&mut rng)
    });
    let noise = Normal::new(0.0, 0.1).expect("valid normal");
    let true_w = [2.0, -1.5, 1.0];
    let y = Tensor::from_shape_fn(vec![N_EXAMPLES, 1], |d| {
        (0..N_RELEVANT)
            .map(|j| true_w[j] * x[[d[0], j]])
            .sum::<f64>()
    });
    let y = y.mapv(|v| v + noise.sample(&mut rng));
    (x, y)
}

/// Trains the linear model from zero weights with `step` and returns the
/// weights after every step, `STEPS` rows of `N_FEATURES` numbers.
///
/// ```
/// use scratchnet::experiments::sparsity::*;
/// let sub = weight_paths(L1Step::Subgradient);
/// let prox = weight_paths(L1Step::Proximal);
/// let zeros = |w: &[f64]| w.iter().filter(|&&v| v == 0.0).count();
/// // After 300 steps the proximal step has every irrelevant weight at exactly 0 ...
/// assert_eq!(zeros(&prox[STEPS - 1]), N_FEATURES - N_RELEVANT);
/// // ... the subgradient step none: they jitter a few thousandths away from 0, on
/// // the order of ηλ = 0.005, and no step of the run sets any weight to exactly 0.
/// assert_eq!(zeros(&sub[STEPS - 1]), 0);
/// assert!(sub.iter().all(|w| zeros(w) == 0));
/// assert!(sub[STEPS - 1][N_RELEVANT..].iter().all(|w| w.abs() > 1e-3 && w.abs() < 0.01));
/// // Both find the three relevant weights (2, −1.5, 1), shrunk a little towards 0.
/// for w in [&sub[STEPS - 1], &prox[STEPS - 1]] {
///     assert!((w[0] - 2.0).abs() < 0.15 && (w[1] + 1.5).abs() < 0.15 && (w[2] - 1.0).abs() < 0.15);
/// }
/// ```
pub fn weight_paths(step: L1Step) -> Vec<Vec<f64>> {
    let (x, y) = dataset();
    let mut net = Sequential::new().with(Dense::from_weights(
        Tensor::zeros(vec![N_FEATURES, 1]),
        Tensor::zeros(vec![1]),
    ));
    let mut paths = Vec::with_capacity(STEPS);
    let config = Fit::new(STEPS, N_EXAMPLES); // full batch: one epoch is one step
    let config = match step {
        L1Step::Subgradient => config.penalty(Penalty::L1(LAMBDA)),
        L1Step::Proximal => config,
    };
    let config = config.on_epoch(|_, model| {
        if step == L1Step::Proximal {
            prox_l1(&mut model.params_mut(), LEARNING_RATE * LAMBDA);
        }
        paths.push(model.params()[0].value.iter().copied().collect());
        Control::Continue
    });
    fit(
        &mut net,
        &mut MeanSquaredError::new(),
        &mut Sgd::new(LEARNING_RATE),
        &x,
        &y,
        config,
    )
    .expect("this small problem trains stably at this rate");
    paths
}
