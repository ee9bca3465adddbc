//! Automatic checks for the Chapter 1 exercises.
//!
//! Run them with `cargo test -p exercises --test ch01`.

use exercises::ch01_perceptron::{learnable, nand, update, xor};
use scratchnet::perceptron::{Perceptron, XOR};

// ANCHOR: tests
#[test]
fn ex1_1_nand_truth_table() {
    let p = nand();
    for (x, t) in [([0., 0.], 1), ([0., 1.], 1), ([1., 0.], 1), ([1., 1.], 0)] {
        assert_eq!(p.predict(&x), t, "NAND{x:?} should be {t}");
    }
}

#[test]
fn ex1_2_update_follows_the_rule() {
    let mut p = Perceptron {
        w: vec![0.5, -0.5],
        b: 0.0,
    };
    // Predicts 0 for (0, 1) but the target is 1: w += 0.1·(0, 1), b += 0.1.
    assert!(update(&mut p, &[0.0, 1.0], 1, 0.1));
    assert_eq!(
        p,
        Perceptron {
            w: vec![0.5, -0.4],
            b: 0.1
        }
    );
    // Predicts 1 for (1, 0) and the target is 1: nothing changes.
    assert!(!update(&mut p, &[1.0, 0.0], 1, 0.1));
    assert_eq!(
        p,
        Perceptron {
            w: vec![0.5, -0.4],
            b: 0.1
        }
    );
    // Predicts 1 for (1, 0) but the target is 0: w −= 0.1·(1, 0), b −= 0.1.
    assert!(update(&mut p, &[1.0, 0.0], 0, 0.1));
    assert_eq!(p.b, 0.0);
    assert!((p.w[0] - 0.4).abs() < 1e-12);
}

#[test]
fn ex1_2_update_learns_or() {
    let or = [([0., 0.], 0), ([0., 1.], 1), ([1., 0.], 1), ([1., 1.], 1)];
    let mut p = Perceptron::new(2);
    let converged = (0..100).any(|_| {
        or.iter()
            .filter(|(x, t)| update(&mut p, x, *t, 0.1))
            .count()
            == 0
    });
    assert!(converged, "the perceptron rule must converge on OR");
}

#[test]
fn ex1_3_xor_network() {
    for (x, t) in XOR {
        assert_eq!(xor(x), t, "XOR{x:?} should be {t}");
    }
}

#[test]
fn ex1_4_fourteen_of_sixteen_functions_are_learnable() {
    let xor = [0, 1, 1, 0];
    let xnor = [1, 0, 0, 1];
    assert!(learnable([0, 0, 0, 1]), "AND is linearly separable");
    assert!(learnable([1, 1, 1, 0]), "NAND is linearly separable");
    assert!(!learnable(xor), "XOR is not linearly separable");
    assert!(!learnable(xnor), "XNOR is not linearly separable");
    let mut count = 0;
    for code in 0..16u8 {
        let table = [(code >> 3) & 1, (code >> 2) & 1, (code >> 1) & 1, code & 1];
        let expected = table != xor && table != xnor;
        assert_eq!(learnable(table), expected, "truth table {table:?}");
        count += usize::from(learnable(table));
    }
    assert_eq!(count, 14);
}
// ANCHOR_END: tests
