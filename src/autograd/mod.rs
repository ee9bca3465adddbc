//! A scalar automatic-differentiation engine, in the spirit of micrograd.
//!
//! Chapter 3 builds backpropagation from its smallest pieces. A [`Value`] is
//! one number that remembers how it was computed; arithmetic on values builds
//! a *computational graph*; [`Value::backward`] walks that graph from the end
//! to the start and applies the chain rule at every node. The engine is slow
//! (one heap node per number) and exists to be read: the layers of
//! [`crate::layers`] do the same computation in blocks of matrices, and the
//! tests of this module prove that the two agree.
//!
//! * [`value`]: the [`Value`] handle, the topological order, the backward pass;
//! * [`ops`]: every operation with its backward rule written beside it;
//! * [`nn`]: dense layers and the mean squared error on values.
//!
//! The engine depends only on [`crate::tensor`](mod@crate::tensor) and [`crate::gradcheck`];
//! Chapter 3's worked examples that run it beside the layers live in
//! [`crate::experiments::backprop`].
//!
//! ```
//! use scratchnet::autograd::Value;
//! // f = tanh(a·b + c); by hand, ∂f/∂a = (1 − f²)·b.
//! let (a, b, c) = (Value::new(0.5), Value::new(-1.0), Value::new(0.25));
//! let f = (&a * &b + &c).tanh();
//! f.backward();
//! let by_hand = (1.0 - f.data().powi(2)) * b.data();
//! assert!((a.grad() - by_hand).abs() < 1e-15);
//! ```

pub mod nn;
pub mod ops;
pub mod value;

pub use value::{BackwardRule, Value};

use crate::gradcheck::{EPSILON, error, numeric_gradient};
use crate::tensor::Tensor;

/// The gradient of a scalar function of several numbers, computed by the engine.
///
/// `f` receives one leaf per entry of `x` and returns the output value.
///
/// ```
/// use scratchnet::autograd::engine_gradient;
/// // f(x, y) = x·y + y, ∇f = (y, x + 1).
/// assert_eq!(engine_gradient(|v| &v[0] * &v[1] + &v[1], &[2.0, 5.0]), vec![5.0, 3.0]);
/// ```
pub fn engine_gradient(f: impl Fn(&[Value]) -> Value, x: &[f64]) -> Vec<f64> {
    let leaves: Vec<Value> = x.iter().map(|&xi| Value::new(xi)).collect();
    f(&leaves).backward();
    leaves.iter().map(Value::grad).collect()
}

/// Compares the engine's gradient of `f` at `x` with central differences and
/// returns the largest error, measured by [`crate::gradcheck::error`].
///
/// ```
/// use scratchnet::autograd::check_gradients;
/// let err = check_gradients(|v| (&v[0] * &v[1]).exp() / &v[2], &[0.3, -0.7, 1.5]);
/// assert!(err < 1e-8, "error {err}");
/// ```
// ANCHOR: check_gradients
pub fn check_gradients(f: impl Fn(&[Value]) -> Value, x: &[f64]) -> f64 {
    let analytic = engine_gradient(&f, x);
    let scalar = |t: &Tensor| {
        let leaves: Vec<Value> = t.iter().map(|&ti| Value::new(ti)).collect();
        f(&leaves).data()
    };
    let point = Tensor::from_shape_vec(vec![x.len()], x.to_vec()).expect("1-D");
    let numeric = numeric_gradient(scalar, &point, EPSILON);
    let analytic = Tensor::from_shape_vec(vec![x.len()], analytic).expect("1-D");
    error(&analytic, &numeric)
}
// ANCHOR_END: check_gradients
