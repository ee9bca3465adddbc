//! Checkpoints: a run interrupted after k epochs and resumed from its
//! checkpoint, in a fresh model and optimizer, ends bit for bit where the
//! uninterrupted run ends, with the same history; a checkpoint that does not
//! fit the run is refused with an error naming the tensor or field, and
//! leaves the model and the optimizer as they were.

use safetensors::SafeTensors;
use safetensors::tensor::TensorView;
use scratchnet::checkpoint::CheckpointError;
use scratchnet::layer::ParamKind;
use scratchnet::optim::Snapshot;
use scratchnet::prelude::*;
use scratchnet::schedule::Schedule;
use scratchnet::train::History;
use scratchnet::weights::{WeightsError, save_weights};
use std::collections::HashMap;
use std::path::Path;

/// `n` examples of `features` numbers and one of `classes` classes (one-hot),
/// the class a function of the features, so that there is something to learn.
fn data(n: usize, features: usize, classes: usize, seed: u64) -> (Tensor<f32>, Tensor<f32>) {
    let mut rng = seeded_rng(seed);
    let x: Tensor<f32> = Tensor::from_shape_simple_fn(vec![n, features], || {
        rand::Rng::random_range(&mut rng, -1.0..1.0)
    });
    let labels: Vec<usize> = (0..n)
        .map(|i| {
            let s: f32 = x.index_axis(ndarray::Axis(0), i).iter().take(3).sum();
            ((s + 3.0) / 6.0 * classes as f32).clamp(0.0, classes as f32 - 1.0) as usize
        })
        .collect();
    (x, one_hot(&labels, classes))
}

/// A network's parameters and buffers as bits: equal only if bit for bit equal.
fn bits(net: &Sequential<f32>) -> Vec<(String, Vec<u32>)> {
    let params = net.params();
    let to_bits = |p: &&Param<f32>| p.value.iter().map(|v| v.to_bits()).collect();
    params
        .iter()
        .map(|p| (p.name.clone(), to_bits(p)))
        .collect()
}

/// The history without the seconds, the one field that differs between runs.
fn untimed(history: &History) -> History {
    let mut h = history.clone();
    h.epochs.iter_mut().for_each(|e| e.seconds = 0.0);
    h
}

/// An optimizer's state as bits.
fn state_bits(snapshot: &Snapshot<f32>) -> Vec<(String, Vec<u32>)> {
    let mut out = Vec::new();
    for (state, values) in &snapshot.states {
        for (name, t) in values.iter() {
            out.push((
                format!("{state}.{name}"),
                t.iter().map(|v| v.to_bits()).collect(),
            ));
        }
    }
    for (name, v) in &snapshot.scalars {
        out.push((name.clone(), vec![*v as u32]));
    }
    out
}

/// One run, three ways: uninterrupted; stopped after epoch `k` with a
/// checkpoint after every epoch; and resumed from that checkpoint in a fresh
/// model and optimizer. Asserts that the first and the last agree bit for bit.
fn assert_resumes<'a, O: Optimizer<f32>>(
    net: impl Fn() -> Sequential<f32>,
    optimizer: impl Fn() -> O,
    (x, y): (&Tensor<f32>, &Tensor<f32>),
    config: impl Fn() -> Fit<'a, f32>,
    k: usize,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.ckpt");
    let mut loss = SoftmaxCrossEntropy::new();

    let (mut whole, mut whole_opt) = (net(), optimizer());
    let expected = fit(&mut whole, &mut loss, &mut whole_opt, x, y, config()).unwrap();

    // The interruption: a run that stops after epoch k, saving after every epoch.
    let (mut first, mut first_opt) = (net(), optimizer());
    let interrupted = config()
        .checkpoint(&path)
        .on_epoch(move |e, _| match e.epoch {
            e if e == k => Control::Stop,
            _ => Control::Continue,
        });
    let partial = fit(&mut first, &mut loss, &mut first_opt, x, y, interrupted).unwrap();
    assert_eq!(partial.epochs.len(), k);
    assert_eq!(untimed(&partial).epochs, untimed(&expected).epochs[..k]);

    // Resumed in a fresh model and optimizer, saving on.
    let (mut resumed, mut resumed_opt) = (net(), optimizer());
    let config = config().checkpoint(&path).resume_from(&path);
    let history = fit(&mut resumed, &mut loss, &mut resumed_opt, x, y, config).unwrap();

    assert_eq!(
        bits(&resumed),
        bits(&whole),
        "the final weights and buffers"
    );
    assert_eq!(untimed(&history), untimed(&expected), "the history");
    assert_eq!(
        history.epochs[..k],
        partial.epochs[..],
        "the saved epochs, seconds included"
    );
    assert_eq!(resumed.rngs(), whole.rngs(), "the dropout generators");
    assert_eq!(
        state_bits(&resumed_opt.snapshot()),
        state_bits(&whole_opt.snapshot()),
        "the optimizer's state"
    );
    // The only file left is the checkpoint: saves leave no temporary file behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

