//! Chapter 7: data-parallel training of Chapter 5's MLP, on one worker and on N.
//!
//! The network is Chapter 5's 784-128-10 (ReLU, He initialisation, Adam at
//! 0.003 with a cosine schedule, batches of 32), trained in `f32` twice with
//! the same seed: once as it is, once wrapped in `parallel::DataParallel`,
//! which splits every mini-batch across `--workers` threads, each with its own
//! replica, and adds their gradients before the one optimizer step. The
//! example checks that the two compute the same thing: the gradients of the
//! first mini-batch agree to `f32` rounding, so does the first epoch's loss, and
//! the two runs end equally good. It prints both runs and the speed-up measured,
//! with the two numbers that explain it: the arithmetic of one step on one
//! worker, and the cost of starting and joining one thread.
//!
//! By default the network has no dropout layer, so that the two runs must agree
//! up to rounding; `--dropout 0.2` restores Chapter 5's. Each worker then draws
//! its own masks (seeded per worker: PyTorch's DistributedDataParallel leaves
//! that to the user, who seeds each rank differently), and the runs differ
//! by dropout's randomness: the check is then only that they end equally good.
//!
//! Run: `cargo run --release --example ch07_data_parallel -- --data-dir ../shared/data/mnist`
//! (without `--data-dir` MNIST is looked for in `$SCRATCHNET_DATA` and the user's
//! cache directory, and downloaded there if absent). Expect a few seconds per
//! run, epoch losses that agree to many digits at first and to fewer as the
//! rounding differences grow, equal test accuracies, and a
//! speed-up well below the number of workers on a laptop: for this small
//! network a step is a fraction of a millisecond of arithmetic, and the
//! threads' start and join are paid twice per step (Chapter 7 explains).

use clap::Parser;
use scratchnet::data::{self, Dataset};
use scratchnet::experiments::mnist::{MlpConfig, schedule_record};
use scratchnet::loss::{Loss, SoftmaxCrossEntropy, one_hot};
use scratchnet::metrics::accuracy;
use scratchnet::parallel::DataParallel;
use scratchnet::prelude::*;
use scratchnet::train::{FitError, History, predict};
use scratchnet::weights::write_atomically;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Train Chapter 5's MLP on one worker and data-parallel on several (Chapter 7).
#[derive(Parser, Debug)]
#[command(name = "ch07_data_parallel", version)]
struct Args {
    /// Directory holding the four MNIST files (else $SCRATCHNET_DATA, then the cache).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Threads (replicas) of the data-parallel run.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(2..=64))]
    workers: u32,
    /// Passes over the training set, in each run.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    epochs: u32,
    /// Examples per step (the workers share each batch).
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=60000))]
    batch_size: u32,
    /// Dropout after the hidden layer (Chapter 5: 0.2); 0 leaves the layer out.
    #[arg(long, default_value_t = 0.0, value_parser = dropout_rate)]
    dropout: f64,
    /// Seed of the weights, the dropout masks and the shuffling.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Train on the first N training images only (quick runs).
    #[arg(long)]
    limit: Option<usize>,
    /// Write a JSON record of both runs and the measurements.
    #[arg(long)]
    record: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("error: the data-parallel run does not compute what one worker computes");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: replica
/// Replica `worker` of Chapter 5's MLP: the same layers for every worker, and
/// its own dropout seed (its initial weights are replaced by replica 0's).
fn replica(dropout: f64, seed: u64, worker: usize) -> Sequential<f32> {
    let mut rng = seeded_rng(seed);
    let mut net = Sequential::new().with(Dense::new(784, 128, Init::HeUniform, &mut rng));
    net.push(ReLU::new());
    if dropout > 0.0 {
        net.push(Dropout::new(dropout, seed + 1000 * worker as u64)); // its own masks
    }
    net.push(Dense::new(128, 10, Init::XavierUniform, &mut rng)); // [batch, 10] logits
    net
}
// ANCHOR_END: replica

/// What one run produced.
struct Run {
    workers: usize,
    history: History,
    seconds: f64,
    test_accuracy: f64,
}

