//! Numeric gradient checking: the specification every backward pass must meet.
//!
//! A derivative is a limit; the central difference
//!
//! ∂f/∂xᵢ ≈ (f(x + ε eᵢ) − f(x − ε eᵢ)) / 2ε
//!
//! approximates it with an error of order ε² (the first-order terms of the
//! two Taylor expansions cancel). Comparing it with what `backward` returns
//! catches a wrong derivative, a missing transpose or a forgotten sum.
//!
//! To check a layer with many outputs we reduce it to one scalar: pick a
//! fixed random tensor `g` of the output's shape and let `L = Σ g ⊙ y`. Then
//! `∂L/∂y = g`, so `backward(g)` must equal the numeric gradient of `L`.

use crate::layer::{Layer, Mode};
use crate::loss::Loss;
use crate::tensor::{Tensor, seeded_rng};
use rand_distr::{Distribution, StandardNormal};

// ANCHOR: constants
/// Step of the central difference.
///
/// With `f64`, the truncation error is about (ε²/6)·|f'''| ≈ 1e-13 and the
/// rounding error about 1e-16·|f|/ε ≈ 1e-10 for |f| ≈ 1: both far below
/// [`TOLERANCE`].
///
/// ```
/// use scratchnet::{gradcheck::{EPSILON, numeric_gradient}, tensor};
/// let g = numeric_gradient(|t| t[[0]].exp(), &tensor(&[1], &[1.0]), EPSILON);
/// assert!((g[[0]] - 1f64.exp()).abs() < 1e-9); // d eˣ/dx = eˣ
/// ```
pub const EPSILON: f64 = 1e-6;

/// Largest accepted [`error`] between numeric and analytic gradients.
///
/// A wrong derivative (a missing factor, a sign, a transpose) produces
/// errors of order 1e-1 to 1; numeric noise with [`EPSILON`] stays near
/// 1e-9. 1e-6 separates the two by three orders of magnitude either way.
///
/// ```
/// use scratchnet::{gradcheck::{TOLERANCE, error}, tensor};
/// // A forgotten factor 2 in d(x²)/dx = 2x, at x = 0.3, fails by far:
/// assert!(error(&tensor(&[1], &[0.3]), &tensor(&[1], &[0.6])) > TOLERANCE);
/// ```
pub const TOLERANCE: f64 = 1e-6;
// ANCHOR_END: constants

// ANCHOR: numeric_gradient
/// Central-difference gradient of a scalar function `f` at `x`.
///
/// ```
/// use scratchnet::{gradcheck::numeric_gradient, tensor};
/// // f(x) = Σ x², so ∇f = 2x.
/// let x = tensor(&[3], &[1.0, -2.0, 0.5]);
/// let g = numeric_gradient(|t| t.mapv(|v| v * v).sum(), &x, 1e-6);
/// approx::assert_abs_diff_eq!(g, tensor(&[3], &[2.0, -4.0, 1.0]), epsilon = 1e-8);
/// ```
pub fn numeric_gradient(mut f: impl FnMut(&Tensor) -> f64, x: &Tensor, eps: f64) -> Tensor {
    let mut probe = x.clone();
    let mut grad = Tensor::zeros(x.raw_dim());
    for i in 0..x.len() {
        let original = probe.as_slice_memory_order().expect("contiguous")[i];
        probe.as_slice_memory_order_mut().expect("contiguous")[i] = original + eps;
        let plus = f(&probe);
        probe.as_slice_memory_order_mut().expect("contiguous")[i] = original - eps;
        let minus = f(&probe);
        probe.as_slice_memory_order_mut().expect("contiguous")[i] = original;
        grad.as_slice_memory_order_mut().expect("contiguous")[i] = (plus - minus) / (2.0 * eps);
    }
    grad
}
// ANCHOR_END: numeric_gradient

// ANCHOR: error
/// The largest element-wise error `|a − b| / max(1, |a|, |b|)`.
///
/// Relative for large gradients, absolute for small ones, so that two
/// gradients both close to zero do not produce a huge "relative" error.
///
/// **Panics** if the shapes differ.
///
/// ```
/// use scratchnet::{gradcheck::error, tensor};
/// assert_eq!(error(&tensor(&[2], &[100.0, 0.0]), &tensor(&[2], &[101.0, 0.0])), 1.0 / 101.0);
/// assert_eq!(error(&tensor(&[1], &[1e-3]), &tensor(&[1], &[2e-3])), 1e-3);
/// ```
pub fn error(a: &Tensor, b: &Tensor) -> f64 {
    assert_eq!(a.shape(), b.shape(), "gradient shapes differ");
    a.iter()
        .zip(b.iter())
        .map(|(&x, &y)| (x - y).abs() / 1f64.max(x.abs()).max(y.abs()))
        .fold(0.0, f64::max)
}
// ANCHOR_END: error

/// The outcome of [`check_layer`]: one error for the input, one per trainable parameter.
///
/// ```
/// use scratchnet::{gradcheck::check_layer, prelude::*};
/// let report = check_layer(&Sigmoid::new(), &tensor(&[1, 3], &[-1.0, 0.0, 2.0]), 0);
/// assert!(report.params.is_empty()); // no parameters: only ∂L/∂x is checked
/// assert!(report.input < 1e-8);
/// ```
#[derive(Clone, Debug)]
pub struct GradCheck {
    /// Error of `∂L/∂x`.
    pub input: f64,
    /// Error of each parameter's gradient, by parameter name.
    pub params: Vec<(String, f64)>,
}

