//! im2col and col2im: a convolution as one matrix multiply.
//!
//! A convolution slides a `kh × kw` kernel over every channel of an image and,
//! at every position, takes the dot product of the kernel with the patch
//! beneath it. If every patch is first copied out as a *row* of a matrix
//! (`im2col`, "image to columns", named after the column-major original), all
//! those dot products become a single matrix product with the kernels, and the
//! speed of a convolution becomes the speed of a matrix multiply.
//!
//! The patch of output position `(oy, ox)` covers the rows `oy·s − p_top ..` and
//! the columns `ox·s − p_left ..` of the input; positions outside the image are
//! the zeros of the padding. Its row holds the patch channel by channel, each
//! channel's `kh × kw` window row by row: the order of a kernel `[c, kh, kw]`
//! flattened, so that `row · kernel` is the convolution at that position.
//!
//! `col2im` is the reverse: it adds every row back onto the pixels it was copied
//! from. Pixels shared by overlapping patches receive the sum of their parts,
//! which is exactly the backward pass of the copy.

use crate::tensor::Float;
use ndarray::{ArrayView2, ArrayView4, ArrayViewMut2, ArrayViewMut4};

/// How many zeros surround the input of a convolution.
///
/// ```
/// use scratchnet::layers::{Geometry, Padding};
/// // A 3×3 kernel on a 28×28 image, stride 1:
/// let out = |p| Geometry::new([1, 28, 28], (3, 3), (1, 1), p).output;
/// assert_eq!(out(Padding::Valid), (26, 26)); // only where the kernel fits
/// assert_eq!(out(Padding::Same), (28, 28)); // one ring of zeros keeps the size
/// assert_eq!(out(Padding::Explicit(2, 0)), (30, 26)); // two rows above and below
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Padding {
    /// No padding: only the positions where the kernel lies inside the image
    /// (Keras' and PyTorch's `"valid"`).
    Valid,
    /// As many zeros as keep the output the size of the input at stride 1:
    /// `k − 1` in all, half before and the rest (one more, for an even kernel)
    /// after, as Keras and PyTorch pad for `"same"`. Stride 1 only.
    Same,
    /// `(ph, pw)`: `ph` rows of zeros above and below, `pw` columns left and
    /// right (PyTorch's `padding=(ph, pw)`).
    Explicit(usize, usize),
}

/// Where a `kh × kw` window goes on a `[c, h, w]` input: the sizes that
/// [`im2col`] and [`col2im`] work with.
///
/// The output size along each axis is
/// `⌊(H + p_before + p_after − k) / s⌋ + 1`, which for symmetric padding `p` is
/// the familiar `⌊(H + 2p − k) / s⌋ + 1`.
///
/// ```
/// use scratchnet::layers::{Geometry, Padding};
/// let g = Geometry::new([3, 7, 6], (3, 2), (2, 2), Padding::Explicit(1, 1));
/// assert_eq!(g.output, ((7 + 2 - 3) / 2 + 1, (6 + 2 - 2) / 2 + 1)); // (4, 4)
/// assert_eq!(g.patch_len(), 3 * 3 * 2); // one patch: c·kh·kw numbers
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Geometry {
    /// The input's channels, height and width, `[c, h, w]`.
    pub input: [usize; 3],
    /// The window's height and width, `(kh, kw)`.
    pub kernel: (usize, usize),
    /// The step between two windows, down and across, `(sh, sw)`.
    pub stride: (usize, usize),
    /// Rows of zeros above and columns of zeros left of the input, `(top, left)`;
    /// the zeros below and right are implied by `output`.
    pub pad: (usize, usize),
    /// The output's height and width, `(oh, ow)`.
    pub output: (usize, usize),
}

