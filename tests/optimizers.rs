//! Every optimizer against three steps computed by hand.
//!
//! The problem: minimise f(θ) = θ² from θ₀ = 1, so the gradient is g = 2θ.
//! Each test writes the arithmetic of the three steps in its comments (7
//! significant digits; the asserted constants are the exact `f64` results of
//! the same formulas, computed in Python), so that a reader can redo them.

use approx::assert_abs_diff_eq;
use scratchnet::layer::ParamKind;
use scratchnet::prelude::*;

/// Runs three steps of `opt` on f(θ) = θ² from θ = 1 and returns θ₁, θ₂, θ₃.
fn three_steps(opt: &mut dyn Optimizer) -> [f64; 3] {
    let mut p = Param::new("theta", ParamKind::Weight, tensor(&[1], &[1.0]));
    let mut out = [0.0; 3];
    for slot in &mut out {
        p.grad = p.value.mapv(|t| 2.0 * t); // ∇θ² = 2θ
        opt.step(&mut [&mut p]);
        *slot = p.value[[0]];
    }
    out
}

fn assert_steps(got: [f64; 3], want: [f64; 3]) {
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        assert_abs_diff_eq!(*g, w, epsilon = 1e-12);
        assert!((g - w).abs() < 1e-12, "step {}: got {g}, want {w}", k + 1);
    }
}

#[test]
fn sgd_by_hand() {
    // η = 0.1: θ ← θ − 0.1·2θ = 0.8θ
    // θ₁ = 0.8, θ₂ = 0.64, θ₃ = 0.512
    assert_steps(three_steps(&mut Sgd::new(0.1)), [0.8, 0.64, 0.512]);
}

#[test]
fn momentum_by_hand() {
    // η = 0.1, μ = 0.9; v ← 0.9v + g, θ ← θ − 0.1v
    // 1: g = 2,    v = 2,                   θ = 1 − 0.2      = 0.8
    // 2: g = 1.6,  v = 0.9·2 + 1.6 = 3.4,   θ = 0.8 − 0.34   = 0.46
    // 3: g = 0.92, v = 0.9·3.4 + 0.92 = 3.98, θ = 0.46 − 0.398 = 0.062
    assert_steps(
        three_steps(&mut Momentum::new(0.1, 0.9)),
        [0.8, 0.46, 0.062],
    );
}

#[test]
fn nesterov_by_hand() {
    // η = 0.1, μ = 0.9; v ← 0.9v + g, θ ← θ − 0.1(g + 0.9v)
    // 1: g = 2,      v = 2,                       θ = 1 − 0.1(2 + 1.8)              = 0.62
    // 2: g = 1.24,   v = 1.8 + 1.24 = 3.04,       θ = 0.62 − 0.1(1.24 + 2.736)      = 0.2224
    // 3: g = 0.4448, v = 2.736 + 0.4448 = 3.1808, θ = 0.2224 − 0.1(0.4448 + 2.86272) = −0.108352
    assert_steps(
        three_steps(&mut Momentum::nesterov(0.1, 0.9)),
        [0.62, 0.2224, -0.108352],
    );
}

#[test]
fn momentum_equals_sutskever_formulation() {
    // Sutskever et al.: u ← μu − ηg, θ ← θ + u. With u = −ηv this is ours.
    let (lr, mu) = (0.05, 0.8);
    let (mut theta, mut u) = (1.0, 0.0);
    let ours = three_steps(&mut Momentum::new(lr, mu));
    for want in ours {
        u = mu * u - lr * 2.0 * theta;
        theta += u;
        assert_abs_diff_eq!(theta, want, epsilon = 1e-14);
    }
}

#[test]
fn nesterov_equals_keras_and_pytorch_formulations() {
    // Keras's SGD(nesterov=True): u ← μu − ηg, θ ← θ + μu − ηg, g at the stored θ.
    // PyTorch's SGD(nesterov=True): b ← μb + g, θ ← θ − η(g + μb): ours, letter for letter.
    let (lr, mu) = (0.05, 0.8);
    let ours = three_steps(&mut Momentum::nesterov(lr, mu));
    let (mut keras, mut u) = (1.0, 0.0);
    let (mut torch, mut b) = (1.0, 0.0);
    for want in ours {
        let g = 2.0 * keras;
        u = mu * u - lr * g;
        keras += mu * u - lr * g;
        let g = 2.0 * torch;
        b = mu * b + g;
        torch -= lr * (g + mu * b);
        assert_abs_diff_eq!(keras, want, epsilon = 1e-14);
        assert_abs_diff_eq!(torch, want, epsilon = 1e-14);
    }
}

