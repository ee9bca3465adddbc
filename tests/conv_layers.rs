//! The convolutional layers of Chapter 5: Conv2D, MaxPool2D, Flatten and
//! BatchNorm. Gradient checks on random shapes and seeds, Conv2D against a
//! direct seven-loop convolution, batch norm's running statistics, a tiny CNN
//! checked end to end and trained with `fit`, and weights saved and loaded.

use rand::Rng as _;
use rand::seq::SliceRandom;
use rand_distr::{Distribution, Normal, StandardNormal};
use scratchnet::gradcheck::{check_layer, check_network};
use scratchnet::layer::ParamKind;
use scratchnet::layers::Padding;
use scratchnet::optim::Optimizer;
use scratchnet::prelude::*;
use scratchnet::train::predict;
use scratchnet::weights::{load_weights, save_weights};

/// A tensor of standard normal numbers.
fn normal(shape: &[usize], seed: u64) -> Tensor {
    let mut rng = seeded_rng(seed);
    Tensor::from_shape_simple_fn(shape.to_vec(), || StandardNormal.sample(&mut rng))
}

/// A random convolution for a gradient check: random kernel, stride and padding.
struct ConvCase {
    x: Tensor,
    conv: Conv2D,
    stride: usize,
    pad: (usize, usize), // zeros above and left
    out: (usize, usize),
}

fn random_case(seed: u64) -> ConvCase {
    let mut rng = seeded_rng(seed);
    let (batch, c_in, c_out) = (
        rng.random_range(1..4),
        rng.random_range(1..4),
        rng.random_range(1..4),
    );
    let kernel = (rng.random_range(1..5), rng.random_range(1..5)); // often not square
    let stride = rng.random_range(1..4);
    let padding = match rng.random_range(0..3) {
        0 => Padding::Valid,
        1 if stride == 1 => Padding::Same,
        _ => Padding::Explicit(rng.random_range(0..3), rng.random_range(0..3)),
    };
    let (h, w) = (
        kernel.0 + rng.random_range(0..5),
        kernel.1 + rng.random_range(0..5),
    );
    case(seed, [batch, c_in, h, w], c_out, kernel, stride, padding)
}

fn case(
    seed: u64,
    [batch, c_in, h, w]: [usize; 4],
    c_out: usize,
    (kh, kw): (usize, usize),
    stride: usize,
    padding: Padding,
) -> ConvCase {
    // The padding and output size, computed here independently of the library.
    let (before, total) = match padding {
        Padding::Valid => ((0, 0), (0, 0)),
        Padding::Same => (((kh - 1) / 2, (kw - 1) / 2), (kh - 1, kw - 1)),
        Padding::Explicit(ph, pw) => ((ph, pw), (2 * ph, 2 * pw)),
    };
    let out = (
        (h + total.0 - kh) / stride + 1,
        (w + total.1 - kw) / stride + 1,
    );
    let mut conv = Conv2D::from_weights(
        normal(&[c_out, c_in, kh, kw], seed + 1),
        normal(&[c_out], seed + 2),
    );
    conv = conv.stride(stride).padding(padding);
    ConvCase {
        x: normal(&[batch, c_in, h, w], seed + 3),
        conv,
        stride,
        pad: before,
        out,
    }
}

