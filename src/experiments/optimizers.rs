//! Small problems to watch optimizers on: two surfaces and a tiny classifier.
//!
//! Chapter 4's figures, its example and its tests all run the optimizers on
//! these, with the same settings ([`LEARNING_RATES`], [`SPIRAL_STEPS`]), so
//! the numbers the chapter quotes and the pictures it shows come from the
//! same code.

use crate::activation::Tanh;
use crate::init::Init;
use crate::layer::{Param, ParamKind};
use crate::layers::Dense;
use crate::loss::{SoftmaxCrossEntropy, one_hot};
use crate::model::Sequential;
use crate::optim::{AdaGrad, Adadelta, Adam, Momentum, Optimizer, RmsProp, Sgd};
use crate::tensor::{Tensor, seeded_rng, tensor};
use crate::train::{Fit, fit};
use rand::Rng;

/// A surface z = f(x, y) with its gradient, for 2-D optimizer trajectories.
///
/// ```
/// use scratchnet::{optim::Sgd, experiments::optimizers::{Surface, descend}};
/// let f = |x: f64, y: f64| x * x + y * y;
/// let round = Surface { f, grad: |x, y| (2.0 * x, 2.0 * y), minimum: (0.0, 0.0) };
/// let path = descend(&mut Sgd::new(0.5), &round, (3.0, -1.0), 1);
/// assert_eq!(path[1], round.minimum); // η = 1/2 jumps straight to the minimum of x² + y²
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Surface {
    /// f(x, y).
    pub f: fn(f64, f64) -> f64,
    /// (∂f/∂x, ∂f/∂y).
    pub grad: fn(f64, f64) -> (f64, f64),
    /// The minimiser.
    pub minimum: (f64, f64),
}

/// f(x, y) = x²/20 + y², the elongated bowl of Saito's *Deep Learning from
/// Scratch* (§6.1): 20 times steeper across (y) than along (x) its valley.
///
/// ```
/// use scratchnet::experiments::optimizers::BOWL;
/// assert_eq!((BOWL.f)(-7.0, 2.0), 49.0 / 20.0 + 4.0);
/// assert_eq!((BOWL.grad)(-7.0, 2.0), (-0.7, 4.0));
/// ```
pub const BOWL: Surface = Surface {
    f: |x, y| x * x / 20.0 + y * y,
    grad: |x, y| (x / 10.0, 2.0 * y),
    minimum: (0.0, 0.0),
};

/// Rosenbrock's function f(x, y) = (1 − x)² + 100(y − x²)²: a curved,
/// flat-bottomed valley with its minimum f = 0 at (1, 1).
///
/// ```
/// use scratchnet::experiments::optimizers::ROSENBROCK;
/// assert_eq!((ROSENBROCK.f)(1.0, 1.0), 0.0);
/// assert_eq!((ROSENBROCK.grad)(1.0, 1.0), (0.0, 0.0));
/// assert_eq!((ROSENBROCK.f)(-1.5, 2.0), 12.5);
/// ```
pub const ROSENBROCK: Surface = Surface {
    f: |x, y| (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2),
    grad: |x, y| {
        (
            -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
            200.0 * (y - x * x),
        )
    },
    minimum: (1.0, 1.0),
};

/// Runs `steps` steps of `opt` on `surface` from `start`; returns every point
/// visited, the start included (`steps + 1` points).
///
/// The point is a [`Param`] of shape `[2]`, so this is exactly the code that
/// trains a network, with a loss that has two parameters.
///
/// ```
/// use scratchnet::{optim::Sgd, experiments::optimizers::{BOWL, descend}};
/// let path = descend(&mut Sgd::new(0.5), &BOWL, (-7.0, 2.0), 2);
/// // y ← y − 0.5·2y = 0 in one step; x ← x − 0.5·x/10 = 0.95x.
/// let want = [(-7.0, 2.0), (-6.65, 0.0), (-6.3175, 0.0)];
/// for (p, w) in path.iter().zip(want) {
///     assert!((p.0 - w.0).abs() < 1e-12 && (p.1 - w.1).abs() < 1e-12);
/// }
/// ```
// ANCHOR: descend
pub fn descend(
    opt: &mut dyn Optimizer,
    surface: &Surface,
    start: (f64, f64),
    steps: usize,
) -> Vec<(f64, f64)> {
    let mut p = Param::new("xy", ParamKind::Weight, tensor(&[2], &[start.0, start.1]));
    let mut path = vec![start];
    for _ in 0..steps {
        let (x, y) = (p.value[[0]], p.value[[1]]);
        let (gx, gy) = (surface.grad)(x, y);
        p.grad = tensor(&[2], &[gx, gy]);
        opt.step(&mut [&mut p]);
        path.push((p.value[[0]], p.value[[1]]));
    }
    path
}
// ANCHOR_END: descend

