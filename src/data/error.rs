//! Everything that can go wrong with a data file, said in plain words.
//!
//! A data file comes from outside the program: from a disk, a download, a
//! colleague. So the data layer never panics on what it reads. It returns a
//! [`DataError`] whose message names the file and the problem, e.g.
//!
//! ```text
//! t10k-images-idx3-ubyte.gz: the header says 10000×28×28 = 7840000 bytes of data but the file holds 7839000
//! ```

use std::io;
use std::path::PathBuf;

use thiserror::Error;

use super::source::{DownloadFailure, Source};

/// An error of the data layer: the file it concerns and what is wrong with it.
///
/// Match on the variant to react to one kind of problem; print it (`{}`) to
/// tell a person. Every variant that concerns one file starts its message with
/// that file's path.
///
/// ```
/// use scratchnet::data::{DataError, read_idx};
/// let err = read_idx("no/such/file.gz".as_ref()).unwrap_err();
/// assert!(matches!(err, DataError::NotFound { .. }));
/// assert_eq!(err.to_string(), "no/such/file.gz: no such file");
/// ```
#[derive(Debug, Error)]
pub enum DataError {
    /// The file does not exist.
    #[error("{}: no such file", path.display())]
    NotFound {
        /// The missing file.
        path: PathBuf,
    },
    /// The path names a directory where a file was expected.
    #[error("{}: is a directory, not a file", path.display())]
    IsDirectory {
        /// The directory.
        path: PathBuf,
    },
    /// Reading, writing or creating a file failed (permissions, a full disk...).
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The file has no bytes at all.
    #[error("{}: the file is empty (0 bytes)", path.display())]
    Empty {
        /// The empty file.
        path: PathBuf,
    },
    /// The file ends before its header does.
    #[error("{}: the file ends after {found} bytes, inside the {needed}-byte IDX header", path.display())]
    TruncatedHeader {
        /// The file.
        path: PathBuf,
        /// How long the header is (4 bytes, then 4 per dimension).
        needed: usize,
        /// How many bytes the file holds.
        found: usize,
    },
    /// The file does not start as an IDX file does (two zero bytes).
    #[error("{}: not an IDX file: it starts with {found:02x?}, where an IDX file starts with two zero bytes", path.display())]
    BadMagic {
        /// The file.
        path: PathBuf,
        /// Its first four bytes.
        found: [u8; 4],
    },
    /// The header's type code is not 0x08 (unsigned bytes), the one type this reader supports.
    #[error("{}: the header's type code is 0x{code:02x} ({}); this reader supports only 0x08 (unsigned bytes)", path.display(), type_name(*code))]
    UnsupportedType {
        /// The file.
        path: PathBuf,
        /// The type code found (third byte of the file).
        code: u8,
    },
    /// The header declares 0 dimensions, or more than 4.
    #[error("{}: the header declares {ndims} dimensions; this reader supports 1 to 4", path.display())]
    BadDimensionCount {
        /// The file.
        path: PathBuf,
        /// The number of dimensions found (fourth byte of the file).
        ndims: u8,
    },
    /// A dimension other than the first (the number of items) is 0.
    #[error("{}: the header says {}, but only the first dimension (the number of items) may be 0", path.display(), dims_text(dims))]
    ZeroDimension {
        /// The file.
        path: PathBuf,
        /// The dimensions in the header.
        dims: Vec<usize>,
    },
    /// The header announces more data than the reader accepts.
    #[error("{}: the header says {} = {bytes} bytes of data, over the limit of {limit} bytes", path.display(), dims_text(dims))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The dimensions in the header.
        dims: Vec<usize>,
        /// Their product (exact: it cannot overflow a `u128`).
        bytes: u128,
        /// The limit, [`MAX_BYTES`](super::idx::MAX_BYTES).
        limit: u64,
    },
    /// The file ends before the data the header announces.
    #[error("{}: the header says {} = {expected} bytes of data but the file holds {found}", path.display(), dims_text(dims))]
    Truncated {
        /// The file.
        path: PathBuf,
        /// The dimensions in the header.
        dims: Vec<usize>,
        /// The bytes of data the header announces.
        expected: u64,
        /// The bytes of data the file holds.
        found: u64,
    },
    /// The file goes on after the data the header announces.
    #[error("{}: the header says {} = {expected} bytes of data but the file holds {found} ({} bytes too many)", path.display(), dims_text(dims), found - expected)]
    TrailingBytes {
        /// The file.
        path: PathBuf,
        /// The dimensions in the header.
        dims: Vec<usize>,
        /// The bytes of data the header announces.
        expected: u64,
        /// The bytes of data the file holds.
        found: u64,
    },
    /// The file starts as a gzip file does, but does not decompress.
    #[error("{}: damaged gzip data: {source}", path.display())]
    Gzip {
        /// The file.
        path: PathBuf,
        /// What the decompressor said.
        source: io::Error,
    },
    /// A valid IDX file, but not of the shape its role needs (e.g. labels with two dimensions).
    #[error("{}: expected {expected}, but the header says {}", path.display(), dims_text(dims))]
    WrongShape {
        /// The file.
        path: PathBuf,
        /// What was expected, in words.
        expected: &'static str,
        /// The dimensions in the header.
        dims: Vec<usize>,
    },
    /// A label that is not one of the 10 classes.
    #[error("{}: label {label} at position {index} is not a class from 0 to 9", path.display())]
    BadLabel {
        /// The labels file.
        path: PathBuf,
        /// The label's position (0-based).
        index: usize,
        /// The label found.
        label: u8,
    },
    /// The images and labels of one split do not pair up.
    #[error("{} holds {n_images} images but {} holds {n_labels} labels", images.display(), labels.display())]
    CountMismatch {
        /// The images file.
        images: PathBuf,
        /// The labels file.
        labels: PathBuf,
        /// Number of images.
        n_images: usize,
        /// Number of labels.
        n_labels: usize,
    },
    /// A file's content is not the one expected: another dataset's, or damaged.
    #[error("{}: the content's SHA-256 is {found}, expected {expected} (a file of another dataset, or a damaged one: replace it, or delete it to download it again)", path.display())]
    Checksum {
        /// The file.
        path: PathBuf,
        /// The SHA-256 of the expected (decompressed) content.
        expected: String,
        /// The SHA-256 of what the file holds.
        found: String,
    },
    /// Every mirror failed for one file; the message lists each answer.
    #[error("{0}")]
    Download(DownloadFailure),
    /// A dataset is in none of the directories searched and could not be downloaded.
    #[error("{}", unavailable_text(dataset, searched, download))]
    Unavailable {
        /// The dataset: its name, homepage, directory name and files.
        dataset: Box<Source>,
        /// The directories searched, in order.
        searched: Vec<PathBuf>,
        /// The failed download, or `None` if no download directory was known.
        download: Option<DownloadFailure>,
    },
}

