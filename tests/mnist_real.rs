//! The real MNIST, when this machine has it: the project's shared data
//! directory (`../shared/data/mnist` beside the repository). Elsewhere (a
//! student's clone, say) the test says it was skipped, and passes.

use std::path::Path;

use scratchnet::data::{Dataset, load, read_idx};

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/mnist");

#[test]
fn real_mnist_loads_with_its_known_numbers() {
    let dir = Path::new(SHARED);
    if !dir.is_dir() {
        println!("skipped: no MNIST at {SHARED}");
        return;
    }
    // The directory holds all four files, so nothing is downloaded.
    let (train, test) = load(Dataset::Mnist, Some(dir)).unwrap();
    assert_eq!((train.len(), test.len()), (60_000, 10_000));
    assert_eq!(train.images().shape(), &[60_000, 28, 28]);
    assert_eq!((train.labels()[0], test.labels()[0]), (5, 7));
    let (min, max) = (train.images().iter().min(), train.images().iter().max());
    assert_eq!((min, max), (Some(&0), Some(&255)));
    // Every digit occurs, and the classes are roughly balanced.
    let mut counts = [0usize; 10];
    train
        .labels()
        .iter()
        .for_each(|&l| counts[usize::from(l)] += 1);
    assert!(
        counts.iter().all(|&c| (5000..7000).contains(&c)),
        "{counts:?}"
    );

    let x = test.images_f::<f32>();
    assert_eq!(x.shape(), &[10_000, 784]);
    assert!(x.iter().all(|&p| (0.0..=1.0).contains(&p)));

    // load verified them already; the checksums, once more, explicitly.
    for file in Dataset::Mnist.source().files {
        assert_eq!(
            read_idx(&dir.join(&file.name)).unwrap().sha256(),
            file.sha256,
            "{}",
            file.name
        );
    }
}

/// Fashion-MNIST as Debian's package `dataset-fashion-mnist` installs it
/// (recompressed by Debian: the `.gz` bytes differ from the official ones,
/// the content does not, which is why checksums are of the content).
const DEBIAN_FASHION: &str = "/usr/share/datasets/fashion-mnist";

#[test]
fn real_fashion_mnist_loads_when_installed() {
    let dir = Path::new(DEBIAN_FASHION);
    if !dir.is_dir() {
        println!(
            "skipped: no Fashion-MNIST at {DEBIAN_FASHION} (apt-get install dataset-fashion-mnist)"
        );
        return;
    }
    let (train, test) = load(Dataset::FashionMnist, Some(dir)).unwrap();
    assert_eq!((train.len(), test.len()), (60_000, 10_000));
    let names = Dataset::FashionMnist.class_names();
    let first = (
        names[usize::from(train.labels()[0])],
        names[usize::from(test.labels()[0])],
    );
    assert_eq!(first, ("ankle boot", "ankle boot"));
}
