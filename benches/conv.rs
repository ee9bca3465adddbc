//! Micro-benchmark: one forward and one backward pass of the two convolutions
//! of Keras' `mnist_cnn` (Conv 32 3×3 → Conv 64 3×3 → MaxPool 2 → Dense 128 →
//! Dense 10), in `f32`, at batch 128: `Conv2D(1 → 32, 3×3)` on 28×28 images
//! and `Conv2D(32 → 64, 3×3)` on its 26×26 output; the pooling layer that
//! follows them; and one training step of the whole network.
//!
//! Run with `cargo bench --bench conv`. Each of the two convolutions is three
//! matrix products (forward, ∂L/∂W, ∂L/∂cols) plus im2col, col2im and two
//! reorderings; the second one is the network's heaviest layer.
//! Nothing here is a timed test: the test command only builds this file.

use criterion::{Criterion, criterion_group, criterion_main};
use scratchnet::prelude::*;
use std::hint::black_box;

fn conv_step(c: &mut Criterion, batch: usize, c_in: usize, c_out: usize, side: usize) {
    let mut rng = seeded_rng(0);
    let mut conv: Conv2D<f32> = Conv2D::new(c_in, c_out, (3, 3), Init::HeUniform, &mut rng);
    let x: Tensor<f32> = Init::Uniform(1.0).sample(&[batch, c_in, side, side], 1, 1, &mut rng);
    let out = side - 2;
    let dy: Tensor<f32> = Init::Uniform(1.0).sample(&[batch, c_out, out, out], 1, 1, &mut rng);
    let name = format!("{}, {side}×{side}, batch {batch}, f32", conv.name());
    c.bench_function(&format!("{name}, forward"), |b| {
        b.iter(|| black_box(conv.forward(black_box(&x), Mode::Eval)))
    });
    c.bench_function(&format!("{name}, forward + backward"), |b| {
        b.iter(|| {
            let y = conv.forward(black_box(&x), Mode::Train);
            let dx = conv.backward(black_box(&dy));
            black_box((y, dx))
        })
    });
}

fn pool_step(c: &mut Criterion, batch: usize) {
    let mut pool: MaxPool2D<f32> = MaxPool2D::new((2, 2));
    let mut rng = seeded_rng(1);
    let x: Tensor<f32> = Init::Uniform(1.0).sample(&[batch, 64, 24, 24], 1, 1, &mut rng);
    let dy: Tensor<f32> = Init::Uniform(1.0).sample(&[batch, 64, 12, 12], 1, 1, &mut rng);
    c.bench_function(
        &format!("MaxPool2D(2×2), 64×24×24, batch {batch}, f32, forward + backward"),
        |b| {
            b.iter(|| {
                let y = pool.forward(black_box(&x), Mode::Train);
                black_box((y, pool.backward(black_box(&dy))))
            })
        },
    );
}

/// One training step (forward, loss, backward, Adam) of the whole `mnist_cnn`
/// on a batch of 128 random images: times 469 is an epoch of MNIST's 60 000.
fn mnist_cnn_step(c: &mut Criterion) {
    let mut rng = seeded_rng(2);
    let mut net: Sequential<f32> = Sequential::new()
        .with(Conv2D::new(1, 32, (3, 3), Init::HeUniform, &mut rng))
        .with(ReLU::new())
        .with(Conv2D::new(32, 64, (3, 3), Init::HeUniform, &mut rng))
        .with(ReLU::new())
        .with(MaxPool2D::new((2, 2)))
        .with(Dropout::new(0.25, 0))
        .with(Flatten::new())
        .with(Dense::new(9216, 128, Init::HeUniform, &mut rng))
        .with(ReLU::new())
        .with(Dropout::new(0.5, 1))
        .with(Dense::new(128, 10, Init::XavierUniform, &mut rng));
    let x: Tensor<f32> = Init::Uniform(1.0).sample(&[128, 1, 28, 28], 1, 1, &mut rng);
    let labels: Vec<usize> = (0..128).map(|i| i % 10).collect();
    let y: Tensor<f32> = one_hot(&labels, 10);
    let (mut loss, mut adam) = (SoftmaxCrossEntropy::new(), Adam::new(0.001));
    c.bench_function("mnist_cnn train_step, batch 128, f32", |b| {
        b.iter(|| {
            let penalty = scratchnet::regularization::Penalty::None;
            black_box(train_step(&mut net, &mut loss, penalty, &mut adam, &x, &y))
        })
    });
}

fn benches(c: &mut Criterion) {
    conv_step(c, 128, 1, 32, 28);
    conv_step(c, 128, 32, 64, 26);
    pool_step(c, 128);
    mnist_cnn_step(c);
}

criterion_group!(conv, benches);
criterion_main!(conv);
