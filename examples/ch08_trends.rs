//! Chapter 8, "Trends and challenges": three of the field's challenges
//! (compute, robustness, privacy), measured on the book's own trained MNIST
//! models; the fourth the chapter measures, saliency maps, is drawn by the
//! `figures` crate from the test images this run records.
//!
//! Loads the weights Chapter 5 saved (`records/ch05/mlp-book-1.safetensors`
//! and `cnn-book-1.safetensors`) and the real MNIST, then measures, for both
//! the MLP and the CNN:
//!
//! 1. **compute**: multiply-adds of one image's forward pass (from
//!    `Sequential::summary_table`), and the floating-point operations of one
//!    training epoch (2 per multiply-add, 3 passes' worth per image, 60 000 images);
//! 2. **robustness**: test accuracy under FGSM for ε = 0, 0.05, …, 0.3, beside
//!    random ±ε sign noise of the same L∞ size;
//! 3. **privacy**: the loss-threshold membership-inference attack between
//!    training and test images, with the mean losses of both sets.
//!
//! Run it with
//!
//! ```text
//! cargo run --release --example ch08_trends -- --data-dir ../shared/data/mnist
//! cargo run --release --example ch08_trends -- --data-dir ../shared/data/mnist --limit 500   # seconds
//! ```
//!
//! Expect the MLP near 98 % and the CNN near 99 % at ε = 0, both far lower
//! under FGSM at ε = 0.1 and beyond, while random ±ε noise of the same size
//! costs far less at small ε (it does hurt at large ε, the CNN most: about
//! half its accuracy is left at ε = 0.2), and attack accuracies a little above
//! 50 %. Everything is deterministic (fixed seeds). `--record FILE` writes the
//! numbers as JSON (`records/ch08/trends.json`, quoted by the chapter); the
//! full run takes several minutes, about ten on a busy two-core machine.

use clap::Parser;
use ndarray::{Axis, Slice};
use scratchnet::adversarial::{fgsm_step, random_sign};
use scratchnet::data::{self, Dataset};
use scratchnet::experiments::{cnn::cnn, mnist::mlp};
use scratchnet::init::Init;
use scratchnet::interpret::cross_entropy_gradient;
use scratchnet::membership::{example_losses, threshold_attack};
use scratchnet::metrics::classes;
use scratchnet::prelude::*;
use scratchnet::weights::load_weights;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Instant;

/// The attack strengths measured (pixels in [0, 1]); Goodfellow et al. used 0.25 on MNIST.
const EPSILONS: [f64; 7] = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3];
/// Test images the record keeps, for the chapter's figures.
const SAMPLES: usize = 4;
/// GPT-3's training compute in FLOP, as Brown et al. (2020) report it (Table D.1).
const GPT3_FLOP: f64 = 3.14e23;
/// Images per forward pass (the CNN's patch matrices of a larger batch use gigabytes).
const CHUNK: usize = 500;

#[derive(Parser, Debug)]
#[command(about = "Chapter 8: compute, adversarial examples and membership inference, measured")]
struct Args {
    /// Folder holding MNIST's four files (else $SCRATCHNET_DATA or the cache, downloading).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Folder holding Chapter 5's saved weights.
    #[arg(long, default_value = "records/ch05")]
    weights_dir: PathBuf,
    /// Use only the first N test images (and N training images for the attack).
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    limit: u64,
    /// Write the measurements to this JSON file.
    #[arg(long)]
    record: Option<PathBuf>,
}

/// One of Chapter 5's two trained models and how it wants its input.
struct Model {
    name: &'static str,
    net: Sequential<f32>,
    input: Vec<usize>, // one image, e.g. [784] or [1, 28, 28]
}

