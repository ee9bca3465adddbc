//! Figures of Chapter 2: vanishing gradients, initialisation, overfitting, L1's two steps.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::{
    AXIS_FONT, FigResult, Fonts, Key, book_mesh, canvas, draw_legend, legend_above, legend_band,
    legend_line, linspace, register_fonts, tick,
};
use scratchnet::experiments::initialization::{self as init_exp, Activation};
use scratchnet::experiments::overfitting::{self as over, Regularizer};
use scratchnet::experiments::sparsity::{self, L1Step};

const BLUE: RGBColor = RGBColor(31, 119, 180);
const ORANGE: RGBColor = RGBColor(255, 127, 14);
const GREEN: RGBColor = RGBColor(44, 160, 44);
const GREY: RGBColor = RGBColor(120, 120, 120);
const RED_LINE: RGBColor = RGBColor(214, 39, 40);
const PURPLE: RGBColor = RGBColor(148, 103, 189);

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// The gradient that reaches each layer of a 10-layer net, relative to the
/// top layer (log scale). (The derivatives themselves are Figure 2.1's.)
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-vanishing.svg");
/// figures::ch02::vanishing_gradient(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
/// ```
pub fn vanishing_gradient(path: &Path) -> FigResult {
    let size = (720, 420);
    let (root, fonts) = canvas(path, size)?;
    gradient_through_depth(&root, fonts)?;
    root.present()?;
    Ok(())
}

fn gradient_through_depth(area: &Area, fonts: Fonts) -> FigResult {
    let depth = init_exp::GRAD_DEPTH;
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(4))
        .build_cartesian_2d(0.5..depth as f64 + 0.5, (1e-8..10.0).log_scale())?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("layer (1 = first)")
        .y_desc("gradient size relative to top layer")
        .x_labels(depth)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()?;
    let colors = [BLUE, ORANGE, GREEN, PURPLE];
    assert_eq!(
        init_exp::gradient_schemes().len(),
        colors.len(),
        "a colour per scheme"
    );
    let schemes = init_exp::gradient_schemes().into_iter().zip(colors);
    for (scheme, color) in schemes {
        let g = init_exp::gradient_norms(&scheme, 0);
        let points: Vec<(f64, f64)> = g
            .iter()
            .enumerate()
            .map(|(l, &r)| ((l + 1) as f64, r))
            .collect();
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, color.filled())))?;
        if color == PURPLE {
            // Dashed, drawn last: it runs along the tanh and ReLU lines near 1.
            chart
                .draw_series(DashedLineSeries::new(points, 8, 5, color.stroke_width(2)))?
                .label(scheme.label)
                .legend(move |(x, y)| {
                    let style = color.stroke_width(2);
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(0, 0), (8, 0)], style)
                        + PathElement::new(vec![(12, 0), (20, 0)], style)
                });
        } else {
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(2)))?
                .label(scheme.label)
                .legend(legend_line(color, 2));
        }
    }
    // The best a sigmoid net can do if every weight factor were 1: 0.25 per layer.
    let bound = (1..=depth).map(|l| (l as f64, 0.25f64.powi((depth - l) as i32)));
    chart
        .draw_series(LineSeries::new(bound, GREY.stroke_width(1)))?
        .label("0.25^(layers above)")
        .legend(legend_line(GREY, 1));
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight, fonts)
}

/// Saito's experiment: histograms of each layer's activations (columns,
/// layers 1–5) for six initialisation schemes (rows).
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-init-histograms.svg");
/// figures::ch02::init_histograms(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
/// ```
pub fn init_histograms(path: &Path) -> FigResult {
    register_fonts();
    let schemes = init_exp::schemes();
    let size = (1000, ROW_HEIGHT * schemes.len() as u32);
    let fonts = Fonts::for_width(size.0);
    let root = SVGBackend::new(path, size).into_drawing_area();
    root.fill(&WHITE)?;
    // A strip on the left names each row, on two lines: activation, initialisation.
    let (strip, grid) = root.split_horizontally((2.6 * fonts.em(AXIS_FONT)) as u32);
    let names = strip.split_evenly((schemes.len(), 1));
    let panels = grid.split_evenly((schemes.len(), init_exp::DEPTH));
    for (r, scheme) in schemes.iter().enumerate() {
        row_name(&names[r], scheme.label, fonts)?;
        let acts = init_exp::layer_activations(scheme, 0);
        let (lo, hi) = match scheme.activation {
            Activation::Sigmoid => (0.0, 1.0),
            Activation::Tanh => (-1.0, 1.0),
            Activation::ReLU => (0.0, 3.0),
        };
        let hists: Vec<Vec<f64>> = acts
            .iter()
            .map(|a| histogram(a, scheme.activation, lo, hi))
            .collect();
        let top = hists.iter().flatten().cloned().fold(0.0, f64::max).min(1.0) * 1.1;
        for (l, hist) in hists.iter().enumerate() {
            let area = &panels[r * init_exp::DEPTH + l];
            hist_panel(area, hist, (lo, hi), top, l + 1, fonts)?;
        }
    }
    root.present()?;
    Ok(())
}

