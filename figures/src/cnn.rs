//! Chapter 5's figures on convolutional networks: im2col drawn from the
//! library's own `im2col`, and (from the run records and saved weights in
//! `records/ch05/`) the learned filters, one digit's feature maps, and the
//! training curves of the CNN with and without batch normalization.

use std::path::Path;

use ndarray::{Array2, Array3, ArrayView2, s};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use scratchnet::experiments::cnn::cnn;
use scratchnet::init::Init;
use scratchnet::layers::{Geometry, Padding, im2col};
use scratchnet::weights::load_weights;
use scratchnet::{Layer, Mode, Sequential, Tensor};

use crate::mnist::{Record, crisp_edges, records_dir};
use crate::training::{diverging, per_epoch};
use crate::{
    COLUMN_WIDTH, FigResult, Key, book_mesh, canvas, draw_legend, legend_above, legend_band,
    legend_line, tick,
};

/// Side of the example image of [`im2col_figure`].
const SIDE: usize = 4;
/// Side of the kernel of [`im2col_figure`].
const KERNEL: usize = 3;

const HIGHLIGHT: RGBColor = RGBColor(31, 119, 180);
const LIGHT: RGBColor = RGBColor(222, 235, 247);

/// im2col on a 4 × 4 image of the pixel numbers 1…16 and a 3 × 3 kernel:
/// left the image with the first patch outlined, right the matrix that
/// `scratchnet::layers::im2col` builds, one patch per column, its first
/// column outlined.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-im2col.svg");
/// figures::cnn::im2col_figure(&path).unwrap();
/// let svg = std::fs::read_to_string(&path).unwrap();
/// assert_eq!(svg.matches("<text").count(), 16 + 4 * 9); // every number once in the image, in the matrix
/// ```
pub fn im2col_figure(path: &Path) -> FigResult {
    // The library's im2col, on pixels numbered 1…16.
    let image = Array3::from_shape_fn((1, SIDE, SIDE), |(_, r, c)| (r * SIDE + c + 1) as f64);
    let g = Geometry::new([1, SIDE, SIDE], (KERNEL, KERNEL), (1, 1), Padding::Valid);
    let (oh, ow) = g.output;
    let mut cols = Array2::zeros((g.patch_len(), oh * ow)); // [c·kh·kw, oh·ow]
    im2col(image.view(), &g, cols.view_mut());

    let cell = 28;
    let height = cols.nrows() as i32 * cell + 20;
    let (root, fonts) = canvas(path, (COLUMN_WIDTH, height as u32))?;
    let style = fonts.style(12.0).pos(Pos::new(HPos::Center, VPos::Center));
    let draw_cell = |x: i32, y: i32, value: f64, shaded: bool| -> FigResult {
        let fill = if shaded { LIGHT } else { WHITE };
        root.draw(&Rectangle::new(
            [(x, y), (x + cell, y + cell)],
            fill.filled(),
        ))?;
        root.draw(&Rectangle::new(
            [(x, y), (x + cell, y + cell)],
            BLACK.mix(0.4).stroke_width(1),
        ))?;
        root.draw(&Text::new(
            format!("{value:.0}"),
            (x + cell / 2, y + cell / 2),
            style.clone(),
        ))?;
        Ok(())
    };
    let outline = |x: i32, y: i32, w: i32, h: i32| {
        root.draw(&Rectangle::new(
            [(x, y), (x + w, y + h)],
            HIGHLIGHT.stroke_width(3),
        ))
    };
    // The image, its first patch shaded and outlined.
    let (x0, y0) = (170, (height - SIDE as i32 * cell) / 2);
    for r in 0..SIDE {
        for c in 0..SIDE {
            let shaded = r < KERNEL && c < KERNEL;
            let (x, y) = (x0 + c as i32 * cell, y0 + r as i32 * cell);
            draw_cell(x, y, image[[0, r, c]], shaded)?;
        }
    }
    let k = (KERNEL as i32) * cell;
    outline(x0, y0, k, k)?;
    // An arrow from the image to the matrix.
    let (ax, ay) = (x0 + SIDE as i32 * cell + 20, height / 2);
    root.draw(&PathElement::new(
        vec![(ax, ay), (ax + 60, ay)],
        BLACK.stroke_width(2),
    ))?;
    root.draw(&PathElement::new(
        vec![(ax + 50, ay - 7), (ax + 60, ay), (ax + 50, ay + 7)],
        BLACK.stroke_width(2),
    ))?;
    // The matrix [c·kh·kw, oh·ow], one patch per column, its first column outlined.
    let (mx, my) = (ax + 90, 10);
    for ((row, col), &value) in cols.indexed_iter() {
        let (x, y) = (mx + col as i32 * cell, my + row as i32 * cell);
        draw_cell(x, y, value, col == 0)?;
    }
    outline(mx, my, cell, g.patch_len() as i32 * cell)?;
    root.present()?;
    Ok(())
}

