//! The one array type of the library, and a seeded random-number generator.
//!
//! Every layer takes and returns a [`Tensor`]: an `ndarray` array of `f64`
//! with a dynamic number of axes, so that a dense layer (`[batch, features]`)
//! and a convolution (`[batch, channels, height, width]`) share one trait.
//! We use `f64` throughout: gradient checks then agree to about `1e-9`, which
//! makes a wrong derivative impossible to miss.

use ndarray::{ArrayD, ArrayView2, Ix2, IxDyn};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// An n-dimensional array of `f64`, the currency of every layer.
///
/// ```
/// use scratchnet::Tensor;
/// let batch = Tensor::zeros(vec![8, 784]); // [batch, features]
/// let images = Tensor::zeros(vec![8, 1, 28, 28]); // [batch, channels, height, width]
/// assert_eq!((batch.ndim(), images.ndim()), (2, 4)); // one type for both
/// assert_eq!(batch.len(), images.len());
/// ```
pub type Tensor = ArrayD<f64>;

/// The random-number generator used everywhere in the book.
///
/// ChaCha8 gives the same stream on every platform and every release of
/// `rand`, so a seed in a chapter always reproduces the chapter's numbers.
///
/// ```
/// use rand::Rng as _;
/// let mut rng: scratchnet::tensor::Rng = scratchnet::seeded_rng(0);
/// assert_eq!(rng.random::<u32>(), 2_811_902_828); // the same on every platform
/// ```
pub type Rng = ChaCha8Rng;

/// Returns a generator seeded with `seed`.
///
/// ```
/// use rand::Rng as _;
/// let a: f64 = scratchnet::seeded_rng(7).random();
/// let b: f64 = scratchnet::seeded_rng(7).random();
/// assert_eq!(a, b);
/// ```
pub fn seeded_rng(seed: u64) -> Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// Builds a tensor of the given shape from row-major values.
///
/// **Panics** if `values.len()` is not the product of `shape`.
///
/// ```
/// let t = scratchnet::tensor(&[2, 3], &[1., 2., 3., 4., 5., 6.]);
/// assert_eq!(t.shape(), &[2, 3]);
/// assert_eq!(t[[1, 0]], 4.0);
/// ```
pub fn tensor(shape: &[usize], values: &[f64]) -> Tensor {
    ArrayD::from_shape_vec(IxDyn(shape), values.to_vec()).unwrap_or_else(|e| {
        panic!(
            "tensor: {} values do not fit shape {shape:?}: {e}",
            values.len()
        )
    })
}

/// Views a tensor as a matrix, `[rows, cols]`.
///
/// **Panics** with `who` in the message if the tensor does not have two axes.
///
/// ```
/// let t = scratchnet::tensor(&[2, 2], &[1., 2., 3., 4.]);
/// assert_eq!(scratchnet::tensor::as_matrix(&t, "demo")[[1, 1]], 4.0);
/// ```
pub fn as_matrix<'a>(t: &'a Tensor, who: &str) -> ArrayView2<'a, f64> {
    t.view().into_dimensionality::<Ix2>().unwrap_or_else(|_| {
        panic!(
            "{who} expects a 2-D tensor [batch, features], got shape {:?}",
            t.shape()
        )
    })
}
