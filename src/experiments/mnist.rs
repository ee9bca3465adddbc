//! Chapter 5's MNIST runs: the seed articles' multilayer perceptron, trained
//! the way the seeds train it and the way this book does, and recorded.
//!
//! The model is the TensorFlow quickstart's: 784 pixels → Dense 128 → ReLU →
//! Dropout 0.2 → Dense 10 (logits; the softmax lives in the loss). A
//! [`MlpConfig`] says everything else: preprocessing, initialisation,
//! optimizer, schedule, batch size, epochs, seeds, and how many training
//! images are held out for validation. [`run_mlp`] trains one configuration
//! in `f32` with [`fit`] and returns what the chapter reports.

use crate::activation::{ReLU, softmax};
use crate::early_stopping::EarlyStopping;
use crate::init::Init;
use crate::layers::{Dense, Dropout};
use crate::loss::{SoftmaxCrossEntropy, one_hot};
use crate::metrics::{accuracy, classes, confusion_matrix};
use crate::model::Sequential;
use crate::optim::{Adam, Optimizer};
use crate::schedule::Schedule;
use crate::tensor::{Tensor, seeded_rng};
use crate::train::{Fit, FitError, History, fit, predict};
use ndarray::{Array2, Axis, s};
use std::path::PathBuf;

/// How pixels in [0, 1] are turned into network inputs.
///
/// ```
/// use scratchnet::{experiments::mnist::Preprocess, Tensor};
/// let train: Tensor<f32> = Tensor::from_shape_vec(vec![2, 2], vec![0.0, 1.0, 0.0, 1.0]).unwrap();
/// let (mean, std) = Preprocess::Standardize.statistics(&train);
/// assert_eq!((mean, std), (0.5, 0.5));
/// assert_eq!(Preprocess::Standardize.apply(&train, (mean, std))[[0, 1]], 1.0); // (1 − 0.5)/0.5
/// assert_eq!(Preprocess::Scale.apply(&train, (mean, std)), train); // [0, 1] stays as it is
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preprocess {
    /// Pixels divided by 255, in [0, 1] (what the seeds and Keras' quickstart do).
    Scale,
    /// Then shifted and scaled by the training set's mean and standard
    /// deviation (one pair for all pixels), so inputs have mean 0 and variance 1.
    Standardize,
}

impl Preprocess {
    /// The mean and standard deviation of the training inputs, `(0, 1)` for
    /// [`Preprocess::Scale`]. Computed on the training rows only: the test
    /// set must not leak into anything the model uses.
    ///
    /// ```
    /// use scratchnet::{experiments::mnist::Preprocess, Tensor};
    /// let x: Tensor<f32> = Tensor::ones(vec![3, 4]);
    /// assert_eq!(Preprocess::Scale.statistics(&x), (0.0, 1.0));
    /// ```
    pub fn statistics(&self, train: &Tensor<f32>) -> (f32, f32) {
        match self {
            Preprocess::Scale => (0.0, 1.0),
            Preprocess::Standardize => {
                let mean = train.mean().unwrap_or(0.0);
                (mean, train.std(0.0).max(f32::EPSILON))
            }
        }
    }

    /// Applies the preprocessing with the given statistics: `(x − mean) / std`.
    ///
    /// ```
    /// use scratchnet::{experiments::mnist::Preprocess, Tensor};
    /// let x: Tensor<f32> = Tensor::ones(vec![1, 2]);
    /// assert_eq!(Preprocess::Standardize.apply(&x, (0.5, 0.25))[[0, 0]], 2.0);
    /// ```
    pub fn apply(&self, x: &Tensor<f32>, (mean, std): (f32, f32)) -> Tensor<f32> {
        match self {
            Preprocess::Scale => x.clone(),
            Preprocess::Standardize => x.mapv(|v| (v - mean) / std),
        }
    }
}

