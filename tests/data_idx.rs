//! The IDX reader and `Split` on small generated files: round trips, and every
//! kind of bad input giving its own error, naming the file, without a panic.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::{Compression, write::GzEncoder};
use scratchnet::data::{DataError, Idx, Split, read_idx};

/// A fresh, empty directory for one test.
fn scratch_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scratchnet-idx-{test}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// Writes `bytes` to `dir/name` and reads it back.
fn read_bytes(dir: &Path, name: &str, bytes: &[u8]) -> (PathBuf, Result<Idx, DataError>) {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    let result = read_idx(&path);
    (path, result)
}

fn images(n: usize) -> Idx {
    let data = (0..n * 784).map(|i| (i * 7 % 256) as u8).collect();
    Idx {
        dims: vec![n, 28, 28],
        data,
    }
}

#[test]
fn files_round_trip_plain_and_gzip_whatever_their_names() {
    let dir = scratch_dir("round-trip");
    let idx = images(3);
    let labels = Idx {
        dims: vec![3],
        data: vec![5, 0, 4],
    };
    for (name, bytes) in [
        ("images-idx3-ubyte", idx.to_bytes()),
        ("images-idx3-ubyte.gz", gzip(&idx.to_bytes())),
        // Detected by content, not by name: a misnamed file reads as well.
        ("plain-but-named.gz", idx.to_bytes()),
        ("gzip-but-named.idx", gzip(&idx.to_bytes())),
    ] {
        let (_, read) = read_bytes(&dir, name, &bytes);
        assert_eq!(read.unwrap(), idx, "{name}");
    }
    let (_, read) = read_bytes(&dir, "labels.gz", &gzip(&labels.to_bytes()));
    assert_eq!(read.unwrap(), labels);
    // Four dimensions, the most the reader accepts.
    let four = Idx {
        dims: vec![2, 1, 3, 2],
        data: (0..12).collect(),
    };
    assert_eq!(read_bytes(&dir, "four", &four.to_bytes()).1.unwrap(), four);
    // An empty set of items is a valid file.
    let none = Idx {
        dims: vec![0, 28, 28],
        data: vec![],
    };
    assert_eq!(
        read_bytes(&dir, "none.gz", &gzip(&none.to_bytes()))
            .1
            .unwrap(),
        none
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// A header with arbitrary magic bytes and dimensions.
fn header(magic: [u8; 4], dims: &[u32]) -> Vec<u8> {
    let mut h = magic.to_vec();
    dims.iter()
        .for_each(|d| h.extend_from_slice(&d.to_be_bytes()));
    h
}

#[test]
fn every_bad_input_has_its_error_and_names_the_file() {
    let dir = scratch_dir("bad");
    let with_data = |mut h: Vec<u8>, n: usize| {
        h.extend(std::iter::repeat_n(1u8, n));
        h
    };
    type Check = fn(&DataError) -> bool;
    let cases: Vec<(&str, Vec<u8>, Check, &str)> = vec![
        (
            "empty",
            vec![],
            |e| matches!(e, DataError::Empty { .. }),
            "empty (0 bytes)",
        ),
        (
            "short-magic",
            vec![0, 0, 8],
            |e| {
                matches!(
                    e,
                    DataError::TruncatedHeader {
                        needed: 4,
                        found: 3,
                        ..
                    }
                )
            },
            "ends after 3 bytes, inside the 4-byte IDX header",
        ),
        (
            "html",
            b"<html>Not Found</html>".to_vec(),
            |e| {
                matches!(
                    e,
                    DataError::BadMagic {
                        found: [b'<', b'h', b't', b'm'],
                        ..
                    }
                )
            },
            "not an IDX file",
        ),
        (
            "float",
            with_data(header([0, 0, 0x0d, 1], &[2]), 8),
            |e| matches!(e, DataError::UnsupportedType { code: 0x0d, .. }),
            "type code is 0x0d (32-bit float); this reader supports only 0x08",
        ),
        (
            "no-dims",
            header([0, 0, 8, 0], &[]),
            |e| matches!(e, DataError::BadDimensionCount { ndims: 0, .. }),
            "declares 0 dimensions",
        ),
        (
            "five-dims",
            with_data(header([0, 0, 8, 5], &[1, 1, 1, 1, 1]), 1),
            |e| matches!(e, DataError::BadDimensionCount { ndims: 5, .. }),
            "declares 5 dimensions; this reader supports 1 to 4",
        ),
        (
            "short-dims",
            header([0, 0, 8, 3], &[2]),
            |e| {
                matches!(
                    e,
                    DataError::TruncatedHeader {
                        needed: 16,
                        found: 8,
                        ..
                    }
                )
            },
            "ends after 8 bytes, inside the 16-byte IDX header",
        ),
        (
            "zero-width",
            header([0, 0, 8, 3], &[2, 28, 0]),
            |e| matches!(e, DataError::ZeroDimension { .. }),
            "says 2×28×0, but only the first dimension",
        ),
        (
            "gigabytes",
            header([0, 0, 8, 3], &[60_000, 1000, 1000]),
            |e| {
                matches!(
                    e,
                    DataError::TooLarge {
                        bytes: 60_000_000_000,
                        ..
                    }
                )
            },
            "60000×1000×1000 = 60000000000 bytes of data, over the limit of 1073741824 bytes",
        ),
        (
            "overflow",
            header([0, 0, 8, 4], &[u32::MAX; 4]),
            |e| matches!(e, DataError::TooLarge { .. }),
            "over the limit",
        ),
        (
            "truncated",
            with_data(header([0, 0, 8, 2], &[2, 3]), 5),
            |e| {
                matches!(
                    e,
                    DataError::Truncated {
                        expected: 6,
                        found: 5,
                        ..
                    }
                )
            },
            "the header says 2×3 = 6 bytes of data but the file holds 5",
        ),
        (
            "trailing",
            with_data(header([0, 0, 8, 2], &[2, 3]), 8),
            |e| {
                matches!(
                    e,
                    DataError::TrailingBytes {
                        expected: 6,
                        found: 8,
                        ..
                    }
                )
            },
            "the header says 2×3 = 6 bytes of data but the file holds 8 (2 bytes too many)",
        ),
    ];
    for (name, bytes, is_expected, words) in cases {
        // The same problem, plain and inside gzip.
        for (file, bytes) in [
            (name.to_string(), bytes.clone()),
            (format!("{name}.gz"), gzip(&bytes)),
        ] {
            let (path, result) = read_bytes(&dir, &file, &bytes);
            let err = result.expect_err(&file);
            let message = err.to_string();
            if file == "empty.gz" {
                // gzip of nothing: the file is not empty, its content is.
                let content_empty = matches!(err, DataError::TruncatedHeader { found: 0, .. });
                assert!(content_empty, "{err:?}");
            } else {
                assert!(is_expected(&err), "{file}: {err:?}");
                assert!(message.contains(words), "{file}: {message}");
            }
            assert!(
                message.starts_with(&format!("{}: ", path.display())),
                "{message}"
            );
        }
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_truncated_test_set_is_described_in_plain_words() {
    let dir = scratch_dir("t10k");
    let mut bytes = header([0, 0, 8, 3], &[10_000, 28, 28]);
    bytes.resize(16 + 7_839_000, 0);
    let (path, result) = read_bytes(&dir, "t10k-images-idx3-ubyte.gz", &gzip(&bytes));
    assert_eq!(
        result.unwrap_err().to_string(),
        format!(
            "{}: the header says 10000×28×28 = 7840000 bytes of data but the file holds 7839000",
            path.display()
        )
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn damaged_gzip_is_reported_as_such() {
    let dir = scratch_dir("gzip");
    let good = gzip(&images(4).to_bytes());
    // Cut off in the middle of the compressed stream.
    let (path, result) = read_bytes(&dir, "cut.gz", &good[..good.len() / 2]);
    let err = result.unwrap_err();
    assert!(matches!(err, DataError::Gzip { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with(&format!("{}: damaged gzip data", path.display()))
    );
    // A wrong CRC in the trailer: the data decompresses, the check fails.
    let mut bad_crc = good.clone();
    let crc = bad_crc.len() - 8;
    bad_crc[crc] ^= 0xff;
    let err = read_bytes(&dir, "crc.gz", &bad_crc).1.unwrap_err();
    assert!(matches!(err, DataError::Gzip { .. }), "{err:?}");
    // Garbage in the middle of the deflate stream.
    let mut garbled = good.clone();
    for b in &mut garbled[20..60] {
        *b = 0xff;
    }
    let err = read_bytes(&dir, "garbled.gz", &garbled).1.unwrap_err();
    assert!(matches!(err, DataError::Gzip { .. }), "{err:?}");
    // Only the gzip magic.
    let err = read_bytes(&dir, "magic-only.gz", &[0x1f, 0x8b])
        .1
        .unwrap_err();
    assert!(matches!(err, DataError::Gzip { .. }), "{err:?}");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_directory_or_a_missing_file_is_an_error_not_a_panic() {
    let dir = scratch_dir("not-a-file");
    let err = read_idx(&dir).unwrap_err();
    assert!(matches!(err, DataError::IsDirectory { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("{}: is a directory, not a file", dir.display())
    );
    let missing = dir.join("train-images-idx3-ubyte.gz");
    let err = read_idx(&missing).unwrap_err();
    assert!(matches!(err, DataError::NotFound { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("{}: no such file", missing.display())
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_split_checks_shapes_counts_and_labels() {
    let dir = scratch_dir("split");
    let write = |name: &str, idx: Idx| {
        let path = dir.join(name);
        fs::write(&path, gzip(&idx.to_bytes())).unwrap();
        path
    };
    let images3 = write("images3.gz", images(3));
    let labels3 = write(
        "labels3.gz",
        Idx {
            dims: vec![3],
            data: vec![9, 0, 1],
        },
    );
    let split = Split::read(&images3, &labels3).unwrap();
    assert_eq!((split.len(), split.labels()), (3, &[9, 0, 1][..]));
    let x = split.images_f::<f64>();
    assert_eq!(x.shape(), &[3, 784]);
    assert!(x.iter().all(|&p| (0.0..=1.0).contains(&p)));
    assert_eq!(x[[0, 1]], 7.0 / 255.0); // pixel (0, 1) of image 0, row-major
    assert_eq!(x[[1, 0]], f64::from((784 * 7 % 256) as u8) / 255.0); // first pixel of image 1

    let labels2 = write(
        "labels2.gz",
        Idx {
            dims: vec![2],
            data: vec![1, 2],
        },
    );
    let err = Split::read(&images3, &labels2).unwrap_err();
    assert!(matches!(
        err,
        DataError::CountMismatch {
            n_images: 3,
            n_labels: 2,
            ..
        }
    ));
    assert!(
        err.to_string().ends_with("labels2.gz holds 2 labels"),
        "{err}"
    );

    let bad = write(
        "bad-labels.gz",
        Idx {
            dims: vec![3],
            data: vec![1, 10, 2],
        },
    );
    let err = Split::read(&images3, &bad).unwrap_err();
    assert!(
        matches!(
            err,
            DataError::BadLabel {
                index: 1,
                label: 10,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("label 10 at position 1 is not a class from 0 to 9")
    );

    let flat = write(
        "flat.gz",
        Idx {
            dims: vec![3, 784],
            data: images(3).data,
        },
    );
    let err = Split::read(&flat, &labels3).unwrap_err();
    assert!(matches!(err, DataError::WrongShape { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("expected images [n, rows, cols], but the header says 3×784")
    );
    let err = Split::read(&images3, &images3).unwrap_err();
    assert!(matches!(err, DataError::WrongShape { .. }), "{err:?}");
    fs::remove_dir_all(&dir).unwrap();
}
