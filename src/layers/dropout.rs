//! Dropout (Srivastava et al., 2014), in its "inverted" form.
//!
//! During training every unit is zeroed with probability `p` and the
//! survivors are multiplied by 1/(1 − p). The expected value of each output
//! then equals its input, so at evaluation time the layer is simply the
//! identity: nothing needs rescaling when the network is deployed.

use crate::layer::{Layer, Mode, cached};
use crate::tensor::{Float, Rng, Tensor, seeded_rng};
use rand::Rng as _;

/// Inverted dropout: drops each unit with probability `p` in [`Mode::Train`],
/// is the identity in [`Mode::Eval`].
///
/// The layer owns its random-number generator, so it is `Clone`: a clone
/// draws the same masks as the original, which the gradient checker relies on.
///
/// # Shapes
/// * input `x` and output `y`: any shape, e.g. `[batch, n]`
///
/// ```
/// use scratchnet::prelude::*;
/// let mut drop = Dropout::new(0.5, 7);
/// let x: Tensor = Tensor::ones(vec![1, 1000]);
/// let y = drop.forward(&x, Mode::Train);
/// // Every output is either 0 (dropped) or 1/(1 − 0.5) = 2 (kept and scaled)...
/// assert!(y.iter().all(|&v| v == 0.0 || v == 2.0));
/// // ...so the mean stays close to the input's mean of 1.
/// assert!((y.mean().unwrap() - 1.0).abs() < 0.1);
/// // At evaluation time dropout does nothing.
/// assert_eq!(drop.forward(&x, Mode::Eval), x);
/// ```
// ANCHOR: dropout
#[derive(Clone, Debug)]
pub struct Dropout<F: Float = f64> {
    /// Probability of dropping a unit, in [0, 1).
    pub p: f64,
    rng: Rng,
    mask: Option<Tensor<F>>,
}

impl<F: Float> Dropout<F> {
    // ANCHOR_END: dropout
    /// Dropout with drop probability `p`, drawing its masks from a generator seeded with `seed`.
    ///
    /// **Panics** if `p` is not in [0, 1) (p = 1 would drop everything and divide by zero).
    ///
    /// ```should_panic
    /// let drop: scratchnet::layers::Dropout = scratchnet::layers::Dropout::new(1.0, 0);
    /// ```
    // ANCHOR: dropout_new
    pub fn new(p: f64, seed: u64) -> Self {
        assert!(
            (0.0..1.0).contains(&p),
            "Dropout: p must be in [0, 1), got {p}"
        );
        Dropout {
            p,
            rng: seeded_rng(seed),
            mask: None,
        }
    }
}

impl<F: Float> Layer<F> for Dropout<F> {
    fn forward(&mut self, x: &Tensor<F>, mode: Mode) -> Tensor<F> {
        if mode == Mode::Eval {
            return x.clone();
        }
        if mode == Mode::EvalGrad {
            self.mask = Some(Tensor::ones(x.raw_dim())); // the identity, for backward
            return x.clone();
        }
        // mask = 1/(1 − p) where a unit survives, 0 where it is dropped
        let keep = 1.0 - self.p;
        let scale = F::cast(1.0 / keep);
        // Last step's mask memory, when the shape is the same (a new one otherwise)
        let mut mask = match self.mask.take() {
            Some(m) if m.shape() == x.shape() => m,
            _ => Tensor::zeros(x.raw_dim()),
        };
        for m in mask
            .as_slice_mut()
            .expect("a fresh or reused standard-layout mask")
        {
            *m = if self.rng.random::<f64>() < keep {
                scale
            } else {
                F::zero()
            };
        }
        let y = x * &mask;
        self.mask = Some(mask);
        y
    }

    fn backward(&mut self, grad_y: &Tensor<F>) -> Tensor<F> {
        // y = x ⊙ mask, so ∂L/∂x = ∂L/∂y ⊙ mask
        grad_y * cached(&self.mask, "Dropout")
    }

    fn name(&self) -> String {
        format!("Dropout({})", self.p)
    }

    fn rngs(&self) -> Vec<&Rng> {
        vec![&self.rng]
    }

    fn rngs_mut(&mut self) -> Vec<&mut Rng> {
        vec![&mut self.rng]
    }
}
// ANCHOR_END: dropout_new
