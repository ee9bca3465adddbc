//! Gradient checks and stability tests of every loss, and the numbers
//! Chapter 4 quotes about feeding probabilities to a loss that expects logits.
//!
//! Each loss is a function L(prediction) for a fixed target; `backward` must
//! match its central-difference gradient to `gradcheck::TOLERANCE`.

use approx::assert_abs_diff_eq;
use rand::Rng as _;
use rand_distr::{Distribution, StandardNormal};
use scratchnet::activation::{sigmoid, softmax};
use scratchnet::gradcheck::{EPSILON, TOLERANCE, error, numeric_gradient};
use scratchnet::prelude::*;

fn normal(shape: &[usize], scale: f64, rng: &mut scratchnet::tensor::Rng) -> Tensor {
    Tensor::from_shape_simple_fn(shape.to_vec(), || {
        let v: f64 = StandardNormal.sample(rng);
        scale * v
    })
}

/// `backward` against the numeric gradient of `forward`, for one prediction.
fn check(loss: &mut dyn Loss, prediction: &Tensor, target: &Tensor) -> f64 {
    loss.forward(prediction, target);
    let analytic = loss.backward();
    let numeric = numeric_gradient(|p| loss.forward(p, target), prediction, EPSILON);
    error(&analytic, &numeric)
}

#[test]
fn mse_passes_gradient_check() {
    for seed in 0..10 {
        let mut rng = seeded_rng(seed);
        let shape = [rng.random_range(1..6), rng.random_range(1..5)];
        let (p, y) = (normal(&shape, 1.0, &mut rng), normal(&shape, 1.0, &mut rng));
        let e = check(&mut MeanSquaredError::new(), &p, &y);
        assert!(e <= TOLERANCE, "seed {seed}: error {e}");
    }
}

#[test]
fn bce_passes_gradient_check() {
    for seed in 0..10 {
        let mut rng = seeded_rng(seed);
        let shape = [rng.random_range(1..8), rng.random_range(1..3)];
        let z = normal(&shape, 3.0, &mut rng);
        // Hard labels and soft labels alike.
        let y = Tensor::from_shape_simple_fn(shape.to_vec(), || {
            if seed % 2 == 0 {
                rng.random_range(0..2) as f64
            } else {
                rng.random()
            }
        });
        let e = check(&mut BinaryCrossEntropyWithLogits::new(), &z, &y);
        assert!(e <= TOLERANCE, "seed {seed}: error {e}");
    }
}

#[test]
fn softmax_cross_entropy_passes_gradient_check() {
    for seed in 0..10 {
        let mut rng = seeded_rng(seed);
        let (batch, classes) = (rng.random_range(1..6), rng.random_range(2..7));
        let z = normal(&[batch, classes], 2.0, &mut rng);
        let labels: Vec<usize> = (0..batch).map(|_| rng.random_range(0..classes)).collect();
        let e = check(
            &mut SoftmaxCrossEntropy::new(),
            &z,
            &one_hot(&labels, classes),
        );
        assert!(e <= TOLERANCE, "seed {seed}: error {e}");
        // Soft targets (label smoothing, distillation) work too.
        let soft = softmax(&normal(&[batch, classes], 1.0, &mut rng));
        let e = check(&mut SoftmaxCrossEntropy::new(), &z, &soft);
        assert!(e <= TOLERANCE, "seed {seed}, soft targets: error {e}");
    }
}

/// A cross-entropy whose gradient forgets to divide by the batch size.
struct SumInsteadOfMean(SoftmaxCrossEntropy);

impl Loss for SumInsteadOfMean {
    fn forward(&mut self, p: &Tensor, y: &Tensor) -> f64 {
        self.0.forward(p, y)
    }
    fn backward(&mut self) -> Tensor {
        let g = self.0.backward();
        let batch = g.shape()[0] as f64;
        g * batch
    }
}

#[test]
fn the_check_catches_a_forgotten_mean() {
    let mut rng = seeded_rng(3);
    let z = normal(&[4, 3], 1.0, &mut rng);
    let e = check(
        &mut SumInsteadOfMean(SoftmaxCrossEntropy::new()),
        &z,
        &one_hot(&[0, 1, 2, 0], 3),
    );
    assert!(e > 0.01, "a gradient 4 times too large went unnoticed: {e}");
}

#[test]
fn bce_matches_the_textbook_formula() {
    // −[y ln σ(z) + (1 − y) ln(1 − σ(z))], where that formula is safe to evaluate.
    let mut bce = BinaryCrossEntropyWithLogits::new();
    let z = tensor(&[4, 1], &[-3.0, -0.5, 0.2, 4.0]);
    let y = tensor(&[4, 1], &[0.0, 1.0, 1.0, 0.3]);
    let naive: f64 = z
        .iter()
        .zip(y.iter())
        .map(|(&z, &y)| -(y * sigmoid(z).ln() + (1.0 - y) * (1.0 - sigmoid(z)).ln()))
        .sum::<f64>()
        / 4.0;
    assert_abs_diff_eq!(bce.forward(&z, &y), naive, epsilon = 1e-12);
}

