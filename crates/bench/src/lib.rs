//! Tools for the benchmarks (`npm run bench`), kept out of the shipped `pixelpool` binary.
pub mod encoding;
pub mod limit;
pub mod reference;
pub mod shrink_quality;
