//! Downloading a dataset's files: several mirrors, a checksum, nothing half-written.
//!
//! Public datasets move: a university page goes offline, a bucket is renamed.
//! So a [`Source`] lists several mirrors, and [`download`] tries them in turn
//! until one delivers the right file. "Right" means that the file parses as
//! IDX and that the SHA-256 of its *decompressed* content matches the known
//! one: a mirror may recompress a file (so the `.gz` bytes differ) but must
//! not change what is inside.
//!
//! A file is written under a temporary name in the destination directory and
//! renamed to its real name only once it is verified. A rename within one
//! directory is atomic, so the real name holds either nothing or the whole,
//! verified file; a failed or cut-off transfer deletes its temporary file.
//! (A process killed mid-transfer, by Ctrl-C say, cannot clean up: it may
//! leave a hidden `.NAME.PID-N.part` file, which is safe to delete.)
//!
//! A mirror that does not connect, or goes silent, for [`TIMEOUT`] is given
//! up; a slow but steady transfer is not, however long it takes.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use super::source::{Attempt, DownloadFailure, Problem, RemoteFile, Source};
use super::{DataError, Idx};

/// The most bytes accepted from one response: 256 MiB (MNIST's largest file, uncompressed, is 47 MB).
pub const MAX_DOWNLOAD: u64 = 256 << 20;

/// How long to wait for a connection, and then for each read, before giving up on a mirror.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// Downloads every file of `source` that `dir` does not hold yet; returns the paths written.
///
/// Stops at the first file that no mirror delivers.
///
/// # Errors
///
/// [`DataError::Download`] listing each mirror's answer, or
/// [`DataError::Io`] if `dir` cannot be created or written.
///
/// ```
/// use scratchnet::data::{DataError, Dataset, download::download_missing};
/// let dir = std::env::temp_dir().join(format!("scratchnet-doc-missing-{}", std::process::id()));
/// let mut source = Dataset::Mnist.source();
/// source.mirrors = vec!["http://127.0.0.1:1/".into()]; // port 1: nothing listens there
/// let err = download_missing(&source, &dir).unwrap_err();
/// let DataError::Download(failure) = &err else { panic!("{err}") };
/// assert_eq!(failure.file, "train-images-idx3-ubyte.gz");
/// assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0); // nothing left behind
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn download_missing(source: &Source, dir: &Path) -> Result<Vec<PathBuf>, DataError> {
    let mut written = Vec::new();
    for file in &source.files {
        if !dir.join(&file.name).is_file() {
            written.push(download(source, file, dir)?);
        }
    }
    Ok(written)
}

/// Downloads `file` into `dir`, trying each mirror of `source` in turn; returns its path.
///
/// The file appears in `dir` only once its content is verified; whatever
/// fails, no partial file is left behind.
///
/// # Errors
///
/// [`DataError::Download`] listing each mirror's answer when none delivered
/// the right file, or [`DataError::Io`] if `dir` cannot be created or written.
///
/// ```
/// use scratchnet::data::{DataError, Dataset, download::download};
/// let dir = std::env::temp_dir().join(format!("scratchnet-doc-download-{}", std::process::id()));
/// let mut source = Dataset::FashionMnist.source();
/// source.mirrors = vec!["http://127.0.0.1:1/".into(), "http://127.0.0.1:2/".into()];
/// let err = download(&source, &source.files[3], &dir).unwrap_err();
/// let DataError::Download(failure) = &err else { panic!("{err}") };
/// assert_eq!(failure.attempts.len(), 2); // both mirrors tried
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn download(source: &Source, file: &RemoteFile, dir: &Path) -> Result<PathBuf, DataError> {
    fs::create_dir_all(dir).map_err(|e| DataError::Io {
        path: dir.into(),
        source: e,
    })?;
    let dest = dir.join(&file.name);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_resolve(Some(TIMEOUT))
        .timeout_connect(Some(TIMEOUT))
        .timeout_recv_response(Some(TIMEOUT))
        .timeout_per_read(Some(TIMEOUT))
        .build()
        .into();
    let mut attempts = Vec::new();
    for mirror in 0..source.mirrors.len() {
        let url = source.url(mirror, file);
        match fetch(&agent, &url, file, &dest) {
            Ok(()) => return Ok(dest),
            Err(Failed::Local(e)) => return Err(e),
            Err(Failed::Mirror(problem)) => {
                if mirror + 1 < source.mirrors.len() {
                    eprintln!("{url}: {problem}; trying the next mirror");
                }
                attempts.push(Attempt { url, problem });
            }
        }
    }
    let (file, dir) = (file.name.clone(), dir.to_path_buf());
    Err(DataError::Download(DownloadFailure {
        file,
        dir,
        attempts,
    }))
}

