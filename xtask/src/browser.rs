//! `cargo xtask browser-test <html dir>`: the demos, run in a real browser.
//!
//! Headless Chromium opens each demo's page of the built book from `file://`
//! with `?selftest=NAME`; the page's own script (web/js/) then runs the check
//! through the same code as a reader's clicks and writes its answer, as JSON,
//! into `<pre id="selftest-result">`, which `--dump-dom` prints. Here that
//! answer is compared with the same computation done natively:
//!
//! * `digit` (Chapter 5): the first MNIST test image of each class, drawn onto
//!   the canvas ten times enlarged, must be read as its label, with the native
//!   probabilities (`web::digit::read_digit` on the same 280×280 image);
//! * `playground` (Chapter 4): settings the module refuses (η = 0, μ = 1.5)
//!   must come back as the native refusal, not a crash; paths on both
//!   surfaces must equal `descend`'s with the library's optimizers, as Figures
//!   4.3 and 4.4 draw them; choosing Rosenbrock and momentum must load Figure
//!   4.4's settings, on a square canvas;
//! * `tiny` (Chapter 2): a width the module refuses must show its reason and
//!   leave no network training; the tiny network, trained 300 epochs on each
//!   dataset, must bring its loss down to a quarter, to where the native run ends.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use scratchnet::data::read_idx;
use scratchnet::experiments::optimizers::{BOWL, ROSENBROCK, descend};
use scratchnet::optim::{AdaGrad, Adadelta, Adam, Momentum, Optimizer, RmsProp, Sgd};
use serde_json::Value;

/// Runs both self-tests on the book in `html`; MNIST comes from `mnist` (skipped if absent).
pub fn run(html: &Path, mnist: &Path) -> Result<(), String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into());
    if mnist.join("t10k-images-idx3-ubyte.gz").is_file() {
        digit(&chromium, html, mnist)?;
    } else {
        println!(
            "browser test, digit: skipped (no MNIST test set in {})",
            mnist.display()
        );
    }
    playground(&chromium, html)?;
    tiny(&chromium, html)
}

/// The tiny network of Chapter 2, 300 epochs on each dataset in the page: the
/// loss must fall to a quarter, and end where the native run ends.
fn tiny(chromium: &str, html: &Path) -> Result<(), String> {
    let report = selftest(chromium, &html.join("ch02-core-concepts.html"), "tiny")?;
    let refusal = &report["refusal"];
    let native = web::tiny::Tiny::new(2, 2, 200, 0, 0.03)
        .err()
        .expect("width 200 is refused")
        .to_string();
    if refusal["refused"].as_str() != Some(&native)
        || refusal["status"].as_str() != Some(&native)
        || !refusal["trains"].is_null()
    {
        return Err(format!(
            "tiny: width 200: the page shows {refusal}, natively {native:?} and no network"
        ));
    }
    let results = report["results"].as_array().ok_or("tiny: no results")?;
    if results.len() != 3 {
        return Err(format!("tiny: {} results for 3 datasets", results.len()));
    }
    let mut lines = Vec::new();
    for (data, r) in results.iter().enumerate() {
        let (first, last) = (r["first"].as_f64(), r["last"].as_f64());
        let (Some(first), Some(last)) = (first, last) else {
            return Err(format!("tiny: dataset {data}: no losses (diverged?)"));
        };
        let mut native = web::tiny::Tiny::new(data, 2, 16, 0, 0.03).expect("the page's defaults");
        let native_last = (0..300)
            .map(|_| native.train(1))
            .last()
            .expect("300 epochs");
        if last >= first / 4.0 || (last - native_last).abs() > 1e-6 * native_last.max(1e-3) {
            return Err(format!(
                "tiny: dataset {data}: loss {first} → {last} in the browser, {native_last} natively"
            ));
        }
        lines.push(format!(
            "{} {first:.3} → {last:.4}",
            web::tiny::DATASETS[data]
        ));
    }
    println!(
        "browser test, tiny network: width 200 refused ({native:?}); the loss falls on every \
         dataset as natively ({})",
        lines.join(", ")
    );
    Ok(())
}

