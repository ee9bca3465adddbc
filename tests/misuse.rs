//! Library misuse panics where it happens, with a message that names the
//! layer (its position in a `Sequential` and its name), the shapes or values
//! involved, and what to do: not deep inside ndarray ("inputs 32 × 784 and
//! 100 × 128 are not compatible for matrix multiplication"), and never a
//! silently wrong result. One test per misuse; each expects the key part of
//! its message.
//!
//! (Files and other outside input are `Result`s, tested in `tests/data_*.rs`
//! and `tests/weights.rs`.)

use scratchnet::metrics::{accuracy, confusion_matrix};
use scratchnet::prelude::*;
use scratchnet::schedule::Schedule;
use scratchnet::train::{evaluate, predict};
use scratchnet::{early_stopping::EarlyStopping, layers::Padding};

fn zeros(shape: &[usize]) -> Tensor {
    Tensor::zeros(shape.to_vec())
}

fn dense(n_in: usize, n_out: usize) -> Dense {
    Dense::new(n_in, n_out, Init::HeNormal, &mut seeded_rng(0))
}

fn conv(c_in: usize, c_out: usize, k: usize) -> Conv2D {
    Conv2D::new(c_in, c_out, (k, k), Init::HeNormal, &mut seeded_rng(0))
}

// ---------------------------------------------------------------- Dense

#[test]
#[should_panic(
    expected = "layer 2 (Dense(100 → 128)) expects inputs of width 100, got [32, 784]: \
                build it as Dense(784 → 128), or give it inputs of width 100"
)]
fn dense_after_flatten_sized_for_the_wrong_width_names_its_position() {
    let mut net = Sequential::new()
        .with(Flatten::new())
        .with(ReLU::new())
        .with(dense(100, 128));
    net.forward(&zeros(&[32, 1, 28, 28]), Mode::Train);
}

#[test]
#[should_panic(expected = "Dense(100 → 128) expects inputs of width 100, got [32, 784]")]
fn dense_alone_with_the_wrong_width_names_itself() {
    dense(100, 128).forward(&zeros(&[32, 784]), Mode::Eval);
}

#[test]
#[should_panic(expected = "layer 0 (Dense(4 → 8)) expects inputs of width 4, got [5, 3]")]
fn predict_with_the_wrong_input_width() {
    let mut net = Sequential::new()
        .with(dense(4, 8))
        .with(ReLU::new())
        .with(dense(8, 2));
    net.predict(&zeros(&[5, 3]));
}

#[test]
#[should_panic(expected = "layer 0 (Dense(4 → 8)) expects inputs of width 4, got [2, 3]")]
fn batched_predict_with_the_wrong_input_width() {
    let mut net = Sequential::new().with(dense(4, 8));
    predict(&mut net, &zeros(&[5, 3]), 2); // batches of 2 rows
}

#[test]
#[should_panic(
    expected = "layer 0 (Dense(784 → 10)) expects inputs [batch, 784], got [8, 1, 28, 28]: \
                put a Flatten before it, which gives [8, 784]"
)]
fn dense_on_images_asks_for_a_flatten() {
    Sequential::new()
        .with(dense(784, 10))
        .predict(&zeros(&[8, 1, 28, 28]));
}

#[test]
#[should_panic(
    expected = "Dense(4 → 2) expects inputs [batch, 4], got [4]: a single example is a batch of one, [1, 4]"
)]
fn dense_on_a_single_example_without_its_batch_axis() {
    dense(4, 2).forward(&zeros(&[4]), Mode::Eval);
}

#[test]
#[should_panic(
    expected = "Dense::new: a layer needs at least one input and one output, got Dense(0 → 10)"
)]
fn dense_with_no_inputs() {
    dense(0, 10);
}

// ---------------------------------------------------------------- Conv2D

#[test]
#[should_panic(
    expected = "layer 0 (Conv2D(3 → 8, 3×3)) expects images with 3 channels, \
                [batch, 3, height, width], got [2, 1, 28, 28]: build it with in_channels = 1, or give it 3 channels"
)]
fn conv_with_the_wrong_channel_count() {
    Sequential::new()
        .with(conv(3, 8, 3))
        .predict(&zeros(&[2, 1, 28, 28]));
}

