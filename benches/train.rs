//! Benchmarks of training as a whole (issue 12): one optimizer step over all
//! the parameters of Chapter 5's networks, and one training epoch of each
//! network on a fixed synthetic set of MNIST's shape (random pixels in
//! [0, 1], labels 0–9 in turn), through the same `run_mlp` and `run_cnn` as
//! the chapter's examples. The arithmetic does not depend on what the pixels
//! show, so the times are those of real MNIST epochs; `bench_epochs` times
//! real ones and writes records.
//!
//! Run with `cargo bench --bench train` (about ten minutes: the CNN's epoch,
//! half a minute, is timed ten times). Nothing here is a timed test: the test
//! command only builds this file.

use criterion::{Criterion, criterion_group, criterion_main};
use scratchnet::experiments::cnn::{CnnConfig, cnn, run_cnn};
use scratchnet::experiments::mnist::{MlpConfig, mlp, run_mlp};
use scratchnet::layer::Param;
use scratchnet::optim::{Adadelta, Adam, Optimizer};
use scratchnet::prelude::*;
use std::hint::black_box;

/// `n` synthetic images of MNIST's shape, flat (`[n, 784]`) or as images
/// (`[n, 1, 28, 28]`), with labels 0, 1, …, 9, 0, …
fn synthetic(n: usize, images: bool) -> (Tensor<f32>, Vec<usize>) {
    let shape = if images {
        vec![n, 1, 28, 28]
    } else {
        vec![n, 784]
    };
    let x = Init::Uniform(0.5).sample(&shape, 784, 10, &mut seeded_rng(7)) + 0.5; // [0, 1]
    (x, (0..n).map(|i| i % 10).collect())
}

/// One step of `optimizer` over every trainable parameter of `net`, whose
/// gradients are filled with small numbers first.
fn optimizer_step(
    c: &mut Criterion,
    name: &str,
    mut net: Sequential<f32>,
    mut optimizer: impl Optimizer<f32>,
) {
    let mut params: Vec<&mut Param<f32>> = net.params_mut();
    params.retain(|p| p.kind.is_trainable());
    for p in params.iter_mut() {
        p.grad.fill(1e-3);
    }
    let count: usize = params.iter().map(|p| p.value.len()).sum();
    c.bench_function(&format!("{name}: one step over {count} parameters"), |b| {
        b.iter(|| optimizer.step(black_box(&mut params)))
    });
}

fn steps(c: &mut Criterion) {
    optimizer_step(
        c,
        "Adam, the MLP",
        mlp(Init::XavierUniform, 1),
        Adam::new(0.001),
    );
    optimizer_step(
        c,
        "Adadelta, the CNN",
        cnn(false, Init::XavierUniform, 1),
        Adadelta::with_lr(1.0),
    );
}

fn epochs(c: &mut Criterion) {
    let mut group = c.benchmark_group("epoch");
    group.sample_size(10);
    let (x, labels) = synthetic(60_000, false);
    let (test_x, test_labels) = synthetic(100, false);
    let config = MlpConfig {
        epochs: 1,
        ..MlpConfig::seed_article(1)
    };
    group.bench_function("MLP 784-128-10, Adam, batch 32, 60 000 images", |b| {
        b.iter(|| run_mlp(&x, &labels, &test_x, &test_labels, &config).expect("trains"))
    });
    let (x, labels) = synthetic(60_000, true);
    let (test_x, test_labels) = synthetic(100, true);
    let config = CnnConfig {
        epochs: 1,
        ..CnnConfig::seed_article(1)
    };
    group.bench_function("CNN (seed 001), Adadelta, batch 128, 60 000 images", |b| {
        b.iter(|| run_cnn(&x, &labels, &test_x, &test_labels, &config).expect("trains"))
    });
    group.finish();
}

criterion_group!(train, steps, epochs);
criterion_main!(train);
