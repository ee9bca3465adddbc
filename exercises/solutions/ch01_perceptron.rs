//! Chapter 1 exercises: perceptrons by hand and by learning.
//!
//! Fill in every `todo!()`, then check your work with
//! `cargo test -p exercises --test ch01`.

use scratchnet::perceptron::{Perceptron, train};

// ANCHOR: nand
/// Exercise 1.1: choose weights and a bias so that the perceptron computes
/// NAND (the output is 0 only when both inputs are 1).
pub fn nand() -> Perceptron {
    // ANCHOR: solution_nand
    // Fires unless both inputs are on: −x₁ − x₂ + 1.5 > 0 except at (1, 1).
    Perceptron { w: vec![-1.0, -1.0], b: 1.5 }
    // ANCHOR_END: solution_nand
}
// ANCHOR_END: nand

// ANCHOR: update
/// Exercise 1.2: apply the perceptron learning rule to one example.
///
/// With prediction y = `p.predict(x)` and target `t`, update
/// w ← w + η (t − y) x and b ← b + η (t − y). Return `true` if the example
/// was misclassified (and the perceptron therefore changed).
pub fn update(p: &mut Perceptron, x: &[f64], t: u8, lr: f64) -> bool {
    // ANCHOR: solution_update
    let err = f64::from(t) - f64::from(p.predict(x));
    for (w, xi) in p.w.iter_mut().zip(x) {
        *w += lr * err * xi;
    }
    p.b += lr * err;
    err != 0.0
    // ANCHOR_END: solution_update
}
// ANCHOR_END: update

// ANCHOR: xor
/// Exercise 1.3: one perceptron cannot compute XOR, but three can.
/// Compute XOR of two binary inputs with a *two-layer* network of
/// perceptrons: a hidden layer of two units and an output unit.
/// Use only `Perceptron::predict` (no `if` on the inputs, no `^`).
pub fn xor(x: [f64; 2]) -> u8 {
    // ANCHOR: solution_xor
    // XOR = AND(OR(x), NAND(x)).
    let or = Perceptron { w: vec![1.0, 1.0], b: -0.5 };
    let and = Perceptron { w: vec![1.0, 1.0], b: -1.5 };
    let hidden = [f64::from(or.predict(&x)), f64::from(nand().predict(&x))];
    and.predict(&hidden)
    // ANCHOR_END: solution_xor
}
// ANCHOR_END: xor

// ANCHOR: separable
/// Exercise 1.4: which Boolean functions of two inputs can one perceptron learn?
///
/// `outputs` is a truth table: the outputs for the inputs (0, 0), (0, 1),
/// (1, 0) and (1, 1), in that order. Train a perceptron on it with
/// `scratchnet::perceptron::train` (learning rate 0.1, at most 100 epochs)
/// and return whether it converged.
pub fn learnable(outputs: [u8; 4]) -> bool {
    // ANCHOR: solution_separable
    let inputs = [[0., 0.], [0., 1.], [1., 0.], [1., 1.]];
    let data: Vec<([f64; 2], u8)> = inputs.into_iter().zip(outputs).collect();
    train(&data, 0.1, 100).1.is_some()
    // ANCHOR_END: solution_separable
}
// ANCHOR_END: separable
