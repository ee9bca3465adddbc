//! Training: one step, and the one loop that repeats it over epochs of
//! shuffled mini-batches.
//!
//! [`train_step`] is the four lines every chapter repeats: forward, loss,
//! backward, update. [`fit`] runs it over the training set, epoch after
//! epoch, and records a [`History`]; [`evaluate`] measures a loss without
//! training. Every experiment, example and exercise of the book trains
//! through these two functions. With [`Fit::checkpoint`] and
//! [`Fit::resume_from`], `fit` saves the run after every epoch and continues
//! an interrupted one ([`crate::checkpoint`]).

pub use crate::history::{Epoch, History};

use crate::checkpoint::{CheckpointError, Settings, load_checkpoint, save_checkpoint};
use crate::diverged::{Diverged, any_non_finite};
use crate::layer::{Layer, Mode};
use crate::loss::Loss;
use crate::metrics::accuracy;
use crate::optim::Optimizer;
use crate::regularization::Penalty;
use crate::schedule::Schedule;
use crate::tensor::{Float, Tensor, keep_freed_memory, seeded_rng};
#[cfg(feature = "progress")]
use indicatif::{ProgressBar, ProgressStyle};
use ndarray::{Axis, Slice};
use rand::seq::SliceRandom;
use std::borrow::Cow;
use std::path::PathBuf;

