//! The demos' Rust side, natively: the same numbers as the chapters' code.

use scratchnet::activation::softmax;
use scratchnet::data::digit::prepare_digit;
use scratchnet::data::read_idx;
use scratchnet::experiments::mnist::mlp;
use scratchnet::experiments::optimizers::{
    BOWL, ROSENBROCK, bowl_lineup, descend, rosenbrock_lineup,
};
use scratchnet::init::Init;
use scratchnet::weights::load_weights;
use std::path::Path;
use web::digit::{book_mlp, read_digit};
use web::playground::path;

/// The digit demo reads an image exactly as `ch05_predict` does: weights from
/// the recorded file, `prepare_digit`, pixels / 255, softmax. On the real MNIST
/// test set (when present), on its first 500 images.
#[test]
fn the_digit_demo_reads_mnist_as_ch05_predict_does() {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/mnist"
    ));
    if !dir.join("t10k-images-idx3-ubyte.gz").is_file() {
        eprintln!("skipped: no MNIST test set in {}", dir.display());
        return;
    }
    let images = read_idx(&dir.join("t10k-images-idx3-ubyte.gz")).unwrap();
    let labels = read_idx(&dir.join("t10k-labels-idx1-ubyte.gz")).unwrap();
    let mut predict = mlp(Init::HeUniform, 0);
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../records/ch05/mlp-book-1.safetensors"
    );
    load_weights(&mut predict, Path::new(file)).unwrap();
    let mut demo = book_mlp();
    let n = 500;
    let mut right = 0;
    for i in 0..n {
        let image = ndarray::ArrayView2::from_shape((28, 28), &images.data[i * 784..(i + 1) * 784])
            .unwrap();
        let reading = read_digit(&mut demo, image).unwrap();
        // ch05_predict's steps, written out.
        let x = prepare_digit(image)
            .unwrap()
            .mapv(|v| f32::from(v) / 255.0)
            .into_shape_with_order((1, 784))
            .unwrap();
        let p = softmax(&predict.predict(&x.into_dyn()));
        for k in 0..10 {
            assert_eq!(reading.probabilities[k], p[[0, k]], "image {i}, class {k}");
        }
        right += usize::from(reading.digit() == usize::from(labels.data[i]));
    }
    // MNIST's digits are already prepared; preparing them again costs a little accuracy.
    assert!(right as f64 / n as f64 > 0.95, "{right} of {n} read right");
}

/// The playground's paths are Figures 4.3's and 4.4's, point for point.
#[test]
fn the_playground_draws_the_figures_paths() {
    // (menu index, learning rate, β) of each contender of the figures' lineups.
    let bowl = [
        (0, 0.95, 0.0),
        (1, 0.1, 0.9),
        (2, 0.1, 0.9),
        (3, 1.5, 0.0),
        (4, 0.3, 0.9),
        (5, 0.3, 0.9),
        (6, 1.0, 0.95),
    ];
    for ((name, mut opt), (kind, lr, beta)) in bowl_lineup().into_iter().zip(bowl) {
        let figure = descend(opt.as_mut(), &BOWL, (-7.0, 2.0), 30);
        assert_eq!(path(0, kind, lr, beta, 30).unwrap(), figure, "{name}");
    }
    let rosenbrock = [
        (0, 0.001, 0.0),
        (1, 0.001, 0.9),
        (2, 0.001, 0.9),
        (3, 0.5, 0.0),
        (4, 0.01, 0.9),
        (5, 0.05, 0.9),
        (6, 1.0, 0.95),
    ];
    for ((name, mut opt), (kind, lr, beta)) in rosenbrock_lineup().into_iter().zip(rosenbrock) {
        let figure = descend(opt.as_mut(), &ROSENBROCK, (-1.5, 2.0), 3000);
        assert_eq!(path(1, kind, lr, beta, 3000).unwrap(), figure, "{name}");
    }
}

/// The tiny network learns every dataset with the page's default controls
/// (2 tanh layers of 16, η = 0.03): what the browser test checks in the page.
#[test]
fn the_tiny_network_learns_each_dataset() {
    for data in 0..3 {
        let mut tiny = web::tiny::Tiny::new(data, 2, 16, 0, 0.03).unwrap();
        let first = tiny.train(1);
        let last = (1..300).map(|_| tiny.train(1)).last().unwrap();
        assert!(last < first / 4.0, "dataset {data}: loss {first} → {last}");
    }
}