/// The three learning rates of plain gradient descent on [`BOWL`] that
/// Chapter 4 compares (too small, good, too large), in its learning-rate
/// figure and its tests.
///
/// ```
/// use scratchnet::experiments::optimizers::LEARNING_RATES;
/// use scratchnet::{optim::Sgd, experiments::optimizers::{BOWL, descend}};
/// // On the bowl, y ← (1 − 2η)·y: gradient descent diverges once η > 1.
/// let [small, good, large] = LEARNING_RATES;
/// assert!(small < good && good < 1.0 && large > 1.0);
/// let f_end = |lr| {
///     let (x, y) = descend(&mut Sgd::new(lr), &BOWL, (-7.0, 2.0), 20)[20];
///     (BOWL.f)(x, y)
/// };
/// assert!(f_end(good) < f_end(small) && f_end(large) > (BOWL.f)(-7.0, 2.0));
/// ```
pub const LEARNING_RATES: [f64; 3] = [0.1, 0.9, 1.02];

/// Interleaved spirals: `per_class` points of each of `classes` arms in the
/// plane, with a little noise (the CS231n toy problem). Returns the inputs
/// `[per_class · classes, 2]` and the labels.
///
/// ```
/// let (x, labels) = scratchnet::experiments::optimizers::spirals(50, 3, 0);
/// assert_eq!(x.shape(), &[150, 2]);
/// assert_eq!(labels.iter().filter(|&&k| k == 2).count(), 50);
/// assert!(x.iter().all(|v| v.abs() <= 1.2));
/// ```
pub fn spirals(per_class: usize, classes: usize, seed: u64) -> (Tensor, Vec<usize>) {
    let mut rng = seeded_rng(seed);
    let n = per_class * classes;
    let mut x = Tensor::zeros(vec![n, 2]); // [n, 2]
    let mut labels = Vec::with_capacity(n);
    for k in 0..classes {
        for i in 0..per_class {
            let r = i as f64 / per_class as f64;
            let angle = 4.0 * (k as f64 + r) + 0.2 * rng.random_range(-1.0..1.0);
            let row = k * per_class + i;
            x[[row, 0]] = r * angle.sin();
            x[[row, 1]] = r * angle.cos();
            labels.push(k);
        }
    }
    (x, labels)
}

/// The small network of Chapter 4's comparison: 2 → 32 → tanh → `classes`
/// logits, with weights drawn from the fixed seed 4 (every optimizer starts
/// from the same point).
///
/// ```
/// use scratchnet::{Layer, experiments::optimizers::spiral_net};
/// let net = spiral_net(3);
/// assert_eq!(net.summary(), ["Dense(2 → 32)", "Tanh", "Dense(32 → 3)"]);
/// assert_eq!(net.params()[0].value, spiral_net(3).params()[0].value); // same start every time
/// ```
pub fn spiral_net(classes: usize) -> Sequential {
    let mut rng = seeded_rng(4);
    Sequential::new()
        .with(Dense::new(2, 32, Init::XavierNormal, &mut rng))
        .with(Tanh::new())
        .with(Dense::new(32, classes, Init::XavierNormal, &mut rng))
}

/// Trains [`spiral_net`] on 3 spirals of 60 points with `opt`, full batch,
/// for `steps` steps; returns the loss before every step.
///
/// ```
/// use scratchnet::{optim::Adam, experiments::optimizers::train_spirals};
/// let losses = train_spirals(&mut Adam::new(0.01), 50);
/// assert_eq!(losses.len(), 50);
/// assert!(losses[49] < losses[0]);
/// ```
// ANCHOR: train_spirals
pub fn train_spirals(opt: &mut dyn Optimizer, steps: usize) -> Vec<f64> {
    let (x, labels) = spirals(60, 3, 0); // [180, 2]
    let y = one_hot(&labels, 3); // [180, 3]
    let mut net = spiral_net(3);
    // Full batch (all 180 points): one epoch is one step.
    let history = fit(
        &mut net,
        &mut SoftmaxCrossEntropy::new(),
        opt,
        &x,
        &y,
        Fit::new(steps, 180),
    )
    .expect("the spirals train stably with the chapter's rates");
    history.train_losses()
}
// ANCHOR_END: train_spirals

/// Steps of the spirals comparison: Chapter 4's loss-curve figure, its
/// example and its tests all train this long.
pub const SPIRAL_STEPS: usize = 300;

/// The first step at which `values[step] < threshold`, if any.
///
/// ```
/// use scratchnet::experiments::optimizers::first_below;
/// assert_eq!(first_below(&[3.0, 2.0, 0.5, 0.1], 1.0), Some(2));
/// assert_eq!(first_below(&[3.0, 2.0], 1.0), None);
/// ```
pub fn first_below(values: &[f64], threshold: f64) -> Option<usize> {
    values.iter().position(|&v| v < threshold)
}

