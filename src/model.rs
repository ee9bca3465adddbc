//! [`Sequential`]: layers applied one after another, and one training step.

use crate::layer::{Layer, Mode, Param};
use crate::loss::Loss;
use crate::optim::Optimizer;
use crate::regularization::Penalty;
use crate::tensor::Tensor;

/// A network that applies its layers in order; backward runs them in reverse.
///
/// The [`Mode`] given to `forward` reaches every layer, so one call switches
/// the whole model between training and evaluation.
///
/// ```
/// use scratchnet::prelude::*;
/// let mut rng = seeded_rng(0);
/// let mut net = Sequential::new()
///     .with(Dense::new(4, 8, Init::HeNormal, &mut rng))
///     .with(ReLU::new())
///     .with(Dense::new(8, 3, Init::XavierUniform, &mut rng));
/// assert_eq!(net.summary(), vec!["Dense(4 → 8)", "ReLU", "Dense(8 → 3)"]);
/// let y = net.forward(&Tensor::ones(vec![2, 4]), Mode::Train); // [2, 3]
/// assert_eq!(y.shape(), &[2, 3]);
/// assert_eq!(net.backward(&Tensor::ones(vec![2, 3])).shape(), &[2, 4]);
/// assert_eq!(net.params().len(), 4); // W and b of each dense layer
/// ```
#[derive(Default)]
pub struct Sequential {
    layers: Vec<Box<dyn Layer>>,
}

impl Sequential {
    /// An empty network (the identity function).
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut id = Sequential::new();
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
    /// let net = Sequential::new().with(ReLU::new()).with(Sigmoid::new());
    /// assert_eq!(net.summary(), ["ReLU", "Sigmoid"]); // in the order added
    /// ```
    pub fn with(mut self, layer: impl Layer + 'static) -> Self {
        self.push(layer);
        self
    }

    /// Appends a layer.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut net = Sequential::new();
    /// for _ in 0..3 {
    ///     net.push(Tanh::new()); // in a loop, where the builder `with` is awkward
    /// }
    /// assert_eq!(net.summary(), ["Tanh", "Tanh", "Tanh"]);
    /// ```
    pub fn push(&mut self, layer: impl Layer + 'static) {
        self.layers.push(Box::new(layer));
    }

    /// Runs every layer in order.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let w = tensor(&[2, 1], &[1.0, 1.0]);
    /// let mut net = Sequential::new().with(Dense::from_weights(w, tensor(&[1], &[0.0]))).with(ReLU::new());
    /// // ReLU(1 − 3) = 0: the dense layer first, then the activation.
    /// assert_eq!(net.forward(&tensor(&[1, 2], &[1.0, -3.0]), Mode::Train), tensor(&[1, 1], &[0.0]));
    /// ```
    pub fn forward(&mut self, x: &Tensor, mode: Mode) -> Tensor {
        let mut h = x.clone();
        for layer in &mut self.layers {
            h = layer.forward(&h, mode);
        }
        h
    }

    /// Evaluation-mode forward pass.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut net = Sequential::new().with(Dropout::new(0.5, 0));
    /// let x = Tensor::ones(vec![2, 3]);
    /// assert_eq!(net.predict(&x), x); // dropout is off when predicting
    /// ```
    pub fn predict(&mut self, x: &Tensor) -> Tensor {
        self.forward(x, Mode::Eval)
    }

    // ANCHOR: backward
    /// Backpropagates `∂L/∂output` through every layer in reverse order and
    /// returns `∂L/∂input`; parameter gradients are stored in the layers.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut net = Sequential::new().with(Dense::from_weights(tensor(&[1, 1], &[3.0]), tensor(&[1], &[0.0])));
    /// net.forward(&tensor(&[1, 1], &[2.0]), Mode::Train); // y = 3x
    /// assert_eq!(net.backward(&tensor(&[1, 1], &[1.0])), tensor(&[1, 1], &[3.0])); // ∂y/∂x = 3
    /// ```
    pub fn backward(&mut self, grad_out: &Tensor) -> Tensor {
        let mut g = grad_out.clone();
        for layer in self.layers.iter_mut().rev() {
            g = layer.backward(&g);
        }
        g
    }
    // ANCHOR_END: backward

    /// Every parameter of every layer, bottom layer first.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut rng = seeded_rng(0);
    /// let mut net = Sequential::new()
    ///     .with(Dense::new(2, 3, Init::HeNormal, &mut rng))
    ///     .with(ReLU::new())
    ///     .with(Dense::new(3, 1, Init::HeNormal, &mut rng));
    /// let shapes: Vec<Vec<usize>> = net.params().iter().map(|p| p.value.shape().to_vec()).collect();
    /// assert_eq!(shapes, [vec![2, 3], vec![3], vec![3, 1], vec![1]]); // W1, b1, W2, b2
    /// ```
    pub fn params(&mut self) -> Vec<&mut Param> {
        self.layers.iter_mut().flat_map(|l| l.params()).collect()
    }

