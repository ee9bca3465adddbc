//! What [`fit`](crate::train::fit) reports when training blows up: the loss
//! or a parameter stopped being a finite number.
//!
//! Once a weight is NaN or ∞, every later step computes NaN from it, and a
//! loop that does not check prints NaN for the rest of the run. `fit` checks
//! the loss after every step and every parameter after every epoch (a NaN
//! can hide behind a ReLU, whose `max(x, 0)` turns it into 0, so a finite loss
//! alone does not prove the weights finite), and stops with a [`Diverged`]
//! that says when, where and, from the evidence, why.

use crate::layer::{Layer, Param};
use crate::tensor::{Float, Tensor};
use std::fmt;

/// Where training diverged, the state of every parameter at that moment, and
/// the losses of the epochs completed before it.
///
/// ```
/// use scratchnet::{prelude::*, train::Fit};
/// // Mean squared error on targets of 10⁶ with plain SGD at 0.1: every step
/// // overshoots, |w| grows a thousandfold per step, and the loss overflows.
/// let mut net = Sequential::new().with(Dense::from_weights(tensor(&[1, 1], &[0.0]), tensor(&[1], &[0.0])));
/// let (x, y) = (tensor(&[2, 1], &[1e3, -1e3]), tensor(&[2, 1], &[1e6, -1e6]));
/// let result = fit(&mut net, &mut MeanSquaredError::new(), &mut Sgd::new(0.1), &x, &y, Fit::new(100, 2));
/// let Err(FitError::Diverged(err)) = result else { panic!("it should diverge") };
/// assert_eq!((err.epoch, err.train_losses.len()), (err.step, err.step - 1)); // one step per epoch
/// assert!(err.train_losses[3] > 1e6 * err.train_losses[2]); // growing fast before it failed
/// assert!(!err.loss.is_finite());
/// let text = err.to_string();
/// assert!(text.contains("is 0.1 too large?") && text.contains("largest |x| in the batch is 1000"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Diverged {
    /// The epoch in which it happened, from 1.
    pub epoch: usize,
    /// Optimizer steps taken since the start, the failing one included.
    pub step: usize,
    /// The failing step's number within its epoch, from 1 (0: found by the
    /// check of the parameters at the end of the epoch).
    pub step_in_epoch: usize,
    /// The loss that was not finite (or the epoch's mean loss, when only a
    /// parameter was).
    pub loss: f64,
    /// The learning rate of the failing step (of the epoch's last step, for the
    /// end-of-epoch check).
    pub lr: f64,
    /// The largest |x| of the failing step's input batch (of the whole
    /// training set, for the end-of-epoch check).
    pub input_max_abs: f64,
    /// Every parameter, in the network's order.
    pub params: Vec<ParamHealth>,
    /// The mean training loss of every epoch completed before it happened.
    pub train_losses: Vec<f64>,
}

/// One parameter's state when training diverged.
///
/// ```
/// use scratchnet::{diverged::ParamHealth, layer::ParamKind, prelude::*};
/// let h = ParamHealth::of(&Param::new("b", ParamKind::Bias, tensor(&[2], &[f64::INFINITY, 1.0])));
/// assert_eq!((h.name.as_str(), h.shape.as_slice(), h.non_finite_values), ("b", &[2][..], 1));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ParamHealth {
    /// The parameter's name, e.g. `"0.dense.W"`.
    pub name: String,
    /// Its shape.
    pub shape: Vec<usize>,
    /// How many of its values are NaN or ±∞.
    pub non_finite_values: usize,
    /// How many entries of its latest gradient are NaN or ±∞.
    pub non_finite_grads: usize,
    /// The largest |value| among its finite values (0 if none).
    pub max_abs: f64,
}

impl ParamHealth {
    /// Counts what is not finite in `p`.
    ///
    /// ```
    /// use scratchnet::{diverged::ParamHealth, layer::ParamKind, prelude::*};
    /// let p = Param::new("w", ParamKind::Weight, tensor(&[3], &[1.0, f64::NAN, -7.0]));
    /// let h = ParamHealth::of(&p);
    /// assert_eq!((h.non_finite_values, h.non_finite_grads, h.max_abs), (1, 0, 7.0));
    /// ```
    pub fn of<F: Float>(p: &Param<F>) -> Self {
        let non_finite = |t: &Tensor<F>| t.iter().filter(|v| !v.as_f64().is_finite()).count();
        ParamHealth {
            name: p.name.clone(),
            shape: p.value.shape().to_vec(),
            non_finite_values: non_finite(&p.value),
            non_finite_grads: non_finite(&p.grad),
            max_abs: max_abs(&p.value),
        }
    }

    /// Whether its values or its gradient hold a NaN or ±∞.
    ///
    /// ```
    /// use scratchnet::{diverged::ParamHealth, layer::ParamKind, prelude::*};
    /// let mut p = Param::new("w", ParamKind::Weight, tensor(&[1], &[1.0]));
    /// assert!(!ParamHealth::of(&p).is_broken());
    /// p.grad[[0]] = f64::NAN; // a gradient is enough
    /// assert!(ParamHealth::of(&p).is_broken());
    /// ```
    pub fn is_broken(&self) -> bool {
        self.non_finite_values + self.non_finite_grads > 0
    }
}

