//! The IDX file format, in which MNIST and Fashion-MNIST are distributed.
//!
//! An IDX file is a header followed by raw numbers, nothing else:
//!
//! | bytes | meaning |
//! |---|---|
//! | 0–1 | two zero bytes |
//! | 2 | the type of each number: `0x08` is an unsigned byte (the one type this reader supports) |
//! | 3 | the number of dimensions, *d* (1 to 4 here) |
//! | 4 … 4 + 4*d* | each dimension's size, a big-endian `u32` |
//! | then | the numbers, row-major (the last dimension varies fastest) |
//!
//! MNIST's training images are `[60000, 28, 28]`: a 16-byte header, then
//! 47,040,000 pixel bytes. The labels are `[60000]`: an 8-byte header, then one
//! byte per image. The files are usually gzip-compressed (`.gz`); the reader
//! recognises gzip by its first two bytes, `1f 8b`, not by the file's name, so
//! a file that a mirror served uncompressed reads just as well.
//!
//! Since the header comes from outside, every number in it is checked before
//! it is used: the reader never allocates a buffer that the header sizes
//! without a limit ([`MAX_BYTES`]), and it insists that the data is exactly as
//! long as the header says — a truncated download and a file with trailing
//! garbage are both errors. A first dimension of 0 (a file of no items) is
//! valid; any other dimension of 0 (an image of width 0) is an error.

use std::fs::{self, File};
use std::io::{self, Cursor, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;
use sha2::{Digest, Sha256};

use super::DataError;

/// The most data bytes a file may announce: 1 GiB (MNIST's largest file holds 47 MB).
pub const MAX_BYTES: u64 = 1 << 30;

/// The type code of unsigned bytes, the one element type this reader supports.
pub const TYPE_U8: u8 = 0x08;

/// The first two bytes of every gzip file.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Buffers grow as data arrives beyond this size, so that a lying header
/// cannot make the reader reserve memory the file does not fill.
const PREALLOCATE_MAX: u64 = 64 << 20;

/// The content of an IDX file of unsigned bytes: its dimensions and its data.
///
/// `data.len()` is the product of `dims` for every `Idx` the reader returns.
///
/// ```
/// use scratchnet::data::Idx;
/// // Two 2×3 "images", written out and read back.
/// let idx = Idx { dims: vec![2, 2, 3], data: (0..12).collect() };
/// let bytes = idx.to_bytes();
/// assert_eq!(&bytes[..4], &[0, 0, 0x08, 3]); // zero, zero, type, number of dimensions
/// assert_eq!(Idx::parse(&bytes[..], "demo".as_ref())?, idx);
/// # Ok::<(), scratchnet::data::DataError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Idx {
    /// The size of each dimension, e.g. `[60000, 28, 28]`.
    pub dims: Vec<usize>,
    /// The numbers, row-major.
    pub data: Vec<u8>,
}

impl Idx {
    /// The header's bytes: magic, type, number of dimensions, dimensions.
    fn header(&self) -> Vec<u8> {
        let mut h = vec![0, 0, TYPE_U8, self.dims.len() as u8];
        for &d in &self.dims {
            h.extend_from_slice(&(d as u32).to_be_bytes());
        }
        h
    }

    /// The file's bytes (uncompressed): the header written from `dims`, then `data`.
    ///
    /// Nothing is checked, so a test can also write broken files, e.g. data
    /// shorter than the dimensions say.
    ///
    /// ```
    /// use scratchnet::data::Idx;
    /// let labels = Idx { dims: vec![3], data: vec![5, 0, 4] };
    /// assert_eq!(labels.to_bytes(), [0, 0, 8, 1, 0, 0, 0, 3, 5, 0, 4]);
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = self.header();
        bytes.extend_from_slice(&self.data);
        bytes
    }

    /// The SHA-256 of the file's uncompressed bytes, in lowercase hex.
    ///
    /// It identifies the content whatever the compression, so it is the
    /// checksum that the data layer verifies (mirrors may recompress a file).
    ///
    /// ```
    /// use scratchnet::data::Idx;
    /// let idx = Idx { dims: vec![1], data: vec![7] }; // the 9 bytes 0 0 8 1 0 0 0 1 7
    /// // The same as `sha256sum` prints for the file, compressed or not, after `gunzip`.
    /// assert_eq!(idx.sha256(), "c564aa0aa783b8862ae6128a973a6f6b213b9428d39b5c8acfbda3c630d40f1e");
    /// ```
    pub fn sha256(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.header());
        hasher.update(&self.data);
        hex(&hasher.finalize())
    }

    /// Reads an IDX file, plain or gzip-compressed, from any reader.
    ///
    /// `name` only labels the errors (a path, or a URL).
    ///
    /// # Errors
    ///
    /// [`DataError`] naming `name` when the bytes are not a valid IDX file of
    /// unsigned bytes: [`Empty`](DataError::Empty),
    /// [`TruncatedHeader`](DataError::TruncatedHeader), [`BadMagic`](DataError::BadMagic),
    /// [`UnsupportedType`](DataError::UnsupportedType),
    /// [`BadDimensionCount`](DataError::BadDimensionCount),
    /// [`ZeroDimension`](DataError::ZeroDimension), [`TooLarge`](DataError::TooLarge),
    /// [`Truncated`](DataError::Truncated), [`TrailingBytes`](DataError::TrailingBytes),
    /// [`Gzip`](DataError::Gzip), or [`Io`](DataError::Io) if the reader fails.
    ///
    /// ```
    /// use scratchnet::data::{DataError, Idx};
    /// // A header for 2×3 bytes, followed by only 5 of them.
    /// let short = [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5];
    /// let err = Idx::parse(&short[..], "short.idx".as_ref()).unwrap_err();
    /// assert!(matches!(err, DataError::Truncated { expected: 6, found: 5, .. }));
    /// assert_eq!(
    ///     err.to_string(),
    ///     "short.idx: the header says 2×3 = 6 bytes of data but the file holds 5"
    /// );
    /// ```
    pub fn parse(mut reader: impl Read, name: &Path) -> Result<Idx, DataError> {
        // Peek at the first two bytes, then put them back in front of the rest.
        let mut start = [0u8; 2];
        let n = read_up_to(&mut reader, &mut start).map_err(|e| io_error(name, e, false))?;
        if n == 0 {
            return Err(DataError::Empty { path: name.into() });
        }
        let whole = Cursor::new(start[..n].to_vec()).chain(reader);
        if start == GZIP_MAGIC {
            parse_content(MultiGzDecoder::new(whole), name, true)
        } else {
            parse_content(whole, name, false)
        }
    }
}

