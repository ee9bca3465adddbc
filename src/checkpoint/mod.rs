//! Checkpoints: a training run saved after every epoch, so that an
//! interrupted run can continue to the result it would have reached.
//!
//! The weights alone do not make a run resumable. Adam's moments and step
//! count, the position of every dropout layer's random-number generator, the
//! shuffling, the schedule's step and the history so far all shape the next
//! epoch. A checkpoint is a safetensors file, like [`crate::weights`]'s:
//!
//! * the model's parameters (batch norm's running statistics included) under their names;
//! * the optimizer's state tensors under `optim.<state>.<parameter>`, e.g. `optim.m.0.dense.W`;
//! * in the header's metadata: the format and its version, the epochs and
//!   steps done, the run's [`Settings`], the optimizer's scalars (Adam's
//!   step count), every generator's seed, stream and position, and the
//!   [`History`] as JSON.
//!
//! The shuffling generator is not saved: it is seeded by the settings' seed,
//! and [`crate::train::fit`] replays the shuffles of the epochs done, which
//! leaves the example order and the generator where they were. Saving is
//! atomic ([`write_atomically`]); loading checks everything before it
//! changes anything.

mod metadata;

use crate::history::History;
use crate::layer::Layer;
use crate::optim::Optimizer;
use crate::regularization::Penalty;
use crate::schedule::Schedule;
use crate::tensor::{Float, Tensor};
use crate::weights::{WeightsError, parse, read, read_tensors, write_atomically, write_tensors};
use metadata::{Metadata, rng_to_json};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The version of the checkpoint format that this library writes and reads.
pub const VERSION: u64 = 1;

/// What a run was started with. A checkpoint records it, and resuming it
/// with other settings is refused: it would not be the same run.
///
/// ```
/// use scratchnet::{checkpoint::Settings, regularization::Penalty, schedule::Schedule};
/// let s = Settings { epochs: 5, batch_size: 32, seed: 1, examples: 60_000,
///     schedule: Schedule::Constant, penalty: Penalty::None, base_lr: 0.001 };
/// assert_eq!(s.clone(), s);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Passes over the training set planned for the whole run.
    pub epochs: usize,
    /// Examples per step.
    pub batch_size: usize,
    /// The seed of the shuffling.
    pub seed: u64,
    /// Training examples.
    pub examples: usize,
    /// The learning-rate schedule.
    pub schedule: Schedule,
    /// The weight penalty.
    pub penalty: Penalty,
    /// The optimizer's learning rate when the run started.
    pub base_lr: f64,
}

impl Settings {
    fn to_json(&self) -> Value {
        json!({
            "epochs": self.epochs, "batch_size": self.batch_size, "seed": self.seed,
            "examples": self.examples, "schedule": format!("{:?}", self.schedule),
            "penalty": format!("{:?}", self.penalty), "base_lr": self.base_lr,
        })
    }
}

