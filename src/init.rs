//! Weight initialisers: how the first random weights are drawn.
//!
//! The scale matters: too small and the signal fades layer after layer, too
//! large and activations saturate. Xavier/Glorot keeps the variance of
//! activations roughly constant for tanh/sigmoid layers, He does so for ReLU.

use crate::tensor::{Float, Tensor};
use ndarray::IxDyn;
use rand::Rng;
use rand_distr::{Distribution, Normal, Uniform};

/// A rule for drawing a weight matrix with `fan_in` inputs and `fan_out` outputs.
///
/// ```
/// use scratchnet::{init::Init, seeded_rng, Tensor};
/// let w: Tensor = Init::XavierUniform.sample(&[30, 20], 30, 20, &mut seeded_rng(0));
/// let limit = (6.0f64 / (30.0 + 20.0)).sqrt();
/// assert!(w.iter().all(|v| v.abs() <= limit + 1e-12));
/// assert_eq!(Init::Zeros.sample::<f64>(&[2, 2], 2, 2, &mut seeded_rng(0)).sum(), 0.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Init {
    /// All zeros (biases; never for weights: every unit would stay identical).
    Zeros,
    /// Uniform on [−limit, limit].
    Uniform(f64),
    /// Normal with mean 0 and the given standard deviation.
    Normal(f64),
    /// Glorot & Bengio (2010), uniform: limit = √(6 / (fan_in + fan_out)).
    XavierUniform,
    /// Glorot & Bengio (2010), normal: variance 2 / (fan_in + fan_out).
    XavierNormal,
    /// He et al. (2015), uniform: limit = √(6 / fan_in).
    HeUniform,
    /// He et al. (2015), normal: variance 2 / fan_in.
    HeNormal,
}

impl Init {
    /// The variance of a single weight drawn by this rule.
    ///
    /// ```
    /// use scratchnet::init::Init;
    /// assert_eq!(Init::HeNormal.variance(100, 10), 0.02);
    /// assert_eq!(Init::XavierNormal.variance(60, 40), 0.02);
    /// assert_eq!(Init::Uniform(0.3).variance(1, 1), 0.3 * 0.3 / 3.0);
    /// ```
    pub fn variance(&self, fan_in: usize, fan_out: usize) -> f64 {
        let (fi, fo) = (fan_in as f64, fan_out as f64);
        match *self {
            Init::Zeros => 0.0,
            Init::Uniform(limit) => limit * limit / 3.0,
            Init::Normal(std) => std * std,
            Init::XavierUniform | Init::XavierNormal => 2.0 / (fi + fo),
            Init::HeUniform | Init::HeNormal => 2.0 / fi,
        }
    }

    /// Draws a tensor of `shape` with this rule.
    ///
    /// For a dense layer `shape` is `[fan_in, fan_out]`; for a convolution the
    /// caller passes `fan_in = in_channels · kh · kw`.
    ///
    /// The numbers are always drawn in `f64` and then rounded to `F`, so an
    /// `f32` network starts from the same weights as its `f64` twin, rounded.
    ///
    /// **Panics** if the variance is not a finite number: a NaN or infinite
    /// [`Init::Uniform`] limit or [`Init::Normal`] deviation, or a fan of 0.
    ///
    /// ```
    /// use scratchnet::{init::Init, seeded_rng, Tensor};
    /// let w: Tensor = Init::HeNormal.sample(&[400, 300], 400, 300, &mut seeded_rng(0));
    /// let var = w.mapv(|v| v * v).mean().unwrap();
    /// assert!((var - 2.0 / 400.0).abs() < 0.0002);
    /// let w32: Tensor<f32> = Init::HeNormal.sample(&[400, 300], 400, 300, &mut seeded_rng(0));
    /// assert_eq!(w32, w.mapv(|v| v as f32)); // the same draw, rounded
    /// ```
    pub fn sample<F: Float>(
        &self,
        shape: &[usize],
        fan_in: usize,
        fan_out: usize,
        rng: &mut impl Rng,
    ) -> Tensor<F> {
        let var = self.variance(fan_in, fan_out);
        assert!(
            var.is_finite(),
            "Init::{self:?} with fan_in {fan_in} and fan_out {fan_out}: the variance is {var}, \
             not a finite number (a NaN or infinite parameter, or a fan of 0?)"
        );
        let dim = IxDyn(shape);
        match *self {
            Init::Zeros => Tensor::zeros(dim),
            Init::Uniform(_) | Init::XavierUniform | Init::HeUniform => {
                // A uniform on [−a, a] has variance a²/3, so a = √(3·var).
                let a = (3.0 * var).sqrt();
                let u = Uniform::new_inclusive(-a, a).expect("finite limit");
                Tensor::from_shape_simple_fn(dim, || F::cast(u.sample(rng)))
            }
            Init::Normal(_) | Init::XavierNormal | Init::HeNormal => {
                let n = Normal::new(0.0, var.sqrt()).expect("finite standard deviation");
                Tensor::from_shape_simple_fn(dim, || F::cast(n.sample(rng)))
            }
        }
    }
}
