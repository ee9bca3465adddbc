//! The 2-D convolution layer, computed as im2col followed by one matrix multiply.

use super::im2col::{Geometry, Padding, col2im, im2col};
use crate::init::Init;
use crate::layer::{Layer, Mode, Param, ParamKind};
use crate::tensor::{Float, Tensor, as_images};
use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, Array4, ArrayView2, ArrayView4, Axis, Ix1};
use rand::Rng;

/// A 2-D convolution: `out_channels` kernels of shape `[in_channels, kh, kw]`
/// slide over the image, and each gives one output channel (plus its bias).
///
/// As in PyTorch (and every framework), it is a cross-correlation: the kernel
/// is not flipped, `y[b, o, i, j] = b[o] + Σ_{c, u, v} W[o, c, u, v] · x[b, c, i·s + u − p, j·s + v − p]`.
/// The weights have `nn.Conv2d`'s layout, `[out, in, kh, kw]`, so a saved file
/// needs no transposing in PyTorch (only its keys renamed: `conv2d.W` is `weight`).
///
/// Output size, per axis: `⌊(H + 2p − k) / s⌋ + 1` for kernel size `k`, stride `s`
/// and `p` zeros on each side ([`Padding`]).
///
/// How: [`im2col`] copies the batch's patches into the rows of a matrix
/// `[batch·oh·ow, in·kh·kw]`, which one product with the kernels `[in·kh·kw, out]`
/// turns into `[batch·oh·ow, out]`; reordering that gives `[batch, out, oh, ow]`.
/// The patch matrix lives as long as the layer, reused from step to step:
/// a training forward fills it, `backward` reads it and then overwrites it
/// with its gradient. An evaluation-mode forward uses it too, which discards
/// what a training forward had left for `backward`.
///
/// # Shapes
/// * input `x`: `[batch, in_channels, h, w]`
/// * weights `W`: `[out_channels, in_channels, kh, kw]`, bias `b`: `[out_channels]`
/// * output `y`: `[batch, out_channels, oh, ow]`
///
/// ```
/// use scratchnet::prelude::*;
/// let mut conv: Conv2D = Conv2D::new(1, 32, (3, 3), Init::HeUniform, &mut seeded_rng(0));
/// let y = conv.forward(&Tensor::ones(vec![8, 1, 28, 28]), Mode::Train);
/// assert_eq!(y.shape(), &[8, 32, 26, 26]); // (28 − 3)/1 + 1 = 26
/// let dx = conv.backward(&Tensor::ones(vec![8, 32, 26, 26]));
/// assert_eq!(dx.shape(), &[8, 1, 28, 28]);
/// assert_eq!(conv.name(), "Conv2D(1 → 32, 3×3)");
/// ```
#[derive(Clone, Debug)]
pub struct Conv2D<F: Float = f64> {
    /// Kernels `W`, `[out_channels, in_channels, kh, kw]`.
    pub w: Param<F>,
    /// Biases `b`, `[out_channels]`.
    pub b: Param<F>,
    stride: usize,
    padding: Padding,
    cols: Array2<F>, // the patch matrix [batch·oh·ow, in·kh·kw], a reused buffer
    cache: Option<(usize, Geometry)>, // batch and geometry of the latest training forward
}

impl<F: Float> Conv2D<F> {
    /// `out_channels` kernels of `kernel = (kh, kw)` over `in_channels`,
    /// drawn by `init` with fan_in = in·kh·kw and fan_out = out·kh·kw (as
    /// PyTorch and Keras count them); zero biases; stride 1, [`Padding::Valid`].
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let conv: Conv2D = Conv2D::new(32, 64, (3, 3), Init::HeUniform, &mut seeded_rng(0));
    /// assert_eq!(conv.w.value.shape(), &[64, 32, 3, 3]);
    /// let limit = (6.0f64 / (32.0 * 9.0)).sqrt(); // He: √(6 / fan_in)
    /// assert!(conv.w.value.iter().all(|w| w.abs() <= limit));
    /// assert_eq!(conv.b.value.sum(), 0.0);
    /// ```
    pub fn new(
        in_channels: usize,
        out_channels: usize,
        kernel: (usize, usize),
        init: Init,
        rng: &mut impl Rng,
    ) -> Self {
        let (kh, kw) = kernel;
        let shape = [out_channels, in_channels, kh, kw];
        let w = init.sample(&shape, in_channels * kh * kw, out_channels * kh * kw, rng);
        Conv2D::from_weights(w, Tensor::zeros(vec![out_channels]))
    }

