//! Saving and loading a network's weights as *safetensors*.
//!
//! A safetensors file is an 8-byte little-endian length, a JSON header naming
//! every tensor with its dtype, shape and byte range, then the raw numbers. We
//! store one tensor per parameter, under the parameter's name (`"0.dense.W"`,
//! `"0.dense.b"`, ...), as `F32` or `F64` like the network. PyTorch reads it
//! with `safetensors.torch.load_file`:
//!
//! ```python
//! from safetensors.torch import load_file
//! state = load_file("net.safetensors")  # {"0.dense.W": tensor([[...]]), ...}
//! print({name: (t.dtype, tuple(t.shape)) for name, t in state.items()})
//! ```
//!
//! (Our `W` is `[n_in, n_out]`; `torch.nn.Linear.weight` is its transpose.)
//!
//! Two promises. **Saving is atomic**: the bytes go to a temporary file next
//! to the target, which is renamed over it only once complete, so a crash
//! leaves the old file or the new one, never half of each. **Loading is all
//! or nothing**: every name, dtype and shape is checked before the first
//! number is copied into the model.

use crate::layer::Layer;
use crate::tensor::{Float, Tensor};
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensorError, SafeTensors};
use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// What can go wrong when saving or loading weights; every message names the file.
///
/// ```
/// use scratchnet::weights::WeightsError;
/// let e = WeightsError::Shape {
///     path: "net.safetensors".into(),
///     name: "0.dense.W".into(),
///     file: vec![784, 64],
///     model: vec![784, 128],
/// };
/// assert_eq!(e.to_string(), "net.safetensors: 0.dense.W: the file has [784, 64], the model expects [784, 128]");
/// ```
#[derive(Debug, thiserror::Error)]
pub enum WeightsError {
    /// The file could not be written (no such directory, disk full, ...).
    #[error("cannot save weights to {}: {source}", .path.display())]
    Save { path: PathBuf, source: io::Error },
    /// The file could not be read (no such file, a directory, ...).
    #[error("cannot read weights from {}: {source}", .path.display())]
    Read { path: PathBuf, source: io::Error },
    /// The bytes are not a safetensors file (empty, truncated, corrupted).
    #[error("{} is not a valid safetensors file: {source}", .path.display())]
    Format {
        path: PathBuf,
        source: SafeTensorError,
    },
    /// Parameters of the model that have no tensor in the file.
    #[error("{}: the file lacks tensors the model needs: {}", .path.display(), .names.join(", "))]
    Missing { path: PathBuf, names: Vec<String> },
    /// Tensors in the file that match no parameter of the model.
    #[error("{}: the file has tensors the model does not: {}", .path.display(), .names.join(", "))]
    Unexpected { path: PathBuf, names: Vec<String> },
    /// A tensor whose shape differs from its parameter's.
    #[error("{}: {name}: the file has {file:?}, the model expects {model:?}", .path.display())]
    Shape {
        path: PathBuf,
        name: String,
        file: Vec<usize>,
        model: Vec<usize>,
    },
    /// A tensor whose numbers are not of the model's element type.
    #[error("{}: {name}: the file holds {file} numbers, the model computes in {model}{}",
        .path.display(), saved_from(*.file))]
    Dtype {
        path: PathBuf,
        name: String,
        file: Dtype,
        model: &'static str,
    },
}

/// The hint after a dtype mismatch: which network wrote the file.
fn saved_from(file: Dtype) -> String {
    match file {
        Dtype::F32 => " (the file was saved from an f32 network: load it into one)".into(),
        Dtype::F64 => " (the file was saved from an f64 network: load it into one)".into(),
        _ => String::new(),
    }
}

/// The safetensors dtype of `F`.
fn dtype_of<F: Float>() -> Dtype {
    match F::NAME {
        "f32" => Dtype::F32,
        "f64" => Dtype::F64,
        other => unreachable!("scratchnet computes in f32 or f64, not {other}"),
    }
}

/// A tensor's numbers as little-endian bytes, in row-major order.
fn to_bytes<F: Float>(t: &Tensor<F>) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(t.len() * size_of::<F>());
    for &v in t {
        match dtype_of::<F>() {
            Dtype::F32 => bytes.extend((v.as_f64() as f32).to_le_bytes()), // exact: v is an f32
            _ => bytes.extend(v.as_f64().to_le_bytes()),
        }
    }
    bytes
}

