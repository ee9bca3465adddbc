//! Overfitting on purpose, then regularising it away.
//!
//! A small, noisy 1-D regression problem: 15 training points from
//! y = sin(πx/3) + noise on [−3, 3], and 200 validation points from the same source. A
//! network far larger than the data calls for is trained by full-batch
//! gradient descent on the mean squared error, with no regulariser, with
//! an L2 penalty and with dropout; we record training and validation loss.

use crate::activation::Tanh;
use crate::init::Init;
use crate::layer::Layer;
use crate::layers::{Dense, Dropout};
use crate::loss::MeanSquaredError;
use crate::model::Sequential;
use crate::optim::Sgd;
use crate::regularization::Penalty;
use crate::tensor::{Tensor, seeded_rng};
use crate::train::{Control, Fit, evaluate, fit};
use rand::Rng as _;
use rand_distr::{Distribution, Normal};

/// Training and validation sets, `[n, 1]` each.
///
/// ```
/// use scratchnet::experiments::overfitting::*;
/// let d = dataset(DATA_SEED);
/// assert!(d.x_train.iter().chain(&d.x_val).all(|x| x.abs() <= 3.0)); // x in [−3, 3]
/// assert_eq!((d.y_train.shape(), d.y_val.shape()), (&[N_TRAIN, 1][..], &[N_VAL, 1][..]));
/// ```
#[derive(Clone, Debug)]
pub struct Data {
    /// Training inputs.
    pub x_train: Tensor,
    /// Training targets.
    pub y_train: Tensor,
    /// Validation inputs.
    pub x_val: Tensor,
    /// Validation targets.
    pub y_val: Tensor,
}

/// Number of training points.
pub const N_TRAIN: usize = 15;
/// Number of validation points.
///
/// ```
/// use scratchnet::experiments::overfitting::*;
/// assert_eq!(N_VAL, 200);
/// assert_eq!(dataset(0).x_val.len(), N_VAL);
/// ```
pub const N_VAL: usize = 200;
/// Standard deviation of the label noise.
///
/// ```
/// use scratchnet::experiments::overfitting::*;
/// let d = dataset(DATA_SEED);
/// let noise = &d.y_val - &d.x_val.mapv(|x| (std::f64::consts::PI * x / 3.0).sin());
/// assert!((noise.std(0.0) - NOISE).abs() < 0.1); // measured on the 200 validation points
/// ```
pub const NOISE: f64 = 0.4;
/// The seed of the chapter's data set.
///
/// ```
/// use scratchnet::experiments::overfitting::*;
/// assert_eq!(dataset(DATA_SEED).y_train, dataset(DATA_SEED).y_train); // reproducible
/// assert_ne!(dataset(DATA_SEED).y_train, dataset(DATA_SEED + 1).y_train);
/// ```
pub const DATA_SEED: u64 = 6;

/// Draws `N_TRAIN` training and `N_VAL` validation points, x uniform on [−3, 3],
/// y = sin(πx/3) + N(0, `NOISE`²).
///
/// ```
/// use scratchnet::experiments::overfitting::*;
/// let d = dataset(0);
/// assert_eq!((d.x_train.shape(), d.x_val.shape()), (&[N_TRAIN, 1][..], &[N_VAL, 1][..]));
/// ```
pub fn dataset(seed: u64) -> Data {
    let mut rng = seeded_rng(seed);
    let noise = Normal::new(0.0, NOISE).expect("valid noise level");
    let mut draw = |n: usize| {
        let u = Tensor::from_shape_simple_fn(vec![n, 1], || rng.random_range(-1.0..1.0));
        let y = u.mapv(|v| (std::f64::consts::PI * v).sin() + noise.sample(&mut rng));
        (u * 3.0, y)
    };
    let (x_train, y_train) = draw(N_TRAIN);
    let (x_val, y_val) = draw(N_VAL);
    Data {
        x_train,
        y_train,
        x_val,
        y_val,
    }
}

/// What, if anything, fights overfitting in a run.
///
/// ```
/// use scratchnet::experiments::overfitting::*;
/// // Dropout adds a layer after each of the two hidden layers; L2 changes only the loss.
/// let layers = |reg| network(reg, 0).summary().len();
/// assert_eq!(layers(Regularizer::Dropout(DROP_P)), layers(Regularizer::None) + 2);
/// assert_eq!(layers(Regularizer::L2(LAMBDA)), layers(Regularizer::None));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Regularizer {
    /// Nothing.
    None,
    /// An L2 penalty (λ/2)·Σw² on every weight.
    L2(f64),
    /// Dropout with this probability after each hidden layer.
    Dropout(f64),
}

/// Hidden units per layer: 1153 parameters for 15 data points.
///
/// ```
/// use scratchnet::experiments::overfitting::*;
/// let mut net = network(Regularizer::None, 0);
/// assert_eq!(net.num_parameters(), (1 + 1) * HIDDEN + (HIDDEN + 1) * HIDDEN + (HIDDEN + 1));
/// assert_eq!(net.num_parameters(), 1153);
/// ```
pub const HIDDEN: usize = 32;

