//! Figures of Chapter 5: regression by gradient descent and by a small network.

use std::path::Path;

use plotters::prelude::*;

use crate::{FigResult, book_mesh, canvas, draw_legend, legend_line, linspace, tick};
use scratchnet::experiments::regression::{
    self as reg, DATA_SEED, GD_STEPS, RANGE, least_squares, linear_data, nonlinear_data, target,
};
use scratchnet::{Layer, Mode, Tensor};

const BLUE: RGBColor = RGBColor(31, 119, 180);
const ORANGE: RGBColor = RGBColor(255, 127, 14);
const GREEN: RGBColor = RGBColor(44, 160, 44);
const GREY: RGBColor = RGBColor(120, 120, 120);

/// The linear case. Left: w₁, w₂ and b at every step of full-batch gradient
/// descent, with the least-squares values (dashed). Right: the largest
/// distance of the three to their least-squares values, on a log scale: a
/// straight line, as the distance shrinks by the same factor (0.8) at every
/// step.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-least-squares-descent.svg");
/// figures::ch05::least_squares_descent(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
/// ```
pub fn least_squares_descent(path: &Path) -> FigResult {
    let size = (960, 400);
    let (root, fonts) = canvas(path, size)?;
    let (left, right) = root.split_horizontally(size.0 / 2);
    let data = linear_data(DATA_SEED);
    let best = least_squares(&data.x_train, &data.y_train);
    let run = reg::gradient_descent(&data, GD_STEPS);
    let steps = 0.0..GD_STEPS as f64;

    let mut chart = ChartBuilder::on(&left)
        .margin(12)
        .margin_right(fonts.tick_overhang(3))
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(4))
        .build_cartesian_2d(steps.clone(), -4.5..2.5)?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("step")
        .y_desc("coefficient")
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .draw()?;
    for (k, (name, color)) in [("w₁", BLUE), ("w₂", ORANGE), ("b", GREEN)]
        .into_iter()
        .enumerate()
    {
        let points = run.path.iter().enumerate().map(|(t, p)| (t as f64, p[k]));
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))?
            .label(name)
            .legend(legend_line(color, 2));
    }
    // The least-squares values on top, black dashes: visible on the curves
    // that have reached them.
    for value in best {
        let line = [(steps.start, value), (steps.end, value)];
        chart.draw_series(DashedLineSeries::new(line, 6, 4, BLACK.stroke_width(1)))?;
    }
    chart
        .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())?
        .label("least squares")
        .legend(|(x, y)| {
            // A dashed key: two short strokes.
            let style = BLACK.stroke_width(1);
            EmptyElement::at((x, y))
                + PathElement::new(vec![(0, 0), (8, 0)], style)
                + PathElement::new(vec![(12, 0), (20, 0)], style)
        });
    // Between b (0.5) and w₂ (−3), where no curve goes.
    draw_legend(&mut chart, SeriesLabelPosition::MiddleRight, fonts)?;

    let distance = |p: &[f64; 3]| (0..3).map(|k| (p[k] - best[k]).abs()).fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(&right)
        .margin(12)
        .margin_right(fonts.tick_overhang(3))
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(5))
        .build_cartesian_2d(steps, (1e-10..10.0).log_scale())?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("step")
        .y_desc("distance to least squares")
        .x_label_formatter(&tick)
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()?;
    let points = run
        .path
        .iter()
        .enumerate()
        .map(|(t, p)| (t as f64, distance(p)));
    chart.draw_series(LineSeries::new(points, BLUE.stroke_width(2)))?;
    root.present()?;
    Ok(())
}

/// The non-linear case, with the network of the seed article and the best
/// linear model. Left: both along the slice x₂ = 0, with the true function
/// sin(2x₁). Right: their predictions against the targets of the
/// validation set (a perfect model would put every point on the diagonal).
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-regression-fit.svg");
/// figures::ch05::regression_fit(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
/// ```
pub fn regression_fit(path: &Path) -> FigResult {
    let size = (960, 420);
    let (root, fonts) = canvas(path, size)?;
    let (left, right) = root.split_horizontally(size.0 / 2);
    let data = nonlinear_data(DATA_SEED);
    let mut linear = reg::gradient_descent(&data, GD_STEPS).model;
    let data32 = data.cast::<f32>();
    let (mut net, _) = reg::train_network(&data32, 0);

    // Left: the slice x₂ = 0.
    let xs = linspace(-RANGE, RANGE, 201);
    let grid = Tensor::from_shape_fn(
        vec![xs.len(), 2],
        |i| if i[1] == 0 { xs[i[0]] } else { 0.0 },
    );
    let truth: Vec<f64> = xs.iter().map(|&x| target(x, 0.0)).collect();
    let net_line = net.predict(&grid.mapv(|v| v as f32)).mapv(f64::from);
    let linear_line = linear.forward(&grid, Mode::Eval);
    let mut chart = ChartBuilder::on(&left)
        .margin(12)
        .margin_right(fonts.tick_overhang(2))
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(4))
        .build_cartesian_2d(-RANGE..RANGE, -2.0..1.5)?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("x₁ (x₂ = 0)")
        .y_desc("y")
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .draw()?;
    let curves = [
        ("sin(2x₁)", truth, BLACK, 1),
        ("network", net_line.into_iter().collect(), BLUE, 2),
        ("linear", linear_line.into_iter().collect(), ORANGE, 2),
    ];
    for (name, ys, color, width) in curves {
        let points = xs.iter().copied().zip(ys);
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(width)))?
            .label(name)
            .legend(legend_line(color, width));
    }
    // Below the wave, which stays above −1.
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight, fonts)?;

    // Right: predicted against target on the validation set.
    let net_val = net.predict(&data32.x_val).mapv(f64::from);
    let linear_val = linear.forward(&data.x_val, Mode::Eval);
    let (lo, hi) = (-1.5, 3.5);
    let mut chart = ChartBuilder::on(&right)
        .margin(12)
        .margin_right(fonts.tick_overhang(3))
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(4))
        .build_cartesian_2d(lo..hi, lo..hi)?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("target y (validation)")
        .y_desc("prediction ŷ")
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .draw()?;
    chart.draw_series(LineSeries::new([(lo, lo), (hi, hi)], GREY.stroke_width(1)))?;
    for (name, prediction, color) in [("linear", &linear_val, ORANGE), ("network", &net_val, BLUE)]
    {
        let points = data.y_val.iter().zip(prediction.iter());
        chart
            .draw_series(points.map(|(&y, &p)| Circle::new((y, p), 3, color.mix(0.7).filled())))?
            .label(name)
            .legend(move |(x, y)| Circle::new((x + 10, y), 4, color.filled()));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft, fonts)?;
    root.present()?;
    Ok(())
}
