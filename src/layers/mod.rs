//! Layers with parameters and shape-changing layers.
//!
//! Activation layers live in [`crate::activation`]. The convolutional layers
//! of Chapter 5 work on batches of images `[batch, channels, height, width]`.

pub mod batchnorm;
pub mod conv2d;
pub mod dense;
pub mod dropout;
pub mod flatten;
pub mod im2col;
pub mod pool;

pub use batchnorm::BatchNorm;
pub use conv2d::Conv2D;
pub use dense::Dense;
pub use dropout::Dropout;
pub use flatten::Flatten;
pub use im2col::{Geometry, Padding, col2im, im2col};
pub use pool::MaxPool2D;

/// Into how many parts the convolution and pooling layers split a batch, each
/// part on its own thread (this project's machines have two cores). The split
/// is fixed, not the machine's core count, so that the sums of a convolution's
/// weight gradient, and hence training, come out the same on every machine.
pub(crate) const THREADS: usize = 2;
