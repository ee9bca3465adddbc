//! Chapter 2: what weight initialisation does to a deep network's activations.
//!
//! Reproduces Saito's experiment with the library's own `Dense`, activation
//! layers and `Init`: 1000 standard-normal inputs of 100 features go through
//! five dense layers of 100 units, each followed by the same activation, for
//! six choices of activation and weight scale. Nothing is trained.
//!
//! Run it with
//!
//! ```text
//! cargo run --release --example ch02_initialization
//! ```
//!
//! It prints, for every scheme and layer, the mean and standard deviation of
//! the activations and the fraction that sits where the activation is flat
//! (sigmoid within 0.01 of 0 or 1, tanh within 0.01 of ±1) or dead (ReLU
//! output exactly 0). Expect: N(0, 1) weights saturate about half of the
//! sigmoid units; N(0, 0.01²) weights pin every sigmoid at 0.5 and make the
//! tanh signal vanish by a factor of about 10 per layer; Xavier keeps tanh
//! spread out; Xavier lets a ReLU net's spread shrink layer by layer; He keeps
//! it constant. `tests/ch02_experiments.rs` asserts each of these claims.

use scratchnet::experiments::initialization::{
    LayerStats, gradient_norms, gradient_schemes, layer_activations, schemes, stats,
};

fn main() {
    println!("Activations of a 5-layer, 100-unit net at initialisation (1000 random inputs)\n");
    for scheme in schemes() {
        println!("{}", scheme.label);
        println!("  layer    mean     std   flat/dead");
        let acts = layer_activations(&scheme, 0);
        let per_layer: Vec<LayerStats> = acts.iter().map(|a| stats(a, scheme.activation)).collect();
        for (l, s) in per_layer.iter().enumerate() {
            println!(
                "  {:>5} {:>7.3} {:>7.3}   {:>5.1}%",
                l + 1,
                s.mean,
                s.std,
                100.0 * s.saturated
            );
        }
        let ratio = per_layer[4].std / per_layer[0].std;
        println!("  std(layer 5) / std(layer 1) = {ratio:.2e}\n");
    }

    println!("Gradient reaching each layer of a 10-layer net, relative to the top layer");
    for scheme in gradient_schemes() {
        let g = gradient_norms(&scheme, 0);
        let row: Vec<String> = g.iter().map(|r| format!("{r:.1e}")).collect();
        println!("  {:<18} {}", scheme.label, row.join(" "));
    }

    println!("\nWhat to look at:");
    println!("  * the std column: does the signal keep its size from layer 1 to layer 5?");
    println!("  * flat/dead: a saturated sigmoid or tanh passes almost no gradient back;");
    println!("    a ReLU that outputs 0 passes none. About half of ReLU outputs are 0 by design");
    println!("    (negative inputs); the danger is when a unit is 0 for every input.");
    println!("  * tiny weights keep units out of saturation but make them all alike (sigmoid)");
    println!("    or make the signal vanish (tanh): neither network can learn well.");
}
