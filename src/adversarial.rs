//! Adversarial examples (Chapter 8): the fast gradient sign method (FGSM) of
//! Goodfellow et al. (2015), and random sign noise of the same size to
//! compare it with.
//!
//! Both move every pixel by exactly ±ε (the L∞ norm of the change is ε) and
//! clip to the valid range [0, 1]; FGSM chooses each sign to increase the
//! loss, the noise chooses it at random.

use crate::interpret::cross_entropy_gradient;
use crate::model::Sequential;
use crate::tensor::{Float, Rng, Tensor};
use rand::Rng as _;

/// One FGSM step: x′ = clip(x + ε·sign(∇ₓL), 0, 1), where `grad` is ∇ₓL
/// (any positive multiple of it gives the same step). A zero gradient
/// leaves its pixel where it is.
///
/// # Shapes
/// * `x`, `grad` and the result: the same shape, e.g. `[batch, 784]`
///
/// **Panics** if the shapes differ.
///
/// ```
/// use scratchnet::{adversarial::fgsm_step, tensor};
/// let x = tensor(&[1, 4], &[0.5, 0.5, 0.95, 0.0]);
/// let grad = tensor(&[1, 4], &[2.0, -0.1, 3.0, 0.0]);
/// // +ε, −ε, +ε clipped to 1, and no move where the gradient is 0
/// assert_eq!(fgsm_step(&x, &grad, 0.1), tensor(&[1, 4], &[0.6, 0.4, 1.0, 0.0]));
/// ```
// ANCHOR: fgsm_step
pub fn fgsm_step<F: Float>(x: &Tensor<F>, grad: &Tensor<F>, eps: f64) -> Tensor<F> {
    assert_eq!(
        x.shape(),
        grad.shape(),
        "fgsm_step: x and its gradient differ in shape"
    );
    let eps = F::cast(eps);
    let mut adversarial = x.clone();
    adversarial.zip_mut_with(grad, |x, &g| {
        let sign = if g > F::zero() {
            F::one()
        } else if g < F::zero() {
            -F::one()
        } else {
            F::zero()
        };
        *x = (*x + eps * sign).max(F::zero()).min(F::one()) // clip to the pixels' range
    });
    adversarial
}
// ANCHOR_END: fgsm_step

/// FGSM against a classifier: the gradient of the cross-entropy of `net`'s
/// logits on the true `labels` with respect to the images `x` (evaluation
/// behaviour), then [`fgsm_step`]. Untargeted: it pushes each image away
/// from its true class, towards whichever class gains most.
///
/// # Shapes
/// * `x` and the result: `[batch, ...]` in [0, 1]; `net` outputs `[batch, classes]`
///
/// ```
/// use scratchnet::{adversarial::fgsm, prelude::*};
/// // Two classes scored by z₀ = x₀ − x₁ and z₁ = x₁ − x₀.
/// let mut net = Sequential::new().with(Dense::new(2, 2, Init::Zeros, &mut seeded_rng(0)));
/// net.params_mut()[0].value = tensor(&[2, 2], &[1.0, -1.0, -1.0, 1.0]);
/// let x = tensor(&[1, 2], &[0.625, 0.375]); // class 0, by a margin of 0.5
/// let x_adv = fgsm(&mut net, &x, &[0], 0.25);
/// assert_eq!(x_adv, tensor(&[1, 2], &[0.375, 0.625])); // now class 1
/// ```
pub fn fgsm<F: Float>(
    net: &mut Sequential<F>,
    x: &Tensor<F>,
    labels: &[usize],
    eps: f64,
) -> Tensor<F> {
    let (_, grad) = cross_entropy_gradient(net, x, labels); // ∇ₓL, [batch, ...]
    fgsm_step(x, &grad, eps)
}

