//! Gradient checks of Chapter 2's pieces: leaky ReLU, softmax, dropout and
//! the L1/L2 penalties, on random shapes and seeds; and proofs that the
//! checker fails on each piece's most likely wrong derivative.
//!
//! Tolerance: `gradcheck::TOLERANCE` (1e-6). With ε = 1e-6 in `f64` the
//! central difference is off by about ε²·|f'''| ≈ 1e-12 (truncation) plus
//! 1e-16·|f|/ε ≈ 1e-10 (rounding) for the O(1) values used here, so a correct
//! backward pass lands near 1e-9, while the wrong derivatives below are off by
//! 1e-2 to 1: the tolerance sits orders of magnitude from both.
//! Inputs stay at least 0.05 away from the kinks of leaky ReLU (x = 0) and
//! of |w| (w = 0), where a central difference would straddle two slopes.

use rand::Rng as _;
use rand_distr::{Distribution, StandardNormal};
use scratchnet::gradcheck::{EPSILON, TOLERANCE, check_layer, error, numeric_gradient};
use scratchnet::layer::ParamKind;
use scratchnet::prelude::*;

/// A standard-normal tensor with no entry within 0.05 of zero.
fn away_from_zero(shape: &[usize], seed: u64) -> Tensor {
    let mut rng = seeded_rng(seed);
    Tensor::from_shape_simple_fn(shape.to_vec(), || {
        let v: f64 = StandardNormal.sample(&mut rng);
        if v.abs() < 0.05 {
            v + 0.1_f64.copysign(v)
        } else {
            v
        }
    })
}

/// A random `[batch, n]` shape with batch in 1..5 and n in 1..8.
fn random_shape(seed: u64) -> [usize; 2] {
    let mut rng = seeded_rng(seed + 1000);
    [rng.random_range(1..5), rng.random_range(1..8)]
}

#[test]
fn leaky_relu_passes_on_random_shapes_and_slopes() {
    for seed in 0..10 {
        let x = away_from_zero(&random_shape(seed), seed);
        let alpha = seeded_rng(seed).random_range(0.0..0.5);
        let report = check_layer(&LeakyReLU::new(alpha), &x, seed);
        assert!(report.passed(), "seed {seed}, alpha {alpha}: {report:?}");
    }
}

#[test]
fn softmax_passes_on_random_shapes() {
    for seed in 0..10 {
        // Logits with a spread of a few units, as a trained classifier produces.
        let x = away_from_zero(&random_shape(seed), seed) * 3.0;
        let report = check_layer(&Softmax::new(), &x, seed);
        assert!(report.passed(), "seed {seed}: {report:?}");
    }
}

#[test]
fn dropout_passes_on_random_shapes_and_rates() {
    for seed in 0..10 {
        let x = away_from_zero(&random_shape(seed), seed);
        let p = seeded_rng(seed).random_range(0.0..0.9);
        let report = check_layer(&Dropout::new(p, seed), &x, seed);
        assert!(report.passed(), "seed {seed}, p {p}: {report:?}");
    }
}

/// The analytic and numeric gradients of `penalty` at a random weight.
fn penalty_gradients(penalty: Penalty, seed: u64) -> (Tensor, Tensor) {
    let w = away_from_zero(&random_shape(seed), seed);
    let mut param = Param::new("W", ParamKind::Weight, w.clone());
    penalty.add_gradients(&mut [&mut param]);
    let numeric = numeric_gradient(
        |v| penalty.loss(&[&mut Param::new("W", ParamKind::Weight, v.clone())]),
        &w,
        EPSILON,
    );
    (param.grad, numeric)
}

#[test]
fn penalties_pass_on_random_shapes() {
    for seed in 0..10 {
        let lambda = seeded_rng(seed).random_range(0.001..1.0);
        for penalty in [Penalty::L1(lambda), Penalty::L2(lambda)] {
            let (analytic, numeric) = penalty_gradients(penalty, seed);
            assert!(
                error(&analytic, &numeric) <= TOLERANCE,
                "seed {seed}: {penalty:?}"
            );
        }
    }
}

