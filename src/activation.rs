//! Activation functions: the non-linearities between layers.
//!
//! Each one appears twice: as a plain function on numbers (with its
//! derivative right beside it, for the book's figures and formulas) and as a
//! [`Layer`] whose `backward` applies that derivative element-wise.
//! Without a non-linearity, a stack of dense layers is one linear map.

use crate::layer::{Layer, Mode, cached};
use crate::tensor::{Float, Tensor, as_matrix};
use ndarray::Axis;

/// The logistic sigmoid σ(x) = 1 / (1 + e^(−x)), computed without overflow.
///
/// For negative `x` the algebraically equal form e^x / (1 + e^x) is used, so
/// `e^(−x)` is never evaluated for a large positive `−x`.
///
/// ```
/// use scratchnet::activation::sigmoid;
/// assert_eq!(sigmoid(0.0), 0.5);
/// assert_eq!(sigmoid(1000.0), 1.0);
/// assert_eq!(sigmoid(-1000.0), 0.0);
/// assert!((sigmoid(2f64) + sigmoid(-2f64) - 1.0).abs() < 1e-15); // works for f32 too
/// ```
pub fn sigmoid<F: Float>(x: F) -> F {
    let one = F::one();
    if x >= F::zero() {
        one / (one + (-x).exp())
    } else {
        let e = x.exp();
        e / (one + e)
    }
}

/// σ'(x) = σ(x)(1 − σ(x)); its maximum is 1/4, at x = 0.
///
/// ```
/// assert_eq!(scratchnet::activation::sigmoid_prime(0.0), 0.25);
/// ```
pub fn sigmoid_prime<F: Float>(x: F) -> F {
    let s = sigmoid(x);
    s * (F::one() - s)
}

/// tanh'(x) = 1 − tanh²(x); its maximum is 1, at x = 0.
///
/// ```
/// assert_eq!(scratchnet::activation::tanh_prime(0.0), 1.0);
/// ```
pub fn tanh_prime<F: Float>(x: F) -> F {
    F::one() - x.tanh().powi(2)
}

/// ReLU(x) = max(0, x).
///
/// ```
/// use scratchnet::activation::relu;
/// assert_eq!(relu(-3.0), 0.0);
/// assert_eq!(relu(3.0), 3.0);
/// ```
pub fn relu<F: Float>(x: F) -> F {
    x.max(F::zero())
}

/// ReLU'(x): 1 for x > 0, else 0 (we take 0 at the kink x = 0, as PyTorch does).
///
/// ```
/// use scratchnet::activation::relu_prime;
/// assert_eq!((relu_prime(-1.0), relu_prime(0.0), relu_prime(2.0)), (0.0, 0.0, 1.0));
/// ```
pub fn relu_prime<F: Float>(x: F) -> F {
    if x > F::zero() { F::one() } else { F::zero() }
}

/// Leaky ReLU: x for x > 0, `alpha`·x otherwise.
///
/// ```
/// assert_eq!(scratchnet::activation::leaky_relu(-2.0, 0.01), -0.02);
/// ```
pub fn leaky_relu<F: Float>(x: F, alpha: F) -> F {
    if x > F::zero() { x } else { alpha * x }
}

/// Leaky ReLU's derivative: 1 for x > 0, `alpha` otherwise.
///
/// ```
/// assert_eq!(scratchnet::activation::leaky_relu_prime(-2.0, 0.01), 0.01);
/// ```
pub fn leaky_relu_prime<F: Float>(x: F, alpha: F) -> F {
    if x > F::zero() { F::one() } else { alpha }
}

/// Softmax of each row of a `[batch, classes]` tensor, shifted by the row maximum.
///
/// softmax(z)ᵢ = e^(zᵢ − m) / Σⱼ e^(zⱼ − m) with m = maxⱼ zⱼ: the shift
/// changes nothing mathematically and keeps every exponent ≤ 0, so
/// logits of 1000 do not overflow.
///
/// **Panics** if `z` is not 2-D.
///
/// ```
/// use scratchnet::{activation::softmax, tensor};
/// let p = softmax(&tensor(&[1, 3], &[1000.0, 1000.0, 1000.0]));
/// approx::assert_abs_diff_eq!(p, tensor(&[1, 3], &[1.0 / 3.0; 3]), epsilon = 1e-12);
/// ```
pub fn softmax<F: Float>(z: &Tensor<F>) -> Tensor<F> {
    assert!(
        z.ndim() == 2,
        "softmax expects [batch, classes], got {:?}",
        z.shape()
    );
    let mut out = z.clone();
    for mut row in out.axis_iter_mut(Axis(0)) {
        let m = row.fold(F::neg_infinity(), |a, &b| a.max(b));
        row.mapv_inplace(|v| (v - m).exp());
        let s = row.sum();
        row /= s;
    }
    out
}

