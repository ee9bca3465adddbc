//! Figures of Chapter 5 (MNIST): sample digits, training curves, the
//! confusion matrix and the most confident mistakes.
//!
//! They are drawn from the run records in `records/ch05/`, which
//! `examples/ch05_mnist_mlp.rs --record` writes (`--figure-data` adds the
//! pixels of the sample and misclassified digits), so that the book builds
//! without MNIST and shows exactly the runs its text quotes. A missing or
//! malformed record is an error naming the file: the book build fails.

use std::error::Error;
use std::fmt::Display;
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde_json::Value;

use crate::{COLUMN_WIDTH, FigResult, Fonts, TICK_FONT, book_mesh, canvas, draw_legend, tick};

/// The seeds' configuration (matplotlib's "tab10" orange) and the book's (blue).
const SEEDS_COLOR: RGBColor = RGBColor(255, 127, 14);
const BOOK_COLOR: RGBColor = RGBColor(31, 119, 180);
const GREY: RGBColor = RGBColor(110, 110, 110);

/// The seeds of the recorded runs `mlp-seed-N` and `mlp-book-N`.
const SEEDS: [u64; 5] = [1, 2, 3, 4, 5];
/// The run whose sample digits, confusion matrix and mistakes are drawn.
const BOOK_RUN: &str = "mlp-book-1";

pub(crate) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub(crate) type BoxResult<T> = Result<T, Box<dyn Error>>;

/// The folder of Chapter 5's run records: `records/ch05/` at the top of the
/// book's workspace, the first folder holding `book.toml` from the current
/// directory upwards (else the workspace this crate was compiled in).
///
/// Found at run time, not compiled in, so that two clones of the book that
/// share a cargo target directory each draw from their own records.
///
/// ```
/// let dir = figures::mnist::records_dir();
/// assert!(dir.ends_with("records/ch05"));
/// assert!(dir.parent().unwrap().parent().unwrap().join("figures").is_dir());
/// ```
pub fn records_dir() -> PathBuf {
    let here = std::env::current_dir().ok();
    let book_root = here
        .as_deref()
        .and_then(|dir| dir.ancestors().find(|d| d.join("book.toml").is_file()))
        .map(Path::to_path_buf);
    let figures_crate = Path::new(env!("CARGO_MANIFEST_DIR"));
    let compiled_in = figures_crate
        .parent()
        .unwrap_or(figures_crate)
        .to_path_buf();
    book_root
        .unwrap_or(compiled_in)
        .join("records")
        .join("ch05")
}

/// A run record read from [`records_dir`]. Its errors name the file, and the
/// field that is missing or malformed.
pub(crate) struct Record {
    path: PathBuf,
    pub(crate) json: Value,
}

impl Record {
    /// Reads `records/ch05/<name>.json`.
    pub(crate) fn read(name: &str) -> BoxResult<Record> {
        let path = records_dir().join(format!("{name}.json"));
        let fail = |e: &dyn Display| format!("run record {}: {e}", path.display());
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let hint = "(examples/ch05_mnist_mlp.rs writes it, given --record)";
            format!("{} {hint}", fail(&e))
        })?;
        let json = serde_json::from_str(&text).map_err(|e| fail(&e))?;
        Ok(Record { path, json })
    }

    pub(crate) fn error(&self, what: impl Display) -> Box<dyn Error> {
        format!("run record {}: {what}", self.path.display()).into()
    }

    /// `v[key]`, which must be present and not null.
    pub(crate) fn field<'a>(&self, v: &'a Value, key: &str) -> BoxResult<&'a Value> {
        v.get(key)
            .filter(|x| !x.is_null())
            .ok_or_else(|| self.error(format!("no `{key}`")))
    }

    pub(crate) fn number(&self, v: &Value, key: &str) -> BoxResult<f64> {
        self.field(v, key)?
            .as_f64()
            .ok_or_else(|| self.error(format!("`{key}` is not a number")))
    }

    pub(crate) fn items<'a>(&self, v: &'a Value, key: &str) -> BoxResult<&'a [Value]> {
        self.field(v, key)?
            .as_array()
            .map(Vec::as_slice)
            .ok_or_else(|| self.error(format!("`{key}` is not a list")))
    }

    fn digit(&self, v: &Value, key: &str) -> BoxResult<usize> {
        match self.field(v, key)?.as_u64() {
            Some(d) if d < 10 => Ok(d as usize),
            _ => Err(self.error(format!("`{key}` is not a digit"))),
        }
    }

    /// The `pixels` of `v`: a 28 × 28 image, row by row, one byte per pixel.
    fn pixels(&self, v: &Value) -> BoxResult<Vec<u8>> {
        let values = self.items(v, "pixels")?;
        let bytes: Vec<u8> = values
            .iter()
            .filter_map(|p| p.as_u64().and_then(|p| u8::try_from(p).ok()))
            .collect();
        if values.len() != SIDE * SIDE || bytes.len() != values.len() {
            return Err(self.error(format!("`pixels` are not {} bytes", SIDE * SIDE)));
        }
        Ok(bytes)
    }

    /// The `train_loss` of every epoch, in order.
    fn train_losses(&self) -> BoxResult<Vec<f64>> {
        self.items(&self.json, "epochs")?
            .iter()
            .map(|e| self.number(e, "train_loss"))
            .collect()
    }

    /// The confusion matrix: `counts[true digit][predicted digit]`.
    fn confusion(&self) -> BoxResult<[[u64; 10]; 10]> {
        let rows = self.items(&self.json, "confusion")?;
        let malformed = || self.error("`confusion` is not 10 × 10 counts");
        if rows.len() != 10 {
            return Err(malformed());
        }
        let mut counts = [[0; 10]; 10];
        for (row, values) in counts.iter_mut().zip(rows) {
            let cells = values.as_array().filter(|c| c.len() == 10);
            for (count, cell) in row.iter_mut().zip(cells.ok_or_else(malformed)?) {
                *count = cell.as_u64().ok_or_else(malformed)?;
            }
        }
        Ok(counts)
    }
}