#[test]
#[should_panic(expected = "layer 2 (Conv2D(4 → 8, 5×5)) cannot take [1, 4, 3, 3]: \
                a 5×5 kernel does not fit a 3×3 input with padding Valid")]
fn conv_on_an_input_smaller_than_its_kernel() {
    // 8×8 → 6×6 → pooled to 3×3: too small for the second 5×5 kernel.
    Sequential::new()
        .with(conv(1, 4, 3))
        .with(MaxPool2D::new((2, 2)))
        .with(conv(4, 8, 5))
        .predict(&zeros(&[1, 1, 8, 8]));
}

#[test]
#[should_panic(
    expected = "Conv2D(1 → 4, 3×3) expects images [batch, 1, height, width], got [2, 784]: \
                reshape rows of pixels into [batch, channels, height, width]"
)]
fn conv_on_flat_rows() {
    conv(1, 4, 3).forward(&zeros(&[2, 784]), Mode::Eval);
}

#[test]
#[should_panic(
    expected = "Conv2D: padding Same needs stride 1, got stride 2 (use Padding::Explicit)"
)]
fn conv_same_padding_with_a_stride() {
    let _ = conv(1, 4, 3).padding(Padding::Same).stride(2);
}

#[test]
#[should_panic(
    expected = "Conv2D::new: channels and kernel sides must be at least 1, got Conv2D(1 → 4, 0×0)"
)]
fn conv_with_an_empty_kernel() {
    conv(1, 4, 0);
}

// ---------------------------------------------------------------- MaxPool2D

#[test]
#[should_panic(
    expected = "MaxPool2D(2×2) expects images [batch, channels, height, width], got [2, 784]: \
                pooling works on feature maps; put it before the Flatten"
)]
fn max_pool_on_a_matrix() {
    MaxPool2D::new((2, 2)).forward(&zeros(&[2, 784]), Mode::Eval);
}

#[test]
#[should_panic(
    expected = "layer 1 (MaxPool2D(2×2)) cannot take [1, 4, 1, 1]: its 2×2 window does not fit a 1×1 image"
)]
fn max_pool_on_an_image_smaller_than_its_window() {
    Sequential::new()
        .with(conv(1, 4, 3))
        .with(MaxPool2D::new((2, 2)))
        .predict(&zeros(&[1, 1, 3, 3]));
}

#[test]
#[should_panic(expected = "MaxPool2D::new: the window must be at least 1×1, got 0×2")]
fn max_pool_with_an_empty_window() {
    let _: MaxPool2D = MaxPool2D::new((0, 2));
}

// ---------------------------------------------------------------- BatchNorm

#[test]
#[should_panic(
    expected = "layer 1 (BatchNorm(16)) expects inputs [batch, 16, ...], got [2, 8]: \
                build it as BatchNorm(8)"
)]
fn batch_norm_with_the_wrong_feature_count() {
    Sequential::new()
        .with(dense(4, 8))
        .with(BatchNorm::new(16))
        .forward(&zeros(&[2, 4]), Mode::Train);
}

#[test]
#[should_panic(expected = "BatchNorm(3) expects inputs [batch, 3, ...], got [2, 4, 5, 5]")]
fn batch_norm_alone_with_the_wrong_channel_count() {
    BatchNorm::new(3).forward(&zeros(&[2, 4, 5, 5]), Mode::Eval);
}

#[test]
#[should_panic(expected = "BatchNorm(4): training needs more than one value per channel, got 1")]
fn batch_norm_training_on_a_single_example() {
    BatchNorm::new(4).forward(&zeros(&[1, 4]), Mode::Train);
}

#[test]
#[should_panic(expected = "BatchNorm::new: channels must be at least 1")]
fn batch_norm_of_nothing() {
    let _: BatchNorm = BatchNorm::new(0);
}

// ---------------------------------------------------------------- Flatten, Softmax, nesting

#[test]
#[should_panic(
    expected = "Flatten expects inputs [batch, ...], got [784]: a single example is a batch of one, [1, 784]"
)]
fn flatten_on_a_vector() {
    Flatten::new().forward(&zeros(&[784]), Mode::Eval);
}

