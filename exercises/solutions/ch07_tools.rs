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
    // ANCHOR: solution_ring
    let n = buffers.len();
    let len = buffers.first().map_or(0, Vec::len);
    assert!(buffers.iter().all(|b| b.len() == len), "buffers differ in length");
    let mut sent = vec![0; n];
    if n < 2 {
        return sent;
    }
    #[derive(Clone, Copy)]
    enum Phase {
        ReduceScatter, // add what arrives
        AllGather,     // replace with what arrives
    }
    let chunks = shards(len, n); // may be fewer than n chunks when len < n
    let chunk = |i: usize| chunks.get(i).cloned().unwrap_or(len..len); // empty beyond
    for phase in [Phase::ReduceScatter, Phase::AllGather] {
        for s in 0..n - 1 {
            // Every worker's message, taken before anyone receives (all send at once).
            let messages: Vec<(usize, Vec<f64>)> = (0..n)
                .map(|k| {
                    let c = match phase {
                        Phase::ReduceScatter => (k + n - s) % n,
                        Phase::AllGather => (k + 1 + n - s) % n,
                    };
                    (c, buffers[k][chunk(c)].to_vec())
                })
                .collect();
            for (k, (c, values)) in messages.into_iter().enumerate() {
                sent[k] += values.len();
                let to = &mut buffers[(k + 1) % n][chunk(c)];
                for (mine, theirs) in to.iter_mut().zip(values) {
                    match phase {
                        Phase::ReduceScatter => *mine += theirs,
                        Phase::AllGather => *mine = theirs,
                    }
                }
            }
        }
    }
    sent
    // ANCHOR_END: solution_ring
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
    // ANCHOR: solution_accumulate
    let rows = x.len_of(Axis(0));
    let mut total: Vec<Tensor> = model.params().iter().map(|p| &p.grad * 0.0).collect();
    let mut batch_loss = 0.0;
    for part in shards(rows, micro) {
        let share = part.len() as f64 / rows as f64; // this micro-batch's weight in the mean
        let slice = |t: &Tensor| t.slice_axis(Axis(0), Slice::from(part.clone())).to_owned();
        let prediction = model.forward(&slice(x), Mode::Train);
        batch_loss += share * loss.forward(&prediction, &slice(y));
        model.backward(&loss.backward());
        for (sum, p) in total.iter_mut().zip(model.params()) {
            sum.scaled_add(share, &p.grad);
        }
    }
    let mut params = model.params_mut();
    for (p, sum) in params.iter_mut().zip(total) {
        p.grad = sum;
    }
    params.retain(|p| p.kind.is_trainable());
    optimizer.step(&mut params);
    batch_loss
    // ANCHOR_END: solution_accumulate
}
// ANCHOR_END: accumulate
