//! Automatic checks for the Chapter 5 exercises on convolutional networks.
//!
//! Run them with `cargo test -p exercises --test ch05_cnn`.

use exercises::ch05_cnn::{batch_norm_forward, im2col_one, max_pool_backward, output_size};
use ndarray::{Array1, Array2, Array3, Array4, Axis, array};
use rand::Rng as _;
use scratchnet::layers::{Geometry, Padding, im2col};
use scratchnet::prelude::*;

// ANCHOR: tests
#[test]
fn ex5_13_output_sizes() {
    assert_eq!(output_size(28, 3, 1, 0), Some(26)); // seed 001's first convolution
    assert_eq!(output_size(26, 3, 1, 0), Some(24)); // and its second
    assert_eq!(output_size(24, 2, 2, 0), Some(12)); // max pooling 2 × 2
    assert_eq!(
        output_size(28, 3, 1, 1),
        Some(28),
        "'same' padding keeps the size"
    );
    assert_eq!(output_size(7, 3, 2, 1), Some(4), "⌊(7 + 2 − 3)/2⌋ + 1");
    assert_eq!(
        output_size(6, 3, 2, 0),
        Some(2),
        "the last column is never reached"
    );
    assert_eq!(output_size(2, 3, 1, 0), None, "the kernel does not fit");
    assert_eq!(output_size(2, 3, 1, 1), Some(2), "padding makes it fit");
    assert_eq!(
        (output_size(5, 0, 1, 0), output_size(5, 3, 0, 0)),
        (None, None)
    );
    // Against the library's geometry, on many shapes.
    for h in 1..12 {
        for k in 1..5 {
            for s in 1..4 {
                for p in 0..3 {
                    if h + 2 * p >= k {
                        let g = Geometry::new([1, h, h], (k, k), (s, s), Padding::Explicit(p, p));
                        assert_eq!(
                            output_size(h, k, s, p),
                            Some(g.output.0),
                            "h {h} k {k} s {s} p {p}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn ex5_14_im2col_of_a_small_image() {
    // The 4 × 4 image of the pixel numbers 1…16 (the chapter's Figure 5.11).
    let image = Array3::from_shape_fn((1, 4, 4), |(_, r, c)| (r * 4 + c + 1) as f64);
    let cols = im2col_one(&image, 3, 1);
    assert_eq!(
        cols.dim(),
        (9, 4),
        "nine numbers for each of four positions"
    );
    assert_eq!(
        cols.column(0).to_vec(),
        [1., 2., 3., 5., 6., 7., 9., 10., 11.]
    );
    assert_eq!(
        cols.column(3).to_vec(),
        [6., 7., 8., 10., 11., 12., 14., 15., 16.]
    );
    let strided = im2col_one(&image, 2, 2);
    assert_eq!(strided.dim(), (4, 4));
    assert_eq!(
        strided.column(1).to_vec(),
        [3., 4., 7., 8.],
        "the top right 2 × 2 window"
    );
}

#[test]
fn ex5_14_im2col_matches_the_library_and_makes_convolution_a_product() {
    let mut rng = seeded_rng(7);
    for (c, h, w, k, s) in [(2, 5, 6, 3, 1), (3, 7, 7, 3, 2), (1, 4, 9, 2, 1)] {
        let image = Array3::from_shape_fn((c, h, w), |_| rng.random_range(-1.0..1.0));
        let mine = im2col_one(&image, k, s);
        let g = Geometry::new([c, h, w], (k, k), (s, s), Padding::Valid);
        let mut theirs = Array2::zeros((g.patch_len(), g.output.0 * g.output.1));
        im2col(image.view(), &g, theirs.view_mut());
        assert_eq!(mine, theirs, "image {c}×{h}×{w}, kernel {k}, stride {s}");
        // A flattened kernel times the matrix is the convolution.
        let kernel = Array4::from_shape_fn((1, c, k, k), |_| rng.random_range(-1.0..1.0));
        let flat = kernel.to_shape(c * k * k).unwrap().to_owned();
        let by_product = flat.dot(&mine);
        let batch = image.clone().insert_axis(Axis(0));
        let mut conv = Conv2D::from_weights(kernel.into_dyn(), Tensor::zeros(vec![1])).stride(s);
        let y = conv.forward(&batch.into_dyn(), Mode::Eval);
        let y: Vec<f64> = y.iter().copied().collect();
        for (a, b) in by_product.iter().zip(&y) {
            assert!(
                (a - b).abs() < 1e-12,
                "kernel · im2col must be the convolution"
            );
        }
    }
}

#[test]
fn ex5_15_max_pool_sends_each_gradient_to_its_maximum() {
    let x = array![
        [1., 5., 0., 2.],
        [3., 4., 9., 1.],
        [0., 0., 2., 2.],
        [7., 0., 2., 2.]
    ];
    let dy = array![[10., 20.], [30., 40.]];
    let dx = max_pool_backward(&x, &dy, 2);
    let want = array![
        [0., 10., 0., 0.],
        [0., 0., 20., 0.],
        [0., 0., 40., 0.], // a tie of four 2s: the first takes it
        [30., 0., 0., 0.]
    ];
    assert_eq!(dx, want);
}

#[test]
fn ex5_15_max_pool_backward_matches_the_library() {
    let mut rng = seeded_rng(3);
    for (h, w, k) in [(4, 6, 2), (6, 6, 3), (8, 4, 2)] {
        let x = Array2::from_shape_fn((h, w), |_| rng.random_range(-1.0..1.0));
        let dy = Array2::from_shape_fn((h / k, w / k), |_| rng.random_range(-1.0..1.0));
        let mut pool = MaxPool2D::new((k, k));
        pool.forward(
            &x.clone()
                .into_shape_with_order((1, 1, h, w))
                .unwrap()
                .into_dyn(),
            Mode::Train,
        );
        let theirs = pool.backward(
            &dy.clone()
                .into_shape_with_order((1, 1, h / k, w / k))
                .unwrap()
                .into_dyn(),
        );
        let mine = max_pool_backward(&x, &dy, k);
        assert_eq!(
            mine.into_dyn()
                .into_shape_with_order(theirs.shape())
                .unwrap(),
            theirs
        );
    }
}

#[test]
fn ex5_16_batch_norm_standardises_each_column() {
    let x = array![[1., 10.], [2., 20.], [3., 30.], [4., 40.]];
    let (y, mean, var) = batch_norm_forward(&x, &array![1., 1.], &array![0., 0.], 0.0);
    assert_eq!(mean, array![2.5, 25.0]);
    assert_eq!(
        var,
        array![1.25, 125.0],
        "the biased variance: divided by 4, not 3"
    );
    for column in y.columns() {
        assert!(column.mean().unwrap().abs() < 1e-12);
        assert!((column.mapv(|v| v * v).mean().unwrap() - 1.0).abs() < 1e-12);
    }
    // γ scales and β shifts each column.
    let (y2, _, _) = batch_norm_forward(&x, &array![2., 0.5], &array![1., -1.], 0.0);
    assert_eq!(y2.column(0), y.column(0).mapv(|v| 2.0 * v + 1.0));
    assert_eq!(y2.column(1), y.column(1).mapv(|v| 0.5 * v - 1.0));
    // ε keeps a constant column finite.
    let (flat, _, _) = batch_norm_forward(&array![[3.], [3.]], &array![1.], &array![0.], 1e-5);
    assert_eq!(flat, array![[0.], [0.]]);
}

#[test]
fn ex5_16_batch_norm_matches_the_library() {
    let mut rng = seeded_rng(11);
    let x = Array2::from_shape_fn((16, 5), |(_, j)| {
        3.0 * j as f64 + rng.random_range(-2.0..2.0)
    });
    let gamma = Array1::from_shape_fn(5, |_| rng.random_range(0.5..2.0));
    let beta = Array1::from_shape_fn(5, |_| rng.random_range(-1.0..1.0));
    let (mine, _, _) = batch_norm_forward(&x, &gamma, &beta, 1e-5);
    let mut bn: BatchNorm = BatchNorm::new(5);
    bn.gamma.value = gamma.into_dyn();
    bn.beta.value = beta.into_dyn();
    let theirs = bn.forward(&x.into_dyn(), Mode::Train);
    for (a, b) in mine.iter().zip(theirs.iter()) {
        assert!((a - b).abs() < 1e-10);
    }
}
// ANCHOR_END: tests
