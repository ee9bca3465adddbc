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
use web::Invalid;
use web::digit::{book_mlp, read_digit};
use web::playground::{COEFFICIENTS, OPTIMIZERS, figure_settings, path, playground_path};
use web::tiny::{MAX_LAYERS, MAX_WIDTH, Tiny, tiny_new, tiny_train};

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

/// The playground's paths are Figures 4.3's and 4.4's, point for point, with
/// the settings the page loads for each optimizer (`web::playground::FIGURES`).
#[test]
fn the_playground_draws_the_figures_paths() {
    let lineups = [
        (BOWL, (-7.0, 2.0), bowl_lineup()),
        (ROSENBROCK, (-1.5, 2.0), rosenbrock_lineup()),
    ];
    for (which, (surface, start, lineup)) in lineups.into_iter().enumerate() {
        assert_eq!(lineup.len(), OPTIMIZERS.len());
        for (kind, (name, mut opt)) in lineup.into_iter().enumerate() {
            let (lr, coefficient, steps) = figure_settings(which, kind).unwrap();
            let figure = descend(opt.as_mut(), &surface, start, steps);
            assert_eq!(
                path(which, kind, lr, coefficient, steps).unwrap(),
                figure,
                "{name}"
            );
        }
    }
}

/// What a reader can type into the playground's and the tiny network's fields
/// is refused with a reason, never a panic (in the page: an uncaught
/// "unreachable" and a stale picture).
#[test]
fn invalid_settings_are_refused_not_panics() {
    let message = || {
        // SAFETY: last_error returns a NUL-terminated string the module keeps.
        let text = unsafe { std::ffi::CStr::from_ptr(web::last_error().cast()) };
        text.to_str().unwrap().to_owned()
    };
    for (kind, name) in COEFFICIENTS.into_iter().enumerate() {
        for lr in [0.0, -0.1, f64::NAN, f64::INFINITY] {
            assert_eq!(path(0, kind, lr, 0.9, 30), Err(Invalid::LearningRate));
            assert!(playground_path(1, kind as u32, lr, 0.9, 30.0).is_null());
            assert_eq!(message(), "invalid η: must be a number > 0");
        }
        for coefficient in [-0.1, 1.0, 1.5, f64::NAN] {
            let refused = path(1, kind, 0.01, coefficient, 30);
            match name {
                Some(name) => assert_eq!(refused, Err(Invalid::Coefficient(name))),
                None => assert!(refused.is_ok()),
            }
        }
        for steps in [0.0, -1.0, 2.5, f64::NAN, 10_001.0] {
            assert!(playground_path(0, kind as u32, 0.1, 0.5, steps).is_null());
            assert!(message().starts_with("invalid number of steps"));
        }
    }
    assert!(playground_path(0, 1, 0.1, 1.5, 30.0).is_null());
    assert_eq!(message(), "invalid μ: must be ≥ 0 and < 1");
    assert!(playground_path(0, 5, 0.1, 1.0, 30.0).is_null());
    assert_eq!(message(), "invalid β₁: must be ≥ 0 and < 1");

    for (layers, width, lr, why) in [
        (2, 16, 0.0, Invalid::LearningRate),
        (2, 16, -0.03, Invalid::LearningRate),
        (2, 0, 0.03, Invalid::Width),
        (2, MAX_WIDTH + 1, 0.03, Invalid::Width),
        (MAX_LAYERS + 1, 16, 0.03, Invalid::Layers),
    ] {
        assert_eq!(Tiny::new(2, layers, width, 0, lr).err(), Some(why));
    }
    assert!(!tiny_new(2, 1.0, 8.0, 0, 0.03).is_null());
    for (layers, width, lr) in [
        (2.0, 200.0, 0.03),
        (f64::NAN, 16.0, 0.03),
        (1.5, 16.0, 0.03),
    ] {
        assert!(tiny_new(2, layers, width, 0, lr).is_null());
        assert!(tiny_train(1).is_nan(), "the old network is gone");
    }
    assert!(tiny_new(2, 2.0, 16.0, 0, 0.0).is_null());
    assert_eq!(message(), "invalid η: must be a number > 0");
}

/// The chapters' controls say what the module accepts: the tiny network's
/// fields have the module's caps as their limits, and the playground's menu
/// names each optimizer's coefficient as `COEFFICIENTS` does.
#[test]
fn the_controls_match_the_module() {
    let chapter = |name: &str| {
        let file = format!("{}/../chapters/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"))
    };
    let ch02 = chapter("ch02-core-concepts.md");
    for (field, min, max) in [("layers", 0, MAX_LAYERS), ("width", 1, MAX_WIDTH)] {
        let at = ch02.find(&format!(r#"<input name="{field}""#)).unwrap();
        let tag = &ch02[at..at + ch02[at..].find('>').unwrap()];
        assert!(
            tag.contains(&format!(r#"min="{min}""#)) && tag.contains(&format!(r#"max="{max}""#)),
            "{tag}"
        );
    }
    let ch04 = chapter("ch04-math.md");
    for (kind, name) in OPTIMIZERS.iter().enumerate() {
        let option = match COEFFICIENTS[kind] {
            Some(c) => format!(r#"<option value="{kind}" data-coefficient="{c}""#),
            None => format!(r#"<option value="{kind}" data-coefficient="""#),
        };
        assert!(ch04.contains(&option), "{name}: no {option}");
    }
}

/// The tiny network learns every dataset with the page's default controls
/// (2 tanh layers of 16, η = 0.03): what the browser test checks in the page.
#[test]
fn the_tiny_network_learns_each_dataset() {
    for data in 0..3 {
        let mut tiny = Tiny::new(data, 2, 16, 0, 0.03).unwrap();
        let first = tiny.train(1);
        let last = (1..300).map(|_| tiny.train(1)).last().unwrap();
        assert!(last < first / 4.0, "dataset {data}: loss {first} → {last}");
    }
}