/// A named optimizer with its settings, for the comparisons of Chapter 4.
///
/// ```
/// use scratchnet::{optim::Sgd, experiments::optimizers::{BOWL, Contender, descend}};
/// let (name, mut opt): Contender = ("SGD η=0.5", Box::new(Sgd::new(0.5)));
/// let path = descend(opt.as_mut(), &BOWL, (1.0, 1.0), 1);
/// assert_eq!((name, path[1].1), ("SGD η=0.5", 0.0)); // y ← y − 0.5·2y
/// ```
pub type Contender = (&'static str, Box<dyn Optimizer>);

/// The optimizers of the bowl figure, with Saito's learning rates where he
/// gives one (SGD 0.95, momentum 0.1, AdaGrad 1.5, Adam 0.3).
///
/// ```
/// use scratchnet::experiments::optimizers::*;
/// let lineup = bowl_lineup();
/// assert_eq!(lineup.len(), 7);
/// for (name, mut opt) in lineup {
///     let end = *descend(opt.as_mut(), &BOWL, (-7.0, 2.0), 30).last().unwrap();
///     assert!((BOWL.f)(end.0, end.1) < (BOWL.f)(-7.0, 2.0), "{name}"); // all go downhill
/// }
/// ```
pub fn bowl_lineup() -> Vec<Contender> {
    vec![
        ("SGD η=0.95", Box::new(Sgd::new(0.95))),
        ("Momentum η=0.1", Box::new(Momentum::new(0.1, 0.9))),
        ("Nesterov η=0.1", Box::new(Momentum::nesterov(0.1, 0.9))),
        ("AdaGrad η=1.5", Box::new(AdaGrad::new(1.5))),
        ("RMSProp η=0.3", Box::new(RmsProp::new(0.3))),
        ("Adam η=0.3", Box::new(Adam::new(0.3))),
        ("Adadelta", Box::new(Adadelta::default())),
    ]
}

/// The optimizers of the Rosenbrock figure.
///
/// ```
/// use scratchnet::experiments::optimizers::*;
/// for (name, mut opt) in rosenbrock_lineup() {
///     let end = *descend(opt.as_mut(), &ROSENBROCK, (-1.5, 2.0), 3000).last().unwrap();
///     assert!((ROSENBROCK.f)(end.0, end.1) < (ROSENBROCK.f)(-1.5, 2.0), "{name}");
/// }
/// ```
pub fn rosenbrock_lineup() -> Vec<Contender> {
    vec![
        ("SGD η=0.001", Box::new(Sgd::new(0.001))),
        ("Momentum η=0.001", Box::new(Momentum::new(0.001, 0.9))),
        ("Nesterov η=0.001", Box::new(Momentum::nesterov(0.001, 0.9))),
        ("AdaGrad η=0.5", Box::new(AdaGrad::new(0.5))),
        ("RMSProp η=0.01", Box::new(RmsProp::new(0.01))),
        ("Adam η=0.05", Box::new(Adam::new(0.05))),
        ("Adadelta", Box::new(Adadelta::default())),
    ]
}

/// The optimizers of the spirals comparison, each with a learning rate
/// picked by hand from 0.003, 0.01, 0.03, …, 3 for a low loss after 300
/// steps; Adadelta with Zeiler's η = 1 and, last, with the 0.001 of tf.keras.
///
/// ```
/// use scratchnet::experiments::optimizers::*;
/// let lineup = spiral_lineup();
/// assert_eq!(lineup.len(), 8);
/// let (name, mut keras) = lineup.into_iter().last().unwrap();
/// assert_eq!(name, "Adadelta η=0.001 (tf.keras's η)");
/// let losses = train_spirals(keras.as_mut(), 20);
/// assert!((losses[0] - losses[19]).abs() < 1e-3); // 1000 times shorter steps: barely moves
/// ```
pub fn spiral_lineup() -> Vec<Contender> {
    vec![
        ("SGD η=1", Box::new(Sgd::new(1.0))),
        ("Momentum η=0.3", Box::new(Momentum::new(0.3, 0.9))),
        ("Nesterov η=0.3", Box::new(Momentum::nesterov(0.3, 0.9))),
        ("AdaGrad η=0.3", Box::new(AdaGrad::new(0.3))),
        ("RMSProp η=0.03", Box::new(RmsProp::new(0.03))),
        ("Adam η=0.03", Box::new(Adam::new(0.03))),
        ("Adadelta", Box::new(Adadelta::default())),
        (
            "Adadelta η=0.001 (tf.keras's η)",
            Box::new(Adadelta::with_lr(0.001)),
        ),
    ]
}