/// Dimensions as a person writes them: `10000×28×28`.
pub(crate) fn dims_text(dims: &[usize]) -> String {
    let parts: Vec<String> = dims.iter().map(ToString::to_string).collect();
    parts.join("×")
}

/// The IDX format's name for a type code.
fn type_name(code: u8) -> &'static str {
    match code {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0b => "16-bit integer",
        0x0c => "32-bit integer",
        0x0d => "32-bit float",
        0x0e => "64-bit float",
        _ => "not an IDX type",
    }
}

/// The message of [`DataError::Unavailable`]: what is missing, where it was
/// looked for, what the download answered, and how to fix it by hand.
fn unavailable_text(
    source: &Source,
    searched: &[PathBuf],
    download: &Option<DownloadFailure>,
) -> String {
    let mut s = format!("{} is not on this machine", source.name);
    match download {
        Some(failure) => s += &format!(", and downloading it failed: {failure}\n"),
        None => s += ", and no directory to download it into is known (no cache directory).\n",
    }
    s += &format!("Put these {} files:\n", source.files.len());
    for f in &source.files {
        s += &format!("  {}\n", f.name);
    }
    s += "into one of these directories (searched in this order):\n";
    for d in searched {
        s += &format!("  {}\n", d.display());
    }
    s += &format!(
        "Get them from {}. Or pass a directory that holds them (--data-dir DIR), or set \
         SCRATCHNET_DATA=DIR to search DIR/{}.",
        source.homepage, source.dir_name
    );
    s
}
