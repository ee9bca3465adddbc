//! Figures of Chapter 4: optimizer trajectories, learning rates, loss curves, the learning slowdown.

use std::collections::HashMap;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::{
    FigResult, Fonts, Key, book_mesh, canvas, draw_legend, legend_above, legend_band, legend_line,
    linspace, tick,
};
use scratchnet::experiments::optimizers::{
    self, BOWL, LEARNING_RATES, ROSENBROCK, SPIRAL_STEPS, Surface, descend,
};
use scratchnet::experiments::slowdown::{self, SlowdownLoss};
use scratchnet::optim::{Optimizer, Sgd};

/// Line colours, one per optimizer (matplotlib's "tab10").
const COLORS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

/// A trajectory to draw: legend, points, colour.
type Run<'a> = (&'a str, Vec<(f64, f64)>, RGBColor);

type Corner = (usize, usize);
type EdgeKey = (Corner, Corner);

/// The level set f = `level` as polylines, by marching squares on an
/// `n × n` grid over the rectangle.
///
/// Each grid cell whose corners lie on both sides of the level gets one
/// segment (two for a saddle cell) between the points where f crosses the
/// level on its edges, found by linear interpolation. Neighbouring cells
/// share their edge's crossing, so the segments are then chained into
/// polylines (a smaller picture than thousands of separate segments).
///
/// ```
/// use figures::ch04::contour;
/// // The unit circle as the level 1 of x² + y²: one closed polyline.
/// let lines = contour(|x, y| x * x + y * y, (-2.0, 2.0), (-2.0, 2.0), 40, 1.0);
/// assert_eq!(lines.len(), 1);
/// assert_eq!(lines[0].first(), lines[0].last());
/// for &(x, y) in &lines[0] {
///     assert!((x * x + y * y - 1.0).abs() < 0.02);
/// }
/// ```
pub fn contour(
    f: impl Fn(f64, f64) -> f64,
    xr: (f64, f64),
    yr: (f64, f64),
    n: usize,
    level: f64,
) -> Vec<Vec<(f64, f64)>> {
    let xs = linspace(xr.0, xr.1, n + 1);
    let ys = linspace(yr.0, yr.1, n + 1);
    let v: Vec<Vec<f64>> = ys
        .iter()
        .map(|&y| xs.iter().map(|&x| f(x, y) - level).collect())
        .collect();
    let mut points: HashMap<EdgeKey, (f64, f64)> = HashMap::new();
    let mut segments: Vec<(EdgeKey, EdgeKey)> = Vec::new();
    for j in 0..n {
        for i in 0..n {
            // Corners counter-clockwise: (i, j), (i+1, j), (i+1, j+1), (i, j+1).
            let c = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
            let mut cross = Vec::with_capacity(4);
            for k in 0..4 {
                let (a, b) = (c[k].min(c[(k + 1) % 4]), c[k].max(c[(k + 1) % 4]));
                let (va, vb) = (v[a.1][a.0], v[b.1][b.0]);
                if (va < 0.0) != (vb < 0.0) {
                    let t = va / (va - vb);
                    let p = (
                        xs[a.0] + t * (xs[b.0] - xs[a.0]),
                        ys[a.1] + t * (ys[b.1] - ys[a.1]),
                    );
                    points.insert((a, b), p);
                    cross.push((a, b));
                }
            }
            for pair in cross.chunks_exact(2) {
                segments.push((pair[0], pair[1]));
            }
        }
    }
    chain(&segments)
        .into_iter()
        .map(|keys| keys.iter().map(|k| points[k]).collect())
        .collect()
}

