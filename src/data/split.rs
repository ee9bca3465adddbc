//! A split of a dataset: images and their labels, checked, and as tensors.
//!
//! MNIST stores images as bytes, `[n, 28, 28]`, 0 for black and 255 for
//! white, and labels as bytes from 0 to 9. A network wants numbers of
//! moderate size in rows: [`Split::images_f`] gives `[n, 784]` in [0, 1].

use std::path::Path;

use ndarray::{Array3, IxDyn};

use super::{DataError, Idx, read_idx};
use crate::tensor::{Float, Tensor};

/// The number of classes: labels run from 0 to 9.
pub const CLASSES: usize = 10;

/// One split of a dataset (training or test): images and their labels.
///
/// ```
/// use scratchnet::data::{Idx, Split};
/// let dir = std::env::temp_dir().join(format!("scratchnet-doc-split-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let (images, labels) = (dir.join("images"), dir.join("labels"));
/// // Two 2×2 images, the second white, labelled 3 and 8.
/// std::fs::write(&images, Idx { dims: vec![2, 2, 2], data: vec![0, 0, 0, 0, 255, 255, 255, 255] }.to_bytes()).unwrap();
/// std::fs::write(&labels, Idx { dims: vec![2], data: vec![3, 8] }.to_bytes()).unwrap();
/// let split = Split::read(&images, &labels)?;
/// assert_eq!((split.len(), split.images().shape()), (2, &[2, 2, 2][..]));
/// let x = split.images_f::<f32>(); // [n, pixels], scaled to [0, 1]
/// assert_eq!((x.shape(), x[[1, 3]]), (&[2, 4][..], 1.0));
/// assert_eq!(split.labels_usize(), [3, 8]);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), scratchnet::data::DataError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    images: Array3<u8>,
    labels: Vec<u8>,
}

impl Split {
    /// Reads a split from an images file (`[n, rows, cols]`) and a labels file (`[n]`).
    ///
    /// No checksum is verified, so this also reads other datasets in MNIST's format.
    ///
    /// # Errors
    ///
    /// Every error of [`read_idx`]; [`DataError::WrongShape`] if the images are
    /// not three-dimensional or the labels not one-dimensional;
    /// [`DataError::CountMismatch`] if their numbers differ; and
    /// [`DataError::BadLabel`] for a label outside 0..=9.
    ///
    /// ```
    /// use scratchnet::data::{DataError, Split};
    /// let err = Split::read("nowhere/images".as_ref(), "nowhere/labels".as_ref()).unwrap_err();
    /// assert!(matches!(err, DataError::NotFound { .. }));
    /// ```
    pub fn read(images: &Path, labels: &Path) -> Result<Split, DataError> {
        Split::from_idx(read_idx(images)?, images, read_idx(labels)?, labels)
    }

    /// Pairs parsed images and labels, checking shapes, counts and labels.
    pub(crate) fn from_idx(
        images: Idx,
        images_path: &Path,
        labels: Idx,
        labels_path: &Path,
    ) -> Result<Split, DataError> {
        let wrong = |path: &Path, expected, dims: &[usize]| DataError::WrongShape {
            path: path.into(),
            expected,
            dims: dims.to_vec(),
        };
        let &[n, rows, cols] = &images.dims[..] else {
            return Err(wrong(images_path, "images [n, rows, cols]", &images.dims));
        };
        let &[n_labels] = &labels.dims[..] else {
            return Err(wrong(labels_path, "labels [n]", &labels.dims));
        };
        if n != n_labels {
            return Err(DataError::CountMismatch {
                images: images_path.into(),
                labels: labels_path.into(),
                n_images: n,
                n_labels,
            });
        }
        if let Some(index) = labels.data.iter().position(|&l| usize::from(l) >= CLASSES) {
            let label = labels.data[index];
            return Err(DataError::BadLabel {
                path: labels_path.into(),
                index,
                label,
            });
        }
        let images = Array3::from_shape_vec((n, rows, cols), images.data).map_err(|_| {
            wrong(
                images_path,
                "as many pixels as the dimensions say",
                &[n, rows, cols],
            )
        })?;
        Ok(Split {
            images,
            labels: labels.data,
        })
    }

    /// The number of examples.
    ///
    /// ```
    /// # let split = scratchnet::data::Split::default();
    /// assert_eq!(split.len(), split.labels().len());
    /// ```
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether the split holds no example.
    ///
    /// ```
    /// assert!(scratchnet::data::Split::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The images as stored, `[n, rows, cols]`, one byte per pixel (0 black, 255 white).
    ///
    /// ```
    /// let split = scratchnet::data::Split::default();
    /// assert_eq!(split.images().shape(), &[0, 28, 28]);
    /// ```
    pub fn images(&self) -> &Array3<u8> {
        &self.images
    }

    /// The labels as stored, one byte per image, each below [`CLASSES`].
    ///
    /// ```
    /// assert!(scratchnet::data::Split::default().labels().is_empty());
    /// ```
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    // ANCHOR: images_f
    /// The network's input: one row per image, `[n, rows·cols]` (`[n, 784]`
    /// for MNIST), each pixel divided by 255 so that it lies in [0, 1].
    ///
    /// ```
    /// let x: scratchnet::Tensor<f32> = scratchnet::data::Split::default().images_f();
    /// assert_eq!(x.shape(), &[0, 784]);
    /// ```
    pub fn images_f<F: Float>(&self) -> Tensor<F> {
        let (n, rows, cols) = self.images.dim();
        let pixels: Vec<F> = self
            .images
            .iter()
            .map(|&p| F::cast(f64::from(p) / 255.0))
            .collect();
        Tensor::from_shape_vec(IxDyn(&[n, rows * cols]), pixels)
            .expect("n·rows·cols pixels fill [n, rows·cols]")
    }
    // ANCHOR_END: images_f

    /// The labels as class indices, e.g. for [`one_hot`](crate::loss::one_hot).
    ///
    /// ```
    /// assert!(scratchnet::data::Split::default().labels_usize().is_empty());
    /// ```
    pub fn labels_usize(&self) -> Vec<usize> {
        self.labels.iter().map(|&l| usize::from(l)).collect()
    }
}

impl Default for Split {
    /// An empty split of 28×28 images.
    fn default() -> Split {
        Split {
            images: Array3::zeros((0, 28, 28)),
            labels: Vec::new(),
        }
    }
}