/// The weights saved by the run `cnn-book-1` (`--save`).
pub const CNN_WEIGHTS: &str = "cnn-book-1.safetensors";

/// The book's CNN (seed 1) with the weights of [`CNN_WEIGHTS`].
fn trained_cnn() -> Result<Sequential<f32>, Box<dyn std::error::Error>> {
    let mut net = cnn(true, Init::Zeros, 0);
    let file = records_dir().join(CNN_WEIGHTS);
    load_weights(&mut net, &file).map_err(|e| {
        format!("{e} (examples/ch05_mnist_cnn.rs writes it, given --config book --seed 1 --save)")
    })?;
    Ok(net)
}

/// The 32 kernels of the first convolution of the book's trained CNN, 3 × 3
/// each, in a grid of 8 × 4: red positive, blue negative, white zero, all on
/// one scale (the largest |w| is the deepest colour), drawn below the grid.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-cnn-filters.svg");
/// figures::cnn::filters(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("crispEdges"));
/// ```
pub fn filters(path: &Path) -> FigResult {
    let net = trained_cnn()?;
    let w = net.params()[0].value.clone(); // [32, 1, 3, 3]
    let scale = w.iter().fold(0.0f32, |a, &v| a.max(v.abs())).max(1e-12);
    let (pixel, gap) = (20, 14);
    let side = 3 * pixel;
    let (cols, rows) = (8, 4);
    let width = cols * (side + gap) + gap;
    let grid = rows * (side + gap) + gap;
    let bar = 56; // the colour scale below the grid
    let (root, fonts) = canvas(path, (width as u32, (grid + bar) as u32))?;
    for f in 0..32 {
        let (x0, y0) = (
            gap + (f % cols) * (side + gap),
            gap + (f / cols) * (side + gap),
        );
        for u in 0..3 {
            for v in 0..3 {
                let value = f64::from(w[[f as usize, 0, u, v]] / scale);
                let (x, y) = (x0 + v as i32 * pixel, y0 + u as i32 * pixel);
                let color = diverging(value).filled();
                root.draw(&Rectangle::new([(x, y), (x + pixel, y + pixel)], color))?;
            }
        }
        root.draw(&Rectangle::new(
            [(x0, y0), (x0 + side, y0 + side)],
            BLACK.mix(0.3).stroke_width(1),
        ))?;
    }
    // The colour scale: −largest |w| (blue) through 0 (white) to +largest |w| (red).
    let (bar_left, bar_width, steps) = (width / 4, width / 2, 100);
    for i in 0..steps {
        let value = -1.0 + 2.0 * (i as f64 + 0.5) / steps as f64;
        let x = bar_left + i * bar_width / steps;
        let next = bar_left + (i + 1) * bar_width / steps;
        root.draw(&Rectangle::new(
            [(x, grid), (next, grid + 14)],
            diverging(value).filled(),
        ))?;
    }
    let labels = [
        (bar_left, format!("{:.2}", -scale)),
        (bar_left + bar_width / 2, "0".to_string()),
        (bar_left + bar_width, format!("{scale:.2}")),
    ];
    let style = fonts.tick().pos(Pos::new(HPos::Center, VPos::Top));
    for (x, label) in labels {
        root.draw(&Text::new(label, (x, grid + 20), style.clone()))?;
    }
    root.present()?;
    crisp_edges(path)
}

/// How many maps of each convolution [`feature_maps`] shows.
pub const MAPS_SHOWN: usize = 8;

