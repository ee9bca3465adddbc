//! Automatic checks for the Chapter 5 exercises.
//!
//! Run them with `cargo test -p exercises --test ch05`.

use std::collections::HashMap;

use exercises::ch05_practice::{
    ClassScore, EarlyStopping, EpochBatches, IdxError, IdxHeader, Standardizer, parse_idx_header,
    precision_recall, warmup_step_decay,
};
use ndarray::{Array2, Axis, array};
use rand::Rng as _;
use scratchnet::data::Idx;
use scratchnet::metrics::confusion_matrix;
use scratchnet::prelude::*;
use scratchnet::schedule::Schedule;
use scratchnet::train::Control;

// ANCHOR: tests
#[test]
fn ex5_1_reads_valid_headers() {
    // Files written by the library's IDX writer: labels [3], images [2, 2, 3].
    let labels = Idx {
        dims: vec![3],
        data: vec![5, 0, 4],
    };
    let want = IdxHeader {
        dims: vec![3],
        data_offset: 8,
    };
    assert_eq!(parse_idx_header(&labels.to_bytes()), Ok(want));
    let images = Idx {
        dims: vec![2, 2, 3],
        data: (0..12).collect(),
    };
    let bytes = images.to_bytes();
    let header = parse_idx_header(&bytes).expect("a valid file");
    assert_eq!(header.dims, [2, 2, 3]);
    assert_eq!(header.data_offset, 16, "4 bytes, then 4 per dimension");
    assert_eq!(bytes[header.data_offset..], images.data[..]);
    // Sizes are big-endian: 00 00 01 2C is 300.
    let mut big = vec![0, 0, 8, 1, 0, 0, 1, 0x2C];
    big.extend(vec![7; 300]);
    assert_eq!(parse_idx_header(&big).map(|h| h.dims), Ok(vec![300]));
    // Four dimensions, the most allowed; and a file of no items at all.
    let four = Idx {
        dims: vec![2, 1, 3, 2],
        data: vec![1; 12],
    };
    assert_eq!(
        parse_idx_header(&four.to_bytes()).map(|h| h.data_offset),
        Ok(20)
    );
    let empty = [0, 0, 8, 1, 0, 0, 0, 0];
    assert_eq!(parse_idx_header(&empty).map(|h| h.dims), Ok(vec![0]));
}

#[test]
fn ex5_1_rejects_bad_magic_type_and_dimension_count() {
    let bad = |bytes: &[u8]| parse_idx_header(bytes).expect_err("this file is invalid");
    assert_eq!(
        bad(&[1, 0, 8, 1, 0, 0, 0, 1, 7]),
        IdxError::BadMagic { found: [1, 0] }
    );
    // A label file that lost its first byte.
    assert_eq!(
        bad(&[0, 8, 1, 0, 0, 0, 1, 7]),
        IdxError::BadMagic { found: [0, 8] }
    );
    // A file that is still gzip-compressed.
    assert_eq!(
        bad(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0]),
        IdxError::BadMagic {
            found: [0x1f, 0x8b]
        }
    );
    // 0x0D is the IDX code of 32-bit floats.
    assert_eq!(
        bad(&[0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0]),
        IdxError::UnsupportedType { code: 0x0D }
    );
    assert_eq!(bad(&[0, 0, 8, 0]), IdxError::BadDimensionCount { ndims: 0 });
    assert_eq!(
        bad(&[
            0, 0, 8, 5, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 9
        ]),
        IdxError::BadDimensionCount { ndims: 5 }
    );
    // The checks come in order: the magic first.
    assert_eq!(bad(&[1, 0, 0x0D, 0]), IdxError::BadMagic { found: [1, 0] });
    assert_eq!(
        bad(&[0, 0, 0x0D, 0]),
        IdxError::UnsupportedType { code: 0x0D }
    );
}

#[test]
fn ex5_1_rejects_truncated_headers() {
    let file = Idx {
        dims: vec![2, 2, 3],
        data: (0..12).collect(),
    }
    .to_bytes();
    for cut in 0..16 {
        // 4 bytes say how long the header is; this one needs 16.
        let needed = if cut < 4 { 4 } else { 16 };
        assert_eq!(
            parse_idx_header(&file[..cut]),
            Err(IdxError::TruncatedHeader { needed, found: cut }),
            "the file cut after {cut} bytes"
        );
    }
}

