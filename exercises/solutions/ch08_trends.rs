//! Chapter 8 exercises: the fast gradient sign method, untargeted and
//! targeted, written with the network's own backward pass.
//!
//! Fill in every `todo!()`, then check your work with
//! `cargo test -p exercises --test ch08`.

use scratchnet::interpret::cross_entropy_gradient;
use scratchnet::{Float, Sequential, Tensor};

// ANCHOR: fgsm
/// Exercise 8.1: FGSM, x′ = clip(x + ε·sign(∇ₓL), 0, 1), where L is the
/// softmax cross-entropy of `net`'s logits on the true `labels`.
///
/// Take the gradient with `scratchnet::interpret::cross_entropy_gradient`
/// (it runs the network in `Mode::EvalGrad`). The sign of a zero gradient is
/// 0: such a pixel does not move. Every result lies in [0, 1].
///
/// # Shapes
/// * `x` and the result: `[batch, ...]`, pixels in [0, 1]
pub fn fgsm<F: Float>(net: &mut Sequential<F>, x: &Tensor<F>, labels: &[usize], eps: f64) -> Tensor<F> {
    // ANCHOR: solution_fgsm
    let (_, grad) = cross_entropy_gradient(net, x, labels); // ∇ₓL, like x
    let eps = F::cast(eps);
    let mut out = x.clone();
    out.zip_mut_with(&grad, |v, &g| {
        let sign = if g > F::zero() {
            F::one()
        } else if g < F::zero() {
            -F::one()
        } else {
            F::zero()
        };
        *v = (*v + eps * sign).max(F::zero()).min(F::one());
    });
    out
    // ANCHOR_END: solution_fgsm
}
// ANCHOR_END: fgsm

// ANCHOR: targeted
/// Exercise 8.2: targeted FGSM. Instead of pushing each image *away* from its
/// true class, pull it *towards* a class of the attacker's choice:
/// x′ = clip(x − ε·sign(∇ₓL(x, target)), 0, 1), a step that *lowers* the
/// cross-entropy of the target class `targets[i]`.
///
/// # Shapes
/// * `x` and the result: `[batch, ...]`, pixels in [0, 1]
pub fn targeted_fgsm<F: Float>(
    net: &mut Sequential<F>,
    x: &Tensor<F>,
    targets: &[usize],
    eps: f64,
) -> Tensor<F> {
    // ANCHOR: solution_targeted
    let (_, grad) = cross_entropy_gradient(net, x, targets); // ∇ₓL(x, target)
    let eps = F::cast(eps);
    let mut out = x.clone();
    out.zip_mut_with(&grad, |v, &g| {
        let sign = if g > F::zero() {
            F::one()
        } else if g < F::zero() {
            -F::one()
        } else {
            F::zero()
        };
        *v = (*v - eps * sign).max(F::zero()).min(F::one()); // down the target's loss
    });
    out
    // ANCHOR_END: solution_targeted
}
// ANCHOR_END: targeted
