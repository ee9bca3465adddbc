//! Chapter 5 exercises, part 2 (convolutional networks): output sizes,
//! im2col for one image, the backward pass of max pooling, and batch
//! normalization's forward pass.
//!
//! Fill in every `todo!()`, then check your work with
//! `cargo test -p exercises --test ch05_cnn`.

use ndarray::{Array1, Array2, Array3, Axis};

// ANCHOR: output_size
/// Exercise 5.13: the output length of a convolution or pooling window of
/// size `kernel` moved with `stride` along an input of length `input`
/// padded with `padding` zeros on each side; `None` when the window does not
/// fit even once (the padded input is shorter than the kernel) or when
/// `kernel` or `stride` is 0.
pub fn output_size(input: usize, kernel: usize, stride: usize, padding: usize) -> Option<usize> {
    todo!("your code here")
}
// ANCHOR_END: output_size

// ANCHOR: im2col
/// Exercise 5.14: the patch matrix of one image `[channels, h, w]` for a
/// `k × k` kernel, stride `stride`, no padding. Column `oy · ow + ox` holds
/// the patch under output position `(oy, ox)`: channel by channel, each
/// channel's `k × k` window row by row — the order of a kernel
/// `[channels, k, k]` flattened. The result is `[channels · k · k, oh · ow]`,
/// the layout of the library's `im2col`.
///
/// **Panics** if the kernel does not fit in the image.
pub fn im2col_one(image: &Array3<f64>, k: usize, stride: usize) -> Array2<f64> {
    todo!("your code here")
}
// ANCHOR_END: im2col

// ANCHOR: max_pool_backward
/// Exercise 5.15: the backward pass of `k × k` max pooling with stride `k`
/// on one channel `x` `[h, w]` (h and w multiples of k): the gradient `dy`
/// `[h/k, w/k]` of each window goes to the position of the window's
/// maximum, and every other position gets 0. When a window holds its
/// maximum twice, the first in row-major order takes the gradient (as the
/// library's `MaxPool2D` does).
///
/// **Panics** if the shapes do not fit together.
pub fn max_pool_backward(x: &Array2<f64>, dy: &Array2<f64>, k: usize) -> Array2<f64> {
    todo!("your code here")
}
// ANCHOR_END: max_pool_backward

// ANCHOR: batch_norm
/// Exercise 5.16: batch normalization of `x` `[batch, features]` in training
/// mode: each column standardised with its own mean and biased variance
/// (divided by the batch size), `x̂ = (x − μ_B)/√(v_B + eps)`, then
/// `y = gamma · x̂ + beta` column by column. Returns `(y, μ_B, v_B)`, the two
/// statistics `[features]` long.
///
/// **Panics** if `gamma` or `beta` do not have one entry per column, or the
/// batch is empty.
pub fn batch_norm_forward(
    x: &Array2<f64>,
    gamma: &Array1<f64>,
    beta: &Array1<f64>,
    eps: f64,
) -> (Array2<f64>, Array1<f64>, Array1<f64>) {
    todo!("your code here")
}
// ANCHOR_END: batch_norm