#[test]
fn nesterov_stores_sutskevers_look_ahead_point() {
    // Sutskever et al. (2013): u ← μu − η∇f(θ + μu), θ ← θ + u. Their look-ahead
    // point θ + μu is exactly the parameter our rewritten Nesterov stores.
    let (lr, mu) = (0.05, 0.8);
    let ours = three_steps(&mut Momentum::nesterov(lr, mu));
    let (mut theta, mut u) = (1.0, 0.0);
    for want in ours {
        let look_ahead = theta + mu * u;
        u = mu * u - lr * 2.0 * look_ahead; // ∇θ² at the look-ahead point
        theta += u;
        assert_abs_diff_eq!(theta + mu * u, want, epsilon = 1e-14);
    }
}

#[test]
fn adagrad_by_hand() {
    // η = 0.5, ε = 1e-10; G ← G + g², θ ← θ − 0.5·g/(√G + ε)
    // 1: g = 2,         G = 4,                    step = 0.5·2/2             = 0.5,       θ = 0.5
    // 2: g = 1,         G = 5,                    step = 0.5·1/2.236068      = 0.2236068, θ = 0.2763932
    // 3: g = 0.5527864, G = 5 + 0.3055728 = 5.305573, step = 0.5·0.5527864/2.303383 = 0.1199945, θ = 0.1563987
    assert_steps(
        three_steps(&mut AdaGrad::new(0.5)),
        [0.500000000025, 0.2763932022760768, 0.15639873604594765],
    );
}

#[test]
fn rmsprop_by_hand() {
    // η = 0.1, ρ = 0.9, ε = 1e-8; s ← 0.9s + 0.1g², θ ← θ − 0.1·g/(√s + ε)
    // 1: g = 2,         s = 0.4,                         √s = 0.6324555, step = 0.3162278, θ = 0.6837722
    // 2: g = 1.367544,  s = 0.36 + 0.1870178 = 0.5470178, √s = 0.7396065, step = 0.1849016, θ = 0.4988706
    // 3: g = 0.9977412, s = 0.4923160 + 0.0995488 = 0.5918648, √s = 0.7693275, step = 0.1296901, θ = 0.3691806
    assert_steps(
        three_steps(&mut RmsProp::new(0.1)),
        [0.683772238983162, 0.498870613507054, 0.36918056029155977],
    );
}

#[test]
fn adam_by_hand() {
    // η = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8
    // 1: g = 2;        m = 0.2,       v = 0.004;       m̂ = 0.2/0.1 = 2,          v̂ = 0.004/0.001 = 4
    //    step = 0.1·2/2 = 0.1 (+ε effect 5e-10),                                    θ = 0.9
    // 2: g = 1.8;      m = 0.18 + 0.18 = 0.36, v = 0.003996 + 0.00324 = 0.007236;
    //    m̂ = 0.36/0.19 = 1.894737, v̂ = 0.007236/0.001999 = 3.619810, √v̂ = 1.902580
    //    step = 0.1·1.894737/1.902580 = 0.09958777,                                θ = 0.8004122
    // 3: g = 1.600824; m = 0.4840824, v = 0.009791403;
    //    m̂ = 0.4840824/0.271 = 1.786282, v̂ = 0.009791403/0.002997001 = 3.267067, √v̂ = 1.807503
    //    step = 0.1·1.786282/1.807503 = 0.09882596,                                θ = 0.7015863
    assert_steps(
        three_steps(&mut Adam::new(0.1)),
        [0.9000000005, 0.8004122286917927, 0.70158627294603],
    );
}

#[test]
fn adamw_by_hand() {
    // As Adam, but first θ ← θ(1 − ηλ) = 0.99θ with λ = 0.1; g is taken before the decay.
    // 1: g = 2;        θ → 0.99;       m = 0.2,   v = 0.004;     step = 0.1,        θ = 0.89
    // 2: g = 1.78;     θ → 0.8811;     m = 0.358, v = 0.0071644; m̂ = 1.884211, √v̂ = 1.893143
    //    step = 0.09952814,                                                      θ = 0.7815719
    // 3: g = 1.563144; θ → 0.7737561;  m = 0.4785144, v = 0.009600654; m̂ = 1.765736, √v̂ = 1.789810
    //    step = 0.09865492,                                                      θ = 0.6751012
    let mut adamw = Adam::new(0.1).with_weight_decay(0.1);
    assert_steps(
        three_steps(&mut adamw),
        [0.8900000004999999, 0.7815718559365047, 0.6751012216400696],
    );
}

