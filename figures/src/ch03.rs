//! Figures of Chapter 3: a computational graph, finite-difference errors, a training curve.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::{FigResult, Fonts, book_mesh, canvas, draw_legend, legend_line, register_fonts, tick};
use scratchnet::autograd::Value;
use scratchnet::experiments::backprop::{TinyNet, neuron_loss, train};

/// Column of every node: operations sit one column right of their deepest
/// input, leaves one column left of their first consumer.
fn columns(order: &[Value]) -> Vec<usize> {
    let index = |v: &Value| {
        order
            .iter()
            .position(|o| o.same(v))
            .expect("parent in graph")
    };
    let mut col = vec![0usize; order.len()];
    for (i, v) in order.iter().enumerate() {
        col[i] = v
            .parents()
            .iter()
            .map(|p| col[index(p)] + 1)
            .max()
            .unwrap_or(0);
    }
    for (i, v) in order.iter().enumerate().rev() {
        if v.parents().is_empty() {
            let consumers = order
                .iter()
                .enumerate()
                .filter(|(_, o)| o.parents().iter().any(|p| p.same(v)));
            col[i] = consumers
                .map(|(j, _)| col[j])
                .min()
                .map_or(0, |c| c.saturating_sub(1));
        }
    }
    col
}

/// Centre of each node's box. Columns are filled right to left; within a
/// column, nodes are ordered like the inputs of the operations they feed, so
/// that edges rarely cross, and spread evenly over the height.
fn layout(order: &[Value], col: &[usize], height: i32) -> Vec<(i32, i32)> {
    let mut centre = vec![(0, 0); order.len()];
    let n_cols = col.iter().max().map_or(0, |c| c + 1);
    for c in (0..n_cols).rev() {
        // Sort key: (row of the first consumer, position among its inputs).
        let key = |i: usize| {
            let consumers = order.iter().enumerate().filter(|&(j, _)| col[j] > c);
            let mut best = (i32::MAX, usize::MAX);
            for (j, o) in consumers {
                if let Some(k) = o.parents().iter().position(|p| p.same(&order[i])) {
                    best = best.min((centre[j].1, k));
                }
            }
            best
        };
        let mut members: Vec<usize> = (0..order.len()).filter(|&i| col[i] == c).collect();
        members.sort_by_key(|&i| key(i));
        for (k, &i) in members.iter().enumerate() {
            let y = height * (2 * k as i32 + 1) / (2 * members.len() as i32);
            centre[i] = (EDGE + BOX_W / 2 + c as i32 * COL_W, y);
        }
    }
    centre
}

/// The graph's geometry, in SVG units: value boxes, the gap between two
/// columns of boxes (room for an operation's circle and the arrows in and
/// out of it) and the margin left and right. The whole is about 1030 wide,
/// so the book shows it at 0.73 of its size; the text sizes below
/// are what the reader sees, and the boxes are just wide enough for
/// "grad -3.9704" at [`GRAPH_VALUE_FONT`].
const BOX_W: i32 = 116;
const BOX_H: i32 = 70;
const OP_R: i32 = 19;
const GAP: i32 = 14 + 2 * OP_R + 12;
const COL_W: i32 = BOX_W + GAP;
const EDGE: i32 = 6;

/// Text of the graph as seen in the book (CSS px): a value's name, its data
/// and grad lines, a one-character operation (×, +, −) and a longer one (tanh).
const GRAPH_NAME_FONT: f64 = 14.0;
const GRAPH_VALUE_FONT: f64 = 12.0;
const GRAPH_OP_FONT: f64 = 16.0;
const GRAPH_WORD_OP_FONT: f64 = 11.0;

/// Draws a line with an arrowhead at `to`.
fn arrow<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    from: (i32, i32),
    to: (i32, i32),
) -> FigResult
where
    DB::ErrorType: 'static,
{
    let grey = RGBColor(90, 90, 90);
    area.draw(&PathElement::new(vec![from, to], grey.stroke_width(2)))?;
    let (dx, dy) = ((to.0 - from.0) as f64, (to.1 - from.1) as f64);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    let p = |along: f64, across: f64| {
        (
            (to.0 as f64 - ux * along - uy * across) as i32,
            (to.1 as f64 - uy * along + ux * across) as i32,
        )
    };
    area.draw(&Polygon::new(
        vec![to, p(10.0, 5.0), p(10.0, -5.0)],
        grey.filled(),
    ))?;
    Ok(())
}

