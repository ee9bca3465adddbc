//! Chapter 1 exercises: perceptrons by hand and by learning.
//!
//! Fill in every `todo!()`, then check your work with
//! `cargo test -p exercises --test ch01`.

use scratchnet::perceptron::{Perceptron, train};

// ANCHOR: nand
/// Exercise 1.1: choose weights and a bias so that the perceptron computes
/// NAND (the output is 0 only when both inputs are 1).
pub fn nand() -> Perceptron {
    todo!("your code here")
}
// ANCHOR_END: nand

// ANCHOR: update
/// Exercise 1.2: apply the perceptron learning rule to one example.
///
/// With prediction y = `p.predict(x)` and target `t`, update
/// w ← w + η (t − y) x and b ← b + η (t − y). Return `true` if the example
/// was misclassified (and the perceptron therefore changed).
pub fn update(p: &mut Perceptron, x: &[f64], t: u8, lr: f64) -> bool {
    todo!("your code here")
}
// ANCHOR_END: update

// ANCHOR: xor
/// Exercise 1.3: one perceptron cannot compute XOR, but three can.
/// Compute XOR of two binary inputs with a *two-layer* network of
/// perceptrons: a hidden layer of two units and an output unit.
/// Use only `Perceptron::predict` (no `if` on the inputs, no `^`).
pub fn xor(x: [f64; 2]) -> u8 {
    todo!("your code here")
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
    todo!("your code here")
}
// ANCHOR_END: separable
