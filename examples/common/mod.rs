//! What Chapter 5's two MNIST examples share (`ch05_mnist_mlp` and
//! `ch05_mnist_cnn`): the training options, printing a run, and saving its
//! weights and record. Not an example itself (cargo builds only
//! `examples/*.rs` as examples).

use clap::{Args, CommandFactory, ValueEnum};
use scratchnet::Sequential;
use scratchnet::data::{self, Dataset, Split};
use scratchnet::experiments::mnist::{Checkpoints, Run};
use scratchnet::init::Init;
use scratchnet::schedule::Schedule;
use scratchnet::weights::{save_weights, write_atomically};
use std::io::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Data {
    Mnist,
    FashionMnist,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum InitArg {
    /// Glorot (Xavier) uniform, Keras' default.
    Glorot,
    /// He (Kaiming) uniform, for ReLU layers.
    He,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ScheduleArg {
    /// The base learning rate throughout.
    Constant,
    /// Cosine decay from the base rate to 0 over the run.
    Cosine,
    /// The rate divided by 10 after epochs 3 and 6.
    Step,
}

/// The options both MNIST examples take.
#[derive(Args, Debug)]
pub struct Training {
    /// Directory holding the four MNIST files (else $SCRATCHNET_DATA, then the cache).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Which data set.
    #[arg(long, value_enum, default_value = "mnist")]
    pub dataset: Data,
    /// Passes over the training set (default: the configuration's).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub epochs: Option<u32>,
    /// Examples per step (default: the configuration's).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=60000))]
    pub batch_size: Option<u32>,
    /// The optimizer's base learning rate (default: the configuration's).
    #[arg(long, value_parser = positive_rate)]
    pub lr: Option<f64>,
    /// The initialisation of the layers followed by ReLU (default: the configuration's).
    #[arg(long, value_enum)]
    pub init: Option<InitArg>,
    /// The learning-rate schedule (default: the configuration's).
    #[arg(long, value_enum)]
    pub schedule: Option<ScheduleArg>,
    /// Steps of linear learning-rate warm-up before the cosine decay (needs the cosine schedule).
    #[arg(long)]
    pub warmup: Option<usize>,
    /// Seed of the weights, the dropout masks and the shuffling.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Hold out this many training images to validate on after every epoch.
    #[arg(long, default_value_t = 0)]
    pub validation: usize,
    /// Stop after this many epochs without a lower validation loss, keeping the best weights
    /// (needs --validation).
    #[arg(long, value_name = "PATIENCE", value_parser = clap::value_parser!(u32).range(1..))]
    pub early_stopping: Option<u32>,
    /// Train on the first N training images only (quick runs).
    #[arg(long)]
    pub limit: Option<usize>,
    /// Save the trained weights to this safetensors file.
    #[arg(long)]
    pub save: Option<PathBuf>,
    /// Write a JSON record of the run (configuration, every epoch, test result).
    #[arg(long)]
    pub record: Option<PathBuf>,
    /// Save the run to this checkpoint after every epoch (weights, optimizer state, random
    /// generators, history), so that --resume can continue it if it is interrupted.
    #[arg(long, value_name = "PATH")]
    pub checkpoint: Option<PathBuf>,
    /// Continue the run saved in this checkpoint: give the options of the saved run (and
    /// --checkpoint to keep saving).
    #[arg(long, value_name = "PATH")]
    pub resume: Option<PathBuf>,
}

impl Training {
    /// Did any option change the configuration's training settings?
    pub fn modifies(&self) -> bool {
        self.lr.is_some() || self.init.is_some() || self.schedule.is_some() || self.warmup.is_some()
    }

    /// The initialisation, given the configuration's.
    pub fn init(&self, default: Init) -> Init {
        match self.init {
            Some(InitArg::Glorot) => Init::XavierUniform,
            Some(InitArg::He) => Init::HeUniform,
            None => default,
        }
    }

    /// The schedule with its warm-up, given the configuration's; a usage
    /// error (exit code 2) for a warm-up without the cosine.
    pub fn schedule<C: CommandFactory>(&self, default: Schedule) -> Schedule {
        let mut schedule = match self.schedule {
            Some(ScheduleArg::Constant) => Schedule::Constant,
            Some(ScheduleArg::Cosine) => Schedule::Cosine {
                warmup: 0,
                floor: 0.0,
            },
            Some(ScheduleArg::Step) => Schedule::StepDecay {
                every: 3,
                factor: 0.1,
            },
            None => default,
        };
        if let Some(steps) = self.warmup {
            match &mut schedule {
                Schedule::Cosine { warmup, .. } => *warmup = steps,
                _ => usage_error::<C>("--warmup needs the cosine schedule (--schedule cosine)"),
            }
        }
        schedule
    }

    /// The patience of early stopping; a usage error without a validation set.
    pub fn early_stopping<C: CommandFactory>(&self) -> Option<usize> {
        if self.early_stopping.is_some() && self.validation == 0 {
            usage_error::<C>("--early-stopping watches the validation loss: add --validation N");
        }
        self.early_stopping.map(|p| p as usize)
    }

    /// The checkpoint files; a usage error for --resume with early stopping
    /// (whose memory of the best epoch a checkpoint does not hold), or a
    /// checkpoint that --save or --record would overwrite.
    pub fn checkpoints<C: CommandFactory>(&self) -> Checkpoints {
        if self.resume.is_some() && self.early_stopping.is_some() {
            usage_error::<C>(
                "--resume cannot restore early stopping's best epoch: resume without --early-stopping",
            );
        }
        let path = self.checkpoint.as_ref();
        if path.is_some() && (path == self.save.as_ref() || path == self.record.as_ref()) {
            usage_error::<C>("--checkpoint must name another file than --save and --record");
        }
        Checkpoints {
            save: self.checkpoint.clone(),
            resume: self.resume.clone(),
        }
    }

    /// Reads (or downloads) the data set, once the options are known to be
    /// valid; a usage error if the validation split leaves nothing to train on.
    pub fn load<C: CommandFactory>(&self) -> Result<(Dataset, Split, Split), data::DataError> {
        let dataset = match self.dataset {
            Data::Mnist => Dataset::Mnist,
            Data::FashionMnist => Dataset::FashionMnist,
        };
        let (train, test) = data::load(dataset, self.data_dir.as_deref())?;
        if self.validation >= self.limit.unwrap_or(train.len()).min(train.len()) {
            usage_error::<C>(&format!(
                "--validation {} leaves no training images",
                self.validation
            ));
        }
        Ok((dataset, train, test))
    }

    /// Saves the weights (with `--save`) and the record (with `--record`),
    /// adding the library's version, the date and the command line to it.
    pub fn save(
        &self,
        model: &Sequential<f32>,
        mut record: serde_json::Value,
    ) -> Result<(), Box<dyn std::error::Error>> {
        if let Some(path) = &self.save {
            save_weights(model, path)?;
            println!("weights saved to {}", path.display());
        }
        if let Some(path) = &self.record {
            record["library_version"] = env!("CARGO_PKG_VERSION").into();
            record["date"] = humantime::format_rfc3339_seconds(std::time::SystemTime::now())
                .to_string()
                .into();
            record["command"] = std::env::args()
                .skip(1)
                .collect::<Vec<_>>()
                .join(" ")
                .into();
            let text = serde_json::to_string_pretty(&record)? + "\n";
            write_atomically(path, |f| f.write_all(text.as_bytes()))?; // never a half-written record
            println!("record written to {}", path.display());
        }
        Ok(())
    }
}

/// Prints one line per epoch, then the test result (or why there is none).
pub fn report(run: &Run, validation: usize) {
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
    if validation == 0 {
        println!(
            "test accuracy {:.4}  (test loss {:.4})",
            run.test_accuracy, run.test_loss
        );
    } else {
        // A run that holds out a validation set is for choosing settings: the
        // test set waits until they are chosen (Chapter 5).
        println!("validation run: the test set is not reported");
    }
}

/// Exits with clap's usage message and exit code 2, as for any invalid option.
pub fn usage_error<C: CommandFactory>(message: &str) -> ! {
    C::command()
        .error(clap::error::ErrorKind::ArgumentConflict, message)
        .exit()
}

fn positive_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(lr) if lr.is_finite() && lr > 0.0 => Ok(lr),
        _ => Err(format!("{s} is not a positive, finite learning rate")),
    }
}
