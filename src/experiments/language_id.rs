//! Chapter 6's text task: which language is a word in? Words of several
//! lists (the book uses the BIP-39 word lists, which its example takes from
//! the `bip39` crate) become bags of hashed character n-grams
//! ([`crate::text::HashedNgrams`]), and a softmax regression or a
//! one-hidden-layer network learns the language with [`crate::train::fit`].
//!
//! A word found in more than one list has no single right answer: [`corpus`]
//! drops it and says how many it dropped. The split is stratified and
//! seeded ([`stratified_split`]): every language keeps the same share of its
//! words for the test.

use crate::activation::ReLU;
use crate::experiments::mnist::schedule_record;
use crate::init::Init;
use crate::layers::Dense;
use crate::loss::{SoftmaxCrossEntropy, one_hot};
use crate::metrics::{accuracy, classes, confusion_matrix};
use crate::model::Sequential;
use crate::optim::Adam;
use crate::schedule::Schedule;
use crate::tensor::{Tensor, seeded_rng};
use crate::text::HashedNgrams;
use crate::train::{Fit, FitError, History, fit, predict};
use ndarray::Array2;
use rand::seq::SliceRandom as _;
use std::collections::HashMap;

/// Words and their languages, with the words that were in several lists removed.
///
/// ```
/// use scratchnet::experiments::language_id::corpus;
/// let c = corpus(&[&["casa", "animal"], &["house", "animal"]]);
/// assert_eq!(c.words, ["casa", "house"]);
/// assert_eq!(c.labels, [0, 1]);
/// assert_eq!(c.dropped, ["animal"]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Corpus {
    /// The words kept, list after list.
    pub words: Vec<String>,
    /// The index of each word's list.
    pub labels: Vec<usize>,
    /// The words found in two or more lists (once each, sorted).
    pub dropped: Vec<String>,
}

/// The words of `lists` labelled by list, without the words in two or more lists.
///
/// ```
/// use scratchnet::experiments::language_id::corpus;
/// assert_eq!(corpus(&[&["a", "b"], &["c"]]).labels, [0, 0, 1]);
/// ```
pub fn corpus(lists: &[&[&str]]) -> Corpus {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for list in lists {
        for w in list.iter().collect::<std::collections::BTreeSet<_>>() {
            *seen.entry(w).or_default() += 1;
        }
    }
    let mut c = Corpus {
        words: Vec::new(),
        labels: Vec::new(),
        dropped: seen
            .iter()
            .filter(|&(_, &n)| n > 1)
            .map(|(w, _)| w.to_string())
            .collect(),
    };
    c.dropped.sort();
    for (label, list) in lists.iter().enumerate() {
        for w in list.iter().filter(|w| seen[*w] == 1) {
            c.words.push(w.to_string());
            c.labels.push(label);
        }
    }
    c
}

/// Indices of a seeded, stratified split: within each class, a shuffled
/// `test_fraction` of its examples (rounded) go to the test set. Returns
/// `(train, test)`, each sorted.
///
/// ```
/// use scratchnet::experiments::language_id::stratified_split;
/// let labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
/// let (train, test) = stratified_split(&labels, 0.2, 3);
/// assert_eq!((train.len(), test.len()), (8, 2));
/// assert_eq!(test.iter().filter(|&&i| labels[i] == 1).count(), 1);
/// ```
pub fn stratified_split(
    labels: &[usize],
    test_fraction: f64,
    seed: u64,
) -> (Vec<usize>, Vec<usize>) {
    assert!(
        (0.0..1.0).contains(&test_fraction),
        "stratified_split: the test fraction must be in [0, 1), got {test_fraction}"
    );
    let k = labels.iter().max().map_or(0, |m| m + 1);
    let mut rng = seeded_rng(seed);
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for class in 0..k {
        let mut idx: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == class).collect();
        idx.shuffle(&mut rng);
        let n_test = (idx.len() as f64 * test_fraction).round() as usize;
        test.extend_from_slice(&idx[..n_test]);
        train.extend_from_slice(&idx[n_test..]);
    }
    train.sort_unstable();
    test.sort_unstable();
    (train, test)
}

