//! Chapter 6's figures: sample pictures of the generated shapes (drawn from
//! `scratchnet::experiments::shapes` with a fixed seed), and the confusion
//! matrices of the recorded runs in `records/ch06/`.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use scratchnet::experiments::shapes::{CLASSES, Noise, Placement, generate};
use serde_json::Value;

use crate::mnist::{blues, crisp_edges, records_dir};
use crate::{FigResult, TICK_FONT, book_mesh, canvas};

/// The confusion matrix stored under `confusion` in `records/ch06/<name>.json`.
fn confusion_of(name: &str) -> Result<Vec<Vec<u64>>, Box<dyn std::error::Error>> {
    let path = records_dir()
        .with_file_name("ch06")
        .join(format!("{name}.json"));
    let fail = |e: &dyn std::fmt::Display| format!("run record {}: {e}", path.display());
    let text = std::fs::read_to_string(&path).map_err(|e| fail(&e))?;
    let json: Value = serde_json::from_str(&text).map_err(|e| fail(&e))?;
    let rows = json["confusion"]
        .as_array()
        .ok_or_else(|| fail(&"no `confusion` matrix"))?;
    rows.iter()
        .map(|row| {
            row.as_array()
                .and_then(|r| r.iter().map(Value::as_u64).collect::<Option<Vec<u64>>>())
                .ok_or_else(|| fail(&"a row of `confusion` is not a list of counts").into())
        })
        .collect()
}

/// The shade of a count, from 0 (none) to 1 (darkest): logarithmic, so that
/// a single mistake is visible, and clipped at `darkest`, so that the
/// mistakes spread over the scale instead of the diagonal taking its top.
fn shade(count: u64, darkest: u64) -> f64 {
    (1.0 + count.min(darkest) as f64).ln() / (1.0 + darkest as f64).ln()
}

/// A confusion matrix as shaded cells with their counts; `ticks` name the
/// classes along both axes (rows: true class, top to bottom); counts from
/// `darkest` up get the darkest shade.
fn matrix(
    path: &Path,
    counts: &[Vec<u64>],
    ticks: &[&str],
    (x_desc, y_desc): (&str, &str),
    darkest: u64,
) -> FigResult {
    let k = counts.len();
    if k == 0 || ticks.len() != k || counts.iter().any(|r| r.len() != k) {
        return Err(format!(
            "{}: a {k}-class matrix needs {k} ticks and {k}×{k} counts",
            path.display()
        )
        .into());
    }
    let top = k as f64 - 0.5;
    let (root, fonts) = canvas(path, (560, 560))?;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(3))
        .build_cartesian_2d(-0.5..top, -0.5..top)?;
    let label = |v: f64| -> String {
        let i = v.round();
        if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < k {
            ticks[i as usize].to_string()
        } else {
            String::new()
        }
    };
    book_mesh(&mut chart.configure_mesh(), fonts)
        .disable_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_labels(k)
        .y_labels(k)
        .x_label_formatter(&|v| label(*v))
        .y_label_formatter(&|v| label(k as f64 - 1.0 - *v))
        .draw()?;
    for (t, row) in counts.iter().enumerate() {
        for (p, &n) in row.iter().enumerate() {
            let (x, y) = (p as f64, (k - 1 - t) as f64);
            let level = shade(n, darkest);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                blues(level).filled(),
            )))?;
            let ink = match (n, level > 0.75) {
                (0, _) => RGBColor(170, 170, 170),
                (_, true) => WHITE,
                (_, false) => BLACK,
            };
            let style = fonts
                .style(TICK_FONT)
                .color(&ink)
                .pos(Pos::new(HPos::Center, VPos::Center));
            chart.draw_series(std::iter::once(Text::new(n.to_string(), (x, y), style)))?;
        }
    }
    chart.draw_series((0..=k).flat_map(|i| {
        let i = i as f64 - 0.5;
        [
            PathElement::new(vec![(i, -0.5), (i, top)], WHITE.stroke_width(2)),
            PathElement::new(vec![(-0.5, i), (top, i)], WHITE.stroke_width(2)),
        ]
    }))?;
    root.present()?;
    Ok(())
}

