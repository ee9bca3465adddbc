//! A network's summary table, like Keras' `model.summary()`: every layer with
//! the shape of its output, its number of parameters and the multiply-adds of
//! its forward pass (Chapter 8's compute budget).

use crate::layer::{Mode, ParamKind};
use crate::model::{Sequential, check_layer};
use crate::tensor::{Float, Tensor};
use std::fmt;

/// One line of a [`Summary`]: a layer, the shape of its output, its parameters
/// and its multiply-adds.
///
/// ```
/// use scratchnet::summary::SummaryRow;
/// let row = SummaryRow { layer: "BatchNorm(8)".into(), output_shape: vec![8], trainable: 16, buffers: 16, multiply_adds: 0 };
/// assert_eq!(row.params(), 32);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryRow {
    /// The layer's name, e.g. `Conv2D(1 → 32, 3×3)`.
    pub layer: String,
    /// The shape of one example's output, without the batch axis: `[32, 26, 26]`.
    pub output_shape: Vec<usize>,
    /// Trainable numbers (weights and biases).
    pub trainable: usize,
    /// Non-trainable numbers (buffers: batch norm's running statistics).
    pub buffers: usize,
    /// Multiply-adds of one example's forward pass through the layer's
    /// weights: every weight (a `ParamKind::Weight`) multiplies one input
    /// once per output position (1 for a dense layer, `oh·ow` for a
    /// convolution). Biases, activations, pooling and batch norm's few
    /// operations per value are not counted.
    pub multiply_adds: usize,
}

impl SummaryRow {
    /// All the layer's numbers, trainable or not (Keras' `Param #`).
    ///
    /// ```
    /// use scratchnet::summary::SummaryRow;
    /// let row = SummaryRow { layer: "Flatten".into(), output_shape: vec![9216], trainable: 0, buffers: 0, multiply_adds: 0 };
    /// assert_eq!(row.params(), 0);
    /// ```
    pub fn params(&self) -> usize {
        self.trainable + self.buffers
    }
}

/// The summary of a [`Sequential`], from [`Sequential::summary_table`];
/// printed (`Display`) as a table with the totals below it.
///
/// ```
/// use scratchnet::prelude::*;
/// let net: Sequential = Sequential::new().with(Dense::new(4, 2, Init::Zeros, &mut seeded_rng(0)));
/// let summary = net.summary_table(&[4]);
/// assert_eq!(summary.to_string(), "\
/// Layer                           Output shape               Param #
/// ==================================================================
/// Dense(4 → 2)                    (None, 2)                       10
/// ==================================================================
/// Total params: 10
/// Trainable params: 10
/// Non-trainable params: 0
/// ");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// The shape of one example's input, without the batch axis.
    pub input_shape: Vec<usize>,
    /// One row per layer, bottom first.
    pub rows: Vec<SummaryRow>,
}

impl Summary {
    /// The number of trainable parameters (what the optimizer updates).
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let net: Sequential = Sequential::new().with(Dense::new(3, 2, Init::Zeros, &mut seeded_rng(0))).with(BatchNorm::new(2));
    /// let summary = net.summary_table(&[3]);
    /// assert_eq!(summary.trainable_params(), (3 * 2 + 2) + (2 + 2)); // W, b, γ, β
    /// assert_eq!(summary.total_params(), summary.trainable_params() + 2 + 2); // running mean and variance
    /// ```
    pub fn trainable_params(&self) -> usize {
        self.rows.iter().map(|r| r.trainable).sum()
    }

    /// The number of all parameters, trainable or not (buffers included).
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let net: Sequential = Sequential::new().with(BatchNorm::new(5));
    /// assert_eq!(net.summary_table(&[5]).total_params(), 4 * 5);
    /// ```
    pub fn total_params(&self) -> usize {
        self.rows.iter().map(SummaryRow::params).sum()
    }

    /// Multiply-adds of one example's forward pass, all layers together
    /// ([`SummaryRow::multiply_adds`]); a floating-point operation count is
    /// twice this, and a training step costs about three times the forward
    /// pass (the backward pass computes both ∂L/∂W and ∂L/∂x).
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut rng = seeded_rng(0);
    /// let net: Sequential<f32> = Sequential::new()
    ///     .with(Conv2D::new(1, 32, (3, 3), Init::HeUniform, &mut rng)) // [32, 26, 26]
    ///     .with(Flatten::new())
    ///     .with(Dense::new(32 * 26 * 26, 10, Init::XavierUniform, &mut rng));
    /// let summary = net.summary_table(&[1, 28, 28]);
    /// // each of the 32·9 kernel weights once per output pixel, then each dense weight once
    /// assert_eq!(summary.multiply_adds(), 32 * 9 * 26 * 26 + 32 * 26 * 26 * 10);
    /// ```
    pub fn multiply_adds(&self) -> usize {
        self.rows.iter().map(|r| r.multiply_adds).sum()
    }
}

