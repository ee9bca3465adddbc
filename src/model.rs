//! [`Sequential`]: layers applied one after another — itself a layer.

use crate::layer::{Layer, Mode, Param};
use crate::tensor::{Float, Rng, Tensor};
use std::borrow::Cow;

/// A network that applies its layers in order; backward runs them in reverse.
///
/// A `Sequential` is itself a [`Layer`]: it can be nested in another one,
/// gradient-checked as a whole, and cloned. The [`Mode`] given to `forward`
/// reaches every layer, so one call switches the whole model between training
/// and evaluation.
///
/// Every parameter gets a unique name: the layer's position, then the name
/// the layer gave it (`"0.dense.W"`, `"2.dense.b"`), as in PyTorch's
/// `state_dict`. Optimizers keep their state under these names.
///
/// **Panics** in `forward` (and `predict`) if a layer cannot take the shape it
/// receives ([`Layer::check_input`]): the message names the layer's position
/// and name and both shapes, e.g. `layer 2 (Dense(100 → 128)) expects inputs
/// of width 100, got [32, 784]: ...`.
///
/// ```
/// use scratchnet::prelude::*;
/// let mut rng = seeded_rng(0);
/// let mut net = Sequential::new()
///     .with(Dense::new(4, 8, Init::HeNormal, &mut rng))
///     .with(ReLU::new())
///     .with(Dense::new(8, 3, Init::XavierUniform, &mut rng));
/// assert_eq!(net.summary(), vec!["Dense(4 → 8)", "ReLU", "Dense(8 → 3)"]);
/// let x: Tensor = Tensor::ones(vec![2, 4]);
/// let y = net.forward(&x, Mode::Train); // [2, 3]
/// assert_eq!(y.shape(), &[2, 3]);
/// assert_eq!(net.backward(&Tensor::ones(vec![2, 3])).shape(), &[2, 4]);
/// let names: Vec<&str> = net.params().iter().map(|p| p.name.as_str()).collect();
/// assert_eq!(names, ["0.dense.W", "0.dense.b", "2.dense.W", "2.dense.b"]);
/// ```
#[derive(Clone, Default)]
pub struct Sequential<F: Float = f64> {
    layers: Vec<Box<dyn Layer<F>>>,
}

impl<F: Float> Sequential<F> {
    /// An empty network (the identity function).
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut id: Sequential = Sequential::new();
    /// let x = tensor(&[1, 2], &[1.0, -2.0]);
    /// assert_eq!((id.predict(&x), id.num_parameters()), (x, 0));
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a layer, builder style.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let net: Sequential = Sequential::new().with(ReLU::new()).with(Sigmoid::new());
    /// assert_eq!(net.summary(), ["ReLU", "Sigmoid"]); // in the order added
    /// ```
    pub fn with(mut self, layer: impl Layer<F> + 'static) -> Self {
        self.push(layer);
        self
    }

    /// Appends a layer, prefixing its parameters' names with its position.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut net: Sequential = Sequential::new();
    /// for _ in 0..3 {
    ///     net.push(Tanh::new()); // in a loop, where the builder `with` is awkward
    /// }
    /// assert_eq!(net.summary(), ["Tanh", "Tanh", "Tanh"]);
    /// // A network nested in a network: names get both positions.
    /// let inner = Sequential::new().with(Dense::new(2, 2, Init::HeNormal, &mut seeded_rng(0)));
    /// net.push(inner);
    /// assert_eq!(net.params()[0].name, "3.0.dense.W");
    /// ```
    pub fn push(&mut self, mut layer: impl Layer<F> + 'static) {
        let position = self.layers.len();
        for p in layer.params_mut() {
            p.name = format!("{position}.{}", p.name);
        }
        self.layers.push(Box::new(layer));
    }

    /// The layers, bottom first.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let net = Sequential::new().with(Dense::new(3, 2, Init::Zeros, &mut seeded_rng(0))).with(ReLU::new());
    /// assert_eq!(net.layers().len(), 2);
    /// assert_eq!(net.layers()[0].params().len(), 2); // W and b
    /// # let _: &Sequential = &net;
    /// ```
    pub fn layers(&self) -> &[Box<dyn Layer<F>>] {
        &self.layers
    }

    /// The layers, bottom first, mutable: to run them one at a time and look
    /// at what each computes (the book's feature-map figures do).
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut net: Sequential = Sequential::new().with(ReLU::new()).with(Sigmoid::new());
    /// let x = tensor(&[1, 2], &[-1.0, 2.0]);
    /// let after_relu = net.layers_mut()[0].forward(&x, Mode::Eval);
    /// assert_eq!(after_relu, tensor(&[1, 2], &[0.0, 2.0]));
    /// ```
    pub fn layers_mut(&mut self) -> &mut [Box<dyn Layer<F>>] {
        &mut self.layers
    }

    /// Evaluation-mode forward pass.
    ///
    /// **Panics** if a layer cannot take the shape it receives, naming the
    /// layer's position and name and both shapes.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut net = Sequential::new().with(Dropout::new(0.5, 0));
    /// let x: Tensor = Tensor::ones(vec![2, 3]);
    /// assert_eq!(net.predict(&x), x); // dropout is off when predicting
    /// ```
    pub fn predict(&mut self, x: &Tensor<F>) -> Tensor<F> {
        self.forward(x, Mode::Eval)
    }

