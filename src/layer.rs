//! The [`Layer`] trait: the contract every building block of a network keeps.
//!
//! A layer is a function `y = f(x; θ)` with a memory. `forward` computes `y`
//! and, in training mode, caches whatever `backward` will need. `backward`
//! receives the upstream gradient `∂L/∂y`, stores `∂L/∂θ` next to each
//! parameter θ, and returns `∂L/∂x` for the layer below. This is the design
//! of Saito's `common/layers.py`, typed.

use crate::tensor::{Float, Rng, Tensor};
use ndarray::{ArrayRef, IxDyn};

/// Whether a forward pass is part of training or of evaluation.
///
/// Most layers ignore it. Dropout drops units only in [`Mode::Train`];
/// a layer may skip caching its inputs in [`Mode::Eval`]. [`Mode::EvalGrad`]
/// computes what `Mode::Eval` computes but caches for `backward`, so that the
/// gradient of the trained network with respect to its *input* can be taken
/// (saliency maps and adversarial examples, Chapter 8).
///
/// ```
/// use scratchnet::prelude::*;
/// let mut drop = Dropout::new(0.5, 0);
/// let x: Tensor = Tensor::ones(vec![1, 4]);
/// assert_eq!(drop.forward(&x, Mode::Eval), x); // evaluation: the identity
/// assert_ne!(drop.forward(&x, Mode::Train), x); // training: units dropped, survivors doubled
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Training: cache for `backward`, apply stochastic regularisers.
    Train,
    /// Evaluation (inference): deterministic, nothing cached.
    Eval,
    /// Evaluation's function (no dropout, batch norm's running statistics),
    /// with the caches `backward` needs: the gradient of what the trained
    /// network computes at inference, e.g. with respect to its input.
    EvalGrad,
}

impl Mode {
    /// Whether a forward pass in this mode caches what `backward` needs
    /// (every mode but [`Mode::Eval`]).
    ///
    /// ```
    /// use scratchnet::Mode;
    /// assert!(Mode::Train.caches() && Mode::EvalGrad.caches());
    /// assert!(!Mode::Eval.caches());
    /// ```
    pub fn caches(self) -> bool {
        self != Mode::Eval
    }
}

/// What a parameter is: whether weight penalties (L1, L2) apply to it, and
/// whether it is trained at all.
///
/// A [`ParamKind::Buffer`] is state a layer updates itself in its forward
/// pass, such as batch normalisation's running mean and variance (PyTorch's
/// `register_buffer`). It is listed by `params()` so that it is saved and
/// loaded with the weights ([`crate::weights`]), but it has no gradient:
/// optimizers leave it alone and gradient checks skip it ([`ParamKind::is_trainable`]).
///
/// ```
/// use scratchnet::prelude::*;
/// use scratchnet::layer::ParamKind;
/// let dense: Dense = Dense::new(2, 3, Init::Zeros, &mut seeded_rng(0));
/// let kinds: Vec<ParamKind> = dense.params().iter().map(|p| p.kind).collect();
/// assert_eq!(kinds, [ParamKind::Weight, ParamKind::Bias]);
/// let bn: BatchNorm = BatchNorm::new(4);
/// let kinds: Vec<ParamKind> = bn.params().iter().map(|p| p.kind).collect();
/// assert_eq!(kinds, [ParamKind::Bias, ParamKind::Bias, ParamKind::Buffer, ParamKind::Buffer]); // γ, β, running mean, running var
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// A weight: penalised by L1/L2 regularisation.
    Weight,
    /// A bias, or another per-unit shift or scale (batch norm's β and γ):
    /// conventionally not penalised.
    Bias,
    /// Not trainable: state the layer updates itself (running statistics),
    /// saved with the weights but never touched by an optimizer.
    Buffer,
}

impl ParamKind {
    /// Whether an optimizer updates parameters of this kind (a weight or a
    /// bias, not a [`ParamKind::Buffer`]).
    ///
    /// ```
    /// use scratchnet::layer::ParamKind;
    /// assert!(ParamKind::Weight.is_trainable() && ParamKind::Bias.is_trainable());
    /// assert!(!ParamKind::Buffer.is_trainable());
    /// ```
    pub fn is_trainable(self) -> bool {
        self != ParamKind::Buffer
    }
}

