//! Small, seeded experiments that a chapter, its figures, its example and its
//! tests share, so that every number the book quotes comes from one place.
//!
//! | module | what it shows | chapter |
//! |---|---|---|
//! | [`initialization`] | activations of a deep net at initialisation | 2 |
//! | [`overfitting`] | a network too big for its data, and regularisation | 2 |
//! | [`sparsity`] | L1 by subgradient and by soft-thresholding: jitter or exact zeros | 2 |
//! | [`backprop`] | every number of one forward and backward pass (Mazur's network) | 3 |
//! | [`slowdown`] | a saturated sigmoid output learns slowly on the squared error, fast on the cross-entropy | 4 |
//! | [`optimizers`] | optimizers on two surfaces and on a small classifier | 4 |
//! | [`mnist`] | the seeds' MNIST network, trained their way and the book's | 5 |
//! | [`cnn`] | seed 001's convolutional network on MNIST, with and without batch normalization | 5 |
//! | [`shapes`] | generated pictures of ten shapes, an image task beyond digits | 6 |
//! | [`language_id`] | which language a word is in, from its character n-grams | 6 |
//! | [`regression`] | a linear model by gradient descent against least squares; a small ReLU net on a curved surface | 5 |

pub mod backprop;
pub mod cnn;
pub mod initialization;
pub mod language_id;
pub mod mnist;
pub mod optimizers;
pub mod overfitting;
pub mod regression;
pub mod shapes;
pub mod slowdown;
pub mod sparsity;