#[test]
fn ex5_1_rejects_data_of_the_wrong_length() {
    let file = Idx {
        dims: vec![2, 2, 3],
        data: (0..12).collect(),
    }
    .to_bytes();
    let wrong = |expected, found| Err(IdxError::WrongLength { expected, found });
    assert_eq!(
        parse_idx_header(&file[..27]),
        wrong(12, 11),
        "one byte short"
    );
    let mut longer = file.clone();
    longer.push(0);
    assert_eq!(
        parse_idx_header(&longer),
        wrong(12, 13),
        "one byte too many"
    );
    // MNIST's training-image header (60000 × 28 × 28), cut off after 100 bytes of data.
    let mut cut = vec![0, 0, 8, 3, 0, 0, 0xEA, 0x60, 0, 0, 0, 28, 0, 0, 0, 28];
    cut.extend(vec![0; 100]);
    assert_eq!(parse_idx_header(&cut), wrong(47_040_000, 100));
    // A header claiming (2³² − 1)⁴ bytes: an error, not an overflow.
    let mut huge = vec![0, 0, 8, 4];
    huge.extend([0xFF; 16]);
    huge.extend([1, 2, 3]);
    let max = u128::from(u32::MAX);
    assert_eq!(parse_idx_header(&huge), wrong(max * max * max * max, 3));
}

/// The indices of one epoch, batch after batch.
fn order(batches: EpochBatches) -> Vec<usize> {
    batches.flatten().collect()
}

#[test]
fn ex5_2_batches_cover_every_index_once() {
    let cases: [(usize, usize, &[usize]); 6] = [
        (10, 3, &[3, 3, 3, 1]),
        (12, 4, &[4, 4, 4]),
        (5, 8, &[5]),
        (1, 1, &[1]),
        (0, 4, &[]),
        (1000, 128, &[128, 128, 128, 128, 128, 128, 128, 104]),
    ];
    for (n, batch_size, sizes) in cases {
        let batches: Vec<Vec<usize>> =
            EpochBatches::new(n, batch_size, &mut seeded_rng(1)).collect();
        let got: Vec<usize> = batches.iter().map(Vec::len).collect();
        assert_eq!(
            got, sizes,
            "batch sizes for n = {n}, batch size {batch_size}"
        );
        let mut seen: Vec<usize> = batches.concat();
        seen.sort_unstable();
        assert_eq!(
            seen,
            (0..n).collect::<Vec<_>>(),
            "every index of 0..{n} exactly once"
        );
    }
}

#[test]
fn ex5_2_a_new_order_for_every_seed_and_epoch() {
    let mut rng = seeded_rng(5);
    let first = order(EpochBatches::new(50, 7, &mut rng));
    assert_ne!(
        first,
        (0..50).collect::<Vec<_>>(),
        "the order must be shuffled"
    );
    let second = order(EpochBatches::new(50, 7, &mut rng));
    assert_ne!(
        first, second,
        "the next epoch, drawn from the same generator, needs another order"
    );
    let replay = order(EpochBatches::new(50, 7, &mut seeded_rng(5)));
    assert_eq!(first, replay, "the same seed must give the same batches");
    let other = order(EpochBatches::new(50, 7, &mut seeded_rng(6)));
    assert_ne!(first, other, "another seed must give another order");
}

#[test]
fn ex5_2_every_order_is_equally_likely() {
    // 4 examples in batches of 2 have 24 orders: in 48 000 epochs each should
    // come about 2000 times (standard deviation 44). A shuffle that only swaps
    // whole batches, or swaps each place with any place, fails this.
    let mut rng = seeded_rng(7);
    let mut counts: HashMap<Vec<usize>, usize> = HashMap::new();
    for _ in 0..48_000 {
        *counts
            .entry(order(EpochBatches::new(4, 2, &mut rng)))
            .or_default() += 1;
    }
    assert_eq!(
        counts.len(),
        24,
        "every order of 4 examples must be possible"
    );
    for (order, &count) in &counts {
        assert!(
            (1750..=2250).contains(&count),
            "the order {order:?} came {count} times in 48 000 epochs, expected about 2000"
        );
    }
}

