//! Weight penalties: L1 and L2 regularisation.
//!
//! A penalty R(θ) is added to the data loss, L_total = L_data + R(θ), so
//! its gradient is added to every penalised parameter's gradient after
//! backpropagation. Only weights ([`ParamKind::Weight`]) are penalised;
//! biases only shift a unit's threshold and, by convention, are left free.
//!
//! Conventions (they differ between books and libraries, so we state ours):
//!
//! * L2: R = (λ/2)·Σw², gradient λ·w. The ½ makes the gradient clean.
//!   PyTorch's `weight_decay=λ` adds exactly λ·w to the gradient, so it
//!   matches this convention; Keras' `l2(λ)` adds λ·Σw² (gradient 2λw).
//! * L1: R = λ·Σ|w|, subgradient λ·sign(w) (we take 0 at w = 0).
//!
//! Gradient descent with the L1 *subgradient* does not make weights exactly
//! zero: a weight near 0 is pushed by ±ηλ at every step, so it overshoots
//! and jitters around 0, a distance of the order of ηλ away from it. Exact zeros come
//! from the *proximal* step, [`soft_threshold`] (apply it with threshold ηλ
//! after a plain gradient step on the data loss, [`prox_l1`]): Chapter 2
//! shows the two side by side.

use crate::layer::{Param, ParamKind};
use crate::tensor::Float;

/// A weight penalty added to the loss and to the gradients.
///
/// ```
/// use scratchnet::regularization::Penalty;
/// use scratchnet::{Param, tensor};
/// use scratchnet::layer::ParamKind;
/// let mut w = Param::new("W", ParamKind::Weight, tensor(&[2], &[3.0, -4.0]));
/// let mut b = Param::new("b", ParamKind::Bias, tensor(&[1], &[10.0]));
/// let l2 = Penalty::L2(0.1);
/// // (0.1 / 2)·(9 + 16); the bias is not penalised.
/// assert!((l2.loss(&[&w, &b]) - 1.25).abs() < 1e-12);
/// l2.add_gradients(&mut [&mut w, &mut b]);
/// approx::assert_abs_diff_eq!(w.grad, tensor(&[2], &[0.3, -0.4]), epsilon = 1e-15);
/// assert_eq!(b.grad, tensor(&[1], &[0.0]));
/// ```
// ANCHOR: penalty
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Penalty {
    /// No penalty.
    None,
    /// λ·Σ|w|: pulls every weight towards 0 with the same force λ. Added as a
    /// subgradient, it leaves unneeded weights jittering around 0 (of the order
    /// of ηλ away) rather than at 0; [`prox_l1`] makes them exactly 0.
    L1(f64),
    /// (λ/2)·Σw²: shrinks every weight in proportion to its size ("weight decay").
    L2(f64),
}

impl Penalty {
    // ANCHOR_END: penalty
    /// The penalty R(θ) summed over every weight in `params` (biases are skipped).
    ///
    /// ```
    /// use scratchnet::regularization::Penalty;
    /// use scratchnet::{Param, tensor, layer::ParamKind};
    /// let w = Param::new("W", ParamKind::Weight, tensor(&[2], &[3.0, -4.0]));
    /// assert_eq!(Penalty::L1(0.5).loss(&[&w]), 0.5 * 7.0);
    /// assert_eq!(Penalty::None.loss(&[&w]), 0.0);
    /// ```
    // ANCHOR: penalty_loss
    pub fn loss<F: Float>(&self, params: &[&Param<F>]) -> F {
        let weights = params.iter().filter(|p| p.kind == ParamKind::Weight);
        match *self {
            Penalty::None => F::zero(),
            Penalty::L1(lambda) => {
                let sum_abs: F = weights.map(|p| p.value.mapv(F::abs).sum()).sum();
                F::cast(lambda) * sum_abs // λ·Σ|w|
            }
            Penalty::L2(lambda) => {
                let sum_sq: F = weights.map(|p| p.value.mapv(|w| w * w).sum()).sum();
                F::cast(0.5 * lambda) * sum_sq // (λ/2)·Σw²
            }
        }
    }
    // ANCHOR_END: penalty_loss