#[test]
fn a_regularised_dense_layer_passes() {
    // The whole objective Σ g ⊙ Dense(x) + (λ/2)‖W‖²: backward plus add_gradients
    // must match central differences for W (the bias is not penalised).
    let x = away_from_zero(&[3, 4], 5);
    let g = away_from_zero(&[3, 2], 6);
    let dense = Dense::new(4, 2, Init::XavierNormal, &mut seeded_rng(7));
    let penalty = Penalty::L2(0.3);
    let objective = |w: &Tensor| {
        let mut d = dense.clone();
        d.w.value = w.clone();
        (d.forward(&x, Mode::Train) * &g).sum() + penalty.loss(&d.params())
    };
    let mut d = dense.clone();
    d.forward(&x, Mode::Train);
    d.backward(&g);
    penalty.add_gradients(&mut d.params_mut());
    let numeric = numeric_gradient(objective, &dense.w.value, EPSILON);
    assert!(error(&d.w.grad, &numeric) <= TOLERANCE);
}

/// Leaky ReLU whose backward forgets the leak (uses ReLU's derivative).
#[derive(Clone)]
struct LeaklessBackward(LeakyReLU, Option<Tensor>);

impl Layer for LeaklessBackward {
    fn forward(&mut self, x: &Tensor, mode: Mode) -> Tensor {
        self.1 = Some(x.clone());
        self.0.forward(x, mode)
    }
    fn backward(&mut self, grad_y: &Tensor) -> Tensor {
        let x = self.1.as_ref().unwrap();
        grad_y * &x.mapv(|v| if v > 0.0 { 1.0 } else { 0.0 })
    }
    fn name(&self) -> String {
        "LeaklessBackward".into()
    }
}

/// Softmax whose backward keeps only the Jacobian's diagonal yᵢ(1 − yᵢ).
#[derive(Clone, Default)]
struct DiagonalSoftmax(Option<Tensor>);

impl Layer for DiagonalSoftmax {
    fn forward(&mut self, x: &Tensor, _mode: Mode) -> Tensor {
        let y = scratchnet::activation::softmax(x);
        self.0 = Some(y.clone());
        y
    }
    fn backward(&mut self, grad_y: &Tensor) -> Tensor {
        grad_y * &self.0.as_ref().unwrap().mapv(|y| y * (1.0 - y))
    }
    fn name(&self) -> String {
        "DiagonalSoftmax".into()
    }
}

/// Dropout whose backward forgets the 1/(1 − p) scaling.
#[derive(Clone)]
struct UnscaledBackward(Dropout, Option<Tensor>);

impl Layer for UnscaledBackward {
    fn forward(&mut self, x: &Tensor, mode: Mode) -> Tensor {
        let y = self.0.forward(x, mode);
        self.1 = Some(y.mapv(|v| if v == 0.0 { 0.0 } else { 1.0 }));
        y
    }
    fn backward(&mut self, grad_y: &Tensor) -> Tensor {
        grad_y * self.1.as_ref().unwrap()
    }
    fn name(&self) -> String {
        "UnscaledBackward".into()
    }
}

#[test]
fn the_checker_catches_each_wrong_derivative() {
    let x = away_from_zero(&[3, 5], 11);
    let leakless = check_layer(&LeaklessBackward(LeakyReLU::new(0.1), None), &x, 11);
    assert!(!leakless.passed() && leakless.input > 0.01, "{leakless:?}");

    let diagonal = check_layer(&DiagonalSoftmax::default(), &x, 11);
    assert!(!diagonal.passed() && diagonal.input > 0.01, "{diagonal:?}");

    let unscaled = check_layer(&UnscaledBackward(Dropout::new(0.5, 11), None), &x, 11);
    assert!(!unscaled.passed() && unscaled.input > 0.01, "{unscaled:?}");

    // Keras' convention λ·Σw² has gradient 2λw: against our (λ/2)·Σw² it is off by λw.
    let (analytic, numeric) = penalty_gradients(Penalty::L2(0.5), 11);
    assert!(error(&(analytic * 2.0), &numeric) > 0.01);
}
