//! Issue 12's benchmark: times real training epochs of Chapter 5's two
//! networks on MNIST and compares them with the arithmetic floor.
//!
//! It trains the seed MLP (784-128-10, dropout 0.2, Adam, batch 32) and seed
//! 001's CNN (Adadelta, batch 128), each `--runs` times from the same seed,
//! and prints every run's seconds per epoch (scaled to 60 000 images when
//! `--limit` trains on fewer), their median and spread, and the GFLOP/s
//! achieved: the floating-point operations of an epoch's matrix products
//! (forward, and backward about twice as many) divided by its seconds.
//! `benches/records/epochs.md` keeps the measurements of this project's machine.
//!
//! Run: `cargo run --release --example bench_epochs -- --data-dir ../shared/data/mnist`
//! (`--model mlp` or `--model cnn` for one network, `--limit 12800` for a
//! shorter CNN epoch). Expect, on a 2-core AMD EPYC Zen 5, about 0.3 s per MLP
//! epoch and 26–30 s per CNN epoch (records/bench/, Chapter 5 part 3); on a
//! busy machine, more. Each run counts the median of its epochs (with two,
//! the slower one), and the runs' median is reported.

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
    /// The MLP's batch size (the seed's is 32; issue 12 also times 128).
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u64).range(1..))]
    mlp_batch_size: u64,
    /// Also write the measurements to this JSON file (`records/bench/`).
    #[arg(long)]
    record: Option<PathBuf>,
    /// A name for what was measured, kept in the record (e.g. `native`).
    #[arg(long, default_value = "")]
    label: String,
}

/// Floating-point operations of one image's training step in the matrix
/// products, 2 per multiply-add that `Sequential::summary_table` counts: the
/// forward product, then ∂L/∂W and ∂L/∂x of every layer, each as costly as
/// the forward one, except the first layer's ∂L/∂x when it is a `Dense`
/// layer, which training skips (`Layer::backward_params`; the CNN's first
/// convolution computes its small ∂L/∂x anyway).
fn train_flop(net: &Sequential<f32>, input: &[usize]) -> f64 {
    let summary = net.summary_table(input);
    let first = &summary.rows[0];
    let skipped = if first.layer.starts_with("Dense") {
        first.multiply_adds
    } else {
        0
    };
    2.0 * (3 * summary.multiply_adds() - skipped) as f64
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let (train, test) = data::load(Dataset::Mnist, args.data_dir.as_deref())?;
    let (x, labels) = (train.images_f::<f32>(), train.labels_usize());
    let (test_x, test_labels) = (test.images_f::<f32>(), test.labels_usize());
    let n = x.len_of(Axis(0));
    let images = args.limit.unwrap_or(n).min(n);
    let mut results = serde_json::Map::new();
    let load_before = load_average();
    let mut bench = |name: &str, image_flop: f64, train: &dyn Fn() -> Result<Run, FitError>| {
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
        let gflop = image_flop * 60_000.0 / 1e9;
        println!(
            "{name}: median {m:.3} s/epoch (spread {lo:.3}–{hi:.3}, {} runs), \
             {gflop:.0} GFLOP per epoch: {:.1} GFLOP/s",
            seconds.len(),
            gflop / m
        );
        let r = serde_json::json!({
            "seconds_per_epoch": seconds, "median": m, "min": lo, "max": hi,
            "gflop_per_epoch": gflop, "gflop_per_second": gflop / m,
        });
        results.insert(name.to_lowercase(), r);
    };
    let test = |t: &Tensor<f32>| t.slice_axis(Axis(0), Slice::from(..1000)).to_owned(); // a short test
    if args.model != Model::Cnn {
        let config = MlpConfig {
            epochs: args.epochs,
            limit: args.limit,
            batch_size: args.mlp_batch_size as usize,
            ..MlpConfig::seed_article(1)
        };
        let train = || run_mlp(&x, &labels, &test(&test_x), &test_labels[..1000], &config);
        bench("MLP", train_flop(&mlp(Init::Zeros, 0), &[784]), &train);
    }
    if args.model != Model::Mlp {
        let config = CnnConfig {
            epochs: args.epochs,
            limit: args.limit,
            ..CnnConfig::seed_article(1)
        };
        let train = || run_cnn(&x, &labels, &test(&test_x), &test_labels[..1000], &config);
        let net = cnn(false, Init::Zeros, 0); // the seed's CNN, without batch norm
        bench("CNN", train_flop(&net, &[1, 28, 28]), &train);
    }
    if let Some(path) = &args.record {
        let record = serde_json::json!({
            "label": args.label,
            "date": humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
            "command": std::env::args().skip(1).collect::<Vec<_>>().join(" "),
            "images": images, "epochs": args.epochs, "mlp_batch_size": args.mlp_batch_size,
            "machine": {
                "cpu": cpu_model(),
                "cores": std::thread::available_parallelism().map_or(1, |n| n.get()),
                // What the compiler was allowed to use (.cargo/config.toml's target-cpu).
                "compiled_for": compiled_for(),
                "load_average_before": load_before, "load_average_after": load_average(),
            },
            "models": results,
        });
        std::fs::write(path, serde_json::to_string_pretty(&record)? + "\n")?;
        println!("record written to {}", path.display());
    }
    Ok(())
}

/// The 1-minute load average (Linux), or NaN: how busy the machine was.
fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}

/// The processor's model name (Linux), or "unknown".
fn cpu_model() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let line = info.lines().find(|l| l.starts_with("model name"));
    let name = line.and_then(|l| l.split(':').nth(1)).unwrap_or("unknown");
    name.trim().to_string()
}

/// The vector instruction sets this binary was compiled to use.
fn compiled_for() -> Vec<&'static str> {
    let mut sets = vec![];
    if cfg!(target_feature = "sse2") {
        sets.push("sse2");
    }
    if cfg!(target_feature = "avx2") {
        sets.push("avx2");
    }
    if cfg!(target_feature = "fma") {
        sets.push("fma");
    }
    if cfg!(target_feature = "avx512f") {
        sets.push("avx512f");
    }
    sets
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