/// Little-endian bytes back to numbers (`bytes.len()` is a multiple of `F`'s size).
fn from_bytes<F: Float>(bytes: &[u8]) -> Vec<F> {
    let chunks = bytes.chunks_exact(size_of::<F>());
    match dtype_of::<F>() {
        Dtype::F32 => chunks
            .map(|c| F::cast(f32::from_le_bytes(c.try_into().expect("4 bytes")).into()))
            .collect(),
        _ => chunks
            .map(|c| F::cast(f64::from_le_bytes(c.try_into().expect("8 bytes"))))
            .collect(),
    }
}

// ANCHOR: save
/// Saves every parameter of `model` to `path` as safetensors, atomically.
///
/// If `path` exists it is replaced, but only once the new file is complete.
///
/// # Errors
/// [`WeightsError::Save`] if the file cannot be written, e.g. because its
/// directory does not exist or two parameters share a name.
///
/// ```
/// use scratchnet::prelude::*;
/// use scratchnet::weights::{load_weights, save_weights};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("net.safetensors");
/// let trained: Dense = Dense::new(3, 2, Init::HeNormal, &mut seeded_rng(1));
/// save_weights(&trained, &path).unwrap();
/// let mut fresh: Dense = Dense::new(3, 2, Init::HeNormal, &mut seeded_rng(2));
/// load_weights(&mut fresh, &path).unwrap();
/// assert_eq!(fresh.w.value, trained.w.value);
/// ```
pub fn save_weights<F: Float>(model: &dyn Layer<F>, path: &Path) -> Result<(), WeightsError> {
    write_atomically(path, |file| write_weights(model, file))
}

/// Writes `model`'s parameters to `writer` in the safetensors format.
///
/// The header carries one piece of metadata, `{"format": "scratchnet"}`.
///
/// # Errors
/// Any error of `writer`; `InvalidInput` if two parameters share a name.
///
/// ```
/// use scratchnet::prelude::*;
/// use safetensors::{Dtype, SafeTensors};
/// let net: Sequential<f32> = Sequential::new().with(Dense::new(3, 2, Init::HeNormal, &mut seeded_rng(0)));
/// let mut bytes = Vec::new();
/// scratchnet::weights::write_weights(&net, &mut bytes).unwrap();
/// let file = SafeTensors::deserialize(&bytes).unwrap();
/// let w = file.tensor("0.dense.W").unwrap();
/// assert_eq!((w.dtype(), w.shape()), (Dtype::F32, &[3, 2][..]));
/// ```
pub fn write_weights<F: Float>(model: &dyn Layer<F>, writer: &mut impl Write) -> io::Result<()> {
    let params = model.params();
    let tensors: Vec<(&str, &Tensor<F>)> =
        params.iter().map(|p| (p.name.as_str(), &p.value)).collect();
    let metadata = HashMap::from([("format".to_string(), "scratchnet".to_string())]);
    write_tensors(&tensors, metadata, writer)
}

/// Writes named tensors and a header's metadata to `writer` in the safetensors format.
///
/// # Errors
/// Any error of `writer`; `InvalidInput` if two tensors share a name.
pub(crate) fn write_tensors<F: Float>(
    tensors: &[(&str, &Tensor<F>)],
    metadata: HashMap<String, String>,
    writer: &mut impl Write,
) -> io::Result<()> {
    let encoded: Vec<Vec<u8>> = tensors.iter().map(|(_, t)| to_bytes(t)).collect();
    let mut views = Vec::with_capacity(tensors.len());
    for (&(name, t), bytes) in tensors.iter().zip(&encoded) {
        if views.iter().any(|(other, _)| *other == name) {
            let msg = format!("two parameters are named {name}: names must be unique");
            return Err(io::Error::new(io::ErrorKind::InvalidInput, msg));
        }
        let shape = t.shape().to_vec();
        let view = TensorView::new(dtype_of::<F>(), shape, bytes).map_err(io::Error::other)?;
        views.push((name, view));
    }
    let bytes = safetensors::serialize(views, Some(metadata)).map_err(io::Error::other)?;
    writer.write_all(&bytes)?;
    writer.flush()
}