/// A convolution the slow, obvious way: seven nested loops. Returns y and,
/// for an upstream gradient g, the gradients of Σ g ⊙ y for x, W and b.
fn naive(c: &ConvCase, g: &Tensor) -> (Tensor, Tensor, Tensor, Tensor) {
    let (x, w, b) = (&c.x, &c.conv.w.value, &c.conv.b.value);
    let (n, c_in, h, wd) = (x.shape()[0], x.shape()[1], x.shape()[2], x.shape()[3]);
    let (c_out, kh, kw) = (w.shape()[0], w.shape()[2], w.shape()[3]);
    let (oh, ow) = c.out;
    let mut y = Tensor::zeros(vec![n, c_out, oh, ow]);
    let (mut dx, mut dw, mut db) = (
        Tensor::zeros(x.raw_dim()),
        Tensor::zeros(w.raw_dim()),
        Tensor::zeros(b.raw_dim()),
    );
    for i in 0..n {
        for o in 0..c_out {
            for oy in 0..oh {
                for ox in 0..ow {
                    let up = g[[i, o, oy, ox]];
                    let mut acc = b[[o]];
                    db[[o]] += up;
                    for ch in 0..c_in {
                        for u in 0..kh {
                            for v in 0..kw {
                                let iy = (oy * c.stride + u) as isize - c.pad.0 as isize;
                                let ix = (ox * c.stride + v) as isize - c.pad.1 as isize;
                                if iy < 0 || ix < 0 || iy >= h as isize || ix >= wd as isize {
                                    continue; // a zero of the padding
                                }
                                let at = [i, ch, iy as usize, ix as usize];
                                acc += w[[o, ch, u, v]] * x[at];
                                dw[[o, ch, u, v]] += up * x[at];
                                dx[at] += up * w[[o, ch, u, v]];
                            }
                        }
                    }
                    y[[i, o, oy, ox]] = acc;
                }
            }
        }
    }
    (y, dx, dw, db)
}

#[test]
fn conv2d_matches_a_direct_seven_loop_convolution() {
    let mut cases: Vec<ConvCase> = (0..30).map(random_case).collect();
    cases.push(case(
        90,
        [2, 3, 7, 9],
        4,
        (3, 3),
        2,
        Padding::Explicit(1, 2),
    ));
    cases.push(case(91, [1, 2, 6, 6], 3, (2, 4), 1, Padding::Same)); // even kernels: more zeros after
    cases.push(case(92, [3, 1, 5, 5], 2, (5, 5), 1, Padding::Valid)); // one output pixel
    // Kernel pixels that only ever see padding:
    cases.push(case(
        93,
        [1, 2, 1, 3],
        2,
        (5, 3),
        1,
        Padding::Explicit(2, 1),
    ));
    cases.push(case(
        94,
        [2, 1, 1, 1],
        1,
        (1, 1),
        2,
        Padding::Explicit(1, 1),
    ));
    for (k, mut c) in cases.into_iter().enumerate() {
        let y = c.conv.forward(&c.x, Mode::Train);
        let g = normal(y.shape(), 1000 + k as u64);
        let (y_naive, dx_naive, dw_naive, db_naive) = naive(&c, &g);
        let dx = c.conv.backward(&g);
        let close = |a: &Tensor, b: &Tensor| a.shape() == b.shape() && a.abs_diff_eq(b, 1e-12);
        let what = format!("case {k}: {}, x {:?}", c.conv.name(), c.x.shape());
        assert!(close(&y, &y_naive), "forward, {what}");
        assert!(close(&dx, &dx_naive), "∂L/∂x, {what}");
        assert!(close(&c.conv.w.grad, &dw_naive), "∂L/∂W, {what}");
        assert!(close(&c.conv.b.grad, &db_naive), "∂L/∂b, {what}");
    }
}

#[test]
fn conv2d_passes_the_gradient_check_on_random_shapes() {
    for seed in 0..12 {
        let c = random_case(seed);
        let report = check_layer(&c.conv, &c.x, seed);
        assert!(
            report.passed(),
            "seed {seed}: {}: {report:?}",
            c.conv.name()
        );
        assert_eq!(report.params.len(), 2);
    }
    let named = [
        case(50, [2, 3, 7, 5], 2, (3, 3), 2, Padding::Valid), // stride 2, odd sizes
        case(51, [1, 2, 5, 6], 3, (3, 3), 1, Padding::Same),
        case(52, [2, 2, 4, 5], 2, (2, 3), 1, Padding::Same), // non-square, even
        case(53, [1, 3, 6, 7], 2, (3, 2), 2, Padding::Explicit(2, 1)),
    ];
    for (k, c) in named.iter().enumerate() {
        let report = check_layer(&c.conv, &c.x, 60 + k as u64);
        assert!(report.passed(), "{}: {report:?}", c.conv.name());
    }
}

