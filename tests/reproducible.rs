//! Reproducibility (issue: reliability): the same seed gives bit-identical
//! weights and records, run after run, for the MLP and the CNN, and another
//! seed gives other ones. Short runs on generated MNIST-shaped data.

use rand::Rng as _;
use scratchnet::Layer;
use scratchnet::experiments::cnn::{self, CnnConfig, run_cnn};
use scratchnet::experiments::mnist::{self, MlpConfig, Run, run_mlp};
use scratchnet::tensor::{Tensor, seeded_rng};

/// 300 noisy images of three classes (a bright band at one of three heights).
fn data() -> (Tensor<f32>, Vec<usize>) {
    let mut rng = seeded_rng(42);
    let labels: Vec<usize> = (0..300).map(|i| i % 3).collect();
    let x = Tensor::from_shape_fn(vec![300, 784], |d| {
        let row = d[1] / 28;
        let band = (row / 9 == labels[d[0]]) as u8 as f32;
        (0.7 * band + 0.3 * rng.random::<f32>()).min(1.0)
    });
    (x, labels)
}

/// Everything a record holds except the timings and the date.
fn without_timings(mut r: serde_json::Value) -> serde_json::Value {
    r["seconds"] = serde_json::Value::Null;
    for e in r["epochs"].as_array_mut().unwrap() {
        e["seconds"] = serde_json::Value::Null;
    }
    r
}

fn weights(run: &Run) -> Vec<Vec<f32>> {
    run.model
        .params()
        .iter()
        .map(|p| p.value.iter().copied().collect())
        .collect()
}

#[test]
fn the_mlp_is_bit_for_bit_reproducible() {
    let (x, y) = data();
    let config = |seed| MlpConfig {
        epochs: 2,
        validation: 60,
        ..MlpConfig::book_default(seed)
    };
    let (a, b, c) = (
        run_mlp(&x, &y, &x, &y, &config(5)).unwrap(),
        run_mlp(&x, &y, &x, &y, &config(5)).unwrap(),
        run_mlp(&x, &y, &x, &y, &config(6)).unwrap(),
    );
    assert_eq!(weights(&a), weights(&b));
    assert_eq!(
        without_timings(mnist::record("toy", &config(5), &a)),
        without_timings(mnist::record("toy", &config(5), &b))
    );
    assert_ne!(weights(&a), weights(&c), "another seed, other weights");
}

#[test]
fn the_cnn_is_bit_for_bit_reproducible() {
    let (x, y) = data();
    let config = |seed| CnnConfig {
        epochs: 1,
        batch_size: 32,
        validation: 60,
        ..CnnConfig::book_default(seed)
    };
    let (a, b, c) = (
        run_cnn(&x, &y, &x, &y, &config(5)).unwrap(),
        run_cnn(&x, &y, &x, &y, &config(5)).unwrap(),
        run_cnn(&x, &y, &x, &y, &config(6)).unwrap(),
    );
    assert_eq!(weights(&a), weights(&b));
    assert_eq!(
        without_timings(cnn::record("toy", &config(5), &a)),
        without_timings(cnn::record("toy", &config(5), &b))
    );
    assert_ne!(weights(&a), weights(&c), "another seed, other weights");
}
