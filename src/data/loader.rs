//! Loading a dataset: find its files, download them if they are nowhere, verify, read.

use std::path::{Path, PathBuf};

#[cfg(feature = "download")]
use super::download::download_missing;
use super::source::Source;
use super::{DataError, Dataset, Idx, Split, read_idx};

/// Loads `dataset`'s training and test splits, downloading it the first time.
///
/// Searches `data_dir`, then `$SCRATCHNET_DATA/<mnist|fashion-mnist>`, then the
/// cache directory ([`Dataset::search_dirs`]) for a directory holding all four
/// [`FILES`](super::mnist::FILES); if none does, downloads the missing ones into
/// the cache directory, with a progress bar on stderr. Each file's decompressed
/// content must match its known SHA-256.
///
/// # Errors
///
/// [`DataError::Unavailable`] when the files are nowhere and no mirror
/// delivered them: its message lists the files, every directory searched and
/// what each mirror answered. [`DataError::Checksum`] when a file is not the
/// expected one, and every error of [`Split::read`] for a damaged file.
///
/// ```
/// use scratchnet::data::{Dataset, load};
/// # // Where this project keeps MNIST; elsewhere, skip rather than download.
/// # let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/mnist"));
/// # if !dir.is_dir() { return Ok(()); }
/// # let data_dir = Some(dir);
/// let (train, test) = load(Dataset::Mnist, data_dir)?; // data_dir: e.g. from --data-dir, or None
/// assert_eq!((train.labels()[0], test.labels()[0]), (5, 7));
/// assert_eq!((train.len(), test.len()), (60_000, 10_000));
/// let x = train.images_f::<f32>(); // [60000, 784], in [0, 1]
/// assert_eq!(x.shape(), &[60_000, 784]);
/// # Ok::<(), scratchnet::data::DataError>(())
/// ```
pub fn load(dataset: Dataset, data_dir: Option<&Path>) -> Result<(Split, Split), DataError> {
    let search = dataset.search_dirs(data_dir);
    load_from(&dataset.source(), &search, dataset.cache_dir().as_deref())
}

/// [`load`] with everything spelled out: which files and mirrors (`source`),
/// where to look (`search`, in order), and where to download to
/// (`download_dir`, `None` for nowhere).
///
/// `source.files` lists training images, training labels, test images and
/// test labels, in this order (as [`Dataset::source`] does).
///
/// # Errors
///
/// As [`load`].
///
/// **Panics** if `source.files` does not hold four files.
///
/// ```
/// use scratchnet::data::{DataError, Dataset, load_from};
/// let mut source = Dataset::Mnist.source();
/// source.mirrors = vec!["http://127.0.0.1:1/".into()]; // a closed port: "offline"
/// let empty = std::env::temp_dir().join(format!("scratchnet-doc-load-{}", std::process::id()));
/// let err = load_from(&source, &[empty.clone()], Some(&empty)).unwrap_err();
/// assert!(matches!(err, DataError::Unavailable { .. }));
/// let message = err.to_string();
/// assert!(message.contains("t10k-labels-idx1-ubyte.gz")); // which files...
/// assert!(message.contains(&*empty.to_string_lossy())); // ...where...
/// assert!(message.contains("http://yann.lecun.com/exdb/mnist/")); // ...and from where
/// # std::fs::remove_dir_all(&empty).unwrap();
/// ```
pub fn load_from(
    source: &Source,
    search: &[PathBuf],
    download_dir: Option<&Path>,
) -> Result<(Split, Split), DataError> {
    assert_eq!(
        source.files.len(),
        4,
        "load_from: {} must list 4 files",
        source.name
    );
    let holds_all = |dir: &&PathBuf| source.files.iter().all(|f| dir.join(&f.name).is_file());
    let dir = match search.iter().find(holds_all) {
        Some(dir) => dir.clone(),
        None => fetch(source, search, download_dir)?,
    };

    // ANCHOR: verify
    let read = |i: usize| -> Result<(Idx, PathBuf), DataError> {
        let file = &source.files[i];
        let path = dir.join(&file.name);
        let idx = read_idx(&path)?;
        let found = idx.sha256();
        if !found.eq_ignore_ascii_case(&file.sha256) {
            let expected = file.sha256.clone();
            return Err(DataError::Checksum {
                path,
                expected,
                found,
            });
        }
        Ok((idx, path))
    };
    // ANCHOR_END: verify
    let split = |images: usize, labels: usize| -> Result<Split, DataError> {
        let ((images, images_path), (labels, labels_path)) = (read(images)?, read(labels)?);
        Split::from_idx(images, &images_path, labels, &labels_path)
    };
    Ok((split(0, 1)?, split(2, 3)?))
}

/// Downloads the missing files into `download_dir`; returns that directory.
fn fetch(
    source: &Source,
    search: &[PathBuf],
    download_dir: Option<&Path>,
) -> Result<PathBuf, DataError> {
    let mut searched = search.to_vec();
    if let Some(dir) = download_dir.filter(|d| !search.iter().any(|s| s == d)) {
        searched.push(dir.to_path_buf());
    }
    let unavailable = |download| DataError::Unavailable {
        dataset: Box::new(source.clone()),
        searched: searched.clone(),
        download,
    };
    let Some(dir) = download_dir else {
        return Err(unavailable(None));
    };
    #[cfg(not(feature = "download"))]
    {
        // Built without the `download` feature (the WebAssembly demos): files
        // already on disk only.
        let _ = dir;
        Err(unavailable(None))
    }
    #[cfg(feature = "download")]
    {
        eprintln!(
            "{} is not on this machine: downloading it into {}",
            source.name,
            dir.display()
        );
        match download_missing(source, dir) {
            Ok(_) => Ok(dir.to_path_buf()),
            Err(DataError::Download(failure)) => Err(unavailable(Some(failure))),
            Err(e) => Err(e),
        }
    }
}
