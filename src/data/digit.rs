//! Your own handwriting: a photo or drawing of a digit, prepared as MNIST's were.
//!
//! A network trained on MNIST has only seen digits prepared one way: a bright
//! stroke on black, scaled so that its larger side is 20 pixels, in a 28×28
//! frame with its centre of mass at the centre. [`prepare_digit`] does the same
//! to any grey image, and [`load_png_grey`] reads one from a PNG file.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use ndarray::{Array2, ArrayView2};
use thiserror::Error;

/// The largest image side accepted, in pixels.
pub const MAX_SIDE: usize = 10_000;

/// Why an image could not be read or prepared.
///
/// ```
/// use scratchnet::data::digit::{DigitError, prepare_digit};
/// let grey = ndarray::Array2::<u8>::from_elem((5, 5), 200);
/// assert!(matches!(prepare_digit(grey.view()), Err(DigitError::NoStroke)));
/// ```
#[derive(Debug, Error)]
pub enum DigitError {
    /// The image has no pixels.
    #[error("the image is empty ({width}×{height} pixels)")]
    Empty {
        /// Its width.
        width: usize,
        /// Its height.
        height: usize,
    },
    /// A side is longer than [`MAX_SIDE`].
    #[error("the image is {width}×{height} pixels; at most {MAX_SIDE} a side is accepted")]
    TooLarge {
        /// Its width.
        width: usize,
        /// Its height.
        height: usize,
    },
    /// Every pixel is (nearly) the same grey: there is no stroke to read.
    #[error("the image has no stroke: it is (nearly) a single shade of grey")]
    NoStroke,
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file is not a PNG image the decoder can read.
    #[error("{}: not a readable PNG image: {source}", path.display())]
    Png {
        /// The file.
        path: PathBuf,
        /// What the decoder said.
        source: png::DecodingError,
    },
}

// ANCHOR: prepare
/// Prepares a grey image (`[height, width]`, any background) as an MNIST digit.
///
/// 1. If the border is light, inverts the image so the stroke is bright on black,
///    and stretches the grey levels so the background is 0 and the brightest pixel 255.
/// 2. Crops it to the stroke's bounding box (pixels above a quarter of full brightness).
/// 3. Scales it, keeping its aspect ratio, so that its larger side is 20 pixels.
/// 4. Places it in a black 28×28 frame with its centre of mass at (14, 14), to the
///    nearest pixel. A digit so lopsided that this pushes part of it out of the frame
///    loses that part.
///
/// # Errors
/// [`DigitError::Empty`], [`DigitError::TooLarge`], or [`DigitError::NoStroke`]
/// for an image without contrast.
///
/// ```
/// use scratchnet::data::digit::prepare_digit;
/// let mut page = ndarray::Array2::<u8>::from_elem((60, 100), 255); // white paper
/// page.slice_mut(ndarray::s![10..50, 40..50]).fill(0); // a black "1"
/// let digit = prepare_digit(page.view())?;
/// assert_eq!(digit.shape(), [28, 28]);
/// assert_eq!((digit[[0, 0]], digit[[14, 14]]), (0, 255)); // bright on black
/// # Ok::<(), scratchnet::data::digit::DigitError>(())
/// ```
pub fn prepare_digit(image: ArrayView2<u8>) -> Result<Array2<u8>, DigitError> {
    let (height, width) = image.dim();
    if width == 0 || height == 0 {
        return Err(DigitError::Empty { width, height });
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(DigitError::TooLarge { width, height });
    }
    // 1. Bright on black: the border is mostly background.
    let border: Vec<f32> = image
        .indexed_iter()
        .filter(|&((y, x), _)| y == 0 || x == 0 || y == height - 1 || x == width - 1)
        .map(|(_, &v)| f32::from(v))
        .collect();
    let light = border.iter().sum::<f32>() / border.len() as f32 > 127.5;
    let ink = image.mapv(|v| f32::from(if light { 255 - v } else { v }));
    let background = if light {
        255.0 - border_mean(&border)
    } else {
        border_mean(&border)
    };
    let brightest = ink.fold(0.0f32, |m, &v| m.max(v));
    if brightest - background < 32.0 {
        return Err(DigitError::NoStroke);
    }
    let ink = ink.mapv(|v| ((v - background) * 255.0 / (brightest - background)).clamp(0.0, 255.0));

    // 2. The stroke's bounding box.
    let stroke = ink
        .indexed_iter()
        .filter(|&(_, &v)| v > 64.0)
        .map(|(p, _)| p);
    let (mut top, mut left, mut bottom, mut right) = (height, width, 0, 0);
    for (y, x) in stroke {
        (top, left, bottom, right) = (top.min(y), left.min(x), bottom.max(y), right.max(x));
    }
    let crop = ink.slice(ndarray::s![top..=bottom, left..=right]);

    // 3. The larger side to 20 pixels.
    let (h, w) = crop.dim();
    let scale = 20.0 / h.max(w) as f32;
    let (new_h, new_w) = (side(h, scale), side(w, scale));
    let small = resize(crop, new_h, new_w);

    // 4. Centre of mass to (14, 14), by a whole-pixel shift; what falls outside is cut off.
    let mass = small.sum().max(f32::MIN_POSITIVE);
    let cy = small
        .indexed_iter()
        .map(|((y, _), &v)| y as f32 * v)
        .sum::<f32>()
        / mass;
    let cx = small
        .indexed_iter()
        .map(|((_, x), &v)| x as f32 * v)
        .sum::<f32>()
        / mass;
    let (dy, dx) = ((14.0 - cy).round() as isize, (14.0 - cx).round() as isize);
    let mut digit = Array2::<u8>::zeros((28, 28));
    for ((y, x), &v) in small.indexed_iter() {
        let (y, x) = (y as isize + dy, x as isize + dx);
        if (0..28).contains(&y) && (0..28).contains(&x) {
            digit[[y as usize, x as usize]] = v.round().clamp(0.0, 255.0) as u8;
        }
    }
    Ok(digit)
}
// ANCHOR_END: prepare

