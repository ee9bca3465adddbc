//! Saving and loading weights as safetensors: round trips in `f32` and `f64`,
//! the file as the `safetensors` crate (and so PyTorch) sees it, every way a
//! load can fail without touching the model, and saves that fail half-way
//! without touching the previous file.

use safetensors::{Dtype, SafeTensors};
use scratchnet::prelude::*;
use scratchnet::weights::{
    WeightsError, load_weights, save_weights, write_atomically, write_weights,
};
use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Dense–ReLU–Dense–ReLU–Dense, `4 → 8 → 8 → n_out`, drawn from `seed`.
fn network<F: Float>(seed: u64, n_out: usize) -> Sequential<F> {
    let mut rng = seeded_rng(seed);
    Sequential::new()
        .with(Dense::new(4, 8, Init::HeNormal, &mut rng))
        .with(ReLU::new())
        .with(Dense::new(8, 8, Init::HeNormal, &mut rng))
        .with(ReLU::new())
        .with(Dense::new(8, n_out, Init::XavierNormal, &mut rng))
}

/// The network of `seed`, trained for a few epochs so that the biases are not zero.
fn trained<F: Float>(seed: u64) -> Sequential<F> {
    let mut net = network::<F>(seed, 3);
    let x = inputs::<F>();
    let y = x.slice(ndarray::s![.., ..3]).to_owned().into_dyn();
    fit(
        &mut net,
        &mut MeanSquaredError::new(),
        &mut Sgd::new(0.05),
        &x,
        &y,
        Fit::new(5, 10),
    )
    .unwrap();
    assert!(net.params()[1].value.iter().any(|&b| b != F::zero()));
    net
}

fn inputs<F: Float>() -> Tensor<F> {
    let values: Vec<f64> = (0..40).map(|i| ((i * 7 % 11) as f64 - 5.0) / 5.0).collect();
    tensor(&[10, 4], &values).mapv(F::cast)
}

fn values<F: Float>(net: &dyn Layer<F>) -> Vec<Tensor<F>> {
    net.params().iter().map(|p| p.value.clone()).collect()
}

/// The names of the files in `dir`, sorted.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn round_trip<F: Float>() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("net.safetensors");
    let mut original = trained::<F>(1);
    save_weights(&original, &path).unwrap();

    let mut restored = network::<F>(2, 3);
    assert_ne!(values(&restored), values(&original));
    load_weights(&mut restored, &path).unwrap();
    assert_eq!(values(&restored), values(&original)); // bit for bit
    let x = inputs::<F>();
    assert_eq!(restored.predict(&x), original.predict(&x));
    assert_eq!(files_in(dir.path()), ["net.safetensors"]);
}

#[test]
fn round_trip_f64() {
    round_trip::<f64>();
}

#[test]
fn round_trip_f32() {
    round_trip::<f32>();
}

#[test]
fn saving_again_replaces_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("net.safetensors");
    save_weights(&network::<f64>(1, 3), &path).unwrap();
    let second = trained::<f64>(2);
    save_weights(&second, &path).unwrap();
    let mut net = network::<f64>(3, 3);
    load_weights(&mut net, &path).unwrap();
    assert_eq!(values(&net), values(&second));
    assert_eq!(files_in(dir.path()), ["net.safetensors"]);
}

