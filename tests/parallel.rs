//! Data-parallel training (Chapter 7) computes what one worker computes.
//!
//! The claim: splitting a mini-batch across N replicas, adding their gradients
//! and taking one step gives the single worker's step, up to rounding. Why only
//! up to rounding: the gradient of a weight is a sum over the batch's rows
//! (∂L/∂W = Xᵀδ). One worker adds the B rows' terms in one run; N workers add
//! each slice's terms and then the N partial sums: the same terms, added in
//! another order, and floating-point addition is not associative. Recursive
//! summation of B terms errs by at most (B − 1)·u·Σ|terms| (Higham, *Accuracy
//! and Stability of Numerical Algorithms*, §4.2), u = 2⁻⁵³ ≈ 1.1e-16 in f64 and
//! 2⁻²⁴ ≈ 6e-8 in f32. With B = 64 that is 7e-15 of Σ|terms| in f64 and 4e-6 in
//! f32; the checks allow 1e-12 and 1e-4 of the largest gradient (the terms of a
//! sum may cancel, so the bound is relative to more than |the sum|). A real
//! mistake is ten orders of magnitude larger in f64: the test
//! `the_tolerance_catches_a_missing_slice` shows one.
//!
//! Dropout and batch normalisation are per slice, so those tests use networks
//! without them; two tests show what changes with them.

use approx::assert_abs_diff_eq;
use rand_distr::{Distribution, StandardNormal};
use scratchnet::loss::Loss;
use scratchnet::parallel::{DataParallel, shards};
use scratchnet::prelude::*;
use scratchnet::train::Fit;

/// A classification problem: `n` points in 10 dimensions, 3 classes decided by
/// the signs of two projections, with one-hot targets.
fn data<F: Float>(n: usize, seed: u64) -> (Tensor<F>, Tensor<F>) {
    let mut rng = seeded_rng(seed);
    let x: Tensor<F> =
        Tensor::from_shape_simple_fn(vec![n, 10], || F::cast(StandardNormal.sample(&mut rng)));
    let labels: Vec<usize> = x
        .rows()
        .into_iter()
        .map(|r| {
            let (a, b) = ((r[0] + r[1]).as_f64(), (r[2] - r[3]).as_f64());
            if a > 0.0 {
                0
            } else if b > 0.0 {
                1
            } else {
                2
            }
        })
        .collect();
    (x, one_hot(&labels, 3))
}

/// A 10-16-16-3 network (tanh, ReLU), the same weights for every `worker`.
fn net<F: Float>(_worker: usize) -> Sequential<F> {
    let mut rng = seeded_rng(7);
    Sequential::new()
        .with(Dense::new(10, 16, Init::XavierNormal, &mut rng))
        .with(Tanh::new())
        .with(Dense::new(16, 16, Init::HeNormal, &mut rng))
        .with(ReLU::new())
        .with(Dense::new(16, 3, Init::XavierNormal, &mut rng))
}

/// Forward and backward on one batch; returns the loss and every gradient.
fn gradients<F: Float>(
    model: &mut dyn Layer<F>,
    x: &Tensor<F>,
    y: &Tensor<F>,
) -> (F, Vec<Tensor<F>>) {
    let mut loss = SoftmaxCrossEntropy::new();
    let l = loss.forward(&model.forward(x, Mode::Train), y);
    model.backward(&loss.backward());
    (l, model.params().iter().map(|p| p.grad.clone()).collect())
}

/// The largest |a − b| over all tensors, relative to the largest |b|.
fn relative_gap<F: Float>(a: &[Tensor<F>], b: &[Tensor<F>]) -> f64 {
    let largest = b
        .iter()
        .flat_map(|t| t.iter())
        .fold(0.0, |m: f64, v| m.max(v.as_f64().abs()));
    let gap = a
        .iter()
        .zip(b)
        .flat_map(|(s, t)| s.iter().zip(t.iter()))
        .fold(0.0, |m: f64, (p, q)| m.max((p.as_f64() - q.as_f64()).abs()));
    gap / largest
}