/// Replaces the file at `path` with what `write` writes, or leaves it untouched.
///
/// `write` fills a new temporary file in the same directory; the file is
/// flushed to disk and renamed over `path` (a rename within a directory is
/// atomic). If anything fails, the temporary file is removed and `path`
/// keeps its previous content.
///
/// # Errors
/// [`WeightsError::Save`] with the first I/O error, from `write` or from the file system.
///
/// ```
/// use std::io::Write;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("notes.txt");
/// scratchnet::weights::write_atomically(&path, |f| f.write_all(b"old")).unwrap();
/// let failed = scratchnet::weights::write_atomically(&path, |f| {
///     f.write_all(b"ne")?;
///     Err(std::io::Error::other("power cut")) // interrupted half-way
/// });
/// assert!(failed.is_err());
/// assert_eq!(std::fs::read(&path).unwrap(), b"old"); // the old content, intact
/// assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1); // no temporary file left
/// ```
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<(), WeightsError> {
    let error = |source| WeightsError::Save {
        path: path.to_path_buf(),
        source,
    };
    let no_name = || io::Error::new(io::ErrorKind::InvalidInput, "the path names no file");
    let name = path.file_name().ok_or_else(|| error(no_name()))?;
    // A name no other save uses, even in this process: net.safetensors.1234-0.tmp
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut tmp_name = name.to_os_string();
    tmp_name.push(format!(".{}-{n}.tmp", std::process::id()));
    let tmp = path.with_file_name(tmp_name);

    let file = File::create_new(&tmp).map_err(error)?; // never clobbers an existing file
    if let Err(e) = fill_and_rename(file, &tmp, path, write) {
        let _ = fs::remove_file(&tmp); // best effort: the error to report is `e`
        return Err(error(e));
    }
    // Make the rename itself durable (Unix); where a directory cannot be opened, skip.
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Ok(dir) = File::open(dir.unwrap_or(Path::new("."))) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Fills `file` (at `tmp`) with `write`, syncs it to disk and renames it to `path`.
fn fill_and_rename(
    mut file: File,
    tmp: &Path,
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    write(&mut file)?;
    file.sync_all()?; // the bytes are on disk before the name points at them
    drop(file); // closed before the rename (Windows cannot rename an open file)
    fs::rename(tmp, path)
}
// ANCHOR_END: save

/// Loads the parameters of `model` from the safetensors file at `path`.
///
/// The file must hold exactly the model's parameters, with their names,
/// shapes and element type. Everything is checked first: on error the model
/// is unchanged.
///
/// # Errors
/// [`WeightsError::Read`] if the file cannot be read, [`WeightsError::Format`]
/// if it is not safetensors, then [`Missing`](WeightsError::Missing),
/// [`Unexpected`](WeightsError::Unexpected), [`Dtype`](WeightsError::Dtype)
/// or [`Shape`](WeightsError::Shape) if it does not fit the model.
///
/// ```
/// use scratchnet::prelude::*;
/// use scratchnet::weights::{WeightsError, load_weights, save_weights};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("wide.safetensors");
/// let wide: Dense = Dense::new(3, 4, Init::HeNormal, &mut seeded_rng(1));
/// save_weights(&wide, &path).unwrap();
/// let mut narrow: Dense = Dense::new(3, 2, Init::HeNormal, &mut seeded_rng(2));
/// let before = narrow.w.value.clone();
/// let err = load_weights(&mut narrow, &path).unwrap_err();
/// assert!(matches!(&err, WeightsError::Shape { name, .. } if name == "dense.W"));
/// assert!(err.to_string().ends_with("dense.W: the file has [3, 4], the model expects [3, 2]"));
/// assert_eq!(narrow.w.value, before); // nothing was loaded
/// ```
pub fn load_weights<F: Float>(model: &mut dyn Layer<F>, path: &Path) -> Result<(), WeightsError> {
    let bytes = read(path)?;
    load_weights_from_bytes(model, &bytes, path)
}

/// [`load_weights`] from the bytes of a safetensors file already in memory, such as
/// weights built into a program (the book's WebAssembly demos embed Chapter 5's).
/// `path` only names them in error messages.
///
/// # Errors
/// As [`load_weights`], except [`WeightsError::Read`].
///
/// ```
/// use scratchnet::prelude::*;
/// use scratchnet::weights::{load_weights_from_bytes, write_weights};
/// let saved: Dense = Dense::new(3, 2, Init::HeNormal, &mut seeded_rng(1));
/// let mut bytes = Vec::new();
/// write_weights(&saved, &mut bytes).unwrap();
/// let mut copy: Dense = Dense::new(3, 2, Init::HeNormal, &mut seeded_rng(2));
/// load_weights_from_bytes(&mut copy, &bytes, "built-in".as_ref()).unwrap();
/// assert_eq!(copy.w.value, saved.w.value);
/// assert!(load_weights_from_bytes(&mut copy, b"not safetensors", "x".as_ref()).is_err());
/// ```
// ANCHOR: load
pub fn load_weights_from_bytes<F: Float>(
    model: &mut dyn Layer<F>,
    bytes: &[u8],
    path: &Path,
) -> Result<(), WeightsError> {
    let file = parse(path, bytes)?; // safetensors checks the header, and that each tensor's bytes fit it
    let params = model.params();
    let wanted: Vec<(&str, &[usize])> = params
        .iter()
        .map(|p| (p.name.as_str(), p.value.shape()))
        .collect();
    let values = read_tensors(path, &file, &wanted)?; // every name, dtype and shape checked
    // Only now change the model.
    for (p, value) in model.params_mut().into_iter().zip(values) {
        p.value = value;
    }
    Ok(())
}

/// The tensors of `file` named in `wanted`, in that order, once every one is
/// known to be there with `F`'s dtype and the wanted shape, and no other.
pub(crate) fn read_tensors<F: Float>(
    path: &Path,
    file: &SafeTensors,
    wanted: &[(&str, &[usize])],
) -> Result<Vec<Tensor<F>>, WeightsError> {
    let path = path.to_path_buf(); // for the error messages
    let tensors: HashMap<String, TensorView> = file.tensors().into_iter().collect();

    // 1. The names: one tensor per wanted name, and no other.
    let missing: Vec<String> = wanted
        .iter()
        .filter(|(name, _)| !tensors.contains_key(*name))
        .map(|(name, _)| name.to_string())
        .collect();
    if !missing.is_empty() {
        let names = missing;
        return Err(WeightsError::Missing { path, names });
    }
    let mut unexpected: Vec<String> = tensors
        .keys()
        .filter(|name| !wanted.iter().any(|(w, _)| w == name))
        .cloned()
        .collect();
    if !unexpected.is_empty() {
        unexpected.sort();
        let names = unexpected;
        return Err(WeightsError::Unexpected { path, names });
    }

    // 2. Each tensor: its dtype, its shape, then its numbers, into a new tensor.
    let mut values = Vec::with_capacity(wanted.len());
    for &(name, shape) in wanted {
        let (t, name) = (&tensors[name], name.to_string());
        if t.dtype() != dtype_of::<F>() {
            let (file, model) = (t.dtype(), F::NAME);
            return Err(WeightsError::Dtype {
                path,
                name,
                file,
                model,
            });
        }
        if t.shape() != shape {
            let (file, model) = (t.shape().to_vec(), shape.to_vec());
            return Err(WeightsError::Shape {
                path,
                name,
                file,
                model,
            });
        }
        match Tensor::from_shape_vec(shape, from_bytes::<F>(t.data())) {
            Ok(value) => values.push(value),
            Err(_) => {
                let source = SafeTensorError::TensorInvalidInfo; // wrong byte count: not reached
                return Err(WeightsError::Format { path, source });
            }
        }
    }
    Ok(values)
}
// ANCHOR_END: load

/// The bytes of the file at `path`.
pub(crate) fn read(path: &Path) -> Result<Vec<u8>, WeightsError> {
    fs::read(path).map_err(|source| WeightsError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// `bytes` as a safetensors file, read from `path`.
pub(crate) fn parse<'a>(path: &Path, bytes: &'a [u8]) -> Result<SafeTensors<'a>, WeightsError> {
    SafeTensors::deserialize(bytes).map_err(|source| WeightsError::Format {
        path: path.to_path_buf(),
        source,
    })
}