/// Why a checkpoint could not be saved or resumed from; every message names
/// the file, and the tensor or field at fault.
///
/// ```
/// use scratchnet::checkpoint::CheckpointError;
/// let e = CheckpointError::Mismatch { path: "run.ckpt".into(), field: "batch_size".into(), file: "32".into(), run: "64".into() };
/// assert_eq!(e.to_string(), "run.ckpt: batch_size: the checkpoint has 32, this run 64");
/// ```
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    /// The file could not be written or read, is not safetensors, or its
    /// tensors do not fit the model and the optimizer (a tensor missing or
    /// unexpected, of another shape or element type).
    #[error(transparent)]
    Tensors(#[from] WeightsError),
    /// A field of the metadata is missing or unreadable.
    #[error("{}: metadata {field}: {problem}", .path.display())]
    Metadata {
        /// The checkpoint.
        path: PathBuf,
        /// The field, e.g. `"history"`.
        field: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The checkpoint is of another run: other settings, or another number
    /// of random-number generators or optimizer scalars.
    #[error("{}: {field}: the checkpoint has {file}, this run {run}", .path.display())]
    Mismatch {
        /// The checkpoint.
        path: PathBuf,
        /// What differs, e.g. `"batch_size"`.
        field: String,
        /// Its value in the checkpoint.
        file: String,
        /// Its value in the run being resumed.
        run: String,
    },
}

/// Saves a run after an epoch to `path`, atomically: the model's parameters,
/// the optimizer's state, every generator of the model, the settings and
/// the history so far (whose last epoch gives the epochs and steps done).
///
/// # Errors
/// [`CheckpointError::Tensors`] with [`WeightsError::Save`] if the file cannot be written.
///
/// ```
/// use scratchnet::{prelude::*, checkpoint::*, regularization::Penalty, schedule::Schedule};
/// let (x, y) = (tensor(&[4, 1], &[0.0, 1.0, 2.0, 3.0]), tensor(&[4, 1], &[1.0, 3.0, 5.0, 7.0]));
/// let mut net = Sequential::new().with(Dense::new(1, 1, Init::XavierUniform, &mut seeded_rng(0)));
/// let mut adam = Adam::new(0.1);
/// let history = fit(&mut net, &mut MeanSquaredError::new(), &mut adam, &x, &y, Fit::new(2, 2)).unwrap();
/// let settings = Settings { epochs: 2, batch_size: 2, seed: 0, examples: 4,
///     schedule: Schedule::Constant, penalty: Penalty::None, base_lr: 0.1 };
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("run.ckpt");
/// save_checkpoint(&path, &net, &adam, &settings, &history).unwrap();
/// // A fresh network and optimizer get all of it back.
/// let mut fresh: Sequential = Sequential::new().with(Dense::new(1, 1, Init::XavierUniform, &mut seeded_rng(9)));
/// let mut fresh_adam = Adam::new(0.1);
/// assert_eq!(load_checkpoint(&path, &mut fresh, &mut fresh_adam, &settings).unwrap(), history);
/// assert_eq!(fresh.params()[0].value, net.params()[0].value);
/// assert_eq!(fresh_adam.snapshot().scalars["t"], 4.0); // 2 epochs of 2 steps
/// ```
// ANCHOR: save
pub fn save_checkpoint<F: Float>(
    path: &Path,
    model: &dyn Layer<F>,
    optimizer: &dyn Optimizer<F>,
    settings: &Settings,
    history: &History,
) -> Result<(), CheckpointError> {
    let params = model.params();
    let snapshot = optimizer.snapshot();
    let mut names: Vec<String> = params.iter().map(|p| p.name.clone()).collect();
    let mut tensors: Vec<&Tensor<F>> = params.iter().map(|p| &p.value).collect();
    for (state, values) in &snapshot.states {
        for (name, t) in values.iter() {
            names.push(format!("optim.{state}.{name}")); // e.g. optim.m.0.dense.W
            tensors.push(t);
        }
    }
    let rngs: Vec<Value> = model.rngs().into_iter().map(rng_to_json).collect();
    let steps = history.epochs.last().map_or(0, |e| e.steps);
    let metadata = [
        ("format", "scratchnet-checkpoint".to_string()),
        ("version", VERSION.to_string()),
        ("epochs", history.epochs.len().to_string()),
        ("steps", steps.to_string()),
        ("settings", settings.to_json().to_string()),
        ("optimizer", json!(snapshot.scalars).to_string()),
        ("rngs", Value::from(rngs).to_string()),
        ("history", history.to_json().to_string()),
    ];
    let metadata: HashMap<String, String> = metadata.map(|(k, v)| (k.to_string(), v)).into();
    let named: Vec<(&str, &Tensor<F>)> = names.iter().map(String::as_str).zip(tensors).collect();
    write_atomically(path, |file| write_tensors(&named, metadata, file))?;
    Ok(())
}
// ANCHOR_END: save

/// Restores a run saved by [`save_checkpoint`] into `model` and `optimizer`
/// and returns its history, whose length is the number of epochs done.
///
/// `settings` are the resumed run's; they must be the checkpoint's. The file
/// must hold exactly the model's parameters and, for each state the
/// optimizer keeps, one tensor per trainable parameter, with their shapes and
/// element type, and as many generators as the model has. Everything is
/// checked first: on error, the model and the optimizer are unchanged.
///
/// # Errors
/// [`CheckpointError::Tensors`] if the file cannot be read or a tensor does
/// not fit, [`CheckpointError::Metadata`] if a field is missing or
/// unreadable, [`CheckpointError::Mismatch`] if the run differs.
///
/// ```
/// use scratchnet::{prelude::*, checkpoint::*, regularization::Penalty, schedule::Schedule};
/// let mut net: Sequential = Sequential::new().with(Dense::new(1, 1, Init::XavierUniform, &mut seeded_rng(0)));
/// let settings = Settings { epochs: 2, batch_size: 2, seed: 0, examples: 4,
///     schedule: Schedule::Constant, penalty: Penalty::None, base_lr: 0.1 };
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("run.ckpt");
/// save_checkpoint(&path, &net, &Sgd::new(0.1), &settings, &Default::default()).unwrap();
/// let mut wider: Sequential = Sequential::new().with(Dense::new(1, 3, Init::XavierUniform, &mut seeded_rng(1)));
/// let before = wider.params()[0].value.clone();
/// let err = load_checkpoint(&path, &mut wider, &mut Sgd::new(0.1), &settings).unwrap_err();
/// assert!(err.to_string().ends_with("0.dense.W: the file has [1, 1], the model expects [1, 3]"));
/// assert_eq!(wider.params()[0].value, before); // unchanged
/// let other = Settings { batch_size: 4, ..settings };
/// let err = load_checkpoint(&path, &mut net, &mut Sgd::new(0.1), &other).unwrap_err();
/// assert!(err.to_string().ends_with("batch_size: the checkpoint has 2, this run 4"));
/// ```
// ANCHOR: load
pub fn load_checkpoint<F: Float>(
    path: &Path,
    model: &mut dyn Layer<F>,
    optimizer: &mut dyn Optimizer<F>,
    settings: &Settings,
) -> Result<History, CheckpointError> {
    let bytes = read(path)?;
    let file = parse(path, &bytes)?;
    let meta = Metadata::read(path, &bytes)?;

    // 1. The metadata: a checkpoint of this run, its generators and the optimizer's scalars.
    let history = meta.history(settings)?;
    let rngs = meta.rngs(model.rngs().len())?;
    let mut snapshot = optimizer.snapshot(); // which states and scalars this optimizer keeps
    snapshot.scalars = meta.scalars(&snapshot)?;

    // 2. The tensors: the parameters, then each state of each trainable parameter.
    let params = model.params();
    let trainable: Vec<String> = params
        .iter()
        .filter(|p| p.kind.is_trainable())
        .map(|p| p.name.clone())
        .collect();
    let mut wanted: Vec<(String, &[usize])> = (params.iter())
        .map(|p| (p.name.clone(), p.value.shape()))
        .collect();
    for state in snapshot.states.keys() {
        for p in params.iter().filter(|p| p.kind.is_trainable()) {
            wanted.push((format!("optim.{state}.{}", p.name), p.value.shape()));
        }
    }
    let wanted: Vec<(&str, &[usize])> = wanted.iter().map(|(n, s)| (n.as_str(), *s)).collect();
    let mut values = read_tensors::<F>(path, &file, &wanted)?.into_iter();

    // 3. Only now change the model, its generators and the optimizer.
    for (p, value) in model.params_mut().into_iter().zip(values.by_ref()) {
        p.value = value;
    }
    for (rng, saved) in model.rngs_mut().into_iter().zip(rngs) {
        *rng = saved;
    }
    for state in snapshot.states.values_mut() {
        *state = trainable.iter().cloned().zip(values.by_ref()).collect();
    }
    optimizer.restore(snapshot);
    Ok(history)
}
// ANCHOR_END: load