fn check_file<F: Float>(dtype: Dtype) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("net.safetensors");
    let net = trained::<F>(1);
    save_weights(&net, &path).unwrap();
    let bytes = fs::read(&path).unwrap();
    let file = SafeTensors::deserialize(&bytes).unwrap();

    let mut names = file.names();
    names.sort();
    let expected = [
        "0.dense.W",
        "0.dense.b",
        "2.dense.W",
        "2.dense.b",
        "4.dense.W",
        "4.dense.b",
    ];
    assert_eq!(names, expected);
    let shapes: [&[usize]; 6] = [&[4, 8], &[8], &[8, 8], &[8], &[8, 3], &[3]];
    for (name, shape) in expected.iter().zip(shapes) {
        let t = file.tensor(name).unwrap();
        assert_eq!((t.dtype(), t.shape()), (dtype, shape), "{name}");
    }
    // The numbers, little-endian and row-major: W[1, 2] of the first layer.
    let w = file.tensor("0.dense.W").unwrap();
    let size = size_of::<F>();
    let at = (8 + 2) * size;
    let stored = match dtype {
        Dtype::F32 => f64::from(f32::from_le_bytes(w.data()[at..at + 4].try_into().unwrap())),
        _ => f64::from_le_bytes(w.data()[at..at + 8].try_into().unwrap()),
    };
    assert_eq!(stored, net.params()[0].value[[1, 2]].as_f64());

    let (_, header) = SafeTensors::read_metadata(&bytes).unwrap();
    let metadata = header.metadata().as_ref().unwrap();
    assert_eq!(
        metadata.get("format").map(String::as_str),
        Some("scratchnet")
    );
}

#[test]
fn the_file_is_safetensors_with_names_dtypes_and_shapes() {
    check_file::<f64>(Dtype::F64);
    check_file::<f32>(Dtype::F32);
}

/// Writes a safetensors file with the given `f64` tensors, as any other program could.
fn write_file(path: &Path, tensors: &[(&str, Tensor<f64>)]) {
    let data: Vec<(&str, Vec<usize>, Vec<u8>)> = tensors
        .iter()
        .map(|(name, t)| {
            let bytes = t.iter().flat_map(|v| v.to_le_bytes()).collect();
            (*name, t.shape().to_vec(), bytes)
        })
        .collect();
    let views = data.iter().map(|(name, shape, bytes)| {
        let view = safetensors::tensor::TensorView::new(Dtype::F64, shape.clone(), bytes);
        (*name, view.unwrap())
    });
    fs::write(path, safetensors::serialize(views, None).unwrap()).unwrap();
}

/// The named tensors of `net`.
fn named(net: &Sequential) -> Vec<(&str, Tensor<f64>)> {
    net.params()
        .iter()
        .map(|p| (p.name.as_str(), p.value.clone()))
        .collect()
}

/// Loads `path` into a fresh network, checks that the model is untouched, returns the error.
fn failed_load<F: Float>(path: &Path, n_out: usize) -> WeightsError {
    let mut net = network::<F>(7, n_out);
    let before = values(&net);
    let err = load_weights(&mut net, path).unwrap_err();
    assert_eq!(
        values(&net),
        before,
        "the model changed although loading failed: {err}"
    );
    err
}

#[test]
fn a_missing_tensor_is_named_and_nothing_is_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("net.safetensors");
    let source = trained::<f64>(1);
    let mut tensors = named(&source);
    tensors.retain(|(name, _)| *name != "4.dense.b"); // the last one: every other would load
    write_file(&path, &tensors);

    let err = failed_load::<f64>(&path, 3);
    assert!(matches!(&err, WeightsError::Missing { names, .. } if names == &["4.dense.b"]));
    let message = format!(
        "{}: the file lacks tensors the model needs: 4.dense.b",
        path.display()
    );
    assert_eq!(err.to_string(), message);
}

#[test]
fn extra_tensors_are_named_and_nothing_is_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("net.safetensors");
    let source = trained::<f64>(1);
    let mut tensors = named(&source);
    tensors.push(("6.dense.b", tensor(&[2], &[1.0, 2.0])));
    tensors.push(("6.dense.W", tensor(&[3, 2], &[0.0; 6])));
    write_file(&path, &tensors);

    let err = failed_load::<f64>(&path, 3);
    let expected = ["6.dense.W", "6.dense.b"];
    assert!(matches!(&err, WeightsError::Unexpected { names, .. } if names == &expected));
    let message = format!(
        "{}: the file has tensors the model does not: 6.dense.W, 6.dense.b",
        path.display()
    );
    assert_eq!(err.to_string(), message);
}

