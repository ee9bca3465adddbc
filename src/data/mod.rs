//! Data: reading MNIST's files, finding them, downloading them (Chapter 5).
//!
//! Until Chapter 4 every dataset was made up by a few lines of code. Chapter 5
//! trains on MNIST, 70,000 real handwritten digits, which come as files from
//! the internet. This module turns those files into tensors:
//!
//! | module | what it does |
//! |---|---|
//! | [`idx`] | reads the IDX format (plain or gzip), checking every number in the header |
//! | [`split`] | a [`Split`]: images and labels, checked, and as a tensor |
//! | [`mnist`] | MNIST and Fashion-MNIST: their files, mirrors, checksums and directories |
//! | [`source`] | what to download ([`Source`]) and what went wrong |
//! | [`download`] | fetches missing files from mirrors, verifies them, writes them atomically |
//! | [`loader`] | puts them together: [`load`] a dataset from wherever it is |
//! | [`digit`] | your own handwritten digit: read from a PNG, prepared as MNIST's were |
//!
//! Data from outside is never trusted: a wrong, truncated or damaged file is
//! a [`DataError`] that names the file and the problem, never a panic.
//!
//! ```
//! use scratchnet::data::{Idx, Split};
//! let dir = std::env::temp_dir().join(format!("scratchnet-doc-data-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! // Three 28×28 images and their labels, in MNIST's format.
//! let images = Idx { dims: vec![3, 28, 28], data: vec![255; 3 * 784] };
//! let labels = Idx { dims: vec![3], data: vec![5, 0, 4] };
//! std::fs::write(dir.join("images"), images.to_bytes()).unwrap();
//! std::fs::write(dir.join("labels"), labels.to_bytes()).unwrap();
//! let split = Split::read(&dir.join("images"), &dir.join("labels"))?;
//! let x = split.images_f::<f32>(); // what a network takes: [n, 784] in [0, 1]
//! assert_eq!((x.shape(), x[[2, 783]]), (&[3, 784][..], 1.0));
//! assert_eq!(split.labels_usize(), [5, 0, 4]);
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), scratchnet::data::DataError>(())
//! ```

pub mod digit;
#[cfg(feature = "download")]
pub mod download;
mod error;
pub mod idx;
pub mod loader;
pub mod mnist;
pub mod source;
pub mod split;

pub use error::DataError;
pub use idx::{Idx, read_idx};
pub use loader::{load, load_from};
pub use mnist::Dataset;
pub use source::Source;
pub use split::Split;
