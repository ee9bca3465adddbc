//! Automatic checks for the Chapter 8 exercises.
//!
//! Run them with `cargo test -p exercises --test ch08`.

use exercises::ch08_trends::{fgsm, targeted_fgsm};
use scratchnet::loss::{Loss, SoftmaxCrossEntropy, one_hot};
use scratchnet::prelude::*;

// ANCHOR: tests
/// A small trained-looking classifier: 6 inputs, 3 classes, fixed weights.
fn net() -> Sequential {
    let mut rng = seeded_rng(8);
    Sequential::new()
        .with(Dense::new(6, 10, Init::HeNormal, &mut rng))
        .with(ReLU::new())
        .with(Dropout::new(0.5, 8)) // must not act: the attack uses the evaluated network
        .with(Dense::new(10, 3, Init::XavierUniform, &mut rng))
}

fn images() -> Tensor {
    Tensor::from_shape_fn(vec![8, 6], |i| ((i[0] * 7 + i[1] * 3) % 11) as f64 / 10.0)
}

fn loss(net: &mut Sequential, x: &Tensor, labels: &[usize]) -> f64 {
    SoftmaxCrossEntropy::new().forward(&net.forward(x, Mode::Eval), &one_hot(labels, 3))
}

#[test]
fn ex8_1_fgsm_on_a_linear_logit_gains_eps_times_the_l1_norm() {
    // z₀ = 0, z₁ = w·x: against label 0, the worst ±ε step raises z₁ by ε‖w‖₁.
    let w = [0.5, -1.5, 2.0, -0.25];
    let mut linear = Sequential::new().with(Dense::new(4, 2, Init::Zeros, &mut seeded_rng(0)));
    let mut weights = Tensor::zeros(vec![4, 2]);
    for (i, &wi) in w.iter().enumerate() {
        weights[[i, 1]] = wi;
    }
    linear.params_mut()[0].value = weights;
    let x = tensor(&[1, 4], &[0.5, 0.5, 0.5, 0.5]);
    let x_adv = fgsm(&mut linear, &x, &[0], 0.1);
    assert_eq!(x_adv, tensor(&[1, 4], &[0.6, 0.4, 0.6, 0.4]));
}

#[test]
fn ex8_1_fgsm_moves_every_pixel_by_at_most_eps_and_raises_the_loss() {
    let (mut net, x, labels) = (net(), images(), [0, 1, 2, 0, 1, 2, 0, 1]);
    let before = loss(&mut net, &x, &labels);
    let x_adv = fgsm(&mut net, &x, &labels, 0.05);
    assert_eq!(x_adv.shape(), x.shape());
    for (a, b) in x_adv.iter().zip(x.iter()) {
        assert!((a - b).abs() <= 0.05 + 1e-12 && (0.0..=1.0).contains(a));
    }
    assert!(loss(&mut net, &x_adv, &labels) > before);
}

#[test]
fn ex8_1_fgsm_clips_to_the_pixel_range() {
    let mut net = net();
    let x = Tensor::from_shape_fn(vec![2, 6], |i| (i[1] % 2) as f64); // only 0s and 1s
    let x_adv = fgsm(&mut net, &x, &[0, 1], 0.3);
    assert!(x_adv.iter().all(|v| (0.0..=1.0).contains(v)));
    assert!(x_adv.iter().any(|&v| v != 0.0 && v != 1.0)); // some pixels moved inwards
}

#[test]
fn ex8_2_targeted_fgsm_lowers_the_targets_loss() {
    let (mut net, x) = (net(), images());
    let targets = [2, 2, 2, 2, 2, 2, 2, 2];
    let before = loss(&mut net, &x, &targets);
    let x_adv = targeted_fgsm(&mut net, &x, &targets, 0.05);
    for (a, b) in x_adv.iter().zip(x.iter()) {
        assert!((a - b).abs() <= 0.05 + 1e-12 && (0.0..=1.0).contains(a));
    }
    assert!(loss(&mut net, &x_adv, &targets) < before);
}

#[test]
fn ex8_2_targeted_fgsm_steps_against_the_untargeted_one() {
    // With the target equal to the label, targeted FGSM is FGSM's opposite step.
    let (mut net, x, labels) = (net(), images(), [0, 1, 2, 0, 1, 2, 0, 1]);
    let away = fgsm(&mut net, &x, &labels, 0.01);
    let towards = targeted_fgsm(&mut net, &x, &labels, 0.01);
    let interior = |v: f64| v > 0.02 && v < 0.98; // no clipping within 0.01 of these
    for ((a, t), &v) in away.iter().zip(towards.iter()).zip(x.iter()) {
        if interior(v) {
            assert!(((a - v) + (t - v)).abs() < 1e-12); // equal and opposite moves
        }
    }
    assert!(away != x); // and the attack did move something
}
// ANCHOR_END: tests
