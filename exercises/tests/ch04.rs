//! Automatic checks for the Chapter 4 exercises.
//!
//! Run them with `cargo test -p exercises --test ch04`.

use exercises::ch04_math::{MyRmsProp, dense_backward, softmax_cross_entropy};
use ndarray::{Array1, Array2};
use scratchnet::gradcheck::{EPSILON, error, numeric_gradient};
use scratchnet::layer::ParamKind;
use scratchnet::optim::State;
use scratchnet::prelude::*;

// ANCHOR: tests
/// A fixed, irregular matrix of the given shape.
fn matrix(rows: usize, cols: usize, seed: f64) -> Array2<f64> {
    Array2::from_shape_fn((rows, cols), |(i, j)| {
        ((i * cols + j) as f64 * 0.7 + seed).sin()
    })
}

#[test]
fn ex4_1_dense_backward_shapes_and_values() {
    let (x, w, delta) = (matrix(4, 3, 0.1), matrix(3, 2, 0.2), matrix(4, 2, 0.3));
    let (dw, db, dx) = dense_backward(&x, &w, &delta);
    assert_eq!((dw.dim(), db.dim(), dx.dim()), ((3, 2), 2, (4, 3)));
    // Against the library's Dense layer.
    let mut dense = Dense::from_weights(w.clone().into_dyn(), Tensor::zeros(vec![2]));
    dense.forward(&x.clone().into_dyn(), Mode::Train);
    let dx_lib = dense.backward(&delta.clone().into_dyn());
    assert!(
        error(&dw.into_dyn(), &dense.w.grad) < 1e-12,
        "∂L/∂W is wrong"
    );
    assert!(
        error(&db.into_dyn(), &dense.b.grad) < 1e-12,
        "∂L/∂b is wrong"
    );
    assert!(error(&dx.into_dyn(), &dx_lib) < 1e-12, "∂L/∂X is wrong");
}

#[test]
fn ex4_1_dense_backward_passes_a_gradient_check() {
    // L = Σ δ ⊙ (X·W + b), so ∂L/∂Y = δ.
    let (x, w, delta) = (matrix(5, 4, 1.0), matrix(4, 3, 2.0), matrix(5, 3, 3.0));
    let b = Array1::from(vec![0.1, -0.2, 0.3]);
    let loss = |x: &Array2<f64>, w: &Array2<f64>, b: &Array1<f64>| ((x.dot(w) + b) * &delta).sum();
    let (dw, db, dx) = dense_backward(&x, &w, &delta);
    let to2 = |t: &Tensor| t.clone().into_dimensionality::<ndarray::Ix2>().unwrap();
    let num_w = numeric_gradient(|t| loss(&x, &to2(t), &b), &w.clone().into_dyn(), EPSILON);
    let num_b = numeric_gradient(
        |t| loss(&x, &w, &t.clone().into_dimensionality().unwrap()),
        &b.clone().into_dyn(),
        EPSILON,
    );
    let num_x = numeric_gradient(|t| loss(&to2(t), &w, &b), &x.clone().into_dyn(), EPSILON);
    assert!(error(&dw.into_dyn(), &num_w) < 1e-6);
    assert!(error(&db.into_dyn(), &num_b) < 1e-6);
    assert!(error(&dx.into_dyn(), &num_x) < 1e-6);
}