/// Columns: mean 5 and deviation 2; constant 10; mean 0.5 and deviation 0.5.
fn training_rows() -> Array2<f64> {
    array![
        [2.0, 10.0, 0.0],
        [4.0, 10.0, 0.0],
        [4.0, 10.0, 0.0],
        [4.0, 10.0, 0.0],
        [5.0, 10.0, 1.0],
        [5.0, 10.0, 1.0],
        [7.0, 10.0, 1.0],
        [9.0, 10.0, 1.0],
    ]
}

fn close(a: &Array2<f64>, b: &Array2<f64>) -> bool {
    a.shape() == b.shape() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
}

#[test]
fn ex5_3_statistics_of_the_training_columns() {
    let s = Standardizer::fit(&training_rows());
    let (mean, std) = (s.mean.to_vec(), s.std.to_vec());
    assert_eq!(mean.len(), 3, "one mean per column");
    assert!(
        mean.iter()
            .zip([5.0, 10.0, 0.5])
            .all(|(m, w)| (m - w).abs() < 1e-12),
        "column means {mean:?}, expected [5, 10, 0.5]"
    );
    // Divide by n = 8, not n − 1 (which would give 2.138 for the first column);
    // the constant column's 0 is stored as 1.
    assert!(
        std.iter()
            .zip([2.0, 1.0, 0.5])
            .all(|(s, w)| (s - w).abs() < 1e-12),
        "column deviations {std:?}, expected [2, 1, 0.5]"
    );
}

#[test]
fn ex5_3_the_training_set_comes_out_standardised() {
    let train = training_rows();
    let z = Standardizer::fit(&train).apply(&train);
    assert_eq!(z.dim(), (8, 3));
    assert!(close(
        &z.slice(ndarray::s![0..1, ..]).to_owned(),
        &array![[-1.5, 0.0, -1.0]]
    ));
    let mean = z.mean_axis(Axis(0)).unwrap();
    let std = z.std_axis(Axis(0), 0.0);
    assert!(mean.iter().all(|m| m.abs() < 1e-12), "column means {mean}");
    assert!(
        (std[0] - 1.0).abs() < 1e-12 && std[1] == 0.0 && (std[2] - 1.0).abs() < 1e-12,
        "column deviations {std}, expected [1, 0, 1]"
    );
}

#[test]
fn ex5_3_the_test_set_uses_the_training_statistics() {
    let train = training_rows();
    let s = Standardizer::fit(&train);
    // A test set whose first column is shifted by +10 must stay shifted, by
    // 10 / 2 = 5 deviations: its own statistics would hide the shift.
    let shifted = &train + &array![10.0, 0.0, 0.0];
    let z = s.apply(&shifted);
    assert!(
        close(&z, &(s.apply(&train) + array![5.0, 0.0, 0.0])),
        "the shifted test set was standardised with statistics other than the training set's"
    );
    // One test image: its own deviation would be 0. The always-black pixel
    // (column 1) lit in a test image stays finite: (11 − 10) / 1.
    let one = s.apply(&array![[5.0, 11.0, 1.0]]);
    assert!(close(&one, &array![[0.0, 1.0, 1.0]]), "got {one}");
    // Fitting must not change when other sets are standardised.
    assert!(close(
        &s.apply(&train),
        &Standardizer::fit(&train).apply(&train)
    ));
}

/// Feeds `losses` to a fresh stopper until it says stop:
/// (the epoch it stopped at, if it did; its best epoch).
fn early_stop(losses: &[f64], patience: usize) -> (Option<usize>, Option<usize>) {
    let mut stopper = EarlyStopping::new(patience);
    for (i, &loss) in losses.iter().enumerate() {
        if stopper.update(loss) == Control::Stop {
            return (Some(i + 1), stopper.best_epoch());
        }
    }
    (None, stopper.best_epoch())
}

