//! Small, seeded experiments that a chapter, its figures, its example and its
//! tests share, so that every number the book quotes comes from one place.

pub mod initialization;
pub mod overfitting;
