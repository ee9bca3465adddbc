//! Data parallelism (Chapter 7): one mini-batch split across threads, each
//! thread with its own replica of the network.
//!
//! [`DataParallel`] wraps `N` replicas of a [`Sequential`] and is itself a
//! [`Layer`], so the one training loop, [`crate::fit`], trains it unchanged.
//! One training step then goes:
//!
//! 1. **broadcast**: every replica receives replica 0's parameter values;
//! 2. **scatter and forward**: the batch's rows are cut into `N` contiguous
//!    slices ([`shards`]) and replica `k` computes the outputs of slice `k`,
//!    all at once, one thread each; the outputs are gathered in order, and the
//!    loss is computed on the whole batch, as with one worker;
//! 3. **backward**: replica `k` backpropagates the loss gradient of its slice;
//! 4. **reduce**: every replica's parameter gradients are added into replica
//!    0's, in worker order 0, 1, …, N − 1, so the result never depends on
//!    which thread finished first;
//! 5. **step**: the optimizer updates replica 0 alone (its parameters are the
//!    ones [`Layer::params_mut`] hands out); the next forward broadcasts them.
//!
//! Since the loss is the mean over the batch, the gradient of every example
//! already carries its factor 1/B, and the sum of the slices' gradients *is*
//! the batch's gradient: the step equals one worker's up to the order in
//! which floating-point numbers are added. This is PyTorch's
//! `nn.DataParallel` (single process, threads, one loss); `nn.parallel.
//! DistributedDataParallel` instead gives each process its own loss, averages
//! gradients with an all-reduce and lets every process take the same step.
//!
//! **Randomness and statistics per slice.** A replica's dropout layers draw
//! their own masks, so build each replica with its own seed (the closure
//! given to [`DataParallel::new`] receives the worker's number): replicas
//! cloned from one network would draw the same masks for their slices. A batch
//! normalisation layer computes its statistics over its slice alone, and only
//! replica 0's running averages survive the next broadcast (PyTorch's
//! default, `broadcast_buffers=True`). With either layer, N workers do not
//! compute what one worker computes, in PyTorch as here.

use crate::layer::{Layer, Mode, Param, expect_input};
use crate::model::Sequential;
use crate::tensor::{Float, Rng, Tensor};
use ndarray::{Axis, Slice};
use std::ops::Range;
use std::thread;

/// Cuts `n` rows into at most `parts` contiguous, non-empty ranges whose
/// sizes differ by at most one (the first ones get the extra rows).
///
/// **Panics** if `parts` is 0.
///
/// ```
/// use scratchnet::parallel::shards;
/// assert_eq!(shards(10, 3), [0..4, 4..7, 7..10]);
/// assert_eq!(shards(2, 4), [0..1, 1..2]); // fewer rows than workers: two workers idle
/// assert_eq!(shards(0, 2), [0..0]); // an empty batch still goes to one worker
/// ```
// ANCHOR: shards
pub fn shards(n: usize, parts: usize) -> Vec<Range<usize>> {
    assert!(parts > 0, "shards: at least one part");
    let used = parts.min(n).max(1);
    let (size, extra) = (n / used, n % used);
    let mut start = 0;
    (0..used)
        .map(|k| {
            let end = start + size + usize::from(k < extra);
            let range = start..end;
            start = end;
            range
        })
        .collect()
}
// ANCHOR_END: shards

/// A network trained data-parallel: `N` replicas, each batch split across
/// them, one thread per replica (see the [module documentation](self)).
///
/// Its parameters are replica 0's; the others are scratch copies refreshed
/// before every forward pass. With one worker it *is* the network: nothing is
/// split, copied or spawned.
///
/// # Shapes
/// * input `x`: `[batch, ...]`, split along the rows
/// * output: what the wrapped network outputs for `x`, `[batch, ...]`
///
/// ```
/// use scratchnet::{parallel::DataParallel, prelude::*};
/// let net = |_worker: usize| {
///     let mut rng = seeded_rng(0);
///     Sequential::new().with(Dense::new(3, 4, Init::HeNormal, &mut rng)).with(ReLU::new())
/// };
/// let x = Tensor::from_shape_fn(vec![6, 3], |d| (d[0] * 3 + d[1]) as f64 / 10.0);
/// let mut parallel = DataParallel::new(2, net); // rows 0..3 and 3..6
/// assert_eq!(parallel.forward(&x, Mode::Train), net(0).forward(&x, Mode::Train));
/// assert_eq!(parallel.name(), "DataParallel(2 × Sequential(Dense(3 → 4), ReLU))");
/// ```
#[derive(Clone)]
pub struct DataParallel<F: Float = f64> {
    replicas: Vec<Sequential<F>>,
    slices: Vec<Range<usize>>, // the rows each replica got in the latest forward
}