/// The computational graph of [`neuron_loss`] after `backward`: one box per
/// value (label, data, grad) and one circle per operation.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-computational-graph.svg");
/// figures::ch03::computational_graph(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("grad"));
/// ```
pub fn computational_graph(path: &Path) -> FigResult {
    register_fonts();
    let loss = neuron_loss();
    loss.backward();
    let order = loss.topological_order();
    let col = columns(&order);
    let n_cols = col.iter().max().map_or(1, |c| c + 1) as i32;
    let (width, height) = (2 * EDGE + n_cols * COL_W - GAP, 300);
    let fonts = Fonts::for_width(width as u32);
    let root = SVGBackend::new(path, (width as u32, height as u32)).into_drawing_area();
    root.fill(&WHITE)?;

    let centre = layout(&order, &col, height);
    let index = |v: &Value| {
        order
            .iter()
            .position(|o| o.same(v))
            .expect("parent in graph")
    };
    let text = |column_px: f64, bold: bool| {
        let style = if bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        ("sans-serif", fonts.px(column_px), style)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Center))
    };
    let blue = RGBColor(31, 119, 180);
    for (i, v) in order.iter().enumerate() {
        let (x, y) = centre[i];
        let parents = v.parents();
        if !parents.is_empty() {
            // The operation's circle, left of the box, and the edges into it.
            let op = (x - BOX_W / 2 - 12 - OP_R, y);
            let n = parents.len() as i32;
            for (k, p) in parents.iter().enumerate() {
                let (px, py) = centre[index(p)];
                let offset = (2 * k as i32 - (n - 1)) * 7;
                arrow(
                    &root,
                    (px + BOX_W / 2, py + offset),
                    (op.0 - OP_R, op.1 + offset),
                )?;
            }
            arrow(&root, (op.0 + OP_R, op.1), (x - BOX_W / 2, y))?;
            root.draw(&Circle::new(op, OP_R, RGBColor(255, 236, 204).filled()))?;
            root.draw(&Circle::new(
                op,
                OP_R,
                RGBColor(255, 127, 14).stroke_width(2),
            ))?;
            let size = if v.op().chars().count() > 1 {
                GRAPH_WORD_OP_FONT
            } else {
                GRAPH_OP_FONT
            };
            root.draw(&Text::new(v.op().to_string(), op, text(size, false)))?;
        }
        let corner = (x - BOX_W / 2, y - BOX_H / 2);
        let far = (x + BOX_W / 2, y + BOX_H / 2);
        root.draw(&Rectangle::new(
            [corner, far],
            RGBColor(232, 241, 250).filled(),
        ))?;
        root.draw(&Rectangle::new([corner, far], blue.stroke_width(2)))?;
        root.draw(&Text::new(
            v.label(),
            (x, y - 21),
            text(GRAPH_NAME_FONT, true),
        ))?;
        root.draw(&Text::new(
            format!("data {:.4}", v.data()),
            (x, y + 1),
            text(GRAPH_VALUE_FONT, false),
        ))?;
        root.draw(&Text::new(
            format!("grad {:.4}", v.grad()),
            (x, y + 21),
            text(GRAPH_VALUE_FONT, false),
        ))?;
    }
    root.present()?;
    Ok(())
}

/// Loss against step for Mazur's network trained with gradient descent,
/// for two learning rates, on a logarithmic loss axis.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-training-curve.svg");
/// figures::ch03::training_curve(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
/// ```
pub fn training_curve(path: &Path) -> FigResult {
    let size = (720, 420);
    let (root, fonts) = canvas(path, size)?;
    let (x, y) = TinyNet::mazur_example();
    let steps = 10_000;
    let runs = [(0.5, RGBColor(31, 119, 180)), (2.0, RGBColor(255, 127, 14))];
    let curves: Vec<Vec<f64>> = runs
        .iter()
        .map(|&(lr, _)| train(&TinyNet::mazur(), &x, &y, lr, steps))
        .collect();
    let lowest = curves.iter().flatten().fold(1.0f64, |a, &b| a.min(b));
    let floor = 10f64.powf(lowest.log10().floor());
    let mut chart = ChartBuilder::on(&root)
        .margin(14)
        .margin_right(fonts.tick_overhang(5))
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(4))
        .build_cartesian_2d(0f64..steps as f64, (floor..1.0).log_scale())?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("step")
        .y_desc("loss L")
        .x_label_formatter(&tick)
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()?;
    for ((lr, color), losses) in runs.into_iter().zip(curves) {
        chart
            .draw_series(LineSeries::new(
                losses
                    .iter()
                    .enumerate()
                    .step_by(10)
                    .map(|(i, &l)| (i as f64, l)),
                color.stroke_width(2),
            ))?
            .label(format!("η = {lr}"))
            .legend(legend_line(color, 2));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight, fonts)?;
    root.present()?;
    Ok(())
}

/// A difference quotient as a function of the step ε.
type Quotient<'a> = &'a dyn Fn(f64) -> f64;

