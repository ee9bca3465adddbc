//! Automatic checks for the Chapter 3 exercises.
//!
//! Run them with `cargo test -p exercises --test ch03`.

use exercises::ch03_backprop::{
    OneHidden, central_difference, hypot, one_hidden_backward, softplus,
};
use rand::Rng;
use scratchnet::autograd::{Value, check_gradients, engine_gradient};
use scratchnet::seeded_rng;

// ANCHOR: tests
#[test]
fn ex3_1_softplus_values() {
    let at = |x: f64| softplus(&Value::new(x)).data();
    assert!((at(0.0) - 2f64.ln()).abs() < 1e-15, "softplus(0) = ln 2");
    assert!((at(1.0) - (1.0 + 1f64.exp()).ln()).abs() < 1e-14);
    assert!(
        (at(-30.0) - (-30f64).exp()).abs() < 1e-20,
        "softplus(−30) ≈ e^−30"
    );
    assert_eq!(at(1000.0), 1000.0, "softplus must not overflow");
}

#[test]
fn ex3_1_softplus_is_one_node_with_a_correct_rule() {
    let a = Value::new(0.3);
    let y = softplus(&a);
    let parents = y.parents();
    assert!(
        parents.len() == 1 && parents[0].same(&a),
        "softplus must be one node whose input is a"
    );
    let mut rng = seeded_rng(31);
    for _ in 0..50 {
        let x: f64 = rng.random_range(-6.0..6.0);
        let err = check_gradients(|v| softplus(&v[0]), &[x]);
        assert!(err < 1e-7, "softplus at {x}: gradient error {err:e}");
        let err = check_gradients(|v| softplus(&(&v[0] * &v[1])) * &v[1], &[x, 0.7]);
        assert!(
            err < 1e-7,
            "softplus inside a larger graph at {x}: error {err:e}"
        );
    }
}

#[test]
fn ex3_2_hypot_is_one_node_with_a_correct_rule() {
    let (a, b) = (Value::new(3.0), Value::new(4.0));
    let h = hypot(&a, &b);
    assert_eq!(h.data(), 5.0);
    let parents = h.parents();
    assert!(
        parents.len() == 2 && parents[0].same(&a) && parents[1].same(&b),
        "hypot must be one node with inputs a, b"
    );
    h.backward();
    assert!((a.grad() - 0.6).abs() < 1e-15 && (b.grad() - 0.8).abs() < 1e-15);
    let mut rng = seeded_rng(32);
    for _ in 0..50 {
        let x = [rng.random_range(-3.0..3.0), rng.random_range(0.5..3.0)];
        let err = check_gradients(|v| hypot(&v[0], &v[1]), &x);
        assert!(err < 1e-7, "hypot at {x:?}: gradient error {err:e}");
    }
}

#[test]
fn ex3_2_hypot_of_a_value_with_itself() {
    // hypot(x, x) = √2·|x|: both shares must reach x.
    let g = engine_gradient(|v| hypot(&v[0], &v[0]), &[-1.5]);
    assert!((g[0] + 2f64.sqrt()).abs() < 1e-14, "got {}", g[0]);
}

#[test]
fn ex3_3_central_difference_is_accurate() {
    let d = central_difference(f64::exp, 1.0, 1e-5);
    assert!((d - 1f64.exp()).abs() < 1e-9, "d/dx eˣ at 1: got {d}");
    let d = central_difference(|x| x * x * x, 2.0, 1e-3);
    assert!((d - 12.0).abs() < 1e-5, "d/dx x³ at 2: got {d}");
}

#[test]
fn ex3_3_central_difference_error_is_quadratic() {
    // Ten times smaller ε, a hundred times smaller error (a forward difference gives ten).
    let err = |eps: f64| (central_difference(f64::sin, 0.8, eps) - 0.8f64.cos()).abs();
    let ratio = err(1e-2) / err(1e-3);
    assert!(
        (ratio - 100.0).abs() < 1.0,
        "error ratio {ratio}, expected about 100"
    );
}

#[test]
fn ex3_4_one_hidden_unit_backward_pass() {
    let mut rng = seeded_rng(34);
    for _ in 0..20 {
        let p: [f64; 4] = std::array::from_fn(|_| rng.random_range(-2.0..2.0));
        let (x, t): (f64, f64) = (rng.random_range(-2.0..2.0), rng.random_range(-1.0..1.0));
        let params = OneHidden {
            w1: p[0],
            b1: p[1],
            w2: p[2],
            b2: p[3],
        };
        let (loss, grad) = one_hidden_backward(params, x, t);
        // The engine computes the same network from the same numbers.
        let f = |v: &[Value]| {
            let y_hat = &v[2] * (&v[0] * x + &v[1]).tanh() + &v[3];
            (y_hat - t).powf(2.0)
        };
        let expected = engine_gradient(f, &p);
        let y_hat = p[2] * (p[0] * x + p[1]).tanh() + p[3];
        assert!((loss - (y_hat - t).powi(2)).abs() < 1e-12, "loss {loss}");
        for (name, (g, e)) in ["w1", "b1", "w2", "b2"]
            .iter()
            .zip(grad.iter().zip(&expected))
        {
            assert!((g - e).abs() < 1e-12, "∂L/∂{name}: got {g}, expected {e}");
        }
    }
}
// ANCHOR_END: tests