    /// A layer with the given kernels `[out, in, kh, kw]` and biases `[out]`
    /// (stride 1, [`Padding::Valid`]).
    ///
    /// **Panics** if the shapes do not fit together.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// // One 2×2 kernel that adds its window up, bias 0.5:
    /// let mut conv = Conv2D::from_weights(Tensor::ones(vec![1, 1, 2, 2]), tensor(&[1], &[0.5]));
    /// let x = tensor(&[1, 1, 2, 3], &[1., 2., 3., 4., 5., 6.]);
    /// let y = conv.forward(&x, Mode::Eval);
    /// assert_eq!(y, tensor(&[1, 1, 1, 2], &[1. + 2. + 4. + 5. + 0.5, 2. + 3. + 5. + 6. + 0.5]));
    /// ```
    pub fn from_weights(w: Tensor<F>, b: Tensor<F>) -> Self {
        assert!(
            w.ndim() == 4 && b.ndim() == 1 && w.shape()[0] == b.len(),
            "Conv2D: W must be [out, in, kh, kw] and b [out], got {:?} and {:?}",
            w.shape(),
            b.shape()
        );
        Conv2D {
            w: Param::new("conv2d.W", ParamKind::Weight, w),
            b: Param::new("conv2d.b", ParamKind::Bias, b),
            stride: 1,
            padding: Padding::Valid,
            cols: Array2::zeros((0, 0)),
            cache: None,
        }
    }

    /// Moves the kernel by `stride` pixels, down and across (default 1).
    ///
    /// **Panics** if `stride` is 0.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut conv: Conv2D = Conv2D::new(1, 4, (3, 3), Init::HeNormal, &mut seeded_rng(0)).stride(2);
    /// let y = conv.forward(&Tensor::zeros(vec![1, 1, 28, 28]), Mode::Eval);
    /// assert_eq!(y.shape(), &[1, 4, 13, 13]); // ⌊(28 − 3)/2⌋ + 1
    /// ```
    pub fn stride(mut self, stride: usize) -> Self {
        assert!(stride > 0, "Conv2D: the stride must be at least 1");
        self.stride = stride;
        self
    }

    /// Pads the input with zeros (default [`Padding::Valid`], none).
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// use scratchnet::layers::Padding;
    /// let rng = &mut seeded_rng(0);
    /// let mut same: Conv2D = Conv2D::new(1, 4, (5, 5), Init::HeNormal, rng).padding(Padding::Same);
    /// assert_eq!(same.forward(&Tensor::zeros(vec![1, 1, 9, 9]), Mode::Eval).shape(), &[1, 4, 9, 9]);
    /// let mut one: Conv2D = Conv2D::new(1, 4, (3, 3), Init::HeNormal, rng).padding(Padding::Explicit(1, 1)).stride(2);
    /// assert_eq!(one.forward(&Tensor::zeros(vec![1, 1, 9, 9]), Mode::Eval).shape(), &[1, 4, 5, 5]);
    /// ```
    pub fn padding(mut self, padding: Padding) -> Self {
        self.padding = padding;
        self
    }

    /// The geometry of the kernel on images `[c, h, w]`.
    fn geometry(&self, x: &ArrayView4<F>) -> Geometry {
        let (c, kh, kw) = (
            self.w.value.shape()[1],
            self.w.value.shape()[2],
            self.w.value.shape()[3],
        );
        assert_eq!(
            x.shape()[1],
            c,
            "Conv2D: expected {c} input channels, got shape {:?}",
            x.shape()
        );
        let input = [c, x.shape()[2], x.shape()[3]];
        Geometry::new(input, (kh, kw), (self.stride, self.stride), self.padding)
    }
}

/// The kernels `W` as a matrix, `[out, in·kh·kw]`: one flattened kernel per row.
fn kernels<F: Float>(w: &Tensor<F>) -> ArrayView2<'_, F> {
    let out = w.shape()[0];
    let k = w.len() / out.max(1);
    w.view()
        .into_shape_with_order((out, k))
        .expect("W is contiguous")
}

