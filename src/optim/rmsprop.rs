//! RMSProp: AdaGrad with a moving average instead of a sum.

use super::{Optimizer, Snapshot, State, check_learning_rate, check_scheduled_rate};
use crate::layer::Param;
use crate::tensor::Float;

/// RMSProp (Tieleman & Hinton, *Neural Networks for Machine Learning*,
/// lecture 6e, 2012).
///
/// The running sum of AdaGrad becomes an exponential moving average, so old
/// gradients are forgotten and the step size no longer decays to zero:
///
/// * s ← ρs + (1 − ρ)g²  (element-wise, s = 0 at the start)
/// * θ ← θ − η g / (√s + ε)
///
/// Defaults: ρ = 0.9 (the lecture's "0.9 times the old mean square plus 0.1
/// times the new squared gradient"), η = 0.001, ε = 1e-8. Keras uses the
/// same ρ and η with ε = 1e-7; PyTorch uses ρ (its `alpha`) = 0.99 and η = 0.01.
///
/// ```
/// use scratchnet::prelude::*;
/// use scratchnet::layer::ParamKind;
/// let mut p = Param::new("w", ParamKind::Weight, tensor(&[1], &[1.0]));
/// p.grad = tensor(&[1], &[2.0]);
/// RmsProp::default().step(&mut [&mut p]);
/// // s = 0.1·4 = 0.4, θ = 1 − 0.001·2/√0.4
/// approx::assert_abs_diff_eq!(p.value[[0]], 1.0 - 0.002 / 0.4f64.sqrt(), epsilon = 1e-10);
/// ```
#[derive(Clone, Debug)]
pub struct RmsProp<F: Float = f64> {
    /// The learning rate η.
    pub lr: f64,
    /// The decay rate ρ of the moving average.
    pub rho: f64,
    /// ε, keeping the division finite.
    pub eps: f64,
    mean_sq: State<F>,
}

impl<F: Float> RmsProp<F> {
    /// RMSProp with learning rate `lr`, ρ = 0.9 and ε = 1e-8.
    ///
    /// **Panics** if `lr` is not a positive finite number.
    ///
    /// ```
    /// use scratchnet::{layer::ParamKind, prelude::*};
    /// let mut p = Param::new("w", ParamKind::Weight, tensor(&[1], &[0.0]));
    /// p.grad = tensor(&[1], &[5.0]);
    /// let mut opt = RmsProp::new(0.01);
    /// for _ in 0..100 {
    ///     opt.step(&mut [&mut p]);
    /// }
    /// let before = p.value[[0]];
    /// opt.step(&mut [&mut p]);
    /// // Under a constant gradient s → g², so the step tends to η, whatever |g|.
    /// approx::assert_abs_diff_eq!(before - p.value[[0]], 0.01, epsilon = 1e-6);
    /// ```
    pub fn new(lr: f64) -> Self {
        check_learning_rate("RmsProp", lr);
        RmsProp {
            lr,
            rho: 0.9,
            eps: 1e-8,
            mean_sq: State::default(),
        }
    }
}

impl<F: Float> Default for RmsProp<F> {
    /// η = 0.001, ρ = 0.9, ε = 1e-8.
    fn default() -> Self {
        RmsProp::new(0.001)
    }
}

impl<F: Float> Optimizer<F> for RmsProp<F> {
    // ANCHOR: step
    fn step(&mut self, params: &mut [&mut Param<F>]) {
        let (lr, rho, eps) = (F::cast(self.lr), F::cast(self.rho), F::cast(self.eps));
        let one_minus_rho = F::cast(1.0 - self.rho);
        for p in params.iter_mut() {
            let s = self.mean_sq.of(p);
            // s ← ρs + (1 − ρ)g²
            s.zip_mut_with(&p.grad, |s, &g| *s = rho * *s + one_minus_rho * g * g);
            // θ ← θ − η g / (√s + ε)
            ndarray::Zip::from(&mut p.value)
                .and(&p.grad)
                .and(&*s)
                .for_each(|t, &g, &s| *t -= lr * g / (s.sqrt() + eps));
        }
    }
    // ANCHOR_END: step

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: f64) {
        check_scheduled_rate("RmsProp", lr);
        self.lr = lr;
    }

    fn snapshot(&self) -> Snapshot<F> {
        Snapshot::default().with_state("mean_sq", &self.mean_sq)
    }

    fn restore(&mut self, mut snapshot: Snapshot<F>) {
        self.mean_sq = snapshot.take_state("mean_sq");
    }
}