/// Random sign noise of the size of an FGSM step: x + ε·s with every sᵢ = ±1
/// drawn independently with equal odds, clipped to [0, 1] — the same L∞
/// change as [`fgsm_step`], in a random direction.
///
/// # Shapes
/// * `x` and the result: the same shape
///
/// ```
/// use scratchnet::{adversarial::random_sign, seeded_rng, tensor};
/// let x = tensor(&[1, 3], &[0.5, 0.5, 0.5]);
/// let noisy = random_sign(&x, 0.25, &mut seeded_rng(0));
/// assert!(noisy.iter().all(|&v| v == 0.25 || v == 0.75)); // every pixel moved by exactly ε
/// ```
pub fn random_sign<F: Float>(x: &Tensor<F>, eps: f64, rng: &mut Rng) -> Tensor<F> {
    let eps = F::cast(eps);
    x.mapv(|v| {
        let step = if rng.random::<bool>() { eps } else { -eps };
        (v + step).max(F::zero()).min(F::one())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loss::{Loss, SoftmaxCrossEntropy, one_hot};
    use crate::prelude::*;

    /// The worst L∞ step of a linear score: for z = w·x, the largest increase
    /// of z under a change η with ‖η‖∞ ≤ ε is ε‖w‖₁, reached at η = ε·sign(w)
    /// (Goodfellow et al.'s η, not a learning rate). FGSM finds it, and none of
    /// 50 random ±ε steps per seed beats it.
    #[test]
    fn fgsm_on_a_linear_logit_gains_exactly_eps_times_the_l1_norm() {
        for seed in 0..5 {
            let mut rng = seeded_rng(seed);
            let n = 20;
            // Two classes with logits z₀ = 0 and z₁ = w·x: the loss of label 0
            // grows with z₁, so FGSM raises z₁ by ε‖w‖₁ (pixels kept inside [0, 1]).
            let w: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
            let mut weights = Tensor::zeros(vec![n, 2]);
            for (i, &wi) in w.iter().enumerate() {
                weights[[i, 1]] = wi;
            }
            let mut net = Sequential::new().with(Dense::new(n, 2, Init::Zeros, &mut rng));
            net.params_mut()[0].value = weights;
            let x: Tensor = Tensor::from_shape_simple_fn(vec![1, n], || rng.random_range(0.3..0.7));
            let eps = 0.2;
            let x_adv = fgsm(&mut net, &x, &[0], eps);
            let z = |net: &mut Sequential, x: &Tensor| net.forward(x, Mode::Eval)[[0, 1]];
            let gain = z(&mut net, &x_adv) - z(&mut net, &x);
            let l1: f64 = w.iter().map(|v| v.abs()).sum();
            assert!(
                (gain - eps * l1).abs() < 1e-12,
                "seed {seed}: {gain} vs {}",
                eps * l1
            );
            // and no random ±ε step does better
            for k in 0..50 {
                let noisy = random_sign(&x, eps, &mut seeded_rng(1000 + k));
                assert!(z(&mut net, &noisy) - z(&mut net, &x) <= gain + 1e-12);
            }
        }
    }

    #[test]
    fn fgsm_raises_the_loss_of_a_small_network() {
        let mut rng = seeded_rng(3);
        let mut net = Sequential::new()
            .with(Dense::new(6, 8, Init::HeNormal, &mut rng))
            .with(ReLU::new())
            .with(Dense::new(8, 3, Init::XavierUniform, &mut rng));
        let x: Tensor = Tensor::from_shape_simple_fn(vec![5, 6], || rng.random_range(0.2..0.8));
        let labels = [0, 1, 2, 1, 0];
        let loss = |net: &mut Sequential, x: &Tensor| {
            SoftmaxCrossEntropy::new().forward(&net.forward(x, Mode::Eval), &one_hot(&labels, 3))
        };
        let before = loss(&mut net, &x);
        let x_adv = fgsm(&mut net, &x, &labels, 0.01);
        assert!(loss(&mut net, &x_adv) > before);
        assert!(
            x_adv
                .iter()
                .zip(x.iter())
                .all(|(a, b)| (a - b).abs() <= 0.01 + 1e-15)
        );
    }
}
