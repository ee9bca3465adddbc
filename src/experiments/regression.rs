//! Regression: a straight line found by gradient descent, and a curve that
//! needs a hidden layer.
//!
//! Two generated data sets, inputs x = (x₁, x₂) uniform on [−2, 2]²:
//!
//! * **linear**: y = 2x₁ − 3x₂ + 0.5 + ε. A single [`Dense`]`(2 → 1)` is a
//!   linear model, and its mean squared error is a quadratic bowl with one
//!   minimum: the least-squares solution, which linear algebra gives in
//!   closed form. Full-batch gradient descent ([`gradient_descent`]) walks
//!   down to that same minimum (the example and the tests compute the
//!   closed form with `nalgebra` and compare).
//! * **non-linear**: y = sin(2x₁) + x₂²/2 + ε ([`target`]). Neither term is a
//!   plane: the best linear model explains only about 5 % of the variance of
//!   y (the average slope of sin(2x₁) along x₁; the even x₂²/2 has none),
//!   while the small ReLU network of the chapter's seed article
//!   ([`network`]: 2 → Dense 10, ReLU → Dense 1, MSE, Adam with η = 0.01)
//!   gets close to the noise floor.
//!
//! The noise ε is Gaussian with standard deviation [`NOISE`], so no model
//! can reach a mean squared error below about `NOISE²` = 0.01.
//!
//! The linear case computes in `f64`, like the gradient checks: its point is
//! an agreement far below 1e-6, beyond the seven significant digits of
//! `f32`. The network trains in `f32`, as Chapter 5 trains every network.

use crate::activation::ReLU;
use crate::init::Init;
use crate::layer::Layer;
use crate::layers::Dense;
use crate::loss::MeanSquaredError;
use crate::model::Sequential;
use crate::optim::{Adam, Sgd};
use crate::tensor::{Float, Tensor, seeded_rng};
use crate::train::{Control, Fit, History, evaluate, fit};
use nalgebra::{DMatrix, DVector};
use rand::Rng as _;
use rand_distr::{Distribution, Normal};

/// Training and validation sets: inputs `[n, 2]`, targets `[n, 1]`.
///
/// ```
/// use scratchnet::experiments::regression::*;
/// let d = nonlinear_data(DATA_SEED);
/// assert_eq!((d.x_train.shape(), d.y_val.shape()), (&[N_TRAIN, 2][..], &[N_VAL, 1][..]));
/// assert!(d.x_train.iter().all(|x| x.abs() <= RANGE));
/// ```
#[derive(Clone, Debug)]
pub struct Data<F: Float = f64> {
    /// Training inputs.
    pub x_train: Tensor<F>,
    /// Training targets.
    pub y_train: Tensor<F>,
    /// Validation inputs.
    pub x_val: Tensor<F>,
    /// Validation targets.
    pub y_val: Tensor<F>,
}

impl Data {
    /// The same data rounded to `f32` (or kept in `f64`).
    ///
    /// ```
    /// use scratchnet::experiments::regression::*;
    /// let d = linear_data(DATA_SEED);
    /// let d32 = d.cast::<f32>();
    /// assert_eq!(d32.x_val[[0, 1]], d.x_val[[0, 1]] as f32);
    /// ```
    pub fn cast<F: Float>(&self) -> Data<F> {
        let cast = |t: &Tensor| t.mapv(F::cast);
        Data {
            x_train: cast(&self.x_train),
            y_train: cast(&self.y_train),
            x_val: cast(&self.x_val),
            y_val: cast(&self.y_val),
        }
    }
}

/// Number of training points.
pub const N_TRAIN: usize = 400;
/// Number of validation points.
pub const N_VAL: usize = 200;
/// Inputs are uniform on [−`RANGE`, `RANGE`]².
pub const RANGE: f64 = 2.0;
/// Standard deviation of the Gaussian noise added to every target.
pub const NOISE: f64 = 0.1;
/// The seed of the chapter's data sets.
pub const DATA_SEED: u64 = 5;

