//! Chapter 9, "Frequently asked questions": the failures a learner meets,
//! reproduced, with the diagnosis the library gives and the fix.
//!
//! Run it with
//!
//! ```text
//! cargo run --release --example ch09_troubleshooting                       # generated digits
//! cargo run --release --example ch09_troubleshooting -- --data-dir ../shared/data/mnist
//! ```
//!
//! Without `--data-dir` it trains on generated "digits" (ten noisy random
//! patterns of 784 pixels in 0–255), so it runs anywhere; with it, on the
//! first `--limit` MNIST training images (default 2000) and as many test
//! images for validation. Every seed is fixed: the output is the same on
//! every run. A few seconds in release mode.
//!
//! What to expect, in four parts, each "symptom → diagnosis → fix":
//!
//! 1. **NaN.** A line fitted by SGD (η = 0.001) to flats' prices from their
//!    unscaled areas (50–239 m²): `fit` stops with `FitError::Diverged`, whose
//!    message names the step, the state of the parameters and the likely
//!    causes (unscaled inputs first). Standardised areas train, even at η = 0.1.
//! 2. **Accuracy stuck at 10 %** from unscaled pixels (0–255) and SGD at
//!    η = 0.1: nearly every hidden ReLU unit is dead (zero on every training
//!    image) and the loss is near ln 10 ≈ 2.303 (or above), a uniform guess's.
//!    The same network on pixels divided by 255 learns.
//! 3. **Accuracy 10 % on held-out data** from shuffled labels: the training
//!    loss falls (the network memorises), the validation accuracy stays at
//!    chance; the same run on the true labels generalises.
//! 4. **A failing gradient check**: a layer y = x² whose backward forgets the
//!    factor 2 fails `gradcheck::check_layer` with a relative error near 0.5;
//!    the correct layer passes at about 1e-10.
//!
//! The example asserts each outcome. `--record FILE` writes the numbers as
//! JSON (`records/ch09/troubleshooting.json`, quoted by the chapter).

use clap::Parser;
use ndarray::{Axis, Ix2};
use rand::Rng as _;
use rand::seq::SliceRandom;
use scratchnet::data::{self, Dataset};
use scratchnet::experiments::mnist::mlp;
use scratchnet::gradcheck::check_layer;
use scratchnet::layer::cached;
use scratchnet::prelude::*;
use serde_json::json;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(about = "Chapter 9: the FAQ's failures reproduced, diagnosed and fixed")]
struct Args {
    /// Directory holding the four MNIST files; without it, generated data.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Training images (and as many validation images).
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u32).range(100..=60000))]
    limit: u32,
    /// Write the measured numbers to this JSON file.
    #[arg(long)]
    record: Option<PathBuf>,
}

/// Training and validation rows, pixels in 0–255, with their labels.
struct Digits {
    x: Tensor<f32>,
    labels: Vec<usize>,
    x_val: Tensor<f32>,
    labels_val: Vec<usize>,
}

/// Ten random patterns (each pixel on with probability 0.15), and noisy
/// copies of them: every pixel flipped with probability 0.05, "on" pixels of
/// random brightness 128–255.
fn generated(n: usize) -> Digits {
    let mut rng = seeded_rng(9);
    let patterns: Vec<Vec<bool>> = (0..10)
        .map(|_| (0..784).map(|_| rng.random::<f64>() < 0.15).collect())
        .collect();
    let mut draw = |n: usize| {
        let labels: Vec<usize> = (0..n).map(|_| rng.random_range(0..10)).collect();
        let mut pixels = Vec::with_capacity(n * 784);
        for &l in &labels {
            for &on in &patterns[l] {
                let on = on ^ (rng.random::<f64>() < 0.05);
                pixels.push(if on {
                    rng.random_range(128..=255) as f32
                } else {
                    0.0
                });
            }
        }
        (
            Tensor::from_shape_vec(vec![n, 784], pixels).unwrap(),
            labels,
        )
    };
    let (x, labels) = draw(n);
    let (x_val, labels_val) = draw(n);
    Digits {
        x,
        labels,
        x_val,
        labels_val,
    }
}

/// The first `n` MNIST training images, and the first `n` test images for validation.
fn mnist(dir: &std::path::Path, n: usize) -> Digits {
    let (train, test) = data::load(Dataset::Mnist, Some(dir)).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let first = |x: Tensor<f32>, n: usize| x.slice_axis(Axis(0), (0..n).into()).to_owned();
    let unscaled = |x: Tensor<f32>| x.mapv(|p| (p * 255.0).round()); // back to 0–255
    Digits {
        x: unscaled(first(train.images_f(), n)),
        labels: train.labels_usize()[..n].to_vec(),
        x_val: unscaled(first(test.images_f(), n)),
        labels_val: test.labels_usize()[..n].to_vec(),
    }
}