impl<F: Float> DataParallel<F> {
    /// `workers` replicas, replica `k` built by `build(k)`; every replica then
    /// takes replica 0's parameter values, so `build` may draw different
    /// initial weights, and should give each replica its own dropout seed.
    ///
    /// **Panics** if `workers` is 0, or if a replica's parameters differ from
    /// replica 0's in number, name or shape (`build` made another network).
    ///
    /// ```
    /// use scratchnet::{parallel::DataParallel, prelude::*};
    /// // Different weights per worker: replica 0's win.
    /// let build = |k: usize| -> Sequential { Sequential::new().with(Dense::new(2, 2, Init::HeNormal, &mut seeded_rng(k as u64))) };
    /// let parallel = DataParallel::new(3, build);
    /// assert_eq!(parallel.workers(), 3);
    /// assert_eq!(parallel.model().params()[0].value, build(0).params()[0].value);
    /// // A replica with another shape is refused.
    /// let odd = |k: usize| -> Sequential { Sequential::new().with(Dense::new(2, 2 + k, Init::Zeros, &mut seeded_rng(0))) };
    /// assert!(std::panic::catch_unwind(|| DataParallel::new(2, odd)).is_err());
    /// ```
    pub fn new(workers: usize, build: impl Fn(usize) -> Sequential<F>) -> Self {
        assert!(workers > 0, "DataParallel: at least one worker");
        let replicas: Vec<Sequential<F>> = (0..workers).map(build).collect();
        let signature = |r: &Sequential<F>| -> Vec<(String, Vec<usize>)> {
            let params = r.params();
            params
                .iter()
                .map(|p| (p.name.clone(), p.value.shape().to_vec()))
                .collect()
        };
        for (k, replica) in replicas.iter().enumerate().skip(1) {
            assert_eq!(
                signature(replica),
                signature(&replicas[0]),
                "DataParallel: replica {k} has other parameters than replica 0"
            );
        }
        let mut parallel = DataParallel {
            replicas,
            slices: Vec::new(),
        };
        parallel.broadcast();
        parallel
    }

    /// The number of workers (replicas).
    ///
    /// ```
    /// use scratchnet::{parallel::DataParallel, Sequential};
    /// assert_eq!(DataParallel::<f64>::new(4, |_| Sequential::new()).workers(), 4);
    /// ```
    pub fn workers(&self) -> usize {
        self.replicas.len()
    }

    /// The trained network: replica 0, whose parameters the optimizer updates.
    ///
    /// ```
    /// use scratchnet::{parallel::DataParallel, prelude::*};
    /// let p = DataParallel::new(2, |_| -> Sequential { Sequential::new().with(ReLU::new()) });
    /// assert_eq!(p.model().summary(), ["ReLU"]);
    /// ```
    pub fn model(&self) -> &Sequential<F> {
        &self.replicas[0]
    }

    /// Unwraps the trained network (replica 0), dropping the other replicas.
    ///
    /// ```
    /// use scratchnet::{parallel::DataParallel, prelude::*};
    /// let p = DataParallel::new(2, |_| -> Sequential { Sequential::new().with(Tanh::new()) });
    /// let net: Sequential = p.into_model();
    /// assert_eq!(net.summary(), ["Tanh"]);
    /// ```
    pub fn into_model(mut self) -> Sequential<F> {
        self.replicas.swap_remove(0)
    }

    // ANCHOR: broadcast
    /// Every replica takes replica 0's parameter values (buffers included).
    fn broadcast(&mut self) {
        let (first, others) = self.replicas.split_first_mut().expect("a worker");
        let source = first.params();
        for replica in others {
            for (p, q) in replica.params_mut().into_iter().zip(&source) {
                p.value.assign(&q.value); // same order, same shapes: checked in `new`
            }
        }
    }

    /// Adds the gradients of the replicas that had rows into replica 0's, in
    /// worker order: the same sum, to the last bit, whatever the threads did.
    fn reduce_gradients(&mut self) {
        let used = self.slices.len();
        let (first, others) = self.replicas.split_first_mut().expect("a worker");
        let mut total = first.params_mut();
        for replica in &others[..used - 1] {
            for (sum, p) in total.iter_mut().zip(replica.params()) {
                sum.grad += &p.grad;
            }
        }
    }
    // ANCHOR_END: broadcast
}