impl Geometry {
    /// The geometry of a `kernel` moving by `stride` over a `[c, h, w]` input padded by `padding`.
    ///
    /// **Panics** if a stride is 0, if [`Padding::Same`] is asked for with a
    /// stride other than 1 (PyTorch refuses it too), or if the kernel is larger
    /// than the padded input.
    ///
    /// ```
    /// use scratchnet::layers::{Geometry, Padding};
    /// // An even kernel pads one more zero after than before, as PyTorch does.
    /// let g = Geometry::new([1, 5, 5], (2, 4), (1, 1), Padding::Same);
    /// assert_eq!((g.pad, g.output), ((0, 1), (5, 5)));
    /// let too_big = std::panic::catch_unwind(|| Geometry::new([1, 2, 2], (3, 3), (1, 1), Padding::Valid));
    /// assert!(too_big.is_err());
    /// ```
    pub fn new(
        input: [usize; 3],
        kernel: (usize, usize),
        stride: (usize, usize),
        padding: Padding,
    ) -> Self {
        let [_, h, w] = input;
        let ((kh, kw), (sh, sw)) = (kernel, stride);
        assert!(sh > 0 && sw > 0, "Geometry: a stride must be at least 1");
        // (before, after) along each axis
        let (py, px) = match padding {
            Padding::Valid => ((0, 0), (0, 0)),
            Padding::Explicit(ph, pw) => ((ph, ph), (pw, pw)),
            Padding::Same => {
                assert!(
                    stride == (1, 1),
                    "Geometry: padding Same needs stride 1, got {stride:?} (use Padding::Explicit)"
                );
                let split = |k: usize| ((k - 1) / 2, k - 1 - (k - 1) / 2);
                (split(kh), split(kw))
            }
        };
        assert!(
            kh > 0 && kw > 0 && kh <= h + py.0 + py.1 && kw <= w + px.0 + px.1,
            "Geometry: a {kh}×{kw} kernel does not fit a {h}×{w} input padded by {padding:?}"
        );
        let out = |n: usize, (before, after): (usize, usize), k: usize, s: usize| {
            (n + before + after - k) / s + 1
        };
        Geometry {
            input,
            kernel,
            stride,
            pad: (py.0, px.0),
            output: (out(h, py, kh, sh), out(w, px, kw, sw)),
        }
    }

    /// The length of one patch, `c·kh·kw`: the columns of [`im2col`]'s matrix.
    ///
    /// ```
    /// use scratchnet::layers::{Geometry, Padding};
    /// assert_eq!(Geometry::new([32, 26, 26], (3, 3), (1, 1), Padding::Valid).patch_len(), 288);
    /// ```
    pub fn patch_len(&self) -> usize {
        self.input[0] * self.kernel.0 * self.kernel.1
    }
}

/// Copies every patch of `x` into a row of `cols`: row `(b·oh + oy)·ow + ox`
/// holds the `[c, kh, kw]` window of image `b` at output position `(oy, ox)`,
/// zeros where the window hangs over the border.
///
/// Every entry of `cols` is written, so it may hold anything beforehand (it is
/// a reusable buffer).
///
/// # Shapes
/// * `x`: `[batch, c, h, w]`, in standard (row-major) layout
/// * `cols`: `[batch·oh·ow, c·kh·kw]`, in standard layout
///
/// **Panics** if the shapes do not match `g` or a layout is not standard.
///
/// ```
/// use ndarray::{Array2, Array4, array};
/// use scratchnet::layers::{Geometry, Padding, im2col};
/// // One 3×3 image 1..9, a 2×2 kernel: four patches, each a row of four.
/// let x = Array4::from_shape_fn((1, 1, 3, 3), |(_, _, i, j)| (3 * i + j + 1) as f64);
/// let g = Geometry::new([1, 3, 3], (2, 2), (1, 1), Padding::Valid);
/// let mut cols = Array2::zeros((4, 4));
/// im2col(x.view(), &g, cols.view_mut());
/// assert_eq!(cols, array![[1., 2., 4., 5.], [2., 3., 5., 6.], [4., 5., 7., 8.], [5., 6., 8., 9.]]);
/// ```
// ANCHOR: im2col
pub fn im2col<F: Float>(x: ArrayView4<F>, g: &Geometry, mut cols: ArrayViewMut2<F>) {
    let [c, h, w] = g.input;
    let (kh, kw) = g.kernel;
    let (oh, ow) = g.output;
    assert_eq!(
        &x.shape()[1..],
        &g.input,
        "im2col: x does not match the geometry"
    );
    let rows = x.shape()[0] * oh * ow;
    assert_eq!(
        cols.dim(),
        (rows, g.patch_len()),
        "im2col: wrong cols shape"
    );
    let x = x.to_slice().expect("im2col: x in standard layout");
    let cols = cols
        .as_slice_mut()
        .expect("im2col: cols in standard layout");
    let mut rows = cols.chunks_exact_mut(g.patch_len()); // one row per output position
    for image in x.chunks_exact(c * h * w) {
        // [c, h, w]
        for oy in 0..oh {
            let top = (oy * g.stride.0) as isize - g.pad.0 as isize; // may be above the image
            for ox in 0..ow {
                let left = (ox * g.stride.1) as isize - g.pad.1 as isize;
                let row = rows.next().expect("cols has batch·oh·ow rows");
                let patches = row.chunks_exact_mut(kh * kw); // [c][kh·kw]
                for (channel, patch) in image.chunks_exact(h * w).zip(patches) {
                    for (ky, out) in patch.chunks_exact_mut(kw).enumerate() {
                        let y = top + ky as isize;
                        if (0..h as isize).contains(&y) {
                            let line = &channel[y as usize * w..][..w]; // input row y
                            copy_window(line, left, out);
                        } else {
                            out.fill(F::zero()); // a row of padding
                        }
                    }
                }
            }
        }
    }
}

