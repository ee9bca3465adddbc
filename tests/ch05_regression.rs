//! The facts of Chapter 5's regression part and its example, checked.
//!
//! The example `examples/ch05_regression.rs` is compiled into this test as a
//! module, so the numbers its output prints and its doc comment quotes are
//! the numbers asserted here.

#[allow(dead_code)]
#[path = "../examples/ch05_regression.rs"]
mod example;

use example::{linear_case, nonlinear_case};
use nalgebra::{DMatrix, DVector};
use scratchnet::experiments::regression::least_squares;
use scratchnet::experiments::regression::*;

/// `v` as the example prints it, with `decimals` digits after the point.
fn printed(v: f64, decimals: usize) -> String {
    format!("{v:.decimals$}")
}

#[test]
fn gradient_descent_converges_to_the_least_squares_solution() {
    let data = linear_data(DATA_SEED);
    let closed_form = least_squares(&data.x_train, &data.y_train);
    let run = gradient_descent(&data, GD_STEPS);
    for (gd, ls) in run.coefficients().iter().zip(closed_form) {
        assert!((gd - ls).abs() < 1e-6, "{gd} vs {ls}");
    }
    // Not by luck at the last step: the distance shrinks geometrically, by
    // 1 − 2η = 0.8 per step in the end (the bias's direction, where the
    // MSE's curvature is 2, is the slowest), and stays below 1e-6 from step 62 on.
    let distance = |p: &[f64; 3]| {
        (0..3)
            .map(|k| (p[k] - closed_form[k]).abs())
            .fold(0.0, f64::max)
    };
    let d: Vec<f64> = run.path.iter().map(distance).collect();
    assert!(
        d[61] > 1e-6 && d[62..].iter().all(|&d| d < 1e-6),
        "{:e}",
        d[62]
    );
    let ratio = d[GD_STEPS] / d[GD_STEPS - 1];
    assert!((ratio - (1.0 - 2.0 * GD_LR)).abs() < 1e-3, "{ratio}");
    // The least-squares solution is not the true (w, b): the noise moves it.
    let truth = [TRUE_W[0], TRUE_W[1], TRUE_B];
    assert!(distance(&truth) > 1e-3 && distance(&truth) < 0.01);
}

#[test]
fn the_svd_solution_solves_the_normal_equations() {
    // An independent check of the reference itself: AᵀA·θ = Aᵀy, by Cholesky.
    let data = linear_data(DATA_SEED);
    let (x, y) = (&data.x_train, &data.y_train);
    let a = DMatrix::from_fn(N_TRAIN, 3, |i, j| if j < 2 { x[[i, j]] } else { 1.0 });
    let b = DVector::from_fn(N_TRAIN, |i, _| y[[i, 0]]);
    let normal = (a.transpose() * &a)
        .cholesky()
        .expect("AᵀA is positive definite")
        .solve(&(a.transpose() * b));
    for (k, ls) in least_squares(x, y).iter().enumerate() {
        assert!((normal[k] - ls).abs() < 1e-12, "{} vs {ls}", normal[k]);
    }
}

#[test]
fn the_network_beats_the_linear_model_on_validation_data() {
    let data = nonlinear_data(DATA_SEED);
    let mut linear = gradient_descent(&data, GD_STEPS);
    let linear = scores(&mut linear.model, &data);
    // The best plane explains only about 5 % of the variance of y.
    let explained = 1.0 - linear.train / data.y_train.var(0.0);
    assert!((0.03..0.07).contains(&explained), "{explained}");
    // Whatever the initial weights and the shuffling, the network's
    // validation error is less than a tenth of the linear model's.
    let data32 = data.cast::<f32>();
    for seed in 0..5 {
        let (mut net, _) = train_network(&data32, seed);
        let net = scores(&mut net, &data32);
        assert!(net.val < linear.val / 10.0, "seed {seed}: {net:?}");
        assert!(net.val < 4.0 * NOISE * NOISE, "seed {seed}: {net:?}");
    }
}

#[test]
fn f32_and_f64_training_agree() {
    // Chapter 5 trains in f32: here it changes nothing that the example prints.
    let data = nonlinear_data(DATA_SEED);
    let (mut net32, _) = train_network(&data.cast::<f32>(), 0);
    let (mut net64, _) = train_network(&data, 0);
    let (s32, s64) = (scores(&mut net32, &data.cast()), scores(&mut net64, &data));
    assert!((s32.val - s64.val).abs() < 1e-5, "{s32:?} {s64:?}");
}

#[test]
fn the_example_prints_what_its_doc_comment_quotes() {
    let lin = linear_case();
    for [w1, w2, b] in [lin.closed_form, lin.descent] {
        assert_eq!(
            [printed(w1, 6), printed(w2, 6), printed(b, 6)],
            ["1.996992", "-2.998109", "0.500465"]
        );
    }
    assert_eq!(printed(lin.mse_closed_form, 8), "0.00858263");
    assert_eq!(printed(lin.mse_descent, 8), "0.00858263");
    assert_eq!(format!("{:.1e}", lin.max_difference()), "2.0e-10");
    assert!((lin.mse_descent - lin.mse_closed_form).abs() < 1e-15);

    let (linear, net) = nonlinear_case();
    assert_eq!(
        [printed(linear.train, 4), printed(linear.val, 4)],
        ["0.7764", "0.7136"]
    );
    assert_eq!(
        [printed(net.train, 4), printed(net.val, 4)],
        ["0.0104", "0.0156"]
    );
}
