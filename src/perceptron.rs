//! Rosenblatt's perceptron (1958): the first neuron that learned from data.
//!
//! A perceptron computes a weighted sum of its inputs plus a bias and fires
//! (outputs 1) if the sum is positive. Its learning rule nudges the weights
//! towards every example it gets wrong. The convergence theorem (Novikoff,
//! 1962) guarantees that the rule stops making mistakes after finitely many
//! updates *if* a separating line exists. For XOR none does.

/// A single threshold unit with weights `w` and bias `b`.
///
/// ```
/// use scratchnet::perceptron::Perceptron;
/// let p = Perceptron { w: vec![1.0, 1.0], b: -1.5 }; // fires only if both inputs are 1: AND
/// assert_eq!(p.predict(&[1.0, 1.0]), 1);
/// assert_eq!(p.predict(&[1.0, 0.0]), 0);
/// ```
// ANCHOR: perceptron
#[derive(Clone, Debug, PartialEq)]
pub struct Perceptron {
    /// One weight per input.
    pub w: Vec<f64>,
    /// The bias (minus the threshold).
    pub b: f64,
}

impl Perceptron {
    /// A perceptron with `n` inputs, all weights and the bias at zero.
    ///
    /// ```
    /// let p = scratchnet::perceptron::Perceptron::new(3);
    /// assert_eq!((p.w, p.b), (vec![0.0; 3], 0.0));
    /// ```
    pub fn new(n: usize) -> Self {
        Perceptron {
            w: vec![0.0; n],
            b: 0.0,
        }
    }

    /// Fires (1) if w·x + b > 0, otherwise 0.
    ///
    /// ```
    /// let p = scratchnet::perceptron::Perceptron { w: vec![2.0, -1.0], b: 0.0 };
    /// assert_eq!((p.predict(&[1.0, 1.0]), p.predict(&[1.0, 2.0])), (1, 0)); // z = 1, then z = 0
    /// ```
    pub fn predict(&self, x: &[f64]) -> u8 {
        let z: f64 = self.w.iter().zip(x).map(|(w, x)| w * x).sum::<f64>() + self.b;
        u8::from(z > 0.0)
    }

    /// One pass of the perceptron rule over the data; returns the number of mistakes.
    ///
    /// For every example with target t and prediction y:
    /// w ← w + η (t − y) x and b ← b + η (t − y).
    /// An input `x` is anything that can be viewed as `&[f64]`, such as `[f64; 2]`.
    ///
    /// ```
    /// let mut p = scratchnet::perceptron::Perceptron::new(2);
    /// assert_eq!(p.train_epoch(&[([1.0, 0.0], 1)], 0.5), 1); // y = 0, t = 1: one mistake
    /// assert_eq!((p.w, p.b), (vec![0.5, 0.0], 0.5)); // w += η·x, b += η
    /// ```
    pub fn train_epoch<X: AsRef<[f64]>>(&mut self, data: &[(X, u8)], lr: f64) -> usize {
        let mut mistakes = 0;
        for (x, t) in data {
            let x = x.as_ref();
            let err = f64::from(*t) - f64::from(self.predict(x));
            if err != 0.0 {
                mistakes += 1;
                for (w, xi) in self.w.iter_mut().zip(x) {
                    *w += lr * err * xi;
                }
                self.b += lr * err;
            }
        }
        mistakes
    }
}
// ANCHOR_END: perceptron

/// Trains a fresh perceptron (all weights zero, one per input of the first
/// example) until an epoch has no mistake, for at most `max_epochs`.
/// Returns the perceptron and `Some(epochs)` if it converged.
///
/// ```
/// use scratchnet::perceptron::{train, AND, XOR};
/// let (p, epochs) = train(&AND, 0.1, 100);
/// assert!(epochs.is_some());
/// assert!(AND.iter().all(|(x, t)| p.predict(x) == *t));
/// assert_eq!(train(&XOR, 0.1, 100).1, None); // XOR is not linearly separable
/// ```
// ANCHOR: train
pub fn train<X: AsRef<[f64]>>(
    data: &[(X, u8)],
    lr: f64,
    max_epochs: usize,
) -> (Perceptron, Option<usize>) {
    let mut p = Perceptron::new(data.first().map_or(0, |(x, _)| x.as_ref().len()));
    for epoch in 1..=max_epochs {
        if p.train_epoch(data, lr) == 0 {
            return (p, Some(epoch));
        }
    }
    (p, None)
}
// ANCHOR_END: train

/// The truth table of logical AND.
///
/// ```
/// use scratchnet::perceptron::AND;
/// assert!(AND.iter().all(|([a, b], t)| *t == u8::from(*a == 1.0 && *b == 1.0)));
/// ```
pub const AND: [([f64; 2], u8); 4] = [([0., 0.], 0), ([0., 1.], 0), ([1., 0.], 0), ([1., 1.], 1)];
/// The truth table of logical OR.
///
/// ```
/// use scratchnet::perceptron::OR;
/// assert!(OR.iter().all(|([a, b], t)| *t == u8::from(*a == 1.0 || *b == 1.0)));
/// ```
pub const OR: [([f64; 2], u8); 4] = [([0., 0.], 0), ([0., 1.], 1), ([1., 0.], 1), ([1., 1.], 1)];
/// The truth table of exclusive OR: true when exactly one input is.
///
/// ```
/// use scratchnet::perceptron::XOR;
/// assert!(XOR.iter().all(|([a, b], t)| *t == u8::from(a != b)));
/// ```
pub const XOR: [([f64; 2], u8); 4] = [([0., 0.], 0), ([0., 1.], 1), ([1., 0.], 1), ([1., 1.], 0)];
