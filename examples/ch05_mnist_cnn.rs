//! Chapter 5: seed 001's convolutional network (Keras' `mnist_cnn`), trained
//! on real MNIST in f32.
//!
//! Conv 32 3×3 → Conv 64 3×3 → MaxPool 2×2 → Dropout 0.25 → Flatten →
//! Dense 128 → Dropout 0.5 → Dense 10, in two configurations: `--config seed`
//! trains it as seed 001 does with Keras' original Adadelta (step factor
//! 1.0, batch 128, 10 epochs); `--config book` (the default) adds batch
//! normalization after each convolution and the first dense layer, He
//! weights, and Adam at 0.003 with a cosine schedule over 12 epochs. It
//! prints the model summary, one line per epoch and the test accuracy, and
//! can save the weights (safetensors) and a JSON record of the run.
//!
//! Run: `cargo run --release --example ch05_mnist_cnn -- --data-dir ../shared/data/mnist`
//! (without `--data-dir` the files are looked for in `$SCRATCHNET_DATA` and
//! the user's cache directory, and downloaded there if absent). A full run
//! takes several minutes per epoch on a laptop; `--limit 2000 --epochs 1`
//! is a quick look. `--checkpoint run.ckpt` saves the run after every epoch;
//! if it is interrupted, the same command with `--resume run.ckpt` added
//! continues it to the result an uninterrupted run reaches. `--help` lists
//! every option.

mod common;

use clap::{Parser, ValueEnum};
use common::{Training, report};
use scratchnet::experiments::cnn::{CnnConfig, CnnOptimizer, cnn, record, run_cnn};
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Config {
    /// Seed 001's training (Keras' mnist_cnn with Adadelta at 1.0).
    Seed,
    /// The book's default.
    Book,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum OptimizerArg {
    /// Adadelta (ρ = 0.95, ε = 1e-7); --lr is its step factor.
    Adadelta,
    /// Adam; --lr is its learning rate.
    Adam,
}

/// Train seed 001's convolutional network on MNIST (Chapter 5).
#[derive(Parser, Debug)]
#[command(name = "ch05_mnist_cnn", version)]
struct Args {
    /// Which training configuration.
    #[arg(long, value_enum, default_value = "book")]
    config: Config,
    /// Batch normalization after each convolution and the first dense layer
    /// (default: true for book, false for seed).
    #[arg(long)]
    batch_norm: Option<bool>,
    /// The optimizer (default: adam for book, adadelta for seed).
    #[arg(long, value_enum)]
    optimizer: Option<OptimizerArg>,
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
        Config::Seed => CnnConfig::seed_article(t.seed),
        Config::Book => CnnConfig::book_default(t.seed),
    };
    config.epochs = t.epochs.map_or(config.epochs, |e| e as usize);
    config.batch_size = t.batch_size.map_or(config.batch_size, |b| b as usize);
    config.validation = t.validation;
    config.limit = t.limit;
    if t.modifies() || args.batch_norm.is_some() || args.optimizer.is_some() {
        config.name = format!("{} (modified)", config.name); // the record's config says how
    }
    config.batch_norm = args.batch_norm.unwrap_or(config.batch_norm);
    let lr = match config.optimizer {
        CnnOptimizer::Adadelta { lr } | CnnOptimizer::Adam { lr } => t.lr.unwrap_or(lr),
    };
    config.optimizer = match (args.optimizer, config.optimizer) {
        (Some(OptimizerArg::Adadelta), _) | (None, CnnOptimizer::Adadelta { .. }) => {
            CnnOptimizer::Adadelta { lr }
        }
        (Some(OptimizerArg::Adam), _) | (None, CnnOptimizer::Adam { .. }) => {
            CnnOptimizer::Adam { lr }
        }
    };
    config.init = t.init(config.init);
    config.schedule = t.schedule::<Args>(config.schedule);
    config.early_stopping = t.early_stopping::<Args>();
    config.files = t.checkpoints::<Args>();
    // Options are checked before the data is read (or downloaded).
    let (dataset, train, test) = t.load::<Args>()?;
    println!("{} on {}: {config:?}", config.name, dataset.name());
    print!(
        "{}",
        cnn(config.batch_norm, config.init, config.seed).summary_table(&[1, 28, 28])
    );

    let run = run_cnn(
        &train.images_f(),
        &train.labels_usize(),
        &test.images_f(),
        &test.labels_usize(),
        &config,
    )?; // a divergence explains itself: which step, which weight, what to try
    report(&run, config.validation);
    t.save(&run.model, record(dataset.name(), &config, &run))
}
