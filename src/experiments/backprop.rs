//! Every number of one forward and one backward pass of a tiny network.
//!
//! The network is the 2-2-2 sigmoid network of Matt Mazur's well-known
//! "A Step by Step Backpropagation Example" (2015), with his weights, input
//! and target, so that a reader can check the numbers by hand or against his
//! post. The pass is computed with the library's own layers, called one at a
//! time so that every intermediate tensor can be kept.
//!
//! [`neuron_loss`] builds the chapter's smaller running example, one neuron
//! and its squared error, as a graph of [`Value`]s.

use crate::activation::Sigmoid;
use crate::autograd::Value;
use crate::autograd::nn::{Matrix, dense, leaves, map, mse};
use crate::layer::{Layer, Mode};
use crate::layers::Dense;
use crate::loss::{Loss, MeanSquaredError};
use crate::model::Sequential;
use crate::optim::Sgd;
use crate::tensor::{Tensor, tensor};
use crate::train::{Fit, fit};

/// The parameters of a two-layer network `x → σ(x·W1 + b1) → σ(·W2 + b2)`.
///
/// ```
/// use scratchnet::experiments::backprop::TinyNet;
/// let net = TinyNet::mazur();
/// assert_eq!((net.w1.shape(), net.b1.shape()), (&[2, 2][..], &[2][..])); // [n_in, n_hidden], [n_hidden]
/// assert_eq!((net.w2.shape(), net.b2.shape()), (&[2, 2][..], &[2][..])); // [n_hidden, n_out], [n_out]
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TinyNet {
    /// Hidden-layer weights, `[n_in, n_hidden]`.
    pub w1: Tensor,
    /// Hidden-layer biases, `[n_hidden]`.
    pub b1: Tensor,
    /// Output-layer weights, `[n_hidden, n_out]`.
    pub w2: Tensor,
    /// Output-layer biases, `[n_out]`.
    pub b2: Tensor,
}

impl TinyNet {
    /// Mazur's network: 2 inputs, 2 hidden units, 2 outputs, all sigmoid.
    ///
    /// His weights w1…w8 sit in our `[n_in, n_out]` layout: column j of `W1`
    /// holds the weights into hidden unit j, so `W1 = [[w1, w3], [w2, w4]]`.
    ///
    /// ```
    /// use scratchnet::experiments::backprop::TinyNet;
    /// let net = TinyNet::mazur();
    /// assert_eq!((net.w1[[0, 1]], net.w1[[1, 0]]), (0.25, 0.20)); // his w3 and w2
    /// assert_eq!(net.w2[[1, 0]], 0.45); // his w6
    /// ```
    pub fn mazur() -> Self {
        TinyNet {
            w1: tensor(&[2, 2], &[0.15, 0.25, 0.20, 0.30]),
            b1: tensor(&[2], &[0.35, 0.35]),
            w2: tensor(&[2, 2], &[0.40, 0.50, 0.45, 0.55]),
            b2: tensor(&[2], &[0.60, 0.60]),
        }
    }

    /// Mazur's single training example: input `[0.05, 0.10]`, target `[0.01, 0.99]`.
    ///
    /// ```
    /// use scratchnet::{experiments::backprop::TinyNet, tensor};
    /// let (x, y) = TinyNet::mazur_example();
    /// assert_eq!((x, y), (tensor(&[1, 2], &[0.05, 0.10]), tensor(&[1, 2], &[0.01, 0.99])));
    /// ```
    pub fn mazur_example() -> (Tensor, Tensor) {
        (
            tensor(&[1, 2], &[0.05, 0.10]),
            tensor(&[1, 2], &[0.01, 0.99]),
        )
    }

    /// The same network as a [`Sequential`] of library layers.
    ///
    /// ```
    /// use scratchnet::experiments::backprop::TinyNet;
    /// let (x, _) = TinyNet::mazur_example();
    /// let y_hat = TinyNet::mazur().sequential().predict(&x);
    /// assert!((y_hat[[0, 0]] - 0.75136507).abs() < 1e-8); // Mazur's out_o1
    /// ```
    pub fn sequential(&self) -> Sequential {
        Sequential::new()
            .with(Dense::from_weights(self.w1.clone(), self.b1.clone()))
            .with(Sigmoid::new())
            .with(Dense::from_weights(self.w2.clone(), self.b2.clone()))
            .with(Sigmoid::new())
    }
}

