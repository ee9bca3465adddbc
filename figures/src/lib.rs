//! The book's figures, drawn with `plotters` from the code of [`scratchnet`],
//! the book's library (a crate of their own: the library needs no plotting).
//!
//! Every figure is a function that writes one SVG file. The book build runs
//! `cargo xtask figures`, which calls [`draw_all`]; nothing drawn here is
//! committed to git. Figures are deterministic: any randomness uses a fixed
//! seed. Text is limited to axis labels and legends, so the figures serve
//! the English and the Chinese editions alike; captions live in the chapters.
//!
//! The book shows a figure at most 750 px wide, so a wider SVG is scaled
//! down; [`Fonts`] sizes every text for what the reader sees in the column
//! ([`TICK_FONT`], [`AXIS_FONT`], [`LEGEND_FONT`]), whatever the canvas width.
//!
//! Plotters measures text with a font even when writing SVG. To build on a
//! machine without system fonts, we embed DejaVu Sans (from the `dejavu`
//! crate) and register it as the `sans-serif` family.

pub mod ch01;
pub mod ch02;
pub mod ch03;
pub mod ch04;
pub mod ch05;
pub mod ch06;
pub mod ch08;
pub mod cnn;
pub mod mnist;
pub mod training;

use std::error::Error;
use std::path::Path;
use std::sync::Once;

use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::{
    BLACK, ChartBuilder, ChartContext, Circle, Color, DrawingArea, DrawingBackend, EmptyElement,
    IntoDrawingArea, LineSeries, PathElement, RGBColor, SVGBackend, SeriesLabelPosition, WHITE,
};
use plotters::style::{FontStyle, IntoFont, TextStyle};

/// Width of the book's text column in CSS pixels. A wider figure is shown
/// scaled down to it (`max-width: 100%`), a narrower one at its own size.
///
/// ```
/// use figures::*;
/// assert_eq!(COLUMN_WIDTH, 750);
/// assert_eq!(Fonts::for_width(COLUMN_WIDTH).em(TICK_FONT), TICK_FONT); // shown unscaled
/// ```
pub const COLUMN_WIDTH: u32 = 750;

/// Size of tick labels as the reader sees them in the column, in CSS pixels.
///
/// ```
/// use figures::*;
/// assert_eq!(TICK_FONT, 12.0);
/// assert_eq!(Fonts::for_width(2 * COLUMN_WIDTH).em(TICK_FONT), 24.0); // halved on the page
/// ```
pub const TICK_FONT: f64 = 12.0;
/// Size of axis descriptions as the reader sees them, in CSS pixels.
///
/// ```
/// use figures::*;
/// assert_eq!(AXIS_FONT, 13.0);
/// assert!(AXIS_FONT > TICK_FONT);
/// ```
pub const AXIS_FONT: f64 = 13.0;
/// Size of legend entries as the reader sees them, in CSS pixels.
///
/// ```
/// use figures::*;
/// assert_eq!(LEGEND_FONT, 13.0);
/// assert_eq!(LEGEND_FONT, AXIS_FONT);
/// ```
pub const LEGEND_FONT: f64 = 13.0;

/// Plotters' SVG backend writes `font-size` as the size it is given divided
/// by this factor (its sizes are line heights, not em sizes).
const SVG_FONT_DIVISOR: f64 = 1.24;

/// The text sizes of one figure: the column sizes above, enlarged by as
/// much as the browser will shrink the figure.
///
/// ```
/// use figures::{Fonts, TICK_FONT};
/// // A 960-wide figure is shown at 750 px, so its text is drawn 1.28 times larger.
/// assert!((Fonts::for_width(960).em(TICK_FONT) - 15.36).abs() < 0.01);
/// // A figure narrower than the column is shown at its own size.
/// assert_eq!(Fonts::for_width(720).em(TICK_FONT), TICK_FONT);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Fonts {
    scale: f64,
}