#[test]
fn ex5_4_stops_after_patience_epochs_without_improvement() {
    assert_eq!(
        early_stop(&[1.0, 0.9, 0.95, 0.92, 0.5], 2),
        (Some(4), Some(2))
    );
    assert_eq!(early_stop(&[1.0, 1.1], 1), (Some(2), Some(1)));
    assert_eq!(early_stop(&[5.0, 4.0, 3.0, 2.0, 1.0], 1), (None, Some(5)));
    assert_eq!(early_stop(&[0.3], 1), (None, Some(1)));
    let mut stopper = EarlyStopping::new(2);
    for loss in [0.7, 0.6, 0.65] {
        assert_eq!(stopper.update(loss), Control::Continue);
    }
    assert_eq!(stopper.best, Some((2, 0.6)), "the best epoch and its loss");
    assert_eq!(stopper.epoch, 3);
}

#[test]
fn ex5_4_ties_and_plateaus_do_not_improve() {
    assert_eq!(early_stop(&[1.0, 0.5, 0.5, 0.5], 2), (Some(4), Some(2)));
    assert_eq!(early_stop(&[1.0, 0.5, 0.5, 0.5, 0.4], 3), (None, Some(5)));
    // Any decrease counts, however small.
    assert_eq!(early_stop(&[0.8, 0.8 - 1e-12], 1), (None, Some(2)));
}

#[test]
fn ex5_4_a_late_improvement_resets_the_count() {
    let losses = [1.0, 0.8, 0.9, 0.79, 0.85, 0.95];
    assert_eq!(early_stop(&losses, 2), (Some(6), Some(4)));
    assert_eq!(early_stop(&losses, 3), (None, Some(4)));
    // An improvement at the last epoch before patience runs out, and a tie there.
    assert_eq!(
        early_stop(&[1.0, 0.8, 0.9, 0.85, 0.7999], 3),
        (None, Some(5))
    );
    assert_eq!(
        early_stop(&[1.0, 0.8, 0.9, 0.85, 0.8], 3),
        (Some(5), Some(2))
    );
}

#[test]
fn ex5_4_nan_never_improves() {
    let nan = f64::NAN;
    assert_eq!(early_stop(&[nan, nan], 2), (Some(2), None));
    assert_eq!(early_stop(&[0.5, nan, nan], 2), (Some(3), Some(1)));
    assert_eq!(early_stop(&[0.5, nan, 0.4], 2), (None, Some(3)));
    assert_eq!(early_stop(&[nan, 0.9, nan], 2), (None, Some(2)));
}

#[test]
fn ex5_4_stops_fit_when_the_validation_loss_rises() {
    // y = w·x + b learns y = x from w = 0; a validation set of y = −x gets
    // worse every epoch, a validation set of y = x better.
    let x = tensor(&[4, 1], &[1.0, 2.0, -1.0, -2.0]);
    let minus_x = x.mapv(|v| -v);
    for (y_val, epochs, best) in [(&minus_x, 4, 1), (&x, 20, 20)] {
        let mut net = Sequential::new().with(Dense::from_weights(
            tensor(&[1, 1], &[0.0]),
            tensor(&[1], &[0.0]),
        ));
        let mut stopper = EarlyStopping::new(3);
        let config = Fit::new(20, 4)
            .validation(&x, y_val)
            .on_epoch(|e, _| stopper.update(e.val_loss.expect("a validation loss")));
        let history = fit(
            &mut net,
            &mut MeanSquaredError::new(),
            &mut Sgd::new(0.1),
            &x,
            &x,
            config,
        )
        .unwrap();
        assert_eq!(history.epochs.len(), epochs, "epochs trained");
        assert_eq!(stopper.best_epoch(), Some(best), "the best epoch");
    }
}

#[test]
fn ex5_5_warm_up_then_step_decay_by_hand() {
    // 4 steps of warm-up, then halve every 10 steps.
    let want = [
        (0, 0.25),
        (1, 0.5),
        (2, 0.75),
        (3, 1.0),
        (4, 1.0),
        (13, 1.0),
        (14, 0.5),
        (23, 0.5),
        (24, 0.25),
        (44, 0.0625),
    ];
    for (step, factor) in want {
        let got = warmup_step_decay(step, 4, 10, 0.5);
        assert!(
            (got - factor).abs() < 1e-12,
            "step {step}: got {got}, expected {factor}"
        );
    }
    assert_eq!(
        warmup_step_decay(0, 1, 3, 0.1),
        1.0,
        "one warm-up step is the full rate"
    );
}

