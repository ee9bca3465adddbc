//! Chapter 6's image task beyond digits: generated 28×28 grayscale pictures
//! of ten kinds of shape, at random positions, sizes and small rotations,
//! with pixel noise and clutter.
//!
//! The images have MNIST's shape (`[n, 784]`, pixels in [0, 1], ten
//! classes), so Chapter 5's networks and their run
//! ([`crate::experiments::mnist::run_mlp`], [`crate::experiments::cnn::run_cnn`])
//! train on them unchanged. Some classes differ only in what a network must
//! look closely at: a disc and a ring, a square and its frame, a plus and a
//! cross (a plus turned by 45°), a square and a diamond (also 45°); the
//! rotations stay within ±[`MAX_ANGLE_DEGREES`] so that each of those pairs
//! stays apart.

use crate::tensor::{Tensor, seeded_rng};
use rand::Rng as _;
use rand_distr::{Distribution, Normal};

/// The ten classes, in label order.
pub const CLASSES: [&str; 10] = [
    "disc", "ring", "square", "frame", "triangle", "plus", "cross", "h-bar", "v-bar", "diamond",
];

/// The largest rotation, either way, in degrees.
pub const MAX_ANGLE_DEGREES: f64 = 15.0;

/// The smallest and largest size (half the width of the shape's box), in pixels.
pub const SIZE_RANGE: (f64, f64) = (5.0, 10.0);

/// Where the shapes are drawn.
///
/// ```
/// use scratchnet::experiments::shapes::Placement;
/// assert_ne!(Placement::Anywhere, Placement::Centre);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Anywhere the whole shape fits, one pixel inside the border.
    Anywhere,
    /// Within one pixel of the image's centre.
    Centre,
}

/// What is added to the clean picture.
///
/// ```
/// use scratchnet::experiments::shapes::Noise;
/// assert!(Noise::default().sigma > 0.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Noise {
    /// Standard deviation of the Gaussian noise added to every pixel.
    pub sigma: f64,
    /// Number of short random strokes drawn over each image.
    pub strokes: usize,
}

impl Default for Noise {
    fn default() -> Self {
        Noise {
            sigma: 0.1,
            strokes: 3,
        }
    }
}

/// One shape to draw: its class, centre `(x, y)` in pixels (from the
/// top-left corner), size and rotation.
///
/// ```
/// use scratchnet::experiments::shapes::{Shape, render};
/// let disc = Shape { class: 0, x: 14.0, y: 14.0, size: 6.0, angle: 0.0 };
/// let img = render(&disc); // [784]
/// assert_eq!(img[14 * 28 + 14], 1.0); // the centre is inked
/// assert_eq!(img[0], 0.0); // a corner is not
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shape {
    /// The label, an index into [`CLASSES`].
    pub class: usize,
    /// Centre, horizontal, in pixels.
    pub x: f64,
    /// Centre, vertical (downwards), in pixels.
    pub y: f64,
    /// Half the width of the shape's box, in pixels.
    pub size: f64,
    /// Rotation in radians.
    pub angle: f64,
}

/// Is the point `(u, v)`, in the shape's own unit coordinates, inside a
/// shape of `class`? Every shape fits in a circle of radius 1.15.
fn inside(class: usize, u: f64, v: f64) -> bool {
    let bar = |a: f64, b: f64| a.abs() <= 1.0 && b.abs() <= 0.25;
    let r2 = u * u + v * v;
    match class {
        0 => r2 <= 1.0,                                                   // disc
        1 => (0.36..=1.0).contains(&r2),                                  // ring
        2 => u.abs() <= 0.8 && v.abs() <= 0.8,                            // square
        3 => u.abs().max(v.abs()) <= 0.8 && u.abs().max(v.abs()) >= 0.45, // frame
        4 => v <= 0.5 && 3f64.sqrt() * u.abs() <= v + 1.0,                // triangle, apex up
        5 => bar(u, v) || bar(v, u),                                      // plus
        6 => {
            let (a, b) = ((u + v) / 2f64.sqrt(), (u - v) / 2f64.sqrt());
            bar(a, b) || bar(b, a) // cross: a plus turned by 45°
        }
        7 => bar(u, v),                // horizontal bar
        8 => bar(v, u),                // vertical bar
        9 => u.abs() + v.abs() <= 1.0, // diamond
        _ => panic!("shapes: class {class} is not below {}", CLASSES.len()),
    }
}

