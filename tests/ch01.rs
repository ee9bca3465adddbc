//! The facts Chapter 1 and its example state, checked.
//!
//! The example `examples/ch01_perceptron.rs` is compiled into this test as a
//! module, so the numbers its output prints and the chapter quotes are the
//! numbers asserted here.

#[allow(dead_code)]
#[path = "../examples/ch01_perceptron.rs"]
mod example;

use example::{best_line_accuracy, run_perceptron, xor_network};
use scratchnet::perceptron::{AND, OR, Perceptron, XOR, train};

#[test]
fn and_converges_after_six_epochs() {
    let (p, epochs) = train(&AND, 0.1, 100);
    assert_eq!(epochs, Some(6));
    assert_eq!(run_perceptron(&AND).mistakes, vec![1, 3, 3, 2, 1, 0]);
    // The line it found: 0.2·x₁ + 0.1·x₂ − 0.2 = 0, which passes through (1, 0).
    assert!(
        (p.w[0] - 0.2).abs() < 1e-12 && (p.w[1] - 0.1).abs() < 1e-12 && (p.b + 0.2).abs() < 1e-12
    );
    assert!(AND.iter().all(|(x, t)| p.predict(x) == *t));
}

#[test]
fn or_converges_after_four_epochs() {
    let (p, epochs) = train(&OR, 0.1, 100);
    assert_eq!(epochs, Some(4));
    assert_eq!(run_perceptron(&OR).mistakes, vec![1, 2, 1, 0]);
    assert!((p.w[0] - 0.1).abs() < 1e-12 && (p.w[1] - 0.1).abs() < 1e-12 && p.b.abs() < 1e-12);
}

#[test]
fn xor_never_converges_and_cycles() {
    assert_eq!(train(&XOR, 0.1, 100).1, None);
    assert_eq!(train(&XOR, 0.1, 10_000).1, None);
    let run = run_perceptron(&XOR);
    assert_eq!(run.mistakes.len(), 100);
    assert_eq!(run.mistakes[..3], [2, 3, 4]);
    assert!(run.mistakes[2..].iter().all(|&m| m == 4));
    assert_eq!(run.correct.iter().max(), Some(&2));
    // From the third epoch on, each epoch ends where it started.
    let mut p = Perceptron::new(2);
    for _ in 0..3 {
        p.train_epoch(&XOR, 0.1);
    }
    let start = p.clone();
    assert_eq!(p.train_epoch(&XOR, 0.1), 4);
    assert!(p.w.iter().zip(&start.w).all(|(a, b)| (a - b).abs() < 1e-12));
    assert!((p.b - start.b).abs() < 1e-12);
}

#[test]
fn no_line_gets_all_of_xor_right() {
    assert_eq!(best_line_accuracy(&XOR), 3);
    assert_eq!(best_line_accuracy(&AND), 4);
    assert_eq!(best_line_accuracy(&OR), 4);
}

#[test]
fn the_learning_rate_does_not_matter_from_zero_weights() {
    // Starting at zero, every weight is a multiple of η, so η only rescales
    // the line w·x + b = 0 and the sequence of mistakes is the same.
    for lr in [0.01, 0.1, 1.0, 10.0] {
        assert_eq!(train(&AND, lr, 100).1, Some(6), "lr = {lr}");
        assert_eq!(train(&OR, lr, 100).1, Some(4), "lr = {lr}");
    }
}

#[test]
fn two_layer_network_learns_xor() {
    let (predictions, loss) = xor_network();
    assert!(loss < 1e-3, "final loss {loss}");
    // The chapter quotes the example's output: these exact rounded values.
    let printed: Vec<String> = predictions.iter().map(|p| format!("{p:.3}")).collect();
    assert_eq!(printed, ["0.010", "0.976", "0.976", "0.028"]);
    assert_eq!(format!("{loss:.5}"), "0.00051");
    for ((_, t), p) in XOR.iter().zip(&predictions) {
        assert!(
            (p - f64::from(*t)).abs() < 0.05,
            "prediction {p} for target {t}"
        );
    }
}
