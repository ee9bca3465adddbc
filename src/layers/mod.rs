//! Layers with parameters and shape-changing layers.
//!
//! Activation layers live in [`crate::activation`].

pub mod dense;

pub use dense::Dense;
