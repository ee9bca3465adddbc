//! Early stopping: end training when the validation loss stops improving, and
//! keep the weights of the best epoch.
//!
//! A network trained for too long fits its training set ever better while its
//! loss on held-out data turns back up (Chapter 2's overfitting). The
//! validation curve says when: stop `patience` epochs after its lowest point,
//! then go back to the weights of that point. [`EarlyStopping`] does both, as
//! the `on_epoch` callback of [`crate::train::fit`], like Keras'
//! `EarlyStopping(patience=..., restore_best_weights=True)`.

use crate::layer::Layer;
use crate::tensor::{Float, Tensor};
use crate::train::{Control, Epoch};

/// Stops [`crate::train::fit`] when the validation loss has not improved for
/// `patience` epochs in a row, remembering the best epoch and its weights.
///
/// An epoch *improves* when its validation loss is below the best so far by
/// more than `min_delta` (0 unless set); a NaN loss never improves.
///
/// ```
/// use scratchnet::{prelude::*, early_stopping::EarlyStopping, train::Epoch};
/// let mut net = Sequential::new().with(Dense::from_weights(tensor(&[1, 1], &[1.0]), tensor(&[1], &[0.0])));
/// let mut stopper = EarlyStopping::new(2);
/// let losses = [0.9, 0.5, 0.6, 0.55, 0.4];
/// let mut stopped_at = None;
/// for (i, &l) in losses.iter().enumerate() {
///     let epoch = Epoch { epoch: i + 1, val_loss: Some(l), ..Epoch::default() };
///     if stopper.update(&epoch, &net) == Control::Stop { stopped_at = Some(i + 1); break; }
/// }
/// assert_eq!(stopped_at, Some(4)); // epochs 3 and 4 did not beat epoch 2's 0.5
/// assert_eq!(stopper.best(), Some((2, 0.5)));
/// ```
#[derive(Clone, Debug)]
pub struct EarlyStopping<F: Float = f64> {
    patience: usize,
    min_delta: f64,
    best: Option<(usize, f64)>,
    best_weights: Vec<Tensor<F>>,
    last_epoch: usize,
}

impl<F: Float> EarlyStopping<F> {
    /// A stopper that ends training after `patience` epochs without improvement.
    ///
    /// **Panics** if `patience` is 0.
    ///
    /// ```
    /// let stopper = scratchnet::early_stopping::EarlyStopping::<f32>::new(3);
    /// assert_eq!(stopper.best(), None);
    /// ```
    pub fn new(patience: usize) -> Self {
        assert!(
            patience > 0,
            "EarlyStopping: the patience must be at least 1"
        );
        EarlyStopping {
            patience,
            min_delta: 0.0,
            best: None,
            best_weights: Vec::new(),
            last_epoch: 0,
        }
    }

    /// Counts an epoch as improving only if it lowers the best loss by more
    /// than `min_delta` (Keras' `min_delta`).
    ///
    /// **Panics** if `min_delta` is negative or NaN.
    ///
    /// ```
    /// use scratchnet::{prelude::*, early_stopping::EarlyStopping, train::Epoch};
    /// let net: Sequential = Sequential::new();
    /// let mut stopper = EarlyStopping::new(1).min_delta(0.01);
    /// let epoch = |epoch, l| Epoch { epoch, val_loss: Some(l), ..Epoch::default() };
    /// assert_eq!(stopper.update(&epoch(1, 0.500), &net), Control::Continue);
    /// assert_eq!(stopper.update(&epoch(2, 0.495), &net), Control::Stop); // too small a gain
    /// ```
    pub fn min_delta(mut self, min_delta: f64) -> Self {
        assert!(
            min_delta >= 0.0,
            "EarlyStopping: min_delta must be 0 or more, not {min_delta}"
        );
        self.min_delta = min_delta;
        self
    }

