//! Draw a digit (Chapter 5): the reader draws on a canvas, Chapter 5's MLP reads it.
//!
//! The network is the book's recorded run, `records/ch05/mlp-book-1.safetensors`
//! (784-128-10, `f32`), built into the module. A drawing goes through exactly
//! what `examples/ch05_predict.rs` does with a PNG: [`prepare_digit`] (inverted
//! if need be, cropped, scaled to 20 pixels, centred in 28×28 by its centre of
//! mass), pixels divided by 255, the network's logits, their softmax.

use std::cell::RefCell;

use ndarray::{Array2, ArrayView2};
use scratchnet::Sequential;
use scratchnet::activation::softmax;
use scratchnet::data::digit::{DigitError, prepare_digit};
use scratchnet::experiments::mnist::mlp;
use scratchnet::init::Init;
use scratchnet::weights::load_weights_from_bytes;

/// The saved weights of Chapter 5's recorded MLP run (safetensors, `f32`).
///
/// ```
/// // 101 770 parameters of 4 bytes, and the file's header.
/// assert_eq!(web::digit::BOOK_MLP.len(), 407_424);
/// assert_eq!(4 * (784 * 128 + 128 + 128 * 10 + 10), 4 * 101_770);
/// ```
pub const BOOK_MLP: &[u8] = include_bytes!("../../records/ch05/mlp-book-1.safetensors");

/// Chapter 5's MLP with the weights of its recorded run ([`BOOK_MLP`]).
///
/// ```
/// let net = web::digit::book_mlp();
/// assert_eq!(net.num_parameters(), 784 * 128 + 128 + 128 * 10 + 10);
/// ```
pub fn book_mlp() -> Sequential<f32> {
    let mut net = mlp(Init::HeUniform, 0); // every weight is replaced
    load_weights_from_bytes(&mut net, BOOK_MLP, "mlp-book-1.safetensors".as_ref())
        .expect("the built-in weights fit Chapter 5's MLP");
    net
}

/// What the network made of a drawing.
///
/// ```
/// # use web::digit::Reading;
/// let r = Reading { image: ndarray::Array2::zeros((28, 28)), probabilities: [0.1; 10] };
/// assert_eq!(r.image.dim(), (28, 28));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// The 28×28 image the network sees (`[28, 28]`, bright stroke on black).
    pub image: Array2<u8>,
    /// The softmax of the network's ten logits.
    pub probabilities: [f32; 10],
}

impl Reading {
    /// The most probable digit (the first, on a tie).
    ///
    /// ```
    /// # use web::digit::Reading;
    /// let mut p = [0.0; 10];
    /// p[7] = 0.9;
    /// let r = Reading { image: ndarray::Array2::zeros((28, 28)), probabilities: p };
    /// assert_eq!(r.digit(), 7);
    /// ```
    pub fn digit(&self) -> usize {
        (0..10).fold(0, |best, k| {
            if self.probabilities[k] > self.probabilities[best] {
                k
            } else {
                best
            }
        })
    }
}

// ANCHOR: read_digit
/// Reads a grey image (`[height, width]`, any size and background) with `net`,
/// as `ch05_predict` reads a PNG.
///
/// # Errors
/// What [`prepare_digit`] returns: an empty canvas has no stroke.
///
/// ```
/// use web::digit::{book_mlp, read_digit};
/// let mut canvas = ndarray::Array2::<u8>::zeros((280, 280)); // black
/// canvas.slice_mut(ndarray::s![40..240, 130..150]).fill(255); // a white "1"
/// let reading = read_digit(&mut book_mlp(), canvas.view())?;
/// assert_eq!(reading.digit(), 1);
/// assert!((reading.probabilities.iter().sum::<f32>() - 1.0).abs() < 1e-5);
/// # Ok::<(), scratchnet::data::digit::DigitError>(())
/// ```
pub fn read_digit(net: &mut Sequential<f32>, grey: ArrayView2<u8>) -> Result<Reading, DigitError> {
    let image = prepare_digit(grey)?; // [28, 28]
    let x = image
        .mapv(|v| f32::from(v) / 255.0)
        .into_shape_with_order((1, 784)) // [1, 784], in [0, 1]
        .expect("28 × 28 = 784")
        .into_dyn();
    let p = softmax(&net.predict(&x)); // [1, 10]
    let mut probabilities = [0.0; 10];
    for (k, pk) in probabilities.iter_mut().enumerate() {
        *pk = p[[0, k]];
    }
    Ok(Reading {
        image,
        probabilities,
    })
}
// ANCHOR_END: read_digit

thread_local! {
    static NET: RefCell<Sequential<f32>> = RefCell::new(book_mlp());
    static LAST: RefCell<([f32; 10], [u8; 784])> = const { RefCell::new(([0.0; 10], [0; 784])) };
}

/// The page's entry point: reads the `width × height` grey pixels at `pixels`
/// (row-major, one byte each) and returns the predicted digit, or −1 if the
/// canvas holds no stroke. The probabilities and the 28×28 image are then at
/// [`digit_probabilities`] and [`digit_image`].
///
/// # Safety
/// `pixels` must point to `width * height` readable bytes.
///
/// ```
/// let mut canvas = vec![0u8; 100 * 100];
/// assert_eq!(unsafe { web::digit::digit_read(canvas.as_ptr(), 100, 100) }, -1); // nothing drawn
/// for y in 20..80 { for x in 45..55 { canvas[y * 100 + x] = 255; } }
/// assert_eq!(unsafe { web::digit::digit_read(canvas.as_ptr(), 100, 100) }, 1);
/// ```
#[unsafe(no_mangle)]
pub unsafe extern "C" fn digit_read(pixels: *const u8, width: usize, height: usize) -> i32 {
    // SAFETY: the caller passes `width * height` bytes.
    let bytes = unsafe { std::slice::from_raw_parts(pixels, width * height) };
    let Ok(grey) = ArrayView2::from_shape((height, width), bytes) else {
        return -1;
    };
    let Ok(reading) = NET.with(|net| read_digit(&mut net.borrow_mut(), grey)) else {
        return -1;
    };
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        last.0 = reading.probabilities;
        last.1.copy_from_slice(
            reading
                .image
                .as_slice()
                .expect("a fresh array is contiguous"),
        );
    });
    reading.digit() as i32
}

/// Where the ten probabilities of the last [`digit_read`] are (`f32`s).
///
/// ```
/// assert!(!web::digit::digit_probabilities().is_null());
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn digit_probabilities() -> *const f32 {
    LAST.with(|last| last.borrow().0.as_ptr())
}

/// Where the 28×28 image of the last [`digit_read`] is (784 bytes, row-major).
///
/// ```
/// assert!(!web::digit::digit_image().is_null());
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn digit_image() -> *const u8 {
    LAST.with(|last| last.borrow().1.as_ptr())
}