/// One training digit (the first of the record `mlp-book-1`'s samples) and
/// what the book's trained CNN makes of it: the first [`MAPS_SHOWN`] feature
/// maps after the first convolution (with batch norm and ReLU, 26 × 26) and
/// after the second (24 × 24), each on its own grey scale from 0 (black) to
/// its largest value (white).
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-cnn-maps.svg");
/// figures::cnn::feature_maps(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("crispEdges"));
/// ```
pub fn feature_maps(path: &Path) -> FigResult {
    let mut net = trained_cnn()?;
    let rec = Record::read("mlp-book-1")?;
    let sample = &rec.items(&rec.json, "samples")?[0];
    let pixels: Vec<f32> = rec
        .items(sample, "pixels")?
        .iter()
        .map(|p| p.as_f64().unwrap_or(0.0) as f32 / 255.0)
        .collect();
    let mut x: Tensor<f32> = Tensor::from_shape_vec(vec![1, 1, 28, 28], pixels)?;
    // Run the layers one by one, keeping the output after each ReLU.
    let mut after_relu = Vec::new();
    for layer in net.layers_mut() {
        x = layer.forward(&x, Mode::Eval);
        if layer.name() == "ReLU" && x.ndim() == 4 {
            after_relu.push(x.clone());
        }
    }
    let pixel = 3;
    let gap = 8;
    let side = |n: usize| n as i32 * pixel;
    let width = MAPS_SHOWN as i32 * (side(26) + gap) + gap;
    let height = gap + side(28) + gap + side(26) + gap + side(24) + gap;
    let (root, _) = canvas(path, (width as u32, height as u32))?;
    let draw_map = |x0: i32, y0: i32, map: ArrayView2<f32>| -> FigResult {
        let top = map.iter().fold(0.0f32, |a, &v| a.max(v)).max(1e-12);
        for ((r, c), &v) in map.indexed_iter() {
            let g = (255.0 * (v / top).clamp(0.0, 1.0)).round() as u8;
            let (x, y) = (x0 + c as i32 * pixel, y0 + r as i32 * pixel);
            root.draw(&Rectangle::new(
                [(x, y), (x + pixel, y + pixel)],
                RGBColor(g, g, g).filled(),
            ))?;
        }
        Ok(())
    };
    let input = Array2::from_shape_fn((28, 28), |(r, c)| {
        rec.items(sample, "pixels")
            .map_or(0.0, |p| p[r * 28 + c].as_f64().unwrap_or(0.0) as f32)
    });
    draw_map(gap, gap, input.view())?;
    let mut y0 = gap + side(28) + gap;
    for maps in &after_relu {
        for m in 0..MAPS_SHOWN {
            let map = maps.slice(s![0, m, .., ..]);
            draw_map(gap + m as i32 * (side(26) + gap), y0, map)?;
        }
        y0 += side(maps.shape()[2]) + gap;
    }
    root.present()?;
    crisp_edges(path)
}

/// The seeds of the recorded CNN runs `cnn-seed-N` and `cnn-book-N`.
pub const CNN_SEEDS: [u64; 3] = [1, 2, 3];

const MLP_COLOR: RGBColor = RGBColor(127, 127, 127);
const SEED_COLOR: RGBColor = RGBColor(255, 127, 14);
const BOOK_COLOR: RGBColor = RGBColor(31, 119, 180);

/// Each seed's training loss per epoch, and its test accuracy.
type Runs = (Vec<Vec<f64>>, Vec<f64>);

/// A configuration's runs, `records/ch05/<prefix>-<seed>.json`.
fn runs(prefix: &str, seeds: &[u64]) -> Result<Runs, Box<dyn std::error::Error>> {
    let (mut losses, mut accuracy) = (Vec::new(), Vec::new());
    for seed in seeds {
        let rec = Record::read(&format!("{prefix}-{seed}"))?;
        losses.push(per_epoch(&rec, "train_loss")?);
        accuracy.push(rec.number(&rec.json, "test_accuracy")?);
    }
    Ok((losses, accuracy))
}

