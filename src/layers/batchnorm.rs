//! Batch normalisation (Ioffe & Szegedy, 2015).
//!
//! Each feature (or each channel of a feature map) is normalised with the
//! mean and variance of the current mini-batch, then scaled and shifted by
//! two learned numbers: `y = γ·(x − μ_B)/√(σ²_B + ε) + β`. At evaluation time
//! there is no batch to average over (an example's prediction must not depend
//! on the others), so the layer uses running averages of μ_B and σ²_B that it
//! kept during training.

use crate::layer::{Layer, Mode, Param, ParamKind, cached};
use crate::tensor::{Float, Tensor};
use ndarray::{Array1, Array3, ArrayView2, Axis, CowArray, Ix3};

/// Batch normalisation over axis 1: the features of `[batch, features]`
/// (after a dense layer) or the channels of `[batch, channels, h, w]` (after a
/// convolution, with statistics over the batch *and* every position, as
/// PyTorch's `BatchNorm1d` and `BatchNorm2d` compute them).
///
/// * [`Mode::Train`]: normalises with the batch's mean and (biased) variance,
///   and updates the running statistics,
///   `running ← (1 − momentum)·running + momentum·batch`, PyTorch's convention
///   with its `momentum = 0.1` (the weight of the *new* value; Keras' `momentum`
///   is the weight of the old one, so the same update is Keras' `momentum = 0.9`,
///   and Keras' default 0.99 averages ten times longer). Like
///   PyTorch, the running variance averages the *unbiased* batch variance
///   (divided by n − 1, n = values per channel).
/// * [`Mode::Eval`]: normalises with the running statistics.
/// * [`Mode::EvalGrad`]: as `Mode::Eval`, and caches for `backward`, which then
///   treats the running statistics as the constants they are: ∂L/∂x = (γ/σ)·∂L/∂y.
///
/// γ (`batchnorm.gamma`, starts at 1) and β (`batchnorm.beta`, starts at 0)
/// are trained; ε = 1e-5. Like biases they are not weight-penalised
/// ([`ParamKind::Bias`]). The running mean and variance
/// (`batchnorm.running_mean`, starting at 0, and `batchnorm.running_var`,
/// starting at 1, PyTorch's names) are [`ParamKind::Buffer`]s: listed by
/// `params()`, so saved and loaded with the weights, but never trained.
///
/// # Shapes
/// * input `x` and output `y`: `[batch, features]` or `[batch, channels, h, w]`
/// * `gamma`, `beta`, `running_mean`, `running_var`: `[features]` or `[channels]`
///
/// **Panics** in `forward` if axis 1 of `x` is not the layer's channels, naming
/// the layer and the shapes, or in training mode if a channel has only one value.
///
/// ```
/// use scratchnet::prelude::*;
/// let mut bn: BatchNorm = BatchNorm::new(2);
/// let x = tensor(&[4, 2], &[1., 10., 2., 20., 3., 30., 4., 40.]);
/// let y = bn.forward(&x, Mode::Train);
/// // Each column now has mean 0 and variance 1 (up to ε).
/// for column in y.columns() {
///     approx::assert_abs_diff_eq!(column.mean().unwrap(), 0.0, epsilon = 1e-12);
///     approx::assert_abs_diff_eq!(column.mapv(|v| v * v).mean().unwrap(), 1.0, epsilon = 1e-4);
/// }
/// // The running mean moved 10% of the way to the batch mean (2.5, 25).
/// approx::assert_abs_diff_eq!(bn.running_mean.value, tensor(&[2], &[0.25, 2.5]), epsilon = 1e-12);
/// assert_eq!(bn.backward(&Tensor::ones(vec![4, 2])).shape(), &[4, 2]);
/// ```
#[derive(Clone, Debug)]
pub struct BatchNorm<F: Float = f64> {
    /// The scale γ, `[channels]`.
    pub gamma: Param<F>,
    /// The shift β, `[channels]`.
    pub beta: Param<F>,
    /// The running mean used in evaluation mode, `[channels]` (a buffer).
    pub running_mean: Param<F>,
    /// The running (unbiased) variance used in evaluation mode, `[channels]` (a buffer).
    pub running_var: Param<F>,
    /// The weight of a batch's statistics in the running ones (0.1).
    pub momentum: f64,
    /// ε, added to the variance before the square root (1e-5).
    pub eps: f64,
    x_hat: Option<Tensor<F>>, // the normalised input x̂, [batch, channels, h·w]
    sigma: Option<Tensor<F>>, // √(σ²_B + ε) per channel, [channels]
    frozen: bool,             // the cache is of Mode::EvalGrad: μ and σ were constants
}

