//! The 2-D convolution layer: for each image, im2col, then one matrix multiply.

use super::THREADS;
use super::im2col::{Geometry, Padding, col2im, im2col};
use crate::init::Init;
use crate::layer::{Layer, Mode, Param, ParamKind, cached, expect_input, store};
use crate::tensor::{Float, Tensor, as_images};
use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, Array4, ArrayView2, ArrayView4, ArrayViewMut4, Axis};
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
/// How, image by image: [`im2col`] copies the image's patches into the
/// columns of a matrix `[in·kh·kw, oh·ow]`, and one matrix product with the
/// kernels `[out, in·kh·kw]` gives the output channels `[out, oh·ow]`. The
/// patch matrix of one image is small enough to stay in the processor's cache
/// between im2col and the product (for `mnist_cnn`'s second layer, 288 × 576
/// numbers), and it lives as long as the layer, reused image after image.
/// `forward` caches the input; `backward` recomputes each image's patches.
/// Both split the batch in two halves, each on its own thread with its own
/// patch matrix; the halves' weight gradients are added in a fixed order,
/// so that a seed trains the same weights run after run.
///
/// # Shapes
/// * input `x`: `[batch, in_channels, h, w]`
/// * weights `W`: `[out_channels, in_channels, kh, kw]`, bias `b`: `[out_channels]`
/// * output `y`: `[batch, out_channels, oh, ow]`
///
/// **Panics** in `forward` if `x` is not `[batch, in_channels, h, w]` or the
/// kernel does not fit the (padded) image, naming the layer and the shapes.
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
    x: Option<Tensor<F>>, // the input of the latest training-mode forward
    cols: Vec<Array2<F>>, // a patch matrix [in·kh·kw, oh·ow] per thread, reused buffers
}

impl<F: Float> Conv2D<F> {
    /// `out_channels` kernels of `kernel = (kh, kw)` over `in_channels`,
    /// drawn by `init` with fan_in = in·kh·kw and fan_out = out·kh·kw (as
    /// PyTorch and Keras count them); zero biases; stride 1, [`Padding::Valid`].
    ///
    /// **Panics** if a channel count or a kernel side is 0.
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
        assert!(
            in_channels > 0 && out_channels > 0 && kh > 0 && kw > 0,
            "Conv2D::new: channels and kernel sides must be at least 1, \
             got Conv2D({in_channels} → {out_channels}, {kh}×{kw})"
        );
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
            x: None,
            cols: vec![Array2::zeros((0, 0)); THREADS],
        }
    }

    /// Moves the kernel by `stride` pixels, down and across (default 1).
    ///
    /// **Panics** if `stride` is 0, or other than 1 with [`Padding::Same`].
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut conv: Conv2D = Conv2D::new(1, 4, (3, 3), Init::HeNormal, &mut seeded_rng(0)).stride(2);
    /// let y = conv.forward(&Tensor::zeros(vec![1, 1, 28, 28]), Mode::Eval);
    /// assert_eq!(y.shape(), &[1, 4, 13, 13]); // ⌊(28 − 3)/2⌋ + 1
    /// ```
    pub fn stride(mut self, stride: usize) -> Self {
        assert!(stride > 0, "Conv2D: the stride must be at least 1");
        assert!(
            stride == 1 || self.padding != Padding::Same,
            "Conv2D: padding Same needs stride 1, got stride {stride} (use Padding::Explicit)"
        );
        self.stride = stride;
        self
    }

    /// Pads the input with zeros (default [`Padding::Valid`], none).
    ///
    /// **Panics** if `padding` is [`Padding::Same`] and the stride is not 1.
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
        assert!(
            self.stride == 1 || padding != Padding::Same,
            "Conv2D: padding Same needs stride 1, got stride {} (use Padding::Explicit)",
            self.stride
        );
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

/// The patch matrix `[c·kh·kw, oh·ow]` of geometry `g`, in `buffer`'s memory
/// (grown if too small; its old numbers stay, im2col overwrites them all).
fn patch_matrix<'a, F: Float>(buffer: &'a mut Array2<F>, g: &Geometry) -> &'a mut Array2<F> {
    let shape = (g.patch_len(), g.output.0 * g.output.1);
    if buffer.dim() != shape {
        let (mut v, _) = std::mem::take(buffer).into_raw_vec_and_offset();
        v.resize(shape.0 * shape.1, F::zero());
        *buffer = Array2::from_shape_vec(shape, v).expect("sized to fit");
    }
    buffer
}