const BINS: usize = 30;
/// Height of one row of histograms, and the margin around each panel
/// (twice as much above, where the top tick label sticks out).
const ROW_HEIGHT: u32 = 200;
const HIST_MARGIN: u32 = 6;

/// Writes a scheme's label such as "tanh, Xavier" rotated, as two lines
/// ("tanh" above "Xavier" when read), centred on the row's plots.
fn row_name(area: &Area, label: &str, fonts: Fonts) -> FigResult {
    let (w, h) = area.dim_in_pixel();
    let plot_middle = (2 * HIST_MARGIN + h - HIST_MARGIN - fonts.x_label_area()) as i32 / 2;
    let style = fonts
        .axis()
        .transform(FontTransform::Rotate270)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let (first, second) = label.split_once(", ").unwrap_or((label, ""));
    let line = (0.6 * fonts.em(AXIS_FONT)) as i32;
    let centre = w as i32 / 2;
    area.draw(&Text::new(
        first,
        (centre - line, plot_middle),
        style.clone(),
    ))?;
    area.draw(&Text::new(second, (centre + line, plot_middle), style))?;
    Ok(())
}

/// Fraction of all values in each of `BINS` bins on [lo, hi]; a ReLU's exact
/// zeros (dead outputs) are left out, values outside the range too.
fn histogram(a: &scratchnet::tensor::Tensor, activation: Activation, lo: f64, hi: f64) -> Vec<f64> {
    let mut counts = vec![0.0; BINS];
    for &v in a.iter() {
        if (activation == Activation::ReLU && v == 0.0) || v < lo || v > hi {
            continue;
        }
        let b = (((v - lo) / (hi - lo)) * BINS as f64) as usize;
        counts[b.min(BINS - 1)] += 1.0;
    }
    let n = a.len() as f64;
    counts.iter().map(|c| c / n).collect()
}

fn hist_panel(
    area: &Area,
    hist: &[f64],
    (lo, hi): (f64, f64),
    top: f64,
    layer: usize,
    fonts: Fonts,
) -> FigResult {
    let mut chart = ChartBuilder::on(area)
        .margin(HIST_MARGIN)
        .margin_top(2 * HIST_MARGIN)
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_tick_area(4))
        .build_cartesian_2d(lo..hi, 0.0..top)?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc(format!("layer {layer}"))
        .x_labels(3)
        .y_labels(3)
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .draw()?;
    let width = (hi - lo) / BINS as f64;
    chart.draw_series(hist.iter().enumerate().map(|(b, &h)| {
        let x0 = lo + b as f64 * width;
        Rectangle::new([(x0, 0.0), (x0 + width, h)], BLUE.mix(0.8).filled())
    }))?;
    Ok(())
}

/// Training and validation loss over epochs for the over-sized network:
/// without regularisation, with L2 and with dropout; and the three fitted
/// functions against the data (2 × 2 panels).
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-overfitting.svg");
/// figures::ch02::overfitting(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
/// ```
pub fn overfitting(path: &Path) -> FigResult {
    let size = (960, 840);
    let (root, fonts) = canvas(path, size)?;
    let panels = root.split_evenly((2, 2));
    let data = over::dataset(over::DATA_SEED);
    let runs = [
        (Regularizer::None, "no regularisation".to_string(), RED_LINE),
        (
            Regularizer::L2(over::LAMBDA),
            format!("L2, λ = {}", over::LAMBDA),
            BLUE,
        ),
        (
            Regularizer::Dropout(over::DROP_P),
            format!("dropout, p = {}", over::DROP_P),
            GREEN,
        ),
    ];
    let trained: Vec<_> = runs
        .into_iter()
        .map(|(reg, name, color)| (over::train(&data, reg, over::EPOCHS, 10, 0), name, color))
        .collect();
    // One linear scale for the three loss panels, so that they compare at a
    // glance, tall enough for every spike; only the first epochs, whose loss
    // starts near 1, run off the top.
    let top = trained
        .iter()
        .map(|((curves, _), _, _)| late_max(curves))
        .fold(0.0, f64::max)
        * 1.05;
    let mut fits = Vec::new();
    for (panel, ((curves, net), name, color)) in panels.iter().zip(trained) {
        loss_panel(panel, &curves, &name, top, fonts)?;
        fits.push((net, name, color));
    }
    fit_panel(&panels[3], &data, fits, fonts)?;
    root.present()?;
    Ok(())
}

