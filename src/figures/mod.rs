//! The book's figures, drawn from the library's own code with `plotters`.
//!
//! Every figure is a function that writes one SVG file. The book build runs
//! `cargo xtask figures`, which calls [`draw_all`]; nothing drawn here is
//! committed to git. Figures are deterministic: any randomness uses a fixed
//! seed. Text is limited to axis labels and legends, so the figures serve
//! the English and the Chinese editions alike; captions live in the chapters.
//!
//! Plotters measures text with a font even when writing SVG. To build on a
//! machine without system fonts, we embed DejaVu Sans (from the `dejavu`
//! crate) and register it as the `sans-serif` family.

pub mod ch01;
pub mod ch02;
pub mod ch03;
pub mod ch04;

use std::error::Error;
use std::path::Path;
use std::sync::Once;

use plotters::coord::CoordTranslate;
use plotters::prelude::{
    BLACK, ChartContext, Color, DrawingBackend, PathElement, SeriesLabelPosition, WHITE,
};
use plotters::style::FontStyle;

/// What a figure function returns.
pub type FigResult = Result<(), Box<dyn Error>>;

/// A figure: the file name it is published under and the function that draws it.
pub struct Figure {
    /// File name inside the figures folder, e.g. `"activations.svg"`.
    pub file: &'static str,
    /// Draws the figure into the given path.
    pub draw: fn(&Path) -> FigResult,
}

/// Every figure of the book, in chapter order.
pub fn all() -> Vec<Figure> {
    vec![
        Figure {
            file: "activations.svg",
            draw: ch01::activations,
        },
        Figure {
            file: "perceptron_xor.svg",
            draw: ch01::perceptron_xor,
        },
        Figure {
            file: "vanishing_gradient.svg",
            draw: ch02::vanishing_gradient,
        },
        Figure {
            file: "init_histograms.svg",
            draw: ch02::init_histograms,
        },
        Figure {
            file: "overfitting.svg",
            draw: ch02::overfitting,
        },
        Figure {
            file: "computational_graph.svg",
            draw: ch03::computational_graph,
        },
        Figure {
            file: "finite_differences.svg",
            draw: ch03::finite_differences,
        },
        Figure {
            file: "training_curve.svg",
            draw: ch03::training_curve,
        },
        // Chapter 4
        Figure {
            file: "optimizer_paths.svg",
            draw: ch04::optimizer_paths,
        },
        Figure {
            file: "rosenbrock_paths.svg",
            draw: ch04::rosenbrock_paths,
        },
        Figure {
            file: "learning_rates.svg",
            draw: ch04::learning_rates,
        },
        Figure {
            file: "optimizer_losses.svg",
            draw: ch04::optimizer_losses,
        },
    ]
}

/// Draws every figure into `dir` (created if missing) and returns the files written.
///
/// ```
/// let dir = std::env::temp_dir().join("scratchnet-doctest-figures");
/// let files = scratchnet::figures::draw_all(&dir).unwrap();
/// assert!(files.iter().all(|f| f.exists()));
/// ```
pub fn draw_all(dir: &Path) -> Result<Vec<std::path::PathBuf>, Box<dyn Error>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for fig in all() {
        let path = dir.join(fig.file);
        (fig.draw)(&path).map_err(|e| format!("figure {}: {e}", fig.file))?;
        written.push(path);
    }
    Ok(written)
}

/// Registers the embedded DejaVu Sans as `sans-serif` (once per process).
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for style in [FontStyle::Normal, FontStyle::Bold] {
            let bytes = match style {
                FontStyle::Bold => dejavu::sans::bold(),
                _ => dejavu::sans::regular(),
            };
            plotters::style::register_font("sans-serif", style, bytes)
                .unwrap_or_else(|_| panic!("the embedded DejaVu font is valid"));
        }
    });
}

/// Formats a tick label without "-0.0" and without needless decimals.
///
/// ```
/// use scratchnet::figures::tick;
/// assert_eq!(tick(&-0.0), "0");
/// assert_eq!(tick(&0.25), "0.25");
/// assert_eq!(tick(&2.0), "2");
/// ```
pub fn tick(v: &f64) -> String {
    let r = (v * 1000.0).round() / 1000.0;
    if r == 0.0 {
        "0".to_string()
    } else {
        format!("{r}")
    }
}

/// Evenly spaced points from `a` to `b` inclusive.
///
/// ```
/// assert_eq!(scratchnet::figures::linspace(0.0, 1.0, 3), vec![0.0, 0.5, 1.0]);
/// ```
pub fn linspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| a + (b - a) * i as f64 / (n - 1) as f64)
        .collect()
}

/// Draws a chart's legend the same way in every figure: a light box at `position`.
pub fn draw_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> FigResult
where
    DB::ErrorType: 'static,
{
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    Ok(())
}

/// The legend marker of a line series: a short stroke in the series' color.
pub fn legend_line<C: Color + Copy + 'static>(
    color: C,
    width: u32,
) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> + 'static {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(width))
}