/// Reads the IDX file at `path`, plain or gzip-compressed (recognised by its
/// first bytes, whatever its name).
///
/// # Errors
///
/// [`NotFound`](DataError::NotFound), [`IsDirectory`](DataError::IsDirectory)
/// or [`Io`](DataError::Io) if the file cannot be read, and every error of
/// [`Idx::parse`] if it is not a valid IDX file.
///
/// ```
/// use scratchnet::data::{DataError, Idx, read_idx};
/// let dir = std::env::temp_dir().join(format!("scratchnet-doc-read-idx-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("labels-idx1-ubyte");
/// std::fs::write(&path, Idx { dims: vec![3], data: vec![5, 0, 4] }.to_bytes()).unwrap();
/// assert_eq!(read_idx(&path)?.data, [5, 0, 4]);
/// assert!(matches!(read_idx(&dir), Err(DataError::IsDirectory { .. })));
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), DataError>(())
/// ```
pub fn read_idx(path: &Path) -> Result<Idx, DataError> {
    let meta = fs::metadata(path).map_err(|e| io_error(path, e, false))?;
    if meta.is_dir() {
        return Err(DataError::IsDirectory { path: path.into() });
    }
    let file = File::open(path).map_err(|e| io_error(path, e, false))?;
    Idx::parse(file, path)
}

/// Parses the (decompressed) bytes: header, then exactly the announced data.
fn parse_content(mut r: impl Read, name: &Path, gz: bool) -> Result<Idx, DataError> {
    let path = || name.to_path_buf();
    let err = |e| io_error(name, e, gz);

    let mut magic = [0u8; 4];
    let got = read_up_to(&mut r, &mut magic).map_err(err)?;
    if got < 4 {
        return Err(DataError::TruncatedHeader {
            path: path(),
            needed: 4,
            found: got,
        });
    }
    if magic[..2] != [0, 0] {
        return Err(DataError::BadMagic {
            path: path(),
            found: magic,
        });
    }
    if magic[2] != TYPE_U8 {
        return Err(DataError::UnsupportedType {
            path: path(),
            code: magic[2],
        });
    }
    let ndims = magic[3];
    if !(1..=4).contains(&ndims) {
        return Err(DataError::BadDimensionCount {
            path: path(),
            ndims,
        });
    }

    // ANCHOR: dims
    let mut raw = vec![0u8; 4 * ndims as usize]; // at most 16 bytes
    let got = read_up_to(&mut r, &mut raw).map_err(err)?;
    if got < raw.len() {
        let (needed, found) = (4 + raw.len(), 4 + got);
        return Err(DataError::TruncatedHeader {
            path: path(),
            needed,
            found,
        });
    }
    let dims: Vec<usize> = raw
        .chunks_exact(4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .collect();
    // An empty set of items is a valid file; an item of size 0 is not.
    if dims[1..].contains(&0) {
        return Err(DataError::ZeroDimension { path: path(), dims });
    }
    // At most four u32 factors: the product fits a u128 exactly.
    let bytes: u128 = dims.iter().map(|&d| d as u128).product();
    if bytes > u128::from(MAX_BYTES) {
        return Err(DataError::TooLarge {
            path: path(),
            dims,
            bytes,
            limit: MAX_BYTES,
        });
    }
    let expected = bytes as u64;
    // ANCHOR_END: dims

    // ANCHOR: data
    // Read one byte more than announced: that is how trailing data shows.
    let mut data = Vec::with_capacity(expected.min(PREALLOCATE_MAX) as usize);
    r.by_ref()
        .take(expected + 1)
        .read_to_end(&mut data)
        .map_err(err)?;
    let found = data.len() as u64;
    if found < expected {
        return Err(DataError::Truncated {
            path: path(),
            dims,
            expected,
            found,
        });
    }
    if found > expected {
        // Count the rest without keeping it (and without reading forever).
        let rest = io::copy(&mut r.take(MAX_BYTES), &mut io::sink()).map_err(err)?;
        let found = found + rest;
        return Err(DataError::TrailingBytes {
            path: path(),
            dims,
            expected,
            found,
        });
    }
    // ANCHOR_END: data
    Ok(Idx { dims, data })
}

/// Fills `buf` as far as the reader goes; returns how many bytes it got
/// (fewer than `buf.len()` only at the end of the input).
fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Names an I/O error. Inside gzip data, the decompressor reports a damaged
/// or cut-off stream as invalid data or an unexpected end.
fn io_error(path: &Path, e: io::Error, gz: bool) -> DataError {
    let path = path.to_path_buf();
    match e.kind() {
        io::ErrorKind::NotFound => DataError::NotFound { path },
        io::ErrorKind::IsADirectory => DataError::IsDirectory { path },
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof
            if gz =>
        {
            DataError::Gzip { path, source: e }
        }
        _ => DataError::Io { path, source: e },
    }
}

/// Bytes as lowercase hex, two digits each.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