/// One step of training: forward, loss, backward, update. Returns the loss and the prediction.
///
/// This is the loop body every chapter repeats:
/// 1. forward propagation computes the prediction,
/// 2. the loss compares it with the target (plus the weight penalty R(θ), if any),
/// 3. backpropagation computes ∂L/∂θ for every parameter (plus ∂R/∂θ),
/// 4. the optimizer moves every parameter against its gradient.
///
/// Returns the loss, measured at the parameters *before* the update, and the
/// prediction it was computed from (for metrics such as accuracy).
///
/// ```
/// use scratchnet::prelude::*;
/// let mut net = Sequential::new().with(Dense::from_weights(tensor(&[1, 1], &[0.0]), tensor(&[1], &[0.0])));
/// let (x, y) = (tensor(&[1, 1], &[1.0]), tensor(&[1, 1], &[2.0])); // ŷ = 0: L = (0 − 2)² = 4
/// let (l, y_hat) = train_step(&mut net, &mut MeanSquaredError::new(), Penalty::None, &mut Sgd::new(0.25), &x, &y);
/// assert_eq!((l, y_hat[[0, 0]]), (4.0, 0.0));
/// assert_eq!(net.predict(&x)[[0, 0]], 2.0); // w and b both moved by 0.25·4 = 1
/// ```
// ANCHOR: train_step
pub fn train_step<F: Float>(
    model: &mut dyn Layer<F>,
    loss: &mut dyn Loss<F>,
    penalty: Penalty,
    optimizer: &mut dyn Optimizer<F>,
    x: &Tensor<F>,
    y: &Tensor<F>,
) -> (F, Tensor<F>) {
    let prediction = model.forward(x, Mode::Train);
    let value = loss.forward(&prediction, y) + penalty.loss(&model.params());
    model.backward_params(&loss.backward()); // ∂L/∂θ (not ∂L/∂x: nothing needs the data's gradient)
    let mut params = model.params_mut();
    params.retain(|p| p.kind.is_trainable()); // only what training updates (Chapter 5 adds others)
    penalty.add_gradients(&mut params); // ∂R/∂θ joins ∂L/∂θ (nothing for Penalty::None)
    optimizer.step(&mut params);
    (value, prediction)
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

/// Why [`fit`] stopped before its last epoch.
///
/// ```
/// use scratchnet::{prelude::*, train::{Fit, FitError}};
/// let mut net = Sequential::new().with(Dense::from_weights(tensor(&[1, 1], &[0.0]), tensor(&[1], &[0.0])));
/// let (x, y) = (tensor(&[1, 1], &[1.0]), tensor(&[1, 1], &[1.0]));
/// let resume = Fit::new(3, 1).resume_from("no/such/run.ckpt");
/// let err = fit(&mut net, &mut MeanSquaredError::new(), &mut Sgd::new(0.1), &x, &y, resume).unwrap_err();
/// assert!(matches!(err, FitError::Checkpoint(_)), "{err}");
/// assert!(err.to_string().starts_with("cannot read weights from no/such/run.ckpt"));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum FitError {
    /// The loss or a weight stopped being a finite number.
    #[error(transparent)]
    Diverged(#[from] Diverged),
    /// A checkpoint could not be saved, or the run could not be resumed from one.
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
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
    /// How the learning rate changes from step to step ([`Schedule::Constant`] by default).
    pub schedule: Schedule,
    /// Whether to measure classification accuracy (targets are one-hot rows).
    pub accuracy: bool,
    /// Whether to draw a progress bar on the terminal (never drawn when
    /// standard error is not a terminal).
    pub progress: bool,
    /// Save the run to this file after every epoch ([`crate::checkpoint`]).
    pub checkpoint: Option<PathBuf>,
    /// Continue the run saved in this checkpoint.
    pub resume_from: Option<PathBuf>,
    validation: Option<(&'a Tensor<F>, &'a Tensor<F>)>,
    on_epoch: Option<OnEpoch<'a, F>>,
}

impl<'a, F: Float> Fit<'a, F> {
    /// `epochs` passes over the data in mini-batches of `batch_size`, seed 0, no penalty.
    ///
    /// **Panics** if `epochs` or `batch_size` is 0.
    ///
    /// ```
    /// use scratchnet::train::Fit;
    /// assert_eq!(Fit::<f64>::new(3, 16).seed, 0);
    /// assert!(std::panic::catch_unwind(|| Fit::<f64>::new(3, 0)).is_err());
    /// ```
    pub fn new(epochs: usize, batch_size: usize) -> Self {
        assert!(
            epochs > 0,
            "Fit::new: the number of epochs must be at least 1, got 0 (fit would train nothing)"
        );
        assert!(
            batch_size > 0,
            "Fit::new: the batch size must be at least 1, got 0 (for full batches, \
             pass the number of examples)"
        );
        Fit {
            epochs,
            batch_size,
            seed: 0,
            penalty: Penalty::None,
            schedule: Schedule::Constant,
            accuracy: false,
            progress: false,
            checkpoint: None,
            resume_from: None,
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

    /// Sets the optimizer's learning rate before every step to the schedule's
    /// factor times the rate the optimizer had when `fit` started.
    ///
    /// **Panics** if the schedule's numbers make no sense: a step decay's
    /// `every` of 0 or factor outside (0, 1], a cosine's floor outside [0, 1].
    ///
    /// ```
    /// use scratchnet::{prelude::*, schedule::Schedule, train::Fit};
    /// let (x, y) = (tensor(&[4, 1], &[0.0, 1.0, 2.0, 3.0]), tensor(&[4, 1], &[0.0; 4]));
    /// let mut net = Sequential::new().with(Dense::from_weights(tensor(&[1, 1], &[0.5]), tensor(&[1], &[0.0])));
    /// let decay = Fit::new(3, 2).schedule(Schedule::StepDecay { every: 1, factor: 0.1 });
    /// let h = fit(&mut net, &mut MeanSquaredError::new(), &mut Sgd::new(0.1), &x, &y, decay).unwrap();
    /// let rates: Vec<f64> = h.epochs.iter().map(|e| e.lr).collect();
    /// approx::assert_relative_eq!(rates[..], [0.1, 0.01, 0.001][..], max_relative = 1e-12);
    /// ```
    pub fn schedule(mut self, schedule: Schedule) -> Self {
        schedule.check();
        self.schedule = schedule;
        self
    }

    /// Measures accuracy: the fraction of rows whose largest prediction is in
    /// the column of the target's largest entry ([`crate::metrics::accuracy`]).
    ///
    /// ```
    /// use scratchnet::train::Fit;
    /// assert!(Fit::<f64>::new(1, 1).accuracy().accuracy);
    /// ```
    pub fn accuracy(mut self) -> Self {
        self.accuracy = true;
        self
    }

    /// Draws a progress bar per epoch on standard error (loss, accuracy, time
    /// left), like Keras' `model.fit`; it stays hidden when standard error is
    /// not a terminal, as in tests and CI. Built without the `progress` feature
    /// (the WebAssembly demos), it draws nothing.
    ///
    /// ```
    /// use scratchnet::train::Fit;
    /// assert!(Fit::<f64>::new(1, 1).progress().progress);
    /// ```
    pub fn progress(mut self) -> Self {
        self.progress = true;
        self
    }

    /// Measures the loss on `(x, y)` after every epoch ([`Epoch::val_loss`]).
    ///
    /// **Panics** if `x` and `y` have different numbers of rows.
    ///
    /// ```
    /// use scratchnet::{prelude::*, train::Fit};
    /// let (x, y) = (tensor(&[2, 1], &[0.0, 1.0]), tensor(&[2, 1], &[0.0, 2.0]));
    /// let mut net = Sequential::new().with(Dense::from_weights(tensor(&[1, 1], &[2.0]), tensor(&[1], &[0.0])));
    /// let h = fit(&mut net, &mut MeanSquaredError::new(), &mut Sgd::new(0.1), &x, &y, Fit::new(1, 2).validation(&x, &y)).unwrap();
    /// assert_eq!(h.epochs[0].val_loss, Some(0.0)); // y = 2x exactly: nothing to learn
    /// ```
    pub fn validation(mut self, x: &'a Tensor<F>, y: &'a Tensor<F>) -> Self {
        let (n, m) = (x.len_of(Axis(0)), y.len_of(Axis(0)));
        assert!(
            n == m,
            "Fit::validation: x has {n} rows but y has {m} (x {:?}, y {:?})",
            x.shape(),
            y.shape()
        );
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
    /// let h = fit(&mut net, &mut MeanSquaredError::new(), &mut Sgd::new(0.1), &x, &y, stop_early).unwrap();
    /// assert!(h.epochs.len() < 100 && h.epochs.last().unwrap().train_loss < 0.01);
    /// ```
    pub fn on_epoch(mut self, f: impl FnMut(&Epoch, &mut dyn Layer<F>) -> Control + 'a) -> Self {
        self.on_epoch = Some(Box::new(f));
        self
    }

    /// Saves the run to `path` after every epoch, atomically: the weights,
    /// the optimizer's state, the dropout generators, the settings and the
    /// history ([`crate::checkpoint::save_checkpoint`]).
    ///
    /// ```
    /// use scratchnet::{prelude::*, train::Fit};
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("run.ckpt");
    /// let (x, y) = (tensor(&[2, 1], &[0.0, 1.0]), tensor(&[2, 1], &[1.0, 3.0]));
    /// let mut net = Sequential::new().with(Dense::from_weights(tensor(&[1, 1], &[0.0]), tensor(&[1], &[0.0])));
    /// fit(&mut net, &mut MeanSquaredError::new(), &mut Adam::new(0.1), &x, &y, Fit::new(2, 1).checkpoint(&path)).unwrap();
    /// assert!(path.exists());
    /// ```
    pub fn checkpoint(mut self, path: impl Into<PathBuf>) -> Self {
        self.checkpoint = Some(path.into());
        self
    }

    /// Continues the run saved at `path` by [`Fit::checkpoint`]: `fit` first
    /// restores the model, its dropout generators and the optimizer, then
    /// trains the epochs left, with the same shuffles and learning rates as
    /// an uninterrupted run, and returns the whole history. The model and the
    /// optimizer must be built as for the saved run, and the settings (epochs,
    /// batch size, seed, schedule, penalty, base rate, examples) be the same.
    /// What an [`on_epoch`](Fit::on_epoch) callback remembers is not saved.
    ///
    /// ```
    /// use scratchnet::{prelude::*, train::{Control, Fit}};
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("run.ckpt");
    /// let x = tensor(&[6, 1], &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
    /// let y = x.mapv(|v| 2.0 * v + 1.0);
    /// let net = || Sequential::new().with(Dense::from_weights(tensor(&[1, 1], &[0.0]), tensor(&[1], &[0.0])));
    /// let config = || Fit::new(4, 2).seed(3);
    /// let mut whole = net();
    /// let h = fit(&mut whole, &mut MeanSquaredError::new(), &mut Adam::new(0.1), &x, &y, config()).unwrap();
    /// // The same run, interrupted after epoch 2 ...
    /// let mut first = net();
    /// let stop = config().checkpoint(&path).on_epoch(|e, _| if e.epoch == 2 { Control::Stop } else { Control::Continue });
    /// fit(&mut first, &mut MeanSquaredError::new(), &mut Adam::new(0.1), &x, &y, stop).unwrap();
    /// // ... and resumed in a fresh network and optimizer: the same weights, the same history.
    /// let mut resumed = net();
    /// let h2 = fit(&mut resumed, &mut MeanSquaredError::new(), &mut Adam::new(0.1), &x, &y, config().resume_from(&path)).unwrap();
    /// assert_eq!(resumed.params()[0].value, whole.params()[0].value);
    /// let without_time = |h: &scratchnet::train::History| h.epochs.iter().map(|e| (e.epoch, e.steps, e.train_loss)).collect::<Vec<_>>();
    /// assert_eq!(without_time(&h2), without_time(&h));
    /// ```
    pub fn resume_from(mut self, path: impl Into<PathBuf>) -> Self {
        self.resume_from = Some(path.into());
        self
    }

    /// What a checkpoint records of this run, on `examples` examples, with
    /// the optimizer starting at `base_lr`.
    fn settings(&self, examples: usize, base_lr: f64) -> Settings {
        Settings {
            epochs: self.epochs,
            batch_size: self.batch_size,
            seed: self.seed,
            examples,
            schedule: self.schedule,
            penalty: self.penalty,
            base_lr,
        }
    }
}

/// Trains `model` on `(x, y)`: `config.epochs` passes over the data in
/// mini-batches, shuffled before every epoch; returns the [`History`].
///
/// Rows are examples: `x` is `[n, ...]` and `y` is `[n, ...]`. The last
/// mini-batch of an epoch may be smaller. With a batch size of at least `n`
/// every step sees the whole set in its original order: full-batch gradient
/// descent, and one epoch is one step.
///
/// With [`Fit::checkpoint`] it saves the run after every epoch; with
/// [`Fit::resume_from`] it first restores a saved run and trains the epochs left.
///
/// **Panics** if `x` and `y` have different numbers of rows.
///
/// # Errors
/// [`FitError::Diverged`] when the loss or a weight stops being finite (the
/// model keeps the weights of that moment); [`FitError::Checkpoint`] when a
/// checkpoint cannot be saved (the previous one stays intact) or cannot be
/// resumed from (the model and the optimizer are then unchanged).
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
/// let history = fit(&mut net, &mut MeanSquaredError::new(), &mut Sgd::new(0.5), &x, &y, Fit::new(3000, 4)).unwrap();
/// assert!(history.epochs[2999].train_loss < history.epochs[0].train_loss);
/// let p = net.predict(&x);
/// assert!(p[[0, 0]] < 0.2 && p[[1, 0]] > 0.8 && p[[2, 0]] > 0.8 && p[[3, 0]] < 0.2);
/// ```
// ANCHOR: fit
pub fn fit<F: Float>(
    model: &mut dyn Layer<F>,
    loss: &mut dyn Loss<F>,
    optimizer: &mut dyn Optimizer<F>,
    x: &Tensor<F>,
    y: &Tensor<F>,
    mut config: Fit<'_, F>,
) -> Result<History, FitError> {
    let n = x.len_of(Axis(0));
    assert_eq!(
        n,
        y.len_of(Axis(0)),
        "fit: x has {n} rows but y has {}",
        y.len_of(Axis(0))
    );
    keep_freed_memory(); // large tensors reuse freed memory, step after step (a speed-up)
    let mut rng = seeded_rng(config.seed);
    let mut order: Vec<usize> = (0..n).collect(); // example indices, shuffled every epoch
    let steps_per_epoch = n.div_ceil(config.batch_size).max(1);
    let total_steps = config.epochs * steps_per_epoch;
    let base_lr = optimizer.learning_rate();
    let settings = config.settings(n, base_lr); // what a checkpoint records
    let mut history = match &config.resume_from {
        Some(path) => load_checkpoint(path, model, optimizer, &settings)?, // the epochs done
        None => History::default(),
    };
    let mut steps = history.epochs.last().map_or(0, |e| e.steps);
    let shuffled = config.batch_size < n;
    for _ in 0..history.epochs.len() {
        if shuffled {
            order.shuffle(&mut rng); // replayed: the order and the generator are as they were
        }
    }
    for epoch in history.epochs.len() + 1..=config.epochs {
        let start = Stopwatch::start();
        let bar = progress_bar(&config, epoch, steps_per_epoch);
        let (mut train_loss, mut correct) = (0.0, 0.0);
        if shuffled {
            order.shuffle(&mut rng);
        }
        for batch in order.chunks(config.batch_size) {
            let lr = base_lr * config.schedule.factor(steps, steps_per_epoch, total_steps);
            optimizer.set_learning_rate(lr);
            // A mini-batch copies its rows; the full batch is the set itself, in order.
            let (xb, yb) = if batch.len() == n {
                (Cow::Borrowed(x), Cow::Borrowed(y))
            } else {
                (Cow::Owned(rows(x, batch)), Cow::Owned(rows(y, batch)))
            };
            let (l, prediction) = train_step(model, loss, config.penalty, optimizer, &xb, &yb);
            steps += 1;
            if !l.as_f64().is_finite() {
                // Stop at once: every later step would compute NaN from NaN.
                let place = (epoch, steps, steps - (epoch - 1) * steps_per_epoch);
                let d = Diverged::diagnose(model, place, l.as_f64(), lr, &xb);
                let train_losses = history.train_losses();
                return Err(Diverged { train_losses, ..d }.into());
            }
            if config.accuracy {
                correct += accuracy(&prediction, &yb) * batch.len() as f64;
            }
            train_loss += l.as_f64() * (batch.len() as f64 / n as f64);
            if let Some(bar) = &bar {
                bar.inc(1);
                bar.set_message(format!("loss {:.4}", l.as_f64()));
            }
        }
        if any_non_finite(model) {
            let lr = optimizer.learning_rate();
            let d = Diverged::diagnose(model, (epoch, steps, 0), train_loss, lr, x);
            let train_losses = history.train_losses();
            return Err(Diverged { train_losses, ..d }.into());
        }
        let (mut val_loss, mut val_accuracy) = (None, None);
        if let Some((xv, yv)) = config.validation {
            let prediction = predict(model, xv, config.batch_size.max(1000)); // evaluation mode
            val_loss = Some(loss.forward(&prediction, yv).as_f64());
            if config.accuracy {
                val_accuracy = Some(accuracy(&prediction, yv));
            }
        }
        let record = Epoch {
            epoch,
            steps,
            lr: optimizer.learning_rate(),
            train_loss,
            train_accuracy: config.accuracy.then_some(correct / n as f64),
            val_loss,
            val_accuracy,
            seconds: start.seconds(),
        };
        if let Some(bar) = bar {
            bar.finish_with_message(summary(&record));
        }
        let control = match config.on_epoch.as_mut() {
            Some(f) => f(&record, model),
            None => Control::Continue,
        };
        history.epochs.push(record);
        if let Some(path) = &config.checkpoint {
            save_checkpoint(path, model, optimizer, &settings, &history)?; // atomically
        }
        if control == Control::Stop {
            break;
        }
    }
    Ok(history)
}
// ANCHOR_END: fit

/// The rows `indices` of `t`, in that order: what `t.select(Axis(0), indices)`
/// gives, copied row by row as plain slices, which is several times faster.
fn rows<F: Float>(t: &Tensor<F>, indices: &[usize]) -> Tensor<F> {
    let t = t.as_standard_layout(); // a copy only if t is not row-major
    let row = t.len() / t.len_of(Axis(0)).max(1); // numbers per row
    let all = t.as_slice().expect("standard layout");
    let mut picked = Vec::with_capacity(indices.len() * row);
    for &i in indices {
        picked.extend_from_slice(&all[i * row..(i + 1) * row]);
    }
    let mut shape = t.shape().to_vec();
    shape[0] = indices.len();
    Tensor::from_shape_vec(shape, picked).expect("sized to fit")
}

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
    loss.forward(&predict(model, x, batch_size), y).as_f64()
}

/// The model's outputs for `x` in evaluation mode, `batch_size` rows at a time.
///
/// **Panics** if `batch_size` is 0.
///
/// ```
/// use scratchnet::{prelude::*, train::predict};
/// let mut net = Sequential::new().with(Dense::from_weights(tensor(&[1, 1], &[2.0]), tensor(&[1], &[1.0])));
/// let y = predict(&mut net, &tensor(&[3, 1], &[0.0, 1.0, 2.0]), 2);
/// assert_eq!(y, tensor(&[3, 1], &[1.0, 3.0, 5.0]));
/// ```
pub fn predict<F: Float>(model: &mut dyn Layer<F>, x: &Tensor<F>, batch_size: usize) -> Tensor<F> {
    assert!(batch_size > 0, "predict: the batch size must be at least 1");
    let n = x.len_of(Axis(0));
    if batch_size >= n {
        return model.forward(x, Mode::Eval);
    }
    let parts: Vec<Tensor<F>> = (0..n)
        .step_by(batch_size.max(1))
        .map(|start| {
            let rows = Slice::from(start..(start + batch_size).min(n));
            model.forward(&x.slice_axis(Axis(0), rows).to_owned(), Mode::Eval)
        })
        .collect();
    let views: Vec<_> = parts.iter().map(|p| p.view()).collect();
    ndarray::concatenate(Axis(0), &views).expect("every part has the same trailing shape")
}

/// Wall-clock time of an epoch. WebAssembly in a browser (`wasm32-unknown-unknown`,
/// the book's demos) has no clock that `std` can read, and `Instant::now` would
/// panic there: an epoch records 0 seconds.
struct Stopwatch {
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    start: std::time::Instant,
}

impl Stopwatch {
    fn start() -> Self {
        Stopwatch {
            #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
            start: std::time::Instant::now(),
        }
    }

    fn seconds(&self) -> f64 {
        #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
        return self.start.elapsed().as_secs_f64();
        #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
        0.0
    }
}

/// Without the `progress` feature (the WebAssembly demos) there is no bar to draw.
#[cfg(not(feature = "progress"))]
struct ProgressBar;

#[cfg(not(feature = "progress"))]
impl ProgressBar {
    fn inc(&self, _: u64) {}
    fn set_message(&self, _: String) {}
    fn finish_with_message(&self, _: String) {}
}

/// Without the `progress` feature, `Fit::progress` draws nothing.
#[cfg(not(feature = "progress"))]
fn progress_bar<F: Float>(_: &Fit<'_, F>, _: usize, _: usize) -> Option<ProgressBar> {
    None
}

/// A progress bar for one epoch, if `config` asks for one.
#[cfg(feature = "progress")]
fn progress_bar<F: Float>(config: &Fit<'_, F>, epoch: usize, steps: usize) -> Option<ProgressBar> {
    if !config.progress {
        return None;
    }
    let bar = ProgressBar::new(steps as u64);
    let style = ProgressStyle::with_template(&format!(
        "Epoch {epoch}/{}  {{wide_bar}} {{pos}}/{{len}}  {{elapsed}}<{{eta}}  {{msg}}",
        config.epochs
    ))
    .expect("a valid template");
    bar.set_style(style);
    Some(bar)
}

/// One line for the end of an epoch: `loss 0.1234  accuracy 0.9612  val_loss ...`.
fn summary(e: &Epoch) -> String {
    let mut s = format!("loss {:.4}", e.train_loss);
    let fields = [
        ("accuracy", e.train_accuracy),
        ("val_loss", e.val_loss),
        ("val_accuracy", e.val_accuracy),
    ];
    for (name, value) in fields {
        if let Some(v) = value {
            s += &format!("  {name} {v:.4}");
        }
    }
    s
}
