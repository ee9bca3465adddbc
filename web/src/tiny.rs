//! Train a tiny network live (Chapter 2): 2-D points, two classes, `fit` in the page.
//!
//! The reader picks a dataset (XOR, circles, spirals), the number of hidden
//! layers, their width and activation, and Adam's learning rate; the page calls
//! [`Tiny::train`] a few epochs at a time and redraws the decision boundary
//! ([`Tiny::grid`]) and the loss curve after each call. Every epoch is one
//! full-batch step of the library's one training loop, [`fit`].

use std::cell::RefCell;

use rand::Rng;
use scratchnet::activation::{ReLU, Sigmoid, Tanh};
use scratchnet::experiments::optimizers::spirals;
use scratchnet::init::Init;
use scratchnet::layers::Dense;
use scratchnet::loss::{SoftmaxCrossEntropy, one_hot};
use scratchnet::optim::Adam;
use scratchnet::{Fit, Sequential, Tensor, fit, seeded_rng};

use crate::{Invalid, refuse, whole};

/// The datasets of the page's menu.
pub const DATASETS: [&str; 3] = ["XOR", "circles", "spirals"];

/// Dataset number `which` of [`DATASETS`]: 200 points in [−1, 1]² (`[200, 2]`)
/// and their classes, 0 or 1; `None` for an unknown number.
///
/// The spirals are Chapter 4's generator, [`spirals`], with 101 points per
/// class and the first of each dropped: both sit at the origin, and two equal
/// points of different classes would hold the loss above ln 2 / 100 ≈ 0.0069.
///
/// ```
/// let (x, labels) = web::tiny::dataset(1, 0).unwrap();
/// assert_eq!((x.shape(), labels.len()), (&[200, 2][..], 200));
/// assert!(x.iter().all(|v| v.abs() <= 1.2) && labels.iter().all(|&k| k < 2));
/// let (spirals, _) = web::tiny::dataset(2, 1).unwrap();
/// assert!(spirals.rows().into_iter().all(|p| p[0].hypot(p[1]) > 0.009)); // none at the origin
/// ```
pub fn dataset(which: usize, seed: u64) -> Option<(Tensor, Vec<usize>)> {
    let mut rng = seeded_rng(seed);
    let n = 200;
    let mut x = Tensor::zeros(vec![n, 2]); // [200, 2]
    let mut labels = Vec::with_capacity(n);
    match which {
        0 => {
            // XOR: class 1 where x and y have opposite signs, class 0 where they share one.
            for i in 0..n {
                let (a, b): (f64, f64) = (rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0));
                (x[[i, 0]], x[[i, 1]]) = (a, b);
                labels.push(usize::from(a * b < 0.0));
            }
        }
        1 => {
            // A disc (class 0) inside a ring (class 1).
            for i in 0..n {
                let k = i % 2;
                let r = if k == 0 {
                    rng.random_range(0.0..0.45)
                } else {
                    rng.random_range(0.65..1.0)
                };
                let angle: f64 = rng.random_range(0.0..std::f64::consts::TAU);
                (x[[i, 0]], x[[i, 1]]) = (r * angle.cos(), r * angle.sin());
                labels.push(k);
            }
        }
        2 => {
            let (points, classes) = spirals(n / 2 + 1, 2, seed); // [202, 2]
            // Rows 0 and 101, each class's first point, are the two at the origin.
            let keep: Vec<usize> = (0..n + 2).filter(|i| i % (n / 2 + 1) != 0).collect();
            for (row, &i) in keep.iter().enumerate() {
                (x[[row, 0]], x[[row, 1]]) = (points[[i, 0]], points[[i, 1]]);
                labels.push(classes[i]);
            }
        }
        _ => return None,
    }
    Some((x, labels))
}

/// The most hidden layers the page trains.
pub const MAX_LAYERS: usize = 4;

/// The widest hidden layer the page trains.
pub const MAX_WIDTH: usize = 64;

