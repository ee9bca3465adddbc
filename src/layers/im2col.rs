//! im2col and col2im: a convolution as one matrix multiply.
//!
//! A convolution slides a `kh × kw` kernel over every channel of an image and,
//! at every position, takes the dot product of the kernel with the patch
//! beneath it. If every patch of an image is first copied out as a *column* of
//! a matrix (`im2col`, "image to columns"), all those dot products become a
//! single matrix product, `W · cols`, of the kernels (one per row of `W`) with
//! the patches, and the speed of a convolution becomes the speed of a matrix
//! multiply. The product `[out, c·kh·kw] · [c·kh·kw, oh·ow]` is `[out, oh·ow]`:
//! already the layout of the output channels, nothing to reorder.
//!
//! The patch of output position `(oy, ox)` covers the rows `oy·s − p_top ..` and
//! the columns `ox·s − p_left ..` of the input; positions outside the image are
//! the zeros of the padding. Its column holds the patch channel by channel,
//! each channel's `kh × kw` window row by row: the order of a kernel
//! `[c, kh, kw]` flattened, so that `kernel · column` is the convolution at
//! that position.
//!
//! `col2im` is the reverse: it adds every column back onto the pixels it was
//! copied from. Pixels shared by overlapping patches receive the sum of their parts,
//! which is exactly the backward pass of the copy.

use crate::tensor::Float;
use ndarray::{ArrayView2, ArrayView3, ArrayViewMut2, ArrayViewMut3};

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
        Geometry::try_new(input, kernel, stride, padding)
            .unwrap_or_else(|e| panic!("Geometry: {e}"))
    }

    /// [`Geometry::new`], or why the kernel cannot go there: for the layers'
    /// [`crate::Layer::check_input`].
    pub(crate) fn try_new(
        input: [usize; 3],
        kernel: (usize, usize),
        stride: (usize, usize),
        padding: Padding,
    ) -> Result<Self, String> {
        let [_, h, w] = input;
        let ((kh, kw), (sh, sw)) = (kernel, stride);
        if sh == 0 || sw == 0 {
            return Err("a stride must be at least 1".into());
        }
        // (before, after) along each axis
        let (py, px) = match padding {
            Padding::Valid => ((0, 0), (0, 0)),
            Padding::Explicit(ph, pw) => ((ph, ph), (pw, pw)),
            Padding::Same if stride != (1, 1) => {
                return Err(format!(
                    "padding Same needs stride 1, got {stride:?} (use Padding::Explicit)"
                ));
            }
            Padding::Same => {
                let split = |k: usize| {
                    let total = k.saturating_sub(1); // k − 1 zeros in all (none for a 0 kernel, refused below)
                    (total / 2, total - total / 2)
                };
                (split(kh), split(kw))
            }
        };
        if kh == 0 || kw == 0 || kh > h + py.0 + py.1 || kw > w + px.0 + px.1 {
            return Err(format!(
                "a {kh}×{kw} kernel does not fit a {h}×{w} input with padding {padding:?}"
            ));
        }
        let out = |n: usize, (before, after): (usize, usize), k: usize, s: usize| {
            (n + before + after - k) / s + 1
        };
        Ok(Geometry {
            input,
            kernel,
            stride,
            pad: (py.0, px.0),
            output: (out(h, py, kh, sh), out(w, px, kw, sw)),
        })
    }

    /// The length of one patch, `c·kh·kw`: the rows of [`im2col`]'s matrix.
    ///
    /// ```
    /// use scratchnet::layers::{Geometry, Padding};
    /// assert_eq!(Geometry::new([32, 26, 26], (3, 3), (1, 1), Padding::Valid).patch_len(), 288);
    /// ```
    pub fn patch_len(&self) -> usize {
        self.input[0] * self.kernel.0 * self.kernel.1
    }
}

/// The output positions `lo..hi` along one axis at which kernel offset `k`
/// lands inside the input: `o·stride + k − pad` in `0..n_in`, for `o` in `0..n_out`.
// ANCHOR: valid
fn valid(k: usize, pad: usize, stride: usize, n_in: usize, n_out: usize) -> (usize, usize) {
    let lo = pad.saturating_sub(k).div_ceil(stride).min(n_out);
    let hi = (n_in + pad).saturating_sub(k).div_ceil(stride).min(n_out);
    (lo, hi.max(lo))
}
// ANCHOR_END: valid

