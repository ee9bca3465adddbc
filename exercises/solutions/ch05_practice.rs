//! Chapter 5 exercises: an IDX header parser, the shuffled mini-batches of an
//! epoch, standardisation with training-set statistics, early stopping, a
//! warm-up-then-step-decay schedule, and per-class precision and recall.
//!
//! Fill in every `todo!()`, then check your work with
//! `cargo test -p exercises --test ch05`.

use ndarray::{Array1, Array2, Axis};
use rand::Rng;
use rand::seq::SliceRandom;
use scratchnet::train::Control;

// ANCHOR: idx_header
/// What can be wrong with the bytes of an IDX file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdxError {
    /// The bytes end inside the header: it needs `needed` bytes, there are `found`.
    TruncatedHeader {
        /// Bytes the header needs (4 before the number of dimensions is known).
        needed: usize,
        /// Bytes there are.
        found: usize,
    },
    /// The first two bytes are not both zero.
    BadMagic {
        /// The first two bytes.
        found: [u8; 2],
    },
    /// The type byte is not `0x08` (unsigned bytes, the only type MNIST uses).
    UnsupportedType {
        /// The type byte.
        code: u8,
    },
    /// The number of dimensions is not 1 to 4.
    BadDimensionCount {
        /// The number of dimensions the header gives.
        ndims: u8,
    },
    /// The data after the header is not as long as the dimensions say.
    WrongLength {
        /// The product of the dimensions: the data bytes the header announces.
        expected: u128,
        /// The bytes after the header.
        found: usize,
    },
}

/// A valid IDX header: the dimensions, and where the data starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdxHeader {
    /// The size of each dimension, e.g. `[60000, 28, 28]`.
    pub dims: Vec<usize>,
    /// The index of the first data byte: the header's length, 4 + 4 × `dims.len()`.
    pub data_offset: usize,
}