/// One training configuration of the MLP.
///
/// ```
/// use scratchnet::experiments::mnist::MlpConfig;
/// let seed = MlpConfig::seed_article(1);
/// assert_eq!((seed.lr, seed.batch_size, seed.epochs), (0.001, 32, 5));
/// let book = MlpConfig::book_default(1);
/// assert_eq!(book.epochs, seed.epochs); // the same 5-epoch budget
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct MlpConfig {
    /// A short name for records, e.g. `"seed"` or `"book"`.
    pub name: String,
    /// How pixels become inputs.
    pub preprocess: Preprocess,
    /// How the first layer's weights are drawn (the output layer's are Glorot-uniform).
    pub init: Init,
    /// Adam's base learning rate.
    pub lr: f64,
    /// How the learning rate changes over the run.
    pub schedule: Schedule,
    /// Examples per step.
    pub batch_size: usize,
    /// Passes over the training images.
    pub epochs: usize,
    /// Seed of the initial weights, the dropout masks and the shuffling.
    pub seed: u64,
    /// Training images held out (the last ones) to validate on; 0 trains on all.
    pub validation: usize,
    /// Use only the first `limit` training images (short runs for tests).
    pub limit: Option<usize>,
    /// Stop after this many epochs without a lower validation loss and keep
    /// the best epoch's weights ([`EarlyStopping`]); needs `validation > 0`.
    pub early_stopping: Option<usize>,
    /// Save a checkpoint to this file after every epoch, and resume from it.
    pub files: Checkpoints,
}

impl MlpConfig {
    /// The seeds' own training: pixels in [0, 1], Glorot-uniform weights
    /// (Keras' default), Adam at 0.001 (Keras' default), batch 32 (Keras'
    /// default), 5 epochs, all 60 000 training images.
    ///
    /// ```
    /// use scratchnet::{experiments::mnist::{MlpConfig, Preprocess}, schedule::Schedule};
    /// let c = MlpConfig::seed_article(3);
    /// assert_eq!((c.preprocess, c.schedule, c.seed, c.validation), (Preprocess::Scale, Schedule::Constant, 3, 0));
    /// ```
    pub fn seed_article(seed: u64) -> Self {
        MlpConfig {
            name: "seed".into(),
            preprocess: Preprocess::Scale,
            init: Init::XavierUniform,
            lr: 0.001,
            schedule: Schedule::Constant,
            batch_size: 32,
            epochs: 5,
            seed,
            validation: 0,
            limit: None,
            early_stopping: None,
            files: Checkpoints::default(),
        }
    }

    /// The book's default, chosen on a validation split (Chapter 5): He
    /// initialisation for the ReLU layer, Adam at 0.003 with cosine decay to
    /// 0 over the run; the same network, batch size and 5 epochs.
    ///
    /// ```
    /// use scratchnet::{experiments::mnist::MlpConfig, init::Init, schedule::Schedule};
    /// let c = MlpConfig::book_default(1);
    /// assert_eq!((c.init, c.lr), (Init::HeUniform, 0.003));
    /// assert_eq!(c.schedule, Schedule::Cosine { warmup: 0, floor: 0.0 });
    /// ```
    pub fn book_default(seed: u64) -> Self {
        MlpConfig {
            name: "book".into(),
            init: Init::HeUniform,
            lr: 0.003,
            schedule: Schedule::Cosine {
                warmup: 0,
                floor: 0.0,
            },
            ..MlpConfig::seed_article(seed)
        }
    }
}

impl MlpConfig {
    /// The part of the configuration every MNIST run shares ([`Plan`]).
    ///
    /// ```
    /// use scratchnet::experiments::mnist::MlpConfig;
    /// let plan = MlpConfig::seed_article(2).plan();
    /// assert_eq!((plan.batch_size, plan.epochs, plan.seed), (32, 5, 2));
    /// ```
    pub fn plan(&self) -> Plan {
        Plan {
            preprocess: self.preprocess,
            schedule: self.schedule,
            batch_size: self.batch_size,
            epochs: self.epochs,
            seed: self.seed,
            validation: self.validation,
            limit: self.limit,
            early_stopping: self.early_stopping,
            files: self.files.clone(),
        }
    }
}

/// What every MNIST run shares, whatever the network: how the images are
/// prepared and split, and how [`fit`] is driven. (The network and its
/// optimizer are the caller's.)
///
/// ```
/// use scratchnet::experiments::mnist::{MlpConfig, Plan};
/// let plan: Plan = MlpConfig::book_default(1).plan();
/// assert_eq!(plan.validation, 0); // train on all 60 000, test once
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// How pixels become inputs.
    pub preprocess: Preprocess,
    /// How the learning rate changes over the run.
    pub schedule: Schedule,
    /// Examples per step.
    pub batch_size: usize,
    /// Passes over the training images.
    pub epochs: usize,
    /// Seed of the shuffling (the network's own seeds are the caller's).
    pub seed: u64,
    /// Training images held out (the last ones) to validate on; 0 trains on all.
    pub validation: usize,
    /// Use only the first `limit` training images (short runs for tests).
    pub limit: Option<usize>,
    /// Stop after this many epochs without a lower validation loss and keep
    /// the best epoch's weights; needs `validation > 0`.
    pub early_stopping: Option<usize>,
    /// Where to save a checkpoint after every epoch, and which one to resume.
    pub files: Checkpoints,
}

