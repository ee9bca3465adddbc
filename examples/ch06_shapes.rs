//! Chapter 6: an image task beyond digits. Generated 28×28 pictures of ten
//! shapes (disc, ring, square, frame, triangle, plus, cross, horizontal and
//! vertical bar, diamond) at random positions, sizes and small rotations,
//! with noise and stray strokes (`scratchnet::experiments::shapes`), learned
//! by Chapter 5's networks, unchanged: `--model mlp` (784-128-10 with
//! dropout) or `--model cnn` (two convolutions, pooling, batch
//! normalization), both trained as Chapter 5's `book` configuration trains
//! them.
//!
//! `--train-placement centre` draws the training shapes near the centre only
//! while the test shapes stay anywhere: what a network learned at one place,
//! does it recognise at another?
//!
//! Run: `cargo run --release --example ch06_shapes -- --model cnn`. With the
//! defaults (6000 training and 2000 test images, 4 epochs) the MLP takes a
//! few seconds and the CNN a few minutes on a laptop; expect the CNN to make
//! several times fewer mistakes. `--help` lists every option.

use clap::{Parser, ValueEnum};
use scratchnet::experiments::cnn::{self, CnnConfig, run_cnn};
use scratchnet::experiments::mnist::{self, MlpConfig, run_mlp};
use scratchnet::experiments::shapes::{CLASSES, Noise, Placement, generate};
use scratchnet::weights::write_atomically;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Model {
    /// Chapter 5's multilayer perceptron.
    Mlp,
    /// Chapter 5's convolutional network (the book's configuration).
    Cnn,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Where {
    /// Anywhere the shape fits.
    Anywhere,
    /// Within a pixel of the centre.
    Centre,
}

impl From<Where> for Placement {
    fn from(w: Where) -> Self {
        match w {
            Where::Anywhere => Placement::Anywhere,
            Where::Centre => Placement::Centre,
        }
    }
}

/// Train Chapter 5's networks on generated shapes (Chapter 6).
#[derive(Parser, Debug)]
#[command(name = "ch06_shapes", version)]
struct Args {
    /// Which network.
    #[arg(long, value_enum, default_value = "mlp")]
    model: Model,
    /// Training images.
    #[arg(long, default_value_t = 6000, value_parser = clap::value_parser!(u32).range(10..=100_000))]
    train: u32,
    /// Test images.
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u32).range(10..=100_000))]
    test: u32,
    /// Passes over the training images.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=1000))]
    epochs: u32,
    /// Where the training shapes are drawn (the test shapes are drawn anywhere).
    #[arg(long, value_enum, default_value = "anywhere")]
    train_placement: Where,
    /// Seed of the data (the test set uses seed + 1000) and of the training.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write a JSON record of the run.
    #[arg(long)]
    record: Option<PathBuf>,
}

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let noise = Noise::default();
    let train_place: Placement = args.train_placement.into();
    let (x, y) = generate(args.train as usize, train_place, noise, args.seed);
    let (x_test, y_test) = generate(
        args.test as usize,
        Placement::Anywhere,
        noise,
        args.seed + 1000,
    );
    let epochs = args.epochs as usize;
    let (run, mut rec) = match args.model {
        Model::Mlp => {
            let config = MlpConfig {
                epochs,
                name: "book".into(),
                ..MlpConfig::book_default(args.seed)
            };
            println!("MLP on shapes: {config:?}");
            let run = run_mlp(&x, &y, &x_test, &y_test, &config)?;
            let rec = mnist::record("shapes", &config, &run);
            (run, rec)
        }
        Model::Cnn => {
            let config = CnnConfig {
                epochs,
                ..CnnConfig::book_default(args.seed)
            };
            println!("CNN on shapes: {config:?}");
            let run = run_cnn(&x, &y, &x_test, &y_test, &config)?;
            let rec = cnn::record("shapes", &config, &run);
            (run, rec)
        }
    };
    for e in &run.history.epochs {
        println!(
            "epoch {}  lr {:.5}  loss {:.4}  accuracy {:.4}  ({:.2} s)",
            e.epoch,
            e.lr,
            e.train_loss,
            e.train_accuracy.unwrap_or(f64::NAN),
            e.seconds
        );
    }
    println!(
        "test accuracy {:.4}  (test loss {:.4})",
        run.test_accuracy, run.test_loss
    );
    println!("confusion matrix (rows: true class, columns: predicted)");
    println!(
        "{:>9} {}",
        "",
        CLASSES
            .iter()
            .map(|c| format!("{c:>6.6}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    for (name, row) in CLASSES.iter().zip(run.confusion.outer_iter()) {
        println!(
            "{name:>9} {}",
            row.iter()
                .map(|c| format!("{c:>6}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    if let Some(path) = &args.record {
        rec["classes"] = CLASSES.to_vec().into();
        rec["train_images"] = args.train.into();
        rec["test_images"] = args.test.into();
        rec["train_placement"] = format!("{train_place:?}").into();
        rec["test_placement"] = "Anywhere".into();
        rec["noise"] = serde_json::json!({"sigma": noise.sigma, "strokes": noise.strokes});
        rec["library_version"] = env!("CARGO_PKG_VERSION").into();
        rec["command"] = std::env::args()
            .skip(1)
            .collect::<Vec<_>>()
            .join(" ")
            .into();
        let text = serde_json::to_string_pretty(&rec)? + "\n";
        write_atomically(path, |f| f.write_all(text.as_bytes()))?;
        println!("record written to {}", path.display());
    }
    Ok(())
}
