//! Property tests of the IDX reader (issue: reliability): whatever bytes a
//! file holds — random, a valid file cut short, a valid file with bytes
//! changed, gzip streams corrupted — `Idx::parse` returns a value or a typed
//! error, never panics, and never returns data that disagrees with its header.
//!
//! The test command runs 256 cases per property (proptest's default). A longer
//! run: `PROPTEST_CASES=200000 cargo test --release --test data_idx_properties`;
//! what it found is recorded in `records/reliability/idx-properties.md`.

use std::io::Write;
use std::path::Path;

use flate2::{Compression, write::GzEncoder};
use proptest::prelude::*;
use scratchnet::data::{DataError, Idx};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn parse(bytes: &[u8]) -> Result<Idx, DataError> {
    Idx::parse(bytes, Path::new("prop.idx"))
}

/// A valid IDX file of bytes: 1 to 3 dimensions of 1 to 6 each.
fn valid_idx() -> impl Strategy<Value = Idx> {
    prop::collection::vec(1usize..=6, 1..=3).prop_flat_map(|dims| {
        let n = dims.iter().product::<usize>();
        prop::collection::vec(any::<u8>(), n).prop_map(move |data| Idx {
            dims: dims.clone(),
            data,
        })
    })
}

/// What every successful parse must satisfy.
fn consistent(idx: &Idx) -> Result<(), TestCaseError> {
    prop_assert!(!idx.dims.is_empty() && idx.dims.iter().all(|&d| d > 0));
    prop_assert_eq!(idx.dims.iter().product::<usize>(), idx.data.len());
    Ok(())
}

/// Every error names the file it is about.
fn names_the_file(err: &DataError) -> Result<(), TestCaseError> {
    prop_assert!(err.to_string().contains("prop.idx"), "{}", err);
    Ok(())
}

proptest! {
    #[test]
    fn random_bytes_parse_or_fail_cleanly(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        match parse(&bytes) {
            Ok(idx) => {
                consistent(&idx)?;
                prop_assert_eq!(idx.to_bytes(), bytes); // all bytes accounted for
            }
            Err(e) => names_the_file(&e)?,
        }
    }

    #[test]
    fn random_bytes_after_an_idx_header_parse_or_fail_cleanly(
        ndims in 0u8..5,
        dims in prop::collection::vec(any::<u32>(), 4),
        rest in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        // A plausible header with arbitrary dimensions (up to 4 × 2³² − 1):
        // the reader must refuse gigantic claims before allocating for them.
        let mut bytes = vec![0, 0, 8, ndims];
        for d in dims.iter().take(ndims as usize) {
            bytes.extend_from_slice(&d.to_be_bytes());
        }
        bytes.extend_from_slice(&rest);
        match parse(&bytes) {
            Ok(idx) => consistent(&idx)?,
            Err(e) => names_the_file(&e)?,
        }
    }

    #[test]
    fn a_valid_file_round_trips_plain_and_gzipped(idx in valid_idx()) {
        prop_assert_eq!(parse(&idx.to_bytes())?, idx.clone());
        prop_assert_eq!(parse(&gzip(&idx.to_bytes()))?, idx);
    }

    #[test]
    fn a_file_cut_short_is_an_error(idx in valid_idx(), cut in any::<prop::sample::Index>()) {
        let bytes = idx.to_bytes();
        let keep = cut.index(bytes.len()); // 0 ..= len − 1 bytes
        let err = parse(&bytes[..keep]).unwrap_err();
        names_the_file(&err)?;
        prop_assert!(
            matches!(err, DataError::Empty { .. } | DataError::TruncatedHeader { .. } | DataError::Truncated { .. }),
            "{:?}", err
        );
        // Cut short inside a gzip stream: an error too (never a shorter "valid" file).
        let zipped = gzip(&bytes);
        let keep = cut.index(zipped.len());
        prop_assert!(parse(&zipped[..keep]).is_err());
    }

    #[test]
    fn a_changed_byte_gives_the_change_or_an_error(
        idx in valid_idx(),
        at in any::<prop::sample::Index>(),
        xor in 1u8..=255,
    ) {
        let mut bytes = idx.to_bytes();
        let i = at.index(bytes.len());
        bytes[i] ^= xor;
        match parse(&bytes) {
            // A data byte changed, or a header change that still describes the same bytes.
            Ok(read) => {
                consistent(&read)?;
                prop_assert_eq!(read.to_bytes(), bytes);
            }
            Err(e) => names_the_file(&e)?,
        }
    }

    #[test]
    fn a_corrupted_gzip_stream_never_yields_other_data(
        idx in valid_idx(),
        at in any::<prop::sample::Index>(),
        xor in 1u8..=255,
    ) {
        let mut zipped = gzip(&idx.to_bytes());
        let i = at.index(zipped.len());
        zipped[i] ^= xor;
        match parse(&zipped) {
            // Gzip's header has fields (time, OS, flags) whose change is harmless;
            // a change anywhere else must fail its CRC-32 or length check.
            Ok(read) => prop_assert_eq!(read, idx),
            Err(e) => names_the_file(&e)?,
        }
    }
}
