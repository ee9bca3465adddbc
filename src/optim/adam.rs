//! Adam: momentum and RMSProp together, with bias correction; and AdamW.

use super::{Optimizer, Snapshot, State, check_learning_rate, check_scheduled_rate};
use crate::layer::{Param, ParamKind};
use crate::tensor::{Float, Tensor};

/// Adam (Kingma & Ba, 2015), optionally with decoupled weight decay (AdamW).
///
/// Adam keeps two moving averages per element, of the gradient (the first
/// moment m, like momentum) and of its square (the second moment s, like
/// RMSProp). At step t = 1, 2, …:
///
/// * m ← β₁m + (1 − β₁)g,  s ← β₂s + (1 − β₂)g²
/// * m̂ = m / (1 − β₁ᵗ),  ŝ = s / (1 − β₂ᵗ)  (bias correction)
/// * θ ← θ − η m̂ / (√ŝ + ε)
///
/// Both averages start at 0, so early on they are biased towards 0; dividing
/// by 1 − βᵗ removes that bias exactly for a constant gradient.
///
/// Defaults of the paper: η = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e-8
/// (PyTorch the same; Keras ε = 1e-7).
///
/// **Decoupled weight decay** (AdamW, Loshchilov & Hutter, 2019): with
/// [`Adam::with_weight_decay`]`(λ)`, every step first shrinks the weights,
/// θ ← θ − ηλθ, outside the adaptive scaling (PyTorch's `AdamW` form).
/// We decay only parameters of kind [`ParamKind::Weight`], never biases;
/// PyTorch and Keras decay every parameter they are given unless told otherwise.
///
/// ```
/// use scratchnet::prelude::*;
/// use scratchnet::layer::ParamKind;
/// let mut p = Param::new("w", ParamKind::Weight, tensor(&[2], &[1.0, 1.0]));
/// p.grad = tensor(&[2], &[100.0, 0.001]);
/// Adam::default().step(&mut [&mut p]);
/// // Thanks to bias correction, the first step is ≈ η·sign(g), whatever |g|.
/// approx::assert_abs_diff_eq!(p.value, tensor(&[2], &[0.999, 0.999]), epsilon = 1e-8);
/// ```
#[derive(Clone, Debug)]
pub struct Adam<F: Float = f64> {
    /// The learning rate η.
    pub lr: f64,
    /// Decay rate β₁ of the first moment.
    pub beta1: f64,
    /// Decay rate β₂ of the second moment.
    pub beta2: f64,
    /// ε, keeping the division finite.
    pub eps: f64,
    /// Decoupled weight decay λ (0 for plain Adam).
    pub weight_decay: f64,
    t: i32,
    m: State<F>,
    s: State<F>,
}

impl<F: Float> Adam<F> {
    /// Adam with learning rate `lr` and the paper's β₁, β₂, ε.
    ///
    /// **Panics** if `lr` is not a positive finite number.
    ///
    /// ```
    /// use scratchnet::{layer::ParamKind, prelude::*};
    /// let mut p = Param::new("w", ParamKind::Weight, tensor(&[1], &[0.0]));
    /// p.grad = tensor(&[1], &[0.5]);
    /// let mut opt = Adam::new(0.01);
    /// assert_eq!((opt.beta1, opt.beta2, opt.eps), (0.9, 0.999, 1e-8));
    /// for _ in 0..3 {
    ///     opt.step(&mut [&mut p]);
    /// }
    /// // Bias correction makes m̂ = g and ŝ = g² from the first step: each step is η.
    /// approx::assert_abs_diff_eq!(p.value[[0]], -3.0 * 0.01, epsilon = 1e-9);
    /// ```
    pub fn new(lr: f64) -> Self {
        check_learning_rate("Adam", lr);
        Adam {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.0,
            t: 0,
            m: State::default(),
            s: State::default(),
        }
    }