#[test]
fn output_shapes_follow_the_formula() {
    let mut rng = seeded_rng(0);
    let shape = |conv: Conv2D, hw: (usize, usize)| {
        let mut conv = conv;
        let x: Tensor = Tensor::zeros(vec![2, 3, hw.0, hw.1]);
        conv.forward(&x, Mode::Eval).shape().to_vec()
    };
    let conv = |k, rng: &mut scratchnet::tensor::Rng| Conv2D::new(3, 5, k, Init::HeNormal, rng);
    // ⌊(H + 2p − k)/s⌋ + 1
    assert_eq!(shape(conv((3, 3), &mut rng), (28, 28)), [2, 5, 26, 26]);
    assert_eq!(
        shape(conv((3, 3), &mut rng).stride(2), (28, 28)),
        [2, 5, 13, 13]
    );
    assert_eq!(
        shape(conv((3, 3), &mut rng).stride(2), (27, 27)),
        [2, 5, 13, 13]
    );
    assert_eq!(
        shape(conv((5, 3), &mut rng).padding(Padding::Same), (9, 8)),
        [2, 5, 9, 8]
    );
    assert_eq!(
        shape(conv((4, 4), &mut rng).padding(Padding::Same), (6, 7)),
        [2, 5, 6, 7]
    );
    let explicit = conv((3, 3), &mut rng)
        .padding(Padding::Explicit(1, 0))
        .stride(3);
    assert_eq!(shape(explicit, (10, 10)), [2, 5, 4, 3]); // (10 + 2 − 3)/3 + 1, (10 − 3)/3 + 1
    assert_eq!(shape(conv((7, 7), &mut rng), (7, 7)), [2, 5, 1, 1]);

    let mut pool = MaxPool2D::new((2, 2));
    let pooled = |pool: &mut MaxPool2D, hw: (usize, usize)| {
        let x: Tensor = Tensor::zeros(vec![1, 4, hw.0, hw.1]);
        pool.forward(&x, Mode::Eval).shape().to_vec()
    };
    assert_eq!(pooled(&mut pool, (24, 24)), [1, 4, 12, 12]);
    assert_eq!(pooled(&mut pool, (25, 7)), [1, 4, 12, 3]); // the last row and column dropped
    assert_eq!(
        pooled(&mut MaxPool2D::new((3, 2)).stride(1), (5, 5)),
        [1, 4, 3, 4]
    );

    let mut flat = Flatten::new();
    let x: Tensor = Tensor::zeros(vec![3, 4, 5, 6]);
    assert_eq!(flat.forward(&x, Mode::Eval).shape(), &[3, 120]);
}

#[test]
fn same_padding_needs_stride_one() {
    // Refused where it is asked for, in either order, not at the first forward pass.
    let conv = || Conv2D::<f64>::new(1, 1, (3, 3), Init::HeNormal, &mut seeded_rng(0));
    assert!(std::panic::catch_unwind(|| conv().padding(Padding::Same).stride(2)).is_err());
    assert!(std::panic::catch_unwind(|| conv().stride(2).padding(Padding::Same)).is_err());
    let mut same = conv().padding(Padding::Same).stride(1);
    let x: Tensor = Tensor::zeros(vec![1, 1, 5, 5]);
    assert_eq!(same.forward(&x, Mode::Eval).shape(), &[1, 1, 5, 5]);
}

