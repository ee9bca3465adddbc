//! The optimizer playground (Chapter 4): an optimizer's path on the chapter's surfaces.
//!
//! The reader picks a surface, an optimizer, its learning rate η and its
//! coefficient (momentum's μ, RMSProp's and Adadelta's ρ, Adam's β₁: the
//! names of Appendix B), and the number of steps; the path is [`descend`], the
//! very function that draws Figures 4.3 and 4.4, run with the library's
//! optimizers from the same starting points. Choosing a surface or an
//! optimizer loads that optimizer's settings in the figure ([`FIGURES`]).

use std::cell::RefCell;

use scratchnet::experiments::optimizers::{BOWL, ROSENBROCK, Surface, descend};
use scratchnet::optim::{AdaGrad, Adadelta, Adam, Momentum, Optimizer, RmsProp, Sgd};

use crate::{Invalid, refuse, whole};

/// The optimizers, in the order of the page's menu (and of Figures 4.3 and 4.4).
pub const OPTIMIZERS: [&str; 7] = [
    "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "Adadelta",
];

/// Each optimizer's coefficient, named as the book names it (Appendix B):
/// momentum's μ, RMSProp's and Adadelta's ρ, Adam's β₁; SGD and AdaGrad have none.
pub const COEFFICIENTS: [Option<&str>; 7] = [
    None,
    Some("μ"),
    Some("μ"),
    None,
    Some("ρ"),
    Some("β₁"),
    Some("ρ"),
];

/// Optimizer number `kind` of [`OPTIMIZERS`] with learning rate `lr` and
/// `coefficient` (see [`COEFFICIENTS`]; ignored by SGD and AdaGrad). Refuses,
/// rather than letting a constructor panic, an unknown number, an η that is
/// not a finite number > 0 and a coefficient outside [0, 1).
///
/// ```
/// use web::{Invalid, playground::optimizer};
/// assert_eq!(optimizer(5, 0.3, 0.9).unwrap().learning_rate(), 0.3);
/// assert_eq!(optimizer(7, 0.3, 0.9).err(), Some(Invalid::Choice));
/// assert_eq!(optimizer(0, 0.0, 0.9).err(), Some(Invalid::LearningRate));
/// assert_eq!(optimizer(1, 0.1, 1.5).err(), Some(Invalid::Coefficient("μ")));
/// assert!(optimizer(0, 0.1, f64::NAN).is_ok()); // SGD has no coefficient
/// ```
pub fn optimizer(kind: usize, lr: f64, coefficient: f64) -> Result<Box<dyn Optimizer>, Invalid> {
    let name = *COEFFICIENTS.get(kind).ok_or(Invalid::Choice)?;
    if !(lr.is_finite() && lr > 0.0) {
        return Err(Invalid::LearningRate);
    }
    match name {
        Some(name) if !(0.0..1.0).contains(&coefficient) => {
            return Err(Invalid::Coefficient(name));
        }
        _ => {}
    }
    Ok(match kind {
        0 => Box::new(Sgd::new(lr)),
        1 => Box::new(Momentum::new(lr, coefficient)),
        2 => Box::new(Momentum::nesterov(lr, coefficient)),
        3 => Box::new(AdaGrad::new(lr)),
        4 => {
            let mut opt = RmsProp::new(lr);
            opt.rho = coefficient;
            Box::new(opt)
        }
        5 => {
            let mut opt = Adam::new(lr);
            opt.beta1 = coefficient;
            Box::new(opt)
        }
        _ => {
            let mut opt = Adadelta::with_lr(lr);
            opt.rho = coefficient;
            Box::new(opt)
        }
    })
}

/// The settings of Figures 4.3 (the bowl) and 4.4 (Rosenbrock's function):
/// the number of steps, then each optimizer's η and coefficient (0 where it
/// has none), as `bowl_lineup` and `rosenbrock_lineup` build them
/// (`tests/demos.rs` checks that [`path`] with them draws the figures' paths).
pub const FIGURES: [(usize, [(f64, f64); 7]); 2] = [
    (
        30,
        [
            (0.95, 0.0),
            (0.1, 0.9),
            (0.1, 0.9),
            (1.5, 0.0),
            (0.3, 0.9),
            (0.3, 0.9),
            (1.0, 0.95),
        ],
    ),
    (
        3000,
        [
            (0.001, 0.0),
            (0.001, 0.9),
            (0.001, 0.9),
            (0.5, 0.0),
            (0.01, 0.9),
            (0.05, 0.9),
            (1.0, 0.95),
        ],
    ),
];

