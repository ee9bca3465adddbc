//! Chapter 5's `ch05_predict`: preparing a reader's own digit, and reading PNGs.

use ndarray::{Array2, s};
use scratchnet::data::digit::{DigitError, load_png_grey, prepare_digit};
use std::path::Path;

/// The centre of mass (row, column) of a grey image.
fn centre_of_mass(image: &Array2<u8>) -> (f64, f64) {
    let (mut m, mut my, mut mx) = (0.0, 0.0, 0.0);
    for ((y, x), &v) in image.indexed_iter() {
        let v = f64::from(v);
        (m, my, mx) = (m + v, my + y as f64 * v, mx + x as f64 * v);
    }
    (my / m, mx / m)
}

/// The bounding box (height, width) of the non-zero pixels.
fn bounding_box(image: &Array2<u8>) -> (usize, usize) {
    let lit: Vec<(usize, usize)> = image
        .indexed_iter()
        .filter(|&(_, &v)| v > 0)
        .map(|(p, _)| p)
        .collect();
    let ys = lit.iter().map(|p| p.0);
    let xs = lit.iter().map(|p| p.1);
    (
        ys.clone().max().unwrap() - ys.min().unwrap() + 1,
        xs.clone().max().unwrap() - xs.min().unwrap() + 1,
    )
}

#[test]
fn a_dark_stroke_on_white_paper_becomes_an_mnist_digit() {
    // A white 100×60 page (width 100, height 60) with a dark "7" off-centre.
    let mut page = Array2::<u8>::from_elem((60, 100), 250);
    page.slice_mut(s![8..11, 20..55]).fill(20); // the bar
    for y in 11..52 {
        let x = 54 - (y - 11) / 2;
        page.slice_mut(s![y..y + 1, x - 4..x]).fill(30); // the slanted stroke, 4 pixels wide
    }
    let digit = prepare_digit(page.view()).unwrap();
    assert_eq!(digit.shape(), [28, 28]);
    assert_eq!(digit[[0, 0]], 0, "black background");
    assert_eq!(*digit.iter().max().unwrap(), 255, "bright stroke");
    let (h, w) = bounding_box(&digit);
    assert!(h <= 20 && w <= 20 && h.max(w) >= 19, "bounding box {h}×{w}");
    let (cy, cx) = centre_of_mass(&digit);
    assert!(
        (cy - 14.0).abs() <= 0.5 && (cx - 14.0).abs() <= 0.5,
        "centre of mass ({cy:.2}, {cx:.2})"
    );
}

#[test]
fn a_light_stroke_on_black_is_not_inverted() {
    let mut image = Array2::<u8>::zeros((40, 40));
    image.slice_mut(s![5..35, 18..24]).fill(200);
    let digit = prepare_digit(image.view()).unwrap();
    assert_eq!((digit[[0, 0]], digit[[14, 14]]), (0, 255));
}

#[test]
fn an_mnist_like_digit_is_nearly_unchanged() {
    // A 20×11 "0", thicker at the bottom, in a 28×28 frame: its centre of mass
    // is (13.8, 14), which rounds to the same place.
    let mut image = Array2::<u8>::zeros((28, 28));
    image.slice_mut(s![4..24, 9..20]).fill(255);
    image.slice_mut(s![6..21, 12..17]).fill(0);
    let (cy, cx) = centre_of_mass(&image);
    assert!(
        (cy - 13.8).abs() < 0.1 && (cx - 14.0).abs() < 1e-9,
        "({cy}, {cx})"
    );
    let digit = prepare_digit(image.view()).unwrap();
    let changed = image
        .iter()
        .zip(&digit)
        .filter(|(a, b)| a.abs_diff(**b) > 40)
        .count();
    assert!(changed <= 2, "{changed} pixels changed by more than 40");
}

#[test]
fn images_without_a_stroke_or_pixels_or_of_absurd_size_are_errors() {
    let uniform = Array2::<u8>::from_elem((30, 20), 128);
    assert!(matches!(
        prepare_digit(uniform.view()),
        Err(DigitError::NoStroke)
    ));
    let mut faint = uniform.clone(); // a smudge 10 grey levels darker: no stroke either
    faint.slice_mut(s![10..20, 5..15]).fill(118);
    assert!(matches!(
        prepare_digit(faint.view()),
        Err(DigitError::NoStroke)
    ));
    let empty = Array2::<u8>::zeros((0, 5));
    let err = prepare_digit(empty.view()).unwrap_err();
    assert!(matches!(err, DigitError::Empty { .. }), "{err}");
    let huge = Array2::<u8>::zeros((1, 10_001));
    let err = prepare_digit(huge.view()).unwrap_err();
    assert!(matches!(err, DigitError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("10001×1"), "{err}");
}

/// Writes a 3×1 PNG of the given colour type, depth and pixel bytes.
fn write_png(path: &Path, color: png::ColorType, depth: png::BitDepth, data: &[u8]) {
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), 3, 1);
    encoder.set_color(color);
    encoder.set_depth(depth);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(data).unwrap();
    writer.finish().unwrap();
}

