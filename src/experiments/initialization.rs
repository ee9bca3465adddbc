//! Saito's initialisation experiment: how each layer's activations are
//! distributed in a deep net at initialisation, for several weight scales.
//!
//! 1000 random inputs of 100 features go through 5 dense layers of 100
//! units each, every one followed by the same activation. Nothing is
//! trained: we only look at the forward signal the first step would see.

use crate::activation::{ReLU, Sigmoid, Tanh};
use crate::init::Init;
use crate::layer::{Layer, Mode};
use crate::layers::Dense;
use crate::tensor::{Tensor, seeded_rng};
use rand_distr::{Distribution, StandardNormal};

/// The activation used after every dense layer of the experiment.
///
/// ```
/// use scratchnet::{experiments::initialization::Activation, tensor};
/// let z = tensor(&[1, 1], &[0.0]);
/// assert_eq!(Activation::Sigmoid.apply(&z)[[0, 0]], 0.5);
/// assert_eq!(Activation::Tanh.apply(&z)[[0, 0]], 0.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// The logistic sigmoid.
    Sigmoid,
    /// The hyperbolic tangent.
    Tanh,
    /// The rectified linear unit.
    ReLU,
}

impl Activation {
    /// Applies the activation (through its library layer) in evaluation mode.
    ///
    /// ```
    /// use scratchnet::experiments::initialization::Activation;
    /// let y = Activation::ReLU.apply(&scratchnet::tensor(&[1, 2], &[-1.0, 2.0]));
    /// assert_eq!(y, scratchnet::tensor(&[1, 2], &[0.0, 2.0]));
    /// ```
    pub fn apply(&self, z: &Tensor) -> Tensor {
        match self {
            Activation::Sigmoid => Sigmoid::new().forward(z, Mode::Eval),
            Activation::Tanh => Tanh::new().forward(z, Mode::Eval),
            Activation::ReLU => ReLU::new().forward(z, Mode::Eval),
        }
    }
}

/// One configuration of the experiment: a weight initialiser and an activation.
///
/// ```
/// use scratchnet::{experiments::initialization::*, init::Init};
/// let he = Scheme { label: "ReLU, He", init: Init::HeNormal, activation: Activation::ReLU };
/// assert_eq!(schemes()[5], he);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scheme {
    /// A short label for figures and printouts, e.g. `"tanh, Xavier"`.
    pub label: &'static str,
    /// How the weights of every layer are drawn.
    pub init: Init,
    /// The activation after every layer.
    pub activation: Activation,
}

/// The six configurations the chapter compares, in the order of its figure.
///
/// ```
/// let s = scratchnet::experiments::initialization::schemes();
/// assert_eq!(s.len(), 6);
/// assert_eq!(s[5].label, "ReLU, He");
/// ```
pub fn schemes() -> Vec<Scheme> {
    use Activation::*;
    vec![
        Scheme {
            label: "sigmoid, N(0, 1)",
            init: Init::Normal(1.0),
            activation: Sigmoid,
        },
        Scheme {
            label: "sigmoid, N(0, 0.01²)",
            init: Init::Normal(0.01),
            activation: Sigmoid,
        },
        Scheme {
            label: "tanh, N(0, 0.01²)",
            init: Init::Normal(0.01),
            activation: Tanh,
        },
        Scheme {
            label: "tanh, Xavier",
            init: Init::XavierNormal,
            activation: Tanh,
        },
        Scheme {
            label: "ReLU, Xavier",
            init: Init::XavierNormal,
            activation: ReLU,
        },
        Scheme {
            label: "ReLU, He",
            init: Init::HeNormal,
            activation: ReLU,
        },
    ]
}

/// Number of dense layers of the experiment (the module's "5 dense layers").
///
/// ```
/// use scratchnet::experiments::initialization::*;
/// assert_eq!(DEPTH, 5);
/// assert_eq!(layer_activations(&schemes()[3], 0).len(), DEPTH); // one tensor per layer
/// ```
pub const DEPTH: usize = 5;
/// Units in every layer (and features of the input).
pub const WIDTH: usize = 100;
/// Number of random inputs pushed through the net.
pub const SAMPLES: usize = 1000;

/// The activations of every layer, `[SAMPLES, WIDTH]` each, for one scheme.
///
/// Inputs are standard normal; biases are zero; `seed` fixes inputs and weights.
///
/// ```
/// use scratchnet::experiments::initialization::*;
/// let acts = layer_activations(&schemes()[5], 0);
/// assert_eq!(acts.len(), DEPTH);
/// assert_eq!(acts[4].shape(), &[SAMPLES, WIDTH]);
/// ```
// ANCHOR: layer_activations
pub fn layer_activations(scheme: &Scheme, seed: u64) -> Vec<Tensor> {
    let mut rng = seeded_rng(seed);
    let normal = || -> f64 { StandardNormal.sample(&mut rng) };
    let mut h = Tensor::from_shape_simple_fn(vec![SAMPLES, WIDTH], normal); // [SAMPLES, WIDTH]
    let mut out = Vec::with_capacity(DEPTH);
    for _ in 0..DEPTH {
        let mut dense = Dense::new(WIDTH, WIDTH, scheme.init, &mut rng);
        let z = dense.forward(&h, Mode::Eval); // [SAMPLES, WIDTH]
        h = scheme.activation.apply(&z); // [SAMPLES, WIDTH]
        out.push(h.clone());
    }
    out
}
// ANCHOR_END: layer_activations

