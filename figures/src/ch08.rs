//! Chapter 8's figures, from the record `records/ch08/trends.json` (written
//! by `examples/ch08_trends.rs`) and the weights Chapter 5 saved: saliency
//! maps, FGSM's images, and accuracy against the attack's size ε.

use std::path::{Path, PathBuf};

use ndarray::Axis;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use scratchnet::activation::softmax;
use scratchnet::adversarial::fgsm;
use scratchnet::experiments::{cnn::cnn, mnist::mlp};
use scratchnet::init::Init;
use scratchnet::interpret::saliency;
use scratchnet::metrics::classes;
use scratchnet::weights::load_weights;
use scratchnet::{Sequential, Tensor};
use serde_json::Value;

use crate::mnist::{Area, BoxResult, crisp_edges, records_dir};
use crate::training::diverging;
use crate::{Key, book_mesh, canvas, legend_above, legend_band, tick};

/// The FGSM step of [`fgsm_examples`], in pixel units (pixels in [0, 1]).
pub const FIGURE_EPS: f64 = 0.2;

const MLP_COLOR: RGBColor = RGBColor(127, 127, 127);
const CNN_COLOR: RGBColor = RGBColor(31, 119, 180);
/// Screen pixels per image pixel.
const PIXEL: i32 = 4;
const SIDE: i32 = 28;

/// `records/ch08/trends.json`.
fn record() -> BoxResult<Value> {
    let path: PathBuf = records_dir().with_file_name("ch08").join("trends.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e} (examples/ch08_trends.rs writes it, given --record)",
            path.display()
        )
    })?;
    Ok(serde_json::from_str(&text)?)
}

/// The book's two trained networks (Chapter 5, seed 1), and how each takes an image.
fn trained() -> BoxResult<[(Sequential<f32>, Vec<usize>); 2]> {
    let mut nets = [
        (mlp(Init::Zeros, 0), vec![784], "mlp-book-1.safetensors"),
        (
            cnn(true, Init::Zeros, 0),
            vec![1, 28, 28],
            "cnn-book-1.safetensors",
        ),
    ];
    for (net, _, file) in &mut nets {
        load_weights(net, &records_dir().join(*file))?;
    }
    Ok(nets.map(|(net, shape, _)| (net, shape)))
}

/// The record's sample test images, `[n, 784]` in [0, 1], and their labels.
fn samples(rec: &Value) -> BoxResult<(Tensor<f32>, Vec<usize>)> {
    let items = rec["samples"]
        .as_array()
        .ok_or("trends.json: no `samples`")?;
    let mut pixels = Vec::new();
    let mut labels = Vec::new();
    for item in items {
        let row = item["pixels"]
            .as_array()
            .ok_or("a sample without `pixels`")?;
        pixels.extend(row.iter().map(|v| v.as_f64().unwrap_or(0.0) as f32 / 255.0));
        labels.push(item["label"].as_u64().ok_or("a sample without `label`")? as usize);
    }
    Ok((
        Tensor::from_shape_vec(vec![labels.len(), 784], pixels)?,
        labels,
    ))
}

/// `x` `[n, 784]` reshaped to `[n, shape...]`.
fn shaped(x: &Tensor<f32>, shape: &[usize]) -> Tensor<f32> {
    let mut s = vec![x.shape()[0]];
    s.extend(shape);
    x.to_shape(s).expect("784 pixels").into_owned()
}

/// A 28 × 28 map at `(x0, y0)`, one square per value, coloured by `color`.
fn draw_map(
    area: &Area,
    (x0, y0): (i32, i32),
    values: &[f32],
    color: impl Fn(f64) -> RGBColor,
) -> BoxResult<()> {
    for (i, &v) in values.iter().enumerate() {
        let (x, y) = (
            x0 + (i as i32 % SIDE) * PIXEL,
            y0 + (i as i32 / SIDE) * PIXEL,
        );
        area.draw(&Rectangle::new(
            [(x, y), (x + PIXEL, y + PIXEL)],
            color(f64::from(v)).filled(),
        ))?;
    }
    Ok(())
}

fn grey(v: f64) -> RGBColor {
    let b = (255.0 * v.clamp(0.0, 1.0)).round() as u8;
    RGBColor(b, b, b)
}

/// Saliency maps of the record's sample test digits: the digit (top row),
/// then |∂z_c/∂x| for its true class c under the MLP (middle row) and the
/// CNN (bottom row), each map on its own scale from white (0) to red (its
/// largest value), computed with the networks' backward pass
/// (`scratchnet::interpret::saliency`).
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-saliency.svg");
/// figures::ch08::saliency_maps(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("crispEdges"));
/// ```
pub fn saliency_maps(path: &Path) -> BoxResult<()> {
    let rec = record()?;
    let (x, labels) = samples(&rec)?;
    let n = labels.len() as i32;
    let (gap, side) = (16, SIDE * PIXEL);
    let (root, _) = canvas(
        path,
        (
            (n * (side + gap) + gap) as u32,
            (3 * (side + gap) + gap) as u32,
        ),
    )?;
    for i in 0..n {
        let x0 = gap + i * (side + gap);
        let image: Vec<f32> = x.index_axis(Axis(0), i as usize).iter().copied().collect();
        draw_map(&root, (x0, gap), &image, grey)?;
    }
    for (r, (mut net, shape)) in trained()?.into_iter().enumerate() {
        let maps = saliency(&mut net, &shaped(&x, &shape), &labels); // [n, ...] like the input
        let maps = maps.to_shape((labels.len(), 784))?.into_owned();
        for i in 0..n {
            let row = maps.row(i as usize);
            let top = row.iter().fold(0.0f32, |a, &b| a.max(b)).max(1e-12);
            let values: Vec<f32> = row.iter().map(|v| v / top).collect();
            let y0 = gap + (r as i32 + 1) * (side + gap);
            draw_map(&root, (gap + i * (side + gap), y0), &values, diverging)?;
        }
    }
    root.present()?;
    crisp_edges(path)
}