    /// The layers' names, bottom first.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let net = Sequential::new()
    ///     .with(Dense::new(3, 2, Init::Zeros, &mut seeded_rng(0)))
    ///     .with(LeakyReLU::new(0.1));
    /// assert_eq!(net.summary(), ["Dense(3 → 2)", "LeakyReLU(0.1)"]);
    /// ```
    pub fn summary(&self) -> Vec<String> {
        self.layers.iter().map(|l| l.name()).collect()
    }

    /// Number of trainable numbers in the network.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut rng = seeded_rng(0);
    /// let mut net = Sequential::new()
    ///     .with(Dense::new(4, 8, Init::HeNormal, &mut rng))
    ///     .with(ReLU::new())
    ///     .with(Dense::new(8, 3, Init::HeNormal, &mut rng));
    /// assert_eq!(net.num_parameters(), (4 * 8 + 8) + (8 * 3 + 3));
    /// ```
    pub fn num_parameters(&mut self) -> usize {
        self.params().iter().map(|p| p.value.len()).sum()
    }
}

// ANCHOR: train_step
/// One step of training: forward, loss, backward, update. Returns the loss.
///
/// This is the loop body every chapter repeats:
/// 1. forward propagation computes the prediction,
/// 2. the loss compares it with the target,
/// 3. backpropagation computes ∂L/∂θ for every parameter,
/// 4. the optimizer moves every parameter against its gradient.
///
/// ```
/// use scratchnet::prelude::*;
/// let mut net = Sequential::new().with(Dense::from_weights(tensor(&[1, 1], &[0.0]), tensor(&[1], &[0.0])));
/// let (x, y) = (tensor(&[1, 1], &[1.0]), tensor(&[1, 1], &[2.0])); // ŷ = 0: L = (0 − 2)² = 4
/// assert_eq!(train_step(&mut net, &mut MeanSquaredError::new(), &mut Sgd::new(0.25), &x, &y), 4.0);
/// assert_eq!(net.predict(&x)[[0, 0]], 2.0); // w and b both moved by 0.25·4 = 1
/// ```
pub fn train_step(
    model: &mut Sequential,
    loss: &mut dyn Loss,
    optimizer: &mut dyn Optimizer,
    x: &Tensor,
    y: &Tensor,
) -> f64 {
    let prediction = model.forward(x, Mode::Train);
    let value = loss.forward(&prediction, y);
    model.backward(&loss.backward());
    optimizer.step(&mut model.params());
    value
}
// ANCHOR_END: train_step

// ANCHOR: train_step_with_penalty
/// [`train_step`] with a weight penalty: minimises L_data + R(θ).
///
/// After backpropagation the penalty's gradient is added to every weight's
/// gradient, then the optimizer steps. Returns the total loss L_data + R(θ)
/// at the parameters before the update.
///
/// ```
/// use scratchnet::prelude::*;
/// use scratchnet::model::train_step_with_penalty;
/// use scratchnet::regularization::Penalty;
/// // With no data signal (the prediction already equals the target), L2 alone
/// // shrinks the weight: w ← w − η·λ·w.
/// let mut net = Sequential::new().with(Dense::from_weights(tensor(&[1, 1], &[2.0]), tensor(&[1], &[0.0])));
/// let (x, y) = (tensor(&[1, 1], &[0.0]), tensor(&[1, 1], &[0.0]));
/// let total = train_step_with_penalty(&mut net, &mut MeanSquaredError::new(), Penalty::L2(0.5), &mut Sgd::new(0.1), &x, &y);
/// assert_eq!(total, 0.5 / 2.0 * 4.0);
/// assert!((net.params()[0].value[[0, 0]] - (2.0 - 0.1 * 0.5 * 2.0)).abs() < 1e-12);
/// ```
pub fn train_step_with_penalty(
    model: &mut Sequential,
    loss: &mut dyn Loss,
    penalty: Penalty,
    optimizer: &mut dyn Optimizer,
    x: &Tensor,
    y: &Tensor,
) -> f64 {
    let prediction = model.forward(x, Mode::Train);
    let value = loss.forward(&prediction, y) + penalty.loss(&model.params());
    model.backward(&loss.backward());
    let mut params = model.params();
    penalty.add_gradients(&mut params);
    optimizer.step(&mut params);
    value
}
// ANCHOR_END: train_step_with_penalty
