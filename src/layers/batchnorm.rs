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
use ndarray::{Array1, Array3, ArrayView3, Axis, Ix1, Ix3};

/// Batch normalisation over axis 1: the features of `[batch, features]`
/// (after a dense layer) or the channels of `[batch, channels, h, w]` (after a
/// convolution, with statistics over the batch *and* every position, as
/// PyTorch's `BatchNorm1d` and `BatchNorm2d` compute them).
///
/// * [`Mode::Train`]: normalises with the batch's mean and (biased) variance,
///   and updates the running statistics,
///   `running ← (1 − momentum)·running + momentum·batch`, PyTorch's convention
///   with its `momentum = 0.1` (the weight of the *new* value; Keras writes the
///   same update with `momentum = 0.99`, the weight of the old one). Like
///   PyTorch, the running variance averages the *unbiased* batch variance
///   (divided by n − 1, n = values per channel).
/// * [`Mode::Eval`]: normalises with the running statistics.
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
}

impl<F: Float> BatchNorm<F> {
    /// Batch normalisation of `channels` features or channels: γ = 1, β = 0,
    /// running mean 0 and variance 1, momentum 0.1, ε = 1e-5 (PyTorch's defaults).
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
        }
    }

    fn channels(&self) -> usize {
        self.gamma.value.len()
    }
}

/// `t` `[batch, channels, ...]` as `[batch, channels, positions]` (positions = 1 for dense features).
fn as_3d<F: Float>(t: &Tensor<F>, channels: usize) -> Array3<F> {
    assert!(
        t.ndim() >= 2 && t.shape()[1] == channels,
        "BatchNorm({channels}) expects [batch, {channels}, ...], got {:?}",
        t.shape()
    );
    let positions = t.shape()[2..].iter().product::<usize>();
    let shape = (t.shape()[0], channels, positions);
    t.to_shape(shape).expect("same size").into_owned()
}

/// The mean of every channel over the batch and the positions, `[channels]`.
fn channel_mean<F: Float>(t: &ArrayView3<F>) -> Array1<F> {
    let n = F::cast((t.len_of(Axis(0)) * t.len_of(Axis(2))) as f64);
    t.sum_axis(Axis(2)).sum_axis(Axis(0)) / n
}

/// A `[channels]` parameter as a vector.
fn vector<F: Float>(p: &Param<F>) -> Array1<F> {
    p.value
        .view()
        .into_dimensionality::<Ix1>()
        .expect("1-D")
        .to_owned()
}

/// `[channels]` as `[1, channels, 1]`, to broadcast against `[batch, channels, positions]`.
fn per_channel<F: Float>(v: &Array1<F>) -> ArrayView3<'_, F> {
    v.view().insert_axis(Axis(0)).insert_axis(Axis(2))
}

impl<F: Float> Layer<F> for BatchNorm<F> {
    // ANCHOR: forward
    fn forward(&mut self, x: &Tensor<F>, mode: Mode) -> Tensor<F> {
        let x3 = as_3d(x, self.channels()); // [batch, channels, positions]
        let (gamma, beta) = (vector(&self.gamma), vector(&self.beta)); // [channels]
        let (mean, var) = match mode {
            Mode::Train => {
                let mean = channel_mean(&x3.view());
                let centred = &x3 - &per_channel(&mean);
                let var = channel_mean(&centred.mapv(|v| v * v).view()); // biased: ÷ n
                self.update_running(&mean, &var, x3.len() / self.channels());
                (mean, var)
            }
            Mode::Eval => (vector(&self.running_mean), vector(&self.running_var)),
        };
        let sigma = var.mapv(|v| (v + F::cast(self.eps)).sqrt()); // [channels]
        let x_hat = (&x3 - &per_channel(&mean)) / per_channel(&sigma); // [batch, channels, positions]
        let y = &x_hat * &per_channel(&gamma) + per_channel(&beta);
        if mode == Mode::Train {
            self.x_hat = Some(x_hat.into_dyn());
            self.sigma = Some(sigma.into_dyn());
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
        let x_hat = cached(&self.x_hat, "BatchNorm");
        let sigma = cached(&self.sigma, "BatchNorm");
        let c = self.channels();
        let x_hat = x_hat
            .view()
            .into_dimensionality::<Ix3>()
            .expect("cached 3-D"); // [batch, c, positions]
        let sigma = sigma
            .view()
            .into_dimensionality::<Ix1>()
            .expect("cached 1-D"); // [c]
        let gamma = vector(&self.gamma); // [c]
        let dy = as_3d(grad_y, c); // [batch, c, positions]
        let n = F::cast((dy.len() / c) as f64);
        let dbeta = dy.sum_axis(Axis(2)).sum_axis(Axis(0)); // ∂L/∂β = Σ dy        [c]
        let dgamma = (&dy * &x_hat).sum_axis(Axis(2)).sum_axis(Axis(0)); // ∂L/∂γ = Σ dy·x̂   [c]
        let mean_dy = &dbeta / n;
        let mean_dy_xhat = &dgamma / n;
        let dx = (&dy - &per_channel(&mean_dy) - &x_hat * &per_channel(&mean_dy_xhat))
            * per_channel(&(&gamma / &sigma)); // [batch, c, positions]
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
}

impl<F: Float> BatchNorm<F> {
    /// `running ← (1 − momentum)·running + momentum·batch`, with the unbiased
    /// variance `var · n/(n − 1)` for the n values of each channel.
    fn update_running(&mut self, mean: &Array1<F>, var: &Array1<F>, n: usize) {
        assert!(
            n > 1,
            "BatchNorm: training needs more than one value per channel, got {n}"
        );
        let m = F::cast(self.momentum);
        let unbiased = var * F::cast(n as f64 / (n - 1) as f64);
        let blend = |running: &mut Tensor<F>, batch: &Array1<F>| {
            let batch = batch.view().into_dyn();
            running.zip_mut_with(&batch, |r, &b| *r = (F::one() - m) * *r + m * b);
        };
        blend(&mut self.running_mean.value, mean);
        blend(&mut self.running_var.value, &unbiased);
    }
}
