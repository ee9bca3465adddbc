//! Training: one step, and the one loop that repeats it over epochs of
//! shuffled mini-batches.
//!
//! [`train_step`] is the four lines every chapter repeats: forward, loss,
//! backward, update. [`fit`] runs it over the training set, epoch after
//! epoch, and records a [`History`]; [`evaluate`] measures a loss without
//! training. Every experiment, example and exercise of the book trains
//! through these two functions.

use crate::layer::{Layer, Mode};
use crate::loss::Loss;
use crate::optim::Optimizer;
use crate::regularization::Penalty;
use crate::tensor::{Float, Tensor, seeded_rng};
use ndarray::{Axis, Slice};
use rand::seq::SliceRandom;
use std::time::Instant;

// ANCHOR: train_step
/// One step of training: forward, loss, backward, update. Returns the loss.
///
/// This is the loop body every chapter repeats:
/// 1. forward propagation computes the prediction,
/// 2. the loss compares it with the target (plus the weight penalty R(θ), if any),
/// 3. backpropagation computes ∂L/∂θ for every parameter (plus ∂R/∂θ),
/// 4. the optimizer moves every parameter against its gradient.
///
/// The returned loss is measured at the parameters *before* the update.
///
/// ```
/// use scratchnet::prelude::*;
/// let mut net = Sequential::new().with(Dense::from_weights(tensor(&[1, 1], &[0.0]), tensor(&[1], &[0.0])));
/// let (x, y) = (tensor(&[1, 1], &[1.0]), tensor(&[1, 1], &[2.0])); // ŷ = 0: L = (0 − 2)² = 4
/// let l = train_step(&mut net, &mut MeanSquaredError::new(), Penalty::None, &mut Sgd::new(0.25), &x, &y);
/// assert_eq!(l, 4.0);
/// assert_eq!(net.predict(&x)[[0, 0]], 2.0); // w and b both moved by 0.25·4 = 1
/// ```
pub fn train_step<F: Float>(
    model: &mut dyn Layer<F>,
    loss: &mut dyn Loss<F>,
    penalty: Penalty,
    optimizer: &mut dyn Optimizer<F>,
    x: &Tensor<F>,
    y: &Tensor<F>,
) -> F {
    let prediction = model.forward(x, Mode::Train);
    let value = loss.forward(&prediction, y) + penalty.loss(&model.params());
    model.backward(&loss.backward());
    let mut params = model.params_mut();
    penalty.add_gradients(&mut params); // ∂R/∂θ joins ∂L/∂θ (nothing for Penalty::None)
    optimizer.step(&mut params);
    value
}
// ANCHOR_END: train_step

/// What a callback tells [`fit`] after an epoch.
///
/// ```
/// use scratchnet::train::Control;
/// assert_ne!(Control::Continue, Control::Stop);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// Go on with the next epoch.
    Continue,
    /// Stop training now (early stopping).
    Stop,
}

/// What happened in one epoch of [`fit`].
///
/// ```
/// use scratchnet::train::Epoch;
/// let e = Epoch { epoch: 1, steps: 4, train_loss: 0.5, val_loss: None, seconds: 0.01 };
/// assert_eq!(e.val_loss, None); // no validation set was given
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Epoch {
    /// The epoch's number, from 1.
    pub epoch: usize,
    /// Optimizer steps taken so far, this epoch's included.
    pub steps: usize,
    /// Mean training loss over the epoch's mini-batches, each measured before
    /// its update and weighted by its size (what Keras prints as `loss`).
    pub train_loss: f64,
    /// Loss on the validation set after the epoch, in evaluation mode.
    pub val_loss: Option<f64>,
    /// Wall-clock seconds the epoch took (the only field that differs between runs).
    pub seconds: f64,
}

/// The epochs of one [`fit`], in order.
///
/// ```
/// use scratchnet::train::{Epoch, History};
/// let e = |epoch, train_loss| Epoch { epoch, steps: epoch, train_loss, val_loss: None, seconds: 0.0 };
/// let h = History { epochs: vec![e(1, 0.9), e(2, 0.4)] };
/// assert_eq!(h.train_losses(), [0.9, 0.4]);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// One entry per epoch trained.
    pub epochs: Vec<Epoch>,
}

impl History {
    /// The training loss of every epoch.
    ///
    /// ```
    /// let h = scratchnet::train::History::default();
    /// assert!(h.train_losses().is_empty());
    /// ```
    pub fn train_losses(&self) -> Vec<f64> {
        self.epochs.iter().map(|e| e.train_loss).collect()
    }
}

/// A callback run after every epoch: it sees the epoch and the model, and
/// may stop training.
type OnEpoch<'a, F> = Box<dyn FnMut(&Epoch, &mut dyn Layer<F>) -> Control + 'a>;

