//! Numerics at the extremes (issue: reliability): the activations and losses
//! stay finite and correct for logits of ±1000, and for targets and
//! probabilities of exactly 0 and 1, in `f32` and in `f64` — the cases where
//! a textbook formula computes exp(1000) = ∞ or ln 0 = −∞.

use scratchnet::Float;
use scratchnet::activation::{Sigmoid, Softmax, sigmoid, sigmoid_prime, softmax};
use scratchnet::layer::{Layer, Mode};
use scratchnet::loss::{
    BinaryCrossEntropyWithLogits, Loss, MeanSquaredError, SoftmaxCrossEntropy, log_softmax,
};
use scratchnet::tensor::Tensor;

const BIG: f64 = 1000.0;

fn t<F: Float>(shape: &[usize], values: &[f64]) -> Tensor<F> {
    Tensor::from_shape_vec(shape.to_vec(), values.iter().map(|&v| F::cast(v)).collect()).unwrap()
}

fn all_finite<F: Float>(x: &Tensor<F>) -> bool {
    x.iter().all(|v| v.is_finite())
}

fn close<F: Float>(a: F, b: f64, tolerance: f64) -> bool {
    (a.as_f64() - b).abs() <= tolerance * (1.0 + b.abs())
}

fn sigmoid_saturates_without_overflow<F: Float>() {
    assert_eq!(sigmoid(F::cast(BIG)), F::one());
    assert_eq!(sigmoid(F::cast(-BIG)), F::zero());
    assert_eq!(sigmoid_prime(F::cast(BIG)), F::zero());
    assert_eq!(sigmoid_prime(F::cast(-BIG)), F::zero());
    let mut layer = Sigmoid::<F>::new();
    let y = layer.forward(&t(&[1, 3], &[-BIG, 0.0, BIG]), Mode::Train);
    assert!(all_finite(&y));
    let dx = layer.backward(&t(&[1, 3], &[1.0, 1.0, 1.0]));
    assert!(all_finite(&dx));
    assert!(close(dx[[0, 1]], 0.25, 1e-6));
}

fn softmax_and_log_softmax_of_huge_logits<F: Float>() {
    let z = t::<F>(&[3, 3], &[BIG, -BIG, 0.0, BIG, BIG, BIG, -BIG, -BIG, -BIG]);
    let p = softmax(&z);
    assert!(all_finite(&p));
    for row in p.outer_iter() {
        assert!(close(row.sum(), 1.0, 1e-6));
    }
    assert_eq!((p[[0, 0]], p[[0, 1]]), (F::one(), F::zero())); // exactly 1 and 0
    assert!(close(p[[1, 0]], 1.0 / 3.0, 1e-6) && close(p[[2, 2]], 1.0 / 3.0, 1e-6));
    let log_p = log_softmax(&z);
    assert!(all_finite(&log_p)); // ln 0 would be −∞: the log-sum-exp form gives −2000
    assert!(close(log_p[[0, 1]], -2.0 * BIG, 1e-6));
    assert!(close(log_p[[1, 0]], -(3f64.ln()), 1e-6));
    let mut layer = Softmax::<F>::new();
    layer.forward(&z, Mode::Train);
    assert!(all_finite(&layer.backward(&t(
        &[3, 3],
        &[1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0]
    ))));
}

fn cross_entropy_of_huge_logits<F: Float>() {
    let mut ce = SoftmaxCrossEntropy::<F>::new();
    let z = t::<F>(&[2, 3], &[BIG, -BIG, 0.0, -BIG, BIG, 0.0]);
    // Row 1 is confidently right (loss 0), row 2 confidently wrong (loss 2000).
    let y = t::<F>(&[2, 3], &[1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    let l = ce.forward(&z, &y);
    assert!(close(l, BIG, 1e-6), "{}", l.as_f64()); // (0 + 2000)/2
    let g = ce.backward();
    assert!(all_finite(&g));
    assert!(close(g[[1, 0]], -0.5, 1e-6) && close(g[[1, 1]], 0.5, 1e-6)); // (p − y)/2
}

fn binary_cross_entropy_of_huge_logits<F: Float>() {
    let mut bce = BinaryCrossEntropyWithLogits::<F>::new();
    let z = t::<F>(&[4, 1], &[BIG, -BIG, BIG, -BIG]);
    let y = t::<F>(&[4, 1], &[1.0, 0.0, 0.0, 1.0]); // right, right, wrong, wrong
    let l = bce.forward(&z, &y);
    assert!(close(l, 500.0, 1e-6), "{}", l.as_f64()); // (0 + 0 + 1000 + 1000)/4
    let g = bce.backward();
    assert!(all_finite(&g));
    assert!(close(g[[2, 0]], 0.25, 1e-6) && close(g[[3, 0]], -0.25, 1e-6));
    // Soft targets of exactly 0 and 1 at z = 0: ln 2 each.
    let l = bce.forward(&t(&[2, 1], &[0.0, 0.0]), &t(&[2, 1], &[0.0, 1.0]));
    assert!(close(l, 2f64.ln(), 1e-6));
}

fn mse_of_probabilities_zero_and_one<F: Float>() {
    let mut mse = MeanSquaredError::<F>::new();
    let l = mse.forward(&t(&[2, 1], &[0.0, 1.0]), &t(&[2, 1], &[1.0, 0.0]));
    assert!(close(l, 1.0, 1e-6));
    assert!(all_finite(&mse.backward()));
}

#[test]
fn sigmoid_saturates_without_overflow_f32_f64() {
    sigmoid_saturates_without_overflow::<f32>();
    sigmoid_saturates_without_overflow::<f64>();
}

#[test]
fn softmax_and_log_softmax_stay_finite_f32_f64() {
    softmax_and_log_softmax_of_huge_logits::<f32>();
    softmax_and_log_softmax_of_huge_logits::<f64>();
}

#[test]
fn cross_entropy_stays_finite_f32_f64() {
    cross_entropy_of_huge_logits::<f32>();
    cross_entropy_of_huge_logits::<f64>();
}

#[test]
fn binary_cross_entropy_stays_finite_f32_f64() {
    binary_cross_entropy_of_huge_logits::<f32>();
    binary_cross_entropy_of_huge_logits::<f64>();
}

#[test]
fn mse_of_probabilities_zero_and_one_f32_f64() {
    mse_of_probabilities_zero_and_one::<f32>();
    mse_of_probabilities_zero_and_one::<f64>();
}