    /// Records an epoch of `fit` and says whether to go on; on an improvement,
    /// copies `model`'s parameters (and buffers) as the best weights.
    ///
    /// **Panics** if the epoch has no validation loss (give `fit` a
    /// validation set with [`crate::train::Fit::validation`]).
    ///
    /// ```
    /// use scratchnet::{prelude::*, early_stopping::EarlyStopping};
    /// // Noisy targets and a network too big for 12 examples: the held-out loss turns up.
    /// let mut rng = seeded_rng(3);
    /// let mut net = Sequential::new()
    ///     .with(Dense::new(1, 64, Init::HeNormal, &mut rng)).with(ReLU::new())
    ///     .with(Dense::new(64, 1, Init::XavierNormal, &mut rng));
    /// let x = Tensor::from_shape_fn(vec![12, 1], |d| d[0] as f64 / 6.0 - 1.0);
    /// let y = x.mapv(|v| v + if (v * 6.0).round() as i64 % 2 == 0 { 0.3 } else { -0.3 });
    /// let xv = Tensor::from_shape_fn(vec![6, 1], |d| d[0] as f64 / 3.0 - 0.9);
    /// let yv = xv.clone(); // the clean line
    /// let mut stopper = EarlyStopping::new(20);
    /// let history = fit(&mut net, &mut MeanSquaredError::new(), &mut Adam::new(0.01), &x, &y,
    ///     Fit::new(2000, 12).validation(&xv, &yv).on_epoch(|e, m| stopper.update(e, m)))
    ///     .unwrap();
    /// let (best, best_loss) = stopper.best().unwrap();
    /// assert!(history.epochs.len() < 2000); // it stopped early ...
    /// assert_eq!(history.epochs.len(), best + 20); // ... 20 epochs after the best one
    /// stopper.restore_best(&mut net);
    /// let restored = scratchnet::train::evaluate(&mut net, &mut MeanSquaredError::new(), &xv, &yv, 6);
    /// assert!((restored - best_loss).abs() < 1e-12); // the best epoch's weights are back
    /// ```
    pub fn update(&mut self, epoch: &Epoch, model: &dyn Layer<F>) -> Control {
        // ANCHOR: update
        let loss = epoch
            .val_loss
            .expect("EarlyStopping: no validation loss (give fit a validation set)");
        let improves = match self.best {
            None => !loss.is_nan(),
            Some((_, best)) => loss < best - self.min_delta, // false for NaN
        };
        if improves {
            self.best = Some((epoch.epoch, loss));
            let params = model.params();
            self.best_weights = params.iter().map(|p| p.value.clone()).collect();
        }
        self.last_epoch = epoch.epoch;
        let best_epoch = self.best.map_or(0, |(best, _)| best);
        if self.last_epoch - best_epoch >= self.patience {
            Control::Stop
        } else {
            Control::Continue
        }
        // ANCHOR_END: update
    }

    /// The best epoch so far (counted from 1) and its validation loss.
    ///
    /// ```
    /// let stopper = scratchnet::early_stopping::EarlyStopping::<f64>::new(5);
    /// assert_eq!(stopper.best(), None); // no epoch seen yet
    /// ```
    pub fn best(&self) -> Option<(usize, f64)> {
        self.best
    }

    /// Puts the best epoch's weights back into `model` (the model `update` saw).
    ///
    /// **Panics** if no epoch improved yet, or if `model`'s parameters are not
    /// those `update` copied (another count or shape).
    ///
    /// ```
    /// use scratchnet::{prelude::*, early_stopping::EarlyStopping, train::Epoch};
    /// let mut net = Sequential::new().with(Dense::from_weights(tensor(&[1, 1], &[1.0]), tensor(&[1], &[0.0])));
    /// let mut stopper = EarlyStopping::new(3);
    /// stopper.update(&Epoch { epoch: 1, val_loss: Some(0.1), ..Epoch::default() }, &net);
    /// net.params_mut()[0].value.fill(7.0); // later epochs move the weights ...
    /// stopper.restore_best(&mut net);
    /// assert_eq!(net.params()[0].value[[0, 0]], 1.0); // ... and the best ones come back
    /// ```
    pub fn restore_best(&self, model: &mut dyn Layer<F>) {
        assert!(
            self.best.is_some(),
            "EarlyStopping::restore_best: no epoch has improved yet"
        );
        let mut params = model.params_mut();
        assert_eq!(
            params.len(),
            self.best_weights.len(),
            "EarlyStopping::restore_best: the model has {} parameters, the saved weights {}",
            params.len(),
            self.best_weights.len()
        );
        for (p, best) in params.iter_mut().zip(&self.best_weights) {
            assert_eq!(
                p.value.shape(),
                best.shape(),
                "EarlyStopping::restore_best: {} has shape {:?}, the saved weights {:?}",
                p.name,
                p.value.shape(),
                best.shape()
            );
            p.value.assign(best);
        }
    }
}