/// How [`fit`] trains: epochs, mini-batch size, shuffling seed, weight
/// penalty, an optional validation set and an optional per-epoch callback.
///
/// Built like a sentence: `Fit::new(5, 32).seed(1).validation(&x_val, &y_val)`.
///
/// ```
/// use scratchnet::{regularization::Penalty, train::Fit};
/// let config: Fit = Fit::new(10, 32).seed(7).penalty(Penalty::L2(1e-4));
/// assert_eq!((config.epochs, config.batch_size, config.seed), (10, 32, 7));
/// ```
pub struct Fit<'a, F: Float = f64> {
    /// Passes over the training set.
    pub epochs: usize,
    /// Examples per optimizer step; a batch size of at least the number of
    /// examples is full-batch gradient descent.
    pub batch_size: usize,
    /// Seed of the generator that shuffles the examples before every epoch.
    pub seed: u64,
    /// A weight penalty added to the loss ([`Penalty::None`] by default).
    pub penalty: Penalty,
    validation: Option<(&'a Tensor<F>, &'a Tensor<F>)>,
    on_epoch: Option<OnEpoch<'a, F>>,
}

impl<'a, F: Float> Fit<'a, F> {
    /// `epochs` passes over the data in mini-batches of `batch_size`, seed 0, no penalty.
    ///
    /// **Panics** if `batch_size` is 0.
    ///
    /// ```
    /// use scratchnet::train::Fit;
    /// assert_eq!(Fit::<f64>::new(3, 16).seed, 0);
    /// assert!(std::panic::catch_unwind(|| Fit::<f64>::new(3, 0)).is_err());
    /// ```
    pub fn new(epochs: usize, batch_size: usize) -> Self {
        assert!(batch_size > 0, "Fit: the batch size must be at least 1");
        Fit {
            epochs,
            batch_size,
            seed: 0,
            penalty: Penalty::None,
            validation: None,
            on_epoch: None,
        }
    }

    /// Shuffles with a generator seeded with `seed`.
    ///
    /// ```
    /// assert_eq!(scratchnet::train::Fit::<f64>::new(1, 1).seed(42).seed, 42);
    /// ```
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Adds the weight penalty `penalty` to the loss.
    ///
    /// ```
    /// use scratchnet::{regularization::Penalty, train::Fit};
    /// assert_eq!(Fit::<f64>::new(1, 1).penalty(Penalty::L1(0.1)).penalty, Penalty::L1(0.1));
    /// ```
    pub fn penalty(mut self, penalty: Penalty) -> Self {
        self.penalty = penalty;
        self
    }

    /// Measures the loss on `(x, y)` after every epoch ([`Epoch::val_loss`]).
    ///
    /// ```
    /// use scratchnet::{prelude::*, train::Fit};
    /// let (x, y) = (tensor(&[2, 1], &[0.0, 1.0]), tensor(&[2, 1], &[0.0, 2.0]));
    /// let mut net = Sequential::new().with(Dense::from_weights(tensor(&[1, 1], &[2.0]), tensor(&[1], &[0.0])));
    /// let h = fit(&mut net, &mut MeanSquaredError::new(), &mut Sgd::new(0.1), &x, &y, Fit::new(1, 2).validation(&x, &y));
    /// assert_eq!(h.epochs[0].val_loss, Some(0.0)); // y = 2x exactly: nothing to learn
    /// ```
    pub fn validation(mut self, x: &'a Tensor<F>, y: &'a Tensor<F>) -> Self {
        self.validation = Some((x, y));
        self
    }

    /// Calls `f` after every epoch with the epoch's record and the model;
    /// training stops when `f` returns [`Control::Stop`].
    ///
    /// ```
    /// use scratchnet::{prelude::*, train::{Control, Fit}};
    /// let (x, y) = (tensor(&[1, 1], &[1.0]), tensor(&[1, 1], &[1.0]));
    /// let mut net = Sequential::new().with(Dense::from_weights(tensor(&[1, 1], &[0.0]), tensor(&[1], &[0.0])));
    /// let stop_early = Fit::new(100, 1).on_epoch(|e, _| if e.train_loss < 0.01 { Control::Stop } else { Control::Continue });
    /// let h = fit(&mut net, &mut MeanSquaredError::new(), &mut Sgd::new(0.1), &x, &y, stop_early);
    /// assert!(h.epochs.len() < 100 && h.epochs.last().unwrap().train_loss < 0.01);
    /// ```
    pub fn on_epoch(mut self, f: impl FnMut(&Epoch, &mut dyn Layer<F>) -> Control + 'a) -> Self {
        self.on_epoch = Some(Box::new(f));
        self
    }
}