/// Left: training loss per epoch, mean over the seeds, of the book's MLP
/// (`mlp-book-*`), the seed's CNN (`cnn-seed-*`) and the book's CNN
/// (`cnn-book-*`). Right: the test accuracy of every seed of the MLP's two
/// configurations and the CNN's two, with each configuration's mean.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-cnn-curves.svg");
/// figures::cnn::curves(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("test accuracy (%)"));
/// ```
pub fn curves(path: &Path) -> FigResult {
    let mlp_seeds = [1, 2, 3, 4, 5];
    let configs = [
        (
            "MLP, seeds'",
            runs("mlp-seed", &mlp_seeds)?,
            MLP_COLOR.mix(0.5),
        ),
        (
            "MLP, book's",
            runs("mlp-book", &mlp_seeds)?,
            MLP_COLOR.mix(1.0),
        ),
        (
            "CNN, seed's",
            runs("cnn-seed", &CNN_SEEDS)?,
            SEED_COLOR.mix(1.0),
        ),
        (
            "CNN, book's",
            runs("cnn-book", &CNN_SEEDS)?,
            BOOK_COLOR.mix(1.0),
        ),
    ];
    let (root, fonts) = canvas(path, (960, 440))?;
    let (left, right) = root.split_horizontally(560);
    let epochs = configs.iter().map(|c| c.1.0[0].len()).max().unwrap_or(1);
    let top = configs
        .iter()
        .flat_map(|c| c.1.0.iter().flatten())
        .fold(0.0f64, |a, &b| a.max(b));
    let mut chart = ChartBuilder::on(&left)
        .margin(12)
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(4))
        .build_cartesian_2d(0.5..epochs as f64 + 0.5, (0.005..top * 1.2).log_scale())?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("epoch")
        .y_desc("training loss")
        .y_labels(6)
        .x_labels(epochs.min(12))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&tick)
        .draw()?;
    for (name, (losses, _), color) in &configs {
        let n = losses[0].len();
        let mean: Vec<(f64, f64)> = (0..n)
            .map(|e| {
                let values: Vec<f64> = losses.iter().map(|l| l[e]).collect();
                ((e + 1) as f64, crate::mnist::mean(&values))
            })
            .collect();
        let color = *color;
        chart.draw_series(mean.iter().map(|&p| Circle::new(p, 3, color.filled())))?;
        chart
            .draw_series(LineSeries::new(mean, color.stroke_width(2)))?
            .label(*name)
            .legend(legend_line(color, 2));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight, fonts)?;

    let percents: Vec<f64> = configs
        .iter()
        .flat_map(|c| c.1.1.iter().map(|a| 100.0 * a))
        .collect();
    let (lo, hi) = percents
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), &p| (lo.min(p), hi.max(p)));
    let mut chart = ChartBuilder::on(&right)
        .margin(12)
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(4))
        .build_cartesian_2d(
            -0.5..configs.len() as f64 - 0.5,
            (lo * 5.0 - 0.5).floor() / 5.0..(hi * 5.0 + 0.5).ceil() / 5.0,
        )?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("configuration")
        .y_desc("test accuracy (%)")
        .x_labels(configs.len())
        .x_label_formatter(&|v| {
            ["MLP s", "MLP b", "CNN s", "CNN b"]
                .get(v.round() as usize)
                .unwrap_or(&"")
                .to_string()
        })
        .y_label_formatter(&|v| format!("{v:.1}"))
        .draw()?;
    for (i, (_, (_, accuracy), color)) in configs.iter().enumerate() {
        let x = i as f64;
        let dots: Vec<f64> = accuracy.iter().map(|a| 100.0 * a).collect();
        let m = crate::mnist::mean(&dots);
        chart.draw_series(LineSeries::new(
            [(x - 0.3, m), (x + 0.3, m)],
            color.stroke_width(2),
        ))?;
        // Spread the seeds sideways a little, so that equal results stay countable.
        let spread = |i: usize| x + (i as f64 - (dots.len() as f64 - 1.0) / 2.0) * 0.07;
        chart.draw_series(
            dots.iter()
                .enumerate()
                .map(|(i, &a)| Circle::new((spread(i), a), 5, color.filled())),
        )?;
    }
    root.present()?;
    Ok(())
}

/// The validation runs that measure batch normalization, one record per seed
/// of [`CNN_SEEDS`] that was run (`<prefix>-<seed>.json`): seed 001's
/// training, the book's without batch norm, and the book's.
pub const BATCH_NORM_RUNS: [(&str, &str); 3] = [
    ("seed's: Adadelta 1.0, Glorot", "cnn-val-seed"),
    ("Adam 0.003 cosine, He", "cnn-val-nobn"),
    ("the same with batch norm", "cnn-val-bn"),
];