/// Side of an MNIST image, in pixels.
pub(crate) const SIDE: usize = 28;
/// Digits per row of a grid of digits.
pub(crate) const GRID_COLUMNS: usize = 6;
/// Side of one MNIST pixel in a grid of digits, in SVG units.
pub(crate) const PIXEL: i32 = 4;

/// One digit of a grid: its pixels and the lines of text below it.
struct Tile {
    pixels: Vec<u8>,
    lines: Vec<String>,
}

/// Draws `tiles` in rows of [`GRID_COLUMNS`], each image white on black as
/// MNIST stores it (255 is white), one filled square per pixel; below each,
/// its lines of text, line `i` in the size and colour `line_styles[i]`.
fn digit_grid(path: &Path, tiles: &[Tile], line_styles: &[(f64, RGBColor)]) -> FigResult {
    let fonts = Fonts::for_width(COLUMN_WIDTH);
    let line_height = |size: f64| (1.3 * fonts.em(size)).ceil() as i32;
    let text_height: i32 = line_styles.iter().map(|&(size, _)| line_height(size)).sum();
    let image = SIDE as i32 * PIXEL;
    let (pad, gap) = (10, 6);
    let cell = (
        COLUMN_WIDTH as i32 / GRID_COLUMNS as i32,
        pad + image + gap + text_height + pad,
    );
    let rows = tiles.len().div_ceil(GRID_COLUMNS) as i32;
    let (root, fonts) = canvas(path, (COLUMN_WIDTH, (rows * cell.1) as u32))?;
    for (k, tile) in tiles.iter().enumerate() {
        let (row, col) = ((k / GRID_COLUMNS) as i32, (k % GRID_COLUMNS) as i32);
        let (x0, y0) = (col * cell.0 + (cell.0 - image) / 2, row * cell.1 + pad);
        draw_digit(&root, (x0, y0), &tile.pixels)?;
        let mut y = y0 + image + gap;
        for (line, &(size, color)) in tile.lines.iter().zip(line_styles) {
            let style = fonts
                .style(size)
                .color(&color)
                .pos(Pos::new(HPos::Center, VPos::Top));
            root.draw(&Text::new(line.as_str(), (x0 + image / 2, y), style))?;
            y += line_height(size);
        }
    }
    root.present()?;
    crisp_edges(path)
}