/// Defines an element-wise activation layer from its function and derivative.
///
/// The layer caches its input `x` and multiplies the upstream gradient by
/// f'(x): the chain rule for a function applied to each element separately.
macro_rules! elementwise_layer {
    ($(#[$doc:meta])* $name:ident, $label:expr, |$x:ident| $f:expr, |$dx:ident| $df:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default)]
        pub struct $name<F: Float = f64> {
            x: Option<Tensor<F>>,
        }

        impl<F: Float> $name<F> {
            /// Creates the layer (it has no parameters).
            ///
            /// ```
            /// use scratchnet::prelude::*;
            #[doc = concat!("let layer: ", stringify!($name), " = ", stringify!($name), "::new();")]
            /// assert!(layer.params().is_empty());
            #[doc = concat!("assert_eq!(layer.name(), \"", $label, "\");")]
            /// ```
            pub fn new() -> Self {
                Self::default()
            }
        }

        impl<F: Float> Layer<F> for $name<F> {
            fn forward(&mut self, x: &Tensor<F>, mode: Mode) -> Tensor<F> {
                if mode.caches() {
                    self.x = Some(x.clone());
                }
                x.mapv(|$x| $f)
            }

            fn backward(&mut self, grad_y: &Tensor<F>) -> Tensor<F> {
                let x = cached(&self.x, $label);
                // ∂L/∂x = ∂L/∂y ⊙ f'(x)
                let mut g = grad_y.clone();
                g.zip_mut_with(x, |g, &$dx| *g *= $df);
                g
            }

            fn name(&self) -> String {
                $label.to_string()
            }
        }
    };
}

elementwise_layer!(
    /// The sigmoid as a layer: y = σ(x), ∂L/∂x = ∂L/∂y · σ(x)(1 − σ(x)).
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut s = Sigmoid::new();
    /// let y = s.forward(&tensor(&[1, 1], &[0.0]), Mode::Train);
    /// assert_eq!(y[[0, 0]], 0.5);
    /// assert_eq!(s.backward(&tensor(&[1, 1], &[1.0]))[[0, 0]], 0.25);
    /// ```
    Sigmoid, "Sigmoid", |v| sigmoid(v), |v| sigmoid_prime(v)
);

elementwise_layer!(
    /// The hyperbolic tangent as a layer: y = tanh x, ∂L/∂x = ∂L/∂y · (1 − tanh² x).
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut t = Tanh::new();
    /// t.forward(&tensor(&[1, 1], &[0.0]), Mode::Train);
    /// assert_eq!(t.backward(&tensor(&[1, 1], &[2.0]))[[0, 0]], 2.0);
    /// ```
    Tanh, "Tanh", |v| v.tanh(), |v| tanh_prime(v)
);

elementwise_layer!(
    /// The rectified linear unit as a layer: y = max(0, x); the gradient passes where x > 0.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut r = ReLU::new();
    /// r.forward(&tensor(&[1, 2], &[-1.0, 1.0]), Mode::Train);
    /// assert_eq!(r.backward(&tensor(&[1, 2], &[5.0, 5.0])), tensor(&[1, 2], &[0.0, 5.0]));
    /// ```
    ReLU, "ReLU", |v| relu(v), |v| relu_prime(v)
);

/// Leaky ReLU as a layer: y = x for x > 0, `alpha`·x otherwise.
///
/// Unlike [`ReLU`], a unit whose input is negative still passes a small
/// gradient `alpha`, so it cannot "die" (stay at zero for every input and
/// never learn again).
///
/// ```
/// use scratchnet::prelude::*;
/// let mut l = LeakyReLU::new(0.1);
/// let y = l.forward(&tensor(&[1, 2], &[-2.0, 3.0]), Mode::Train);
/// approx::assert_abs_diff_eq!(y, tensor(&[1, 2], &[-0.2, 3.0]), epsilon = 1e-15);
/// let dx = l.backward(&tensor(&[1, 2], &[1.0, 1.0]));
/// assert_eq!(dx, tensor(&[1, 2], &[0.1, 1.0]));
/// ```
#[derive(Clone, Debug)]
pub struct LeakyReLU<F: Float = f64> {
    /// The slope for negative inputs (0.01 is a common choice).
    pub alpha: f64,
    x: Option<Tensor<F>>,
}

impl<F: Float> LeakyReLU<F> {
    /// A leaky ReLU with slope `alpha` for negative inputs.
    ///
    /// **Panics** if `alpha` is negative or not finite.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let leaky: LeakyReLU = LeakyReLU::new(0.01);
    /// assert_eq!(leaky.name(), "LeakyReLU(0.01)");
    /// assert!(std::panic::catch_unwind(|| LeakyReLU::<f64>::new(-0.1)).is_err());
    /// ```
    pub fn new(alpha: f64) -> Self {
        assert!(
            alpha.is_finite() && alpha >= 0.0,
            "LeakyReLU: alpha must be a finite number ≥ 0, got {alpha}"
        );
        LeakyReLU { alpha, x: None }
    }
}

impl<F: Float> Layer<F> for LeakyReLU<F> {
    fn forward(&mut self, x: &Tensor<F>, mode: Mode) -> Tensor<F> {
        if mode.caches() {
            self.x = Some(x.clone());
        }
        let alpha = F::cast(self.alpha);
        x.mapv(|v| leaky_relu(v, alpha))
    }

    fn backward(&mut self, grad_y: &Tensor<F>) -> Tensor<F> {
        let x = cached(&self.x, "LeakyReLU");
        let alpha = F::cast(self.alpha);
        // ∂L/∂x = ∂L/∂y ⊙ f'(x), with f'(x) = 1 or alpha
        let mut g = grad_y.clone();
        g.zip_mut_with(x, |g, &v| *g *= leaky_relu_prime(v, alpha));
        g
    }

    fn name(&self) -> String {
        format!("LeakyReLU({})", self.alpha)
    }
}

// ANCHOR: softmax_layer
/// Softmax as a layer: each row of `[batch, classes]` becomes a probability vector.
///
/// Softmax is not element-wise: every output yᵢ depends on every input zⱼ,
/// with Jacobian ∂yᵢ/∂zⱼ = yᵢ(δᵢⱼ − yⱼ). Backward never builds that matrix;
/// the Jacobian-vector product collapses to, for each row,
///
/// ∂L/∂z = y ⊙ (∂L/∂y − Σⱼ (∂L/∂y)ⱼ yⱼ).
///
/// (Chapter 4 pairs softmax with cross-entropy, where the combined gradient
/// simplifies further to y − t.)
///
/// # Shapes
/// * input `z` and output `y`: `[batch, classes]`
///
/// ```
/// use scratchnet::prelude::*;
/// let mut s = Softmax::new();
/// let y = s.forward(&tensor(&[1, 2], &[0.0, 0.0]), Mode::Train);
/// assert_eq!(y, tensor(&[1, 2], &[0.5, 0.5]));
/// // Adding the same amount to both outputs' gradients changes nothing:
/// // probabilities always sum to 1.
/// let dz = s.backward(&tensor(&[1, 2], &[3.0, 3.0]));
/// assert_eq!(dz, tensor(&[1, 2], &[0.0, 0.0]));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Softmax<F: Float = f64> {
    y: Option<Tensor<F>>,
}