/// Joins segments that share an end into polylines.
fn chain(segments: &[(EdgeKey, EdgeKey)]) -> Vec<Vec<EdgeKey>> {
    let mut at: HashMap<EdgeKey, Vec<usize>> = HashMap::new();
    for (s, &(a, b)) in segments.iter().enumerate() {
        at.entry(a).or_default().push(s);
        at.entry(b).or_default().push(s);
    }
    let mut used = vec![false; segments.len()];
    let mut lines = Vec::new();
    // Start from the open ends first, so that open curves come out whole.
    let mut order: Vec<usize> = (0..segments.len()).collect();
    order.sort_by_key(|&s| (at[&segments[s].0].len() + at[&segments[s].1].len(), s));
    for s0 in order {
        if used[s0] {
            continue;
        }
        used[s0] = true;
        let (a, b) = segments[s0];
        let (mut line, mut end) = if at[&a].len() == 1 {
            (vec![a, b], b)
        } else {
            (vec![b, a], a)
        };
        while let Some(&next) = at[&end].iter().find(|&&s| !used[s]) {
            used[next] = true;
            end = if segments[next].0 == end {
                segments[next].1
            } else {
                segments[next].0
            };
            line.push(end);
        }
        lines.push(line);
    }
    lines
}

/// Where a path panel puts its legend.
#[derive(Clone, Copy)]
enum LegendAt {
    /// In the plot's upper right corner.
    Inside,
    /// Above the plot, with room for this many lines.
    Above(usize),
}

/// A panel: contour lines of `surface`, then one trajectory per optimizer.
fn path_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    surface: &Surface,
    ranges: ((f64, f64), (f64, f64)),
    levels: &[f64],
    paths: &[Run],
    (fonts, legend_at): (Fonts, LegendAt),
) -> FigResult
where
    DB::ErrorType: 'static,
{
    let ((x0, x1), (y0, y1)) = ranges;
    let margin = 8;
    let y_label_area = fonts.y_label_area(2);
    let top = match legend_at {
        LegendAt::Inside => margin,
        LegendAt::Above(lines) => legend_band(lines, fonts),
    };
    let mut chart = ChartBuilder::on(area)
        .margin(margin)
        .margin_top(top)
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(y_label_area)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .x_desc("x")
        .y_desc("y")
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .label_style(fonts.tick())
        .axis_desc_style(fonts.axis())
        .x_labels(5)
        .y_labels(5)
        .disable_mesh()
        .draw()?;
    for &level in levels {
        let segs = contour(surface.f, (x0, x1), (y0, y1), 100, level);
        chart.draw_series(
            segs.into_iter()
                .map(|line| PathElement::new(line, BLACK.mix(0.25))),
        )?;
    }
    let m = surface.minimum;
    chart.draw_series(std::iter::once(Cross::new(m, 5, BLACK.stroke_width(2))))?;
    let mut keys = Vec::new();
    for (name, path, color) in paths {
        let color = *color;
        // Points that left the panel are cut off rather than drawn at infinity.
        let inside: Vec<(f64, f64)> = path
            .iter()
            .copied()
            .take_while(|&(x, y)| x.abs() < 1e6 && y.abs() < 1e6)
            .collect();
        chart
            .draw_series(LineSeries::new(inside.clone(), color.stroke_width(2)))?
            .label(*name)
            .legend(legend_line(color, 2));
        if inside.len() <= 100 {
            chart.draw_series(inside.iter().map(|&p| Circle::new(p, 2, color.filled())))?;
        }
        keys.push((name.to_string(), Key::Line(color, 2)));
    }
    match legend_at {
        LegendAt::Inside => draw_legend(&mut chart, SeriesLabelPosition::UpperRight, fonts),
        LegendAt::Above(_) => legend_above(area, margin + y_label_area, &keys, fonts),
    }
}