fn values<F: Float>(model: &dyn Layer<F>) -> Vec<Tensor<F>> {
    model.params().iter().map(|p| p.value.clone()).collect()
}

#[test]
fn shards_cover_every_row_once_in_order() {
    for n in 0..40 {
        for parts in 1..9 {
            let s = shards(n, parts);
            assert_eq!(s.len(), parts.min(n).max(1));
            assert_eq!(s[0].start, 0);
            assert_eq!(s.last().unwrap().end, n);
            assert!(s.windows(2).all(|w| w[0].end == w[1].start), "{s:?}");
            let sizes: Vec<usize> = s.iter().map(|r| r.len()).collect();
            let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            assert!(max - min <= 1, "{sizes:?}");
        }
    }
}

#[test]
fn split_gradients_add_up_to_the_batch_gradient() {
    let (x, y) = data::<f64>(64, 1);
    let (l1, g1) = gradients(&mut net(0), &x, &y);
    for workers in [2, 3, 4, 5, 64] {
        // 5 workers: slices of 13, 13, 13, 13 and 12 rows.
        let mut parallel = DataParallel::new(workers, net);
        let (l, g) = gradients(&mut parallel, &x, &y);
        assert_abs_diff_eq!(l, l1, epsilon = 1e-14);
        let gap = relative_gap(&g, &g1);
        assert!(
            gap < 1e-12,
            "{workers} workers: gradients differ by {gap:e} of the largest"
        );
    }
}

#[test]
fn one_data_parallel_step_equals_one_worker_step() {
    let (x, y) = data::<f64>(64, 2);
    let step = |model: &mut dyn Layer| {
        let mut adam = Adam::new(0.01);
        for _ in 0..3 {
            train_step(
                model,
                &mut SoftmaxCrossEntropy::new(),
                Penalty::None,
                &mut adam,
                &x,
                &y,
            );
        }
    };
    let mut single = net(0);
    step(&mut single);
    let mut parallel = DataParallel::new(4, net);
    step(&mut parallel);
    let gap = relative_gap(&values(&parallel), &values(&single));
    assert!(gap < 1e-12, "weights differ by {gap:e} of the largest");
    // The step moved the weights, and by the same amount.
    assert!(relative_gap(&values(&single), &values(&net::<f64>(0))) > 1e-3);
}

#[test]
fn the_tolerance_catches_a_missing_slice() {
    // Forgetting one worker's gradient (here: three quarters of the batch
    // instead of all of it) moves the gradient by far more than rounding.
    let (x, y) = data::<f64>(64, 1);
    let (_, all) = gradients(&mut net(0), &x, &y);
    let rows = x.slice(ndarray::s![..48, ..]).to_owned().into_dyn();
    let targets = y.slice(ndarray::s![..48, ..]).to_owned().into_dyn();
    let (_, part) = gradients(&mut net(0), &rows, &targets);
    let part: Vec<Tensor> = part.into_iter().map(|g| g * 0.75).collect(); // 48 of 64 rows' share
    assert!(relative_gap(&part, &all) > 1e-3);
}

#[test]
fn single_precision_agrees_within_its_rounding() {
    let (x, y) = data::<f32>(64, 3);
    let (l1, g1) = gradients(&mut net::<f32>(0), &x, &y);
    let (l2, g2) = gradients(&mut DataParallel::new(2, net::<f32>), &x, &y);
    assert_abs_diff_eq!(l1, l2, epsilon = 1e-6);
    let gap = relative_gap(&g2, &g1);
    assert!(gap < 1e-4, "gradients differ by {gap:e} of the largest");
}