#[test]
fn ex5_5_agrees_with_the_library_schedules() {
    // Without warm-up, step decay counted in steps: the library's StepDecay
    // with one step per epoch.
    let decay = Schedule::StepDecay {
        every: 7,
        factor: 0.3,
    };
    for step in 0..100 {
        let (ours, lib) = (
            warmup_step_decay(step, 0, 7, 0.3),
            decay.factor(step, 1, 100),
        );
        assert!(
            (ours - lib).abs() <= 1e-12 * lib,
            "step {step}: got {ours}, the library's step decay gives {lib}"
        );
    }
    // The warm-up is the library's (the one in front of its cosine).
    let cosine = Schedule::Cosine {
        warmup: 8,
        floor: 0.0,
    };
    for step in 0..8 {
        let (ours, lib) = (
            warmup_step_decay(step, 8, 5, 0.1),
            cosine.factor(step, 10, 1000),
        );
        assert!(
            (ours - lib).abs() < 1e-12,
            "warm-up step {step}: got {ours}, expected {lib}"
        );
    }
}

#[test]
fn ex5_6_precision_and_recall_by_hand() {
    let truth = [0, 0, 0, 0, 1, 1, 1, 2, 2, 3];
    let predicted = [0, 0, 0, 1, 1, 1, 0, 0, 2, 4];
    // rows: true class, columns: predicted class
    //      0  1  2  3  4   (row sum)
    // 0  [ 3, 1, 0, 0, 0 ]  4
    // 1  [ 1, 2, 0, 0, 0 ]  3
    // 2  [ 1, 0, 1, 0, 0 ]  2
    // 3  [ 0, 0, 0, 0, 1 ]  1
    // 4  [ 0, 0, 0, 0, 0 ]  0
    // column sums 5, 3, 1, 0, 1
    let m = confusion_matrix(&predicted, &truth, 5);
    let score = |p, r| ClassScore {
        precision: p,
        recall: r,
    };
    let want = [
        score(Some(3.0 / 5.0), Some(3.0 / 4.0)),
        score(Some(2.0 / 3.0), Some(2.0 / 3.0)),
        score(Some(1.0), Some(1.0 / 2.0)),
        score(None, Some(0.0)), // never predicted
        score(Some(0.0), None), // predicted once, never true
    ];
    let got = precision_recall(&m);
    assert_eq!(got.len(), 5, "one score per class");
    let near = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-12,
        (a, b) => a.is_none() && b.is_none(),
    };
    for (k, (g, w)) in got.iter().zip(&want).enumerate() {
        assert!(
            near(g.precision, w.precision) && near(g.recall, w.recall),
            "class {k}: got {g:?}, expected {w:?}"
        );
    }
}

#[test]
fn ex5_6_recall_averages_to_accuracy() {
    // 200 predictions of 4 classes, right about two times in three.
    let mut rng = seeded_rng(11);
    let truth: Vec<usize> = (0..200).map(|_| rng.random_range(0..4)).collect();
    let predicted: Vec<usize> = truth
        .iter()
        .map(|&t| {
            if rng.random_bool(0.67) {
                t
            } else {
                rng.random_range(0..4)
            }
        })
        .collect();
    let m = confusion_matrix(&predicted, &truth, 4);
    let scores = precision_recall(&m);
    // Each class's recall weighted by its share of the examples sums to the accuracy.
    let accuracy = m.diag().sum() as f64 / 200.0;
    let weighted: f64 = (0..4)
        .map(|k| scores[k].recall.unwrap() * m.row(k).sum() as f64 / 200.0)
        .sum();
    assert!((weighted - accuracy).abs() < 1e-12);
    // Precision is recall with the roles of truth and prediction swapped.
    let swapped = precision_recall(&m.t().to_owned());
    for k in 0..4 {
        assert_eq!(scores[k].precision, swapped[k].recall, "class {k}");
        assert_eq!(scores[k].recall, swapped[k].precision, "class {k}");
    }
}
// ANCHOR_END: tests
