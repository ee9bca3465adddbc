//! Max pooling: the largest value of every window, channel by channel.

use super::THREADS;
use super::im2col::{Geometry, Padding};
use crate::layer::{Layer, Mode, expect_input};
use crate::tensor::{Float, Tensor, as_images};
use ndarray::IxDyn;
use std::marker::PhantomData;

/// 2-D max pooling: each output is the largest input of a `kh × kw` window,
/// taken separately in every channel; windows move by the stride (by default
/// the kernel size, so that they tile the image) and never leave the image
/// ("valid": a last row or column that no full window covers is dropped).
///
/// The derivative of a maximum is 1 for the input that won and 0 for the
/// others, so `backward` routes each output's gradient to its window's
/// argmax, which `forward` caches. On ties the **first** maximum in the
/// window (in row-major order) wins and takes all the gradient.
///
/// # Shapes
/// * input `x`: `[batch, c, h, w]`
/// * output `y`: `[batch, c, oh, ow]` with `oh = ⌊(h − kh) / sh⌋ + 1`, `ow = ⌊(w − kw) / sw⌋ + 1`
///
/// **Panics** in `forward` if `x` is not 4-D or the window does not fit the
/// image, naming the layer and the shapes.
///
/// ```
/// use scratchnet::prelude::*;
/// let mut pool = MaxPool2D::new((2, 2));
/// let x = tensor(&[1, 1, 2, 4], &[1., 5., 2., 0., 3., 4., 8., 8.]);
/// let y = pool.forward(&x, Mode::Train);
/// assert_eq!(y, tensor(&[1, 1, 1, 2], &[5., 8.]));
/// let dx = pool.backward(&tensor(&[1, 1, 1, 2], &[10., 20.]));
/// // Each gradient goes to its window's maximum; of the two 8s, the first one.
/// assert_eq!(dx, tensor(&[1, 1, 2, 4], &[0., 10., 0., 0., 0., 0., 20., 0.]));
/// ```
#[derive(Clone, Debug)]
pub struct MaxPool2D<F: Float = f64> {
    kernel: (usize, usize),
    stride: (usize, usize),
    argmax: Option<(Vec<usize>, Vec<usize>)>, // the input shape, and each output's source index in x
    element: PhantomData<F>,                  // the element type of the tensors it pools
}

impl<F: Float> MaxPool2D<F> {
    /// Pooling over `kernel = (kh, kw)` windows, stride equal to the kernel.
    ///
    /// **Panics** if a side of the kernel is 0.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut pool = MaxPool2D::new((2, 2));
    /// let y = pool.forward(&Tensor::<f32>::zeros(vec![128, 64, 24, 24]), Mode::Eval);
    /// assert_eq!(y.shape(), &[128, 64, 12, 12]);
    /// assert_eq!(pool.name(), "MaxPool2D(2×2)");
    /// ```
    pub fn new(kernel: (usize, usize)) -> Self {
        assert!(
            kernel.0 > 0 && kernel.1 > 0,
            "MaxPool2D::new: the window must be at least 1×1, got {}×{}",
            kernel.0,
            kernel.1
        );
        MaxPool2D {
            kernel,
            stride: kernel,
            argmax: None,
            element: PhantomData,
        }
    }

    /// Moves the window by `stride` pixels, down and across (overlapping
    /// windows when smaller than the kernel).
    ///
    /// **Panics** if `stride` is 0.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut pool = MaxPool2D::new((3, 3)).stride(2); // AlexNet's overlapping pooling
    /// let y = pool.forward(&Tensor::<f64>::zeros(vec![1, 1, 7, 7]), Mode::Eval);
    /// assert_eq!(y.shape(), &[1, 1, 3, 3]); // ⌊(7 − 3)/2⌋ + 1
    /// ```
    pub fn stride(mut self, stride: usize) -> Self {
        assert!(stride > 0, "MaxPool2D: the stride must be at least 1");
        self.stride = (stride, stride);
        self
    }
}

