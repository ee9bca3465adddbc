//! What to download, and what went wrong: the data that the downloader works from.
//!
//! A [`Source`] says where a dataset's files are (several mirrors) and what
//! each must contain (the SHA-256 of its decompressed content). When no mirror
//! delivers a file, a [`DownloadFailure`] keeps every mirror's answer, so that
//! the final error message can say exactly what happened.

use std::fmt;
use std::path::PathBuf;

use super::DataError;

/// Where a dataset's files come from, and what they must contain.
///
/// [`Dataset::source`](super::Dataset::source) gives the real ones; a test
/// builds its own, pointing at a server on `127.0.0.1`.
///
/// ```
/// use scratchnet::data::Dataset;
/// let source = Dataset::Mnist.source();
/// assert_eq!(source.files.len(), 4);
/// assert!(source.mirrors.len() >= 2);
/// assert_eq!(source.url(0, &source.files[0]), format!("{}train-images-idx3-ubyte.gz", source.mirrors[0]));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The dataset's name in messages, e.g. `"MNIST"`.
    pub name: String,
    /// Its directory's name under a data or cache directory, e.g. `"mnist"`.
    pub dir_name: String,
    /// The page where people download it by hand.
    pub homepage: String,
    /// Base URLs, tried in order; a file's URL is the base followed by its name.
    pub mirrors: Vec<String>,
    /// The files, each with the SHA-256 of its decompressed content.
    pub files: Vec<RemoteFile>,
}

/// A file to download and the SHA-256 of its decompressed content (lowercase hex).
///
/// ```
/// use scratchnet::data::Dataset;
/// let labels = &Dataset::Mnist.source().files[1];
/// assert_eq!(labels.name, "train-labels-idx1-ubyte.gz");
/// assert_eq!(labels.sha256.len(), 64);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteFile {
    /// The file's name, on the mirrors and on disk.
    pub name: String,
    /// SHA-256 of the decompressed content, lowercase hex.
    pub sha256: String,
}

impl Source {
    /// The URL of `file` on mirror number `mirror`.
    ///
    /// **Panics** if there is no mirror number `mirror`.
    ///
    /// ```
    /// use scratchnet::data::source::{RemoteFile, Source};
    /// let file = RemoteFile { name: "a.gz".into(), sha256: String::new() };
    /// let source = Source {
    ///     name: "Demo".into(), dir_name: "demo".into(), homepage: String::new(),
    ///     mirrors: vec!["http://127.0.0.1:8000/data".into()], files: vec![file.clone()],
    /// };
    /// assert_eq!(source.url(0, &file), "http://127.0.0.1:8000/data/a.gz");
    /// ```
    pub fn url(&self, mirror: usize, file: &RemoteFile) -> String {
        format!(
            "{}/{}",
            self.mirrors[mirror].trim_end_matches('/'),
            file.name
        )
    }
}

/// What one mirror answered when asked for one file.
///
/// ```
/// use scratchnet::data::source::{Attempt, Problem};
/// let a = Attempt { url: "http://127.0.0.1:1/x.gz".into(), problem: Problem::Status(404) };
/// assert_eq!(a.to_string(), "http://127.0.0.1:1/x.gz: the server answered HTTP 404");
/// ```
#[derive(Debug)]
pub struct Attempt {
    /// The URL asked.
    pub url: String,
    /// What went wrong.
    pub problem: Problem,
}

/// Why a mirror did not deliver a file.
///
/// ```
/// use scratchnet::data::source::Problem;
/// let p = Problem::Checksum { expected: "ab".into(), found: "cd".into() };
/// assert_eq!(p.to_string(), "wrong content: its SHA-256 is cd, expected ab");
/// ```
#[derive(Debug)]
pub enum Problem {
    /// No answer: the host is unknown, refuses the connection, or is too slow.
    Connect(String),
    /// An answer other than success, e.g. 404.
    Status(u16),
    /// The transfer broke off, or sent more than [`MAX_DOWNLOAD`](super::download::MAX_DOWNLOAD) bytes.
    Transfer(String),
    /// What arrived is not a valid IDX file (its error calls it "the file received").
    Invalid(Box<DataError>),
    /// What arrived is a valid IDX file, but not the expected one.
    Checksum {
        /// The SHA-256 expected.
        expected: String,
        /// The SHA-256 of what arrived.
        found: String,
    },
}

impl fmt::Display for Attempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.url, self.problem)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Connect(e) => write!(f, "no answer: {e}"),
            Problem::Status(code) => write!(f, "the server answered HTTP {code}"),
            Problem::Transfer(e) => write!(f, "the transfer failed: {e}"),
            Problem::Invalid(e) => write!(f, "{e}"),
            Problem::Checksum { expected, found } => {
                write!(
                    f,
                    "wrong content: its SHA-256 is {found}, expected {expected}"
                )
            }
        }
    }
}

/// Every mirror failed to deliver `file`: what each one answered.
///
/// ```
/// use scratchnet::data::source::{Attempt, DownloadFailure, Problem};
/// let failure = DownloadFailure {
///     file: "x.gz".into(),
///     dir: "/tmp/data".into(),
///     attempts: vec![Attempt { url: "http://127.0.0.1:1/x.gz".into(), problem: Problem::Status(404) }],
/// };
/// assert!(failure.to_string().contains("x.gz into /tmp/data"));
/// assert!(failure.to_string().ends_with("\n  http://127.0.0.1:1/x.gz: the server answered HTTP 404"));
/// ```
#[derive(Debug)]
pub struct DownloadFailure {
    /// The file's name.
    pub file: String,
    /// The directory it was to be written into.
    pub dir: PathBuf,
    /// One attempt per mirror, in order.
    pub attempts: Vec<Attempt>,
}

impl fmt::Display for DownloadFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not download {} into {}",
            self.file,
            self.dir.display()
        )?;
        if self.attempts.is_empty() {
            return write!(f, ": no mirror is known");
        }
        write!(f, "; every mirror failed:")?;
        for a in &self.attempts {
            write!(f, "\n  {a}")?;
        }
        Ok(())
    }
}