impl Model {
    /// `x` `[n, 784]` in the model's input shape.
    fn shape(&self, x: &Tensor<f32>) -> Tensor<f32> {
        let mut shape = vec![x.len_of(Axis(0))];
        shape.extend(&self.input);
        x.to_shape(shape)
            .expect("784 pixels per image")
            .into_owned()
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let start = Instant::now();
    let (train, test) = data::load(Dataset::Mnist, args.data_dir.as_deref())?;
    let n = args.limit as usize;
    let first = |x: Tensor<f32>| x.slice_axis(Axis(0), Slice::from(..n)).to_owned();
    let (x, labels) = (first(test.images_f()), test.labels_usize()[..n].to_vec());
    let (x_train, labels_train) = (first(train.images_f()), train.labels_usize()[..n].to_vec());
    let mut models = [
        Model {
            name: "mlp",
            net: mlp(Init::Zeros, 0),
            input: vec![784],
        },
        Model {
            name: "cnn",
            net: cnn(true, Init::Zeros, 0),
            input: vec![1, 28, 28],
        },
    ];
    for m in &mut models {
        let file = args
            .weights_dir
            .join(format!("{}-book-1.safetensors", m.name));
        load_weights(&mut m.net, &file).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    let mut record = json!({ "images": n, "epsilons": EPSILONS });
    for m in &mut models {
        println!("== {} ==", m.name);
        let summary = m.net.summary_table(&m.input);
        let multiply_adds = summary.multiply_adds() as f64;
        // forward + backward (∂L/∂W and ∂L/∂x): three forward passes' worth, 2 FLOP per multiply-add
        let epoch_flop = 3.0 * 2.0 * multiply_adds * 60_000.0;
        println!(
            "compute: {multiply_adds:.3e} multiply-adds per image, {epoch_flop:.3e} FLOP per training epoch"
        );
        let (robust, seconds) = robustness(m, &x, &labels);
        let privacy = membership(m, &x_train, &labels_train, &x, &labels);
        record[m.name] = json!({
            "parameters": summary.trainable_params(),
            "multiply_adds": multiply_adds,
            "forward_flop": 2.0 * multiply_adds,
            "epoch_flop": epoch_flop,
            "forward_mflop": 2.0 * multiply_adds / 1e6,
            "epoch_tflop": epoch_flop / 1e12,
            "gpt3_over_epoch_billions": GPT3_FLOP / epoch_flop / 1e9,
            "robustness": robust,
            "attack_seconds": seconds,
            "membership": privacy,
        });
    }
    // A few test images for the figures (the first ones, as bytes 0–255).
    let samples: Vec<Value> = (0..SAMPLES.min(n))
        .map(|i| {
            let pixels: Vec<u8> = x
                .index_axis(Axis(0), i)
                .iter()
                .map(|&p| (p * 255.0).round() as u8)
                .collect();
            json!({ "index": i, "label": labels[i], "pixels": pixels })
        })
        .collect();
    record["samples"] = json!(samples);
    record["seconds"] = json!(start.elapsed().as_secs_f64());
    println!("{:.1} s in all", start.elapsed().as_secs_f64());
    if let Some(path) = &args.record {
        std::fs::write(path, serde_json::to_string_pretty(&record)? + "\n")?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// Accuracy on `x` under FGSM and under random sign noise for every ε, in
/// chunks; and the seconds the input gradients took.
fn robustness(m: &mut Model, x: &Tensor<f32>, labels: &[usize]) -> (Vec<Value>, f64) {
    let n = labels.len();
    let (mut fgsm_hits, mut noise_hits) = (vec![0; EPSILONS.len()], vec![0; EPSILONS.len()]);
    let mut rng = seeded_rng(8); // the noise's signs
    let mut attack_seconds = 0.0;
    for start in (0..n).step_by(CHUNK) {
        let end = (start + CHUNK).min(n);
        let chunk = m.shape(&x.slice_axis(Axis(0), Slice::from(start..end)).to_owned());
        let truth = &labels[start..end];
        let t = Instant::now();
        let (_, grad) = cross_entropy_gradient(&mut m.net, &chunk, truth); // ∇ₓL at the clean images
        attack_seconds += t.elapsed().as_secs_f64();
        for (k, &eps) in EPSILONS.iter().enumerate() {
            let adversarial = fgsm_step(&chunk, &grad, eps); // one gradient, every ε
            let noisy = random_sign(&chunk, eps, &mut rng);
            for (images, hits) in [(adversarial, &mut fgsm_hits), (noisy, &mut noise_hits)] {
                let predicted = classes(&m.net.predict(&images));
                hits[k] += predicted.iter().zip(truth).filter(|(p, t)| p == t).count();
            }
        }
    }
    let rows = EPSILONS
        .iter()
        .enumerate()
        .map(|(k, &eps)| {
            let (a, r) = (
                fgsm_hits[k] as f64 / n as f64,
                noise_hits[k] as f64 / n as f64,
            );
            println!(
                "eps {eps:.2}: accuracy {:.2} % under FGSM, {:.2} % under random signs",
                100.0 * a,
                100.0 * r
            );
            json!({ "eps": eps, "fgsm_accuracy": a, "random_accuracy": r })
        })
        .collect();
    (rows, attack_seconds)
}

/// The loss-threshold membership attack between the training images (members)
/// and the test images (non-members).
fn membership(
    m: &mut Model,
    x_train: &Tensor<f32>,
    labels_train: &[usize],
    x_test: &Tensor<f32>,
    labels_test: &[usize],
) -> Value {
    let mut losses = |x: &Tensor<f32>, labels: &[usize]| -> Vec<f64> {
        let mut all = Vec::with_capacity(labels.len());
        for start in (0..labels.len()).step_by(CHUNK) {
            let end = (start + CHUNK).min(labels.len());
            let chunk = m.shape(&x.slice_axis(Axis(0), Slice::from(start..end)).to_owned());
            all.extend(example_losses(&mut m.net, &chunk, &labels[start..end]));
        }
        all
    };
    let (members, others) = (losses(x_train, labels_train), losses(x_test, labels_test));
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let attack = threshold_attack(&members, &others);
    println!(
        "membership: mean loss {:.4} (train) vs {:.4} (test); best threshold {:.3e}: attack accuracy {:.2} %",
        mean(&members),
        mean(&others),
        attack.threshold,
        100.0 * attack.accuracy
    );
    json!({
        "train_loss": mean(&members),
        "test_loss": mean(&others),
        "threshold": attack.threshold,
        "attack_accuracy": attack.accuracy,
        "advantage": attack.advantage(),
    })
}