impl<F: Float> BatchNorm<F> {
    /// Batch normalisation of `channels` features or channels: γ = 1, β = 0,
    /// running mean 0 and variance 1, momentum 0.1, ε = 1e-5 (PyTorch's defaults).
    ///
    /// **Panics** if `channels` is 0.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let bn: BatchNorm = BatchNorm::new(32);
    /// assert_eq!((bn.gamma.value.sum(), bn.beta.value.sum()), (32.0, 0.0));
    /// assert_eq!((bn.momentum, bn.eps), (0.1, 1e-5));
    /// assert_eq!(bn.name(), "BatchNorm(32)");
    /// let names: Vec<&str> = bn.params().iter().map(|p| p.name.as_str()).collect();
    /// assert_eq!(names, ["batchnorm.gamma", "batchnorm.beta", "batchnorm.running_mean", "batchnorm.running_var"]);
    /// ```
    pub fn new(channels: usize) -> Self {
        assert!(channels > 0, "BatchNorm::new: channels must be at least 1");
        let param = |name: &str, kind, value: f64| {
            Param::new(
                name,
                kind,
                Tensor::from_elem(vec![channels], F::cast(value)),
            )
        };
        BatchNorm {
            gamma: param("batchnorm.gamma", ParamKind::Bias, 1.0),
            beta: param("batchnorm.beta", ParamKind::Bias, 0.0),
            running_mean: param("batchnorm.running_mean", ParamKind::Buffer, 0.0),
            running_var: param("batchnorm.running_var", ParamKind::Buffer, 1.0),
            momentum: 0.1,
            eps: 1e-5,
            x_hat: None,
            sigma: None,
            frozen: false,
        }
    }

    fn channels(&self) -> usize {
        self.gamma.value.len()
    }
}

/// `t` `[batch, channels, ...]` viewed as `[batch, channels, positions]`
/// (positions = 1 for dense features; h·w for a feature map).
fn as_3d<'a, F: Float>(t: &'a Tensor<F>, channels: usize) -> CowArray<'a, F, Ix3> {
    if let Err(reason) = fits(t.shape(), channels) {
        panic!("BatchNorm({channels}) {reason}");
    }
    let positions = t.shape()[2..].iter().product::<usize>();
    t.to_shape((t.shape()[0], channels, positions))
        .expect("same size")
}

/// Whether `input` has `channels` along axis 1; if not, what to do.
fn fits(input: &[usize], channels: usize) -> Result<(), String> {
    match *input {
        [_, c, ..] if c == channels => Ok(()),
        [_, c, ..] => Err(format!(
            "expects inputs [batch, {channels}, ...], got {input:?}: \
             build it as BatchNorm({c}), or give it {channels} features or channels"
        )),
        [n] => Err(format!(
            "expects inputs [batch, {channels}, ...], got {input:?}: \
             a single example is a batch of one, [1, {n}] (training needs at least two)"
        )),
        [] => Err(format!(
            "expects inputs [batch, {channels}, ...], got a scalar"
        )),
    }
}

/// The mean of a channel's values (a `[batch, positions]` view).
fn mean<F: Float>(values: &ArrayView2<F>) -> F {
    values.sum() / F::cast(values.len() as f64)
}

impl<F: Float> Layer<F> for BatchNorm<F> {
    // ANCHOR: forward
    fn forward(&mut self, x: &Tensor<F>, mode: Mode) -> Tensor<F> {
        let c = self.channels();
        let x3 = as_3d(x, c); // [batch, channels, positions]
        let mut x_hat = Array3::zeros(x3.raw_dim());
        let mut y = Array3::zeros(x3.raw_dim());
        let mut sigma = Array1::zeros(c);
        for ch in 0..c {
            let values = x3.index_axis(Axis(1), ch); // this channel: [batch, positions]
            let (mu, var) = match mode {
                Mode::Train => {
                    let mu = mean(&values);
                    let var = mean(&values.mapv(|v| (v - mu) * (v - mu)).view()); // biased: ÷ n
                    self.update_running(ch, mu, var, values.len());
                    (mu, var)
                }
                Mode::Eval | Mode::EvalGrad => {
                    (self.running_mean.value[ch], self.running_var.value[ch])
                }
            };
            sigma[ch] = (var + F::cast(self.eps)).sqrt();
            let (gamma, beta) = (self.gamma.value[ch], self.beta.value[ch]);
            let mut h = x_hat.index_axis_mut(Axis(1), ch);
            h.zip_mut_with(&values, |h, &v| *h = (v - mu) / sigma[ch]); // x̂ = (x − μ)/σ
            y.index_axis_mut(Axis(1), ch)
                .zip_mut_with(&h, |y, &h| *y = gamma * h + beta); // y = γx̂ + β
        }
        if mode.caches() {
            self.x_hat = Some(x_hat.into_dyn());
            self.sigma = Some(sigma.into_dyn());
            self.frozen = mode == Mode::EvalGrad;
        }
        y.into_shape_with_order(x.raw_dim()).expect("same size")
    }
    // ANCHOR_END: forward

