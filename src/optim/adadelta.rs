//! Adadelta: RMSProp with units fixed, and no learning rate.

use super::{Optimizer, Snapshot, State, check_learning_rate, check_scheduled_rate};
use crate::layer::Param;
use crate::tensor::Float;

/// Adadelta (Zeiler, 2012).
///
/// Like RMSProp it keeps a moving average of squared gradients, E\[g²\]; in
/// place of a learning rate it uses a second moving average, of the squared
/// updates E\[Δθ²\], so that the step has the units of θ:
///
/// * E\[g²\] ← ρE\[g²\] + (1 − ρ)g²
/// * Δθ = −(√(E\[Δθ²\] + ε) / √(E\[g²\] + ε)) · g
/// * E\[Δθ²\] ← ρE\[Δθ²\] + (1 − ρ)Δθ²
/// * θ ← θ + η·Δθ
///
/// The paper has **no learning rate** (η = 1 here) and uses ρ = 0.95,
/// ε = 1e-6. Libraries add η as an extra factor on the applied step (the
/// averages still see the unscaled Δθ): PyTorch defaults to η = 1.0 and
/// ρ = 0.9; tf.keras since TensorFlow 1.14/2.0, and Keras 3, default to
/// **η = 0.001** (ρ = 0.95, ε = 1e-7), a step 1000 times shorter than
/// Zeiler's method takes.
///
/// ```
/// use scratchnet::prelude::*;
/// use scratchnet::layer::ParamKind;
/// let mut p = Param::new("w", ParamKind::Weight, tensor(&[1], &[1.0]));
/// p.grad = tensor(&[1], &[1.0]);
/// Adadelta::default().step(&mut [&mut p]);
/// // E\[g²\] = 0.05; Δθ = −√1e-6 / √(0.05 + 1e-6) ≈ −0.00447
/// approx::assert_abs_diff_eq!(p.value[[0]], 1.0 - (1e-6f64 / 0.050001).sqrt(), epsilon = 1e-12);
/// ```
#[derive(Clone, Debug)]
pub struct Adadelta<F: Float = f64> {
    /// An extra factor on each step; 1.0 is Zeiler's method.
    pub lr: f64,
    /// The decay rate ρ of both moving averages.
    pub rho: f64,
    /// ε, inside both square roots.
    pub eps: f64,
    mean_sq_grad: State<F>,
    mean_sq_delta: State<F>,
}

impl<F: Float> Adadelta<F> {
    /// Adadelta with the given step factor, ρ = 0.95 and ε = 1e-6.
    ///
    /// **Panics** if `lr` is not a positive finite number.
    ///
    /// ```
    /// use scratchnet::optim::Adadelta;
    /// let keras: Adadelta = Adadelta::with_lr(0.001);
    /// assert_eq!((keras.lr, keras.rho, keras.eps), (0.001, 0.95, 1e-6));
    /// assert_eq!(Adadelta::<f64>::default().lr, 1.0); // Zeiler's method
    /// ```
    pub fn with_lr(lr: f64) -> Self {
        check_learning_rate("Adadelta", lr);
        Adadelta {
            lr,
            rho: 0.95,
            eps: 1e-6,
            mean_sq_grad: State::default(),
            mean_sq_delta: State::default(),
        }
    }
}

impl<F: Float> Default for Adadelta<F> {
    /// Zeiler's method: η = 1, ρ = 0.95, ε = 1e-6.
    fn default() -> Self {
        Adadelta::with_lr(1.0)
    }
}

impl<F: Float> Optimizer<F> for Adadelta<F> {
    // ANCHOR: step
    fn step(&mut self, params: &mut [&mut Param<F>]) {
        let (rho, eps, lr) = (F::cast(self.rho), F::cast(self.eps), F::cast(self.lr));
        let one_minus_rho = F::cast(1.0 - self.rho);
        for p in params.iter_mut() {
            let (eg2, ed2) = (self.mean_sq_grad.of(p), self.mean_sq_delta.of(p));
            ndarray::Zip::from(&mut p.value)
                .and(&p.grad)
                .and(eg2)
                .and(ed2)
                .for_each(|t, &g, eg2, ed2| {
                    *eg2 = rho * *eg2 + one_minus_rho * g * g; // E[g²]
                    let delta = -((*ed2 + eps).sqrt() / (*eg2 + eps).sqrt()) * g; // Δθ
                    *ed2 = rho * *ed2 + one_minus_rho * delta * delta; // E[Δθ²]
                    *t += lr * delta;
                });
        }
    }
    // ANCHOR_END: step

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: f64) {
        check_scheduled_rate("Adadelta", lr);
        self.lr = lr;
    }

    fn snapshot(&self) -> Snapshot<F> {
        Snapshot::default()
            .with_state("mean_sq_grad", &self.mean_sq_grad)
            .with_state("mean_sq_delta", &self.mean_sq_delta)
    }

    fn restore(&mut self, mut snapshot: Snapshot<F>) {
        self.mean_sq_grad = snapshot.take_state("mean_sq_grad");
        self.mean_sq_delta = snapshot.take_state("mean_sq_delta");
    }
}
