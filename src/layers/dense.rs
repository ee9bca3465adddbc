//! The fully connected (dense, affine) layer: `Y = X·W + b`.

use crate::init::Init;
use crate::layer::{Layer, Mode, Param, ParamKind, cached, expect_input, store};
use crate::tensor::{Float, Tensor, as_matrix, as_matrix_mut};
use ndarray::linalg::general_mat_mul;
use ndarray::{Axis, Ix1};
use rand::Rng;

/// A dense layer: every output is a weighted sum of every input, plus a bias.
///
/// Rows are examples, so a batch is multiplied from the left: `Y = X·W + b`
/// with `W` of shape `[n_in, n_out]` (the transpose of the `y = Wx + b` of a
/// single column vector in the math chapters).
///
/// # Shapes
/// * input `x`: `[batch, n_in]`
/// * weights `W`: `[n_in, n_out]`, bias `b`: `[n_out]`
/// * output `y`: `[batch, n_out]`
///
/// **Panics** in `forward` if `x` is not `[batch, n_in]`, naming the layer and
/// both shapes (a [`crate::Sequential`] adds the layer's position).
///
/// ```
/// use scratchnet::prelude::*;
/// let mut layer: Dense = Dense::new(3, 2, Init::XavierUniform, &mut seeded_rng(0));
/// let y = layer.forward(&Tensor::ones(vec![5, 3]), Mode::Train);
/// assert_eq!(y.shape(), &[5, 2]);
/// let dx = layer.backward(&Tensor::ones(vec![5, 2]));
/// assert_eq!(dx.shape(), &[5, 3]);
/// ```
#[derive(Clone, Debug)]
pub struct Dense<F: Float = f64> {
    /// Weights `W`, `[n_in, n_out]`.
    pub w: Param<F>,
    /// Bias `b`, `[n_out]`.
    pub b: Param<F>,
    x: Option<Tensor<F>>, // the input of the latest training-mode forward
}

impl<F: Float> Dense<F> {
    /// A layer with weights drawn by `init` and zero biases.
    ///
    /// **Panics** if `n_in` or `n_out` is 0.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let d: Dense = Dense::new(4, 3, Init::HeUniform, &mut seeded_rng(0));
    /// assert_eq!((d.w.value.shape(), d.b.value.sum()), (&[4, 3][..], 0.0)); // W: [n_in, n_out], b = 0
    /// assert!(d.w.value.iter().all(|w| w.abs() <= (6.0f64 / 4.0).sqrt())); // He: |w| ≤ √(6/fan_in)
    /// ```
    pub fn new(n_in: usize, n_out: usize, init: Init, rng: &mut impl Rng) -> Self {
        assert!(
            n_in > 0 && n_out > 0,
            "Dense::new: a layer needs at least one input and one output, got Dense({n_in} → {n_out})"
        );
        let w = init.sample(&[n_in, n_out], n_in, n_out, rng);
        Dense::from_weights(w, Tensor::zeros(vec![n_out]))
    }

    /// A layer with the given weights `[n_in, n_out]` and bias `[n_out]`.
    ///
    /// **Panics** if the shapes do not fit together.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut d = Dense::from_weights(tensor(&[2, 1], &[2.0, -1.0]), tensor(&[1], &[0.5]));
    /// let y = d.forward(&tensor(&[1, 2], &[3.0, 4.0]), Mode::Eval);
    /// assert_eq!(y[[0, 0]], 2.0 * 3.0 - 4.0 + 0.5);
    /// ```
    pub fn from_weights(w: Tensor<F>, b: Tensor<F>) -> Self {
        assert!(
            w.ndim() == 2 && b.ndim() == 1,
            "Dense: W must be [n_in, n_out] and b [n_out]"
        );
        assert_eq!(
            w.shape()[1],
            b.len(),
            "Dense: W has {} columns but b has {} entries",
            w.shape()[1],
            b.len()
        );
        Dense {
            w: Param::new("dense.W", ParamKind::Weight, w),
            b: Param::new("dense.b", ParamKind::Bias, b),
            x: None,
        }
    }