/// The record's sample test digits (top row) and their FGSM versions
/// against the CNN at ε = [`FIGURE_EPS`] (bottom row), each with the CNN's
/// predicted class and its probability below it.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-fgsm-examples.svg");
/// figures::ch08::fgsm_examples(&path).unwrap();
/// let svg = std::fs::read_to_string(&path).unwrap();
/// assert_eq!(svg.matches("<text").count(), 8); // a prediction below each image
/// ```
pub fn fgsm_examples(path: &Path) -> BoxResult<()> {
    let rec = record()?;
    let (x, labels) = samples(&rec)?;
    let [_, (mut net, shape)] = trained()?;
    let clean = shaped(&x, &shape);
    let adversarial = fgsm(&mut net, &clean, &labels, FIGURE_EPS);
    let n = labels.len() as i32;
    let (gap, side, text) = (16, SIDE * PIXEL, 26);
    let row_height = side + text + gap;
    let (root, fonts) = canvas(
        path,
        (
            (n * (side + gap) + gap) as u32,
            (2 * row_height + gap) as u32,
        ),
    )?;
    let style = fonts.tick().pos(Pos::new(HPos::Center, VPos::Top));
    for (r, images) in [clean, adversarial].iter().enumerate() {
        let p = softmax(&net.predict(images)); // [n, 10]
        let predicted = classes(&p);
        let flat = images.to_shape((labels.len(), 784))?.into_owned();
        for i in 0..n as usize {
            let (x0, y0) = (gap + i as i32 * (side + gap), gap + r as i32 * row_height);
            draw_map(&root, (x0, y0), &flat.row(i).to_vec(), grey)?;
            let label = format!("{} ({:.2})", predicted[i], p[[i, predicted[i]]]);
            root.draw(&Text::new(
                label,
                (x0 + side / 2, y0 + side + 6),
                style.clone(),
            ))?;
        }
    }
    root.present()?;
    crisp_edges(path)
}

/// Test accuracy of the MLP and the CNN against ε: under FGSM (solid) and
/// under random ±ε sign noise of the same size (dashed), from the record.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-fgsm-accuracy.svg");
/// figures::ch08::fgsm_accuracy(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("<polyline"));
/// ```
pub fn fgsm_accuracy(path: &Path) -> BoxResult<()> {
    let rec = record()?;
    let (root, fonts) = canvas(path, (720, 560))?;
    let curve = |model: &str, field: &str| -> BoxResult<Vec<(f64, f64)>> {
        let rows = rec[model]["robustness"]
            .as_array()
            .ok_or("trends.json: no robustness")?;
        rows.iter()
            .map(|r| {
                Ok((
                    r["eps"].as_f64().ok_or("no eps")?,
                    100.0 * r[field].as_f64().ok_or("no accuracy")?,
                ))
            })
            .collect()
    };
    let keys = [
        ("MLP, FGSM".to_string(), Key::Line(MLP_COLOR, 2)),
        ("MLP, random signs".to_string(), Key::Dashed(MLP_COLOR, 2)),
        ("CNN, FGSM".to_string(), Key::Line(CNN_COLOR, 2)),
        ("CNN, random signs".to_string(), Key::Dashed(CNN_COLOR, 2)),
    ];
    let y_area = fonts.y_label_area(3);
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .margin_top(legend_band(keys.len(), fonts))
        .margin_right(fonts.tick_overhang(4))
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(y_area)
        .build_cartesian_2d(0.0..0.3, 0.0..100.0)?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("ε (pixels in [0, 1])")
        .y_desc("test accuracy (%)")
        .x_labels(7)
        .x_label_formatter(&tick)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .draw()?;
    for (model, color) in [("mlp", MLP_COLOR), ("cnn", CNN_COLOR)] {
        let attacked = curve(model, "fgsm_accuracy")?;
        chart.draw_series(attacked.iter().map(|&p| Circle::new(p, 3, color.filled())))?;
        chart.draw_series(LineSeries::new(attacked, color.stroke_width(2)))?;
        let noisy = curve(model, "random_accuracy")?;
        for w in noisy.windows(2) {
            // dashed: each segment drawn in its first and last thirds
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            for (a, b) in [(0.0, 0.35), (0.65, 1.0)] {
                let p = |t: f64| (x0 + t * (x1 - x0), y0 + t * (y1 - y0));
                chart.draw_series(LineSeries::new([p(a), p(b)], color.stroke_width(2)))?;
            }
        }
    }
    legend_above(&root, y_area + 12, &keys, fonts)?;
    root.present()?;
    Ok(())
}
