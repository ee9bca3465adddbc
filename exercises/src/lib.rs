//! The book's coding exercises.
//!
//! Each exercise file exists twice, from one source:
//!
//! * `solutions/<name>.rs` is the reference solution, written by the authors;
//!   every region between `// ANCHOR: solution…` and its `ANCHOR_END` is an answer;
//! * `src/<name>.rs` is the starter a student edits, generated from the
//!   solution by `cargo xtask exercises`, which replaces each answer region by `todo!()`.
//!
//! The checks in `tests/<chapter>.rs` run against the starters by default
//! (`cargo test -p exercises --test ch01`) and against the reference
//! solutions with `--features solutions`. CI proves both directions: the
//! solutions pass every check and the untouched starters fail every check.

// The untouched starters ignore their arguments until the student fills them in.
#![cfg_attr(
    not(feature = "solutions"),
    allow(unused_variables, unused_imports, dead_code)
)]

macro_rules! exercise {
    ($name:ident, $solution:literal) => {
        #[cfg_attr(feature = "solutions", path = $solution)]
        pub mod $name;
    };
}

exercise!(ch01_perceptron, "../solutions/ch01_perceptron.rs");
exercise!(ch02_core, "../solutions/ch02_core.rs");
exercise!(ch03_backprop, "../solutions/ch03_backprop.rs");
exercise!(ch04_math, "../solutions/ch04_math.rs");
exercise!(ch05_practice, "../solutions/ch05_practice.rs");
exercise!(ch05_cnn, "../solutions/ch05_cnn.rs");
exercise!(ch06_applications, "../solutions/ch06_applications.rs");
exercise!(ch07_tools, "../solutions/ch07_tools.rs");
exercise!(ch08_trends, "../solutions/ch08_trends.rs");
