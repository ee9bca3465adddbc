//! Chapter 4: seven optimizers on the same problems.
//!
//! What it shows: every optimizer of `scratchnet::optim` (SGD, momentum,
//! Nesterov, AdaGrad, RMSProp, Adam, Adadelta) minimising
//!
//! 1. Saito's bowl f(x, y) = x²/20 + y² from (−7, 2), 30 steps,
//! 2. Rosenbrock's valley from (−1.5, 2), 3000 steps,
//! 3. the cross-entropy of a 2-32-3 tanh network on three spirals, 300
//!    full-batch steps from the same initial weights,
//!
//! and, on the network, Adadelta with tf.keras' default learning rate of
//! 0.001 next to Zeiler's original method (learning rate 1).
//!
//! Run it with `cargo run --release --example ch04_optimizers` (a second or two).
//!
//! What to expect: a table per problem with the final value and the first
//! step below a threshold. On the bowl, AdaGrad and RMSProp get closest in
//! 30 steps, and Adadelta has barely moved; on Rosenbrock, momentum, Nesterov
//! and Adam reach the minimum (1, 1) while plain SGD is still crawling along
//! the valley; on the spirals, Adam ends lowest, and Adadelta with
//! learning rate 0.001 does not learn at all in 300 steps (its loss stays at
//! the starting 1.15). The learning rates are those of Figures 4.1–4.4.

use scratchnet::experiments::optimizers::{
    self, BOWL, Contender, ROSENBROCK, Surface, descend, first_below,
};

fn surface_table(
    title: &str,
    surface: Surface,
    start: (f64, f64),
    steps: usize,
    threshold: f64,
    lineup: Vec<Contender>,
) {
    println!("{title}: {steps} steps from {start:?}");
    println!(
        "  {:<26} {:>12} {:>22} {:>10}",
        "optimizer",
        "final f",
        "final point",
        format!("f < {threshold}")
    );
    for (name, mut opt) in lineup {
        let path = descend(opt.as_mut(), &surface, start, steps);
        let values: Vec<f64> = path.iter().map(|&(x, y)| (surface.f)(x, y)).collect();
        let (x, y) = path[steps];
        let reached =
            first_below(&values, threshold).map_or("never".to_string(), |s| format!("step {s}"));
        println!(
            "  {name:<26} {:>12.3e} {:>22} {reached:>10}",
            values[steps],
            format!("({x:.3}, {y:.3})")
        );
    }
    println!();
}

fn main() {
    surface_table(
        "Bowl x²/20 + y²",
        BOWL,
        (-7.0, 2.0),
        30,
        0.01,
        optimizers::bowl_lineup(),
    );
    surface_table(
        "Rosenbrock",
        ROSENBROCK,
        (-1.5, 2.0),
        3000,
        0.01,
        optimizers::rosenbrock_lineup(),
    );

    let steps = optimizers::SPIRAL_STEPS;
    println!("Spirals, 2-32-3 tanh network, softmax cross-entropy: {steps} full-batch steps");
    println!(
        "  {:<26} {:>10} {:>10} {:>12}",
        "optimizer", "start", "final", "loss < 0.5"
    );
    for (name, mut opt) in optimizers::spiral_lineup() {
        let losses = optimizers::train_spirals(opt.as_mut(), steps);
        let reached =
            first_below(&losses, 0.5).map_or("never".to_string(), |s| format!("step {s}"));
        println!(
            "  {name:<26} {:>10.4} {:>10.4} {reached:>12}",
            losses[0],
            losses[steps - 1]
        );
    }
}
