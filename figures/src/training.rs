//! Chapter 5's figures on training in practice, drawn from the run records in
//! `records/ch05/` and the weights saved beside them: batch sizes,
//! learning-rate schedules, early stopping, and the first layer's weights.

use std::path::Path;

use plotters::prelude::*;
use scratchnet::Layer;
use scratchnet::experiments::mnist::mlp;
use scratchnet::init::Init;
use scratchnet::schedule::Schedule;
use scratchnet::weights::load_weights;

use crate::mnist::{BoxResult, GRID_COLUMNS, PIXEL, Record, SIDE, crisp_edges, mean, records_dir};
use crate::{
    COLUMN_WIDTH, FigResult, Key, book_mesh, canvas, draw_legend, legend_above, legend_band,
    legend_line, tick,
};

/// The batch sizes of the records `batch-B` (book configuration, 5 000
/// validation images, seed 1).
pub const BATCH_SIZES: [usize; 6] = [16, 32, 64, 128, 256, 512];

/// One colour per batch size (ColorBrewer's "Set1", easy to tell apart).
const RAMP: [RGBColor; 6] = [
    RGBColor(228, 26, 28),
    RGBColor(255, 127, 0),
    RGBColor(77, 175, 74),
    RGBColor(55, 126, 184),
    RGBColor(152, 78, 163),
    RGBColor(166, 86, 40),
];

/// A record's value of `field` for every epoch, in order.
pub(crate) fn per_epoch(rec: &Record, field: &str) -> BoxResult<Vec<f64>> {
    rec.items(&rec.json, "epochs")?
        .iter()
        .map(|e| rec.number(e, field))
        .collect()
}

/// Left: validation loss per epoch for each batch size (same learning rate,
/// same 5 epochs), and batch 256 with its rate scaled by √8; right: seconds
/// per epoch against the batch size.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-batch-sizes.svg");
/// figures::training::batch_sizes(&path).unwrap();
/// let svg = std::fs::read_to_string(&path).unwrap();
/// assert!(svg.contains("validation loss") && svg.contains("seconds per epoch"));
/// ```
pub fn batch_sizes(path: &Path) -> FigResult {
    let mut runs = Vec::new();
    for b in BATCH_SIZES {
        let rec = Record::read(&format!("batch-{b}"))?;
        runs.push((
            b,
            per_epoch(&rec, "val_loss")?,
            mean(&per_epoch(&rec, "seconds")?),
        ));
    }
    let scaled = per_epoch(&Record::read("batch-256-sqrt")?, "val_loss")?;

    let (root, fonts) = canvas(path, (960, 440))?;
    let (left, right) = root.split_horizontally(560);
    let band = legend_band(4, fonts);
    let left = left.margin(band, 0, 0, 0);
    let epochs = scaled.len();
    let top = runs
        .iter()
        .flat_map(|r| r.1.iter())
        .fold(0.0f64, |a, &b| a.max(b));
    let y_area = fonts.y_label_area(4);
    let mut chart = ChartBuilder::on(&left)
        .margin(12)
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(y_area)
        .build_cartesian_2d(0.8..epochs as f64 + 0.2, 0.05..top * 1.05)?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("epoch")
        .y_desc("validation loss")
        .x_labels(epochs)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&tick)
        .draw()?;
    let mut keys = Vec::new();
    for ((b, losses, _), color) in runs.iter().zip(RAMP) {
        let points: Vec<(f64, f64)> = losses
            .iter()
            .enumerate()
            .map(|(e, &l)| ((e + 1) as f64, l))
            .collect();
        chart.draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?;
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, color.filled())))?;
        keys.push((format!("B = {b}"), Key::Line(color, 2)));
    }
    let points: Vec<(f64, f64)> = scaled
        .iter()
        .enumerate()
        .map(|(e, &l)| ((e + 1) as f64, l))
        .collect();
    let dashed = DashedLineSeries::new(points, 6, 4, BLACK.stroke_width(2));
    chart.draw_series(dashed)?;
    keys.push(("B = 256, rate × √8".to_string(), Key::Dashed(BLACK, 2)));
    // Two columns of legend above the plot.
    let (first, second) = keys.split_at(4);
    let (key_left, key_right) = root
        .split_horizontally(560)
        .0
        .split_horizontally(y_area + 12 + 200);
    legend_above(&key_left, y_area + 12, first, fonts)?;
    legend_above(&key_right, 12, second, fonts)?;

    // The batch sizes double from one to the next: an axis of log2(B) spaces them evenly.
    let max_seconds = runs.iter().fold(0.0f64, |a, r| a.max(r.2));
    let log2 = |b: usize| (b as f64).log2();
    let (first_b, last_b) = (
        log2(BATCH_SIZES[0]),
        log2(BATCH_SIZES[BATCH_SIZES.len() - 1]),
    );
    let mut chart = ChartBuilder::on(&right.margin(band, 0, 0, 0))
        .margin(12)
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(3))
        .build_cartesian_2d(first_b - 0.5..last_b + 0.5, 0.0..max_seconds * 1.15)?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("batch size")
        .y_desc("seconds per epoch")
        .x_labels(BATCH_SIZES.len() + 2)
        .x_label_formatter(&|v| format!("{:.0}", v.exp2()))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .draw()?;
    let points: Vec<(f64, f64)> = runs.iter().map(|r| (log2(r.0), r.2)).collect();
    chart.draw_series(LineSeries::new(points.clone(), GREY.stroke_width(1)))?;
    for (&point, color) in points.iter().zip(RAMP) {
        chart.draw_series(std::iter::once(Circle::new(point, 5, color.filled())))?;
    }
    root.present()?;
    Ok(())
}