    /// Adds ∂R/∂w to the `grad` of every weight in `params` (call it after `backward`).
    ///
    /// ```
    /// use scratchnet::regularization::Penalty;
    /// use scratchnet::{Param, tensor, layer::ParamKind};
    /// let mut w = Param::new("W", ParamKind::Weight, tensor(&[3], &[3.0, -4.0, 0.0]));
    /// Penalty::L1(0.5).add_gradients(&mut [&mut w]);
    /// assert_eq!(w.grad, tensor(&[3], &[0.5, -0.5, 0.0]));
    /// ```
    // ANCHOR: penalty_add_gradients
    pub fn add_gradients<F: Float>(&self, params: &mut [&mut Param<F>]) {
        for p in params.iter_mut().filter(|p| p.kind == ParamKind::Weight) {
            match *self {
                Penalty::None => {}
                // ∂/∂w λ|w| = λ·sign(w), with sign(0) = 0
                Penalty::L1(lambda) => {
                    let lambda = F::cast(lambda);
                    p.grad
                        .zip_mut_with(&p.value, |g, &w| *g += lambda * sign(w))
                }
                // ∂/∂w (λ/2)w² = λw
                Penalty::L2(lambda) => p.grad.scaled_add(F::cast(lambda), &p.value),
            }
        }
    }
}
// ANCHOR_END: penalty_add_gradients

/// The proximal step of the L1 penalty: soft-thresholding by `t ≥ 0`,
/// sign(w)·max(|w| − t, 0).
///
/// It is the exact minimiser of (1/2)(v − w)² + t·|v| over v: a weight
/// within `t` of zero becomes exactly zero, any other moves `t` towards zero.
///
/// ```
/// use scratchnet::regularization::soft_threshold;
/// assert_eq!(soft_threshold(0.3, 0.1), 0.3 - 0.1);
/// assert_eq!(soft_threshold(-0.3, 0.1), -0.3 + 0.1);
/// assert_eq!(soft_threshold(0.05, 0.1), 0.0); // inside the threshold: exactly zero
/// assert_eq!(soft_threshold(-0.1, 0.1), 0.0);
/// ```
// ANCHOR: soft_threshold
pub fn soft_threshold<F: Float>(w: F, t: F) -> F {
    if w > t {
        w - t
    } else if w < -t {
        w + t
    } else {
        F::zero()
    }
}
// ANCHOR_END: soft_threshold

/// Soft-thresholds every weight in `params` by `threshold` (biases are skipped).
///
/// Called with `threshold` = ηλ after a plain gradient-descent step on the
/// data loss, it completes one *proximal gradient* step (ISTA) for the
/// L1-penalised loss: w ← soft_threshold(w − η·∂L_data/∂w, ηλ). Unlike
/// [`Penalty::L1`]'s subgradient, it leaves unneeded weights at exactly 0.
///
/// ```
/// use scratchnet::regularization::prox_l1;
/// use scratchnet::{Param, tensor, layer::ParamKind};
/// let mut w = Param::new("W", ParamKind::Weight, tensor(&[3], &[0.5, -0.02, 0.01]));
/// let mut b = Param::new("b", ParamKind::Bias, tensor(&[1], &[0.01]));
/// prox_l1(&mut [&mut w, &mut b], 0.05);
/// approx::assert_abs_diff_eq!(w.value, tensor(&[3], &[0.45, 0.0, 0.0]), epsilon = 1e-15);
/// assert_eq!(b.value, tensor(&[1], &[0.01])); // biases are not penalised
/// ```
// ANCHOR: prox_l1
pub fn prox_l1<F: Float>(params: &mut [&mut Param<F>], threshold: f64) {
    let t = F::cast(threshold);
    for p in params.iter_mut().filter(|p| p.kind == ParamKind::Weight) {
        p.value.mapv_inplace(|w| soft_threshold(w, t));
    }
}
// ANCHOR_END: prox_l1

fn sign<F: Float>(w: F) -> F {
    if w > F::zero() {
        F::one()
    } else if w < F::zero() {
        -F::one()
    } else {
        F::zero()
    }
}
