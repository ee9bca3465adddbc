//! `cargo xtask mdbook-metrics`: an mdBook preprocessor that puts numbers from
//! recorded runs into the book, so that no number in the prose is typed by hand.
//!
//! A run record is a JSON file under `records/` at the book root, written by a
//! chapter's example (e.g. `records/ch05/mlp-seed-1.json`). In a chapter,
//!
//! ```text
//! {{#metric RECORD:FIELD}}                   the field's value, as written in the record
//! {{#metric RECORD:FIELD|FORMAT}}            a number, formatted
//! {{#metric PATTERN:FIELD|AGGREGATION}}      one number over several records
//! {{#metric PATTERN:FIELD|AGGREGATION|FORMAT}}
//! ```
//!
//! * `RECORD` is the file's path under `records/` without `.json`: `ch05/mlp-seed-1`.
//!   A `PATTERN` has `*` (any characters) in its file name: `ch05/mlp-seed-*`.
//! * `FIELD` is a path of keys separated by dots; a number indexes an array, and
//!   a negative one counts from its end: `test_accuracy`, `epochs.2.val_accuracy`,
//!   `epochs.-1.val_accuracy` (the last epoch).
//! * `AGGREGATION` (a pattern needs one, a single record takes none): `mean`,
//!   `std` (sample standard deviation, n − 1), `min`, `max`, or `count` (how many
//!   records matched, for "over 5 seeds").
//! * `FORMAT`: `fN` prints N decimals (`f3`: 0.98123 → `0.981`), `pctN` a
//!   fraction as a percentage with N decimals (`pct1`: 0.98123 → `98.1`).
//!   N is 0 to 9. The result is always a bare number: the text around it writes
//!   the unit (`98.1%`, `41.3 s`, or `98.1\%` inside `$…$`, where `%` would start a
//!   TeX comment), so a placeholder works in prose, tables, HTML and math alike.
//!
//! The build fails (exit 1, every problem listed on stderr with the chapter file,
//! line and placeholder) on a missing record, a pattern that matches nothing, a
//! missing field, a non-number where a number is needed, or an unknown format.
//! Placeholders are replaced everywhere, code blocks included; there is no escape
//! (the book never shows the syntax itself), and `check-html` fails on a
//! `{{#metric` left in a rendered page: mdBook silently skips a preprocessor
//! whose `supports` call fails (say, xtask does not compile).
//!
//! mdBook's protocol: `<command> supports <renderer>` must exit 0, then
//! `<command>` reads `[context, book]` as JSON on stdin and writes the book back
//! on stdout. In mdBook 0.5 the book is `{"items": [...]}`, each item
//! `{"Chapter": {"content", "source_path", "sub_items", ...}}`, `"Separator"` or
//! `{"PartTitle": ...}`.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

const AGGREGATIONS: [&str; 5] = ["mean", "std", "min", "max", "count"];

/// Runs the preprocessor on stdin and stdout.
pub fn run() -> Result<(), String> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| format!("reading mdBook's input: {e}"))?;
    let book = preprocess(&input)?;
    std::io::stdout()
        .write_all(book.as_bytes())
        .map_err(|e| e.to_string())
}

/// `[context, book]` in, the book with every placeholder replaced out.
fn preprocess(input: &str) -> Result<String, String> {
    let (ctx, mut book): (Value, Value) = serde_json::from_str(input)
        .map_err(|e| format!("mdBook's input is not [context, book]: {e}"))?;
    let root = Path::new(
        ctx["root"]
            .as_str()
            .ok_or("no `root` in mdBook's context")?,
    );
    let src = ctx["config"]["book"]["src"].as_str().unwrap_or("src");
    let items = book["items"]
        .as_array_mut()
        .ok_or("the book has no `items` list (mdBook 0.5's format)")?;
    let mut problems = Vec::new();
    for item in items {
        expand_item(item, root, src, &mut problems);
    }
    if !problems.is_empty() {
        return Err(format!(
            "{} problem(s) with {{{{#metric}}}} placeholders:\n  {}",
            problems.len(),
            problems.join("\n  ")
        ));
    }
    Ok(book.to_string())
}