const GREY: RGBColor = RGBColor(150, 150, 150);

/// The schedules of the records `val-f` (constant), `val-h` (step decay),
/// `val-d` (cosine) and `val-i` (cosine after a warm-up of 500 steps), all
/// with Adam at 0.003 and He initialisation.
const SCHEDULE_RUNS: [(&str, &str, Schedule, RGBColor); 4] = [
    (
        "constant",
        "val-f-he-lr3",
        Schedule::Constant,
        RGBColor(110, 110, 110),
    ),
    (
        "step decay",
        "val-h-he-step",
        Schedule::StepDecay {
            every: 3,
            factor: 0.1,
        },
        RGBColor(255, 127, 14),
    ),
    (
        "cosine",
        "val-d-he-cos",
        Schedule::Cosine {
            warmup: 0,
            floor: 0.0,
        },
        RGBColor(31, 119, 180),
    ),
    (
        "warm-up, cosine",
        "val-i-he-cos-warm",
        Schedule::Cosine {
            warmup: 500,
            floor: 0.0,
        },
        RGBColor(44, 160, 44),
    ),
];

/// Left: the learning rate over five epochs of 1 719 steps (55 000 images
/// in batches of 32) for each schedule, computed by [`Schedule::factor`];
/// right: the validation accuracy after each epoch, mean of three seeds,
/// from the records.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-schedules.svg");
/// figures::training::schedules(&path).unwrap();
/// let svg = std::fs::read_to_string(&path).unwrap();
/// assert!(svg.contains("learning rate") && svg.contains("validation accuracy (%)"));
/// ```
pub fn schedules(path: &Path) -> FigResult {
    let (steps_per_epoch, epochs, base) = (55_000usize.div_ceil(32), 5usize, 0.003);
    let total = steps_per_epoch * epochs;
    let (root, fonts) = canvas(path, (960, 440))?;
    let band = legend_band(2, fonts);
    let (left, right) = root.split_horizontally(480);
    let y_area = fonts.y_label_area(5);
    let mut chart = ChartBuilder::on(&left.margin(band, 0, 0, 0))
        .margin(12)
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(y_area)
        .build_cartesian_2d(0.0..epochs as f64, 0.0..base * 1.08)?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("epoch")
        .y_desc("learning rate")
        .x_labels(epochs + 1)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.4}"))
        .draw()?;
    let mut keys = Vec::new();
    // The constant rate is drawn last, dashed: step decay lies on it for three epochs.
    for (name, _, schedule, color) in SCHEDULE_RUNS.iter().rev() {
        let points: Vec<(f64, f64)> = (0..total)
            .step_by(5)
            .map(|step| {
                let lr = base * schedule.factor(step, steps_per_epoch, total);
                (step as f64 / steps_per_epoch as f64, lr)
            })
            .collect();
        if *schedule == Schedule::Constant {
            chart.draw_series(DashedLineSeries::new(points, 6, 4, color.stroke_width(2)))?;
            keys.push((name.to_string(), Key::Dashed(*color, 2)));
        } else {
            chart.draw_series(LineSeries::new(points, color.stroke_width(2)))?;
            keys.push((name.to_string(), Key::Line(*color, 2)));
        }
    }
    keys.reverse();
    let (first, second) = keys.split_at(2);
    let (key_left, key_right) = left.split_horizontally(y_area + 12 + 150);
    legend_above(&key_left, y_area + 12, first, fonts)?;
    legend_above(&key_right, 12, second, fonts)?;

    let mut curves = Vec::new();
    // Drawn in the legend's order reversed, like the left panel: the constant rate last, dashed.
    for (_, prefix, schedule, color) in SCHEDULE_RUNS.iter().rev() {
        let mut seeds = Vec::new();
        for seed in 1..=3 {
            seeds.push(per_epoch(
                &Record::read(&format!("{prefix}-{seed}"))?,
                "val_accuracy",
            )?);
        }
        let means: Vec<f64> = (0..epochs)
            .map(|e| 100.0 * mean(&seeds.iter().map(|s| s[e]).collect::<Vec<_>>()))
            .collect();
        curves.push((means, *schedule, color));
    }
    let lo = curves
        .iter()
        .flat_map(|c| c.0.iter())
        .fold(f64::MAX, |a, &b| a.min(b));
    let hi = curves
        .iter()
        .flat_map(|c| c.0.iter())
        .fold(f64::MIN, |a, &b| a.max(b));
    let mut chart = ChartBuilder::on(&right.margin(band, 0, 0, 0))
        .margin(12)
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(4))
        .build_cartesian_2d(
            0.8..epochs as f64 + 0.2,
            (lo * 5.0).floor() / 5.0..(hi * 5.0).ceil() / 5.0,
        )?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("epoch")
        .y_desc("validation accuracy (%)")
        .x_labels(epochs)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .draw()?;
    for (means, schedule, color) in curves {
        let points: Vec<(f64, f64)> = means
            .iter()
            .enumerate()
            .map(|(e, &a)| ((e + 1) as f64, a))
            .collect();
        if schedule == Schedule::Constant {
            chart.draw_series(DashedLineSeries::new(
                points.clone(),
                6,
                4,
                color.stroke_width(2),
            ))?;
        } else {
            chart.draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?;
        }
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, color.filled())))?;
    }
    root.present()?;
    Ok(())
}

