//! The scalar engine of Chapter 3 against hand-derived gradients and against
//! central differences on random inputs, and proof that the check bites.
//!
//! Tolerance: with `gradcheck::EPSILON = 1e-6` the central difference of a
//! smooth function of order-one inputs is accurate to about 1e-9 (truncation
//! ε²·|f'''| ≈ 1e-12, rounding ≈ 1e-16/ε ≈ 1e-10). We accept 1e-7 for the
//! steeper functions (exp, ln, powf, division near small numbers, whose
//! third derivatives reach a few hundred on our ranges), still five orders
//! of magnitude below the errors of a wrong rule.

use rand::Rng;
use scratchnet::autograd::{Value, check_gradients, engine_gradient};
use scratchnet::seeded_rng;

const TOL: f64 = 1e-7;

#[test]
fn tanh_of_affine_matches_hand_derivation() {
    // f = tanh(ab + c). With u = ab + c and f' = 1 − tanh²(u):
    // ∂f/∂a = f'·b, ∂f/∂b = f'·a, ∂f/∂c = f'.
    let mut rng = seeded_rng(3);
    for _ in 0..20 {
        let (a, b, c): (f64, f64, f64) = (
            rng.random_range(-2.0..2.0),
            rng.random_range(-2.0..2.0),
            rng.random_range(-1.0..1.0),
        );
        let g = engine_gradient(|v| (&v[0] * &v[1] + &v[2]).tanh(), &[a, b, c]);
        let fp = 1.0 - (a * b + c).tanh().powi(2);
        for (got, want) in g.iter().zip([fp * b, fp * a, fp]) {
            assert!((got - want).abs() < 1e-14, "{got} vs {want}");
        }
    }
}

#[test]
fn squared_error_of_a_neuron_matches_hand_derivation() {
    // L = (tanh(wx + b) − t)²: ∂L/∂w = 2(y − t)(1 − y²)x, ∂L/∂b = 2(y − t)(1 − y²).
    let (x, t) = (2.0, 0.8);
    let g = engine_gradient(
        |v| {
            let r = (&v[0] * x + &v[1]).tanh() - t;
            &r * &r
        },
        &[-0.5, 0.5],
    );
    let y = (-0.5f64 * x + 0.5).tanh();
    let delta = 2.0 * (y - t) * (1.0 - y * y);
    assert!((g[0] - delta * x).abs() < 1e-14 && (g[1] - delta).abs() < 1e-14);
}

type Op = (
    &'static str,
    fn(&[Value]) -> Value,
    fn(&mut scratchnet::tensor::Rng) -> Vec<f64>,
);

fn any(rng: &mut scratchnet::tensor::Rng) -> f64 {
    rng.random_range(-3.0..3.0)
}

/// A number at least 0.5 away from zero (for ln, division, and ReLU's kink).
fn away_from_zero(rng: &mut scratchnet::tensor::Rng) -> f64 {
    let m: f64 = rng.random_range(0.5..3.0);
    if rng.random_bool(0.5) { m } else { -m }
}

#[test]
fn every_op_passes_the_gradient_check_on_random_inputs() {
    let ops: [Op; 11] = [
        ("add", |v| &v[0] + &v[1], |r| vec![any(r), any(r)]),
        ("sub", |v| &v[0] - &v[1], |r| vec![any(r), any(r)]),
        ("mul", |v| &v[0] * &v[1], |r| vec![any(r), any(r)]),
        (
            "div",
            |v| &v[0] / &v[1],
            |r| vec![any(r), away_from_zero(r)],
        ),
        ("neg", |v| -&v[0], |r| vec![any(r)]),
        (
            "powf",
            |v| v[0].powf(2.5),
            |r| vec![away_from_zero(r).abs()],
        ),
        ("exp", |v| v[0].exp(), |r| vec![any(r)]),
        ("ln", |v| v[0].ln(), |r| vec![away_from_zero(r).abs()]),
        ("tanh", |v| v[0].tanh(), |r| vec![any(r)]),
        ("sigmoid", |v| v[0].sigmoid(), |r| vec![any(r)]),
        ("relu", |v| v[0].relu(), |r| vec![away_from_zero(r)]),
    ];
    let mut rng = seeded_rng(2024);
    for (name, f, draw) in ops {
        for _ in 0..50 {
            let x = draw(&mut rng);
            let err = check_gradients(f, &x);
            assert!(err < TOL, "{name} at {x:?}: error {err:e}");
        }
    }
}

#[test]
fn composite_expressions_pass_the_gradient_check() {
    let mut rng = seeded_rng(7);
    for _ in 0..50 {
        let x: Vec<f64> = (0..3).map(|_| any(&mut rng)).collect();
        // A value used several times, every kind of op, a long-ish chain.
        let f = |v: &[Value]| {
            let s = (&v[0] * &v[1]).sigmoid();
            let e = (&s - &v[2]).tanh() * &v[0] + (&v[2] * 0.3).exp();
            (&e * &e + 1.0).ln() / (1.0 + &s) - v[1].relu()
        };
        let err = check_gradients(f, &x);
        assert!(err < TOL, "at {x:?}: error {err:e}");
    }
}

/// A checker that never fails proves nothing: a wrong rule must be caught.
#[test]
fn a_wrong_backward_rule_is_caught() {
    // tanh with the sign of the derivative's correction flipped: 1 + tanh² instead of 1 − tanh².
    let bad_tanh = |v: &[Value]| {
        let t = v[0].data().tanh();
        Value::from_op(t, &[&v[0]], "tanh?", move |g| vec![g * (1.0 + t * t)])
    };
    // Multiplication that forgets to swap: each input gets g times *itself*.
    let bad_mul = |v: &[Value]| {
        let (a, b) = (v[0].data(), v[1].data());
        Value::from_op(a * b, &[&v[0], &v[1]], "×?", move |g| vec![g * a, g * b])
    };
    assert!(check_gradients(bad_tanh, &[0.7]) > 0.1);
    assert!(check_gradients(bad_mul, &[1.5, -2.0]) > 0.1);
    // The same checks pass for the correct rules at the same points.
    assert!(check_gradients(|v| v[0].tanh(), &[0.7]) < TOL);
    assert!(check_gradients(|v| &v[0] * &v[1], &[1.5, -2.0]) < TOL);
}

#[test]
fn a_value_used_twice_gets_both_contributions() {
    // An engine that *assigned* gradients instead of adding them would give
    // ∂(x·x)/∂x = x instead of 2x. Ours adds, and the check agrees.
    let g = engine_gradient(|v| &v[0] * &v[0], &[3.0]);
    assert_eq!(g, vec![6.0]);
}