// ANCHOR: fit
/// Trains `model` on `(x, y)`: `config.epochs` passes over the data in
/// mini-batches, shuffled before every epoch; returns the [`History`].
///
/// Rows are examples: `x` is `[n, ...]` and `y` is `[n, ...]`. The last
/// mini-batch of an epoch may be smaller. With a batch size of at least `n`
/// every step sees the whole set in its original order: full-batch gradient
/// descent, and one epoch is one step.
///
/// **Panics** if `x` and `y` have different numbers of rows.
///
/// ```
/// use scratchnet::{prelude::*, train::Fit};
/// // A 2-4-1 network learns XOR with plain gradient descent: 3000 full-batch steps.
/// let mut rng = seeded_rng(1);
/// let mut net = Sequential::new()
///     .with(Dense::new(2, 4, Init::XavierUniform, &mut rng))
///     .with(Tanh::new())
///     .with(Dense::new(4, 1, Init::XavierUniform, &mut rng))
///     .with(Sigmoid::new());
/// let x = tensor(&[4, 2], &[0., 0., 0., 1., 1., 0., 1., 1.]);
/// let y = tensor(&[4, 1], &[0., 1., 1., 0.]);
/// let history = fit(&mut net, &mut MeanSquaredError::new(), &mut Sgd::new(0.5), &x, &y, Fit::new(3000, 4));
/// assert!(history.epochs[2999].train_loss < history.epochs[0].train_loss);
/// let p = net.predict(&x);
/// assert!(p[[0, 0]] < 0.2 && p[[1, 0]] > 0.8 && p[[2, 0]] > 0.8 && p[[3, 0]] < 0.2);
/// ```
pub fn fit<F: Float>(
    model: &mut dyn Layer<F>,
    loss: &mut dyn Loss<F>,
    optimizer: &mut dyn Optimizer<F>,
    x: &Tensor<F>,
    y: &Tensor<F>,
    mut config: Fit<'_, F>,
) -> History {
    let n = x.len_of(Axis(0));
    assert_eq!(
        n,
        y.len_of(Axis(0)),
        "fit: x has {n} rows but y has {}",
        y.len_of(Axis(0))
    );
    let mut rng = seeded_rng(config.seed);
    let mut order: Vec<usize> = (0..n).collect();
    let mut history = History::default();
    let mut steps = 0;
    for epoch in 1..=config.epochs {
        let start = Instant::now();
        let mut train_loss = 0.0;
        if config.batch_size >= n {
            // Full batch: the whole set, in order, one step.
            train_loss = train_step(model, loss, config.penalty, optimizer, x, y).as_f64();
            steps += 1;
        } else {
            order.shuffle(&mut rng);
            for batch in order.chunks(config.batch_size) {
                let xb = x.select(Axis(0), batch); // [batch, ...]
                let yb = y.select(Axis(0), batch);
                let l = train_step(model, loss, config.penalty, optimizer, &xb, &yb);
                train_loss += l.as_f64() * (batch.len() as f64 / n as f64);
                steps += 1;
            }
        }
        let val_loss = config
            .validation
            .map(|(xv, yv)| evaluate(model, loss, xv, yv, config.batch_size));
        let record = Epoch {
            epoch,
            steps,
            train_loss,
            val_loss,
            seconds: start.elapsed().as_secs_f64(),
        };
        let control = match config.on_epoch.as_mut() {
            Some(f) => f(&record, model),
            None => Control::Continue,
        };
        history.epochs.push(record);
        if control == Control::Stop {
            break;
        }
    }
    history
}
// ANCHOR_END: fit

/// The mean loss of `model` on `(x, y)` in evaluation mode, computed
/// `batch_size` rows at a time (no training, no penalty).
///
/// **Panics** if `batch_size` is 0 or the row counts differ.
///
/// ```
/// use scratchnet::{prelude::*, train::evaluate};
/// let mut net = Sequential::new().with(Dense::from_weights(tensor(&[1, 1], &[1.0]), tensor(&[1], &[0.0])));
/// let (x, y) = (tensor(&[3, 1], &[1.0, 2.0, 3.0]), tensor(&[3, 1], &[1.0, 2.0, 6.0]));
/// // Only the last example is wrong, by 3: MSE = 9/3, however the rows are grouped.
/// assert_eq!(evaluate(&mut net, &mut MeanSquaredError::new(), &x, &y, 3), 3.0);
/// assert_eq!(evaluate(&mut net, &mut MeanSquaredError::new(), &x, &y, 2), 3.0);
/// ```
pub fn evaluate<F: Float>(
    model: &mut dyn Layer<F>,
    loss: &mut dyn Loss<F>,
    x: &Tensor<F>,
    y: &Tensor<F>,
    batch_size: usize,
) -> f64 {
    assert!(
        batch_size > 0,
        "evaluate: the batch size must be at least 1"
    );
    let n = x.len_of(Axis(0));
    assert_eq!(
        n,
        y.len_of(Axis(0)),
        "evaluate: x has {n} rows but y has {}",
        y.len_of(Axis(0))
    );
    if batch_size >= n {
        return loss.forward(&model.forward(x, Mode::Eval), y).as_f64();
    }
    let mut total = 0.0;
    for start in (0..n).step_by(batch_size) {
        let rows = Slice::from(start..(start + batch_size).min(n));
        let xb = x.slice_axis(Axis(0), rows).to_owned(); // [batch, ...]
        let yb = y.slice_axis(Axis(0), rows).to_owned();
        let l = loss.forward(&model.forward(&xb, Mode::Eval), &yb).as_f64();
        total += l * ((xb.len_of(Axis(0))) as f64 / n as f64);
    }
    total
}