#[test]
fn adadelta_by_hand() {
    // ρ = 0.95, ε = 1e-6, no learning rate (η = 1)
    // E[g²] ← 0.95E[g²] + 0.05g²; Δ = −√(E[Δ²] + ε)/√(E[g²] + ε)·g; E[Δ²] ← 0.95E[Δ²] + 0.05Δ²
    // 1: g = 2;        E[g²] = 0.2;       ratio = √1e-6/√0.200001 = 0.002236062; Δ = −0.004472125
    //    E[Δ²] = 0.05·2.000e-5 = 9.99995e-7;                               θ = 0.9955279
    // 2: g = 1.991056; E[g²] = 0.19 + 0.1982152 = 0.3882152; ratio = √1.999995e-6/√0.3882162 = 0.002269748
    //    Δ = −0.004519195, E[Δ²] = 1.971151e-6;                            θ = 0.9910087
    // 3: g = 1.982017; E[g²] = 0.565224; ratio = 0.002292724; Δ = −0.004544218; θ = 0.9864645
    assert_steps(
        three_steps(&mut Adadelta::default()),
        [0.9955278752252984, 0.9910086802754602, 0.9864644623414908],
    );
}

#[test]
fn keras_adadelta_default_takes_steps_1000_times_shorter() {
    // tf.keras's Adadelta() multiplies Zeiler's step by learning_rate = 0.001.
    let zeiler = three_steps(&mut Adadelta::default());
    let keras = three_steps(&mut Adadelta::with_lr(0.001));
    assert_abs_diff_eq!((1.0 - keras[0]) * 1000.0, 1.0 - zeiler[0], epsilon = 1e-12);
    // After three steps Zeiler's method has moved θ about 1000× as far (997.5×).
    let ratio = (1.0 - zeiler[2]) / (1.0 - keras[2]);
    assert!((ratio - 997.5).abs() < 0.05, "ratio {ratio}");
}

#[test]
fn state_is_kept_per_parameter() {
    // Two parameters with different gradients: each gets its own state, so a
    // step on [a, b] together equals separate optimizers on a and on b.
    let make = || -> Vec<Box<dyn Optimizer>> {
        vec![
            Box::new(Momentum::new(0.1, 0.9)),
            Box::new(Momentum::nesterov(0.1, 0.9)),
            Box::new(AdaGrad::new(0.1)),
            Box::new(RmsProp::new(0.1)),
            Box::new(Adam::new(0.1)),
            Box::new(Adadelta::default()),
        ]
    };
    for ((mut both, mut only_a), mut only_b) in make().into_iter().zip(make()).zip(make()) {
        let mut a = Param::new("a", ParamKind::Weight, tensor(&[2], &[1.0, -1.0]));
        let mut b = Param::new("b", ParamKind::Bias, tensor(&[1], &[3.0]));
        let (mut a2, mut b2) = (a.clone(), b.clone());
        for step in 0..4 {
            let s = step as f64;
            a.grad = tensor(&[2], &[0.5 + s, -2.0]);
            b.grad = tensor(&[1], &[10.0 - s]);
            a2.grad = a.grad.clone();
            b2.grad = b.grad.clone();
            both.step(&mut [&mut a, &mut b]);
            only_a.step(&mut [&mut a2]);
            only_b.step(&mut [&mut b2]);
        }
        assert_eq!(a.value, a2.value);
        assert_eq!(b.value, b2.value);
    }
}

/// Optimizer state is kept under each parameter's name, not its position:
/// passing the parameters in another order changes nothing.
#[test]
fn state_follows_names_not_positions() {
    let run = |swap: bool| {
        let mut a = Param::new("a", ParamKind::Weight, tensor(&[1], &[1.0]));
        let mut b = Param::new("b", ParamKind::Weight, tensor(&[1], &[-1.0]));
        let mut adam = Adam::new(0.1);
        for step in 0..3 {
            a.grad = tensor(&[1], &[1.0 + step as f64]);
            b.grad = tensor(&[1], &[-10.0]);
            if swap && step == 1 {
                adam.step(&mut [&mut b, &mut a]);
            } else {
                adam.step(&mut [&mut a, &mut b]);
            }
        }
        (a.value, b.value)
    };
    assert_eq!(run(false), run(true));
}

#[test]
#[should_panic(expected = "changed shape")]
fn a_changed_shape_is_caught() {
    let mut a = Param::new("a", ParamKind::Weight, tensor(&[1], &[1.0]));
    let mut adam = Adam::default();
    adam.step(&mut [&mut a]);
    let mut wider = Param::new("a", ParamKind::Weight, tensor(&[2], &[1.0, 2.0]));
    adam.step(&mut [&mut wider]);
}
