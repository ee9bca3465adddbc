//! What [`fit`](crate::train::fit) records: one [`Epoch`] per pass over the
//! data, in a [`History`], which a checkpoint saves as JSON
//! ([`History::to_json`]). Both are re-exported by [`crate::train`].

use serde_json::{Value, json};

/// What happened in one epoch of [`fit`](crate::train::fit).
///
/// ```
/// use scratchnet::train::Epoch;
/// let e = Epoch { epoch: 1, steps: 4, lr: 0.1, train_loss: 0.5, ..Epoch::default() };
/// assert_eq!(e.val_loss, None); // no validation set was given
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Epoch {
    /// The epoch's number, from 1.
    pub epoch: usize,
    /// Optimizer steps taken so far, this epoch's included.
    pub steps: usize,
    /// The learning rate of the epoch's last step.
    pub lr: f64,
    /// Mean training loss over the epoch's mini-batches, each measured before
    /// its update and weighted by its size (what Keras prints as `loss`).
    pub train_loss: f64,
    /// Fraction of training examples classified right, over the same
    /// mini-batches (with [`Fit::accuracy`](crate::train::Fit::accuracy); Keras' `accuracy`).
    pub train_accuracy: Option<f64>,
    /// Loss on the validation set after the epoch, in evaluation mode.
    pub val_loss: Option<f64>,
    /// Accuracy on the validation set after the epoch (with [`Fit::accuracy`](crate::train::Fit::accuracy)).
    pub val_accuracy: Option<f64>,
    /// Wall-clock seconds the epoch took (the only field that differs between runs).
    pub seconds: f64,
}

/// The epochs of one [`fit`](crate::train::fit), in order.
///
/// ```
/// use scratchnet::train::{Epoch, History};
/// let e = |epoch, train_loss| Epoch { epoch, train_loss, ..Epoch::default() };
/// let h = History { epochs: vec![e(1, 0.9), e(2, 0.4)] };
/// assert_eq!(h.train_losses(), [0.9, 0.4]);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// One entry per epoch trained.
    pub epochs: Vec<Epoch>,
}

impl History {
    /// The training loss of every epoch.
    ///
    /// ```
    /// let h = scratchnet::train::History::default();
    /// assert!(h.train_losses().is_empty());
    /// ```
    pub fn train_losses(&self) -> Vec<f64> {
        self.epochs.iter().map(|e| e.train_loss).collect()
    }

    /// The history as a JSON array, one object per epoch with [`Epoch`]'s
    /// field names. Every number comes back exactly from
    /// [`History::from_json`]; one that is not finite is written as the string
    /// `"NaN"`, `"inf"` or `"-inf"`, since JSON has no such numbers.
    ///
    /// ```
    /// use scratchnet::train::{Epoch, History};
    /// let h = History { epochs: vec![Epoch { epoch: 1, steps: 4, lr: 0.1, val_loss: Some(f64::INFINITY), ..Epoch::default() }] };
    /// let json = h.to_json();
    /// assert_eq!((&json[0]["lr"], &json[0]["val_loss"], &json[0]["val_accuracy"]), (&0.1.into(), &"inf".into(), &serde_json::Value::Null));
    /// assert_eq!(History::from_json(&json), Ok(h));
    /// ```
    pub fn to_json(&self) -> Value {
        self.epochs.iter().map(Epoch::to_json).collect()
    }

    /// Reads a history written by [`History::to_json`].
    ///
    /// # Errors
    /// A message naming the epoch and the field that is missing or not a
    /// number of the right kind.
    ///
    /// ```
    /// use scratchnet::train::History;
    /// let json = serde_json::json!([{"epoch": 1, "steps": "four"}]);
    /// assert_eq!(History::from_json(&json).unwrap_err(), "epoch 1 of the history: steps is not a count");
    /// ```
    pub fn from_json(json: &Value) -> Result<History, String> {
        let items = json.as_array().ok_or("the history is not a list")?;
        let epochs = items.iter().enumerate().map(|(i, item)| {
            Epoch::from_json(item).map_err(|e| format!("epoch {} of the history: {e}", i + 1))
        });
        Ok(History {
            epochs: epochs.collect::<Result<_, _>>()?,
        })
    }
}

impl Epoch {
    fn to_json(&self) -> Value {
        json!({
            "epoch": self.epoch, "steps": self.steps, "lr": number(self.lr),
            "train_loss": number(self.train_loss), "train_accuracy": self.train_accuracy.map(number),
            "val_loss": self.val_loss.map(number), "val_accuracy": self.val_accuracy.map(number),
            "seconds": number(self.seconds),
        })
    }

    fn from_json(json: &Value) -> Result<Epoch, String> {
        let field = |key: &str| json.get(key).ok_or(format!("{key} is missing"));
        let count = |key: &str| -> Result<usize, String> {
            let n = field(key)?
                .as_u64()
                .ok_or(format!("{key} is not a count"))?;
            usize::try_from(n).map_err(|_| format!("{key} is too large"))
        };
        let float = |key: &str| read_number(field(key)?).ok_or(format!("{key} is not a number"));
        let optional = |key: &str| match field(key)? {
            Value::Null => Ok(None),
            v => read_number(v)
                .map(Some)
                .ok_or(format!("{key} is not a number")),
        };
        Ok(Epoch {
            epoch: count("epoch")?,
            steps: count("steps")?,
            lr: float("lr")?,
            train_loss: float("train_loss")?,
            train_accuracy: optional("train_accuracy")?,
            val_loss: optional("val_loss")?,
            val_accuracy: optional("val_accuracy")?,
            seconds: float("seconds")?,
        })
    }
}

/// `v` as a JSON number, or as a string when it is not finite (`"NaN"`, `"inf"`, `"-inf"`).
fn number(v: f64) -> Value {
    if v.is_finite() {
        v.into()
    } else {
        v.to_string().into()
    }
}

/// A number written by [`number`].
fn read_number(v: &Value) -> Option<f64> {
    v.as_f64().or_else(|| v.as_str()?.parse().ok())
}