/// The over-sized network: 1 → 32 → 32 → 1 with tanh, optionally with dropout.
///
/// ```
/// use scratchnet::experiments::overfitting::{Regularizer, network};
/// let mut net = network(Regularizer::Dropout(0.2), 0);
/// assert_eq!(net.summary().len(), 7);
/// assert_eq!(net.num_parameters(), 2 * 32 + 32 * 32 + 32 + 32 + 1);
/// ```
pub fn network(reg: Regularizer, seed: u64) -> Sequential {
    let mut rng = seeded_rng(seed);
    let mut net = Sequential::new();
    let mut n_in = 1;
    for (i, n_out) in [HIDDEN, HIDDEN].into_iter().enumerate() {
        net.push(Dense::new(n_in, n_out, Init::XavierNormal, &mut rng));
        net.push(Tanh::new());
        if let Regularizer::Dropout(p) = reg {
            net.push(Dropout::new(p, seed + i as u64));
        }
        n_in = n_out;
    }
    net.push(Dense::new(n_in, 1, Init::XavierNormal, &mut rng));
    net
}

/// Training and validation loss (MSE, evaluation mode, no penalty) every `every` epochs.
///
/// ```
/// use scratchnet::experiments::overfitting::*;
/// let c = run(&dataset(0), Regularizer::None, 20, 10, 0);
/// assert_eq!(c.epochs, [0, 10, 20]); // the start, then every 10 epochs
/// assert_eq!((c.train.len(), c.val.len()), (3, 3));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Curves {
    /// The epochs at which the losses were measured.
    pub epochs: Vec<usize>,
    /// Training loss at those epochs.
    pub train: Vec<f64>,
    /// Validation loss at those epochs.
    pub val: Vec<f64>,
}

/// Epochs of full-batch gradient descent in each run.
pub const EPOCHS: usize = 2000;
/// Learning rate of every run.
///
/// ```
/// use scratchnet::{experiments::overfitting::*, prelude::*};
/// let d = dataset(0);
/// let (_, mut trained) = train(&d, Regularizer::None, 1, 1, 0);
/// // One epoch is one full-batch gradient-descent step of size LR:
/// let mut net = network(Regularizer::None, 0);
/// let (mut mse, mut sgd) = (MeanSquaredError::new(), Sgd::new(LR));
/// train_step(&mut net, &mut mse, Penalty::None, &mut sgd, &d.x_train, &d.y_train); // (loss, prediction)
/// assert_eq!(net.predict(&d.x_val), trained.predict(&d.x_val));
/// ```
pub const LR: f64 = 0.1;
/// The L2 strength λ of the chapter's regularised run.
pub const LAMBDA: f64 = 0.01;
/// The dropout probability of the chapter's dropout run.
pub const DROP_P: f64 = 0.1;

// ANCHOR: train_run
/// Trains [`network`] on `data` for `epochs` full-batch steps and records the losses.
///
/// ```
/// use scratchnet::experiments::overfitting::*;
/// let c = run(&dataset(0), Regularizer::None, 200, 50, 0);
/// assert_eq!(c.epochs, vec![0, 50, 100, 150, 200]);
/// assert!(c.train[4] < c.train[0]);
/// ```
pub fn run(data: &Data, reg: Regularizer, epochs: usize, every: usize, seed: u64) -> Curves {
    train(data, reg, epochs, every, seed).0
}
// ANCHOR_END: train_run

/// Like [`run`], but also returns the trained network.
///
/// ```
/// use scratchnet::experiments::overfitting::*;
/// let (_, mut net) = train(&dataset(0), Regularizer::L2(0.01), 10, 10, 0);
/// assert_eq!(net.predict(&scratchnet::tensor(&[1, 1], &[0.5])).shape(), &[1, 1]);
/// ```
pub fn train(
    data: &Data,
    reg: Regularizer,
    epochs: usize,
    every: usize,
    seed: u64,
) -> (Curves, Sequential) {
    let mut net = network(reg, seed);
    let penalty = match reg {
        Regularizer::L2(lambda) => Penalty::L2(lambda),
        _ => Penalty::None,
    };
    let mut curves = Curves::default();
    // Losses in evaluation mode (dropout off), without the penalty.
    let mut record = |epoch: usize, net: &mut dyn Layer| {
        let mut mse = MeanSquaredError::new();
        curves.epochs.push(epoch);
        curves
            .train
            .push(evaluate(net, &mut mse, &data.x_train, &data.y_train, N_VAL));
        curves
            .val
            .push(evaluate(net, &mut mse, &data.x_val, &data.y_val, N_VAL));
    };
    record(0, &mut net);
    let config = Fit::new(epochs, N_TRAIN)
        .penalty(penalty)
        .on_epoch(|e, net| {
            if e.epoch % every == 0 {
                record(e.epoch, net);
            }
            Control::Continue
        });
    fit(
        &mut net,
        &mut MeanSquaredError::new(),
        &mut Sgd::new(LR),
        &data.x_train,
        &data.y_train,
        config,
    )
    .expect("this small problem trains stably at this rate");
    (curves, net)
}