impl Fonts {
    /// The sizes for a canvas `canvas_width` SVG units wide.
    ///
    /// ```
    /// use figures::Fonts;
    /// assert_eq!(Fonts::for_width(1500).em(10.0), 20.0); // shown at half size: drawn twice as large
    /// assert_eq!(Fonts::for_width(300).em(10.0), 10.0); // shown at its own size
    /// ```
    pub fn for_width(canvas_width: u32) -> Fonts {
        let shown = canvas_width.max(COLUMN_WIDTH);
        Fonts {
            scale: f64::from(shown) / f64::from(COLUMN_WIDTH),
        }
    }

    /// The `font-size`, in SVG units, of text meant to look `column_px` CSS
    /// pixels large in the book.
    ///
    /// ```
    /// use figures::{AXIS_FONT, Fonts};
    /// assert_eq!(Fonts::for_width(1125).em(AXIS_FONT), 1.5 * AXIS_FONT); // 1125 / 750 = 1.5
    /// ```
    pub fn em(self, column_px: f64) -> f64 {
        column_px * self.scale
    }

    /// The size to give plotters for text meant to look `column_px` large.
    pub(crate) fn px(self, column_px: f64) -> f64 {
        self.em(column_px) * SVG_FONT_DIVISOR
    }

    /// A `sans-serif` style that looks `column_px` large in the book.
    pub(crate) fn style(self, column_px: f64) -> TextStyle<'static> {
        ("sans-serif", self.px(column_px)).into_font().into()
    }

    /// Tick labels.
    pub(crate) fn tick(self) -> TextStyle<'static> {
        self.style(TICK_FONT)
    }

    /// Axis descriptions.
    pub(crate) fn axis(self) -> TextStyle<'static> {
        self.style(AXIS_FONT)
    }

    /// Legend entries.
    pub(crate) fn legend(self) -> TextStyle<'static> {
        self.style(LEGEND_FONT)
    }

    /// Height of an x label area that holds a row of tick labels and the
    /// axis description below it.
    pub(crate) fn x_label_area(self) -> u32 {
        // Plotters puts the labels about 10 units below the axis.
        (14.0 + 1.15 * (self.em(TICK_FONT) + self.em(AXIS_FONT))) as u32
    }

    /// Right margin of a chart whose last x tick label, of `tick_chars`
    /// characters, sits at its right edge: half that label, which is centred
    /// on its tick.
    pub(crate) fn tick_overhang(self, tick_chars: usize) -> u32 {
        (4.0 + 0.32 * tick_chars as f64 * self.em(TICK_FONT)) as u32
    }

    /// Height of a legend box of `entries` lines, as [`draw_legend`] draws it.
    pub(crate) fn legend_height(self, entries: usize) -> u32 {
        // Plotters spaces lines by 1.25 times its size and pads the box by 10.
        (entries as f64 * 1.25 * self.px(LEGEND_FONT) + 20.0).ceil() as u32
    }

    /// Width of a y label area that holds tick labels of up to `tick_chars`
    /// characters and the (rotated) axis description left of them.
    pub(crate) fn y_label_area(self, tick_chars: usize) -> u32 {
        self.y_tick_area(tick_chars) + (1.3 * self.em(AXIS_FONT)) as u32
    }

    /// Width of a y label area that holds only tick labels of up to
    /// `tick_chars` characters.
    pub(crate) fn y_tick_area(self, tick_chars: usize) -> u32 {
        // DejaVu's digits are 0.64 em wide; labels sit about 10 units off the axis.
        (14.0 + 0.64 * tick_chars as f64 * self.em(TICK_FONT)) as u32
    }
}

/// What a figure function returns.
///
/// ```
/// use figures::FigResult;
/// fn missing_data() -> FigResult {
///     Err("no data to plot".into())
/// }
/// assert_eq!(missing_data().unwrap_err().to_string(), "no data to plot");
/// ```
pub type FigResult = Result<(), Box<dyn Error>>;