// ANCHOR: on_workers
/// Runs `work(replica k, rows k)` for every slice, replica 0 on this thread
/// and the others on threads of their own, and returns the results in order.
fn on_workers<F: Float, T: Send>(
    replicas: &mut [Sequential<F>],
    slices: &[Range<usize>],
    work: impl Fn(&mut Sequential<F>, &Range<usize>) -> T + Sync,
) -> Vec<T> {
    let (first, others) = replicas.split_first_mut().expect("a worker");
    thread::scope(|s| {
        let work = &work;
        let handles: Vec<_> = others
            .iter_mut()
            .zip(&slices[1..])
            .map(|(replica, rows)| s.spawn(move || work(replica, rows)))
            .collect();
        let mut results = vec![work(first, &slices[0])]; // meanwhile, worker 0's share
        for h in handles {
            // A worker's panic goes on here, with its own message.
            results.push(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        results
    })
}
// ANCHOR_END: on_workers

/// The rows `rows` of `t`, copied.
fn rows_of<F: Float>(t: &Tensor<F>, rows: &Range<usize>) -> Tensor<F> {
    t.slice_axis(Axis(0), Slice::from(rows.clone())).to_owned()
}

/// The parts stacked back along the rows, in order.
fn gather<F: Float>(parts: &[Tensor<F>]) -> Tensor<F> {
    let views: Vec<_> = parts.iter().map(|p| p.view()).collect();
    ndarray::concatenate(Axis(0), &views).expect("every part has the same trailing shape")
}

// ANCHOR: layer
impl<F: Float> Layer<F> for DataParallel<F> {
    fn forward(&mut self, x: &Tensor<F>, mode: Mode) -> Tensor<F> {
        expect_input(self, x); // a wrong shape: one clear panic here, not one per thread
        self.slices = shards(x.len_of(Axis(0)), self.workers());
        if self.slices.len() == 1 {
            return self.replicas[0].forward(x, mode); // one worker: nothing to split
        }
        self.broadcast(); // every replica starts from the same weights
        let outputs = on_workers(&mut self.replicas, &self.slices, |replica, rows| {
            replica.forward(&rows_of(x, rows), mode) // [rows, ...]
        });
        gather(&outputs) // [batch, ...], the rows in their original order
    }

    fn backward(&mut self, grad_y: &Tensor<F>) -> Tensor<F> {
        if self.slices.len() == 1 {
            return self.replicas[0].backward(grad_y);
        }
        let grads_x = on_workers(&mut self.replicas, &self.slices, |replica, rows| {
            replica.backward(&rows_of(grad_y, rows)) // each replica: its slice's ∂L/∂θ
        });
        self.reduce_gradients(); // replica 0 now holds the whole batch's ∂L/∂θ
        gather(&grads_x)
    }

    fn backward_params(&mut self, grad_y: &Tensor<F>) {
        if self.slices.len() == 1 {
            return self.replicas[0].backward_params(grad_y);
        }
        on_workers(&mut self.replicas, &self.slices, |replica, rows| {
            replica.backward_params(&rows_of(grad_y, rows)) // as `backward`, without ∂L/∂x
        });
        self.reduce_gradients();
    }

    fn params(&self) -> Vec<&Param<F>> {
        self.replicas[0].params()
    }

    fn params_mut(&mut self) -> Vec<&mut Param<F>> {
        self.replicas[0].params_mut() // what the optimizer steps
    }

    fn name(&self) -> String {
        format!(
            "DataParallel({} × {})",
            self.workers(),
            self.replicas[0].name()
        )
    }

    fn check_input(&self, input: &[usize]) -> Result<(), String> {
        self.replicas[0].check_input(input) // every replica takes rows of the same shape
    }

    /// Every replica's generators, in worker order: a checkpoint saves and
    /// restores all the dropout streams, not only replica 0's.
    fn rngs(&self) -> Vec<&Rng> {
        self.replicas.iter().flat_map(|r| r.rngs()).collect()
    }

    fn rngs_mut(&mut self) -> Vec<&mut Rng> {
        self.replicas
            .iter_mut()
            .flat_map(|r| r.rngs_mut())
            .collect()
    }
}
// ANCHOR_END: layer