/// The record of the early-stopping run.
pub const EARLY_STOPPING_RUN: &str = "early-stopping-1";

/// Training loss (with dropout, averaged over each epoch's mini-batches) and
/// validation loss per epoch of the early-stopping run, with a vertical line
/// at the epoch whose weights were kept.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-early-stopping.svg");
/// figures::training::early_stopping(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("validation loss"));
/// ```
pub fn early_stopping(path: &Path) -> FigResult {
    let rec = Record::read(EARLY_STOPPING_RUN)?;
    let train = per_epoch(&rec, "train_loss")?;
    let val = per_epoch(&rec, "val_loss")?;
    let best = rec.number(&rec.json, "best_epoch")?;
    let epochs = train.len() as f64;
    let top = train[1..].iter().chain(&val).fold(0.0f64, |a, &b| a.max(b));
    let (root, fonts) = canvas(path, (COLUMN_WIDTH, 400))?;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .margin_right(fonts.tick_overhang(2))
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(4))
        .build_cartesian_2d(0.5..epochs + 0.5, 0.0..top * 1.4)?; // room for the legend
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("epoch")
        .y_desc("loss")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&tick)
        .draw()?;
    let series = |values: &[f64]| -> Vec<(f64, f64)> {
        values
            .iter()
            .enumerate()
            .map(|(e, &l)| ((e + 1) as f64, l))
            .collect()
    };
    let (blue, orange) = (RGBColor(31, 119, 180), RGBColor(255, 127, 14));
    chart
        .draw_series(LineSeries::new(series(&train), blue.stroke_width(2)))?
        .label("training loss")
        .legend(legend_line(blue, 2));
    chart
        .draw_series(LineSeries::new(series(&val), orange.stroke_width(2)))?
        .label("validation loss")
        .legend(legend_line(orange, 2));
    chart.draw_series(
        series(&val)
            .into_iter()
            .map(|p| Circle::new(p, 3, orange.filled())),
    )?;
    chart
        .draw_series(DashedLineSeries::new(
            [(best, 0.0), (best, top * 1.05)],
            5,
            4,
            BLACK.mix(0.6).stroke_width(1),
        ))?
        .label("best epoch (weights kept)")
        .legend(|(x, y)| {
            EmptyElement::at((x, y))
                + PathElement::new(vec![(0, 0), (7, 0)], BLACK.mix(0.6).stroke_width(1))
                + PathElement::new(vec![(13, 0), (20, 0)], BLACK.mix(0.6).stroke_width(1))
        });
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight, fonts)?;
    root.present()?;
    Ok(())
}

