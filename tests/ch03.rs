//! The facts Chapter 3 and its example state, checked.
//!
//! The example `examples/ch03_backprop.rs` is compiled into this test as a
//! module, so the numbers its output prints and the chapter quotes are the
//! numbers asserted here. (The chapter's own numbers are asserted by its
//! doctests, next to the prose that quotes them.)

#[allow(dead_code)]
#[path = "../examples/ch03_backprop.rs"]
mod example;

use example::{engine_vs_layers, gradient_checks, training_losses, wrong_rule_error};

#[test]
fn engine_and_layers_agree_to_rounding() {
    let (nodes, d1, d2) = engine_vs_layers();
    assert_eq!(
        nodes, 45,
        "the chapter says the engine's graph has 45 nodes"
    );
    assert!(d1 < 1e-16 && d2 < 1e-16, "{d1:e}, {d2:e}");
}

#[test]
fn gradient_checks_are_of_order_1e_minus_10_or_smaller() {
    for (kind, name, err) in gradient_checks() {
        assert!(err < 2e-10, "{kind} {name}: {err:e}");
    }
}

#[test]
fn the_wrong_rule_is_caught() {
    let err = wrong_rule_error();
    assert!(err > 0.1, "{err}");
}

#[test]
fn training_reaches_below_1e_minus_5() {
    let losses = training_losses();
    assert!((losses[0] - 0.298371109).abs() < 5e-10);
    assert!(losses[9999] < 1e-5 && losses[9999] < losses[1000] && losses[1000] < losses[100]);
}