impl GradCheck {
    /// The worst error of all.
    ///
    /// ```
    /// use scratchnet::gradcheck::GradCheck;
    /// let r = GradCheck { input: 1e-10, params: vec![("W".into(), 3e-9), ("b".into(), 2e-3)] };
    /// assert_eq!(r.max_error(), 2e-3);
    /// ```
    pub fn max_error(&self) -> f64 {
        self.params.iter().map(|p| p.1).fold(self.input, f64::max)
    }

    /// Whether every error is within [`TOLERANCE`].
    ///
    /// ```
    /// use scratchnet::gradcheck::GradCheck;
    /// let good = GradCheck { input: 1e-9, params: vec![("W".into(), 1e-10)] };
    /// let bad = GradCheck { input: 1e-9, params: vec![("b".into(), 0.5)] }; // e.g. a forgotten sum
    /// assert!(good.passed() && !bad.passed());
    /// ```
    pub fn passed(&self) -> bool {
        self.max_error() <= TOLERANCE
    }
}

/// Compares a layer's `backward` with central differences, for its input and
/// every trainable parameter (buffers, [`ParamKind::Buffer`](crate::layer::ParamKind::Buffer), are skipped).
///
/// The layer is cloned before every evaluation, so a layer that draws random
/// numbers in `forward` (dropout) draws the same ones each time.
///
/// ```
/// use scratchnet::prelude::*;
/// use scratchnet::gradcheck::check_layer;
/// let layer = Dense::new(3, 2, Init::XavierNormal, &mut seeded_rng(1));
/// let x = Tensor::from_shape_fn(vec![4, 3], |d| (d[0] as f64 - d[1] as f64) * 0.3);
/// let report = check_layer(&layer, &x, 42);
/// assert!(report.passed(), "{report:?}");
/// ```
pub fn check_layer<L: Layer + Clone>(layer: &L, x: &Tensor, seed: u64) -> GradCheck {
    // Analytic gradients: one forward, one backward with upstream g.
    let mut analytic = layer.clone();
    let y = analytic.forward(x, Mode::Train);
    let mut rng = seeded_rng(seed);
    let g = Tensor::from_shape_simple_fn(y.raw_dim(), || StandardNormal.sample(&mut rng));
    let dx = analytic.backward(&g);
    // L = Σ g ⊙ y, so ∂L/∂y = g.
    let scalar = |l: &mut L, input: &Tensor| (l.forward(input, Mode::Train) * &g).sum();
    compare(layer, &analytic, &dx, x, scalar)
}

/// Compares the input gradient `dx` and the parameter gradients stored in
/// `analytic` with central differences of `scalar`, evaluated on fresh
/// clones of `layer` (one parameter perturbed at a time).
fn compare<L: Layer + Clone>(
    layer: &L,
    analytic: &L,
    dx: &Tensor,
    x: &Tensor,
    scalar: impl Fn(&mut L, &Tensor) -> f64,
) -> GradCheck {
    let numeric_dx = numeric_gradient(|xp| scalar(&mut layer.clone(), xp), x, EPSILON);
    let mut params = Vec::new();
    for (k, p) in analytic.params().into_iter().enumerate() {
        if !p.kind.is_trainable() {
            continue; // a buffer (running statistics) has no gradient to check
        }
        let numeric = numeric_gradient(
            |v| {
                let mut l = layer.clone();
                l.params_mut()[k].value = v.clone();
                scalar(&mut l, x)
            },
            &p.value,
            EPSILON,
        );
        params.push((p.name.clone(), error(&p.grad, &numeric)));
    }
    GradCheck {
        input: error(dx, &numeric_dx),
        params,
    }
}

/// Compares the gradients a whole network and its loss compute by
/// backpropagation with central differences of the loss itself, for the
/// input and every parameter (reported by its name).
///
/// Unlike [`check_layer`], nothing is reduced to a random projection: the
/// scalar checked is the loss `L(net(x), y)`, so this also checks the loss's
/// `backward` and how the network passes gradients between its layers.
///
/// ```
/// use scratchnet::{gradcheck::check_network, prelude::*};
/// let mut rng = seeded_rng(3);
/// let net = Sequential::new()
///     .with(Dense::new(3, 4, Init::XavierNormal, &mut rng))
///     .with(Tanh::new())
///     .with(Dense::new(4, 2, Init::XavierNormal, &mut rng));
/// let x = Tensor::from_shape_fn(vec![5, 3], |d| (d[0] as f64 - 2.0) * 0.4 + d[1] as f64 * 0.1);
/// let report = check_network(&net, &MeanSquaredError::new(), &x, &Tensor::ones(vec![5, 2]));
/// assert!(report.passed(), "{report:?}");
/// assert_eq!(report.params[0].0, "0.dense.W");
/// ```
pub fn check_network<L, C>(net: &L, loss: &C, x: &Tensor, y: &Tensor) -> GradCheck
where
    L: Layer + Clone,
    C: Loss + Clone,
{
    // Analytic: forward, loss, backward.
    let mut analytic = net.clone();
    let mut l = loss.clone();
    let prediction = analytic.forward(x, Mode::Train);
    l.forward(&prediction, y);
    let dx = analytic.backward(&l.backward());
    let scalar =
        |n: &mut L, input: &Tensor| loss.clone().forward(&n.forward(input, Mode::Train), y);
    compare(net, &analytic, &dx, x, scalar)
}
