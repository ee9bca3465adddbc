//! Chapter 7 exercises: ring all-reduce, the collective that data-parallel
//! frameworks average gradients with, and gradient accumulation, the same
//! sum as data parallelism spread over time instead of over workers.
//!
//! Fill in every `todo!()`, then check your work with
//! `cargo test -p exercises --test ch07`.

use scratchnet::loss::Loss;
use scratchnet::optim::Optimizer;
use scratchnet::parallel::shards;
use scratchnet::{Layer, Mode, Sequential, Tensor};
use ndarray::{Axis, Slice};

// ANCHOR: ring
/// Exercise 7.1: ring all-reduce over `buffers.len()` simulated workers.
///
/// Worker `k` holds `buffers[k]`; all buffers have the same length `L`. When
/// the function returns, every buffer holds the element-wise sum of all of
/// them. The workers form a ring (worker `k` sends only to worker
/// `(k + 1) % N`), and every buffer is cut into `N` chunks the way
/// `scratchnet::parallel::shards(L, N)` cuts rows (fewer chunks when `L < N`).
///
/// * **Reduce-scatter**, `N − 1` steps: at step `s`, every worker `k` sends
///   its chunk `(k − s) mod N` to its successor, which adds it to its own copy
///   of that chunk. Afterwards worker `k` holds the complete sum of chunk
///   `(k + 1) mod N`.
/// * **All-gather**, `N − 1` steps: at step `s`, every worker `k` sends its
///   chunk `(k + 1 − s) mod N`, complete, to its successor, which replaces its
///   copy with it.
///
/// Within a step all workers send at once: every message is taken from the
/// buffers as they were at the start of the step. Returns how many numbers
/// each worker sent in total.
///
/// **Panics** if the buffers differ in length.
pub fn ring_all_reduce(buffers: &mut [Vec<f64>]) -> Vec<usize> {
    todo!("your code here")
}
// ANCHOR_END: ring

// ANCHOR: accumulate
/// Exercise 7.2: one optimizer step for the batch `(x, y)`, computed in
/// `micro` micro-batches one after another (gradient accumulation).
///
/// Cut the rows with `scratchnet::parallel::shards(rows, micro)`; for each
/// micro-batch run a training-mode forward pass, the loss (a mean over the
/// micro-batch) and the backward pass. A layer's `backward` *overwrites* its
/// parameters' gradients, so keep a running total yourself, weighting each
/// micro-batch so that the total is the gradient of the mean loss over the
/// whole batch. Then put the total into the trainable parameters' `grad` and
/// take one optimizer step on them. Returns the whole batch's mean loss, from
/// before the step.
///
/// **Panics** if `micro` is 0.
pub fn accumulated_step(
    model: &mut Sequential,
    loss: &mut dyn Loss,
    optimizer: &mut dyn Optimizer,
    x: &Tensor,
    y: &Tensor,
    micro: usize,
) -> f64 {
    todo!("your code here")
}
// ANCHOR_END: accumulate