/// `1199882` as `1,199,882`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rule = "=".repeat(66);
        writeln!(f, "{:<32}{:<20}{:>14}", "Layer", "Output shape", "Param #")?;
        writeln!(f, "{rule}")?;
        for row in &self.rows {
            let dims: Vec<String> = row.output_shape.iter().map(usize::to_string).collect();
            let shape = format!("(None, {})", dims.join(", ")); // None: any batch size, as Keras prints it
            let params = thousands(row.params());
            writeln!(f, "{:<32}{:<20}{:>14}", row.layer, shape, params)?;
        }
        writeln!(f, "{rule}")?;
        let (total, trainable) = (self.total_params(), self.trainable_params());
        writeln!(f, "Total params: {}", thousands(total))?;
        writeln!(f, "Trainable params: {}", thousands(trainable))?;
        writeln!(f, "Non-trainable params: {}", thousands(total - trainable))
    }
}

impl<F: Float> Sequential<F> {
    /// The summary table of the network for inputs of shape `input_shape`
    /// (one example, without the batch axis): every layer's output shape,
    /// found by an evaluation-mode forward pass of a batch of one zero
    /// example through a copy of the network, and its parameter counts.
    ///
    /// **Panics** if a layer rejects the shape it receives, naming the layer's
    /// position and name and the shapes.
    ///
    /// ```
    /// use scratchnet::prelude::*;
    /// let mut rng = seeded_rng(0);
    /// let net: Sequential<f32> = Sequential::new()
    ///     .with(Conv2D::new(1, 32, (3, 3), Init::HeUniform, &mut rng))
    ///     .with(ReLU::new())
    ///     .with(MaxPool2D::new((2, 2)))
    ///     .with(Flatten::new())
    ///     .with(Dense::new(32 * 13 * 13, 10, Init::XavierUniform, &mut rng));
    /// let summary = net.summary_table(&[1, 28, 28]);
    /// let shapes: Vec<&[usize]> = summary.rows.iter().map(|r| &r.output_shape[..]).collect();
    /// assert_eq!(shapes, [&[32, 26, 26][..], &[32, 26, 26], &[32, 13, 13], &[5408], &[10]]);
    /// assert_eq!(summary.total_params(), (9 * 32 + 32) + (5408 * 10 + 10));
    /// assert!(summary.to_string().contains("Conv2D(1 → 32, 3×3)             (None, 32, 26, 26)             320"));
    /// ```
    pub fn summary_table(&self, input_shape: &[usize]) -> Summary {
        let mut net = self.clone(); // a forward pass changes a layer's caches, not ours
        let mut shape = vec![1];
        shape.extend_from_slice(input_shape);
        let mut h: Tensor<F> = Tensor::zeros(shape);
        let mut rows = Vec::new();
        for (i, layer) in net.layers_mut().iter_mut().enumerate() {
            check_layer(i, layer.as_ref(), h.shape()); // a wrong shape: a panic naming layer i
            h = layer.forward(&h, Mode::Eval);
            let count = |trainable: bool| {
                let params = layer.params();
                let kind = params.iter().filter(|p| p.kind.is_trainable() == trainable);
                kind.map(|p| p.value.len()).sum()
            };
            // Each weight multiplies one input once per output position:
            // the output's size after its channel axis (1 after a dense layer).
            let positions: usize = h.shape().get(2..).map_or(1, |s| s.iter().product());
            let params = layer.params();
            let weights = params.iter().filter(|p| p.kind == ParamKind::Weight);
            let multiply_adds = weights.map(|p| p.value.len() * positions).sum();
            rows.push(SummaryRow {
                layer: layer.name(),
                output_shape: h.shape()[1..].to_vec(),
                trainable: count(true),
                buffers: count(false),
                multiply_adds,
            });
        }
        Summary {
            input_shape: input_shape.to_vec(),
            rows,
        }
    }
}
