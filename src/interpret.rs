//! Looking inside a trained network with its own backward pass (Chapter 8):
//! the gradient of a loss or of a class score with respect to the *input*,
//! and the saliency map built from it.
//!
//! A [`Sequential`] already returns ∂L/∂x from `backward`; the only new piece
//! is the forward pass in [`Mode::EvalGrad`], which computes what the trained
//! network computes at inference (no dropout, batch norm's running
//! statistics) and still caches what `backward` needs.

use crate::layer::{Layer, Mode};
use crate::loss::{Loss, SoftmaxCrossEntropy, one_hot};
use crate::model::Sequential;
use crate::tensor::{Float, Tensor};

/// The loss of `net` on `(x, target)` in evaluation behaviour, and its
/// gradient with respect to the input, ∇ₓL (the same shape as `x`).
///
/// The loss is the batch mean, so each row of the gradient is that example's
/// own gradient divided by the batch size.
///
/// # Shapes
/// * `x`: whatever `net` takes, `[batch, ...]`
/// * `target`: what `loss` takes with `net`'s output, e.g. `[batch, classes]`
/// * returned gradient: the shape of `x`
///
/// ```
/// use scratchnet::{interpret::input_gradient, prelude::*};
/// // One dense layer z = x·W: ∂(½‖z − y‖²·(2/n))/∂x = (z − y)·Wᵀ.
/// let mut net = Sequential::new().with(Dense::new(2, 1, Init::Zeros, &mut seeded_rng(0)));
/// net.params_mut()[0].value = tensor(&[2, 1], &[3.0, -1.0]);
/// let x = tensor(&[1, 2], &[1.0, 1.0]); // z = 3 − 1 = 2
/// let (loss, g) = input_gradient(&mut net, &mut MeanSquaredError::new(), &x, &tensor(&[1, 1], &[0.0]));
/// assert_eq!(loss, 4.0); // MSE of (2 − 0)
/// assert_eq!(g, tensor(&[1, 2], &[12.0, -4.0])); // 2·(z − y)·Wᵀ = 4·(3, −1)
/// ```
// ANCHOR: input_gradient
pub fn input_gradient<F: Float>(
    net: &mut Sequential<F>,
    loss: &mut dyn Loss<F>,
    x: &Tensor<F>,
    target: &Tensor<F>,
) -> (F, Tensor<F>) {
    let prediction = net.forward(x, Mode::EvalGrad); // inference's function, with caches
    let value = loss.forward(&prediction, target);
    let grad_x = net.backward(&loss.backward()); // ∂L/∂x, [batch, ...] like x
    (value, grad_x)
}
// ANCHOR_END: input_gradient

/// The cross-entropy of `net`'s logits on `labels` and its gradient with
/// respect to `x` ([`input_gradient`] with [`SoftmaxCrossEntropy`]).
///
/// # Shapes
/// * `x`: `[batch, ...]`; `net` must output logits `[batch, classes]`
///
/// ```
/// use scratchnet::{interpret::cross_entropy_gradient, prelude::*};
/// let mut net = Sequential::new().with(Dense::new(3, 2, Init::Zeros, &mut seeded_rng(0)));
/// let (loss, g) = cross_entropy_gradient(&mut net, &tensor(&[1, 3], &[1.0, 2.0, 3.0]), &[0]);
/// assert!((loss - 2f64.ln()).abs() < 1e-12); // zero weights: p = (½, ½)
/// assert!(g.iter().all(|&v| v == 0.0)); // and the input does not matter
/// ```
pub fn cross_entropy_gradient<F: Float>(
    net: &mut Sequential<F>,
    x: &Tensor<F>,
    labels: &[usize],
) -> (F, Tensor<F>) {
    let logits = net.forward(x, Mode::EvalGrad); // [batch, classes]
    let mut loss = SoftmaxCrossEntropy::new();
    let value = loss.forward(&logits, &one_hot(labels, logits.shape()[1]));
    (value, net.backward(&loss.backward())) // ∂L/∂x, [batch, ...]
}