    /// The layers' names, bottom first (with shapes and parameter counts:
    /// [`Sequential::summary_table`]).
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let net: Sequential = Sequential::new()
    ///     .with(Dense::new(3, 2, Init::Zeros, &mut seeded_rng(0)))
    ///     .with(LeakyReLU::new(0.1));
    /// assert_eq!(net.summary(), ["Dense(3 → 2)", "LeakyReLU(0.1)"]);
    /// ```
    pub fn summary(&self) -> Vec<String> {
        self.layers.iter().map(|l| l.name()).collect()
    }

    /// Number of trainable numbers in the network (buffers such as batch
    /// norm's running statistics are not counted, as in PyTorch's `parameters()`).
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut rng = seeded_rng(0);
    /// let net: Sequential = Sequential::new()
    ///     .with(Dense::new(4, 8, Init::HeNormal, &mut rng))
    ///     .with(ReLU::new())
    ///     .with(Dense::new(8, 3, Init::HeNormal, &mut rng));
    /// assert_eq!(net.num_parameters(), (4 * 8 + 8) + (8 * 3 + 3));
    /// ```
    pub fn num_parameters(&self) -> usize {
        let params = self.params();
        let trainable = params.iter().filter(|p| p.kind.is_trainable());
        trainable.map(|p| p.value.len()).sum()
    }
}

/// Panics unless `layer`, number `i` of a network, can take inputs of shape
/// `input`: the message names the layer's position and name, and the reason.
pub(crate) fn check_layer<F: Float>(i: usize, layer: &dyn Layer<F>, input: &[usize]) {
    if let Err(reason) = layer.check_input(input) {
        panic!("layer {i} ({}) {reason}", layer.name());
    }
}

impl<F: Float> Layer<F> for Sequential<F> {
    fn forward(&mut self, x: &Tensor<F>, mode: Mode) -> Tensor<F> {
        let mut h = Cow::Borrowed(x); // no copy of the input
        for (i, layer) in self.layers.iter_mut().enumerate() {
            check_layer(i, layer.as_ref(), h.shape()); // a wrong shape: a panic naming layer i
            h = Cow::Owned(layer.forward(&h, mode));
        }
        h.into_owned()
    }

    // ANCHOR: backward
    fn backward(&mut self, grad_out: &Tensor<F>) -> Tensor<F> {
        let mut g = grad_out.clone();
        for layer in self.layers.iter_mut().rev() {
            g = layer.backward(&g); // ∂L/∂(this layer's input) = ∂L/∂(the output of the one below)
        }
        g
    }
    // ANCHOR_END: backward

    /// The parameter gradients only: the same backward pass, stopped at the
    /// first layer that has no trainable parameter below it, which is asked
    /// for its parameter gradients only ([`Layer::backward_params`]). Nothing
    /// needs the gradient of the data: skipping it saves a third of a first
    /// `Dense` layer's arithmetic. The parameter gradients are the same, bit for bit.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut rng = seeded_rng(0);
    /// let mut net: Sequential = Sequential::new()
    ///     .with(Dense::new(3, 4, Init::HeUniform, &mut rng)).with(ReLU::new()).with(Dense::new(4, 2, Init::HeUniform, &mut rng));
    /// let x = tensor(&[2, 3], &[0.1, -0.2, 0.3, 0.4, 0.5, -0.6]);
    /// let g = Tensor::ones(vec![2, 2]);
    /// let mut full = net.clone();
    /// full.forward(&x, Mode::Train);
    /// full.backward(&g);
    /// net.forward(&x, Mode::Train);
    /// net.backward_params(&g);
    /// for (a, b) in net.params().iter().zip(full.params()) {
    ///     assert_eq!(a.grad, b.grad);
    /// }
    /// ```
    fn backward_params(&mut self, grad_out: &Tensor<F>) {
        // Layers from `first` up need a backward pass; the lowest of them needs no ∂L/∂x.
        let trainable = |l: &dyn Layer<F>| l.params().iter().any(|p| p.kind.is_trainable());
        let Some(first) = self.layers.iter().position(|l| trainable(l.as_ref())) else {
            return; // nothing to train
        };
        let mut g = grad_out.clone();
        for layer in self.layers[first + 1..].iter_mut().rev() {
            g = layer.backward(&g);
        }
        self.layers[first].backward_params(&g);
    }

    fn params(&self) -> Vec<&Param<F>> {
        self.layers.iter().flat_map(|l| l.params()).collect()
    }

    fn params_mut(&mut self) -> Vec<&mut Param<F>> {
        self.layers
            .iter_mut()
            .flat_map(|l| l.params_mut())
            .collect()
    }

    fn name(&self) -> String {
        format!("Sequential({})", self.summary().join(", "))
    }

    fn check_input(&self, input: &[usize]) -> Result<(), String> {
        match self.layers.first() {
            Some(first) => first
                .check_input(input)
                .map_err(|reason| format!("at its layer 0 ({}) {reason}", first.name())),
            None => Ok(()), // the identity takes anything
        }
    }

    fn rngs(&self) -> Vec<&Rng> {
        self.layers.iter().flat_map(|l| l.rngs()).collect()
    }

    fn rngs_mut(&mut self) -> Vec<&mut Rng> {
        self.layers.iter_mut().flat_map(|l| l.rngs_mut()).collect()
    }
}