    fn shape(&self) -> (usize, usize) {
        (self.w.value.shape()[0], self.w.value.shape()[1])
    }
}

impl<F: Float> Layer<F> for Dense<F> {
    // ANCHOR: forward
    fn forward(&mut self, x: &Tensor<F>, mode: Mode) -> Tensor<F> {
        expect_input(self, x); // else a panic naming the layer and the shapes
        let x2 = as_matrix(x, "Dense"); // [batch, n_in]
        let w = as_matrix(&self.w.value, "Dense"); // [n_in, n_out]
        let b = self
            .b
            .value
            .view()
            .into_dimensionality::<Ix1>()
            .expect("b is 1-D"); // [n_out]
        let y = x2.dot(&w) + b; // [batch, n_out]: b is added to every row
        if mode.caches() {
            store(&mut self.x, x); // backward needs x for ∂L/∂W (a copy into a reused buffer)
        }
        y.into_dyn()
    }
    // ANCHOR_END: forward

    // ANCHOR: backward
    fn backward_params(&mut self, grad_y: &Tensor<F>) {
        let x = as_matrix(cached(&self.x, "Dense"), "Dense"); // [batch, n_in]
        let dy = as_matrix(grad_y, "Dense"); // [batch, n_out]
        // ∂L/∂W = Xᵀ·∂L/∂Y            [n_in, n_out], written over the old gradient's memory
        general_mat_mul(
            F::one(),
            &x.t(),
            &dy,
            F::zero(),
            &mut as_matrix_mut(&mut self.w.grad),
        );
        // ∂L/∂b = Σ_batch ∂L/∂Y       [n_out]
        self.b.grad = dy.sum_axis(Axis(0)).into_dyn();
    }

    fn backward(&mut self, grad_y: &Tensor<F>) -> Tensor<F> {
        self.backward_params(grad_y); // ∂L/∂W and ∂L/∂b, above
        let dy = as_matrix(grad_y, "Dense"); // [batch, n_out]
        let w = as_matrix(&self.w.value, "Dense"); // [n_in, n_out]
        // ∂L/∂X = ∂L/∂Y·Wᵀ            [batch, n_in]
        dy.dot(&w.t()).into_dyn()
    }
    // ANCHOR_END: backward

    fn params(&self) -> Vec<&Param<F>> {
        vec![&self.w, &self.b]
    }

    fn params_mut(&mut self) -> Vec<&mut Param<F>> {
        vec![&mut self.w, &mut self.b]
    }

    fn name(&self) -> String {
        let (i, o) = self.shape();
        format!("Dense({i} → {o})")
    }

    fn check_input(&self, input: &[usize]) -> Result<(), String> {
        let (n_in, n_out) = self.shape();
        let width = input.iter().skip(1).product::<usize>(); // what a Flatten would give
        match *input {
            [_, w] if w == n_in => Ok(()),
            [_, w] => Err(format!(
                "expects inputs of width {n_in}, got {input:?}: \
                 build it as Dense({w} → {n_out}), or give it inputs of width {n_in}"
            )),
            [batch, _, _, ..] if width == n_in => Err(format!(
                "expects inputs [batch, {n_in}], got {input:?}: \
                 put a Flatten before it, which gives [{batch}, {width}]"
            )),
            [batch, _, _, ..] => Err(format!(
                "expects inputs [batch, {n_in}], got {input:?}: put a Flatten before it, \
                 which gives [{batch}, {width}], and build it as Dense({width} → {n_out})"
            )),
            [n] => Err(format!(
                "expects inputs [batch, {n_in}], got {input:?}: \
                 a single example is a batch of one, [1, {n}]"
            )),
            [] => Err(format!("expects inputs [batch, {n_in}], got a scalar")),
        }
    }
}