/// Turns off the anti-aliasing of the shapes' edges in the SVG at `path`.
/// The pixels of a digit are adjacent squares: anti-aliased, each edge is
/// partly transparent, and a browser that scales the figure (a phone, a
/// screen at 125 %) shows the black background through a grid of seams.
pub(crate) fn crisp_edges(path: &Path) -> FigResult {
    let svg = std::fs::read_to_string(path)?;
    if !svg.starts_with("<svg ") {
        return Err(format!("{}: not an SVG file as plotters writes it", path.display()).into());
    }
    let svg = svg.replacen("<svg ", r#"<svg shape-rendering="crispEdges" "#, 1);
    std::fs::write(path, svg)?;
    Ok(())
}

/// A 28 × 28 image with its top left corner at `(x0, y0)`: a black square,
/// then one grey square per pixel that is not black.
fn draw_digit(area: &Area, (x0, y0): (i32, i32), pixels: &[u8]) -> FigResult {
    let side = SIDE as i32 * PIXEL;
    area.draw(&Rectangle::new(
        [(x0, y0), (x0 + side, y0 + side)],
        BLACK.filled(),
    ))?;
    for (i, &v) in pixels.iter().enumerate().filter(|&(_, &v)| v > 0) {
        let x = x0 + (i % SIDE) as i32 * PIXEL;
        let y = y0 + (i / SIDE) as i32 * PIXEL;
        let grey = RGBColor(v, v, v).filled();
        area.draw(&Rectangle::new([(x, y), (x + PIXEL, y + PIXEL)], grey))?;
    }
    Ok(())
}

/// The first twelve training digits of MNIST (from the record `mlp-book-1`),
/// white on black as stored, each with its label below.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-mnist-samples.svg");
/// figures::mnist::samples(&path).unwrap();
/// let svg = std::fs::read_to_string(&path).unwrap();
/// assert_eq!(svg.matches("<text").count(), 12); // a label below each digit
/// assert!(svg.contains(r#"shape-rendering="crispEdges""#)); // no seams between pixels
/// ```
pub fn samples(path: &Path) -> FigResult {
    let rec = Record::read(BOOK_RUN)?;
    let tiles = rec
        .items(&rec.json, "samples")?
        .iter()
        .take(12)
        .map(|s| {
            Ok(Tile {
                pixels: rec.pixels(s)?,
                lines: vec![rec.digit(s, "label")?.to_string()],
            })
        })
        .collect::<BoxResult<Vec<Tile>>>()?;
    if tiles.len() < 12 {
        return Err(rec.error("`samples` holds fewer than 12 digits"));
    }
    digit_grid(path, &tiles, &[(DIGIT_FONT, BLACK)])
}

/// Size of the digits written below the images, as seen in the book.
const DIGIT_FONT: f64 = 15.0;

/// The twelve test digits that the run `mlp-book-1` got wrong with the
/// highest confidence, most confident first: below each, "true → predicted"
/// and the probability the network gave its prediction.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-mnist-mistakes.svg");
/// figures::mnist::mistakes(&path).unwrap();
/// let svg = std::fs::read_to_string(&path).unwrap();
/// assert_eq!(svg.matches('→').count(), 12);
/// assert_eq!(svg.matches('%').count(), 12);
/// ```
pub fn mistakes(path: &Path) -> FigResult {
    let rec = Record::read(BOOK_RUN)?;
    let tiles = rec
        .items(&rec.json, "mistakes")?
        .iter()
        .take(12)
        .map(|m| {
            let (label, predicted) = (rec.digit(m, "label")?, rec.digit(m, "predicted")?);
            let confidence = rec.number(m, "confidence")?;
            Ok(Tile {
                pixels: rec.pixels(m)?,
                lines: vec![
                    format!("{label}→{predicted}"),
                    format!("{:.1}%", 100.0 * confidence),
                ],
            })
        })
        .collect::<BoxResult<Vec<Tile>>>()?;
    if tiles.is_empty() {
        return Err(rec.error("`mistakes` is empty"));
    }
    digit_grid(path, &tiles, &[(DIGIT_FONT, BLACK), (TICK_FONT, GREY)])
}

/// A configuration's five recorded runs: the training loss of each epoch
/// (one list per seed) and the test accuracy of each seed.
struct Runs {
    losses: Vec<Vec<f64>>,
    test_accuracy: Vec<f64>,
}

fn read_runs(config: &str) -> BoxResult<Runs> {
    let mut runs = Runs {
        losses: Vec::new(),
        test_accuracy: Vec::new(),
    };
    for seed in SEEDS {
        let rec = Record::read(&format!("mlp-{config}-{seed}"))?;
        let losses = rec.train_losses()?;
        if runs.losses.first().is_some_and(|l| l.len() != losses.len()) {
            return Err(rec.error("a different number of epochs than seed 1"));
        }
        runs.losses.push(losses);
        runs.test_accuracy
            .push(rec.number(&rec.json, "test_accuracy")?);
    }
    Ok(runs)
}

/// Left: training loss per epoch, the mean over the five seeds with the
/// band from the lowest to the highest seed, for the seeds' configuration
/// (`mlp-seed-1` … `-5`) and the book's (`mlp-book-1` … `-5`). Right: the
/// test accuracy of each seed, with each configuration's mean as a line.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-mnist-curves.svg");
/// figures::mnist::curves(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("training loss"));
/// ```
pub fn curves(path: &Path) -> FigResult {
    let size = (960, 420);
    let (root, fonts) = canvas(path, size)?;
    let (left, right) = root.split_horizontally(540);
    let configs = [
        ("seeds' configuration", read_runs("seed")?, SEEDS_COLOR),
        ("book's configuration", read_runs("book")?, BOOK_COLOR),
    ];
    loss_panel(&left, &configs, fonts)?;
    accuracy_panel(&right, &configs, fonts)?;
    root.present()?;
    Ok(())
}

fn loss_panel(area: &Area, configs: &[(&str, Runs, RGBColor)], fonts: Fonts) -> FigResult {
    let epochs = configs[0].1.losses[0].len();
    let top = configs
        .iter()
        .flat_map(|(_, runs, _)| runs.losses.iter().flatten())
        .fold(0.0, |a: f64, &b| a.max(b));
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(4))
        .build_cartesian_2d(0.75..epochs as f64 + 0.25, 0.0..(top * 1.1))?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("epoch")
        .y_desc("training loss")
        .x_labels(epochs)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&tick)
        .draw()?;
    for (name, runs, color) in configs {
        let color = *color;
        let per_epoch = |f: fn(&[f64]) -> f64| -> Vec<(f64, f64)> {
            (0..epochs)
                .map(|e| {
                    let values: Vec<f64> = runs.losses.iter().map(|l| l[e]).collect();
                    ((e + 1) as f64, f(&values))
                })
                .collect()
        };
        let (low, high, mean) = (per_epoch(min), per_epoch(max), per_epoch(mean));
        let band: Vec<(f64, f64)> = high.iter().chain(low.iter().rev()).copied().collect();
        chart.draw_series(std::iter::once(Polygon::new(
            band,
            color.mix(0.25).filled(),
        )))?;
        chart.draw_series(mean.iter().map(|&p| Circle::new(p, 4, color.filled())))?;
        chart
            .draw_series(LineSeries::new(mean, color.stroke_width(2)))?
            .label(*name)
            .legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new(vec![(0, 0), (20, 0)], color.stroke_width(2))
                    + Circle::new((10, 0), 4, color.filled())
            });
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight, fonts)
}