fn mlp(dropout: bool) -> Sequential<f32> {
    let mut rng = seeded_rng(1);
    let mut net = Sequential::new()
        .with(Dense::new(8, 16, Init::HeUniform, &mut rng))
        .with(ReLU::new());
    if dropout {
        net.push(Dropout::new(0.3, 7));
    }
    net.with(Dense::new(16, 3, Init::XavierUniform, &mut rng))
}

#[test]
fn an_mlp_with_dropout_and_adam_resumes_to_the_same_weights_and_history() {
    let (x, y) = data(64, 8, 3, 2);
    let (xv, yv) = data(20, 8, 3, 3);
    // 64 examples in batches of 10: six full batches and one of 4 per epoch.
    let config = || Fit::new(6, 10).seed(5).accuracy().validation(&xv, &yv);
    assert_resumes(|| mlp(true), || Adam::new(0.01), (&x, &y), config, 3);
}

#[test]
fn a_cnn_with_batch_norm_resumes_to_the_same_weights_and_running_statistics() {
    let (x, y) = data(32, 64, 2, 4);
    let x = x.into_shape_with_order(vec![32, 1, 8, 8]).unwrap();
    let net = || {
        let mut rng = seeded_rng(2);
        Sequential::new()
            .with(Conv2D::new(1, 4, (3, 3), Init::HeUniform, &mut rng)) // [batch, 4, 6, 6]
            .with(BatchNorm::new(4))
            .with(ReLU::new())
            .with(MaxPool2D::new((2, 2))) // [batch, 4, 3, 3]
            .with(Dropout::new(0.25, 3))
            .with(Flatten::new()) // [batch, 36]
            .with(Dense::new(36, 2, Init::XavierUniform, &mut rng))
    };
    let buffers = net()
        .params()
        .iter()
        .filter(|p| p.kind == ParamKind::Buffer)
        .count();
    assert_eq!(
        buffers, 2,
        "the running mean and variance are saved with the weights"
    );
    let adadelta = || {
        let mut opt = Adadelta::with_lr(1.0);
        opt.eps = 1e-7;
        opt
    };
    assert_resumes(net, adadelta, (&x, &y), || Fit::new(4, 8).seed(9), 2);
}

#[test]
fn a_cosine_schedule_resumes_at_its_step() {
    let (x, y) = data(40, 8, 3, 5);
    let cosine = Schedule::Cosine {
        warmup: 7,
        floor: 0.01,
    };
    let config = move || Fit::new(5, 8).seed(2).schedule(cosine);
    assert_resumes(|| mlp(false), || RmsProp::new(0.01), (&x, &y), config, 2);
    // Momentum and AdaGrad, with a step decay, for good measure.
    let decay = Schedule::StepDecay {
        every: 2,
        factor: 0.5,
    };
    let config = move || Fit::new(4, 16).seed(1).schedule(decay);
    assert_resumes(
        || mlp(true),
        || Momentum::nesterov(0.05, 0.9),
        (&x, &y),
        config,
        1,
    );
    assert_resumes(|| mlp(true), || AdaGrad::new(0.05), (&x, &y), config, 3);
}