fn expand_item(item: &mut Value, root: &Path, src: &str, problems: &mut Vec<String>) {
    let Some(chapter) = item.get_mut("Chapter") else {
        return; // a separator or a part title
    };
    let file = match chapter["source_path"].as_str() {
        Some(path) => format!("{src}/{path}"),
        None => format!("chapter {}", chapter["name"]),
    };
    if let Some(content) = chapter["content"].as_str() {
        match expand(content, root) {
            Ok(text) => chapter["content"] = Value::String(text),
            Err(errors) => problems.extend(errors.iter().map(|e| format!("{file}:{e}"))),
        }
    }
    for sub in chapter["sub_items"].as_array_mut().into_iter().flatten() {
        expand_item(sub, root, src, problems);
    }
}

/// Replaces every placeholder in `text` with records read from `root/records/`.
/// Each error reads `LINE: PLACEHOLDER: PROBLEM`.
fn expand(text: &str, root: &Path) -> Result<String, Vec<String>> {
    const OPEN: &str = "{{#metric";
    let (mut out, mut errors, mut done) = (String::new(), Vec::new(), 0);
    while let Some(start) = text[done..].find(OPEN).map(|i| done + i) {
        out.push_str(&text[done..start]);
        let line = text[..start].matches('\n').count() + 1;
        let Some(end) = text[start..].find("}}").map(|i| start + i) else {
            let head = text[start..].lines().next().unwrap_or_default();
            errors.push(format!("{line}: `{head}`: no closing `}}}}`"));
            done = text.len();
            break;
        };
        match metric(&text[start + OPEN.len()..end], root) {
            Ok(value) => out.push_str(&value),
            Err(e) => errors.push(format!("{line}: `{}`: {e}", &text[start..end + 2])),
        }
        done = end + 2;
    }
    out.push_str(&text[done..]);
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A placeholder's body, `RECORD:FIELD|AGGREGATION|FORMAT`, parsed.
#[derive(Debug, PartialEq)]
struct Metric<'a> {
    record: &'a str,
    field: &'a str,
    aggregation: Option<&'a str>,
    format: Option<&'a str>,
}

fn parse(body: &str) -> Result<Metric<'_>, String> {
    let mut parts = body.trim().split('|').map(str::trim);
    let (record, field) = parts
        .next()
        .and_then(|p| p.split_once(':'))
        .filter(|(r, f)| !r.is_empty() && !f.is_empty())
        .ok_or("expected RECORD:FIELD, then optional |AGGREGATION and |FORMAT")?;
    let (mut aggregation, mut format) = (None, None);
    for op in parts {
        if format.is_some() {
            return Err(format!("`|{op}` after the format: the format comes last"));
        } else if AGGREGATIONS.contains(&op) {
            if aggregation.replace(op).is_some() {
                return Err("one aggregation at most".into());
            }
        } else {
            format_spec(op)?;
            format = Some(op);
        }
    }
    if record
        .rsplit_once('/')
        .is_some_and(|(dir, _)| dir.contains('*'))
    {
        return Err("`*` may only appear in the record's file name".into());
    }
    match (record.contains('*'), aggregation) {
        (true, None) => Err(format!(
            "`{record}` is a pattern: add |mean, |std, |min, |max or |count"
        )),
        (false, Some(a)) => Err(format!(
            "|{a} aggregates several records: `{record}` names one (use `*`)"
        )),
        _ => Ok(Metric {
            record,
            field,
            aggregation,
            format,
        }),
    }
}

/// A format's scale and number of decimals: `f3` is (1, 3), `pct1` is (100, 1).
fn format_spec(format: &str) -> Result<(f64, usize), String> {
    let spec = (format.strip_prefix("pct").map(|d| (100.0, d)))
        .or_else(|| format.strip_prefix('f').map(|d| (1.0, d)))
        .filter(|(_, digits)| digits.len() == 1);
    match spec.and_then(|(scale, digit)| Some((scale, digit.parse().ok()?))) {
        Some(spec) => Ok(spec),
        None => Err(format!(
            "unknown format `{format}` (formats: fN, pctN with N = 0..9 decimals; \
             aggregations: {})",
            AGGREGATIONS.join(", ")
        )),
    }
}