/// The checkpoint files of a run ([`crate::checkpoint`]): none by default.
///
/// ```
/// use scratchnet::experiments::mnist::Checkpoints;
/// let files = Checkpoints { save: Some("run.ckpt".into()), resume: None };
/// assert_ne!(files, Checkpoints::default());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checkpoints {
    /// Save the run to this file after every epoch ([`Fit::checkpoint`]).
    pub save: Option<PathBuf>,
    /// Continue the run saved in this file ([`Fit::resume_from`]).
    pub resume: Option<PathBuf>,
}

/// The seeds' network: 784 → Dense 128 → ReLU → Dropout 0.2 → Dense 10 (logits).
///
/// ```
/// use scratchnet::{experiments::mnist::mlp, init::Init};
/// let net = mlp(Init::HeUniform, 0);
/// assert_eq!(net.summary(), ["Dense(784 → 128)", "ReLU", "Dropout(0.2)", "Dense(128 → 10)"]);
/// assert_eq!(net.num_parameters(), 784 * 128 + 128 + 128 * 10 + 10); // 101 770
/// ```
pub fn mlp(init: Init, seed: u64) -> Sequential<f32> {
    let mut rng = seeded_rng(seed);
    Sequential::new()
        .with(Dense::new(784, 128, init, &mut rng)) // [batch, 128]
        .with(ReLU::new())
        .with(Dropout::new(0.2, seed))
        .with(Dense::new(128, 10, Init::XavierUniform, &mut rng)) // [batch, 10] logits
}

/// What one run produced.
///
/// ```
/// use scratchnet::experiments::mnist::Run;
/// fn report(run: &Run) -> String { format!("{:.2} %", 100.0 * run.test_accuracy) }
/// # let _ = report;
/// ```
pub struct Run {
    /// Per-epoch losses, accuracies, learning rates and seconds.
    pub history: History,
    /// Cross-entropy on the test set.
    pub test_loss: f64,
    /// Share of the test images classified right.
    pub test_accuracy: f64,
    /// `[true digit, predicted digit]` counts on the test set.
    pub confusion: Array2<usize>,
    /// The predicted digit of every test image.
    pub predictions: Vec<usize>,
    /// The network's probability for its predicted digit, for every test image.
    pub confidence: Vec<f64>,
    /// The true digit of every test image.
    pub labels: Vec<usize>,
    /// The trained network.
    pub model: Sequential<f32>,
    /// The preprocessing statistics `(mean, std)` the network expects.
    pub statistics: (f32, f32),
    /// With early stopping: the epoch whose weights were kept (from 1).
    pub best_epoch: Option<usize>,
}

/// Trains [`mlp`] with `config` on MNIST-shaped data and measures it on the
/// test set once, at the end ([`train_and_test`] with Adam).
///
/// `train_x` and `test_x` are `[n, 784]` pixels in [0, 1]; the labels are digits.
///
/// **Panics** if the shapes disagree or the validation split leaves no training images.
///
/// ```
/// use scratchnet::{experiments::mnist::{MlpConfig, run_mlp}, Tensor};
/// // 200 random "images" of two patterns: a run learns to tell them apart.
/// let labels: Vec<usize> = (0..200).map(|i| i % 2).collect();
/// let x: Tensor<f32> = Tensor::from_shape_fn(vec![200, 784], |d| ((d[1] % 2 == labels[d[0]]) as u8) as f32);
/// let config = MlpConfig { epochs: 2, validation: 50, ..MlpConfig::book_default(0) };
/// let run = run_mlp(&x, &labels, &x, &labels, &config).unwrap();
/// assert_eq!(run.history.epochs.len(), 2);
/// assert_eq!(run.test_accuracy, 1.0);
/// assert!(run.history.epochs[1].val_accuracy.is_some());
/// ```
pub fn run_mlp(
    train_x: &Tensor<f32>,
    train_labels: &[usize],
    test_x: &Tensor<f32>,
    test_labels: &[usize],
    config: &MlpConfig,
) -> Result<Run, FitError> {
    let model = mlp(config.init, config.seed);
    let data = Mnist {
        train_x,
        train_labels,
        test_x,
        test_labels,
    };
    train_and_test(
        model,
        &mut Adam::new(config.lr),
        &[784],
        data,
        &config.plan(),
    )
}

