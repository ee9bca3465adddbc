//! Training in `f32` gives the `f64` result to `f32` precision.
//!
//! The same network, initialised from the same seed (weights are drawn in
//! `f64` and rounded), trained on the same data with the same shuffling, in
//! both element types: the losses and the weights agree within `1e-5`
//! relative to `max(|value|, 1)` (measured: about `1e-6`), the accuracy that
//! `f32`'s 24-bit significand allows after a hundred steps of rounding.

use scratchnet::experiments::optimizers::spirals;
use scratchnet::prelude::*;

fn network<F: Float>() -> Sequential<F> {
    let mut rng = seeded_rng(4);
    Sequential::new()
        .with(Dense::new(2, 32, Init::XavierNormal, &mut rng))
        .with(Tanh::new())
        .with(Dropout::new(0.1, 9))
        .with(Dense::new(32, 3, Init::XavierNormal, &mut rng))
}

fn train<F: Float>(x: &Tensor<F>, y: &Tensor<F>) -> (Vec<f64>, Vec<Tensor<F>>) {
    let mut net = network::<F>();
    let history = fit(
        &mut net,
        &mut SoftmaxCrossEntropy::new(),
        &mut Adam::new(0.01),
        x,
        y,
        Fit::new(20, 32).seed(3),
    )
    .unwrap();
    let weights = net.params().iter().map(|p| p.value.clone()).collect();
    (history.train_losses(), weights)
}

#[test]
fn f32_training_agrees_with_f64_to_f32_precision() {
    let (x, labels) = spirals(60, 3, 0); // [180, 2]
    let y: Tensor = one_hot(&labels, 3);
    let (losses64, weights64) = train(&x, &y);
    let (losses32, weights32) = train(&x.mapv(|v| v as f32), &y.mapv(|v| v as f32));

    // 20 epochs of 6 mini-batches: 120 Adam steps, and the loss went down.
    assert!(losses64[19] < 0.8 * losses64[0], "{losses64:?}");
    let mut worst_loss = 0.0f64;
    for (a, b) in losses64.iter().zip(&losses32) {
        worst_loss = worst_loss.max((a - b).abs() / a.abs().max(1.0));
    }
    let mut worst_weight = 0.0f64;
    for (w64, w32) in weights64.iter().zip(&weights32) {
        for (a, b) in w64.iter().zip(w32.iter()) {
            worst_weight = worst_weight.max((a - f64::from(*b)).abs() / a.abs().max(1.0));
        }
    }
    println!("worst relative difference: loss {worst_loss:.2e}, weight {worst_weight:.2e}");
    assert!(worst_loss < 1e-5, "losses differ by {worst_loss:e}");
    assert!(worst_weight < 1e-5, "weights differ by {worst_weight:e}");
    // And they do differ: f32 really computed in f32.
    assert!(worst_weight > 0.0);
}
