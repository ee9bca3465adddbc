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
    // ANCHOR: solution_output_size
    let padded = input + 2 * padding;
    if kernel == 0 || stride == 0 || padded < kernel {
        return None;
    }
    Some((padded - kernel) / stride + 1)
    // ANCHOR_END: solution_output_size
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
    // ANCHOR: solution_im2col
    let (c, h, w) = image.dim();
    assert!(k >= 1 && k <= h && k <= w, "the kernel must fit in the image");
    let (oh, ow) = ((h - k) / stride + 1, (w - k) / stride + 1);
    let mut cols = Array2::zeros((c * k * k, oh * ow));
    for oy in 0..oh {
        for ox in 0..ow {
            let mut column = cols.column_mut(oy * ow + ox);
            let mut i = 0;
            for ch in 0..c {
                for u in 0..k {
                    for v in 0..k {
                        column[i] = image[[ch, oy * stride + u, ox * stride + v]];
                        i += 1;
                    }
                }
            }
        }
    }
    cols
    // ANCHOR_END: solution_im2col
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
    // ANCHOR: solution_max_pool_backward
    let (h, w) = x.dim();
    assert!(k > 0 && h % k == 0 && w % k == 0, "h and w must be multiples of k");
    assert_eq!(dy.dim(), (h / k, w / k), "dy must be [h/k, w/k]");
    let mut dx = Array2::zeros((h, w));
    for ((oy, ox), &g) in dy.indexed_iter() {
        let mut best = (oy * k, ox * k);
        for r in oy * k..oy * k + k {
            for c in ox * k..ox * k + k {
                if x[[r, c]] > x[best] {
                    best = (r, c); // strictly larger: ties keep the first
                }
            }
        }
        dx[best] += g;
    }
    dx
    // ANCHOR_END: solution_max_pool_backward
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
    // ANCHOR: solution_batch_norm
    let features = x.ncols();
    assert!(x.nrows() > 0, "the batch is empty");
    assert!(gamma.len() == features && beta.len() == features, "one γ and β per column");
    let mean = x.mean_axis(Axis(0)).expect("rows"); // [features]
    let centred = x - &mean; // broadcast over the rows
    let var = centred.mapv(|v| v * v).mean_axis(Axis(0)).expect("rows"); // biased: ÷ batch
    let x_hat = &centred / &var.mapv(|v| (v + eps).sqrt());
    let y = &x_hat * gamma + beta;
    (y, mean, var)
    // ANCHOR_END: solution_batch_norm
}
// ANCHOR_END: batch_norm
