//! The optimizer playground (Chapter 4): an optimizer's path on the chapter's surfaces.
//!
//! The reader picks a surface, an optimizer, its learning rate and its β (the
//! momentum of momentum and Nesterov, RMSProp's and Adadelta's ρ, Adam's β₁);
//! the path is [`descend`], the very function that draws Figures 4.3 and 4.4,
//! run with the library's optimizers from the same starting points.

use std::cell::RefCell;

use scratchnet::experiments::optimizers::{BOWL, ROSENBROCK, Surface, descend};
use scratchnet::optim::{AdaGrad, Adadelta, Adam, Momentum, Optimizer, RmsProp, Sgd};

/// The optimizers, in the order of the page's menu (and of Figures 4.3 and 4.4).
pub const OPTIMIZERS: [&str; 7] = [
    "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "Adadelta",
];

/// Optimizer number `kind` of [`OPTIMIZERS`] with learning rate `lr` and `beta`
/// (ignored by SGD and AdaGrad); `None` for an unknown number.
///
/// ```
/// use web::playground::optimizer;
/// assert_eq!(optimizer(5, 0.3, 0.9).unwrap().learning_rate(), 0.3);
/// assert!(optimizer(7, 0.3, 0.9).is_none());
/// ```
pub fn optimizer(kind: usize, lr: f64, beta: f64) -> Option<Box<dyn Optimizer>> {
    Some(match kind {
        0 => Box::new(Sgd::new(lr)),
        1 => Box::new(Momentum::new(lr, beta)),
        2 => Box::new(Momentum::nesterov(lr, beta)),
        3 => Box::new(AdaGrad::new(lr)),
        4 => {
            let mut opt = RmsProp::new(lr);
            opt.rho = beta;
            Box::new(opt)
        }
        5 => {
            let mut opt = Adam::new(lr);
            opt.beta1 = beta;
            Box::new(opt)
        }
        6 => {
            let mut opt = Adadelta::with_lr(lr);
            opt.rho = beta;
            Box::new(opt)
        }
        _ => return None,
    })
}

/// A rectangle of the plane: `((x from, x to), (y from, y to))`.
///
/// ```
/// let (_, _, region): (_, _, web::playground::Region) = web::playground::surface(1).unwrap();
/// assert_eq!(region, ((-2.0, 2.0), (-1.0, 3.0))); // Figure 4.4's
/// ```
pub type Region = ((f64, f64), (f64, f64));

/// Surface number `which` (0 the bowl, 1 Rosenbrock's function), the start of
/// Chapter 4's paths on it, and the region its figure shows (`(x range, y range)`).
///
/// ```
/// use web::playground::surface;
/// let (bowl, start, _) = surface(0).unwrap();
/// assert_eq!(((bowl.f)(0.0, 0.0), start), (0.0, (-7.0, 2.0)));
/// assert!(surface(2).is_none());
/// ```
pub fn surface(which: usize) -> Option<(Surface, (f64, f64), Region)> {
    match which {
        0 => Some((BOWL, (-7.0, 2.0), ((-8.0, 8.0), (-3.0, 3.0)))),
        1 => Some((ROSENBROCK, (-1.5, 2.0), ((-2.0, 2.0), (-1.0, 3.0)))),
        _ => None,
    }
}

// ANCHOR: path
/// `steps` steps of optimizer `kind` (see [`optimizer`]) on surface `which`
/// from its start: `steps + 1` points, or `None` for an unknown number.
///
/// ```
/// use scratchnet::experiments::optimizers::{BOWL, descend};
/// use web::playground::path;
/// // Adam with η = 0.3, β₁ = 0.9: the path of Figure 4.3.
/// let p = path(0, 5, 0.3, 0.9, 30).unwrap();
/// let figure = descend(&mut scratchnet::optim::Adam::new(0.3), &BOWL, (-7.0, 2.0), 30);
/// assert_eq!(p, figure);
/// ```
pub fn path(
    which: usize,
    kind: usize,
    lr: f64,
    beta: f64,
    steps: usize,
) -> Option<Vec<(f64, f64)>> {
    let (surface, start, _) = surface(which)?;
    let mut opt = optimizer(kind, lr, beta)?;
    Some(descend(opt.as_mut(), &surface, start, steps))
}
// ANCHOR_END: path

/// The largest number of steps the page asks for.
pub const MAX_STEPS: usize = 10_000;

thread_local! {
    static PATH: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
    static GRID: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
}

/// The page's entry point for a path: computes [`path`] (at most [`MAX_STEPS`]
/// steps) and returns where its `2 × (steps + 1)` coordinates are (`f64`s,
/// x₀ y₀ x₁ y₁ …), or null for an unknown surface or optimizer.
///
/// ```
/// let p = web::playground::playground_path(0, 0, 0.5, 0.0, 1);
/// let xy = unsafe { std::slice::from_raw_parts(p, 4) };
/// assert_eq!(xy, [-7.0, 2.0, -6.65, 0.0]); // x ← x − 0.5·x/10, y ← y − 0.5·2y
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn playground_path(
    which: u32,
    kind: u32,
    lr: f64,
    beta: f64,
    steps: u32,
) -> *const f64 {
    let steps = (steps as usize).min(MAX_STEPS);
    let Some(points) = path(which as usize, kind as usize, lr, beta, steps) else {
        return std::ptr::null();
    };
    PATH.with(|buf| {
        let mut buf = buf.borrow_mut();
        buf.clear();
        buf.extend(points.iter().flat_map(|&(x, y)| [x, y]));
        buf.as_ptr()
    })
}

/// log₁₀(f + 10⁻³) of surface `which` on a `width × height` grid over its
/// figure's region, row by row from the top (largest y), for the page's
/// background; returns where the `width × height` `f64`s are, or null.
///
/// ```
/// let g = web::playground::playground_grid(0, 3, 3);
/// let v = unsafe { std::slice::from_raw_parts(g, 9) };
/// assert!((v[4] - (1e-3f64).log10()).abs() < 1e-12); // the centre is the minimum, f = 0
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn playground_grid(which: u32, width: u32, height: u32) -> *const f64 {
    let Some((surface, _, ((x0, x1), (y0, y1)))) = surface(which as usize) else {
        return std::ptr::null();
    };
    let (w, h) = (width.max(2) as usize, height.max(2) as usize);
    GRID.with(|buf| {
        let mut buf = buf.borrow_mut();
        buf.clear();
        for row in 0..h {
            let y = y1 - (y1 - y0) * row as f64 / (h - 1) as f64;
            for col in 0..w {
                let x = x0 + (x1 - x0) * col as f64 / (w - 1) as f64;
                buf.push(((surface.f)(x, y) + 1e-3).log10());
            }
        }
        buf.as_ptr()
    })
}