fn digit(chromium: &str, html: &Path, mnist: &Path) -> Result<(), String> {
    let err = |e: scratchnet::data::DataError| e.to_string();
    let images = read_idx(&mnist.join("t10k-images-idx3-ubyte.gz")).map_err(err)?;
    let labels = read_idx(&mnist.join("t10k-labels-idx1-ubyte.gz")).map_err(err)?;
    // The first test image of each digit.
    let picks: Vec<usize> = (0..10u8)
        .map(|d| {
            labels
                .data
                .iter()
                .position(|&l| l == d)
                .expect("every digit is in the test set")
        })
        .collect();
    let mut script = String::from("window.SELFTEST_DIGITS = [\n");
    for &i in &picks {
        let pixels = &images.data[i * 784..(i + 1) * 784];
        script += &format!(
            "{{label: {}, pixels: \"{}\"}},\n",
            labels.data[i],
            base64(pixels)
        );
    }
    script += "];\n";
    let file = html.join("demos/selftest-digits.js");
    std::fs::write(&file, script).map_err(|e| format!("{}: {e}", file.display()))?;
    let report = selftest(chromium, &html.join("ch05-practice.html"), "digit")?;
    let _ = std::fs::remove_file(&file); // a test fixture, not part of the book
    let results = report["results"].as_array().ok_or("digit: no results")?;
    if results.len() != picks.len() {
        return Err(format!(
            "digit: {} results for {} digits",
            results.len(),
            picks.len()
        ));
    }
    let mut net = web::digit::book_mlp();
    let mut worst = 0.0f64;
    for (&i, r) in picks.iter().zip(results) {
        // The canvas as the page painted it: each pixel a 10×10 square.
        let big = ndarray::Array2::from_shape_fn((280, 280), |(y, x)| {
            images.data[i * 784 + (y / 10) * 28 + x / 10]
        });
        let native = web::digit::read_digit(&mut net, big.view()).map_err(|e| e.to_string())?;
        let label = labels.data[i] as u64;
        let got = r["digit"].as_u64().ok_or("digit: no prediction")?;
        if got != label || native.digit() as u64 != label {
            return Err(format!(
                "digit: test image {i} ({label}) read as {got} in the browser, {} natively",
                native.digit()
            ));
        }
        for (k, p) in native.probabilities.iter().enumerate() {
            let q = r["probabilities"][k]
                .as_f64()
                .ok_or("digit: a probability is missing")?;
            worst = worst.max((q - f64::from(*p)).abs());
        }
    }
    if worst > 1e-5 {
        return Err(format!(
            "digit: browser and native probabilities differ by {worst:e}"
        ));
    }
    println!(
        "browser test, digit: {} MNIST test digits drawn on the canvas, each read as its label; \
         probabilities within {worst:.1e} of the native ones",
        picks.len()
    );
    Ok(())
}

/// A playground case: surface, menu index, steps, learning rate, coefficient
/// (μ, ρ or β₁), and the library's optimizer as the figures build it.
type Case = (usize, usize, usize, f64, f64, Box<dyn Optimizer>);