// ANCHOR: nan
/// Part 1: unscaled areas make SGD overshoot until the loss overflows.
fn part1_nan() -> serde_json::Value {
    let area: Vec<f32> = (0..64).map(|i| 50.0 + (i * 3) as f32).collect(); // 50–239 m²
    let price: Vec<f32> = area.iter().map(|a| 3.0 * a).collect(); // thousands
    let column = |v: &[f32]| Tensor::from_shape_vec(vec![64, 1], v.to_vec()).unwrap();
    let (x, y) = (column(&area), column(&price));
    let line = || {
        let zeros = |shape: &[usize]| Tensor::<f32>::zeros(shape.to_vec());
        Sequential::new().with(Dense::from_weights(zeros(&[1, 1]), zeros(&[1])))
    };
    let train = |net: &mut Sequential<f32>, x: &Tensor<f32>, lr: f64| {
        let mut sgd = Sgd::new(lr);
        fit(
            net,
            &mut MeanSquaredError::new(),
            &mut sgd,
            x,
            &y,
            Fit::new(100, 64),
        )
    };
    let Err(FitError::Diverged(err)) = train(&mut line(), &x, 0.001) else {
        panic!("unscaled areas should diverge")
    };
    println!(
        "symptom: the loss becomes {} at step {}",
        err.loss, err.step
    );
    println!("diagnosis (FitError::Diverged):\n{err}");
    // The fix: standardised areas (mean 0, standard deviation 1); now even η = 0.1 is stable.
    let (mean, std) = (x.mean().unwrap(), x.std(0.0));
    let standardised = x.mapv(|a| (a - mean) / std);
    let history = train(&mut line(), &standardised, 0.1).expect("standardised areas train");
    let losses = history.train_losses();
    println!(
        "fix: standardised areas, η = 0.1 → loss {:.1} after epoch 1, {:.2e} after epoch 100",
        losses[0], losses[99]
    );
    assert!(losses[99] < 1e-3 * losses[0]);
    json!({ "diverged_step": err.step, "message": err.to_string().trim_end(), "scaled_first_loss": losses[0], "scaled_last_loss": losses[99],
            "scaled_last_loss_text": format!("{:.1e}", losses[99]) })
}
// ANCHOR_END: nan