#[test]
fn data_parallel_training_tracks_one_worker_training() {
    let (x, y) = data::<f64>(256, 4);
    let train = |model: &mut dyn Layer| {
        let config = Fit::new(5, 32).seed(3).accuracy();
        fit(
            model,
            &mut SoftmaxCrossEntropy::new(),
            &mut Adam::new(0.01),
            &x,
            &y,
            config,
        )
        .unwrap()
    };
    let mut single = net(0);
    let h1 = train(&mut single);
    let mut parallel = DataParallel::new(3, net);
    let h3 = train(&mut parallel);
    // 40 steps of Adam: the rounding differences of each step carry over into
    // the next, and still stay far below anything a reader could see.
    for (a, b) in h1.epochs.iter().zip(&h3.epochs) {
        assert_abs_diff_eq!(a.train_loss, b.train_loss, epsilon = 1e-10);
        assert_eq!(a.train_accuracy, b.train_accuracy);
    }
    assert!(relative_gap(&values(&parallel), &values(&single)) < 1e-9);
    assert!(
        h1.epochs[4].train_loss < 0.5 * h1.epochs[0].train_loss,
        "it learned"
    );
    // The trained network is replica 0, ready to use on its own.
    let mut model = parallel.into_model();
    assert_abs_diff_eq!(model.predict(&x), single.predict(&x), epsilon = 1e-9);
}

#[test]
fn the_sum_does_not_depend_on_which_thread_finishes_first() {
    let (x, y) = data::<f64>(60, 5);
    let (_, first) = gradients(&mut DataParallel::new(3, net), &x, &y);
    for _ in 0..20 {
        let (_, again) = gradients(&mut DataParallel::new(3, net), &x, &y);
        assert_eq!(
            again, first,
            "the reduction must be deterministic, bit for bit"
        );
    }
}

#[test]
fn more_workers_than_rows_leaves_some_idle() {
    let (x, y) = data::<f64>(3, 6);
    let (_, g1) = gradients(&mut net(0), &x, &y);
    let mut parallel = DataParallel::new(5, net);
    let (_, g5) = gradients(&mut parallel, &x, &y);
    assert!(relative_gap(&g5, &g1) < 1e-12);
    // A later, full batch uses them all, from the same weights.
    let (x, y) = data::<f64>(20, 7);
    let (_, g1) = gradients(&mut net(0), &x, &y);
    assert!(relative_gap(&gradients(&mut parallel, &x, &y).1, &g1) < 1e-12);
}

#[test]
fn the_whole_network_passes_a_gradient_check() {
    use scratchnet::gradcheck::check_network;
    let (x, y) = data::<f64>(7, 8);
    let report = check_network(
        &DataParallel::new(3, net),
        &SoftmaxCrossEntropy::new(),
        &x,
        &y,
    );
    assert!(report.passed(), "{report:?}");
}

/// The Chapter 5 pattern: a hidden layer with dropout, one seed per worker.
fn with_dropout(seed_of_worker: impl Fn(usize) -> u64) -> impl Fn(usize) -> Sequential {
    move |worker| {
        let mut rng = seeded_rng(0);
        Sequential::new()
            .with(Dense::new(10, 200, Init::HeNormal, &mut rng))
            .with(Dropout::new(0.5, seed_of_worker(worker)))
    }
}

#[test]
fn replicas_built_with_their_own_seed_draw_their_own_masks() {
    let x: Tensor = Tensor::ones(vec![8, 10]);
    let dropped = |y: &Tensor, rows: std::ops::Range<usize>| -> Vec<bool> {
        y.slice(ndarray::s![rows, ..])
            .iter()
            .map(|&v| v == 0.0)
            .collect()
    };
    // One seed per worker: the two halves of the batch get different masks.
    let y = DataParallel::new(2, with_dropout(|k| 100 + k as u64)).forward(&x, Mode::Train);
    assert_ne!(dropped(&y, 0..4), dropped(&y, 4..8));
    // The same seed for every worker (what cloning one network does): both
    // halves get the same masks, and the batch has half the randomness it should.
    let y = DataParallel::new(2, with_dropout(|_| 100)).forward(&x, Mode::Train);
    assert_eq!(dropped(&y, 0..4), dropped(&y, 4..8));
}