/// One configuration of the language identifier.
///
/// ```
/// use scratchnet::experiments::language_id::LanguageIdConfig;
/// let c = LanguageIdConfig::softmax(1);
/// assert_eq!(c.hidden, None);
/// assert_eq!(LanguageIdConfig::mlp(1).hidden, Some(64));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct LanguageIdConfig {
    /// The featurizer: n-gram lengths and buckets.
    pub features: HashedNgrams,
    /// Width of the hidden ReLU layer; `None` is softmax regression.
    pub hidden: Option<usize>,
    /// Passes over the training words.
    pub epochs: usize,
    /// Words per step.
    pub batch_size: usize,
    /// Adam's learning rate.
    pub lr: f64,
    /// Share of each language's words held out for the test.
    pub test_fraction: f64,
    /// Seed of the split, the weights and the shuffling.
    pub seed: u64,
}

impl LanguageIdConfig {
    /// Softmax regression on 1–3-grams hashed into 4096 buckets.
    ///
    /// ```
    /// use scratchnet::experiments::language_id::LanguageIdConfig;
    /// assert_eq!(LanguageIdConfig::softmax(1).features.buckets, 4096);
    /// ```
    pub fn softmax(seed: u64) -> Self {
        LanguageIdConfig {
            features: HashedNgrams::new(1, 3, 4096),
            hidden: None,
            epochs: 20,
            batch_size: 32,
            lr: 0.003,
            test_fraction: 0.2,
            seed,
        }
    }

    /// The same with a hidden layer of 64 ReLU units.
    ///
    /// ```
    /// use scratchnet::experiments::language_id::LanguageIdConfig;
    /// assert_eq!(LanguageIdConfig::mlp(1).epochs, LanguageIdConfig::softmax(1).epochs);
    /// ```
    pub fn mlp(seed: u64) -> Self {
        LanguageIdConfig {
            hidden: Some(64),
            ..Self::softmax(seed)
        }
    }
}

/// The classifier: `[batch, D]` counts → `k` logits, through one hidden ReLU
/// layer or none.
///
/// ```
/// use scratchnet::experiments::language_id::model;
/// assert_eq!(model(4096, 6, None, 0).num_parameters(), 4096 * 6 + 6);
/// assert_eq!(model(4096, 6, Some(64), 0).summary().len(), 3);
/// ```
// ANCHOR: model
pub fn model(buckets: usize, k: usize, hidden: Option<usize>, seed: u64) -> Sequential<f32> {
    let mut rng = seeded_rng(seed);
    match hidden {
        // [batch, k] logits
        None => Sequential::new().with(Dense::new(buckets, k, Init::XavierUniform, &mut rng)),
        Some(h) => Sequential::new()
            .with(Dense::new(buckets, h, Init::HeUniform, &mut rng)) // [batch, h]
            .with(ReLU::new())
            .with(Dense::new(h, k, Init::XavierUniform, &mut rng)), // [batch, k] logits
    }
}
// ANCHOR_END: model

/// What one run of the language identifier produced.
///
/// ```
/// use scratchnet::experiments::language_id::{LanguageIdConfig, corpus, run};
/// let c = corpus(&[&["aaa", "aab", "aba", "baa", "aaaa"], &["xxy", "xyx", "yxx", "xxx", "xxxy"]]);
/// let config = LanguageIdConfig { epochs: 30, batch_size: 4, test_fraction: 0.2, ..LanguageIdConfig::softmax(1) };
/// let r = run(&c, &config).unwrap();
/// assert_eq!(r.test_accuracy, 1.0);
/// assert_eq!(r.confusion.sum(), 2);
/// ```
pub struct LanguageIdRun {
    /// Per-epoch loss and accuracy.
    pub history: History,
    /// Share of the test words given their language.
    pub test_accuracy: f64,
    /// `[true language, predicted language]` counts on the test words.
    pub confusion: Array2<usize>,
    /// Every misclassified test word: `(word, true, predicted)`.
    pub mistakes: Vec<(String, usize, usize)>,
    /// Training and test words.
    pub sizes: (usize, usize),
}

