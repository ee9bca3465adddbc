//! Issue 12's benchmark: times real training epochs of Chapter 5's two
//! networks on MNIST and compares them with the arithmetic floor.
//!
//! It trains the seed MLP (784-128-10, dropout 0.2, Adam, batch 32) and seed
//! 001's CNN (Adadelta, batch 128), each `--runs` times from the same seed,
//! and prints every run's seconds per epoch (scaled to 60 000 images when
//! `--limit` trains on fewer), their median and spread, and the GFLOP/s
//! achieved: the floating-point operations of an epoch's matrix products
//! (forward, and backward twice as many) divided by its seconds.
//! `benches/records/epochs.md` keeps the measurements of this project's machine.
//!
//! Run: `cargo run --release --example bench_epochs -- --data-dir ../shared/data/mnist`
//! (`--model mlp` or `--model cnn` for one network, `--limit 12800` for a
//! shorter CNN epoch). Expect, on a 2-core AMD EPYC Zen 5, about 0.5 s per MLP
//! epoch and 35–40 s per CNN epoch; on a busy machine, more.

use clap::{Parser, ValueEnum};
use ndarray::{Axis, Slice};
use scratchnet::Sequential;
use scratchnet::data::{self, Dataset};
use scratchnet::experiments::cnn::{CnnConfig, cnn, run_cnn};
use scratchnet::experiments::mnist::{MlpConfig, Run, mlp, run_mlp};
use scratchnet::init::Init;
use scratchnet::tensor::Tensor;
use scratchnet::train::FitError;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, ValueEnum)]
enum Model {
    Mlp,
    Cnn,
    Both,
}

/// Time real epochs of Chapter 5's MLP and CNN on MNIST (issue 12).
#[derive(Parser, Debug)]
#[command(name = "bench_epochs")]
struct Args {
    /// Where MNIST is (else $SCRATCHNET_DATA or the cache, downloading if needed).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Which network(s) to time.
    #[arg(long, value_enum, default_value = "both")]
    model: Model,
    /// Train on the first LIMIT images only (the seconds are scaled to 60 000).
    #[arg(long)]
    limit: Option<usize>,
    /// Epochs per run.
    #[arg(long, default_value_t = 1)]
    epochs: usize,
    /// Runs per network (the median is reported).
    #[arg(long, default_value_t = 3)]
    runs: usize,
}

/// Floating-point operations of one image's forward pass through the
/// matrix products: 2 per multiply-add that `Sequential::summary_table`
/// counts. Training costs three times that (forward, ∂L/∂W and ∂L/∂x).
fn forward_flop(net: &Sequential<f32>, input: &[usize]) -> f64 {
    2.0 * net.summary_table(input).multiply_adds() as f64
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let (train, test) = data::load(Dataset::Mnist, args.data_dir.as_deref())?;
    let (x, labels) = (train.images_f::<f32>(), train.labels_usize());
    let (test_x, test_labels) = (test.images_f::<f32>(), test.labels_usize());
    let n = x.len_of(Axis(0));
    let images = args.limit.unwrap_or(n).min(n);
    let bench = |name: &str, forward_flop: f64, train: &dyn Fn() -> Result<Run, FitError>| {
        let mut seconds: Vec<f64> = Vec::new();
        for run in 1..=args.runs {
            let history = train()
                .expect("the seeds' configurations train stably")
                .history;
            let per_epoch: Vec<f64> = history.epochs.iter().map(|e| e.seconds).collect();
            let s = median(&per_epoch) * 60_000.0 / images as f64; // one full epoch
            println!("{name} run {run}: {s:.3} s/epoch");
            seconds.push(s);
        }
        let (m, lo, hi) = (median(&seconds), min(&seconds), max(&seconds));
        let gflop = 3.0 * forward_flop * 60_000.0 / 1e9;
        println!(
            "{name}: median {m:.3} s/epoch (spread {lo:.3}–{hi:.3}, {} runs), \
             {gflop:.0} GFLOP per epoch: {:.1} GFLOP/s",
            seconds.len(),
            gflop / m
        );
    };
    let test = |t: &Tensor<f32>| t.slice_axis(Axis(0), Slice::from(..1000)).to_owned(); // a short test
    if args.model != Model::Cnn {
        let config = MlpConfig {
            epochs: args.epochs,
            limit: args.limit,
            ..MlpConfig::seed_article(1)
        };
        let train = || run_mlp(&x, &labels, &test(&test_x), &test_labels[..1000], &config);
        bench("MLP", forward_flop(&mlp(Init::Zeros, 0), &[784]), &train);
    }
    if args.model != Model::Mlp {
        let config = CnnConfig {
            epochs: args.epochs,
            limit: args.limit,
            ..CnnConfig::seed_article(1)
        };
        let train = || run_cnn(&x, &labels, &test(&test_x), &test_labels[..1000], &config);
        let net = cnn(false, Init::Zeros, 0); // the seed's CNN, without batch norm
        bench("CNN", forward_flop(&net, &[1, 28, 28]), &train);
    }
    Ok(())
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}