/// The intermediate results of one forward and one backward pass.
///
/// Names follow the chapter: `z` is a pre-activation, `a` an activation,
/// `d_*` the gradient of the loss with respect to `*`.
///
/// ```
/// use scratchnet::experiments::backprop::{TinyNet, trace};
/// let (x, y) = TinyNet::mazur_example();
/// let t = trace(&TinyNet::mazur(), &x, &y);
/// // The output sigmoid's chain rule: ∂L/∂z2 = ∂L/∂ŷ ⊙ ŷ(1 − ŷ).
/// let d_z2 = &t.d_y_hat * &t.y_hat.mapv(|s| s * (1.0 - s));
/// approx::assert_abs_diff_eq!(t.d_z2, d_z2, epsilon = 1e-15);
/// ```
#[derive(Clone, Debug)]
pub struct Trace {
    /// Hidden pre-activations `z1 = x·W1 + b1`, `[batch, n_hidden]`.
    pub z1: Tensor,
    /// Hidden activations `a1 = σ(z1)`.
    pub a1: Tensor,
    /// Output pre-activations `z2 = a1·W2 + b2`, `[batch, n_out]`.
    pub z2: Tensor,
    /// Outputs `ŷ = σ(z2)`.
    pub y_hat: Tensor,
    /// The mean squared error `L`.
    pub loss: f64,
    /// `∂L/∂ŷ`, from the loss.
    pub d_y_hat: Tensor,
    /// `∂L/∂z2`, from the output sigmoid.
    pub d_z2: Tensor,
    /// `∂L/∂W2` and `∂L/∂b2`, from the output dense layer.
    pub d_w2: Tensor,
    /// See `d_w2`.
    pub d_b2: Tensor,
    /// `∂L/∂a1`, passed down by the output dense layer.
    pub d_a1: Tensor,
    /// `∂L/∂z1`, from the hidden sigmoid.
    pub d_z1: Tensor,
    /// `∂L/∂W1` and `∂L/∂b1`, from the hidden dense layer.
    pub d_w1: Tensor,
    /// See `d_w1`.
    pub d_b1: Tensor,
}

/// Runs one forward and one backward pass of `net` on `(x, y)` with the
/// library's layers and keeps every intermediate tensor.
///
/// ```
/// use scratchnet::experiments::backprop::{TinyNet, trace};
/// let (x, y) = TinyNet::mazur_example();
/// let t = trace(&TinyNet::mazur(), &x, &y);
/// assert!((t.loss - 0.298371109).abs() < 1e-9); // Mazur's E_total
/// ```
// ANCHOR: trace
pub fn trace(net: &TinyNet, x: &Tensor, y: &Tensor) -> Trace {
    let mut dense1 = Dense::from_weights(net.w1.clone(), net.b1.clone());
    let mut dense2 = Dense::from_weights(net.w2.clone(), net.b2.clone());
    let (mut sigmoid1, mut sigmoid2) = (Sigmoid::new(), Sigmoid::new());
    let mut mse = MeanSquaredError::new();
    // Forward: input to loss.
    let z1 = dense1.forward(x, Mode::Train); // [batch, n_hidden]
    let a1 = sigmoid1.forward(&z1, Mode::Train);
    let z2 = dense2.forward(&a1, Mode::Train); // [batch, n_out]
    let y_hat = sigmoid2.forward(&z2, Mode::Train);
    let loss = mse.forward(&y_hat, y);
    // Backward: loss to input, each layer in reverse order.
    let d_y_hat = mse.backward();
    let d_z2 = sigmoid2.backward(&d_y_hat);
    let d_a1 = dense2.backward(&d_z2);
    let d_z1 = sigmoid1.backward(&d_a1);
    dense1.backward(&d_z1); // ∂L/∂x is not needed
    Trace {
        z1,
        a1,
        z2,
        y_hat,
        loss,
        d_y_hat,
        d_z2,
        d_w2: dense2.w.grad,
        d_b2: dense2.b.grad,
        d_a1,
        d_z1,
        d_w1: dense1.w.grad,
        d_b1: dense1.b.grad,
    }
}
// ANCHOR_END: trace

/// Trains `net` on one example with gradient descent and returns the loss
/// before each of the `steps` updates.
///
/// ```
/// use scratchnet::experiments::backprop::{TinyNet, train};
/// let (x, y) = TinyNet::mazur_example();
/// let losses = train(&TinyNet::mazur(), &x, &y, 0.5, 100);
/// assert!(losses[99] < losses[0]);
/// ```
// ANCHOR: train
pub fn train(net: &TinyNet, x: &Tensor, y: &Tensor, lr: f64, steps: usize) -> Vec<f64> {
    let mut model = net.sequential();
    let mut loss = MeanSquaredError::new();
    let mut sgd = Sgd::new(lr);
    // Each step: forward, loss, backward, update. Then repeat, forward included.
    // One example, so every epoch is one full-batch step.
    let history = fit(&mut model, &mut loss, &mut sgd, x, y, Fit::new(steps, 1))
        .expect("Mazur's example trains stably"); // fit reports a loss that turned NaN
    history.train_losses()
}
// ANCHOR_END: train

