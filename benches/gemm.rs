//! Benchmark: the matrix products Chapter 5's networks spend their time in,
//! in `f32`, with ndarray's `general_mat_mul` (matrixmultiply underneath, one
//! thread), each reported by Criterion as time and as throughput in
//! floating-point operations (2 per multiply-add; Criterion prints it as
//! "elements/s", read it as FLOP/s).
//!
//! MLP, batch 32: the first layer's forward product and its ∂L/∂W (its ∂L/∂X
//! is skipped in training), the second layer's three. CNN, batch 128: the
//! second convolution as im2col makes it (73 728 patch rows of 288 numbers,
//! 64 kernels) forward, ∂L/∂W and ∂L/∂cols, and the dense layer 9216 → 128.
//!
//! Run with `cargo bench --bench gemm`. Nothing here is a timed test: the
//! test command only builds this file.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ndarray::Array2;
use ndarray::linalg::general_mat_mul;
use std::hint::black_box;

/// Times C = A·B for A of shape `[m, k]` and B of shape `[k, n]`, with A
/// transposed in memory when `a_t` (as `Xᵀ·∂L/∂Y` reads the cached input).
fn product(c: &mut Criterion, name: &str, (m, k, n): (usize, usize, usize), a_t: bool) {
    let a = if a_t {
        Array2::<f32>::from_elem((k, m), 0.5).reversed_axes() // a transposed view, as in ∂L/∂W
    } else {
        Array2::<f32>::from_elem((m, k), 0.5)
    };
    let b = Array2::<f32>::from_elem((k, n), 0.25);
    let mut out = Array2::<f32>::zeros((m, n));
    let mut group = c.benchmark_group("gemm");
    group.throughput(Throughput::Elements((2 * m * k * n) as u64));
    if m * k * n > 100_000_000 {
        group.sample_size(10);
    }
    group.bench_function(format!("{name}: [{m}, {k}]·[{k}, {n}]"), |bench| {
        bench.iter(|| general_mat_mul(1.0, black_box(&a), black_box(&b), 0.0, &mut out))
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    product(c, "MLP dense 1 forward", (32, 784, 128), false);
    product(c, "MLP dense 1 ∂L/∂W", (784, 32, 128), true);
    product(c, "MLP dense 2 forward", (32, 128, 10), false);
    product(c, "MLP dense 2 ∂L/∂X", (32, 10, 128), false);
    product(c, "CNN conv 2 forward", (73_728, 288, 64), false);
    product(c, "CNN conv 2 ∂L/∂W", (288, 73_728, 64), true);
    product(c, "CNN conv 2 ∂L/∂cols", (73_728, 64, 288), false);
    product(c, "CNN dense 9216 → 128 forward", (128, 9216, 128), false);
}

criterion_group!(gemm, benches);
criterion_main!(gemm);