/// A network being trained on a dataset.
///
/// ```
/// let mut tiny = web::tiny::Tiny::new(0, 1, 8, 0, 0.03).unwrap(); // XOR, 1 tanh layer of 8
/// let first = tiny.train(1);
/// let later = tiny.train(200);
/// assert!(later < first / 2.0);
/// ```
pub struct Tiny {
    net: Sequential,
    optimizer: Adam,
    /// The points, `[200, 2]`.
    pub x: Tensor,
    /// Their classes.
    pub labels: Vec<usize>,
    y: Tensor, // [200, 2], one-hot
}

impl Tiny {
    /// Dataset `which`, `layers` hidden layers (at most [`MAX_LAYERS`]) of
    /// `width` units (1 to [`MAX_WIDTH`]) with activation `activation` (0 tanh,
    /// 1 ReLU, 2 sigmoid), Adam with learning rate `lr`. Refuses, rather than
    /// letting a constructor panic, what the page cannot train.
    ///
    /// ```
    /// use web::{Invalid, tiny::Tiny};
    /// assert!(Tiny::new(0, 2, 4, 1, 0.01).is_ok());
    /// assert_eq!(Tiny::new(0, 2, 0, 1, 0.01).err(), Some(Invalid::Width));
    /// assert_eq!(Tiny::new(0, 5, 4, 1, 0.01).err(), Some(Invalid::Layers));
    /// assert_eq!(Tiny::new(0, 2, 4, 1, 0.0).err(), Some(Invalid::LearningRate));
    /// ```
    pub fn new(
        which: usize,
        layers: usize,
        width: usize,
        activation: usize,
        lr: f64,
    ) -> Result<Self, Invalid> {
        if layers > MAX_LAYERS {
            return Err(Invalid::Layers);
        }
        if !(1..=MAX_WIDTH).contains(&width) {
            return Err(Invalid::Width);
        }
        if !(lr.is_finite() && lr > 0.0) {
            return Err(Invalid::LearningRate);
        }
        if activation > 2 {
            return Err(Invalid::Choice);
        }
        let (x, labels) = dataset(which, 1).ok_or(Invalid::Choice)?;
        let mut rng = seeded_rng(2);
        let mut net = Sequential::new();
        let mut inputs = 2;
        for _ in 0..layers {
            net.push(Dense::new(inputs, width, Init::XavierNormal, &mut rng)); // [200, width]
            match activation {
                0 => net.push(Tanh::new()),
                1 => net.push(ReLU::new()),
                _ => net.push(Sigmoid::new()),
            }
            inputs = width;
        }
        net.push(Dense::new(inputs, 2, Init::XavierNormal, &mut rng)); // [200, 2] logits
        let y = one_hot(&labels, 2);
        Ok(Tiny {
            net,
            optimizer: Adam::new(lr),
            x,
            labels,
            y,
        })
    }

    /// `epochs` full-batch steps of [`fit`]; returns the loss of the last one
    /// (NaN if training diverged).
    ///
    /// ```
    /// let mut tiny = web::tiny::Tiny::new(2, 2, 16, 0, 0.01).unwrap();
    /// assert!(tiny.train(5).is_finite());
    /// ```
    // ANCHOR: train
    pub fn train(&mut self, epochs: usize) -> f64 {
        let n = self.labels.len();
        let history = fit(
            &mut self.net,
            &mut SoftmaxCrossEntropy::new(),
            &mut self.optimizer,
            &self.x,
            &self.y,
            Fit::new(epochs.max(1), n),
        );
        history
            .ok()
            .and_then(|h| h.epochs.last().map(|e| e.train_loss))
            .unwrap_or(f64::NAN)
    }
    // ANCHOR_END: train

    /// The probability of class 1 on a `width × height` grid over [−1.2, 1.2]²,
    /// row by row from the top: the decision boundary is where it crosses ½.
    ///
    /// ```
    /// let mut tiny = web::tiny::Tiny::new(1, 1, 8, 0, 0.03).unwrap();
    /// let p = tiny.grid(5, 5);
    /// assert!(p.len() == 25 && p.iter().all(|&q| (0.0..=1.0).contains(&q)));
    /// ```
    pub fn grid(&mut self, width: usize, height: usize) -> Vec<f64> {
        let (w, h) = (width.max(2), height.max(2));
        let mut points = Tensor::zeros(vec![w * h, 2]); // [w·h, 2]
        for row in 0..h {
            for col in 0..w {
                points[[row * w + col, 0]] = -1.2 + 2.4 * col as f64 / (w - 1) as f64;
                points[[row * w + col, 1]] = 1.2 - 2.4 * row as f64 / (h - 1) as f64;
            }
        }
        let p = scratchnet::activation::softmax(&self.net.predict(&points)); // [w·h, 2]
        (0..w * h).map(|i| p[[i, 1]]).collect()
    }