/// Pools whole planes `[h, w]` (one channel of one image each; the first is
/// plane number `first` of the batch): writes each window's maximum into `y`
/// and its index in the batch's input into `argmax`.
// ANCHOR: pool
fn pool<F: Float>(planes: &[F], first: usize, g: &Geometry, y: &mut [F], argmax: &mut [usize]) {
    let ([_, h, w], (kh, kw), (sh, sw), (oh, ow)) = (g.input, g.kernel, g.stride, g.output);
    let outputs = y.chunks_mut(oh * ow).zip(argmax.chunks_mut(oh * ow));
    for (p, (plane, (y, argmax))) in planes.chunks_exact(h * w).zip(outputs).enumerate() {
        for (o, (y, argmax)) in y.iter_mut().zip(argmax).enumerate() {
            let (top, left) = ((o / ow) * sh, (o % ow) * sw);
            let mut best = (top * w + left, plane[top * w + left]);
            for row in top..top + kh {
                let window = &plane[row * w + left..][..kw];
                for (i, &v) in window.iter().enumerate() {
                    if v > best.1 {
                        best = (row * w + left + i, v); // strictly larger: ties keep the first
                    }
                }
            }
            *y = best.1;
            *argmax = (first + p) * h * w + best.0;
        }
    }
}
// ANCHOR_END: pool

impl<F: Float> Layer<F> for MaxPool2D<F> {
    // ANCHOR: forward
    fn forward(&mut self, x: &Tensor<F>, mode: Mode) -> Tensor<F> {
        expect_input(self, x); // else a panic naming the layer and the shapes
        let x = x.as_standard_layout(); // a copy only if x is not row-major
        let x = as_images(x.view(), "MaxPool2D"); // [batch, c, h, w]
        let (batch, c, h, w) = x.dim();
        let g = Geometry::new([c, h, w], self.kernel, self.stride, Padding::Valid);
        let (planes, per_plane) = (batch * c, g.output.0 * g.output.1); // a plane: one channel of one image
        let mut y = vec![F::zero(); planes * per_plane];
        let mut argmax = self.argmax.take().map_or_else(Vec::new, |(_, a)| a); // last step's memory
        argmax.resize(y.len(), 0);
        // The planes in THREADS parts, each pooled on its own thread
        let part = planes.div_ceil(THREADS).max(1);
        let x = x.to_slice().expect("standard layout").chunks(part * h * w);
        let outputs = y
            .chunks_mut(part * per_plane)
            .zip(argmax.chunks_mut(part * per_plane));
        std::thread::scope(|s| {
            for (i, (x, (y, argmax))) in x.zip(outputs).enumerate() {
                s.spawn(move || pool(x, i * part, &g, y, argmax));
            }
        });
        if mode.caches() {
            self.argmax = Some((vec![batch, c, h, w], argmax));
        }
        Tensor::from_shape_vec(IxDyn(&[batch, c, g.output.0, g.output.1]), y).expect("sized to fit")
    }
    // ANCHOR_END: forward

    // ANCHOR: backward
    fn backward(&mut self, grad_y: &Tensor<F>) -> Tensor<F> {
        let (shape, argmax) = self
            .argmax
            .as_ref()
            .expect("MaxPool2D: backward called before a training-mode forward");
        assert_eq!(
            grad_y.len(),
            argmax.len(),
            "MaxPool2D: wrong gradient shape"
        );
        let mut dx = Tensor::zeros(IxDyn(shape)); // [batch, c, h, w]
        let dx_flat = dx.as_slice_mut().expect("fresh, standard layout");
        for (&from, &g) in argmax.iter().zip(grad_y.iter()) {
            dx_flat[from] += g; // += : overlapping windows may share a winner
        }
        dx
    }
    // ANCHOR_END: backward

    fn name(&self) -> String {
        let mut name = format!("MaxPool2D({}×{}", self.kernel.0, self.kernel.1);
        if self.stride != self.kernel {
            name += &format!(", stride {}", self.stride.0);
        }
        name + ")"
    }

    fn check_input(&self, input: &[usize]) -> Result<(), String> {
        let &[_, c, h, w] = input else {
            let hint = match *input {
                [c, h, w] => format!(": a single image is a batch of one, [1, {c}, {h}, {w}]"),
                [_, _] => ": pooling works on feature maps; put it before the Flatten".into(),
                _ => String::new(),
            };
            return Err(format!(
                "expects images [batch, channels, height, width], got {input:?}{hint}"
            ));
        };
        match Geometry::try_new([c, h, w], self.kernel, self.stride, Padding::Valid) {
            Ok(_) => Ok(()),
            Err(_) => Err(format!(
                "cannot take {input:?}: its {}×{} window does not fit a {h}×{w} image; \
                 pool less, or give it larger images",
                self.kernel.0, self.kernel.1
            )),
        }
    }
}