/// `out[i] = line[left + i]`, zero where `left + i` falls outside `line`.
fn copy_window<F: Float>(line: &[F], left: isize, out: &mut [F]) {
    let right = left + out.len() as isize;
    if left >= 0 && right <= line.len() as isize {
        out.copy_from_slice(&line[left as usize..right as usize]); // the common case
    } else {
        for (i, o) in out.iter_mut().enumerate() {
            let x = left + i as isize;
            *o = if (0..line.len() as isize).contains(&x) {
                line[x as usize]
            } else {
                F::zero()
            };
        }
    }
}
// ANCHOR_END: im2col

/// Adds every row of `cols` back onto the pixels of `dx` its patch was copied
/// from by [`im2col`]: where patches overlap, their values add up; entries for
/// padding are dropped. With `cols = ∂L/∂cols` this is the input gradient of
/// a convolution, since im2col only copies.
///
/// `dx` is added to, not overwritten: pass zeros for a plain result.
///
/// # Shapes
/// * `cols`: `[batch·oh·ow, c·kh·kw]`, in standard layout
/// * `dx`: `[batch, c, h, w]`, in standard layout
///
/// **Panics** if the shapes do not match `g` or a layout is not standard.
///
/// ```
/// use ndarray::{Array2, Array4, array};
/// use scratchnet::layers::{Geometry, Padding, col2im};
/// // Four 2×2 patches of a 3×3 image, all ones: each pixel counts its patches.
/// let g = Geometry::new([1, 3, 3], (2, 2), (1, 1), Padding::Valid);
/// let mut dx = Array4::<f64>::zeros((1, 1, 3, 3));
/// col2im(Array2::ones((4, 4)).view(), &g, dx.view_mut());
/// let counts: Array4<f64> = array![[1., 2., 1.], [2., 4., 2.], [1., 2., 1.]].into_shape_with_order((1, 1, 3, 3)).unwrap();
/// assert_eq!(dx, counts);
/// ```
// ANCHOR: col2im
pub fn col2im<F: Float>(cols: ArrayView2<F>, g: &Geometry, mut dx: ArrayViewMut4<F>) {
    let [c, h, w] = g.input;
    let (kh, kw) = g.kernel;
    let (oh, ow) = g.output;
    assert_eq!(
        &dx.shape()[1..],
        &g.input,
        "col2im: dx does not match the geometry"
    );
    let rows = dx.shape()[0] * oh * ow;
    assert_eq!(
        cols.dim(),
        (rows, g.patch_len()),
        "col2im: wrong cols shape"
    );
    let cols = cols.to_slice().expect("col2im: cols in standard layout");
    let dx = dx.as_slice_mut().expect("col2im: dx in standard layout");
    let mut rows = cols.chunks_exact(g.patch_len());
    for image in dx.chunks_exact_mut(c * h * w) {
        for oy in 0..oh {
            let top = (oy * g.stride.0) as isize - g.pad.0 as isize;
            for ox in 0..ow {
                let left = (ox * g.stride.1) as isize - g.pad.1 as isize;
                let row = rows.next().expect("cols has batch·oh·ow rows");
                let patches = row.chunks_exact(kh * kw);
                for (channel, patch) in image.chunks_exact_mut(h * w).zip(patches) {
                    for (ky, grad) in patch.chunks_exact(kw).enumerate() {
                        let y = top + ky as isize;
                        if (0..h as isize).contains(&y) {
                            let line = &mut channel[y as usize * w..][..w];
                            add_window(grad, left, line);
                        } // a row of padding: nothing to give back
                    }
                }
            }
        }
    }
}

/// `line[left + i] += grad[i]` wherever `left + i` falls inside `line`.
fn add_window<F: Float>(grad: &[F], left: isize, line: &mut [F]) {
    let right = left + grad.len() as isize;
    if left >= 0 && right <= line.len() as isize {
        let window = &mut line[left as usize..right as usize]; // the common case
        window.iter_mut().zip(grad).for_each(|(l, &g)| *l += g);
    } else {
        for (i, &g) in grad.iter().enumerate() {
            let x = left + i as isize;
            if (0..line.len() as isize).contains(&x) {
                line[x as usize] += g;
            }
        }
    }
}
// ANCHOR_END: col2im
