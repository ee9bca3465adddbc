//! `fit` stops with a diagnosis, instead of training on NaN, when the loss or
//! a weight stops being a finite number.

use scratchnet::prelude::*;

/// Floor areas of 64 flats in m² (50 to 239, unscaled) and their prices in
/// thousands: 3 per m².
fn flats() -> (Tensor<f32>, Tensor<f32>) {
    let area: Vec<f32> = (0..64).map(|i| 50.0 + (i * 3) as f32).collect();
    let price: Vec<f32> = area.iter().map(|a| 3.0 * a).collect();
    let column = |v: &[f32]| Tensor::from_shape_vec(vec![64, 1], v.to_vec()).unwrap();
    (column(&area), column(&price))
}

fn line() -> Sequential<f32> {
    let zeros = |shape: &[usize]| Tensor::<f32>::zeros(shape.to_vec());
    Sequential::new().with(Dense::from_weights(zeros(&[1, 1]), zeros(&[1])))
}

// ANCHOR: overflow
#[test]
fn an_overflowing_loss_stops_fit_at_its_step_with_the_likely_causes() {
    let (x, y) = flats();
    let mut net = line();
    // Stable only below η = 1/E[x²] ≈ 4·10⁻⁵ (Chapter 4): 0.001 is 25 times too large.
    let result = fit(
        &mut net,
        &mut MeanSquaredError::new(),
        &mut Sgd::new(0.001),
        &x,
        &y,
        Fit::new(100, 64),
    );
    let Err(FitError::Diverged(err)) = result else {
        panic!("fit should diverge");
    };
    assert!(!err.loss.is_finite(), "{err}");
    // Full batch: one step per epoch, and every epoch before the failing one is kept.
    assert_eq!((err.epoch, err.step_in_epoch), (err.step, 1));
    assert_eq!(err.train_losses.len(), err.epoch - 1);
    assert!(
        err.train_losses.windows(2).all(|w| w[1] > w[0]),
        "the loss grew"
    );
    assert_eq!(err.lr, 0.001);
    assert_eq!(err.input_max_abs, 239.0);
    let text = err.to_string();
    assert!(
        text.contains(&format!("step {} (1 of the epoch)", err.step)),
        "{text}"
    );
    assert!(
        text.contains("unscaled inputs: the largest |x| in the batch is 239"),
        "{text}"
    );
    assert!(text.contains("is 0.001 too large?"), "{text}");
    // It stops at once: the weights are those after the failing step, not 100 epochs of NaN.
    assert!(err.step < 100);
}
// ANCHOR_END: overflow

#[test]
fn the_same_data_scaled_trains() {
    let (x, y) = flats();
    let x = x.mapv(|a| a / 239.0); // scaled to (0, 1]
    let mut net = line();
    let history = fit(
        &mut net,
        &mut MeanSquaredError::new(),
        &mut Sgd::new(0.001),
        &x,
        &y,
        Fit::new(100, 64),
    )
    .expect("scaled inputs train at this rate");
    assert!(history.train_losses()[99] < history.train_losses()[0]);
}

#[test]
fn a_nan_hidden_by_relu_is_found_at_the_end_of_the_epoch() {
    // One hidden unit's bias is NaN: ReLU turns its NaN output into 0, so the
    // loss stays finite and only the check of the parameters finds it.
    let mut rng = seeded_rng(1);
    let mut net = Sequential::<f32>::new()
        .with(Dense::new(2, 4, Init::HeUniform, &mut rng))
        .with(ReLU::new())
        .with(Dense::new(4, 1, Init::XavierUniform, &mut rng));
    net.params_mut()[1].value[[2]] = f32::NAN;
    let x = tensor(
        &[8, 2],
        &[
            0., 0., 0., 1., 1., 0., 1., 1., 0., 0., 0., 1., 1., 0., 1., 1.,
        ],
    );
    let y = tensor(&[8, 1], &[0., 1., 1., 0., 0., 1., 1., 0.]);
    let (x, y) = (x.mapv(|v| v as f32), y.mapv(|v| v as f32));
    let result = fit(
        &mut net,
        &mut MeanSquaredError::new(),
        &mut Adam::new(0.01),
        &x,
        &y,
        Fit::new(3, 4),
    );
    let Err(FitError::Diverged(err)) = result else {
        panic!("fit should diverge");
    };
    assert!(err.loss.is_finite(), "the loss never saw the NaN");
    assert_eq!((err.epoch, err.step, err.step_in_epoch), (1, 2, 0));
    let first = err.first_broken().expect("a broken parameter");
    assert_eq!(
        (first.name.as_str(), first.non_finite_values),
        ("0.dense.b", 1)
    );
    assert!(
        err.to_string()
            .contains("First non-finite parameter: 0.dense.b [4]")
    );
}