/// Why one fetch failed: the mirror's fault (try the next) or ours (stop).
enum Failed {
    Mirror(Problem),
    Local(DataError),
}

// ANCHOR: fetch
/// Fetches `url` into a temporary file next to `dest`, verifies it, renames it to `dest`.
fn fetch(agent: &ureq::Agent, url: &str, file: &RemoteFile, dest: &Path) -> Result<(), Failed> {
    let response = agent.get(url).call().map_err(|e| match e {
        ureq::Error::StatusCode(code) => Failed::Mirror(Problem::Status(code)),
        other => Failed::Mirror(Problem::Connect(other.to_string())),
    })?;
    let length = response.body().content_length();
    let mut body = response
        .into_body()
        .into_with_config()
        .limit(MAX_DOWNLOAD)
        .reader();

    // Into a temporary file; `partial` deletes it on every early return.
    let partial = Partial::new(dest);
    let mut out = File::create(&partial.path).map_err(|e| partial.error(e))?;
    let bar = progress_bar(&file.name, length);
    let received = copy(&mut body, &mut out, &bar, &partial);
    bar.finish_and_clear();
    let received = received?;
    if let Some(length) = length.filter(|&l| l != received) {
        let e = format!("received {received} of {length} bytes");
        return Err(Failed::Mirror(Problem::Transfer(e)));
    }
    out.sync_all().map_err(|e| partial.error(e))?;
    drop(out); // closed before it is read, renamed or deleted

    // Verify what is inside, whatever the compression.
    let content = File::open(&partial.path).map_err(|e| partial.error(e))?;
    let idx = Idx::parse(content, Path::new("the file received"))
        .map_err(|e| Failed::Mirror(Problem::Invalid(Box::new(e))))?;
    let found = idx.sha256();
    if !found.eq_ignore_ascii_case(&file.sha256) {
        let expected = file.sha256.clone();
        return Err(Failed::Mirror(Problem::Checksum { expected, found }));
    }
    partial.persist(dest)
}
// ANCHOR_END: fetch

/// Copies the response body into `out`, moving the progress bar; returns the bytes copied.
fn copy(
    body: &mut impl Read,
    out: &mut File,
    bar: &ProgressBar,
    partial: &Partial,
) -> Result<u64, Failed> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut received = 0u64;
    loop {
        let n = match body.read(&mut buf) {
            Ok(0) => return Ok(received),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Failed::Mirror(Problem::Transfer(e.to_string()))),
        };
        out.write_all(&buf[..n]).map_err(|e| partial.error(e))?;
        received += n as u64;
        bar.set_position(received);
    }
}

/// The temporary name of a file being downloaded: the file there is deleted
/// when this is dropped, unless [`persist`](Partial::persist) renamed it.
struct Partial {
    path: PathBuf,
    done: bool,
}

impl Partial {
    /// `.NAME.PID-N.part` in `dest`'s directory: unique per process and call.
    fn new(dest: &Path) -> Partial {
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let name = dest.file_name().unwrap_or_default().to_string_lossy();
        let n = COUNT.fetch_add(1, Ordering::Relaxed);
        let path = dest.with_file_name(format!(".{name}.{}-{n}.part", std::process::id()));
        Partial { path, done: false }
    }

    /// A local I/O error about the temporary file: ours, not the mirror's.
    fn error(&self, e: std::io::Error) -> Failed {
        let path = self.path.clone();
        Failed::Local(DataError::Io { path, source: e })
    }

    /// Renames the finished file to `dest`: atomic within one directory.
    fn persist(mut self, dest: &Path) -> Result<(), Failed> {
        fs::rename(&self.path, dest).map_err(|e| self.error(e))?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.path); // best effort: we are already failing
        }
    }
}

/// A progress bar on stderr (drawn only when stderr is a terminal).
fn progress_bar(name: &str, length: Option<u64>) -> ProgressBar {
    let (bar, template) = match length {
        Some(len) => (
            ProgressBar::new(len),
            "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        ),
        None => (
            ProgressBar::no_length(),
            "{msg} {spinner} {bytes} {bytes_per_sec}",
        ),
    };
    let style =
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.with_style(style.progress_chars("=> "))
        .with_message(name.to_string())
}