/// A tensor of a layer's state together with the gradient of the loss with
/// respect to it: a trainable weight or bias, or a non-trainable buffer
/// ([`ParamKind::Buffer`], whose gradient stays zero).
///
/// Its `name` says where it lives. A layer names its own parameters
/// (`"dense.W"`, `"dense.b"`); a [`crate::Sequential`] prefixes them with the
/// layer's position, so that every parameter of a network has a unique name
/// (`"0.dense.W"`, `"2.dense.b"`, as PyTorch's `state_dict` keys do).
/// Optimizers keep their state under these names, and saved weights use them.
///
/// ```
/// use scratchnet::{Param, tensor};
/// use scratchnet::layer::ParamKind;
/// let p = Param::new("w", ParamKind::Weight, tensor(&[2], &[1.0, 2.0]));
/// assert_eq!(p.grad.shape(), p.value.shape());
/// assert_eq!(p.grad.sum(), 0.0);
/// ```
#[derive(Clone, Debug)]
pub struct Param<F: Float = f64> {
    /// A name unique within the network, e.g. `"0.dense.W"`.
    pub name: String,
    /// Weight, bias or (non-trainable) buffer.
    pub kind: ParamKind,
    /// The current value θ.
    pub value: Tensor<F>,
    /// ∂L/∂θ from the latest backward pass; same shape as `value`.
    pub grad: Tensor<F>,
}

impl<F: Float> Param<F> {
    /// Wraps `value` with a zero gradient of the same shape.
    ///
    /// ```
    /// use scratchnet::{Param, Tensor, layer::ParamKind, tensor};
    /// let p = Param::new("b", ParamKind::Bias, tensor(&[3], &[1.0, 2.0, 3.0]));
    /// assert_eq!((p.name.as_str(), p.kind), ("b", ParamKind::Bias));
    /// let zeros: Tensor = Tensor::zeros(vec![3]);
    /// assert_eq!(p.grad, zeros);
    /// ```
    pub fn new(name: impl Into<String>, kind: ParamKind, value: Tensor<F>) -> Self {
        let grad = Tensor::zeros(value.raw_dim());
        Param {
            name: name.into(),
            kind,
            value,
            grad,
        }
    }
}

/// A differentiable building block: forward caches, backward returns `∂L/∂x`.
///
/// The contract, checked for every layer of the crate by [`crate::gradcheck`]:
///
/// * `forward(x, Mode::Train)` returns `y` and remembers what `backward` needs;
/// * `backward(dy)` with `dy = ∂L/∂y` (same shape as `y`) returns `∂L/∂x`
///   (same shape as `x`) and *overwrites* the `grad` of every parameter;
/// * `params()` and `params_mut()` list the parameters in one fixed order.
///
/// `F` is the element type (`f64` unless stated). A layer is `Clone` (through
/// [`dyn_clone`], so that a network of boxed layers can be cloned too) and
/// `Send` (it can move to another thread).
///
/// ```
/// use scratchnet::prelude::*;
/// let mut relu = ReLU::new();
/// let y = relu.forward(&tensor(&[1, 3], &[-1.0, 0.5, 2.0]), Mode::Train);
/// assert_eq!(y, tensor(&[1, 3], &[0.0, 0.5, 2.0]));
/// let dx = relu.backward(&tensor(&[1, 3], &[1.0, 1.0, 1.0]));
/// assert_eq!(dx, tensor(&[1, 3], &[0.0, 1.0, 1.0]));
/// ```
// ANCHOR: layer_trait
pub trait Layer<F: Float = f64>: dyn_clone::DynClone + Send {
    /// Computes the layer's output; in [`Mode::Train`] caches what `backward` needs.
    fn forward(&mut self, x: &Tensor<F>, mode: Mode) -> Tensor<F>;

    /// Given `∂L/∂y`, stores parameter gradients and returns `∂L/∂x`.
    ///
    /// **Panics** if called before a training-mode `forward`.
    fn backward(&mut self, grad_y: &Tensor<F>) -> Tensor<F>;

    /// Like `backward`, for a layer whose `∂L/∂x` nobody needs (a network's
    /// first layer, fed the data): stores the parameter gradients only, and
    /// may skip the input gradient's arithmetic (`Dense` does; Chapter 5).
    fn backward_params(&mut self, grad_y: &Tensor<F>) {
        self.backward(grad_y);
    }

