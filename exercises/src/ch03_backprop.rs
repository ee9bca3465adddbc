//! Chapter 3 exercises: backward rules for the engine, central differences,
//! and a backward pass by hand.
//!
//! Fill in every `todo!()`, then check your work with
//! `cargo test -p exercises --test ch03`.

use scratchnet::activation::sigmoid;
use scratchnet::autograd::Value;

// ANCHOR: softplus
/// Exercise 3.1: add the softplus operation, softplus(a) = ln(1 + eᵃ), to
/// the engine.
///
/// Build it as **one** node with [`Value::from_op`] (do not combine the
/// engine's `exp` and `ln`), with a backward rule you derived by hand. The
/// forward value must stay finite for large inputs: softplus(1000) = 1000.
pub fn softplus(a: &Value) -> Value {
    todo!("your code here")
}
// ANCHOR_END: softplus

// ANCHOR: hypot
/// Exercise 3.2: a two-input operation, h = √(a² + b²), as one node.
///
/// Derive ∂h/∂a and ∂h/∂b; your rule must also be right when the same value
/// is passed as both inputs, as in `hypot(&x, &x)`. You may assume that a and
/// b are not both zero.
pub fn hypot(a: &Value, b: &Value) -> Value {
    todo!("your code here")
}
// ANCHOR_END: hypot

// ANCHOR: central_difference
/// Exercise 3.3: the central-difference approximation of f′(x) with step `eps`.
pub fn central_difference(f: impl Fn(f64) -> f64, x: f64, eps: f64) -> f64 {
    todo!("your code here")
}
// ANCHOR_END: central_difference

// ANCHOR: one_hidden_unit
/// The parameters of a network with one input, one hidden unit and one output.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OneHidden {
    /// Input-to-hidden weight.
    pub w1: f64,
    /// Hidden bias.
    pub b1: f64,
    /// Hidden-to-output weight.
    pub w2: f64,
    /// Output bias.
    pub b2: f64,
}

/// Exercise 3.4: one forward and one backward pass, by hand.
///
/// The network is h = tanh(w1·x + b1), ŷ = w2·h + b2, and the loss is
/// L = (ŷ − y)². Return `(L, gradient)` where `gradient` holds the partial
/// derivatives of L with respect to w1, b1, w2 and b2, in that order.
/// Use plain `f64` arithmetic: no `Value`, no layers.
pub fn one_hidden_backward(p: OneHidden, x: f64, y: f64) -> (f64, [f64; 4]) {
    todo!("your code here")
}
// ANCHOR_END: one_hidden_unit