/// The saliency map of Simonyan et al. (2014): for each example, |∂z_c/∂x|,
/// how much the logit z_c of class `classes[i]` changes when one input value
/// changes, in evaluation behaviour.
///
/// # Shapes
/// * `x`: `[batch, ...]`; `net` must output logits `[batch, classes]`
/// * `classes`: one class per example
/// * returned map: the shape of `x`
///
/// ```
/// use scratchnet::{interpret::saliency, prelude::*};
/// // A linear model: z = x·W, so ∂z_c/∂x is column c of W, whatever x is.
/// let mut net = Sequential::new().with(Dense::new(3, 2, Init::Zeros, &mut seeded_rng(0)));
/// net.params_mut()[0].value = tensor(&[3, 2], &[1.0, 4.0, -2.0, 5.0, 3.0, -6.0]);
/// let s = saliency(&mut net, &tensor(&[2, 3], &[0.0; 6]), &[0, 1]);
/// assert_eq!(s, tensor(&[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]));
/// ```
// ANCHOR: saliency
pub fn saliency<F: Float>(net: &mut Sequential<F>, x: &Tensor<F>, classes: &[usize]) -> Tensor<F> {
    let logits = net.forward(x, Mode::EvalGrad); // [batch, classes]
    let picked = one_hot(classes, logits.shape()[1]); // ∂z_c/∂z: 1 at c, 0 elsewhere
    net.backward(&picked).mapv(|g| g.abs()) // |∂z_c/∂x|, [batch, ...]
}
// ANCHOR_END: saliency

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck::{error, numeric_gradient};
    use crate::prelude::*;
    use rand::Rng as _;

    /// A network with every layer whose evaluation differs from training.
    fn net(seed: u64) -> Sequential {
        let mut rng = seeded_rng(seed);
        let mut bn = BatchNorm::new(6);
        bn.running_mean.value = Tensor::from_shape_fn(vec![6], |i| 0.1 * i[0] as f64);
        bn.running_var.value = Tensor::from_shape_fn(vec![6], |i| 0.5 + 0.3 * i[0] as f64);
        Sequential::new()
            .with(Dense::new(5, 6, Init::HeNormal, &mut rng))
            .with(bn)
            .with(Tanh::new())
            .with(Dropout::new(0.5, seed))
            .with(Dense::new(6, 3, Init::XavierUniform, &mut rng))
    }

    #[test]
    fn input_gradient_matches_the_numeric_gradient_of_the_evaluated_network() {
        for seed in 0..4 {
            let mut rng = seeded_rng(100 + seed);
            let x: Tensor =
                Tensor::from_shape_simple_fn(vec![4, 5], || rng.random_range(-1.0..1.0));
            let labels = [0, 2, 1, 2];
            let mut analytic = net(seed);
            let (_, g) = cross_entropy_gradient(&mut analytic, &x, &labels);
            let mut evaluated = net(seed);
            let numeric = numeric_gradient(
                |x| {
                    let z = evaluated.forward(x, Mode::Eval);
                    SoftmaxCrossEntropy::new().forward(&z, &one_hot(&labels, 3))
                },
                &x,
                1e-6,
            );
            assert!(
                error(&g, &numeric) < 1e-7,
                "seed {seed}: {}",
                error(&g, &numeric)
            );
        }
    }

    #[test]
    fn saliency_is_the_absolute_numeric_gradient_of_the_class_logit() {
        let mut rng = seeded_rng(7);
        let x: Tensor = Tensor::from_shape_simple_fn(vec![1, 5], || rng.random_range(-1.0..1.0));
        let s = saliency(&mut net(3), &x, &[2]);
        let mut evaluated = net(3);
        let numeric = numeric_gradient(|x| evaluated.forward(x, Mode::Eval)[[0, 2]], &x, 1e-6);
        assert!(error(&s, &numeric.mapv(f64::abs)) < 1e-7);
    }

    #[test]
    fn eval_grad_computes_what_eval_computes() {
        let x: Tensor = Tensor::from_shape_fn(vec![3, 5], |i| (i[0] as f64 - i[1] as f64) / 4.0);
        let mut n = net(1);
        assert_eq!(n.forward(&x, Mode::EvalGrad), n.forward(&x, Mode::Eval));
    }
}