/// The kernels `W` as a matrix, `[out, in·kh·kw]`: one flattened kernel per row.
fn kernels<F: Float>(w: &Tensor<F>) -> ArrayView2<'_, F> {
    let out = w.shape()[0];
    let k = w.len() / out.max(1);
    w.view()
        .into_shape_with_order((out, k))
        .expect("W is contiguous")
}

/// The output `y` of `images` (one part of the batch), image by image:
/// `y = W · cols + b`, the bias written first and the product added to it.
// ANCHOR: convolve
fn convolve<F: Float>(
    images: ArrayView4<F>,  // [part, c, h, w]
    kernels: ArrayView2<F>, // [out, c·kh·kw]
    b: ArrayView2<F>,       // [out, 1]
    g: &Geometry,
    cols: &mut Array2<F>,    // [c·kh·kw, oh·ow], reused for every image
    mut y: ArrayViewMut4<F>, // [part, out, oh, ow]
) {
    let (out, ohw) = (kernels.nrows(), g.output.0 * g.output.1);
    for (image, mut y) in images.outer_iter().zip(y.outer_iter_mut()) {
        im2col(image, g, cols.view_mut()); // a patch per column
        let mut y = y
            .view_mut()
            .into_shape_with_order((out, ohw))
            .expect("contiguous");
        y.assign(&b); // every output channel starts at its bias
        general_mat_mul(F::one(), &kernels, cols, F::one(), &mut y); // [out, oh·ow]
    }
}
// ANCHOR_END: convolve

/// The gradients of one part of the batch: writes `∂L/∂x` into `dx` and
/// returns `∂L/∂W` summed over the part's images.
// ANCHOR: convolve_backward
fn convolve_backward<F: Float>(
    images: ArrayView4<F>,  // [part, c, h, w]
    dy: ArrayView4<F>,      // [part, out, oh, ow]
    kernels: ArrayView2<F>, // [out, c·kh·kw]
    g: &Geometry,
    cols: &mut Array2<F>,     // [c·kh·kw, oh·ow]
    mut dx: ArrayViewMut4<F>, // [part, c, h, w]
) -> Array2<F> {
    let (out, ohw) = (kernels.nrows(), g.output.0 * g.output.1);
    let mut dw = Array2::zeros(kernels.raw_dim()); // [out, c·kh·kw]
    for ((image, dy), dx) in images
        .outer_iter()
        .zip(dy.outer_iter())
        .zip(dx.outer_iter_mut())
    {
        im2col(image, g, cols.view_mut()); // the patches again
        let dy = dy.into_shape_with_order((out, ohw)).expect("contiguous");
        // ∂L/∂W += dY · colsᵀ                 [out, c·kh·kw], summed over the images
        general_mat_mul(F::one(), &dy, &cols.t(), F::one(), &mut dw);
        // ∂L/∂cols = Wᵀ · dY                  [c·kh·kw, oh·ow], written over cols
        general_mat_mul(F::one(), &kernels.t(), &dy, F::zero(), cols);
        // ∂L/∂x: every patch's gradient added back where the patch came from
        col2im(cols.view(), g, dx);
    }
    dw
}
// ANCHOR_END: convolve_backward