#[test]
fn layer_names() {
    let mut rng = seeded_rng(0);
    let conv: Conv2D = Conv2D::new(1, 32, (3, 3), Init::HeNormal, &mut rng);
    assert_eq!(conv.name(), "Conv2D(1 → 32, 3×3)");
    let conv = conv.stride(2).padding(Padding::Explicit(1, 1));
    assert_eq!(conv.name(), "Conv2D(1 → 32, 3×3, stride 2, padding (1, 1))");
    let conv: Conv2D = Conv2D::new(3, 8, (5, 3), Init::HeNormal, &mut rng).padding(Padding::Same);
    assert_eq!(conv.name(), "Conv2D(3 → 8, 5×3, same)");
    assert_eq!(MaxPool2D::<f64>::new((2, 2)).name(), "MaxPool2D(2×2)");
    assert_eq!(
        MaxPool2D::<f64>::new((3, 3)).stride(2).name(),
        "MaxPool2D(3×3, stride 2)"
    );
    assert_eq!(Flatten::<f64>::new().name(), "Flatten");
    assert_eq!(BatchNorm::<f64>::new(32).name(), "BatchNorm(32)");
}

/// Distinct values (a scaled random permutation), so that no window has a tie
/// and every maximum wins by far more than the checker's ε.
fn without_ties(shape: &[usize], seed: u64) -> Tensor {
    let n: usize = shape.iter().product();
    let mut values: Vec<f64> = (0..n).map(|i| i as f64 / n as f64 - 0.5).collect();
    values.shuffle(&mut seeded_rng(seed));
    tensor(shape, &values)
}

#[test]
fn maxpool_passes_the_gradient_check() {
    for seed in 0..10 {
        let mut rng = seeded_rng(seed);
        let kernel = (rng.random_range(1..4), rng.random_range(1..4));
        let mut pool = MaxPool2D::new(kernel);
        if seed % 3 == 1 {
            pool = pool.stride(rng.random_range(1..3)); // overlapping windows share winners
        }
        let shape = [
            rng.random_range(1..3),
            rng.random_range(1..4),
            kernel.0 + rng.random_range(0..4),
            kernel.1 + rng.random_range(0..4),
        ];
        let report = check_layer(&pool, &without_ties(&shape, seed), seed);
        assert!(report.passed(), "seed {seed}, {shape:?}: {report:?}");
    }
}

#[test]
fn maxpool_gives_ties_to_the_first_maximum() {
    let mut pool = MaxPool2D::new((2, 2));
    let x = tensor(&[1, 1, 2, 2], &[3.0, 7.0, 7.0, 7.0]);
    assert_eq!(pool.forward(&x, Mode::Train), tensor(&[1, 1, 1, 1], &[7.0]));
    let dx = pool.backward(&tensor(&[1, 1, 1, 1], &[1.0]));
    assert_eq!(dx, tensor(&[1, 1, 2, 2], &[0.0, 1.0, 0.0, 0.0]));
}

#[test]
fn flatten_passes_the_gradient_check_and_keeps_pytorchs_order() {
    let x = normal(&[2, 3, 2, 4], 5);
    let report = check_layer(&Flatten::new(), &x, 5);
    assert!(report.passed(), "{report:?}");
    let y = Flatten::new().forward(&x, Mode::Eval);
    let (channel, row, column) = (2, 1, 3);
    assert_eq!(
        y[[1, channel * 8 + row * 4 + column]],
        x[[1, channel, row, column]]
    );
}

/// A batch norm with random γ and β, so that their gradients are not trivial.
fn random_batchnorm(channels: usize, seed: u64) -> BatchNorm {
    let mut bn = BatchNorm::new(channels);
    bn.gamma.value = normal(&[channels], seed) + 1.0;
    bn.beta.value = normal(&[channels], seed + 1);
    bn
}

#[test]
fn batchnorm_passes_the_gradient_check_in_training_mode() {
    for seed in 0..8 {
        let mut rng = seeded_rng(seed);
        let features = rng.random_range(1..6);
        let dense = [rng.random_range(2..7), features];
        let conv = [
            rng.random_range(1..4),
            rng.random_range(1..4),
            rng.random_range(1..4),
            rng.random_range(2..4),
        ];
        for shape in [&dense[..], &conv[..]] {
            let bn = random_batchnorm(shape[1], seed);
            // Inputs far from mean 0 and variance 1, so that normalising matters.
            let x = normal(shape, seed + 10) * 3.0 + 2.0;
            let report = check_layer(&bn, &x, seed);
            assert!(report.passed(), "seed {seed}, {shape:?}: {report:?}");
            let names: Vec<&str> = report.params.iter().map(|p| p.0.as_str()).collect();
            assert_eq!(names, ["batchnorm.gamma", "batchnorm.beta"]); // the buffers are skipped
        }
    }
}

