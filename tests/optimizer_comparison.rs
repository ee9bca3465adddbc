//! The numbers Chapter 4 quotes from its optimizer comparisons (the same
//! runs as `examples/ch04_optimizers.rs` and Figures 4.1–4.4).

use scratchnet::experiments::optimizers::{
    BOWL, LEARNING_RATES, ROSENBROCK, SPIRAL_STEPS, Surface, bowl_lineup, descend, first_below,
    rosenbrock_lineup, spiral_lineup, train_spirals,
};
use scratchnet::optim::Sgd;

fn final_values(
    surface: Surface,
    start: (f64, f64),
    steps: usize,
    lineup: Vec<scratchnet::experiments::optimizers::Contender>,
) -> Vec<(f64, (f64, f64))> {
    lineup
        .into_iter()
        .map(|(_, mut opt)| {
            let path = descend(opt.as_mut(), &surface, start, steps);
            let (x, y) = path[steps];
            ((surface.f)(x, y), (x, y))
        })
        .collect()
}

#[test]
fn bowl_after_30_steps() {
    // SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam, Adadelta
    let f: Vec<f64> = final_values(BOWL, (-7.0, 2.0), 30, bowl_lineup())
        .iter()
        .map(|r| r.0)
        .collect();
    let want = [0.0133, 0.0479, 0.0238, 0.00072, 0.00118, 0.102, 5.82];
    for (k, (got, want)) in f.iter().zip(want).enumerate() {
        assert!(
            (got - want).abs() < 0.01 * want,
            "optimizer {k}: f = {got}, chapter says {want}"
        );
    }
    // Starting value 49/20 + 4 = 6.45: Adadelta has removed only a tenth of it.
    assert_eq!((BOWL.f)(-7.0, 2.0), 6.45);
}

#[test]
fn rosenbrock_after_3000_steps() {
    let r = final_values(ROSENBROCK, (-1.5, 2.0), 3000, rosenbrock_lineup());
    let reached: Vec<bool> = r.iter().map(|(f, _)| *f < 1e-6).collect();
    // Momentum, Nesterov and Adam reach (1, 1); SGD, AdaGrad, RMSProp, Adadelta do not.
    assert_eq!(reached, [false, true, true, false, false, true, false]);
    let (_, (x, y)) = r[0];
    assert!(
        (x - 0.78).abs() < 0.005 && (y - 0.607).abs() < 0.005,
        "SGD ends at ({x}, {y})"
    );
}

#[test]
fn learning_rate_regimes_on_the_bowl() {
    // For gradient descent on the bowl, the y-coordinate is multiplied by 1 − 2η
    // each step: |1 − 2η| < 1 needs η < 1. The x-coordinate by 1 − η/10.
    let f_after = |lr: f64| {
        let path = descend(&mut Sgd::new(lr), &BOWL, (-7.0, 2.0), 60);
        let (x, y) = path[60];
        (BOWL.f)(x, y)
    };
    let [small, good, large] = LEARNING_RATES;
    assert!(f_after(small) > 0.5, "η = 0.1 is still far after 60 steps");
    assert!(f_after(good) < 1e-3, "η = 0.9 converges");
    assert!(f_after(large) > 100.0, "η = 1.02 diverges");
}

#[test]
fn spirals_after_300_steps() {
    let finals: Vec<(f64, Option<usize>)> = spiral_lineup()
        .into_iter()
        .map(|(_, mut opt)| {
            let losses = train_spirals(opt.as_mut(), SPIRAL_STEPS);
            assert!(
                (losses[0] - 1.1532).abs() < 1e-4,
                "every optimizer starts from the same net"
            );
            (losses[SPIRAL_STEPS - 1], first_below(&losses, 0.5))
        })
        .collect();
    // SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam, Adadelta, Adadelta(lr 0.001)
    let want = [0.360, 0.0625, 0.0650, 0.0894, 0.0601, 0.0424, 0.626, 1.148];
    for (k, ((got, _), want)) in finals.iter().zip(want).enumerate() {
        assert!(
            (got - want).abs() < 0.01 * want,
            "optimizer {k}: final loss {got}, chapter says {want}"
        );
    }
    assert_eq!(finals[5].1, Some(74), "Adam gets below 0.5 at step 74");
    assert_eq!(finals[7].1, None, "Keras' Adadelta never gets below 0.5");
}
