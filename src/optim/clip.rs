//! Gradient-norm clipping: a guard against exploding gradients.

use crate::layer::Param;
use crate::tensor::Float;

// ANCHOR: clip_grad_norm
/// Scales all gradients down together when their total 2-norm exceeds
/// `max_norm`; returns the total norm *before* clipping.
///
/// The norm is taken over every entry of every parameter's `grad`, as if
/// they were one long vector, ‖g‖ = √(Σ g²). When ‖g‖ > `max_norm`, every
/// gradient is multiplied by `max_norm / (‖g‖ + 1e-6)`, so the direction of
/// the step is kept and only its length is capped; otherwise nothing
/// changes. These are the semantics of PyTorch's
/// `torch.nn.utils.clip_grad_norm_`. Call it between `backward` and the
/// optimizer's `step`.
///
/// ```
/// use scratchnet::{layer::ParamKind, optim::clip_grad_norm, prelude::*};
/// let mut w = Param::new("W", ParamKind::Weight, tensor(&[2], &[0.0, 0.0]));
/// let mut b = Param::new("b", ParamKind::Bias, tensor(&[1], &[0.0]));
/// w.grad = tensor(&[2], &[30.0, 0.0]);
/// b.grad = tensor(&[1], &[40.0]); // together: ‖(30, 0, 40)‖ = 50
/// let norm = clip_grad_norm(&mut [&mut w, &mut b], 5.0);
/// assert_eq!(norm, 50.0); // the norm before clipping
/// // Scaled by 5 / (50 + 1e-6): the same direction, a length of (almost exactly) 5.
/// assert!((w.grad[[0]] - 3.0).abs() < 1e-6 && (b.grad[[0]] - 4.0).abs() < 1e-6);
/// // Below the limit nothing changes.
/// let before = w.grad.clone();
/// assert!(clip_grad_norm(&mut [&mut w, &mut b], 10.0) < 10.0);
/// assert_eq!(w.grad, before);
/// ```
pub fn clip_grad_norm<F: Float>(params: &mut [&mut Param<F>], max_norm: f64) -> f64 {
    let squares: f64 = params
        .iter()
        .map(|p| p.grad.iter().map(|g| g.as_f64() * g.as_f64()).sum::<f64>())
        .sum();
    let norm = squares.sqrt();
    let scale = max_norm / (norm + 1e-6);
    if scale < 1.0 {
        for p in params.iter_mut() {
            p.grad.mapv_inplace(|g| g * F::cast(scale));
        }
    }
    norm
}
// ANCHOR_END: clip_grad_norm
