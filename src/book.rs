//! The book's chapters as doctests.
//!
//! Every ```` ```rust ```` block of a chapter is compiled and run by
//! `cargo test --doc`. Blocks that only `{{#include}}` a file are fenced
//! `rust,ignore`, since the included file is compiled on its own.
//! `tests/book_listings.rs` fails if a chapter is missing from this list.

macro_rules! chapter_doctests {
    ($($name:ident => $file:literal),* $(,)?) => {
        $(
            #[cfg(doctest)]
            #[doc = include_str!(concat!("../chapters/", $file))]
            pub struct $name;
        )*
    };
}

chapter_doctests! {
    Preface => "preface.md",
    AppendixFrameworks => "appendix-frameworks.md",
    Ch01Background => "ch01-background.md",
    Ch01Exercises => "ch01-exercises.md",
    Ch01Solutions => "solutions/ch01.md",
    Ch01Instructors => "instructors/ch01.md",
    Ch02CoreConcepts => "ch02-core-concepts.md",
    Ch02Exercises => "ch02-exercises.md",
    Ch02Solutions => "solutions/ch02.md",
    Ch03Algorithm => "ch03-algorithm.md",
    Ch03Exercises => "ch03-exercises.md",
    Ch03Solutions => "solutions/ch03.md",
    Ch04Math => "ch04-math.md",
    Ch04Exercises => "ch04-exercises.md",
    Ch04Instructors => "instructors/ch04.md",
    Ch04Solutions => "solutions/ch04.md",
    Ch05Practice => "ch05-practice.md",
    Ch05Cnn => "ch05-cnn.md",
    Ch05Fast => "ch05-fast.md",
    Ch05Exercises => "ch05-exercises.md",
    Ch05Instructors => "instructors/ch05.md",
    Ch05Solutions => "solutions/ch05.md",
    Ch06Applications => "ch06-applications.md",
    Ch06Exercises => "ch06-exercises.md",
    Ch06Instructors => "instructors/ch06.md",
    Ch06Solutions => "solutions/ch06.md",
    Ch07Tools => "ch07-tools.md",
    Ch07Exercises => "ch07-exercises.md",
    Ch07Instructors => "instructors/ch07.md",
    Ch07Solutions => "solutions/ch07.md",
    Ch08Trends => "ch08-trends.md",
    Ch08Exercises => "ch08-exercises.md",
    Ch08Instructors => "instructors/ch08.md",
    Ch08Solutions => "solutions/ch08.md",
    Ch09Faq => "ch09-faq.md",
    Ch09Solutions => "solutions/ch09.md",
}