#[test]
fn a_misshapen_tensor_is_named_with_both_shapes_and_nothing_is_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("net.safetensors");
    save_weights(&trained::<f64>(1), &path).unwrap(); // 3 outputs
    let err = failed_load::<f64>(&path, 2); // a model with 2: the last layer differs
    match &err {
        WeightsError::Shape {
            name, file, model, ..
        } => {
            assert_eq!(
                (name.as_str(), &file[..], &model[..]),
                ("4.dense.W", &[8, 3][..], &[8, 2][..])
            );
        }
        other => panic!("expected a shape error, got {other:?}"),
    }
    let message = format!(
        "{}: 4.dense.W: the file has [8, 3], the model expects [8, 2]",
        path.display()
    );
    assert_eq!(err.to_string(), message);
}

#[test]
fn an_f64_file_does_not_load_into_an_f32_model() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("net.safetensors");
    save_weights(&trained::<f64>(1), &path).unwrap();
    let err = failed_load::<f32>(&path, 3);
    assert!(matches!(
        &err,
        WeightsError::Dtype { name, file: Dtype::F64, model: "f32", .. } if name == "0.dense.W"
    ));
    let message = format!(
        "{}: 0.dense.W: the file holds F64 numbers, the model computes in f32 \
         (the file was saved from an f64 network: load it into one)",
        path.display()
    );
    assert_eq!(err.to_string(), message);

    // And the other way round.
    save_weights(&trained::<f32>(1), &path).unwrap();
    let err = failed_load::<f64>(&path, 3);
    assert!(
        err.to_string()
            .ends_with("the file was saved from an f32 network: load it into one)")
    );
}

/// Writes `bytes` to a file, loads it, and returns the error, which must be a format error.
fn format_error(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.safetensors");
    fs::write(&path, bytes).unwrap();
    let err = failed_load::<f64>(&path, 3);
    assert!(matches!(err, WeightsError::Format { .. }), "{err:?}");
    let message = err.to_string();
    let prefix = format!("{} is not a valid safetensors file: ", path.display());
    assert!(message.starts_with(&prefix), "{message}");
    message[prefix.len()..].to_string()
}

fn good_bytes() -> Vec<u8> {
    let mut bytes = Vec::new();
    write_weights(&trained::<f64>(1), &mut bytes).unwrap();
    bytes
}

#[test]
fn a_truncated_file_is_a_format_error() {
    let bytes = good_bytes();
    assert_eq!(
        format_error(&bytes[..bytes.len() - 1]),
        "incomplete metadata, file not fully covered"
    );
    assert_eq!(format_error(&bytes[..100]), "invalid header length"); // cut inside the header
    assert_eq!(format_error(&bytes[..5]), "header too small");
}

#[test]
fn a_corrupted_header_is_a_format_error() {
    let mut bytes = good_bytes();
    let brace = bytes.iter().position(|&b| b == b'{').unwrap();
    bytes[brace] = b'#';
    assert!(format_error(&bytes).starts_with("invalid JSON in header"));

    let mut bytes = good_bytes();
    let too_long = (bytes.len() as u64).to_le_bytes(); // a header longer than the file
    bytes[..8].copy_from_slice(&too_long);
    assert_eq!(format_error(&bytes), "invalid header length");
}

#[test]
fn random_bytes_are_a_format_error() {
    use rand::Rng as _;
    let mut rng = seeded_rng(0);
    for len in [8, 100, 10_000] {
        let bytes: Vec<u8> = (0..len).map(|_| rng.random()).collect();
        format_error(&bytes);
    }
    // Random bytes after a plausible length.
    let mut bytes = 16u64.to_le_bytes().to_vec();
    bytes.extend((0..16).map(|_| rng.random::<u8>()));
    format_error(&bytes);
}

#[test]
fn an_empty_file_is_a_format_error() {
    assert_eq!(format_error(&[]), "header too small");
}

