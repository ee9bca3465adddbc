//! Learning-rate schedules: the learning rate as a function of the training step.
//!
//! A constant learning rate must be small enough for the last, delicate steps
//! near a minimum, which makes the first steps needlessly slow. A schedule
//! starts large and decays. [`crate::train::fit`] asks the schedule for a
//! factor before every step and sets the optimizer's rate to
//! `factor × base rate` ([`crate::optim::Optimizer::set_learning_rate`]).

use std::f64::consts::PI;

/// How the learning rate changes over a run, as a factor of the base rate.
///
/// ```
/// use scratchnet::schedule::Schedule;
/// // 10 epochs of 100 steps: step decay halves the rate every 4 epochs.
/// let decay = Schedule::StepDecay { every: 4, factor: 0.5 };
/// assert_eq!(decay.factor(399, 100, 1000), 1.0); // epoch 3 (the 4th)
/// assert_eq!(decay.factor(400, 100, 1000), 0.5); // epoch 4
/// assert_eq!(decay.factor(999, 100, 1000), 0.25); // epoch 9
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Schedule {
    /// The base rate throughout.
    Constant,
    /// Multiply the rate by `factor` every `every` epochs ("step decay").
    StepDecay {
        /// Epochs between two decays.
        every: usize,
        /// The factor of each decay, e.g. 0.1.
        factor: f64,
    },
    /// A linear warm-up over the first `warmup` steps, from base/`warmup` to
    /// the base rate, then cosine annealing (Loshchilov & Hutter, 2017) down
    /// to `floor` × base at the last step.
    Cosine {
        /// Steps of linear warm-up (0 for none).
        warmup: usize,
        /// The final rate as a fraction of the base rate, e.g. 0.0 or 0.01.
        floor: f64,
    },
}

impl Schedule {
    /// The factor for step `step` (counted from 0) of a run of `total_steps`
    /// steps, `steps_per_epoch` per epoch.
    ///
    /// **Panics** if `steps_per_epoch` is 0, or if `every` of a step decay is 0.
    ///
    /// ```
    /// use scratchnet::schedule::Schedule;
    /// let cosine = Schedule::Cosine { warmup: 10, floor: 0.0 };
    /// assert_eq!(cosine.factor(0, 50, 111), 0.1); // warm-up: 1/10 of the rate ...
    /// assert_eq!(cosine.factor(9, 50, 111), 1.0); // ... up to the full rate,
    /// assert!((cosine.factor(60, 50, 111) - 0.5).abs() < 1e-12); // halfway down the cosine,
    /// assert_eq!(cosine.factor(110, 50, 111), 0.0); // and 0 at the last step.
    /// assert_eq!(Schedule::Constant.factor(7, 50, 111), 1.0);
    /// ```
    // ANCHOR: factor
    pub fn factor(&self, step: usize, steps_per_epoch: usize, total_steps: usize) -> f64 {
        assert!(
            steps_per_epoch > 0,
            "Schedule: steps_per_epoch must be at least 1"
        );
        match *self {
            Schedule::Constant => 1.0,
            Schedule::StepDecay { every, factor } => {
                assert!(every > 0, "Schedule::StepDecay: `every` must be at least 1");
                let epoch = step / steps_per_epoch;
                factor.powi((epoch / every) as i32)
            }
            Schedule::Cosine { warmup, floor } => {
                if step < warmup {
                    return (step + 1) as f64 / warmup as f64; // linear warm-up
                }
                // t runs from 0 at the end of the warm-up to 1 at the last step.
                let span = total_steps.saturating_sub(warmup + 1).max(1);
                let t = ((step - warmup) as f64 / span as f64).min(1.0);
                floor + (1.0 - floor) * 0.5 * (1.0 + (PI * t).cos())
            }
        }
    }
    // ANCHOR_END: factor

    /// Panics, naming the variant, unless its numbers make sense (for
    /// [`crate::train::Fit::schedule`], so that a bad schedule is refused
    /// where it is given, not at a step of `fit`).
    #[track_caller]
    pub(crate) fn check(&self) {
        match *self {
            Schedule::Constant => {}
            Schedule::StepDecay { every, factor } => {
                assert!(every > 0, "Schedule::StepDecay: `every` must be at least 1");
                assert!(
                    factor > 0.0 && factor <= 1.0,
                    "Schedule::StepDecay: the factor must be in (0, 1], got {factor} \
                     (0.1 divides the rate by 10)"
                );
            }
            Schedule::Cosine { floor, .. } => assert!(
                (0.0..=1.0).contains(&floor),
                "Schedule::Cosine: the floor must be in [0, 1] (a fraction of the base rate), got {floor}"
            ),
        }
    }
}