/// Exercise 5.1: read the header of an IDX file of unsigned bytes.
///
/// `bytes` is the whole (decompressed) file: two zero bytes, the type byte
/// `0x08`, the number of dimensions *d*, then *d* big-endian `u32` sizes,
/// then the data. Check, in this order, and return the first error found:
///
/// 1. fewer than 4 bytes: [`IdxError::TruncatedHeader`] with `needed: 4`;
/// 2. bytes 0 and 1 not zero: [`IdxError::BadMagic`];
/// 3. byte 2 not `0x08`: [`IdxError::UnsupportedType`];
/// 4. byte 3 (*d*) not in 1..=4: [`IdxError::BadDimensionCount`];
/// 5. fewer than 4 + 4*d* bytes: [`IdxError::TruncatedHeader`] with `needed: 4 + 4*d`;
/// 6. the product of the dimensions is not the number of bytes after the
///    header: [`IdxError::WrongLength`].
///
/// Never panic, whatever the bytes: the product of four dimensions of up to
/// 2³² − 1 needs up to 128 bits.
pub fn parse_idx_header(bytes: &[u8]) -> Result<IdxHeader, IdxError> {
    // ANCHOR: solution_idx_header
    if bytes.len() < 4 {
        let found = bytes.len();
        return Err(IdxError::TruncatedHeader { needed: 4, found });
    }
    if bytes[..2] != [0, 0] {
        let found = [bytes[0], bytes[1]];
        return Err(IdxError::BadMagic { found });
    }
    if bytes[2] != 0x08 {
        return Err(IdxError::UnsupportedType { code: bytes[2] });
    }
    let ndims = bytes[3];
    if !(1..=4).contains(&ndims) {
        return Err(IdxError::BadDimensionCount { ndims });
    }
    let data_offset = 4 + 4 * ndims as usize;
    if bytes.len() < data_offset {
        let found = bytes.len();
        return Err(IdxError::TruncatedHeader {
            needed: data_offset,
            found,
        });
    }
    let dims: Vec<usize> = bytes[4..data_offset]
        .chunks_exact(4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .collect();
    // At most four factors below 2³²: the product fits a u128 exactly.
    let expected: u128 = dims.iter().map(|&d| d as u128).product();
    let found = bytes.len() - data_offset;
    if expected != found as u128 {
        return Err(IdxError::WrongLength { expected, found });
    }
    Ok(IdxHeader { dims, data_offset })
    // ANCHOR_END: solution_idx_header
}
// ANCHOR_END: idx_header

// ANCHOR: batches
/// Exercise 5.2: the shuffled mini-batches of one epoch, as lists of example indices.
///
/// `EpochBatches::new(n, batch_size, rng)` puts the indices `0..n` in a random
/// order drawn from `rng`, every order equally likely; the iterator then yields
/// them `batch_size` at a time, the last batch smaller when `batch_size` does
/// not divide `n`. One epoch is one `EpochBatches`: the next epoch is a new one,
/// drawn from the same `rng`.
///
/// **Panics** if `batch_size` is 0.
pub struct EpochBatches {
    /// The indices `0..n` in this epoch's order.
    order: Vec<usize>,
    /// Indices per batch.
    batch_size: usize,
    /// Where the next batch starts in `order`.
    next: usize,
}

impl EpochBatches {
    /// The batches of one epoch over `n` examples.
    pub fn new(n: usize, batch_size: usize, rng: &mut impl Rng) -> Self {
        // ANCHOR: solution_batches_new
        assert!(
            batch_size > 0,
            "EpochBatches: the batch size must be at least 1"
        );
        let mut order: Vec<usize> = (0..n).collect();
        order.shuffle(rng); // Fisher–Yates: every order equally likely
        EpochBatches {
            order,
            batch_size,
            next: 0,
        }
        // ANCHOR_END: solution_batches_new
    }
}

impl Iterator for EpochBatches {
    type Item = Vec<usize>;

    fn next(&mut self) -> Option<Vec<usize>> {
        // ANCHOR: solution_batches_next
        if self.next >= self.order.len() {
            return None;
        }
        let end = (self.next + self.batch_size).min(self.order.len());
        let batch = self.order[self.next..end].to_vec();
        self.next = end;
        Some(batch)
        // ANCHOR_END: solution_batches_next
    }
}
// ANCHOR_END: batches

// ANCHOR: standardize
/// Exercise 5.3: standardise every input column with statistics of the training set.
///
/// Rows are examples, columns are inputs (pixels).
/// [`Standardizer::fit`] computes each column's mean and standard deviation
/// over the training rows (the population deviation: divide by the number of
/// rows); [`Standardizer::apply`] maps any set, training, validation or test,
/// to `(x − mean) / std`, column by column, with those same numbers.
///
/// A column that is constant in the training set (a corner pixel that is
/// always black) has deviation 0: store 1 instead, so that it is only shifted.
pub struct Standardizer {
    /// Each column's mean over the training rows.
    pub mean: Array1<f64>,
    /// Each column's standard deviation over the training rows (1 where it is 0).
    pub std: Array1<f64>,
}

impl Standardizer {
    /// The statistics of `train`'s columns. **Panics** if `train` has no rows.
    pub fn fit(train: &Array2<f64>) -> Self {
        // ANCHOR: solution_standardize_fit
        let mean = train
            .mean_axis(Axis(0))
            .expect("Standardizer::fit: no rows");
        let std = train
            .std_axis(Axis(0), 0.0) // divide by n
            .mapv(|s| if s > 0.0 { s } else { 1.0 });
        Standardizer { mean, std }
        // ANCHOR_END: solution_standardize_fit
    }

    /// `x` shifted and scaled by the training statistics, `[rows, columns]` like `x`.
    pub fn apply(&self, x: &Array2<f64>) -> Array2<f64> {
        // ANCHOR: solution_standardize_apply
        (x - &self.mean) / &self.std // broadcast over the rows
        // ANCHOR_END: solution_standardize_apply
    }
}
// ANCHOR_END: standardize

// ANCHOR: early_stopping
/// Exercise 5.4: early stopping on the validation loss.
///
/// Call [`EarlyStopping::update`] once per epoch with that epoch's validation
/// loss; the first call is epoch 1 (as `train::Epoch::epoch` counts). An epoch
/// *improves* when its loss is strictly below the best loss so far (a tie does
/// not improve; a NaN never does; the first non-NaN loss always does), and then
/// becomes the best epoch. `update` returns [`Control::Stop`] at the
/// `patience`-th epoch in a row that does not improve, [`Control::Continue`]
/// otherwise.
pub struct EarlyStopping {
    /// How many epochs in a row without improvement end training (at least 1).
    pub patience: usize,
    /// The best epoch so far and its validation loss; `None` before the first.
    pub best: Option<(usize, f64)>,
    /// The epochs seen so far (the number of calls to `update`).
    pub epoch: usize,
}

impl EarlyStopping {
    /// A fresh stopper. **Panics** if `patience` is 0.
    pub fn new(patience: usize) -> Self {
        assert!(
            patience > 0,
            "EarlyStopping: the patience must be at least 1"
        );
        EarlyStopping {
            patience,
            best: None,
            epoch: 0,
        }
    }

    /// Records the validation loss of the next epoch and says whether to go on.
    pub fn update(&mut self, val_loss: f64) -> Control {
        // ANCHOR: solution_early_stopping
        self.epoch += 1;
        let improves = match self.best {
            None => !val_loss.is_nan(),
            Some((_, best)) => val_loss < best, // false for NaN
        };
        if improves {
            self.best = Some((self.epoch, val_loss));
        }
        let since_best = self.epoch - self.best.map_or(0, |(epoch, _)| epoch);
        if since_best >= self.patience {
            Control::Stop
        } else {
            Control::Continue
        }
        // ANCHOR_END: solution_early_stopping
    }

    /// The best epoch so far (from 1), if any: the weights to keep.
    pub fn best_epoch(&self) -> Option<usize> {
        self.best.map(|(epoch, _)| epoch)
    }
}
// ANCHOR_END: early_stopping

// ANCHOR: schedule
/// Exercise 5.5: the factor of a linear warm-up followed by step decay.
///
/// `step` counts optimizer steps from 0. During the first `warmup` steps the
/// factor rises linearly, (`step` + 1) / `warmup`, reaching 1 at step
/// `warmup` − 1. After the warm-up it is multiplied by `gamma` every `every`
/// steps: `gamma`<sup>⌊(`step` − `warmup`) / `every`⌋</sup>. With `warmup` = 0
/// there is no warm-up. The learning rate of the step is the factor times the
/// base rate. `every` is at least 1.
pub fn warmup_step_decay(step: usize, warmup: usize, every: usize, gamma: f64) -> f64 {
    // ANCHOR: solution_schedule
    if step < warmup {
        return (step + 1) as f64 / warmup as f64; // 1/warmup, 2/warmup, …, 1
    }
    let decays = (step - warmup) / every; // steps since the warm-up, in whole periods
    gamma.powi(decays as i32)
    // ANCHOR_END: solution_schedule
}
// ANCHOR_END: schedule

// ANCHOR: precision_recall
/// One class's precision and recall.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClassScore {
    /// Of the examples predicted as this class, the fraction that are;
    /// `None` if the class was never predicted.
    pub precision: Option<f64>,
    /// Of the examples of this class, the fraction predicted as it;
    /// `None` if the class has no examples.
    pub recall: Option<f64>,
}

/// Exercise 5.6: precision and recall of every class, from a confusion matrix.
///
/// `m[[t, p]]` counts the examples of true class `t` predicted as class `p`
/// (rows are true classes, columns predictions), as
/// `scratchnet::metrics::confusion_matrix` builds it. Return one
/// [`ClassScore`] per class, in order. `m` is square.
pub fn precision_recall(m: &Array2<usize>) -> Vec<ClassScore> {
    // ANCHOR: solution_precision_recall
    let ratio = |hits: usize, total: usize| (total > 0).then(|| hits as f64 / total as f64);
    (0..m.nrows())
        .map(|k| ClassScore {
            precision: ratio(m[[k, k]], m.column(k).sum()), // everything predicted as k
            recall: ratio(m[[k, k]], m.row(k).sum()),       // every example of class k
        })
        .collect()
    // ANCHOR_END: solution_precision_recall
}
// ANCHOR_END: precision_recall