#[test]
#[should_panic(expected = "softmax expects [batch, classes], got [2, 3, 4]")]
fn softmax_on_images() {
    Softmax::new().forward(&zeros(&[2, 3, 4]), Mode::Eval);
}

#[test]
#[should_panic(
    expected = "layer 1 (Sequential(Dense(3 → 2))) at its layer 0 (Dense(3 → 2)) \
                expects inputs of width 3, got [1, 4]"
)]
fn a_nested_network_names_both_positions() {
    let inner = Sequential::new().with(dense(3, 2));
    Sequential::new()
        .with(ReLU::new())
        .with(inner)
        .predict(&zeros(&[1, 4]));
}

#[test]
#[should_panic(expected = "layer 3 (Dense(100 → 10)) expects inputs of width 100, got [1, 5408]")]
fn summary_table_names_the_layer_that_does_not_fit() {
    let net: Sequential = Sequential::new()
        .with(conv(1, 32, 3))
        .with(MaxPool2D::new((2, 2)))
        .with(Flatten::new())
        .with(dense(100, 10));
    net.summary_table(&[1, 28, 28]);
}

// ---------------------------------------------------------------- activations, init

#[test]
#[should_panic(expected = "LeakyReLU: alpha must be a finite number ≥ 0, got NaN")]
fn leaky_relu_with_a_nan_slope() {
    let _: LeakyReLU = LeakyReLU::new(f64::NAN);
}

#[test]
#[should_panic(expected = "Init::Normal(NaN) with fan_in 2 and fan_out 3: the variance is NaN")]
fn init_with_a_nan_deviation() {
    Dense::<f64>::new(2, 3, Init::Normal(f64::NAN), &mut seeded_rng(0));
}

// ---------------------------------------------------------------- losses, metrics

#[test]
#[should_panic(
    expected = "MeanSquaredError: prediction [4, 2] and target [4, 3] differ in shape: \
                the network gives 2 outputs per example but the target has 3: make its last layer give 3"
)]
fn mse_with_a_target_of_another_width() {
    MeanSquaredError::new().forward(&zeros(&[4, 2]), &zeros(&[4, 3]));
}

#[test]
#[should_panic(
    expected = "SoftmaxCrossEntropy: prediction [4, 10] and target [4, 1] differ in shape: \
                for class labels, one_hot(&labels, 10) makes the target [4, 10]"
)]
fn cross_entropy_with_labels_instead_of_one_hot_rows() {
    SoftmaxCrossEntropy::new().forward(&zeros(&[4, 10]), &zeros(&[4, 1]));
}

#[test]
#[should_panic(
    expected = "BinaryCrossEntropyWithLogits: prediction [4, 1] and target [4] differ in shape: \
                reshape the target into [4, 1]"
)]
fn binary_cross_entropy_with_a_flat_target() {
    BinaryCrossEntropyWithLogits::new().forward(&zeros(&[4, 1]), &zeros(&[4]));
}

#[test]
#[should_panic(
    expected = "MeanSquaredError: prediction [4, 1] and target [3, 1] differ in shape: \
                the prediction has 4 rows (examples) but the target 3"
)]
fn loss_with_a_target_for_fewer_examples() {
    MeanSquaredError::new().forward(&zeros(&[4, 1]), &zeros(&[3, 1]));
}

#[test]
#[should_panic(expected = "accuracy: prediction [4, 10] and target [4] differ in shape")]
fn accuracy_with_labels_instead_of_one_hot_rows() {
    accuracy(&zeros(&[4, 10]), &zeros(&[4]));
}

#[test]
#[should_panic(expected = "confusion_matrix: 3 predictions for 2 labels")]
fn confusion_matrix_with_lists_of_different_lengths() {
    confusion_matrix(&[0, 1, 1], &[0, 1], 2);
}

#[test]
#[should_panic(expected = "one_hot: label 10 is not below 10")]
fn one_hot_with_a_label_out_of_range() {
    let _: Tensor = one_hot(&[3, 10], 10);
}

// ---------------------------------------------------------------- optimizers

