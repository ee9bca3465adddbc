//! Dense layers and the mean squared error, written number by number on [`Value`]s.
//!
//! These functions compute exactly what [`crate::layers::Dense`] and
//! [`crate::loss::MeanSquaredError`] compute, one scalar operation at a
//! time, so that the engine can differentiate them. The tests below check
//! that the engine's gradients equal those of the layers' hand-written
//! `backward` methods: two independent derivations, one answer.

use super::Value;
use crate::tensor::Tensor;

/// A matrix of values, row by row: `m[i][j]`.
///
/// ```
/// use scratchnet::autograd::{Value, nn::Matrix};
/// let m: Matrix = vec![vec![Value::new(1.0), Value::new(2.0)]]; // one row, two columns
/// assert_eq!((m.len(), m[0].len(), m[0][1].data()), (1, 2, 2.0));
/// ```
pub type Matrix = Vec<Vec<Value>>;

/// Turns a `[rows, cols]` tensor into a matrix of fresh leaves.
///
/// **Panics** if `t` is not 2-D.
///
/// ```
/// use scratchnet::{autograd::nn::leaves, tensor};
/// let m = leaves(&tensor(&[2, 3], &[1., 2., 3., 4., 5., 6.]));
/// assert_eq!((m.len(), m[0].len(), m[1][0].data()), (2, 3, 4.0));
/// ```
pub fn leaves(t: &Tensor) -> Matrix {
    assert_eq!(
        t.ndim(),
        2,
        "leaves expects a 2-D tensor, got shape {:?}",
        t.shape()
    );
    t.outer_iter()
        .map(|row| row.iter().map(|&v| Value::new(v)).collect())
        .collect()
}

/// Reads the gradients of a matrix of values into a tensor.
///
/// ```
/// use scratchnet::{autograd::nn::{grads, leaves}, tensor};
/// let m = leaves(&tensor(&[1, 2], &[3.0, 4.0]));
/// (&m[0][0] * &m[0][1]).backward(); // ∂(ab)/∂a = b, ∂(ab)/∂b = a
/// assert_eq!(grads(&m), tensor(&[1, 2], &[4.0, 3.0]));
/// ```
pub fn grads(m: &Matrix) -> Tensor {
    let (r, c) = (m.len(), m.first().map_or(0, Vec::len));
    Tensor::from_shape_fn(vec![r, c], |d| m[d[0]][d[1]].grad())
}

/// `Y = X·W + b`, one multiply-add at a time.
///
/// # Shapes
/// * `x`: `[batch, n_in]`, `w`: `[n_in, n_out]`, `b`: `[n_out]`
/// * returns `[batch, n_out]`
///
/// ```
/// use scratchnet::autograd::{Value, nn::dense};
/// let x = vec![vec![Value::new(3.0), Value::new(4.0)]];
/// let w = vec![vec![Value::new(2.0)], vec![Value::new(-1.0)]];
/// let y = dense(&x, &w, &[Value::new(0.5)]);
/// assert_eq!(y[0][0].data(), 2.0 * 3.0 - 4.0 + 0.5);
/// ```
pub fn dense(x: &Matrix, w: &Matrix, b: &[Value]) -> Matrix {
    x.iter()
        .map(|row| {
            (0..b.len())
                .map(|j| {
                    row.iter()
                        .zip(w)
                        .fold(b[j].clone(), |acc, (xi, wi)| acc + xi * &wi[j])
                })
                .collect()
        })
        .collect()
}

/// Applies a scalar function to every entry.
///
/// ```
/// use scratchnet::{autograd::{Value, nn::{leaves, map}}, tensor};
/// let m = map(&leaves(&tensor(&[1, 2], &[-1.0, 2.0])), Value::relu);
/// assert_eq!((m[0][0].data(), m[0][1].data()), (0.0, 2.0));
/// ```
pub fn map(m: &Matrix, f: impl Fn(&Value) -> Value) -> Matrix {
    m.iter().map(|row| row.iter().map(&f).collect()).collect()
}

/// `L = (1/n) Σ (ŷ − y)²` over all n entries, as [`crate::loss::MeanSquaredError`].
///
/// **Panics** if the shapes differ.
///
/// ```
/// use scratchnet::{autograd::nn::{leaves, mse}, tensor};
/// let p = leaves(&tensor(&[1, 2], &[1.0, 3.0]));
/// let l = mse(&p, &tensor(&[1, 2], &[0.0, 1.0]));
/// l.backward();
/// assert_eq!(l.data(), (1.0 + 4.0) / 2.0);
/// assert_eq!(p[0][1].grad(), 2.0 * (3.0 - 1.0) / 2.0); // 2(ŷ − y)/n
/// ```
pub fn mse(prediction: &Matrix, target: &Tensor) -> Value {
    let n = target.len() as f64;
    assert_eq!(
        prediction.len() * prediction[0].len(),
        target.len(),
        "mse: shapes differ"
    );
    let mut total = Value::new(0.0);
    for (i, row) in prediction.iter().enumerate() {
        for (j, p) in row.iter().enumerate() {
            let d = p - target[[i, j]];
            total = total + &d * &d;
        }
    }
    total / n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck::error;
    use crate::prelude::*;
    use rand_distr::{Distribution, StandardNormal};

    fn random(shape: &[usize], rng: &mut crate::tensor::Rng) -> Tensor {
        Tensor::from_shape_simple_fn(shape.to_vec(), || StandardNormal.sample(rng))
    }

    /// The engine and the layers agree on a 3-4-2 tanh network with a batch of 5.
    #[test]
    fn engine_matches_dense_tanh_mse_layers() {
        for seed in 0..5 {
            let mut rng = seeded_rng(seed);
            let (w1, b1) = (random(&[3, 4], &mut rng), random(&[4], &mut rng));
            let (w2, b2) = (random(&[4, 2], &mut rng), random(&[2], &mut rng));
            let (x, y) = (random(&[5, 3], &mut rng), random(&[5, 2], &mut rng));

            // The layers: forward, loss, backward.
            let mut net = Sequential::new()
                .with(Dense::from_weights(w1.clone(), b1.clone()))
                .with(Tanh::new())
                .with(Dense::from_weights(w2.clone(), b2.clone()));
            let mut loss = MeanSquaredError::new();
            let l_layers = loss.forward(&net.forward(&x, Mode::Train), &y);
            net.backward(&loss.backward());
            let layer_grads: Vec<Tensor> = net.params().iter().map(|p| p.grad.clone()).collect();

            // The engine: the same computation, number by number.
            let row =
                |t: &Tensor| leaves(&t.clone().into_shape_with_order(vec![1, t.len()]).unwrap());
            let (vw1, vb1, vw2, vb2) = (leaves(&w1), row(&b1), leaves(&w2), row(&b2));
            let h = map(&dense(&leaves(&x), &vw1, &vb1[0]), Value::tanh);
            let l = mse(&dense(&h, &vw2, &vb2[0]), &y);
            l.backward();
            let flat = |t: Tensor, n: usize| t.into_shape_with_order(vec![n]).unwrap().into_dyn();

            assert!((l.data() - l_layers).abs() < 1e-12);
            assert!(error(&grads(&vw1), &layer_grads[0]) < 1e-12);
            assert!(error(&flat(grads(&vb1), 4), &layer_grads[1]) < 1e-12);
            assert!(error(&grads(&vw2), &layer_grads[2]) < 1e-12);
            assert!(error(&flat(grads(&vb2), 2), &layer_grads[3]) < 1e-12);
        }
    }
}