/// The class numbers 0–9 of the shapes, as tick labels (the caption names them).
const SHAPE_TICKS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// The confusion matrix of Chapter 5's MLP on the shapes (`records/ch06/shapes-mlp.json`).
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-shapes-confusion-mlp.svg");
/// figures::ch06::shapes_confusion_mlp(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("predicted class"));
/// ```
pub fn shapes_confusion_mlp(path: &Path) -> FigResult {
    matrix(
        path,
        &confusion_of("shapes-mlp")?,
        &SHAPE_TICKS,
        ("predicted class", "true class"),
        50, // the mistakes count up to a few dozen
    )
}

/// The confusion matrix of Chapter 5's CNN on the shapes (`records/ch06/shapes-cnn.json`).
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-shapes-confusion-cnn.svg");
/// figures::ch06::shapes_confusion_cnn(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("true class"));
/// ```
pub fn shapes_confusion_cnn(path: &Path) -> FigResult {
    matrix(
        path,
        &confusion_of("shapes-cnn")?,
        &SHAPE_TICKS,
        ("predicted class", "true class"),
        50, // the mistakes count up to a few dozen
    )
}

/// The confusion matrix of the softmax-regression language identifier
/// (`records/ch06/text-softmax.json`), languages as ISO 639-1 codes.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-language-confusion.svg");
/// figures::ch06::language_confusion(&path).unwrap();
/// let svg = std::fs::read_to_string(&path).unwrap();
/// assert!(svg.contains("predicted language"));
/// assert_eq!(svg.matches("<text").count(), 6 * 6 + 2 * 6 + 2); // counts, ticks, axis names
/// ```
pub fn language_confusion(path: &Path) -> FigResult {
    let ticks = ["en", "es", "fr", "it", "pt", "cs"];
    matrix(
        path,
        &confusion_of("text-softmax")?,
        &ticks,
        ("predicted language", "true language"),
        300, // the mistakes count up to about a hundred
    )
}

/// Two generated pictures of each of the ten shapes, one class per column,
/// with the training noise and strokes: the first twenty images of
/// `generate(20, Anywhere, Noise::default(), 1)`.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-shapes-samples.svg");
/// figures::ch06::shapes_samples(&path).unwrap();
/// let svg = std::fs::read_to_string(&path).unwrap();
/// assert!(svg.contains(r#"shape-rendering="crispEdges""#));
/// ```
pub fn shapes_samples(path: &Path) -> FigResult {
    const PX: i32 = 3;
    const GAP: i32 = 8;
    let side = 28 * PX;
    let n = CLASSES.len() as i32;
    let (x, _) = generate(2 * CLASSES.len(), Placement::Anywhere, Noise::default(), 1);
    let size = (
        (n * (side + GAP) + GAP) as u32,
        (2 * (side + GAP) + GAP) as u32,
    );
    let (root, _) = canvas(path, size)?;
    for i in 0..2 * CLASSES.len() {
        let (col, row) = ((i % CLASSES.len()) as i32, (i / CLASSES.len()) as i32);
        let (x0, y0) = (GAP + col * (side + GAP), GAP + row * (side + GAP));
        root.draw(&Rectangle::new(
            [(x0, y0), (x0 + side, y0 + side)],
            BLACK.filled(),
        ))?;
        for p in 0..784 {
            let v = x[[i, p]];
            if v > 0.0 {
                let g = (255.0 * v).round() as u8;
                let (px, py) = (x0 + (p % 28) as i32 * PX, y0 + (p / 28) as i32 * PX);
                root.draw(&Rectangle::new(
                    [(px, py), (px + PX, py + PX)],
                    RGBColor(g, g, g).filled(),
                ))?;
            }
        }
    }
    root.present()?;
    drop(root);
    crisp_edges(path)
}