/// A figure: the file name it is published under and the function that draws it.
///
/// ```
/// let first = &figures::all()[0];
/// assert_eq!(first.file, "activations.svg");
/// let path = std::env::temp_dir().join("scratchnet-figure-doctest.svg");
/// (first.draw)(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().starts_with("<svg"));
/// ```
pub struct Figure {
    /// File name inside the figures folder, e.g. `"activations.svg"`.
    pub file: &'static str,
    /// Draws the figure into the given path.
    pub draw: fn(&Path) -> FigResult,
}

/// Every figure of the book, in chapter order.
///
/// ```
/// let figures = figures::all();
/// let files: std::collections::HashSet<_> = figures.iter().map(|f| f.file).collect();
/// assert_eq!(files.len(), figures.len()); // no two figures share a file
/// assert!(files.iter().all(|f| f.ends_with(".svg")));
/// ```
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
            file: "l1_steps.svg",
            draw: ch02::l1_steps,
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
        Figure {
            file: "mazur_network.svg",
            draw: ch03::mazur_network,
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
        Figure {
            file: "learning_slowdown.svg",
            draw: ch04::learning_slowdown,
        },
        // Chapter 5
        Figure {
            file: "least_squares_descent.svg",
            draw: ch05::least_squares_descent,
        },
        Figure {
            file: "regression_fit.svg",
            draw: ch05::regression_fit,
        },
        // Chapter 5: MNIST, drawn from the run records in records/ch05/
        Figure {
            file: "mnist_samples.svg",
            draw: mnist::samples,
        },
        Figure {
            file: "mnist_curves.svg",
            draw: mnist::curves,
        },
        Figure {
            file: "batch_sizes.svg",
            draw: training::batch_sizes,
        },
        Figure {
            file: "lr_schedules.svg",
            draw: training::schedules,
        },
        Figure {
            file: "early_stopping.svg",
            draw: training::early_stopping,
        },
        Figure {
            file: "first_layer_weights.svg",
            draw: training::first_layer,
        },
        // Chapter 5: convolutional networks
        Figure {
            file: "im2col.svg",
            draw: cnn::im2col_figure,
        },
        Figure {
            file: "cnn_batch_norm.svg",
            draw: cnn::batch_norm,
        },
        Figure {
            file: "cnn_curves.svg",
            draw: cnn::curves,
        },
        Figure {
            file: "cnn_filters.svg",
            draw: cnn::filters,
        },
        Figure {
            file: "cnn_feature_maps.svg",
            draw: cnn::feature_maps,
        },
        Figure {
            file: "mnist_confusion.svg",
            draw: mnist::confusion,
        },
        Figure {
            file: "mnist_mistakes.svg",
            draw: mnist::mistakes,
        },
        // Chapter 6: generated shapes and word lists, drawn from records/ch06/
        Figure {
            file: "shapes_samples.svg",
            draw: ch06::shapes_samples,
        },
        Figure {
            file: "shapes_confusion_mlp.svg",
            draw: ch06::shapes_confusion_mlp,
        },
        Figure {
            file: "shapes_confusion_cnn.svg",
            draw: ch06::shapes_confusion_cnn,
        },
        Figure {
            file: "language_confusion.svg",
            draw: ch06::language_confusion,
        },
        // Chapter 8: trends and challenges, from records/ch08/trends.json
        Figure {
            file: "saliency_maps.svg",
            draw: ch08::saliency_maps,
        },
        Figure {
            file: "fgsm_examples.svg",
            draw: ch08::fgsm_examples,
        },
        Figure {
            file: "fgsm_accuracy.svg",
            draw: ch08::fgsm_accuracy,
        },
    ]
}

/// Draws every figure into `dir` (created if missing) and returns the files written.
///
/// ```
/// let dir = std::env::temp_dir().join("scratchnet-doctest-figures");
/// let files = figures::draw_all(&dir).unwrap();
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
pub(crate) fn register_fonts() {
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
/// use figures::tick;
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
/// assert_eq!(figures::linspace(0.0, 1.0, 3), vec![0.0, 0.5, 1.0]);
/// ```
pub fn linspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| a + (b - a) * i as f64 / (n - 1) as f64)
        .collect()
}