/// Small multiples: each contender of `lineup` on `surface` from `start`.
fn trajectories(
    path: &Path,
    surface: Surface,
    start: (f64, f64),
    steps: usize,
    lineup: Vec<optimizers::Contender>,
    ranges: ((f64, f64), (f64, f64)),
    levels: &[f64],
) -> FigResult {
    let size = (1080, 820);
    let (root, fonts) = canvas(path, size)?;
    let areas = root.split_evenly((2, 3));
    // Above each plot: inside, a legend would hide the start of some paths.
    let legend_at = LegendAt::Above(2);
    let mut runs: Vec<Run> = Vec::new();
    for (k, (name, mut opt)) in lineup.into_iter().enumerate() {
        runs.push((
            name,
            descend(opt.as_mut(), &surface, start, steps),
            COLORS[k],
        ));
    }
    // Momentum and Nesterov share a panel: the difference is the point.
    let panels: [&[usize]; 6] = [&[0], &[1, 2], &[3], &[4], &[5], &[6]];
    for (area, idx) in areas.iter().zip(panels) {
        let chosen: Vec<_> = idx.iter().map(|&i| runs[i].clone()).collect();
        path_panel(area, &surface, ranges, levels, &chosen, (fonts, legend_at))?;
    }
    root.present()?;
    Ok(())
}

/// Thirty steps of each optimizer on f(x, y) = x²/20 + y² from (−7, 2).
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-optimizer-paths.svg");
/// figures::ch04::optimizer_paths(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
/// ```
pub fn optimizer_paths(path: &Path) -> FigResult {
    let levels = [0.05, 0.25, 0.75, 1.5, 2.5, 4.0, 6.0];
    trajectories(
        path,
        BOWL,
        (-7.0, 2.0),
        30,
        optimizers::bowl_lineup(),
        ((-8.0, 8.0), (-3.0, 3.0)),
        &levels,
    )
}

/// Three thousand steps of each optimizer on Rosenbrock's function from (−1.5, 2).
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-rosenbrock-paths.svg");
/// figures::ch04::rosenbrock_paths(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
/// ```
pub fn rosenbrock_paths(path: &Path) -> FigResult {
    let levels = [0.1, 0.5, 2.0, 8.0, 30.0, 100.0, 300.0];
    let lineup = optimizers::rosenbrock_lineup();
    trajectories(
        path,
        ROSENBROCK,
        (-1.5, 2.0),
        3000,
        lineup,
        ((-2.0, 2.0), (-1.0, 3.0)),
        &levels,
    )
}

/// Gradient descent on the bowl with three learning rates: f against the
/// step on a log scale (left) and the paths (right).
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-learning-rates.svg");
/// figures::ch04::learning_rates(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
/// ```
pub fn learning_rates(path: &Path) -> FigResult {
    let size = (1080, 420);
    let (root, fonts) = canvas(path, size)?;
    let (left, right) = root.split_horizontally(520);
    let steps = 60;
    let runs: Vec<(String, Vec<(f64, f64)>, _)> = LEARNING_RATES
        .iter()
        .enumerate()
        .map(|(k, &lr)| {
            (
                format!("η = {lr}"),
                descend(&mut Sgd::new(lr), &BOWL, (-7.0, 2.0), steps),
                COLORS[k],
            )
        })
        .collect();
    let mut chart = ChartBuilder::on(&left)
        .margin(14)
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(4))
        .build_cartesian_2d(0f64..steps as f64, (1e-6f64..1e3f64).log_scale())?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("step")
        .y_desc("f(x, y)")
        .x_label_formatter(&tick)
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()?;
    for (name, path, color) in &runs {
        let color = *color;
        let values = path
            .iter()
            .enumerate()
            .map(|(t, &(x, y))| (t as f64, (BOWL.f)(x, y)));
        chart
            .draw_series(LineSeries::new(values, color.stroke_width(2)))?
            .label(name.as_str())
            .legend(legend_line(color, 2));
    }
    draw_legend(&mut chart, SeriesLabelPosition::LowerLeft, fonts)?;
    let short: Vec<Run> = runs
        .iter()
        .map(|(n, p, c)| (n.as_str(), p[..=20].to_vec(), *c))
        .collect();
    path_panel(
        &right,
        &BOWL,
        ((-8.0, 8.0), (-5.0, 5.0)),
        &[0.05, 0.25, 0.75, 1.5, 2.5, 4.0, 6.0, 10.0, 16.0],
        &short,
        (fonts, LegendAt::Inside),
    )?;
    root.present()?;
    Ok(())
}

