//! Flatten: from a batch of feature maps to a batch of vectors.

use crate::layer::{Layer, Mode, expect_input};
use crate::tensor::{Float, Tensor};
use ndarray::IxDyn;
use std::marker::PhantomData;

/// Flattens every example into one row: `[batch, c, h, w]` → `[batch, c·h·w]`
/// (any number of trailing axes), so that a [`crate::layers::Dense`] layer can follow
/// a convolution.
///
/// The order is row-major (C order), as in PyTorch's `nn.Flatten`: channel
/// by channel, and within a channel row by row. (Keras' default
/// channels-last layout flattens pixel by pixel instead, so its `Dense`
/// weights after a `Flatten` come in another order.) `backward` only
/// reshapes the gradient back.
///
/// # Shapes
/// * input `x`: `[batch, d1, d2, ...]`
/// * output `y`: `[batch, d1·d2·...]`
///
/// **Panics** in `forward` if `x` has fewer than two axes.
///
/// ```
/// use scratchnet::prelude::*;
/// let mut flat = Flatten::new();
/// let x = tensor(&[1, 2, 1, 2], &[1., 2., 3., 4.]); // two channels of 1×2
/// let y = flat.forward(&x, Mode::Train);
/// assert_eq!(y, tensor(&[1, 4], &[1., 2., 3., 4.])); // channel 0 first
/// assert_eq!(flat.backward(&y).shape(), &[1, 2, 1, 2]);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Flatten<F: Float = f64> {
    shape: Option<Vec<usize>>, // the input shape of the latest training-mode forward
    element: PhantomData<F>,   // the element type of the tensors it reshapes
}

impl<F: Float> Flatten<F> {
    /// A flatten layer (it has no parameters).
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut flat = Flatten::new();
    /// let y = flat.forward(&Tensor::<f32>::zeros(vec![128, 64, 12, 12]), Mode::Eval);
    /// assert_eq!(y.shape(), &[128, 9216]);
    /// assert_eq!(flat.name(), "Flatten");
    /// ```
    pub fn new() -> Self {
        Flatten::default()
    }
}

impl<F: Float> Layer<F> for Flatten<F> {
    // ANCHOR: flatten
    fn forward(&mut self, x: &Tensor<F>, mode: Mode) -> Tensor<F> {
        expect_input(self, x); // at least [batch, d1]
        let batch = x.shape()[0];
        let features = x.shape()[1..].iter().product::<usize>();
        if mode.caches() {
            self.shape = Some(x.shape().to_vec());
        }
        // [batch, c·h·w], row-major: a copy only if x is not row-major
        let y = x.to_shape(IxDyn(&[batch, features])).expect("same size");
        y.into_owned()
    }

    fn backward(&mut self, grad_y: &Tensor<F>) -> Tensor<F> {
        let shape = self
            .shape
            .as_ref()
            .expect("Flatten: backward called before a training-mode forward");
        let dx = grad_y
            .to_shape(IxDyn(shape))
            .expect("Flatten: wrong gradient shape");
        dx.into_owned() // [batch, c, h, w]
    }
    // ANCHOR_END: flatten

    fn name(&self) -> String {
        "Flatten".into()
    }

    fn check_input(&self, input: &[usize]) -> Result<(), String> {
        match *input {
            [_, _, ..] => Ok(()),
            [n] => Err(format!(
                "expects inputs [batch, ...], got {input:?}: \
                 a single example is a batch of one, [1, {n}]"
            )),
            [] => Err("expects inputs [batch, ...], got a scalar".into()),
        }
    }
}
