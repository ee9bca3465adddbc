//! The book's interactive demos: the `scratchnet` code the chapters show,
//! compiled to WebAssembly (`wasm32-unknown-unknown`) and run in the page.
//!
//! | module | demo | chapter |
//! |---|---|---|
//! | [`digit`] | draw a digit; Chapter 5's trained MLP reads it | 5 |
//! | [`playground`] | an optimizer's path on Chapter 4's two surfaces | 4 |
//! | [`tiny`] | a tiny network trained live on 2-D points | 2 |
//!
//! Each demo is ordinary Rust functions, tested natively like the rest of the
//! workspace (`cargo test -p web`), and a few `extern "C"` exports over the
//! module's linear memory that the page's JavaScript (`web/js/`) calls: no
//! bindings generator, no imports. `scripts/book.sh` builds the module
//! (`--profile wasm`) and embeds it, base64-encoded, in
//! `chapters/demos/scratchnet-web.js`, which the pages load with a plain
//! `<script src>`, so the book works offline and from `file://`.
//!
//! What the reader types is checked here, before it reaches a constructor that
//! would panic (a panic in the module is an uncaught "unreachable" in the
//! page): an export that refuses its arguments returns null, and
//! [`last_error`] says why, in words the page shows as they are.

use std::cell::RefCell;
use std::fmt;

pub mod digit;
pub mod playground;
pub mod tiny;

/// A setting a demo refuses, with the reason the page shows.
///
/// ```
/// assert_eq!(web::Invalid::LearningRate.to_string(), "invalid η: must be a number > 0");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// A menu index out of range (the page's menus give none).
    Choice,
    /// η not a finite number > 0.
    LearningRate,
    /// The optimizer's coefficient (μ, ρ or β₁, named here) not in [0, 1).
    Coefficient(&'static str),
    /// The number of steps not a whole number in 1 ..= [`playground::MAX_STEPS`].
    Steps,
    /// The number of hidden layers not a whole number in 0 ..= [`tiny::MAX_LAYERS`].
    Layers,
    /// The width not a whole number in 1 ..= [`tiny::MAX_WIDTH`].
    Width,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Invalid::Choice => write!(f, "unknown menu choice"),
            Invalid::LearningRate => write!(f, "invalid η: must be a number > 0"),
            Invalid::Coefficient(name) => write!(f, "invalid {name}: must be ≥ 0 and < 1"),
            Invalid::Steps => write!(
                f,
                "invalid number of steps: must be a whole number from 1 to {}",
                playground::MAX_STEPS
            ),
            Invalid::Layers => write!(
                f,
                "invalid number of hidden layers: must be a whole number from 0 to {}",
                tiny::MAX_LAYERS
            ),
            Invalid::Width => write!(
                f,
                "invalid width: must be a whole number from 1 to {}",
                tiny::MAX_WIDTH
            ),
        }
    }
}

impl std::error::Error for Invalid {}

/// `v` as a count if it is a whole number ≥ 0 (what the page passes for a
/// field the reader types, as an `f64`: NaN when the field is empty).
///
/// ```
/// assert_eq!(web::whole(3.0), Some(3));
/// assert_eq!([web::whole(2.5), web::whole(-1.0), web::whole(f64::NAN)], [None, None, None]);
/// ```
pub fn whole(v: f64) -> Option<usize> {
    (v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX))
        .then_some(v as usize)
}

thread_local! {
    static LAST_ERROR: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Records why an export refused its arguments (see [`last_error`]) and
/// returns the null pointer it gives the page.
pub(crate) fn refuse<T>(why: Invalid) -> *const T {
    LAST_ERROR.with(|e| {
        let mut e = e.borrow_mut();
        e.clear();
        e.extend_from_slice(why.to_string().as_bytes());
        e.push(0);
    });
    std::ptr::null()
}

/// Why the last export that returned null refused its arguments: a
/// NUL-terminated UTF-8 string (empty before any refusal).
///
/// ```
/// assert!(web::tiny::tiny_new(0, 2.0, 0.0, 0, 0.03).is_null());
/// let text = unsafe { std::ffi::CStr::from_ptr(web::last_error().cast()) };
/// assert_eq!(text.to_str().unwrap(), "invalid width: must be a whole number from 1 to 64");
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn last_error() -> *const u8 {
    LAST_ERROR.with(|e| {
        let mut e = e.borrow_mut();
        if e.is_empty() {
            e.push(0);
        }
        e.as_ptr()
    })
}

/// Reserves `len` bytes in the module's memory for the page to write into
/// (an image, say); the page gives them back with [`dealloc`].
///
/// ```
/// let p = web::alloc(16);
/// assert!(!p.is_null());
/// unsafe { web::dealloc(p, 16) };
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut buf = Vec::<u8>::with_capacity(len.max(1));
    let p = buf.as_mut_ptr();
    std::mem::forget(buf);
    p
}

/// Frees `len` bytes that [`alloc`] reserved.
///
/// # Safety
/// `p` and `len` must come from one call of [`alloc`], freed once.
///
/// ```
/// let p = web::alloc(3);
/// unsafe { web::dealloc(p, 3) };
/// ```
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dealloc(p: *mut u8, len: usize) {
    // SAFETY: the caller passes what `alloc` returned for this `len`.
    drop(unsafe { Vec::from_raw_parts(p, 0, len.max(1)) });
}