/// MNIST-shaped data: `[n, 784]` pixels in [0, 1] and their digits, for
/// training and for the test.
///
/// ```
/// use scratchnet::{experiments::mnist::Mnist, Tensor};
/// let x: Tensor<f32> = Tensor::zeros(vec![2, 784]);
/// let data = Mnist { train_x: &x, train_labels: &[0, 1], test_x: &x, test_labels: &[1, 0] };
/// assert_eq!(data.train_labels.len(), 2);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Mnist<'a> {
    /// Training images, `[n, 784]`.
    pub train_x: &'a Tensor<f32>,
    /// Their digits.
    pub train_labels: &'a [usize],
    /// Test images, `[m, 784]`.
    pub test_x: &'a Tensor<f32>,
    /// Their digits.
    pub test_labels: &'a [usize],
}

/// Trains `model` with `optimizer` as `plan` says, and measures it on the
/// test set once, at the end: the run of every MNIST network in the book.
///
/// Each image row of 784 pixels is given to the network in `image_shape`:
/// `[784]` for a multilayer perceptron, `[1, 28, 28]` (one channel) for a
/// convolutional network.
///
/// **Panics** if the shapes disagree, `image_shape` does not hold 784
/// numbers, or the validation split leaves no training images.
///
/// ```
/// use scratchnet::{experiments::mnist::{MlpConfig, Mnist, mlp, train_and_test}, init::Init};
/// use scratchnet::{optim::Adam, Tensor};
/// let labels: Vec<usize> = (0..100).map(|i| i % 2).collect();
/// let x: Tensor<f32> = Tensor::from_shape_fn(vec![100, 784], |d| ((d[1] % 2 == labels[d[0]]) as u8) as f32);
/// let data = Mnist { train_x: &x, train_labels: &labels, test_x: &x, test_labels: &labels };
/// let plan = MlpConfig { epochs: 2, ..MlpConfig::book_default(0) }.plan();
/// let run = train_and_test(mlp(Init::HeUniform, 0), &mut Adam::new(0.003), &[784], data, &plan).unwrap();
/// assert_eq!(run.test_accuracy, 1.0);
/// ```
pub fn train_and_test(
    mut model: Sequential<f32>,
    optimizer: &mut dyn Optimizer<f32>,
    image_shape: &[usize],
    data: Mnist<'_>,
    plan: &Plan,
) -> Result<Run, FitError> {
    let n = plan
        .limit
        .unwrap_or(usize::MAX)
        .min(data.train_x.len_of(Axis(0)));
    assert!(
        n > plan.validation,
        "train_and_test: {} images leave none to train on after {} for validation",
        n,
        plan.validation
    );
    assert!(
        plan.early_stopping.is_none() || plan.validation > 0,
        "train_and_test: early stopping watches the validation loss; hold out a validation set"
    );
    assert_eq!(
        image_shape.iter().product::<usize>(),
        784,
        "train_and_test: an image is 784 pixels, not {image_shape:?}"
    );
    // Rows [n, 784] as the network wants them: [n, 784] or [n, 1, 28, 28].
    let shaped = |x: Tensor<f32>| -> Tensor<f32> {
        let rows = x.len_of(Axis(0));
        let shape: Vec<usize> = std::iter::once(rows)
            .chain(image_shape.iter().copied())
            .collect();
        x.into_shape_with_order(shape).expect("784 pixels per row")
    };
    // ANCHOR: run_mlp
    let fit_rows = n - plan.validation; // the first rows train, the last validate
    let x = data.train_x.slice(s![..fit_rows, ..]).to_owned().into_dyn();
    let statistics = plan.preprocess.statistics(&x);
    let x = shaped(plan.preprocess.apply(&x, statistics));
    let y: Tensor<f32> = one_hot(&data.train_labels[..fit_rows], 10);
    let x_val = data
        .train_x
        .slice(s![fit_rows..n, ..])
        .to_owned()
        .into_dyn();
    let x_val = shaped(plan.preprocess.apply(&x_val, statistics));
    let y_val: Tensor<f32> = one_hot(&data.train_labels[fit_rows..n], 10);

    let mut loss = SoftmaxCrossEntropy::new();
    let mut stopper = plan.early_stopping.map(EarlyStopping::new); // see "Early stopping"
    let mut config = Fit::new(plan.epochs, plan.batch_size)
        .seed(plan.seed)
        .schedule(plan.schedule)
        .accuracy()
        .progress();
    if plan.validation > 0 {
        config = config.validation(&x_val, &y_val);
    }
    config.checkpoint = plan.files.save.clone(); // see "Checkpoints"
    config.resume_from = plan.files.resume.clone();
    // ANCHOR: early_stopping
    if let Some(stopper) = stopper.as_mut() {
        config = config.on_epoch(|epoch, model| stopper.update(epoch, model));
    }
    let history = fit(&mut model, &mut loss, optimizer, &x, &y, config)?; // Err: it diverged (or a checkpoint failed)
    if let Some(stopper) = &stopper {
        stopper.restore_best(&mut model); // back to the best epoch's weights
    }
    // ANCHOR_END: early_stopping

    // The test set, touched once.
    let x_test = shaped(plan.preprocess.apply(data.test_x, statistics));
    let y_test: Tensor<f32> = one_hot(data.test_labels, 10);
    let logits = predict(&mut model, &x_test, 1000);
    let test_loss = crate::loss::Loss::forward(&mut loss, &logits, &y_test) as f64;
    let predictions = classes(&logits);
    // ANCHOR_END: run_mlp
    let confidence = softmax(&logits)
        .outer_iter()
        .map(|p| f64::from(p.fold(0.0f32, |a, &b| a.max(b))))
        .collect();
    Ok(Run {
        history,
        test_loss,
        test_accuracy: accuracy(&logits, &y_test),
        confusion: confusion_matrix(&predictions, data.test_labels, 10),
        predictions,
        confidence,
        labels: data.test_labels.to_vec(),
        model,
        statistics,
        best_epoch: stopper.and_then(|s| s.best()).map(|(epoch, _)| epoch),
    })
}