#[test]
fn a_directory_or_a_missing_file_is_a_read_error() {
    let dir = tempfile::tempdir().unwrap();
    for path in [
        dir.path().to_path_buf(),
        dir.path().join("nothing.safetensors"),
    ] {
        let err = failed_load::<f64>(&path, 3);
        assert!(matches!(&err, WeightsError::Read { .. }), "{err:?}");
        let prefix = format!("cannot read weights from {}: ", path.display());
        assert!(err.to_string().starts_with(&prefix), "{err}");
    }
}

/// A writer that takes `left` bytes, then fails like a full disk or a pulled plug.
struct FailAfter<W> {
    inner: W,
    left: usize,
}

impl<W: Write> Write for FailAfter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Err(io::Error::other("simulated failure"));
        }
        let n = buf.len().min(self.left);
        self.left -= n;
        self.inner.write(&buf[..n])
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[test]
fn an_interrupted_save_leaves_the_previous_file_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("net.safetensors");
    save_weights(&trained::<f64>(1), &path).unwrap();
    let previous = fs::read(&path).unwrap();

    let newer = trained::<f64>(2);
    for cut in [0, 7, 100, previous.len() - 1] {
        let err = write_atomically(&path, |file| {
            write_weights(
                &newer,
                &mut FailAfter {
                    inner: file,
                    left: cut,
                },
            )
        })
        .unwrap_err();
        let message = format!(
            "cannot save weights to {}: simulated failure",
            path.display()
        );
        assert_eq!(err.to_string(), message);
        assert_eq!(fs::read(&path).unwrap(), previous, "cut after {cut} bytes");
        assert_eq!(
            files_in(dir.path()),
            ["net.safetensors"],
            "a temporary file is left"
        );
    }
    // The same save, uninterrupted, goes through.
    write_atomically(&path, |file| write_weights(&newer, file)).unwrap();
    assert_ne!(fs::read(&path).unwrap(), previous);
}

#[test]
fn saving_into_a_missing_directory_or_over_a_directory_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let net = network::<f64>(1, 3);

    let path = dir.path().join("no-such-dir").join("net.safetensors");
    let err = save_weights(&net, &path).unwrap_err();
    assert!(
        matches!(&err, WeightsError::Save { source, .. } if source.kind() == io::ErrorKind::NotFound)
    );
    assert!(
        err.to_string()
            .starts_with(&format!("cannot save weights to {}: ", path.display()))
    );
    assert!(files_in(dir.path()).is_empty());

    let sub = dir.path().join("sub");
    fs::create_dir(&sub).unwrap();
    let err = save_weights(&net, &sub).unwrap_err();
    assert!(matches!(err, WeightsError::Save { .. }), "{err:?}");
    assert!(sub.is_dir());
    assert_eq!(files_in(dir.path()), ["sub"], "a temporary file is left");
}

/// A layer that breaks the naming rule: two parameters called `w`.
#[derive(Clone)]
struct TwoNamedW(Param, Param);

impl Layer for TwoNamedW {
    fn forward(&mut self, x: &Tensor, _: Mode) -> Tensor {
        x.clone()
    }
    fn backward(&mut self, dy: &Tensor) -> Tensor {
        dy.clone()
    }
    fn params(&self) -> Vec<&Param> {
        vec![&self.0, &self.1]
    }
    fn params_mut(&mut self) -> Vec<&mut Param> {
        vec![&mut self.0, &mut self.1]
    }
    fn name(&self) -> String {
        "TwoNamedW".into()
    }
}

#[test]
fn duplicate_parameter_names_are_refused() {
    use scratchnet::layer::ParamKind;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("net.safetensors");
    let w = || Param::new("w", ParamKind::Weight, tensor(&[1], &[1.0]));
    let err = save_weights(&TwoNamedW(w(), w()), &path).unwrap_err();
    let message = format!(
        "cannot save weights to {}: two parameters are named w: names must be unique",
        path.display()
    );
    assert_eq!(err.to_string(), message);
    assert!(files_in(dir.path()).is_empty());
}