    /// The layer's parameters, in a fixed order (none by default): its
    /// trainable weights and biases, then any [`ParamKind::Buffer`]s.
    fn params(&self) -> Vec<&Param<F>> {
        Vec::new()
    }

    /// The same parameters, mutable, in the same order: for optimizers.
    fn params_mut(&mut self) -> Vec<&mut Param<F>> {
        Vec::new()
    }

    /// A short description such as `Dense(784 → 128)`.
    fn name(&self) -> String;

    /// Whether the layer can take an input of shape `input`: if not, what it
    /// expects and what to do, e.g. `expects inputs of width 100, got [32, 784]: ...`.
    /// [`crate::Sequential`] asks every layer before its `forward`, so that a
    /// wrong shape is reported with the layer's position.
    fn check_input(&self, _input: &[usize]) -> Result<(), String> {
        Ok(()) // by default, any shape
    }

    /// The layer's random-number generators, in a fixed order (none by
    /// default; dropout has one): a checkpoint saves where they are (Chapter 5).
    fn rngs(&self) -> Vec<&Rng> {
        Vec::new()
    }

    /// The same generators, mutable, in the same order: to restore them.
    fn rngs_mut(&mut self) -> Vec<&mut Rng> {
        Vec::new()
    }
}
// ANCHOR_END: layer_trait

dyn_clone::clone_trait_object!(<F> Layer<F> where F: Float);

/// Checks that `layer` can take `x` ([`Layer::check_input`]): the first line
/// of a `forward` whose layer expects a particular shape.
///
/// **Panics** with the layer's name and the reason if it cannot.
///
/// ```
/// use scratchnet::{layer::expect_input, prelude::*};
/// let dense: Dense = Dense::new(100, 128, Init::Zeros, &mut seeded_rng(0));
/// expect_input(&dense, &Tensor::zeros(vec![32, 100])); // fits: nothing happens
/// let err = std::panic::catch_unwind(|| expect_input(&dense, &Tensor::zeros(vec![32, 784]))).unwrap_err();
/// let message = err.downcast_ref::<String>().unwrap();
/// assert!(message.starts_with("Dense(100 → 128) expects inputs of width 100, got [32, 784]"));
/// ```
#[track_caller]
pub fn expect_input<F: Float, L: Layer<F> + ?Sized>(layer: &L, x: &Tensor<F>) {
    if let Err(reason) = layer.check_input(x.shape()) {
        panic!("{} {reason}", layer.name());
    }
}

/// Copies `x` into `cache`, reusing the memory of the tensor cached before
/// when it has the same shape (every mini-batch but the last of an epoch):
/// a copy, but no allocation.
///
/// ```
/// use scratchnet::{Tensor, layer::store, tensor};
/// let mut cache: Option<Tensor> = None;
/// store(&mut cache, &tensor(&[2], &[1.0, 2.0]));
/// store(&mut cache, &tensor(&[2], &[3.0, 4.0])); // written over the first
/// assert_eq!(cache, Some(tensor(&[2], &[3.0, 4.0])));
/// ```
pub fn store<F: Float>(cache: &mut Option<Tensor<F>>, x: &ArrayRef<F, IxDyn>) {
    match cache {
        Some(c) if c.shape() == x.shape() => c.assign(x),
        _ => *cache = Some(x.to_owned()),
    }
}

/// Returns the cached tensor, or panics with a message naming the layer.
///
/// Every layer keeps what `backward` needs in an `Option`, filled by a
/// training-mode `forward`; this turns a missing cache into a clear message.
///
/// ```
/// use scratchnet::{Tensor, layer::cached};
/// let cache: Option<Tensor> = None;
/// let err = std::panic::catch_unwind(|| cached(&cache, "MyLayer").len()).unwrap_err();
/// assert_eq!(err.downcast_ref::<String>().unwrap(), "MyLayer: backward called before a training-mode forward");
/// ```
pub fn cached<'a, F: Float>(cache: &'a Option<Tensor<F>>, who: &str) -> &'a Tensor<F> {
    cache
        .as_ref()
        .unwrap_or_else(|| panic!("{who}: backward called before a training-mode forward"))
}