/// The number of trainable parameters per layer of [`mlp`], for the chapter's table.
///
/// ```
/// let counts = scratchnet::experiments::mnist::parameter_counts();
/// assert_eq!(counts, [(0, 100_480), (3, 1_290)]);
/// ```
pub fn parameter_counts() -> Vec<(usize, usize)> {
    let net = mlp(Init::Zeros, 0);
    net.layers()
        .iter()
        .enumerate()
        .map(|(i, l)| (i, l.params().iter().map(|p| p.value.len()).sum()))
        .filter(|&(_, n)| n > 0)
        .collect()
}

/// A run as a JSON record: the configuration, every epoch's numbers, and the
/// test result. The chapter's numbers and figures are read from such records
/// (`records/ch05/`), and a test re-runs one to prove it is reproduced.
///
/// ```
/// use scratchnet::{experiments::mnist::{MlpConfig, record, run_mlp}, Tensor};
/// let labels: Vec<usize> = (0..40).map(|i| i % 2).collect();
/// let x: Tensor<f32> = Tensor::from_shape_fn(vec![40, 784], |d| ((d[1] % 2 == labels[d[0]]) as u8) as f32);
/// let config = MlpConfig { epochs: 1, ..MlpConfig::seed_article(0) };
/// let r = record("toy", &config, &run_mlp(&x, &labels, &x, &labels, &config).unwrap());
/// assert_eq!(r["config"]["batch_size"], 32);
/// assert_eq!(r["epochs"].as_array().unwrap().len(), 1);
/// assert!(r["test_accuracy"].as_f64().unwrap() > 0.5);
/// ```
pub fn record(dataset: &str, config: &MlpConfig, run: &Run) -> serde_json::Value {
    let mut r = run_record(dataset, &config.plan(), run);
    r["model"] = "784-128-relu-dropout0.2-10".into();
    r["config"] = serde_json::json!({
        "name": config.name, "preprocess": format!("{:?}", config.preprocess),
        "init": format!("{:?}", config.init), "optimizer": "adam", "lr": config.lr,
        "schedule": schedule_record(config.schedule), "batch_size": config.batch_size,
        "epochs": config.epochs, "seed": config.seed, "validation": config.validation,
        "limit": config.limit, "early_stopping": config.early_stopping,
    });
    r
}