#[test]
fn weights_alone_do_not_resume_the_run() {
    // Why a checkpoint holds more than the weights: the same weights after
    // epoch 2, trained on with a fresh Adam (moments 0, step count 0) and a
    // freshly seeded shuffle, end elsewhere.
    let (x, y) = data(64, 8, 3, 2);
    let mut loss = SoftmaxCrossEntropy::new();
    // Each call: a fresh Adam and a freshly seeded shuffle.
    let mut train = |net: &mut Sequential<f32>, epochs| {
        fit(
            net,
            &mut loss,
            &mut Adam::new(0.01),
            &x,
            &y,
            Fit::new(epochs, 10),
        )
        .unwrap();
    };
    let (mut whole, mut first) = (mlp(true), mlp(true));
    train(&mut whole, 4);
    train(&mut first, 2);
    train(&mut first, 2);
    assert_ne!(bits(&first), bits(&whole));
}

#[test]
fn every_optimizer_takes_the_same_step_after_a_snapshot_and_restore() {
    let make = |name: &str| -> Box<dyn Optimizer<f32>> {
        match name {
            "sgd" => Box::new(Sgd::new(0.1)),
            "momentum" => Box::new(Momentum::new(0.1, 0.9)),
            "adagrad" => Box::new(AdaGrad::new(0.1)),
            "rmsprop" => Box::new(RmsProp::new(0.01)),
            "adam" => Box::new(Adam::new(0.01).with_weight_decay(0.1)),
            _ => Box::new(Adadelta::default()),
        }
    };
    for name in ["sgd", "momentum", "adagrad", "rmsprop", "adam", "adadelta"] {
        let mut p = Param::new("w", ParamKind::Weight, Tensor::from_elem(vec![3], 1.0f32));
        let mut opt = make(name);
        for g in [0.5, -0.25, 0.125] {
            p.grad.fill(g);
            opt.step(&mut [&mut p]);
        }
        let mut restored = make(name);
        restored.restore(opt.snapshot());
        let mut q = p.clone();
        opt.step(&mut [&mut p]);
        restored.step(&mut [&mut q]);
        assert_eq!(p.value, q.value, "{name}");
        assert_eq!(
            state_bits(&restored.snapshot()),
            state_bits(&opt.snapshot()),
            "{name}"
        );
    }
}

/// A checkpoint saved after epoch 2 of 4 by the MLP with dropout and Adam.
fn saved_run(path: &Path) {
    let (x, y) = data(64, 8, 3, 2);
    let stop = Fit::new(4, 10)
        .checkpoint(path)
        .on_epoch(|e, _| match e.epoch {
            2 => Control::Stop,
            _ => Control::Continue,
        });
    let mut loss = SoftmaxCrossEntropy::new();
    fit(
        &mut mlp(true),
        &mut loss,
        &mut Adam::new(0.01),
        &x,
        &y,
        stop,
    )
    .unwrap();
}

/// Resumes `path` into `net` with `optimizer` and `config`, asserts that it
/// fails and that neither the network nor the optimizer changed; returns the error.
fn refused<O: Optimizer<f32>>(
    path: &Path,
    mut net: Sequential<f32>,
    mut optimizer: O,
    config: Fit<'_, f32>,
) -> CheckpointError {
    let (x, y) = data(64, 8, 3, 2);
    let (before, state_before) = (bits(&net), state_bits(&optimizer.snapshot()));
    let rngs_before: Vec<_> = net.rngs().into_iter().cloned().collect();
    let mut loss = SoftmaxCrossEntropy::new();
    let result = fit(
        &mut net,
        &mut loss,
        &mut optimizer,
        &x,
        &y,
        config.resume_from(path),
    );
    let Err(FitError::Checkpoint(err)) = result else {
        panic!("the checkpoint should be refused: {result:?}");
    };
    assert_eq!(bits(&net), before, "the model changed: {err}");
    assert_eq!(state_bits(&optimizer.snapshot()), state_before, "{err}");
    assert_eq!(
        net.rngs().into_iter().cloned().collect::<Vec<_>>(),
        rngs_before
    );
    err
}

