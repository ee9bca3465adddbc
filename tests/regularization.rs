//! The L1 penalty's two steps: the subgradient (Penalty::L1) and the proximal
//! step (soft-thresholding), Chapter 2.

use scratchnet::experiments::sparsity::{self, L1Step};
use scratchnet::regularization::{prox_l1, soft_threshold};
use scratchnet::{Param, layer::ParamKind, seeded_rng, tensor};

/// soft_threshold(w, t) minimises (1/2)(v − w)² + t|v| over v: no point of a
/// fine grid does better.
#[test]
fn soft_threshold_is_the_proximal_map_of_the_l1_norm() {
    use rand::Rng;
    let mut rng = seeded_rng(3);
    for _ in 0..200 {
        let (w, t): (f64, f64) = (rng.random_range(-2.0..2.0), rng.random_range(0.0..1.0));
        let objective = |v: f64| 0.5 * (v - w).powi(2) + t * v.abs();
        let best = objective(soft_threshold(w, t));
        for k in -3000..=3000 {
            assert!(
                best <= objective(k as f64 * 1e-3) + 1e-12,
                "w = {w}, t = {t}"
            );
        }
    }
}

/// prox_l1 acts on weights only, element by element.
#[test]
fn prox_l1_thresholds_weights_and_leaves_biases() {
    let mut w = Param::new(
        "W",
        ParamKind::Weight,
        tensor(&[2, 2], &[1.0, -0.2, 0.05, -1.0]),
    );
    let mut b = Param::new("b", ParamKind::Bias, tensor(&[2], &[0.05, -0.05]));
    prox_l1(&mut [&mut w, &mut b], 0.1);
    approx::assert_abs_diff_eq!(
        w.value,
        tensor(&[2, 2], &[0.9, -0.1, 0.0, -0.9]),
        epsilon = 1e-15
    );
    assert_eq!(b.value, tensor(&[2], &[0.05, -0.05]));
}

/// After the proximal run, the weights satisfy the optimality conditions of
/// the L1-penalised least squares (the lasso): a zero weight's data gradient
/// is at most λ in size, a non-zero weight's is −λ·sign(w). The subgradient
/// run satisfies neither exactly: it has no zero weight at all.
#[test]
fn the_proximal_run_reaches_the_lasso_solution() {
    let (x, y) = sparsity::dataset();
    let n = sparsity::N_EXAMPLES as f64;
    for step in [L1Step::Proximal, L1Step::Subgradient] {
        let w = sparsity::weight_paths(step).pop().unwrap();
        // The bias is not recorded; at the optimum it makes the mean residual 0.
        let pred: Vec<f64> = (0..sparsity::N_EXAMPLES)
            .map(|r| (0..sparsity::N_FEATURES).map(|j| x[[r, j]] * w[j]).sum())
            .collect();
        let b = (0..sparsity::N_EXAMPLES)
            .map(|r| y[[r, 0]] - pred[r])
            .sum::<f64>()
            / n;
        let grad = |j: usize| {
            (0..sparsity::N_EXAMPLES)
                .map(|r| 2.0 / n * x[[r, j]] * (pred[r] + b - y[[r, 0]]))
                .sum::<f64>()
        };
        let lambda = sparsity::LAMBDA;
        match step {
            L1Step::Proximal => {
                for (j, &wj) in w.iter().enumerate() {
                    if wj == 0.0 {
                        assert!(grad(j).abs() <= lambda, "w{j} = 0 but |grad| = {}", grad(j));
                    } else {
                        assert!(
                            (grad(j) + lambda * wj.signum()).abs() < 1e-3,
                            "w{j}: {}",
                            grad(j)
                        );
                    }
                }
            }
            L1Step::Subgradient => assert!(w.iter().all(|&wj| wj != 0.0)),
        }
    }
}
