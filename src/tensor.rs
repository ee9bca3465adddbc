//! The one array type of the library, its element type, and a seeded
//! random-number generator.
//!
//! Every layer takes and returns a [`Tensor`]: an `ndarray` array with a
//! dynamic number of axes, so that a dense layer (`[batch, features]`) and a
//! convolution (`[batch, channels, height, width]`) share one trait.
//!
//! The element type is a parameter, `F`, which is `f64` unless you say
//! otherwise. Chapters 1–4 and every gradient check use `f64`: central
//! differences then agree with backpropagation to about `1e-9`, which makes a
//! wrong derivative impossible to miss. Real training uses `f32`, as every
//! framework does: half the memory traffic, and twice the numbers per vector
//! instruction.

use ndarray::{
    ArrayD, ArrayView2, ArrayView4, ArrayViewD, ArrayViewMut2, Ix2, Ix4, IxDyn, NdFloat,
};
use num_traits::FromPrimitive;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::iter::Sum;

/// An element type the library computes in: `f32` or `f64`.
///
/// Everything a layer needs from its numbers: arithmetic, `exp`, `ln`,
/// `sqrt`, comparisons (from ndarray's [`NdFloat`]), matrix products, and
/// two conversions. Constants such as a learning rate are kept as `f64` and
/// converted with [`Float::cast`] where they meet the tensors.
///
/// ```
/// use scratchnet::tensor::Float;
/// assert_eq!(f32::cast(0.1), 0.1f32); // rounded to the nearest f32
/// assert_eq!(0.5f32.as_f64(), 0.5);
/// assert_eq!((f32::NAME, f64::NAME), ("f32", "f64"));
/// ```
pub trait Float: NdFloat + FromPrimitive + Sum + Default {
    /// The type's name, `"f32"` or `"f64"`.
    const NAME: &'static str;
    /// Converts from `f64`, rounding to the nearest representable value.
    fn cast(x: f64) -> Self;
    /// Converts to `f64` (exact for both types).
    fn as_f64(self) -> f64;
}

impl Float for f32 {
    const NAME: &'static str = "f32";
    fn cast(x: f64) -> Self {
        x as f32
    }
    fn as_f64(self) -> f64 {
        f64::from(self)
    }
}

impl Float for f64 {
    const NAME: &'static str = "f64";
    fn cast(x: f64) -> Self {
        x
    }
    fn as_f64(self) -> f64 {
        self
    }
}

/// An n-dimensional array of `F` (`f64` unless stated), the currency of every layer.
///
/// Written as a type, `Tensor` means `Tensor<f64>`; `Tensor<f32>` is the
/// training type of Chapter 5. In an expression such as `Tensor::zeros(...)`
/// Rust infers the element type from how the tensor is used, so a tensor that
/// nothing else pins down needs its type written: `let x: Tensor = ...`.
/// Comparing with `==` or `assert_eq!` does not pin it down (the compiler
/// knows more than one type an `f64` can be compared with), so write the type
/// of a tensor you build only to compare it.
///
/// ```
/// use scratchnet::Tensor;
/// let batch: Tensor = Tensor::zeros(vec![8, 784]); // [batch, features]
/// let images: Tensor<f32> = Tensor::zeros(vec![8, 1, 28, 28]); // [batch, channels, height, width]
/// assert_eq!((batch.ndim(), images.ndim()), (2, 4)); // one type for both
/// assert_eq!(batch.len(), images.len());
/// ```
pub type Tensor<F = f64> = ArrayD<F>;

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

/// Asks the memory allocator to keep the memory of freed tensors for the
/// next ones, instead of returning it to the operating system.
///
/// A training step allocates its large tensors afresh (a convolution's
/// output at batch 128 is 19 MB) and frees them at the end of the step.
/// glibc's allocator, Linux's default, gives such blocks back to the system,
/// and the next step pays again for every new page (a page fault each 4 KB):
/// a quarter of the CNN's time on this project's machine. Here we raise the
/// two thresholds that decide it to 256 MB (32 MB where glibc refuses more)
/// and 1 GB, so that freed tensors stay with the process (PyTorch keeps a
/// cache of its own for the same reason). [`crate::fit`] calls it; it
/// changes no result, and does nothing on other systems.
///
/// ```
/// scratchnet::tensor::keep_freed_memory(); // may be called any number of times
/// let big: scratchnet::Tensor<f32> = scratchnet::Tensor::zeros(vec![128, 64, 24, 24]);
/// assert_eq!(big.len(), 4_718_592);
/// ```
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // glibc's `int mallopt(int param, int value)` and two of its parameters (malloc.h)
        unsafe extern "C" {
            fn mallopt(param: i32, value: i32) -> i32;
        }
        const M_TRIM_THRESHOLD: i32 = -1;
        const M_MMAP_THRESHOLD: i32 = -3;
        // SAFETY: mallopt only changes two tuning parameters of glibc's allocator.
        unsafe {
            // Larger blocks are mapped afresh. mallopt returns 0 when it refuses a value: the
            // manual caps this one at 32 MiB on 64-bit systems, though recent glibc takes more.
            if mallopt(M_MMAP_THRESHOLD, 256 << 20) == 0 {
                mallopt(M_MMAP_THRESHOLD, 32 << 20);
            }
            mallopt(M_TRIM_THRESHOLD, 1 << 30); // more free memory is given back
        }
    }
}

/// Builds an `f64` tensor of the given shape from row-major values.
///
/// For the small, literal tensors of examples and tests (for an `f32` copy:
/// `t.mapv(|v| v as f32)`).
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
pub fn as_matrix<'a, F: Float>(t: &'a Tensor<F>, who: &str) -> ArrayView2<'a, F> {
    t.view().into_dimensionality::<Ix2>().unwrap_or_else(|_| {
        panic!(
            "{who} expects a 2-D tensor [batch, features], got shape {:?}",
            t.shape()
        )
    })
}

/// Views a tensor as a matrix, `[rows, cols]`, mutably: to write a matrix
/// product into memory the tensor already owns.
///
/// **Panics** if the tensor does not have two axes.
///
/// ```
/// let mut t = scratchnet::tensor(&[2, 2], &[1., 2., 3., 4.]);
/// scratchnet::tensor::as_matrix_mut(&mut t)[[1, 1]] = 5.0;
/// assert_eq!(t[[1, 1]], 5.0);
/// ```
pub fn as_matrix_mut<F: Float>(t: &mut Tensor<F>) -> ArrayViewMut2<'_, F> {
    let shape = t.shape().to_vec();
    t.view_mut()
        .into_dimensionality::<Ix2>()
        .unwrap_or_else(|_| panic!("expected a 2-D tensor, got shape {shape:?}"))
}

/// Views a tensor as a batch of images, `[batch, channels, height, width]`.
///
/// Takes a view, so that a caller can first make it row-major without a copy
/// when it already is: `as_images(x.as_standard_layout().view(), ...)`.
///
/// **Panics** with `who` in the message if the tensor does not have four axes.
///
/// ```
/// let t: scratchnet::Tensor = scratchnet::Tensor::zeros(vec![8, 1, 28, 28]);
/// assert_eq!(scratchnet::tensor::as_images(t.view(), "demo").dim(), (8, 1, 28, 28));
/// ```
pub fn as_images<'a, F: Float>(t: ArrayViewD<'a, F>, who: &str) -> ArrayView4<'a, F> {
    let shape = t.shape().to_vec();
    t.into_dimensionality::<Ix4>().unwrap_or_else(|_| {
        panic!("{who} expects a 4-D tensor [batch, channels, height, width], got shape {shape:?}")
    })
}