#[test]
fn a_checkpoint_of_other_settings_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.ckpt");
    saved_run(&path);
    let cases = [
        (
            Fit::new(4, 16),
            "batch_size: the checkpoint has 10, this run 16",
        ),
        (Fit::new(5, 10), "epochs: the checkpoint has 4, this run 5"),
        (
            Fit::new(4, 10).seed(1),
            "seed: the checkpoint has 0, this run 1",
        ),
        (
            Fit::new(4, 10).schedule(Schedule::StepDecay {
                every: 1,
                factor: 0.5,
            }),
            "schedule: the checkpoint has \"Constant\", this run \"StepDecay { every: 1, factor: 0.5 }\"",
        ),
    ];
    for (config, message) in cases {
        let err = refused(&path, mlp(true), Adam::new(0.01), config);
        assert!(matches!(err, CheckpointError::Mismatch { .. }), "{err:?}");
        assert_eq!(err.to_string(), format!("{}: {message}", path.display()));
    }
    let err = refused(&path, mlp(true), Adam::new(0.02), Fit::new(4, 10));
    assert!(
        err.to_string()
            .ends_with("base_lr: the checkpoint has 0.01, this run 0.02"),
        "{err}"
    );
    let err = refused(&path, mlp(false), Adam::new(0.01), Fit::new(4, 10));
    let message = "random-number generators: the checkpoint has 1, this run 0";
    assert!(err.to_string().ends_with(message), "{err}");
    let err = refused(&path, mlp(true), Momentum::new(0.01, 0.9), Fit::new(4, 10));
    let message = "optimizer scalars: the checkpoint has [\"t\"], this run []";
    assert!(err.to_string().ends_with(message), "{err}");
}

#[test]
fn a_checkpoint_that_does_not_fit_the_model_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.ckpt");
    saved_run(&path);
    let mut wider = Sequential::new()
        .with(Dense::new(8, 20, Init::HeUniform, &mut seeded_rng(1)))
        .with(ReLU::new())
        .with(Dropout::new(0.3, 7));
    wider.push(Dense::new(20, 3, Init::XavierUniform, &mut seeded_rng(2)));
    let err = refused(&path, wider, Adam::new(0.01), Fit::new(4, 10));
    assert!(
        matches!(&err, CheckpointError::Tensors(WeightsError::Shape { name, .. }) if name == "0.dense.W"),
        "{err:?}"
    );
    // A network in f64 cannot take the f32 numbers: refused before anything changes.
    let (x, y) = data(64, 8, 3, 2);
    let (x, y) = (x.mapv(f64::from), y.mapv(f64::from));
    let mut net64: Sequential = Sequential::new()
        .with(Dense::new(8, 16, Init::HeUniform, &mut seeded_rng(1)))
        .with(ReLU::new())
        .with(Dropout::new(0.3, 7))
        .with(Dense::new(16, 3, Init::XavierUniform, &mut seeded_rng(1)));
    let before = net64.params()[0].value.clone();
    let config = Fit::new(4, 10).resume_from(&path);
    let err = fit(
        &mut net64,
        &mut SoftmaxCrossEntropy::new(),
        &mut Adam::new(0.01),
        &x,
        &y,
        config,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("0.dense.W: the file holds F32 numbers"),
        "{err}"
    );
    assert_eq!(net64.params()[0].value, before);
}

