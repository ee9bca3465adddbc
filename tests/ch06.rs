//! Chapter 6: the n-gram featurizer, the shapes generator, and short
//! trainings of both demonstrations that must beat chance clearly.

use bip39::Language;
use scratchnet::experiments::language_id::{LanguageIdConfig, corpus, run, stratified_split};
use scratchnet::experiments::mnist::{MlpConfig, run_mlp};
use scratchnet::experiments::shapes::{CLASSES, Noise, Placement, draw_shapes, generate, render};
use scratchnet::text::{HashedNgrams, ngrams};

#[test]
fn ngrams_of_a_known_word() {
    let grams = ngrams("casa", 1, 3);
    let expected = [
        "<", "c", "a", "s", "a", ">", // 1-grams
        "<c", "ca", "as", "sa", "a>", // 2-grams
        "<ca", "cas", "asa", "sa>", // 3-grams
    ];
    assert_eq!(grams, expected);
    // A decomposed "é" is two characters: "e" and the combining accent.
    assert_eq!(ngrams("e\u{301}", 1, 1).len(), 4);
}

#[test]
fn hashed_counts_add_up_and_a_bucket_holds_its_grams() {
    let f = HashedNgrams::new(1, 3, 97);
    let x = f.features::<f64>(&["casa", "lingua"]);
    assert_eq!(x.shape(), [2, 97]);
    for (i, w) in ["casa", "lingua"].iter().enumerate() {
        let grams = ngrams(w, 1, 3);
        assert_eq!(x.index_axis(ndarray::Axis(0), i).sum(), grams.len() as f64);
        for g in &grams {
            assert!(x[[i, f.bucket(g)]] >= 1.0, "{g} of {w} is missing");
        }
    }
}

#[test]
fn shapes_stay_inside_the_frame() {
    for placement in [Placement::Anywhere, Placement::Centre] {
        for seed in 0..5 {
            let (shapes, _) = draw_shapes(200, placement, seed);
            for s in &shapes {
                let img = render(s);
                let ink: f32 = img.iter().sum();
                assert!(ink > 5.0, "{s:?} is nearly invisible");
                for i in 0..28 {
                    for border in [img[i], img[27 * 28 + i], img[i * 28], img[i * 28 + 27]] {
                        assert_eq!(border, 0.0, "{s:?} touches the border");
                    }
                }
            }
        }
    }
}

#[test]
fn labels_are_balanced_and_runs_reproducible() {
    let (x, labels) = generate(500, Placement::Anywhere, Noise::default(), 3);
    for class in 0..CLASSES.len() {
        assert_eq!(labels.iter().filter(|&&l| l == class).count(), 50);
    }
    let (again, _) = generate(500, Placement::Anywhere, Noise::default(), 3);
    assert_eq!(x, again);
    let (other, _) = generate(500, Placement::Anywhere, Noise::default(), 4);
    assert_ne!(x, other);
}

#[test]
fn a_short_mlp_run_on_shapes_beats_chance() {
    let (x, y) = generate(1500, Placement::Anywhere, Noise::default(), 1);
    let (xt, yt) = generate(500, Placement::Anywhere, Noise::default(), 1001);
    let config = MlpConfig {
        epochs: 3,
        ..MlpConfig::book_default(1)
    };
    let r = run_mlp(&x, &y, &xt, &yt, &config).unwrap();
    // Chance is 10 %.
    assert!(r.test_accuracy > 0.4, "test accuracy {}", r.test_accuracy);
}

#[test]
fn the_word_lists_overlap_only_between_english_and_french() {
    let langs = [
        Language::English,
        Language::Spanish,
        Language::French,
        Language::Italian,
        Language::Portuguese,
        Language::Czech,
    ];
    let lists: Vec<&[&str]> = langs.iter().map(|l| &l.word_list()[..]).collect();
    let c = corpus(&lists);
    let english: std::collections::HashSet<_> = lists[0].iter().collect();
    let french: std::collections::HashSet<_> = lists[2].iter().collect();
    assert_eq!(c.dropped.len(), english.intersection(&french).count());
    assert!(
        c.dropped
            .iter()
            .all(|w| english.contains(&w.as_str()) && french.contains(&w.as_str()))
    );
    assert_eq!(c.words.len(), 6 * 2048 - 2 * c.dropped.len());
    let (train, test) = stratified_split(&c.labels, 0.2, 1);
    assert_eq!(train.len() + test.len(), c.words.len());
}

#[test]
fn a_short_language_id_run_beats_chance() {
    let langs = [
        Language::English,
        Language::Spanish,
        Language::Italian,
        Language::Czech,
    ];
    let lists: Vec<&[&str]> = langs.iter().map(|l| &l.word_list()[..400]).collect();
    let config = LanguageIdConfig {
        epochs: 8,
        ..LanguageIdConfig::softmax(1)
    };
    let r = run(&corpus(&lists), &config).unwrap();
    // Chance is 25 %.
    assert!(r.test_accuracy > 0.5, "test accuracy {}", r.test_accuracy);
}
