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

pub mod digit;
pub mod playground;
pub mod tiny;

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