/// `(η, coefficient, steps)` of optimizer `kind` in the figure of surface
/// `which` ([`FIGURES`]): what the page loads when either menu changes.
///
/// ```
/// assert_eq!(web::playground::figure_settings(1, 1), Some((0.001, 0.9, 3000)));
/// assert_eq!(web::playground::figure_settings(0, 7), None);
/// ```
pub fn figure_settings(which: usize, kind: usize) -> Option<(f64, f64, usize)> {
    let (steps, settings) = FIGURES.get(which)?;
    let &(lr, coefficient) = settings.get(kind)?;
    Some((lr, coefficient, *steps))
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
/// `steps` steps (1 to [`MAX_STEPS`]) of optimizer `kind` (see [`optimizer`])
/// on surface `which` from its start: `steps + 1` points.
///
/// ```
/// use scratchnet::experiments::optimizers::{BOWL, descend};
/// use web::playground::path;
/// // Adam with η = 0.3, β₁ = 0.9: the path of Figure 4.3.
/// let p = path(0, 5, 0.3, 0.9, 30).unwrap();
/// let figure = descend(&mut scratchnet::optim::Adam::new(0.3), &BOWL, (-7.0, 2.0), 30);
/// assert_eq!(p, figure);
/// assert!(path(0, 5, -0.3, 0.9, 30).is_err()); // η ≤ 0: refused, not a panic
/// ```
pub fn path(
    which: usize,
    kind: usize,
    lr: f64,
    coefficient: f64,
    steps: usize,
) -> Result<Vec<(f64, f64)>, Invalid> {
    let (surface, start, _) = surface(which).ok_or(Invalid::Choice)?;
    let mut opt = optimizer(kind, lr, coefficient)?;
    if !(1..=MAX_STEPS).contains(&steps) {
        return Err(Invalid::Steps);
    }
    Ok(descend(opt.as_mut(), &surface, start, steps))
}
// ANCHOR_END: path

/// The largest number of steps the page asks for.
pub const MAX_STEPS: usize = 10_000;

thread_local! {
    static PATH: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
    static GRID: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
    static SETTINGS: RefCell<[f64; 3]> = const { RefCell::new([0.0; 3]) };
}

/// The page's entry point for [`figure_settings`]: where `[η, coefficient,
/// steps]` are (three `f64`s), or null for an unknown surface or optimizer.
///
/// ```
/// let p = web::playground::playground_settings(0, 6);
/// assert_eq!(unsafe { std::slice::from_raw_parts(p, 3) }, [1.0, 0.95, 30.0]); // Adadelta
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn playground_settings(which: u32, kind: u32) -> *const f64 {
    let Some((lr, coefficient, steps)) = figure_settings(which as usize, kind as usize) else {
        return refuse(Invalid::Choice);
    };
    SETTINGS.with(|buf| {
        *buf.borrow_mut() = [lr, coefficient, steps as f64];
        buf.as_ptr().cast()
    })
}

/// The page's entry point for a path: computes [`path`] and returns where its
/// `2 × (steps + 1)` coordinates are (`f64`s, x₀ y₀ x₁ y₁ …), or null for
/// settings [`path`] refuses ([`crate::last_error`] says why). `steps` comes as
/// the page reads it, an `f64` (NaN for an empty field).
///
/// ```
/// let p = web::playground::playground_path(0, 0, 0.5, 0.0, 1.0);
/// let xy = unsafe { std::slice::from_raw_parts(p, 4) };
/// assert_eq!(xy, [-7.0, 2.0, -6.65, 0.0]); // x ← x − 0.5·x/10, y ← y − 0.5·2y
/// assert!(web::playground::playground_path(0, 1, 0.1, 0.9, 2.5).is_null());
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn playground_path(
    which: u32,
    kind: u32,
    lr: f64,
    coefficient: f64,
    steps: f64,
) -> *const f64 {
    let Some(steps) = whole(steps) else {
        return refuse(Invalid::Steps);
    };
    let points = match path(which as usize, kind as usize, lr, coefficient, steps) {
        Ok(points) => points,
        Err(why) => return refuse(why),
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