/// The weights saved by the record `mlp-book-1`'s run (`--save`).
pub const FIRST_LAYER_WEIGHTS: &str = "mlp-book-1.safetensors";

/// How many hidden units [`first_layer`] draws.
pub const UNITS_SHOWN: usize = 24;

/// The incoming weights of the first [`UNITS_SHOWN`] hidden units of the
/// book's trained MLP (seed 1), each of the 784 weights drawn at its pixel's
/// place: red for positive, blue for negative, white for zero, each unit on
/// its own scale (its largest |w| is the deepest colour).
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-first-layer.svg");
/// figures::training::first_layer(&path).unwrap();
/// let svg = std::fs::read_to_string(&path).unwrap();
/// assert!(svg.contains(r#"shape-rendering="crispEdges""#));
/// ```
pub fn first_layer(path: &Path) -> FigResult {
    let file = records_dir().join(FIRST_LAYER_WEIGHTS);
    let mut net = mlp(Init::Zeros, 0);
    load_weights(&mut net, &file).map_err(|e| {
        format!("{e} (examples/ch05_mnist_mlp.rs writes it, given --config book --seed 1 --save)")
    })?;
    let w = net.params()[0].value.clone(); // [784, 128]
    let image = SIDE as i32 * PIXEL;
    let (pad, cell) = (8, COLUMN_WIDTH as i32 / GRID_COLUMNS as i32);
    let rows = UNITS_SHOWN.div_ceil(GRID_COLUMNS) as i32;
    let (root, _) = canvas(path, (COLUMN_WIDTH, (rows * (image + 2 * pad)) as u32))?;
    for unit in 0..UNITS_SHOWN {
        let column: Vec<f32> = (0..SIDE * SIDE).map(|i| w[[i, unit]]).collect();
        let scale = column
            .iter()
            .fold(0.0f32, |a, &v| a.max(v.abs()))
            .max(1e-12);
        let (row, col) = ((unit / GRID_COLUMNS) as i32, (unit % GRID_COLUMNS) as i32);
        let (x0, y0) = (
            col * cell + (cell - image) / 2,
            row * (image + 2 * pad) + pad,
        );
        for (i, &v) in column.iter().enumerate() {
            let x = x0 + (i % SIDE) as i32 * PIXEL;
            let y = y0 + (i / SIDE) as i32 * PIXEL;
            let color = diverging(f64::from(v / scale)).filled();
            root.draw(&Rectangle::new([(x, y), (x + PIXEL, y + PIXEL)], color))?;
        }
    }
    root.present()?;
    crisp_edges(path)
}

/// Blue (−1) through white (0) to red (+1).
pub(crate) fn diverging(t: f64) -> RGBColor {
    let t = t.clamp(-1.0, 1.0);
    let (r, g, b) = if t >= 0.0 {
        (1.0, 1.0 - 0.85 * t, 1.0 - 0.85 * t)
    } else {
        (1.0 + 0.85 * t, 1.0 + 0.55 * t, 1.0)
    };
    let byte = |c: f64| (255.0 * c).round() as u8;
    RGBColor(byte(r), byte(g), byte(b))
}