#[test]
#[should_panic(expected = "Sgd: the learning rate must be a positive finite number, got NaN")]
fn sgd_with_a_nan_learning_rate() {
    Sgd::new(f64::NAN);
}

#[test]
#[should_panic(expected = "Adam: the learning rate must be a positive finite number, got 0")]
fn adam_with_a_zero_learning_rate() {
    let _: Adam = Adam::new(0.0);
}

#[test]
#[should_panic(expected = "Adam: the learning rate must be a positive finite number, got -1")]
fn adam_with_a_negative_learning_rate() {
    let _: Adam = Adam::new(-1.0);
}

#[test]
#[should_panic(expected = "RmsProp: the learning rate must be a positive finite number, got inf")]
fn rmsprop_with_an_infinite_learning_rate() {
    let _: RmsProp = RmsProp::new(f64::INFINITY);
}

#[test]
#[should_panic(expected = "AdaGrad: the learning rate must be a positive finite number, got 0")]
fn adagrad_with_a_zero_learning_rate() {
    let _: AdaGrad = AdaGrad::new(0.0);
}

#[test]
#[should_panic(expected = "Adadelta: the learning rate must be a positive finite number, got NaN")]
fn adadelta_with_a_nan_step_factor() {
    let _: Adadelta = Adadelta::with_lr(f64::NAN);
}

#[test]
#[should_panic(expected = "Momentum: the learning rate must be a positive finite number, got -0.1")]
fn momentum_with_a_negative_learning_rate() {
    let _: Momentum = Momentum::new(-0.1, 0.9);
}

#[test]
#[should_panic(expected = "Momentum: the momentum must be in [0, 1), got 1 (0.9 is customary)")]
fn momentum_of_one() {
    let _: Momentum = Momentum::new(0.1, 1.0);
}

#[test]
#[should_panic(expected = "Momentum: the momentum must be in [0, 1), got NaN")]
fn nesterov_with_a_nan_momentum() {
    let _: Momentum = Momentum::nesterov(0.1, f64::NAN);
}

#[test]
#[should_panic(expected = "Adam: the weight decay must be a finite number ≥ 0, got -0.01")]
fn adamw_with_a_negative_weight_decay() {
    let _: Adam = Adam::new(0.001).with_weight_decay(-0.01);
}

#[test]
#[should_panic(
    expected = "Adam::set_learning_rate: the learning rate must be a finite number ≥ 0, got NaN"
)]
fn setting_a_nan_learning_rate() {
    Optimizer::<f64>::set_learning_rate(&mut Adam::new(0.001), f64::NAN);
}

#[test]
#[should_panic(
    expected = "Sgd::set_learning_rate: the learning rate must be a finite number ≥ 0, got -0.1"
)]
fn setting_a_negative_learning_rate() {
    Optimizer::<f64>::set_learning_rate(&mut Sgd::new(0.1), -0.1);
}

#[test]
fn a_learning_rate_of_exactly_zero_is_allowed_where_a_cosine_schedule_ends() {
    let mut adam: Adam = Adam::new(0.01);
    adam.set_learning_rate(0.0);
    assert_eq!(adam.learning_rate(), 0.0);
    // fit's last step under a cosine with floor 0 sets the rate to exactly 0.
    let (x, y) = (tensor(&[4, 1], &[0.0, 1.0, 2.0, 3.0]), zeros(&[4, 1]));
    let mut net = Sequential::new().with(dense(1, 1));
    let cosine = Fit::new(3, 2).schedule(Schedule::Cosine {
        warmup: 0,
        floor: 0.0,
    });
    let history = fit(
        &mut net,
        &mut MeanSquaredError::new(),
        &mut Adam::new(0.01),
        &x,
        &y,
        cosine,
    )
    .unwrap();
    assert_eq!(history.epochs.last().unwrap().lr, 0.0);
}

// ---------------------------------------------------------------- schedules

#[test]
#[should_panic(expected = "Schedule::StepDecay: the factor must be in (0, 1], got NaN")]
fn a_step_decay_with_a_nan_factor() {
    let _: Fit = Fit::new(3, 2).schedule(Schedule::StepDecay {
        every: 1,
        factor: f64::NAN,
    });
}