/// The check covers the batch statistics: the same layer with μ and σ held
/// fixed (treated as constants in backward) fails it.
#[test]
fn batchnorm_check_sees_the_batch_statistics() {
    #[derive(Clone)]
    struct ConstantStatistics(BatchNorm, Option<Tensor>);
    impl Layer for ConstantStatistics {
        fn forward(&mut self, x: &Tensor, mode: Mode) -> Tensor {
            self.1 = Some(x.clone());
            self.0.forward(x, mode)
        }
        fn backward(&mut self, grad_y: &Tensor) -> Tensor {
            self.0.backward(grad_y); // γ and β are right
            // dx = γ/σ · dy: what x̂ = (x − μ)/σ gives if μ and σ did not depend on x
            let x = self.1.as_ref().unwrap();
            let sigma = x
                .var_axis(ndarray::Axis(0), 0.0)
                .mapv(|v| (v + 1e-5).sqrt());
            grad_y * &(&self.0.gamma.value / &sigma)
        }
        fn params(&self) -> Vec<&Param> {
            self.0.params()
        }
        fn params_mut(&mut self) -> Vec<&mut Param> {
            self.0.params_mut()
        }
        fn name(&self) -> String {
            "ConstantStatistics".into()
        }
    }
    let x = normal(&[6, 3], 1);
    let report = check_layer(&ConstantStatistics(random_batchnorm(3, 1), None), &x, 1);
    assert!(report.input > 0.01, "{report:?}");
}

#[test]
fn batchnorm_running_statistics_converge_to_the_data() {
    // Three channels with means 3, −1, 0.5 and variances 4, 0.25, 1.
    let (means, stds) = ([3.0, -1.0, 0.5], [2.0, 0.5, 1.0]);
    let mut bn: BatchNorm = BatchNorm::new(3);
    let mut rng = seeded_rng(7);
    for _ in 0..300 {
        let x = Tensor::from_shape_fn(vec![16, 3, 4, 4], |d| {
            Normal::new(means[d[1]], stds[d[1]])
                .unwrap()
                .sample(&mut rng)
        });
        bn.forward(&x, Mode::Train);
    }
    for c in 0..3 {
        let (m, v) = (bn.running_mean.value[[c]], bn.running_var.value[[c]]);
        assert!(
            (m - means[c]).abs() < 0.05 * stds[c],
            "channel {c}: mean {m}"
        );
        let var = stds[c] * stds[c];
        assert!((v - var).abs() < 0.08 * var, "channel {c}: variance {v}");
    }
    // Dense features too: [batch, features].
    let mut bn: BatchNorm = BatchNorm::new(2);
    for _ in 0..300 {
        let x = Tensor::from_shape_fn(vec![64, 2], |d| {
            Normal::new(means[d[1]], stds[d[1]])
                .unwrap()
                .sample(&mut rng)
        });
        bn.forward(&x, Mode::Train);
    }
    approx::assert_abs_diff_eq!(
        bn.running_mean.value,
        tensor(&[2], &[3.0, -1.0]),
        epsilon = 0.2
    );
    approx::assert_abs_diff_eq!(
        bn.running_var.value,
        tensor(&[2], &[4.0, 0.25]),
        epsilon = 0.4
    );
}

#[test]
fn batchnorm_running_variance_is_unbiased_and_momentum_is_pytorchs() {
    let mut bn: BatchNorm = BatchNorm::new(1);
    let x = tensor(&[4, 1], &[1.0, 2.0, 3.0, 6.0]); // mean 3, Σ(x − 3)² = 14
    bn.forward(&x, Mode::Train);
    approx::assert_abs_diff_eq!(
        bn.running_mean.value[[0]],
        0.9 * 0.0 + 0.1 * 3.0,
        epsilon = 1e-12
    );
    approx::assert_abs_diff_eq!(
        bn.running_var.value[[0]],
        0.9 * 1.0 + 0.1 * 14.0 / 3.0,
        epsilon = 1e-12
    );
}