fn accuracy_panel(area: &Area, configs: &[(&str, Runs, RGBColor)], fonts: Fonts) -> FigResult {
    let percents = configs
        .iter()
        .flat_map(|(_, runs, _)| runs.test_accuracy.iter().map(|a| 100.0 * a));
    let (lo, hi) = percents.fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p), hi.max(p)));
    // Whole tenths of a point, with room around the extreme dots.
    let (lo, hi) = (
        (lo * 10.0 - 1.0).floor() / 10.0,
        (hi * 10.0 + 1.0).ceil() / 10.0,
    );
    let seeds = SEEDS.len() as f64;
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(4))
        .build_cartesian_2d(0.5..seeds + 0.5, lo..hi)?;
    book_mesh(&mut chart.configure_mesh(), fonts)
        .x_desc("seed")
        .y_desc("test accuracy (%)")
        .x_labels(SEEDS.len())
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .draw()?;
    for (_, runs, color) in configs {
        let accuracy: Vec<f64> = runs.test_accuracy.iter().map(|a| 100.0 * a).collect();
        let m = mean(&accuracy);
        chart.draw_series(LineSeries::new(
            [(0.5, m), (seeds + 0.5, m)],
            color.mix(0.8).stroke_width(1),
        ))?;
        let dots = SEEDS.iter().zip(&accuracy);
        chart.draw_series(dots.map(|(&s, &a)| Circle::new((s as f64, a), 5, color.filled())))?;
    }
    Ok(())
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