// ANCHOR: run
/// Splits `corpus`, featurizes it, trains with Adam and the softmax
/// cross-entropy through [`fit`], and tests once.
///
/// **Panics** if the corpus is empty or the split leaves a side empty.
///
/// ```
/// use scratchnet::experiments::language_id::{LanguageIdConfig, corpus, run};
/// let c = corpus(&[&["ab", "abab", "aab", "bab", "abba"], &["xy", "xyxy", "yyx", "xxy", "yxxy"]]);
/// let config = LanguageIdConfig { epochs: 30, batch_size: 4, ..LanguageIdConfig::mlp(2) };
/// let r = run(&c, &config).unwrap();
/// assert_eq!(r.sizes, (8, 2)); // one word of each list is tested
/// assert_eq!(r.test_accuracy, 1.0);
/// ```
pub fn run(corpus: &Corpus, config: &LanguageIdConfig) -> Result<LanguageIdRun, FitError> {
    let k = corpus.labels.iter().max().expect("an empty corpus") + 1;
    let (train, test) = stratified_split(&corpus.labels, config.test_fraction, config.seed);
    assert!(
        !train.is_empty() && !test.is_empty(),
        "run: the split left a side empty"
    );
    let words =
        |idx: &[usize]| -> Vec<&str> { idx.iter().map(|&i| corpus.words[i].as_str()).collect() };
    let labels = |idx: &[usize]| -> Vec<usize> { idx.iter().map(|&i| corpus.labels[i]).collect() };
    let x: Tensor<f32> = config.features.features(&words(&train)); // [n_train, D]
    let y: Tensor<f32> = one_hot(&labels(&train), k); // [n_train, k]
    let mut net = model(config.features.buckets, k, config.hidden, config.seed);
    let mut opt = Adam::new(config.lr);
    let plan = Fit::new(config.epochs, config.batch_size)
        .seed(config.seed)
        .schedule(Schedule::Constant)
        .accuracy();
    let history = fit(
        &mut net,
        &mut SoftmaxCrossEntropy::new(),
        &mut opt,
        &x,
        &y,
        plan,
    )?;

    let x_test: Tensor<f32> = config.features.features(&words(&test)); // [n_test, D]
    let truth = labels(&test);
    let logits = predict(&mut net, &x_test, 1024); // [n_test, k]
    let predicted = classes(&logits);
    // ANCHOR_END: run
    let mistakes = test
        .iter()
        .zip(predicted.iter().zip(&truth))
        .filter(|(_, (p, t))| p != t)
        .map(|(&i, (&p, &t))| (corpus.words[i].clone(), t, p))
        .collect();
    Ok(LanguageIdRun {
        history,
        test_accuracy: accuracy(&logits, &one_hot(&truth, k)),
        confusion: confusion_matrix(&predicted, &truth, k),
        mistakes,
        sizes: (train.len(), test.len()),
    })
}

/// A run as a JSON record: configuration, languages, dropped words, every
/// epoch, test accuracy, confusion matrix and every mistake.
///
/// ```
/// use scratchnet::experiments::language_id::{LanguageIdConfig, corpus, record, run};
/// let c = corpus(&[&["aaa", "aab", "aba", "baa", "aaaa"], &["xxy", "xyx", "yxx", "xxx", "xxxy"]]);
/// let config = LanguageIdConfig { epochs: 5, batch_size: 4, ..LanguageIdConfig::mlp(1) };
/// let r = record(&["a", "x"], &c, &config, &run(&c, &config).unwrap());
/// assert_eq!(r["config"]["hidden"], 64);
/// assert_eq!(r["test_words"], 2);
/// ```
pub fn record(
    languages: &[&str],
    corpus: &Corpus,
    config: &LanguageIdConfig,
    run: &LanguageIdRun,
) -> serde_json::Value {
    let f = config.features;
    serde_json::json!({
        "dataset": "BIP-39 word lists",
        "languages": languages,
        "dropped_words": corpus.dropped.len(),
        "dropped_examples": corpus.dropped.iter().take(10).collect::<Vec<_>>(),
        "train_words": run.sizes.0,
        "test_words": run.sizes.1,
        "model": match config.hidden { None => "softmax-regression".to_string(), Some(h) => format!("D-{h}-relu-k") },
        "config": {
            "n_min": f.n_min, "n_max": f.n_max, "buckets": f.buckets, "hidden": config.hidden,
            "optimizer": "adam", "lr": config.lr, "schedule": schedule_record(Schedule::Constant),
            "epochs": config.epochs, "batch_size": config.batch_size,
            "test_fraction": config.test_fraction, "seed": config.seed,
        },
        "epochs": run.history.epochs.iter().map(|e| serde_json::json!({
            "epoch": e.epoch, "train_loss": e.train_loss, "train_accuracy": e.train_accuracy, "seconds": e.seconds,
        })).collect::<Vec<_>>(),
        "test_accuracy": run.test_accuracy,
        "test_errors": run.mistakes.len(),
        "confusion": run.confusion.outer_iter().map(|r| r.to_vec()).collect::<Vec<_>>(),
        "mistakes": run.mistakes.iter().map(|(w, t, p)| serde_json::json!({
            "word": w, "label": languages[*t], "predicted": languages[*p],
        })).collect::<Vec<_>>(),
        "seconds": run.history.epochs.iter().map(|e| e.seconds).sum::<f64>(),
    })
}
