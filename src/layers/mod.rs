//! Layers with parameters and shape-changing layers.
//!
//! Activation layers live in [`crate::activation`].

pub mod dense;
pub mod dropout;

pub use dense::Dense;
pub use dropout::Dropout;