    /// The number of trainable parameters.
    ///
    /// ```
    /// let tiny = web::tiny::Tiny::new(0, 1, 8, 0, 0.03).unwrap();
    /// assert_eq!(tiny.num_parameters(), (2 * 8 + 8) + (8 * 2 + 2));
    /// ```
    pub fn num_parameters(&self) -> usize {
        self.net.num_parameters()
    }
}

thread_local! {
    static TINY: RefCell<Option<Tiny>> = const { RefCell::new(None) };
    static OUT: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
}

/// The page's entry point: starts a new [`Tiny`] (see [`Tiny::new`]) and returns
/// where its points are (`x y class` triplets of `f64`s, 200 of them), or null
/// for settings [`Tiny::new`] refuses ([`crate::last_error`] says why), after
/// dropping the network trained so far. `layers` and `width` come as the page
/// reads them, `f64`s (NaN for an empty field).
///
/// ```
/// let p = web::tiny::tiny_new(0, 1.0, 8.0, 0, 0.03);
/// let xyk = unsafe { std::slice::from_raw_parts(p, 600) };
/// assert!(xyk[2] == 0.0 || xyk[2] == 1.0);
/// assert!(web::tiny::tiny_new(0, 1.0, 200.0, 0, 0.03).is_null()); // wider than MAX_WIDTH
/// assert!(web::tiny::tiny_train(1).is_nan()); // and no network left to train
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn tiny_new(
    which: u32,
    layers: f64,
    width: f64,
    activation: u32,
    lr: f64,
) -> *const f64 {
    TINY.with(|t| *t.borrow_mut() = None);
    let Some(layers) = whole(layers) else {
        return refuse(Invalid::Layers);
    };
    let Some(width) = whole(width) else {
        return refuse(Invalid::Width);
    };
    let tiny = match Tiny::new(which as usize, layers, width, activation as usize, lr) {
        Ok(tiny) => tiny,
        Err(why) => return refuse(why),
    };
    let points: Vec<f64> = (0..tiny.labels.len())
        .flat_map(|i| [tiny.x[[i, 0]], tiny.x[[i, 1]], tiny.labels[i] as f64])
        .collect();
    TINY.with(|t| *t.borrow_mut() = Some(tiny));
    OUT.with(|out| {
        *out.borrow_mut() = points;
        out.borrow().as_ptr()
    })
}

/// Trains the current network `epochs` more epochs; returns the last loss
/// (NaN without a network, see [`tiny_new`]).
///
/// ```
/// web::tiny::tiny_new(1, 1.0, 8.0, 0, 0.03);
/// assert!(web::tiny::tiny_train(3).is_finite());
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn tiny_train(epochs: u32) -> f64 {
    TINY.with(|t| {
        t.borrow_mut()
            .as_mut()
            .map_or(f64::NAN, |tiny| tiny.train(epochs as usize))
    })
}

/// [`Tiny::grid`] of the current network; returns where its `width × height`
/// `f64`s are, or null without a network.
///
/// ```
/// web::tiny::tiny_new(1, 1.0, 8.0, 0, 0.03);
/// assert!(!web::tiny::tiny_grid(4, 4).is_null());
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn tiny_grid(width: u32, height: u32) -> *const f64 {
    let Some(grid) = TINY.with(|t| {
        t.borrow_mut()
            .as_mut()
            .map(|tiny| tiny.grid(width as usize, height as usize))
    }) else {
        return std::ptr::null();
    };
    OUT.with(|out| {
        *out.borrow_mut() = grid;
        out.borrow().as_ptr()
    })
}
