//! Micro-benchmark: one forward and one backward pass of a dense layer, in
//! `f32` and in `f64`, at the shape of the book's MNIST network
//! (a batch of 32 or 128 images of 784 pixels into 128 hidden units).
//!
//! Run with `cargo bench --bench dense`. Criterion prints the time of each;
//! their ratio is the speed `f32` buys. Nothing here is a timed test: the
//! test command only builds this file.

use criterion::{Criterion, criterion_group, criterion_main};
use scratchnet::prelude::*;
use std::hint::black_box;

fn dense_step<F: Float>(c: &mut Criterion, batch: usize) {
    let mut rng = seeded_rng(0);
    let mut layer: Dense<F> = Dense::new(784, 128, Init::HeNormal, &mut rng);
    let x: Tensor<F> = Init::Uniform(1.0).sample(&[batch, 784], 784, 128, &mut rng);
    let dy: Tensor<F> = Init::Uniform(1.0).sample(&[batch, 128], 784, 128, &mut rng);
    c.bench_function(
        &format!("dense 784→128, batch {batch}, {}", F::NAME),
        |b| {
            b.iter(|| {
                let y = layer.forward(black_box(&x), Mode::Train);
                let dx = layer.backward(black_box(&dy));
                black_box((y, dx))
            })
        },
    );
}

fn benches(c: &mut Criterion) {
    for batch in [32, 128] {
        dense_step::<f64>(c, batch);
        dense_step::<f32>(c, batch);
    }
}

criterion_group!(dense, benches);
criterion_main!(dense);
