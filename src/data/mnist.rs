//! MNIST and Fashion-MNIST: their files, mirrors, checksums, and where they are looked for.
//!
//! Both datasets are four IDX files with the same names: 60,000 training and
//! 10,000 test images of 28×28 grey pixels, each with a label from 0 to 9.
//! [`load`](super::load) finds them in the first of these directories that holds all four:
//!
//! 1. the directory you pass (the examples' `--data-dir`);
//! 2. `$SCRATCHNET_DATA/mnist` (or `/fashion-mnist`), if the variable is set;
//! 3. your cache directory, `~/.cache/scratchnet/mnist` on Linux
//!    (`dirs::cache_dir()`: `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows).
//!
//! If none does, it downloads the missing files into the cache directory
//! ([`download`](super::download)). Every file's content is checked against its
//! known SHA-256, so a file of the other dataset, or a damaged one, is an error
//! rather than a silently strange experiment.

use std::path::{Path, PathBuf};

use super::source::{RemoteFile, Source};
use super::split::CLASSES;

/// The four files, in the order training images, training labels, test images, test labels.
pub const FILES: [&str; 4] = [
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
];

/// The environment variable naming a data directory, searched after the one passed to [`load`](super::load).
pub const DATA_ENV: &str = "SCRATCHNET_DATA";

/// A dataset in MNIST's format that [`load`](super::load) knows how to find and download.
///
/// ```
/// use scratchnet::data::Dataset;
/// assert_eq!(Dataset::FashionMnist.name(), "Fashion-MNIST");
/// assert_eq!(Dataset::FashionMnist.class_names()[9], "ankle boot");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dataset {
    /// Handwritten digits (LeCun, Cortes and Burges, 1998).
    Mnist,
    /// Photos of clothes in MNIST's format (Xiao, Rasul and Vollgraf, 2017): harder.
    FashionMnist,
}

impl Dataset {
    /// The name used in messages.
    ///
    /// ```
    /// assert_eq!(scratchnet::data::Dataset::Mnist.name(), "MNIST");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Dataset::Mnist => "MNIST",
            Dataset::FashionMnist => "Fashion-MNIST",
        }
    }

    /// What each label means.
    ///
    /// ```
    /// use scratchnet::data::Dataset;
    /// assert_eq!(Dataset::Mnist.class_names()[7], "7");
    /// assert_eq!(Dataset::FashionMnist.class_names()[0], "T-shirt/top");
    /// ```
    pub fn class_names(self) -> [&'static str; CLASSES] {
        match self {
            Dataset::Mnist => ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
            Dataset::FashionMnist => [
                "T-shirt/top",
                "trouser",
                "pullover",
                "dress",
                "coat",
                "sandal",
                "shirt",
                "sneaker",
                "bag",
                "ankle boot",
            ],
        }
    }

    // ANCHOR: source
    /// Where the files come from and the SHA-256 of each one's decompressed content.
    ///
    /// ```
    /// use scratchnet::data::Dataset;
    /// let s = Dataset::FashionMnist.source();
    /// assert_eq!((s.name.as_str(), s.dir_name.as_str()), ("Fashion-MNIST", "fashion-mnist"));
    /// assert!(s.mirrors.iter().all(|m| m.ends_with('/')));
    /// ```
    pub fn source(self) -> Source {
        let (name, homepage, mirrors, sha256) = match self {
            Dataset::Mnist => (
                "MNIST",
                "http://yann.lecun.com/exdb/mnist/",
                &[
                    "https://ossci-datasets.s3.amazonaws.com/mnist/",
                    "https://storage.googleapis.com/cvdf-datasets/mnist/",
                ],
                [
                    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
                ],
            ),
            Dataset::FashionMnist => (
                "Fashion-MNIST",
                "https://github.com/zalandoresearch/fashion-mnist",
                &[
                    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
                ],
                [
                    "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                    "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                    "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                    "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
                ],
            ),
        };
        Source {
            name: name.into(),
            dir_name: self.dir_name().into(),
            homepage: homepage.into(),
            mirrors: mirrors.iter().map(|m| m.to_string()).collect(),
            files: (FILES.iter().zip(sha256))
                .map(|(f, h)| RemoteFile {
                    name: f.to_string(),
                    sha256: h.into(),
                })
                .collect(),
        }
    }
    // ANCHOR_END: source

    /// The directories [`load`](super::load) searches, in order: `data_dir`, then
    /// `$SCRATCHNET_DATA/<dir>`, then the cache directory (the last one is
    /// where it downloads to).
    ///
    /// ```
    /// use scratchnet::data::Dataset;
    /// let dirs = Dataset::Mnist.search_dirs(Some("../shared/data/mnist".as_ref()));
    /// assert_eq!(dirs[0], std::path::Path::new("../shared/data/mnist"));
    /// assert!(dirs.iter().skip(1).all(|d| d.ends_with("mnist")));
    /// ```
    pub fn search_dirs(self, data_dir: Option<&Path>) -> Vec<PathBuf> {
        let env = std::env::var_os(DATA_ENV).map(PathBuf::from);
        self.search_dirs_in(data_dir, env, self.cache_dir())
    }

    /// [`search_dirs`](Dataset::search_dirs) with the environment's value and
    /// the cache directory given (unset or empty variables are skipped).
    fn search_dirs_in(
        self,
        data_dir: Option<&Path>,
        env: Option<PathBuf>,
        cache: Option<PathBuf>,
    ) -> Vec<PathBuf> {
        let env = env.filter(|root| !root.as_os_str().is_empty());
        let mut dirs: Vec<PathBuf> = data_dir.map(Path::to_path_buf).into_iter().collect();
        dirs.extend(env.map(|root| root.join(self.dir_name())));
        dirs.extend(cache);
        dirs
    }

    /// Where downloads go: `dirs::cache_dir()/scratchnet/<dir>`, or `None`
    /// if the system has no cache directory (e.g. no home directory).
    ///
    /// ```
    /// use scratchnet::data::Dataset;
    /// if let Some(dir) = Dataset::FashionMnist.cache_dir() {
    ///     assert!(dir.ends_with("scratchnet/fashion-mnist"));
    /// }
    /// ```
    pub fn cache_dir(self) -> Option<PathBuf> {
        Some(dirs::cache_dir()?.join("scratchnet").join(self.dir_name()))
    }

    /// The dataset's directory under a data or cache directory.
    fn dir_name(self) -> &'static str {
        match self {
            Dataset::Mnist => "mnist",
            Dataset::FashionMnist => "fashion-mnist",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_searched_in_the_documented_order() {
        let (given, env, cache) = ("given", PathBuf::from("/data"), PathBuf::from("/c/fm"));
        let fashion = Dataset::FashionMnist;
        let all = fashion.search_dirs_in(Some(given.as_ref()), Some(env), Some(cache.clone()));
        let expected: Vec<PathBuf> = vec![given.into(), "/data/fashion-mnist".into(), cache];
        assert_eq!(all, expected);
        // Unset or empty variable, no cache directory, no --data-dir.
        let empty = Some(PathBuf::new());
        assert_eq!(
            fashion.search_dirs_in(None, empty, None),
            Vec::<PathBuf>::new()
        );
        assert_eq!(Dataset::Mnist.source().dir_name, Dataset::Mnist.dir_name());
    }
}