/// Copies every patch of one image into a *column* of `cols`: column
/// `oy·ow + ox` holds the `[c, kh, kw]` window at output position `(oy, ox)`,
/// flattened like a kernel, zeros where it hangs over the border. Then
/// `W · cols`, with one flattened kernel per row of `W`, is the convolution.
///
/// Row `(ch·kh + ky)·kw + kx` of `cols` holds pixel `(ky, kx)` of every patch,
/// in channel `ch`: with stride 1, each stretch of `ow` of them is a plain
/// copy of part of an input row, which is what makes this fast.
/// Every entry of `cols` is written, so it may hold anything beforehand (it is
/// a reusable buffer).
///
/// # Shapes
/// * `image`: `[c, h, w]`, in standard (row-major) layout
/// * `cols`: `[c·kh·kw, oh·ow]`, in standard layout
///
/// **Panics** if the shapes do not match `g` or a layout is not standard.
///
/// ```
/// use ndarray::{Array2, array};
/// use scratchnet::layers::{Geometry, Padding, im2col};
/// // A 2×3 image, a 2×2 kernel: two patches, each a column of four.
/// let image = array![[[1., 2., 3.], [4., 5., 6.]]];
/// let g = Geometry::new([1, 2, 3], (2, 2), (1, 1), Padding::Valid);
/// let mut cols = Array2::zeros((4, 2));
/// im2col(image.view(), &g, cols.view_mut());
/// assert_eq!(cols, array![[1., 2.], [2., 3.], [4., 5.], [5., 6.]]);
/// ```
// ANCHOR: im2col
pub fn im2col<F: Float>(image: ArrayView3<F>, g: &Geometry, mut cols: ArrayViewMut2<F>) {
    let ([_, h, w], (kh, kw), (oh, ow)) = (g.input, g.kernel, g.output);
    let ((sy, sx), (py, px)) = (g.stride, g.pad);
    assert_eq!(
        image.shape(),
        &g.input,
        "im2col: the image does not match the geometry"
    );
    assert_eq!(
        cols.dim(),
        (g.patch_len(), oh * ow),
        "im2col: wrong cols shape"
    );
    let image = image.to_slice().expect("im2col: image in standard layout");
    let cols = cols
        .as_slice_mut()
        .expect("im2col: cols in standard layout");
    let mut rows = cols.chunks_exact_mut(oh * ow); // one row per kernel pixel (ch, ky, kx)
    for channel in image.chunks_exact(h * w) {
        for ky in 0..kh {
            let (y_lo, y_hi) = valid(ky, py, sy, h, oh); // output rows that see the image
            for kx in 0..kw {
                let (x_lo, x_hi) = valid(kx, px, sx, w, ow);
                let row = rows.next().expect("cols has c·kh·kw rows"); // [oh·ow]
                if (y_lo, y_hi, x_lo, x_hi) != (0, oh, 0, ow) {
                    row.fill(F::zero()); // this kernel pixel sees padding somewhere
                }
                if x_lo == x_hi {
                    continue; // ... or only padding
                }
                for oy in y_lo..y_hi {
                    let line = &channel[(oy * sy + ky - py) * w..][..w]; // input row
                    let out = &mut row[oy * ow + x_lo..oy * ow + x_hi];
                    let first = x_lo * sx + kx - px; // the input column of out[0]
                    if sx == 1 {
                        out.copy_from_slice(&line[first..first + out.len()]); // a stretch of the row
                    } else {
                        let pixels = line[first..].iter().step_by(sx); // every sx-th pixel
                        out.iter_mut().zip(pixels).for_each(|(o, &v)| *o = v);
                    }
                }
            }
        }
    }
}
// ANCHOR_END: im2col

/// Adds every column of `cols` back onto the pixels of the image its patch
/// was copied from by [`im2col`]: where patches overlap, their values add up;
/// entries for padding are dropped. With `cols = ∂L/∂cols` this is the input
/// gradient of a convolution, since im2col only copies.
///
/// `dx` is added to, not overwritten: pass zeros for a plain result.
///
/// # Shapes
/// * `cols`: `[c·kh·kw, oh·ow]`, in standard layout
/// * `dx`: `[c, h, w]`, in standard layout
///
/// **Panics** if the shapes do not match `g` or a layout is not standard.
///
/// ```
/// use ndarray::{Array2, Array3, array};
/// use scratchnet::layers::{Geometry, Padding, col2im};
/// // Four 2×2 patches of a 3×3 image, all ones: each pixel counts its patches.
/// let g = Geometry::new([1, 3, 3], (2, 2), (1, 1), Padding::Valid);
/// let mut dx = Array3::<f64>::zeros((1, 3, 3));
/// col2im(Array2::ones((4, 4)).view(), &g, dx.view_mut());
/// assert_eq!(dx, array![[[1., 2., 1.], [2., 4., 2.], [1., 2., 1.]]]);
/// ```
// ANCHOR: col2im
pub fn col2im<F: Float>(cols: ArrayView2<F>, g: &Geometry, mut dx: ArrayViewMut3<F>) {
    let ([_, h, w], (kh, kw), (oh, ow)) = (g.input, g.kernel, g.output);
    let ((sy, sx), (py, px)) = (g.stride, g.pad);
    assert_eq!(
        dx.shape(),
        &g.input,
        "col2im: dx does not match the geometry"
    );
    assert_eq!(
        cols.dim(),
        (g.patch_len(), oh * ow),
        "col2im: wrong cols shape"
    );
    let cols = cols.to_slice().expect("col2im: cols in standard layout");
    let dx = dx.as_slice_mut().expect("col2im: dx in standard layout");
    let mut rows = cols.chunks_exact(oh * ow);
    for channel in dx.chunks_exact_mut(h * w) {
        for ky in 0..kh {
            let (y_lo, y_hi) = valid(ky, py, sy, h, oh);
            for kx in 0..kw {
                let (x_lo, x_hi) = valid(kx, px, sx, w, ow);
                let row = rows.next().expect("cols has c·kh·kw rows");
                if x_lo == x_hi {
                    continue; // this kernel pixel sees only padding
                }
                for oy in y_lo..y_hi {
                    // what fell on padding (outside lo..hi) is dropped
                    let line = &mut channel[(oy * sy + ky - py) * w..][..w];
                    let grads = &row[oy * ow + x_lo..oy * ow + x_hi];
                    let first = x_lo * sx + kx - px;
                    if sx == 1 {
                        let pixels = &mut line[first..first + grads.len()];
                        pixels.iter_mut().zip(grads).for_each(|(p, &g)| *p += g);
                    } else {
                        let pixels = line[first..].iter_mut().step_by(sx);
                        pixels.zip(grads).for_each(|(p, &g)| *p += g);
                    }
                }
            }
        }
    }
}
// ANCHOR_END: col2im