    /// AdamW: adds decoupled weight decay λ on weights (not biases).
    ///
    /// **Panics** if `lambda` is negative, NaN or infinite.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// use scratchnet::layer::ParamKind;
    /// let mut w = Param::new("w", ParamKind::Weight, tensor(&[1], &[2.0]));
    /// let mut b = Param::new("b", ParamKind::Bias, tensor(&[1], &[2.0]));
    /// // Zero gradients: only the decay acts, θ ← θ − ηλθ.
    /// Adam::new(0.1).with_weight_decay(0.5).step(&mut [&mut w, &mut b]);
    /// approx::assert_abs_diff_eq!(w.value[[0]], 2.0 - 0.1 * 0.5 * 2.0, epsilon = 1e-12);
    /// assert_eq!(b.value[[0]], 2.0);
    /// ```
    pub fn with_weight_decay(mut self, lambda: f64) -> Self {
        assert!(
            lambda.is_finite() && lambda >= 0.0,
            "Adam: the weight decay must be a finite number ≥ 0, got {lambda}"
        );
        self.weight_decay = lambda;
        self
    }
}

impl<F: Float> Default for Adam<F> {
    /// η = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
    fn default() -> Self {
        Adam::new(0.001)
    }
}

/// The elements of θ, m, s and g side by side, as one iterator over plain
/// slices: a loop over slices compiles to vector instructions, where a
/// three-way `Zip` over n-dimensional arrays does not.
///
/// **Panics** if a tensor is not contiguous (parameters and states always are).
fn slices<'a, F: Float>(
    value: &'a mut Tensor<F>,
    m: &'a mut Tensor<F>,
    s: &'a mut Tensor<F>,
    grad: &'a Tensor<F>,
) -> impl Iterator<Item = (((&'a mut F, &'a mut F), &'a mut F), &'a F)> {
    let slice = "Adam: parameters and states are contiguous";
    let value = value.as_slice_mut().expect(slice).iter_mut();
    let m = m.as_slice_mut().expect(slice).iter_mut();
    let s = s.as_slice_mut().expect(slice).iter_mut();
    value.zip(m).zip(s).zip(grad.as_slice().expect(slice))
}

impl<F: Float> Optimizer<F> for Adam<F> {
    // ANCHOR: step
    fn step(&mut self, params: &mut [&mut Param<F>]) {
        self.t += 1;
        let (c1, c2) = (1.0 - self.beta1.powi(self.t), 1.0 - self.beta2.powi(self.t)); // bias corrections
        let [b1, b2, lr, eps, c1, c2] =
            [self.beta1, self.beta2, self.lr, self.eps, c1, c2].map(F::cast);
        let (one_minus_b1, one_minus_b2) = (F::cast(1.0 - self.beta1), F::cast(1.0 - self.beta2));
        let decay = F::cast(1.0 - self.lr * self.weight_decay);
        for p in params.iter_mut() {
            if self.weight_decay > 0.0 && p.kind == ParamKind::Weight {
                p.value *= decay; // AdamW: θ ← θ − ηλθ
            }
            let (m, s) = (self.m.of(p), self.s.of(p));
            // One pass over plain slices, element by element (fast: see `slices`)
            for (((t, m), s), &g) in slices(&mut p.value, m, s, &p.grad) {
                *m = b1 * *m + one_minus_b1 * g;
                *s = b2 * *s + one_minus_b2 * g * g;
                *t -= lr * (*m / c1) / ((*s / c2).sqrt() + eps); // θ ← θ − η m̂ / (√ŝ + ε)
            }
        }
    }
    // ANCHOR_END: step

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: f64) {
        check_scheduled_rate("Adam", lr);
        self.lr = lr;
    }

    fn snapshot(&self) -> Snapshot<F> {
        Snapshot::default()
            .with_state("m", &self.m)
            .with_state("s", &self.s)
            .with_scalar("t", f64::from(self.t))
    }

    fn restore(&mut self, mut snapshot: Snapshot<F>) {
        self.m = snapshot.take_state("m");
        self.s = snapshot.take_state("s");
        self.t = snapshot.scalar("t") as i32; // an integer, stored exactly
    }
}