/// Validation accuracy (left) and loss (right) after every epoch of the
/// runs of [`BATCH_NORM_RUNS`]: each seed as a thin line, their mean as a
/// thick one with dots.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-cnn-batch-norm.svg");
/// figures::cnn::batch_norm(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("validation loss"));
/// ```
pub fn batch_norm(path: &Path) -> FigResult {
    let colors = [SEED_COLOR, MLP_COLOR, BOOK_COLOR];
    // For each configuration: its name, then per seed the accuracy and loss curves.
    let mut curves = Vec::new();
    for (name, prefix) in BATCH_NORM_RUNS {
        let (mut accuracy, mut loss) = (Vec::new(), Vec::new());
        let recorded = CNN_SEEDS.iter().filter(|seed| {
            records_dir()
                .join(format!("{prefix}-{seed}.json"))
                .is_file()
        });
        for seed in recorded {
            let rec = Record::read(&format!("{prefix}-{seed}"))?;
            accuracy.push(per_epoch(&rec, "val_accuracy")?);
            loss.push(per_epoch(&rec, "val_loss")?);
        }
        if accuracy.is_empty() {
            return Err(format!("no record {prefix}-<seed>.json in {:?}", records_dir()).into());
        }
        curves.push((name, accuracy, loss));
    }
    let (root, fonts) = canvas(path, (960, 440))?;
    let band = legend_band(3, fonts);
    let (left, right) = root.split_horizontally(480);
    let epochs = curves.iter().map(|c| c.1[0].len()).max().unwrap_or(1) as f64;
    let panel = |area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
                 runs: Vec<Vec<Vec<f64>>>,
                 y_desc: &str,
                 scale: f64,
                 decimals: usize|
     -> FigResult {
        let runs: Vec<Vec<Vec<f64>>> = runs
            .into_iter()
            .map(|seeds| {
                seeds
                    .into_iter()
                    .map(|v| v.into_iter().map(|x| x * scale).collect())
                    .collect()
            })
            .collect();
        let all = runs.iter().flatten().flatten();
        let lo = all.clone().fold(f64::MAX, |a, &b| a.min(b));
        let hi = all.fold(f64::MIN, |a, &b| a.max(b));
        let pad = (hi - lo) * 0.08;
        let mut chart = ChartBuilder::on(&area.margin(band, 0, 0, 0))
            .margin(12)
            .x_label_area_size(fonts.x_label_area())
            .y_label_area_size(fonts.y_label_area(5))
            .build_cartesian_2d(0.5..epochs + 0.5, lo - pad..hi + pad)?;
        book_mesh(&mut chart.configure_mesh(), fonts)
            .x_desc("epoch")
            .y_desc(y_desc)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| format!("{v:.decimals$}"))
            .draw()?;
        let at = |v: &[f64]| -> Vec<(f64, f64)> {
            v.iter()
                .enumerate()
                .map(|(e, &a)| ((e + 1) as f64, a))
                .collect()
        };
        for (seeds, color) in runs.iter().zip(colors) {
            for v in seeds {
                chart.draw_series(LineSeries::new(at(v), color.mix(0.35).stroke_width(1)))?;
            }
            let mean: Vec<f64> = (0..seeds[0].len())
                .map(|e| crate::mnist::mean(&seeds.iter().map(|v| v[e]).collect::<Vec<_>>()))
                .collect();
            let points = at(&mean);
            chart.draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?;
            chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, color.filled())))?;
        }
        Ok(())
    };
    panel(
        &left,
        curves.iter().map(|c| c.1.clone()).collect(),
        "validation accuracy (%)",
        100.0,
        1,
    )?;
    panel(
        &right,
        curves.iter().map(|c| c.2.clone()).collect(),
        "validation loss",
        1.0,
        3,
    )?;
    let keys: Vec<(String, Key)> = curves
        .iter()
        .zip(colors)
        .map(|(c, color)| (c.0.to_string(), Key::Line(color, 2)))
        .collect();
    legend_above(&root, fonts.y_label_area(5) + 12, &keys, fonts)?;
    root.present()?;
    Ok(())
}