/// Training loss of the same network on the spirals under each optimizer.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-optimizer-losses.svg");
/// figures::ch04::optimizer_losses(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
/// ```
pub fn optimizer_losses(path: &Path) -> FigResult {
    let size = (900, 460);
    let (root, fonts) = canvas(path, size)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(3))
        .build_cartesian_2d(0f64..SPIRAL_STEPS as f64, (0.001f64..2.0f64).log_scale())?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("step")
        .y_desc("training loss (cross-entropy)")
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .draw()?;
    for (k, (name, mut opt)) in optimizers::spiral_lineup().into_iter().enumerate() {
        let losses = optimizers::train_spirals(opt.as_mut() as &mut dyn Optimizer, SPIRAL_STEPS);
        let color = COLORS[k];
        let style = if k == 7 {
            color.stroke_width(3)
        } else {
            color.stroke_width(2)
        };
        let points = losses
            .iter()
            .enumerate()
            .map(|(t, &l)| (t as f64, l.clamp(0.001, 2.0)));
        chart
            .draw_series(LineSeries::new(points, style))?
            .label(name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], style));
    }
    draw_legend(&mut chart, SeriesLabelPosition::LowerLeft, fonts)?;
    root.present()?;
    Ok(())
}

/// Nielsen's learning slowdown. Left: |∂ℓ/∂z| against the pre-activation z
/// for target 0, for the squared error after a sigmoid and for the
/// cross-entropy from the logit. Right: the output σ(z) of one neuron
/// started at w = b = 2, against the step, trained with each loss.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-learning-slowdown.svg");
/// figures::ch04::learning_slowdown(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
/// ```
pub fn learning_slowdown(path: &Path) -> FigResult {
    let size = (960, 400);
    let (root, fonts) = canvas(path, size)?;
    let (left, right) = root.split_horizontally(size.0 / 2);
    let losses = [
        (
            SlowdownLoss::Mse,
            "squared error (after a sigmoid)",
            COLORS[0],
        ),
        (
            SlowdownLoss::CrossEntropy,
            "cross-entropy (from the logit)",
            COLORS[1],
        ),
    ];
    // Both legends sit above their plots, where they hide no curve (inside,
    // the right one covered the squared error's plateau near 0.97).
    let (margin, y_label_area) = (12, fonts.y_label_area(3));
    let keys: Vec<(String, Key)> = losses
        .iter()
        .map(|&(_, name, color)| (name.to_string(), Key::Line(color, 2)))
        .collect();
    let zs = linspace(-4.0, 8.0, 241);
    let mut chart = ChartBuilder::on(&left)
        .margin(margin)
        .margin_top(legend_band(2, fonts))
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(y_label_area)
        .build_cartesian_2d(-4.0..8.0, 0.0..1.05)?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("z (target 0)")
        .y_desc("|∂ℓ/∂z|")
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .draw()?;
    for &(loss, _, color) in &losses {
        let g = slowdown::gradient_at(loss, &zs);
        chart.draw_series(LineSeries::new(
            zs.iter().copied().zip(g),
            color.stroke_width(2),
        ))?;
    }
    legend_above(&left, margin + y_label_area, &keys, fonts)?;

    let mut chart = ChartBuilder::on(&right)
        .margin(margin)
        .margin_top(legend_band(2, fonts))
        .margin_right(fonts.tick_overhang(3))
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(y_label_area)
        .build_cartesian_2d(0f64..slowdown::STEPS as f64, 0.0..1.05)?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("step")
        .y_desc("output σ(z)")
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .draw()?;
    for &(loss, _, color) in &losses {
        let out = slowdown::outputs(loss);
        chart.draw_series(LineSeries::new(
            out.iter().enumerate().map(|(t, &o)| (t as f64, o)),
            color.stroke_width(2),
        ))?;
    }
    legend_above(&right, margin + y_label_area, &keys, fonts)?;
    root.present()?;
    Ok(())
}