/// Summary statistics of one layer's activations.
///
/// ```
/// use scratchnet::{experiments::initialization::{Activation, stats}, tensor};
/// let s = stats(&tensor(&[1, 2], &[0.0, 1.0]), Activation::Sigmoid);
/// assert_eq!((s.mean, s.std, s.saturated), (0.5, 0.5, 1.0)); // both in a flat region
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayerStats {
    /// Mean of all activations.
    pub mean: f64,
    /// Standard deviation of all activations.
    pub std: f64,
    /// Fraction in a flat region of the activation: within 0.01 of a
    /// sigmoid's 0 or 1 or of tanh's ±1 (where the derivative is below
    /// about 0.01 and 0.02), or exactly 0 after a ReLU (a "dead" output).
    pub saturated: f64,
}

/// Mean, standard deviation and saturated fraction of `a`, the output of `activation`.
///
/// ```
/// use scratchnet::experiments::initialization::{Activation, stats};
/// let s = stats(&scratchnet::tensor(&[1, 4], &[0.0, 0.0, 1.0, 3.0]), Activation::ReLU);
/// assert_eq!((s.mean, s.saturated), (1.0, 0.5));
/// ```
pub fn stats(a: &Tensor, activation: Activation) -> LayerStats {
    let n = a.len() as f64;
    let mean = a.sum() / n;
    let std = (a.mapv(|v| (v - mean).powi(2)).sum() / n).sqrt();
    let flat = |v: f64| match activation {
        Activation::Sigmoid => !(0.01..=0.99).contains(&v),
        Activation::Tanh => v.abs() >= 0.99,
        Activation::ReLU => v == 0.0,
    };
    let saturated = a.iter().filter(|&&v| flat(v)).count() as f64 / n;
    LayerStats {
        mean,
        std,
        saturated,
    }
}

/// The four configurations of the gradient experiment: sigmoid and tanh
/// with Xavier, ReLU with He, and sigmoid with N(0, 1) weights (the scale
/// that saturates it, Saito's first row).
///
/// ```
/// let s = scratchnet::experiments::initialization::gradient_schemes();
/// assert_eq!(s[0].label, "sigmoid, Xavier");
/// assert_eq!(s[3].label, "sigmoid, N(0, 1)");
/// ```
pub fn gradient_schemes() -> Vec<Scheme> {
    use Activation::*;
    vec![
        Scheme {
            label: "sigmoid, Xavier",
            init: Init::XavierNormal,
            activation: Sigmoid,
        },
        Scheme {
            label: "tanh, Xavier",
            init: Init::XavierNormal,
            activation: Tanh,
        },
        Scheme {
            label: "ReLU, He",
            init: Init::HeNormal,
            activation: ReLU,
        },
        Scheme {
            label: "sigmoid, N(0, 1)",
            init: Init::Normal(1.0),
            activation: Sigmoid,
        },
    ]
}

/// Depth of the network in [`gradient_norms`].
///
/// ```
/// use scratchnet::experiments::initialization::*;
/// // With sigmoid units the gradient fades on its way down the GRAD_DEPTH layers.
/// let g = gradient_norms(&gradient_schemes()[0], 0);
/// assert_eq!(g.len(), GRAD_DEPTH);
/// assert!(g[0] < 0.1 * g[GRAD_DEPTH - 1]);
/// ```
pub const GRAD_DEPTH: usize = 10;

/// How the gradient fades on its way down a [`GRAD_DEPTH`]-layer net.
///
/// Builds `GRAD_DEPTH` dense layers of [`WIDTH`] units with `scheme`, pushes a
/// batch of 200 standard-normal inputs forward, backpropagates a
/// standard-normal upstream gradient, and returns the root-mean-square of
/// each layer's weight gradient ∂L/∂W divided by that of the top layer,
/// bottom layer first (so the last entry is 1).
///
/// ```
/// use scratchnet::experiments::initialization::*;
/// let g = gradient_norms(&schemes()[5], 0);
/// assert_eq!(g.len(), GRAD_DEPTH);
/// assert_eq!(g[GRAD_DEPTH - 1], 1.0);
/// ```
pub fn gradient_norms(scheme: &Scheme, seed: u64) -> Vec<f64> {
    let mut rng = seeded_rng(seed);
    let mut layers: Vec<Dense> = (0..GRAD_DEPTH)
        .map(|_| Dense::new(WIDTH, WIDTH, scheme.init, &mut rng))
        .collect();
    let mut acts: Vec<Box<dyn Layer>> = (0..GRAD_DEPTH)
        .map(|_| -> Box<dyn Layer> {
            match scheme.activation {
                Activation::Sigmoid => Box::new(Sigmoid::new()),
                Activation::Tanh => Box::new(Tanh::new()),
                Activation::ReLU => Box::new(ReLU::new()),
            }
        })
        .collect();
    let mut h = Tensor::from_shape_simple_fn(vec![200, WIDTH], || StandardNormal.sample(&mut rng));
    for (dense, act) in layers.iter_mut().zip(acts.iter_mut()) {
        h = act.forward(&dense.forward(&h, Mode::Train), Mode::Train); // [200, WIDTH]
    }
    let mut g = Tensor::from_shape_simple_fn(h.raw_dim(), || StandardNormal.sample(&mut rng));
    let mut rms = [0.0; GRAD_DEPTH];
    for l in (0..GRAD_DEPTH).rev() {
        g = layers[l].backward(&acts[l].backward(&g));
        rms[l] = layers[l]
            .w
            .grad
            .mapv(|v| v * v)
            .mean()
            .unwrap_or(0.0)
            .sqrt();
    }
    let top = rms[GRAD_DEPTH - 1];
    rms.iter().map(|r| r / top).collect()
}
