//! Chapter 4 exercises: the backward pass of a dense layer, the fused
//! softmax cross-entropy, and RMSProp.
//!
//! Fill in every `todo!()`, then check your work with
//! `cargo test -p exercises --test ch04`.

use ndarray::{Array1, Array2, Axis};
use scratchnet::layer::Param;
use scratchnet::optim::{Optimizer, State};

// ANCHOR: dense_backward
/// Exercise 4.1: the three gradients of a dense layer `Y = X·W + b`.
///
/// Given the input `x` `[batch, n_in]`, the weights `w` `[n_in, n_out]` and
/// the upstream gradient `delta = ∂L/∂Y` `[batch, n_out]`, return
/// `(∂L/∂W, ∂L/∂b, ∂L/∂X)` with shapes `[n_in, n_out]`, `[n_out]`, `[batch, n_in]`.
pub fn dense_backward(x: &Array2<f64>, w: &Array2<f64>, delta: &Array2<f64>) -> (Array2<f64>, Array1<f64>, Array2<f64>) {
    // ANCHOR: solution_dense_backward
    let dw = x.t().dot(delta); // [n_in, batch]·[batch, n_out]
    let db = delta.sum_axis(Axis(0)); // Σ over the batch
    let dx = delta.dot(&w.t()); // [batch, n_out]·[n_out, n_in]
    (dw, db, dx)
    // ANCHOR_END: solution_dense_backward
}
// ANCHOR_END: dense_backward

// ANCHOR: softmax_ce
/// Exercise 4.2: softmax cross-entropy from logits, with its gradient.
///
/// `logits` is `[batch, classes]` and `labels[n]` the true class of row `n`.
/// Return the mean over the batch of `−ln softmax(z)[label]`, and
/// `∂L/∂logits`, `[batch, classes]`. It must stay finite for logits of ±1000
/// (subtract each row's maximum before exponentiating).
pub fn softmax_cross_entropy(logits: &Array2<f64>, labels: &[usize]) -> (f64, Array2<f64>) {
    // ANCHOR: solution_softmax_ce
    let batch = logits.nrows() as f64;
    let mut grad = logits.clone();
    let mut loss = 0.0;
    for (mut row, &label) in grad.axis_iter_mut(Axis(0)).zip(labels) {
        let m = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        let log_sum = row.iter().map(|&z| (z - m).exp()).sum::<f64>().ln();
        loss -= row[label] - m - log_sum; // −ln p_label
        row.mapv_inplace(|z| (z - m - log_sum).exp()); // p
        row[label] -= 1.0; // p − y
    }
    (loss / batch, grad / batch)
    // ANCHOR_END: solution_softmax_ce
}
// ANCHOR_END: softmax_ce

// ANCHOR: rmsprop
/// Exercise 4.3: RMSProp as an [`Optimizer`].
///
/// For every parameter keep `s`, a moving average of the squared gradient:
/// `s ← ρ·s + (1 − ρ)·g²` and `θ ← θ − η·g / (√s + ε)`, element-wise.
/// `self.mean_sq.of(p)` gives parameter `p`'s own `s` (zeros at first, kept
/// under `p.name`: the library's `State`, which every optimizer uses).
pub struct MyRmsProp {
    /// The learning rate η.
    pub lr: f64,
    /// The decay rate ρ.
    pub rho: f64,
    /// ε in the denominator.
    pub eps: f64,
    /// One moving average per parameter, by name; empty until the first step.
    pub mean_sq: State,
}

impl Optimizer for MyRmsProp {
    fn step(&mut self, params: &mut [&mut Param]) {
        // ANCHOR: solution_rmsprop
        let (lr, rho, eps) = (self.lr, self.rho, self.eps);
        for p in params.iter_mut() {
            let s = self.mean_sq.of(p);
            s.zip_mut_with(&p.grad, |s, &g| *s = rho * *s + (1.0 - rho) * g * g);
            ndarray::Zip::from(&mut p.value)
                .and(&p.grad)
                .and(&*s)
                .for_each(|t, &g, &s| *t -= lr * g / (s.sqrt() + eps));
        }
        // ANCHOR_END: solution_rmsprop
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: f64) {
        self.lr = lr;
    }
}
// ANCHOR_END: rmsprop
