//! Chapter 5: read your own handwritten digit with the MLP trained on MNIST.
//!
//! Loads the weights that `ch05_mnist_mlp --save` wrote, reads a PNG of a
//! digit (any size, dark on light paper or light on dark), prepares it as
//! MNIST's digits were (`scratchnet::data::digit::prepare_digit`: inverted if
//! need be, cropped, scaled to 20 pixels, centred by its centre of mass in
//! 28×28), and prints the predicted digit and the ten probabilities (the
//! softmax of the network's logits). `--show` also draws the 28×28 input the
//! network sees, in ASCII.
//!
//! Run:
//! `cargo run --release --example ch05_mnist_mlp -- --data-dir ../shared/data/mnist --save mlp.safetensors`,
//! then `cargo run --release --example ch05_predict -- --weights mlp.safetensors --show digit.png`.
//! Expect a line such as `prediction: 7 (p = 0.98)`, then one line per digit.
//! Without arguments it prints this usage and exits (successfully).

use clap::{CommandFactory, Parser};
use scratchnet::activation::softmax;
use scratchnet::data::digit::{load_png_grey, prepare_digit};
use scratchnet::experiments::mnist::mlp;
use scratchnet::init::Init;
use scratchnet::weights::load_weights;
use std::path::PathBuf;
use std::process::ExitCode;

/// Classify a handwritten digit (a PNG file) with the saved weights of Chapter 5's MLP.
#[derive(Parser, Debug)]
#[command(name = "ch05_predict", version)]
struct Args {
    /// The safetensors file that `ch05_mnist_mlp --save` wrote (the book's default config).
    #[arg(long)]
    weights: PathBuf,
    /// Also draw the 28×28 image the network sees.
    #[arg(long)]
    show: bool,
    /// The digit: a PNG image (grey or colour, any size).
    image: PathBuf,
}

fn main() -> ExitCode {
    if std::env::args_os().len() == 1 {
        // The test script runs every example without arguments: show how to use this one.
        Args::command().print_help().ok();
        println!(
            "\nno image given: train and save the weights with ch05_mnist_mlp --save, then pass them and a PNG."
        );
        return ExitCode::SUCCESS;
    }
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let mut net = mlp(Init::HeUniform, 0); // the initial weights are all replaced
    load_weights(&mut net, &args.weights)?;
    let digit = prepare_digit(load_png_grey(&args.image)?.view())?;
    if args.show {
        for row in digit.rows() {
            let line: String = row.iter().map(|&v| shade(v)).collect();
            println!("{line}");
        }
    }
    // The book's default config feeds pixels / 255, in [0, 1].
    let x = digit
        .mapv(|v| f32::from(v) / 255.0)
        .into_shape_with_order((1, 784))?;
    let p = softmax(&net.predict(&x.into_dyn()));
    let (best, p_best) = p
        .iter()
        .enumerate()
        .fold((0, 0.0), |b, (k, &pk)| if pk > b.1 { (k, pk) } else { b });
    println!("prediction: {best} (p = {p_best:.2})");
    for (k, pk) in p.iter().enumerate() {
        println!(
            "  {k}: {pk:.4} {}",
            "#".repeat((pk * 40.0).round() as usize)
        );
    }
    Ok(())
}

/// A grey level as a character, darker to brighter, two wide so the digit is not squashed.
fn shade(v: u8) -> &'static str {
    match v {
        0..=31 => "  ",
        32..=95 => "..",
        96..=159 => "++",
        160..=223 => "##",
        _ => "@@",
    }
}