    // ANCHOR: backward
    // Over the n values x of one channel, μ = mean(x), v = mean((x − μ)²),
    // σ = √(v + ε) and x̂ = (x − μ)/σ. Then
    //   ∂μ/∂xⱼ = 1/n,  ∂v/∂xⱼ = 2(xⱼ − μ)/n,  so  ∂σ/∂xⱼ = (xⱼ − μ)/(nσ) = x̂ⱼ/n,
    //   ∂x̂ᵢ/∂xⱼ = (δᵢⱼ − 1/n)/σ − (xᵢ − μ)/σ² · x̂ⱼ/n = (δᵢⱼ − 1/n − x̂ᵢx̂ⱼ/n)/σ.
    // So with ∂L/∂x̂ = γ·dy, summing over i:
    //   dxⱼ = (γ/σ)·(dyⱼ − mean(dy) − x̂ⱼ·mean(dy·x̂)),
    // and the two means are exactly ∂L/∂β / n and ∂L/∂γ / n.
    fn backward(&mut self, grad_y: &Tensor<F>) -> Tensor<F> {
        let c = self.channels();
        let x_hat = cached(&self.x_hat, "BatchNorm")
            .view()
            .into_dimensionality::<Ix3>()
            .expect("cached 3-D"); // [batch, c, positions]
        let sigma = cached(&self.sigma, "BatchNorm");
        let dy = as_3d(grad_y, c); // [batch, c, positions]
        let mut dx = Array3::zeros(dy.raw_dim());
        let (mut dgamma, mut dbeta) = (Array1::zeros(c), Array1::zeros(c));
        for ch in 0..c {
            let (dy, h) = (dy.index_axis(Axis(1), ch), x_hat.index_axis(Axis(1), ch));
            let n = F::cast(dy.len() as f64);
            dbeta[ch] = dy.sum(); // ∂L/∂β = Σ dy
            dgamma[ch] = (&dy * &h).sum(); // ∂L/∂γ = Σ dy·x̂
            // In Mode::EvalGrad μ and σ are the running constants: dx = (γ/σ)·dy.
            let (mean_dy, mean_dy_h) = match self.frozen {
                false => (dbeta[ch] / n, dgamma[ch] / n),
                true => (F::zero(), F::zero()),
            };
            let scale = self.gamma.value[ch] / sigma[ch];
            let mut dx = dx.index_axis_mut(Axis(1), ch);
            dx.zip_mut_with(&dy, |d, &g| *d = g);
            ndarray::Zip::from(&mut dx)
                .and(&h)
                .for_each(|d, &h| *d = scale * (*d - mean_dy - h * mean_dy_h));
        }
        self.gamma.grad = dgamma.into_dyn();
        self.beta.grad = dbeta.into_dyn();
        dx.into_shape_with_order(grad_y.raw_dim())
            .expect("same size")
    }
    // ANCHOR_END: backward

    fn params(&self) -> Vec<&Param<F>> {
        vec![
            &self.gamma,
            &self.beta,
            &self.running_mean,
            &self.running_var,
        ]
    }

    fn params_mut(&mut self) -> Vec<&mut Param<F>> {
        let Self {
            gamma,
            beta,
            running_mean,
            running_var,
            ..
        } = self;
        vec![gamma, beta, running_mean, running_var]
    }

    fn name(&self) -> String {
        format!("BatchNorm({})", self.channels())
    }

    fn check_input(&self, input: &[usize]) -> Result<(), String> {
        fits(input, self.channels())
    }
}

impl<F: Float> BatchNorm<F> {
    /// `running ← (1 − momentum)·running + momentum·batch` for channel `ch`,
    /// with the unbiased variance `var · n/(n − 1)` of its n values.
    fn update_running(&mut self, ch: usize, mean: F, var: F, n: usize) {
        assert!(
            n > 1,
            "BatchNorm({}): training needs more than one value per channel, got {n}: \
             train with batches of at least 2 examples (evaluation mode takes one)",
            self.channels()
        );
        let m = F::cast(self.momentum);
        let unbiased = var * F::cast(n as f64 / (n - 1) as f64);
        let blend = |running: &mut F, batch: F| *running = (F::one() - m) * *running + m * batch;
        blend(&mut self.running_mean.value[ch], mean);
        blend(&mut self.running_var.value[ch], unbiased);
    }
}
