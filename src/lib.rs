//! # scratchnet
//!
//! A small deep-learning library written from first principles on top of
//! [`ndarray`], and the tested code of the book *Deep Learning from Scratch, in Rust*.
//! Every chapter of the book takes its listings from this crate, and every
//! differentiable piece here passes a numeric gradient check ([`gradcheck`]).
//!
//! The pieces follow the book's vocabulary:
//!
//! | module | what it holds | chapter |
//! |---|---|---|
//! | [`perceptron`] | Rosenblatt's perceptron and its learning rule | 1 |
//! | [`layer`] | the [`Layer`] trait, [`Param`] and [`Mode`] | 1, 2 |
//! | [`activation`] | sigmoid, tanh, (leaky) ReLU, softmax as functions and as layers | 2 |
//! | [`init`] | weight initialisers | 2 |
//! | [`regularization`] | L1 and L2 weight penalties | 2 |
//! | [`layers`] | [`layers::Dense`] and friends; [`layers::Conv2D`], [`layers::MaxPool2D`], [`layers::Flatten`], [`layers::BatchNorm`] | 2, 5 |
//! | [`model`] | [`Sequential`], a stack of layers that is itself a layer | 2 |
//! | [`summary`] | a network's table of layers, output shapes, parameter counts and multiply-adds | 5, 8 |
//! | [`interpret`] | the gradient with respect to the input; saliency maps | 8 |
//! | [`adversarial`] | FGSM adversarial examples and random sign noise of the same size | 8 |
//! | [`membership`] | the loss-threshold membership-inference attack | 8 |
//! | [`parallel`] | [`parallel::DataParallel`]: each mini-batch split across threads, one replica of the network each | 7 |
//! | [`loss`] | MSE, binary and softmax cross-entropy, with their gradients | 3, 4 |
//! | [`optim`] | SGD, momentum, AdaGrad, RMSProp, Adam, Adadelta: each a small type with its state | 4 |
//! | [`metrics`] | accuracy and the confusion matrix | 5 |
//! | [`schedule`] | learning-rate schedules: step decay, cosine with warm-up | 5 |
//! | [`train`] | [`train_step`] and the one training loop, [`fit`] | 2–5 |
//! | [`diverged`] | what `fit` reports when the loss or a weight stops being finite | 5, 9 |
//! | [`early_stopping`] | stop when the validation loss stops improving; keep the best weights | 5 |
//! | [`weights`] | saving and loading a network's weights (safetensors) | 5 |
//! | [`history`] | what `fit` records: an [`Epoch`](train::Epoch) per pass, the [`History`](train::History) | 2–5 |
//! | [`checkpoint`] | a run saved after every epoch, and resumed to the result it would have reached | 5 |
//! | [`text`] | words as bags of hashed character n-grams | 6 |
//! | [`data`] | MNIST's files: the IDX reader, finding, downloading and verifying them | 5 |
//! | [`gradcheck`] | central-difference gradient checking | 3 |
//! | [`autograd`] | a scalar reverse-mode engine ([`autograd::Value`]) | 3 |
//! | [`experiments`] | the chapters' small reproducible experiments | 2–5 |
//!
//! Imports point down this table's dependency order: [`tensor`](mod@tensor) → [`layer`]
//! → layers, activations, losses, metrics → [`model`] → [`summary`], [`parallel`], [`interpret`] → [`adversarial`], [`membership`] → [`optim`], [`schedule`]
//! → [`diverged`], [`history`], [`weights`] → [`checkpoint`] → [`train`] → [`early_stopping`]
//! → [`experiments`]; [`data`] and [`text`] depend only on [`tensor`](mod@tensor). Tensors hold `f64` unless a type says otherwise
//! (`Tensor<f32>`, `Dense<f32>`...): the chapters' worked numbers and every
//! gradient check use `f64`, real training uses `f32` ([`tensor::Float`]).
//!
//! ```
//! use scratchnet::prelude::*;
//!
//! // A 2-4-1 network learns XOR with plain gradient descent.
//! let mut rng = seeded_rng(1);
//! let mut net = Sequential::new()
//!     .with(Dense::new(2, 4, Init::XavierUniform, &mut rng))
//!     .with(Tanh::new())
//!     .with(Dense::new(4, 1, Init::XavierUniform, &mut rng))
//!     .with(Sigmoid::new());
//! let x = tensor(&[4, 2], &[0., 0., 0., 1., 1., 0., 1., 1.]);
//! let y = tensor(&[4, 1], &[0., 1., 1., 0.]);
//! // 3000 epochs of full-batch gradient descent (4 examples, batch size 4).
//! fit(&mut net, &mut MeanSquaredError::new(), &mut Sgd::new(0.5), &x, &y, Fit::new(3000, 4)).unwrap();
//! let p = net.predict(&x);
//! assert!(p[[0, 0]] < 0.2 && p[[1, 0]] > 0.8 && p[[2, 0]] > 0.8 && p[[3, 0]] < 0.2);
//! ```

pub mod activation;
pub mod adversarial;
pub mod autograd;
pub mod checkpoint;
pub mod data;
pub mod diverged;
pub mod early_stopping;
pub mod experiments;
pub mod gradcheck;
pub mod history;
pub mod init;
pub mod interpret;
pub mod layer;
pub mod layers;
pub mod loss;
pub mod membership;
pub mod metrics;
pub mod model;
pub mod optim;
pub mod parallel;
pub mod perceptron;
pub mod regularization;
pub mod schedule;
pub mod summary;
pub mod tensor;
pub mod text;
pub mod train;
pub mod weights;

mod book;

pub use layer::{Layer, Mode, Param};
pub use model::Sequential;
pub use tensor::{Float, Tensor, seeded_rng, tensor};
pub use train::{Fit, FitError, fit, train_step};

/// Everything a chapter's listing usually needs, in one `use`.
pub mod prelude {
    pub use crate::activation::{LeakyReLU, ReLU, Sigmoid, Softmax, Tanh};
    pub use crate::init::Init;
    pub use crate::layer::{Layer, Mode, Param};
    pub use crate::layers::{BatchNorm, Conv2D, Dense, Dropout, Flatten, MaxPool2D, Padding};
    pub use crate::loss::{
        BinaryCrossEntropyWithLogits, Loss, MeanSquaredError, SoftmaxCrossEntropy, one_hot,
    };
    pub use crate::model::Sequential;
    pub use crate::optim::{AdaGrad, Adadelta, Adam, Momentum, Optimizer, RmsProp, Sgd};
    pub use crate::regularization::Penalty;
    pub use crate::tensor::{Float, Tensor, seeded_rng, tensor};
    pub use crate::train::{Control, Fit, FitError, fit, train_step};
}