fn playground(chromium: &str, html: &Path) -> Result<(), String> {
    // Refused settings first: the module must answer the cases after them.
    let refused = [(0, 1, 30, 0.0, 0.9), (1, 2, 30, 0.1, 1.5)];
    let (rms, adam, ada) = (RmsProp::new(0.3), Adam::new(0.3), Adadelta::default());
    let cases: Vec<Case> = vec![
        (0, 0, 30, 0.95, 0.0, Box::new(Sgd::new(0.95))),
        (0, 1, 30, 0.1, 0.9, Box::new(Momentum::new(0.1, 0.9))),
        (0, 2, 30, 0.1, 0.9, Box::new(Momentum::nesterov(0.1, 0.9))),
        (0, 3, 30, 1.5, 0.0, Box::new(AdaGrad::new(1.5))),
        (0, 4, 30, rms.lr, rms.rho, Box::new(rms.clone())),
        (0, 5, 30, adam.lr, adam.beta1, Box::new(adam.clone())),
        (0, 6, 30, ada.lr, ada.rho, Box::new(ada.clone())),
        (1, 1, 3000, 0.001, 0.9, Box::new(Momentum::new(0.001, 0.9))),
        (1, 5, 3000, 0.05, 0.9, Box::new(Adam::new(0.05))),
    ];
    let query: Vec<String> = refused
        .iter()
        .copied()
        .chain(
            cases
                .iter()
                .map(|&(s, k, steps, lr, c, _)| (s, k, steps, lr, c)),
        )
        .map(|(s, k, steps, lr, c)| format!("{s},{k},{lr},{c},{steps}"))
        .collect();
    let page = html.join("ch04-math.html");
    let report = selftest(
        chromium,
        &page,
        &format!("playground&cases={}", query.join(";")),
    )?;
    let results = report["results"]
        .as_array()
        .ok_or("playground: no results")?;
    if results.len() != refused.len() + cases.len() {
        return Err(format!(
            "playground: {} results for {} cases",
            results.len(),
            refused.len() + cases.len()
        ));
    }
    let (results_refused, results) = results.split_at(refused.len());
    for (&(s, k, steps, lr, c), r) in refused.iter().zip(results_refused) {
        let native = web::playground::path(s, k, lr, c, steps)
            .err()
            .ok_or("playground: a refused case ran natively")?
            .to_string();
        if r["refused"].as_str() != Some(&native) {
            return Err(format!(
                "playground: optimizer {k}, η = {lr}, coefficient {c}: the page gave {r}, natively {native:?}"
            ));
        }
    }
    let page = &report["page"];
    let figure = web::playground::figure_settings(1, 1).expect("momentum on Rosenbrock");
    let shown = (
        page["lr"].as_f64(),
        page["coefficient"].as_f64(),
        page["steps"].as_u64(),
    );
    if shown != (Some(figure.0), Some(figure.1), Some(figure.2 as u64))
        || page["label"] != "μ"
        || page["canvas"][0] != page["canvas"][1]
        || !page["result"]
            .as_str()
            .is_some_and(|t| t.starts_with("Last point"))
    {
        return Err(format!(
            "playground: after choosing Rosenbrock and momentum the page shows {page}, \
             not Figure 4.4's settings {figure:?} on a square canvas"
        ));
    }
    let mut worst = 0.0f64;
    let n = results.len();
    for ((s, k, steps, _, _, mut opt), r) in cases.into_iter().zip(results) {
        let (surface, start) = if s == 0 {
            (BOWL, (-7.0, 2.0))
        } else {
            (ROSENBROCK, (-1.5, 2.0))
        };
        let native = descend(opt.as_mut(), &surface, start, steps);
        let path = r["path"].as_array().ok_or("playground: no path")?;
        if path.len() != native.len() {
            return Err(format!(
                "playground: optimizer {k}: {} points, {} natively",
                path.len(),
                native.len()
            ));
        }
        for (p, &(x, y)) in path.iter().zip(&native) {
            let (px, py) = (
                p[0].as_f64().unwrap_or(f64::NAN),
                p[1].as_f64().unwrap_or(f64::NAN),
            );
            let d = ((px - x) / x.abs().max(1.0))
                .abs()
                .max(((py - y) / y.abs().max(1.0)).abs());
            if d.is_nan() || d > 1e-9 {
                return Err(format!(
                    "playground: optimizer {k} on surface {s}: ({px}, {py}) in the browser, ({x}, {y}) natively"
                ));
            }
            worst = worst.max(d);
        }
    }
    println!(
        "browser test, playground: {} refused settings refused as natively; {n} paths on both \
         surfaces equal descend's, within {worst:.1e} (relative); Rosenbrock and momentum load \
         Figure 4.4's settings on a {} × {} canvas",
        refused.len(),
        page["canvas"][0],
        page["canvas"][1]
    );
    Ok(())
}

/// Opens `page?selftest=QUERY` in headless Chromium and returns the page's report.
fn selftest(chromium: &str, page: &Path, query: &str) -> Result<Value, String> {
    let page = page
        .canonicalize()
        .map_err(|e| format!("{}: {e}", page.display()))?;
    let profile = std::env::temp_dir().join(format!("scratchnet-chromium-{}", std::process::id()));
    let url = format!("file://{}?selftest={query}", page.display());
    // The page's DOM goes to a file: a pipe that nobody reads while we wait would fill up.
    let dump = profile.with_extension("html");
    let out = std::fs::File::create(&dump).map_err(|e| format!("{}: {e}", dump.display()))?;
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
        ])
        .args([
            "--disable-background-networking",
            "--disable-component-update",
        ])
        .args([
            "--disable-sync",
            "--no-first-run",
            "--virtual-time-budget=30000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--dump-dom", &url])
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {chromium}: {e}"))?;
    let deadline = Instant::now() + Duration::from_secs(180);
    while child.try_wait().map_err(|e| e.to_string())?.is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err(format!("{chromium} did not finish {url} in 3 minutes"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let dom = std::fs::read_to_string(&dump).map_err(|e| format!("{}: {e}", dump.display()))?;
    let _ = std::fs::remove_dir_all(&profile);
    let _ = std::fs::remove_file(&dump);
    let doc = scraper::Html::parse_document(&dom);
    let pre = scraper::Selector::parse("#selftest-result").expect("a valid selector");
    let text: String = doc
        .select(&pre)
        .next()
        .ok_or_else(|| format!("{url}: the page wrote no #selftest-result (did its script run?)"))?
        .text()
        .collect();
    let report: Value = serde_json::from_str(&text).map_err(|e| format!("{url}: {e}"))?;
    if let Some(e) = report.get("error") {
        return Err(format!("{url}: {e}"));
    }
    Ok(report)
}

/// Standard base64 (RFC 4648, with padding).
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            s.push(if i <= c.len() {
                A[(n >> (18 - 6 * i)) as usize & 63] as char
            } else {
                '='
            });
        }
    }
    s
}
