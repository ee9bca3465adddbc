//! Chapter 1, Background: the first learning machine and its limit.
//!
//! This example trains Rosenblatt's perceptron on the truth tables of AND, OR
//! and XOR with the perceptron learning rule, then trains a small two-layer
//! network on XOR with gradient descent.
//!
//! Run it with
//!
//! ```text
//! cargo run --release --example ch01_perceptron
//! ```
//!
//! What you should see: AND converges after 6 epochs and OR after 4 (an epoch
//! is one pass over the four examples; the perceptron has converged when an
//! epoch has no mistake), and their printed truth tables match the targets.
//! XOR never converges: from the third epoch on, the perceptron makes four
//! mistakes in every epoch and ends each one where it started. A search over a
//! grid of lines finds lines that get 3 of XOR's 4 examples right but none
//! that gets all 4: no straight line separates XOR's ones from its zeros. The two-layer
//! network (2 inputs, 4 tanh units, 1 sigmoid output) then gets all four XOR
//! inputs right, with outputs close to 0 and 1.

use std::error::Error;

use scratchnet::perceptron::{AND, OR, Perceptron, XOR, train};
use scratchnet::prelude::*;

/// The perceptron's learning rate η.
const LR: f64 = 0.1;
/// How long we let the perceptron try.
const MAX_EPOCHS: usize = 100;

fn main() -> Result<(), Box<dyn Error>> {
    println!("== One perceptron, learning rate {LR}, at most {MAX_EPOCHS} epochs ==");
    for (name, data) in [("AND", &AND), ("OR", &OR), ("XOR", &XOR)] {
        perceptron_report(name, data);
    }

    println!("\n== A two-layer network (2 → 4 tanh → 1 sigmoid) on XOR ==");
    let (predictions, loss) = xor_network();
    println!("mean squared error after {XOR_STEPS} steps: {loss:.5}");
    for ((x, t), p) in XOR.iter().zip(&predictions) {
        println!("  {x:?} -> {p:.3}  (target {t})");
    }
    let all_right = XOR
        .iter()
        .zip(&predictions)
        .all(|((_, t), p)| u8::from(*p > 0.5) == *t);
    if !all_right {
        return Err("the two-layer network did not learn XOR".into());
    }
    println!("all four XOR inputs classified correctly");
    Ok(())
}

/// What happened while a perceptron trained on one truth table.
pub struct Run {
    /// The perceptron after the last epoch.
    pub p: Perceptron,
    /// Mistakes made during each epoch (the last is 0 if it converged).
    pub mistakes: Vec<usize>,
    /// Examples classified correctly at the end of each epoch.
    pub correct: Vec<usize>,
}

/// Trains a fresh perceptron epoch by epoch, as `perceptron::train` does,
/// recording the mistakes of every epoch.
pub fn run_perceptron(data: &[([f64; 2], u8)]) -> Run {
    let mut run = Run {
        p: Perceptron::new(2),
        mistakes: Vec::new(),
        correct: Vec::new(),
    };
    for _ in 0..MAX_EPOCHS {
        let mistakes = run.p.train_epoch(data, LR);
        run.mistakes.push(mistakes);
        run.correct
            .push(data.iter().filter(|(x, t)| run.p.predict(x) == *t).count());
        if mistakes == 0 {
            break;
        }
    }
    run
}

/// The most examples any line w·x + b = 0 classifies correctly, searching
/// w₁, w₂, b over a grid from −2 to 2 in steps of 0.25.
pub fn best_line_accuracy(data: &[([f64; 2], u8)]) -> usize {
    let grid: Vec<f64> = (-8..=8).map(|i| f64::from(i) * 0.25).collect();
    let mut best = 0;
    for &w1 in &grid {
        for &w2 in &grid {
            for &b in &grid {
                let p = Perceptron { w: vec![w1, w2], b };
                best = best.max(data.iter().filter(|(x, t)| p.predict(x) == *t).count());
            }
        }
    }
    best
}

/// Trains a perceptron on `data` and prints what it learned.
fn perceptron_report(name: &str, data: &[([f64; 2], u8)]) {
    println!("\n{name}:");
    let run = run_perceptron(data);
    let shown: Vec<String> = run.mistakes.iter().take(12).map(usize::to_string).collect();
    let more = if run.mistakes.len() > 12 { " ..." } else { "" };
    println!("  mistakes per epoch: {}{more}", shown.join(" "));
    match train(data, LR, MAX_EPOCHS).1 {
        Some(n) => println!("  converged after {n} epochs"),
        None => {
            let best = run.correct.iter().max().copied().unwrap_or(0);
            println!("  did NOT converge in {MAX_EPOCHS} epochs");
            println!("  best epoch: {best} of {} right", data.len());
            println!(
                "  best any line can do: {} of {} right",
                best_line_accuracy(data),
                data.len()
            );
        }
    }
    let p = &run.p;
    println!(
        "  weights w = [{:.2}, {:.2}], bias b = {:.2}",
        p.w[0], p.w[1], p.b
    );
    for (x, t) in data {
        println!("  {x:?} -> {}  (target {t})", p.predict(x));
    }
}

// ANCHOR: xor_network
/// Gradient-descent steps (epochs of the 4 examples) for the two-layer network.
const XOR_STEPS: usize = 3000;

/// Trains a 2-4-1 network on XOR; returns its four outputs and the final loss.
pub fn xor_network() -> (Vec<f64>, f64) {
    let mut rng = seeded_rng(1);
    let mut net = Sequential::new()
        .with(Dense::new(2, 4, Init::XavierUniform, &mut rng)) // [4, 2] -> [4, 4]
        .with(Tanh::new())
        .with(Dense::new(4, 1, Init::XavierUniform, &mut rng)) // [4, 4] -> [4, 1]
        .with(Sigmoid::new());
    let x = tensor(&[4, 2], &[0., 0., 0., 1., 1., 0., 1., 1.]); // one row per example
    let y = tensor(&[4, 1], &[0., 1., 1., 0.]); // XOR of each row
    let mut loss = MeanSquaredError::new();
    let mut sgd = Sgd::new(0.5);
    // Full batch: all 4 examples in every step, so one epoch is one step.
    fit(
        &mut net,
        &mut loss,
        &mut sgd,
        &x,
        &y,
        Fit::new(XOR_STEPS, 4),
    )
    .expect("XOR trains stably at this rate");
    let prediction = net.predict(&x); // [4, 1], after the last step
    let after = loss.forward(&prediction, &y); // the loss of the trained network
    (prediction.iter().copied().collect(), after)
}
// ANCHOR_END: xor_network
