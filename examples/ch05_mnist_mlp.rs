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
//!
//! Run: `cargo run --release --example ch05_mnist_mlp -- --data-dir ../shared/data/mnist`
//! (without `--data-dir` the files are looked for in `$SCRATCHNET_DATA` and
//! the user's cache directory, and downloaded there if absent). Expect about
//! 5 seconds of training on a laptop and a test accuracy of about 98.1 %
//! (`--config seed`: about 97.8 %). `--help` lists every option.

use clap::{CommandFactory, Parser, ValueEnum};
use scratchnet::data::{self, Dataset};
use scratchnet::experiments::mnist::{MlpConfig, Preprocess, record, run_mlp};
use scratchnet::init::Init;
use scratchnet::schedule::Schedule;
use scratchnet::weights::{save_weights, write_atomically};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Config {
    /// The seed articles' training (Keras' defaults).
    Seed,
    /// The book's default.
    Book,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Data {
    Mnist,
    FashionMnist,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum InitArg {
    /// Glorot (Xavier) uniform, Keras' default.
    Glorot,
    /// He (Kaiming) uniform, for ReLU layers.
    He,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ScheduleArg {
    /// The base learning rate throughout.
    Constant,
    /// Cosine decay from the base rate to 0 over the run.
    Cosine,
    /// The rate divided by 10 after epochs 3 and 6.
    Step,
}

/// Train the seed articles' MLP on MNIST (Chapter 5).
#[derive(Parser, Debug)]
#[command(name = "ch05_mnist_mlp", version)]
struct Args {
    /// Directory holding the four MNIST files (else $SCRATCHNET_DATA, then the cache).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Which data set.
    #[arg(long, value_enum, default_value = "mnist")]
    dataset: Data,
    /// Which training configuration.
    #[arg(long, value_enum, default_value = "book")]
    config: Config,
    /// Passes over the training set (default: 5).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1000))]
    epochs: Option<u32>,
    /// Examples per step (default: 32).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=60000))]
    batch_size: Option<u32>,
    /// Adam's base learning rate (default: 0.003 for book, 0.001 for seed).
    #[arg(long, value_parser = positive_rate)]
    lr: Option<f64>,
    /// Standardise the inputs (mean 0, variance 1, from the training images) instead of [0, 1].
    #[arg(long)]
    standardize: bool,
    /// The first layer's initialisation (default: he for book, glorot for seed).
    #[arg(long, value_enum)]
    init: Option<InitArg>,
    /// The learning-rate schedule (default: cosine for book, constant for seed).
    #[arg(long, value_enum)]
    schedule: Option<ScheduleArg>,
    /// Seed of the weights, the dropout masks and the shuffling.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Steps of linear learning-rate warm-up before the cosine decay (needs the cosine schedule).
    #[arg(long)]
    warmup: Option<usize>,
    /// Hold out this many training images to validate on after every epoch.
    #[arg(long, default_value_t = 0)]
    validation: usize,
    /// Stop after this many epochs without a lower validation loss, keeping the best weights
    /// (needs --validation).
    #[arg(long, value_name = "PATIENCE",
          value_parser = clap::value_parser!(u32).range(1..))]
    early_stopping: Option<u32>,
    /// Train on the first N training images only (quick runs).
    #[arg(long)]
    limit: Option<usize>,
    /// Save the trained weights to this safetensors file.
    #[arg(long)]
    save: Option<PathBuf>,
    /// Write a JSON record of the run (configuration, every epoch, test result).
    #[arg(long)]
    record: Option<PathBuf>,
    /// Also store in the record the pixels the book's figures draw (sample and misclassified digits).
    #[arg(long, requires = "record")]
    figure_data: bool,
}

/// Exits with clap's usage message and exit code 2, as for any invalid option.
fn usage_error(message: &str) -> ! {
    Args::command()
        .error(clap::error::ErrorKind::ArgumentConflict, message)
        .exit()
}

fn positive_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(lr) if lr.is_finite() && lr > 0.0 => Ok(lr),
        _ => Err(format!("{s} is not a positive, finite learning rate")),
    }
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
    let dataset = match args.dataset {
        Data::Mnist => Dataset::Mnist,
        Data::FashionMnist => Dataset::FashionMnist,
    };
    let mut config = match args.config {
        Config::Seed => MlpConfig::seed_article(args.seed),
        Config::Book => MlpConfig::book_default(args.seed),
    };
    config.epochs = args.epochs.map_or(config.epochs, |e| e as usize);
    config.batch_size = args.batch_size.map_or(config.batch_size, |b| b as usize);
    config.lr = args.lr.unwrap_or(config.lr);
    config.validation = args.validation;
    if args.standardize
        || args.init.is_some()
        || args.schedule.is_some()
        || args.lr.is_some()
        || args.warmup.is_some()
    {
        config.name = format!("{} (modified)", config.name); // the record's config says how
    }
    if args.standardize {
        config.preprocess = Preprocess::Standardize;
    }
    match args.init {
        Some(InitArg::Glorot) => config.init = Init::XavierUniform,
        Some(InitArg::He) => config.init = Init::HeUniform,
        None => {}
    }
    match args.schedule {
        Some(ScheduleArg::Constant) => config.schedule = Schedule::Constant,
        Some(ScheduleArg::Cosine) => {
            config.schedule = Schedule::Cosine {
                warmup: 0,
                floor: 0.0,
            }
        }
        Some(ScheduleArg::Step) => {
            config.schedule = Schedule::StepDecay {
                every: 3,
                factor: 0.1,
            }
        }
        None => {}
    }
    if let Some(steps) = args.warmup {
        match &mut config.schedule {
            Schedule::Cosine { warmup, .. } => *warmup = steps,
            _ => usage_error("--warmup needs the cosine schedule (--schedule cosine)"),
        }
    }
    config.early_stopping = args.early_stopping.map(|p| p as usize);
    if config.early_stopping.is_some() && config.validation == 0 {
        usage_error("--early-stopping watches the validation loss: add --validation N");
    }
    config.limit = args.limit;
    // Options are checked before the data is read (or downloaded).
    let (train, test) = data::load(dataset, args.data_dir.as_deref())?;
    if config.validation >= config.limit.unwrap_or(train.len()).min(train.len()) {
        usage_error(&format!(
            "--validation {} leaves no training images",
            config.validation
        ));
    }
    println!("{} on {}: {config:?}", config.name, dataset.name());

    let run = run_mlp(
        &train.images_f(),
        &train.labels_usize(),
        &test.images_f(),
        &test.labels_usize(),
        &config,
    );
    for e in &run.history.epochs {
        let val = match (e.val_loss, e.val_accuracy) {
            (Some(l), Some(a)) => format!("  val_loss {l:.4}  val_accuracy {a:.4}"),
            _ => String::new(),
        };
        println!(
            "epoch {}  lr {:.5}  loss {:.4}  accuracy {:.4}{val}  ({:.2} s)",
            e.epoch,
            e.lr,
            e.train_loss,
            e.train_accuracy.unwrap_or(f64::NAN),
            e.seconds
        );
    }
    if let Some(best) = run.best_epoch {
        println!("early stopping kept the weights of epoch {best}");
    }
    if config.validation == 0 {
        println!(
            "test accuracy {:.4}  (test loss {:.4})",
            run.test_accuracy, run.test_loss
        );
    } else {
        // A run that holds out a validation set is for choosing settings: the
        // test set waits until they are chosen (Chapter 5).
        println!("validation run: the test set is not reported");
    }

    if let Some(path) = &args.save {
        save_weights(&run.model, path)?;
        println!("weights saved to {}", path.display());
    }
    if let Some(path) = &args.record {
        let mut r = record(dataset.name(), &config, &run);
        r["library_version"] = env!("CARGO_PKG_VERSION").into();
        r["date"] = humantime::format_rfc3339_seconds(std::time::SystemTime::now())
            .to_string()
            .into();
        r["command"] = std::env::args()
            .skip(1)
            .collect::<Vec<_>>()
            .join(" ")
            .into();
        if args.figure_data {
            add_figure_data(&mut r, &train, &test);
        }
        let text = serde_json::to_string_pretty(&r)? + "\n";
        write_atomically(path, |f| f.write_all(text.as_bytes()))?; // never a half-written record
        println!("record written to {}", path.display());
    }
    Ok(())
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