/// Error of the forward and the central difference quotients of tanh at
/// x = 0.5 against the step ε, on logarithmic axes.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-finite-differences.svg");
/// figures::ch03::finite_differences(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
/// ```
pub fn finite_differences(path: &Path) -> FigResult {
    let size = (720, 420);
    let (root, fonts) = canvas(path, size)?;
    let (x0, exact) = (0.5f64, 1.0 - 0.5f64.tanh().powi(2));
    let steps: Vec<f64> = (4..=52).map(|k| 10f64.powf(-k as f64 / 4.0)).collect();
    let forward: Quotient = &|e| ((x0 + e).tanh() - x0.tanh()) / e;
    let central: Quotient = &|e| ((x0 + e).tanh() - (x0 - e).tanh()) / (2.0 * e);
    let mut chart = ChartBuilder::on(&root)
        .margin(14)
        .margin_right(fonts.tick_overhang(4))
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(5))
        .build_cartesian_2d((1e-13f64..0.1).log_scale(), (1e-13f64..1.0).log_scale())?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("ε")
        .y_desc("error")
        .x_label_formatter(&|v| format!("{v:.0e}"))
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()?;
    let quotients: [(&str, Quotient, RGBColor); 2] = [
        ("(f(x+ε) − f(x)) / ε", forward, RGBColor(255, 127, 14)),
        ("(f(x+ε) − f(x−ε)) / 2ε", central, RGBColor(31, 119, 180)),
    ];
    for (name, q, color) in quotients {
        let points = steps.iter().map(|&e| (e, (q(e) - exact).abs().max(1e-13)));
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))?
            .label(name)
            .legend(legend_line(color, 2));
    }
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight, fonts)?;
    root.present()?;
    Ok(())
}

/// Matt Mazur's 2-2-2 network with his names: inputs i1, i2, hidden units
/// h1, h2, outputs o1, o2, weights w1…w8 and biases b1, b2, each weight and
/// bias labelled with its value from [`TinyNet::mazur`].
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-mazur-network.svg");
/// figures::ch03::mazur_network(&path).unwrap();
/// let svg = std::fs::read_to_string(&path).unwrap();
/// assert!(svg.contains("w8 = 0.55") && svg.contains("b2 = 0.60") && svg.contains("o1"));
/// ```
pub fn mazur_network(path: &Path) -> FigResult {
    register_fonts();
    let (width, height) = (720i32, 400i32);
    let fonts = Fonts::for_width(width as u32);
    let root = SVGBackend::new(path, (width as u32, height as u32)).into_drawing_area();
    root.fill(&WHITE)?;
    let net = TinyNet::mazur();
    let (r, rows) = (30, [90, 250]);
    let (xi, xh, xo) = (90, 360, 630);
    let node = |name: &str, x: i32, y: i32, fill: RGBColor| -> FigResult {
        root.draw(&Circle::new((x, y), r, fill.filled()))?;
        root.draw(&Circle::new(
            (x, y),
            r,
            RGBColor(60, 60, 60).stroke_width(2),
        ))?;
        let style = ("sans-serif", fonts.px(16.0), FontStyle::Bold)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Center));
        root.draw(&Text::new(name.to_string(), (x, y), style))?;
        Ok(())
    };
    // A label on a white patch, `t` of the way from `a` to `b`.
    let label = |text: String, a: (i32, i32), b: (i32, i32), t: f64| -> FigResult {
        let at = (
            a.0 + ((b.0 - a.0) as f64 * t) as i32,
            a.1 + ((b.1 - a.1) as f64 * t) as i32,
        );
        let half = (fonts.em(13.0) * 0.32 * text.chars().count() as f64) as i32;
        let tall = (fonts.em(13.0) * 0.65) as i32;
        root.draw(&Rectangle::new(
            [(at.0 - half, at.1 - tall), (at.0 + half, at.1 + tall)],
            WHITE.filled(),
        ))?;
        let style = ("sans-serif", fonts.px(13.0))
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Center));
        root.draw(&Text::new(text, at, style))?;
        Ok(())
    };
    // Mazur numbers the weights into h1, h2, o1, o2 in turn: w1 = i1→h1,
    // w2 = i2→h1, w3 = i1→h2, ... Entry (i, j) of W is the weight from unit
    // i of one layer to unit j of the next.
    let layers = [(xi, xh, &net.w1, 0usize), (xh, xo, &net.w2, 4usize)];
    for &(x0, x1, w, first) in &layers {
        for j in 0..2 {
            for i in 0..2 {
                let (a, b) = ((x0 + r, rows[i]), (x1 - r - 2, rows[j]));
                arrow(&root, a, b)?;
                let k = first + 2 * j + i + 1;
                let t = if i == j { 0.3 } else { 0.22 + 0.12 * i as f64 };
                label(format!("w{k} = {:.2}", w[[i, j]]), a, b, t)?;
            }
        }
    }
    // Biases: one node per layer, feeding both units of the layer.
    let biases = [(xh - 135, &net.b1, xh, "b1"), (xo - 135, &net.b2, xo, "b2")];
    let yb = 355;
    for &(xb, b, x1, name) in &biases {
        for &y in &rows {
            arrow(&root, (xb + 12, yb - 12), (x1 - r + 4, y + r - 8))?;
        }
        node("", xb, yb, RGBColor(235, 235, 235))?;
        let style = ("sans-serif", fonts.px(13.0))
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Right, VPos::Center));
        root.draw(&Text::new(
            format!("{name} = {:.2}", b[[0]]),
            (xb - r - 6, yb),
            style,
        ))?;
    }
    for (k, &y) in rows.iter().enumerate() {
        node(&format!("i{}", k + 1), xi, y, RGBColor(232, 241, 250))?;
        node(&format!("h{}", k + 1), xh, y, RGBColor(255, 236, 204))?;
        node(&format!("o{}", k + 1), xo, y, RGBColor(223, 240, 216))?;
    }
    root.present()?;
    Ok(())
}
