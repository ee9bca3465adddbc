//! Chapter 5: regression, linear and not.
//!
//! What it shows, on the data sets of `scratchnet::experiments::regression`
//! (inputs uniform on [−2, 2]², Gaussian noise σ = 0.1, 400 training and 200
//! validation points):
//!
//! 1. **The linear case**, y = 2x₁ − 3x₂ + 0.5 + noise. A `Dense(2 → 1)`
//!    trained by 100 steps of full-batch gradient descent (`fit`, learning
//!    rate 0.1) next to the closed-form least-squares solution, computed
//!    by `nalgebra` (an SVD of the design matrix [x₁ x₂ 1]).
//! 2. **The non-linear case**, y = sin(2x₁) + x₂²/2 + noise. The same linear
//!    model against the seed article's network, 2 → Dense 10, ReLU →
//!    Dense 1, trained with Adam (η = 0.01) on the mean squared error,
//!    200 epochs of mini-batches of 32.
//!
//! Run it with `cargo run --release --example ch05_regression` (well under a
//! second; every seed is fixed, so the output is the same on every run).
//!
//! What to expect:
//!
//! 1. Both methods give w₁ = 1.996992, w₂ = −2.998109, b = 0.500465 (the
//!    true 2, −3, 0.5 up to the noise) and the same training MSE,
//!    0.00858263; their coefficients differ by at most 2.0e-10, far below
//!    the 1e-6 we ask for: gradient descent has found the least-squares
//!    solution.
//! 2. The linear model stays at a mean squared error of 0.7764 (training)
//!    and 0.7136 (validation), barely below the variance of y; the network
//!    reaches 0.0104 and 0.0156, near the noise floor σ² = 0.0100.
//!
//! `tests/ch05_regression.rs` compiles this file and asserts these numbers.

use scratchnet::experiments::regression::{
    self as reg, DATA_SEED, Data, GD_STEPS, Scores, least_squares, linear_data, nonlinear_data,
    scores,
};
use scratchnet::prelude::*;
use scratchnet::train::evaluate;

/// A linear model with the given (w₁, w₂, b).
fn linear_model([w1, w2, b]: [f64; 3]) -> Dense {
    Dense::from_weights(tensor(&[2, 1], &[w1, w2]), tensor(&[1], &[b]))
}

/// Part 1's numbers.
pub struct LinearCase {
    /// (w₁, w₂, b) in closed form.
    pub closed_form: [f64; 3],
    /// (w₁, w₂, b) after `GD_STEPS` steps of gradient descent.
    pub descent: [f64; 3],
    /// Training MSE of the closed-form solution.
    pub mse_closed_form: f64,
    /// Training MSE of gradient descent's model.
    pub mse_descent: f64,
}

impl LinearCase {
    /// The largest |difference| between the two sets of coefficients.
    pub fn max_difference(&self) -> f64 {
        let pairs = self.closed_form.iter().zip(&self.descent);
        pairs.map(|(a, b)| (a - b).abs()).fold(0.0, f64::max)
    }
}

/// Part 1: gradient descent against the closed form on the linear data.
pub fn linear_case() -> LinearCase {
    let data = linear_data(DATA_SEED);
    let closed_form = least_squares(&data.x_train, &data.y_train);
    let mut run = reg::gradient_descent(&data, GD_STEPS);
    let train_mse = |model: &mut Dense| {
        let mut mse = MeanSquaredError::new();
        evaluate(model, &mut mse, &data.x_train, &data.y_train, reg::N_TRAIN)
    };
    LinearCase {
        closed_form,
        descent: run.coefficients(),
        mse_closed_form: train_mse(&mut linear_model(closed_form)),
        mse_descent: train_mse(&mut run.model),
    }
}

/// Part 2: the scores of the linear model and of the seed article's network
/// (trained in `f32`) on the non-linear data.
pub fn nonlinear_case() -> (Scores, Scores) {
    let data: Data = nonlinear_data(DATA_SEED);
    let mut linear = reg::gradient_descent(&data, GD_STEPS);
    let data32 = data.cast::<f32>();
    let (mut net, _) = reg::train_network(&data32, 0);
    (scores(&mut linear.model, &data), scores(&mut net, &data32))
}

/// `v` as a term of a sum: "+ 0.5", "− 3".
fn signed(v: f64) -> String {
    if v < 0.0 {
        format!("− {}", -v)
    } else {
        format!("+ {v}")
    }
}

fn main() {
    let [w1, w2] = reg::TRUE_W;
    println!(
        "Linear case: y = {w1}·x₁ {}·x₂ {} + noise (σ = {}), {} training points",
        signed(w2),
        signed(reg::TRUE_B),
        reg::NOISE,
        reg::N_TRAIN
    );
    let lin = linear_case();
    println!(
        "  {:<30} {:>10} {:>10} {:>10} {:>14}",
        "", "w₁", "w₂", "b", "training MSE"
    );
    let rows = [
        (
            "least squares (nalgebra, SVD)",
            lin.closed_form,
            lin.mse_closed_form,
        ),
        (
            &format!("gradient descent, {GD_STEPS} steps") as &str,
            lin.descent,
            lin.mse_descent,
        ),
    ];
    for (name, [w1, w2, b], mse) in rows {
        println!("  {name:<30} {w1:>10.6} {w2:>10.6} {b:>10.6} {mse:>14.8}");
    }
    println!(
        "  largest coefficient difference: {:.1e}; MSE difference: {:.1e}",
        lin.max_difference(),
        (lin.mse_descent - lin.mse_closed_form).abs()
    );
    println!();

    println!(
        "Non-linear case: y = sin(2x₁) + x₂²/2 + noise, {} training and {} validation points",
        reg::N_TRAIN,
        reg::N_VAL
    );
    let (linear, net) = nonlinear_case();
    println!("  {:<30} {:>10} {:>10}", "", "train MSE", "val MSE");
    let rows = [
        ("linear model (least squares)", linear),
        ("2-10-1 ReLU network, Adam", net),
    ];
    for (name, s) in rows {
        println!("  {name:<30} {:>10.4} {:>10.4}", s.train, s.val);
    }
    println!("  noise floor σ² = {:.4}", reg::NOISE * reg::NOISE);
}
