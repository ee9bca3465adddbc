//! Figures of Chapter 1: what one perceptron can separate, and a preview of
//! Chapter 2's activation functions.

use std::path::Path;

use plotters::prelude::*;

use crate::{FigResult, Fonts, book_mesh, canvas, draw_legend, legend_line, linspace, tick};
use scratchnet::activation::{relu, relu_prime, sigmoid, sigmoid_prime, tanh_prime};
use scratchnet::perceptron::{self, AND, Perceptron, XOR};

type Curve = (&'static str, fn(f64) -> f64, RGBColor);
/// A point of a plot, in data coordinates.
type Point = (f64, f64);

/// Sigmoid, tanh and ReLU (left) and their derivatives (right).
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-activations.svg");
/// figures::ch01::activations(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
/// ```
pub fn activations(path: &Path) -> FigResult {
    let size = (960, 400);
    let (root, fonts) = canvas(path, size)?;
    let (left, right) = root.split_horizontally(size.0 / 2);
    let blue = RGBColor(31, 119, 180);
    let orange = RGBColor(255, 127, 14);
    let green = RGBColor(44, 160, 44);
    let functions: [Curve; 3] = [
        ("sigmoid", sigmoid, blue),
        ("tanh", f64::tanh, orange),
        ("ReLU", relu, green),
    ];
    let derivatives: [Curve; 3] = [
        ("sigmoid′", sigmoid_prime, blue),
        ("tanh′", tanh_prime, orange),
        ("ReLU′", relu_prime, green),
    ];
    panel(&left, "f(x)", &functions, -1.2..3.2, fonts)?;
    panel(&right, "f′(x)", &derivatives, -0.1..1.1, fonts)?;
    root.present()?;
    Ok(())
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    y_label: &str,
    curves: &[Curve],
    y_range: std::ops::Range<f64>,
    fonts: Fonts,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(4))
        .build_cartesian_2d(-3.0..3.0, y_range)?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("x")
        .y_desc(y_label)
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .draw()?;
    let xs = linspace(-3.0, 3.0, 301);
    for &(name, f, color) in curves {
        chart
            .draw_series(LineSeries::new(
                xs.iter().map(|&x| (x, f(x))),
                color.stroke_width(2),
            ))?
            .label(name)
            .legend(legend_line(color, 2));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft, fonts)?;
    Ok(())
}

/// Two panels: the four points of AND with the line w·x + b = 0 that the
/// perceptron learned (shading where it fires), and the four points of XOR,
/// for which no such line exists.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-perceptron_xor.svg");
/// figures::ch01::perceptron_xor(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
/// ```
pub fn perceptron_xor(path: &Path) -> FigResult {
    let size = (960, 480);
    let (root, fonts) = canvas(path, size)?;
    let (left, right) = root.split_horizontally(size.0 / 2);
    let (and, epochs) = perceptron::train(&AND, 0.1, 100);
    assert!(epochs.is_some(), "the perceptron learns AND");
    truth_table_panel(&left, "AND", &AND, Some(&and), fonts)?;
    truth_table_panel(&right, "XOR", &XOR, None, fonts)?;
    root.present()?;
    Ok(())
}

/// The plotted square is [LO, HI] × [LO, Y_HI]; the legend sits above the points.
const LO: f64 = -0.5;
const HI: f64 = 1.5;
const Y_HI: f64 = 2.0;

fn truth_table_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    title: &str,
    data: &[([f64; 2], u8)],
    line: Option<&Perceptron>,
    fonts: Fonts,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let blue = RGBColor(31, 119, 180);
    let orange = RGBColor(255, 127, 14);
    let mut chart = ChartBuilder::on(area)
        .margin(16)
        .caption(title, fonts.axis())
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(4))
        .build_cartesian_2d(LO..HI, LO..Y_HI)?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("x₁")
        .y_desc("x₂")
        .x_labels(6)
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .draw()?;
    if let Some(p) = line {
        let (region, crossings) = firing_region(p);
        chart
            .draw_series(std::iter::once(Polygon::new(
                region,
                blue.mix(0.12).filled(),
            )))?
            .label("w·x + b > 0")
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 6), (x + 20, y + 6)], blue.mix(0.12).filled())
            });
        chart
            .draw_series(LineSeries::new(crossings, BLACK.stroke_width(2)))?
            .label("w·x + b = 0")
            .legend(legend_line(BLACK, 2));
    }
    let points = |target: u8| {
        data.iter()
            .filter(move |(_, t)| *t == target)
            .map(|(x, _)| (x[0], x[1]))
    };
    chart
        .draw_series(points(1).map(|c| Circle::new(c, 9, blue.filled())))?
        .label("t = 1")
        .legend(move |(x, y)| Circle::new((x + 10, y), 6, blue.filled()));
    chart
        .draw_series(points(0).map(|c| Circle::new(c, 9, orange.stroke_width(3))))?
        .label("t = 0")
        .legend(move |(x, y)| Circle::new((x + 10, y), 6, orange.stroke_width(2)));
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight, fonts)?;
    Ok(())
}

/// The part of the plotted rectangle where `p` fires (w·x + b > 0), as a
/// polygon, and the points where its boundary w·x + b = 0 crosses the edges.
///
/// One pass of Sutherland–Hodgman clipping: walk the rectangle's corners,
/// keep those inside the half-plane, and add the point where an edge crosses
/// the line (found by linear interpolation of w·x + b along the edge).
fn firing_region(p: &Perceptron) -> (Vec<Point>, Vec<Point>) {
    let z = |(a, b): (f64, f64)| p.w[0] * a + p.w[1] * b + p.b;
    let corners = [(LO, LO), (HI, LO), (HI, Y_HI), (LO, Y_HI)];
    let (mut region, mut crossings) = (Vec::new(), Vec::new());
    for (i, &a) in corners.iter().enumerate() {
        let c = corners[(i + 1) % corners.len()];
        let (za, zc) = (z(a), z(c));
        if za > 0.0 {
            region.push(a);
        }
        if (za > 0.0) != (zc > 0.0) {
            let s = za / (za - zc);
            let cross = (a.0 + s * (c.0 - a.0), a.1 + s * (c.1 - a.1));
            region.push(cross);
            crossings.push(cross);
        }
    }
    (region, crossings)
}