/// The value of one placeholder, as it goes into the text.
fn metric(body: &str, root: &Path) -> Result<String, String> {
    let m = parse(body)?;
    let mut values = Vec::new();
    for file in record_files(root, m.record)? {
        let shown = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .display()
            .to_string();
        let text = fs::read_to_string(&file).map_err(|e| format!("{shown}: {e}"))?;
        let json: Value =
            serde_json::from_str(&text).map_err(|e| format!("{shown} is not JSON: {e}"))?;
        let value =
            lookup(&json, m.field).ok_or_else(|| format!("no field `{}` in {shown}", m.field))?;
        values.push(value.clone());
    }
    let value = match m.aggregation {
        None => values.swap_remove(0),
        Some(op) => {
            let numbers = values.iter().map(|v| number(v, op));
            aggregate(op, &numbers.collect::<Result<Vec<_>, _>>()?)?
        }
    };
    match (m.format, &value) {
        (None, Value::Number(n)) => Ok(n.to_string()),
        (None, Value::String(s)) => Ok(s.clone()),
        (None, v) => Err(format!(
            "the field is {}, not a number or a string",
            kind(v)
        )),
        (Some(f), v) => {
            let (scale, decimals) = format_spec(f)?;
            Ok(format!("{:.*}", decimals, number(v, f)? * scale))
        }
    }
}

/// The record, or the records a pattern matches (sorted), under `root/records/`.
fn record_files(root: &Path, name: &str) -> Result<Vec<PathBuf>, String> {
    let records = root.join("records");
    let (dir, pattern) = name.rsplit_once('/').unwrap_or(("", name));
    if !pattern.contains('*') {
        let file = records.join(format!("{name}.json"));
        return match file.is_file() {
            true => Ok(vec![file]),
            false => Err(format!("no record records/{name}.json")),
        };
    }
    let mut files: Vec<PathBuf> = fs::read_dir(records.join(dir))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter(|p| {
            p.file_stem()
                .and_then(|s| s.to_str())
                .is_some_and(|s| wildcard(pattern, s))
        })
        .collect();
    files.sort();
    match files.is_empty() {
        true => Err(format!("no record matches records/{name}.json")),
        false => Ok(files),
    }
}

/// Whether `name` matches `pattern`, where `*` stands for any characters.
fn wildcard(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, tail)) => name.strip_prefix(head).is_some_and(|rest| {
            (0..=rest.len()).any(|i| rest.is_char_boundary(i) && wildcard(tail, &rest[i..]))
        }),
    }
}

/// Follows a dotted field path: keys of objects, indices (negative from the end) of arrays.
fn lookup<'a>(mut value: &'a Value, path: &str) -> Option<&'a Value> {
    for key in path.split('.') {
        value = match value {
            Value::Object(map) => map.get(key)?,
            Value::Array(items) => {
                let i: isize = key.parse().ok()?;
                let i = if i < 0 {
                    items.len().checked_add_signed(i)?
                } else {
                    i as usize
                };
                items.get(i)?
            }
            _ => return None,
        };
    }
    Some(value)
}

fn number(value: &Value, needed_by: &str) -> Result<f64, String> {
    value
        .as_f64()
        .ok_or_else(|| format!("|{needed_by} needs a number, the field is {}", kind(value)))
}

fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Number(n) => format!("a number ({n})"),
        Value::String(s) => format!("a string ({s:?})"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn aggregate(op: &str, xs: &[f64]) -> Result<Value, String> {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    Ok(match op {
        "mean" => mean.into(),
        "min" => xs.iter().copied().fold(f64::INFINITY, f64::min).into(),
        "max" => xs.iter().copied().fold(f64::NEG_INFINITY, f64::max).into(),
        "count" => xs.len().into(),
        "std" if xs.len() < 2 => return Err("|std needs at least two records".into()),
        "std" => (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0))
            .sqrt()
            .into(),
        _ => unreachable!("parse accepts only AGGREGATIONS"),
    })
}

