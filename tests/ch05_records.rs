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
    );
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