#[test]
fn batchnorm_evaluation_uses_the_running_statistics() {
    let mut bn = random_batchnorm(3, 2);
    let x = normal(&[5, 3, 2, 2], 3) * 2.0 + 1.0;
    let before = (bn.running_mean.value.clone(), bn.running_var.value.clone());
    let eval = bn.forward(&x, Mode::Eval);
    // With the initial running statistics (0, 1): y = γ·x/√(1 + ε) + β, and nothing is updated.
    let scale = 1.0 / (1.0 + 1e-5f64).sqrt();
    let gamma = bn
        .gamma
        .value
        .clone()
        .into_shape_with_order(vec![1, 3, 1, 1])
        .unwrap();
    let beta = bn
        .beta
        .value
        .clone()
        .into_shape_with_order(vec![1, 3, 1, 1])
        .unwrap();
    approx::assert_abs_diff_eq!(eval, &x * &gamma * scale + &beta, epsilon = 1e-12);
    assert_eq!(
        (bn.running_mean.value.clone(), bn.running_var.value.clone()),
        before
    );
    // Training normalises with the batch's own statistics instead: another output.
    let train = bn.forward(&x, Mode::Train);
    assert!(!train.abs_diff_eq(&eval, 0.1));
    // After training on the same batch many times, the running statistics are
    // the batch's, and evaluation agrees with training (up to n/(n − 1)).
    for _ in 0..200 {
        bn.forward(&x, Mode::Train);
    }
    let n = 5.0 * 4.0;
    bn.running_var.value *= (n - 1.0) / n; // the biased variance training divides by
    approx::assert_abs_diff_eq!(bn.forward(&x, Mode::Eval), train, epsilon = 1e-6); // 0.9²⁰⁰ of the start remains
}

/// A training step moves γ and β but leaves the running statistics to the
/// layer: the optimizer never receives them.
#[test]
fn optimizers_never_see_buffers() {
    #[derive(Default)]
    struct Recorder(Vec<String>);
    impl Optimizer for Recorder {
        fn step(&mut self, params: &mut [&mut Param]) {
            self.0.extend(params.iter().map(|p| p.name.clone()));
        }
        fn learning_rate(&self) -> f64 {
            0.0
        }
        fn set_learning_rate(&mut self, _: f64) {}
    }
    let mut net = Sequential::new()
        .with(Dense::new(3, 2, Init::HeNormal, &mut seeded_rng(0)))
        .with(BatchNorm::new(2));
    let mut recorder = Recorder::default();
    let (x, y) = (normal(&[4, 3], 1), normal(&[4, 2], 2));
    let penalty = scratchnet::regularization::Penalty::L2(0.1);
    train_step(
        &mut net,
        &mut MeanSquaredError::new(),
        penalty,
        &mut recorder,
        &x,
        &y,
    );
    assert_eq!(
        recorder.0,
        [
            "0.dense.W",
            "0.dense.b",
            "1.batchnorm.gamma",
            "1.batchnorm.beta"
        ]
    );
    assert_eq!(net.num_parameters(), (3 * 2 + 2) + (2 + 2));
    // With a real optimizer, the running mean is exactly what the forward pass made it.
    let mut expected = net.clone();
    expected.forward(&x, Mode::Train);
    train_step(
        &mut net,
        &mut MeanSquaredError::new(),
        penalty,
        &mut Adam::new(0.1),
        &x,
        &y,
    );
    let running = |n: &Sequential| n.params()[4].value.clone();
    assert_eq!(net.params()[4].kind, ParamKind::Buffer);
    assert_eq!(running(&net), running(&expected));
}