/// `buffer` reshaped to `[rows, cols]`, grown if it is too small (its old
/// numbers stay: the caller overwrites them all).
fn reshape_buffer<F: Float>(buffer: Array2<F>, rows: usize, cols: usize) -> Array2<F> {
    let (mut v, _) = buffer.into_raw_vec_and_offset(); // a standard-layout buffer: offset 0
    v.resize(rows * cols, F::zero());
    Array2::from_shape_vec((rows, cols), v).expect("sized to fit")
}

impl<F: Float> Layer<F> for Conv2D<F> {
    // ANCHOR: forward
    fn forward(&mut self, x: &Tensor<F>, mode: Mode) -> Tensor<F> {
        let x = x.as_standard_layout(); // a copy only if x is not row-major
        let x = as_images(x.view(), "Conv2D"); // [batch, c, h, w]
        let g = self.geometry(&x);
        let (batch, (oh, ow), out) = (x.shape()[0], g.output, self.b.value.len());
        let cols = std::mem::take(&mut self.cols);
        self.cols = reshape_buffer(cols, batch * oh * ow, g.patch_len());
        im2col(x, &g, self.cols.view_mut()); // [batch·oh·ow, c·kh·kw]: a patch per row
        let b = self
            .b
            .value
            .view()
            .into_dimensionality::<Ix1>()
            .expect("b is 1-D");
        let y = self.cols.dot(&kernels(&self.w.value).t()) + b; // [batch·oh·ow, out]
        let y = y
            .into_shape_with_order((batch, oh * ow, out))
            .expect("contiguous");
        let y = y.permuted_axes([0, 2, 1]).as_standard_layout().into_owned(); // [batch, out, oh·ow]
        self.cache = (mode == Mode::Train).then_some((batch, g)); // backward reads self.cols
        y.into_shape_with_order(vec![batch, out, oh, ow])
            .expect("contiguous")
    }
    // ANCHOR_END: forward

    // ANCHOR: backward
    fn backward(&mut self, grad_y: &Tensor<F>) -> Tensor<F> {
        let (batch, g) = self
            .cache
            .take() // self.cols is about to be overwritten: one backward per forward
            .expect("Conv2D: backward called before a training-mode forward");
        let ([c, h, w], (oh, ow), out) = (g.input, g.output, self.b.value.len());
        assert_eq!(
            grad_y.shape(),
            &[batch, out, oh, ow],
            "Conv2D: wrong gradient shape"
        );
        // dy in the layout of the forward product: [batch, out, oh·ow] → [batch·oh·ow, out]
        let dy = grad_y
            .view()
            .into_shape_with_order((batch, out, oh * ow))
            .expect("contiguous");
        let dy = dy
            .permuted_axes([0, 2, 1])
            .as_standard_layout()
            .into_owned();
        let dy = dy
            .into_shape_with_order((batch * oh * ow, out))
            .expect("contiguous");
        // ∂L/∂W = dYᵀ · cols                  [out, c·kh·kw] → [out, c, kh, kw]
        let dw = dy.t().dot(&self.cols);
        self.w.grad = dw
            .into_shape_with_order(self.w.value.raw_dim())
            .expect("contiguous");
        // ∂L/∂b = Σ over batch and positions  [out]
        self.b.grad = dy.sum_axis(Axis(0)).into_dyn();
        // ∂L/∂cols = dY · W                   [batch·oh·ow, c·kh·kw], written over cols
        let kernels = kernels(&self.w.value); // [out, c·kh·kw]
        general_mat_mul(F::one(), &dy, &kernels, F::zero(), &mut self.cols);
        // ∂L/∂x: every patch's gradient added back where the patch came from
        let mut dx = Array4::zeros((batch, c, h, w)); // [batch, c, h, w]
        col2im(self.cols.view(), &g, dx.view_mut());
        dx.into_dyn()
    }
    // ANCHOR_END: backward

    fn params(&self) -> Vec<&Param<F>> {
        vec![&self.w, &self.b]
    }

    fn params_mut(&mut self) -> Vec<&mut Param<F>> {
        vec![&mut self.w, &mut self.b]
    }

    fn name(&self) -> String {
        let s = self.w.value.shape();
        let mut name = format!("Conv2D({} → {}, {}×{}", s[1], s[0], s[2], s[3]);
        if self.stride != 1 {
            name += &format!(", stride {}", self.stride);
        }
        match self.padding {
            Padding::Valid => {}
            Padding::Same => name += ", same",
            Padding::Explicit(ph, pw) => name += &format!(", padding ({ph}, {pw})"),
        }
        name + ")"
    }
}
