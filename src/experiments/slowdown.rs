//! The learning slowdown of a sigmoid output trained on the squared error.
//!
//! Nielsen's example (*Neural Networks and Deep Learning*, chapter 3): one
//! sigmoid neuron with input 1 and target 0 starts badly wrong, with
//! w = b = 2 (output σ(4) ≈ 0.98). With the mean squared error, the
//! gradient with respect to the pre-activation z carries the factor σ′(z),
//! nearly 0 for a saturated unit, so the neuron barely moves at first. With
//! the binary cross-entropy computed from the logit, that factor cancels
//! (∂ℓ/∂z = σ(z) − y): the more wrong the neuron, the faster it learns.

use crate::activation::{Sigmoid, sigmoid};
use crate::layer::{Layer, Mode};
use crate::layers::Dense;
use crate::loss::{BinaryCrossEntropyWithLogits, Loss, MeanSquaredError};
use crate::model::Sequential;
use crate::optim::Sgd;
use crate::tensor::{Tensor, tensor};
use crate::train::{Control, Fit, fit};

/// Initial weight and bias of the neuron (Nielsen's badly wrong start).
pub const START: (f64, f64) = (2.0, 2.0);
/// Learning rate η (Nielsen's).
pub const LEARNING_RATE: f64 = 0.15;
/// Number of gradient-descent steps.
pub const STEPS: usize = 300;

/// The loss the neuron is trained with.
///
/// ```
/// use scratchnet::experiments::slowdown::{SlowdownLoss, outputs};
/// assert_ne!(outputs(SlowdownLoss::Mse), outputs(SlowdownLoss::CrossEntropy));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlowdownLoss {
    /// A `Sigmoid` layer, then [`MeanSquaredError`].
    Mse,
    /// A plain logit, then [`BinaryCrossEntropyWithLogits`] (the sigmoid inside the loss).
    CrossEntropy,
}

/// The neuron's output σ(w·1 + b) before training and after every step.
///
/// ```
/// use scratchnet::experiments::slowdown::*;
/// let mse = outputs(SlowdownLoss::Mse);
/// let ce = outputs(SlowdownLoss::CrossEntropy);
/// assert_eq!(mse.len(), STEPS + 1);
/// assert!(mse[0] > 0.98 && mse[0] == ce[0]); // the same, badly wrong start
/// // After 50 steps the squared error has barely moved the output; the cross-entropy
/// // has brought it below 0.1.
/// assert!(mse[50] > 0.96 && ce[50] < 0.1);
/// // The squared error catches up only once the neuron leaves saturation.
/// assert!(mse[100] > 0.75 && mse[150] < 0.25);
/// assert!(mse[STEPS] > ce[STEPS]);
/// ```
pub fn outputs(loss: SlowdownLoss) -> Vec<f64> {
    let dense = || Dense::from_weights(tensor(&[1, 1], &[START.0]), tensor(&[1], &[START.1]));
    let (x, y) = (tensor(&[1, 1], &[1.0]), tensor(&[1, 1], &[0.0]));
    let mut net = match loss {
        SlowdownLoss::Mse => Sequential::new().with(dense()).with(Sigmoid::new()),
        SlowdownLoss::CrossEntropy => Sequential::new().with(dense()),
    };
    let output = move |net: &mut dyn Layer, x: &Tensor| {
        let o = net.forward(x, Mode::Eval)[[0, 0]];
        match loss {
            SlowdownLoss::Mse => o,
            SlowdownLoss::CrossEntropy => sigmoid(o),
        }
    };
    let mut history = vec![output(&mut net, &x)];
    let config = Fit::new(STEPS, 1).on_epoch(|_, model| {
        history.push(output(model, &x));
        Control::Continue
    });
    let mut sgd = Sgd::new(LEARNING_RATE);
    match loss {
        SlowdownLoss::Mse => fit(
            &mut net,
            &mut MeanSquaredError::new(),
            &mut sgd,
            &x,
            &y,
            config,
        ),
        SlowdownLoss::CrossEntropy => {
            let mut bce = BinaryCrossEntropyWithLogits::new();
            fit(&mut net, &mut bce, &mut sgd, &x, &y, config)
        }
    }
    .expect("one neuron trains stably at this rate");
    history
}

/// |∂ℓ/∂z| for target 0 at each pre-activation in `zs`, as the library's
/// layers and losses compute it: for the squared error through a `Sigmoid`
/// layer, and for the cross-entropy from the logit.
///
/// ```
/// use scratchnet::activation::sigmoid;
/// use scratchnet::experiments::slowdown::{SlowdownLoss, gradient_at};
/// let zs = [0.0, 4.0, 8.0];
/// let mse = gradient_at(SlowdownLoss::Mse, &zs);
/// let ce = gradient_at(SlowdownLoss::CrossEntropy, &zs);
/// for (i, &z) in zs.iter().enumerate() {
///     let s = sigmoid(z);
///     assert!((mse[i] - 2.0 * s * s * (1.0 - s)).abs() < 1e-12); // 2(σ − 0)·σ′(z)
///     assert!((ce[i] - s).abs() < 1e-12); // σ(z) − 0
/// }
/// // Badly wrong (z = 8, σ ≈ 0.9997): the squared error's gradient has all but vanished.
/// assert!(mse[2] < 1e-3 && ce[2] > 0.99);
/// ```
pub fn gradient_at(loss: SlowdownLoss, zs: &[f64]) -> Vec<f64> {
    let target = tensor(&[1, 1], &[0.0]);
    zs.iter()
        .map(|&z| {
            let z = tensor(&[1, 1], &[z]);
            match loss {
                SlowdownLoss::Mse => {
                    let mut act = Sigmoid::new();
                    let mut mse = MeanSquaredError::new();
                    mse.forward(&act.forward(&z, Mode::Train), &target);
                    act.backward(&mse.backward())[[0, 0]].abs()
                }
                SlowdownLoss::CrossEntropy => {
                    let mut bce = BinaryCrossEntropyWithLogits::new();
                    bce.forward(&z, &target);
                    bce.backward()[[0, 0]].abs()
                }
            }
        })
        .collect()
}
