//! Gradient-norm clipping (Chapter 4): PyTorch's clip_grad_norm_ semantics.

use rand::Rng;
use scratchnet::optim::clip_grad_norm;
use scratchnet::{Param, Tensor, layer::ParamKind, seeded_rng};

fn random_params(seed: u64, scale: f64) -> Vec<Param> {
    let mut rng = seeded_rng(seed);
    (0..3)
        .map(|k| {
            let shape = vec![rng.random_range(1..5), rng.random_range(1..5)];
            let mut p = Param::new(
                format!("p{k}"),
                ParamKind::Weight,
                Tensor::zeros(shape.clone()),
            );
            p.grad = Tensor::from_shape_simple_fn(shape, || scale * rng.random_range(-1.0..1.0));
            p
        })
        .collect()
}

fn total_norm(params: &[Param]) -> f64 {
    params
        .iter()
        .map(|p| p.grad.mapv(|g| g * g).sum())
        .sum::<f64>()
        .sqrt()
}

#[test]
fn clipping_caps_the_total_norm_and_keeps_the_direction() {
    for seed in 0..20 {
        let mut params = random_params(seed, 100.0);
        let before: Vec<Tensor> = params.iter().map(|p| p.grad.clone()).collect();
        let norm = total_norm(&params);
        let returned = clip_grad_norm(&mut params.iter_mut().collect::<Vec<_>>(), 1.0);
        assert!(
            (returned - norm).abs() < 1e-9 * norm,
            "returns the norm before clipping"
        );
        assert!(total_norm(&params) <= 1.0 && total_norm(&params) > 1.0 - 1e-5);
        let scale = 1.0 / (norm + 1e-6);
        for (p, g) in params.iter().zip(&before) {
            approx::assert_abs_diff_eq!(p.grad, g * scale, epsilon = 1e-12); // one factor for all
        }
    }
}

#[test]
fn small_gradients_are_left_alone() {
    for seed in 0..20 {
        let mut params = random_params(seed, 0.01);
        let before: Vec<Tensor> = params.iter().map(|p| p.grad.clone()).collect();
        let norm = clip_grad_norm(&mut params.iter_mut().collect::<Vec<_>>(), 1.0);
        assert!(norm < 1.0);
        for (p, g) in params.iter().zip(&before) {
            assert_eq!(&p.grad, g);
        }
    }
}

#[test]
fn clipping_works_in_f32() {
    let mut p: Param<f32> = Param::new("w", ParamKind::Weight, Tensor::zeros(vec![2]));
    p.grad = ndarray::arr1(&[3.0f32, 4.0]).into_dyn();
    assert_eq!(clip_grad_norm(&mut [&mut p], 1.0), 5.0);
    assert!((p.grad[[0]] - 0.6).abs() < 1e-6 && (p.grad[[1]] - 0.8).abs() < 1e-6);
}