/// How a record writes a schedule: `"constant"`, `{"step_decay": {...}}` or `{"cosine": {...}}`.
///
/// ```
/// use scratchnet::{experiments::mnist::schedule_record, schedule::Schedule};
/// assert_eq!(schedule_record(Schedule::Constant), "constant");
/// ```
pub fn schedule_record(schedule: Schedule) -> serde_json::Value {
    match schedule {
        Schedule::Constant => serde_json::json!("constant"),
        Schedule::StepDecay { every, factor } => {
            serde_json::json!({"step_decay": {"every": every, "factor": factor}})
        }
        Schedule::Cosine { warmup, floor } => {
            serde_json::json!({"cosine": {"warmup": warmup, "floor": floor}})
        }
    }
}

/// The part of a record that every network's run shares: every epoch's
/// numbers, the test result (none for a validation run), the best epoch
/// under early stopping, and the seconds of training.
///
/// ```
/// use scratchnet::{experiments::mnist::{MlpConfig, run_mlp, run_record}, Tensor};
/// let labels: Vec<usize> = (0..40).map(|i| i % 2).collect();
/// let x: Tensor<f32> = Tensor::from_shape_fn(vec![40, 784], |d| ((d[1] % 2 == labels[d[0]]) as u8) as f32);
/// let config = MlpConfig { epochs: 1, validation: 10, ..MlpConfig::seed_article(0) };
/// let r = run_record("toy", &config.plan(), &run_mlp(&x, &labels, &x, &labels, &config).unwrap());
/// assert!(r["test_accuracy"].is_null()); // a validation run reports no test result
/// ```
pub fn run_record(dataset: &str, plan: &Plan, run: &Run) -> serde_json::Value {
    let confusion: Vec<Vec<usize>> = run.confusion.outer_iter().map(|row| row.to_vec()).collect();
    let epochs: Vec<serde_json::Value> = run
        .history
        .epochs
        .iter()
        .map(|e| {
            serde_json::json!({
                "epoch": e.epoch, "steps": e.steps, "lr": e.lr,
                "train_loss": e.train_loss, "train_accuracy": e.train_accuracy,
                "val_loss": e.val_loss, "val_accuracy": e.val_accuracy,
                "seconds": e.seconds,
            })
        })
        .collect();
    let tested = plan.validation == 0;
    serde_json::json!({
        "dataset": dataset,
        "element_type": "f32",
        "epochs": epochs,
        "best_epoch": run.best_epoch,
        // A run that holds out a validation set is for choosing: it reports no test result.
        "test_loss": tested.then_some(run.test_loss),
        "test_accuracy": tested.then_some(run.test_accuracy),
        "confusion": tested.then_some(confusion),
        "mistakes": tested.then(|| mistakes(run, 12)),
        "seconds": run.history.epochs.iter().map(|e| e.seconds).sum::<f64>(),
    })
}

/// The `n` test images the network got wrong with the most confidence, most
/// confident first: `{"index", "label", "predicted", "confidence"}` for each.
///
/// ```
/// use scratchnet::experiments::mnist::{MlpConfig, mistakes, run_mlp};
/// # use scratchnet::Tensor;
/// let labels: Vec<usize> = (0..40).map(|i| i % 2).collect();
/// let x: Tensor<f32> = Tensor::from_shape_fn(vec![40, 784], |d| ((d[1] % 2 == labels[d[0]]) as u8) as f32);
/// let run = run_mlp(&x, &labels, &x, &labels, &MlpConfig { epochs: 3, ..MlpConfig::book_default(0) }).unwrap();
/// assert!(mistakes(&run, 5).as_array().unwrap().is_empty()); // this toy task is learned perfectly
/// ```
pub fn mistakes(run: &Run, n: usize) -> serde_json::Value {
    let mut wrong: Vec<usize> = (0..run.labels.len())
        .filter(|&i| run.predictions[i] != run.labels[i])
        .collect();
    wrong.sort_by(|&a, &b| run.confidence[b].total_cmp(&run.confidence[a]));
    wrong
        .iter()
        .take(n)
        .map(|&i| {
            serde_json::json!({"index": i, "label": run.labels[i], "predicted": run.predictions[i], "confidence": run.confidence[i]})
        })
        .collect()
}