// ANCHOR: train
/// Trains a fresh network on `workers` threads with `fit`, and tests it.
fn train(args: &Args, workers: usize, data: &Data) -> Result<Run, FitError> {
    let book = MlpConfig::book_default(args.seed); // Chapter 5's training settings
    let (dropout, seed) = (args.dropout, args.seed);
    let mut model = DataParallel::new(workers, |k| replica(dropout, seed, k));
    let config = Fit::new(args.epochs as usize, args.batch_size as usize)
        .seed(seed)
        .schedule(book.schedule)
        .accuracy()
        .progress();
    let mut loss = SoftmaxCrossEntropy::new();
    let start = Instant::now();
    let history = fit(
        &mut model,
        &mut loss,
        &mut Adam::new(book.lr),
        &data.x,
        &data.y,
        config,
    )?;
    let seconds = start.elapsed().as_secs_f64();
    let logits = predict(&mut model, &data.x_test, 1000);
    Ok(Run {
        workers,
        history,
        seconds,
        test_accuracy: accuracy(&logits, &data.y_test),
    })
}
// ANCHOR_END: train

struct Data {
    x: Tensor<f32>,
    y: Tensor<f32>,
    x_test: Tensor<f32>,
    y_test: Tensor<f32>,
}

fn run(args: &Args) -> Result<bool, Box<dyn std::error::Error>> {
    let (train_split, test_split) = data::load(Dataset::Mnist, args.data_dir.as_deref())?;
    let n = args.limit.unwrap_or(usize::MAX).min(train_split.len());
    let x: Tensor<f32> = train_split.images_f();
    let data = Data {
        x: x.slice_axis(ndarray::Axis(0), ndarray::Slice::from(..n))
            .to_owned(),
        y: one_hot(&train_split.labels_usize()[..n], 10),
        x_test: test_split.images_f(),
        y_test: one_hot(&test_split.labels_usize(), 10),
    };
    let workers = args.workers as usize;
    println!(
        "MNIST, {n} training images, batch {}, {} epochs, dropout {}; 1 worker, then {workers} (this machine: {} cores)",
        args.batch_size,
        args.epochs,
        args.dropout,
        cores()
    );

    let gradient_gap = first_batch_gap(args, workers, &data);
    println!(
        "first mini-batch: the {workers} workers' gradient differs from one worker's by {gradient_gap:.1e} of its largest entry"
    );
    let load_before = load_average();
    let one = train(args, 1, &data)?;
    let many = train(args, workers, &data)?;
    let load_after = load_average();
    for (a, b) in one.history.epochs.iter().zip(&many.history.epochs) {
        println!(
            "epoch {}  loss {:.6} (1 worker)  {:.6} ({workers} workers)  relative difference {:.1e}",
            a.epoch,
            a.train_loss,
            b.train_loss,
            relative(a.train_loss, b.train_loss)
        );
    }
    let steps = one.history.epochs.last().map_or(0, |e| e.steps);
    let step_ms = 1000.0 * one.seconds / steps as f64;
    let spawn_us = spawn_join_microseconds();
    let [fb_one, fb_share, fb_many] = forward_backward_milliseconds(args, workers, &data);
    let speedup = one.seconds / many.seconds;
    println!(
        "test accuracy {:.4} (1 worker)  {:.4} ({workers} workers)",
        one.test_accuracy, many.test_accuracy
    );
    println!(
        "time {:.2} s (1 worker)  {:.2} s ({workers} workers): speed-up {speedup:.2}",
        one.seconds, many.seconds
    );
    println!(
        "one step on one worker: {step_ms:.3} ms, of which forward and backward {fb_one:.3} ms \
         ({fb_share:.3} ms for 1/{workers} of the batch, {fb_many:.3} ms on {workers} workers); \
         starting and joining a thread: {spawn_us:.0} µs (twice per step)"
    );
    let agree = check(args, gradient_gap, &one, &many);
    println!(
        "{}",
        if agree {
            "the two runs agree"
        } else {
            "the two runs DISAGREE"
        }
    );

    if let Some(path) = &args.record {
        let book = MlpConfig::book_default(args.seed);
        let runs: Vec<serde_json::Value> = [&one, &many]
            .iter()
            .map(|r| {
                serde_json::json!({
                    "workers": r.workers, "seconds": r.seconds, "test_accuracy": r.test_accuracy,
                    "epochs": r.history.epochs.iter().map(|e| serde_json::json!({
                        "epoch": e.epoch, "steps": e.steps, "lr": e.lr, "train_loss": e.train_loss,
                        "train_accuracy": e.train_accuracy, "seconds": e.seconds,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let last = |r: &Run| r.history.epochs.last().map_or(f64::NAN, |e| e.train_loss);
        let record = serde_json::json!({
            "dataset": "MNIST", "train_images": n, "model": model_name(args.dropout),
            "config": {
                "workers": workers, "epochs": args.epochs, "batch_size": args.batch_size,
                "dropout": args.dropout, "seed": args.seed, "optimizer": "adam", "lr": book.lr,
                "schedule": schedule_record(book.schedule), "init": "HeUniform", "limit": args.limit,
            },
            "runs": runs,
            "first_batch_gradient_gap": gradient_gap,
            // The same gap in units of f32's unit roundoff u = 2⁻²⁴ ≈ 6e-8.
            "first_batch_gradient_gap_in_u": gradient_gap / f64::from(f32::EPSILON / 2.0),
            "final_loss_relative_difference": relative(last(&one), last(&many)),
            "loss_relative_differences": one.history.epochs.iter().zip(&many.history.epochs)
                .map(|(a, b)| relative(a.train_loss, b.train_loss)).collect::<Vec<_>>(),
            "test_accuracy_difference": many.test_accuracy - one.test_accuracy,
            "speedup": speedup,
            "step_milliseconds": step_ms,
            "parallel_step_milliseconds": 1000.0 * many.seconds / steps as f64,
            "forward_backward_milliseconds": [fb_one, fb_many],
            "share_forward_backward_milliseconds": fb_share,
            "spawn_join_microseconds": spawn_us,
            "cores": cores(),
            "load_average": [load_before, load_after],
            "nice": niceness(),
            "agree": agree,
            "library_version": env!("CARGO_PKG_VERSION"),
            "date": humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
            "command": std::env::args().skip(1).collect::<Vec<_>>().join(" "),
        });
        let text = serde_json::to_string_pretty(&record)? + "\n";
        write_atomically(path, |f| f.write_all(text.as_bytes()))?;
        println!("record written to {}", path.display());
    }
    Ok(agree)
}

/// The largest difference between the gradients of the first mini-batch on
/// one worker and on `workers`, relative to the largest gradient entry.
fn first_batch_gap(args: &Args, workers: usize, data: &Data) -> f64 {
    let (x, y) = first_batch(args, data);
    let gradients = |model: &mut dyn Layer<f32>| -> Vec<Tensor<f32>> {
        forward_backward(model, &x, &y);
        model.params().iter().map(|p| p.grad.clone()).collect()
    };
    // Without dropout, whose masks differ by worker: this compares arithmetic only.
    let one = gradients(&mut replica(0.0, args.seed, 0));
    let many = gradients(&mut DataParallel::new(workers, |k| {
        replica(0.0, args.seed, k)
    }));
    let largest = one
        .iter()
        .flat_map(|g| g.iter())
        .fold(0.0f32, |m, v| m.max(v.abs()));
    let gap = one
        .iter()
        .zip(&many)
        .flat_map(|(a, b)| a.iter().zip(b.iter()))
        .fold(0.0f32, |m, (a, b)| m.max((a - b).abs()));
    f64::from(gap / largest)
}

/// The first mini-batch of the training set (in file order), inputs and targets.
fn first_batch(args: &Args, data: &Data) -> (Tensor<f32>, Tensor<f32>) {
    let rows = (args.batch_size as usize).min(data.x.len_of(ndarray::Axis(0)));
    let slice = |t: &Tensor<f32>| {
        t.slice_axis(ndarray::Axis(0), ndarray::Slice::from(..rows))
            .to_owned()
    };
    (slice(&data.x), slice(&data.y))
}

/// A forward pass, the loss and the backward pass: the part of a step that
/// data parallelism splits (the optimizer's update is not).
fn forward_backward(model: &mut dyn Layer<f32>, x: &Tensor<f32>, y: &Tensor<f32>) {
    let mut loss = SoftmaxCrossEntropy::new();
    let prediction = model.forward(x, Mode::Train);
    loss.forward(&prediction, y);
    model.backward(&loss.backward());
}

/// Milliseconds of one forward and backward pass on the first mini-batch: on
/// one worker, on one worker for a `workers`-th of the batch (what each worker
/// computes, the best the split can do), and on `workers` (the network without dropout).
fn forward_backward_milliseconds(args: &Args, workers: usize, data: &Data) -> [f64; 3] {
    let (x, y) = first_batch(args, data);
    let share = x.len_of(ndarray::Axis(0)).div_ceil(workers);
    let part = |t: &Tensor<f32>| {
        t.slice_axis(ndarray::Axis(0), ndarray::Slice::from(..share))
            .to_owned()
    };
    let (x_part, y_part) = (part(&x), part(&y));
    let mut one = replica(0.0, args.seed, 0);
    let mut many = DataParallel::new(workers, |k| replica(0.0, args.seed, k));
    [
        1e3 * fastest_mean(|| forward_backward(&mut one, &x, &y)),
        1e3 * fastest_mean(|| forward_backward(&mut one, &x_part, &y_part)),
        1e3 * fastest_mean(|| forward_backward(&mut many, &x, &y)),
    ]
}

/// Seconds per call of `f`: the fastest of 5 blocks of 200 calls. On a machine
/// that other work shares, the fastest block is the one least disturbed.
fn fastest_mean(mut f: impl FnMut()) -> f64 {
    let (blocks, calls) = (5, 200);
    (0..blocks)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..calls {
                f();
            }
            start.elapsed().as_secs_f64() / calls as f64
        })
        .fold(f64::INFINITY, f64::min)
}

/// Do the runs agree? The first mini-batch's gradients to `f32` rounding (the
/// batch's rows added in another order: at most about B·u = 32 · 6e-8 ≈ 2e-6
/// of the terms' size; we allow 1e-4). Then, without dropout, the first
/// epoch's mean loss to 1e-4 (a mistake, such as a lost slice, changes it by
/// percents). Later epochs are not compared: every step feeds its rounding
/// differences into the next, and over thousands of steps they grow (as between
/// two kinds of processor) towards the size of a change of seed. At the end the
/// two runs must be equally good: test accuracies within 0.3 points, or 0.5 with
/// dropout, whose masks differ from the start (Chapter 5: a standard deviation of
/// about 0.15 points between seeds, so about 0.2 between two runs).
fn check(args: &Args, gradient_gap: f64, one: &Run, many: &Run) -> bool {
    let accuracy_gap = (one.test_accuracy - many.test_accuracy).abs();
    let first_epoch = |r: &Run| r.history.epochs.first().map_or(f64::NAN, |e| e.train_loss);
    gradient_gap < 1e-4
        && if args.dropout == 0.0 {
            relative(first_epoch(one), first_epoch(many)) < 1e-4 && accuracy_gap <= 0.003
        } else {
            accuracy_gap <= 0.005
        }
}

fn relative(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(f64::MIN_POSITIVE)
}

fn model_name(dropout: f64) -> String {
    if dropout > 0.0 {
        format!("784-128-relu-dropout{dropout}-10")
    } else {
        "784-128-relu-10".into()
    }
}

/// Time to start a scoped thread that does nothing and join it, in µs (the
/// fastest of 5 blocks of 200): what `DataParallel` pays per extra worker in
/// every forward and every backward pass.
fn spawn_join_microseconds() -> f64 {
    1e6 * fastest_mean(|| {
        std::thread::scope(|s| {
            s.spawn(|| ());
        })
    })
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The system's load average over the last minute (Linux), if known: how many
/// processes wanted a core. On a machine busy with other work, two threads do
/// not get two cores.
fn load_average() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// This process's scheduling priority (Linux's nice value, −20 to 19; 0 is the
/// default), if known: the record says how the run competed for the cores.
fn niceness() -> Option<i64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses: state is the
    // 3rd field of the file, nice the 19th.
    let after = stat.rsplit_once(')')?.1;
    after.split_whitespace().nth(16)?.parse().ok()
}

fn dropout_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if (0.0..1.0).contains(&p) => Ok(p),
        _ => Err(format!("{s} is not a dropout rate in [0, 1)")),
    }
}