/// Mazur's network rebuilt from scalar [`Value`]s, after `backward()`.
///
/// ```
/// use scratchnet::experiments::backprop::{TinyNet, engine_run};
/// let (x, y) = TinyNet::mazur_example();
/// let run = engine_run(&TinyNet::mazur(), &x, &y);
/// assert!((run.w2[0][0].grad() - 0.082167041).abs() < 1e-9); // Mazur's ∂E/∂w5
/// ```
pub struct EngineRun {
    /// The loss node; its graph holds every intermediate value.
    pub loss: Value,
    /// Weight leaves `[2, 2]`, read their `grad()` for ∂L/∂W.
    pub w1: Matrix,
    /// Bias leaves, one row `[1, 2]`.
    pub b1: Matrix,
    /// Weight leaves of the output layer.
    pub w2: Matrix,
    /// Bias leaves of the output layer.
    pub b2: Matrix,
}

/// Runs [`TinyNet`] forward on the scalar engine and backpropagates, so its
/// gradients can be compared with the layers' ([`trace`]).
///
/// ```
/// use scratchnet::{autograd::nn::grads, experiments::backprop::{TinyNet, engine_run, trace}};
/// let (x, y) = TinyNet::mazur_example();
/// let run = engine_run(&TinyNet::mazur(), &x, &y);
/// let t = trace(&TinyNet::mazur(), &x, &y);
/// assert!((run.loss.data() - t.loss).abs() < 1e-15);
/// assert!(scratchnet::gradcheck::error(&grads(&run.w2), &t.d_w2) < 1e-14);
/// ```
pub fn engine_run(net: &TinyNet, x: &Tensor, y: &Tensor) -> EngineRun {
    let row = |b: &Tensor| leaves(&b.clone().into_shape_with_order(vec![1, b.len()]).unwrap());
    let (w1, b1, w2, b2) = (leaves(&net.w1), row(&net.b1), leaves(&net.w2), row(&net.b2));
    let a1 = map(&dense(&leaves(x), &w1, &b1[0]), Value::sigmoid);
    let loss = mse(&map(&dense(&a1, &w2, &b2[0]), Value::sigmoid), y);
    loss.backward();
    EngineRun {
        loss,
        w1,
        b1,
        w2,
        b2,
    }
}

/// The chapter's running example: one tanh neuron and its squared error,
/// `L = (tanh(w·x + b) − t)²`, with every node labelled. Returns `L`.
///
/// The difference `r = y − t` is used twice (`L = r·r`), so the graph shows
/// a node with two outgoing edges.
///
/// ```
/// let l = scratchnet::experiments::backprop::neuron_loss();
/// assert_eq!(l.label(), "L");
/// assert_eq!(l.topological_order().len(), 9);
/// ```
// ANCHOR: neuron_loss
pub fn neuron_loss() -> Value {
    let x = Value::new(2.0).with_label("x");
    let w = Value::new(-0.5).with_label("w");
    let b = Value::new(0.5).with_label("b");
    let t = Value::new(0.8).with_label("t");
    let wx = (&w * &x).with_label("wx");
    let z = (&wx + &b).with_label("z");
    let y = z.tanh().with_label("y");
    let r = (&y - &t).with_label("r");
    (&r * &r).with_label("L")
}
// ANCHOR_END: neuron_loss

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autograd::nn::grads;
    use crate::gradcheck::error;

    /// Mazur's published numbers (he does not update biases; we only compare gradients).
    #[test]
    fn matches_mazur() {
        let (x, y) = TinyNet::mazur_example();
        let t = trace(&TinyNet::mazur(), &x, &y);
        assert!((t.z1[[0, 0]] - 0.3775).abs() < 1e-12);
        assert!((t.a1[[0, 0]] - 0.593269992).abs() < 1e-9);
        assert!((t.y_hat[[0, 0]] - 0.75136507).abs() < 1e-8);
        assert!((t.d_w2[[0, 0]] - 0.082167041).abs() < 1e-9); // his ∂E/∂w5
        assert!((t.d_w1[[0, 0]] - 0.000438568).abs() < 1e-9); // his ∂E/∂w1
    }

    /// The engine, run on the same network, gives the same gradients.
    #[test]
    fn engine_agrees_with_the_trace() {
        let net = TinyNet::mazur();
        let (x, y) = TinyNet::mazur_example();
        let t = trace(&net, &x, &y);
        let EngineRun {
            loss: l,
            w1,
            b1,
            w2,
            b2,
        } = engine_run(&net, &x, &y);
        assert!((l.data() - t.loss).abs() < 1e-15);
        assert!(error(&grads(&w1), &t.d_w1) < 1e-14 && error(&grads(&w2), &t.d_w2) < 1e-14);
        let flat = |m| grads(&m).into_shape_with_order(vec![2]).unwrap().into_dyn();
        assert!(error(&flat(b1), &t.d_b1) < 1e-14 && error(&flat(b2), &t.d_b2) < 1e-14);
    }
}
