//! AdaGrad: a learning rate per parameter, shrinking with its gradient history.

use super::{Optimizer, Snapshot, State, check_learning_rate, check_scheduled_rate};
use crate::layer::Param;
use crate::tensor::Float;

/// AdaGrad (Duchi, Hazan & Singer, 2011).
///
/// Every parameter accumulates the squares of all its past gradients, and
/// its step is divided by the square root of that sum:
///
/// * G ← G + g²  (element-wise, G = 0 at the start)
/// * θ ← θ − η g / (√G + ε)
///
/// Parameters with large or frequent gradients get small steps, rare ones
/// large steps. Since G only grows, the effective learning rate decays
/// like 1/√t, which can stop training too early on long runs: the
/// motivation for RMSProp and Adadelta.
///
/// Defaults: the paper has no fixed learning rate; we use PyTorch's
/// η = 0.01 and ε = 1e-10, added *outside* the square root as PyTorch does.
/// Keras uses η = 0.001, ε = 1e-7 and starts G at 0.1 instead of 0.
///
/// ```
/// use scratchnet::prelude::*;
/// use scratchnet::layer::ParamKind;
/// let mut p = Param::new("w", ParamKind::Weight, tensor(&[2], &[1.0, 1.0]));
/// p.grad = tensor(&[2], &[4.0, 0.01]);
/// AdaGrad::new(0.5).step(&mut [&mut p]);
/// // The first step is η·g/|g| = η for every element, whatever |g|.
/// approx::assert_abs_diff_eq!(p.value, tensor(&[2], &[0.5, 0.5]), epsilon = 1e-8);
/// ```
#[derive(Clone, Debug)]
pub struct AdaGrad<F: Float = f64> {
    /// The learning rate η.
    pub lr: f64,
    /// ε, keeping the division finite.
    pub eps: f64,
    sum_sq: State<F>,
}

impl<F: Float> AdaGrad<F> {
    /// AdaGrad with learning rate `lr` and ε = 1e-10.
    ///
    /// **Panics** if `lr` is not a positive finite number.
    ///
    /// ```
    /// use scratchnet::{layer::ParamKind, prelude::*};
    /// let mut p = Param::new("w", ParamKind::Weight, tensor(&[1], &[0.0]));
    /// p.grad = tensor(&[1], &[3.0]);
    /// let mut opt = AdaGrad::new(1.0);
    /// opt.step(&mut [&mut p]);
    /// opt.step(&mut [&mut p]);
    /// // G = 9, then 18: the steps are 3/3 = 1, then 3/√18 = 1/√2.
    /// approx::assert_abs_diff_eq!(p.value[[0]], -1.0 - 1.0 / 2f64.sqrt(), epsilon = 1e-9);
    /// ```
    pub fn new(lr: f64) -> Self {
        check_learning_rate("AdaGrad", lr);
        AdaGrad {
            lr,
            eps: 1e-10,
            sum_sq: State::default(),
        }
    }
}

impl<F: Float> Default for AdaGrad<F> {
    /// η = 0.01, as in PyTorch.
    fn default() -> Self {
        AdaGrad::new(0.01)
    }
}

impl<F: Float> Optimizer<F> for AdaGrad<F> {
    // ANCHOR: step
    fn step(&mut self, params: &mut [&mut Param<F>]) {
        let (lr, eps) = (F::cast(self.lr), F::cast(self.eps));
        for p in params.iter_mut() {
            let g2 = self.sum_sq.of(p);
            // G ← G + g²
            g2.zip_mut_with(&p.grad, |s, &g| *s += g * g);
            // θ ← θ − η g / (√G + ε)
            ndarray::Zip::from(&mut p.value)
                .and(&p.grad)
                .and(&*g2)
                .for_each(|t, &g, &s| *t -= lr * g / (s.sqrt() + eps));
        }
    }
    // ANCHOR_END: step

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: f64) {
        check_scheduled_rate("AdaGrad", lr);
        self.lr = lr;
    }

    fn snapshot(&self) -> Snapshot<F> {
        Snapshot::default().with_state("sum_sq", &self.sum_sq)
    }

    fn restore(&mut self, mut snapshot: Snapshot<F>) {
        self.sum_sq = snapshot.take_state("sum_sq");
    }
}
