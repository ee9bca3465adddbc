//! Automatic checks for the Chapter 7 exercises.
//!
//! Run them with `cargo test -p exercises --test ch07`.

use exercises::ch07_tools::{accumulated_step, ring_all_reduce};
use scratchnet::prelude::*;

// ANCHOR: tests
/// `n` buffers of length `len`, all different, with entries of mixed signs and sizes.
fn buffers(n: usize, len: usize) -> Vec<Vec<f64>> {
    (0..n)
        .map(|k| {
            (0..len)
                .map(|i| ((k * 31 + i * 7) as f64 * 0.61).sin() * 10f64.powi((i % 5) as i32 - 2))
                .collect()
        })
        .collect()
}

/// The element-wise sum, added worker by worker.
fn plain_sum(buffers: &[Vec<f64>]) -> Vec<f64> {
    let len = buffers.first().map_or(0, Vec::len);
    (0..len)
        .map(|i| buffers.iter().map(|b| b[i]).sum())
        .collect()
}

#[test]
fn ex7_1_every_worker_ends_with_the_sum() {
    for n in 2..=6 {
        for len in [1, 2, 5, 6, 12, 13, 100] {
            let mut b = buffers(n, len);
            let want = plain_sum(&b);
            ring_all_reduce(&mut b);
            for (k, buffer) in b.iter().enumerate() {
                for (i, (got, want)) in buffer.iter().zip(&want).enumerate() {
                    // Another order of addition: equal up to rounding.
                    assert!(
                        (got - want).abs() <= 1e-12 * (1.0 + want.abs()),
                        "{n} workers, length {len}: worker {k}, entry {i} is {got}, the sum is {want}"
                    );
                }
            }
        }
    }
}

#[test]
fn ex7_1_every_worker_ends_with_the_same_bits() {
    // Each chunk is summed once, on one worker, then copied: all replicas agree
    // exactly, so they take exactly the same optimizer step.
    for n in 2..=6 {
        let mut b = buffers(n, 37);
        ring_all_reduce(&mut b);
        assert!(
            b.iter().all(|buffer| buffer == &b[0]),
            "{n} workers do not hold identical buffers"
        );
    }
}

#[test]
fn ex7_1_each_worker_sends_two_chunks_per_worker_less_one() {
    // 2(N − 1) messages of one chunk each: 2(N − 1)/N of the buffer, never the whole
    // buffer to everyone ((N − 1)·L numbers, what a naive all-to-all sends).
    let sent = ring_all_reduce(&mut buffers(4, 1000));
    assert_eq!(sent, [1500; 4]);
    let sent = ring_all_reduce(&mut buffers(8, 800));
    assert_eq!(sent, [1400; 8]);
    // Unequal chunks (13 numbers in chunks of 4, 3, 3, 3): every worker sends each
    // chunk but one in each phase, 26 − (its two skipped chunks) in all.
    let sent = ring_all_reduce(&mut buffers(4, 13));
    assert_eq!(sent.iter().sum::<usize>(), 2 * 3 * 13);
    assert!(sent.iter().all(|&s| (18..=20).contains(&s)), "{sent:?}");
}

#[test]
fn ex7_1_one_worker_and_short_buffers() {
    let mut one = buffers(1, 5);
    let before = one.clone();
    assert_eq!(ring_all_reduce(&mut one), [0], "one worker sends nothing");
    assert_eq!(one, before);
    // Fewer numbers than workers: some chunks are empty, the sum is still right.
    let mut b = buffers(5, 3);
    let want = plain_sum(&b);
    ring_all_reduce(&mut b);
    for buffer in &b {
        for (got, want) in buffer.iter().zip(&want) {
            assert!((got - want).abs() <= 1e-12 * (1.0 + want.abs()));
        }
    }
}

fn network() -> Sequential {
    let mut rng = seeded_rng(11);
    Sequential::new()
        .with(Dense::new(5, 8, Init::XavierNormal, &mut rng))
        .with(Tanh::new())
        .with(Dense::new(8, 3, Init::XavierNormal, &mut rng))
}

fn batch(rows: usize) -> (Tensor, Tensor) {
    let x = Tensor::from_shape_fn(vec![rows, 5], |d| ((d[0] * 5 + d[1]) as f64 * 0.43).cos());
    let labels: Vec<usize> = (0..rows).map(|r| (r * 7) % 3).collect();
    (x, one_hot(&labels, 3))
}

/// The largest difference between two networks' parameters.
fn gap(a: &Sequential, b: &Sequential) -> f64 {
    a.params()
        .iter()
        .zip(b.params())
        .flat_map(|(p, q)| p.value.iter().zip(q.value.iter()))
        .fold(0.0, |m: f64, (p, q)| m.max((p - q).abs()))
}

#[test]
fn ex7_2_equals_one_step_on_the_whole_batch() {
    let (x, y) = batch(10);
    let mut whole = network();
    let mut loss = SoftmaxCrossEntropy::new();
    let (l, _) = train_step(
        &mut whole,
        &mut loss,
        Penalty::None,
        &mut Sgd::new(0.5),
        &x,
        &y,
    );
    // 2 micro-batches of 5; 3 of 4, 3 and 3 (unequal: each must count by its size); 10 of 1.
    for micro in [1, 2, 3, 10] {
        let mut acc = network();
        let mut loss = SoftmaxCrossEntropy::new();
        let l_acc = accumulated_step(&mut acc, &mut loss, &mut Sgd::new(0.5), &x, &y, micro);
        assert!(
            (l_acc - l).abs() < 1e-12,
            "{micro} micro-batches: loss {l_acc}, the batch's is {l}"
        );
        let g = gap(&acc, &whole);
        assert!(
            g < 1e-12,
            "{micro} micro-batches: the weights differ by {g:e} from one step on the batch"
        );
        assert!(
            gap(&acc, &network()) > 1e-3,
            "the step must move the weights"
        );
    }
}

#[test]
fn ex7_2_with_adam_over_several_steps() {
    // Adam divides by the gradient's size: a gradient off by a constant factor
    // would hardly show in one step, a wrong mixture of micro-batches would.
    let (x, y) = batch(9);
    let (mut whole, mut acc) = (network(), network());
    let (mut adam_whole, mut adam_acc) = (Adam::new(0.05), Adam::new(0.05));
    for _ in 0..5 {
        let mut loss = SoftmaxCrossEntropy::new();
        train_step(
            &mut whole,
            &mut loss,
            Penalty::None,
            &mut adam_whole,
            &x,
            &y,
        );
        accumulated_step(&mut acc, &mut loss, &mut adam_acc, &x, &y, 4); // 3, 2, 2, 2 rows
    }
    let g = gap(&acc, &whole);
    assert!(g < 1e-10, "after 5 Adam steps the weights differ by {g:e}");
}
// ANCHOR_END: tests