#[test]
#[should_panic(expected = "Schedule::StepDecay: `every` must be at least 1")]
fn a_step_decay_every_zero_epochs() {
    let _: Fit = Fit::new(3, 2).schedule(Schedule::StepDecay {
        every: 0,
        factor: 0.1,
    });
}

#[test]
#[should_panic(
    expected = "Schedule::Cosine: the floor must be in [0, 1] (a fraction of the base rate), got -0.1"
)]
fn a_cosine_with_a_negative_floor() {
    let _: Fit = Fit::new(3, 2).schedule(Schedule::Cosine {
        warmup: 0,
        floor: -0.1,
    });
}

// ---------------------------------------------------------------- dropout

#[test]
#[should_panic(expected = "Dropout: p must be in [0, 1), got 1")]
fn dropout_of_one() {
    let _: Dropout = Dropout::new(1.0, 0);
}

#[test]
#[should_panic(expected = "Dropout: p must be in [0, 1), got NaN")]
fn dropout_of_nan() {
    let _: Dropout = Dropout::new(f64::NAN, 0);
}

#[test]
#[should_panic(expected = "Dropout: p must be in [0, 1), got -0.1")]
fn dropout_below_zero() {
    let _: Dropout = Dropout::new(-0.1, 0);
}

// ---------------------------------------------------------------- training

#[test]
#[should_panic(expected = "Fit::new: the batch size must be at least 1, got 0")]
fn fit_with_a_batch_size_of_zero() {
    let _: Fit = Fit::new(10, 0);
}

#[test]
#[should_panic(expected = "Fit::new: the number of epochs must be at least 1, got 0")]
fn fit_with_zero_epochs() {
    let _: Fit = Fit::new(0, 32);
}

#[test]
#[should_panic(expected = "fit: x has 4 rows but y has 3")]
fn fit_with_fewer_targets_than_examples() {
    let mut net = Sequential::new().with(dense(2, 1));
    let _ = fit(
        &mut net,
        &mut MeanSquaredError::new(),
        &mut Sgd::new(0.1),
        &zeros(&[4, 2]),
        &zeros(&[3, 1]),
        Fit::new(1, 4),
    );
}

#[test]
#[should_panic(expected = "Fit::validation: x has 3 rows but y has 2 (x [3, 2], y [2, 1])")]
fn a_validation_set_with_fewer_targets_than_examples() {
    let (xv, yv) = (zeros(&[3, 2]), zeros(&[2, 1]));
    let _ = Fit::new(1, 4).validation(&xv, &yv);
}

#[test]
#[should_panic(expected = "predict: the batch size must be at least 1")]
fn predict_with_a_batch_size_of_zero() {
    let mut net = Sequential::new().with(dense(2, 1));
    predict(&mut net, &zeros(&[4, 2]), 0);
}

#[test]
#[should_panic(expected = "evaluate: the batch size must be at least 1")]
fn evaluate_with_a_batch_size_of_zero() {
    let mut net = Sequential::new().with(dense(2, 1));
    evaluate(
        &mut net,
        &mut MeanSquaredError::new(),
        &zeros(&[4, 2]),
        &zeros(&[4, 1]),
        0,
    );
}

#[test]
#[should_panic(expected = "evaluate: x has 4 rows but y has 3")]
fn evaluate_with_fewer_targets_than_examples() {
    let mut net = Sequential::new().with(dense(2, 1));
    evaluate(
        &mut net,
        &mut MeanSquaredError::new(),
        &zeros(&[4, 2]),
        &zeros(&[3, 1]),
        2,
    );
}

// ---------------------------------------------------------------- early stopping

#[test]
#[should_panic(expected = "EarlyStopping: the patience must be at least 1")]
fn early_stopping_without_patience() {
    let _: EarlyStopping = EarlyStopping::new(0);
}

#[test]
#[should_panic(expected = "EarlyStopping: min_delta must be 0 or more, not NaN")]
fn early_stopping_with_a_nan_min_delta() {
    let _: EarlyStopping = EarlyStopping::new(3).min_delta(f64::NAN);
}