/// Trains Chapter 5's MLP (784 → 128 ReLU → dropout → 10) for `epochs` and
/// returns the network, the last epoch's training loss and accuracy, and the
/// validation accuracy.
fn train_mlp(
    x: &Tensor<f32>,
    labels: &[usize],
    val: (&Tensor<f32>, &[usize]),
    optimizer: &mut dyn Optimizer<f32>,
    epochs: usize,
) -> (Sequential<f32>, f64, f64, f64) {
    let mut net = mlp(Init::HeUniform, 1);
    let y: Tensor<f32> = one_hot(labels, 10);
    let y_val: Tensor<f32> = one_hot(val.1, 10);
    let config = Fit::new(epochs, 32)
        .seed(1)
        .accuracy()
        .validation(val.0, &y_val);
    let history = fit(
        &mut net,
        &mut SoftmaxCrossEntropy::new(),
        optimizer,
        x,
        &y,
        config,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let last = history.epochs.last().expect("one epoch at least");
    let (loss, acc) = (last.train_loss, last.train_accuracy.unwrap());
    (net, loss, acc, last.val_accuracy.unwrap())
}

// ANCHOR: dead_units
/// The fraction of the first layer's ReLU units that are zero on every row of `x`.
fn dead_fraction(net: &Sequential<f32>, x: &Tensor<f32>) -> f64 {
    let params = net.params();
    let w = params[0].value.view().into_dimensionality::<Ix2>().unwrap(); // [784, 128]
    let x = x.view().into_dimensionality::<Ix2>().unwrap(); // [n, 784]
    let z = x.dot(&w) + &params[1].value; // [n, 128], before the ReLU
    let dead = z
        .axis_iter(Axis(1))
        .filter(|unit| unit.iter().all(|&v| v <= 0.0))
        .count();
    dead as f64 / z.len_of(Axis(1)) as f64
}
// ANCHOR_END: dead_units

/// Part 2: unscaled pixels and a large rate kill the ReLU units.
fn part2_unscaled(d: &Digits) -> serde_json::Value {
    let val = (&d.x_val, &d.labels_val[..]);
    let (net, loss, _, acc) = train_mlp(&d.x, &d.labels, val, &mut Sgd::new(0.1), 3);
    let dead = dead_fraction(&net, &d.x);
    println!(
        "symptom: pixels 0–255, SGD η = 0.1: validation accuracy {:.1} %, training loss {loss:.4}",
        100.0 * acc
    );
    println!(
        "diagnosis: {:.1} % of the 128 hidden ReLU units are dead (zero on every training image); \
         a loss near or above ln 10 = {:.4} is no better than a uniform guess",
        100.0 * dead,
        10f64.ln()
    );
    let (scaled, scaled_val) = (d.x.mapv(|p| p / 255.0), d.x_val.mapv(|p| p / 255.0));
    let val = (&scaled_val, &d.labels_val[..]);
    let (net, _, _, fixed) = train_mlp(&scaled, &d.labels, val, &mut Sgd::new(0.1), 3);
    let fixed_dead = dead_fraction(&net, &scaled);
    println!(
        "fix: pixels / 255 → validation accuracy {:.1} %, {:.1} % dead units",
        100.0 * fixed,
        100.0 * fixed_dead
    );
    assert!(
        acc < 0.2 && dead > 0.5 && loss > 10f64.ln() - 0.05,
        "stuck at chance"
    );
    assert!(fixed > 0.7 && fixed_dead < dead, "scaling fixes it");
    json!({ "val_accuracy": acc, "train_loss": loss, "dead_fraction": dead,
            "scaled_val_accuracy": fixed, "scaled_dead_fraction": fixed_dead })
}

/// Part 3: shuffled labels; the network memorises and generalises nothing.
fn part3_shuffled(d: &Digits) -> serde_json::Value {
    let (x, x_val) = (d.x.mapv(|p| p / 255.0), d.x_val.mapv(|p| p / 255.0));
    let val = (&x_val, &d.labels_val[..]);
    let mut shuffled = d.labels.clone();
    shuffled.shuffle(&mut seeded_rng(2)); // a bug that misaligns images and labels
    let epochs = 20;
    let first = train_mlp(&x, &shuffled, val, &mut Adam::new(0.001), 1);
    let (_, loss, train_acc, acc) = train_mlp(&x, &shuffled, val, &mut Adam::new(0.001), epochs);
    println!(
        "symptom: shuffled labels, Adam: training loss {:.3} after epoch 1, {loss:.3} after epoch {epochs} \
         (training accuracy {:.1} %), validation accuracy {:.1} %",
        first.1,
        100.0 * train_acc,
        100.0 * acc
    );
    println!(
        "diagnosis: the training loss falls but held-out accuracy stays at chance: memorising, not learning"
    );
    let (_, _, _, fixed) = train_mlp(&x, &d.labels, val, &mut Adam::new(0.001), epochs);
    println!(
        "fix: the true labels → validation accuracy {:.1} %",
        100.0 * fixed
    );
    assert!(loss < first.1 && acc < 0.2 && fixed > 0.8);
    json!({ "first_loss": first.1, "last_loss": loss, "train_accuracy": train_acc,
            "val_accuracy": acc, "true_val_accuracy": fixed, "epochs": epochs })
}

// ANCHOR: square
/// y = x², element-wise, with a backward that multiplies by `factor`·x: the
/// right derivative has `factor` = 2; `factor` = 1 is the classic slip.
#[derive(Clone)]
struct Square {
    factor: f64,
    x: Option<Tensor>,
}

impl Layer for Square {
    fn forward(&mut self, x: &Tensor, _mode: Mode) -> Tensor {
        self.x = Some(x.clone());
        x * x
    }
    fn backward(&mut self, dy: &Tensor) -> Tensor {
        dy * cached(&self.x, "Square") * self.factor
    }
    fn name(&self) -> String {
        format!("Square(factor {})", self.factor)
    }
}
// ANCHOR_END: square

/// Part 4: the gradient check catches the forgotten factor.
fn part4_gradcheck() -> serde_json::Value {
    let x = Tensor::from_shape_fn(vec![4, 3], |d| 1.5 - 0.4 * d[0] as f64 + 0.3 * d[1] as f64);
    let broken = check_layer(
        &Square {
            factor: 1.0,
            x: None,
        },
        &x,
        3,
    );
    let right = check_layer(
        &Square {
            factor: 2.0,
            x: None,
        },
        &x,
        3,
    );
    println!(
        "symptom: check_layer(Square, backward dy·x) fails: passed = {}, error {:.3}",
        broken.passed(),
        broken.input
    );
    println!(
        "diagnosis: an error near 0.5 means the analytic gradient is half the numeric one: a factor 2 is missing"
    );
    println!(
        "fix: backward dy·2x → passed = {}, error {:.1e}",
        right.passed(),
        right.input
    );
    assert!(!broken.passed() && right.passed());
    json!({ "broken_error": broken.input, "right_error": right.input,
            "right_error_text": format!("{:.1e}", right.input) })
}

fn main() {
    let args = Args::parse();
    let n = args.limit as usize;
    let digits = match &args.data_dir {
        Some(dir) => mnist(dir, n),
        None => generated(n),
    };
    let source = if args.data_dir.is_some() {
        "MNIST"
    } else {
        "generated digits"
    };
    println!("== 1. The loss is NaN ==");
    let nan = part1_nan();
    println!("\n== 2. Accuracy stuck at 10 % ({n} {source}) ==");
    let unscaled = part2_unscaled(&digits);
    println!("\n== 3. Shuffled labels ({n} {source}) ==");
    let shuffled = part3_shuffled(&digits);
    println!("\n== 4. A failing gradient check ==");
    let gradcheck = part4_gradcheck();
    if let Some(path) = args.record {
        let record = json!({ "data": source, "limit": n, "nan": nan, "unscaled": unscaled,
                             "shuffled": shuffled, "gradcheck": gradcheck, "ln10": 10f64.ln() });
        std::fs::write(&path, serde_json::to_string_pretty(&record).unwrap() + "\n")
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
}