/// The clean picture of `shape`, `[784]` pixels in [0, 1]: each pixel is the
/// share of a 4×4 grid of points inside it that fall inside the shape.
///
/// **Panics** if the class is not below 10.
///
/// ```
/// use scratchnet::experiments::shapes::{Shape, render};
/// let bar = Shape { class: 7, x: 14.0, y: 14.0, size: 8.0, angle: 0.0 };
/// let ink: f32 = render(&bar).iter().sum(); // 16 × 4 pixels
/// assert!((ink - 64.0).abs() < 1.0);
/// ```
// ANCHOR: render
pub fn render(shape: &Shape) -> Vec<f32> {
    let (sin, cos) = shape.angle.sin_cos();
    let mut img = vec![0.0f32; 28 * 28];
    for row in 0..28 {
        for col in 0..28 {
            let mut hits = 0;
            for k in 0..16 {
                let px = col as f64 + (k % 4) as f64 / 4.0 + 0.125 - shape.x;
                let py = row as f64 + (k / 4) as f64 / 4.0 + 0.125 - shape.y;
                // Into the shape's frame: undo the rotation, then the size.
                let u = (px * cos + py * sin) / shape.size;
                let v = (-px * sin + py * cos) / shape.size;
                hits += inside(shape.class, u, v) as u32;
            }
            img[row * 28 + col] = hits as f32 / 16.0;
        }
    }
    img
}
// ANCHOR_END: render

/// A data set of `n` generated images: `[n, 784]` pixels in [0, 1] and
/// their labels, the classes in turn (`i % 10`), so every class has `n / 10`
/// images (one more for the first `n % 10`). The same `seed` gives the same
/// images.
///
/// ```
/// use scratchnet::experiments::shapes::{Noise, Placement, generate};
/// let (x, labels) = generate(20, Placement::Anywhere, Noise::default(), 7);
/// assert_eq!(x.shape(), [20, 784]);
/// assert_eq!(&labels[..3], [0, 1, 2]);
/// assert!(x.iter().all(|&p| (0.0..=1.0).contains(&p)));
/// assert_eq!(x, generate(20, Placement::Anywhere, Noise::default(), 7).0);
/// ```
pub fn generate(
    n: usize,
    placement: Placement,
    noise: Noise,
    seed: u64,
) -> (Tensor<f32>, Vec<usize>) {
    let (shapes, labels) = draw_shapes(n, placement, seed);
    let mut rng = seeded_rng(seed ^ 0x005e_ed0f_c1a7); // the noise's own stream
    let gauss = Normal::new(0.0, noise.sigma.max(0.0)).expect("a finite sigma");
    let mut x = Tensor::<f32>::zeros(vec![n, 784]); // [n, 784]
    for (i, shape) in shapes.iter().enumerate() {
        let mut img = render(shape);
        for _ in 0..noise.strokes {
            // A short straight stroke: a random start, direction and length.
            let (mut sx, mut sy) = (rng.random_range(0.0..28.0), rng.random_range(0.0..28.0));
            let dir: f64 = rng.random_range(0.0..std::f64::consts::TAU);
            let len = rng.random_range(2..6);
            let level: f32 = rng.random_range(0.4..1.0);
            for _ in 0..len {
                let (c, r) = (sx as usize, sy as usize);
                if c < 28 && r < 28 {
                    img[r * 28 + c] = img[r * 28 + c].max(level);
                }
                sx += dir.cos();
                sy += dir.sin();
            }
        }
        for (j, p) in img.iter().enumerate() {
            let noisy = *p as f64 + gauss.sample(&mut rng);
            x[[i, j]] = noisy.clamp(0.0, 1.0) as f32;
        }
    }
    (x, labels)
}

/// The shapes [`generate`] draws for `n`, `placement` and `seed`, before
/// noise, with their labels: what the tests and figures check the pictures
/// against.
///
/// ```
/// use scratchnet::experiments::shapes::{Placement, draw_shapes};
/// let (shapes, labels) = draw_shapes(30, Placement::Centre, 1);
/// assert!(shapes.iter().all(|s| (s.x - 14.0).abs() <= 1.0));
/// assert_eq!(labels.iter().filter(|&&l| l == 9).count(), 3);
/// ```
pub fn draw_shapes(n: usize, placement: Placement, seed: u64) -> (Vec<Shape>, Vec<usize>) {
    let mut rng = seeded_rng(seed);
    let max_angle = MAX_ANGLE_DEGREES.to_radians();
    let labels: Vec<usize> = (0..n).map(|i| i % CLASSES.len()).collect();
    let shapes = labels
        .iter()
        .map(|&class| {
            let size = rng.random_range(SIZE_RANGE.0..=SIZE_RANGE.1);
            let reach = 1.15 * size + 1.0; // every shape fits within 1.15 × size, plus a pixel
            let (x, y) = match placement {
                Placement::Anywhere => (
                    rng.random_range(reach..=28.0 - reach),
                    rng.random_range(reach..=28.0 - reach),
                ),
                Placement::Centre => (rng.random_range(13.0..=15.0), rng.random_range(13.0..=15.0)),
            };
            let angle = rng.random_range(-max_angle..=max_angle);
            Shape {
                class,
                x,
                y,
                size,
                angle,
            }
        })
        .collect();
    (shapes, labels)
}
