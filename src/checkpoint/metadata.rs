//! A checkpoint's metadata: the JSON fields of the safetensors header, read
//! and checked one by one, each error naming its field; and how a
//! random-number generator is written there.

use super::{CheckpointError, Settings, VERSION};
use crate::history::History;
use crate::optim::Snapshot;
use crate::tensor::{Float, Rng};
use crate::weights::WeightsError;
use rand::SeedableRng;
use safetensors::SafeTensors;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// A checkpoint's metadata, read field by field into errors that name the field.
pub(super) struct Metadata<'a> {
    path: &'a Path,
    fields: HashMap<String, String>,
}

impl<'a> Metadata<'a> {
    pub(super) fn read(path: &'a Path, bytes: &[u8]) -> Result<Self, CheckpointError> {
        let (_, header) = SafeTensors::read_metadata(bytes).map_err(|source| {
            let path = path.to_path_buf();
            WeightsError::Format { path, source }
        })?;
        let fields = header.metadata().clone().unwrap_or_default();
        Ok(Metadata { path, fields })
    }

    /// The history, once the format, the version and the settings are known
    /// to be this library's and this run's, and the epochs and steps agree with it.
    pub(super) fn history(&self, settings: &Settings) -> Result<History, CheckpointError> {
        if self.text("format")? != "scratchnet-checkpoint" {
            let problem = "not a checkpoint (weights alone cannot resume a run)";
            return Err(self.bad("format", problem));
        }
        if self.text("version")? != VERSION.to_string() {
            let problem = format!("this library reads version {VERSION}");
            return Err(self.bad("version", &problem));
        }
        let saved = self.json("settings")?;
        for (field, run) in settings.to_json().as_object().expect("an object") {
            self.same(field, &saved[field], run)?;
        }
        let history = History::from_json(&self.json("history")?);
        let history = history.map_err(|e| self.bad("history", &e))?;
        let steps = history.epochs.last().map_or(0, |e| e.steps);
        for (field, count) in [("epochs", history.epochs.len()), ("steps", steps)] {
            if self.json(field)? != count {
                return Err(self.bad(field, &format!("the history says {count}")));
            }
        }
        Ok(history)
    }

    /// The saved generators, once there are `count` of them, as many as the model has.
    pub(super) fn rngs(&self, count: usize) -> Result<Vec<Rng>, CheckpointError> {
        let json = self.json("rngs")?;
        let rngs: Option<Vec<Rng>> = json
            .as_array()
            .and_then(|a| a.iter().map(rng_from_json).collect());
        let rngs = rngs.ok_or_else(|| self.bad("rngs", "not a list of generators"))?;
        self.same(
            "random-number generators",
            &rngs.len().into(),
            &count.into(),
        )?;
        Ok(rngs)
    }

    /// The optimizer's saved scalars, once their names are those of `snapshot`'s.
    pub(super) fn scalars<F: Float>(
        &self,
        snapshot: &Snapshot<F>,
    ) -> Result<BTreeMap<String, f64>, CheckpointError> {
        let json = self.json("optimizer")?;
        let scalars: BTreeMap<String, f64> =
            serde_json::from_value(json).map_err(|e| self.bad("optimizer", &e.to_string()))?;
        let (saved, run) = (scalars.keys(), snapshot.scalars.keys());
        self.same(
            "optimizer scalars",
            &json!(Vec::from_iter(saved)),
            &json!(Vec::from_iter(run)),
        )?;
        Ok(scalars)
    }

    fn bad(&self, field: &str, problem: &str) -> CheckpointError {
        let (path, field, problem) = (self.path.into(), field.into(), problem.into());
        CheckpointError::Metadata {
            path,
            field,
            problem,
        }
    }

    fn text(&self, field: &str) -> Result<&str, CheckpointError> {
        let text = self.fields.get(field).map(String::as_str);
        text.ok_or_else(|| self.bad(field, "missing"))
    }

    fn json(&self, field: &str) -> Result<Value, CheckpointError> {
        serde_json::from_str(self.text(field)?).map_err(|e| self.bad(field, &e.to_string()))
    }

    /// A [`CheckpointError::Mismatch`] unless the checkpoint's `file` is the run's `run`.
    fn same(&self, field: &str, file: &Value, run: &Value) -> Result<(), CheckpointError> {
        if file == run {
            return Ok(());
        }
        let (path, field) = (self.path.into(), field.into());
        let (file, run) = (file.to_string(), run.to_string());
        Err(CheckpointError::Mismatch {
            path,
            field,
            file,
            run,
        })
    }
}

/// A generator as `{"seed": "<64 hex digits>", "stream": 0, "word_pos": "<decimal>"}`:
/// its key, its stream and how many 32-bit words it has produced (a `u128`, as a string).
pub(super) fn rng_to_json(rng: &Rng) -> Value {
    let seed: String = rng.get_seed().iter().map(|b| format!("{b:02x}")).collect();
    json!({"seed": seed, "stream": rng.get_stream(), "word_pos": rng.get_word_pos().to_string()})
}

/// The generator [`rng_to_json`] wrote, at the same position.
fn rng_from_json(json: &Value) -> Option<Rng> {
    let hex = json.get("seed")?.as_str()?;
    let mut seed = [0u8; 32];
    if hex.len() != 64 {
        return None;
    }
    for (i, byte) in seed.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    let mut rng = Rng::from_seed(seed);
    rng.set_stream(json.get("stream")?.as_u64()?);
    rng.set_word_pos(json.get("word_pos")?.as_str()?.parse().ok()?);
    Some(rng)
}
