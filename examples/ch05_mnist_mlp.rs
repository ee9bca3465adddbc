//! Chapter 5: the seed articles' MNIST network, trained on real MNIST in f32.
//!
//! Two configurations of the same 784-128-10 network with dropout 0.2:
//! `--config seed` trains it as the seeds do (pixels in [0, 1], Glorot
//! weights, Adam at 0.001, batch 32, 5 epochs); `--config book` (the
//! default) uses what Chapter 5 teaches (He weights for the ReLU layer, Adam
//! at 0.003 with a cosine learning-rate schedule; same network, batch and
//! epochs). It prints one line per epoch and the test accuracy, and can save
//! the weights (safetensors) and a JSON record of the run. The chapter's
//! other measurements use the same example: `--batch-size`, `--schedule`
//! with `--warmup`, and `--early-stopping PATIENCE` (with `--validation N`).
//! `--checkpoint run.ckpt` saves the run after every epoch, and the same
//! command with `--resume run.ckpt` added continues an interrupted one.
//!
//! Run: `cargo run --release --example ch05_mnist_mlp -- --data-dir ../shared/data/mnist`
//! (without `--data-dir` the files are looked for in `$SCRATCHNET_DATA` and
//! the user's cache directory, and downloaded there if absent). Expect about
//! 5 seconds of training on a laptop and a test accuracy of about 98.1 %
//! (`--config seed`: about 97.8 %). `--help` lists every option.

mod common;

use clap::{Parser, ValueEnum};
use common::{Training, report};
use scratchnet::data;
use scratchnet::experiments::mnist::{MlpConfig, Preprocess, record, run_mlp};
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Config {
    /// The seed articles' training (Keras' defaults).
    Seed,
    /// The book's default.
    Book,
}

/// Train the seed articles' MLP on MNIST (Chapter 5).
#[derive(Parser, Debug)]
#[command(name = "ch05_mnist_mlp", version)]
struct Args {
    /// Which training configuration.
    #[arg(long, value_enum, default_value = "book")]
    config: Config,
    /// Standardise the inputs (mean 0, variance 1, from the training images) instead of [0, 1].
    #[arg(long)]
    standardize: bool,
    /// Also store in the record the pixels the book's figures draw (sample and misclassified digits).
    #[arg(long, requires = "record")]
    figure_data: bool,
    #[command(flatten)]
    training: Training,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let t = &args.training;
    let mut config = match args.config {
        Config::Seed => MlpConfig::seed_article(t.seed),
        Config::Book => MlpConfig::book_default(t.seed),
    };
    config.epochs = t.epochs.map_or(config.epochs, |e| e as usize);
    config.batch_size = t.batch_size.map_or(config.batch_size, |b| b as usize);
    config.lr = t.lr.unwrap_or(config.lr);
    config.validation = t.validation;
    config.limit = t.limit;
    if args.standardize || t.modifies() {
        config.name = format!("{} (modified)", config.name); // the record's config says how
    }
    if args.standardize {
        config.preprocess = Preprocess::Standardize;
    }
    config.init = t.init(config.init);
    config.schedule = t.schedule::<Args>(config.schedule);
    config.early_stopping = t.early_stopping::<Args>();
    config.files = t.checkpoints::<Args>();
    // Options are checked before the data is read (or downloaded).
    let (dataset, train, test) = t.load::<Args>()?;
    println!("{} on {}: {config:?}", config.name, dataset.name());

    let run = run_mlp(
        &train.images_f(),
        &train.labels_usize(),
        &test.images_f(),
        &test.labels_usize(),
        &config,
    )?; // a divergence explains itself: which step, which weight, what to try
    report(&run, config.validation);
    let mut r = record(dataset.name(), &config, &run);
    if args.figure_data {
        add_figure_data(&mut r, &train, &test);
    }
    t.save(&run.model, r)
}

/// The pixels the chapter's figures draw (the first training digits and the
/// misclassified test digits), so that the book builds without MNIST.
fn add_figure_data(r: &mut serde_json::Value, train: &data::Split, test: &data::Split) {
    let pixels = |images: &ndarray::Array3<u8>, i: usize| -> Vec<u8> {
        images
            .index_axis(ndarray::Axis(0), i)
            .iter()
            .copied()
            .collect()
    };
    r["samples"] = (0..12)
            .map(|i| serde_json::json!({"label": train.labels()[i], "pixels": pixels(train.images(), i)}))
            .collect();
    for m in r["mistakes"].as_array_mut().into_iter().flatten() {
        let i = m["index"].as_u64().unwrap_or(0) as usize;
        m["pixels"] = pixels(test.images(), i).into();
    }
}
