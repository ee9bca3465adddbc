//! Chapter 3, "The algorithm step by step": backpropagation by hand, by
//! layers and by a scalar autograd engine, checked against numbers.
//!
//! Run it with
//!
//! ```text
//! cargo run --release --example ch03_backprop
//! ```
//!
//! What to expect, in four parts:
//!
//! 1. every number of one forward and one backward pass of Matt Mazur's
//!    2-2-2 sigmoid network (loss 0.298371109 before training);
//! 2. the scalar engine's gradients next to the layers' gradients: they agree
//!    to about 1e-17, the rounding of `f64`;
//! 3. gradient-check errors of the engine's operations and of the layers,
//!    of order 1e-10 or smaller, and of a deliberately wrong rule, near 1;
//! 4. the training loop: the loss falls from about 0.3 to below 1e-5 in
//!    10 000 steps of gradient descent with η = 0.5.

use scratchnet::autograd::nn::grads;
use scratchnet::autograd::{Value, check_gradients};
use scratchnet::experiments::backprop::{EngineRun, TinyNet, engine_run, trace, train};
use scratchnet::gradcheck::{check_layer, error};
use scratchnet::prelude::*;

/// A scalar function of several values, built with the engine.
type Expression = fn(&[Value]) -> Value;

fn show(name: &str, t: &Tensor) {
    let cells: Vec<String> = t.iter().map(|v| format!("{v:>12.9}")).collect();
    println!("  {name:<8} = [{}]", cells.join(", "));
}

/// Part 2: the engine's gradients of Mazur's network against the layers'.
/// Returns the number of nodes of the engine's graph and the largest
/// difference for `W1` and for `W2`.
pub fn engine_vs_layers() -> (usize, f64, f64) {
    let net = TinyNet::mazur();
    let (x, y) = TinyNet::mazur_example();
    let t = trace(&net, &x, &y);
    let EngineRun { loss, w1, w2, .. } = engine_run(&net, &x, &y);
    let nodes = loss.topological_order().len();
    (
        nodes,
        error(&grads(&w1), &t.d_w1),
        error(&grads(&w2), &t.d_w2),
    )
}

/// Part 3: gradient-check errors of some engine expressions and of two
/// layers, as (kind, name, error).
pub fn gradient_checks() -> Vec<(&'static str, &'static str, f64)> {
    let ops: [(&str, Expression); 5] = [
        ("a*b + c", |v| &v[0] * &v[1] + &v[2]),
        ("tanh(a*b + c)", |v| (&v[0] * &v[1] + &v[2]).tanh()),
        ("exp(a) / b", |v| v[0].exp() / &v[1]),
        ("ln(b) * sigmoid(c)", |v| v[1].ln() * v[2].sigmoid()),
        ("relu(a)^3", |v| v[0].relu().powf(3.0)),
    ];
    let mut out: Vec<_> = ops
        .into_iter()
        .map(|(name, f)| ("engine", name, check_gradients(f, &[0.8, 1.7, -0.4])))
        .collect();
    let input = Tensor::from_shape_fn(vec![4, 3], |d| {
        (d[0] as f64 - 1.5) * 0.4 + d[1] as f64 * 0.3
    });
    let dense = Dense::new(3, 2, Init::XavierNormal, &mut seeded_rng(3));
    out.push((
        "layer",
        "Dense(3 -> 2)",
        check_layer(&dense, &input, 1).max_error(),
    ));
    out.push((
        "layer",
        "Sigmoid",
        check_layer(&Sigmoid::new(), &input, 2).max_error(),
    ));
    out
}

/// The deliberately wrong tanh of the chapter: its gradient-check error.
pub fn wrong_rule_error() -> f64 {
    let wrong = |v: &[Value]| {
        let t = v[0].data().tanh();
        Value::from_op(t, &[&v[0]], "tanh?", move |g| vec![g * (1.0 + t * t)])
    };
    check_gradients(wrong, &[0.8])
}

/// Part 4: the losses of 10 000 training steps with η = 0.5.
pub fn training_losses() -> Vec<f64> {
    let (x, y) = TinyNet::mazur_example();
    train(&TinyNet::mazur(), &x, &y, 0.5, 10_000)
}

fn main() {
    let (x, y) = TinyNet::mazur_example();
    println!("1. One forward and one backward pass (library layers)");
    let t = trace(&TinyNet::mazur(), &x, &y);
    for (name, v) in [
        ("x", &x),
        ("z1", &t.z1),
        ("a1", &t.a1),
        ("z2", &t.z2),
        ("y_hat", &t.y_hat),
        ("y", &y),
    ] {
        show(name, v);
    }
    println!("  L        = {:.9}", t.loss);
    let upper = [
        ("dL/dy_hat", &t.d_y_hat),
        ("dL/dz2", &t.d_z2),
        ("dL/dW2", &t.d_w2),
        ("dL/db2", &t.d_b2),
    ];
    let lower = [
        ("dL/da1", &t.d_a1),
        ("dL/dz1", &t.d_z1),
        ("dL/dW1", &t.d_w1),
        ("dL/db1", &t.d_b1),
    ];
    for (name, g) in upper.into_iter().chain(lower) {
        show(name, g);
    }

    println!("\n2. The scalar engine on the same network");
    let (nodes, d1, d2) = engine_vs_layers();
    println!("  graph of {nodes} nodes");
    println!("  max difference, dL/dW1: {d1:.1e}");
    println!("  max difference, dL/dW2: {d2:.1e}");

    println!("\n3. Gradient checks (central differences, eps = 1e-6)");
    for (kind, name, err) in gradient_checks() {
        println!("  {kind:<7} {name:<20} error {err:.1e}");
    }
    println!(
        "  wrong   {:<20} error {:.1e}  <- caught",
        "tanh' = 1 + tanh^2",
        wrong_rule_error()
    );

    println!("\n4. The training loop: forward, loss, backward, update, repeat (eta = 0.5)");
    let losses = training_losses();
    for step in [0, 1, 10, 100, 1000, 9999] {
        println!("  step {step:>5}: L = {:.9}", losses[step]);
    }
}
