//! pixelpool's image engine: decode, orient, resize and encode. Knows nothing of Node,
//! queues or async runtimes; every function is synchronous and runs on the caller's thread,
//! except that a job's outputs are encoded in parallel on the rayon pool it is called from.
mod adjust;
mod animated;
mod box_shrink;
mod colour;
mod composite;
pub mod decode;
pub mod describe;
pub mod encode;
mod encode_outputs;
mod error;
pub mod exif;
mod exif_edit;
mod extra_input;
mod focus;
mod font_families;
mod format;
mod frames;
pub mod geometry;
mod image;
pub mod join;
pub mod noise;
pub mod operations;
pub mod orient;
pub mod output_metadata;
mod pipeline;
pub mod pixels;
mod planning;
mod processed;
mod render;
pub mod resize;
mod rgba;
mod shown;
pub mod shrink;
mod sources;
mod spec;
mod spec_gif;
mod spec_limits;
mod spec_tiff;
mod spec_tiles;
pub mod statistics;
pub mod text;
mod tiles;
mod trim;
mod upsize;
mod xmp;

pub use encode_outputs::{Encoded, Placement};
pub use error::{EngineError, ErrorKind, Result};
pub use format::sniff;
pub use frames::Frames;
pub use image::Image;
pub use pipeline::{decode_scale, process, process_until, ENGINE_REVISION};
pub use processed::{InputInfo, Processed, StageTimes};
pub use spec::{
    ChromaSubsampling, DecodeLimits, Duotone, Encoding, FailOn, Fit, Format, GifSettings, Gravity,
    OutputSpec, ResolutionUnit, Rgba, TiffCompression, TiffPredictor, TiffSettings, TileContainer,
    TileDepth, TileLayout, TileSettings, Trim, WebpPreset,
};
pub use tiles::unpack_tiles;
