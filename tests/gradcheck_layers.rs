//! Gradient checks of every layer, on random shapes and seeds, and a proof
//! that the checker fails on a wrong derivative.
//!
//! Tolerance: `gradcheck::TOLERANCE` (1e-6); see its documentation for why
//! central differences in `f64` stay three orders of magnitude below it.

use rand::Rng as _;
use rand_distr::{Distribution, StandardNormal};
use scratchnet::gradcheck::{TOLERANCE, check_layer};
use scratchnet::prelude::*;

/// A random input of shape `[batch, n]`, kept away from ReLU's kink at 0
/// (the derivative does not exist there, and a central difference
/// straddling it would average the two one-sided slopes).
fn input(batch: usize, n: usize, seed: u64) -> Tensor {
    let mut rng = seeded_rng(seed);
    Tensor::from_shape_simple_fn(vec![batch, n], || {
        let v: f64 = StandardNormal.sample(&mut rng);
        if v.abs() < 0.05 {
            v + 0.1_f64.copysign(v)
        } else {
            v
        }
    })
}

fn random_shape(seed: u64) -> (usize, usize, usize) {
    let mut rng = seeded_rng(seed);
    (
        rng.random_range(1..5),
        rng.random_range(1..7),
        rng.random_range(1..6),
    )
}

#[test]
fn dense_passes_on_random_shapes() {
    for seed in 0..10 {
        let (batch, n_in, n_out) = random_shape(seed);
        let layer = Dense::new(n_in, n_out, Init::XavierNormal, &mut seeded_rng(seed + 100));
        let report = check_layer(&layer, &input(batch, n_in, seed), seed);
        assert!(report.passed(), "seed {seed}: {report:?}");
        assert_eq!(report.params.len(), 2);
    }
}

#[test]
fn activations_pass_on_random_shapes() {
    for seed in 0..10 {
        let (batch, n, _) = random_shape(seed);
        let x = input(batch, n, seed);
        for report in [
            check_layer(&Sigmoid::new(), &x, seed),
            check_layer(&Tanh::new(), &x, seed),
            check_layer(&ReLU::new(), &x, seed),
        ] {
            assert!(report.max_error() <= TOLERANCE, "seed {seed}: {report:?}");
        }
    }
}

/// A sigmoid whose backward pass forgets the factor (1 − σ): the classic slip.
#[derive(Clone, Default)]
struct BrokenSigmoid {
    y: Option<Tensor>,
}

impl Layer for BrokenSigmoid {
    fn forward(&mut self, x: &Tensor, _mode: Mode) -> Tensor {
        let y = x.mapv(scratchnet::activation::sigmoid);
        self.y = Some(y.clone());
        y
    }
    fn backward(&mut self, grad_y: &Tensor) -> Tensor {
        grad_y * self.y.as_ref().unwrap() // should be σ(1 − σ)
    }
    fn name(&self) -> String {
        "BrokenSigmoid".into()
    }
}

/// A dense layer whose weight gradient is transposed the wrong way round.
#[derive(Clone)]
struct BrokenDense(Dense);

impl Layer for BrokenDense {
    fn forward(&mut self, x: &Tensor, mode: Mode) -> Tensor {
        self.0.forward(x, mode)
    }
    fn backward(&mut self, grad_y: &Tensor) -> Tensor {
        let dx = self.0.backward(grad_y);
        self.0.b.grad *= 2.0; // a wrong bias gradient
        dx
    }
    fn params(&self) -> Vec<&Param> {
        self.0.params()
    }
    fn params_mut(&mut self) -> Vec<&mut Param> {
        self.0.params_mut()
    }
    fn name(&self) -> String {
        "BrokenDense".into()
    }
}

#[test]
fn the_checker_catches_wrong_derivatives() {
    let x = input(3, 4, 7);
    let report = check_layer(&BrokenSigmoid::default(), &x, 7);
    assert!(
        !report.passed(),
        "a wrong input gradient went unnoticed: {report:?}"
    );
    assert!(report.input > 0.01);

    let dense = BrokenDense(Dense::new(4, 2, Init::XavierNormal, &mut seeded_rng(7)));
    let report = check_layer(&dense, &x, 7);
    assert!(
        !report.passed(),
        "a wrong bias gradient went unnoticed: {report:?}"
    );
    assert!(report.input <= TOLERANCE, "the input gradient is right");
    assert!(
        report.params[1].1 > 0.01,
        "the bias error is flagged: {report:?}"
    );
}

/// A whole network is a layer: Dense–ReLU–Dense with softmax cross-entropy,
/// checked end to end through the `Layer` trait (input and every parameter),
/// on random shapes and seeds.
#[test]
fn a_whole_sequential_with_softmax_cross_entropy_passes() {
    use scratchnet::gradcheck::check_network;
    for seed in 0..5 {
        let (batch, n_in, hidden) = random_shape(seed + 50);
        let classes = 2 + seed as usize % 3;
        let mut rng = seeded_rng(seed + 200);
        let net = Sequential::new()
            .with(Dense::new(n_in, hidden + 1, Init::HeNormal, &mut rng))
            .with(ReLU::new())
            .with(Dense::new(
                hidden + 1,
                classes,
                Init::XavierNormal,
                &mut rng,
            ));
        let x = input(batch, n_in, seed + 300);
        let labels: Vec<usize> = (0..batch).map(|i| (i + seed as usize) % classes).collect();
        let y = one_hot(&labels, classes);
        let report = check_network(&net, &SoftmaxCrossEntropy::new(), &x, &y);
        assert!(report.passed(), "seed {seed}: {report:?}");
        assert_eq!(report.params.len(), 4);
        // The same network through check_layer, as one Layer among others.
        let report = check_layer(&net, &x, seed);
        assert!(report.passed(), "seed {seed}: {report:?}");
    }
}

/// Every parameter of a network has its own name: the layer's position,
/// the layer's kind, the parameter.
#[test]
fn parameter_names_are_unique_and_hierarchical() {
    let mut rng = seeded_rng(0);
    let net = Sequential::new()
        .with(Dense::new(4, 8, Init::HeNormal, &mut rng))
        .with(ReLU::new())
        .with(Dense::new(8, 8, Init::HeNormal, &mut rng))
        .with(ReLU::new())
        .with(Dense::new(8, 3, Init::XavierNormal, &mut rng));
    let names: Vec<String> = net.params().iter().map(|p| p.name.clone()).collect();
    assert_eq!(
        names,
        [
            "0.dense.W",
            "0.dense.b",
            "2.dense.W",
            "2.dense.b",
            "4.dense.W",
            "4.dense.b"
        ]
    );
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len());
    // A clone is a separate network with the same names and values.
    let mut copy = net.clone();
    copy.params_mut()[0].value.fill(0.0);
    assert_ne!(copy.params()[0].value, net.params()[0].value);
    assert_eq!(copy.params()[5].name, "4.dense.b");
}