#[cfg(test)]
mod tests {
    use super::{Metric, expand, parse, preprocess};
    use std::path::{Path, PathBuf};

    /// The book root of the fixtures: `tests/fixtures/records/ch05/mlp-seed-{1,2}.json`.
    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
    }

    fn value(placeholder: &str) -> String {
        expand(placeholder, &root()).unwrap_or_else(|e| panic!("{placeholder}: {e:?}"))
    }

    fn error(placeholder: &str) -> String {
        match expand(placeholder, &root()) {
            Ok(text) => panic!("{placeholder} expanded to {text}"),
            Err(errors) => errors.join("\n"),
        }
    }

    #[test]
    fn parses_record_field_aggregation_and_format() {
        let m = parse(" ch05/mlp-seed-*:epochs.-1.val_accuracy | mean | pct2 ").unwrap();
        let expected = Metric {
            record: "ch05/mlp-seed-*",
            field: "epochs.-1.val_accuracy",
            aggregation: Some("mean"),
            format: Some("pct2"),
        };
        assert_eq!(m, expected);
        let m = parse("ch05/mlp-seed-1:seed").unwrap();
        assert_eq!((m.aggregation, m.format), (None, None));
    }

    #[test]
    fn values_as_written_and_formatted() {
        assert_eq!(
            value("{{#metric ch05/mlp-seed-1:test_accuracy}}"),
            "0.98123"
        );
        assert_eq!(value("{{#metric ch05/mlp-seed-1:seed}}"), "1");
        assert_eq!(value("{{#metric ch05/mlp-seed-1:optimizer}}"), "adam");
        assert_eq!(
            value("{{#metric ch05/mlp-seed-1:test_accuracy|pct1}}"),
            "98.1"
        );
        assert_eq!(
            value("{{#metric ch05/mlp-seed-1:test_accuracy|pct2}}"),
            "98.12"
        );
        assert_eq!(
            value("{{#metric ch05/mlp-seed-1:test_accuracy|f3}}"),
            "0.981"
        );
        assert_eq!(value("{{#metric ch05/mlp-seed-1:train_seconds|f0}}"), "41");
        assert_eq!(
            value("{{#metric ch05/mlp-seed-1:train_seconds|f1}}"),
            "41.3"
        );
        assert_eq!(
            value("{{#metric ch05/mlp-seed-1:epochs.-1.val_accuracy|f3}}"),
            "0.978"
        );
        assert_eq!(
            value("{{#metric ch05/mlp-seed-2:epochs.1.val_accuracy}}"),
            "0.9691"
        );
        assert_eq!(
            value("{{#metric ch05/mlp-seed-2:epochs.-1.loss}}"),
            "0.0987"
        );
    }

    #[test]
    fn aggregates_over_a_pattern() {
        let agg = |op: &str| {
            value(&format!(
                "{{{{#metric ch05/mlp-seed-*:test_accuracy|{op}}}}}"
            ))
        };
        assert_eq!(agg("mean|pct2"), "98.00");
        assert_eq!(agg("std|f5"), "0.00174"); // sample std: |0.98123 − 0.97877| / √2
        assert_eq!(agg("min|pct1"), "97.9");
        assert_eq!(agg("max|pct1"), "98.1");
        assert_eq!(agg("count"), "2");
        assert_eq!(value("{{#metric ch05/*-2:seed|max}}"), "2.0");
        assert_eq!(value("{{#metric ch05/m*-seed-*:seed|count}}"), "2");
    }

    #[test]
    fn replaces_every_placeholder_and_keeps_the_text() {
        let text = "Accuracy: {{#metric ch05/mlp-seed-1:test_accuracy|pct1}}%,\n\
                    $\\bar a = {{#metric ch05/mlp-seed-*:test_accuracy|mean|f2}}$ {{ not ours }}";
        assert_eq!(
            value(text),
            "Accuracy: 98.1%,\n$\\bar a = 0.98$ {{ not ours }}"
        );
    }

    #[test]
    fn every_error_names_the_line_the_placeholder_and_the_problem() {
        let errors = error("ok\n{{#metric ch05/nope:x}} and {{#metric ch05/mlp-seed-1:nope}}");
        assert_eq!(
            errors,
            "2: `{{#metric ch05/nope:x}}`: no record records/ch05/nope.json\n\
             2: `{{#metric ch05/mlp-seed-1:nope}}`: no field `nope` in records/ch05/mlp-seed-1.json"
        );
        let cases = [
            ("ch05/mlp-seed-1:epochs.7.loss", "no field `epochs.7.loss`"),
            (
                "ch05/mlp-seed-1:optimizer|pct1",
                "|pct1 needs a number, the field is a string (\"adam\")",
            ),
            ("ch05/mlp-seed-*:optimizer|mean", "|mean needs a number"),
            (
                "ch05/mlp-seed-1:epochs",
                "the field is an array, not a number or a string",
            ),
            ("ch05/mlp-seed-1:seed|pct", "unknown format `pct`"),
            ("ch05/mlp-seed-1:seed|f10", "unknown format `f10`"),
            ("ch05/mlp-seed-1:seed|median", "unknown format `median`"),
            (
                "ch05/cnn-*:test_accuracy|mean",
                "no record matches records/ch05/cnn-*.json",
            ),
            (
                "ch0*/mlp-seed-1:seed",
                "`*` may only appear in the record's file name",
            ),
            ("ch05/mlp-seed-*:seed", "is a pattern: add |mean"),
            (
                "ch05/mlp-seed-1:seed|mean",
                "|mean aggregates several records",
            ),
            (
                "ch05/mlp-seed-1*:seed|std",
                "|std needs at least two records",
            ),
            ("ch05/mlp-seed-*:seed|f1|mean", "`|mean` after the format"),
            ("ch05/mlp-seed-*:seed|min|max", "one aggregation at most"),
            ("ch05/mlp-seed-1", "expected RECORD:FIELD"),
        ];
        for (body, problem) in cases {
            let e = error(&format!("{{{{#metric {body}}}}}"));
            assert!(e.contains(problem), "{body}: {e}");
        }
        assert!(error("x {{#metric ch05/mlp-seed-1:seed\n").contains("no closing `}}`"));
    }

    #[test]
    fn preprocesses_mdbook_0_5_json_and_names_the_chapter_file() {
        let chapter = |name: &str, content: &str, subs: &str| {
            format!(
                r#"{{"Chapter": {{"name": "{name}", "content": "{content}", "number": null,
                "sub_items": [{subs}], "path": "{name}.md", "source_path": "{name}.md",
                "parent_names": []}}}}"#
            )
        };
        let sub = chapter("b", "{{#metric ch05/mlp-seed-2:seed}}", "");
        let input = |content: &str| {
            let root = root().display().to_string();
            format!(
                r#"[{{"root": "{root}", "config": {{"book": {{"src": "chapters"}}}},
                "renderer": "html", "mdbook_version": "0.5.4"}},
                {{"items": [{}, "Separator", {{"PartTitle": "P"}}]}}]"#,
                chapter("a", content, &sub)
            )
        };
        let out = preprocess(&input("seed {{#metric ch05/mlp-seed-1:seed}}")).unwrap();
        let book: serde_json::Value = serde_json::from_str(&out).unwrap();
        let a = &book["items"][0]["Chapter"];
        assert_eq!(a["content"], "seed 1");
        assert_eq!(a["sub_items"][0]["Chapter"]["content"], "2");
        assert_eq!(book["items"][1], "Separator");
        let err = preprocess(&input("{{#metric ch05/mlp-seed-1:x}}")).unwrap_err();
        assert!(
            err.contains("chapters/a.md:1: `{{#metric ch05/mlp-seed-1:x}}`: no field"),
            "{err}"
        );
    }
}
