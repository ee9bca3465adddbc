//! Text as numbers (Chapter 6): a bag of character n-grams, hashed into a
//! fixed number of buckets.
//!
//! A network takes vectors of a fixed length; a word is a string of any
//! length. The oldest bridge is a *bag*: count which pieces occur and forget
//! their order. Here the pieces are character n-grams of the word framed by
//! boundary markers (`<` before, `>` after), so that `"<ca"` says "starts
//! with *ca*" and `"ón>"` says "ends in *ón*". Listing every possible n-gram
//! would need a vocabulary; the *hashing trick* (Weinberger et al., 2009)
//! needs none: each n-gram goes to bucket `hash(n-gram) mod D`, and two
//! n-grams that land in the same bucket simply share it. fastText's language
//! identifier (Joulin et al., 2017) rests on the same two ideas.
//!
//! Characters are Unicode scalar values (`char`), taken as they come: a word
//! stored decomposed (NFD/NFKD, `"é"` as `'e'` + U+0301) gives other n-grams
//! than the same word stored composed (NFC).

use crate::tensor::{Float, Tensor};
use ndarray::Array2;

/// The word-boundary markers put around a word before cutting it into n-grams.
pub const BOUNDARY: (char, char) = ('<', '>');

// ANCHOR: ngrams
/// The character n-grams of `word` framed by [`BOUNDARY`] markers, for every
/// `n` in `n_min..=n_max`, shortest first and in reading order.
///
/// The markers count as characters, so a word of `L` characters has
/// `L + 2 - n + 1` n-grams of length `n` (none if that is below one).
///
/// ```
/// use scratchnet::text::ngrams;
/// assert_eq!(ngrams("gato", 3, 3), ["<ga", "gat", "ato", "to>"]);
/// assert_eq!(ngrams("ab", 1, 2), ["<", "a", "b", ">", "<a", "ab", "b>"]);
/// ```
pub fn ngrams(word: &str, n_min: usize, n_max: usize) -> Vec<String> {
    assert!(
        n_min >= 1 && n_min <= n_max,
        "ngrams: need 1 <= n_min <= n_max, got {n_min}..={n_max}"
    );
    let chars: Vec<char> = std::iter::once(BOUNDARY.0)
        .chain(word.chars())
        .chain(std::iter::once(BOUNDARY.1))
        .collect();
    let mut out = Vec::new();
    for n in n_min..=n_max {
        for window in chars.windows(n) {
            out.push(window.iter().collect());
        }
    }
    out
}
// ANCHOR_END: ngrams

// ANCHOR: hash
/// The 64-bit FNV-1a hash of a string's UTF-8 bytes (Fowler, Noll and Vo):
/// a few lines, the same on every machine and every run, unlike the
/// standard library's randomly seeded `HashMap` hasher.
///
/// ```
/// use scratchnet::text::fnv1a;
/// assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325); // the offset basis
/// assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c); // a published test vector
/// ```
pub fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}
// ANCHOR_END: hash

/// A bag of hashed character n-grams: turns words into rows of `buckets`
/// counts.
///
/// ```
/// use scratchnet::text::HashedNgrams;
/// let f = HashedNgrams::new(1, 3, 256);
/// let x = f.features::<f64>(&["casa", "house"]); // [2, 256]
/// assert_eq!(x.shape(), [2, 256]);
/// // "casa" framed as "<casa>": 6 unigrams, 5 bigrams, 4 trigrams.
/// assert_eq!(x.index_axis(ndarray::Axis(0), 0).sum(), 15.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashedNgrams {
    /// The shortest n-gram.
    pub n_min: usize,
    /// The longest n-gram.
    pub n_max: usize,
    /// D, the number of buckets: the length of a feature vector.
    pub buckets: usize,
}

impl HashedNgrams {
    /// A featurizer of the `n_min..=n_max`-grams into `buckets` buckets.
    ///
    /// **Panics** unless `1 <= n_min <= n_max` and `buckets >= 1`.
    ///
    /// ```
    /// use scratchnet::text::HashedNgrams;
    /// assert_eq!(HashedNgrams::new(1, 3, 4096).buckets, 4096);
    /// ```
    pub fn new(n_min: usize, n_max: usize, buckets: usize) -> Self {
        assert!(
            n_min >= 1 && n_min <= n_max,
            "HashedNgrams: need 1 <= n_min <= n_max, got {n_min}..={n_max}"
        );
        assert!(buckets >= 1, "HashedNgrams: need at least one bucket");
        HashedNgrams {
            n_min,
            n_max,
            buckets,
        }
    }

    /// The bucket an n-gram falls into: `fnv1a(gram) mod D`.
    ///
    /// ```
    /// use scratchnet::text::{HashedNgrams, fnv1a};
    /// let f = HashedNgrams::new(1, 3, 1000);
    /// assert_eq!(f.bucket("<ca"), (fnv1a("<ca") % 1000) as usize);
    /// ```
    pub fn bucket(&self, gram: &str) -> usize {
        (fnv1a(gram) % self.buckets as u64) as usize
    }

    /// The feature rows of `words`: entry `[i, j]` counts the n-grams of word
    /// `i` that fall into bucket `j`.
    ///
    /// # Shapes
    /// `words.len()` words → `[words.len(), buckets]`.
    ///
    /// ```
    /// use scratchnet::text::HashedNgrams;
    /// let f = HashedNgrams::new(2, 2, 64);
    /// let x = f.features::<f32>(&["aaa"]); // "<a", "aa", "aa", "a>"
    /// assert_eq!(x[[0, f.bucket("aa")]], 2.0);
    /// ```
    // ANCHOR: features
    pub fn features<F: Float>(&self, words: &[&str]) -> Tensor<F> {
        let mut x = Array2::<F>::zeros((words.len(), self.buckets)); // [n, D]
        for (i, word) in words.iter().enumerate() {
            for gram in ngrams(word, self.n_min, self.n_max) {
                x[[i, self.bucket(&gram)]] += F::one();
            }
        }
        x.into_dyn()
    }
    // ANCHOR_END: features
}