impl<F: Float> Softmax<F> {
    /// Creates the layer (it has no parameters).
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let y = Softmax::new().forward(&tensor(&[1, 3], &[1.0, 2.0, 3.0]), Mode::Eval);
    /// assert!((y.sum() - 1.0).abs() < 1e-15 && y[[0, 0]] < y[[0, 2]]); // a distribution, in order
    /// ```
    pub fn new() -> Self {
        Self::default()
    }
}

impl<F: Float> Layer<F> for Softmax<F> {
    fn forward(&mut self, z: &Tensor<F>, mode: Mode) -> Tensor<F> {
        let y = softmax(z); // [batch, classes]
        if mode.caches() {
            self.y = Some(y.clone());
        }
        y
    }

    fn backward(&mut self, grad_y: &Tensor<F>) -> Tensor<F> {
        let y = as_matrix(cached(&self.y, "Softmax"), "Softmax"); // [batch, classes]
        let dy = as_matrix(grad_y, "Softmax"); // [batch, classes]
        let dot = (&dy * &y).sum_axis(Axis(1)).insert_axis(Axis(1)); // [batch, 1]
        (&y * &(&dy - &dot)).into_dyn() // [batch, classes]
    }

    fn name(&self) -> String {
        "Softmax".to_string()
    }
}
// ANCHOR_END: softmax_layer
