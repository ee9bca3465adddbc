//! Chapter 5 quotes numbers from run records (`records/ch05/*.json`, written
//! by `examples/ch05_mnist_mlp.rs --record`). This test re-runs the short
//! recorded configuration on real MNIST and checks that every number of the
//! record comes out again, bit for bit (timings and dates aside): a record
//! can be neither stale nor invented.
//!
//! Runs where `../shared/data/mnist` or `$SCRATCHNET_DATA/mnist` holds MNIST
//! (this project's machines and CI); elsewhere it says it is skipped. Bit-identical results assume the same
//! kind of processor: the matrix-multiply kernels (AVX-512, AVX2...) sum in
//! different orders.

use scratchnet::data::{self, Dataset};
use scratchnet::experiments::mnist::{MlpConfig, record, run_mlp};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn mnist_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/mnist");
    dir.join("train-images-idx3-ubyte.gz")
        .exists()
        .then_some(dir)
}

fn read_record(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("records/ch05")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_short_record_is_reproduced_exactly() {
    let Some(dir) = mnist_dir() else {
        println!("skipped: real MNIST is not at ../shared/data/mnist");
        return;
    };
    let recorded = read_record("short.json");
    // The configuration of `--config book --limit 10000 --validation 1000 --epochs 2`.
    let config = MlpConfig {
        epochs: 2,
        limit: Some(10_000),
        validation: 1_000,
        ..MlpConfig::book_default(1)
    };
    let (train, test) = data::load(Dataset::Mnist, Some(&dir)).unwrap();
    let run = run_mlp(
        &train.images_f(),
        &train.labels_usize(),
        &test.images_f(),
        &test.labels_usize(),
        &config,
    )
    .unwrap();
    let fresh = record(Dataset::Mnist.name(), &config, &run);
    assert_eq!(
        fresh["config"], recorded["config"],
        "the record is of another configuration"
    );
    let (a, b) = (
        fresh["epochs"].as_array().unwrap(),
        recorded["epochs"].as_array().unwrap(),
    );
    assert_eq!(a.len(), b.len());
    for (fresh_epoch, recorded_epoch) in a.iter().zip(b) {
        for (field, value) in recorded_epoch.as_object().unwrap() {
            if field != "seconds" {
                assert_eq!(
                    &fresh_epoch[field], value,
                    "epoch {}: {field}",
                    recorded_epoch["epoch"]
                );
            }
        }
    }
    assert_eq!(fresh["test_loss"], recorded["test_loss"]);
    assert_eq!(fresh["test_accuracy"], recorded["test_accuracy"]);
}

/// The records the chapter quotes exist, are complete, and say what the
/// chapter says they say: the book's configuration reaches 98.0 % on
/// average over its five seeds, and each record is of the configuration its
/// name claims.
#[test]
fn the_chapter_records_are_complete() {
    let mut book = Vec::new();
    for seed in 1..=5 {
        for (name, config) in [
            ("seed", MlpConfig::seed_article(seed)),
            ("book", MlpConfig::book_default(seed)),
        ] {
            let r = read_record(&format!("mlp-{name}-{seed}.json"));
            assert_eq!(r["config"]["name"], name);
            assert_eq!(r["config"]["seed"], seed);
            assert_eq!(r["config"]["lr"], config.lr);
            assert_eq!(r["config"]["epochs"], 5);
            assert_eq!(r["epochs"].as_array().unwrap().len(), 5);
            if name == "book" {
                book.push(r["test_accuracy"].as_f64().unwrap());
            }
        }
    }
    let mean = book.iter().sum::<f64>() / book.len() as f64;
    assert!(mean >= 0.980, "the book's configuration averages {mean}");
}

/// The records behind the chapter's sections on batch size, schedules and
/// early stopping exist and are of the configurations the prose names; the
/// early-stopping run kept the epoch with the lowest validation loss, the
/// one the chapter quotes as `epochs.10`.
#[test]
fn the_training_practice_records_say_what_the_chapter_says() {
    for b in [16, 32, 64, 128, 256, 512] {
        let r = read_record(&format!("batch-{b}.json"));
        assert_eq!(r["config"]["batch_size"], b);
        assert_eq!(r["config"]["lr"], 0.003);
        assert_eq!(r["config"]["validation"], 5000);
    }
    for (name, lr) in [("batch-256-sqrt", 0.0085), ("batch-256-linear", 0.024)] {
        let r = read_record(&format!("{name}.json"));
        assert_eq!(
            (
                r["config"]["batch_size"].as_u64(),
                r["config"]["lr"].as_f64()
            ),
            (Some(256), Some(lr))
        );
    }
    for seed in 1..=3 {
        let step = read_record(&format!("val-h-he-step-{seed}.json"));
        assert_eq!(step["config"]["schedule"]["step_decay"]["every"], 3);
        let warm = read_record(&format!("val-k-he-cos-lr10-warm-{seed}.json"));
        assert_eq!(warm["config"]["schedule"]["cosine"]["warmup"], 500);
        assert_eq!(warm["config"]["lr"], 0.01);
    }
    let r = read_record("early-stopping-1.json");
    assert_eq!(r["config"]["early_stopping"], 5);
    let losses: Vec<f64> = r["epochs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["val_loss"].as_f64().unwrap())
        .collect();
    let best = r["best_epoch"].as_u64().unwrap() as usize;
    assert_eq!(best, 11, "the chapter quotes epochs.10 as the best epoch");
    assert!(losses.iter().all(|&l| l >= losses[best - 1]));
    assert_eq!(losses.len(), best + 5, "stopped 5 epochs after the best");
}

/// Chapter 5's Figure 5.8: the five hidden units whose weights barely moved
/// (found from the saved weights by a doctest in the chapter) are dead — their
/// input is negative or zero for every training image — and the 67 pixels whose
/// weights never moved are those that are 0 in every training image.
#[test]
fn the_dead_units_of_the_book_run_are_dead_on_the_training_set() {
    use ndarray::{Axis, Ix2};
    use scratchnet::{Layer, experiments::mnist::mlp, init::Init, weights::load_weights};
    let Some(dir) = mnist_dir() else {
        println!("skipped: real MNIST is not at ../shared/data/mnist");
        return;
    };
    let mut net = mlp(Init::Zeros, 0);
    let weights = Path::new(env!("CARGO_MANIFEST_DIR")).join("records/ch05/mlp-book-1.safetensors");
    load_weights(&mut net, &weights).unwrap();
    let w = net.params()[0]
        .value
        .clone()
        .into_dimensionality::<Ix2>()
        .unwrap(); // [784, 128]
    let b = net.params()[1].value.clone();
    let (train, _) = data::load(Dataset::Mnist, Some(&dir)).unwrap();
    let x = train.images_f().into_dimensionality::<Ix2>().unwrap(); // [60000, 784]
    let z = x.dot(&w) + &b; // [60000, 128], the hidden layer's inputs
    let highest = z.fold_axis(Axis(0), f32::MIN, |&a, &v| a.max(v));
    let dead: Vec<usize> = (0..128).filter(|&j| highest[j] <= 0.0).collect();
    assert_eq!(dead, [7, 17, 32, 66, 68]);
    let always_black = (0..784)
        .filter(|&i| x.column(i).iter().all(|&v| v == 0.0))
        .count();
    assert_eq!(always_black, 67);
}