#[test]
fn batch_norm_normalises_each_slice_by_itself() {
    let build = |_| -> Sequential { Sequential::new().with(BatchNorm::new(2)) };
    // Two features; the first half of the batch is shifted by +10.
    let x = Tensor::from_shape_fn(vec![8, 2], |d| {
        d[1] as f64 + if d[0] < 4 { 10.0 } else { 0.0 }
    });
    let one = build(0).forward(&x, Mode::Train);
    let two = DataParallel::new(2, build).forward(&x, Mode::Train);
    // One worker sees the shift; two workers each see a constant slice and
    // normalise it to 0: with batch norm, N workers compute something else.
    assert!(one[[0, 0]] > 0.9 && one[[7, 0]] < -0.9);
    assert!(two.iter().all(|v| v.abs() < 1e-6), "{two}");
}

#[test]
fn a_checkpoint_sees_every_replicas_generator() {
    // Three replicas, three dropout streams: all of them are listed, so a
    // checkpoint restores every worker's masks, not only replica 0's.
    let mut parallel = DataParallel::new(3, with_dropout(|k| 100 + k as u64));
    assert_eq!(parallel.rngs().len(), 3);
    let saved: Vec<scratchnet::tensor::Rng> = parallel.rngs().into_iter().cloned().collect();
    let x: Tensor = Tensor::ones(vec![6, 10]);
    let first = parallel.forward(&x, Mode::Train);
    for (rng, state) in parallel.rngs_mut().into_iter().zip(&saved) {
        *rng = state.clone();
    }
    assert_eq!(
        parallel.forward(&x, Mode::Train),
        first,
        "restored: the same masks again"
    );
}

#[test]
fn a_wrong_input_shape_is_reported_before_any_thread_starts() {
    let parallel = DataParallel::new(2, net::<f64>);
    assert!(parallel.check_input(&[8, 10]).is_ok());
    let reason = parallel.check_input(&[8, 7]).unwrap_err();
    assert!(reason.contains("width 10"), "{reason}");
    let x: Tensor = Tensor::zeros(vec![8, 7]);
    let mut parallel = parallel;
    let forward = std::panic::AssertUnwindSafe(move || parallel.forward(&x, Mode::Train));
    let err = std::panic::catch_unwind(forward).unwrap_err();
    let message = err.downcast_ref::<String>().unwrap();
    assert!(
        message.starts_with("DataParallel(2 × Sequential(Dense(10 → 16)"),
        "{message}"
    );
    assert!(
        message.contains("expects inputs of width 10, got [8, 7]"),
        "{message}"
    );
}

#[test]
fn a_data_parallel_run_with_dropout_resumes_from_a_checkpoint_bit_for_bit() {
    use scratchnet::train::Control;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.ckpt");
    let (x, y) = data::<f64>(96, 9);
    // 10 → 200 with dropout, then a classifier: every worker draws its own masks.
    let build = |k: usize| -> Sequential {
        let mut rng = seeded_rng(0);
        Sequential::new()
            .with(Dense::new(10, 32, Init::HeNormal, &mut rng))
            .with(ReLU::new())
            .with(Dropout::new(0.3, 100 + k as u64))
            .with(Dense::new(32, 3, Init::XavierNormal, &mut rng))
    };
    let config = || Fit::new(4, 16).seed(5);
    let run = |model: &mut DataParallel, config: Fit| {
        let mut loss = SoftmaxCrossEntropy::new();
        fit(model, &mut loss, &mut Adam::new(0.01), &x, &y, config).unwrap()
    };
    let mut whole = DataParallel::new(3, build);
    let h = run(&mut whole, config());
    // The same run, stopped after epoch 2, then resumed in a fresh DataParallel.
    let mut first = DataParallel::new(3, build);
    let stop = |e: &scratchnet::train::Epoch, _: &mut dyn Layer| {
        if e.epoch == 2 {
            Control::Stop
        } else {
            Control::Continue
        }
    };
    run(&mut first, config().checkpoint(&path).on_epoch(stop));
    let mut resumed = DataParallel::new(3, build);
    let h2 = run(&mut resumed, config().resume_from(&path));
    assert_eq!(
        values(&resumed),
        values(&whole),
        "the same weights, bit for bit"
    );
    assert_eq!(h2.train_losses(), h.train_losses(), "the same history");
}
