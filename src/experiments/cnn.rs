//! Chapter 5's convolutional network: seed 001's model (Keras' classic
//! `mnist_cnn` example), trained the way the seed trains it and the way this
//! book does, and recorded.
//!
//! Conv 32 3×3 → ReLU → Conv 64 3×3 → ReLU → MaxPool 2×2 → Dropout 0.25 →
//! Flatten → Dense 128 → ReLU → Dropout 0.5 → Dense 10 (logits). With batch
//! normalization, a [`BatchNorm`] sits after each convolution and after the
//! first dense layer, before its ReLU. A [`CnnConfig`] says everything else;
//! [`run_cnn`] trains it in `f32` with [`crate::train::fit`] through
//! [`train_and_test`], the run every MNIST network of the book shares.

use crate::activation::ReLU;
use crate::experiments::mnist::{
    Checkpoints, Mnist, Plan, Preprocess, Run, run_record, schedule_record, train_and_test,
};
use crate::init::Init;
use crate::layers::{BatchNorm, Conv2D, Dense, Dropout, Flatten, MaxPool2D};
use crate::model::Sequential;
use crate::optim::{Adadelta, Adam, Optimizer};
use crate::schedule::Schedule;
use crate::tensor::{Tensor, seeded_rng};
use crate::train::FitError;

/// The optimizer of a CNN run.
///
/// ```
/// use scratchnet::experiments::cnn::CnnOptimizer;
/// assert_ne!(CnnOptimizer::Adadelta { lr: 1.0 }, CnnOptimizer::Adam { lr: 1.0 });
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CnnOptimizer {
    /// Adadelta with ρ = 0.95 and ε = 10⁻⁷ (Keras 2.2's defaults) and this step factor.
    Adadelta {
        /// The step factor: 1.0 in Keras until 2.3, 0.001 in tf.keras and Keras 3.
        lr: f64,
    },
    /// Adam with this base learning rate.
    Adam {
        /// The base learning rate.
        lr: f64,
    },
}

impl CnnOptimizer {
    /// A fresh optimizer.
    ///
    /// ```
    /// use scratchnet::{experiments::cnn::CnnOptimizer, optim::Optimizer};
    /// let opt = CnnOptimizer::Adam { lr: 0.002 }.build();
    /// assert_eq!(opt.learning_rate(), 0.002);
    /// ```
    pub fn build(&self) -> Box<dyn Optimizer<f32>> {
        match *self {
            CnnOptimizer::Adadelta { lr } => {
                let mut adadelta = Adadelta::with_lr(lr);
                adadelta.eps = 1e-7; // Keras 2.2: K.epsilon()
                Box::new(adadelta)
            }
            CnnOptimizer::Adam { lr } => Box::new(Adam::new(lr)),
        }
    }
}

/// One training configuration of the CNN.
///
/// ```
/// use scratchnet::experiments::cnn::CnnConfig;
/// let seed = CnnConfig::seed_article(1);
/// assert_eq!((seed.batch_size, seed.epochs, seed.batch_norm), (128, 10, false));
/// let book = CnnConfig::book_default(1);
/// assert!(book.epochs <= 12 && book.batch_norm);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CnnConfig {
    /// A short name for records, e.g. `"seed"` or `"book"`.
    pub name: String,
    /// Batch normalization after each convolution and the first dense layer.
    pub batch_norm: bool,
    /// How the weights of the convolutions and the first dense layer are drawn
    /// (the output layer's are Glorot-uniform).
    pub init: Init,
    /// The optimizer and its base rate.
    pub optimizer: CnnOptimizer,
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
    /// Stop after this many epochs without a lower validation loss (needs `validation > 0`).
    pub early_stopping: Option<usize>,
    /// Save a checkpoint to this file after every epoch, and resume from it.
    pub files: Checkpoints,
}

impl CnnConfig {
    /// Seed 001's training: pixels in [0, 1], Glorot-uniform weights (Keras'
    /// default), Adadelta at Keras' original step factor 1.0, batch 128,
    /// 10 epochs, no batch normalization.
    ///
    /// ```
    /// use scratchnet::experiments::cnn::{CnnConfig, CnnOptimizer};
    /// assert_eq!(CnnConfig::seed_article(1).optimizer, CnnOptimizer::Adadelta { lr: 1.0 });
    /// ```
    pub fn seed_article(seed: u64) -> Self {
        CnnConfig {
            name: "seed".into(),
            batch_norm: false,
            init: Init::XavierUniform,
            optimizer: CnnOptimizer::Adadelta { lr: 1.0 },
            schedule: Schedule::Constant,
            batch_size: 128,
            epochs: 10,
            seed,
            validation: 0,
            limit: None,
            early_stopping: None,
            files: Checkpoints::default(),
        }
    }

    /// The book's default: the same layers with batch normalization, He
    /// initialisation, Adam at 0.003 decayed to 0 along a cosine, batch 128,
    /// 12 epochs.
    ///
    /// ```
    /// use scratchnet::experiments::cnn::{CnnConfig, CnnOptimizer};
    /// assert_eq!(CnnConfig::book_default(1).optimizer, CnnOptimizer::Adam { lr: 0.003 });
    /// ```
    pub fn book_default(seed: u64) -> Self {
        CnnConfig {
            name: "book".into(),
            batch_norm: true,
            init: Init::HeUniform,
            optimizer: CnnOptimizer::Adam { lr: 0.003 },
            schedule: Schedule::Cosine {
                warmup: 0,
                floor: 0.0,
            },
            epochs: 12,
            ..CnnConfig::seed_article(seed)
        }
    }