/// The largest finite |v| of `t` (0 for an empty or all-non-finite tensor).
fn max_abs<F: Float>(t: &Tensor<F>) -> f64 {
    t.iter()
        .map(|v| v.as_f64().abs())
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
}

/// Whether any parameter of `model` holds a value that is not finite.
pub(crate) fn any_non_finite<F: Float>(model: &dyn Layer<F>) -> bool {
    model
        .params()
        .iter()
        .any(|p| p.value.iter().any(|v| !v.as_f64().is_finite()))
}

impl Diverged {
    /// Examines `model` after the failing step. The caller fills `train_losses`.
    pub(crate) fn diagnose<F: Float>(
        model: &dyn Layer<F>,
        (epoch, step, step_in_epoch): (usize, usize, usize),
        loss: f64,
        lr: f64,
        input: &Tensor<F>,
    ) -> Self {
        Diverged {
            epoch,
            step,
            step_in_epoch,
            loss,
            lr,
            input_max_abs: max_abs(input),
            params: model.params().into_iter().map(ParamHealth::of).collect(),
            train_losses: Vec::new(),
        }
    }

    /// The first parameter, in the network's order, whose values (or else
    /// whose gradient) are not all finite; `None` if every one is finite.
    ///
    /// ```
    /// use scratchnet::diverged::{Diverged, ParamHealth};
    /// let health = |name: &str, values, grads| ParamHealth {
    ///     name: name.into(), shape: vec![4], non_finite_values: values, non_finite_grads: grads, max_abs: 1.0 };
    /// let d = Diverged { epoch: 1, step: 1, step_in_epoch: 1, loss: f64::NAN, lr: 0.1, input_max_abs: 1.0,
    ///     params: vec![health("0.W", 0, 2), health("2.W", 1, 0)], train_losses: vec![] };
    /// assert_eq!(d.first_broken().unwrap().name, "2.W"); // a broken value outranks a broken gradient
    /// ```
    pub fn first_broken(&self) -> Option<&ParamHealth> {
        let values = self.params.iter().find(|p| p.non_finite_values > 0);
        values.or_else(|| self.params.iter().find(|p| p.is_broken()))
    }

    /// The likely causes, most likely first, each with what to try.
    ///
    /// ```
    /// use scratchnet::diverged::Diverged;
    /// let d = Diverged { epoch: 1, step: 3, step_in_epoch: 3, loss: f64::NAN, lr: 0.5,
    ///     input_max_abs: 255.0, params: vec![], train_losses: vec![] };
    /// let causes = d.likely_causes();
    /// assert!(causes[0].starts_with("unscaled inputs")); // the evidence points there first
    /// assert!(causes[1].starts_with("a learning rate too large"));
    /// ```
    pub fn likely_causes(&self) -> Vec<String> {
        let mut causes = Vec::new();
        let lr = format!(
            "a learning rate too large: is {} too large? Try a tenth of it (Chapter 4)",
            self.lr
        );
        if self.input_max_abs > 10.0 {
            causes.push(format!(
                "unscaled inputs: the largest |x| in the batch is {}; scale them (pixels to \
                 [0, 1]) or standardise them (Chapter 5)",
                self.input_max_abs
            ));
        }
        causes.push(lr);
        causes.push(
            "initial weights too large: draw them with He or Glorot initialisation (Chapter 2)"
                .to_string(),
        );
        causes
    }
}

impl fmt::Display for Diverged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "training diverged in epoch {}, ", self.epoch)?;
        if self.step_in_epoch > 0 {
            writeln!(
                f,
                "step {} ({} of the epoch): the loss is {}.",
                self.step, self.step_in_epoch, self.loss
            )?;
        } else {
            writeln!(
                f,
                "found after its last step ({}): the mean loss {} is finite, but a parameter is \
                 not (a ReLU or max pooling can hide a NaN from the loss).",
                self.step, self.loss
            )?;
        }
        match self.first_broken() {
            Some(p) => {
                let total: usize = p.shape.iter().product();
                writeln!(
                    f,
                    "First non-finite parameter: {} {:?}: {} of {total} values and {} of its \
                     gradient's entries are NaN or infinite.",
                    p.name, p.shape, p.non_finite_values, p.non_finite_grads
                )?;
            }
            None => {
                let largest = self
                    .params
                    .iter()
                    .max_by(|a, b| a.max_abs.total_cmp(&b.max_abs));
                write!(f, "Every parameter is still finite")?;
                if let Some(p) = largest {
                    write!(
                        f,
                        "; the largest |value| is {:.3e}, in {}",
                        p.max_abs, p.name
                    )?;
                }
                writeln!(f, ": a number computed from them overflowed.")?;
            }
        }
        writeln!(f, "Likely causes, most likely first:")?;
        for cause in self.likely_causes() {
            writeln!(f, "  - {cause}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diverged {}
