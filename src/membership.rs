//! Membership inference (Chapter 8): can an attacker who sees only a
//! trained model's loss on an example tell whether the example was in the
//! training set? The loss-threshold attack of Yeom et al. (2018) says
//! "member" when the loss is below a threshold; how much better than a coin
//! it does measures how much the model leaks about its training data.

use crate::layer::Layer;
use crate::layer::Mode;
use crate::loss::log_softmax;
use crate::model::Sequential;
use crate::tensor::{Float, Tensor};

/// Each example's cross-entropy −ln p(label | x) under `net` in evaluation
/// mode, in `f64`.
///
/// # Shapes
/// * `x`: `[batch, ...]`; `net` outputs logits `[batch, classes]`
/// * returned: `batch` losses
///
/// ```
/// use scratchnet::{membership::example_losses, prelude::*};
/// let mut net = Sequential::new().with(Dense::new(2, 3, Init::Zeros, &mut seeded_rng(0)));
/// let losses = example_losses(&mut net, &tensor(&[2, 2], &[1.0, 2.0, 3.0, 4.0]), &[0, 2]);
/// assert!(losses.iter().all(|l| (l - 3f64.ln()).abs() < 1e-12)); // p = ⅓ for every class
/// ```
pub fn example_losses<F: Float>(
    net: &mut Sequential<F>,
    x: &Tensor<F>,
    labels: &[usize],
) -> Vec<f64> {
    let log_p = log_softmax(&net.forward(x, Mode::Eval)); // [batch, classes]
    labels
        .iter()
        .enumerate()
        .map(|(i, &k)| -log_p[[i, k]].to_f64().expect("a float"))
        .collect()
}

/// The result of [`threshold_attack`].
///
/// ```
/// use scratchnet::membership::Attack;
/// let coin = Attack { threshold: 0.0, accuracy: 0.5 };
/// assert_eq!(coin.advantage(), 0.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Attack {
    /// Say "member" when an example's loss is at most this.
    pub threshold: f64,
    /// The fraction of all examples, members and non-members, classified
    /// correctly (0.5 is a coin's, with as many of each).
    pub accuracy: f64,
}

impl Attack {
    /// Yeom et al.'s membership advantage for equal numbers of members and
    /// non-members: true-positive rate minus false-positive rate, = 2·accuracy − 1.
    ///
    /// ```
    /// use scratchnet::membership::Attack;
    /// assert!((Attack { threshold: 0.1, accuracy: 0.6 }.advantage() - 0.2).abs() < 1e-12);
    /// ```
    pub fn advantage(&self) -> f64 {
        2.0 * self.accuracy - 1.0
    }
}

/// The loss-threshold attack at its best threshold: every candidate
/// threshold (each observed loss, and −∞) is tried, and the one that
/// classifies the most examples correctly ("member" if loss ≤ threshold) is
/// kept. Choosing the threshold on the same examples makes this an upper
/// bound of what the attack achieves with a threshold fixed in advance.
///
/// **Panics** if either list is empty or holds a NaN.
///
/// ```
/// use scratchnet::membership::threshold_attack;
/// // Members' losses all below non-members': the attack is always right.
/// let attack = threshold_attack(&[0.1, 0.2], &[0.5, 0.9]);
/// assert_eq!((attack.threshold, attack.accuracy), (0.2, 1.0));
/// // The same losses on both sides: no threshold beats a coin.
/// assert_eq!(threshold_attack(&[0.3, 0.3], &[0.3, 0.3]).accuracy, 0.5);
/// ```
// ANCHOR: threshold_attack
pub fn threshold_attack(members: &[f64], non_members: &[f64]) -> Attack {
    assert!(
        !members.is_empty() && !non_members.is_empty(),
        "threshold_attack: no examples"
    );
    // (loss, is a member), sorted by loss: sweeping the threshold upwards
    // turns one example at a time into a "member" guess.
    let mut all: Vec<(f64, bool)> = members.iter().map(|&l| (l, true)).collect();
    all.extend(non_members.iter().map(|&l| (l, false)));
    all.sort_by(|a, b| a.0.partial_cmp(&b.0).expect("threshold_attack: a NaN loss"));
    let n = all.len() as f64;
    // Threshold −∞: everything "non-member", right on every non-member.
    let mut correct = non_members.len() as f64;
    let mut best = Attack {
        threshold: f64::NEG_INFINITY,
        accuracy: correct / n,
    };
    let mut i = 0;
    while i < all.len() {
        let loss = all[i].0;
        while i < all.len() && all[i].0 == loss {
            correct += if all[i].1 { 1.0 } else { -1.0 }; // equal losses move together
            i += 1;
        }
        if correct / n > best.accuracy {
            best = Attack {
                threshold: loss,
                accuracy: correct / n,
            };
        }
    }
    best
}
// ANCHOR_END: threshold_attack

#[cfg(test)]
mod tests {
    use super::*;

    /// The sweep agrees with trying every threshold by brute force.
    #[test]
    fn threshold_attack_agrees_with_brute_force() {
        use rand::Rng as _;
        let mut rng = crate::seeded_rng(5);
        for _ in 0..20 {
            let draw = |rng: &mut crate::tensor::Rng, shift: f64| -> Vec<f64> {
                (0..30)
                    .map(|_| (rng.random_range(0.0..1.0f64) + shift).round() / 4.0)
                    .collect()
            };
            let (m, nm) = (draw(&mut rng, 0.0), draw(&mut rng, 0.5));
            let attack = threshold_attack(&m, &nm);
            let accuracy = |t: f64| {
                let hits =
                    m.iter().filter(|&&l| l <= t).count() + nm.iter().filter(|&&l| l > t).count();
                hits as f64 / 60.0
            };
            let brute = m
                .iter()
                .chain(&nm)
                .map(|&t| accuracy(t))
                .fold(0.5f64, f64::max);
            assert_eq!(attack.accuracy, brute.max(accuracy(f64::NEG_INFINITY)));
            assert_eq!(accuracy(attack.threshold), attack.accuracy);
        }
    }
}