#[test]
fn pngs_of_every_colour_type_decode_to_grey() {
    use png::{BitDepth::*, ColorType::*};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("digit.png");
    let cases: [(png::ColorType, png::BitDepth, Vec<u8>, [u8; 3]); 6] = [
        (Grayscale, Eight, vec![0, 128, 255], [0, 128, 255]),
        (
            Grayscale,
            Sixteen,
            vec![0, 0, 0x80, 0xff, 0xff, 0xff],
            [0, 128, 255],
        ),
        (
            Rgb,
            Eight,
            vec![255, 0, 0, 0, 255, 0, 10, 10, 10],
            [76, 150, 10],
        ),
        // Transparent black is white paper; half-transparent black is mid-grey.
        (
            Rgba,
            Eight,
            vec![0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 128],
            [255, 0, 127],
        ),
        (
            GrayscaleAlpha,
            Eight,
            vec![0, 0, 50, 255, 200, 255],
            [255, 50, 200],
        ),
        (
            Rgb,
            Sixteen,
            vec![
                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
            ],
            [255, 0, 29],
        ),
    ];
    for (color, depth, data, expected) in cases {
        write_png(&path, color, depth, &data);
        let grey = load_png_grey(&path).unwrap();
        assert_eq!(
            grey,
            Array2::from_shape_vec((1, 3), expected.to_vec()).unwrap(),
            "{color:?} {depth:?}"
        );
    }
}

#[test]
fn a_file_that_is_not_a_png_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("digit.png");
    std::fs::write(&path, b"GIF89a, not a PNG").unwrap();
    let err = load_png_grey(&path).unwrap_err();
    assert!(matches!(err, DigitError::Png { .. }), "{err}");
    assert!(
        err.to_string().contains("not a readable PNG image"),
        "{err}"
    );
    let err = load_png_grey(&dir.path().join("missing.png")).unwrap_err();
    assert!(matches!(err, DigitError::Io { .. }), "{err}");
}

#[test]
fn a_png_round_trip_then_prepare() {
    // A dark "1" on a light grey RGB page, saved and read back, then prepared.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one.png");
    let (w, h) = (40u32, 50u32);
    let mut rgb = vec![230u8; (w * h * 3) as usize];
    for y in 10..40 {
        for x in 18..22 {
            let i = ((y * w + x) * 3) as usize;
            rgb[i..i + 3].copy_from_slice(&[10, 10, 40]);
        }
    }
    let file = std::fs::File::create(&path).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    encoder.set_color(png::ColorType::Rgb);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&rgb).unwrap();
    writer.finish().unwrap();
    let digit = prepare_digit(load_png_grey(&path).unwrap().view()).unwrap();
    assert_eq!(bounding_box(&digit).0, 20);
    assert_eq!(digit[[14, 14]], 255);
}

#[test]
fn real_mnist_digits_are_already_prepared() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/mnist");
    if !dir.is_dir() {
        eprintln!("skipped: no MNIST in {}", dir.display());
        return;
    }
    let images = scratchnet::data::read_idx(&dir.join("t10k-images-idx3-ubyte.gz")).unwrap();
    let (mut close, mut total) = (0, 0);
    for i in 0..50 {
        let pixels = images.data[i * 784..(i + 1) * 784].to_vec();
        let digit = Array2::from_shape_vec((28, 28), pixels).unwrap();
        let prepared = prepare_digit(digit.view()).unwrap();
        close += digit
            .iter()
            .zip(&prepared)
            .filter(|(a, b)| a.abs_diff(**b) <= 40)
            .count();
        total += 784;
    }
    let share = close as f64 / total as f64;
    assert!(
        share >= 0.9,
        "only {:.1} % of pixels within 40 grey levels",
        100.0 * share
    );
    eprintln!("{:.1} % of pixels within 40 grey levels", 100.0 * share);
}