/// Conv2D → ReLU → MaxPool2D → Flatten → Dense, `channels` 3×3 kernels over
/// `[1, side, side]` images, `classes` outputs.
fn tiny_cnn<F: Float>(side: usize, channels: usize, classes: usize, seed: u64) -> Sequential<F> {
    let mut rng = seeded_rng(seed);
    let pooled = (side - 2) / 2;
    Sequential::new()
        .with(Conv2D::new(1, channels, (3, 3), Init::HeNormal, &mut rng))
        .with(ReLU::new())
        .with(MaxPool2D::new((2, 2)))
        .with(Flatten::new())
        .with(Dense::new(
            channels * pooled * pooled,
            classes,
            Init::XavierNormal,
            &mut rng,
        ))
}

#[test]
fn a_tiny_cnn_passes_the_whole_network_check() {
    for seed in 0..4 {
        let classes = 2 + seed as usize % 3;
        let net = tiny_cnn::<f64>(6 + seed as usize % 2, 2, classes, seed);
        let side = 6 + seed as usize % 2;
        // Distinct inputs: no ties in the pooling windows after the convolution (almost surely).
        let x = normal(&[3, 1, side, side], seed + 20);
        let labels: Vec<usize> = (0..3).map(|i| (i + seed as usize) % classes).collect();
        let report = check_network(
            &net,
            &SoftmaxCrossEntropy::new(),
            &x,
            &one_hot(&labels, classes),
        );
        assert!(report.passed(), "seed {seed}: {report:?}");
        assert_eq!(report.params.len(), 4); // conv W, b; dense W, b
        assert_eq!(report.params[0].0, "0.conv2d.W");
    }
    // With batch norm between the convolution and the ReLU.
    let mut rng = seeded_rng(9);
    let net = Sequential::new()
        .with(Conv2D::new(2, 3, (3, 3), Init::HeNormal, &mut rng).padding(Padding::Same))
        .with(random_batchnorm(3, 9))
        .with(Tanh::new())
        .with(Flatten::new())
        .with(BatchNorm::new(3 * 4 * 4))
        .with(Dense::new(48, 3, Init::XavierNormal, &mut rng));
    let x = normal(&[4, 2, 4, 4], 30);
    let report = check_network(
        &net,
        &SoftmaxCrossEntropy::new(),
        &x,
        &one_hot(&[0, 1, 2, 1], 3),
    );
    assert!(report.passed(), "{report:?}");
}

/// 8×8 images, each with one bar (horizontal: class 0, vertical: class 1)
/// of length 3 to 6 at a random place, in noise.
fn bars(n: usize, seed: u64) -> (Tensor<f32>, Tensor<f32>) {
    let mut rng = seeded_rng(seed);
    let noise = Normal::new(0.0, 0.2).unwrap();
    let mut x = Tensor::<f32>::zeros(vec![n, 1, 8, 8]);
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        x.slice_mut(ndarray::s![i, 0, .., ..])
            .mapv_inplace(|_| noise.sample(&mut rng) as f32);
        let vertical = rng.random_bool(0.5);
        let (len, along, across) = (
            rng.random_range(3..7),
            rng.random_range(0..3),
            rng.random_range(0..8),
        );
        for k in along..along + len {
            let (r, c) = if vertical { (k, across) } else { (across, k) };
            x[[i, 0, r, c]] += 1.0;
        }
        labels.push(vertical as usize);
    }
    (x, one_hot::<f32>(&labels, 2))
}

#[test]
fn a_tiny_cnn_learns_horizontal_from_vertical_bars_with_fit() {
    let (x, y) = bars(400, 1);
    let (x_test, y_test) = bars(200, 2);
    let mut net = tiny_cnn::<f32>(8, 4, 2, 3);
    let history = fit(
        &mut net,
        &mut SoftmaxCrossEntropy::new(),
        &mut Adam::new(0.01),
        &x,
        &y,
        Fit::new(8, 16).accuracy().validation(&x_test, &y_test),
    )
    .unwrap();
    let last = history.epochs.last().unwrap();
    assert!(last.train_loss < history.epochs[0].train_loss);
    assert!(last.val_accuracy.unwrap() > 0.95, "{last:?}");
    // predict batches 4-D inputs along axis 0, like fit.
    let whole = predict(&mut net, &x_test, 1000);
    let batched = predict(&mut net, &x_test, 64);
    assert!(whole.abs_diff_eq(&batched, 1e-5));
}

