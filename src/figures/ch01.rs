//! Figures of Chapters 1 and 2: activation functions.

use std::path::Path;

use plotters::prelude::*;

use super::{FigResult, linspace, register_fonts, tick};
use crate::activation::{relu, relu_prime, sigmoid, sigmoid_prime, tanh_prime};

type Curve = (&'static str, fn(f64) -> f64, RGBColor);

/// Sigmoid, tanh and ReLU (left) and their derivatives (right).
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-activations.svg");
/// scratchnet::figures::ch01::activations(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
/// ```
pub fn activations(path: &Path) -> FigResult {
    register_fonts();
    let root = SVGBackend::new(path, (960, 400)).into_drawing_area();
    root.fill(&WHITE)?;
    let (left, right) = root.split_horizontally(480);
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
    panel(&left, "f(x)", &functions, -1.2..2.2)?;
    panel(&right, "f′(x)", &derivatives, -0.1..1.1)?;
    root.present()?;
    Ok(())
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    y_label: &str,
    curves: &[Curve],
    y_range: std::ops::Range<f64>,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(48)
        .build_cartesian_2d(-4.0..4.0, y_range)?;
    chart
        .configure_mesh()
        .x_desc("x")
        .y_desc(y_label)
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    let xs = linspace(-4.0, 4.0, 401);
    for &(name, f, color) in curves {
        chart
            .draw_series(LineSeries::new(
                xs.iter().map(|&x| (x, f(x))),
                color.stroke_width(2),
            ))?
            .label(name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    Ok(())
}