/// Rewrites the checkpoint at `path` through `edit`, which sees its tensors
/// (name → (shape, bytes)) and its metadata.
fn rewrite(
    path: &Path,
    edit: impl FnOnce(&mut HashMap<String, (Vec<usize>, Vec<u8>)>, &mut HashMap<String, String>),
) {
    let bytes = std::fs::read(path).unwrap();
    let file = SafeTensors::deserialize(&bytes).unwrap();
    let mut tensors: HashMap<String, (Vec<usize>, Vec<u8>)> = file
        .tensors()
        .into_iter()
        .map(|(name, t)| (name, (t.shape().to_vec(), t.data().to_vec())))
        .collect();
    let (_, header) = SafeTensors::read_metadata(&bytes).unwrap();
    let mut metadata = header.metadata().clone().unwrap();
    edit(&mut tensors, &mut metadata);
    let views: Vec<(String, TensorView)> = tensors
        .iter()
        .map(|(name, (shape, data))| {
            let view = TensorView::new(safetensors::Dtype::F32, shape.clone(), data).unwrap();
            (name.clone(), view)
        })
        .collect();
    std::fs::write(path, safetensors::serialize(views, Some(metadata)).unwrap()).unwrap();
}

#[test]
fn a_corrupted_checkpoint_is_refused_naming_the_tensor_or_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.ckpt");
    let config = || Fit::new(4, 10);
    let refuse = || refused(&path, mlp(true), Adam::new(0.01), config());

    saved_run(&path);
    rewrite(&path, |tensors, _| {
        tensors.remove("optim.m.3.dense.b");
    });
    let err = refuse();
    assert!(
        matches!(&err, CheckpointError::Tensors(WeightsError::Missing { names, .. }) if names == &["optim.m.3.dense.b"]),
        "{err:?}"
    );

    saved_run(&path);
    rewrite(&path, |tensors, _| {
        let (_, data) = tensors.remove("optim.s.0.dense.W").unwrap();
        tensors.insert("optim.s.0.dense.W".into(), (vec![2], data[..8].to_vec()));
    });
    let err = refuse();
    assert!(
        err.to_string()
            .ends_with("optim.s.0.dense.W: the file has [2], the model expects [8, 16]"),
        "{err}"
    );

    saved_run(&path);
    rewrite(&path, |_, metadata| {
        let history = metadata["history"].replacen("\"lr\":0.01", "\"lr\":\"fast\"", 1);
        metadata.insert("history".into(), history);
    });
    let err = refuse();
    let message = "metadata history: epoch 1 of the history: lr is not a number";
    assert!(err.to_string().ends_with(message), "{err}");

    for field in ["rngs", "optimizer", "settings", "steps", "version"] {
        saved_run(&path);
        rewrite(&path, |_, metadata| {
            metadata.remove(field);
        });
        let err = refuse();
        assert!(
            err.to_string()
                .ends_with(&format!("metadata {field}: missing")),
            "{err}"
        );
    }

    saved_run(&path);
    rewrite(&path, |_, metadata| {
        metadata.insert("steps".into(), "5".into());
    });
    let err = refuse();
    assert!(
        err.to_string()
            .ends_with("metadata steps: the history says 14"),
        "{err}"
    );

    saved_run(&path);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap(); // a torn copy
    let err = refuse();
    assert!(
        matches!(err, CheckpointError::Tensors(WeightsError::Format { .. })),
        "{err:?}"
    );

    // Weights saved with save_weights are not a checkpoint.
    save_weights(&mlp(true), &path).unwrap();
    let err = refuse();
    assert!(
        err.to_string()
            .contains("metadata format: not a checkpoint"),
        "{err}"
    );
}

#[test]
fn a_checkpoint_that_cannot_be_written_stops_fit_with_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no such directory").join("run.ckpt");
    let (x, y) = data(64, 8, 3, 2);
    let mut net = mlp(true);
    let config = Fit::new(3, 10).checkpoint(&path);
    let err = fit(
        &mut net,
        &mut SoftmaxCrossEntropy::new(),
        &mut Adam::new(0.01),
        &x,
        &y,
        config,
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            FitError::Checkpoint(CheckpointError::Tensors(WeightsError::Save { .. }))
        ),
        "{err:?}"
    );
}