#[test]
fn a_cnn_with_batchnorm_saves_and_loads_its_weights_and_running_statistics() {
    let build = |seed| {
        let mut rng = seeded_rng(seed);
        Sequential::<f32>::new()
            .with(Conv2D::new(1, 4, (3, 3), Init::HeNormal, &mut rng).padding(Padding::Same))
            .with(BatchNorm::new(4))
            .with(ReLU::new())
            .with(MaxPool2D::new((2, 2)))
            .with(Flatten::new())
            .with(Dense::new(4 * 4 * 4, 2, Init::XavierNormal, &mut rng))
    };
    let mut trained = build(1);
    let (x, y) = bars(64, 3);
    fit(
        &mut trained,
        &mut SoftmaxCrossEntropy::new(),
        &mut Adam::new(0.01),
        &x,
        &y,
        Fit::new(2, 16),
    )
    .unwrap();
    let names: Vec<String> = trained.params().iter().map(|p| p.name.clone()).collect();
    assert_eq!(
        names,
        [
            "0.conv2d.W",
            "0.conv2d.b",
            "1.batchnorm.gamma",
            "1.batchnorm.beta",
            "1.batchnorm.running_mean",
            "1.batchnorm.running_var",
            "5.dense.W",
            "5.dense.b"
        ]
    );
    let running_mean = trained.params()[4].value.clone();
    assert!(
        running_mean.iter().all(|&m| m != 0.0),
        "training moved the running mean"
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cnn.safetensors");
    save_weights(&trained, &path).unwrap();
    let mut fresh = build(2);
    load_weights(&mut fresh, &path).unwrap();
    for (a, b) in trained.params().iter().zip(fresh.params()) {
        assert_eq!(a.value, b.value, "{}", a.name);
    }
    assert_eq!(fresh.predict(&x), trained.predict(&x)); // evaluation uses the loaded statistics

    // The file as PyTorch sees it: nn.Conv2d's weight layout [out, in, kh, kw].
    let bytes = std::fs::read(&path).unwrap();
    let file = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    assert_eq!(file.tensor("0.conv2d.W").unwrap().shape(), &[4, 1, 3, 3]);
    assert_eq!(
        file.tensor("1.batchnorm.running_var").unwrap().shape(),
        &[4]
    );
}

#[test]
fn the_summary_table_of_keras_mnist_cnn() {
    let mut rng = seeded_rng(0);
    let net: Sequential<f32> = Sequential::new()
        .with(Conv2D::new(1, 32, (3, 3), Init::HeUniform, &mut rng))
        .with(ReLU::new())
        .with(Conv2D::new(32, 64, (3, 3), Init::HeUniform, &mut rng))
        .with(ReLU::new())
        .with(MaxPool2D::new((2, 2)))
        .with(Dropout::new(0.25, 0))
        .with(Flatten::new())
        .with(Dense::new(9216, 128, Init::HeUniform, &mut rng))
        .with(ReLU::new())
        .with(Dropout::new(0.5, 1))
        .with(Dense::new(128, 10, Init::XavierUniform, &mut rng));
    let summary = net.summary_table(&[1, 28, 28]);
    // Keras' mnist_cnn example reports 1,199,882 parameters.
    assert_eq!(summary.total_params(), 1_199_882);
    assert_eq!(summary.rows[2].output_shape, [64, 24, 24]);
    assert_eq!(summary.rows[6].output_shape, [9216]);
    let text = summary.to_string();
    assert!(text.contains("Total params: 1,199,882\n"), "{text}");
    assert!(
        text.contains("Dense(9216 → 128)               (None, 128)              1,179,776"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 11 + 6);
}