#[test]
fn cross_entropy_matches_the_textbook_formula() {
    let z = tensor(&[2, 3], &[1.0, 2.0, 0.5, -1.0, 0.0, 3.0]);
    let p = softmax(&z);
    let naive = -(p[[0, 1]].ln() + p[[1, 0]].ln()) / 2.0;
    assert_abs_diff_eq!(
        SoftmaxCrossEntropy::new().forward(&z, &one_hot(&[1, 0], 3)),
        naive,
        epsilon = 1e-12
    );
}

#[test]
fn bce_is_stable_for_huge_logits() {
    let mut bce = BinaryCrossEntropyWithLogits::new();
    let z = tensor(&[4, 1], &[1000.0, -1000.0, 1000.0, -1000.0]);
    let y = tensor(&[4, 1], &[1.0, 0.0, 0.0, 1.0]);
    // Two confidently right (loss 0), two confidently wrong (loss 1000 each).
    assert_eq!(bce.forward(&z, &y), 500.0);
    // Gradients (σ(z) − y)/4: 0 where right, ±1/4 where wrong.
    assert_eq!(bce.backward(), tensor(&[4, 1], &[0.0, 0.0, 0.25, -0.25]));
    // The textbook formula gives ln 0 = −∞ and NaN here.
    let naive = -(0.0 * sigmoid(1000f64).ln() + 1.0 * (1.0 - sigmoid(1000f64)).ln());
    assert!(naive.is_infinite());
}

#[test]
fn cross_entropy_is_stable_for_huge_logits() {
    let mut ce = SoftmaxCrossEntropy::new();
    let z = tensor(&[2, 3], &[1000.0, -1000.0, 0.0, 1000.0, -1000.0, 0.0]);
    // Row 0 is confidently right (loss 0), row 1 confidently wrong (loss 2000).
    let l = ce.forward(&z, &one_hot(&[0, 1], 3));
    assert_eq!(l, 1000.0);
    let g = ce.backward();
    assert!(g.iter().all(|v| v.is_finite()));
    assert_abs_diff_eq!(
        g,
        tensor(&[2, 3], &[0.0, 0.0, 0.0, 0.5, -0.5, 0.0]),
        epsilon = 1e-15
    );
}

// ANCHOR: double_softmax
/// The loss and the gradient ∂L/∂z of the seed-002 mistake: a softmax layer
/// in front of a loss that applies softmax again (`from_logits=True`).
fn softmax_twice(z: &Tensor, y: &Tensor) -> (f64, Tensor) {
    let loss = |z: &Tensor| SoftmaxCrossEntropy::new().forward(&softmax(z), y);
    (loss(z), numeric_gradient(loss, z, EPSILON))
}

/// The right way: the logits go straight into the fused loss.
fn softmax_once(z: &Tensor, y: &Tensor) -> (f64, Tensor) {
    let mut ce = SoftmaxCrossEntropy::new();
    (ce.forward(z, y), ce.backward())
}
// ANCHOR_END: double_softmax

fn norm(t: &Tensor) -> f64 {
    t.mapv(|v| v * v).sum().sqrt()
}

#[test]
fn softmax_twice_has_a_loss_floor() {
    // Ten classes, a perfect and supremely confident network.
    let mut z = Tensor::zeros(vec![1, 10]);
    z[[0, 3]] = 1000.0;
    let y = one_hot(&[3], 10);
    assert_eq!(softmax_once(&z, &y).0, 0.0);
    // Softmax of probabilities (one 1, nine 0s) is e/(e + 9) at best:
    // the loss cannot go below ln(1 + 9/e) = 1.4612.
    let (floor, _) = softmax_twice(&z, &y);
    assert_abs_diff_eq!(floor, (1.0 + 9.0 / 1f64.exp()).ln(), epsilon = 1e-12);
    assert_abs_diff_eq!(floor, 1.4612, epsilon = 1e-4);
    // The best probability the second softmax can give the right class.
    assert_abs_diff_eq!(
        (-floor).exp(),
        1f64.exp() / (1f64.exp() + 9.0),
        epsilon = 1e-12
    );
    assert_abs_diff_eq!((-floor).exp(), 0.232, epsilon = 1e-3);
}

#[test]
fn softmax_twice_squashes_the_gradient() {
    // Ten classes; the network is confidently WRONG: logit 10 on class 1, label 0.
    let mut z = Tensor::zeros(vec![1, 10]);
    z[[0, 1]] = 10.0;
    let y = one_hot(&[0], 10);
    let (right_loss, right_grad) = softmax_once(&z, &y);
    let (twice_loss, twice_grad) = softmax_twice(&z, &y);
    // Right: a loss of 10.0 and a gradient of norm 1.41 that pushes hard.
    assert_abs_diff_eq!(right_loss, 10.0, epsilon = 0.01);
    assert_abs_diff_eq!(norm(&right_grad), 1.41, epsilon = 0.01);
    // Twice: a loss of only 2.46 and a gradient of norm 0.00012, about
    // 12 000 times smaller: the network barely learns from its worst mistakes.
    assert_abs_diff_eq!(twice_loss, 2.46, epsilon = 0.01);
    assert_abs_diff_eq!(norm(&twice_grad), 0.000119, epsilon = 0.000001);
    let ratio = norm(&right_grad) / norm(&twice_grad);
    assert!((11_800.0..12_000.0).contains(&ratio), "ratio {ratio}");
}
