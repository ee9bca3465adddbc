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
    // ANCHOR: solution_softplus
    let x = a.data();
    // ln(1 + eˣ) = max(x, 0) + ln(1 + e^(−|x|)): the exponent is never positive.
    let y = x.max(0.0) + (-x.abs()).exp().ln_1p();
    // d/dx ln(1 + eˣ) = eˣ / (1 + eˣ) = σ(x).
    let s = sigmoid(x);
    Value::from_op(y, &[a], "softplus", move |g| vec![g * s])
    // ANCHOR_END: solution_softplus
}
// ANCHOR_END: softplus

// ANCHOR: hypot
/// Exercise 3.2: a two-input operation, h = √(a² + b²), as one node.
///
/// Derive ∂h/∂a and ∂h/∂b; your rule must also be right when the same value
/// is passed as both inputs, as in `hypot(&x, &x)`. You may assume that a and
/// b are not both zero.
pub fn hypot(a: &Value, b: &Value) -> Value {
    // ANCHOR: solution_hypot
    let (x, y) = (a.data(), b.data());
    let h = x.hypot(y);
    // ∂h/∂a = a/h, ∂h/∂b = b/h. The engine adds the two shares when a and b
    // are the same node, so hypot(x, x) = √2·|x| gets the gradient √2·sign(x).
    Value::from_op(h, &[a, b], "hypot", move |g| vec![g * x / h, g * y / h])
    // ANCHOR_END: solution_hypot
}
// ANCHOR_END: hypot

// ANCHOR: central_difference
/// Exercise 3.3: the central-difference approximation of f′(x) with step `eps`.
pub fn central_difference(f: impl Fn(f64) -> f64, x: f64, eps: f64) -> f64 {
    // ANCHOR: solution_central_difference
    (f(x + eps) - f(x - eps)) / (2.0 * eps)
    // ANCHOR_END: solution_central_difference
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
    // ANCHOR: solution_one_hidden
    // Forward pass, keeping what the backward pass needs.
    let z = p.w1 * x + p.b1;
    let h = z.tanh();
    let y_hat = p.w2 * h + p.b2;
    let loss = (y_hat - y).powi(2);
    // Backward pass, from the loss down.
    let d_y_hat = 2.0 * (y_hat - y); // ∂L/∂ŷ
    let d_w2 = d_y_hat * h; // ŷ = w2·h + b2
    let d_b2 = d_y_hat;
    let d_h = d_y_hat * p.w2;
    let d_z = d_h * (1.0 - h * h); // tanh′(z) = 1 − tanh²(z)
    let d_w1 = d_z * x; // z = w1·x + b1
    let d_b1 = d_z;
    (loss, [d_w1, d_b1, d_w2, d_b2])
    // ANCHOR_END: solution_one_hidden
}
// ANCHOR_END: one_hidden_unit