/// The weights (w₁, w₂) of the linear case's data: y = w₁x₁ + w₂x₂ + b + ε.
pub const TRUE_W: [f64; 2] = [2.0, -3.0];
/// The bias b of the linear case's data.
pub const TRUE_B: f64 = 0.5;

/// Draws `N_TRAIN` training and `N_VAL` validation points with inputs uniform
/// on [−`RANGE`, `RANGE`]² and targets `f(x₁, x₂)` + N(0, `NOISE`²).
fn dataset(f: fn(f64, f64) -> f64, seed: u64) -> Data {
    let mut rng = seeded_rng(seed);
    let noise = Normal::new(0.0, NOISE).expect("valid noise level");
    let mut draw = |n: usize| {
        let x = Tensor::from_shape_simple_fn(vec![n, 2], || rng.random_range(-RANGE..=RANGE));
        let y = Tensor::from_shape_fn(vec![n, 1], |i| {
            f(x[[i[0], 0]], x[[i[0], 1]]) + noise.sample(&mut rng)
        });
        (x, y)
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

/// The linear case: y = [`TRUE_W`]·x + [`TRUE_B`] + ε.
///
/// ```
/// use scratchnet::experiments::regression::*;
/// let d = linear_data(DATA_SEED);
/// let (x, y) = (&d.x_val, &d.y_val);
/// let noise: Vec<f64> = (0..N_VAL)
///     .map(|i| y[[i, 0]] - (TRUE_W[0] * x[[i, 0]] + TRUE_W[1] * x[[i, 1]] + TRUE_B))
///     .collect();
/// let std = (noise.iter().map(|e| e * e).sum::<f64>() / N_VAL as f64).sqrt();
/// assert!((std - NOISE).abs() < 0.01);
/// ```
pub fn linear_data(seed: u64) -> Data {
    dataset(|x1, x2| TRUE_W[0] * x1 + TRUE_W[1] * x2 + TRUE_B, seed)
}

/// The non-linear case's function, f(x₁, x₂) = sin(2x₁) + x₂²/2: a wave
/// along x₁, a parabola along x₂.
///
/// ```
/// use scratchnet::experiments::regression::target;
/// assert_eq!(target(0.0, 2.0), 2.0);
/// assert_eq!(target(std::f64::consts::FRAC_PI_4, 0.0), 1.0);
/// ```
pub fn target(x1: f64, x2: f64) -> f64 {
    (2.0 * x1).sin() + x2 * x2 / 2.0
}

/// The non-linear case: y = [`target`]`(x₁, x₂)` + ε.
///
/// ```
/// use scratchnet::experiments::regression::*;
/// let d = nonlinear_data(DATA_SEED);
/// let (x, y) = (&d.x_train, &d.y_train);
/// assert!((y[[0, 0]] - target(x[[0, 0]], x[[0, 1]])).abs() < 4.0 * NOISE);
/// ```
pub fn nonlinear_data(seed: u64) -> Data {
    dataset(target, seed)
}

/// Steps of full-batch gradient descent in the linear case.
pub const GD_STEPS: usize = 100;
/// Learning rate of gradient descent in the linear case.
pub const GD_LR: f64 = 0.1;

/// A linear model fitted by [`gradient_descent`], with the way it went.
///
/// ```
/// use scratchnet::experiments::regression::*;
/// let run = gradient_descent(&linear_data(DATA_SEED), 3);
/// assert_eq!(run.path.len(), 4); // the start, then one point per step
/// assert_eq!(run.path[0], [0.0, 0.0, 0.0]);
/// ```
#[derive(Clone, Debug)]
pub struct LinearFit {
    /// The trained layer: weights `[2, 1]`, bias `[1]`.
    pub model: Dense,
    /// (w₁, w₂, b) before the first step and after every step.
    pub path: Vec<[f64; 3]>,
    /// The training loss of every step.
    pub history: History,
}

impl LinearFit {
    /// The fitted (w₁, w₂, b).
    ///
    /// ```
    /// use scratchnet::experiments::regression::*;
    /// let run = gradient_descent(&linear_data(DATA_SEED), GD_STEPS);
    /// let [w1, w2, b] = run.coefficients();
    /// assert!((w1 - TRUE_W[0]).abs() < 0.02 && (w2 - TRUE_W[1]).abs() < 0.02);
    /// assert!((b - TRUE_B).abs() < 0.02);
    /// ```
    pub fn coefficients(&self) -> [f64; 3] {
        coefficients(&self.model)
    }
}

/// (w₁, w₂, b) of a linear model: its weights, then its bias.
fn coefficients(model: &dyn Layer) -> [f64; 3] {
    let p = model.params(); // W [2, 1], then b [1]
    [p[0].value[[0, 0]], p[0].value[[1, 0]], p[1].value[[0]]]
}

/// The least-squares (w₁, w₂, b) for inputs `x` `[n, 2]` and targets `y`
/// `[n, 1]`: the minimiser of ‖A·θ − y‖² with A = [x₁ x₂ 1], computed by
/// `nalgebra` from the singular value decomposition of A (more accurate than
/// solving the normal equations AᵀA·θ = Aᵀy).
///
/// ```
/// use scratchnet::{experiments::regression::least_squares, tensor};
/// // Three points on y = 2x₁ − x₂ + 1 exactly.
/// let x = tensor(&[3, 2], &[0.0, 0.0, 1.0, 0.0, 0.0, 1.0]);
/// let y = tensor(&[3, 1], &[1.0, 3.0, 0.0]);
/// let [w1, w2, b] = least_squares(&x, &y);
/// assert!((w1 - 2.0).abs() < 1e-12 && (w2 + 1.0).abs() < 1e-12 && (b - 1.0).abs() < 1e-12);
/// ```
pub fn least_squares(x: &Tensor, y: &Tensor) -> [f64; 3] {
    let n = x.shape()[0];
    let a = DMatrix::from_fn(n, 3, |i, j| if j < 2 { x[[i, j]] } else { 1.0 });
    let b = DVector::from_fn(n, |i, _| y[[i, 0]]);
    let theta = a
        .svd(true, true)
        .solve(&b, 1e-12)
        .expect("the SVD was asked for U and Vᵀ");
    [theta[0], theta[1], theta[2]]
}

// ANCHOR: gradient_descent
/// Fits a linear model ŷ = w₁x₁ + w₂x₂ + b to the training set by `steps`
/// steps of full-batch gradient descent on the mean squared error
/// (learning rate [`GD_LR`]), from w = 0, b = 0.
///
/// ```
/// use scratchnet::{experiments::regression::*, prelude::*, train::evaluate};
/// let d = linear_data(DATA_SEED);
/// let mut run = gradient_descent(&d, GD_STEPS);
/// // Every step lowers the loss (until it settles, to the last bit); at the
/// // end it is the noise's variance, NOISE².
/// let losses = run.history.train_losses();
/// assert!(losses.windows(2).all(|l| l[1] < l[0] + 1e-15));
/// let mse = evaluate(&mut run.model, &mut MeanSquaredError::new(), &d.x_val, &d.y_val, N_VAL);
/// assert!((mse - NOISE * NOISE).abs() < 0.002);
/// ```
pub fn gradient_descent(data: &Data, steps: usize) -> LinearFit {
    let mut model = Dense::new(2, 1, Init::Zeros, &mut seeded_rng(0));
    let mut path = vec![coefficients(&model)];
    let full_batch = Fit::new(steps, N_TRAIN).on_epoch(|_, model| {
        path.push(coefficients(model));
        Control::Continue
    });
    let history = fit(
        &mut model,
        &mut MeanSquaredError::new(),
        &mut Sgd::new(GD_LR),
        &data.x_train,
        &data.y_train,
        full_batch,
    )
    .expect("gradient descent at this rate converges on this problem");
    LinearFit {
        model,
        path,
        history,
    }
}
// ANCHOR_END: gradient_descent

/// Hidden units of the seed article's network.
pub const HIDDEN: usize = 10;
/// Adam's learning rate, as in the seed article.
pub const ADAM_LR: f64 = 0.01;
/// Passes over the training set when training the network.
pub const EPOCHS: usize = 200;
/// Examples per mini-batch when training the network.
pub const BATCH_SIZE: usize = 32;

// ANCHOR: network
/// The seed article's network: 2 inputs → Dense 10, ReLU → Dense 1, with
/// Keras' default initialisation (Glorot uniform weights, zero biases).
///
/// ```
/// use scratchnet::experiments::regression::network;
/// let net = network::<f32>(0);
/// assert_eq!(net.summary(), ["Dense(2 → 10)", "ReLU", "Dense(10 → 1)"]);
/// assert_eq!(net.num_parameters(), (2 * 10 + 10) + (10 + 1));
/// ```
pub fn network<F: Float>(seed: u64) -> Sequential<F> {
    let mut rng = seeded_rng(seed);
    Sequential::new()
        .with(Dense::new(2, HIDDEN, Init::XavierUniform, &mut rng))
        .with(ReLU::new())
        .with(Dense::new(HIDDEN, 1, Init::XavierUniform, &mut rng))
}

/// Trains [`network`]`(seed)` on `data` with the seed article's settings:
/// mean squared error, Adam with η = [`ADAM_LR`], [`EPOCHS`] epochs of
/// mini-batches of [`BATCH_SIZE`] (shuffled with `seed`); the history
/// records the validation loss after every epoch.
///
/// ```
/// use scratchnet::experiments::regression::*;
/// let (_, history) = train_network(&nonlinear_data(DATA_SEED).cast::<f32>(), 0);
/// let val = history.epochs.iter().map(|e| e.val_loss.unwrap()).collect::<Vec<_>>();
/// assert_eq!(val.len(), EPOCHS);
/// assert!(val[EPOCHS - 1] < 0.05 && val[EPOCHS - 1] < val[0] / 10.0);
/// ```
pub fn train_network<F: Float>(data: &Data<F>, seed: u64) -> (Sequential<F>, History) {
    let mut net = network(seed);
    let config = Fit::new(EPOCHS, BATCH_SIZE)
        .seed(seed)
        .validation(&data.x_val, &data.y_val);
    let history = fit(
        &mut net,
        &mut MeanSquaredError::new(),
        &mut Adam::new(ADAM_LR),
        &data.x_train,
        &data.y_train,
        config,
    )
    .expect("the regression network trains stably");
    (net, history)
}
// ANCHOR_END: network

/// A model's mean squared error on the training and on the validation set.
///
/// ```
/// use scratchnet::experiments::regression::*;
/// let d = linear_data(DATA_SEED);
/// let mut run = gradient_descent(&d, GD_STEPS);
/// let s = scores(&mut run.model, &d);
/// assert!(s.train < s.val + 0.01 && s.val < 2.0 * NOISE * NOISE);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scores {
    /// Mean squared error on the training set.
    pub train: f64,
    /// Mean squared error on the validation set.
    pub val: f64,
}

/// Measures [`Scores`] of `model` on `data`, in evaluation mode.
///
/// ```
/// use scratchnet::{experiments::regression::*, prelude::*};
/// let d = nonlinear_data(DATA_SEED);
/// let mut zero = Dense::new(2, 1, Init::Zeros, &mut seeded_rng(0)); // ŷ = 0
/// let s = scores(&mut zero, &d);
/// assert_eq!(s.val, d.y_val.mapv(|y| y * y).mean().unwrap());
/// ```
pub fn scores<F: Float>(model: &mut dyn Layer<F>, data: &Data<F>) -> Scores {
    let mut mse = MeanSquaredError::new();
    Scores {
        train: evaluate(model, &mut mse, &data.x_train, &data.y_train, N_TRAIN),
        val: evaluate(model, &mut mse, &data.x_val, &data.y_val, N_VAL),
    }
}
