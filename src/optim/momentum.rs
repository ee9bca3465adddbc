//! Gradient descent with momentum, and Nesterov's variant.

use super::{Optimizer, Snapshot, State, check_learning_rate, check_scheduled_rate};
use crate::layer::Param;
use crate::tensor::Float;

/// Momentum (Polyak's heavy ball) in PyTorch's formulation, optionally Nesterov.
///
/// With gradient g, velocity v (zero at the start), learning rate η and
/// momentum μ:
///
/// * momentum: v ← μv + g, then θ ← θ − ηv;
/// * Nesterov: v ← μv + g, then θ ← θ − η(g + μv).
///
/// Sutskever et al. (2013) and Keras write momentum as v ← μv − ηg,
/// θ ← θ + v: their velocity is −η times ours, so for a constant η both
/// produce exactly the same parameters (they differ only when η changes
/// during training). For Nesterov, Keras's θ ← θ + μv − ηg is ours in the
/// same way; the paper takes g at the look-ahead point θ + μv, which is the
/// point this rewritten form stores (`tests/optimizers.rs` checks all three).
/// μ = 0.9 is the customary value. In PyTorch and Keras, momentum is an
/// option of `SGD` and defaults to 0 (plain gradient descent).
///
/// ```
/// use scratchnet::prelude::*;
/// use scratchnet::layer::ParamKind;
/// let mut p = Param::new("w", ParamKind::Weight, tensor(&[1], &[1.0]));
/// let mut opt = Momentum::new(0.1, 0.9);
/// for _ in 0..2 {
///     p.grad = tensor(&[1], &[1.0]);
///     opt.step(&mut [&mut p]);
/// }
/// // v₁ = 1, θ₁ = 1 − 0.1; v₂ = 0.9·1 + 1 = 1.9, θ₂ = 0.9 − 0.19.
/// approx::assert_abs_diff_eq!(p.value[[0]], 0.71, epsilon = 1e-12);
/// ```
#[derive(Clone, Debug)]
pub struct Momentum<F: Float = f64> {
    /// The learning rate η.
    pub lr: f64,
    /// The momentum coefficient μ.
    pub momentum: f64,
    /// Use Nesterov's look-ahead update.
    pub nesterov: bool,
    velocity: State<F>,
}

impl<F: Float> Momentum<F> {
    /// Heavy-ball momentum with learning rate `lr` and coefficient `momentum`.
    ///
    /// **Panics** if `lr` is not a positive finite number or `momentum` is not in [0, 1).
    ///
    /// ```
    /// use scratchnet::{layer::ParamKind, prelude::*};
    /// let mut p = Param::new("w", ParamKind::Weight, tensor(&[1], &[0.0]));
    /// p.grad = tensor(&[1], &[1.0]);
    /// let mut opt = Momentum::new(0.01, 0.9);
    /// for _ in 0..200 {
    ///     opt.step(&mut [&mut p]);
    /// }
    /// let before = p.value[[0]];
    /// opt.step(&mut [&mut p]);
    /// // Under a constant gradient v → g/(1 − μ): the step grows to 10·η·g.
    /// approx::assert_abs_diff_eq!(before - p.value[[0]], 0.01 / (1.0 - 0.9), epsilon = 1e-6);
    /// ```
    pub fn new(lr: f64, momentum: f64) -> Self {
        check_learning_rate("Momentum", lr);
        assert!(
            (0.0..1.0).contains(&momentum),
            "Momentum: the momentum must be in [0, 1), got {momentum} (0.9 is customary)"
        );
        Momentum {
            lr,
            momentum,
            nesterov: false,
            velocity: State::default(),
        }
    }

    /// Nesterov momentum with learning rate `lr` and coefficient `momentum`.
    ///
    /// **Panics** if `lr` is not a positive finite number or `momentum` is not in [0, 1).
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// use scratchnet::layer::ParamKind;
    /// let mut p = Param::new("w", ParamKind::Weight, tensor(&[1], &[1.0]));
    /// p.grad = tensor(&[1], &[1.0]);
    /// Momentum::nesterov(0.1, 0.9).step(&mut [&mut p]);
    /// // v = 1, θ = 1 − 0.1·(1 + 0.9·1)
    /// approx::assert_abs_diff_eq!(p.value[[0]], 0.81, epsilon = 1e-12);
    /// ```
    pub fn nesterov(lr: f64, momentum: f64) -> Self {
        Momentum {
            nesterov: true,
            ..Momentum::new(lr, momentum)
        }
    }
}

impl<F: Float> Optimizer<F> for Momentum<F> {
    // ANCHOR: step
    fn step(&mut self, params: &mut [&mut Param<F>]) {
        let (lr, mu) = (F::cast(self.lr), F::cast(self.momentum));
        for p in params.iter_mut() {
            let v = self.velocity.of(p);
            // v ← μv + g
            *v *= mu;
            *v += &p.grad;
            if self.nesterov {
                // θ ← θ − η(g + μv)
                p.value.scaled_add(-lr, &p.grad);
                p.value.scaled_add(-lr * mu, v);
            } else {
                // θ ← θ − ηv
                p.value.scaled_add(-lr, v);
            }
        }
    }
    // ANCHOR_END: step

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: f64) {
        check_scheduled_rate("Momentum", lr);
        self.lr = lr;
    }

    fn snapshot(&self) -> Snapshot<F> {
        Snapshot::default().with_state("velocity", &self.velocity)
    }

    fn restore(&mut self, mut snapshot: Snapshot<F>) {
        self.velocity = snapshot.take_state("velocity");
    }
}