fn border_mean(border: &[f32]) -> f32 {
    border.iter().sum::<f32>() / border.len() as f32
}

/// A side of `len` pixels scaled by `scale`: at least 1, at most 20.
fn side(len: usize, scale: f32) -> usize {
    ((len as f32 * scale).round() as usize).clamp(1, 20)
}

/// Area-average resize: each output pixel is the mean of the input area it covers.
fn resize(image: ArrayView2<f32>, new_h: usize, new_w: usize) -> Array2<f32> {
    let (rows, cols) = (weights(image.nrows(), new_h), weights(image.ncols(), new_w));
    let mut out = Array2::<f32>::zeros((new_h, new_w));
    for (oy, row) in rows.iter().enumerate() {
        for (ox, col) in cols.iter().enumerate() {
            let mut sum = 0.0;
            for &(y, wy) in row {
                for &(x, wx) in col {
                    sum += wy * wx * image[[y, x]];
                }
            }
            out[[oy, ox]] = sum;
        }
    }
    out
}

/// For each of `to` output pixels, the input pixels it covers and their weights (summing to 1).
fn weights(from: usize, to: usize) -> Vec<Vec<(usize, f32)>> {
    let step = from as f32 / to as f32; // input pixels per output pixel
    (0..to)
        .map(|o| {
            let (start, end) = (o as f32 * step, (o + 1) as f32 * step);
            (start.floor() as usize..(end.ceil() as usize).min(from))
                .map(|i| (i, (end.min(i as f32 + 1.0) - start.max(i as f32)) / step))
                .filter(|&(_, w)| w > 0.0)
                .collect()
        })
        .collect()
}

/// Reads a PNG file as grey levels, `[height, width]`, 0 black to 255 white.
///
/// Colour becomes grey by the usual luma weights (0.299 R + 0.587 G + 0.114 B),
/// transparency is painted over white paper, and 16-bit samples are cut to 8 bits.
///
/// # Errors
/// [`DigitError::Io`] if the file cannot be read, [`DigitError::Png`] if it is
/// not a PNG image, [`DigitError::TooLarge`] beyond [`MAX_SIDE`] pixels a side.
///
/// ```
/// use scratchnet::data::digit::{DigitError, load_png_grey};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("digit.png");
/// let mut png = png::Encoder::new(std::fs::File::create(&path).unwrap(), 3, 2);
/// png.set_color(png::ColorType::Rgb);
/// let mut writer = png.write_header().unwrap();
/// writer.write_image_data(&[255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 9, 9, 9]).unwrap();
/// writer.finish().unwrap();
/// let grey = load_png_grey(&path)?;
/// assert_eq!(grey, ndarray::array![[76, 150, 29], [0, 255, 9]]);
/// std::fs::write(&path, b"not a png").unwrap();
/// assert!(matches!(load_png_grey(&path), Err(DigitError::Png { .. })));
/// # Ok::<(), DigitError>(())
/// ```
pub fn load_png_grey(path: &Path) -> Result<Array2<u8>, DigitError> {
    let bytes = std::fs::read(path).map_err(|source| DigitError::Io {
        path: path.into(),
        source,
    })?;
    let png_error = |source| DigitError::Png {
        path: path.into(),
        source,
    };
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8()); // 8-bit, no palette
    let mut reader = decoder.read_info().map_err(png_error)?;
    let (width, height) = (reader.info().width as usize, reader.info().height as usize);
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(DigitError::TooLarge { width, height });
    }
    let mut buf = vec![0; reader.output_buffer_size().unwrap_or(0)];
    let frame = reader.next_frame(&mut buf).map_err(png_error)?;
    let luma =
        |p: &[u8]| 0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2]);
    let over_white = |grey: f32, alpha: u8| {
        let a = f32::from(alpha) / 255.0;
        (grey * a + 255.0 * (1.0 - a)).round() as u8
    };
    let samples = frame.color_type.samples();
    let grey: Vec<u8> = buf[..frame.buffer_size()]
        .chunks(frame.line_size)
        .flat_map(|line| line[..width * samples].chunks(samples))
        .map(|p| match p.len() {
            1 => p[0],
            2 => over_white(f32::from(p[0]), p[1]),
            3 => luma(p).round() as u8,
            _ => over_white(luma(p), p[3]),
        })
        .collect();
    Ok(Array2::from_shape_vec((height, width), grey).expect("one grey level per pixel"))
}
