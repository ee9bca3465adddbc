//! Chapter 2 exercises: an activation layer, He initialisation, the dropout
//! mask and softmax's backward pass, from scratch.
//!
//! Fill in every `todo!()`, then check your work with
//! `cargo test -p exercises --test ch02`.

use rand::Rng;
use scratchnet::layer::{Layer, Mode, cached};
use scratchnet::tensor::Tensor;

// ANCHOR: leaky_relu
/// Exercise 2.1: leaky ReLU as a layer.
///
/// `forward` returns y = x where x > 0 and y = `alpha`·x elsewhere, applied
/// to every element; in [`Mode::Train`] it also stores `x` in `self.x`.
/// `backward` receives ∂L/∂y and returns ∂L/∂x = ∂L/∂y ⊙ f'(x), where
/// f'(x) = 1 for x > 0 and `alpha` otherwise.
#[derive(Clone, Debug)]
pub struct MyLeakyReLU {
    /// Slope for negative inputs.
    pub alpha: f64,
    /// The input of the latest training-mode forward pass.
    pub x: Option<Tensor>,
}

impl MyLeakyReLU {
    /// A leaky ReLU with slope `alpha` for negative inputs.
    pub fn new(alpha: f64) -> Self {
        MyLeakyReLU { alpha, x: None }
    }
}

impl Layer for MyLeakyReLU {
    fn forward(&mut self, x: &Tensor, mode: Mode) -> Tensor {
        // ANCHOR: solution_leaky_forward
        if mode == Mode::Train {
            self.x = Some(x.clone());
        }
        let alpha = self.alpha;
        x.mapv(|v| if v > 0.0 { v } else { alpha * v })
        // ANCHOR_END: solution_leaky_forward
    }

    fn backward(&mut self, grad_y: &Tensor) -> Tensor {
        // ANCHOR: solution_leaky_backward
        let x = cached(&self.x, "MyLeakyReLU"); // panics with a clear message if there is no x
        let alpha = self.alpha;
        let mut g = grad_y.clone();
        // Chain rule, element by element: ∂L/∂x = ∂L/∂y · f'(x).
        g.zip_mut_with(x, |g, &v| *g *= if v > 0.0 { 1.0 } else { alpha });
        g
        // ANCHOR_END: solution_leaky_backward
    }

    fn name(&self) -> String {
        format!("MyLeakyReLU({})", self.alpha)
    }
}
// ANCHOR_END: leaky_relu

// ANCHOR: standard_normal
/// A standard normal sample by the Box–Muller transform (given, not an exercise):
/// if u₁, u₂ are uniform on (0, 1], then √(−2 ln u₁)·cos(2π u₂) is N(0, 1).
pub fn standard_normal(rng: &mut impl Rng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>(); // in (0, 1], so ln u₁ is finite
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}
// ANCHOR_END: standard_normal

// ANCHOR: he_normal
/// Exercise 2.2: He (Kaiming) normal initialisation.
///
/// Return a weight matrix of shape `[n_in, n_out]` whose entries are
/// independent normal samples with mean 0 and variance 2 / `n_in`.
/// Use [`standard_normal`] for the randomness.
pub fn he_normal(n_in: usize, n_out: usize, rng: &mut impl Rng) -> Tensor {
    // ANCHOR: solution_he_normal
    // Scaling a N(0, 1) sample by s gives variance s², so s = √(2 / n_in).
    let std = (2.0 / n_in as f64).sqrt();
    Tensor::from_shape_simple_fn(vec![n_in, n_out], || std * standard_normal(rng))
    // ANCHOR_END: solution_he_normal
}
// ANCHOR_END: he_normal

// ANCHOR: dropout_mask
/// Exercise 2.3: the mask of inverted dropout.
///
/// Return a tensor of the given `shape` in which each entry is independently
/// 0 with probability `p` (the unit is dropped) and 1/(1 − `p`) otherwise
/// (the unit is kept and scaled). Multiplying activations by this mask is
/// inverted dropout; its entries average to 1, so E[mask ⊙ x] = x.
/// You may assume 0 ≤ `p` < 1.
pub fn dropout_mask(shape: &[usize], p: f64, rng: &mut impl Rng) -> Tensor {
    // ANCHOR: solution_dropout_mask
    let keep = 1.0 - p;
    Tensor::from_shape_simple_fn(shape.to_vec(), || if rng.random::<f64>() < keep { 1.0 / keep } else { 0.0 })
    // ANCHOR_END: solution_dropout_mask
}
// ANCHOR_END: dropout_mask

// ANCHOR: softmax_backward
/// Exercise 2.4: the backward pass of softmax.
///
/// `y` is the softmax output and `grad_y` = ∂L/∂y, both `[batch, classes]`.
/// Return ∂L/∂z, `[batch, classes]`, using the Jacobian
/// ∂yᵢ/∂zⱼ = yᵢ(δᵢⱼ − yⱼ) row by row, without building the Jacobian matrix.
pub fn softmax_backward(y: &Tensor, grad_y: &Tensor) -> Tensor {
    // ANCHOR: solution_softmax_backward
    // ∂L/∂zⱼ = Σᵢ gᵢ yᵢ (δᵢⱼ − yⱼ) = yⱼ (gⱼ − Σᵢ gᵢ yᵢ), for each row.
    let mut dz = Tensor::zeros(y.raw_dim());
    for (b, (y_row, g_row)) in y.outer_iter().zip(grad_y.outer_iter()).enumerate() {
        let dot: f64 = y_row.iter().zip(g_row.iter()).map(|(y, g)| y * g).sum();
        for j in 0..y_row.len() {
            dz[[b, j]] = y_row[j] * (g_row[j] - dot);
        }
    }
    dz
    // ANCHOR_END: solution_softmax_backward
}
// ANCHOR_END: softmax_backward
