//! Automatic checks for the Chapter 2 exercises.
//!
//! Run them with `cargo test -p exercises --test ch02`.

use exercises::ch02_core::{MyLeakyReLU, dropout_mask, he_normal, softmax_backward};
use rand::Rng as _;
use scratchnet::activation::softmax;
use scratchnet::gradcheck::{EPSILON, check_layer, error, numeric_gradient};
use scratchnet::prelude::*;

// ANCHOR: tests
/// A random `[rows, cols]` tensor with entries in ±[0.1, 2] (away from the kink at 0).
fn random(rows: usize, cols: usize, seed: u64) -> Tensor {
    let mut rng = seeded_rng(seed);
    Tensor::from_shape_simple_fn(vec![rows, cols], || {
        let v: f64 = rng.random_range(0.1..2.0);
        if rng.random::<bool>() { v } else { -v }
    })
}

#[test]
fn ex2_1_leaky_relu_by_hand() {
    let mut layer = MyLeakyReLU::new(0.1);
    let y = layer.forward(&tensor(&[1, 3], &[-2.0, 0.5, 3.0]), Mode::Train);
    approx::assert_abs_diff_eq!(y, tensor(&[1, 3], &[-0.2, 0.5, 3.0]), epsilon = 1e-12);
    let dx = layer.backward(&tensor(&[1, 3], &[10.0, 10.0, 10.0]));
    approx::assert_abs_diff_eq!(dx, tensor(&[1, 3], &[1.0, 10.0, 10.0]), epsilon = 1e-12);
}

#[test]
fn ex2_1_leaky_relu_passes_the_gradient_check() {
    for seed in 0..5 {
        let x = random(3, 4, seed);
        let report = check_layer(&MyLeakyReLU::new(0.05 * seed as f64), &x, seed);
        assert!(report.passed(), "seed {seed}: {report:?}");
    }
}

#[test]
fn ex2_2_he_normal_has_the_right_shape_and_variance() {
    let w = he_normal(250, 400, &mut seeded_rng(1));
    assert_eq!(w.shape(), &[250, 400]);
    let mean = w.mean().unwrap();
    let var = w.mapv(|v| (v - mean).powi(2)).mean().unwrap();
    // 100,000 samples: the sample variance has a relative standard error of
    // √(2/100000) ≈ 0.45%, the mean a standard error of √(0.008/100000) ≈ 0.0003;
    // the bounds below are over five standard errors wide.
    assert!(mean.abs() < 0.0015, "mean {mean}");
    assert!(
        (var / (2.0 / 250.0) - 1.0).abs() < 0.03,
        "variance {var}, want {}",
        2.0 / 250.0
    );
}

#[test]
fn ex2_2_he_normal_depends_on_fan_in_only() {
    let narrow = he_normal(50, 2000, &mut seeded_rng(2));
    let var = narrow.mapv(|v| v * v).mean().unwrap();
    assert!(
        (var / (2.0 / 50.0) - 1.0).abs() < 0.03,
        "variance {var}, want {}",
        2.0 / 50.0
    );
}

#[test]
fn ex2_3_dropout_mask_values_and_rate() {
    let p = 0.3;
    let mask = dropout_mask(&[100, 200], p, &mut seeded_rng(3));
    assert_eq!(mask.shape(), &[100, 200]);
    let kept = 1.0 / (1.0 - p);
    assert!(
        mask.iter().all(|&m| m == 0.0 || (m - kept).abs() < 1e-12),
        "entries must be 0 or 1/(1 − p)"
    );
    let dropped = mask.iter().filter(|&&m| m == 0.0).count() as f64 / mask.len() as f64;
    assert!(
        (dropped - p).abs() < 0.02,
        "dropped fraction {dropped}, want about {p}"
    );
    assert!(
        (mask.mean().unwrap() - 1.0).abs() < 0.03,
        "the mask must average to 1"
    );
}

#[test]
fn ex2_3_dropout_mask_with_p_zero_keeps_everything() {
    let mask = dropout_mask(&[4, 5], 0.0, &mut seeded_rng(4));
    let ones: Tensor = Tensor::ones(vec![4, 5]);
    assert_eq!(mask, ones);
}

#[test]
fn ex2_4_softmax_backward_by_hand() {
    let y = tensor(&[1, 2], &[0.5, 0.5]);
    let dz = softmax_backward(&y, &tensor(&[1, 2], &[1.0, 0.0]));
    approx::assert_abs_diff_eq!(dz, tensor(&[1, 2], &[0.25, -0.25]), epsilon = 1e-12);
}

#[test]
fn ex2_4_softmax_backward_matches_central_differences() {
    for seed in 0..5 {
        let z = random(3, 4, seed) * 2.0;
        let g = random(3, 4, seed + 10);
        let analytic = softmax_backward(&softmax(&z), &g);
        let numeric = numeric_gradient(|zp| (softmax(zp) * &g).sum(), &z, EPSILON);
        assert!(error(&analytic, &numeric) < 1e-6, "seed {seed}");
    }
}
// ANCHOR_END: tests