    /// The part of the configuration every MNIST run shares.
    ///
    /// ```
    /// use scratchnet::experiments::cnn::CnnConfig;
    /// assert_eq!(CnnConfig::seed_article(4).plan().seed, 4);
    /// ```
    pub fn plan(&self) -> Plan {
        Plan {
            preprocess: Preprocess::Scale,
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

/// Seed 001's network on `[batch, 1, 28, 28]` images, optionally with batch
/// normalization.
///
/// ```
/// use scratchnet::{experiments::cnn::cnn, init::Init};
/// let net = cnn(false, Init::XavierUniform, 0);
/// // Keras' model.summary() of mnist_cnn counts 1 199 882 parameters.
/// assert_eq!(net.num_parameters(), 1_199_882);
/// let summary = net.summary_table(&[1, 28, 28]);
/// assert_eq!(summary.rows[4].output_shape, [64, 12, 12]); // after max pooling
/// ```
pub fn cnn(batch_norm: bool, init: Init, seed: u64) -> Sequential<f32> {
    let mut rng = seeded_rng(seed);
    let mut net = Sequential::new();
    // ANCHOR: cnn
    net.push(Conv2D::new(1, 32, (3, 3), init, &mut rng)); // [batch, 32, 26, 26]
    if batch_norm {
        net.push(BatchNorm::new(32));
    }
    net.push(ReLU::new());
    net.push(Conv2D::new(32, 64, (3, 3), init, &mut rng)); // [batch, 64, 24, 24]
    if batch_norm {
        net.push(BatchNorm::new(64));
    }
    net.push(ReLU::new());
    net.push(MaxPool2D::new((2, 2))); // [batch, 64, 12, 12]
    net.push(Dropout::new(0.25, seed));
    net.push(Flatten::new()); // [batch, 9216]
    net.push(Dense::new(9216, 128, init, &mut rng)); // [batch, 128]
    if batch_norm {
        net.push(BatchNorm::new(128));
    }
    net.push(ReLU::new());
    net.push(Dropout::new(0.5, seed.wrapping_add(1)));
    net.push(Dense::new(128, 10, Init::XavierUniform, &mut rng)); // [batch, 10] logits
    // ANCHOR_END: cnn
    net
}

/// Trains [`cnn`] with `config` on MNIST-shaped data (`[n, 784]` rows, given
/// to the network as `[n, 1, 28, 28]`) and measures it on the test set once.
///
/// **Panics** if the shapes disagree or the validation split leaves no training images.
///
/// ```
/// use scratchnet::{experiments::cnn::{CnnConfig, run_cnn}, Tensor};
/// // Two classes: a bright left half or a bright right half.
/// let labels: Vec<usize> = (0..64).map(|i| i % 2).collect();
/// let x: Tensor<f32> = Tensor::from_shape_fn(vec![64, 784], |d| ((d[1] % 28 < 14) == (labels[d[0]] == 0)) as u8 as f32);
/// let config = CnnConfig { epochs: 2, batch_size: 16, ..CnnConfig::book_default(0) };
/// let run = run_cnn(&x, &labels, &x, &labels, &config).unwrap();
/// assert_eq!(run.test_accuracy, 1.0);
/// ```
pub fn run_cnn(
    train_x: &Tensor<f32>,
    train_labels: &[usize],
    test_x: &Tensor<f32>,
    test_labels: &[usize],
    config: &CnnConfig,
) -> Result<Run, FitError> {
    let model = cnn(config.batch_norm, config.init, config.seed);
    let data = Mnist {
        train_x,
        train_labels,
        test_x,
        test_labels,
    };
    let mut optimizer = config.optimizer.build();
    train_and_test(
        model,
        optimizer.as_mut(),
        &[1, 28, 28],
        data,
        &config.plan(),
    )
}

/// A CNN run as a JSON record, like [`crate::experiments::mnist::record`].
///
/// ```
/// use scratchnet::{experiments::cnn::{CnnConfig, record, run_cnn}, Tensor};
/// let labels: Vec<usize> = (0..32).map(|i| i % 2).collect();
/// let x: Tensor<f32> = Tensor::from_shape_fn(vec![32, 784], |d| ((d[1] % 28 < 14) == (labels[d[0]] == 0)) as u8 as f32);
/// let config = CnnConfig { epochs: 1, batch_size: 16, ..CnnConfig::seed_article(0) };
/// let r = record("toy", &config, &run_cnn(&x, &labels, &x, &labels, &config).unwrap());
/// assert_eq!(r["config"]["optimizer"]["adadelta"]["lr"], 1.0);
/// assert_eq!(r["config"]["batch_norm"], false);
/// ```
pub fn record(dataset: &str, config: &CnnConfig, run: &Run) -> serde_json::Value {
    let mut r = run_record(dataset, &config.plan(), run);
    r["model"] = if config.batch_norm {
        "conv32-bn-conv64-bn-pool-dropout0.25-128-bn-dropout0.5-10".into()
    } else {
        "conv32-conv64-pool-dropout0.25-128-dropout0.5-10".into()
    };
    let optimizer = match config.optimizer {
        CnnOptimizer::Adadelta { lr } => serde_json::json!({"adadelta": {"lr": lr}}),
        CnnOptimizer::Adam { lr } => serde_json::json!({"adam": {"lr": lr}}),
    };
    r["config"] = serde_json::json!({
        "name": config.name, "batch_norm": config.batch_norm,
        "init": format!("{:?}", config.init), "optimizer": optimizer,
        "schedule": schedule_record(config.schedule), "batch_size": config.batch_size,
        "epochs": config.epochs, "seed": config.seed, "validation": config.validation,
        "limit": config.limit, "early_stopping": config.early_stopping,
    });
    r
}