#[test]
fn ex4_2_softmax_ce_value_and_gradient() {
    // Equal logits: p = 1/4 everywhere, loss ln 4, gradient (1/4 − y)/batch.
    let (loss, grad) = softmax_cross_entropy(&Array2::zeros((2, 4)), &[0, 3]);
    assert!(
        (loss - 4f64.ln()).abs() < 1e-12,
        "loss {loss}, expected ln 4"
    );
    assert!((grad[[0, 0]] - (0.25 - 1.0) / 2.0).abs() < 1e-12);
    assert!((grad[[1, 2]] - 0.25 / 2.0).abs() < 1e-12);
    // Against central differences and the library's loss.
    let z = matrix(3, 5, 0.4) * 3.0;
    let labels = [4, 0, 2];
    let (loss, grad) = softmax_cross_entropy(&z, &labels);
    let y = one_hot(&labels, 5);
    let lib = |t: &Tensor| SoftmaxCrossEntropy::new().forward(t, &y);
    assert!(
        (loss - lib(&z.clone().into_dyn())).abs() < 1e-12,
        "the loss value is wrong"
    );
    let numeric = numeric_gradient(lib, &z.into_dyn(), EPSILON);
    assert!(
        error(&grad.into_dyn(), &numeric) < 1e-6,
        "the gradient is wrong"
    );
}

#[test]
fn ex4_2_softmax_ce_is_stable() {
    let z =
        Array2::from_shape_vec((2, 3), vec![1000.0, -1000.0, 0.0, 1000.0, -1000.0, 0.0]).unwrap();
    let (loss, grad) = softmax_cross_entropy(&z, &[0, 1]);
    assert_eq!(loss, 1000.0, "row 0 is right (loss 0), row 1 wrong by 2000");
    assert!(grad.iter().all(|g| g.is_finite()));
    assert!((grad[[1, 1]] + 0.5).abs() < 1e-12 && (grad[[1, 0]] - 0.5).abs() < 1e-12);
}

#[test]
fn ex4_3_rmsprop_by_hand() {
    // f(θ) = θ², θ₀ = 1, η = 0.1, ρ = 0.9, ε = 1e-8 (see tests/optimizers.rs):
    // 1: g = 2,         s = 0.4,       θ = 1 − 0.1·2/√0.4                = 0.6837722
    // 2: g = 1.367544,  s = 0.5470178, θ = 0.6837722 − 0.1·1.367544/0.7396065 = 0.4988706
    // 3: g = 0.9977412, s = 0.5918648, θ = 0.4988706 − 0.1296901         = 0.3691806
    let mut opt = MyRmsProp {
        lr: 0.1,
        rho: 0.9,
        eps: 1e-8,
        mean_sq: State::default(),
    };
    let mut p = Param::new("theta", ParamKind::Weight, tensor(&[1], &[1.0]));
    for want in [0.683772238983162, 0.498870613507054, 0.36918056029155977] {
        p.grad = p.value.mapv(|t| 2.0 * t);
        opt.step(&mut [&mut p]);
        assert!(
            (p.value[[0]] - want).abs() < 1e-12,
            "got {}, want {want}",
            p.value[[0]]
        );
    }
}

#[test]
fn ex4_3_rmsprop_keeps_one_state_per_parameter() {
    let mut mine = MyRmsProp {
        lr: 0.01,
        rho: 0.9,
        eps: 1e-8,
        mean_sq: State::default(),
    };
    let mut theirs = RmsProp::new(0.01);
    let mut a = Param::new(
        "a",
        ParamKind::Weight,
        tensor(&[2, 2], &[1.0, -1.0, 0.5, 2.0]),
    );
    let mut b = Param::new("b", ParamKind::Bias, tensor(&[2], &[0.0, 3.0]));
    let (mut a2, mut b2) = (a.clone(), b.clone());
    for k in 0..5 {
        let s = k as f64;
        a.grad = a.value.mapv(|v| v * (1.0 + s));
        a2.grad = a.grad.clone();
        b.grad = tensor(&[2], &[10.0 - s, -0.1]);
        b2.grad = b.grad.clone();
        mine.step(&mut [&mut a, &mut b]);
        theirs.step(&mut [&mut a2, &mut b2]);
    }
    assert_eq!(
        mine.mean_sq.names().collect::<Vec<_>>(),
        ["a", "b"],
        "one moving average per parameter"
    );
    assert!(error(&a.value, &a2.value) < 1e-12 && error(&b.value, &b2.value) < 1e-12);
}
// ANCHOR_END: tests