/// Draws a chart's legend the same way in every figure: a light box at
/// `position`, its text [`LEGEND_FONT`] large as seen in the book.
pub(crate) fn draw_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
    fonts: Fonts,
) -> FigResult
where
    DB::ErrorType: 'static,
{
    chart
        .configure_series_labels()
        .position(position)
        .label_font(fonts.legend())
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    Ok(())
}

/// The legend marker of a line series: a short stroke in the series' color.
pub(crate) fn legend_line<C: Color + Copy + 'static>(
    color: C,
    width: u32,
) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> + 'static {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(width))
}

/// How a legend entry of [`legend_above`] is marked: a line of a colour and
/// width, or a dot.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Key {
    /// A short line, like [`legend_line`].
    Line(RGBColor, u32),
    /// A filled dot.
    Dot(RGBColor),
    /// A short dashed line of a colour and width.
    Dashed(RGBColor, u32),
}

/// Distance from the top of a panel to a legend drawn by [`legend_above`].
const LEGEND_TOP: u32 = 12;

/// The top margin a panel needs for a legend of `lines` entries above its plot.
pub(crate) fn legend_band(lines: usize, fonts: Fonts) -> u32 {
    LEGEND_TOP + fonts.legend_height(lines) + 8
}

/// Draws a legend of `keys` (label and marker) at the top of `area`, its left
/// edge `plot_left` units from the area's, as [`draw_legend`] draws one: for
/// panels whose plot has no room to spare, given a top margin of [`legend_band`].
pub(crate) fn legend_above<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    plot_left: u32,
    keys: &[(String, Key)],
    fonts: Fonts,
) -> FigResult
where
    DB::ErrorType: 'static,
{
    // A chart of nothing, there only to carry the legend's entries
    // (plotters puts a legend 5 units inside the chart's corner).
    let mut key = ChartBuilder::on(area)
        .margin_top(LEGEND_TOP - 5)
        .margin_left(plot_left - 5)
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
    let nothing = || std::iter::empty::<(f64, f64)>();
    for (label, marker) in keys {
        match *marker {
            Key::Line(color, width) => key
                .draw_series(LineSeries::new(nothing(), color.stroke_width(width)))?
                .label(label)
                .legend(legend_line(color, width)),
            Key::Dashed(color, width) => key
                .draw_series(LineSeries::new(nothing(), color.stroke_width(width)))?
                .label(label)
                .legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(0, 0), (7, 0)], color.stroke_width(width))
                        + PathElement::new(vec![(13, 0), (20, 0)], color.stroke_width(width))
                }),
            Key::Dot(color) => key
                .draw_series(nothing().map(|p| Circle::new(p, 4, color.filled())))?
                .label(label)
                .legend(move |(x, y)| Circle::new((x + 10, y), 4, color.filled())),
        };
    }
    draw_legend(&mut key, SeriesLabelPosition::UpperLeft, fonts)
}

/// Starts a figure: a white SVG canvas of `size` pixels at `path`, and the
/// font sizes that keep its text readable at the book's column width.
pub(crate) fn canvas(
    path: &Path,
    size: (u32, u32),
) -> Result<(DrawingArea<SVGBackend<'_>, Shift>, Fonts), Box<dyn Error>> {
    register_fonts();
    let root = SVGBackend::new(path, size).into_drawing_area();
    root.fill(&WHITE)?;
    Ok((root, Fonts::for_width(size.0)))
}

/// The book's axes: tick labels and axis descriptions in the figure's font
/// sizes, and no minor grid lines.
pub(crate) fn book_mesh<'a, 'b, 'm, X, Y, XT, YT, DB>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    fonts: Fonts,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    DB: DrawingBackend,
{
    mesh.label_style(fonts.tick())
        .axis_desc_style(fonts.axis())
        .light_line_style(WHITE.mix(0.0))
}