fn fit_panel(
    area: &Area,
    data: &over::Data,
    fits: Vec<(scratchnet::Sequential, String, RGBColor)>,
    fonts: Fonts,
) -> FigResult {
    // The loss panels' top margin, so that the plots line up.
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .margin_top(legend_band(2, fonts))
        .margin_right(fonts.tick_overhang(4))
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(4))
        .build_cartesian_2d(-3.0..3.0, -2.0..2.0)?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("x")
        .y_desc("y")
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .draw()?;
    let xs = linspace(-3.0, 3.0, 301);
    let grid = scratchnet::tensor::tensor(&[xs.len(), 1], &xs);
    let truth = xs
        .iter()
        .map(|&x| (x, (std::f64::consts::PI * x / 3.0).sin()));
    chart.draw_series(LineSeries::new(truth, BLACK.stroke_width(1)))?;
    let mut keys = vec![("sin(πx/3)".to_string(), Key::Line(BLACK, 1))];
    for (mut net, name, color) in fits {
        let y = net.predict(&grid);
        let points = xs
            .iter()
            .zip(y.iter())
            .map(|(&x, &v)| (x, v.clamp(-2.0, 2.0)));
        chart.draw_series(LineSeries::new(points, color.stroke_width(2)))?;
        keys.push((name, Key::Line(color, 2)));
    }
    let train = data.x_train.iter().zip(data.y_train.iter());
    chart.draw_series(train.map(|(&x, &y)| Circle::new((x, y), 4, ORANGE.filled())))?;
    keys.push(("training points".to_string(), Key::Dot(ORANGE)));
    // From the top of the panel down into the plot's empty upper left.
    legend_above(area, 12 + fonts.y_label_area(4), &keys, fonts)
}

/// Epochs before this one (the loss falls from about 1) may leave the panel.
const FIRST_SHOWN_EPOCH: usize = 20;

/// The largest training or validation loss from [`FIRST_SHOWN_EPOCH`] on.
fn late_max(c: &over::Curves) -> f64 {
    c.epochs
        .iter()
        .zip(c.train.iter().zip(&c.val))
        .filter(|&(&e, _)| e >= FIRST_SHOWN_EPOCH)
        .map(|(_, (&t, &v))| t.max(v))
        .fold(0.0, f64::max)
}

fn loss_panel(area: &Area, c: &over::Curves, name: &str, top: f64, fonts: Fonts) -> FigResult {
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .margin_top(legend_band(2, fonts))
        .margin_right(fonts.tick_overhang(4))
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(4))
        .build_cartesian_2d(0.0..over::EPOCHS as f64, 0.0..top)?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("epoch")
        .y_desc("mean squared error")
        .x_labels(5)
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .draw()?;
    let series = [
        (format!("train ({name})"), &c.train, BLUE),
        (format!("validation ({name})"), &c.val, ORANGE),
    ];
    let mut keys = Vec::new();
    for (label, values, color) in series {
        let points = c
            .epochs
            .iter()
            .zip(values.iter())
            .map(|(&e, &v)| (e as f64, v.min(top)));
        chart.draw_series(LineSeries::new(points, color.stroke_width(2)))?;
        keys.push((label, Key::Line(color, 2)));
    }
    // Above the plot: inside it, it would hide the spikes.
    legend_above(area, 12 + fonts.y_label_area(4), &keys, fonts)
}

/// The seven irrelevant weights of [`sparsity::weight_paths`] against the
/// step: left with the L1 subgradient, right with the proximal step.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-l1-steps.svg");
/// figures::ch02::l1_steps(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
/// ```
pub fn l1_steps(path: &Path) -> FigResult {
    let size = (960, 400);
    let (root, fonts) = canvas(path, size)?;
    let runs = [
        sparsity::weight_paths(L1Step::Subgradient),
        sparsity::weight_paths(L1Step::Proximal),
    ];
    // One vertical scale for both panels, from the largest irrelevant weight
    // after the first steps (the panels zoom in on the neighbourhood of 0,
    // which the weights reach in about 50 steps).
    let skip = 60;
    let top = runs
        .iter()
        .flat_map(|run| run[skip..].iter())
        .flat_map(|w| w[sparsity::N_RELEVANT..].iter())
        .fold(0.0f64, |m, w| m.max(w.abs()))
        * 1.15;
    let (left, right) = root.split_horizontally(size.0 / 2);
    for (area, run) in [left, right].iter().zip(&runs) {
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .margin_right(fonts.tick_overhang(3))
            .x_label_area_size(fonts.x_label_area())
            .y_label_area_size(fonts.y_label_area(6))
            .build_cartesian_2d(skip as f64..sparsity::STEPS as f64, -top..top)?;
        book_mesh(&mut chart.configure_mesh(), fonts)
            .x_desc("step")
            .y_desc("weights of inputs 4 … 10")
            .x_label_formatter(&tick)
            .y_label_formatter(&|v| tick(&((v * 1e4).round() / 1e4)))
            .draw()?;
        let colors = [
            BLUE,
            ORANGE,
            GREEN,
            GREY,
            RED_LINE,
            RGBColor(148, 103, 189),
            RGBColor(140, 86, 75),
        ];
        for (j, color) in (sparsity::N_RELEVANT..sparsity::N_FEATURES).zip(colors) {
            let points = run
                .iter()
                .enumerate()
                .skip(skip)
                .map(|(s, w)| ((s + 1) as f64, w[j]));
            chart.draw_series(LineSeries::new(points, color.stroke_width(1)))?;
        }
    }
    root.present()?;
    Ok(())
}