pub(crate) fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// The confusion matrix of the run `mlp-book-1` on the 10 000 test images:
/// the count of every (true digit, predicted digit) pair written in its
/// cell, its shade growing with the logarithm of the count up to the
/// darkest from 50 on, so that the few mistakes show beside the diagonal's
/// thousands; zeros in grey.
///
/// ```
/// let path = std::env::temp_dir().join("scratchnet-mnist-confusion.svg");
/// figures::mnist::confusion(&path).unwrap();
/// let svg = std::fs::read_to_string(&path).unwrap();
/// assert!(svg.contains("true digit") && svg.contains("predicted digit"));
/// ```
pub fn confusion(path: &Path) -> FigResult {
    let counts: Vec<Vec<u64>> = (Record::read(BOOK_RUN)?.confusion()?.iter())
        .map(|row| row.to_vec())
        .collect();
    const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    let descs = ("predicted digit", "true digit");
    confusion_matrix(path, &counts, &DIGITS, descs, DARKEST_FROM, ((600, 600), 1))
}

/// Counts from this one up get the darkest shade of the confusion matrix.
const DARKEST_FROM: u64 = 50;

/// The shade of a count, from 0 (none) to 1 (darkest): logarithmic, so that
/// a single mistake is visible, and clipped at `darkest`, so that the
/// mistakes spread over the scale instead of the diagonal taking its top.
pub(crate) fn shade(count: u64, darkest: u64) -> f64 {
    (1.0 + count.min(darkest) as f64).ln() / (1.0 + darkest as f64).ln()
}

/// A confusion matrix as shaded cells with their counts; `ticks` name the
/// classes along both axes (rows: true class, top to bottom); counts from
/// `darkest` up get the darkest shade; the canvas is `size` pixels, with room
/// for tick labels of `tick_chars` characters on the left (Chapters 5 and 6).
pub(crate) fn confusion_matrix(
    path: &Path,
    counts: &[Vec<u64>],
    ticks: &[&str],
    (x_desc, y_desc): (&str, &str),
    darkest: u64,
    (size, tick_chars): ((u32, u32), usize),
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
    let (root, fonts) = canvas(path, size)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(fonts.x_label_area())
        .y_label_area_size(fonts.y_label_area(tick_chars))
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

/// matplotlib's "Blues" colour map at `t` in [0, 1], from near-white to dark blue.
pub(crate) fn blues(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 5] = [
        (247, 251, 255),
        (198, 219, 239),
        (107, 174, 214),
        (33, 113, 181),
        (8, 48, 107),
    ];
    let s = t.clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let i = (s.floor() as usize).min(STOPS.len() - 2);
    let f = s - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + f * (f64::from(b) - f64::from(a))).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_record_is_an_error_naming_the_file() {
        let err = Record::read("no-such-run").err().expect("no such record");
        let message = err.to_string();
        assert!(message.contains("records"), "{message}");
        assert!(message.contains("no-such-run.json"), "{message}");
    }

    #[test]
    fn a_malformed_field_is_an_error_naming_the_file_and_the_field() {
        let rec = Record {
            path: PathBuf::from("records/ch05/bad.json"),
            json: serde_json::json!({"label": 12, "pixels": [0, 1, 2], "confusion": [[1, 2]]}),
        };
        let label = rec.digit(&rec.json, "label").unwrap_err().to_string();
        assert_eq!(
            label,
            "run record records/ch05/bad.json: `label` is not a digit"
        );
        let pixels = rec.pixels(&rec.json).unwrap_err().to_string();
        assert!(pixels.ends_with("`pixels` are not 784 bytes"), "{pixels}");
        let confusion = rec.confusion().unwrap_err().to_string();
        assert!(confusion.ends_with("not 10 × 10 counts"), "{confusion}");
        let missing = rec
            .number(&rec.json, "test_accuracy")
            .unwrap_err()
            .to_string();
        assert!(missing.ends_with("no `test_accuracy`"), "{missing}");
    }

    #[test]
    fn the_heat_scale_grows_from_white_to_dark_blue() {
        assert_eq!(shade(0, DARKEST_FROM), 0.0);
        assert_eq!(shade(DARKEST_FROM, DARKEST_FROM), 1.0);
        assert_eq!(shade(1000, DARKEST_FROM), 1.0); // the diagonal: all darkest
        assert!(shade(1, DARKEST_FROM) > 0.15); // one mistake is already a visible shade
        assert!(shade(10, DARKEST_FROM) > 0.6); // ten are a strong one
        assert_eq!(blues(0.0), RGBColor(247, 251, 255));
        assert_eq!(blues(1.0), RGBColor(8, 48, 107));
        let darkness = |c: RGBColor| 3 * 255 - (c.0 as u32 + c.1 as u32 + c.2 as u32);
        let shades: Vec<u32> = (0..=20).map(|k| darkness(blues(k as f64 / 20.0))).collect();
        assert!(shades.windows(2).all(|w| w[0] < w[1]));
    }
}
