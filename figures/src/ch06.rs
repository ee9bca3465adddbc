//! Chapter 6's figures: sample pictures of the generated shapes (drawn from
//! `scratchnet::experiments::shapes` with a fixed seed), and the confusion
//! matrices of the recorded runs in `records/ch06/`.

use std::path::Path;

use plotters::prelude::*;
use scratchnet::experiments::shapes::{CLASSES, Noise, Placement, generate};
use serde_json::Value;

use crate::mnist::{confusion_matrix, crisp_edges, records_dir};
use crate::{FigResult, canvas};

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
    confusion_matrix(
        path,
        &confusion_of("shapes-mlp")?,
        &SHAPE_TICKS,
        ("predicted class", "true class"),
        50, // the mistakes count up to a few dozen
        ((560, 560), 3),
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
    confusion_matrix(
        path,
        &confusion_of("shapes-cnn")?,
        &SHAPE_TICKS,
        ("predicted class", "true class"),
        50, // the mistakes count up to a few dozen
        ((560, 560), 3),
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
    confusion_matrix(
        path,
        &confusion_of("text-softmax")?,
        &ticks,
        ("predicted language", "true language"),
        300, // the mistakes count up to about a hundred
        ((560, 560), 3),
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