impl<F: Float> Layer<F> for Conv2D<F> {
    // ANCHOR: forward
    fn forward(&mut self, x: &Tensor<F>, mode: Mode) -> Tensor<F> {
        expect_input(self, x); // else a panic naming the layer and the shapes
        let x = x.as_standard_layout(); // a copy only if x is not row-major
        let images = as_images(x.view(), "Conv2D"); // [batch, c, h, w]
        let g = self.geometry(&images);
        let ((oh, ow), out, batch) = (g.output, self.b.value.len(), images.len_of(Axis(0)));
        let kernels = kernels(&self.w.value); // [out, c·kh·kw]
        let b = self
            .b
            .value
            .view()
            .into_shape_with_order((out, 1))
            .expect("b is [out]");
        let mut y = Array4::zeros((batch, out, oh, ow)); // [batch, out, oh, ow]
        // The batch in THREADS parts, each convolved on its own thread, with its own patch matrix
        let part = batch.div_ceil(THREADS).max(1);
        let parts = images
            .axis_chunks_iter(Axis(0), part)
            .zip(y.axis_chunks_iter_mut(Axis(0), part));
        std::thread::scope(|s| {
            for ((images, y), cols) in parts.zip(&mut self.cols) {
                let cols = patch_matrix(cols, &g); // [c·kh·kw, oh·ow], reused for every image
                s.spawn(move || convolve(images, kernels, b, &g, cols, y));
            }
        });
        if mode.caches() {
            store(&mut self.x, &x); // backward recomputes the patches from x
        }
        y.into_dyn()
    }
    // ANCHOR_END: forward

    // ANCHOR: backward
    fn backward(&mut self, grad_y: &Tensor<F>) -> Tensor<F> {
        let x = cached(&self.x, "Conv2D");
        let images = as_images(x.view(), "Conv2D"); // [batch, c, h, w]
        let g = self.geometry(&images);
        let ((oh, ow), out) = (g.output, self.b.value.len());
        let dy = grad_y.as_standard_layout();
        let dy = as_images(dy.view(), "Conv2D"); // [batch, out, oh, ow]
        assert_eq!(
            dy.shape()[1..],
            [out, oh, ow],
            "Conv2D: wrong gradient shape"
        );
        let kernels = kernels(&self.w.value); // [out, c·kh·kw]
        let mut dx = Array4::zeros(images.raw_dim()); // [batch, c, h, w]
        // The batch in THREADS parts, as in forward; each returns its part's ∂L/∂W
        let part = images.len_of(Axis(0)).div_ceil(THREADS).max(1);
        let parts = (images.axis_chunks_iter(Axis(0), part))
            .zip(dy.axis_chunks_iter(Axis(0), part))
            .zip(dx.axis_chunks_iter_mut(Axis(0), part));
        let dws: Vec<Array2<F>> = std::thread::scope(|s| {
            let threads: Vec<_> = parts
                .zip(&mut self.cols)
                .map(|(((images, dy), dx), cols)| {
                    let cols = patch_matrix(cols, &g);
                    s.spawn(move || convolve_backward(images, dy, kernels, &g, cols, dx))
                })
                .collect();
            threads
                .into_iter()
                .map(|t| t.join().expect("a Conv2D thread panicked"))
                .collect()
        });
        // ∂L/∂W: the parts' sums, added in a fixed order (first part first), so runs repeat exactly
        let dw = dws
            .iter()
            .fold(Array2::zeros(kernels.raw_dim()), |sum, part| sum + part);
        self.w.grad = dw
            .into_shape_with_order(self.w.value.raw_dim())
            .expect("contiguous");
        // ∂L/∂b = Σ dy over the batch and every position   [out]
        self.b.grad = dy
            .sum_axis(Axis(3))
            .sum_axis(Axis(2))
            .sum_axis(Axis(0))
            .into_dyn();
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

    fn check_input(&self, input: &[usize]) -> Result<(), String> {
        let &[_, c, kh, kw] = self.w.value.shape() else {
            unreachable!("W is [out, in, kh, kw]")
        };
        let &[_, channels, h, w] = input else {
            let hint = match *input {
                [c, h, w] => format!(": a single image is a batch of one, [1, {c}, {h}, {w}]"),
                [_, _] => ": reshape rows of pixels into [batch, channels, height, width]".into(),
                _ => String::new(),
            };
            return Err(format!(
                "expects images [batch, {c}, height, width], got {input:?}{hint}"
            ));
        };
        if channels != c {
            return Err(format!(
                "expects images with {c} channels, [batch, {c}, height, width], got {input:?}: \
                 build it with in_channels = {channels}, or give it {c} channels"
            ));
        }
        let stride = (self.stride, self.stride);
        match Geometry::try_new([c, h, w], (kh, kw), stride, self.padding) {
            Ok(_) => Ok(()),
            Err(e) => Err(format!(
                "cannot take {input:?}: {e}; pad it, use a smaller kernel, \
                 or pool less before this layer"
            )),
        }
    }
}
